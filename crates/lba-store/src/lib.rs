//! Persistence of La bonne alternance: SQLite by default (one file, WAL,
//! foreign keys on), PostgreSQL when the database URL says so.
//!
//! [`Store`] is one enum with the same methods for both backends. SQL is
//! portable (`$1` parameters, `ON CONFLICT … DO UPDATE`, `excluded.`) and is
//! written once: writers are functions generic over a backend (`portable.rs`),
//! and `with_pool!`/`in_tx!` run the same statement on whichever pool the
//! store holds; SQL that only one backend understands lives in that backend's
//! arm with a comment saying why.

pub mod applications;
pub mod appointments;
mod backend;
mod batch;
pub mod campaign_delivery;
pub mod campaigns;
pub mod catalogue;
pub mod cohort;
pub mod companies;
pub mod dares;
mod error;
pub mod establishments;
pub mod exclusions;
pub mod fiches;
pub mod imports;
mod job_kind;
pub mod learning;
pub mod model;
pub mod offers_import;
pub mod opportunities;
pub mod orientation;
pub mod outbox;
pub mod outcomes;
pub mod person_history;
mod portable;
pub mod pro;
pub mod read;
pub mod referentials;
pub mod status;
#[cfg(feature = "testing")]
pub mod testing;

pub use backend::{Backend, Store};
pub use error::StoreError;
