//! Applying to an offer or spontaneously to a company: validate every
//! field (all problems reported at once), check the target and the quotas,
//! then store the application with its CV and the job that delivers it in
//! one transaction. Sending is the worker's business (`lba-notify`).

mod refusal;

use chrono::{DateTime, TimeDelta, Utc};
use lba_core::application::{ApplicationError, CvFile, PersonName, TargetKind, parse_message};
use lba_core::contact::{Email, PhoneNumber};
use lba_core::ids::Siret;
use lba_notify::jobs::{JobKind, new_job};
use lba_notify::links::LinkKey;
use lba_store::applications::{NewApplication, StoredApplication};
use lba_store::{Store, StoreError};

/// The anti-abuse quotas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApplyLimits {
    /// Applications by one candidate (email) to one offer or company.
    pub per_target: i64,
    /// Applications by one candidate in 24 hours.
    pub per_day: i64,
    /// Applications an offer accepts in total.
    pub per_offer: i64,
}

impl Default for ApplyLimits {
    fn default() -> Self {
        Self {
            per_target: 3,
            per_day: 100,
            per_offer: 80,
        }
    }
}

/// Where the application goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An offer, by id.
    Offer(String),
    /// A company, by SIRET.
    Company(Siret),
}

impl Target {
    fn kind(&self) -> TargetKind {
        match self {
            Self::Offer(_) => TargetKind::Offer,
            Self::Company(_) => TargetKind::Company,
        }
    }

    fn id(&self) -> &str {
        match self {
            Self::Offer(id) => id,
            Self::Company(siret) => siret.as_str(),
        }
    }
}

/// The raw fields of an application, as received (form or JSON).
#[derive(Clone, Default)]
pub struct ApplicationInput {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Optional message.
    pub message: String,
    /// CV file name as sent.
    pub cv_name: String,
    /// CV bytes.
    pub cv_bytes: Vec<u8>,
    /// The API caller (`caller` of the v1 API).
    pub caller: Option<String>,
    /// The client address, for the keyed hash kept with the application.
    pub ip: Option<std::net::IpAddr>,
}

/// Only sizes: the fields are personal data.
impl std::fmt::Debug for ApplicationInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApplicationInput(cv {} bytes)", self.cv_bytes.len())
    }
}

/// A field of the application, as named by the form (the API maps them to
/// its v1 names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// First name.
    FirstName,
    /// Last name.
    LastName,
    /// Email.
    Email,
    /// Phone.
    Phone,
    /// Message.
    Message,
    /// CV.
    Cv,
    /// The CV's file name (the same form field as [`Field::Cv`]).
    CvName,
}

impl Field {
    /// The form field name.
    #[must_use]
    pub fn form_name(self) -> &'static str {
        match self {
            Self::FirstName => "prenom",
            Self::LastName => "nom",
            Self::Email => "email",
            Self::Phone => "telephone",
            Self::Message => "message",
            Self::Cv | Self::CvName => "cv",
        }
    }
}

/// Why an application is refused. Messages are in French.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Some fields are invalid (each with its message).
    #[error("champs invalides")]
    Invalid(Vec<(Field, String)>),
    /// No such offer or company.
    #[error("cette offre ou cette entreprise n'existe pas")]
    NotFound,
    /// The target does not accept applications here (closed offer, no
    /// known email); the message says what to do instead.
    #[error("{0}")]
    NotAccepting(String),
    /// The candidate already applied [`ApplyLimits::per_target`] times.
    #[error(
        "vous avez déjà postulé {0} fois à cette offre ou à cette entreprise : attendez sa réponse"
    )]
    TooManyForTarget(i64),
    /// The offer received [`ApplyLimits::per_offer`] applications.
    #[error("cette offre a reçu le nombre maximum de candidatures ({0}) et n'en accepte plus")]
    OfferFull(i64),
    /// The candidate sent [`ApplyLimits::per_day`] applications in 24 hours.
    #[error("vous avez envoyé {0} candidatures en 24 heures : réessayez demain")]
    TooManyToday(i64),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The parts of the apply use case that come from the settings.
#[derive(Clone, Debug)]
pub struct ApplyConfig {
    /// Quotas.
    pub limits: ApplyLimits,
    /// Key of signed links and of IP hashes.
    pub key: LinkKey,
}

/// The recipient of an application to `target`, with the snapshots stored
/// with it; or why it cannot be sent here.
struct Recipient {
    email: Email,
    title: String,
    company: String,
}

async fn recipient(
    store: &Store,
    target: &Target,
    now: DateTime<Utc>,
) -> Result<Recipient, ApplyError> {
    match target {
        Target::Offer(id) => {
            let offer = store.offer(id).await?.ok_or(ApplyError::NotFound)?;
            if !offer.is_open(now) {
                return Err(ApplyError::NotAccepting(
                    "cette offre n'est plus ouverte aux candidatures".into(),
                ));
            }
            let email = store.offer_contact(id).await?;
            let email = email.and_then(|e| Email::parse(&e).ok()).ok_or_else(|| {
                ApplyError::NotAccepting(match &offer.apply_url {
                    Some(_) => "cette offre se postule sur son site d'origine".into(),
                    None => "le recruteur de cette offre ne reçoit pas de candidatures par \
                             La bonne alternance"
                        .into(),
                })
            })?;
            Ok(Recipient {
                email,
                title: offer.title.clone(),
                company: offer.company_name.to_string(),
            })
        }
        Target::Company(siret) => {
            let company = store
                .company(siret.as_str())
                .await?
                .ok_or(ApplyError::NotFound)?;
            let email = company
                .email
                .as_deref()
                .and_then(|e| Email::parse(e).ok())
                .ok_or_else(|| {
                    ApplyError::NotAccepting(
                        "l'adresse de cette entreprise n'est pas connue : contactez-la par \
                         téléphone ou sur place"
                            .into(),
                    )
                })?;
            Ok(Recipient {
                email,
                title: company.name.to_string(),
                company: company.name.to_string(),
            })
        }
    }
}

/// Validated fields.
struct Valid {
    first_name: PersonName,
    last_name: PersonName,
    email: Email,
    phone: PhoneNumber,
    message: Option<String>,
    cv: CvFile,
}

fn validate(input: ApplicationInput) -> Result<Valid, ApplyError> {
    let mut problems = Vec::new();
    fn check<T>(
        problems: &mut Vec<(Field, String)>,
        field: Field,
        result: Result<T, String>,
    ) -> Option<T> {
        result
            .map_err(|message| problems.push((field, message)))
            .ok()
    }
    let first_name = check(
        &mut problems,
        Field::FirstName,
        PersonName::parse(&input.first_name).map_err(|e| e.to_string()),
    );
    let last_name = check(
        &mut problems,
        Field::LastName,
        PersonName::parse(&input.last_name).map_err(|e| e.to_string()),
    );
    let email = check(
        &mut problems,
        Field::Email,
        Email::parse_personal(&input.email).map_err(|e| e.to_string()),
    );
    let phone = check(
        &mut problems,
        Field::Phone,
        PhoneNumber::parse(&input.phone).map_err(|e| e.to_string()),
    );
    let message = check(
        &mut problems,
        Field::Message,
        parse_message(&input.message).map_err(|e| e.to_string()),
    );
    let cv = match CvFile::parse(&input.cv_name, input.cv_bytes) {
        Ok(cv) => Some(cv),
        Err(e) => {
            // A wrong file name is the name's problem, not the content's.
            let field = if matches!(e, ApplicationError::CvName) {
                Field::CvName
            } else {
                Field::Cv
            };
            problems.push((field, e.to_string()));
            None
        }
    };
    match (first_name, last_name, email, phone, message, cv) {
        (Some(first_name), Some(last_name), Some(email), Some(phone), Some(message), Some(cv))
            if problems.is_empty() =>
        {
            Ok(Valid {
                first_name,
                last_name,
                email,
                phone,
                message,
                cv,
            })
        }
        _ => Err(ApplyError::Invalid(problems)),
    }
}

/// Checks the fields only, storing nothing: every problem, empty when all
/// are valid. For a form that must report its own fields (the consent box)
/// together with these.
#[must_use]
pub fn field_problems(input: ApplicationInput) -> Vec<(Field, String)> {
    match validate(input) {
        Err(ApplyError::Invalid(problems)) => problems,
        _ => Vec::new(),
    }
}

/// Whether `target` takes applications here at `now` (the same check as
/// [`submit`]): `Ok`, or [`ApplyError::NotFound`], or
/// [`ApplyError::NotAccepting`] saying what to do instead.
///
/// # Errors
/// Why not, or the store.
pub async fn accepts(store: &Store, target: &Target, now: DateTime<Utc>) -> Result<(), ApplyError> {
    recipient(store, target, now).await.map(|_| ())
}

/// A keyed hash of the client address: abuse can be traced to one source
/// without keeping the address.
fn ip_hash(key: &LinkKey, ip: std::net::IpAddr) -> String {
    key.keyed_hash(&format!("ip:{ip}"))
}

/// Validates and stores an application with the job that delivers it;
/// returns the application id.
///
/// # Errors
/// [`ApplyError`]: invalid fields (all of them), unknown or closed target,
/// a quota reached, or the store.
pub async fn submit(
    store: &Store,
    config: &ApplyConfig,
    target: &Target,
    input: ApplicationInput,
    now: DateTime<Utc>,
) -> Result<String, ApplyError> {
    let ip = input.ip;
    let caller = input.caller.clone().filter(|c| !c.trim().is_empty());
    let valid = validate(input)?;
    let recipient = recipient(store, target, now).await?;
    let limits = config.limits;
    let counts = store
        .quota_counts(
            valid.email.as_str(),
            target.kind().as_str(),
            target.id(),
            now - TimeDelta::hours(24),
        )
        .await?;
    if counts.same_target >= limits.per_target {
        return Err(ApplyError::TooManyForTarget(limits.per_target));
    }
    if target.kind() == TargetKind::Offer && counts.target_total >= limits.per_offer {
        return Err(ApplyError::OfferFull(limits.per_offer));
    }
    if counts.since >= limits.per_day {
        return Err(ApplyError::TooManyToday(limits.per_day));
    }
    let id = new_id();
    let cv_mime = valid.cv.kind().mime().to_owned();
    let cv_name = valid.cv.name().to_owned();
    let application = NewApplication {
        id: id.clone(),
        target_kind: target.kind().as_str().to_owned(),
        target_id: target.id().to_owned(),
        target_title: recipient.title,
        company_name: recipient.company,
        recruiter_email: recipient.email.as_str().to_owned(),
        first_name: valid.first_name.as_str().to_owned(),
        last_name: valid.last_name.as_str().to_owned(),
        email: valid.email.as_str().to_owned(),
        phone: valid.phone.e164().to_owned(),
        message: valid.message,
        cv_name,
        cv_mime,
        cv_bytes: valid.cv.into_bytes(),
        caller,
        ip_hash: ip.map(|ip| ip_hash(&config.key, ip)),
        created_at: now,
    };
    let job = new_job(JobKind::RecruiterApplication, &id, now);
    store.insert_application(&application, &[job]).await?;
    // An offer posted in the pro space closes itself once it has received
    // its quota (80 by default): it leaves the search at the next rebuild
    // instead of refusing the next candidates (issue 19). Imported offers
    // are not in `pro_offers`: nothing changes for them.
    if target.kind() == TargetKind::Offer && counts.target_total + 1 >= limits.per_offer {
        store
            .change_pro_offer(
                target.id(),
                &["active"],
                lba_core::opportunity::OfferStatus::Closed.as_str(),
                None,
                "systeme",
                "quota_candidatures",
                now.timestamp_millis(),
                &[],
            )
            .await?;
    }
    tracing::info!(
        application = %id,
        target_kind = target.kind().as_str(),
        target = target.id(),
        "application stored"
    );
    Ok(id)
}

/// What the candidate and recruiter pages show of a stored application:
/// its target and the candidate's name (no contact data, no CV).
#[derive(Clone, PartialEq, Eq)]
pub struct ApplicationView {
    /// Id.
    pub id: String,
    /// An offer or a company.
    pub target_kind: TargetKind,
    /// Offer id or SIRET.
    pub target_id: String,
    /// Offer title, or the company name for a spontaneous application.
    pub target_title: String,
    /// Company name.
    pub company_name: String,
    /// Candidate's first name.
    pub first_name: String,
    /// Candidate's last name.
    pub last_name: String,
}

/// No personal data in debug output.
impl std::fmt::Debug for ApplicationView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplicationView")
            .field("id", &self.id)
            .field("target_kind", &self.target_kind)
            .field("target_id", &self.target_id)
            .finish_non_exhaustive()
    }
}

impl ApplicationView {
    /// Whether it was sent to an offer (else spontaneously to a company).
    #[must_use]
    pub fn to_offer(&self) -> bool {
        self.target_kind == TargetKind::Offer
    }
}

impl From<StoredApplication> for ApplicationView {
    fn from(a: StoredApplication) -> Self {
        Self {
            id: a.id,
            target_kind: a.target_kind,
            target_id: a.target_id,
            target_title: a.target_title,
            company_name: a.company_name,
            first_name: a.first_name,
            last_name: a.last_name,
        }
    }
}

/// The application `id` for the page shown after sending it (the caller
/// has checked the signed link), or `None` when it does not exist (any
/// more).
///
/// # Errors
/// When the store fails.
pub async fn sent(store: &Store, id: &str) -> Result<Option<ApplicationView>, StoreError> {
    Ok(store.application(id).await?.map(ApplicationView::from))
}

/// A random id (128 bits, hex).
#[must_use]
pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The key of signed links: the configured secret, or one generated once
/// and kept in the database so that every node (and every restart) of a
/// local run signs the same way.
///
/// # Errors
/// When the store fails.
pub async fn link_key(store: &Store, configured: Option<&str>) -> Result<LinkKey, StoreError> {
    if let Some(secret) = configured.filter(|s| !s.is_empty()) {
        return Ok(LinkKey::new(secret.as_bytes()));
    }
    let generated = format!("{}{}", new_id(), new_id());
    let secret = store.setting_or_insert("link_secret", &generated).await?;
    Ok(LinkKey::new(secret.as_bytes()))
}
