//! France Travail job offers, in the format of the "Offres d'emploi v2" API:
//! the search response `{"resultats": [...]}` and the fields of one offer.
//!
//! The wire types keep each offer as a JSON object ([`RawOffer`]) rather
//! than a strict serde struct: a wrong value then rejects that one offer,
//! naming its field (`lieuTravail.latitude`), instead of failing the whole
//! page or file. [`offer`] turns the object into a checked [`FtOffer`].
//!
//! A saved file ([`open`]) may be a JSON array of offers, a saved response
//! `{"resultats": [...]}`, or NDJSON (one offer per line); it is streamed.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Utc};
use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, InseeCode, PostalCode, Siret};
use lba_core::opportunity::ContractType;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::json_elements::JsonElements;
use crate::{DataError, Item, Rejected};

/// One offer as received: a JSON object with the API's field names.
pub type RawOffer = Map<String, Value>;

/// The body of `GET /offres/search` (other members such as
/// `filtresPossibles` are ignored).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchResponse {
    /// The offers of the page.
    #[serde(default)]
    pub resultats: Vec<RawOffer>,
}

/// The key of the offers in a search response.
pub const RESULTS_KEY: &str = "resultats";
/// The field of the offer id.
pub const ID_FIELD: &str = "id";
/// The field of the ROME code.
pub const ROME_FIELD: &str = "romeCode";
/// The place fields, as named in rejections.
pub const PLACE_FIELD: &str = "lieuTravail";
/// The pseudo-field of a rejection about the whole element.
pub const RECORD_FIELD: &str = "(enregistrement)";

/// One France Travail offer, its values checked.
#[derive(Clone, Debug, PartialEq)]
pub struct FtOffer {
    /// 1-based line where the record starts (file), or its position in the
    /// download (API).
    pub line: u64,
    /// `id`, France Travail's offer number (e.g. `190XKQT`).
    pub id: String,
    /// `intitule`.
    pub title: String,
    /// `description`.
    pub description: Option<String>,
    /// `dateCreation`.
    pub created_at: Option<DateTime<Utc>>,
    /// `dateActualisation`.
    pub updated_at: Option<DateTime<Utc>>,
    /// `lieuTravail.libelle`, e.g. `75 - Paris 15e Arrondissement`.
    pub place_label: Option<String>,
    /// `lieuTravail.latitude` / `longitude`.
    pub point: Option<GeoPoint>,
    /// `lieuTravail.codePostal`.
    pub postal_code: Option<PostalCode>,
    /// `lieuTravail.commune` (INSEE code).
    pub commune: Option<InseeCode>,
    /// `romeCode`.
    pub rome: Option<CodeRome>,
    /// `romeLibelle`.
    pub rome_label: Option<String>,
    /// `appellationlibelle`.
    pub appellation_label: Option<String>,
    /// `entreprise.nom`.
    pub company_name: Option<String>,
    /// `entreprise.description`.
    pub company_description: Option<String>,
    /// `entreprise.siret`.
    pub company_siret: Option<Siret>,
    /// `typeContrat` (`CDD`, `CDI`…).
    pub contract_kind: Option<String>,
    /// `natureContrat`: apprentissage or professionnalisation.
    pub contract: ContractType,
    /// `nombrePostes`.
    pub positions: Option<u32>,
    /// `accessibleTH` (open to disabled workers).
    pub accessible_th: Option<bool>,
    /// `origineOffre.urlOrigine`.
    pub url: Option<String>,
}

impl FtOffer {
    /// The city of `lieuTravail.libelle` without its département prefix
    /// (`75 - Paris 15e Arrondissement` → `Paris 15e Arrondissement`).
    pub fn city_label(&self) -> Option<&str> {
        let label = self.place_label.as_deref()?;
        let city = match label.split_once(" - ") {
            Some((prefix, city)) if prefix.trim().len() <= 3 => city,
            _ => label,
        };
        Some(city.trim()).filter(|c| !c.is_empty())
    }
}

/// Opens a saved file of offers.
pub fn open(path: &Path) -> Result<OffersReader, DataError> {
    let file = File::open(path).map_err(|source| DataError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    Ok(OffersReader::from_reader(path, Box::new(file)))
}

/// A streaming reader of saved offers.
#[derive(Debug)]
pub struct OffersReader {
    elements: JsonElements,
}

impl OffersReader {
    /// Reads from any byte source; `path` is used in messages only.
    pub fn from_reader(path: &Path, bytes: Box<dyn Read + Send>) -> Self {
        Self {
            elements: JsonElements::from_reader(path, bytes, Some(RESULTS_KEY)),
        }
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        self.elements.path()
    }
}

impl Iterator for OffersReader {
    type Item = Result<Item<FtOffer>, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        let start = match self.elements.next_element() {
            Ok(Some(start)) => start,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        Some(
            match serde_json::from_slice::<Value>(self.elements.element()) {
                Ok(Value::Object(object)) => Ok(match offer(start, &object) {
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
                    let ordinal = self.elements.ordinal(start);
                    Err(self
                        .elements
                        .malformed(line, format!("JSON invalide (élément {ordinal}) : {e}")))
                }
            },
        )
    }
}

/// Checks the fields of one offer; `line` is where it starts.
pub fn offer(line: u64, o: &RawOffer) -> Result<FtOffer, Rejected> {
    let f = Fields {
        line,
        prefix: "",
        o,
    };
    let id = f.required(ID_FIELD)?;
    // The id ends up in URLs (`/api/v1/jobs/job/ft-{id}`): only the
    // characters France Travail uses.
    if id.len() > 40 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(f.reject(
            ID_FIELD,
            format!("identifiant « {id} » : lettres, chiffres et « - » seulement (40 au plus)"),
        ));
    }
    let place = f.object(PLACE_FIELD)?;
    let company = f.object("entreprise")?;
    let origin = f.object("origineOffre")?;
    let nature = f.required("natureContrat")?;
    let contract = contract_type(&nature).ok_or_else(|| {
        f.reject(
            "natureContrat",
            format!("« {nature} » : ni contrat d'apprentissage ni contrat de professionnalisation"),
        )
    })?;
    let (point, postal_code, commune, place_label) = match &place {
        Some(p) => (
            p.point()?,
            p.parse("codePostal")?,
            p.parse("commune")?,
            p.text("libelle")?,
        ),
        None => (None, None, None, None),
    };
    Ok(FtOffer {
        line,
        title: f.required("intitule")?,
        description: f.text("description")?,
        created_at: f.date("dateCreation")?,
        updated_at: f.date("dateActualisation")?,
        place_label,
        point,
        postal_code,
        commune,
        rome: f.parse(ROME_FIELD)?,
        rome_label: f.text("romeLibelle")?,
        appellation_label: f.text("appellationlibelle")?,
        company_name: company
            .as_ref()
            .map(|c| c.text("nom"))
            .transpose()?
            .flatten(),
        company_description: company
            .as_ref()
            .map(|c| c.text("description"))
            .transpose()?
            .flatten(),
        company_siret: company
            .as_ref()
            .map(|c| c.parse("siret"))
            .transpose()?
            .flatten(),
        contract_kind: f.text("typeContrat")?,
        contract,
        positions: f.parse("nombrePostes")?,
        accessible_th: f.flag("accessibleTH")?,
        url: origin
            .as_ref()
            .map(|o| o.text("urlOrigine"))
            .transpose()?
            .flatten(),
        id,
    })
}

/// `natureContrat` → contract type (`E2` / `FS` in the query, labels in
/// the response).
pub fn contract_type(nature: &str) -> Option<ContractType> {
    let n = nature.trim().to_lowercase();
    if n == "e2" || n.contains("apprentissage") {
        Some(ContractType::Apprentissage)
    } else if n == "fs" || n.contains("professionnalisation") {
        Some(ContractType::Professionnalisation)
    } else {
        None
    }
}

/// Typed access to the fields of one object (`prefix` names nested ones).
struct Fields<'a> {
    line: u64,
    prefix: &'static str,
    o: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn name(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    fn reject(&self, field: &str, reason: impl Into<String>) -> Rejected {
        Rejected {
            line: self.line,
            field: self.name(field),
            reason: reason.into(),
        }
    }

    /// A trimmed, non-empty text; numbers are taken as their text.
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

    fn required(&self, name: &str) -> Result<String, Rejected> {
        self.text(name)?
            .ok_or_else(|| self.reject(name, "valeur manquante"))
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
            Some(other) => {
                Err(self.reject(name, format!("attendu un booléen, trouvé {}", kind(other))))
            }
        }
    }

    fn number(&self, name: &str) -> Result<Option<f64>, Rejected> {
        match self.o.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .replace(',', ".")
                .parse()
                .map(Some)
                .map_err(|_| self.reject(name, format!("« {s} » n'est pas un nombre"))),
            Some(other) => {
                Err(self.reject(name, format!("attendu un nombre, trouvé {}", kind(other))))
            }
        }
    }

    /// A nested object, its fields named `name.field`.
    fn object(&self, name: &'static str) -> Result<Option<Fields<'a>>, Rejected> {
        match self.o.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(Fields {
                line: self.line,
                prefix: match name {
                    PLACE_FIELD => "lieuTravail.",
                    "entreprise" => "entreprise.",
                    _ => "origineOffre.",
                },
                o,
            })),
            Some(other) => {
                Err(self.reject(name, format!("attendu un objet, trouvé {}", kind(other))))
            }
        }
    }

    /// `latitude` and `longitude`, both or neither.
    fn point(&self) -> Result<Option<GeoPoint>, Rejected> {
        match (self.number("latitude")?, self.number("longitude")?) {
            (None, None) => Ok(None),
            (Some(lat), Some(lon)) => GeoPoint::new(lat, lon)
                .map(Some)
                .map_err(|e| self.reject("latitude", e.to_string())),
            (Some(_), None) => Err(self.reject("longitude", "latitude sans longitude")),
            (None, Some(_)) => Err(self.reject("latitude", "longitude sans latitude")),
        }
    }

    /// An ISO 8601 date-time (`2024-03-01T10:22:33.000Z`; without an
    /// offset it is taken as UTC).
    fn date(&self, name: &str) -> Result<Option<DateTime<Utc>>, Rejected> {
        let Some(raw) = self.text(name)? else {
            return Ok(None);
        };
        if let Ok(at) = DateTime::parse_from_rfc3339(&raw) {
            return Ok(Some(at.with_timezone(&Utc)));
        }
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S"] {
            if let Ok(at) = NaiveDateTime::parse_from_str(&raw, format) {
                return Ok(Some(at.and_utc()));
            }
        }
        if let Ok(day) = chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
            && let Some(at) = day.and_hms_opt(0, 0, 0)
        {
            return Ok(Some(at.and_utc()));
        }
        Err(self.reject(
            name,
            format!("date « {raw} » : attendu une date ISO 8601 (2024-03-01T10:22:33Z)"),
        ))
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
