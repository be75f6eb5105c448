//! Rules of the pro space (issue 19): the roles of accounts, when a company
//! account is validated without a human, and the checks of an offer posted
//! by a recruiter. Pure: the caller passes "today" (Paris time) in.

use chrono::{Months, NaiveDate};

use crate::contact::{Email, normalized_address};
use crate::level::DiplomaLevel;
use crate::opportunity::ContractType;

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A company's recruiter: posts offers, reads the applications.
    Recruiter,
    /// A CFA: answers contact requests, posts offers on behalf of companies.
    Cfa,
    /// An OPCO: validates the companies attached to it.
    Opco,
    /// Runs the platform (the operator pages).
    Admin,
}

impl Role {
    /// Every role, in the order of the admin's list.
    pub const ALL: [Self; 4] = [Self::Recruiter, Self::Cfa, Self::Opco, Self::Admin];

    /// Stable name stored in the database (French, as the issue names them).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Recruiter => "recruteur",
            Self::Cfa => "cfa",
            Self::Opco => "opco",
            Self::Admin => "admin",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The label people read.
    #[must_use]
    pub const fn label_fr(self) -> &'static str {
        match self {
            Self::Recruiter => "Recruteur",
            Self::Cfa => "CFA",
            Self::Opco => "OPCO",
            Self::Admin => "Administrateur",
        }
    }
}

/// Where a company account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompanyStatus {
    /// Waiting for an OPCO or an administrator.
    Pending,
    /// Validated (automatically or by someone): its offers are published.
    Validated,
    /// Refused: its offers stay unpublished.
    Refused,
    /// Deactivated after validation: its offers are withdrawn.
    Disabled,
}

impl CompanyStatus {
    /// Stable name stored in the database.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Validated => "validated",
            Self::Refused => "refused",
            Self::Disabled => "disabled",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn from_stored(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Validated,
            Self::Refused,
            Self::Disabled,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    /// The label people read.
    #[must_use]
    pub const fn label_fr(self) -> &'static str {
        match self {
            Self::Pending => "En attente de validation",
            Self::Validated => "Validé",
            Self::Refused => "Refusé",
            Self::Disabled => "Désactivé",
        }
    }
}

/// Public mail services: sharing one of these domains with a company's
/// address proves nothing about working there.
const WEBMAIL_DOMAINS: &[&str] = &[
    "aol.com",
    "bbox.fr",
    "free.fr",
    "gmail.com",
    "gmx.com",
    "gmx.fr",
    "googlemail.com",
    "hotmail.com",
    "hotmail.fr",
    "icloud.com",
    "laposte.net",
    "live.com",
    "live.fr",
    "mail.com",
    "me.com",
    "msn.com",
    "neuf.fr",
    "numericable.fr",
    "orange.fr",
    "outlook.com",
    "outlook.fr",
    "proton.me",
    "protonmail.com",
    "sfr.fr",
    "wanadoo.fr",
    "yahoo.com",
    "yahoo.fr",
];

/// Whether `domain` (any case) is a public mail service.
#[must_use]
pub fn is_webmail(domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    WEBMAIL_DOMAINS.contains(&domain.as_str())
}

/// Whether a company account created with `email` is validated at once:
/// the address is one the company is known by (SIRENE, its offers, the
/// hiring data), or shares the domain of one of them that is not a public
/// mail service.
#[must_use]
pub fn validates_automatically(email: &Email, known: &[String]) -> bool {
    let me = email.normalized();
    let domain = email.domain().to_ascii_lowercase();
    known.iter().any(|k| {
        let k = normalized_address(k);
        k == me
            || (!is_webmail(&domain)
                && k.rsplit_once('@')
                    .is_some_and(|(_, d)| d.eq_ignore_ascii_case(&domain)))
    })
}

/// An offer as a recruiter typed it (every field as text, as a form sends).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfferInput {
    /// Custom title, shown instead of the appellation when given.
    pub title: String,
    /// "apprentissage" and/or "professionnalisation".
    pub contract_types: Vec<String>,
    /// Target level ("3" to "7"), or empty for any.
    pub level: String,
    /// "asap" (as soon as possible) or empty, or a date `YYYY-MM-DD`.
    pub start: String,
    /// Months, 6 to 36.
    pub duration_months: String,
    /// Rhythm of the alternance ("2 jours / 3 jours"…), free text.
    pub rhythm: String,
    /// Positions open, 1 to 99.
    pub positions: String,
    /// What the job is.
    pub description: String,
    /// What the company expects (optional).
    pub profile: String,
    /// Up to three questions for applicants (empty ones ignored).
    pub questions: Vec<String>,
}

/// A checked offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferFields {
    /// Custom title, if any (3–150 characters).
    pub title: Option<String>,
    /// At least one.
    pub contract_types: Vec<ContractType>,
    /// `None`: any level.
    pub level: Option<DiplomaLevel>,
    /// `None`: as soon as possible.
    pub start: Option<NaiveDate>,
    /// 6 to 36.
    pub duration_months: u16,
    /// Free text, at most 100 characters.
    pub rhythm: String,
    /// 1 to 99.
    pub positions: u16,
    /// 30 to 3,000 characters.
    pub description: String,
    /// At most 3,000 characters.
    pub profile: String,
    /// At most three, each 5–200 characters.
    pub questions: Vec<String>,
}

/// A field and what is wrong with it, in French.
pub type FieldError = (&'static str, String);

/// Whether `text` holds a web address or an e-mail address: titles must
/// not carry contact details that bypass the platform.
fn has_contact_details(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http://")
        || lower.contains("https://")
        || lower.contains("www.")
        || lower
            .split_whitespace()
            .any(|w| w.contains('@') && w.contains('.'))
}

fn count(s: &str) -> usize {
    s.chars().count()
}

impl OfferInput {
    /// Checks every field; all the errors at once, by field name.
    ///
    /// # Errors
    /// The fields that are wrong, each with its French message.
    pub fn check(&self, today: NaiveDate) -> Result<OfferFields, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = Vec::new();
        let title = self.title.trim();
        if !title.is_empty() && !(3..=150).contains(&count(title)) {
            errors.push((
                "title",
                "L'intitulé doit faire entre 3 et 150 caractères.".into(),
            ));
        } else if has_contact_details(title) {
            errors.push((
                "title",
                "L'intitulé ne doit contenir ni adresse web ni adresse e-mail.".into(),
            ));
        }
        let mut contract_types = Vec::new();
        for c in &self.contract_types {
            match c.as_str() {
                "apprentissage" => contract_types.push(ContractType::Apprentissage),
                "professionnalisation" => contract_types.push(ContractType::Professionnalisation),
                _ => errors.push(("contract_types", "Type de contrat inconnu.".into())),
            }
        }
        contract_types.sort_by_key(|c| c.as_str());
        contract_types.dedup();
        if contract_types.is_empty() && !errors.iter().any(|e| e.0 == "contract_types") {
            errors.push((
                "contract_types",
                "Choisissez au moins un type de contrat.".into(),
            ));
        }
        let level = match self.level.trim() {
            "" => None,
            l => match DiplomaLevel::parse(l) {
                Ok(level) => Some(level),
                Err(_) => {
                    errors.push(("level", "Niveau inconnu : choisissez de 3 à 7.".into()));
                    None
                }
            },
        };
        let start = match self.start.trim() {
            "" | "asap" => None,
            s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) if d < today => {
                    errors.push(("start", "La date de début est passée.".into()));
                    None
                }
                Ok(d)
                    if today
                        .checked_add_months(Months::new(24))
                        .is_some_and(|max| d > max) =>
                {
                    errors.push((
                        "start",
                        "La date de début doit être dans les deux ans.".into(),
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(("start", "Date invalide : jj/mm/aaaa.".into()));
                    None
                }
            },
        };
        let duration_months = match self.duration_months.trim().parse::<u16>() {
            Ok(m) if (6..=36).contains(&m) => m,
            _ => {
                errors.push((
                    "duration_months",
                    "La durée du contrat va de 6 à 36 mois.".into(),
                ));
                0
            }
        };
        let positions = match self.positions.trim() {
            "" => 1,
            p => match p.parse::<u16>() {
                Ok(n) if (1..=99).contains(&n) => n,
                _ => {
                    errors.push(("positions", "Nombre de postes : de 1 à 99.".into()));
                    0
                }
            },
        };
        let rhythm = self.rhythm.trim().to_owned();
        if count(&rhythm) > 100 {
            errors.push(("rhythm", "Le rythme tient en 100 caractères.".into()));
        }
        let description = self.description.trim().to_owned();
        if !(30..=3000).contains(&count(&description)) {
            errors.push((
                "description",
                "Décrivez le poste en 30 à 3 000 caractères.".into(),
            ));
        }
        let profile = self.profile.trim().to_owned();
        if count(&profile) > 3000 {
            errors.push(("profile", "Le profil tient en 3 000 caractères.".into()));
        }
        let questions: Vec<String> = self
            .questions
            .iter()
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty())
            .collect();
        if questions.len() > 3 {
            errors.push(("questions", "Trois questions au plus.".into()));
        } else if questions.iter().any(|q| !(5..=200).contains(&count(q))) {
            errors.push((
                "questions",
                "Chaque question fait entre 5 et 200 caractères.".into(),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(OfferFields {
            title: (!title.is_empty()).then(|| title.to_owned()),
            contract_types,
            level,
            start,
            duration_months,
            rhythm,
            positions,
            description,
            profile,
            questions,
        })
    }
}

/// How an offer is closed by its recruiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closing {
    /// Someone was hired; through which channel.
    Filled(FilledBy),
    /// Withdrawn; why.
    Cancelled(CancelReason),
}

/// Through which channel the position was filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilledBy {
    /// An application received here.
    LaBonneAlternance,
    /// Another site or service.
    Elsewhere,
    /// The company's own network.
    Network,
}

/// Why an offer was withdrawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelReason {
    /// The need is gone.
    NoLongerNeeded,
    /// Not enough suitable applications.
    NoSuitableApplicants,
    /// Something else.
    Other,
}

impl Closing {
    /// Parses the closing form: `pourvue` with `canal`, or `annulee` with
    /// `motif`.
    #[must_use]
    pub fn parse(action: &str, detail: &str) -> Option<Self> {
        match (action, detail) {
            ("pourvue", "lba") => Some(Self::Filled(FilledBy::LaBonneAlternance)),
            ("pourvue", "autre_site") => Some(Self::Filled(FilledBy::Elsewhere)),
            ("pourvue", "reseau") => Some(Self::Filled(FilledBy::Network)),
            ("annulee", "plus_besoin") => Some(Self::Cancelled(CancelReason::NoLongerNeeded)),
            ("annulee", "pas_de_candidat") => {
                Some(Self::Cancelled(CancelReason::NoSuitableApplicants))
            }
            ("annulee", "autre") => Some(Self::Cancelled(CancelReason::Other)),
            _ => None,
        }
    }

    /// The stored note of the status history (`pourvue:lba`…).
    #[must_use]
    pub const fn note(self) -> &'static str {
        match self {
            Self::Filled(FilledBy::LaBonneAlternance) => "pourvue:lba",
            Self::Filled(FilledBy::Elsewhere) => "pourvue:autre_site",
            Self::Filled(FilledBy::Network) => "pourvue:reseau",
            Self::Cancelled(CancelReason::NoLongerNeeded) => "annulee:plus_besoin",
            Self::Cancelled(CancelReason::NoSuitableApplicants) => "annulee:pas_de_candidat",
            Self::Cancelled(CancelReason::Other) => "annulee:autre",
        }
    }
}

/// Offers close by themselves at this many applications.
pub const MAX_APPLICATIONS_PER_OFFER: i64 = 80;

/// How long an offer is published before it expires (and each extension).
pub const OFFER_LIFETIME_MONTHS: u32 = 2;

#[cfg(test)]
mod tests;
