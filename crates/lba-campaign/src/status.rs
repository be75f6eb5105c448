//! The named states of a campaign and of its messages: where a campaign is
//! in its life ([`CampaignStatus`]), where a message is ([`MessageStatus`]),
//! what happened to a message
//! ([`EventKind`]) and why a contact receives nothing any more
//! ([`SuppressionReason`]). Each has its stored text (`as_str`) and reads
//! it back (`parse`); the store keeps them as text.

/// Where a campaign is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CampaignStatus {
    /// Being written: the specification may change.
    Draft,
    /// Arms stored: nothing sent yet, the specification is frozen.
    Assigned,
    /// Messages enqueued and leaving.
    Launched,
    /// Stopped by an operator or after too many errors; resumable.
    Paused,
    /// Finished.
    Done,
}

impl CampaignStatus {
    /// Every status, in life order.
    pub const ALL: [Self; 5] = [
        Self::Draft,
        Self::Assigned,
        Self::Launched,
        Self::Paused,
        Self::Done,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Assigned => "assigned",
            Self::Launched => "launched",
            Self::Paused => "paused",
            Self::Done => "done",
        }
    }

    /// Parses a stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Parses a stored value (same as [`Self::parse`]).
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::parse(s)
    }

    /// The French label shown to operators.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "brouillon",
            Self::Assigned => "bras attribués",
            Self::Launched => "lancée",
            Self::Paused => "en pause",
            Self::Done => "terminée",
        }
    }
}

/// Why a contact receives nothing any more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressionReason {
    /// Unsubscribed (link or one-click header).
    OptOut,
    /// The address does not exist.
    HardBounce,
    /// Put on the list by an operator.
    Blocklist,
    /// Replied STOP to an SMS.
    Stop,
    /// Marked the message as spam.
    Complaint,
}

impl SuppressionReason {
    /// Every reason.
    pub const ALL: [Self; 5] = [
        Self::OptOut,
        Self::HardBounce,
        Self::Blocklist,
        Self::Stop,
        Self::Complaint,
    ];

    /// Stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OptOut => "opt_out",
            Self::HardBounce => "hard_bounce",
            Self::Blocklist => "blocklist",
            Self::Stop => "stop",
            Self::Complaint => "complaint",
        }
    }

    /// Parses a stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Kinds of message events (`message_events.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// Delivered to the mailbox or the phone.
    Delivered,
    /// Bounced (hard or soft: see the detail).
    Bounced,
    /// Marked as spam.
    Complained,
    /// STOP reply.
    Stop,
    /// A tracked link was followed.
    Clicked,
    /// Unsubscribed.
    Unsubscribed,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [Self; 6] = [
        Self::Delivered,
        Self::Bounced,
        Self::Complained,
        Self::Stop,
        Self::Clicked,
        Self::Unsubscribed,
    ];

    /// Stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delivered => "delivered",
            Self::Bounced => "bounced",
            Self::Complained => "complained",
            Self::Stop => "stop",
            Self::Clicked => "clicked",
            Self::Unsubscribed => "unsubscribed",
        }
    }

    /// Parses a stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Where a campaign message is: `pending` → (claimed) `sending` → `sent`,
/// or finished without being sent (`failed`, `suppressed`, `skipped`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    /// Waiting for its send time.
    Pending,
    /// Claimed by a worker.
    Sending,
    /// Accepted by the e-mail server or the SMS gateway.
    Sent,
    /// Could not be sent.
    Failed,
    /// Not sent: the contact is suppressed.
    Suppressed,
    /// Not sent: the campaign ended or a sending rule said no.
    Skipped,
}

impl MessageStatus {
    /// Every status.
    pub const ALL: [Self; 6] = [
        Self::Pending,
        Self::Sending,
        Self::Sent,
        Self::Failed,
        Self::Suppressed,
        Self::Skipped,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Suppressed => "suppressed",
            Self::Skipped => "skipped",
        }
    }

    /// Parses a stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether a worker may still send it (`pending` or `sending`).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Sending)
    }

    /// Whether it is a way to finish without sending (`failed`,
    /// `suppressed`, `skipped`).
    pub fn is_unsent_end(self) -> bool {
        matches!(self, Self::Failed | Self::Suppressed | Self::Skipped)
    }
}

/// An unknown stored message status.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("statut de message inconnu « {0} »")]
pub struct UnknownMessageStatus(pub String);

impl TryFrom<&str> for MessageStatus {
    type Error = UnknownMessageStatus;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s).ok_or_else(|| UnknownMessageStatus(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_back() {
        for s in CampaignStatus::ALL {
            assert_eq!(CampaignStatus::parse(s.as_str()), Some(s));
        }
        for r in SuppressionReason::ALL {
            assert_eq!(SuppressionReason::parse(r.as_str()), Some(r));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(CampaignStatus::parse("Draft"), None);
        assert_eq!(SuppressionReason::parse(""), None);
        assert_eq!(EventKind::parse("opened"), None);
    }

    #[test]
    fn message_statuses_read_back() {
        for m in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(m.as_str()), Some(m));
            assert_eq!(MessageStatus::try_from(m.as_str()), Ok(m));
        }
        assert!(MessageStatus::try_from("envoyé").is_err());
    }
}
