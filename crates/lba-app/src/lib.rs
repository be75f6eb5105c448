//! Use cases of La bonne alternance: the only layer that orchestrates IO
//! (reading files, writing the store).

pub mod answers;
pub mod apply;
pub mod campaigns;
pub mod catalogue;
pub mod classifier;
pub mod cohort;
pub mod companies;
pub mod companies_file;
pub mod demo;
pub mod france_travail;
pub mod locate;
pub mod model;
pub mod offers;
pub mod progress;
pub mod referentials;
pub mod search;
pub mod sirene;
#[cfg(feature = "testing")]
pub mod testing;

pub use lba_notify;
pub use lba_search;
pub use progress::{NoProgress, Progress};
pub use referentials::{ImportError, ReferentialReport, import_referentials};
pub use search::Search;
