//! Signed links: an HMAC-SHA256 over what the link does and until when it
//! is valid, so that a link in an email works without a session and any
//! change to it (another application, another action, a later expiry) is
//! refused. Reusable by every feature that mails a one-click link.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How long the links of an application stay valid.
pub const LINK_VALIDITY: TimeDelta = TimeDelta::days(30);

/// Why a link is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The signature does not match (modified or forged link).
    #[error("ce lien n'est pas valide")]
    Invalid,
    /// Past its expiry date.
    #[error("ce lien a expiré")]
    Expired,
}

/// The secret key of links. Never printed.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(***)")
    }
}

/// A signature and its expiry, as they travel in a URL query
/// (`exp=…&sig=…`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signature {
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// base64url HMAC-SHA256 of `message` and `exp`.
    pub sig: String,
}

impl Signature {
    /// `exp=…&sig=…`.
    #[must_use]
    pub fn query(&self) -> String {
        format!("exp={}&sig={}", self.exp, self.sig)
    }
}

impl LinkKey {
    /// A key from secret bytes (at least 16 recommended).
    #[must_use]
    pub fn new(secret: &[u8]) -> Self {
        Self(secret.to_vec())
    }

    fn mac(&self, message: &str, exp: i64) -> HmacSha256 {
        // HMAC accepts keys of any length: this cannot fail.
        let mut mac = match HmacSha256::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => HmacSha256::new(&Default::default()),
        };
        mac.update(message.as_bytes());
        mac.update(b"\n");
        mac.update(exp.to_string().as_bytes());
        mac
    }

    /// A keyed hash of `data` (base64url HMAC-SHA256), to keep a value that
    /// must be comparable but not readable (a client address).
    #[must_use]
    pub fn keyed_hash(&self, data: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(data, 0).finalize().into_bytes())
    }

    /// Signs `message` (what the link does, e.g. `answer:interview:ID`)
    /// until `expires`.
    #[must_use]
    pub fn sign(&self, message: &str, expires: DateTime<Utc>) -> Signature {
        let exp = expires.timestamp();
        let sig = URL_SAFE_NO_PAD.encode(self.mac(message, exp).finalize().into_bytes());
        Signature { exp, sig }
    }

    /// Checks a signature of `message` at `now` (constant-time comparison).
    pub fn verify(
        &self,
        message: &str,
        signature: &Signature,
        now: DateTime<Utc>,
    ) -> Result<(), LinkError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(signature.sig.as_bytes())
            .map_err(|_| LinkError::Invalid)?;
        self.mac(message, signature.exp)
            .verify_slice(&bytes)
            .map_err(|_| LinkError::Invalid)?;
        if signature.exp < now.timestamp() {
            return Err(LinkError::Expired);
        }
        Ok(())
    }
}

/// Signs `message` with `key` until `expires` (see [`LinkKey::sign`]).
#[must_use]
pub fn sign(key: &LinkKey, message: &str, expires: DateTime<Utc>) -> Signature {
    key.sign(message, expires)
}

/// Verifies a signature (see [`LinkKey::verify`]).
pub fn verify(
    key: &LinkKey,
    message: &str,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<(), LinkError> {
    key.verify(message, signature, now)
}
