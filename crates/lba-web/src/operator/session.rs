//! The operator session: a login form compares the configured secret in
//! constant time, then an HttpOnly, SameSite=Strict cookie carries a signed
//! session (`{nonce}.{expiry}.{signature}`, HMAC-SHA256 with a key derived
//! from the secret). Every POST form carries a CSRF token, the HMAC of the
//! session value, checked server-side.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::views;
use crate::AppState;

type HmacSha256 = Hmac<Sha256>;

/// Name of the session cookie.
pub(crate) const COOKIE: &str = "lba_operateur";
/// How long a session lasts.
pub(crate) const SESSION_HOURS: i64 = 12;

/// The keys derived from the operator secret.
#[derive(Clone)]
pub(crate) struct Keys {
    secret: Vec<u8>,
}

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length: this never fails.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

fn tag(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut m = mac(key);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            m.update(b"|");
        }
        m.update(part);
    }
    m.finalize().into_bytes().to_vec()
}

impl Keys {
    /// Keys of `secret`.
    pub(crate) fn new(secret: &str) -> Self {
        Self {
            secret: secret.as_bytes().to_vec(),
        }
    }

    fn session_key(&self) -> Vec<u8> {
        tag(&self.secret, &[b"lba-operator-session-v1"])
    }

    /// Whether `given` is the secret, in constant time (both sides are
    /// MAC'd first so lengths leak nothing, then compared by `verify_slice`).
    pub(crate) fn check_secret(&self, given: &str) -> bool {
        let key = tag(&self.secret, &[b"lba-operator-login-v1"]);
        let expected = tag(&key, &[&self.secret]);
        let mut m = mac(&key);
        m.update(given.as_bytes());
        m.verify_slice(&expected).is_ok()
    }

    /// A new session value valid until `now + SESSION_HOURS`.
    pub(crate) fn new_session(&self, now: DateTime<Utc>) -> String {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let exp = (now + Duration::hours(SESSION_HOURS)).timestamp();
        let sig = URL_SAFE_NO_PAD.encode(tag(
            &self.session_key(),
            &[b"session", nonce.as_bytes(), exp.to_string().as_bytes()],
        ));
        format!("{nonce}.{exp}.{sig}")
    }

    /// Whether `value` is a session this secret signed, not expired at `now`.
    pub(crate) fn verify_session(&self, value: &str, now: DateTime<Utc>) -> bool {
        let mut parts = value.split('.');
        let (Some(nonce), Some(exp), Some(sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(exp_secs) = exp.parse::<i64>() else {
            return false;
        };
        if exp_secs <= now.timestamp() {
            return false;
        }
        let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
            return false;
        };
        let mut m = mac(&self.session_key());
        m.update(b"session|");
        m.update(nonce.as_bytes());
        m.update(b"|");
        m.update(exp.as_bytes());
        m.verify_slice(&sig).is_ok()
    }

    /// The CSRF token of a session.
    pub(crate) fn csrf(&self, session: &str) -> String {
        URL_SAFE_NO_PAD.encode(tag(&self.session_key(), &[b"csrf", session.as_bytes()]))
    }

    /// Whether `token` is the CSRF token of `session` (constant time).
    pub(crate) fn check_csrf(&self, session: &str, token: &str) -> bool {
        let Ok(token) = URL_SAFE_NO_PAD.decode(token) else {
            return false;
        };
        let mut m = mac(&self.session_key());
        m.update(b"csrf|");
        m.update(session.as_bytes());
        m.verify_slice(&token).is_ok()
    }
}

/// The cookie value of a request, if any.
pub(crate) fn cookie_value<'a>(parts: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    parts
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
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
