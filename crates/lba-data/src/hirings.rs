//! The hiring history read by `lba model train --history FILE`.
//!
//! Format (defined by this project, documented in the README):
//! UTF-8, `;`-separated, header line `siret;period;hirings;apprentice_hirings`,
//! one row per establishment and half-year:
//!
//! ```text
//! siret;period;hirings;apprentice_hirings
//! 73282932000074;2024-S1;3;1
//! 73282932000074;2024-S2;0;0
//! ```
//!
//! - `siret`: 14 digits with a valid key;
//! - `period`: `YYYY-S1` (January–June) or `YYYY-S2` (July–December);
//! - `hirings`, `apprentice_hirings`: whole numbers ≥ 0, apprentices not
//!   more than hirings. Half-years without any hiring may be left out:
//!   within the range of the file they count as zero.

use std::path::Path;

use lba_core::ids::Siret;
use lba_model::HalfYear;

use crate::DataError;
use crate::csv_source::{CsvFormat, CsvReader};

/// One row of the hiring history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HiringRow {
    /// Establishment.
    pub siret: Siret,
    /// Half-year.
    pub period: HalfYear,
    /// Hirings in the half-year.
    pub hirings: u32,
    /// Of which apprenticeship contracts.
    pub apprentice_hirings: u32,
}

/// The header line of the format.
pub const HEADER: &str = "siret;period;hirings;apprentice_hirings";

/// Reads a hiring history file.
pub fn hirings(path: &Path) -> Result<CsvReader<HiringRow>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_SEMICOLON,
        &["siret", "period", "hirings", "apprentice_hirings"],
        |row| {
            let hirings: u32 =
                row.required("hirings")?.trim().parse().map_err(|_| {
                    row.reject("hirings", "attendu un nombre entier positif ou nul")
                })?;
            let apprentice_hirings: u32 = row
                .required("apprentice_hirings")?
                .trim()
                .parse()
                .map_err(|_| {
                    row.reject(
                        "apprentice_hirings",
                        "attendu un nombre entier positif ou nul",
                    )
                })?;
            if apprentice_hirings > hirings {
                return Err(row.reject(
                    "apprentice_hirings",
                    format!("{apprentice_hirings} apprentis pour {hirings} embauches"),
                ));
            }
            Ok(HiringRow {
                siret: row.parse("siret")?,
                period: row.parse("period")?,
                hirings,
                apprentice_hirings,
            })
        },
    )
}
