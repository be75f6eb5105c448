//! What a refused application answers, written once for the API and the
//! form: its stable code with the HTTP status ([`crate::error_codes`]) and
//! the message the candidate or the caller is shown.

use super::ApplyError;
use crate::error_codes::{self, ErrorCode};

impl ApplyError {
    /// The stable code and HTTP status of this refusal.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid(_) => error_codes::WRONG_PARAMETERS,
            Self::NotFound => error_codes::NOT_FOUND,
            Self::NotAccepting(_) => error_codes::NOT_ACCEPTING,
            Self::TooManyForTarget(_) | Self::OfferFull(_) => error_codes::QUOTA_REACHED,
            Self::TooManyToday(_) => error_codes::TOO_MANY_REQUESTS,
            Self::Store(_) => error_codes::UNAVAILABLE,
        }
    }

    /// The French message shown: the error's own, except for a store
    /// failure (logged by the caller, never shown).
    #[must_use]
    pub fn public_message(&self) -> String {
        match self {
            Self::Store(_) => error_codes::UNAVAILABLE_MESSAGE.to_owned(),
            other => other.to_string(),
        }
    }
}
