//! Read models of the referentials, as the search index (autocomplete) and
//! the demo generator use them. The store loads them
//! (`Store::referential_data`); nothing here does IO.

use std::collections::BTreeMap;

use crate::geo::GeoPoint;
use crate::ids::{Cfd, CodeRome, InseeCode, NafCode, PostalCode, RncpCode, Siret, Uai};
use crate::level::DiplomaLevel;

/// A ROME fiche.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RomeRef {
    /// Code.
    pub code: CodeRome,
    /// Label.
    pub label: String,
    /// ROME v3 code it comes from.
    pub parent_code: CodeRome,
}

/// A ROME appellation (job title).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AppellationRef {
    /// OGR code.
    pub ogr: i64,
    /// Fiche.
    pub rome: CodeRome,
    /// Label.
    pub label: String,
}

/// A diploma.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DiplomaRef {
    /// Code diplôme.
    pub cfd: Cfd,
    /// RNCP code.
    pub rncp: Option<RncpCode>,
    /// Title.
    pub title: String,
    /// Level.
    pub level: Option<DiplomaLevel>,
    /// Open to apprenticeship.
    pub apprenticeship: Option<bool>,
    /// Active RNCP fiche.
    pub active: bool,
}

/// A commune or arrondissement with its postal codes and other names.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CommuneRef {
    /// INSEE code.
    pub insee: InseeCode,
    /// Name.
    pub name: String,
    /// An arrondissement (Paris, Marseille, Lyon).
    pub arrondissement: bool,
    /// The city of an arrondissement.
    pub parent: Option<InseeCode>,
    /// Département code.
    pub departement: String,
    /// Région code.
    pub region: String,
    /// Coordinates.
    pub point: Option<GeoPoint>,
    /// Population.
    pub population: i64,
    /// Postal codes, sorted.
    pub postal_codes: Vec<PostalCode>,
    /// Other names (communes déléguées).
    pub aliases: Vec<String>,
}

/// A located CFA.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CfaRef {
    /// UAI.
    pub uai: Uai,
    /// SIRET.
    pub siret: Option<Siret>,
    /// Name.
    pub name: String,
    /// Address.
    pub address: String,
    /// Postal code.
    pub postal_code: Option<PostalCode>,
    /// Commune.
    pub commune_insee: Option<InseeCode>,
    /// Commune name.
    pub city: String,
    /// Point.
    pub point: GeoPoint,
}

/// Hirings for a (ROME v3, NAF) pair.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RomeNafRef {
    /// ROME v3 code (match `RomeRef::parent_code`).
    pub rome_v3: CodeRome,
    /// Activity.
    pub naf: NafCode,
    /// Hirings.
    pub hirings: i64,
}

/// Everything the index and the generator read from the referentials.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReferentialData {
    /// ROME fiches.
    pub romes: Vec<RomeRef>,
    /// Appellations.
    pub appellations: Vec<AppellationRef>,
    /// (sous-domaine, ROME) pairs.
    pub subdomains: Vec<(String, CodeRome)>,
    /// Diplomas.
    pub diplomas: Vec<DiplomaRef>,
    /// Synonym groups (diploma titles and acronyms).
    pub synonyms: Vec<Vec<String>>,
    /// Communes and arrondissements.
    pub communes: Vec<CommuneRef>,
    /// Located CFAs.
    pub cfas: Vec<CfaRef>,
    /// ROME v3 × NAF hirings.
    pub rome_naf: Vec<RomeNafRef>,
    /// NAF code → label.
    pub naf_labels: BTreeMap<String, String>,
    /// Département code → name.
    pub departements: BTreeMap<String, String>,
    /// Région code → name.
    pub regions: BTreeMap<String, String>,
}

/// Everything a page shows about one ROME fiche.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RomeFicheDetail {
    /// The ROME code.
    pub code: String,
    /// The fiche label.
    pub label: String,
    /// French tags: ecological, digital or demographic transition,
    /// regulated job, executive job.
    pub tags: Vec<String>,
    /// Appellation labels, principal ones first, then alphabetical.
    pub appellations: Vec<String>,
    /// Definition sentences, in order.
    pub definition: Vec<String>,
    /// Access sentences (diplomas, experience), in order.
    pub access: Vec<String>,
    /// Close métiers `(code, label)`, by rank.
    pub close: Vec<(String, String)>,
}
