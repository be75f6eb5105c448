//! The national apprenticeship training catalogue: a JSON array of course
//! objects or NDJSON (one object per line), with the catalogue's own field
//! names.
//!
//! The file is streamed by [`crate::json_stream`]; each element is parsed
//! alone here.

use std::path::Path;

use chrono::NaiveDate;
use lba_core::geo::GeoPoint;
use lba_core::ids::{Cfd, CodeRome, InseeCode, PostalCode, RncpCode, Siret, Uai};
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::Session;
use serde_json::{Map, Value};

pub use crate::json_stream::RECORD_FIELD;
use crate::json_stream::{Fields, JsonRecords};
use crate::{DataError, Rejected};

/// The field that identifies a course.
pub const KEY_FIELD: &str = "cle_ministere_educatif";
/// The field of the coordinates.
pub const GEO_FIELD: &str = "lieu_formation_geo_coordonnees";
/// The field of the ROME codes.
pub const ROMES_FIELD: &str = "rome_codes";

/// One course of the catalogue, its values checked.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogueRecord {
    /// 1-based line where the record starts.
    pub line: u64,
    /// `cle_ministere_educatif`, the unique key.
    pub key: String,
    /// `cfd`.
    pub cfd: Option<Cfd>,
    /// `rncp_code`.
    pub rncp: Option<RncpCode>,
    /// `rncp_intitule`.
    pub rncp_title: Option<String>,
    /// `rome_codes` (possibly empty).
    pub romes: Vec<CodeRome>,
    /// `niveau`.
    pub level: Option<DiplomaLevel>,
    /// `diplome`.
    pub diploma: Option<String>,
    /// `intitule_long`.
    pub title_long: Option<String>,
    /// `intitule_court`.
    pub title_short: Option<String>,
    /// `lieu_formation_adresse`.
    pub address: Option<String>,
    /// `lieu_formation_geo_coordonnees`.
    pub point: Option<GeoPoint>,
    /// `code_postal`.
    pub postal_code: Option<PostalCode>,
    /// `code_commune_insee`.
    pub commune_insee: Option<InseeCode>,
    /// `localite`.
    pub city: Option<String>,
    /// `etablissement_formateur_siret`.
    pub trainer_siret: Option<Siret>,
    /// `etablissement_formateur_uai`.
    pub trainer_uai: Option<Uai>,
    /// `etablissement_formateur_entreprise_raison_sociale`.
    pub trainer_name: Option<String>,
    /// `etablissement_gestionnaire_siret`.
    pub manager_siret: Option<Siret>,
    /// `email`.
    pub email: Option<String>,
    /// `num_tel`.
    pub phone: Option<String>,
    /// `date_debut` paired with `date_fin` by position.
    pub sessions: Vec<Session>,
    /// `duree`, given in years by the catalogue, here in months.
    pub duration_months: Option<u16>,
    /// `capacite`.
    pub capacity: Option<u32>,
    /// `entierement_a_distance` (absent: false).
    pub distance_learning: bool,
    /// `onisep_url`.
    pub onisep_url: Option<String>,
    /// `parcoursup_id`.
    pub parcoursup_id: Option<String>,
    /// `parcoursup_visible`.
    pub parcoursup_visible: Option<bool>,
    /// `affelnet_visible`.
    pub affelnet_visible: Option<bool>,
    /// `published` (absent: true).
    pub published: bool,
}

impl CatalogueRecord {
    /// The course title: `intitule_long`, else `intitule_court`, else the
    /// diploma.
    pub fn title(&self) -> &str {
        self.title_long
            .as_deref()
            .or(self.title_short.as_deref())
            .or(self.diploma.as_deref())
            .or(self.rncp_title.as_deref())
            .unwrap_or_default()
    }

    /// The diploma title: `diplome`, else `rncp_intitule`, else the course title.
    pub fn diploma_title(&self) -> &str {
        self.diploma
            .as_deref()
            .or(self.rncp_title.as_deref())
            .unwrap_or_else(|| self.title())
    }
}

/// A streaming reader of catalogue records.
pub type CatalogueReader = JsonRecords<CatalogueRecord>;

/// Opens a catalogue file.
pub fn open(path: &Path) -> Result<CatalogueReader, DataError> {
    crate::json_stream::open(path, record)
}

/// Reads the fields of one course.
fn record(line: u64, o: &Map<String, Value>) -> Result<CatalogueRecord, Rejected> {
    let f = Fields { line, o };
    let sessions = f.sessions()?;
    Ok(CatalogueRecord {
        line,
        key: f
            .text(KEY_FIELD)?
            .ok_or_else(|| f.reject(KEY_FIELD, "valeur manquante"))?,
        cfd: f.parse("cfd")?,
        rncp: match f.text("rncp_code")? {
            Some(code) if code.eq_ignore_ascii_case("NR") => None,
            Some(code) => {
                Some(RncpCode::parse(&code).map_err(|e| f.reject("rncp_code", e.to_string()))?)
            }
            None => None,
        },
        rncp_title: f.text("rncp_intitule")?,
        romes: f.romes()?,
        level: f.parse("niveau")?,
        diploma: f.text("diplome")?,
        title_long: f.text("intitule_long")?,
        title_short: f.text("intitule_court")?,
        address: f.text("lieu_formation_adresse")?,
        point: f.parse(GEO_FIELD)?,
        postal_code: f.parse("code_postal")?,
        commune_insee: f.parse("code_commune_insee")?,
        city: f.text("localite")?,
        trainer_siret: f.parse("etablissement_formateur_siret")?,
        trainer_uai: f.parse("etablissement_formateur_uai")?,
        trainer_name: f.text("etablissement_formateur_entreprise_raison_sociale")?,
        manager_siret: f.parse("etablissement_gestionnaire_siret")?,
        email: f.text("email")?,
        phone: f.text("num_tel")?,
        sessions,
        duration_months: f.duration()?,
        capacity: f.parse("capacite")?,
        distance_learning: f.flag("entierement_a_distance")?.unwrap_or(false),
        onisep_url: f.text("onisep_url")?,
        parcoursup_id: f.text("parcoursup_id")?,
        parcoursup_visible: f.flag("parcoursup_visible")?,
        affelnet_visible: f.flag("affelnet_visible")?,
        published: f.flag("published")?.unwrap_or(true),
    })
}

/// Catalogue-specific readings of the fields of one element.
trait CatalogueFields {
    fn romes(&self) -> Result<Vec<CodeRome>, Rejected>;
    fn dates(&self, name: &str) -> Result<Vec<NaiveDate>, Rejected>;
    fn sessions(&self) -> Result<Vec<Session>, Rejected>;
    fn duration(&self) -> Result<Option<u16>, Rejected>;
}

impl CatalogueFields for Fields<'_> {
    fn romes(&self) -> Result<Vec<CodeRome>, Rejected> {
        let mut romes: Vec<CodeRome> = Vec::new();
        for raw in self.list(ROMES_FIELD)? {
            let rome =
                CodeRome::parse(&raw).map_err(|e| self.reject(ROMES_FIELD, e.to_string()))?;
            if !romes.contains(&rome) {
                romes.push(rome);
            }
        }
        Ok(romes)
    }

    fn dates(&self, name: &str) -> Result<Vec<NaiveDate>, Rejected> {
        self.list(name)?
            .iter()
            .map(|raw| {
                // "2024-09-01" or "2024-09-01T00:00:00.000Z": the day is
                // what matters.
                raw.get(..10)
                    .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
                    .filter(|_| raw.len() == 10 || raw.as_bytes().get(10) == Some(&b'T'))
                    .ok_or_else(|| {
                        self.reject(
                            name,
                            format!("date « {raw} » : attendu AAAA-MM-JJ ou une date ISO 8601"),
                        )
                    })
            })
            .collect()
    }

    fn sessions(&self) -> Result<Vec<Session>, Rejected> {
        let starts = self.dates("date_debut")?;
        let ends = self.dates("date_fin")?;
        let mut sessions = Vec::with_capacity(starts.len());
        for (i, start) in starts.into_iter().enumerate() {
            let end = ends.get(i).copied();
            if end.is_some_and(|end| end < start) {
                return Err(self.reject(
                    "date_fin",
                    format!("la session {} finit avant de commencer", i + 1),
                ));
            }
            sessions.push(Session { start, end });
        }
        Ok(sessions)
    }

    /// `duree` is in years ("2", "1.5"); stored in months.
    fn duration(&self) -> Result<Option<u16>, Rejected> {
        const FIELD: &str = "duree";
        let Some(raw) = self.text(FIELD)? else {
            return Ok(None);
        };
        let years: f64 = raw
            .replace(',', ".")
            .parse()
            .map_err(|_| self.reject(FIELD, format!("« {raw} » : attendu un nombre d'années")))?;
        if !(0.0..=10.0).contains(&years) {
            return Err(self.reject(FIELD, format!("« {raw} » : durée hors de 0 à 10 ans")));
        }
        // In 0..=120 (checked above), so the cast is exact.
        let months = (years * 12.0).round() as u16;
        Ok(Some(months).filter(|m| *m > 0))
    }
}
