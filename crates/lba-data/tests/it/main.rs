//! Integration tests of the referential readers: the real files of
//! `shared/data`, hand-made malformed files, commune assembly and encodings.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod catalogue;
mod cohort;
mod communes;
mod dares;
mod encoding;
mod france_travail;
mod fuzz;
mod hirings;
mod malformed;
mod real_files;
mod recruteurs;
mod sirene;

use std::path::{Path, PathBuf};

use lba_data::{CsvReader, DataError, Item, Rejected};

/// The shared directory of real referential files (never copied here).
pub const DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

/// A file of the real data directory.
pub fn data_file(relative: &str) -> PathBuf {
    Path::new(DATA_DIR).join(relative)
}

/// Everything a reader yielded, split into records and rejects.
#[derive(Debug)]
pub struct ReadAll<T> {
    pub records: Vec<T>,
    pub rejects: Vec<Rejected>,
}

/// Drains a reader, failing the test on any structural error.
pub fn read_all<T>(reader: Result<CsvReader<T>, DataError>) -> ReadAll<T> {
    let reader = reader.unwrap_or_else(|e| panic!("cannot open: {e}"));
    let mut out = ReadAll {
        records: Vec::new(),
        rejects: Vec::new(),
    };
    for item in reader {
        match item.unwrap_or_else(|e| panic!("read error: {e}")) {
            Item::Record(record) => out.records.push(record),
            Item::Rejected(rejected) => out.rejects.push(rejected),
        }
    }
    out
}

/// Drains a reader into its items, stopping at (and returning) the first error.
pub fn items_until_error<T>(
    reader: impl Iterator<Item = Result<Item<T>, DataError>>,
) -> (Vec<Item<T>>, Option<DataError>) {
    let mut items = Vec::new();
    for item in reader {
        match item {
            Ok(item) => items.push(item),
            Err(e) => return (items, Some(e)),
        }
    }
    (items, None)
}
