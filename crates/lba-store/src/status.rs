//! Counts of every stored kind, for `lba status` and monitoring.

use serde::Serialize;

use crate::backend::with_pool;
use crate::{Store, StoreError};

/// The number of stored rows of each kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Counts {
    /// ROME fiches.
    pub rome_fiches: i64,
    /// ROME appellations.
    pub rome_appellations: i64,
    /// ROME definition/access sentences.
    pub rome_texts: i64,
    /// ROME mobility links.
    pub rome_mobility: i64,
    /// Centres of interest.
    pub interest_centres: i64,
    /// Centre → fiche links.
    pub interest_centre_romes: i64,
    /// Sous-domaine assignments.
    pub rome_subdomains: i64,
    /// Communes (type COM, Paris, Marseille and Lyon included).
    pub communes: i64,
    /// Municipal arrondissements.
    pub arrondissements: i64,
    /// (commune, postal code) pairs.
    pub commune_postal_codes: i64,
    /// Alternative commune names (communes déléguées).
    pub commune_aliases: i64,
    /// Départements.
    pub departements: i64,
    /// Régions.
    pub regions: i64,
    /// NAF sub-classes.
    pub naf_codes: i64,
    /// NAF sections.
    pub naf_sections: i64,
    /// (ROME v3, NAF) hiring pairs.
    pub rome_naf_hirings: i64,
    /// (FAP, ROME v3) tension rows.
    pub rome_tension: i64,
    /// (NAF prefix, ROME v3) contact modes.
    pub contact_modes: i64,
    /// DARES tension rows (FAP family × area).
    pub dares_tensions: i64,
    /// DARES tension trend points (FAP family × year).
    pub dares_tension_trends: i64,
    /// FAP 225 → ROME v3 links.
    pub fap_romes: i64,
    /// Headcount brackets.
    pub headcount_brackets: i64,
    /// Diplomas (CFD × RNCP).
    pub diplomas: i64,
    /// Diploma synonym groups.
    pub diploma_synonym_groups: i64,
    /// CFAs.
    pub cfas: i64,
    /// CFAs with coordinates.
    pub cfas_located: i64,
    /// Training courses.
    pub formations: i64,
    /// Job offers.
    pub offers: i64,
    /// Companies likely to hire.
    pub companies: i64,
    /// SIRENE establishments (open ones).
    pub establishments: i64,
    /// Companies kept out of the search (opt-out, blacklist).
    pub company_exclusions: i64,
}

const COUNTS_SQL: &str = "SELECT \
    (SELECT COUNT(*) FROM rome_fiches) AS rome_fiches, \
    (SELECT COUNT(*) FROM rome_appellations) AS rome_appellations, \
    (SELECT COUNT(*) FROM rome_texts) AS rome_texts, \
    (SELECT COUNT(*) FROM rome_mobility) AS rome_mobility, \
    (SELECT COUNT(*) FROM interest_centres) AS interest_centres, \
    (SELECT COUNT(*) FROM interest_centre_romes) AS interest_centre_romes, \
    (SELECT COUNT(*) FROM rome_subdomains) AS rome_subdomains, \
    (SELECT COUNT(*) FROM communes WHERE kind = 'COM') AS communes, \
    (SELECT COUNT(*) FROM communes WHERE kind = 'ARM') AS arrondissements, \
    (SELECT COUNT(*) FROM commune_postal_codes) AS commune_postal_codes, \
    (SELECT COUNT(*) FROM commune_aliases) AS commune_aliases, \
    (SELECT COUNT(*) FROM departements) AS departements, \
    (SELECT COUNT(*) FROM regions) AS regions, \
    (SELECT COUNT(*) FROM naf_codes) AS naf_codes, \
    (SELECT COUNT(*) FROM naf_sections) AS naf_sections, \
    (SELECT COUNT(*) FROM rome_naf_hirings) AS rome_naf_hirings, \
    (SELECT COUNT(*) FROM rome_tension) AS rome_tension, \
    (SELECT COUNT(*) FROM contact_modes) AS contact_modes, \
    (SELECT COUNT(*) FROM dares_tensions) AS dares_tensions, \
    (SELECT COUNT(*) FROM dares_tension_trends) AS dares_tension_trends, \
    (SELECT COUNT(*) FROM fap_romes) AS fap_romes, \
    (SELECT COUNT(*) FROM headcount_brackets) AS headcount_brackets, \
    (SELECT COUNT(*) FROM diplomas) AS diplomas, \
    (SELECT COUNT(DISTINCT group_id) FROM diploma_synonyms) AS diploma_synonym_groups, \
    (SELECT COUNT(*) FROM cfas) AS cfas, \
    (SELECT COUNT(*) FROM cfas WHERE lat IS NOT NULL) AS cfas_located, \
    (SELECT COUNT(*) FROM formations) AS formations, \
    (SELECT COUNT(*) FROM offers) AS offers, \
    (SELECT COUNT(*) FROM companies) AS companies, \
    (SELECT COUNT(*) FROM establishments) AS establishments, \
    (SELECT COUNT(*) FROM company_exclusions) AS company_exclusions";

impl Store {
    /// Counts every stored kind.
    pub async fn counts(&self) -> Result<Counts, StoreError> {
        let counts = with_pool!(self, |pool| {
            sqlx::query_as::<_, Counts>(COUNTS_SQL)
                .fetch_one(pool)
                .await
        })?;
        Ok(counts)
    }

    /// True when no referential data has been imported yet.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let (n,): (i64,) = with_pool!(self, |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM rome_fiches")
                .fetch_one(pool)
                .await
        })?;
        Ok(n == 0)
    }
}
