//! `peel status`: what the store holds.

use anyhow::Result;
use peel_domain::Force;
use peel_store::Store;

pub fn run(store: &dyn Store) -> Result<()> {
    let h = store.holdings()?;
    println!("files imported: {}", h.files);
    println!("LSOAs: {} ({} with ONS population)", h.lsoas, h.lsoas_with_population);
    println!("Home Office recorded crime rows: {}", h.recorded_crime_rows);
    println!("police.uk street-level rows:");
    for f in &h.street {
        let name = Force::by_code(f.force).map_or("?", |f| f.name);
        println!("  {name:<32} {:>10} rows  {} to {}", f.rows, f.first_month, f.last_month);
    }
    Ok(())
}
