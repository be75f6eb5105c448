//! DARES labour-market tensions ("Les tensions sur le marché du travail",
//! 2019) per FAP family (familles professionnelles), and the FAP → ROME v3
//! table that joins them to ROME fiches.
//!
//! - `dares/tensions.csv`: one row per (FAP family, area): national, per
//!   région (INSEE code, written `11.0`) or per département; FAP 225 (`A0Z40`)
//!   and FAP 87 (`A0Z`). The indicator is standardised (above 0: harder to
//!   recruit than the average métier); its category (1–5) and the six
//!   dimensions (1–5) are missing on rows DARES does not publish (`NA`).
//!   `niveau_geo` is sometimes written `reg ` with a trailing space.
//! - `dares/evol_tensions.csv`: national indicator per FAP 225 family and
//!   year (2011–2019).
//! - `dares/fap225_rome.csv` (Latin-1, `;`): FAP 225 family → ROME v3 code,
//!   `NA` where the family has none.

use std::collections::HashMap;
use std::path::Path;

use lba_core::ids::CodeRome;

use crate::csv_source::{CsvFormat, CsvReader, Encoding, Row};
use crate::{DataError, Rejected};

/// Relative paths of the DARES files inside the data directory.
pub mod files {
    /// Tension indicators of 2019, national, per région and per département.
    pub const TENSIONS: &str = "dares/tensions.csv";
    /// National indicator per year, 2011–2019.
    pub const TRENDS: &str = "dares/evol_tensions.csv";
    /// FAP 225 family → ROME v3 codes.
    pub const FAP_ROME: &str = "dares/fap225_rome.csv";
}

/// The grain of a FAP family code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FapGrain {
    /// The 225 detailed families (`A0Z40`).
    Fap225,
    /// The 87 families (`A0Z`).
    Fap87,
}

/// A FAP family code (`A0Z40` or `A0Z`), checked for its shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FapCode(String);

impl FapCode {
    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its grain (length 5: FAP 225, length 3: FAP 87).
    pub fn grain(&self) -> FapGrain {
        if self.0.len() == 5 {
            FapGrain::Fap225
        } else {
            FapGrain::Fap87
        }
    }

    /// The FAP 87 family a FAP 225 family belongs to (its first 3 characters).
    pub fn family87(&self) -> FapCode {
        FapCode(self.0[..3].to_owned())
    }
}

impl std::str::FromStr for FapCode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let head = b.len() >= 3
            && b[0].is_ascii_uppercase()
            && b[1].is_ascii_digit()
            && b[2].is_ascii_uppercase();
        let ok = match b.len() {
            3 => head,
            5 => head && b[3].is_ascii_digit() && b[4].is_ascii_digit(),
            _ => false,
        };
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "« {s} » n'est pas un code FAP (lettre, chiffre, lettre, puis 2 chiffres ou rien)"
            ))
        }
    }
}

impl std::fmt::Display for FapCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The area a tension row describes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TensionArea {
    /// France as a whole.
    National,
    /// A région, by INSEE code on two digits (`84`, `01`).
    Region(String),
    /// A département, by code (`69`, `2A`, `974`).
    Departement(String),
}

/// The six dimensions of the tension indicator, each on DARES's 1–5 scale
/// (5 = the dimension adds most to the tension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TensionDimensions {
    /// Hiring intensity ("Intensité d'embauches").
    pub hiring_intensity: u8,
    /// Link between a specific training and the job ("Lien formation-emploi").
    pub training_link: u8,
    /// Lack of available workforce ("Manque de main-d'œuvre disponible").
    pub lack_of_workforce: u8,
    /// Non-durable jobs ("Non-durabilité de l'emploi").
    pub non_durable: u8,
    /// Harsh working conditions ("Conditions de travail contraignantes").
    pub working_conditions: u8,
    /// Geographical mismatch ("Inadéquation géographique").
    pub geographic_mismatch: u8,
}

/// One row of `tensions.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tension {
    /// FAP family.
    pub fap: FapCode,
    /// Area of the row.
    pub area: TensionArea,
    /// Year of the figures.
    pub year: u16,
    /// Average employment of the family in the area.
    pub employment: u32,
    /// Standardised tension indicator (`None` where DARES gives `NA`).
    pub indicator: Option<f64>,
    /// Its category, 1 (very low) to 5 (very high).
    pub category: Option<u8>,
    /// The six dimensions, when published.
    pub dimensions: Option<TensionDimensions>,
}

/// One row of `evol_tensions.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct TensionTrendPoint {
    /// FAP 225 family.
    pub fap: FapCode,
    /// Year.
    pub year: u16,
    /// National tension indicator that year.
    pub indicator: f64,
}

/// One row of `fap225_rome.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct FapRome {
    /// FAP 225 family.
    pub fap: FapCode,
    /// ROME v3 code (`None` for `NA`: a family without any ROME code).
    pub rome: Option<CodeRome>,
}

const DIMENSIONS: [&str; 6] = [
    "Intensité d'embauches",
    "Lien formation-emploi",
    "Manque de main-d'œuvre disponible",
    "Non-durabilité de l'emploi",
    "Conditions de travail contraignantes",
    "Inadéquation géographique",
];

/// Reads `tensions.csv`.
pub fn tensions(path: &Path) -> Result<CsvReader<Tension>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &[
            "fap",
            "Emploi moyen",
            "Tension",
            "Catégorie Tension",
            "Intensité d'embauches",
            "Lien formation-emploi",
            "Manque de main-d'œuvre disponible",
            "Non-durabilité de l'emploi",
            "Conditions de travail contraignantes",
            "Inadéquation géographique",
            "Année",
            "niveau_geo",
            "niveau_fap",
            "reg",
            "dep",
        ],
        parse_tension,
    )
}

fn parse_tension(row: &Row<'_>) -> Result<Tension, Rejected> {
    let fap: FapCode = row.parse("fap")?;
    let grain = match row.get("niveau_fap").trim() {
        "fap 225" => FapGrain::Fap225,
        "fap 87" => FapGrain::Fap87,
        other => {
            return Err(row.reject(
                "niveau_fap",
                format!("« {other} » n'est ni « fap 225 » ni « fap 87 »"),
            ));
        }
    };
    if fap.grain() != grain {
        return Err(row.reject("fap", format!("{fap} n'est pas un code de la {grain:?}")));
    }
    let area = match row.get("niveau_geo").trim() {
        "nat" => TensionArea::National,
        "reg" => TensionArea::Region(region_code(row)?),
        "dep" => {
            let dep = row.required("dep")?;
            let ok = matches!(dep.len(), 2 | 3)
                && (dep.bytes().all(|b| b.is_ascii_digit()) || dep == "2A" || dep == "2B");
            if !ok {
                return Err(row.reject("dep", format!("« {dep} » n'est pas un département")));
            }
            TensionArea::Departement(dep.to_owned())
        }
        other => {
            return Err(row.reject(
                "niveau_geo",
                format!("« {other} » n'est ni nat, ni reg, ni dep"),
            ));
        }
    };
    let category = score(row, "Catégorie Tension")?;
    let dims: Vec<Option<u8>> = DIMENSIONS
        .iter()
        .map(|name| score(row, name))
        .collect::<Result<_, _>>()?;
    let dimensions = match dims.as_slice() {
        [Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)] => Some(TensionDimensions {
            hiring_intensity: *a,
            training_link: *b,
            lack_of_workforce: *c,
            non_durable: *d,
            working_conditions: *e,
            geographic_mismatch: *f,
        }),
        _ => None,
    };
    Ok(Tension {
        fap,
        area,
        year: row.parse("Année")?,
        employment: row.parse("Emploi moyen")?,
        indicator: number(row, "Tension")?,
        category,
        dimensions,
    })
}

/// `11.0` → `11`, `1.0` → `01`.
fn region_code(row: &Row<'_>) -> Result<String, Rejected> {
    let raw = row.required("reg")?;
    let digits = raw.strip_suffix(".0").unwrap_or(raw);
    match digits.parse::<u8>() {
        Ok(n) if n > 0 => Ok(format!("{n:02}")),
        _ => Err(row.reject(
            "reg",
            format!("« {raw} » n'est pas un code de région INSEE"),
        )),
    }
}

/// An optional decimal number (`NA` or empty → `None`).
fn number(row: &Row<'_>, name: &str) -> Result<Option<f64>, Rejected> {
    match row.get(name).trim() {
        "" | "NA" => Ok(None),
        raw => match raw.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(row.reject(name, format!("« {raw} » n'est pas un nombre"))),
        },
    }
}

/// An optional 1–5 score written `3.0`.
fn score(row: &Row<'_>, name: &str) -> Result<Option<u8>, Rejected> {
    let Some(v) = number(row, name)? else {
        return Ok(None);
    };
    if v.fract() == 0.0 && (1.0..=5.0).contains(&v) {
        // In 1..=5 and whole: the cast is exact.
        Ok(Some(v as u8))
    } else {
        Err(row.reject(name, format!("{v} n'est pas une note de 1 à 5")))
    }
}

/// Reads `evol_tensions.csv`.
pub fn trends(path: &Path) -> Result<CsvReader<TensionTrendPoint>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &["fap", "Tension", "Année"],
        |row| {
            let Some(indicator) = number(row, "Tension")? else {
                return Err(row.reject("Tension", "valeur manquante"));
            };
            Ok(TensionTrendPoint {
                fap: row.parse("fap")?,
                year: row.parse("Année")?,
                indicator,
            })
        },
    )
}

/// Reads `fap225_rome.csv` (Latin-1, `;`).
pub fn fap_rome(path: &Path) -> Result<CsvReader<FapRome>, DataError> {
    CsvReader::open(
        path,
        CsvFormat {
            delimiter: b';',
            encoding: Encoding::Latin1,
        },
        &["Fap", "Rome"],
        |row| {
            let rome = match row.get("Rome").trim() {
                "NA" | "" => None,
                _ => Some(row.parse("Rome")?),
            };
            Ok(FapRome {
                fap: row.parse("Fap")?,
                rome,
            })
        },
    )
}

/// ROME v3 code → the FAP 225 families it belongs to (most have one, a few
/// two or three).
#[derive(Clone, Debug, Default)]
pub struct FapOfRome(HashMap<CodeRome, Vec<FapCode>>);

impl FapOfRome {
    /// Builds the table from the rows of `fap225_rome.csv`.
    pub fn new(rows: impl IntoIterator<Item = FapRome>) -> Self {
        let mut map: HashMap<CodeRome, Vec<FapCode>> = HashMap::new();
        for row in rows {
            if let Some(rome) = row.rome {
                let faps = map.entry(rome).or_default();
                if !faps.contains(&row.fap) {
                    faps.push(row.fap);
                }
            }
        }
        for faps in map.values_mut() {
            faps.sort();
        }
        Self(map)
    }

    /// The families of a ROME v3 code (a ROME 4.0 fiche's `code_rome_parent`).
    pub fn families(&self, rome_v3: &CodeRome) -> &[FapCode] {
        self.0.get(rome_v3).map_or(&[], Vec::as_slice)
    }

    /// Number of ROME v3 codes with at least one family.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no code has a family.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fap_codes_have_their_shape() {
        assert_eq!(
            "A0Z40".parse::<FapCode>().unwrap().grain(),
            FapGrain::Fap225
        );
        assert_eq!("A0Z".parse::<FapCode>().unwrap().grain(), FapGrain::Fap87);
        assert_eq!(
            "B2Z41".parse::<FapCode>().unwrap().family87().as_str(),
            "B2Z"
        );
        for bad in ["", "A0", "a0Z40", "A0Z4", "A0Z400", "AAZ40", "A0Z4X"] {
            assert!(bad.parse::<FapCode>().is_err(), "{bad}");
        }
    }
}
