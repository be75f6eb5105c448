//! What happened to a young person of the cohort after the campaigns: the
//! dated events of the outcomes files (`lba campaign import-outcomes`) and
//! of the changes seen between two cohort exports.

use serde::{Deserialize, Serialize};

/// An outcome event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeEvent {
    /// An apprenticeship contract was signed: the outcome the impact is
    /// measured on.
    ContratSigne,
    /// Enrolled at a CFA.
    InscritCfa,
    /// A wish was accepted.
    VoeuAccepte,
    /// A wish was refused.
    VoeuRefuse,
    /// The young person gave up.
    Abandon,
}

impl OutcomeEvent {
    /// Every event, in the documented order.
    pub const ALL: [Self; 5] = [
        Self::ContratSigne,
        Self::InscritCfa,
        Self::VoeuAccepte,
        Self::VoeuRefuse,
        Self::Abandon,
    ];

    /// The file and stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ContratSigne => "contrat_signe",
            Self::InscritCfa => "inscrit_cfa",
            Self::VoeuAccepte => "voeu_accepte",
            Self::VoeuRefuse => "voeu_refuse",
            Self::Abandon => "abandon",
        }
    }

    /// Parses the file or stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// In French, for the pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::ContratSigne => "Contrat d'apprentissage signé",
            Self::InscritCfa => "Inscription dans un CFA",
            Self::VoeuAccepte => "Vœu accepté",
            Self::VoeuRefuse => "Vœu refusé",
            Self::Abandon => "Abandon",
        }
    }
}

/// Where an outcome comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeSource {
    /// Parcoursup.
    Parcoursup,
    /// Affelnet.
    Affelnet,
    /// The apprenticeship contracts registry.
    Contrats,
}

impl OutcomeSource {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parcoursup => "parcoursup",
            Self::Affelnet => "affelnet",
            Self::Contrats => "contrats",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Parcoursup, Self::Affelnet, Self::Contrats]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}
