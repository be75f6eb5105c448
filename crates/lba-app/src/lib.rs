//! Use cases of La bonne alternance: the only layer that orchestrates IO
//! (reading files, writing the store).

pub mod progress;
pub mod referentials;
pub mod search;

pub use progress::{NoProgress, Progress};
pub use referentials::{ImportError, ReferentialReport, import_referentials};
pub use search::Search;
pub use lba_search;
