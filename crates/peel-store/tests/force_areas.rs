//! The force's areas on both stores: West Midlands' default definition installed over the
//! real postcode gazetteer (`../shared/data/geography`, or `PEEL_SHARED_DATA`), every
//! postcode placed in one NPU, every Impact Area non-empty and inside its NPU; a replacement
//! that is refused leaves the definition as it was; the place of a grid point.

mod support;

use peel_domain::date::Timestamp;
use peel_domain::force_area::{west_midlands, AreaKind, AreaMember, ForceArea, MemberKind};
use peel_domain::Force;
use peel_store::audit::AuditQuery;
use peel_store::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;
use support::*;

fn at() -> Timestamp {
    Timestamp::parse("2026-12-02T16:00").unwrap()
}

fn shared_data() -> PathBuf {
    std::env::var("PEEL_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

/// Every postcode of the real gazetteer, read with the csv crate (not Peel's importer, which
/// depends on this crate), once for all the tests.
fn real_postcodes() -> &'static [PostcodeRecord] {
    static ROWS: OnceLock<Vec<PostcodeRecord>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let path = shared_data().join("geography/postcodes-west-midlands-west-yorkshire.csv");
        let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                PostcodeRecord {
                    postcode: r[0].to_string(),
                    easting: r[1].parse().unwrap(),
                    northing: r[2].parse().unwrap(),
                    quality: r[3].parse().unwrap(),
                    lsoa_code: r[4].to_string(),
                    msoa_code: opt(&r[5]),
                    msoa_name: opt(&r[6]),
                    la_code: opt(&r[7]),
                    la_name: opt(&r[8]),
                    ward_code: opt(&r[9]),
                    ward_name: opt(&r[10]),
                    force: Force::find(&r[11]).map(|f| f.code),
                }
            })
            .collect()
    })
}

const WMP: u16 = 41;

fn save_real_gazetteer(s: &mut TestStore) {
    let rows = real_postcodes().to_vec();
    assert!(rows.len() > 120_000, "{} postcodes", rows.len());
    s.save_postcodes(&PostcodeBatch { file_name: "postcodes.csv".into(), refused: 0, rows }).unwrap();
}

fn codes(areas: &[ForceArea]) -> Vec<&str> {
    areas.iter().map(|a| a.code.as_str()).collect()
}

/// A small gazetteer: Birmingham's Ladywood (two LSOAs) and Erdington, and Coventry.
fn small_gazetteer(s: &mut TestStore) {
    let pc = |postcode: &str, lsoa: &str, ward: &str, la: &str| PostcodeRecord {
        postcode: postcode.into(),
        easting: 406_000,
        northing: 286_000,
        quality: 10,
        lsoa_code: lsoa.into(),
        msoa_code: None,
        msoa_name: None,
        la_code: Some(la.into()),
        la_name: None,
        ward_code: Some(ward.into()),
        ward_name: None,
        force: Some(WMP),
    };
    let rows = vec![
        pc("B1 1AY", "E01033625", "E05011151", "E08000025"),
        pc("B1 1BA", "E01033615", "E05011151", "E08000025"),
        pc("B23 6AA", "E01009007", "E05011135", "E08000025"),
        pc("CV1 2AA", "E01009641", "E05001228", "E08000026"),
    ];
    s.save_postcodes(&PostcodeBatch { file_name: "small.csv".into(), refused: 0, rows }).unwrap();
}

fn area(kind: AreaKind, code: &str, npu: Option<&str>, members: &[(MemberKind, &str)]) -> ForceArea {
    ForceArea {
        kind,
        code: code.into(),
        name: format!("{code} area"),
        npu: npu.map(str::to_string),
        source: "test".into(),
        members: members.iter().map(|(k, c)| AreaMember { kind: *k, code: c.to_string() }).collect(),
    }
}

fn small_definition() -> Vec<ForceArea> {
    use MemberKind::*;
    vec![
        area(AreaKind::Npu, "BW", None, &[(Ward, "E05011151")]),
        area(AreaKind::Npu, "BE", None, &[(Ward, "E05011135")]),
        area(AreaKind::Npu, "CV", None, &[(La, "E08000026")]),
        area(AreaKind::ImpactArea, "centre", Some("BW"), &[(Lsoa, "E01033625")]),
    ]
}

each_store! { sqlite_store, postgres_store;
    fn the_default_west_midlands_areas_place_every_postcode_of_the_force(s) {
        save_real_gazetteer(&mut s);
        // Nothing defined yet: said, not an empty list.
        let e = s.force_areas(None).unwrap_err().to_string();
        assert!(e.contains("no areas defined"), "{e}");
        let map = s.area_map().unwrap();
        assert!(!map.defined(AreaKind::Npu));
        assert_eq!(s.place_of_postcode(&map, "B1 1AY").unwrap().unwrap().npu, None);

        // Every member code of the default definition is in the real gazetteer.
        let g = s.area_gazetteer().unwrap();
        let default = west_midlands::areas();
        for a in &default {
            for m in &a.members {
                assert!(g.knows(m), "{} {}: {} {} is not in the gazetteer", a.kind.word(), a.code, m.kind.word(), m.code);
            }
        }
        let r = s.replace_force_areas(&AreaKind::ALL, &default, "test.areas", at()).unwrap();
        let ia_members: usize = default.iter().filter(|a| a.kind == AreaKind::ImpactArea).map(|a| a.members.len()).sum();
        assert_eq!(r.kinds[&AreaKind::Npu], (8, 69 + 6, 0));
        assert_eq!(r.kinds[&AreaKind::ImpactArea], (19, ia_members, 0));
        let npus = s.force_areas(Some(AreaKind::Npu)).unwrap();
        assert_eq!(codes(&npus), ["BE", "BW", "CV", "DY", "SH", "SW", "WS", "WV"]);
        assert_eq!(s.force_areas(Some(AreaKind::ImpactArea)).unwrap().len(), 19);

        // Every ward of Birmingham in exactly one of BE and BW.
        let birmingham: BTreeSet<&str> = real_postcodes()
            .iter()
            .filter(|p| p.la_code.as_deref() == Some(west_midlands::BIRMINGHAM))
            .filter_map(|p| p.ward_code.as_deref())
            .collect();
        assert_eq!(birmingham.len(), 69);
        for ward in &birmingham {
            let holders: Vec<&str> = npus
                .iter()
                .filter(|a| a.members.iter().any(|m| m.kind == MemberKind::Ward && m.code == *ward))
                .map(|a| a.code.as_str())
                .collect();
            assert!(holders == ["BE"] || holders == ["BW"], "ward {ward} is in {holders:?}");
        }

        // Every WMP postcode in exactly one NPU: at most one lists its LSOA, ward or
        // authority, and the map places it; the boroughs' own NPUs hold their postcodes.
        let map = s.area_map().unwrap();
        let by_member: HashMap<(MemberKind, &str), Vec<&str>> = npus.iter().fold(HashMap::new(), |mut m, a| {
            for x in &a.members {
                m.entry((x.kind, x.code.as_str())).or_default().push(a.code.as_str());
            }
            m
        });
        let la_npu: HashMap<&str, &str> = west_midlands::NPUS.iter().filter_map(|n| Some((n.2?, n.0))).collect();
        let (mut wmp, mut by_fallback) = (0, 0);
        let mut in_impact_area: BTreeMap<String, usize> = BTreeMap::new();
        for p in real_postcodes() {
            let placed = map.npu(Some(&p.lsoa_code), p.ward_code.as_deref(), p.la_code.as_deref());
            if p.force != Some(WMP) {
                assert_eq!(placed, None, "{} is not West Midlands", p.postcode);
                continue;
            }
            wmp += 1;
            let mut direct: Vec<&str> = [
                (MemberKind::Lsoa, Some(p.lsoa_code.as_str())),
                (MemberKind::Ward, p.ward_code.as_deref()),
                (MemberKind::La, p.la_code.as_deref()),
            ]
            .iter()
            .filter_map(|(k, c)| by_member.get(&(*k, (*c)?)))
            .flatten()
            .copied()
            .collect();
            direct.dedup();
            assert!(direct.len() <= 1, "{} is listed by {direct:?}", p.postcode);
            let npu = placed.unwrap_or_else(|| panic!("{} ({:?}) is in no NPU", p.postcode, p.ward_name)).code.as_str();
            match direct.first() {
                Some(d) => assert_eq!(*d, npu, "{}", p.postcode),
                None => by_fallback += 1,
            }
            if let Some(la) = p.la_code.as_deref().and_then(|la| la_npu.get(la)) {
                assert_eq!(*la, npu, "{} of {:?}", p.postcode, p.la_name);
            }
            if let Some(ia) = map.impact_area(Some(&p.lsoa_code), p.ward_code.as_deref(), p.la_code.as_deref()) {
                // Inside its NPU.
                assert_eq!(ia.npu.as_deref(), Some(npu), "{} in {}", p.postcode, ia.name);
                *in_impact_area.entry(ia.code.clone()).or_default() += 1;
            }
        }
        assert_eq!(wmp, 57_312);
        // The four B42 9 postcodes without a ward and WV6 8AX of South Staffordshire.
        assert_eq!(by_fallback, 5);
        // Each Impact Area holds postcodes.
        assert_eq!(in_impact_area.len(), 19, "{in_impact_area:?}");
        assert!(in_impact_area.values().all(|n| *n > 0));

        let b1 = s.place_of_postcode(&map, "b11ay").unwrap().unwrap();
        assert_eq!((b1.postcode.as_str(), b1.ward.as_deref(), b1.distance_m), ("B1 1AY", Some("Ladywood"), 0.0));
        assert_eq!(b1.npu, Some(AreaRef { code: "BW".into(), name: "Birmingham West".into() }));
        assert_eq!(b1.impact_area.map(|a| a.name), Some("Birmingham City Centre".into()));
        let odd = s.place_of_postcode(&map, "WV6 8AX").unwrap().unwrap();
        assert_eq!((odd.la.as_deref(), odd.npu.map(|a| a.code)), (Some("South Staffordshire District"), Some("WV".into())));
        let leeds = real_postcodes().iter().find(|p| p.force != Some(WMP)).unwrap();
        let leeds = s.place_of_postcode(&map, &leeds.postcode).unwrap().unwrap();
        assert_eq!((leeds.npu, leeds.impact_area), (None, None), "{}", leeds.postcode);

        // A grid point: the nearest postcode's areas, and how far it is.
        let g = s.place_of_grid(&map, 406_530.0, 286_450.0).unwrap().unwrap();
        assert!(g.distance_m < 10.0, "{g:?}");
        assert_eq!((g.easting, g.northing), (406_530.0, 286_450.0));
        assert_eq!(g.npu.map(|a| a.code), Some("BW".into()));
        // Off the forces' gazetteer (the English Channel coast): nothing within reach.
        assert_eq!(s.place_of_grid(&map, 400_000.0, 100_000.0).unwrap(), None);
        assert!(s.place_of_grid(&map, -5.0, 100.0).is_err());

        // Placing one report reads the gazetteer around its LSOA only, and must say exactly
        // what the whole map says: every 397th postcode of both forces, and grid points 30 m
        // off them (the B42 9 postcodes without a ward and WV6 8AX among them).
        let mut checked = 0;
        for (i, p) in real_postcodes().iter().enumerate() {
            if i % 397 != 0 && !p.postcode.starts_with("B42 9") && p.postcode != "WV6 8AX" {
                continue;
            }
            assert_eq!(s.locate_postcode(&p.postcode).unwrap(), s.place_of_postcode(&map, &p.postcode).unwrap());
            let (e, n) = (f64::from(p.easting) + 30.0, f64::from(p.northing));
            assert_eq!(s.locate_grid(e, n).unwrap(), s.place_of_grid(&map, e, n).unwrap(), "{}", p.postcode);
            checked += 1;
        }
        assert!(checked > 300, "{checked}");
        assert_eq!(s.locate_postcode("ZZ99 9ZZ").unwrap(), None);
        assert!(s.locate_grid(-5.0, 100.0).is_err());
    }

    fn a_refused_replacement_leaves_the_areas_as_they_were(s) {
        use MemberKind::*;
        // No gazetteer: nothing to check the areas against.
        let e = s.replace_force_areas(&AreaKind::ALL, &small_definition(), "test.areas", at()).unwrap_err();
        assert!(e.to_string().contains("no postcode gazetteer"), "{e}");
        small_gazetteer(&mut s);
        s.replace_force_areas(&AreaKind::ALL, &small_definition(), "test.areas", at()).unwrap();
        let before = s.force_areas(None).unwrap();
        assert_eq!(codes(&before), ["BE", "BW", "CV", "centre"]);

        // An unknown ward, and an LSOA in two Impact Areas: refused whole, both said.
        let mut bad = small_definition();
        bad[1].members.push(AreaMember { kind: Ward, code: "E05099999".into() });
        bad.push(area(AreaKind::ImpactArea, "again", Some("BW"), &[(Lsoa, "E01033625")]));
        let e = s.replace_force_areas(&AreaKind::ALL, &bad, "test.areas", at()).unwrap_err().to_string();
        assert!(e.contains("npu 'BE': member_code: ward 'E05099999' is not in the gazetteer"), "{e}");
        assert!(e.contains("impact_area 'again': member_code: lsoa 'E01033625' is already in impact_area 'centre'"), "{e}");
        assert_eq!(s.force_areas(None).unwrap(), before);

        // NPUs alone, redrawn so that the stored Impact Area falls outside its NPU: refused,
        // naming the stored area.
        let npus = vec![
            area(AreaKind::Npu, "BW", None, &[(Ward, "E05011135")]),
            area(AreaKind::Npu, "BE", None, &[(Ward, "E05011151")]),
        ];
        let e = s.replace_force_areas(&[AreaKind::Npu], &npus, "test.areas", at()).unwrap_err().to_string();
        assert!(e.contains("impact_area 'centre' (already stored): member_code: lsoa 'E01033625' lies in NPU 'BE'"), "{e}");
        assert_eq!(s.force_areas(None).unwrap(), before);
        // An area of a kind not being replaced is refused.
        let e = s.replace_force_areas(&[AreaKind::ImpactArea], &npus, "test.areas", at()).unwrap_err().to_string();
        assert!(e.contains("not of the kinds being replaced"), "{e}");

        // A good NPU-only replacement keeps the Impact Areas, and each area removed and
        // stored is audited.
        let npus = vec![area(AreaKind::Npu, "BW", None, &[(La, "E08000025")]), area(AreaKind::Npu, "CV", None, &[(La, "E08000026")])];
        let r = s.replace_force_areas(&[AreaKind::Npu], &npus, "test.areas", at()).unwrap();
        assert_eq!(r.kinds.get(&AreaKind::Npu), Some(&(2, 2, 3)));
        assert_eq!(r.kinds.get(&AreaKind::ImpactArea), None);
        assert_eq!(codes(&s.force_areas(None).unwrap()), ["BW", "CV", "centre"]);
        let entries = s.audit_search(&AuditQuery { actor: Some("test.areas".into()), limit: 100, ..Default::default() }).unwrap();
        let count = |action: &str| entries.iter().filter(|e| e.entity == "force_area" && e.action == action).count();
        assert_eq!((count("create"), count("delete")), (4 + 2, 3));
    }
}
