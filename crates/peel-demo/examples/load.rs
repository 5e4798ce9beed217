fn main() {
    let n: i32 = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(6);
    let path = std::env::args().nth(2).unwrap_or("/tmp/peel-demo-load.db".into());
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(format!("{path}-wal"));
    let as_of = peel_domain::date::Timestamp::parse("2026-11-23T05:00").unwrap();
    let mut store = peel_store::SqliteStore::open(std::path::Path::new(&path)).unwrap();
    let months = peel_demo::months_ending(peel_domain::YearMonth { year: 2026, month: 10 }, n as u32);
    let t = std::time::Instant::now();
    let (tx, rx) = std::sync::mpsc::sync_channel(2);
    std::thread::spawn(move || for m in months { tx.send(peel_demo::generate_month(1, m, as_of)).unwrap(); });
    let mut crimes = 0; let mut rows = 0; let mut wt = 0.0;
    for b in rx {
        let w = std::time::Instant::now();
        let r = store.load_casework_bulk(&b).unwrap();
        wt += w.elapsed().as_secs_f64();
        crimes += r.crimes; rows += r.rows();
    }
    let s = t.elapsed().as_secs_f64();
    println!("{crimes} crimes {rows} rows in {s:.2}s (writing {wt:.2}s): {:.0} crimes/s {:.0} rows/s", crimes as f64 / s, rows as f64 / s);
}
