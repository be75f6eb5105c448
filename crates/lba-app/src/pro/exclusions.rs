//! Company exclusions, for administrators: the companies kept out of the
//! search whatever the imported files say (at their request, or removed by
//! the team), the same list `lba company exclude|include` keeps. Each change
//! is written to the audit log.

use chrono::{DateTime, Utc};
use lba_core::Siret;
use lba_core::pro::Role;
use lba_store::Store;
use lba_store::exclusions::{Exclusion, ExclusionReason};

use super::{Pro, ProError, audit};

fn admin_only(pro: &Pro) -> Result<(), ProError> {
    if pro.role == Role::Admin {
        Ok(())
    } else {
        Err(ProError::NotFound)
    }
}

/// The latest 500 exclusions, newest first.
///
/// # Errors
/// Not an administrator; the database failed.
pub async fn list(store: &Store, pro: &Pro) -> Result<Vec<Exclusion>, ProError> {
    admin_only(pro)?;
    Ok(store.company_exclusions(500).await?)
}

/// Keeps company `siret` out of the search for `reason` (`opt_out` or
/// `blacklist`) and deletes its record; returns whether a company was in
/// the search.
///
/// # Errors
/// [`ProError::Fields`] for a wrong SIRET or reason; not an administrator;
/// the database failed.
pub async fn exclude(
    store: &Store,
    pro: &Pro,
    siret: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    admin_only(pro)?;
    let mut wrong = Vec::new();
    let siret = Siret::parse(siret.trim()).map_err(|_| {
        wrong.push((
            "siret",
            "Saisissez un SIRET valide (14 chiffres).".to_owned(),
        ));
    });
    let reason = ExclusionReason::from_stored(reason).ok_or_else(|| {
        wrong.push((
            "reason",
            "Choisissez pourquoi l'entreprise est retirée.".to_owned(),
        ));
    });
    let (Ok(siret), Ok(reason)) = (siret, reason) else {
        return Err(ProError::Fields(wrong));
    };
    let deleted = store.exclude_company(&siret, reason).await?;
    let entry = audit(
        &pro.id,
        "entreprise_exclue",
        siret.as_str(),
        Some(reason.as_str().to_owned()),
        now,
    );
    store.audit(&entry).await?;
    Ok(deleted)
}

/// Lets company `siret` back in (the next import may bring it back);
/// returns whether it was excluded.
///
/// # Errors
/// Not an administrator, or not a SIRET ([`ProError::NotFound`]); the
/// database failed.
pub async fn include(
    store: &Store,
    pro: &Pro,
    siret: &str,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    admin_only(pro)?;
    let siret = Siret::parse(siret).map_err(|_| ProError::NotFound)?;
    let removed = store.include_company(&siret).await?;
    if removed {
        let entry = audit(&pro.id, "entreprise_reintegree", siret.as_str(), None, now);
        store.audit(&entry).await?;
    }
    Ok(removed)
}
