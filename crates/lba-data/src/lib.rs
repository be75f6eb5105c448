//! Streaming readers for the real referential file formats.
//!
//! Each reader yields typed records, one per row, as [`Item::Record`] or, for a
//! row that cannot be used, [`Item::Rejected`] naming the line and the field.
//! Structural problems (missing file, missing column, broken CSV or JSON) stop
//! the read with a [`DataError`] naming the file and the line.

pub mod catalogue;
pub mod cfa;
pub mod cohort;
pub mod csv_source;
pub mod dares;
pub mod data_dir;
pub mod diplomas;
pub mod error;
pub mod france_travail;
pub mod geo;
pub mod hirings;
pub mod json_elements;
pub mod json_stream;
pub mod naf;
pub mod outcomes;
pub mod recruteurs;
pub mod rome;
pub mod sirene;
pub mod sniff;

pub use csv_source::{CsvReader, Item, Rejected};
pub use data_dir::DataDir;
pub use error::DataError;
