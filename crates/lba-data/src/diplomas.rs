//! Diplomas from the RNCP "kit apprentissage" and the diploma synonym and
//! acronym groups of La bonne alternance.

use std::path::Path;

use chrono::NaiveDate;
use lba_core::ids::{Cfd, RncpCode};
use lba_core::level::{DiplomaLevel, parse_rncp_level};

use crate::DataError;
use crate::csv_source::{CsvFormat, CsvReader};

/// Relative paths of the diploma files.
pub mod files {
    /// The kit, one row per (CFD, RNCP code).
    pub const KIT: &str = "diplomes/CodeDiplome_RNCP_latest_kit.csv";
    /// Synonym groups.
    pub const SYNONYMS: &str = "lba/search-synonyms.json";
}

/// A diploma row of the kit.
#[derive(Clone, Debug, PartialEq)]
pub struct Diploma {
    /// Code diplôme (CFD).
    pub cfd: Cfd,
    /// Title (DEPP).
    pub title: String,
    /// RNCP code; `None` when the kit says NR.
    pub rncp: Option<RncpCode>,
    /// Level 3–8; `None` when unknown (NR).
    pub level: Option<DiplomaLevel>,
    /// Short name of the diploma kind ("BTS", "Licence Professionnelle").
    pub kind: Option<String>,
    /// Version tag of the last update.
    pub last_update: Option<String>,
    /// Open to apprenticeship; `None` when unknown.
    pub apprenticeship: Option<bool>,
    /// End of validity of the RNCP fiche.
    pub valid_until: Option<NaiveDate>,
    /// The RNCP fiche is active.
    pub active: bool,
}

const COL_CFD: &str = "Code_Diplome";
const COL_TITLE: &str = "Intitulé diplôme (DEPP)";
const COL_RNCP: &str = "Code_RNCP";
const COL_LEVEL: &str = "Niveau fiche RNCP";
const COL_KIND: &str = "Abrégé de diplôme (RNCP)";
const COL_UPDATE: &str = "Dernière MaJ";
const COL_APPRENTICESHIP: &str = "Accès à l'apprentissage de la fiche RNCP (oui/non)";
const COL_VALID_UNTIL: &str = "Date d'échéance de la fiche RNCP";
const COL_ACTIVE: &str = "Fiche ACTIVE/INACTIVE";

/// Reads the diploma kit.
pub fn kit(path: &Path) -> Result<CsvReader<Diploma>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_SEMICOLON,
        &[
            COL_CFD,
            COL_TITLE,
            COL_RNCP,
            COL_LEVEL,
            COL_KIND,
            COL_UPDATE,
            COL_APPRENTICESHIP,
            COL_VALID_UNTIL,
            COL_ACTIVE,
        ],
        |row| {
            let rncp = match row.get(COL_RNCP) {
                "" | "NR" => None,
                _ => Some(row.parse(COL_RNCP)?),
            };
            let level = parse_rncp_level(row.get(COL_LEVEL))
                .map_err(|e| row.reject(COL_LEVEL, e.to_string()))?;
            let valid_until = match row.opt(COL_VALID_UNTIL) {
                None => None,
                Some(raw) => Some(NaiveDate::parse_from_str(raw, "%d/%m/%Y").map_err(|_| {
                    row.reject(
                        COL_VALID_UNTIL,
                        format!("date « {raw} » : attendu JJ/MM/AAAA"),
                    )
                })?),
            };
            let active = match row.get(COL_ACTIVE) {
                "ACTIVE" => true,
                "INACTIVE" => false,
                other => {
                    return Err(row.reject(
                        COL_ACTIVE,
                        format!("« {other} » : attendu ACTIVE ou INACTIVE"),
                    ));
                }
            };
            Ok(Diploma {
                cfd: row.parse(COL_CFD)?,
                title: clean_title(row.required(COL_TITLE)?),
                rncp,
                level,
                kind: row.opt(COL_KIND).filter(|k| *k != "NR").map(str::to_owned),
                last_update: row.opt(COL_UPDATE).map(str::to_owned),
                apprenticeship: row.flag(COL_APPRENTICESHIP)?,
                valid_until,
                active,
            })
        },
    )
}

/// Drops C1 control characters left by a bad conversion upstream
/// ("DIPLÔ\u{94}ME") and trims.
fn clean_title(raw: &str) -> String {
    raw.chars()
        .filter(|c| !('\u{80}'..='\u{9f}').contains(c))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A group of equivalent search terms (a diploma title and its acronyms).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct SynonymGroup {
    /// Only "equivalent" groups exist in the file.
    #[serde(rename = "mappingType")]
    pub mapping_type: String,
    /// The terms, in file order.
    pub synonyms: Vec<String>,
}

/// Reads the synonym groups (a JSON array of ~1,700 small objects, read at once).
pub fn synonyms(path: &Path) -> Result<Vec<SynonymGroup>, DataError> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| DataError::Malformed {
        file: path.to_path_buf(),
        line: u64::try_from(e.line()).unwrap_or(0),
        message: format!("column {}: {e}", e.column()),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_lose_control_characters() {
        assert_eq!(super::clean_title(" DIPLÔ\u{94}ME "), "DIPLÔME");
    }
}
