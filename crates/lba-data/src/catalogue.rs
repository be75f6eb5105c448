//! The national apprenticeship training catalogue: a JSON array of course
//! objects or NDJSON (one object per line), with the catalogue's own field
//! names.
//!
//! The file is streamed: an array is cut into its elements by a small
//! scanner that follows strings and nesting (so the line where each element
//! starts is known exactly), and NDJSON is read line by line. Each element is
//! then parsed alone. A syntax error anywhere is a [`DataError::Malformed`]
//! naming the line; a bad value is an [`Item::Rejected`] naming the line and
//! the field, and reading goes on.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use lba_core::geo::GeoPoint;
use lba_core::ids::{Cfd, CodeRome, InseeCode, PostalCode, RncpCode, Siret, Uai};
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::Session;
use serde_json::{Map, Value};

use crate::{DataError, Item, Rejected};

/// The field that identifies a course.
pub const KEY_FIELD: &str = "cle_ministere_educatif";
/// The field of the coordinates.
pub const GEO_FIELD: &str = "lieu_formation_geo_coordonnees";
/// The field of the ROME codes.
pub const ROMES_FIELD: &str = "rome_codes";
/// The pseudo-field of a rejection about the whole element.
pub const RECORD_FIELD: &str = "(enregistrement)";

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

/// Opens a catalogue file.
pub fn open(path: &Path) -> Result<CatalogueReader, DataError> {
    let file = File::open(path).map_err(|source| DataError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    Ok(CatalogueReader::from_reader(path, Box::new(file)))
}

/// The layout of the file, known after its first non-space byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// Not detected yet.
    Unknown,
    /// `[ {...}, {...} ]`.
    Array,
    /// One object per line.
    Lines,
}

/// A streaming reader of catalogue records.
pub struct CatalogueReader {
    path: PathBuf,
    input: BufReader<Box<dyn Read + Send>>,
    layout: Layout,
    /// Current line (1-based) of the scanner.
    line: u64,
    /// Elements seen in an array.
    index: u64,
    /// The array has ended, or an error stopped the read.
    done: bool,
    /// Bytes of the current element.
    buf: Vec<u8>,
}

impl std::fmt::Debug for CatalogueReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogueReader")
            .field("path", &self.path)
            .field("line", &self.line)
            .finish()
    }
}

impl CatalogueReader {
    /// Reads from any byte source; `path` is used in messages only.
    pub fn from_reader(path: &Path, bytes: Box<dyn Read + Send>) -> Self {
        Self {
            path: path.to_path_buf(),
            input: BufReader::with_capacity(64 * 1024, bytes),
            layout: Layout::Unknown,
            line: 1,
            index: 0,
            done: false,
            buf: Vec::new(),
        }
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn malformed(&mut self, line: u64, message: impl Into<String>) -> DataError {
        self.done = true;
        DataError::Malformed {
            file: self.path.clone(),
            line,
            message: message.into(),
        }
    }

    fn io(&mut self, source: std::io::Error) -> DataError {
        self.done = true;
        DataError::Io {
            file: self.path.clone(),
            source,
        }
    }

    /// The next byte without consuming it.
    fn peek(&mut self) -> Result<Option<u8>, DataError> {
        match self.input.fill_buf() {
            Ok(buf) => Ok(buf.first().copied()),
            Err(e) => Err(self.io(e)),
        }
    }

    fn bump(&mut self) -> Result<Option<u8>, DataError> {
        let b = self.peek()?;
        if let Some(b) = b {
            self.input.consume(1);
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(b)
    }

    /// Skips spaces (and a UTF-8 byte-order mark at the very start).
    fn skip_space(&mut self) -> Result<Option<u8>, DataError> {
        loop {
            match self.peek()? {
                Some(b' ' | b'\t' | b'\r' | b'\n') => {
                    self.bump()?;
                }
                Some(0xEF) if self.layout == Layout::Unknown => {
                    for expected in [0xEF, 0xBB, 0xBF] {
                        if self.bump()? != Some(expected) {
                            let line = self.line;
                            return Err(
                                self.malformed(line, "octets invalides en début de fichier")
                            );
                        }
                    }
                }
                other => return Ok(other),
            }
        }
    }

    fn detect(&mut self) -> Result<(), DataError> {
        match self.skip_space()? {
            Some(b'[') => {
                self.bump()?;
                self.layout = Layout::Array;
            }
            Some(b'{') => self.layout = Layout::Lines,
            None => {
                self.layout = Layout::Lines;
                self.done = true;
            }
            Some(other) => {
                let line = self.line;
                return Err(self.malformed(
                    line,
                    format!(
                        "attendu un tableau JSON « [ » ou un objet par ligne « {{ », trouvé « {} »",
                        char::from(other)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The next NDJSON line that is not blank, with its line number.
    fn next_line(&mut self) -> Result<Option<u64>, DataError> {
        loop {
            self.buf.clear();
            let line = self.line;
            let n = match self.input.read_until(b'\n', &mut self.buf) {
                Ok(n) => n,
                Err(e) => return Err(self.io(e)),
            };
            if n == 0 {
                self.done = true;
                return Ok(None);
            }
            self.line += 1;
            // Without its line end, so that an error at the end of the
            // line is dated on it.
            while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
                self.buf.pop();
            }
            if self.buf.iter().any(|b| !b.is_ascii_whitespace()) {
                return Ok(Some(line));
            }
        }
    }

    /// Cuts the next element of the array into `buf`, returning the line
    /// where it starts, or `None` at the closing `]`.
    fn next_element(&mut self) -> Result<Option<u64>, DataError> {
        match self.skip_space()? {
            Some(b']') if self.index == 0 => {
                self.bump()?;
                return self.end_of_array();
            }
            None => {
                let line = self.line;
                return Err(self.malformed(line, "fichier tronqué : tableau JSON non fermé"));
            }
            _ => {}
        }
        if self.index > 0 {
            match self.bump()? {
                Some(b',') => {}
                Some(b']') => return self.end_of_array(),
                Some(other) => {
                    let line = self.line;
                    return Err(self.malformed(
                        line,
                        format!(
                            "attendu « , » ou « ] » après l'élément {}, trouvé « {} »",
                            self.index,
                            char::from(other)
                        ),
                    ));
                }
                None => {
                    let line = self.line;
                    return Err(self.malformed(line, "fichier tronqué : tableau JSON non fermé"));
                }
            }
            if self.skip_space()?.is_none() {
                let line = self.line;
                return Err(self.malformed(line, "fichier tronqué : tableau JSON non fermé"));
            }
        }
        let start = self.line;
        self.buf.clear();
        let mut depth = 0_u32;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let Some(b) = self.peek()? else {
                let line = self.line;
                return Err(self.malformed(
                    line,
                    format!(
                        "fichier tronqué : élément {} (commencé ligne {start}) non terminé",
                        self.index + 1
                    ),
                ));
            };
            if !in_string && depth == 0 && !self.buf.is_empty() {
                // A scalar element ends at a separator; a container or a
                // string has already ended (below).
                if matches!(b, b',' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                    break;
                }
            }
            self.bump()?;
            self.buf.push(b);
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                    if depth == 0 {
                        break;
                    }
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    if depth == 0 {
                        let line = self.line;
                        return Err(
                            self.malformed(line, format!("« {} » inattendu", char::from(b)))
                        );
                    }
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        self.index += 1;
        Ok(Some(start))
    }

    fn end_of_array(&mut self) -> Result<Option<u64>, DataError> {
        self.done = true;
        match self.skip_space()? {
            None => Ok(None),
            Some(other) => {
                let line = self.line;
                Err(self.malformed(
                    line,
                    format!(
                        "contenu après la fin du tableau JSON : « {} »",
                        char::from(other)
                    ),
                ))
            }
        }
    }

    fn parse_buf(&mut self, start: u64) -> Result<Item<CatalogueRecord>, DataError> {
        match serde_json::from_slice::<Value>(&self.buf) {
            Ok(Value::Object(object)) => Ok(match record(start, &object) {
                Ok(record) => Item::Record(record),
                Err(rejected) => Item::Rejected(rejected),
            }),
            Ok(_) => Ok(Item::Rejected(Rejected {
                line: start,
                field: RECORD_FIELD.to_owned(),
                reason: "attendu un objet JSON".to_owned(),
            })),
            Err(e) => {
                let line = start + u64::try_from(e.line()).unwrap_or(1).saturating_sub(1);
                let message = format!(
                    "JSON invalide (élément {}) : {e}",
                    match self.layout {
                        Layout::Array => self.index,
                        _ => start,
                    }
                );
                Err(self.malformed(line, message))
            }
        }
    }
}

impl Iterator for CatalogueReader {
    type Item = Result<Item<CatalogueRecord>, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.layout == Layout::Unknown
            && let Err(e) = self.detect()
        {
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        let start = match self.layout {
            Layout::Array => self.next_element(),
            _ => self.next_line(),
        };
        match start {
            Ok(Some(start)) => Some(self.parse_buf(start)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
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

/// Typed access to the fields of one element.
struct Fields<'a> {
    line: u64,
    o: &'a Map<String, Value>,
}

impl Fields<'_> {
    fn reject(&self, field: &str, reason: impl Into<String>) -> Rejected {
        Rejected {
            line: self.line,
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// A trimmed, non-empty text; numbers are taken as their text (codes
    /// are sometimes published as numbers).
    fn text(&self, name: &str) -> Result<Option<String>, Rejected> {
        match self.o.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => {
                Err(self.reject(name, format!("attendu une chaîne, trouvé {}", kind(other))))
            }
        }
    }

    fn parse<T>(&self, name: &str) -> Result<Option<T>, Rejected>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.text(name)?
            .map(|raw| {
                raw.parse()
                    .map_err(|e: T::Err| self.reject(name, e.to_string()))
            })
            .transpose()
    }

    fn flag(&self, name: &str) -> Result<Option<bool>, Rejected> {
        match self.o.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" | "oui" | "1" => Ok(Some(true)),
                "false" | "non" | "0" => Ok(Some(false)),
                other => Err(self.reject(name, format!("« {other} » n'est ni vrai ni faux"))),
            },
            Some(other) => {
                Err(self.reject(name, format!("attendu un booléen, trouvé {}", kind(other))))
            }
        }
    }

    /// The texts of an array field (a lone string is taken as a
    /// one-element array).
    fn list(&self, name: &str) -> Result<Vec<String>, Rejected> {
        let items = match self.o.get(name) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(items)) => items.as_slice(),
            Some(single @ Value::String(_)) => std::slice::from_ref(single),
            Some(other) => {
                return Err(
                    self.reject(name, format!("attendu un tableau, trouvé {}", kind(other)))
                );
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::Null => {}
                Value::String(s) if s.trim().is_empty() => {}
                Value::String(s) => out.push(s.trim().to_owned()),
                other => {
                    return Err(
                        self.reject(name, format!("attendu des chaînes, trouvé {}", kind(other)))
                    );
                }
            }
        }
        Ok(out)
    }

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

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "un booléen",
        Value::Number(_) => "un nombre",
        Value::String(_) => "une chaîne",
        Value::Array(_) => "un tableau",
        Value::Object(_) => "un objet",
    }
}
