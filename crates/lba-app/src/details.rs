//! What the detail pages show beside the search index: the ROME fiches of
//! a métier, an offer, a company or a training course, the labels of NAF
//! codes and headcount brackets, and a company's published hiring
//! prediction. Read only.

use lba_core::ids::{CodeRome, NafCode};
use lba_store::{Store, StoreError};

pub use lba_core::referential::RomeFicheDetail;

/// At most this many fiches on a detail page.
pub const MAX_FICHES: usize = 3;

/// The fiche `code`, or `None` when the ROME referential does not know it.
///
/// # Errors
/// When the store fails.
pub async fn rome_fiche(
    store: &Store,
    code: &CodeRome,
) -> Result<Option<RomeFicheDetail>, StoreError> {
    store.rome_fiche(code).await
}

/// The fiches of `codes` (the first [`MAX_FICHES`]) that the store knows.
///
/// # Errors
/// When the store fails.
pub async fn rome_fiches<'a>(
    store: &Store,
    codes: impl IntoIterator<Item = &'a CodeRome>,
) -> Result<Vec<RomeFicheDetail>, StoreError> {
    let mut fiches = Vec::new();
    for code in codes.into_iter().take(MAX_FICHES) {
        if let Some(fiche) = store.rome_fiche(code).await? {
            fiches.push(fiche);
        }
    }
    Ok(fiches)
}

/// What an offer or company page shows from the store.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmployerDetails {
    /// The fiches of its métiers (see [`rome_fiches`]).
    pub fiches: Vec<RomeFicheDetail>,
    /// The label of its NAF code, when known.
    pub naf_label: Option<String>,
    /// The label of its headcount bracket, when known.
    pub headcount: Option<String>,
    /// Hirings predicted by the published model run (companies only).
    pub predicted_hirings: Option<f64>,
}

async fn employer<'a>(
    store: &Store,
    romes: impl IntoIterator<Item = &'a CodeRome>,
    naf: Option<&NafCode>,
    headcount: Option<&str>,
) -> Result<EmployerDetails, StoreError> {
    let fiches = rome_fiches(store, romes).await?;
    let naf_label = match naf {
        Some(naf) => store.naf_label(naf).await?,
        None => None,
    };
    let headcount = match headcount {
        Some(code) => store.headcount_label(code).await?,
        None => None,
    };
    Ok(EmployerDetails {
        fiches,
        naf_label,
        headcount,
        predicted_hirings: None,
    })
}

/// The details of an offer page: fiche of its métier, NAF and headcount
/// labels of its company.
///
/// # Errors
/// When the store fails.
pub async fn offer(
    store: &Store,
    rome: &CodeRome,
    naf: Option<&NafCode>,
    headcount: Option<&str>,
) -> Result<EmployerDetails, StoreError> {
    employer(store, [rome], naf, headcount).await
}

/// The CFA that posted offer `id` on behalf of its company (the page says
/// so), if a CFA did.
pub async fn offer_posted_by(store: &Store, id: &str) -> Result<Option<String>, StoreError> {
    store.offer_posted_by_cfa(id).await
}

/// The details of the page of company `siret`: fiches of its métiers, NAF
/// and headcount labels, and its published hiring prediction.
///
/// # Errors
/// When the store fails.
pub async fn company<'a>(
    store: &Store,
    siret: &str,
    romes: impl IntoIterator<Item = &'a CodeRome>,
    naf: Option<&NafCode>,
    headcount: Option<&str>,
) -> Result<EmployerDetails, StoreError> {
    let mut details = employer(store, romes, naf, headcount).await?;
    details.predicted_hirings = store.published_prediction(siret).await?;
    Ok(details)
}
