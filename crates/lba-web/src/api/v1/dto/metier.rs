//! Métier suggestions (v1 `MetierEnrichi` and friends).

use lba_core::ids::CodeRome;
use lba_search::{MetierHit, MetierKind};
use serde::Serialize;
use utoipa::ToSchema;

/// A métier suggestion (v1 `MetierEnrichi`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MetierEnrichi {
    /// Label shown.
    #[schema(example = "Décor et accessoires pour le spectacle")]
    label: String,
    /// ROME codes to search.
    romes: Vec<String>,
    /// RNCP codes (diplomas); `null` when none.
    rncps: Option<Vec<String>>,
    /// `job` for a métier, `formation` for a diploma.
    #[serde(rename = "type")]
    #[schema(example = "job")]
    kind: &'static str,
    /// Ours: what the label is: `rome` (a ROME fiche), `appellation` (a job
    /// title), `subdomain` (a La bonne alternance sous-domaine), `diploma`.
    #[schema(example = "subdomain")]
    source: &'static str,
}

impl MetierEnrichi {
    /// Renders a suggestion.
    pub(crate) fn new(hit: MetierHit) -> Self {
        let kind = match hit.kind {
            MetierKind::Rome | MetierKind::Appellation | MetierKind::Subdomain => "job",
            MetierKind::Diploma => "formation",
        };
        let source = hit.kind.as_str();
        Self {
            label: hit.label,
            romes: hit.romes.iter().map(|r| r.to_string()).collect(),
            rncps: (!hit.rncps.is_empty())
                .then(|| hit.rncps.iter().map(|r| r.to_string()).collect()),
            kind,
            source,
        }
    }
}

/// An appellation with its métier (v1 `coupleAppellationRomeMetier` item).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AppellationRomeMetier {
    /// Label of the ROME fiche.
    intitule: String,
    /// Appellation (job title).
    appellation: String,
    /// ROME code.
    code_rome: String,
}

impl AppellationRomeMetier {
    /// Renders `(appellation, ROME code, ROME label)`.
    pub(crate) fn new((appellation, rome, intitule): (String, CodeRome, String)) -> Self {
        Self {
            intitule,
            appellation,
            code_rome: rome.to_string(),
        }
    }
}
