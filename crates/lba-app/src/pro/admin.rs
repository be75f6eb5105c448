//! What OPCOs and administrators decide: companies waiting for
//! validation (an OPCO sees those attached to it, an administrator all),
//! accounts and roles, the OPCO of a company. Every decision is written
//! to the audit log in its own transaction.

use chrono::{DateTime, Utc};
use lba_core::pro::Role;
use lba_store::Store;
use lba_store::pro::{AuditEntry, CompanyDecision, ProCompany, ProUser};

use super::{Pro, ProError, audit, ms};

/// The companies `pro` decides about, waiting ones first: an OPCO's own,
/// every one for an administrator.
///
/// # Errors
/// Not an OPCO or an administrator; the database failed.
pub async fn companies(store: &Store, pro: &Pro) -> Result<Vec<ProCompany>, ProError> {
    let mut list = match pro.role {
        Role::Admin => store.pro_companies(None, None).await?,
        Role::Opco => match pro.opco.as_deref() {
            Some(opco) => store.pro_companies(Some(opco), None).await?,
            None => Vec::new(),
        },
        _ => return Err(ProError::NotFound),
    };
    list.sort_by_key(|c| (c.status != "pending", c.created_at));
    Ok(list)
}

/// `pro` applies `decision` to company `siret`. False when it does not
/// apply in the company's state.
///
/// # Errors
/// Not theirs (an OPCO deciding about another OPCO's company gets
/// [`ProError::NotFound`]); the database failed.
pub async fn decide(
    store: &Store,
    pro: &Pro,
    siret: &str,
    decision: CompanyDecision,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    let company = store.pro_company(siret).await?.ok_or(ProError::NotFound)?;
    let allowed = match pro.role {
        Role::Admin => true,
        Role::Opco => pro.opco.is_some() && pro.opco == company.opco,
        _ => false,
    };
    if !allowed {
        return Err(ProError::NotFound);
    }
    let action = match decision {
        CompanyDecision::Validate => "entreprise_validee",
        CompanyDecision::Refuse => "entreprise_refusee",
        CompanyDecision::Deactivate => "entreprise_desactivee",
    };
    let entry = audit(&pro.id, action, siret, None, now);
    Ok(store
        .decide_pro_company(siret, decision, &pro.id, ms(now), &entry)
        .await?)
}

fn admin_only(pro: &Pro) -> Result<(), ProError> {
    if pro.role == Role::Admin {
        Ok(())
    } else {
        Err(ProError::NotFound)
    }
}

/// Sets the OPCO of company `siret` (administrators).
///
/// # Errors
/// Not an administrator; the database failed.
pub async fn set_opco(
    store: &Store,
    pro: &Pro,
    siret: &str,
    opco: &str,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    admin_only(pro)?;
    let opco = Some(opco.trim()).filter(|o| !o.is_empty());
    let entry = audit(&pro.id, "opco_modifie", siret, opco.map(str::to_owned), now);
    Ok(store.set_pro_company_opco(siret, opco, &entry).await?)
}

/// Every account (administrators).
///
/// # Errors
/// Not an administrator; the database failed.
pub async fn users(store: &Store, pro: &Pro) -> Result<Vec<ProUser>, ProError> {
    admin_only(pro)?;
    Ok(store.pro_users().await?)
}

/// Sets the role and status of account `id` (administrators); an
/// administrator cannot lock themself out.
///
/// # Errors
/// Not an administrator, or their own account; the database failed.
pub async fn set_access(
    store: &Store,
    pro: &Pro,
    id: &str,
    role: Role,
    active: bool,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    admin_only(pro)?;
    if id == pro.id {
        return Err(ProError::Refused(
            "Vous ne pouvez pas modifier votre propre compte.".to_owned(),
        ));
    }
    let status = if active { "active" } else { "disabled" };
    let entry = audit(
        &pro.id,
        "acces_modifie",
        id,
        Some(format!("{}:{status}", role.as_str())),
        now,
    );
    Ok(store
        .set_pro_user_access(id, role.as_str(), status, &entry)
        .await?)
}

/// The latest administrative actions (administrators).
///
/// # Errors
/// Not an administrator; the database failed.
pub async fn audit_log(store: &Store, pro: &Pro) -> Result<Vec<AuditEntry>, ProError> {
    admin_only(pro)?;
    Ok(store.audit_log(200).await?)
}

/// Queues the OPCO digests of `now`'s day when it is a Monday, Wednesday
/// or Friday from 8:00 (Paris time): one per active OPCO account that has
/// companies waiting, at most once a day (the job's dedupe key is the
/// account and the date). How many were queued.
///
/// # Errors
/// The database failed.
pub async fn queue_opco_digests(store: &Store, now: DateTime<Utc>) -> Result<usize, ProError> {
    use chrono::{Datelike as _, Timelike as _, Weekday};
    let local = now.with_timezone(&chrono_tz::Europe::Paris);
    if !matches!(local.weekday(), Weekday::Mon | Weekday::Wed | Weekday::Fri) || local.hour() < 8 {
        return Ok(0);
    }
    let mut queued = 0;
    for account in store.opco_accounts().await? {
        let pending = store
            .pro_companies(account.opco.as_deref(), Some("pending"))
            .await?;
        if pending.is_empty() {
            continue;
        }
        let job = lba_notify::pro::opco_digest_job(&account.id, local.date_naive(), now);
        if store.enqueue(&job).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
