//! The pro space (issue 19): sign-in by magic link and server-side
//! sessions (`auth`), company and CFA accounts (`signup`), offers posted
//! by recruiters with their life (`offers`), and what OPCOs and
//! administrators decide (`admin`). Rules live in `lba_core::pro`; storage
//! in `lba_store::pro`.

pub mod admin;
pub mod auth;
pub mod cfa;
pub mod delegation;
pub mod exclusions;
pub mod offers;
pub mod signup;
pub mod spontaneous;

use chrono::{DateTime, Utc};
use lba_core::pro::Role;
use lba_store::pro::{AuditEntry, ProUser};

pub use lba_store::pro::{
    CfaCourse, CompanyDecision, ProCompany, ProOffer, ProUser as ProUserRow, ReceivedApplication,
};

/// A signed-in professional, as the pages see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pro {
    /// Account id.
    pub id: String,
    /// Lowercased address.
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// First and last name.
    pub name: String,
    /// The company of a recruiter.
    pub company_siret: Option<String>,
    /// The CFA of a `cfa` account.
    pub cfa_uai: Option<String>,
    /// The OPCO of an `opco` account.
    pub opco: Option<String>,
    /// The session's CSRF token (every POST form carries it).
    pub csrf: String,
    /// SHA-256 of the session id (to end this session).
    pub session_hash: String,
}

impl Pro {
    pub(crate) fn from_user(u: ProUser, csrf: String, session_hash: String) -> Option<Self> {
        Some(Self {
            role: Role::from_stored(&u.role)?,
            name: format!("{} {}", u.first_name, u.last_name)
                .trim()
                .to_owned(),
            id: u.id,
            email: u.email,
            company_siret: u.company_siret,
            cfa_uai: u.cfa_uai,
            opco: u.opco,
            csrf,
            session_hash,
        })
    }
}

/// Why a pro-space action was refused.
#[derive(Debug, thiserror::Error)]
pub enum ProError {
    /// Wrong fields, each with its French message.
    #[error("champs invalides")]
    Fields(Vec<(&'static str, String)>),
    /// Too many sign-in links asked.
    #[error("trop de demandes")]
    TooMany,
    /// Not theirs, or no such thing.
    #[error("introuvable")]
    NotFound,
    /// Not allowed for this role or in this state.
    #[error("{0}")]
    Refused(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] lba_store::StoreError),
}

impl ProError {
    /// One wrong field.
    pub(crate) fn field(name: &'static str, message: &str) -> Self {
        Self::Fields(vec![(name, message.to_owned())])
    }
}

/// Epoch milliseconds of `at`.
pub(crate) fn ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// An audit row of `by` doing `action` on `subject` at `now`.
pub(crate) fn audit(
    by: &str,
    action: &str,
    subject: &str,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> AuditEntry {
    AuditEntry {
        id: uuid::Uuid::new_v4().simple().to_string(),
        at: ms(now),
        user_id: by.to_owned(),
        action: action.to_owned(),
        subject: subject.to_owned(),
        detail,
    }
}

/// Today in Paris (form dates are Paris dates).
pub(crate) fn paris_today(now: DateTime<Utc>) -> chrono::NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Paris).date_naive()
}
