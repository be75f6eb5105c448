//! What the campaign messages of one worker round share, so that a round
//! makes a few statements for all of its messages instead of the same ones
//! for each (on PostgreSQL every statement is a round trip and every
//! transaction a commit):
//!
//! - the messages, read in one `SELECT` after the claim;
//! - each campaign and its parsed spec, read once (a status change seen by
//!   the throttle, or the automatic pause, drops it so that the next
//!   message reads it again);
//! - the throttle slots: the messages of a campaign that ask for one while
//!   another transaction of the campaign is running wait for it, then take
//!   their slots together in the next one (`Store::take_send_slots`, exact
//!   in the store as before: one count and one lock per transaction).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use lba_campaign::CampaignSpec;
use lba_store::campaign_delivery::{SendSlot, StoredMessage};
use lba_store::campaigns::StoredCampaign;
use lba_store::{Store, StoreError};
use tokio::sync::oneshot;

/// A campaign as the round's messages see it.
pub(crate) struct RoundCampaign {
    pub(crate) stored: StoredCampaign,
    /// The parsed spec, or why it cannot be read.
    pub(crate) spec: Result<CampaignSpec, String>,
}

/// A slot request waiting for the campaign's next transaction: the message
/// and where its answer goes (`None`: that transaction failed).
type Request = (i64, oneshot::Sender<Option<SendSlot>>);

/// The slot requests of one campaign.
#[derive(Default)]
struct SlotQueue {
    waiting: Mutex<Vec<Request>>,
    /// Held by the task running the campaign's slot transaction.
    leader: tokio::sync::Mutex<()>,
}

/// The campaign state of a round.
#[derive(Default)]
pub(crate) struct CampaignRound {
    /// The round's messages by id, when they were read at once (a message
    /// missing from it was deleted).
    messages: Option<HashMap<i64, StoredMessage>>,
    campaigns: tokio::sync::Mutex<HashMap<String, Arc<RoundCampaign>>>,
    slots: Mutex<HashMap<String, Arc<SlotQueue>>>,
    /// Campaigns with a send error in this round: a later success resets
    /// their count even if it was 0 when the campaign was read.
    errors: Mutex<HashSet<String>>,
}

impl CampaignRound {
    /// The state of a round whose messages are `messages` (read at once).
    pub(crate) fn with_messages(messages: Vec<StoredMessage>) -> Self {
        Self {
            messages: Some(messages.into_iter().map(|m| (m.id, m)).collect()),
            ..Self::default()
        }
    }

    /// Message `id`: from the round's read, or from the store.
    pub(crate) async fn message(
        &self,
        store: &Store,
        id: i64,
    ) -> Result<Option<StoredMessage>, StoreError> {
        match &self.messages {
            Some(messages) => Ok(messages.get(&id).cloned()),
            None => store.campaign_message(id).await,
        }
    }

    /// Campaign `id`, read at most once a round (the first message reads it,
    /// the others of the round wait for that read).
    pub(crate) async fn campaign(
        &self,
        store: &Store,
        id: &str,
    ) -> Result<Option<Arc<RoundCampaign>>, StoreError> {
        let mut campaigns = self.campaigns.lock().await;
        if let Some(campaign) = campaigns.get(id) {
            return Ok(Some(Arc::clone(campaign)));
        }
        let Some(stored) = store.campaign(id).await? else {
            return Ok(None);
        };
        let spec = serde_json::from_str(&stored.spec).map_err(|e| e.to_string());
        let campaign = Arc::new(RoundCampaign { stored, spec });
        campaigns.insert(id.to_owned(), Arc::clone(&campaign));
        Ok(Some(campaign))
    }

    /// Campaign `id` changed in the store (paused, done): the next message
    /// of the round reads it again.
    pub(crate) async fn forget_campaign(&self, id: &str) {
        self.campaigns.lock().await.remove(id);
    }

    /// A send of campaign `id` failed in this round.
    pub(crate) fn send_error(&self, id: &str) {
        self.errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_owned());
    }

    /// Whether a send of campaign `id` failed in this round.
    pub(crate) fn had_send_error(&self, id: &str) -> bool {
        self.errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(id)
    }

    /// A throttle slot of `campaign` for message `id` (see
    /// `Store::take_send_slot`): taken with the other messages of the round
    /// that ask at about the same time, in one transaction.
    pub(crate) async fn take_slot(
        &self,
        store: &Store,
        id: i64,
        campaign: &str,
        rate: u32,
        second: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<SendSlot, StoreError> {
        let queue = Arc::clone(
            self.slots
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(campaign.to_owned())
                .or_default(),
        );
        let (answer, mut reply) = oneshot::channel();
        queue
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, answer));
        let _leader = queue.leader.lock().await;
        match reply.try_recv() {
            // A transaction run while this one waited took its slot.
            Ok(Some(slot)) => return Ok(slot),
            // That transaction failed (its runner returns the error), or its
            // runner was dropped: ask alone.
            Ok(None) | Err(oneshot::error::TryRecvError::Closed) => {
                return store.take_send_slot(id, campaign, rate, second, now).await;
            }
            // Still waiting: this task runs the next transaction, for every
            // request waiting now (its own included).
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        let batch =
            std::mem::take(&mut *queue.waiting.lock().unwrap_or_else(PoisonError::into_inner));
        let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
        match store
            .take_send_slots(&ids, campaign, rate, second, now)
            .await
        {
            Ok(slots) => {
                for ((_, answer), slot) in batch.into_iter().zip(slots) {
                    // A request whose task is gone has nobody to tell.
                    let _ = answer.send(Some(slot));
                }
            }
            Err(error) => {
                for (_, answer) in batch {
                    let _ = answer.send(None);
                }
                return Err(error);
            }
        }
        match reply.try_recv() {
            Ok(Some(slot)) => Ok(slot),
            _ => store.take_send_slot(id, campaign, rate, second, now).await,
        }
    }
}
