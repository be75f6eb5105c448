//! The INSEE SIRENE establishment stock (`StockEtablissement_utf8.csv`):
//! one row per establishment, open or closed, comma-separated UTF-8 with a
//! header line. Only the columns used here are required; the file's many
//! others are ignored.
//!
//! A closed establishment (`etatAdministratifEtablissement` = `F`) is
//! yielded with its SIRET only checked, so that the importer can count and
//! delete it; its other columns (often in older nomenclatures) are not read.
//! Values hidden by the diffusion rules (`[ND]`) are taken as empty.

use std::path::Path;

use lba_core::ids::{InseeCode, NafCode, PostalCode, Siret};

use crate::csv_source::{CsvFormat, CsvReader, Row};
use crate::{DataError, Rejected};

/// `siret`.
pub const SIRET: &str = "siret";
/// `etatAdministratifEtablissement`: `A` open, `F` closed.
pub const STATE: &str = "etatAdministratifEtablissement";
/// `activitePrincipaleEtablissement` ("10.71C").
pub const ACTIVITY: &str = "activitePrincipaleEtablissement";
/// `trancheEffectifsEtablissement` (INSEE bracket code, `NN` unknown).
pub const HEADCOUNT: &str = "trancheEffectifsEtablissement";
/// `codeCommuneEtablissement`.
pub const COMMUNE: &str = "codeCommuneEtablissement";
/// `enseigne1Etablissement`.
pub const SIGN: &str = "enseigne1Etablissement";
/// `denominationUsuelleEtablissement`.
pub const USUAL_NAME: &str = "denominationUsuelleEtablissement";
/// `numeroVoieEtablissement`.
pub const STREET_NUMBER: &str = "numeroVoieEtablissement";
/// `indiceRepetitionEtablissement` ("B" of "12 B").
pub const STREET_INDEX: &str = "indiceRepetitionEtablissement";
/// `typeVoieEtablissement` ("RUE", "AV"…).
pub const STREET_KIND: &str = "typeVoieEtablissement";
/// `libelleVoieEtablissement`.
pub const STREET_NAME: &str = "libelleVoieEtablissement";
/// `codePostalEtablissement`.
pub const POSTAL_CODE: &str = "codePostalEtablissement";
/// `libelleCommuneEtablissement`.
pub const CITY: &str = "libelleCommuneEtablissement";
/// `coordonneeLambertAbscisseEtablissement`.
pub const X: &str = "coordonneeLambertAbscisseEtablissement";
/// `coordonneeLambertOrdonneeEtablissement`.
pub const Y: &str = "coordonneeLambertOrdonneeEtablissement";

/// The columns read.
pub const COLUMNS: &[&str] = &[
    SIRET,
    STATE,
    ACTIVITY,
    HEADCOUNT,
    COMMUNE,
    SIGN,
    USUAL_NAME,
    STREET_NUMBER,
    STREET_INDEX,
    STREET_KIND,
    STREET_NAME,
    POSTAL_CODE,
    CITY,
    X,
    Y,
];

/// The INSEE headcount bracket codes (`NN`, unknown, is not one).
const HEADCOUNT_CODES: &[&str] = &[
    "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53",
];

/// One row of the stock.
#[derive(Clone, Debug, PartialEq)]
pub enum SireneRecord {
    /// An open establishment.
    Open(Establishment),
    /// A closed establishment.
    Closed {
        /// 1-based line.
        line: u64,
        /// Its SIRET.
        siret: Siret,
    },
}

/// An open establishment, its values checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Establishment {
    /// 1-based line.
    pub line: u64,
    /// `siret`.
    pub siret: Siret,
    /// `enseigne1Etablissement`, else `denominationUsuelleEtablissement`;
    /// `None` when the row names neither (the legal name is in the
    /// separate legal-unit file, not read here).
    pub name: Option<String>,
    /// `activitePrincipaleEtablissement` (NAF rév. 2).
    pub naf: Option<NafCode>,
    /// `trancheEffectifsEtablissement`, `None` for `NN` or empty.
    pub headcount: Option<String>,
    /// Number, repetition index, street kind and name ("12B RUE DES LILAS").
    pub address: String,
    /// `codePostalEtablissement`.
    pub postal_code: Option<PostalCode>,
    /// `codeCommuneEtablissement`.
    pub commune_insee: Option<InseeCode>,
    /// `libelleCommuneEtablissement`.
    pub city: String,
    /// Projected coordinates `(x, y)` in metres, when both are given.
    pub projected: Option<(f64, f64)>,
}

impl Establishment {
    /// The name to show: [`Establishment::name`], else the documented
    /// fallback "Établissement <SIRET>".
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("Établissement {}", self.siret.as_str()))
    }
}

/// Opens a `StockEtablissement` CSV file.
pub fn open(path: &Path) -> Result<CsvReader<SireneRecord>, DataError> {
    CsvReader::open(path, CsvFormat::UTF8_COMMA, COLUMNS, record)
}

/// A value, `None` when empty or hidden (`[ND]`).
fn value<'a>(row: &'a Row<'_>, name: &str) -> Option<&'a str> {
    row.opt(name).filter(|v| *v != "[ND]")
}

fn record(row: &Row<'_>) -> Result<SireneRecord, Rejected> {
    let siret: Siret = row.parse(SIRET)?;
    match row.get(STATE) {
        "A" => {}
        "F" => {
            return Ok(SireneRecord::Closed {
                line: row.line(),
                siret,
            });
        }
        other => {
            return Err(row.reject(
                STATE,
                format!("« {other} » : attendu A (actif) ou F (fermé)"),
            ));
        }
    }
    let parse_opt = |name: &str| value(row, name);
    let naf = parse_opt(ACTIVITY)
        .map(|raw| NafCode::parse(raw).map_err(|e| row.reject(ACTIVITY, e.to_string())))
        .transpose()?;
    let commune_insee = parse_opt(COMMUNE)
        .map(|raw| InseeCode::parse(raw).map_err(|e| row.reject(COMMUNE, e.to_string())))
        .transpose()?;
    let postal_code = parse_opt(POSTAL_CODE)
        .map(|raw| PostalCode::parse(raw).map_err(|e| row.reject(POSTAL_CODE, e.to_string())))
        .transpose()?;
    let number = [parse_opt(STREET_NUMBER), parse_opt(STREET_INDEX)]
        .into_iter()
        .flatten()
        .collect::<String>();
    let address = [
        Some(number.as_str()).filter(|n| !n.is_empty()),
        parse_opt(STREET_KIND),
        parse_opt(STREET_NAME),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let coordinate = |name| {
        parse_opt(name)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    Ok(SireneRecord::Open(Establishment {
        line: row.line(),
        siret,
        name: parse_opt(SIGN).or(parse_opt(USUAL_NAME)).map(str::to_owned),
        naf,
        headcount: parse_opt(HEADCOUNT)
            .filter(|code| HEADCOUNT_CODES.contains(code))
            .map(str::to_owned),
        address,
        postal_code,
        commune_insee,
        city: parse_opt(CITY).unwrap_or_default().to_owned(),
        projected: coordinate(X).zip(coordinate(Y)),
    }))
}
