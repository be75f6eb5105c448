//! A streaming reader of JSON records: a JSON array of objects, or NDJSON
//! (one object per line), as published by the national feeds (training
//! catalogue, "companies likely to hire" file).
//!
//! An array is cut into its elements by a small scanner that follows
//! strings and nesting (so the line where each element starts is known
//! exactly, and only one element is in memory at a time), and NDJSON is read
//! line by line. Each element is then parsed alone by the format's parse
//! function. A syntax error anywhere is a [`DataError::Malformed`] naming the
//! line; a bad value is an [`Item::Rejected`] naming the line and the field,
//! and reading goes on.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::{Map, Value};

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

/// A streaming reader of JSON records.
pub struct JsonRecords<T> {
    /// Turns one element (an object) into a record or a rejection.
    parse: ParseFn<T>,
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

impl<T> std::fmt::Debug for JsonRecords<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonRecords")
            .field("path", &self.path)
            .field("line", &self.line)
            .finish()
    }
}

impl<T> JsonRecords<T> {
    /// Reads from any byte source with `parse`; `path` is used in
    /// messages only.
    pub fn from_reader(path: &Path, bytes: Box<dyn Read + Send>, parse: ParseFn<T>) -> Self {
        Self {
            parse,
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

    fn parse_buf(&mut self, start: u64) -> Result<Item<T>, DataError> {
        match serde_json::from_slice::<Value>(&self.buf) {
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

impl<T> Iterator for JsonRecords<T> {
    type Item = Result<Item<T>, DataError>;

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
