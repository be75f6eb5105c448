//! A CFA's account: the contact requests it received (each with the same
//! signed answer page as the email's link), its courses and whether they
//! take requests, the address requests go to and the opt-out (the
//! administrators' `lba cfa …` settings, now also the CFA's own, audited),
//! and the offers it posted for companies. An administrator sees and sets
//! the same for any CFA of the referential (`uai` given).

use chrono::{DateTime, Utc};
use lba_core::pro::Role;
use lba_notify::LinkKey;
use lba_notify::links::{self, APPOINTMENT_LINK_VALIDITY};
use lba_store::Store;
use lba_store::appointments::Appointment;
use lba_store::pro::{CfaCourse, ProOffer};

use super::{Pro, ProError, audit};

/// What the CFA's dashboard shows.
#[derive(Clone, Debug)]
pub struct CfaSpace {
    /// UAI.
    pub uai: String,
    /// Name in the referential.
    pub name: String,
    /// The requests (latest 200), each with the path of its answer page.
    pub requests: Vec<(Appointment, String)>,
    /// Published courses.
    pub courses: Vec<CfaCourse>,
    /// Where requests go: the address set (by the CFA or an administrator),
    /// else the first course's.
    pub contact_email: Option<String>,
    /// Requests stopped.
    pub opted_out: bool,
    /// The address bounced: requests are suspended until a new one is set.
    pub suspended: bool,
    /// The offers it posted on behalf of companies.
    pub offers: Vec<ProOffer>,
}

/// The CFA `pro` acts for: their own (a CFA account; `uai`, when given,
/// must be theirs), or `uai` for an administrator when it is a CFA of the
/// referential.
async fn uai_for<'a>(
    store: &Store,
    pro: &'a Pro,
    uai: Option<&'a str>,
) -> Result<&'a str, ProError> {
    match (pro.role, pro.cfa_uai.as_deref(), uai) {
        (Role::Cfa, Some(own), None) => Ok(own),
        (Role::Cfa, Some(own), Some(asked)) if asked == own => Ok(own),
        (Role::Admin, _, Some(asked)) if store.cfa_name(asked).await?.is_some() => Ok(asked),
        _ => Err(ProError::NotFound),
    }
}

/// The dashboard of `pro`'s CFA, or of CFA `uai` for an administrator.
///
/// # Errors
/// Not their CFA; the database failed.
pub async fn space(
    store: &Store,
    key: &LinkKey,
    pro: &Pro,
    uai: Option<&str>,
) -> Result<CfaSpace, ProError> {
    let uai = uai_for(store, pro, uai).await?;
    let settings = store.cfa_contact(uai).await?;
    let courses = store.courses_of_cfa(uai).await?;
    let requests = store
        .appointments_of_cfa(uai, 200)
        .await?
        .into_iter()
        .map(|a| {
            let signature = key.sign(
                &links::appointment_message(&a.id),
                a.created_at + APPOINTMENT_LINK_VALIDITY,
            );
            let path = links::appointment_path(&a.id, &signature);
            (a, path)
        })
        .collect();
    let contact_email = settings
        .as_ref()
        .and_then(|s| s.email.clone())
        .or_else(|| courses.iter().find_map(|c| c.email.clone()));
    Ok(CfaSpace {
        uai: uai.to_owned(),
        name: store.cfa_name(uai).await?.unwrap_or_else(|| uai.to_owned()),
        requests,
        courses,
        opted_out: settings.as_ref().is_some_and(|s| s.opted_out),
        suspended: settings.as_ref().is_some_and(|s| {
            s.suspended_at.is_some()
                && s.suspended_email.is_some()
                && s.suspended_email == contact_email
        }),
        contact_email,
        offers: store.pro_offers_of_cfa(uai).await?,
    })
}

/// Sets the address `pro`'s CFA (or CFA `uai`, for an administrator)
/// receives requests at.
///
/// # Errors
/// [`ProError::Fields`] for a wrong address; not their CFA; the database.
pub async fn set_contact_email(
    store: &Store,
    pro: &Pro,
    uai: Option<&str>,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), ProError> {
    let uai = uai_for(store, pro, uai).await?;
    match crate::appointments::set_contact_email(store, uai, email, now).await? {
        Ok(()) => {
            store
                .audit(&audit(&pro.id, "cfa_adresse", uai, None, now))
                .await?;
            Ok(())
        }
        Err(_) => Err(ProError::field(
            "contact_email",
            "Saisissez une adresse e-mail valide.",
        )),
    }
}

/// Stops (or restarts) the requests to `pro`'s CFA (or CFA `uai`, for an
/// administrator).
///
/// # Errors
/// Not their CFA; the database failed.
pub async fn set_opted_out(
    store: &Store,
    pro: &Pro,
    uai: Option<&str>,
    opted_out: bool,
    now: DateTime<Utc>,
) -> Result<(), ProError> {
    let uai = uai_for(store, pro, uai).await?;
    crate::appointments::set_opted_out(store, uai, opted_out, now)
        .await?
        .map_err(ProError::Refused)?;
    let action = if opted_out {
        "cfa_demandes_arretees"
    } else {
        "cfa_demandes_reprises"
    };
    store.audit(&audit(&pro.id, action, uai, None, now)).await?;
    Ok(())
}
