//! Writing the referential data set in one transaction.
//!
//! Entity tables (fiches, appellations, communes, diplomas, CFAs…) are
//! upserted on their natural key so that rows referenced by later data keep
//! their identity; link tables (texts, mobility, postal codes, aliases,
//! hiring tables, synonyms) are replaced whole. Re-running with the same
//! files therefore gives the same rows, and a failed run changes nothing.

use chrono::{DateTime, Utc};
use lba_core::geo::GeoPoint;
use lba_core::ids::InseeCode;
use lba_core::text::normalize;
use lba_data::cfa::Cfa;
use lba_data::diplomas::{Diploma, SynonymGroup};
use lba_data::geo::{Commune, Departement, Region};
use lba_data::naf::{CodeLabel, ContactMode, NafLabel, RomeNafHiring, Tension};
use lba_data::rome::{
    InterestCentre, InterestCentreRome, RomeAppellation, RomeFiche, RomeMobility, RomeSubdomain,
    RomeText,
};
use serde::Serialize;
use sqlx::Transaction;

use crate::backend::in_tx;
use crate::batch::clear;
use crate::portable::Portable;
use crate::{Store, StoreError};

mod geo;
mod naf;
mod rome;
mod training;

/// A CFA with the place it was located at.
#[derive(Clone, Debug)]
pub struct LocatedCfa {
    /// The CFA as read.
    pub cfa: Cfa,
    /// The stored commune it is in, when found.
    pub commune: Option<InseeCode>,
    /// Its point (the commune's), when found.
    pub point: Option<GeoPoint>,
    /// Why it could not be located.
    pub issue: Option<String>,
}

/// A sous-domaine with the appellation it was matched to.
#[derive(Clone, Debug)]
pub struct MatchedSubdomain {
    /// As read.
    pub subdomain: RomeSubdomain,
    /// The appellation whose label matched, if any.
    pub appellation_ogr: Option<i64>,
}

/// The whole referential data set, validated and cross-checked by the caller.
#[derive(Clone, Debug, Default)]
pub struct Referentials {
    /// Régions.
    pub regions: Vec<Region>,
    /// Départements.
    pub departements: Vec<Departement>,
    /// Communes, arrondissements first-parent-then-child order not required.
    pub communes: Vec<Commune>,
    /// ROME fiches.
    pub rome_fiches: Vec<RomeFiche>,
    /// ROME appellations.
    pub rome_appellations: Vec<RomeAppellation>,
    /// ROME texts.
    pub rome_texts: Vec<RomeText>,
    /// ROME mobility links.
    pub rome_mobility: Vec<RomeMobility>,
    /// Centres of interest.
    pub interest_centres: Vec<InterestCentre>,
    /// Centre → fiche links.
    pub interest_centre_romes: Vec<InterestCentreRome>,
    /// Sous-domaines.
    pub rome_subdomains: Vec<MatchedSubdomain>,
    /// NAF sections.
    pub naf_sections: Vec<CodeLabel>,
    /// NAF sub-classes.
    pub naf_codes: Vec<NafLabel>,
    /// ROME v3 × NAF hirings.
    pub rome_naf_hirings: Vec<RomeNafHiring>,
    /// Hiring tension.
    pub rome_tension: Vec<Tension>,
    /// Contact modes.
    pub contact_modes: Vec<ContactMode>,
    /// Headcount brackets.
    pub headcount_brackets: Vec<CodeLabel>,
    /// Diplomas.
    pub diplomas: Vec<Diploma>,
    /// Diploma synonym groups.
    pub diploma_synonyms: Vec<SynonymGroup>,
    /// CFAs.
    pub cfas: Vec<LocatedCfa>,
}

/// Rows written per table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WriteCounts {
    /// Table name → rows written, in write order.
    pub tables: Vec<(String, u64)>,
}

impl Store {
    /// Writes the referential data set in one transaction and records the run
    /// in `import_runs` with `report`. The search index is built from the
    /// referentials too (métiers, places), so the data version is bumped:
    /// every node rebuilds it, and index snapshots of the former version are
    /// no longer used.
    pub async fn write_referentials(
        &self,
        data: &Referentials,
        source: &str,
        started_at: DateTime<Utc>,
        report: &impl Serialize,
    ) -> Result<WriteCounts, StoreError> {
        let report = serde_json::to_string(report)?;
        let counts = in_tx!(self, |tx| {
            let counts = write(&mut tx, data).await?;
            crate::imports::record(&mut tx, "referentials", source, started_at, &report).await?;
            crate::opportunities::bump(&mut tx).await?;
            counts
        });
        Ok(counts)
    }
}

/// The writer, written once for both backends. The inserts of each group of
/// tables are in their own module.
async fn write<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    data: &Referentials,
) -> Result<WriteCounts, sqlx::Error> {
    let mut counts = WriteCounts::default();

    // Link tables first: they reference the entity tables.
    for table in [
        "commune_postal_codes",
        "commune_aliases",
        "rome_texts",
        "rome_mobility",
        "interest_centre_romes",
        "rome_subdomains",
        "rome_naf_hirings",
        "rome_tension",
        "contact_modes",
        "diploma_synonyms",
    ] {
        clear(tx, table).await?;
    }

    geo::write_geo(tx, data, &mut counts).await?;
    rome::write_rome(tx, data, &mut counts).await?;
    naf::write_naf(tx, data, &mut counts).await?;
    training::write_training(tx, data, &mut counts).await?;
    Ok(counts)
}
