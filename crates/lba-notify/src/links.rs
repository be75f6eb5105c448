//! Signed links: an HMAC-SHA256 over what the link does and until when it
//! is valid, so that a link in an email works without a session and any
//! change to it (another application, another action, a later expiry) is
//! refused. Reusable by every feature that mails a one-click link.
//!
//! This module owns the site's link key ([`LinkKey`], also the root of the
//! operator session key), what each kind of signed link signs
//! (`*_message`) and the path of each (`*_path`), so that the worker that
//! mails a link and the page that opens it agree in one place.

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

/// What an answer link signs (`GET /candidature/{id}/reponse`).
#[must_use]
pub fn answer_message(application: &str, action: &str) -> String {
    format!("answer:{action}:{application}")
}

/// The path of a recruiter's answer link.
#[must_use]
pub fn answer_path(application: &str, action: &str, signature: &Signature) -> String {
    format!(
        "/candidature/{application}/reponse?action={action}&{}",
        signature.query()
    )
}

/// What a deletion link signs (`GET /candidature/{id}/suppression`).
#[must_use]
pub fn deletion_message(application: &str) -> String {
    format!("delete:{application}")
}

/// The path of a candidate's deletion link.
#[must_use]
pub fn deletion_path(application: &str, signature: &Signature) -> String {
    format!(
        "/candidature/{application}/suppression?{}",
        signature.query()
    )
}

/// What the address of the confirmation page after an application signs
/// (`GET /candidature/envoyee`).
#[must_use]
pub fn sent_message(application: &str) -> String {
    format!("sent:{application}")
}

/// The path of the confirmation page of `application`.
#[must_use]
pub fn sent_path(application: &str, signature: &Signature) -> String {
    format!(
        "/candidature/envoyee?ref={application}&{}",
        signature.query()
    )
}

/// What an unsubscribe link signs: the channel and address of a campaign
/// message (the URL itself carries only the message id, no address).
#[must_use]
pub fn unsubscribe_message(channel: &str, recipient: &str, message_id: i64) -> String {
    format!(
        "unsubscribe:{channel}:{}:{message_id}",
        lba_core::contact::normalized_address(recipient)
    )
}

/// The path of the unsubscribe link of campaign message `message_id`.
#[must_use]
pub fn unsubscribe_path(message_id: i64, signature: &Signature) -> String {
    format!("/desinscription?m={message_id}&{}", signature.query())
}

/// How long a CFA's answer link to a contact request stays valid.
pub const APPOINTMENT_LINK_VALIDITY: TimeDelta = TimeDelta::days(60);

/// What a CFA's answer link signs (`GET /rendez-vous/{id}/reponse`).
#[must_use]
pub fn appointment_message(appointment: &str) -> String {
    format!("appointment:{appointment}")
}

/// The path of a CFA's answer link.
#[must_use]
pub fn appointment_path(appointment: &str, signature: &Signature) -> String {
    format!("/rendez-vous/{appointment}/reponse?{}", signature.query())
}

/// How long a sign-in link of the pro space stays valid.
pub const SIGN_IN_LINK_VALIDITY: TimeDelta = TimeDelta::minutes(15);

/// What a sign-in link signs (`GET /pro/connexion/lien`): the id of its
/// row, which makes it single-use.
#[must_use]
pub fn sign_in_message(link: &str) -> String {
    format!("pro-sign-in:{link}")
}

/// The path of a sign-in link.
#[must_use]
pub fn sign_in_path(link: &str, signature: &Signature) -> String {
    format!("/pro/connexion/lien?id={link}&{}", signature.query())
}

/// How long the one-click links of an offer's reminder stay valid: until
/// a little after the expiry they remind of.
pub const OFFER_LINK_GRACE: TimeDelta = TimeDelta::days(7);

/// What an offer's one-click link signs (`GET /pro/offre/{id}/action`):
/// the action (`prolonger`, `pourvue`, `annulee`) and the expiry it was
/// sent for, so that a link of an older reminder cannot extend twice.
#[must_use]
pub fn offer_action_message(offer: &str, action: &str, expires_at: i64) -> String {
    format!("pro-offer:{action}:{offer}:{expires_at}")
}

/// The path of an offer's one-click link.
#[must_use]
pub fn offer_action_path(
    offer: &str,
    action: &str,
    expires_at: i64,
    signature: &Signature,
) -> String {
    format!(
        "/pro/offre/{offer}/action?action={action}&pour={expires_at}&{}",
        signature.query()
    )
}

/// How long the link of an offer handed to a CFA stays valid.
pub const DELEGATION_LINK_VALIDITY: TimeDelta = TimeDelta::days(60);

/// What the link of an offer handed to CFA `uai` signs
/// (`GET /pro/delegation/{offer}/{uai}`).
#[must_use]
pub fn delegation_message(offer: &str, uai: &str) -> String {
    format!("pro-delegation:{offer}:{uai}")
}

/// The path of the link of an offer handed to CFA `uai`.
#[must_use]
pub fn delegation_path(offer: &str, uai: &str, signature: &Signature) -> String {
    format!("/pro/delegation/{offer}/{uai}?{}", signature.query())
}
