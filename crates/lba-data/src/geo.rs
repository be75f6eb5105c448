//! Régions, départements and communes (COG 2024 with postal codes and
//! coordinates), and the assembly of one commune per INSEE code.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use lba_core::geo::GeoPoint;
use lba_core::ids::{InseeCode, PostalCode};

use crate::csv_source::{CsvFormat, CsvReader, Row};
use crate::{DataError, Rejected};

/// Relative paths of the geography files.
pub mod files {
    /// Régions.
    pub const REGIONS: &str = "geo/regions.csv";
    /// Départements.
    pub const DEPARTEMENTS: &str = "geo/departements.csv";
    /// One row per (commune, postal code).
    pub const COMMUNES: &str = "geo/communes.csv";
}

/// A région.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// INSEE code ("84").
    pub code: String,
    /// Name.
    pub name: String,
    /// Centre.
    pub point: Option<GeoPoint>,
    /// INSEE code of the chef-lieu commune.
    pub chef_lieu: Option<String>,
}

/// Reads the régions.
pub fn regions(path: &Path) -> Result<CsvReader<Region>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &["insee_reg", "region", "lat", "lng", "insee_reg_cheflieu"],
        |row| {
            Ok(Region {
                code: code_of(row, "insee_reg", 2..=3)?,
                name: row.required("region")?.to_owned(),
                point: point(row)?,
                chef_lieu: row.opt("insee_reg_cheflieu").map(str::to_owned),
            })
        },
    )
}

/// A département.
#[derive(Clone, Debug, PartialEq)]
pub struct Departement {
    /// INSEE code ("01", "2A", "971").
    pub code: String,
    /// Its région's code.
    pub region_code: String,
    /// Name.
    pub name: String,
    /// Centre.
    pub point: Option<GeoPoint>,
    /// INSEE code of the chef-lieu commune.
    pub chef_lieu: Option<String>,
}

/// Reads the départements.
pub fn departements(path: &Path) -> Result<CsvReader<Departement>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &[
            "insee_dep",
            "insee_reg",
            "departement",
            "lat",
            "lng",
            "insee_com_cheflieu",
        ],
        |row| {
            Ok(Departement {
                code: code_of(row, "insee_dep", 2..=3)?,
                region_code: code_of(row, "insee_reg", 2..=3)?,
                name: row.required("departement")?.to_owned(),
                point: point(row)?,
                chef_lieu: row.opt("insee_com_cheflieu").map(str::to_owned),
            })
        },
    )
}

/// The type of a row of the communes file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommuneRowType {
    /// A commune (COM).
    Commune,
    /// A municipal arrondissement of Paris, Marseille or Lyon (ARM).
    Arrondissement,
    /// A commune déléguée (COMD), carrying the INSEE code of its commune.
    Deleguee,
}

/// One row of the communes file: a (commune, postal code) pair.
#[derive(Clone, Debug, PartialEq)]
pub struct CommuneRow {
    /// INSEE code (for COMD: the code of the commune it belongs to).
    pub insee: InseeCode,
    /// Row type.
    pub kind: CommuneRowType,
    /// Name without article ("Abergement-Clémenciat").
    pub name: String,
    /// Name with its article ("L'Abergement-Clémenciat").
    pub name_with_article: String,
    /// Postal code.
    pub postal_code: PostalCode,
    /// Parent commune for ARM (and COMD).
    pub parent: Option<InseeCode>,
    /// Département code (empty for COMD rows).
    pub departement: String,
    /// Région code (empty for COMD rows).
    pub region: String,
    /// Coordinates, when known.
    pub point: Option<GeoPoint>,
    /// Area in km².
    pub area_km2: Option<f64>,
    /// Population 2021.
    pub population: i64,
}

/// Reads the communes file, one row per (commune, postal code).
pub fn commune_rows(path: &Path) -> Result<CsvReader<CommuneRow>, DataError> {
    CsvReader::open(
        path,
        CsvFormat::UTF8_COMMA,
        &[
            "insee_com",
            "insee_reg",
            "insee_dep",
            "commune",
            "commune_article",
            "code_postal",
            "commune_type",
            "insee_parente",
            "lat",
            "lng",
            "superficie_km2",
            "population_2021",
        ],
        |row| {
            let kind = match row.get("commune_type") {
                "COM" => CommuneRowType::Commune,
                "ARM" => CommuneRowType::Arrondissement,
                "COMD" => CommuneRowType::Deleguee,
                other => {
                    return Err(row.reject(
                        "commune_type",
                        format!("type « {other} » inconnu : attendu COM, ARM ou COMD"),
                    ));
                }
            };
            let name = row.required("commune")?.to_owned();
            Ok(CommuneRow {
                insee: row.parse("insee_com")?,
                kind,
                name_with_article: row.opt("commune_article").unwrap_or(&name).to_owned(),
                name,
                postal_code: row.parse("code_postal")?,
                parent: row.parse_opt("insee_parente")?,
                departement: row.get("insee_dep").to_owned(),
                region: row.get("insee_reg").to_owned(),
                point: point(row)?,
                area_km2: row.parse_opt("superficie_km2")?,
                population: row.parse_opt("population_2021")?.unwrap_or(0),
            })
        },
    )
}

/// Whether a stored commune is a commune or a municipal arrondissement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommuneKind {
    /// A commune.
    Commune,
    /// A municipal arrondissement (linked to its city by `parent`).
    Arrondissement,
}

impl CommuneKind {
    /// Stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Commune => "COM",
            Self::Arrondissement => "ARM",
        }
    }
}

/// One commune per INSEE code, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Commune {
    /// INSEE code.
    pub insee: InseeCode,
    /// Commune or arrondissement.
    pub kind: CommuneKind,
    /// Name.
    pub name: String,
    /// Name with its article.
    pub name_with_article: String,
    /// The city of an arrondissement.
    pub parent: Option<InseeCode>,
    /// Département code.
    pub departement: String,
    /// Région code.
    pub region: String,
    /// Coordinates (see `point_approximated`).
    pub point: Option<GeoPoint>,
    /// The file had no coordinates: the point is the centre of the communes
    /// sharing a postal code.
    pub point_approximated: bool,
    /// Area in km².
    pub area_km2: Option<f64>,
    /// Population 2021.
    pub population: i64,
    /// All postal codes, sorted.
    pub postal_codes: BTreeSet<PostalCode>,
    /// Other names: the communes déléguées that belong to it.
    pub aliases: Vec<String>,
    /// Built from its arrondissements (Paris, Marseille, Lyon).
    pub from_arrondissements: bool,
}

/// What [`assemble_communes`] noticed.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct CommuneAssembly {
    /// Communes whose point was approximated from their postal code.
    pub approximated_points: Vec<String>,
    /// Communes left without any point.
    pub without_point: Vec<String>,
    /// COMD rows whose commune is not in the file.
    pub orphan_aliases: Vec<String>,
}

/// Builds one commune per INSEE code from the (commune, postal code) rows:
/// COM and ARM rows merged per code, COMD names as aliases of their commune,
/// Paris, Marseille and Lyon created from their arrondissements, and missing
/// coordinates approximated from communes sharing a postal code.
pub fn assemble_communes(rows: Vec<CommuneRow>) -> (Vec<Commune>, CommuneAssembly) {
    let mut report = CommuneAssembly::default();
    let mut communes: BTreeMap<InseeCode, Commune> = BTreeMap::new();
    let mut deleguees = Vec::new();
    for row in rows {
        let kind = match row.kind {
            CommuneRowType::Deleguee => {
                deleguees.push(row);
                continue;
            }
            CommuneRowType::Commune => CommuneKind::Commune,
            CommuneRowType::Arrondissement => CommuneKind::Arrondissement,
        };
        let entry = communes
            .entry(row.insee.clone())
            .or_insert_with(|| Commune {
                insee: row.insee.clone(),
                kind,
                name: row.name.clone(),
                name_with_article: row.name_with_article.clone(),
                parent: row
                    .parent
                    .clone()
                    .filter(|_| kind == CommuneKind::Arrondissement),
                departement: row.departement.clone(),
                region: row.region.clone(),
                point: None,
                point_approximated: false,
                area_km2: row.area_km2,
                population: row.population,
                postal_codes: BTreeSet::new(),
                aliases: Vec::new(),
                from_arrondissements: false,
            });
        entry.postal_codes.insert(row.postal_code);
        if entry.point.is_none() {
            entry.point = row.point;
        }
    }

    // Paris, Marseille and Lyon exist only through their arrondissements.
    let mut cities: BTreeMap<InseeCode, Vec<Commune>> = BTreeMap::new();
    for commune in communes.values() {
        if let Some(parent) = &commune.parent
            && !communes.contains_key(parent)
        {
            cities
                .entry(parent.clone())
                .or_default()
                .push(commune.clone());
        }
    }
    for (insee, arrondissements) in cities {
        let points: Vec<GeoPoint> = arrondissements.iter().filter_map(|a| a.point).collect();
        let first = &arrondissements[0];
        let name = city_name(&first.name);
        communes.insert(
            insee.clone(),
            Commune {
                insee,
                kind: CommuneKind::Commune,
                name_with_article: name.clone(),
                name,
                parent: None,
                departement: first.departement.clone(),
                region: first.region.clone(),
                point: GeoPoint::centroid(&points),
                point_approximated: false,
                area_km2: arrondissements.iter().map(|a| a.area_km2).sum(),
                population: arrondissements.iter().map(|a| a.population).sum(),
                postal_codes: arrondissements
                    .iter()
                    .flat_map(|a| a.postal_codes.iter().cloned())
                    .collect(),
                aliases: Vec::new(),
                from_arrondissements: true,
            },
        );
    }

    for row in deleguees {
        match communes.get_mut(&row.insee) {
            Some(commune) => {
                commune.postal_codes.insert(row.postal_code);
                // Every commune déléguée name is kept, even one spelled like
                // its commune: it is a name people use for that place.
                if !commune.aliases.contains(&row.name) {
                    commune.aliases.push(row.name);
                }
            }
            None => report
                .orphan_aliases
                .push(format!("{} ({})", row.name, row.insee)),
        }
    }

    // Approximate missing points from the communes sharing a postal code.
    let mut by_postal: HashMap<&PostalCode, Vec<GeoPoint>> = HashMap::new();
    for commune in communes.values() {
        if let Some(point) = commune.point {
            for postal in &commune.postal_codes {
                by_postal.entry(postal).or_default().push(point);
            }
        }
    }
    let missing: Vec<(InseeCode, Option<GeoPoint>)> = communes
        .values()
        .filter(|c| c.point.is_none())
        .map(|c| {
            let around: Vec<GeoPoint> = c
                .postal_codes
                .iter()
                .filter_map(|p| by_postal.get(p))
                .flatten()
                .copied()
                .collect();
            (c.insee.clone(), GeoPoint::centroid(&around))
        })
        .collect();
    for (insee, approx) in missing {
        if let Some(commune) = communes.get_mut(&insee) {
            commune.point = approx;
            commune.point_approximated = approx.is_some();
            if approx.is_some() {
                report.approximated_points.push(insee.to_string());
            } else {
                report.without_point.push(insee.to_string());
            }
        }
    }
    (communes.into_values().collect(), report)
}

/// "Marseille 1er Arrondissement" → "Marseille".
fn city_name(arrondissement: &str) -> String {
    let end = arrondissement
        .char_indices()
        .find(|(i, c)| c.is_ascii_digit() && *i > 0)
        .map_or(arrondissement.len(), |(i, _)| i);
    arrondissement[..end].trim().to_owned()
}

fn point(row: &Row<'_>) -> Result<Option<GeoPoint>, Rejected> {
    let lat: Option<f64> = row.parse_opt("lat")?;
    let lon: Option<f64> = row.parse_opt("lng")?;
    match (lat, lon) {
        (Some(lat), Some(lon)) => GeoPoint::new(lat, lon)
            .map(Some)
            .map_err(|e| row.reject("lat", e.to_string())),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(row.reject("lat", "latitude manquante")),
        (Some(_), None) => Err(row.reject("lng", "longitude manquante")),
    }
}

fn code_of(
    row: &Row<'_>,
    field: &str,
    len: std::ops::RangeInclusive<usize>,
) -> Result<String, Rejected> {
    let code = row.required(field)?;
    if len.contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(row.reject(field, format!("code « {code} » invalide")))
    }
}

#[cfg(test)]
mod tests {
    use super::city_name;

    #[test]
    fn city_names_from_arrondissements() {
        assert_eq!(city_name("Marseille 1er Arrondissement"), "Marseille");
        assert_eq!(city_name("Paris 12e Arrondissement"), "Paris");
        assert_eq!(city_name("Lyon 3e Arrondissement"), "Lyon");
    }
}
