//! The registry of stable error codes: every code an HTTP answer of the
//! application may carry in its `error` field, each with its HTTP status.
//! Codes are part of the public API (the v1 `{error, error_messages}` body):
//! they never change once published. The status is a plain number so that
//! this crate does not depend on an HTTP library; `lba-web` converts it.
//!
//! Each use-case error maps to one code in one place (for example
//! [`crate::apply::ApplyError::code`]), used by both the API and the pages.

/// A stable error code and its HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ErrorCode {
    code: &'static str,
    status: u16,
}

impl ErrorCode {
    const fn new(code: &'static str, status: u16) -> Self {
        Self { code, status }
    }

    /// The code (`quota_reached`…).
    #[must_use]
    pub const fn code(self) -> &'static str {
        self.code
    }

    /// Its HTTP status.
    #[must_use]
    pub const fn status(self) -> u16 {
        self.status
    }
}

/// Some parameters are wrong (one message per problem).
pub const WRONG_PARAMETERS: ErrorCode = ErrorCode::new("wrong_parameters", 400);
/// A request the server cannot read (the delivery webhook's body).
pub const INVALID_REQUEST: ErrorCode = ErrorCode::new("invalid_request", 400);
/// A missing or wrong secret (the delivery webhook).
pub const UNAUTHORIZED: ErrorCode = ErrorCode::new("unauthorized", 401);
/// No such resource (offer, company, page).
pub const NOT_FOUND: ErrorCode = ErrorCode::new("not_found", 404);
/// This HTTP method is not accepted here.
pub const METHOD_NOT_ALLOWED: ErrorCode = ErrorCode::new("method_not_allowed", 405);
/// The request took too long.
pub const REQUEST_TIMEOUT: ErrorCode = ErrorCode::new("request_timeout", 408);
/// A quota per offer or company is reached.
pub const QUOTA_REACHED: ErrorCode = ErrorCode::new("quota_reached", 409);
/// The body is too large.
pub const PAYLOAD_TOO_LARGE: ErrorCode = ErrorCode::new("payload_too_large", 413);
/// The body is not in a format we read.
pub const UNSUPPORTED_MEDIA_TYPE: ErrorCode = ErrorCode::new("unsupported_media_type", 415);
/// The offer or company does not take applications here.
pub const NOT_ACCEPTING: ErrorCode = ErrorCode::new("not_accepting", 422);
/// Too many requests (per day, per address).
pub const TOO_MANY_REQUESTS: ErrorCode = ErrorCode::new("too_many_requests", 429);
/// The service (its database) is unavailable for a moment.
pub const UNAVAILABLE: ErrorCode = ErrorCode::new("unavailable", 503);

/// Every registered code.
pub const ALL: [ErrorCode; 12] = [
    WRONG_PARAMETERS,
    INVALID_REQUEST,
    UNAUTHORIZED,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    REQUEST_TIMEOUT,
    QUOTA_REACHED,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    NOT_ACCEPTING,
    TOO_MANY_REQUESTS,
    UNAVAILABLE,
];

/// What a caller is told when the store fails (the error itself is logged,
/// never shown).
pub const UNAVAILABLE_MESSAGE: &str =
    "le service est momentanément indisponible : réessayez dans quelques instants";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_errors() {
        for (i, a) in ALL.iter().enumerate() {
            assert!((400..600).contains(&a.status()), "{a:?}");
            assert!(
                a.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{a:?}"
            );
            assert!(ALL[i + 1..].iter().all(|b| b.code() != a.code()), "{a:?}");
        }
    }
}
