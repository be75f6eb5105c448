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
async fn company(store: &Store, pro: &Pro) -> Result<Option<ProCompany>, ProError> {
    match (pro.role, pro.company_siret.as_deref()) {
        (Role::Recruiter, Some(siret)) => Ok(store.pro_company(siret).await?),
        _ => Ok(None),
    }
}

fn validated(company: &ProCompany) -> bool {
    CompanyStatus::from_stored(&company.status) == Some(CompanyStatus::Validated)
}

/// The company of `pro` (a recruiter) and the spontaneous applications to
/// it (none until it is validated), newest first, each with the signed
/// paths of the one-click answers (`(interview, refusal)`).
///
/// # Errors
/// The database failed.
pub async fn dashboard(
    store: &Store,
    key: &LinkKey,
    pro: &Pro,
    now: DateTime<Utc>,
) -> Result<
    (
        Option<ProCompany>,
        Vec<(ReceivedApplication, String, String)>,
    ),
    ProError,
> {
    let company = company(store, pro).await?;
    let received = match company.as_ref().filter(|c| validated(c)) {
        Some(c) => with_answers(store.applications_to_company(&c.siret).await?, key, now),
        None => Vec::new(),
    };
    Ok((company, received))
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
    let siret = company(store, pro)
        .await?
        .filter(validated)
        .ok_or(ProError::NotFound)?
        .siret;
    let a = store
        .application(application)
        .await?
        .filter(|a| a.target_kind.as_str() == "company" && a.target_id == siret)
        .ok_or(ProError::NotFound)?;
    let bytes = a.cv_bytes.ok_or(ProError::NotFound)?;
    Ok((a.cv_name, a.cv_mime, bytes))
}
