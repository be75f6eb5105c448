//! The pro space (issue 19): accounts, sign-in links, server-side
//! sessions and the audit log here; companies and the offers they post in
//! `offers.rs`. Times are epoch milliseconds (`migrations/*/0017`).
//!
//! No secret is stored: a sign-in link signs its row id with the site's
//! key, and a session row holds the SHA-256 of the cookie's random id.

mod cfa;
mod companies;
mod delegations;
mod offers;

pub use cfa::CfaCourse;
pub use companies::{CompanyDecision, NewProCompany, ProCompany};
pub use delegations::Delegation;
pub use offers::{NewProOffer, OfferHistoryEntry, ProOffer, ReceivedApplication};

use sqlx::Transaction;

use crate::backend::{in_tx, with_pool};
use crate::outbox::NewJob;
use crate::portable::{BindValue as _, Portable};
use crate::{Store, StoreError};

/// An account of the pro space.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProUser {
    pub id: String,
    /// Lowercased.
    pub email: String,
    /// [`lba_core::pro::Role::as_str`].
    pub role: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub company_siret: Option<String>,
    pub cfa_uai: Option<String>,
    pub opco: Option<String>,
    /// `active` or `disabled`.
    pub status: String,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
}

impl std::fmt::Debug for ProUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProUser({}, {})", self.id, self.role)
    }
}

pub(crate) const USER_COLUMNS: &str = "id, email, role, first_name, last_name, phone, company_siret, \
     cfa_uai, opco, status, created_at, last_sign_in_at";

/// A sign-in link's row.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SignInLink {
    pub id: String,
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// What opening a sign-in link did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkUse {
    /// A session was created for this account.
    SignedIn(Box<ProUser>),
    /// No such link.
    Unknown,
    /// Opened before.
    Used,
    /// Past its 15 minutes.
    Expired,
    /// The address has no active account (the link was sent anyway, so
    /// that the form tells nothing).
    NoAccount,
}

/// A session to create when a link is used.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 (hex) of the cookie's id.
    pub id_hash: String,
    pub csrf: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A live session: its account and CSRF token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveSession {
    pub user: ProUser,
    pub csrf: String,
    pub expires_at: i64,
}

/// One administrative action.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: String,
    pub at: i64,
    pub user_id: String,
    pub action: String,
    pub subject: String,
    pub detail: Option<String>,
}

/// Writes one audit row in `tx`.
pub(crate) async fn audit_in<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    e: &AuditEntry,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO audit_log (id, at, user_id, action, subject, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind_value(e.id.as_str())
    .bind_value(e.at)
    .bind_value(e.user_id.as_str())
    .bind_value(e.action.as_str())
    .bind_value(e.subject.as_str())
    .bind_value(e.detail.as_deref());
    DB::execute(tx, query).await?;
    Ok(())
}

/// Writes one row of an offer's status history in `tx` (`at` in epoch
/// milliseconds).
pub(crate) async fn offer_history_in<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    offer_id: &str,
    at: i64,
    status: &str,
    actor: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO pro_offer_history (id, offer_id, at, status, actor, note) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind_value(uuid::Uuid::new_v4().simple().to_string())
    .bind_value(offer_id)
    .bind_value(at)
    .bind_value(status)
    .bind_value(actor)
    .bind_value(note);
    DB::execute(tx, query).await?;
    Ok(())
}

impl Store {
    /// The account of `email` (lowercased by the caller).
    pub async fn pro_user_by_email(&self, email: &str) -> Result<Option<ProUser>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM pro_users WHERE email = $1");
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(email).fetch_optional(pool).await
        })?)
    }

    /// The account `id`.
    pub async fn pro_user(&self, id: &str) -> Result<Option<ProUser>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM pro_users WHERE id = $1");
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
        })?)
    }

    /// The active OPCO accounts attached to an OPCO.
    pub async fn opco_accounts(&self) -> Result<Vec<ProUser>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM pro_users WHERE role = 'opco' AND status = 'active' \
             AND opco IS NOT NULL ORDER BY id"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).fetch_all(pool).await
        })?)
    }

    /// Every account, by role then address.
    pub async fn pro_users(&self) -> Result<Vec<ProUser>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM pro_users ORDER BY role, email");
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&sql).fetch_all(pool).await
        })?)
    }

    /// Creates an account; false when the address (or the CFA) already has
    /// one. `audit`, when given, is written in the same transaction.
    pub async fn insert_pro_user(
        &self,
        u: &ProUser,
        audit: Option<&AuditEntry>,
    ) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            let n = sqlx::query(
                "INSERT INTO pro_users (id, email, role, first_name, last_name, phone, \
                 company_siret, cfa_uai, opco, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
            )
            .bind(&u.id)
            .bind(&u.email)
            .bind(&u.role)
            .bind(&u.first_name)
            .bind(&u.last_name)
            .bind(&u.phone)
            .bind(&u.company_siret)
            .bind(&u.cfa_uai)
            .bind(&u.opco)
            .bind(&u.status)
            .bind(u.created_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1
                && let Some(e) = audit
            {
                audit_in(&mut tx, e).await?;
            }
            n == 1
        }))
    }

    /// Changes an account's role and status (admin), with its audit row;
    /// a disabled account loses its sessions at once.
    pub async fn set_pro_user_access(
        &self,
        id: &str,
        role: &str,
        status: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            let n = sqlx::query("UPDATE pro_users SET role = $2, status = $3 WHERE id = $1")
                .bind(id)
                .bind(role)
                .bind(status)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                if status != "active" {
                    sqlx::query(
                        "UPDATE pro_sessions SET revoked_at = $2 \
                         WHERE user_id = $1 AND revoked_at IS NULL",
                    )
                    .bind(id)
                    .bind(audit.at)
                    .execute(&mut *tx)
                    .await?;
                }
                audit_in(&mut tx, audit).await?;
            }
            n == 1
        }))
    }

    /// Links asked for `email` since `since`, and from the client `client`
    /// (keyed hash) since then: what the rate limits count.
    pub async fn sign_in_links_since(
        &self,
        email: &str,
        client: Option<&str>,
        since: i64,
    ) -> Result<(i64, i64), StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT \
                 (SELECT COUNT(*) FROM pro_sign_in_links WHERE email = $1 AND created_at >= $3), \
                 (SELECT COUNT(*) FROM pro_sign_in_links WHERE client_hash = $2 AND created_at >= $3)",
            )
            .bind(email)
            .bind(client)
            .bind(since)
            .fetch_one(pool)
            .await
        })?)
    }

    /// Stores a sign-in link and the job that mails it (none for an
    /// address without an account), in one transaction.
    pub async fn insert_sign_in_link(
        &self,
        link: &SignInLink,
        client: Option<&str>,
        job: Option<&NewJob>,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO pro_sign_in_links (id, email, client_hash, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&link.id)
            .bind(&link.email)
            .bind(client)
            .bind(link.created_at)
            .bind(link.expires_at)
            .execute(&mut *tx)
            .await?;
            if let Some(job) = job {
                crate::outbox::insert_job(&mut tx, job).await?;
            }
        });
        Ok(())
    }

    /// The sign-in link `id`.
    pub async fn sign_in_link(&self, id: &str) -> Result<Option<SignInLink>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, email, created_at, expires_at, used_at \
                 FROM pro_sign_in_links WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Opens sign-in link `id` at `now`: marks it used (once, whatever
    /// follows) and, when its address has an active account, creates
    /// `session` for it — one transaction.
    pub async fn use_sign_in_link(
        &self,
        id: &str,
        now: i64,
        session: &NewSession,
    ) -> Result<LinkUse, StoreError> {
        let user_sql =
            format!("SELECT {USER_COLUMNS} FROM pro_users WHERE email = $1 AND status = 'active'");
        Ok(in_tx!(self, |tx| {
            let link: Option<(String, i64, Option<i64>)> = sqlx::query_as(
                "SELECT email, expires_at, used_at FROM pro_sign_in_links WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            match link {
                None => LinkUse::Unknown,
                Some((_, _, Some(_))) => LinkUse::Used,
                Some((_, expires, None)) if expires <= now => LinkUse::Expired,
                Some((email, _, None)) => {
                    let n = sqlx::query(
                        "UPDATE pro_sign_in_links SET used_at = $2 \
                         WHERE id = $1 AND used_at IS NULL",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let user: Option<ProUser> = sqlx::query_as(&user_sql)
                        .bind(&email)
                        .fetch_optional(&mut *tx)
                        .await?;
                    match (n, user) {
                        (0, _) => LinkUse::Used,
                        (_, None) => LinkUse::NoAccount,
                        (_, Some(user)) => {
                            sqlx::query(
                                "INSERT INTO pro_sessions (id_hash, user_id, csrf, created_at, \
                                 expires_at) VALUES ($1, $2, $3, $4, $5)",
                            )
                            .bind(&session.id_hash)
                            .bind(&user.id)
                            .bind(&session.csrf)
                            .bind(session.created_at)
                            .bind(session.expires_at)
                            .execute(&mut *tx)
                            .await?;
                            sqlx::query("UPDATE pro_users SET last_sign_in_at = $2 WHERE id = $1")
                                .bind(&user.id)
                                .bind(now)
                                .execute(&mut *tx)
                                .await?;
                            LinkUse::SignedIn(Box::new(user))
                        }
                    }
                }
            }
        }))
    }

    /// The live session of `id_hash` at `now`: not revoked, not expired,
    /// its account active. Its expiry slides to `slide_to` when that is
    /// more than an hour later (one write per hour of use, not per
    /// request).
    pub async fn pro_session(
        &self,
        id_hash: &str,
        now: i64,
        slide_to: i64,
    ) -> Result<Option<LiveSession>, StoreError> {
        let sql = format!(
            "SELECT {}, s.csrf, s.expires_at FROM pro_sessions s \
             JOIN pro_users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 \
             AND u.status = 'active'",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let found: Option<(ProUser, String, i64)> = with_pool!(self, |pool| {
            let row = sqlx::query(&sql)
                .bind(id_hash)
                .bind(now)
                .fetch_optional(pool)
                .await?;
            row.map(|r| {
                use sqlx::{FromRow as _, Row as _};
                Ok::<_, sqlx::Error>((
                    ProUser::from_row(&r)?,
                    r.try_get::<String, _>("csrf")?,
                    r.try_get::<i64, _>("expires_at")?,
                ))
            })
            .transpose()
        })?;
        let Some((user, csrf, mut expires_at)) = found else {
            return Ok(None);
        };
        if slide_to - expires_at > 3_600_000 {
            with_pool!(self, |pool| {
                sqlx::query(
                    "UPDATE pro_sessions SET expires_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL",
                )
                .bind(id_hash)
                .bind(slide_to)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
            })?;
            expires_at = slide_to;
        }
        Ok(Some(LiveSession {
            user,
            csrf,
            expires_at,
        }))
    }

    /// Ends session `id_hash`.
    pub async fn revoke_pro_session(&self, id_hash: &str, now: i64) -> Result<bool, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE pro_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL",
            )
            .bind(id_hash)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })? == 1)
    }

    /// Ends every session of account `user_id` ("log out everywhere");
    /// how many were live.
    pub async fn revoke_pro_sessions_of(&self, user_id: &str, now: i64) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE pro_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
            )
            .bind(user_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?)
    }

    /// Records an administrative action on its own.
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            audit_in(&mut tx, entry).await?;
        });
        Ok(())
    }

    /// The latest `limit` administrative actions, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, at, user_id, action, subject, detail FROM audit_log \
                 ORDER BY at DESC, id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await
        })?)
    }
}
