//! Use cases of La bonne alternance: the only layer that orchestrates IO
//! (reading files, writing the store).

pub mod catalogue;
pub mod cohort;
pub mod demo;
pub mod progress;
pub mod referentials;
pub mod search;

pub use lba_search;
pub use progress::{NoProgress, Progress};
pub use referentials::{ImportError, ReferentialReport, import_referentials};
pub use search::Search;
