//! A young person of the cohort and their wishes, as imported from a
//! Parcoursup or Affelnet export and linked to the stored courses and CFAs.

use chrono::{Datelike, NaiveDate};
use lba_core::contact::{Email, PhoneNumber};
use lba_core::geo::GeoPoint;
use serde::{Deserialize, Serialize};

/// The platform the cohort comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Parcoursup (after the lycée).
    Parcoursup,
    /// Affelnet (after the 3e).
    Affelnet,
}

impl Source {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parcoursup => "parcoursup",
            Self::Affelnet => "affelnet",
        }
    }

    /// Parses the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "parcoursup" => Some(Self::Parcoursup),
            "affelnet" => Some(Self::Affelnet),
            _ => None,
        }
    }
}

/// The wish type: apprenticeship or student status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WishKind {
    /// `apprentissage`.
    Apprentissage,
    /// `scolaire` (student status).
    Scolaire,
}

impl WishKind {
    /// The stored and exported spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Apprentissage => "apprentissage",
            Self::Scolaire => "scolaire",
        }
    }

    /// Parses the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "apprentissage" => Some(Self::Apprentissage),
            "scolaire" => Some(Self::Scolaire),
            _ => None,
        }
    }
}

/// The answer status of a wish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WishStatus {
    /// `en_attente`: no answer yet.
    EnAttente,
    /// `propose`: a place is offered (for apprenticeship: "retenu sous réserve de contrat").
    Propose,
    /// `accepte`: the candidate accepted the offer.
    Accepte,
    /// `refuse`: the training refused.
    Refuse,
    /// `desiste`: the candidate gave up the wish.
    Desiste,
}

impl WishStatus {
    /// Every status, in the documented order.
    pub const ALL: [Self; 5] = [
        Self::EnAttente,
        Self::Propose,
        Self::Accepte,
        Self::Refuse,
        Self::Desiste,
    ];

    /// The stored and exported spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EnAttente => "en_attente",
            Self::Propose => "propose",
            Self::Accepte => "accepte",
            Self::Refuse => "refuse",
            Self::Desiste => "desiste",
        }
    }

    /// Parses the stored spelling.
    pub fn from_stored(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One wish of a person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Wish {
    /// Key within the person (course key, Parcoursup id or CFA + CFD).
    pub key: String,
    /// Order in the export (0 first).
    pub position: u32,
    /// `cle_ministere_educatif`.
    pub course_key: Option<String>,
    /// Parcoursup id of the course.
    pub parcoursup_id: Option<String>,
    /// UAI of the CFA, as exported.
    pub cfa_uai: Option<String>,
    /// SIRET of the CFA, as exported.
    pub cfa_siret: Option<String>,
    /// Diploma code.
    pub cfd: Option<String>,
    /// The stored course this wish was linked to.
    pub formation_id: Option<String>,
    /// The stored CFA this wish was linked to.
    pub linked_cfa_uai: Option<String>,
    /// Diploma level (3 = CAP … 7).
    pub level: Option<u8>,
    /// Apprenticeship or student status.
    pub kind: WishKind,
    /// Answer status.
    pub status: WishStatus,
    /// A contract is already signed.
    pub contract_signed: bool,
}

/// A young person of the cohort.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Person {
    /// `{source}:{candidate id}`.
    pub id: String,
    /// Platform.
    pub source: Source,
    /// Candidate id on the platform.
    pub candidate_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// E-mail.
    pub email: Option<Email>,
    /// Mobile.
    pub mobile: Option<PhoneNumber>,
    /// A parent's e-mail.
    pub parent_email: Option<Email>,
    /// A parent's mobile.
    pub parent_mobile: Option<PhoneNumber>,
    /// Postal code of residence.
    pub postal_code: Option<String>,
    /// INSEE commune of residence.
    pub commune_insee: Option<String>,
    /// Département of residence.
    pub departement: Option<String>,
    /// Région of residence.
    pub region: Option<String>,
    /// Home (centre of the commune).
    pub home: Option<GeoPoint>,
    /// Current school.
    pub school_uai: Option<String>,
    /// Current class.
    pub class: Option<String>,
    /// No student-status wish.
    pub apprenticeship_only: bool,
    /// Wishes, in export order.
    pub wishes: Vec<Wish>,
}

impl Person {
    /// The stored id of a candidate.
    pub fn id_for(source: Source, candidate_id: &str) -> String {
        format!("{}:{candidate_id}", source.as_str())
    }

    /// Age in whole years on `day`, when the birth date is known.
    pub fn age_on(&self, day: NaiveDate) -> Option<u32> {
        let birth = self.birth_date?;
        let mut age = day.year() - birth.year();
        if (day.month(), day.day()) < (birth.month(), birth.day()) {
            age -= 1;
        }
        u32::try_from(age).ok()
    }

    /// Under 18 on `day` (unknown birth date: not a minor).
    pub fn is_minor_on(&self, day: NaiveDate) -> bool {
        self.age_on(day).is_some_and(|a| a < 18)
    }

    /// The wish a campaign talks about: the first apprenticeship wish linked
    /// to a course, else the first apprenticeship wish, else the first.
    pub fn main_wish(&self) -> Option<&Wish> {
        let app = || {
            self.wishes
                .iter()
                .filter(|w| w.kind == WishKind::Apprentissage)
        };
        app()
            .find(|w| w.formation_id.is_some())
            .or_else(|| app().next())
            .or_else(|| self.wishes.first())
    }

    /// Undecided about the métier (the orientation campaigns' segment): no
    /// apprenticeship wish linked to a stored course, or apprenticeship
    /// wishes in at least two unrelated fields. The field is the NSF
    /// domain of the diploma code (`CFD`): digits 4–6 are the NSF
    /// speciality group, digits 4–5 its domain (`22` transformations, `31`
    /// échanges et gestion, `33` services aux personnes…), so a BTS Banque
    /// (`32031313`) and a BTS Immobilier (`32031312`) share one field and a
    /// CAP Cuisine (`50022135`) is another.
    pub fn is_undecided(&self) -> bool {
        let wishes: Vec<&Wish> = self
            .wishes
            .iter()
            .filter(|w| w.kind == WishKind::Apprentissage)
            .collect();
        if wishes.iter().all(|w| w.formation_id.is_none()) {
            return true;
        }
        let fields: std::collections::BTreeSet<&str> = wishes
            .iter()
            .filter_map(|w| w.cfd.as_deref())
            .filter(|c| c.len() == 8 && c.bytes().all(|b| b.is_ascii_alphanumeric()))
            .map(|c| &c[3..5])
            .collect();
        fields.len() >= 2
    }

    /// The highest level among the apprenticeship wishes (for strata).
    pub fn level(&self) -> Option<u8> {
        self.main_wish().and_then(|w| w.level)
    }

    /// A contract is signed for one of the wishes.
    pub fn has_contract(&self) -> bool {
        self.wishes.iter().any(|w| w.contract_signed)
    }
}
