//! Offers posted by recruiters: checked fields, the métier resolved to its
//! ROME code by the appellation autocomplete, published at once when the
//! company is validated (else kept `pending` until it is), expiring two
//! months after creation, extended or closed from the dashboard or from the
//! one-click links of the D-7 and D-1 reminders.

use chrono::{DateTime, Months, Utc};
use lba_core::opportunity::{Offer, OfferOrigin, OfferStatus, Place};
use lba_core::pro::{Closing, OFFER_LIFETIME_MONTHS, OfferInput, Role};
use lba_core::{InseeCode, NafCode, PostalCode, Siret};
use lba_notify::links;
use lba_notify::{LinkKey, Signature};
use lba_store::Store;
use lba_store::pro::{NewProOffer, OfferHistoryEntry, ProOffer, ReceivedApplication};

use super::signup::{CompanyRecord, EDUCATION, UNKNOWN_SIRET, company_record, is_education};
use super::{Pro, ProError, ms, paris_today};
use crate::Search;

/// `at` plus the offer lifetime.
fn plus_lifetime(at: DateTime<Utc>) -> DateTime<Utc> {
    at.checked_add_months(Months::new(OFFER_LIFETIME_MONTHS))
        .unwrap_or(at)
}

/// Posts an offer: a recruiter for their company, a CFA on behalf of the
/// company `for_siret` (its applications then go to the CFA's address).
/// The new offer's id.
///
/// # Errors
/// [`ProError::Fields`] with every wrong field (`metier` when no
/// appellation matches, `siret` for a CFA's unknown or education
/// establishment); refused for other roles or when the company was refused
/// or deactivated.
pub async fn post(
    store: &Store,
    search: &Search,
    pro: &Pro,
    metier: &str,
    for_siret: Option<&str>,
    input: &OfferInput,
    now: DateTime<Utc>,
) -> Result<String, ProError> {
    let (siret, company, status, on_behalf) = match (pro.role, pro.company_siret.as_deref()) {
        (Role::Recruiter, Some(siret)) => {
            let c = store.pro_company(siret).await?.ok_or(ProError::NotFound)?;
            let status = match c.status.as_str() {
                "validated" => OfferStatus::Active,
                "pending" => OfferStatus::Pending,
                _ => {
                    return Err(ProError::Refused(
                        "Le compte de votre entreprise n'est pas actif : contactez-nous."
                            .to_owned(),
                    ));
                }
            };
            let point = lba_core::GeoPoint::new(c.lat, c.lon).map_err(|_| {
                ProError::Refused("Adresse de l'entreprise sans coordonnées.".to_owned())
            })?;
            let record = CompanyRecord {
                name: c.name,
                naf: c.naf_code,
                address: c.address,
                postal_code: c.postal_code,
                commune_insee: c.commune_insee,
                city: c.city,
                point,
            };
            (siret.to_owned(), record, status, None)
        }
        (Role::Cfa, _) => {
            let uai = pro.cfa_uai.clone().ok_or(ProError::NotFound)?;
            let siret = Siret::parse(for_siret.unwrap_or_default()).map_err(|_| {
                ProError::field("siret", "Ce SIRET n'est pas valide : 14 chiffres.")
            })?;
            let record = company_record(store, &siret)
                .await?
                .ok_or_else(|| ProError::field("siret", UNKNOWN_SIRET))?;
            if is_education(record.naf.as_deref()) {
                return Err(ProError::field("siret", EDUCATION));
            }
            (
                siret.as_str().to_owned(),
                record,
                OfferStatus::Active,
                Some(uai),
            )
        }
        _ => {
            return Err(ProError::Refused(
                "Seuls les recruteurs et les CFA publient des offres.".to_owned(),
            ));
        }
    };
    let index = search.snapshot();
    let appellation = crate::search_request::lookup::appellations(&index, metier, 1)
        .into_iter()
        .next()
        .filter(|_| !metier.trim().is_empty());
    let checked = input.check(paris_today(now));
    let (fields, (label, rome)) = match (checked, appellation) {
        (Ok(f), Some((label, rome, _))) => (f, (label, rome)),
        (checked, appellation) => {
            let mut errors = checked.err().unwrap_or_default();
            if appellation.is_none() {
                errors.insert(
                    0,
                    (
                        "metier",
                        "Choisissez un métier dans la liste (tapez les premières lettres)."
                            .to_owned(),
                    ),
                );
            }
            return Err(ProError::Fields(errors));
        }
    };
    let id = uuid::Uuid::new_v4().simple().to_string();
    let expires_at = plus_lifetime(now);
    let mut description = fields.description.clone();
    if !fields.profile.is_empty() {
        description.push_str("\n\nProfil recherché : ");
        description.push_str(&fields.profile);
    }
    let offer = Offer {
        id: id.clone(),
        is_demo: false,
        origin: OfferOrigin::Platform,
        status,
        title: fields.title.clone().unwrap_or(label),
        appellation_ogr: None,
        rome,
        description,
        contract_types: fields.contract_types.clone(),
        level: fields.level,
        start_date: fields.start,
        duration_months: Some(fields.duration_months),
        company_siret: Siret::parse(&siret).ok(),
        company_name: company.name.as_str().into(),
        company_naf: company.naf.as_deref().and_then(|n| NafCode::parse(n).ok()),
        company_headcount: None,
        place: Place {
            address: company.address.as_str().into(),
            postal_code: company
                .postal_code
                .as_deref()
                .and_then(|p| PostalCode::parse(p).ok()),
            commune_insee: company
                .commune_insee
                .as_deref()
                .and_then(|c| InseeCode::parse(c).ok()),
            city: company.city.as_str().into(),
            point: company.point,
        },
        published_at: now,
        expires_at,
        apply_url: None,
    };
    let pro_part = NewProOffer {
        company_siret: siret.clone(),
        created_by: pro.id.clone(),
        on_behalf_of_cfa: on_behalf,
        rhythm: fields.rhythm.clone(),
        positions: i64::from(fields.positions),
        profile: fields.profile.clone(),
        questions: serde_json::to_string(&fields.questions).unwrap_or_else(|_| "[]".to_owned()),
    };
    let jobs = lba_notify::pro::reminder_jobs(&id, expires_at);
    store
        .insert_pro_offer(&offer, &pro_part, &pro.email, ms(now), &jobs, None)
        .await?;
    Ok(id)
}

/// The offers `pro` may manage: their company's (recruiter), every posted
/// one (administrator, the latest 500).
///
/// # Errors
/// The database failed.
pub async fn list(store: &Store, pro: &Pro) -> Result<Vec<ProOffer>, ProError> {
    Ok(match (pro.role, pro.company_siret.as_deref()) {
        (Role::Recruiter, Some(siret)) => store.pro_offers_of_company(siret).await?,
        (Role::Cfa, _) => match pro.cfa_uai.as_deref() {
            Some(uai) => store.pro_offers_of_cfa(uai).await?,
            None => Vec::new(),
        },
        (Role::Admin, _) => store.pro_offers_all(500).await?,
        _ => Vec::new(),
    })
}

/// Offer `id` and its history, when `pro` may see it: a user of another
/// company gets [`ProError::NotFound`], as for an offer that does not exist.
///
/// # Errors
/// Not theirs; the database failed.
pub async fn get(
    store: &Store,
    pro: &Pro,
    id: &str,
) -> Result<(ProOffer, Vec<OfferHistoryEntry>), ProError> {
    let offer = store.pro_offer(id).await?.ok_or(ProError::NotFound)?;
    let mine = match pro.role {
        Role::Admin => true,
        Role::Recruiter => pro.company_siret.as_deref() == Some(offer.company_siret.as_str()),
        Role::Cfa => pro.cfa_uai.is_some() && pro.cfa_uai == offer.on_behalf_of_cfa,
        Role::Opco => false,
    };
    if !mine {
        return Err(ProError::NotFound);
    }
    let history = store.pro_offer_history(id).await?;
    Ok((offer, history))
}

/// What a recruiter does to an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Two more months from its current expiry (or from now, once expired).
    Extend,
    /// Filled or cancelled.
    Close(Closing),
}

async fn apply(
    store: &Store,
    offer: &ProOffer,
    change: Change,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    Ok(match change {
        Change::Extend => {
            let new_expiry = plus_lifetime(offer.expires_at.max(now));
            let jobs = lba_notify::pro::reminder_jobs(&offer.id, new_expiry);
            store
                .change_pro_offer(
                    &offer.id,
                    &["active"],
                    "active",
                    Some(new_expiry),
                    actor,
                    "prolongee",
                    ms(now),
                    &jobs,
                )
                .await?
        }
        Change::Close(closing) => {
            let to = match closing {
                Closing::Filled(_) => OfferStatus::Filled,
                Closing::Cancelled(_) => OfferStatus::Cancelled,
            };
            store
                .change_pro_offer(
                    &offer.id,
                    &["active", "pending"],
                    to.as_str(),
                    None,
                    actor,
                    closing.note(),
                    ms(now),
                    &[],
                )
                .await?
        }
    })
}

/// `pro` changes offer `id`. False when it no longer applies (closed
/// already).
///
/// # Errors
/// Not theirs; the database failed.
pub async fn change(
    store: &Store,
    pro: &Pro,
    id: &str,
    change: Change,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    let (offer, _) = get(store, pro, id).await?;
    apply(store, &offer, change, &pro.id, now).await
}

/// Checks a one-click link of a reminder (`action` signed for the expiry
/// `for_expiry`); the offer when the link is good.
///
/// # Errors
/// [`ProError::Refused`] with the French reason (modified, expired, sent
/// for an expiry that changed since); the database failed.
pub async fn by_link(
    store: &Store,
    key: &LinkKey,
    id: &str,
    action: &str,
    for_expiry: i64,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<ProOffer, ProError> {
    key.verify(
        &links::offer_action_message(id, action, for_expiry),
        signature,
        now,
    )
    .map_err(|e| ProError::Refused(format!("Désolé, {e}.")))?;
    let offer = store.pro_offer(id).await?.ok_or(ProError::NotFound)?;
    if offer.status != "active" {
        return Err(ProError::Refused(
            "Cette offre est déjà close : il n'y a plus rien à faire.".to_owned(),
        ));
    }
    if offer.expires_at.timestamp_millis() != for_expiry {
        return Err(ProError::Refused(
            "Cette offre a déjà été prolongée depuis cet e-mail.".to_owned(),
        ));
    }
    Ok(offer)
}

/// Applies a one-click link's change (after its confirmation page).
///
/// # Errors
/// As [`by_link`].
#[allow(
    clippy::too_many_arguments,
    reason = "what the signed link carries, each checked"
)]
pub async fn change_by_link(
    store: &Store,
    key: &LinkKey,
    id: &str,
    action: &str,
    for_expiry: i64,
    signature: &Signature,
    change: Change,
    now: DateTime<Utc>,
) -> Result<bool, ProError> {
    let offer = by_link(store, key, id, action, for_expiry, signature, now).await?;
    let expected = match change {
        Change::Extend => "prolonger",
        Change::Close(Closing::Filled(_)) => "pourvue",
        Change::Close(Closing::Cancelled(_)) => "annulee",
    };
    if expected != action {
        return Err(ProError::Refused(
            "Ce lien ne permet pas cette action.".to_owned(),
        ));
    }
    apply(store, &offer, change, "lien", now).await
}

/// The applications to offer `id` when `pro` may see it, each with the
/// signed paths of the same one-click answers as the recruiter's email
/// (`(interview, refusal)`).
///
/// # Errors
/// Not theirs; the database failed.
pub async fn applications(
    store: &Store,
    key: &LinkKey,
    pro: &Pro,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(ReceivedApplication, String, String)>, ProError> {
    get(store, pro, id).await?;
    let list = store.applications_to_offer(id).await?;
    Ok(with_answers(list, key, now))
}

/// Each application with the signed paths of the recruiter's one-click
/// answers (`(interview, refusal)`), as in the email.
pub(crate) fn with_answers(
    list: Vec<ReceivedApplication>,
    key: &LinkKey,
    now: DateTime<Utc>,
) -> Vec<(ReceivedApplication, String, String)> {
    list.into_iter()
        .map(|a| {
            let path = |action: &str| {
                let signature = key.sign(
                    &links::answer_message(&a.id, action),
                    now + links::LINK_VALIDITY,
                );
                links::answer_path(&a.id, action, &signature)
            };
            let (interview, refusal) = (path("interview"), path("refusal"));
            (a, interview, refusal)
        })
        .collect()
}

/// The CV of application `application` to offer `id`, while it is kept:
/// `(file name, MIME type, bytes)`.
///
/// # Errors
/// Not theirs, not this offer's, or no CV any more ([`ProError::NotFound`]);
/// the database failed.
pub async fn cv(
    store: &Store,
    pro: &Pro,
    id: &str,
    application: &str,
) -> Result<(String, String, Vec<u8>), ProError> {
    get(store, pro, id).await?;
    let a = store
        .application(application)
        .await?
        .filter(|a| a.target_kind.as_str() == "offer" && a.target_id == id)
        .ok_or(ProError::NotFound)?;
    let bytes = a.cv_bytes.ok_or(ProError::NotFound)?;
    Ok((a.cv_name, a.cv_mime, bytes))
}
