//! The police.uk street-level data of each force the analyst pages have asked for, kept in
//! memory, and the figures computed from it.
//!
//! # Why a cache, and when it is reloaded
//!
//! Loading a force's street columns from the store costs about half a second on a force of
//! 1.5 million rows, five times the 100 ms a page may take (issue 4); computing a page's
//! figures from columns already in memory costs milliseconds. So each force's whole history
//! is loaded once into an `Arc` ([`ForceStreets`]) and shared by every page and request,
//! until the store's holdings change.
//!
//! The change is detected with [`Store::holdings`]: for the force, its row count and first
//! and last month; for the geography every force shares, the number of LSOAs and of LSOAs
//! with population (an ONS import). Those are the cheapest figures the `Store` interface
//! offers, but not cheap: `holdings()` counts every street row (about 0.5 s on 1.8 million
//! rows on SQLite). So holdings are checked at most every [`CHECK_EVERY`], and the check runs
//! in the background: a page always answers from what is in memory, and the check, and the
//! reload of any force whose holdings changed, swap in fresh data when they finish. Only the
//! first page after start-up (or for a force not yet asked for) waits for the load.
//!
//! A force's own crimes (`crime_fact`) also carry a count of the changes made to them
//! (`ForceHoldings::changes`: every projection of recorded crimes that wrote a row, every
//! import that stored one), so an outcome, a reallocation or a reclassification, which moves
//! neither the rows nor the months, reaches the pages at the next check after the server's
//! projection (`peel serve --analysis-seconds`, 30 s, plus [`CHECK_EVERY`], plus the reload:
//! under a minute on the million-crime demo force).
//!
//! What the stamp cannot see: a police.uk file imported again with changed rows but the same
//! number of them (police.uk republishing a month with later outcomes). So a force's data is also
//! reloaded, in the background, once it is older than [`MAX_AGE`]; after an import like that
//! the pages are at most that much behind.
//!
//! A force whose first data is imported after the last check is found at the next one, so
//! for up to [`CHECK_EVERY`] its pages still say the store holds nothing for it.
//!
//! Figures computed from a force's data (a board paper, an area's rows) are memoised on the
//! [`ForceStreets`] they came from, so they go when the data is replaced.

use crate::{run, CacheError};
use peel_analytics::{Geography, StreetColumns};
use peel_domain::YearMonth;
use peel_http::AppState;
use peel_store::{ForceHoldings, Holdings};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the store's holdings are checked for a change (in the background).
pub const CHECK_EVERY: Duration = Duration::from_secs(15);
/// A force's data older than this is reloaded (in the background) even if the stamp has not
/// changed.
pub const MAX_AGE: Duration = Duration::from_secs(15 * 60);
/// Forces kept at once (about 26 MB each on a force of 1.5 million rows): a force's own
/// analysts use one, perhaps with its neighbours; the force loaded longest ago makes room.
const MAX_FORCES: usize = 8;
/// Memoised figures kept per force before the oldest are dropped: each is at most a board
/// paper's worth of numbers, and an analyst moves between a handful of areas and months.
const MEMO_LIMIT: usize = 64;

/// What the store holds, as last checked.
#[derive(Debug, Clone, Default)]
pub struct Held {
    pub street: Vec<ForceHoldings>,
    pub lsoas: u64,
    pub lsoas_with_population: u64,
}

impl Held {
    fn of(h: Holdings) -> Held {
        // A force's own crimes are what the store loads for it when it holds any
        // (`Store::load_street_between`), so they, not its police.uk rows, make its stamp.
        let own: Vec<u16> = h.crime_facts.iter().map(|f| f.force).collect();
        let mut street = h.crime_facts;
        street.extend(h.street.into_iter().filter(|s| !own.contains(&s.force)));
        Held { street, lsoas: h.lsoas, lsoas_with_population: h.lsoas_with_population }
    }

    pub fn force(&self, code: u16) -> Option<&ForceHoldings> {
        self.street.iter().find(|h| h.force == code)
    }

    /// The stamp a force's data must carry to be current; `None` if nothing is held for it.
    pub fn stamp(&self, code: u16) -> Option<Stamp> {
        self.force(code).map(|h| Stamp {
            rows: h.rows,
            first_month: h.first_month,
            last_month: h.last_month,
            changes: h.changes,
            lsoas: self.lsoas,
            lsoas_with_population: self.lsoas_with_population,
        })
    }
}

/// The holdings a force's loaded data was read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub rows: u64,
    pub first_month: YearMonth,
    pub last_month: YearMonth,
    /// The changes counted to a force's own crimes (see `ForceHoldings::changes`).
    pub changes: u64,
    pub lsoas: u64,
    pub lsoas_with_population: u64,
}

/// Street data of one force, or of one local authority in it.
pub struct Scoped {
    /// Every month held, sorted by month.
    pub cols: StreetColumns,
    pub geo: Geography,
}

/// One force's whole history as loaded, with what has been computed from it.
pub struct ForceStreets {
    pub force: u16,
    pub stamp: Stamp,
    pub whole: Arc<Scoped>,
    /// The local authorities the figures can be restricted to (`peel_analytics::scope`).
    pub local_authorities: Vec<String>,
    pub loaded_at: Instant,
    /// How long the load took (shown to the analyst: it is what every page would cost
    /// without the cache).
    pub load_ms: u128,
    memo: Mutex<Vec<(String, Arc<dyn Any + Send + Sync>)>>,
}

impl ForceStreets {
    fn new(force: u16, stamp: Stamp, mut cols: StreetColumns, geo: Geography, load_ms: u128) -> ForceStreets {
        sort_by_month(&mut cols);
        let local_authorities = peel_analytics::scope::local_authorities(&cols, &geo);
        ForceStreets {
            force,
            stamp,
            whole: Arc::new(Scoped { cols, geo }),
            local_authorities,
            loaded_at: Instant::now(),
            load_ms,
            memo: Mutex::new(Vec::new()),
        }
    }

    /// `compute` once per `key` for this data: later calls get the same `Arc`. `T` must be
    /// the same type for the same key.
    pub fn memo<T: Any + Send + Sync>(&self, key: &str, compute: impl FnOnce() -> T) -> Arc<T> {
        if let Some(v) = self.lookup::<T>(key) {
            return v;
        }
        // Computed outside the lock: two requests may both compute it the first time, which
        // costs less than making every other figure of the force wait behind one.
        let value = Arc::new(compute());
        let mut memo = self.memo.lock().expect("memo lock");
        if memo.len() >= MEMO_LIMIT {
            memo.remove(0);
        }
        memo.push((key.to_string(), value.clone() as Arc<dyn Any + Send + Sync>));
        value
    }

    /// What [`ForceStreets::memo`] holds under `key`, if it has been computed.
    pub fn memoised<T: Any + Send + Sync>(&self, key: &str) -> Option<Arc<T>> {
        self.lookup(key)
    }

    fn lookup<T: Any + Send + Sync>(&self, key: &str) -> Option<Arc<T>> {
        let memo = self.memo.lock().expect("memo lock");
        memo.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.clone().downcast::<T>().ok())
    }

    /// The whole force, or one of its local authorities (`None` if it is not one of
    /// [`ForceStreets::local_authorities`]).
    pub fn scoped(&self, local_authority: Option<&str>) -> Option<Arc<Scoped>> {
        match local_authority {
            None => Some(self.whole.clone()),
            Some(la) if self.local_authorities.iter().any(|x| x == la) => {
                Some(self.memo(&format!("scope:{la}"), || {
                    let (cols, geo) = peel_analytics::scope::local_authority(&self.whole.cols, &self.whole.geo, la);
                    Scoped { cols, geo }
                }))
            }
            Some(_) => None,
        }
    }
}

/// Sorts the rows by month (the store returns them in that order already: then this is one
/// pass to check), so that a run of months is a contiguous range of rows.
fn sort_by_month(cols: &mut StreetColumns) {
    if cols.month.is_sorted() {
        return;
    }
    let mut order: Vec<u32> = (0..cols.len() as u32).collect();
    order.sort_by_key(|&i| cols.month[i as usize]);
    fn permute<T: Copy>(v: &mut Vec<T>, order: &[u32]) {
        *v = order.iter().map(|&i| v[i as usize]).collect();
    }
    permute(&mut cols.month, &order);
    permute(&mut cols.category, &order);
    permute(&mut cols.lsoa, &order);
    permute(&mut cols.point, &order);
    permute(&mut cols.outcome, &order);
    if !cols.harm.is_empty() {
        permute(&mut cols.harm, &order);
    }
}

#[derive(Default)]
struct Inner {
    held: Option<Arc<Held>>,
    checked_at: Option<Instant>,
    checking: bool,
    forces: HashMap<u16, Arc<ForceStreets>>,
}

/// The cache: one per application (peel-web's `WebState::streets`).
pub struct StreetCache {
    check_every: Duration,
    max_age: Duration,
    inner: Mutex<Inner>,
    /// Held while a force is loaded in the foreground, so that pages arriving together for
    /// a cold force load it once.
    loading: Mutex<()>,
}

impl Default for StreetCache {
    fn default() -> Self {
        StreetCache::new(CHECK_EVERY, MAX_AGE)
    }
}

impl StreetCache {
    pub fn new(check_every: Duration, max_age: Duration) -> StreetCache {
        StreetCache { check_every, max_age, inner: Mutex::default(), loading: Mutex::new(()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("street cache lock")
    }

    /// What the store holds: as last checked, starting a background check when that was
    /// longer ago than the check interval; read in the foreground only the first time.
    pub async fn held(self: &Arc<Self>, api: &AppState) -> Result<Arc<Held>, CacheError> {
        let start_check = {
            let mut inner = self.lock();
            match (inner.held.clone(), inner.checked_at) {
                (Some(h), Some(at)) => {
                    let due = at.elapsed() >= self.check_every && !inner.checking;
                    if due {
                        inner.checking = true;
                    }
                    Some((h, due))
                }
                _ => None,
            }
        };
        match start_check {
            Some((held, due)) => {
                if due {
                    let cache = self.clone();
                    let api = api.clone();
                    tokio::spawn(async move { cache.refresh(&api).await });
                }
                Ok(held)
            }
            None => {
                let held = Arc::new(run(api, |store, _| Ok(Held::of(store.holdings()?))).await?);
                let mut inner = self.lock();
                inner.held = Some(held.clone());
                inner.checked_at = Some(Instant::now());
                Ok(held)
            }
        }
    }

    /// A force's street data, loaded on first use; `None` if the store holds none for it.
    pub async fn force(self: &Arc<Self>, api: &AppState, code: u16) -> Result<Option<Arc<ForceStreets>>, CacheError> {
        let held = self.held(api).await?;
        if let Some(f) = self.lock().forces.get(&code) {
            // Current, or about to be replaced by the background check: either way answer now.
            return Ok(Some(f.clone()));
        }
        let Some(stamp) = held.stamp(code) else { return Ok(None) };
        let cache = self.clone();
        let f = run(api, move |store, _| {
            let _loading = cache.loading.lock().expect("street cache load lock");
            if let Some(f) = cache.lock().forces.get(&code) {
                return Ok(f.clone());
            }
            let f = Arc::new(load_now(store, code, stamp)?);
            let mut inner = cache.lock();
            if inner.forces.len() >= MAX_FORCES {
                let oldest = inner.forces.values().min_by_key(|f| f.loaded_at).map(|f| f.force);
                if let Some(old) = oldest {
                    inner.forces.remove(&old);
                }
            }
            inner.forces.insert(code, f.clone());
            Ok(f)
        })
        .await?;
        Ok(Some(f))
    }

    /// Checks the holdings again and reloads every cached force whose stamp changed or whose
    /// data is older than the maximum age, then swaps the new data in.
    async fn refresh(self: &Arc<Self>, api: &AppState) {
        let result = self.refresh_inner(api).await;
        let mut inner = self.lock();
        inner.checking = false;
        inner.checked_at = Some(Instant::now());
        if let Err(e) = result {
            tracing::warn!(error = %e, "street cache: checking the store's holdings failed");
        }
    }

    async fn refresh_inner(self: &Arc<Self>, api: &AppState) -> Result<(), CacheError> {
        let held = Arc::new(run(api, |store, _| Ok(Held::of(store.holdings()?))).await?);
        let cached: Vec<Arc<ForceStreets>> = self.lock().forces.values().cloned().collect();
        let mut fresh = Vec::new();
        let mut gone = Vec::new();
        for f in cached {
            match held.stamp(f.force) {
                None => gone.push(f.force),
                Some(stamp) if stamp != f.stamp || f.loaded_at.elapsed() >= self.max_age => {
                    fresh.push(Arc::new(load(api, f.force, stamp).await?))
                }
                Some(_) => {}
            }
        }
        let mut inner = self.lock();
        inner.held = Some(held);
        for code in gone {
            inner.forces.remove(&code);
        }
        for f in fresh {
            inner.forces.insert(f.force, f);
        }
        Ok(())
    }
}

async fn load(api: &AppState, code: u16, stamp: Stamp) -> Result<ForceStreets, CacheError> {
    run(api, move |store, _| load_now(store, code, stamp)).await
}

fn load_now(store: &mut dyn peel_http::CaseStore, code: u16, stamp: Stamp) -> Result<ForceStreets, CacheError> {
    let started = Instant::now();
    let (cols, geo) = store.load_street(code)?;
    Ok(ForceStreets::new(code, stamp, cols, geo, started.elapsed().as_millis()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use peel_analytics::NONE;
    use peel_domain::Category;

    fn stamp() -> Stamp {
        let m = YearMonth::parse("2017-07").unwrap();
        Stamp { rows: 3, first_month: m, last_month: m, changes: 0, lsoas: 0, lsoas_with_population: 0 }
    }

    #[test]
    fn rows_are_sorted_by_month_with_every_column_kept_in_step() {
        let m = YearMonth::parse("2017-07").unwrap();
        let mut c = StreetColumns::default();
        c.push(m, Category::Burglary, 7, 70, NONE);
        c.push(m.plus(-2), Category::Robbery, 5, 50, 0);
        c.push(m.plus(-1), Category::Drugs, 6, 60, NONE);
        // The force's own crimes carry each crime's harm: it moves with its row.
        c.harm = vec![273.5, 365.0, 3.0];
        let geo = Geography { lsoas: vec![Default::default(); 8], points: vec![] };
        let f = ForceStreets::new(42, stamp(), c, geo, 0);
        let c = &f.whole.cols;
        assert_eq!(c.month, vec![m.plus(-2).index(), m.plus(-1).index(), m.index()]);
        assert_eq!(c.lsoa, vec![5, 6, 7]);
        assert_eq!(c.point, vec![50, 60, 70]);
        assert_eq!(c.category, vec![Category::Robbery.code(), Category::Drugs.code(), Category::Burglary.code()]);
        assert_eq!(c.outcome, vec![0, NONE, NONE]);
        assert_eq!(c.harm, vec![365.0, 3.0, 273.5]);
    }

    #[test]
    fn memo_computes_once_per_key_and_forgets_the_oldest() {
        let f = ForceStreets::new(42, stamp(), StreetColumns::default(), Geography::default(), 0);
        let mut calls = 0;
        let a = f.memo("a", || {
            calls += 1;
            1u32
        });
        let again = f.memo("a", || {
            calls += 1;
            2u32
        });
        assert_eq!((*a, *again, calls), (1, 1, 1));
        for k in 0..MEMO_LIMIT {
            f.memo(&format!("k{k}"), || k);
        }
        assert_eq!(*f.memo("a", || 3u32), 3, "the oldest key was dropped");
        assert!(f.scoped(Some("Nowhere")).is_none());
        assert!(Arc::ptr_eq(&f.scoped(None).unwrap(), &f.whole));
    }

    /// A store with `months` months of one burglary each for West Yorkshire (force 42).
    fn add_months(db: &std::path::Path, months: std::ops::Range<i32>) {
        use peel_store::{RecordKey, SnapPoint, Store, StreetBatch, StreetRecord};
        let mut store = peel_store::SqliteStore::open(db).unwrap();
        let last = YearMonth::parse("2017-07").unwrap();
        let rows = months
            .map(|k| StreetRecord {
                line: k as u32 + 2,
                key: RecordKey::from_crime_id(&format!("burglary-{k}")),
                month: last.plus(-k),
                force: 42,
                reported_by: 42,
                category: Category::Burglary,
                lsoa: 0,
                point: 0,
                outcome: NONE,
            })
            .collect();
        let batch = StreetBatch {
            file_name: "synthetic.csv".into(),
            refused: 0,
            lsoas: vec![("E01011111".into(), "Leeds 001A".into())],
            points: vec![SnapPoint {
                longitude: -1.55,
                latitude: 53.8,
                location: "On or near Park Row".into(),
                easting: 429_800.0,
                northing: 433_600.0,
            }],
            outcomes: vec![],
            rows,
        };
        store.save_street_batch(&batch).unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn data_is_reused_until_the_holdings_change() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("peel.db");
        add_months(&db, 0..3);
        let path = db.clone();
        let pool = peel_http::Pool::new(2, move || {
            Ok(Box::new(peel_store::SqliteStore::open(&path)?) as Box<dyn peel_http::CaseStore + Send>)
        })
        .unwrap();
        let api = peel_http::AppState::new(pool);
        let cache = Arc::new(StreetCache::new(Duration::from_secs(3600), MAX_AGE));
        let first = cache.force(&api, 42).await.unwrap().unwrap();
        assert_eq!(first.whole.cols.len(), 3);
        assert!(cache.force(&api, 41).await.unwrap().is_none(), "nothing held for force 41");
        // Unchanged holdings: the same data, however often it is checked.
        cache.refresh(&api).await;
        assert!(Arc::ptr_eq(&first, &cache.force(&api, 42).await.unwrap().unwrap()));
        // Two more months imported: the check reloads the force.
        add_months(&db, 3..5);
        assert!(Arc::ptr_eq(&first, &cache.force(&api, 42).await.unwrap().unwrap()), "not checked yet");
        cache.refresh(&api).await;
        let second = cache.force(&api, 42).await.unwrap().unwrap();
        assert_eq!(second.whole.cols.len(), 5);
        assert_eq!(second.stamp.first_month, YearMonth::parse("2017-03").unwrap());
        assert_eq!(cache.held(&api).await.unwrap().force(42).unwrap().rows, 5);
    }

    #[test]
    fn the_stamp_changes_with_the_forces_rows_its_changes_or_the_geography() {
        let m = YearMonth::parse("2017-07").unwrap();
        let held = |rows, changes, lsoas| Held {
            street: vec![ForceHoldings { force: 42, rows, first_month: m, last_month: m, changes }],
            lsoas,
            lsoas_with_population: 0,
        };
        assert_eq!(held(3, 0, 0).stamp(42), Some(stamp()));
        assert_ne!(held(4, 0, 0).stamp(42), Some(stamp()));
        // An outcome given: the same rows and months, one change more.
        assert_ne!(held(3, 1, 0).stamp(42), Some(stamp()));
        assert_ne!(held(3, 0, 10).stamp(42), Some(stamp()));
        assert_eq!(held(3, 0, 0).stamp(41), None);
    }
}
