//! Cuts a JSON file of records into its elements without loading it whole:
//! a JSON array `[ {...}, {...} ]`, NDJSON (one object per line), or an
//! object wrapping the array under a known key (`{"resultats": [ ... ]}`,
//! the shape of an API response saved to a file).
//!
//! The scanner follows strings and nesting, so the line where each element
//! starts is known exactly; each element is then parsed alone by the caller.
//! A syntax error is a [`DataError::Malformed`] naming the line. This is the
//! scanner of the catalogue reader, generalised to the wrapped layout.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::DataError;

/// The layout of the file, known after its first non-space byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// Not detected yet.
    Unknown,
    /// `[ {...}, {...} ]`, possibly inside the wrapper object.
    Array,
    /// One object per line.
    Lines,
}

/// A streaming splitter of JSON records.
pub struct JsonElements {
    path: PathBuf,
    input: BufReader<Box<dyn Read + Send>>,
    layout: Layout,
    /// The key of the wrapper object (`resultats`), if that layout is accepted.
    wrapper: Option<&'static str>,
    /// The array is inside the wrapper object.
    wrapped: bool,
    /// Current line (1-based) of the scanner.
    line: u64,
    /// Elements seen in an array.
    index: u64,
    /// The input has ended, or an error stopped the read.
    done: bool,
    /// Bytes of the current element.
    buf: Vec<u8>,
}

impl std::fmt::Debug for JsonElements {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonElements")
            .field("path", &self.path)
            .field("line", &self.line)
            .finish()
    }
}

impl JsonElements {
    /// Reads from any byte source; `path` is used in messages only. With
    /// `wrapper`, an object whose first key is `wrapper` and whose value is
    /// the array of records is accepted too.
    pub fn from_reader(
        path: &Path,
        bytes: Box<dyn Read + Send>,
        wrapper: Option<&'static str>,
    ) -> Self {
        Self {
            path: path.to_path_buf(),
            input: BufReader::with_capacity(64 * 1024, bytes),
            layout: Layout::Unknown,
            wrapper,
            wrapped: false,
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

    /// The bytes of the element returned by the last [`Self::next_element`].
    pub fn element(&self) -> &[u8] {
        &self.buf
    }

    /// 1-based position of the last element in the array, or its line in
    /// NDJSON (for messages).
    pub fn ordinal(&self, start: u64) -> u64 {
        match self.layout {
            Layout::Array => self.index,
            _ => start,
        }
    }

    /// A syntax error at `line`; the read stops.
    pub fn malformed(&mut self, line: u64, message: impl Into<String>) -> DataError {
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

    /// Whether the buffered input starts with `{ "<wrapper>" :` (spaces
    /// allowed), looked at without consuming anything: NDJSON also starts
    /// with `{`.
    fn starts_with_wrapper(&mut self) -> Result<bool, DataError> {
        let Some(key) = self.wrapper else {
            return Ok(false);
        };
        let buf = match self.input.fill_buf() {
            Ok(buf) => buf,
            Err(e) => return Err(self.io(e)),
        };
        let mut rest = buf.get(1..).unwrap_or_default();
        rest = rest.trim_ascii_start();
        let quoted = format!("\"{key}\"");
        let Some(after) = rest.strip_prefix(quoted.as_bytes()) else {
            return Ok(false);
        };
        Ok(after.trim_ascii_start().first() == Some(&b':'))
    }

    fn detect(&mut self) -> Result<(), DataError> {
        match self.skip_space()? {
            Some(b'[') => {
                self.bump()?;
                self.layout = Layout::Array;
            }
            Some(b'{') if self.starts_with_wrapper()? => {
                // `{`, the key, `:`, then the array.
                self.bump()?;
                self.skip_space()?;
                loop {
                    match self.bump()? {
                        Some(b':') => break,
                        Some(_) => {}
                        None => return Err(self.truncated()),
                    }
                }
                match self.skip_space()? {
                    Some(b'[') => {
                        self.bump()?;
                        self.layout = Layout::Array;
                        self.wrapped = true;
                    }
                    _ => {
                        let line = self.line;
                        let key = self.wrapper.unwrap_or_default();
                        return Err(
                            self.malformed(line, format!("« {key} » : attendu un tableau JSON"))
                        );
                    }
                }
            }
            Some(b'{') => self.layout = Layout::Lines,
            None => {
                self.layout = Layout::Lines;
                self.done = true;
            }
            Some(other) => {
                let line = self.line;
                let wrapper = self
                    .wrapper
                    .map(|k| format!(", un objet {{\"{k}\": [...]}}"))
                    .unwrap_or_default();
                return Err(self.malformed(
                    line,
                    format!(
                        "attendu un tableau JSON « [ »{wrapper} ou un objet par ligne « {{ », trouvé « {} »",
                        char::from(other)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Cuts the next element into [`Self::element`] and returns the line
    /// where it starts, or `None` at the end of the input.
    pub fn next_element(&mut self) -> Result<Option<u64>, DataError> {
        if self.done {
            return Ok(None);
        }
        if self.layout == Layout::Unknown {
            self.detect()?;
        }
        if self.done {
            return Ok(None);
        }
        match self.layout {
            Layout::Array => self.next_in_array(),
            _ => self.next_line(),
        }
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

    fn truncated(&mut self) -> DataError {
        let line = self.line;
        self.malformed(line, "fichier tronqué : tableau JSON non fermé")
    }

    fn next_in_array(&mut self) -> Result<Option<u64>, DataError> {
        match self.skip_space()? {
            Some(b']') if self.index == 0 => {
                self.bump()?;
                return self.end_of_array();
            }
            None => return Err(self.truncated()),
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
                None => return Err(self.truncated()),
            }
            if self.skip_space()?.is_none() {
                return Err(self.truncated());
            }
        }
        let start = self.line;
        self.buf.clear();
        self.scan_value(true)?;
        self.index += 1;
        Ok(Some(start))
    }

    /// Consumes one JSON value (keeping its bytes in `buf` when `keep`).
    fn scan_value(&mut self, keep: bool) -> Result<(), DataError> {
        let start = self.line;
        let mut depth = 0_u32;
        let mut in_string = false;
        let mut escaped = false;
        let mut seen = false;
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
            if !in_string && depth == 0 && seen {
                // A scalar ends at a separator; a container or a string
                // has already ended (below).
                if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                    break;
                }
            }
            self.bump()?;
            seen = true;
            if keep {
                self.buf.push(b);
            }
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
        Ok(())
    }

    fn end_of_array(&mut self) -> Result<Option<u64>, DataError> {
        if self.wrapped {
            self.end_of_wrapper()?;
        }
        self.done = true;
        match self.skip_space()? {
            None => Ok(None),
            Some(other) => {
                let line = self.line;
                Err(self.malformed(
                    line,
                    format!(
                        "contenu après la fin des données : « {} »",
                        char::from(other)
                    ),
                ))
            }
        }
    }

    /// Skips the other members of the wrapper object (`filtresPossibles`…)
    /// up to its closing brace.
    fn end_of_wrapper(&mut self) -> Result<(), DataError> {
        loop {
            match self.skip_space()? {
                Some(b'}') => {
                    self.bump()?;
                    return Ok(());
                }
                Some(b',') => {
                    self.bump()?;
                    // The key, then `:`, then the value.
                    self.skip_space()?;
                    self.scan_value(false)?;
                    if self.skip_space()? != Some(b':') {
                        let line = self.line;
                        return Err(self.malformed(line, "attendu « : » après une clé"));
                    }
                    self.bump()?;
                    self.skip_space()?;
                    self.scan_value(false)?;
                }
                None => {
                    let line = self.line;
                    return Err(self.malformed(line, "fichier tronqué : objet JSON non fermé"));
                }
                Some(other) => {
                    let line = self.line;
                    return Err(self.malformed(
                        line,
                        format!(
                            "attendu « , » ou « }} » après le tableau, trouvé « {} »",
                            char::from(other)
                        ),
                    ));
                }
            }
        }
    }
}
