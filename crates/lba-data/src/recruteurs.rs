//! The monthly "companies likely to hire" file of La bonne alternance
//! (`recruteurs-lba`): a JSON array (or NDJSON) of establishments with their
//! métiers and hiring scores, coordinates in the establishment's official
//! projection (Lambert-93 in metropolitan France).
//!
//! Streamed by [`crate::json_stream`]; each element is checked here. Fields
//! that the file publishes but the service does not use
//! (`activitePrincipaleEtablissement`, labels…) are ignored.

use std::path::Path;

use lba_core::ids::{CodeRome, InseeCode, NafCode, PostalCode, Siret};
use lba_core::opportunity::RomeScore;
use serde_json::{Map, Value};

use crate::json_stream::{Fields, JsonRecords, kind};
use crate::{DataError, Rejected};

/// The field that identifies a company.
pub const SIRET_FIELD: &str = "siret";
/// The field of the métiers.
pub const ROMES_FIELD: &str = "rome_codes";
/// The field of the Lambert abscissa.
pub const X_FIELD: &str = "coordonneeLambertAbscisseEtablissement";
/// The field of the Lambert ordinate.
pub const Y_FIELD: &str = "coordonneeLambertOrdonneeEtablissement";
/// The field of the commune.
pub const COMMUNE_FIELD: &str = "insee_city_code";
/// The field reported when the company has no name.
pub const NAME_FIELD: &str = "raison_sociale";

/// One company of the file, its values checked.
#[derive(Clone, Debug, PartialEq)]
pub struct RecruteurRecord {
    /// 1-based line where the record starts.
    pub line: u64,
    /// `siret`.
    pub siret: Siret,
    /// `enseigne`, else `raison_sociale` (one of them is required).
    pub name: String,
    /// `naf_code`.
    pub naf: Option<NafCode>,
    /// `naf_label`.
    pub naf_label: Option<String>,
    /// `street_number` and `street_name`, joined.
    pub address: String,
    /// `insee_city_code`.
    pub commune_insee: Option<InseeCode>,
    /// `zip_code`.
    pub postal_code: Option<PostalCode>,
    /// `libelleCommuneEtablissement`.
    pub city: Option<String>,
    /// `email`, unchecked (the importer validates it).
    pub email: Option<String>,
    /// `phone`, unchecked (the importer validates it).
    pub phone: Option<String>,
    /// `company_size` ("1-2", "10-19"…) as an INSEE headcount bracket code
    /// ("01", "11"…); `None` when absent or not a known bracket.
    pub headcount: Option<String>,
    /// Projected coordinates `(x, y)` in metres, when both are given.
    pub projected: Option<(f64, f64)>,
    /// `rome_codes`, at least one, best score first, each code once.
    pub romes: Vec<RomeScore>,
}

/// A streaming reader of the companies file.
pub type RecruteursReader = JsonRecords<RecruteurRecord>;

/// Opens a companies file.
pub fn open(path: &Path) -> Result<RecruteursReader, DataError> {
    crate::json_stream::open(path, record)
}

/// The INSEE headcount brackets and the `company_size` texts of the file
/// (which are the brackets' labels, see `naf/effectif_labels.csv`).
const HEADCOUNT_BRACKETS: &[(&str, &str)] = &[
    ("0-0", "00"),
    ("1-2", "01"),
    ("3-5", "02"),
    ("6-9", "03"),
    ("10-19", "11"),
    ("20-49", "12"),
    ("50-99", "21"),
    ("100-199", "22"),
    ("200-249", "31"),
    ("250-499", "32"),
    ("500-999", "41"),
    ("1000-1999", "42"),
    ("2000-4999", "51"),
    ("5000-9999", "52"),
    ("10000+", "53"),
    ("+10000", "53"),
];

/// The INSEE bracket code of a `company_size` text ("6-9" → "03"); a code
/// itself ("03") is accepted too.
pub fn headcount_code(size: &str) -> Option<&'static str> {
    let size = size.trim();
    HEADCOUNT_BRACKETS
        .iter()
        .find(|(label, code)| *label == size || *code == size)
        .map(|(_, code)| *code)
}

/// The 0–100 score of a `normalized_score` in 0–1: rounded up to a whole
/// percentage, so that a small positive score stays above zero and the
/// order of scores is kept (ties aside).
pub fn score_percent(normalized: f64) -> u8 {
    // In 0..=100 once clamped, so the cast is exact.
    (normalized * 100.0).ceil().clamp(0.0, 100.0) as u8
}

/// Reads the fields of one company.
fn record(line: u64, o: &Map<String, Value>) -> Result<RecruteurRecord, Rejected> {
    let f = Fields { line, o };
    let siret: Siret = f
        .parse(SIRET_FIELD)?
        .ok_or_else(|| f.reject(SIRET_FIELD, "valeur manquante"))?;
    let name = f
        .text("enseigne")?
        .or(f.text(NAME_FIELD)?)
        .ok_or_else(|| f.reject(NAME_FIELD, "ni enseigne ni raison sociale"))?;
    let address = [f.text("street_number")?, f.text("street_name")?]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(RecruteurRecord {
        line,
        siret,
        name,
        naf: f.parse("naf_code")?,
        naf_label: f.text("naf_label")?,
        address,
        commune_insee: f.parse(COMMUNE_FIELD)?,
        postal_code: f.parse("zip_code")?,
        city: f.text("libelleCommuneEtablissement")?,
        email: f.text("email")?,
        phone: f.text("phone")?,
        headcount: f
            .text("company_size")?
            .and_then(|s| headcount_code(&s))
            .map(str::to_owned),
        projected: projected(&f)?,
        romes: romes(&f)?,
    })
}

/// A number given as a JSON number or a numeric string.
fn number(f: &Fields<'_>, name: &str) -> Result<Option<f64>, Rejected> {
    let value = match f.o.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().replace(',', ".").parse().ok(),
        Some(other) => {
            return Err(f.reject(name, format!("attendu un nombre, trouvé {}", kind(other))));
        }
    };
    value
        .filter(|v: &f64| v.is_finite())
        .map(Some)
        .ok_or_else(|| f.reject(name, "attendu un nombre"))
}

fn projected(f: &Fields<'_>) -> Result<Option<(f64, f64)>, Rejected> {
    match (number(f, X_FIELD)?, number(f, Y_FIELD)?) {
        (Some(x), Some(y)) => Ok(Some((x, y))),
        (None, None) => Ok(None),
        // One coordinate without the other cannot be placed: the commune
        // will be used, as for no coordinates at all.
        _ => Ok(None),
    }
}

fn romes(f: &Fields<'_>) -> Result<Vec<RomeScore>, Rejected> {
    let items = match f.o.get(ROMES_FIELD) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => {
            return Err(f.reject(
                ROMES_FIELD,
                format!("attendu un tableau, trouvé {}", kind(other)),
            ));
        }
    };
    let mut romes: Vec<RomeScore> = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(entry) = item else {
            return Err(f.reject(
                ROMES_FIELD,
                format!(
                    "élément {} : attendu un objet {{rome_code, normalized_score}}, trouvé {}",
                    i + 1,
                    kind(item)
                ),
            ));
        };
        let inner = Fields {
            line: f.line,
            o: entry,
        };
        let at = |e: Rejected| f.reject(ROMES_FIELD, format!("élément {} : {}", i + 1, e.reason));
        let rome: CodeRome = inner
            .parse("rome_code")
            .map_err(at)?
            .ok_or_else(|| at(f.reject(ROMES_FIELD, "rome_code manquant")))?;
        let normalized = number(&inner, "normalized_score")
            .map_err(at)?
            .ok_or_else(|| at(f.reject(ROMES_FIELD, "normalized_score manquant")))?;
        if !(0.0..=1.0).contains(&normalized) {
            return Err(f.reject(
                ROMES_FIELD,
                format!(
                    "élément {} : normalized_score {normalized} hors de 0 à 1",
                    i + 1
                ),
            ));
        }
        let score = score_percent(normalized);
        match romes.iter_mut().find(|r| r.rome == rome) {
            Some(known) => known.score = known.score.max(score),
            None => romes.push(RomeScore { rome, score }),
        }
    }
    if romes.is_empty() {
        return Err(f.reject(ROMES_FIELD, "aucun code ROME"));
    }
    // Stable: equal scores keep the file's order.
    romes.sort_by_key(|r| std::cmp::Reverse(r.score));
    Ok(romes)
}
