//! The analyst's pattern pages (issue 12) over HTTP: density, Gi* classes, near repeats,
//! the backtest and the patrol list. Over a force's own crimes brought with `peel import
//! crimes` (planted: burglaries with near repeats spread over a city, and criminal damage
//! piled into one 250 m cell on Friday nights), where each page must find what was planted;
//! and over real West Yorkshire police.uk data, which has months only, where the pages that
//! need days say so and the density's bandwidth is worked out here from the file.

mod support;

use peel_report::format::{int, pct};
use std::collections::HashMap;
use support::{shared_data, Server};

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The damage cell's centre: (404,625, 287,625), the cell (1618, 1150) of 250 m.
const SPOT: (i64, i64) = (404_625, 287_625);

/// Two years of crimes (2024 and 2025): (easting, northing, "YYYY-MM-DDTHH:MM", offence code).
fn plant() -> Vec<(i64, i64, String, &'static str)> {
    let mut r = Lcg(4);
    let start = peel_domain::date::Date::parse("2024-01-01").unwrap();
    let at = |day: i64, time: &str| format!("{}T{time}", start.add_days(day));
    let mut out = vec![];
    for _ in 0..960 {
        let day = r.next(731) as i64;
        out.push((402_000 + r.next(6000) as i64, 285_000 + r.next(6000) as i64, at(day, "14:00"), "28E"));
    }
    // Near repeats: 150 burglaries within 50 m and 3 days of an earlier one.
    for k in 0..150 {
        let (e, n) = (out[k].0, out[k].1);
        let day =
            peel_domain::date::Date::parse(&out[k].2[..10]).unwrap().days_since_epoch() - start.days_since_epoch();
        out.push((
            e + r.next(101) as i64 - 50,
            n + r.next(101) as i64 - 50,
            at(day + r.next(4) as i64, "09:00"),
            "28E",
        ));
    }
    // Criminal damage at the spot on 100 Friday nights (2024-01-05 was a Friday).
    for k in 0..100 {
        let (e, n) = (SPOT.0 + r.next(41) as i64 - 20, SPOT.1 + r.next(41) as i64 - 20);
        out.push((e, n, at(4 + 7 * k, "22:15"), "58A"));
    }
    out
}

fn start_of_2024() -> i64 {
    peel_domain::date::Date::parse("2024-01-01").unwrap().days_since_epoch()
}

/// The number a table cell shows, from the text after `<td class="num`.
fn number_in(cell: &str) -> u32 {
    let text = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
    text.replace(',', "").parse().unwrap_or_else(|_| panic!("not a number: {cell}"))
}

#[test]
fn pattern_pages_find_what_was_planted_in_the_forces_own_crimes() {
    let s = Server::start();
    let planted = plant();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    let lines: Vec<String> = planted
        .iter()
        .enumerate()
        .map(|(i, (e, n, at, code))| format!("OLD/{i:05},{at},,{code},,{e},{n},,30,M,,,"))
        .collect();
    std::fs::write(&file, format!("{}\n{}\n", peel_ingest::crimes::COLUMNS.join(","), lines.join("\n"))).unwrap();
    let wmp = peel_domain::Force::find("west-midlands").unwrap().code;
    let mut store = s.case_store();
    peel_ingest::import_crimes(&mut *store, &file, wmp, &Default::default(), &mut peel_ingest::NoProgress).unwrap();
    let mut c = s.client();
    c.login("analyst");
    let q = "force=west-midlands&month=2025-12";
    let spot_ref = peel_analytics::hotspot::os_grid_reference(SPOT.0 as f64, SPOT.1 as f64).unwrap();

    // Density: the damage spot is the densest cell.
    let r = c.get(&format!("/analyst/density?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<svg class=\"map\"") && r.body.contains("h1v1h-1z"), "a map of cells");
    let densest = &r.body[r.body.find("id=\"densest\"").unwrap()..];
    let first = &densest[densest.find("<tbody>").unwrap()..];
    assert!(first[..first.find("</tr>").unwrap()].contains(&format!("<th scope=\"row\">{spot_ref}</th>")), "{first}");
    // Links between the analysis pages carry the choice.
    assert!(r.body.contains("href=\"/analyst/near-repeat?force=west-midlands&amp;area=&amp;month=2025-12\""));

    // Gi* classes: the spot, hot every month, is a persistent hotspot and leads the list.
    let r = c.get(&format!("/analyst/gi-star?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    let leading = &r.body[r.body.find("id=\"cells\"").unwrap()..];
    let row = &leading[leading.find("<tbody>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(&spot_ref) && row.contains("<td>Persistent hotspot</td>"), "{row}");

    // Near repeats of burglary: every 2025 burglary with a place is in the test, and the
    // closest band within a week stands out.
    let r = c.get(&format!("/analyst/near-repeat?{q}&category=Burglary"));
    assert_eq!(r.status, 200, "{}", r.body);
    let burglaries = planted.iter().filter(|p| p.3 == "28E" && p.2.starts_with("2025")).count();
    assert!(
        r.body.contains(&format!("Every pair of the {} crimes with a place", int(burglaries as u64))),
        "{}",
        r.body
    );
    let row = &r.body[r.body.find("<th scope=\"row\">1 to 200 m</th>").expect("the 1 to 200 m row")..];
    let first_cell = &row[..row.find("</td>").unwrap()];
    assert!(first_cell.contains("<strong>▲ "), "the nearest band within a week: {first_cell}");
    // A category without crimes: the test cannot run, and says why.
    let r = c.get(&format!("/analyst/near-repeat?{q}&category=Robbery"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("No near repeat test for the force: 0 events"), "{}", r.body);

    // The patrol list: the spot's busiest hour is Friday 22:00.
    let r = c.get(&format!("/analyst/patrols?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    let at = r.body.find(&format!("<th scope=\"row\">{spot_ref}</th>")).expect("the spot in the patrol list");
    let row = &r.body[at..at + r.body[at..].find("</tr>").unwrap()];
    // The cell's crimes of 2025 (the damage and any burglary that fell in it), and the share
    // of them on Friday nights.
    let cell = |e: i64, n: i64| (e.div_euclid(250), n.div_euclid(250));
    let in_cell: Vec<_> =
        planted.iter().filter(|p| p.2.starts_with("2025") && cell(p.0, p.1) == cell(SPOT.0, SPOT.1)).collect();
    let friday = in_cell.iter().filter(|p| p.3 == "58A").count();
    assert!(row.contains(&format!("<td class=\"num\">{}</td>", in_cell.len())), "{row}");
    let share = pct(friday as f64 / in_cell.len() as f64);
    assert!(row.contains(&format!("<td>Friday 22:00-23:00 ({share})")), "{row}");

    // The backtest, by day recorded: three models, every month with crimes scored.
    let r = c.get(&format!("/analyst/backtest?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("dated the 15th"));
    for model in
        ["Last 12 months' counts", "Kernel density of the last 12 months", "ProMap (prospective, 400 m, 8 weeks)"]
    {
        let row = &r.body[r.body.find(&format!("<th scope=\"row\">{model}</th>")).expect(model)..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(!row.contains("no data"), "{model}: {row}");
    }
    // The planted spot makes every model far better than chance with 1% flagged: the PAI at
    // 1% is the summary row's second number.
    for model in ["Last 12 months' counts", "ProMap (prospective, 400 m, 8 weeks)"] {
        let row = &r.body[r.body.find(&format!("<th scope=\"row\">{model}</th>")).unwrap()..];
        let pai: f64 = row.split("<td class=\"num\">").nth(2).unwrap().split('<').next().unwrap().parse().unwrap();
        assert!(pai > 3.0, "{model}: PAI at 1% {pai}");
    }
    let row = &r.body[r.body.find("<th scope=\"row\">2025-06</th>").unwrap()..];
    let crimes_june = planted.iter().filter(|p| p.2.starts_with("2025-06")).count();
    assert!(row.starts_with(&format!("<th scope=\"row\">2025-06</th><td class=\"num\">{crimes_june}</td>")), "{row}");

    // The hour and weekday table: 2025's crimes by the weekday and hour recorded, counted
    // here from the planted rows (2024-01-01 was a Monday).
    let mut want = [[0u32; 24]; 7];
    for p in planted.iter().filter(|p| p.2.starts_with("2025")) {
        let day = peel_domain::date::Date::parse(&p.2[..10]).unwrap().days_since_epoch() - start_of_2024();
        let hour: usize = p.2[11..13].parse().unwrap();
        want[day.rem_euclid(7) as usize][hour] += 1;
    }
    let r = c.get(&format!("/analyst/hours?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    for (d, name) in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].iter().enumerate() {
        let row = &r.body[r.body.find(&format!("<th scope=\"row\">{name}</th>")).expect(name)..];
        let row = &row[..row.find("</tr>").unwrap()];
        let cells: Vec<u32> = row.split("<td class=\"num").skip(1).map(number_in).collect();
        let mut expected = want[d].to_vec();
        expected.push(want[d].iter().sum());
        assert_eq!(cells, expected, "{name}: {row}");
    }
    let in_2025 = planted.iter().filter(|p| p.2.starts_with("2025")).count();
    // The busiest hour: the first of the largest, Monday 00:00 onwards.
    let (mut best, mut at) = (0, (0, 0));
    for (d, row) in want.iter().enumerate() {
        for (h, &v) in row.iter().enumerate() {
            if v > best {
                (best, at) = (v, (d, h));
            }
        }
    }
    let day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][at.0];
    assert!(
        r.body.contains(&format!(
            "the busiest hour of the week is {day} {:02}:00 to {:02}:59 with {best} ({})",
            at.1,
            at.1,
            pct(best as f64 / in_2025 as f64)
        )),
        "{}",
        r.body
    );
    let friday_night = want[4][22];
    // One crime type: the damage only, all on Friday nights.
    let r = c.get(&format!("/analyst/hours?{q}&category=Criminal+damage+and+arson"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(&format!("with {friday_night} (100.0%)")), "{}", r.body);
    // The one hour with crime is the darkest shade; the 167 without are the lightest.
    assert!(r.body.contains(&format!("<td class=\"num hour-1\">{friday_night}</td>")), "{}", r.body);
    assert_eq!(r.body.matches("hour-1\"").count(), 1, "{}", r.body);
    assert_eq!(r.body.matches("<td class=\"num hour-5\">0</td>").count(), 167, "{}", r.body);

    // Nonsense choices are refused.
    assert_eq!(c.get(&format!("/analyst/density?{q}&category=Weather")).status, 400);
    assert_eq!(c.get(&format!("/analyst/patrols?{q}&measure=colour")).status, 400);
    // Only the roles that own the analysis see it.
    let mut officer = s.client();
    officer.login("officer");
    for page in ["density", "gi-star", "near-repeat", "backtest", "patrols", "hours"] {
        assert_eq!(officer.get(&format!("/analyst/{page}?{q}")).status, 403, "{page}");
    }
}

#[test]
fn pattern_pages_on_police_uk_data_say_what_months_cannot_give() {
    let s = Server::start();
    let july = "police-uk/2017-07-west-yorkshire-street.csv";
    s.import(&["ons/lsoa-2011-to-police-force.csv", "police-uk/2016-07-west-yorkshire-street.csv", july]);
    let mut c = s.client();
    c.login("analyst");
    let q = "force=west-yorkshire&month=2017-07";
    for page in ["near-repeat", "patrols", "hours"] {
        let r = c.get(&format!("/analyst/{page}?{q}"));
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("only police.uk data, which gives each crime's month"), "{page}: {}", r.body);
    }
    // The backtest runs on months, dated the 15th, and the months without data say so.
    let r = c.get(&format!("/analyst/backtest?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("dated the 15th of its month"));
    assert!(r.body.contains("<th scope=\"row\">2017-01</th><td class=\"num\">no data</td>"), "{}", r.body);
    assert!(!r.body.contains("<th scope=\"row\">2017-07</th><td class=\"num\">no data</td>"));

    // Density: the bandwidth is the normal reference rule over July 2017's placed crimes (the
    // only month of the 12 held), worked out here from the file.
    let text = std::fs::read_to_string(shared_data().join(july)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (lon, lat, kind) = (col("Longitude"), col("Latitude"), col("Crime type"));
    let bng = peel_ingest::bng::BritishNationalGrid::new();
    let (mut xs, mut ys) = (vec![], vec![]);
    for line in lines {
        // No field before the crime type holds a comma in these files.
        let f: Vec<&str> = line.split(',').collect();
        if f.len() <= kind || f[kind] == "Anti-social behaviour" {
            continue;
        }
        if let (Ok(a), Ok(b)) = (f[lon].parse::<f64>(), f[lat].parse::<f64>()) {
            let (e, n) = bng.project(a, b).unwrap();
            xs.push(e);
            ys.push(n);
        }
    }
    let n = xs.len() as f64;
    let sd = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / n;
        (v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    };
    let h = (sd(&xs) + sd(&ys)) / 2.0 * n.powf(-1.0 / 6.0);
    let r = c.get(&format!("/analyst/density?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(&format!("bandwidth {} m", int(h.round() as u64))), "h = {h}: {}", r.body);
    let mut per_cell: HashMap<(i64, i64), u32> = HashMap::new();
    for i in 0..xs.len() {
        *per_cell.entry(((xs[i] / 250.0).floor() as i64, (ys[i] / 250.0).floor() as i64)).or_default() += 1;
    }
    assert!(r.body.contains(&format!("{} crimes placed", int(xs.len() as u64))), "{}", r.body);
    // The density map says how many of the 12 months are held.
    assert!(r.body.contains("the 1 of the 12 months held (a month without records is no data)"), "{}", r.body);
    // The densest cell holds crimes (a cell far from any could not be densest).
    let densest = &r.body[r.body.find("id=\"densest\"").unwrap()..];
    let row = &densest[densest.find("<tbody>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    let in_cell: u32 = row.rsplit("<td class=\"num\">").next().unwrap().trim_end_matches("</td>").parse().unwrap();
    assert!(in_cell > 0 && in_cell <= per_cell.values().copied().max().unwrap(), "{row}");
    // Gi*: only July 2017 of the twelve months is held; one month cannot be classed, and the
    // page says so rather than counting the eleven missing months as months without hotspots.
    let r = c.get(&format!("/analyst/gi-star?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("1 period: classes need at least two"), "{}", r.body);
}

/// The pages keep to the area chosen: own crimes placed by postcode in Birmingham (B1) and
/// Coventry (CV1), with the gazetteer of those two districts.
#[test]
fn pattern_pages_keep_to_the_area_chosen() {
    let s = Server::start();
    let rows = s.import_postcode_districts(&["B1", "CV1"]);
    let dir = tempfile::tempdir().unwrap();
    // The ONS lookup names each LSOA's local authority, as `peel import data` brings it.
    s.import(&["ons/lsoa-2011-to-police-force.csv"]);
    let mut store = s.case_store();
    // 2025: a burglary a day at a postcode of each district in turn, a few each month.
    let (b1, cv1): (Vec<&str>, Vec<&str>) = {
        let of = |district: &str| -> Vec<&str> {
            rows.iter().filter(|l| l.starts_with(district)).map(|l| l.split(',').next().unwrap()).collect()
        };
        (of("B1 "), of("CV1 "))
    };
    let start = peel_domain::date::Date::parse("2024-01-01").unwrap();
    let mut lines = vec![];
    let (mut in_coventry, mut cv_postcodes) = (0, std::collections::HashSet::new());
    for day in 0..731 {
        let (postcode, coventry) =
            if day % 3 == 0 { (cv1[day % cv1.len()], true) } else { (b1[day % b1.len()], false) };
        let at = start.add_days(day as i64);
        if coventry && at.year() == 2025 {
            in_coventry += 1;
            cv_postcodes.insert(postcode);
        }
        lines.push(format!("AREA/{day:05},{at}T12:00,,28E,{postcode},,,,30,M,,,"));
    }
    let file = dir.path().join("history.csv");
    std::fs::write(&file, format!("{}\n{}\n", peel_ingest::crimes::COLUMNS.join(","), lines.join("\n"))).unwrap();
    let wmp = peel_domain::Force::find("west-midlands").unwrap().code;
    peel_ingest::import_crimes(&mut *store, &file, wmp, &Default::default(), &mut peel_ingest::NoProgress).unwrap();
    let mut c = s.client();
    c.login("analyst");
    let q = "force=west-midlands&month=2025-12&area=Coventry";
    // Without a choice of crime type, the near repeats of burglary (all of these are).
    let r = c.get(&format!("/analyst/near-repeat?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<p class=\"lead\">Coventry (West Midlands Police)"), "{}", r.body);
    assert!(r.body.contains("Near repeats of crimes (Burglary)"), "{}", r.body);
    assert!(r.body.contains("<option value=\"Burglary\" selected>"), "{}", r.body);
    assert!(r.body.contains(&format!("Every pair of the {} crimes with a place", int(in_coventry))), "{}", r.body);
    let r = c.get(&format!("/analyst/patrols?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<h3>Coventry</h3>") && !r.body.contains("<h3>Birmingham</h3>"), "{}", r.body);
    // The study area is Coventry's postcodes' cells and its crimes' (not the force's): each
    // CV1 postcode's 250 m cell, counted here from the file.
    let cells: std::collections::HashSet<(i64, i64)> = rows
        .iter()
        .filter(|l| l.starts_with("CV1 "))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1].parse::<i64>().unwrap().div_euclid(250), f[2].parse::<i64>().unwrap().div_euclid(250))
        })
        .collect();
    let r = c.get(&format!("/analyst/backtest?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(&format!("of the area's {} cells of 250 m", int(cells.len() as u64))), "{}", r.body);
    assert!(!cv_postcodes.is_empty());
}

/// With the LSOA boundaries imported, the study area is the cells whose centre lies inside the
/// area's LSOAs (and the crimes' cells), and the maps draw the LSOAs: Coventry's cells counted
/// here from the GeoJSON file, each cell centre tested against each polygon by the even-odd
/// rule.
#[test]
fn the_study_area_is_cut_from_the_lsoa_boundaries() {
    let s = Server::start();
    let rows = s.import_postcode_districts(&["CV1"]);
    let boundaries = "geography/lsoa-2011-boundaries-west-midlands-west-yorkshire.geojson";
    s.import(&["ons/lsoa-2011-to-police-force.csv", boundaries]);
    let cv1: Vec<(&str, i64, i64)> = rows
        .iter()
        .filter(|l| l.starts_with("CV1 "))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0], f[1].parse().unwrap(), f[2].parse().unwrap())
        })
        .collect();
    let start = peel_domain::date::Date::parse("2024-01-01").unwrap();
    let lines: Vec<String> = (0..731)
        .step_by(2)
        .map(|day| {
            format!("CUT/{day:05},{}T12:00,,28E,{},,,,30,M,,,", start.add_days(day), cv1[day as usize % cv1.len()].0)
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    std::fs::write(&file, format!("{}\n{}\n", peel_ingest::crimes::COLUMNS.join(","), lines.join("\n"))).unwrap();
    let wmp = peel_domain::Force::find("west-midlands").unwrap().code;
    let mut store = s.case_store();
    peel_ingest::import_crimes(&mut *store, &file, wmp, &Default::default(), &mut peel_ingest::NoProgress).unwrap();

    // Coventry's polygons, on the grid.
    let text = std::fs::read_to_string(shared_data().join(boundaries)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let bng = peel_ingest::bng::BritishNationalGrid::new();
    let mut polygons: Vec<Vec<Vec<(f64, f64)>>> = vec![];
    for f in json["features"].as_array().unwrap() {
        if !f["properties"]["lsoa11_name"].as_str().unwrap().starts_with("Coventry ") {
            continue;
        }
        assert_eq!(f["geometry"]["type"], "Polygon");
        let rings = f["geometry"]["coordinates"].as_array().unwrap();
        polygons.push(
            rings
                .iter()
                .map(|r| {
                    r.as_array()
                        .unwrap()
                        .iter()
                        .map(|p| bng.project(p[0].as_f64().unwrap(), p[1].as_f64().unwrap()).unwrap())
                        .collect()
                })
                .collect(),
        );
    }
    assert!(polygons.len() > 150, "Coventry has about 195 LSOAs: {}", polygons.len());
    let inside = |polygon: &Vec<Vec<(f64, f64)>>, x: f64, y: f64| {
        let mut odd = false;
        for ring in polygon {
            for i in 0..ring.len() {
                let ((x1, y1), (x2, y2)) = (ring[i], ring[(i + ring.len() - 1) % ring.len()]);
                if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                    odd = !odd;
                }
            }
        }
        odd
    };
    let mut cells = std::collections::HashSet::new();
    for polygon in &polygons {
        let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for &(x, y) in &polygon[0] {
            (lo, hi) = ((lo.0.min(x), lo.1.min(y)), (hi.0.max(x), hi.1.max(y)));
        }
        for c in (lo.0 / 250.0) as i64 - 1..=(hi.0 / 250.0) as i64 + 1 {
            for r in (lo.1 / 250.0) as i64 - 1..=(hi.1 / 250.0) as i64 + 1 {
                if inside(polygon, (c as f64 + 0.5) * 250.0, (r as f64 + 0.5) * 250.0) {
                    cells.insert((c, r));
                }
            }
        }
    }
    for day in (0..731).step_by(2) {
        let (_, e, n) = cv1[day % cv1.len()];
        cells.insert((e.div_euclid(250), n.div_euclid(250)));
    }
    // Coventry is about 99 km²: some 1,600 cells of 250 m.
    assert!((1_300..2_000).contains(&cells.len()), "{}", cells.len());

    let mut c = s.client();
    c.login("analyst");
    let q = "force=west-midlands&month=2025-12&area=Coventry";
    let r = c.get(&format!("/analyst/backtest?{q}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(&format!("of the area's {} cells of 250 m", int(cells.len() as u64))), "{}", r.body);
    for page in ["density", "hotspots"] {
        let r = c.get(&format!("/analyst/{page}?{q}"));
        assert_eq!(r.status, 200, "{page}: {}", r.body);
        assert!(r.body.contains("<path class=\"lsoa\" d=\"M"), "{page}: the LSOAs are drawn");
    }
    let r = c.get(&format!("/analyst/density?{q}"));
    assert!(r.body.contains("inside the area's LSOA boundaries"), "{}", r.body);
}
