//! NAF (company activity) referentials and the public tables that link
//! activities and ROME v3 codes: hirings, hiring tension, contact modes.

use std::path::Path;

use lba_core::ids::{CodeRome, NafCode};

use crate::DataError;
use crate::csv_source::{CsvFormat, CsvReader, Encoding};

/// Relative paths of the NAF files.
pub mod files {
    /// NAF rev. 2 sub-class labels (`|`-separated).
    pub const LABELS: &str = "naf/naf_labels.csv";
    /// NAF section labels.
    pub const SECTIONS: &str = "naf/naf_section_labels.csv";
    /// Hirings per (ROME v3, NAF).
    pub const ROME_NAF: &str = "naf/rome_naf_mapping.csv";
    /// Hiring tension per FAP family and ROME v3.
    pub const TENSION: &str = "naf/metiers_tension.csv";
    /// Suggested contact mode per (NAF prefix, ROME v3).
    pub const CONTACT_MODES: &str = "naf/contact_modes.csv";
    /// INSEE headcount brackets.
    pub const HEADCOUNTS: &str = "naf/effectif_labels.csv";
}

/// A NAF sub-class and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct NafLabel {
    /// Code ("0111Z").
    pub code: NafCode,
    /// Label.
    pub label: String,
}

/// Reads the NAF labels.
pub fn labels(path: &Path) -> Result<CsvReader<NafLabel>, DataError> {
    CsvReader::open(
        path,
        CsvFormat {
            delimiter: b'|',
            encoding: Encoding::Utf8,
        },
        &["naf_id", "naf_label"],
        |row| {
            Ok(NafLabel {
                code: row.parse("naf_id")?,
                label: row.required("naf_label")?.to_owned(),
            })
        },
    )
}

/// A code and its label (NAF sections, headcount brackets).
#[derive(Clone, Debug, PartialEq)]
pub struct CodeLabel {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
}

/// Reads a `code,label` file (NAF sections, headcount brackets).
pub fn code_labels(path: &Path) -> Result<CsvReader<CodeLabel>, DataError> {
    CsvReader::open(path, CsvFormat::UTF8_COMMA, &["code", "label"], |row| {
        Ok(CodeLabel {
            code: row.required("code")?.to_owned(),
            label: row.required("label")?.to_owned(),
        })
    })
}

/// Hirings observed for a (ROME v3, NAF) pair.
#[derive(Clone, Debug, PartialEq)]
pub struct RomeNafHiring {
    /// ROME v3 code (join with `rome_fiches.parent_code`).
    pub rome_v3: CodeRome,
    /// Activity.
    pub naf: NafCode,
    /// Hirings.
    pub hirings: i64,
}

/// Reads the ROME × NAF hirings table.
pub fn rome_naf(path: &Path) -> Result<CsvReader<RomeNafHiring>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &["rome_id", "naf_id", "hirings"],
        |row| {
            let hirings: i64 = row.parse("hirings")?;
            if hirings < 0 {
                return Err(row.reject("hirings", "nombre d'embauches négatif"));
            }
            Ok(RomeNafHiring {
                rome_v3: row.parse("rome_id")?,
                naf: row.parse("naf_id")?,
                hirings,
            })
        },
    )
}

/// Hiring tension of a FAP family, for one of its ROME v3 codes.
#[derive(Clone, Debug, PartialEq)]
pub struct Tension {
    /// FAP family code.
    pub fap_code: String,
    /// FAP family label.
    pub fap_label: String,
    /// Tension in percent (0–100).
    pub tension_pct: f64,
    /// ROME v3 code.
    pub rome_v3: CodeRome,
}

/// Reads the hiring tension table.
pub fn tension(path: &Path) -> Result<CsvReader<Tension>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &["fap_code", "fap", "tension_pct", "rome_code"],
        |row| {
            let tension_pct: f64 = row.parse("tension_pct")?;
            if !(0.0..=100.0).contains(&tension_pct) {
                return Err(row.reject("tension_pct", "pourcentage hors de 0–100"));
            }
            Ok(Tension {
                fap_code: row.required("fap_code")?.to_owned(),
                fap_label: row.required("fap")?.to_owned(),
                tension_pct,
                rome_v3: row.parse("rome_code")?,
            })
        },
    )
}

/// The suggested way to contact a company of an activity for a ROME.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactMode {
    /// First two digits of the NAF code.
    pub naf_prefix: String,
    /// ROME v3 code.
    pub rome_v3: CodeRome,
    /// "Envoyer un CV et une lettre de motivation", … (`None` when unknown).
    pub mode: Option<String>,
}

/// Reads the contact modes.
pub fn contact_modes(path: &Path) -> Result<CsvReader<ContactMode>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &["naf_prefix", "rome", "contact_mode"],
        |row| {
            let naf_prefix = row.required("naf_prefix")?;
            if naf_prefix.len() != 2 || !naf_prefix.chars().all(|c| c.is_ascii_digit()) {
                return Err(row.reject("naf_prefix", "attendu deux chiffres"));
            }
            Ok(ContactMode {
                naf_prefix: naf_prefix.to_owned(),
                rome_v3: row.parse("rome")?,
                mode: row.opt("contact_mode").map(str::to_owned),
            })
        },
    )
}
