//! What comes back from the campaign messages: a click on a tracked link,
//! an unsubscription through the signed link of an e-mail, and the
//! delivery events of the e-mail and SMS providers (webhook), with the
//! suppressions they imply (and, for a CFA's address that bounced, the
//! suspension of its contact requests).

use chrono::{DateTime, Utc};
use lba_campaign::{EventKind, SuppressionReason};
use lba_notify::campaign::verify_unsubscribe;
use lba_notify::links::{LinkError, LinkKey, Signature};
use lba_store::campaign_delivery::StoredMessage;
use lba_store::{Store, StoreError};

/// A click on the tracked link `code`: the click is recorded as an event
/// of its message (detail: the kind of the link); returns where the link
/// goes, or `None` for an unknown code (nothing recorded).
///
/// # Errors
/// When the store fails.
pub async fn click(
    store: &Store,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let Some(link) = store.campaign_link(code).await? else {
        return Ok(None);
    };
    store
        .insert_message_event(link.message_id, EventKind::Clicked, Some(&link.kind), now)
        .await?;
    Ok(Some(link.target))
}

/// Why an unsubscribe link is refused.
#[derive(Debug, thiserror::Error)]
pub enum UnsubscribeError {
    /// The link names no stored message.
    #[error("ce lien ne correspond à aucun message")]
    UnknownMessage,
    /// The signature is wrong or expired.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The recipient of a verified unsubscribe link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsubscription {
    /// The message the link is in.
    pub message_id: i64,
    /// Its channel (`email` or `sms`).
    pub channel: String,
    /// The recipient was already suppressed on that channel (before this
    /// call, for [`unsubscribe`]).
    pub already: bool,
}

/// The message `message_id` of an unsubscribe link, once its signature
/// (over the channel and address of the message) is checked.
async fn verified(
    store: &Store,
    key: &LinkKey,
    message_id: i64,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<StoredMessage, UnsubscribeError> {
    let message = store
        .campaign_message(message_id)
        .await?
        .ok_or(UnsubscribeError::UnknownMessage)?;
    verify_unsubscribe(key, &message, signature, now)?;
    Ok(message)
}

/// An unsubscribe link was opened: checks it and tells whether its
/// recipient is already suppressed. Writes nothing.
///
/// # Errors
/// [`UnsubscribeError`].
pub async fn unsubscribe_link(
    store: &Store,
    key: &LinkKey,
    message_id: i64,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<Unsubscription, UnsubscribeError> {
    let message = verified(store, key, message_id, signature, now).await?;
    let already = store
        .suppression(&message.channel, &message.recipient)
        .await?
        .is_some();
    Ok(Unsubscription {
        message_id: message.id,
        channel: message.channel,
        already,
    })
}

/// An unsubscribe link was confirmed: the recipient is suppressed on the
/// message's channel (`opt_out`, every campaign) and an `unsubscribed`
/// event is recorded, unless it already was suppressed.
///
/// # Errors
/// [`UnsubscribeError`].
pub async fn unsubscribe(
    store: &Store,
    key: &LinkKey,
    message_id: i64,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<Unsubscription, UnsubscribeError> {
    let message = verified(store, key, message_id, signature, now).await?;
    let new = store
        .suppress(
            &message.channel,
            &message.recipient,
            SuppressionReason::OptOut,
            now,
        )
        .await?;
    if new {
        store
            .insert_message_event(message.id, EventKind::Unsubscribed, None, now)
            .await?;
        tracing::info!(message = message.id, "unsubscribed from campaigns");
    }
    Ok(Unsubscription {
        message_id: message.id,
        channel: message.channel,
        already: !new,
    })
}

/// One delivery event of a provider, as the webhook received it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderEvent {
    /// Event name, trimmed and lowercase (`delivered`, `hard_bounce`…).
    pub event: String,
    /// The provider's message id.
    pub message_id: Option<String>,
    /// The address or number (a STOP reply carries only the number).
    pub recipient: Option<String>,
}

/// What a batch of provider events did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Events recorded (on a message, or as a suppression).
    pub recorded: usize,
    /// Events with an unknown name, or matching no message nor recipient.
    pub ignored: usize,
}

/// What an event name means: the event kind, its detail, and the
/// suppression it implies.
fn meaning(event: &str) -> Option<(EventKind, Option<&'static str>, Option<SuppressionReason>)> {
    Some(match event {
        "delivered" => (EventKind::Delivered, None, None),
        "hard_bounce" | "hardbounce" | "hard_bounced" => (
            EventKind::Bounced,
            Some("hard_bounce"),
            Some(SuppressionReason::HardBounce),
        ),
        "soft_bounce" | "softbounce" | "soft_bounced" => {
            (EventKind::Bounced, Some("soft_bounce"), None)
        }
        "complaint" | "spam" => (
            EventKind::Complained,
            None,
            Some(SuppressionReason::Complaint),
        ),
        "stop" => (EventKind::Stop, None, Some(SuppressionReason::Stop)),
        "unsubscribed" | "unsubscribe" => (
            EventKind::Unsubscribed,
            None,
            Some(SuppressionReason::OptOut),
        ),
        _ => return None,
    })
}

/// A phone number as stored (E.164), when it reads as a French one.
fn normalise_phone(raw: &str) -> Option<String> {
    lba_core::PhoneNumber::parse(raw)
        .or_else(|_| lba_core::PhoneNumber::parse(&format!("+{raw}")))
        .ok()
        .map(|p| p.e164().to_owned())
}

/// Records the delivery events of a provider: each known event is stored
/// on its message (found by provider id, else as the last message sent to
/// the recipient), and hard bounces, complaints, STOP and unsubscriptions
/// suppress the contact (STOP always on the SMS channel). Unknown event
/// names, and events matching neither a message nor a recipient, are
/// ignored.
///
/// # Errors
/// When the store fails (events before the failing one stay recorded).
pub async fn record(
    store: &Store,
    events: &[ProviderEvent],
    now: DateTime<Utc>,
) -> Result<Recorded, StoreError> {
    let (mut recorded, mut ignored) = (0, 0);
    for e in events {
        let Some((kind, detail, suppression)) = meaning(&e.event) else {
            ignored += 1;
            continue;
        };
        let mut message = match &e.message_id {
            Some(id) if !id.is_empty() => store.message_by_provider_id(id).await?,
            _ => None,
        };
        // A recipient alone (a STOP reply carries only the number).
        let mut target: Option<(String, String)> = None;
        if let Some(recipient) = e.recipient.as_deref().filter(|r| !r.is_empty()) {
            let (channel, address) = if recipient.contains('@') {
                ("email", recipient.to_lowercase())
            } else {
                match normalise_phone(recipient) {
                    Some(phone) => ("sms", phone),
                    None => ("sms", recipient.to_owned()),
                }
            };
            if message.is_none() {
                message = store.last_message_to(channel, &address).await?;
            }
            target = Some((channel.to_owned(), address));
        }
        if let Some(m) = &message {
            target = Some((m.channel.clone(), m.recipient.clone()));
            store.insert_message_event(m.id, kind, detail, now).await?;
        }
        let Some((channel, address)) = target else {
            ignored += 1;
            continue;
        };
        // A CFA's address may bounce too (the contact requests of
        // `crate::appointments`): its requests are told at once.
        if detail == Some("hard_bounce") && channel == "email" {
            crate::appointments::address_bounced(store, &address, now).await?;
        }
        if let Some(reason) = suppression {
            // STOP is an SMS reply whatever the message looked like.
            let channel = if kind == EventKind::Stop {
                "sms"
            } else {
                channel.as_str()
            };
            store.suppress(channel, &address, reason, now).await?;
        }
        recorded += 1;
    }
    tracing::info!(recorded, ignored, "delivery webhook");
    Ok(Recorded { recorded, ignored })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised() {
        assert_eq!(
            normalise_phone("33612345678").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalise_phone("06 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalise_phone("+33612345678").as_deref(),
            Some("+33612345678")
        );
    }

    #[test]
    fn event_names_have_their_meaning() {
        assert_eq!(
            meaning("hard_bounced"),
            Some((
                EventKind::Bounced,
                Some("hard_bounce"),
                Some(SuppressionReason::HardBounce)
            ))
        );
        assert_eq!(
            meaning("softbounce"),
            Some((EventKind::Bounced, Some("soft_bounce"), None))
        );
        assert_eq!(
            meaning("stop"),
            Some((EventKind::Stop, None, Some(SuppressionReason::Stop)))
        );
        assert_eq!(meaning("opened"), None);
    }
}
