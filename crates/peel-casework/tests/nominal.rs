//! The nominal index (issue 10 §1) on both stores: other names, addresses, phone and markers;
//! possible duplicates found as people are entered and by a sweep, each with its reasons;
//! merges that join two records for every reader and undo exactly.

use peel_domain::date::{Date, Timestamp};
use peel_domain::name_search::NameQuery;
use peel_store::casework::*;
use peel_store::nominal::*;
use peel_store::{CaseStore, StoreError};

#[macro_use]
mod support;

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

/// Records a crime (offence 105A, common assault) with a new victim; returns (crime, person).
fn crime_with_victim(s: &mut dyn CaseStore, name: &str, dob: Option<&str>, team: &str) -> (i64, i64) {
    let report = s
        .create_report(&NewReport {
            channel: "101".into(),
            kind: "crime".into(),
            reported_at: at("2026-11-23T09:00"),
            occurred_at: None,
            reporter: None,
            site: None,
            location: None,
            place: Default::default(),
            account: "Pushed over in the street.".into(),
            created_by: "cst:lee".into(),
            decision_due: Some(at("2026-11-24T09:00")),
        })
        .unwrap();
    let crime = NewCrime {
        victim: PersonRef::New(PersonDetails {
            name: name.into(),
            date_of_birth: dob.map(Into::into),
            ..Default::default()
        }),
        offence_code: "105A".into(),
        flags: vec![],
        team: Some(team.into()),
        officer: None,
        enhanced: false,
        enhanced_reasons: vec![],
        obligations: vec![],
    };
    let decision = Decision { status: "crime".into(), crimes: vec![crime] };
    let (_, crimes) =
        s.decide(report.incident.unwrap(), 1, &decision, "registrar:sam", at("2026-11-23T10:00")).unwrap();
    let file = s.crime(crimes[0].id).unwrap();
    (crimes[0].id, file.people[0].person.id)
}

fn found(s: &dyn CaseStore, q: &str) -> Vec<i64> {
    let mut ids: Vec<i64> =
        s.find_people(&NameQuery::parse(q).unwrap(), &Reach::force(), 50).unwrap().iter().map(|p| p.id).collect();
    ids.sort();
    ids
}

on_every_store! {
    fn a_misspelt_victim_entered_again_is_a_possible_duplicate_with_its_reasons(s) {
        let (_, first) = crime_with_victim(&mut s, "Jordan Smith", Some("1990-03-04"), "Birmingham East CID");
        let (_, again) = crime_with_victim(&mut s, "Jordon Smyth", Some("1990-03-04"), "Birmingham East CID");
        // Same name, another date of birth: two people, not on the list.
        let (_, other) = crime_with_victim(&mut s, "Jordan Smith", Some("1971-11-30"), "Birmingham East CID");
        let (list, total) = s.possible_duplicates(25, 0).unwrap();
        assert_eq!(total, 1, "{list:?}");
        let pair = &list[0];
        assert_eq!((pair.low.id, pair.high.id), (first, again));
        assert_eq!(pair.score, 80);
        assert_eq!(pair.reasons, ["names sound alike (+40)", "same date of birth (+40)"]);
        assert_eq!((pair.low.crimes, pair.high.crimes), (1, 1));
        assert!(s.duplicates_of(other).unwrap().is_empty());
        assert_eq!(s.duplicates_of(again).unwrap().len(), 1);
        // A sweep finds the same pair and adds nothing new.
        let swept = s.sweep_duplicates(at("2026-11-24T08:00")).unwrap();
        assert_eq!(swept, SweepReport { people: 3, found: 1, added: 0 });
    }

    fn a_shared_address_makes_a_possible_duplicate_of_a_name_alone(s) {
        let (_, a) = crime_with_victim(&mut s, "Casey Example", None, "Sandwell CID");
        let (_, b) = crime_with_victim(&mut s, "Casey Example", None, "Sandwell CID");
        assert_eq!(s.possible_duplicates(25, 0).unwrap().1, 0, "a name alone is not enough");
        s.add_address(a, "b9 5ss", Some("1 Example Road"), "pc:morgan", at("2026-11-24T09:00")).unwrap();
        assert_eq!(s.possible_duplicates(25, 0).unwrap().1, 0);
        s.add_address(b, "B95SS", None, "pc:morgan", at("2026-11-24T09:05")).unwrap();
        let (list, total) = s.possible_duplicates(25, 0).unwrap();
        assert_eq!(total, 1);
        assert_eq!(list[0].score, 70);
        assert_eq!(list[0].reasons[1], "both at B9 5SS (+20)");
        assert_eq!(list[0].low.postcodes, ["B9 5SS"]);
        // Two people after all: off the list, and a sweep does not put them back.
        let decided = s.mark_distinct(list[0].id, "registrar:sam", at("2026-11-24T10:00")).unwrap();
        assert_eq!(decided.status, "distinct");
        assert_eq!(s.possible_duplicates(25, 0).unwrap().1, 0);
        assert_eq!(s.sweep_duplicates(at("2026-11-25T08:00")).unwrap().added, 0);
        assert_eq!(s.possible_duplicates(25, 0).unwrap().1, 0);
        assert!(matches!(s.mark_distinct(list[0].id, "registrar:sam", at("2026-11-24T10:01")), Err(StoreError::Refused(_))));
    }

    fn a_merge_joins_two_records_for_every_reader_and_its_undo_restores_them(s) {
        let (crime_a, kept) = crime_with_victim(&mut s, "Jordan Smith", Some("1990-03-04"), "Birmingham East CID");
        let (crime_b, merged) = crime_with_victim(&mut s, "Jordon Smyth", Some("1990-03-04"), "Sandwell CID");
        let pair = s.possible_duplicates(25, 0).unwrap().0[0].id;
        let m = s.merge_people(kept, merged, "Same person: date of birth and address confirmed by phone", "registrar:sam", at("2026-11-24T09:00")).unwrap();
        assert_eq!((m.kept_name.as_str(), m.merged_name.as_str()), ("Jordan Smith", "Jordon Smyth"));
        // The kept record answers for both: crimes, the other name, the search.
        let reach = Reach::force();
        let (crimes, total) = s.find_crimes(&CrimeMatch::Person(kept), &reach, 25, 0).unwrap();
        assert_eq!(total, 2);
        let mut ids: Vec<i64> = crimes.iter().map(|(c, _)| c.id).collect();
        ids.sort();
        assert_eq!(ids, [crime_a, crime_b]);
        let record = s.nominal(kept).unwrap();
        assert_eq!(record.aliases.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Jordon Smyth"]);
        assert_eq!(record.merged_here().count(), 1);
        assert_eq!(found(&s, "jordon smyth"), [kept], "the merged record is found as the one kept");
        let hit = s.find_people(&NameQuery::parse("jordan smith").unwrap(), &reach, 50).unwrap();
        assert_eq!(hit.len(), 1);
        assert_eq!(hit[0].crimes, 2);
        // An officer of the Sandwell team reaches the kept person through the merged record's crime.
        let sandwell = Reach { officer: None, team: Some("Sandwell CID".into()) };
        assert_eq!(s.find_crimes(&CrimeMatch::Person(kept), &sandwell, 25, 0).unwrap().1, 1);
        assert_eq!(s.nominal(merged).unwrap().merged_into, Some(kept));
        assert_eq!(s.possible_duplicates(25, 0).unwrap().1, 0, "decided by the merge");
        assert_eq!(s.possible_duplicate(pair).unwrap().status, "merged");
        // Refusals: merging again, merging into the merged record, changing it.
        assert!(matches!(s.merge_people(kept, merged, "again", "registrar:sam", at("2026-11-24T09:01")), Err(StoreError::Refused(_))));
        assert!(matches!(s.merge_people(merged, kept, "back", "registrar:sam", at("2026-11-24T09:01")), Err(StoreError::Refused(_))));
        assert!(matches!(s.add_alias(merged, "J Smyth", "pc:morgan", at("2026-11-24T09:02")), Err(StoreError::Refused(_))));
        assert!(matches!(s.merge_people(kept, kept, "self", "registrar:sam", at("2026-11-24T09:01")), Err(StoreError::Refused(_))));
        assert!(matches!(s.merge_people(kept, merged, " ", "registrar:sam", at("2026-11-24T09:01")), Err(StoreError::Invalid(_))));

        // Undone: two records again, exactly as before, and the pair back for decision.
        let undone = s.undo_merge(m.id, "Different people: confirmed with the victim", "registrar:sam", at("2026-11-24T11:00")).unwrap();
        assert_eq!(undone.undone_by.as_deref(), Some("registrar:sam"));
        assert_eq!(s.find_crimes(&CrimeMatch::Person(kept), &reach, 25, 0).unwrap().1, 1);
        assert_eq!(s.find_crimes(&CrimeMatch::Person(merged), &reach, 25, 0).unwrap().1, 1);
        assert!(s.nominal(kept).unwrap().aliases.is_empty());
        assert_eq!(s.nominal(merged).unwrap().merged_into, None);
        assert_eq!(found(&s, "jordon smyth"), [kept, merged]);
        assert_eq!(s.possible_duplicates(25, 0).unwrap().1, 1);
        assert!(matches!(s.undo_merge(m.id, "twice", "registrar:sam", at("2026-11-24T11:01")), Err(StoreError::Refused(_))));
        // Both merges and the undo are in both people's trails.
        let actions = |id: i64| s.audit_trail("person", id).unwrap().into_iter().map(|e| e.action).collect::<Vec<_>>();
        assert!(actions(kept).contains(&"merge-keep".to_string()), "{:?}", actions(kept));
        assert!(actions(kept).contains(&"merge-undo".to_string()));
        assert!(actions(merged).contains(&"merge-into".to_string()));
        assert_eq!(s.nominal(kept).unwrap().merges.len(), 1);
    }

    fn aliases_addresses_phone_and_markers_are_kept_checked_and_audited(s) {
        let (_, p) = crime_with_victim(&mut s, "Morgan Example", Some("1985-07-01"), "Walsall CID");
        s.add_alias(p, "Mo Sample", "pc:morgan", at("2026-11-24T09:00")).unwrap();
        assert_eq!(found(&s, "mo sample"), [p], "an alias is searched");
        s.set_phone(p, Some("0121 496 0000"), "pc:morgan", at("2026-11-24T09:01")).unwrap();
        assert!(matches!(s.set_phone(p, Some("call me"), "pc:morgan", at("2026-11-24T09:01")), Err(StoreError::Invalid(e)) if e.starts_with("phone:")));
        assert!(matches!(s.add_address(p, "not a postcode", None, "pc:morgan", at("2026-11-24T09:01")), Err(StoreError::Invalid(e)) if e.starts_with("postcode:")));
        let marker = NewMarker {
            kind: "weapons".into(),
            noted_on: Date::parse("2026-11-24").unwrap(),
            review_due: Date::parse("2027-11-24").unwrap(),
            note: Some("Carried a knife when arrested in 2025".into()),
        };
        let m = s.add_marker(p, &marker, "pc:morgan", at("2026-11-24T09:02")).unwrap();
        let bad = NewMarker { kind: "armed".into(), ..marker.clone() };
        assert!(matches!(s.add_marker(p, &bad, "pc:morgan", at("2026-11-24T09:02")), Err(StoreError::Invalid(e)) if e.starts_with("kind:")));
        let backwards = NewMarker { review_due: Date::parse("2026-01-01").unwrap(), ..marker.clone() };
        assert!(matches!(s.add_marker(p, &backwards, "pc:morgan", at("2026-11-24T09:02")), Err(StoreError::Invalid(e)) if e.starts_with("review_due:")));
        let record = s.nominal(p).unwrap();
        assert_eq!(record.phone.as_deref(), Some("0121 496 0000"));
        assert_eq!(record.markers.len(), 1);
        assert_eq!(record.markers[0].details, marker);
        s.end_marker(p, m.id, "pc:morgan", at("2026-11-25T09:00")).unwrap();
        assert!(s.nominal(p).unwrap().markers[0].ended_at.is_some());
        assert!(matches!(s.end_marker(p, m.id, "pc:morgan", at("2026-11-25T09:00")), Err(StoreError::Refused(_))));
        let actions: Vec<String> = s.audit_trail("person", p).unwrap().into_iter().map(|e| e.action).collect();
        for a in ["add-alias", "set-phone", "add-marker", "end-marker"] {
            assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
        }
    }

    fn a_merged_record_counts_with_the_kept_for_repeat_victims(s) {
        let (_, kept) = crime_with_victim(&mut s, "Jordan Smith", Some("1990-03-04"), "Sandwell CID");
        let (second, _) = crime_with_victim(&mut s, "Jordon Smyth", Some("1990-03-04"), "Sandwell CID");
        let merged = s.crime(second).unwrap().people[0].person.id;
        let (third, _) = crime_with_victim(&mut s, "Jordan Smyth", Some("1990-03-04"), "Sandwell CID");
        let also = s.crime(third).unwrap().people[0].person.id;
        assert_eq!(s.victim_crime_dates(kept).unwrap().len(), 1);
        s.merge_people(kept, merged, "Same person", "registrar:sam", at("2026-11-24T09:00")).unwrap();
        s.merge_people(kept, also, "Same person", "registrar:sam", at("2026-11-24T09:01")).unwrap();
        // Three crimes as one person's, whichever record is asked about.
        assert_eq!(s.victim_crime_dates(kept).unwrap().len(), 3);
        assert_eq!(s.victim_crime_dates(merged).unwrap().len(), 3);
        let day = Date::parse("2026-11-23").unwrap();
        assert_eq!(s.victim_crime_counts(day, day, &[kept, also]).unwrap(), [(kept, 3), (also, 3)]);
        let repeat = s.open_crime_repeat_victims(day, day, &Scope::team("Sandwell CID"), 3).unwrap();
        assert_eq!(repeat.len(), 3, "each record of the person, on its own open crime: {repeat:?}");
        assert!(repeat.iter().all(|(_, n)| *n == 3));
        // Undoing one merge leaves the other's name found as the person kept.
        let first = s.nominal(kept).unwrap().merges.into_iter().find(|m| m.merged == merged).unwrap();
        s.undo_merge(first.id, "Two people", "registrar:sam", at("2026-11-24T10:00")).unwrap();
        assert_eq!(found(&s, "jordan smyth"), [kept, merged], "the other merge's name still finds the person kept");
        assert_eq!(s.victim_crime_dates(kept).unwrap().len(), 2);
    }
}
