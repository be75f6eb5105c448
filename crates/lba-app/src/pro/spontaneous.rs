//! The recruiter's dashboard: their company's account, and the spontaneous
//! applications to the company (to the company, not to one of its offers).
//! Those are listed once the company's account is validated, with the same
//! one-click answers as the recruiter's email, and the CV until the 30-day
//! purge (`Store::mark_delivered` keeps it for such a company).

use chrono::{DateTime, Utc};
use lba_core::pro::{CompanyStatus, Role};
use lba_notify::LinkKey;
use lba_store::Store;
use lba_store::pro::{ProCompany, ReceivedApplication};

use super::offers::with_answers;
use super::{Pro, ProError};

/// The company `pro` recruits for, when they are a recruiter.
///
/// # Errors
/// The database failed.
pub async fn company(store: &Store, pro: &Pro) -> Result<Option<ProCompany>, ProError> {
    match (pro.role, pro.company_siret.as_deref()) {
        (Role::Recruiter, Some(siret)) => Ok(store.pro_company(siret).await?),
        _ => Ok(None),
    }
}

/// The SIRET of `pro`'s company when its account is validated.
async fn validated_siret(store: &Store, pro: &Pro) -> Result<Option<String>, ProError> {
    Ok(company(store, pro)
        .await?
        .filter(|c| CompanyStatus::from_stored(&c.status) == Some(CompanyStatus::Validated))
        .map(|c| c.siret))
}

/// The spontaneous applications to `pro`'s company (none until it is
/// validated), newest first, each with the signed paths of the one-click
/// answers (`(interview, refusal)`).
///
/// # Errors
/// The database failed.
pub async fn received(
    store: &Store,
    key: &LinkKey,
    pro: &Pro,
    now: DateTime<Utc>,
) -> Result<Vec<(ReceivedApplication, String, String)>, ProError> {
    let Some(siret) = validated_siret(store, pro).await? else {
        return Ok(Vec::new());
    };
    let list = store.applications_to_company(&siret).await?;
    Ok(with_answers(list, key, now))
}

/// The CV of spontaneous application `application` to `pro`'s company,
/// while it is kept: `(file name, MIME type, bytes)`.
///
/// # Errors
/// Not a spontaneous application to their validated company, or no CV any
/// more ([`ProError::NotFound`]); the database failed.
pub async fn cv(
    store: &Store,
    pro: &Pro,
    application: &str,
) -> Result<(String, String, Vec<u8>), ProError> {
    let siret = validated_siret(store, pro)
        .await?
        .ok_or(ProError::NotFound)?;
    let a = store
        .application(application)
        .await?
        .filter(|a| a.target_kind.as_str() == "company" && a.target_id == siret)
        .ok_or(ProError::NotFound)?;
    let bytes = a.cv_bytes.ok_or(ProError::NotFound)?;
    Ok((a.cv_name, a.cv_mime, bytes))
}
