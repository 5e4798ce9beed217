use peel_domain::field_error::FieldError;
use peel_store::StoreError;

/// Why an action was not done. `Invalid` names the input field at fault; the rest come from
/// the store (not found, changed by someone else, not allowed in the record's state).
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{0}")]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
