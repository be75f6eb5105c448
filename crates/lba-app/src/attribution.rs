//! Where a visitor came from: the campaign message of a tracked link they
//! followed (`/c/{code}`), hence the cohort person, campaign and arm. Shared
//! by the features that keep something per visitor (learning modules, and
//! later orientation and CFA contact).

use crate::{Store, StoreError};

/// The campaign message of tracked link `code`, `None` when unknown.
pub async fn link_message(store: &Store, code: &str) -> Result<Option<i64>, StoreError> {
    Ok(store.campaign_link(code).await?.map(|l| l.message_id))
}

/// Where a visitor came from: the person, campaign and arm of the message
/// of a tracked link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribution {
    pub message_id: i64,
    pub person_id: String,
    pub campaign_id: String,
    pub arm: String,
}

/// The campaign attribution of message `message_id` (the `lba_suivi`
/// cookie), `None` when the message is unknown.
pub async fn attribution(
    store: &Store,
    message_id: i64,
) -> Result<Option<Attribution>, StoreError> {
    Ok(store
        .campaign_message(message_id)
        .await?
        .map(|m| Attribution {
            message_id,
            person_id: m.person_id,
            campaign_id: m.campaign_id,
            arm: m.arm,
        }))
}
