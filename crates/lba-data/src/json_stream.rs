//! A streaming reader of JSON records: a JSON array of objects, or NDJSON
//! (one object per line), as published by the national feeds (training
//! catalogue, "companies likely to hire" file).
//!
//! The file is cut into its elements by [`JsonElements`] (which follows
//! strings and nesting, so the line where each element starts is known
//! exactly and only one element is in memory at a time). Each element is
//! then parsed alone by the format's parse
//! function. A syntax error anywhere is a [`DataError::Malformed`] naming the
//! line; a bad value is an [`Item::Rejected`] naming the line and the field,
//! and reading goes on.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::json_elements::JsonElements;
use crate::{DataError, Item, Rejected};

/// The pseudo-field of a rejection about the whole element.
pub const RECORD_FIELD: &str = "(enregistrement)";

/// Turns the object starting at `line` into a record or a rejection.
pub type ParseFn<T> = fn(u64, &Map<String, Value>) -> Result<T, Rejected>;

/// Opens `path` and reads its elements with `parse`.
pub fn open<T>(path: &Path, parse: ParseFn<T>) -> Result<JsonRecords<T>, DataError> {
    let file = File::open(path).map_err(|source| DataError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    Ok(JsonRecords::from_reader(path, Box::new(file), parse))
}

/// A streaming reader of JSON records: [`JsonElements`] cuts the file into
/// elements, each parsed alone by the format's parse function.
pub struct JsonRecords<T> {
    /// Turns one element (an object) into a record or a rejection.
    parse: ParseFn<T>,
    elements: JsonElements,
}

impl<T> std::fmt::Debug for JsonRecords<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonRecords")
            .field("elements", &self.elements)
            .finish()
    }
}

impl<T> JsonRecords<T> {
    /// Reads from any byte source; `path` is used in messages only.
    pub fn from_reader(path: &Path, bytes: Box<dyn Read + Send>, parse: ParseFn<T>) -> Self {
        Self {
            parse,
            elements: JsonElements::from_reader(path, bytes, None),
        }
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        self.elements.path()
    }

    fn parse_element(&mut self, start: u64) -> Result<Item<T>, DataError> {
        match serde_json::from_slice::<Value>(self.elements.element()) {
            Ok(Value::Object(object)) => Ok(match (self.parse)(start, &object) {
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
        }
    }
}

impl<T> Iterator for JsonRecords<T> {
    type Item = Result<Item<T>, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.elements.next_element() {
            Ok(Some(start)) => Some(self.parse_element(start)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Typed access to the fields of one element.
pub(crate) struct Fields<'a> {
    pub(crate) line: u64,
    pub(crate) o: &'a Map<String, Value>,
}

impl Fields<'_> {
    pub(crate) fn reject(&self, field: &str, reason: impl Into<String>) -> Rejected {
        Rejected {
            line: self.line,
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// A trimmed, non-empty text; numbers are taken as their text (codes
    /// are sometimes published as numbers).
    pub(crate) fn text(&self, name: &str) -> Result<Option<String>, Rejected> {
        match self.o.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => {
                Err(self.reject(name, format!("attendu une chaîne, trouvé {}", kind(other))))
            }
        }
    }

    pub(crate) fn parse<T>(&self, name: &str) -> Result<Option<T>, Rejected>
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

    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, Rejected> {
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
    pub(crate) fn list(&self, name: &str) -> Result<Vec<String>, Rejected> {
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
}

pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "un booléen",
        Value::Number(_) => "un nombre",
        Value::String(_) => "une chaîne",
        Value::Array(_) => "un tableau",
        Value::Object(_) => "un objet",
    }
}
