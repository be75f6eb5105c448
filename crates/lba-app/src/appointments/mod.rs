//! Contacting a CFA about a course (issue 17, "prise de rendez-vous"): who
//! may receive requests, sending one (validation, the 4-day rule, the
//! CFA's email and the confirmation through the outbox in the same
//! transaction), the CFA's answer through its signed link, the
//! administrators' settings, and the follow-up per CFA ([`stats`]).
//! A CFA address that bounces for good (SMTP refusal in the worker, or a
//! hard bounce reported by the provider's webhook, [`address_bounced`]) is
//! suspended and whoever asked is told at once.

use chrono::{DateTime, TimeDelta, Utc};
use lba_core::appointment::{Field, RawRequest, Referrer};
use lba_core::contact::Email;
use lba_core::opportunity::Formation;
use lba_notify::LinkKey;
use lba_notify::appointment::job;
use lba_notify::links::{self, LinkError, Signature};
pub use lba_store::appointments::Appointment;
use lba_store::appointments::{NewAppointment, Refused};
use lba_store::outbox::JobKind;
use lba_store::{Store, StoreError};

use crate::attribution::Attribution;

mod remind;
mod stats;

pub use remind::{RemindReport, remind};
pub use stats::{CfaStats, FollowUp, follow_up, follow_up_csv};

/// The same person cannot ask about the same course again within this time.
pub const SAME_REQUEST_DAYS: i64 = 4;

/// Whether a course accepts requests, and where they go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Eligibility {
    /// Requests go to this address.
    Accepts(String),
    /// The CFA asked not to receive requests: show its phone and address.
    OptedOut,
    /// No contact address is known (or it bounced).
    NoAddress,
}

/// Whether `course` accepts requests from `referrer`: its CFA has a
/// contact address (set by an administrator, else the catalogue's) that
/// did not bounce, and has not opted out. The rule is the same for every
/// referrer today; the referrer is recorded with each request.
pub async fn eligibility(
    store: &Store,
    course: &Formation,
    _referrer: Referrer,
) -> Result<Eligibility, StoreError> {
    let settings = match &course.cfa_uai {
        Some(uai) => store.cfa_contact(uai.as_str()).await?,
        None => None,
    };
    if settings.as_ref().is_some_and(|s| s.opted_out) {
        return Ok(Eligibility::OptedOut);
    }
    let address = settings
        .as_ref()
        .and_then(|s| s.email.clone())
        .or_else(|| course.email.clone())
        .filter(|e| Email::parse(e).is_ok());
    let suspended = |e: &str| {
        settings
            .as_ref()
            .is_some_and(|s| s.suspended_at.is_some() && s.suspended_email.as_deref() == Some(e))
    };
    Ok(match address {
        Some(e) if !suspended(&e) => Eligibility::Accepts(e),
        _ => Eligibility::NoAddress,
    })
}

/// Why a request is refused.
#[derive(Debug, thiserror::Error)]
pub enum AppointmentError {
    /// Some fields are invalid (400), each with its message.
    #[error("champs invalides")]
    Invalid(Vec<(Field, String)>),
    /// No such course (404).
    #[error("cette formation n'existe pas")]
    UnknownCourse,
    /// The same address asked about this course less than 4 days ago (409).
    #[error(
        "vous avez déjà envoyé une demande pour cette formation le {0} : le CFA a 4 jours pour vous répondre, vous pourrez en envoyer une autre ensuite"
    )]
    Recent(String),
    /// The course does not accept requests (422).
    #[error(
        "ce CFA ne reçoit pas de demandes par La bonne alternance : contactez-le par téléphone"
    )]
    NotAccepting,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// "6 décembre 2026 à 14 h 05" in Paris time.
fn french_date(at: DateTime<Utc>) -> String {
    use chrono::Timelike;
    let local = at.with_timezone(&chrono_tz::Europe::Paris);
    format!(
        "{} à {} h {:02}",
        lba_core::french::date(local.date_naive()),
        local.hour(),
        local.minute()
    )
}

/// Sends a request about `course`: checks every field, the course's
/// eligibility and the 4-day rule, then stores it with the CFA's email and
/// the confirmation in one transaction. Its id.
pub async fn submit(
    store: &Store,
    course: Option<&Formation>,
    raw: &RawRequest,
    referrer: Referrer,
    attribution: Option<&Attribution>,
    now: DateTime<Utc>,
) -> Result<String, AppointmentError> {
    let request = raw.parse().map_err(AppointmentError::Invalid)?;
    let course = course.ok_or(AppointmentError::UnknownCourse)?;
    let Eligibility::Accepts(cfa_email) = eligibility(store, course, referrer).await? else {
        return Err(AppointmentError::NotAccepting);
    };
    let id = uuid::Uuid::new_v4().simple().to_string();
    let new = NewAppointment {
        id: id.clone(),
        formation_id: course.id.clone(),
        course_title: course.title.clone(),
        cfa_name: course.cfa_name.clone(),
        cfa_uai: course.cfa_uai.as_ref().map(|u| u.as_str().to_owned()),
        cfa_email,
        referrer: if attribution.is_some() {
            Referrer::Campaign.as_str().to_owned()
        } else {
            referrer.as_str().to_owned()
        },
        requester: request.requester.as_str().to_owned(),
        first_name: request.first_name.as_str().to_owned(),
        last_name: request.last_name.as_str().to_owned(),
        email: request.email.as_str().to_owned(),
        phone: request.phone.national(),
        reasons: request.reasons.join(","),
        message: request.message.clone(),
        person_id: attribution.map(|a| a.person_id.clone()),
        campaign_id: attribution.map(|a| a.campaign_id.clone()),
        arm: attribution.map(|a| a.arm.clone()),
        created_at: now,
    };
    let jobs = [
        job(JobKind::CfaAppointment, &id, now),
        job(JobKind::AppointmentConfirmation, &id, now),
    ];
    let since = now - TimeDelta::days(SAME_REQUEST_DAYS);
    match store.insert_appointment(&new, since, &jobs).await? {
        Ok(()) => Ok(id),
        Err(Refused::Recent(at)) => Err(AppointmentError::Recent(french_date(at))),
    }
}

/// What the CFA answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CfaAnswer {
    /// "Je l'ai contacté par téléphone".
    Phoned,
    /// "Je lui ai répondu par e-mail", with the message sent to them.
    Emailed(String),
    /// "Je ne peux pas donner suite", with a reason.
    Declined(DeclineReason),
}

/// Why a CFA cannot follow a request up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclineReason {
    Full,
    WrongCourse,
    Other,
}

impl DeclineReason {
    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Full => "complet",
            Self::WrongCourse => "mauvaise_formation",
            Self::Other => "autre",
        }
    }

    /// Parses the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        [Self::Full, Self::WrongCourse, Self::Other]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Why an answer link or answer is refused.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// A modified or malformed link (nothing changed).
    #[error("ce lien n'est pas valide")]
    BadLink,
    /// The link is older than 60 days.
    #[error("ce lien a expiré")]
    Expired,
    /// No such request (deleted).
    #[error("cette demande n'existe plus")]
    Unknown,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks the signed link of request `id`.
pub fn verify_link(
    key: &LinkKey,
    id: &str,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<(), AnswerError> {
    key.verify(&links::appointment_message(id), signature, now)
        .map_err(|e| match e {
            LinkError::Expired => AnswerError::Expired,
            LinkError::Invalid => AnswerError::BadLink,
        })
}

/// Opens request `id` from the CFA's link: marks it read (the first time)
/// and returns it.
pub async fn open(
    store: &Store,
    key: &LinkKey,
    id: &str,
    signature: &Signature,
    now: DateTime<Utc>,
) -> Result<Appointment, AnswerError> {
    verify_link(key, id, signature, now)?;
    let a = store.appointment(id).await?.ok_or(AnswerError::Unknown)?;
    store.mark_appointment_read(id, now).await?;
    Ok(a)
}

/// Records the CFA's answer (once) and queues the email to whoever asked;
/// false when it was already answered.
pub async fn answer(
    store: &Store,
    key: &LinkKey,
    id: &str,
    signature: &Signature,
    answer: &CfaAnswer,
    now: DateTime<Utc>,
) -> Result<bool, AnswerError> {
    verify_link(key, id, signature, now)?;
    store.appointment(id).await?.ok_or(AnswerError::Unknown)?;
    let (kind, reason, message) = match answer {
        CfaAnswer::Phoned => ("telephone", None, None),
        CfaAnswer::Emailed(m) => ("email", None, Some(m.as_str())),
        CfaAnswer::Declined(r) => ("impossible", Some(r.as_str()), None),
    };
    let jobs = [job(JobKind::AppointmentAnswer, id, now)];
    Ok(store
        .answer_appointment(id, kind, reason, message, now, &jobs)
        .await?)
}

/// The form pre-filled for a cohort person who came through a campaign's
/// tracked link (`{{ cfa.lien }}`): their name and contact from the cohort
/// file, read through the signed attribution cookie — nothing personal
/// travels in the URL.
pub async fn prefill(store: &Store, person_id: &str) -> Result<Option<RawRequest>, StoreError> {
    Ok(store.cohort_person(person_id).await?.map(|p| RawRequest {
        requester: "jeune".to_owned(),
        first_name: p.first_name,
        last_name: p.last_name,
        email: p.email.map(|e| e.as_str().to_owned()).unwrap_or_default(),
        phone: p.mobile.map(|m| m.national()).unwrap_or_default(),
        ..RawRequest::default()
    }))
}

/// `lba cfa contact-email`: sets the contact address of CFA `uai`.
pub async fn set_contact_email(
    store: &Store,
    uai: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), String>, StoreError> {
    let Ok(uai) = lba_core::ids::Uai::parse(uai) else {
        return Ok(Err(format!(
            "UAI invalide : « {uai} » (7 chiffres et sa lettre de contrôle)"
        )));
    };
    let Ok(email) = Email::parse(email) else {
        return Ok(Err(format!("adresse e-mail invalide : « {email} »")));
    };
    store
        .set_cfa_contact_email(uai.as_str(), email.as_str(), now)
        .await?;
    Ok(Ok(()))
}

/// A CFA whose contact address bounced: (UAI, address, when), for the
/// administrators (`lba cfa contact-email` sets a working one).
pub async fn suspended(store: &Store) -> Result<Vec<(String, String, DateTime<Utc>)>, StoreError> {
    Ok(store
        .suspended_cfa_contacts()
        .await?
        .into_iter()
        .filter_map(|c| Some((c.uai, c.suspended_email?, c.suspended_at?)))
        .collect())
}

/// How far back a bounce of a CFA address concerns the requests sent to
/// it (the validity of the answer link).
const BOUNCE_LOOKBACK: TimeDelta = TimeDelta::days(60);

/// The provider reported a hard bounce of `email`: when it is the address
/// of CFAs (requests sent to it in the last 60 days, or set by an
/// administrator), it is suspended for contact requests, shown to the
/// administrators, and whoever sent a request still waiting for an answer
/// is told at once (once per request). Returns the number of people told;
/// an address that is no CFA's changes nothing here.
pub async fn address_bounced(
    store: &Store,
    email: &str,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let email = email.trim();
    store.suspend_cfa_contact_email(email, now).await?;
    let mut told = 0;
    for a in store
        .appointments_to_cfa_email(email, now - BOUNCE_LOOKBACK)
        .await?
    {
        let notice = job(JobKind::AppointmentUndeliverable, &a.id, now);
        if store.bounce_appointment(&a.id, now, &notice).await? {
            told += 1;
        }
    }
    if told > 0 {
        tracing::info!(told, "CFA address bounced");
    }
    Ok(told)
}

/// `lba cfa opt-out|opt-in`.
pub async fn set_opted_out(
    store: &Store,
    uai: &str,
    opted_out: bool,
    now: DateTime<Utc>,
) -> Result<Result<(), String>, StoreError> {
    let Ok(uai) = lba_core::ids::Uai::parse(uai) else {
        return Ok(Err(format!(
            "UAI invalide : « {uai} » (7 chiffres et sa lettre de contrôle)"
        )));
    };
    store
        .set_cfa_opted_out(uai.as_str(), opted_out, now)
        .await?;
    Ok(Ok(()))
}
