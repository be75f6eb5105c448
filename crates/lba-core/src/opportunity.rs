//! The three kinds of opportunities a candidate searches: training courses
//! (formations), apprenticeship job offers, and companies likely to hire.
//! These records are shared by the store, the search index, the demo
//! generator and the importers; each field is already validated.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;
use crate::ids::{Cfd, CodeRome, InseeCode, NafCode, PostalCode, RncpCode, Siret, Uai};
use crate::level::DiplomaLevel;

/// A short text of an indexed record (a name, an address, a city, a
/// headcount code): kept inline up to 24 bytes, so that the national index's
/// million companies do not each hold five small heap allocations. It reads
/// as a `&str` and converts from `&str` and `String` with `.into()`.
pub type ShortText = compact_str::CompactString;

/// Which kind of opportunity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A training course in a CFA.
    Formation,
    /// An apprenticeship job offer.
    Offer,
    /// A company likely to hire.
    Company,
}

/// Where an offer comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferOrigin {
    /// Posted on this platform by a recruiter ("matcha" in the v1 API).
    Platform,
    /// Imported from France Travail ("peJobs").
    FranceTravail,
    /// Imported from a partner ("partnerJobs").
    Partner,
}

impl OfferOrigin {
    /// Stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Platform => "platform",
            Self::FranceTravail => "france_travail",
            Self::Partner => "partner",
        }
    }

    /// Parses a stored name.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "platform" => Some(Self::Platform),
            "france_travail" => Some(Self::FranceTravail),
            "partner" => Some(Self::Partner),
            _ => None,
        }
    }
}

/// The life of an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    /// Posted by a recruiter whose account is not validated yet: kept out
    /// of search until it is.
    Pending,
    /// Open to applications.
    Active,
    /// Someone was hired.
    Filled,
    /// Withdrawn by the recruiter.
    Cancelled,
    /// Past its expiry date.
    Expired,
    /// No longer published at its source: a France Travail offer absent
    /// from a full import.
    Closed,
}

impl OfferStatus {
    /// Stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Filled => "filled",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Closed => "closed",
        }
    }

    /// Parses a stored name.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "active" => Some(Self::Active),
            "filled" => Some(Self::Filled),
            "cancelled" => Some(Self::Cancelled),
            "expired" => Some(Self::Expired),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// A contract type open to apprentices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContractType {
    /// Contrat d'apprentissage.
    Apprentissage,
    /// Contrat de professionnalisation.
    Professionnalisation,
}

impl ContractType {
    /// Stable name ("apprentissage", "professionnalisation").
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Apprentissage => "apprentissage",
            Self::Professionnalisation => "professionnalisation",
        }
    }

    /// The French label shown to candidates.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Apprentissage => "Apprentissage",
            Self::Professionnalisation => "Professionnalisation",
        }
    }

    /// Parses a name, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "apprentissage" => Some(Self::Apprentissage),
            "professionnalisation" => Some(Self::Professionnalisation),
            _ => None,
        }
    }
}

/// One session of a training course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// First day.
    pub start: NaiveDate,
    /// Last day, when known.
    pub end: Option<NaiveDate>,
}

/// Where an opportunity is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Street address.
    pub address: ShortText,
    /// Postal code.
    pub postal_code: Option<PostalCode>,
    /// Commune.
    pub commune_insee: Option<InseeCode>,
    /// City name.
    pub city: ShortText,
    /// Coordinates.
    pub point: GeoPoint,
}

/// A training course in a CFA.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Formation {
    /// Stable id (the catalogue's `cle_ministere_educatif` for real data).
    pub id: String,
    /// Synthetic record from the demo generator.
    pub is_demo: bool,
    /// Course title.
    pub title: String,
    /// Diploma title.
    pub diploma_title: String,
    /// Code diplôme.
    pub cfd: Option<Cfd>,
    /// RNCP code.
    pub rncp: Option<RncpCode>,
    /// Diploma level.
    pub level: Option<DiplomaLevel>,
    /// Métiers the course leads to.
    pub romes: Vec<CodeRome>,
    /// The CFA's UAI.
    pub cfa_uai: Option<Uai>,
    /// The CFA's SIRET.
    pub cfa_siret: Option<Siret>,
    /// The CFA's name.
    pub cfa_name: String,
    /// Where the course takes place.
    pub place: Place,
    /// Sessions.
    pub sessions: Vec<Session>,
    /// Duration in months.
    pub duration_months: Option<u16>,
    /// Places available.
    pub capacity: Option<u32>,
    /// Entirely distance learning.
    pub distance_learning: bool,
    /// Contact email of the CFA for this course.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
    /// ONISEP page.
    pub onisep_url: Option<String>,
}

/// An apprenticeship job offer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// Stable id.
    pub id: String,
    /// Synthetic record from the demo generator.
    pub is_demo: bool,
    /// Origin.
    pub origin: OfferOrigin,
    /// Status.
    pub status: OfferStatus,
    /// Title.
    pub title: String,
    /// ROME appellation (OGR code) when known.
    pub appellation_ogr: Option<i64>,
    /// Métier.
    pub rome: CodeRome,
    /// Description.
    pub description: String,
    /// Contract types offered.
    pub contract_types: Vec<ContractType>,
    /// Target diploma level; `None` means any.
    pub level: Option<DiplomaLevel>,
    /// Expected start date.
    pub start_date: Option<NaiveDate>,
    /// Contract duration in months.
    pub duration_months: Option<u16>,
    /// Employer SIRET.
    pub company_siret: Option<Siret>,
    /// Employer name.
    pub company_name: ShortText,
    /// Employer activity.
    pub company_naf: Option<NafCode>,
    /// Employer headcount bracket code (INSEE).
    pub company_headcount: Option<ShortText>,
    /// Place of work.
    pub place: Place,
    /// Publication time.
    pub published_at: DateTime<Utc>,
    /// Expiry time.
    pub expires_at: DateTime<Utc>,
    /// Where to apply, for imported offers.
    pub apply_url: Option<String>,
}

impl Offer {
    /// Active and not past its expiry date at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.status == OfferStatus::Active && self.expires_at > now
    }
}

/// A ROME code with a hiring score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RomeScore {
    /// Métier.
    pub rome: CodeRome,
    /// Hiring potential, 0–100.
    pub score: u8,
}

/// A company likely to hire an apprentice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Company {
    /// Establishment id.
    pub siret: Siret,
    /// Synthetic record from the demo generator.
    pub is_demo: bool,
    /// Name (enseigne or raison sociale).
    pub name: ShortText,
    /// Activity.
    pub naf: Option<NafCode>,
    /// Headcount bracket code (INSEE).
    pub headcount: Option<ShortText>,
    /// Where it is.
    pub place: Place,
    /// Métiers with their hiring score, best first.
    pub romes: Vec<RomeScore>,
    /// Contact email (never shown: applications are relayed).
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<ShortText>,
    /// Website.
    pub website: Option<String>,
}

impl Company {
    /// A spontaneous application can be sent (an email is known).
    pub fn accepts_applications(&self) -> bool {
        self.email.is_some()
    }

    /// The best score among `romes`, or among all its métiers when empty.
    pub fn best_score(&self, romes: &[CodeRome]) -> u8 {
        self.romes
            .iter()
            .filter(|r| romes.is_empty() || romes.contains(&r.rome))
            .map(|r| r.score)
            .max()
            .unwrap_or(0)
    }
}
