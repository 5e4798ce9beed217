//! Fraud victims disseminated to the force by Action Fraud, for the Victim Care Unit's
//! triage queue. Fraud is recorded nationally (Action Fraud, the National Fraud Intelligence
//! Bureau) and sent to the victim's force, where the Economic Crime Victim Care Unit looks
//! after the most vulnerable (seed 002 §8, §63); the monthly generator writes the force's own
//! crime, so these come through the casework service instead, as a dissemination would.
//!
//! The volume and the victims' profiles are Peel's assumptions for a demonstration, not
//! figures from the seeds: [`REPORTS`] disseminations over the last four weeks; a sixth of
//! them romance fraud, a quarter of the victims aged 70 or over, a National Decision Model
//! score drawn evenly from 0 to 35. Triage (peel-domain `victims_code::fraud_triage`) decides
//! who is referred. The unit has called most referrals due more than two working days ago;
//! the rest are on its queue, some overdue, as on a real Monday.

use crate::names::{GIVEN_FEMALE, GIVEN_MALE, SURNAMES};
use crate::rng::Rng;
use peel_casework::{
    fraud_triage, log_contact, record_decision, submit_report, CaseError, ContactInput, DecisionInput,
    FraudTriageInput, ReportInput, VictimOffences,
};
use peel_domain::date::Timestamp;
use peel_domain::victims_code::FraudVictim;
use peel_store::casework::{PersonDetails, PersonRef};
use peel_store::CaseStore;

/// Disseminations over the last 28 days.
pub const REPORTS: usize = 40;
/// The kinds of fraud in the accounts (seed 002 §11: romance fraud a focus; courier and
/// investment fraud and purchase scams the common ones).
const KINDS: [&str; 4] = [
    "Romance fraud: money sent to someone met online",
    "Courier fraud: bank card handed to a caller claiming to be from the bank",
    "Investment fraud: savings moved to a fake trading platform",
    "Purchase scam: paid for goods that never came",
];

/// What the dissemination made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FraudDemo {
    pub crimes: usize,
    pub referred: usize,
    /// Referrals the unit has already met with a call.
    pub contacted: usize,
}

/// Records [`REPORTS`] Action Fraud disseminations dated over the 28 days before `now`,
/// triages each victim, and has the unit call the referrals due more than two days before.
pub fn disseminate(store: &mut dyn CaseStore, now: Timestamp, seed: u64) -> Result<FraudDemo, CaseError> {
    let mut rng = Rng::stream(seed, 0xF4A0D);
    let mut out = FraudDemo::default();
    let today = now.date();
    for i in 0..REPORTS {
        let reported = now.add_minutes(-28 * 24 * 60 + (i as i64 * 28 * 24 * 60) / REPORTS as i64 + 9 * 60);
        let romance = rng.chance(1.0 / 6.0);
        let kind = if romance { KINDS[0] } else { KINDS[1 + rng.below(KINDS.len() - 1)] };
        let age = if rng.chance(0.25) { rng.range(70, 92) } else { rng.range(19, 70) } as u32;
        let female = rng.chance(0.5);
        let given = if female { rng.pick(GIVEN_FEMALE) } else { rng.pick(GIVEN_MALE) };
        let name = format!("{given} {}", rng.pick(SURNAMES));
        let born = today.add_years(-(age as i32)).add_days(-rng.range(1, 360));
        let report = submit_report(
            store,
            &ReportInput {
                channel: "online".into(),
                kind: "crime".into(),
                reported_at: Some(reported.to_string()),
                occurred_at: None,
                reporter: None,
                site: None,
                location: None,
                place: Default::default(),
                account: format!("Action Fraud dissemination. {kind}."),
            },
            "action-fraud",
            reported,
        )?;
        let Some(incident) = report.incident else { continue };
        let decided = reported.add_hours(3);
        let (_, crimes) = record_decision(
            store,
            incident,
            &DecisionInput {
                version: 1,
                decision: "crime".into(),
                victims: vec![VictimOffences {
                    person: PersonRef::New(PersonDetails {
                        name,
                        date_of_birth: Some(born.to_string()),
                        ..Default::default()
                    }),
                    offence_codes: vec!["AF".into()],
                    themes: vec![],
                    flags: vec![],
                    age_at_offence: None,
                    bereaved_close_relative: false,
                }],
                team: Some("Economic Crime Unit".into()),
                officer: None,
            },
            "registrar:demo",
            decided,
        )?;
        out.crimes += crimes.len();
        let Some(crime) = crimes.first() else { continue };
        let person = store.crime(crime.id)?.people[0].person.id;
        let ndm = rng.range(0, 35) as u32;
        let triaged = decided.add_hours(2);
        let victim = FraudVictim { romance_fraud: romance, age: Some(age), ndm_score: Some(ndm) };
        let result = fraud_triage(store, crime.id, &FraudTriageInput { person, victim }, "ecvcu:demo", triaged)?;
        let Some(referral) = result.referral else { continue };
        out.referred += 1;
        let due = referral.due.map(|d| d.date());
        if due.is_some_and(|d| d.add_days(2) < today) && rng.chance(0.85) {
            let at = triaged.add_hours(20);
            log_contact(
                store,
                crime.id,
                &ContactInput {
                    person,
                    method: "phone".into(),
                    at: Some(at.to_string()),
                    notes: "Victim Care Unit call: safeguarding advice, bank protocol explained (synthetic).".into(),
                    meets: vec![referral.id],
                },
                "ecvcu:demo",
                at.add_minutes(5),
            )?;
            out.contacted += 1;
        }
    }
    Ok(out)
}
