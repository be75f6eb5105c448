//! Errors that stop a read: the file is unusable as a whole.

use std::path::PathBuf;

/// A structural problem with a data file. Row-level problems are not errors:
/// they are yielded as [`crate::Rejected`] items so that the caller can count
/// and report them.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The data directory could not be found.
    #[error("data directory not found: tried {tried}")]
    NoDataDir {
        /// The candidates, in order.
        tried: String,
    },
    /// The file could not be opened or read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A required column is absent from the header line.
    #[error("{file}:1: missing column `{column}` in the header line")]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The column that was expected.
        column: String,
    },
    /// The file is not well-formed (CSV structure, encoding, JSON syntax).
    #[error("{file}:{line}: {message}")]
    Malformed {
        /// The file.
        file: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong, naming the field when known.
        message: String,
    },
}
