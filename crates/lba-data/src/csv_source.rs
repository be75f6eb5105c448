//! A typed, streaming CSV reader shared by every referential format.
//!
//! It decodes the file (UTF-8, or Latin-1/Windows-1252 for the CFA file) on
//! the fly, checks the header line for the required columns, and hands each
//! row to a parse function through a [`Row`] view that turns field problems
//! into [`Rejected`] items naming the line and the column.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::DataError;

/// One item read from a file: a usable record or a rejected row.
#[derive(Debug)]
pub enum Item<T> {
    /// A row turned into a record.
    Record(T),
    /// A row that could not be used, with the reason.
    Rejected(Rejected),
}

/// A row that could not be used.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Rejected {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    /// The column at fault.
    pub field: String,
    /// Why the value was refused.
    pub reason: String,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, field `{}`: {}",
            self.line, self.field, self.reason
        )
    }
}

/// The text encoding of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a leading byte-order mark is skipped).
    Utf8,
    /// ISO-8859-1, decoded as its superset Windows-1252.
    Latin1,
}

/// How to read one CSV file.
#[derive(Clone, Copy, Debug)]
pub struct CsvFormat {
    /// Field separator.
    pub delimiter: u8,
    /// Text encoding.
    pub encoding: Encoding,
}

impl CsvFormat {
    /// UTF-8, comma-separated.
    pub const UTF8_COMMA: Self = Self {
        delimiter: b',',
        encoding: Encoding::Utf8,
    };
    /// UTF-8, semicolon-separated.
    pub const UTF8_SEMICOLON: Self = Self {
        delimiter: b';',
        encoding: Encoding::Utf8,
    };
}

/// A read-only view of one row, resolving columns by name.
pub struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a [usize],
    names: &'a [&'static str],
    line: u64,
}

impl Row<'_> {
    /// 1-based line number of this row.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The trimmed value of a required column (declared in the reader's column list).
    pub fn get(&self, name: &str) -> &str {
        self.names
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.columns.get(i))
            .and_then(|&c| self.record.get(c))
            .map(str::trim)
            .unwrap_or("")
    }

    /// The value, or `None` when empty.
    pub fn opt(&self, name: &str) -> Option<&str> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }

    /// A rejection of this row for `field`.
    pub fn reject(&self, field: &str, reason: impl Into<String>) -> Rejected {
        Rejected {
            line: self.line,
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// A non-empty value, else a rejection.
    pub fn required(&self, name: &str) -> Result<&str, Rejected> {
        self.opt(name)
            .ok_or_else(|| self.reject(name, "valeur manquante"))
    }

    /// Parses a required value with `FromStr`, rejecting with the parser's message.
    pub fn parse<T>(&self, name: &str) -> Result<T, Rejected>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        let raw = self.required(name)?;
        raw.parse()
            .map_err(|e: T::Err| self.reject(name, e.to_string()))
    }

    /// Parses an optional value: empty gives `None`, a bad value a rejection.
    pub fn parse_opt<T>(&self, name: &str) -> Result<Option<T>, Rejected>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        match self.opt(name) {
            None => Ok(None),
            Some(raw) => raw
                .parse()
                .map(Some)
                .map_err(|e: T::Err| self.reject(name, e.to_string())),
        }
    }

    /// A French yes/no flag: `O`/`oui`/`Y`/`1` → true, `N`/`non`/`0` → false,
    /// empty or `NR` → `None`; anything else is rejected.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, Rejected> {
        match self.get(name).to_ascii_lowercase().as_str() {
            "" | "nr" => Ok(None),
            "o" | "oui" | "y" | "yes" | "1" | "true" => Ok(Some(true)),
            "n" | "non" | "no" | "0" | "false" => Ok(Some(false)),
            other => Err(self.reject(name, format!("« {other} » n'est ni oui ni non"))),
        }
    }
}

/// The parse function of one format.
pub type ParseRow<T> = fn(&Row<'_>) -> Result<T, Rejected>;

/// A streaming reader of typed records from one CSV file.
pub struct CsvReader<T> {
    path: PathBuf,
    inner: csv::Reader<Box<dyn Read + Send>>,
    names: &'static [&'static str],
    columns: Vec<usize>,
    record: csv::StringRecord,
    parse: ParseRow<T>,
    done: bool,
    line: u64,
}

impl<T> std::fmt::Debug for CsvReader<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvReader")
            .field("path", &self.path)
            .finish()
    }
}

impl<T> CsvReader<T> {
    /// Opens `path`, checks that every column of `names` is in the header line.
    pub fn open(
        path: &Path,
        format: CsvFormat,
        names: &'static [&'static str],
        parse: ParseRow<T>,
    ) -> Result<Self, DataError> {
        let file = File::open(path).map_err(|source| DataError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Self::from_reader(path, Box::new(file), format, names, parse)
    }

    /// Reads from any byte source; `path` is used in messages only.
    pub fn from_reader(
        path: &Path,
        bytes: Box<dyn Read + Send>,
        format: CsvFormat,
        names: &'static [&'static str],
        parse: ParseRow<T>,
    ) -> Result<Self, DataError> {
        let decoded: Box<dyn Read + Send> = match format.encoding {
            Encoding::Utf8 => Box::new(StripBom::new(BufReader::new(bytes))),
            Encoding::Latin1 => Box::new(Latin1Reader::new(BufReader::new(bytes))),
        };
        let source: Box<dyn Read + Send> = Box::new(CrlfToLf::new(BufReader::new(decoded)));
        let mut inner = csv::ReaderBuilder::new()
            .delimiter(format.delimiter)
            .flexible(false)
            .from_reader(source);
        let headers = inner.headers().map_err(|e| csv_error(path, &e))?.clone();
        let mut columns = Vec::with_capacity(names.len());
        for name in names {
            let index = headers
                .iter()
                .position(|h| h.trim() == *name)
                .ok_or_else(|| DataError::MissingColumn {
                    file: path.to_path_buf(),
                    column: (*name).to_owned(),
                })?;
            columns.push(index);
        }
        Ok(Self {
            path: path.to_path_buf(),
            inner,
            names,
            columns,
            record: csv::StringRecord::new(),
            parse,
            done: false,
            line: 1,
        })
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The line where the last row yielded starts (1 before any row).
    pub fn line(&self) -> u64 {
        self.line
    }
}

impl<T> Iterator for CsvReader<T> {
    type Item = Result<Item<T>, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.inner.read_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(csv_error(&self.path, &e)))
            }
            Ok(true) => {
                // csv dates a record from where the previous one ended, so
                // blank lines before it are not counted: count back from its
                // end instead (its `\n`s, then the one that ends it).
                let start = self.record.position().map_or(0, |p| p.line());
                let newlines: usize = self.record.iter().map(|f| f.matches('\n').count()).sum();
                let end = self.inner.position().line();
                let line = start.max(end.saturating_sub(newlines as u64 + 1));
                self.line = line;
                let row = Row {
                    record: &self.record,
                    columns: &self.columns,
                    names: self.names,
                    line,
                };
                Some(Ok(match (self.parse)(&row) {
                    Ok(record) => Item::Record(record),
                    Err(rejected) => Item::Rejected(rejected),
                }))
            }
        }
    }
}

fn csv_error(path: &Path, error: &csv::Error) -> DataError {
    let line = error.position().map_or(0, |p| p.line());
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header line has {expected_len}"),
        csv::ErrorKind::Utf8 { err, .. } => {
            format!(
                "field {} is not valid UTF-8 (is the file Latin-1?)",
                err.field() + 1
            )
        }
        _ => error.to_string(),
    };
    DataError::Malformed {
        file: path.to_path_buf(),
        line,
        message,
    }
}

/// Skips a UTF-8 byte-order mark at the start of the stream.
struct StripBom<R> {
    inner: R,
    checked: bool,
    /// The first bytes, when they began like a mark but were not one.
    head: Vec<u8>,
}

impl<R: io::BufRead> StripBom<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            checked: false,
            head: Vec::new(),
        }
    }
}

impl<R: io::BufRead> Read for StripBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.checked {
            self.checked = true;
            // Byte by byte: a source may give fewer than three bytes at once.
            const BOM: &[u8] = b"\xEF\xBB\xBF";
            while let Some(&expected) = BOM.get(self.head.len()) {
                match self.inner.fill_buf()?.first() {
                    Some(&b) if b == expected => {
                        self.head.push(b);
                        self.inner.consume(1);
                    }
                    _ => break,
                }
            }
            if self.head == BOM {
                self.head.clear();
            }
        }
        if !self.head.is_empty() {
            let n = self.head.len().min(buf.len());
            buf[..n].copy_from_slice(&self.head[..n]);
            self.head.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Turns CRLF line ends into LF: csv ends a CRLF record at its `\r` and
/// counts lines by `\n`, so every row after a CRLF would be dated one line
/// too early. A lone `\r` is kept.
struct CrlfToLf<R> {
    inner: R,
    /// A `\r` ended the last chunk read; the next byte decides its fate.
    cr: bool,
}

impl<R: io::BufRead> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        Self { inner, cr: false }
    }
}

impl<R: io::BufRead> Read for CrlfToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let input = self.inner.fill_buf()?;
            let mut n = 0;
            if std::mem::take(&mut self.cr) && input.first() != Some(&b'\n') {
                buf[0] = b'\r';
                n = 1;
            }
            if input.is_empty() {
                return Ok(n);
            }
            let mut used = 0;
            for &b in input {
                if n == buf.len() {
                    break;
                }
                used += 1;
                if b != b'\r' {
                    buf[n] = b;
                    n += 1;
                } else if input.get(used).is_none() {
                    self.cr = true;
                } else if input.get(used) != Some(&b'\n') {
                    buf[n] = b;
                    n += 1;
                }
            }
            self.inner.consume(used);
            if n > 0 {
                return Ok(n);
            }
            // Only a `\r` held back so far: look at what follows it.
        }
    }
}

/// Decodes Windows-1252 (the superset of ISO-8859-1 that real "Latin-1"
/// exports use for ’ and œ) into UTF-8, chunk by chunk.
struct Latin1Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    pending: Vec<u8>,
    start: usize,
    eof: bool,
}

impl<R: io::BufRead> Latin1Reader<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            decoder: encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            pending: Vec::new(),
            start: 0,
            eof: false,
        }
    }
}

impl<R: io::BufRead> Read for Latin1Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.start >= self.pending.len() && !self.eof {
            let input = self.inner.fill_buf()?;
            let last = input.is_empty();
            let consumed = input.len();
            // Each input byte becomes at most 3 UTF-8 bytes.
            self.pending.clear();
            self.pending.resize(consumed * 3 + 16, 0);
            self.start = 0;
            let (_, read, written, _) = self.decoder.decode_to_utf8(input, &mut self.pending, last);
            self.pending.truncate(written);
            self.inner.consume(read);
            self.eof = last;
        }
        let available = &self.pending[self.start..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.start += n;
        Ok(n)
    }
}
