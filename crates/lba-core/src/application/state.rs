//! The states of a stored application, each with its stored name
//! (`as_str`) read back by one function (`from_stored` / `parse`).

use super::TargetKind;

/// Where an application is in its life: stored as [`ApplicationStatus::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    /// Stored, not sent yet.
    Received,
    /// The recruiter's email was sent.
    Delivered,
    /// It could not be sent.
    Failed,
    /// Its CV was found infected: not sent.
    Infected,
    /// Personal data removed.
    Anonymised,
}

impl ApplicationStatus {
    /// Every status.
    pub const ALL: [Self; 5] = [
        Self::Received,
        Self::Delivered,
        Self::Failed,
        Self::Infected,
        Self::Anonymised,
    ];

    /// Stable name stored in the database.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Infected => "infected",
            Self::Anonymised => "anonymised",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Compares with a stored name (`status == "delivered"` in tests and logs).
impl PartialEq<&str> for ApplicationStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The recruiter's answer to an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// "Proposer un entretien".
    Interview,
    /// "Refuser la candidature".
    Refusal,
}

impl Answer {
    /// Parses the `action` of a link (the stored name).
    #[must_use]
    pub fn parse(action: &str) -> Option<Self> {
        match action {
            "interview" => Some(Self::Interview),
            "refusal" => Some(Self::Refusal),
            _ => None,
        }
    }

    /// Stable name (link action and stored value).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Interview => "interview",
            Self::Refusal => "refusal",
        }
    }
}

/// Compares with a stored name (`target_kind == "offer"` in tests).
impl PartialEq<&str> for TargetKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
