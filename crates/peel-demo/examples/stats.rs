fn main() {
    let as_of = peel_domain::date::Timestamp::parse("2030-01-01T00:00").unwrap();
    let m = peel_domain::YearMonth { year: 2024, month: 9 };
    let t = std::time::Instant::now();
    let b = peel_demo::generate_month(1, m, as_of);
    println!("gen {:?}", t.elapsed());
    let c = &b.crimes;
    println!("crimes {} reports {} incidents {} people {} suspects {} contacts {} evidence {} events {}", c.incident.len(), b.reports.channel.len(), b.incidents.report.len(), b.people.name.len(), b.suspects.crime.len(), b.contacts.crime.len(), b.evidence.crime.len(), b.events.crime.len());
    let da = c.flags.iter().filter(|f| f.iter().any(|x| x == "domestic-abuse")).count();
    println!("da {da}");
    let burg: Vec<usize> = (0..c.incident.len()).filter(|&i| { let g = peel_demo::force::OFFENCE_MIX.iter().find(|o| o.0 == c.offence_code[i]).unwrap().2; g.is_burglary() }).collect();
    let pos = burg.iter().filter(|&&i| c.outcome[i].as_deref().map_or(false, |o| peel_domain::outcome::outcome_type(o).unwrap().group.is_positive())).count();
    println!("burglary {} positive {} rate {:.3}", burg.len(), pos, pos as f64 / burg.len() as f64);
    let allpos = (0..c.incident.len()).filter(|&i| c.outcome[i].as_deref().map_or(false, |o| peel_domain::outcome::outcome_type(o).unwrap().group.is_positive())).count();
    println!("all positive rate {:.3}", allpos as f64 / c.incident.len() as f64);
    let surveys: Vec<&String> = b.contacts.notes.iter().filter(|n| n.starts_with("Victim satisfaction")).collect();
    let sat = surveys.iter().filter(|n| n.ends_with(", satisfied.")).count();
    println!("surveys {} satisfied {:.3}", surveys.len(), sat as f64 / surveys.len() as f64);
    let enh = c.enhanced.iter().filter(|e| **e).count();
    println!("enhanced {:.3}", enh as f64 / c.incident.len() as f64);
    for i in 0..3 { println!("{:?} | {} | {:?} | {:?}", b.reports.location[i], b.reports.account[i], b.reports.channel[i], b.reports.kind[i]); }
    for i in 0..5 { println!("{} {:?} {:?} {:?}", c.offence_code[i], c.team[i], c.officer[i], c.outcome[i]); }
    for i in 0..5 { println!("{} {:?} {:?}", b.people.name[i], b.people.date_of_birth[i], b.people.ethnicity[i]); }
    let mut statuses = std::collections::BTreeMap::new();
    for s in &b.incidents.status { *statuses.entry(s.clone()).or_insert(0) += 1; }
    println!("{statuses:?}");
}
