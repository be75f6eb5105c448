//! The real apprenticeship training centres (CFA) from the Éducation
//! nationale BCE file: Latin-1, `;`-separated, no coordinates.

use std::path::Path;

use chrono::NaiveDate;
use lba_core::ids::{InseeCode, PostalCode, Siret, Uai};

use crate::DataError;
use crate::csv_source::{CsvFormat, CsvReader, Encoding, Row};

/// Relative path of the CFA file.
pub const FILE: &str = "cfa/CFASousConvRegionale_latest-UAI.csv";

/// A CFA as read from the file (located later through its commune).
#[derive(Clone, Debug, PartialEq)]
pub struct Cfa {
    /// UAI (establishment code).
    pub uai: Uai,
    /// Display name: the patronyme when present, else the denomination.
    pub name: String,
    /// Official denomination ("CTRE DE FORMATION D'APPRENTIS").
    pub denomination: String,
    /// SIRET, when given and valid.
    pub siret: Option<Siret>,
    /// A SIRET that was given but failed validation (kept for the report).
    pub invalid_siret: Option<String>,
    /// Nature code (600, 610…).
    pub nature: String,
    /// "PR" private or "PU" public.
    pub sector: Option<String>,
    /// INSEE code of the commune, when well-formed.
    pub commune_insee: Option<InseeCode>,
    /// The raw commune code as written in the file.
    pub commune_code_raw: String,
    /// Commune name.
    pub commune_name: String,
    /// Street address (lieu-dit and address).
    pub address: Option<String>,
    /// Post-office box.
    pub po_box: Option<String>,
    /// Postal code.
    pub postal_code: Option<PostalCode>,
    /// Delivery locality.
    pub city: Option<String>,
    /// Opening date.
    pub opened_on: Option<NaiveDate>,
    /// Closing date.
    pub closed_on: Option<NaiveDate>,
}

/// Reads the CFA file.
pub fn cfas(path: &Path) -> Result<CsvReader<Cfa>, DataError> {
    CsvReader::open(
        path,
        CsvFormat {
            delimiter: b';',
            encoding: Encoding::Latin1,
        },
        &[
            "numero_uai",
            "nature_uai",
            "secteur_public_prive",
            "commune",
            "commune_libe",
            "denomination_principale",
            "patronyme_uai",
            "numero_siren_siret_uai",
            "date_ouverture",
            "date_fermeture",
            "lieu_dit_uai",
            "adresse_uai",
            "boite_postale_uai",
            "code_postal_uai",
            "localite_acheminement_uai",
        ],
        |row| {
            let denomination = row.get("denomination_principale").to_owned();
            let name = row
                .opt("patronyme_uai")
                .or(Some(denomination.as_str()).filter(|d| !d.is_empty()))
                .ok_or_else(|| row.reject("patronyme_uai", "ni patronyme ni dénomination"))?
                .to_owned();
            let (siret, invalid_siret) = match row.opt("numero_siren_siret_uai") {
                None => (None, None),
                Some(raw) => match raw.parse::<Siret>() {
                    Ok(siret) => (Some(siret), None),
                    Err(_) => (None, Some(raw.to_owned())),
                },
            };
            let address = [row.get("lieu_dit_uai"), row.get("adresse_uai")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            Ok(Cfa {
                uai: row.parse("numero_uai")?,
                name,
                denomination,
                siret,
                invalid_siret,
                nature: row.get("nature_uai").to_owned(),
                sector: row.opt("secteur_public_prive").map(str::to_owned),
                commune_insee: row.get("commune").parse().ok(),
                commune_code_raw: row.get("commune").to_owned(),
                commune_name: row.get("commune_libe").to_owned(),
                address: Some(address).filter(|a| !a.is_empty()),
                po_box: row.opt("boite_postale_uai").map(str::to_owned),
                postal_code: row.parse_opt("code_postal_uai")?,
                city: row.opt("localite_acheminement_uai").map(str::to_owned),
                opened_on: date(row, "date_ouverture")?,
                closed_on: date(row, "date_fermeture")?,
            })
        },
    )
}

/// Dates come as spreadsheet serial numbers ("25288") or as JJ/MM/AAAA.
fn date(row: &Row<'_>, field: &str) -> Result<Option<NaiveDate>, crate::Rejected> {
    let Some(raw) = row.opt(field) else {
        return Ok(None);
    };
    if let Ok(serial) = raw.parse::<u32>() {
        // Spreadsheet day 0 is 1899-12-30 (the 1900 leap-year bug included).
        return NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(u64::from(serial))))
            .map(Some)
            .ok_or_else(|| row.reject(field, format!("date « {raw} » hors limites")));
    }
    NaiveDate::parse_from_str(raw, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%Y-%m-%d"))
        .map(Some)
        .map_err(|_| row.reject(field, format!("date « {raw} » illisible")))
}
