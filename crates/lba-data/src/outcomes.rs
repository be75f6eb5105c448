//! The outcomes file (`lba campaign import-outcomes`): one row per dated
//! event of a young person of the cohort, `;` or `,`, UTF-8 or Latin-1
//! (detected, see [`crate::sniff`]). Columns (README, « Fichier des
//! résultats »): `id_candidat`, `date` (`AAAA-MM-JJ` or `JJ/MM/AAAA`),
//! `evenement` (`contrat_signe`, `inscrit_cfa`, `voeu_accepte`,
//! `voeu_refuse`, `abandon`), optionally `siret_employeur` and
//! `cle_ministere_educatif`.

use std::path::Path;

use chrono::NaiveDate;
pub use lba_campaign::outcome::OutcomeEvent;
use lba_core::ids::Siret;

use crate::csv_source::{CsvReader, Row};
use crate::{DataError, Rejected};

/// The columns, the optional ones last.
pub const COLUMNS: &[&str] = &[
    "id_candidat",
    "date",
    "evenement",
    "siret_employeur",
    "cle_ministere_educatif",
];

// The header must hold the first three; the reader is opened with the
// first of these lists whose columns are all present.
const WITHOUT_KEY: &[&str] = &["id_candidat", "date", "evenement", "siret_employeur"];
const WITHOUT_SIRET: &[&str] = &["id_candidat", "date", "evenement", "cle_ministere_educatif"];
const REQUIRED: &[&str] = &["id_candidat", "date", "evenement"];

/// One event, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeRow {
    /// Line in the file.
    pub line: u64,
    /// Candidate id (or a full cohort id `parcoursup:…`).
    pub candidate_id: String,
    /// When it happened.
    pub date: NaiveDate,
    /// What happened.
    pub event: OutcomeEvent,
    /// The employer, for a contract.
    pub employer_siret: Option<Siret>,
    /// The course, for an enrolment or a wish.
    pub course_key: Option<String>,
}

/// Opens an outcomes file, detecting its encoding and delimiter.
pub fn open(path: &Path) -> Result<CsvReader<OutcomeRow>, DataError> {
    let format = crate::sniff::sniff(path)?;
    let mut last = None;
    for columns in [COLUMNS, WITHOUT_KEY, WITHOUT_SIRET, REQUIRED] {
        match CsvReader::open(path, format, columns, parse_row) {
            Ok(reader) => return Ok(reader),
            Err(DataError::MissingColumn { file, column })
                if !REQUIRED.contains(&column.as_str()) =>
            {
                last = Some(DataError::MissingColumn { file, column });
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| DataError::MissingColumn {
        file: path.to_path_buf(),
        column: "id_candidat".to_owned(),
    }))
}

fn parse_row(row: &Row<'_>) -> Result<OutcomeRow, Rejected> {
    let candidate_id = row.required("id_candidat")?.to_owned();
    let raw_date = row.required("date")?;
    let date = NaiveDate::parse_from_str(raw_date, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw_date, "%d/%m/%Y"))
        .map_err(|_| {
            row.reject(
                "date",
                format!("date « {raw_date} » illisible : attendu AAAA-MM-JJ ou JJ/MM/AAAA"),
            )
        })?;
    let raw_event = row.required("evenement")?.to_lowercase();
    let event = OutcomeEvent::parse(&raw_event).ok_or_else(|| {
        row.reject(
            "evenement",
            format!(
                "« {raw_event} » : attendu contrat_signe, inscrit_cfa, voeu_accepte, voeu_refuse ou abandon"
            ),
        )
    })?;
    Ok(OutcomeRow {
        line: row.line(),
        candidate_id,
        date,
        event,
        employer_siret: row.parse_opt("siret_employeur")?,
        course_key: row.opt("cle_ministere_educatif").map(str::to_owned),
    })
}
