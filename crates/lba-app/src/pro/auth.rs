//! Sign-in by magic link and server-side sessions.
//!
//! - Asking for a link gives the same answer whether or not the address
//!   has an account (no enumeration); a link is mailed only to an active
//!   account. Links asked are limited per address and per client.
//! - A link signs its row id with the site's key and lives 15 minutes;
//!   opening it marks it used and creates a session, in one transaction.
//! - The session cookie holds 256 random bits; the table keeps their
//!   SHA-256 only. Sessions slide to 30 days after each use; logging out
//!   revokes the row, "everywhere" revokes every row of the account.

use chrono::{DateTime, TimeDelta, Utc};
use lba_core::contact::Email;
use lba_core::pro::Role;
use lba_notify::links::{self, SIGN_IN_LINK_VALIDITY};
use lba_notify::{LinkKey, Signature};
use lba_store::Store;
use lba_store::pro::{LinkUse, NewSession, ProUser, SignInLink};
use sha2::{Digest as _, Sha256};

use super::{Pro, ProError, audit, ms};

/// How long a session lasts without use.
pub const SESSION_DAYS: i64 = 30;
/// Links asked per address per hour.
pub const LINKS_PER_EMAIL_PER_HOUR: i64 = 5;
/// Links asked per client per hour.
pub const LINKS_PER_CLIENT_PER_HOUR: i64 = 20;

/// Asks for a sign-in link for `email` from client `client` (a keyed hash
/// of the address, never the address). The link id when one was mailed
/// (only tests look at it: the page says the same in every case).
///
/// # Errors
/// [`ProError::Fields`] for an address that is not one, [`ProError::TooMany`]
/// past the limits.
pub async fn request_link(
    store: &Store,
    email: &str,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<String>, ProError> {
    let email = Email::parse(email.trim())
        .map_err(|_| ProError::field("email", "Saisissez une adresse e-mail valide."))?
        .normalized();
    let (by_email, by_client) = store
        .sign_in_links_since(&email, client, ms(now - TimeDelta::hours(1)))
        .await?;
    if by_email >= LINKS_PER_EMAIL_PER_HOUR || by_client >= LINKS_PER_CLIENT_PER_HOUR {
        return Err(ProError::TooMany);
    }
    let link = SignInLink {
        id: uuid::Uuid::new_v4().simple().to_string(),
        email: email.clone(),
        created_at: ms(now),
        expires_at: ms(now + SIGN_IN_LINK_VALIDITY),
        used_at: None,
    };
    let active = store
        .pro_user_by_email(&email)
        .await?
        .is_some_and(|u| u.status == "active");
    // An address without an active account gets no email, but its link
    // row counts for the limits like any other.
    let job = active.then(|| lba_notify::pro::sign_in_job(&link.id, now));
    store
        .insert_sign_in_link(&link, client, job.as_ref())
        .await?;
    Ok(active.then_some(link.id))
}

/// The URL path of sign-in link `id` (what the email carries), signed with
/// `key` until `expires` (tests build it as the worker does).
#[must_use]
pub fn sign_in_path(key: &LinkKey, id: &str, expires: DateTime<Utc>) -> String {
    let signature = key.sign(&links::sign_in_message(id), expires);
    links::sign_in_path(id, &signature)
}

/// Why a sign-in link did not sign anyone in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// Modified, forged or unknown.
    Invalid,
    /// Past its 15 minutes.
    Expired,
    /// Opened before.
    Used,
    /// No active account for this address.
    NoAccount,
}

/// A new session: the cookie value. (What the account may do is checked
/// on every request by [`session`], which refuses an unknown role.)
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The cookie's value (never stored).
    pub cookie: String,
}

/// SHA-256 (hex) of a session cookie's value.
#[must_use]
pub fn session_hash(cookie: &str) -> String {
    Sha256::digest(cookie.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Opens sign-in link `id` with its signature.
///
/// # Errors
/// The database failed.
pub async fn sign_in(
    store: &Store,
    key: &LinkKey,
    id: &str,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<Result<SignedIn, LinkProblem>, ProError> {
    match key.verify(&links::sign_in_message(id), signature, now) {
        Ok(()) => {}
        Err(lba_notify::LinkError::Expired) => return Ok(Err(LinkProblem::Expired)),
        Err(lba_notify::LinkError::Invalid) => return Ok(Err(LinkProblem::Invalid)),
    }
    let cookie = random_token();
    let session = NewSession {
        id_hash: session_hash(&cookie),
        csrf: random_token(),
        created_at: ms(now),
        expires_at: ms(now + TimeDelta::days(SESSION_DAYS)),
    };
    Ok(match store.use_sign_in_link(id, ms(now), &session).await? {
        LinkUse::SignedIn(_) => Ok(SignedIn { cookie }),
        LinkUse::Unknown => Err(LinkProblem::Invalid),
        LinkUse::Used => Err(LinkProblem::Used),
        LinkUse::Expired => Err(LinkProblem::Expired),
        LinkUse::NoAccount => Err(LinkProblem::NoAccount),
    })
}

/// The professional of session cookie `cookie` at `now`, if it is live
/// (and its expiry slid 30 days ahead).
///
/// # Errors
/// The database failed.
pub async fn session(
    store: &Store,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<Option<Pro>, ProError> {
    if cookie.len() != 64 || !cookie.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = session_hash(cookie);
    let live = store
        .pro_session(&hash, ms(now), ms(now + TimeDelta::days(SESSION_DAYS)))
        .await?;
    Ok(live.and_then(|l| Pro::from_user(l.user, l.csrf, hash)))
}

/// Ends `pro`'s session.
///
/// # Errors
/// The database failed.
pub async fn log_out(store: &Store, pro: &Pro, now: DateTime<Utc>) -> Result<(), ProError> {
    store.revoke_pro_session(&pro.session_hash, ms(now)).await?;
    Ok(())
}

/// Ends every session of `pro`'s account; how many.
///
/// # Errors
/// The database failed.
pub async fn log_out_everywhere(
    store: &Store,
    pro: &Pro,
    now: DateTime<Utc>,
) -> Result<u64, ProError> {
    Ok(store.revoke_pro_sessions_of(&pro.id, ms(now)).await?)
}

/// Creates an account of `role` for `email` (`lba admin create`, and the
/// administrators' page); false when the address has one. `by` is who did
/// it (`cli` from the command line), recorded in the audit log.
///
/// # Errors
/// [`ProError::Fields`] for a wrong address; the database failed.
#[allow(
    clippy::too_many_arguments,
    reason = "the fields of a new account, each named at the call"
)]
pub async fn create_account(
    store: &Store,
    email: &str,
    role: Role,
    first_name: &str,
    last_name: &str,
    opco: Option<&str>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    let email = Email::parse(email.trim())
        .map_err(|_| ProError::field("email", "Saisissez une adresse e-mail valide."))?
        .normalized();
    let user = ProUser {
        id: uuid::Uuid::new_v4().simple().to_string(),
        email,
        role: role.as_str().to_owned(),
        first_name: first_name.trim().to_owned(),
        last_name: last_name.trim().to_owned(),
        phone: None,
        company_siret: None,
        cfa_uai: None,
        opco: opco.map(str::to_owned),
        status: "active".to_owned(),
        created_at: ms(now),
        last_sign_in_at: None,
    };
    let entry = audit(
        by,
        "compte_cree",
        &user.id,
        Some(role.as_str().to_owned()),
        now,
    );
    Ok(store.insert_pro_user(&user, Some(&entry)).await?)
}
