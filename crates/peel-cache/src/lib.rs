//! What Peel keeps in memory for its pages, apart from the pages themselves, and refreshes in
//! the background:
//!
//! - [`summary`]: the dashboards' twelve-month figures (Victims' Code compliance, positive
//!   outcome rates), computed at start-up and again when older than their maximum age;
//! - [`street`]: police.uk street data per force, in column form, for the analyst pages,
//!   reloaded when the store's holdings change.
//!
//! Both run their store work on blocking threads with a store from the API's pool
//! ([`run`]), at the application's clock.

pub mod street;
pub mod summary;

use peel_domain::date::Timestamp;
use peel_http::{AppState, CaseStore};
use peel_store::StoreError;

/// Why a cache could not answer.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No store connection came free in time.
    #[error("the store is busy: {0}")]
    Unavailable(String),
    #[error("{0}")]
    Internal(String),
}

/// Runs blocking store work on a blocking thread with a store from the pool, at the time
/// `api`'s clock gives; a connection whose work failed inside the store is discarded.
pub async fn run<T, F>(api: &AppState, work: F) -> Result<T, CacheError>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn CaseStore, Timestamp) -> Result<T, CacheError> + Send + 'static,
{
    let now = api.now();
    let pool = api.pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut store = pool.get().map_err(|e| CacheError::Unavailable(e.to_string()))?;
        let result = work(&mut *store, now);
        if matches!(&result, Err(CacheError::Internal(_))) {
            store.discard();
        }
        result
    })
    .await
    .map_err(|e| CacheError::Internal(format!("store work did not finish: {e}")))?
}
