//! ROME 4.0 (v460) files from France Travail, and the La bonne alternance
//! "sous-domaine" groupings of job titles.

use std::path::Path;

use lba_core::ids::CodeRome;

use crate::csv_source::{CsvFormat, CsvReader, Row};
use crate::{DataError, Rejected};

/// Relative paths of the ROME files inside the data directory.
pub mod files {
    /// The 1,584 fiches.
    pub const FICHES: &str = "rome/unix_referentiel_code_rome_v460_utf8.csv";
    /// The 13,120 job titles.
    pub const APPELLATIONS: &str = "rome/unix_referentiel_appellation_v460_utf8.csv";
    /// Definition and access texts.
    pub const TEXTS: &str = "rome/unix_texte_v460_utf8.csv";
    /// ROME → close ROME links.
    pub const MOBILITY: &str = "rome/unix_rubrique_mobilite_v460_utf8.csv";
    /// The 30 centres of interest.
    pub const INTEREST_CENTRES: &str = "rome/unix_centre_interet_v460_utf8.csv";
    /// Centre of interest → ROME fiche links.
    pub const INTEREST_TREE: &str = "rome/unix_arborescence_centre_interet_v460_utf8.csv";
    /// La bonne alternance sous-domaines.
    pub const SUBDOMAINS: &str = "lba/referentielromes_classification.csv";
}

/// A ROME fiche (métier).
#[derive(Clone, Debug, PartialEq)]
pub struct RomeFiche {
    /// ROME 4.0 code.
    pub code: CodeRome,
    /// France Travail's fiche number.
    pub fiche_number: String,
    /// OGR id of the fiche.
    pub ogr: i64,
    /// Label.
    pub label: String,
    /// Ecological transition tag ("Emploi Vert", "Emploi Blanc", …).
    pub transition_eco: Option<String>,
    /// Digital transition job.
    pub transition_num: Option<bool>,
    /// Demographic transition job.
    pub transition_demo: Option<bool>,
    /// Regulated job.
    pub regulated: Option<bool>,
    /// Executive (cadre) job.
    pub executive: Option<bool>,
    /// ROME v3 code the fiche comes from (the key of v3-based tables).
    pub parent_code: CodeRome,
}

/// Reads the ROME fiches.
pub fn fiches(path: &Path) -> Result<CsvReader<RomeFiche>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &[
            "code_rome",
            "code_fiche_metier",
            "code_ogr",
            "libelle_rome",
            "transition_eco",
            "transition_num",
            "transition_demo",
            "emploi_reglemente",
            "emploi_cadre",
            "code_rome_parent",
        ],
        |row| {
            Ok(RomeFiche {
                code: row.parse("code_rome")?,
                fiche_number: row.get("code_fiche_metier").to_owned(),
                ogr: row.parse("code_ogr")?,
                label: row.required("libelle_rome")?.to_owned(),
                transition_eco: row.opt("transition_eco").map(str::to_owned),
                transition_num: row.flag("transition_num")?,
                transition_demo: row.flag("transition_demo")?,
                regulated: row.flag("emploi_reglemente")?,
                executive: row.flag("emploi_cadre")?,
                parent_code: row.parse("code_rome_parent")?,
            })
        },
    )
}

/// A ROME appellation (job title).
#[derive(Clone, Debug, PartialEq)]
pub struct RomeAppellation {
    /// OGR id (stable key).
    pub ogr: i64,
    /// Long label ("Boulanger / Boulangère").
    pub label: String,
    /// Short label.
    pub short_label: String,
    /// The fiche it belongs to.
    pub rome: CodeRome,
    /// Ecological transition tag.
    pub transition_eco: Option<String>,
    /// Digital transition job.
    pub transition_num: Option<bool>,
    /// Demographic transition job.
    pub transition_demo: Option<bool>,
    /// Regulated job.
    pub regulated: Option<bool>,
    /// Executive job.
    pub executive: Option<bool>,
    /// The fiche's main title (classification PRINCIPALE) rather than a synonym.
    pub principal: bool,
    /// Rarely used title (`peu_usite`).
    pub rare: bool,
}

/// Reads the ROME appellations.
pub fn appellations(path: &Path) -> Result<CsvReader<RomeAppellation>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &[
            "code_ogr",
            "libelle_appellation_long",
            "libelle_appellation_court",
            "code_rome",
            "transition_eco",
            "transition_num",
            "transition_demo",
            "emploi_reglemente",
            "emploi_cadre",
            "classification",
            "peu_usite",
        ],
        |row| {
            let principal = match row.get("classification") {
                "PRINCIPALE" => true,
                "SYNONYME" | "" => false,
                other => {
                    return Err(row.reject(
                        "classification",
                        format!("« {other} » : attendu PRINCIPALE ou SYNONYME"),
                    ));
                }
            };
            Ok(RomeAppellation {
                ogr: row.parse("code_ogr")?,
                label: row.required("libelle_appellation_long")?.to_owned(),
                short_label: row.get("libelle_appellation_court").to_owned(),
                rome: row.parse("code_rome")?,
                transition_eco: row.opt("transition_eco").map(str::to_owned),
                transition_num: row.flag("transition_num")?,
                transition_demo: row.flag("transition_demo")?,
                regulated: row.flag("emploi_reglemente")?,
                executive: row.flag("emploi_cadre")?,
                principal,
                rare: row.flag("peu_usite")?.unwrap_or(false),
            })
        },
    )
}

/// The kind of a ROME text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RomeTextKind {
    /// What the job is.
    Definition,
    /// How to get into it.
    Access,
}

impl RomeTextKind {
    /// Stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Definition => "definition",
            Self::Access => "acces_metier",
        }
    }
}

/// One sentence of a fiche's definition or access text.
#[derive(Clone, Debug, PartialEq)]
pub struct RomeText {
    /// The fiche.
    pub rome: CodeRome,
    /// Definition or access.
    pub kind: RomeTextKind,
    /// Position of the sentence.
    pub position: i32,
    /// The sentence (doubled quotes of the source undone).
    pub text: String,
}

/// Reads the ROME texts.
pub fn texts(path: &Path) -> Result<CsvReader<RomeText>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &[
            "code_rome",
            "libelle_type_texte",
            "position_phrase",
            "libelle_texte",
        ],
        |row| {
            let kind = match row.get("libelle_type_texte") {
                "definition" => RomeTextKind::Definition,
                "acces_metier" => RomeTextKind::Access,
                other => {
                    return Err(row.reject(
                        "libelle_type_texte",
                        format!("type de texte inconnu « {other} »"),
                    ));
                }
            };
            Ok(RomeText {
                rome: row.parse("code_rome")?,
                kind,
                position: row.parse("position_phrase")?,
                // The export doubles apostrophes SQL-style ("l''entretien").
                text: row.required("libelle_texte")?.replace("''", "'"),
            })
        },
    )
}

/// A link from a fiche to a close fiche.
#[derive(Clone, Debug, PartialEq)]
pub struct RomeMobility {
    /// From.
    pub rome: CodeRome,
    /// To.
    pub target: CodeRome,
    /// Order given by France Travail (higher first).
    pub rank: i32,
}

/// Reads the ROME mobility links.
pub fn mobility(path: &Path) -> Result<CsvReader<RomeMobility>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &["code_rome", "code_rome_cible", "numero_ordre"],
        |row| {
            Ok(RomeMobility {
                rome: row.parse("code_rome")?,
                target: row.parse("code_rome_cible")?,
                rank: row.parse("numero_ordre")?,
            })
        },
    )
}

/// A centre of interest ("J'ai envie de …").
#[derive(Clone, Debug, PartialEq)]
pub struct InterestCentre {
    /// Code (1–30).
    pub code: i32,
    /// Label.
    pub label: String,
    /// Definition paragraph(s).
    pub definition: String,
}

/// Reads the centres of interest.
pub fn interest_centres(path: &Path) -> Result<CsvReader<InterestCentre>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &[
            "code_centre_interet",
            "libelle_centre_interet",
            "definition_centre_interet",
        ],
        |row| {
            Ok(InterestCentre {
                code: row.parse("code_centre_interet")?,
                label: row.required("libelle_centre_interet")?.to_owned(),
                definition: row.get("definition_centre_interet").to_owned(),
            })
        },
    )
}

/// A fiche under a centre of interest.
#[derive(Clone, Debug, PartialEq)]
pub struct InterestCentreRome {
    /// The centre's code.
    pub centre: i32,
    /// The fiche.
    pub rome: CodeRome,
    /// The centre is the fiche's main one.
    pub principal: bool,
}

/// Reads the centre of interest → fiche links.
pub fn interest_tree(path: &Path) -> Result<CsvReader<InterestCentreRome>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &["code_centre_interet", "code_rome", "principal"],
        |row| {
            Ok(InterestCentreRome {
                centre: row.parse("code_centre_interet")?,
                rome: row.parse("code_rome")?,
                principal: row.flag("principal")?.unwrap_or(false),
            })
        },
    )
}

/// A La bonne alternance "sous-domaine" given to a job title.
#[derive(Clone, Debug, PartialEq)]
pub struct RomeSubdomain {
    /// The fiche.
    pub rome: CodeRome,
    /// The job title as written in the file (an appellation's long label).
    pub appellation_label: String,
    /// The user-facing grouping ("Boulangerie, pâtisserie").
    pub subdomain: String,
}

/// Reads the sous-domaine classification.
pub fn subdomains(path: &Path) -> Result<CsvReader<RomeSubdomain>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_SEMICOLON,
        &["code", "intitule", "sousDomaine"],
        |row: &Row<'_>| -> Result<RomeSubdomain, Rejected> {
            Ok(RomeSubdomain {
                rome: row.parse("code")?,
                appellation_label: row.required("intitule")?.to_owned(),
                subdomain: row.required("sousDomaine")?.to_owned(),
            })
        },
    )
}
