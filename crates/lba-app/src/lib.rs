//! Use cases of La bonne alternance: the only layer that orchestrates IO
//! (reading files, writing the store).

pub mod answers;
pub mod apply;
pub mod appointments;
pub mod attribution;
pub mod campaigns;
pub mod catalogue;
pub mod classifier;
pub mod cohort;
pub mod companies;
pub mod companies_file;
pub mod demo;
pub mod details;
pub mod error_codes;
pub mod france_travail;
pub mod health;
pub mod learning;
pub mod locate;
pub mod map;
pub mod model;
pub mod offers;
pub mod orientation;
pub mod outcomes;
pub mod person;
pub mod pro;
pub mod progress;
pub mod referentials;
pub mod search;
pub mod search_request;
pub mod sirene;
#[cfg(feature = "testing")]
pub mod testing;

pub use lba_notify;
pub use lba_search;
/// The opaque database handle given to the use cases (the HTTP layer holds
/// one and passes it on; it never calls it), and the error they return when
/// the database fails.
pub use lba_store::{Store, StoreError};
pub use progress::{NoProgress, Progress};
pub use referentials::{ImportError, ReferentialReport, import_referentials};
pub use search::Search;
