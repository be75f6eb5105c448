//! The operator session: a login form compares the configured secret in
//! constant time, then an HttpOnly, SameSite=Strict cookie carries a signed
//! session (`{nonce}.{expiry}.{signature}`, HMAC-SHA256 with a key derived
//! from the secret). Every POST form carries a CSRF token, the HMAC of the
//! session value, checked server-side.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use lba_app::lba_notify::{LinkKey, Signature};

use super::views;
use crate::AppState;
use crate::csrf::cookie_value;

/// Name of the session cookie.
pub(crate) const COOKIE: &str = "lba_operateur";
/// How long a session lasts.
pub(crate) const SESSION_HOURS: i64 = 12;

/// The instant of signatures that do not expire (the login check and the
/// CSRF tokens, which live as long as their session).
const NO_EXPIRY: DateTime<Utc> = DateTime::UNIX_EPOCH;

/// The keys derived from the operator secret: the site's signed-link
/// mechanism ([`LinkKey`]) under a key of its own.
#[derive(Clone)]
pub(crate) struct Keys {
    secret: String,
    key: LinkKey,
}

impl Keys {
    /// Keys of `secret`.
    pub(crate) fn new(secret: &str) -> Self {
        let derived = LinkKey::new(secret.as_bytes()).keyed_hash("lba-operator-session-v1");
        Self {
            secret: secret.to_owned(),
            key: LinkKey::new(derived.as_bytes()),
        }
    }

    /// The signature of `message` that never expires.
    fn tag(&self, message: &str) -> String {
        self.key.sign(message, NO_EXPIRY).sig
    }

    /// Whether `sig` is [`Self::tag`] of `message` (constant time).
    fn has_tag(&self, message: &str, sig: &str) -> bool {
        let signature = Signature {
            exp: NO_EXPIRY.timestamp(),
            sig: sig.to_owned(),
        };
        self.key.verify(message, &signature, NO_EXPIRY).is_ok()
    }

    /// Whether `given` is the secret, in constant time (both sides are
    /// MAC'd, then the MACs compared by `verify`).
    pub(crate) fn check_secret(&self, given: &str) -> bool {
        self.has_tag(
            &format!("login:{given}"),
            &self.tag(&format!("login:{}", self.secret)),
        )
    }

    /// A new session value valid until `now + SESSION_HOURS`.
    pub(crate) fn new_session(&self, now: DateTime<Utc>) -> String {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let signature = self.key.sign(
            &format!("session:{nonce}"),
            now + Duration::hours(SESSION_HOURS),
        );
        format!("{nonce}.{}.{}", signature.exp, signature.sig)
    }

    /// Whether `value` is a session this secret signed, not expired at `now`.
    pub(crate) fn verify_session(&self, value: &str, now: DateTime<Utc>) -> bool {
        let mut parts = value.split('.');
        let (Some(nonce), Some(exp), Some(sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(exp) = exp.parse::<i64>() else {
            return false;
        };
        let signature = Signature {
            exp,
            sig: sig.to_owned(),
        };
        exp > now.timestamp()
            && self
                .key
                .verify(&format!("session:{nonce}"), &signature, now)
                .is_ok()
    }

    /// The CSRF token of a session.
    pub(crate) fn csrf(&self, session: &str) -> String {
        self.tag(&format!("csrf:{session}"))
    }

    /// Whether `token` is the CSRF token of `session` (constant time).
    pub(crate) fn check_csrf(&self, session: &str, token: &str) -> bool {
        self.has_tag(&format!("csrf:{session}"), token)
    }
}

/// The `Set-Cookie` of a new session.
pub(crate) fn set_cookie(value: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={value}; Path=/operateur; HttpOnly; SameSite=Strict; Max-Age={}{}",
        SESSION_HOURS * 3600,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` that ends a session.
pub(crate) fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/operateur; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// A signed-in operator (extractor): the session value and its CSRF token.
#[derive(Clone)]
pub(crate) struct Operator {
    /// The keys of the configured secret.
    pub(crate) keys: Keys,
    /// The session cookie value.
    pub(crate) session: String,
    /// The CSRF token forms carry.
    pub(crate) csrf: String,
}

impl Operator {
    /// Whether `token` is this session's CSRF token.
    pub(crate) fn csrf_ok(&self, token: Option<&str>) -> bool {
        token.is_some_and(|t| self.keys.check_csrf(&self.session, t))
    }
}

/// Why a request has no operator.
pub(crate) enum NoOperator {
    /// No secret configured: operator access is disabled (403).
    Disabled,
    /// Not signed in: to the login page (303).
    Login,
}

impl IntoResponse for NoOperator {
    fn into_response(self) -> Response {
        match self {
            Self::Disabled => views::disabled(),
            Self::Login => Redirect::to("/operateur/connexion").into_response(),
        }
    }
}

/// The keys of the configured secret, or `Disabled`.
pub(crate) fn keys(state: &AppState) -> Result<Keys, NoOperator> {
    state
        .ops
        .operator_secret
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(Keys::new)
        .ok_or(NoOperator::Disabled)
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = NoOperator;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let keys = keys(state)?;
        let session = cookie_value(&parts.headers, COOKIE)
            .filter(|v| keys.verify_session(v, Utc::now()))
            .ok_or(NoOperator::Login)?
            .to_owned();
        let csrf = keys.csrf(&session);
        Ok(Self {
            keys,
            session,
            csrf,
        })
    }
}

/// A 403 page for a POST without a valid CSRF token.
pub(crate) fn csrf_refused() -> Response {
    views::message(
        StatusCode::FORBIDDEN,
        "Formulaire expiré",
        "Le jeton de sécurité du formulaire est absent ou invalide. Rechargez la page et recommencez.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn the_secret_is_checked_exactly() {
        let k = Keys::new("s3cret");
        assert!(k.check_secret("s3cret"));
        assert!(!k.check_secret("s3cre"));
        assert!(!k.check_secret("s3cret "));
        assert!(!k.check_secret(""));
    }

    #[test]
    fn sessions_expire_and_are_bound_to_the_secret() {
        let k = Keys::new("s3cret");
        let s = k.new_session(now());
        assert!(k.verify_session(&s, now()));
        assert!(k.verify_session(&s, now() + Duration::hours(11)));
        assert!(!k.verify_session(&s, now() + Duration::hours(12)));
        assert!(!Keys::new("other").verify_session(&s, now()));
        let (head, _) = s.rsplit_once('.').unwrap();
        assert!(!k.verify_session(&format!("{head}.AAAA"), now()));
        let mut parts: Vec<&str> = s.split('.').collect();
        let later = (now() + Duration::hours(100)).timestamp().to_string();
        parts[1] = &later;
        assert!(!k.verify_session(&parts.join("."), now()));
    }

    #[test]
    fn csrf_tokens_belong_to_their_session() {
        let k = Keys::new("s3cret");
        let a = k.new_session(now());
        let b = k.new_session(now());
        assert!(k.check_csrf(&a, &k.csrf(&a)));
        assert!(!k.check_csrf(&b, &k.csrf(&a)));
        assert!(!k.check_csrf(&a, ""));
    }
}
