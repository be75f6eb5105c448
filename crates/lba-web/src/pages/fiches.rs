//! The ROME fiches shown on the detail pages, read from the store.

use lba_core::ids::CodeRome;
use lba_store::Store;
use lba_store::fiches::RomeFicheDetail;

use super::PageError;

/// At most this many fiches on a detail page.
const MAX_FICHES: usize = 3;

/// The fiches of `codes` (the first [`MAX_FICHES`]) that the store knows.
pub(crate) async fn load<'a>(
    store: &Store,
    codes: impl IntoIterator<Item = &'a CodeRome>,
) -> Result<Vec<RomeFicheDetail>, PageError> {
    let mut fiches = Vec::new();
    for code in codes.into_iter().take(MAX_FICHES) {
        if let Some(fiche) = store.rome_fiche(code).await? {
            fiches.push(fiche);
        }
    }
    Ok(fiches)
}
