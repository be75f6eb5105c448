//! Locating the referential data directory.

use std::path::{Path, PathBuf};

use crate::DataError;

/// The directory holding the referential files (`rome/`, `geo/`, `naf/`, …).
#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Candidates tried in order when no directory is given: `./data`, then
    /// `../shared/data` (the layout of a checkout beside `shared/`).
    pub const DEFAULT_CANDIDATES: [&'static str; 2] = ["data", "../shared/data"];

    /// Resolves the data directory: the explicit one (from `--data-dir` or
    /// `$LBA_DATA_DIR`) when given, else the first existing default candidate.
    /// An explicit directory must exist and contain `rome/`.
    pub fn resolve(explicit: Option<&Path>) -> Result<Self, DataError> {
        let candidates: Vec<PathBuf> = match explicit {
            Some(dir) => vec![dir.to_path_buf()],
            None => Self::DEFAULT_CANDIDATES.iter().map(PathBuf::from).collect(),
        };
        candidates
            .iter()
            .find(|dir| dir.join("rome").is_dir())
            .map(|dir| Self { root: dir.clone() })
            .ok_or_else(|| DataError::NoDataDir {
                tried: candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Uses `root` as is, without checking it.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A file inside the directory.
    pub fn file(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }
}
