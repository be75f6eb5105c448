//! Learning modules ("parcours"): scenario-based modules on the steps into
//! apprenticeship. Pure domain: the content model, `check` (every rule of
//! the content format), the French typography renderer, the Kandel–Moles
//! readability measure and the navigation. The content files
//! (`content/modules/*.toml`) are embedded at compile time; `load_dir`
//! reads them from a directory instead (`LBA_MODULES_DIR`, `--dir`).

pub mod check;
pub mod model;
pub mod nav;
pub mod readability;
pub mod typography;

use std::path::Path;
use std::sync::Arc;

pub use check::{KNOWN_ROUTES, Problem, SOON_ROUTES, check_files, check_module};
pub use model::{Answer, Context, Kind, Module, NextStep, Situation, Source};
pub use nav::{NavError, Outcome};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// `(file name, content)` of the module files embedded at compile time.
pub fn embedded_files() -> Vec<(String, String)> {
    embedded::EMBEDDED
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
        .collect()
}

/// Reads every `*.toml` of `dir` as `(file name, content)`, sorted by name.
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push((name, std::fs::read_to_string(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// Why the catalogue cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("lecture de {dir} : {source}")]
    Io { dir: String, source: std::io::Error },
    #[error("contenu des modules invalide :\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

/// The checked modules, sorted by `order`.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    modules: Vec<Arc<Module>>,
}

impl Catalogue {
    /// Builds the catalogue from files; fails on any content problem.
    pub fn from_files(files: &[(String, String)]) -> Result<Self, LoadError> {
        let (modules, problems) = check_files(files);
        if !problems.is_empty() {
            return Err(LoadError::Invalid(problems));
        }
        Ok(Self::from_modules(modules))
    }

    /// Builds the catalogue from already-parsed modules (no check: tests).
    pub fn from_modules(mut modules: Vec<Module>) -> Self {
        modules.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
        Self {
            modules: modules.into_iter().map(Arc::new).collect(),
        }
    }

    /// The modules embedded at compile time.
    pub fn embedded() -> Result<Self, LoadError> {
        Self::from_files(&embedded_files())
    }

    /// The modules of a directory.
    pub fn load_dir(dir: &Path) -> Result<Self, LoadError> {
        let files = read_dir(dir).map_err(|source| LoadError::Io {
            dir: dir.display().to_string(),
            source,
        })?;
        Self::from_files(&files)
    }

    pub fn modules(&self) -> &[Arc<Module>] {
        &self.modules
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Module>> {
        self.modules.iter().find(|m| m.id == id)
    }
}

/// The campaign template variable of a module (`contact-cfa` →
/// `contact_cfa`).
pub fn campaign_variable(module_id: &str) -> String {
    module_id.replace('-', "_")
}
