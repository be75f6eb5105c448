//! Readiness: does the database answer?

use lba_store::{Store, StoreError};

/// Pings the database; returns the name of its backend (`sqlite` or
/// `postgres`) when it answers.
///
/// # Errors
/// When the database does not answer.
pub async fn check(store: &Store) -> Result<&'static str, StoreError> {
    store.ping().await?;
    Ok(store.backend().as_str())
}
