//! Guesses the format of a CSV export whose producer is not known in
//! advance (spreadsheets save `;` in France, tools `,`; old exports are
//! Latin-1): the encoding from whether the first bytes are valid UTF-8, the
//! delimiter from the header line.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::DataError;
use crate::csv_source::{CsvFormat, Encoding};

/// Bytes looked at: the header line and a few rows.
const SAMPLE: u64 = 64 * 1024;

/// Detects the encoding and the delimiter (`;` or `,`) of `path`.
pub fn sniff(path: &Path) -> Result<CsvFormat, DataError> {
    let mut sample = Vec::new();
    File::open(path)
        .and_then(|f| f.take(SAMPLE).read_to_end(&mut sample))
        .map_err(|source| DataError::Io {
            file: path.to_path_buf(),
            source,
        })?;
    Ok(sniff_bytes(&sample))
}

/// Detects the format from the first bytes of a file.
pub fn sniff_bytes(sample: &[u8]) -> CsvFormat {
    let body = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
    let encoding = match std::str::from_utf8(body) {
        Ok(_) => Encoding::Utf8,
        // A multi-byte character cut by the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => Encoding::Utf8,
        Err(_) => Encoding::Latin1,
    };
    let header = body.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    let delimiter = if count(b';') >= count(b',') && count(b';') > 0 {
        b';'
    } else {
        b','
    };
    CsvFormat {
        delimiter,
        encoding,
    }
}
