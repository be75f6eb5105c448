//! Creating a company or a CFA account. The establishment comes from the
//! SIRENE data when it is loaded (closed establishments are not kept, so
//! "unknown" covers "closed"), else from the companies and offers we know.
//! Email ownership is proven by the sign-in link mailed at the end: nothing
//! can be done with the account before it is opened.

use chrono::{DateTime, Utc};
use lba_core::contact::{Email, PhoneNumber};
use lba_core::ids::Siret;
use lba_core::pro::{CompanyStatus, validates_automatically};
use lba_store::Store;
use lba_store::pro::{NewProCompany, ProUser};

use super::{ProError, auth, ms};

/// The contact part of a sign-up form.
#[derive(Clone, Debug, Default)]
pub struct Contact {
    /// Email (also the account's sign-in address).
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone.
    pub phone: String,
}

/// Checks the contact fields; all the errors at once.
fn check_contact(
    c: &Contact,
    errors: &mut Vec<(&'static str, String)>,
) -> Option<(String, String)> {
    let email = Email::parse(c.email.trim()).ok();
    if email.is_none() {
        errors.push(("email", "Saisissez une adresse e-mail valide.".into()));
    }
    for (field, value, label) in [
        ("first_name", &c.first_name, "Prénom"),
        ("last_name", &c.last_name, "Nom"),
    ] {
        let n = value.trim().chars().count();
        if n == 0 || n > 60 {
            errors.push((field, format!("{label} : de 1 à 60 caractères.")));
        }
    }
    let phone = PhoneNumber::parse(c.phone.trim()).ok();
    if phone.is_none() {
        errors.push((
            "phone",
            "Saisissez un numéro de téléphone français valide.".into(),
        ));
    }
    Some((email?.normalized(), phone?.national()))
}

/// An establishment as the pro space needs it: from SIRENE when it is
/// loaded, else from the companies we know.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CompanyRecord {
    pub(crate) name: String,
    pub(crate) naf: Option<String>,
    pub(crate) address: String,
    pub(crate) postal_code: Option<String>,
    pub(crate) commune_insee: Option<String>,
    pub(crate) city: String,
    pub(crate) point: lba_core::GeoPoint,
}

pub(crate) const UNKNOWN_SIRET: &str = "Nous ne trouvons pas cet établissement en activité. Vérifiez \
     le SIRET (celui de l'établissement où travaillera l'alternant).";
pub(crate) const EDUCATION: &str = "Cet établissement relève de l'enseignement (NAF 85) : vous \
     êtes un organisme de formation ? Créez plutôt un compte CFA.";

/// Whether a NAF code is of education (section P, division 85).
pub(crate) fn is_education(naf: Option<&str>) -> bool {
    naf.is_some_and(|n| n.starts_with("85"))
}

/// The establishment `siret`: SIRENE's when SIRENE is loaded (closed
/// establishments are not kept, so absent means unknown or closed), else
/// the hiring data's.
pub(crate) async fn company_record(
    store: &Store,
    siret: &Siret,
) -> Result<Option<CompanyRecord>, ProError> {
    let sirene_loaded = store.establishment_count().await? > 0;
    Ok(match store.establishment(siret.as_str()).await? {
        Some(e) => e.point.map(|point| CompanyRecord {
            name: e.name,
            naf: e.naf.map(|n| n.as_str().to_owned()),
            address: e.address,
            postal_code: e.postal_code.map(|c| c.as_str().to_owned()),
            commune_insee: e.commune_insee.map(|c| c.as_str().to_owned()),
            city: e.city,
            point,
        }),
        None if sirene_loaded => None,
        None => store.company(siret.as_str()).await?.map(|c| CompanyRecord {
            name: c.name.into(),
            naf: c.naf.map(|n| n.as_str().to_owned()),
            address: c.place.address.into(),
            postal_code: c.place.postal_code.map(|p| p.as_str().to_owned()),
            commune_insee: c.place.commune_insee.map(|p| p.as_str().to_owned()),
            city: c.place.city.into(),
            point: c.place.point,
        }),
    })
}

/// What a sign-up did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedUp {
    /// The company's or the CFA's name.
    pub name: String,
    /// Validated at once (else waiting for an OPCO or an administrator).
    pub validated: bool,
}

/// Creates a company account for `siret` and its recruiter, then mails the
/// sign-in link.
///
/// # Errors
/// [`ProError::Fields`] with every wrong field (the SIRET: malformed,
/// unknown or closed, education); already an account; the database.
pub async fn company(
    store: &Store,
    siret: &str,
    contact: &Contact,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SignedUp, ProError> {
    let mut errors = Vec::new();
    let siret = match Siret::parse(siret) {
        Ok(s) => Some(s),
        Err(_) => {
            errors.push((
                "siret",
                "Ce SIRET n'est pas valide : 14 chiffres, vérifiez-le sur votre Kbis.".to_owned(),
            ));
            None
        }
    };
    let checked = check_contact(contact, &mut errors);
    let (Some(siret), Some((email, phone))) = (siret, checked) else {
        return Err(ProError::Fields(errors));
    };
    if !errors.is_empty() {
        return Err(ProError::Fields(errors));
    }
    let Some(CompanyRecord {
        name,
        naf,
        address,
        postal_code,
        commune_insee,
        city,
        point,
    }) = company_record(store, &siret).await?
    else {
        return Err(ProError::field("siret", UNKNOWN_SIRET));
    };
    if is_education(naf.as_deref()) {
        return Err(ProError::field("siret", EDUCATION));
    }
    let known = store.known_company_emails(siret.as_str()).await?;
    let parsed = Email::parse(&email).map_err(|_| ProError::field("email", "Adresse invalide."))?;
    let validated = validates_automatically(&parsed, &known);
    let company = NewProCompany {
        siret: siret.as_str().to_owned(),
        name: name.clone(),
        address,
        postal_code,
        commune_insee,
        city,
        lat: point.lat(),
        lon: point.lon(),
        naf_code: naf,
        opco: None,
        status: if validated {
            CompanyStatus::Validated
        } else {
            CompanyStatus::Pending
        }
        .as_str()
        .to_owned(),
        decided_by: validated.then(|| "auto".to_owned()),
        decided_at: validated.then(|| ms(now)),
        created_at: ms(now),
    };
    let recruiter = ProUser {
        id: uuid::Uuid::new_v4().simple().to_string(),
        email: email.clone(),
        role: "recruteur".to_owned(),
        first_name: contact.first_name.trim().to_owned(),
        last_name: contact.last_name.trim().to_owned(),
        phone: Some(phone),
        company_siret: Some(siret.as_str().to_owned()),
        cfa_uai: None,
        opco: None,
        status: "active".to_owned(),
        created_at: ms(now),
        last_sign_in_at: None,
    };
    if !store.insert_pro_company(&company, &recruiter).await? {
        return Err(ProError::Refused(
            "Cette entreprise ou cette adresse e-mail a déjà un compte : connectez-vous avec \
             l'adresse du compte."
                .to_owned(),
        ));
    }
    auth::request_link(store, &email, client, now).await?;
    Ok(SignedUp { name, validated })
}

/// Creates the account of the CFA whose UAI or SIRET is `id` (one per CFA),
/// active at once when the address is one its courses give or shares
/// their domain (not a webmail), else waiting for an administrator.
///
/// # Errors
/// As [`company`].
pub async fn cfa(
    store: &Store,
    id: &str,
    contact: &Contact,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SignedUp, ProError> {
    let mut errors = Vec::new();
    let checked = check_contact(contact, &mut errors);
    let found = store.cfa_for_account(id.trim()).await?;
    if found.is_none() {
        errors.push((
            "cfa",
            "Aucun CFA du référentiel n'a cet UAI ou ce SIRET.".to_owned(),
        ));
    }
    let (Some((email, phone)), Some((uai, name, known))) = (checked, found) else {
        return Err(ProError::Fields(errors));
    };
    if !errors.is_empty() {
        return Err(ProError::Fields(errors));
    }
    let parsed = Email::parse(&email).map_err(|_| ProError::field("email", "Adresse invalide."))?;
    let validated = validates_automatically(&parsed, &known) && !known.is_empty();
    let user = ProUser {
        id: uuid::Uuid::new_v4().simple().to_string(),
        email: email.clone(),
        role: "cfa".to_owned(),
        first_name: contact.first_name.trim().to_owned(),
        last_name: contact.last_name.trim().to_owned(),
        phone: Some(phone),
        company_siret: None,
        cfa_uai: Some(uai),
        opco: None,
        status: if validated { "active" } else { "pending" }.to_owned(),
        created_at: ms(now),
        last_sign_in_at: None,
    };
    if !store.insert_pro_user(&user, None).await? {
        return Err(ProError::Refused(
            "Ce CFA ou cette adresse e-mail a déjà un compte : connectez-vous avec l'adresse du \
             compte."
                .to_owned(),
        ));
    }
    if validated {
        auth::request_link(store, &email, client, now).await?;
    }
    Ok(SignedUp { name, validated })
}
