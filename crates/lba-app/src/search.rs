//! The search service: builds the in-memory index from the store, serves
//! snapshots, and rebuilds when the store's data version changes (so that
//! several `lba serve` nodes on one database converge).

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use lba_search::{Index, SharedIndex};
use lba_store::{Store, StoreError};

use crate::orientation::Orientation;

/// Search over the current snapshot of the store.
#[derive(Clone, Debug)]
pub struct Search {
    store: Store,
    index: Arc<SharedIndex>,
    /// The orientation tables, built from the store on first use (the
    /// referentials they come from change only with `lba import
    /// referentials`; a restart picks a new import up).
    orientation: Arc<tokio::sync::OnceCell<Arc<Orientation>>>,
    /// One rebuild at a time: two overlapping rebuilds could finish out of
    /// order and leave the older snapshot in place (a change made between
    /// their reads would then wait for the next poll).
    rebuilding: Arc<tokio::sync::Mutex<()>>,
}

impl Search {
    /// Loads everything searchable from the store and builds the first index.
    pub async fn load(store: &Store) -> Result<Self, StoreError> {
        let index = build(store).await?;
        Ok(Self {
            store: store.clone(),
            index: Arc::new(SharedIndex::new(index)),
            orientation: Arc::default(),
            rebuilding: Arc::default(),
        })
    }

    /// The orientation tables (loaded once, on the first call).
    pub async fn orientation(&self) -> Result<Arc<Orientation>, StoreError> {
        self.orientation
            .get_or_try_init(|| async { Orientation::load(&self.store).await.map(Arc::new) })
            .await
            .cloned()
    }

    /// The current snapshot: one atomic load, then no locking.
    pub fn snapshot(&self) -> Arc<Index> {
        self.index.load()
    }

    /// Rebuilds the index when the store changed since the current snapshot;
    /// returns whether it did. When only the offers changed (the pro
    /// space), only the offers are reloaded and indexed again: the rest of
    /// the snapshot is shared with the new one.
    pub async fn refresh(&self) -> Result<bool, StoreError> {
        let _one_at_a_time = self.rebuilding.lock().await;
        let versions = self.store.data_versions().await?;
        let current = self.index.load();
        if versions.combined() == current.version {
            return Ok(false);
        }
        if versions.opportunities == current.base_version {
            let clock = Instant::now();
            let (offers, by_cfa) =
                tokio::try_join!(self.store.offers(), self.store.offers_posted_by_cfas())?;
            let index = tokio::task::spawn_blocking(move || {
                let mut index = current.with_offers(offers, versions.combined(), Utc::now());
                index.posted_by_cfa = by_cfa.into_iter().collect();
                index
            })
            .await
            .map_err(task_failed)?;
            tracing::info!(
                offers = index.offers.len(),
                version = index.version,
                duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
                "search index: offers reloaded"
            );
            self.index.replace(index);
        } else {
            self.index.replace(build(&self.store).await?);
        }
        Ok(true)
    }

    /// Rebuilds unconditionally.
    pub async fn rebuild(&self) -> Result<(), StoreError> {
        let _one_at_a_time = self.rebuilding.lock().await;
        self.index.replace(build(&self.store).await?);
        Ok(())
    }
}

async fn build(store: &Store) -> Result<Index, StoreError> {
    let clock = Instant::now();
    // Read the versions first: a change during the load triggers a rebuild.
    let versions = store.data_versions().await?;
    let version = versions.combined();
    // The loads run side by side on separate connections.
    let (data, formations, offers, companies, by_cfa) = tokio::try_join!(
        store.referential_data(),
        store.formations(),
        store.offers(),
        store.companies(),
        store.offers_posted_by_cfas()
    )?;
    let index = tokio::task::spawn_blocking(move || {
        let mut index = Index::build(&data, formations, offers, companies, version, Utc::now());
        index.base_version = versions.opportunities;
        index.posted_by_cfa = by_cfa.into_iter().collect();
        index
    })
    .await
    .map_err(task_failed)?;
    tracing::info!(
        formations = index.formations.len(),
        offers = index.offers.len(),
        companies = index.companies.len(),
        version,
        duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        "search index built"
    );
    Ok(index)
}

/// A build task that panicked or was cancelled.
fn task_failed(e: tokio::task::JoinError) -> StoreError {
    StoreError::Corrupt {
        table: "index",
        key: String::new(),
        detail: e.to_string(),
    }
}
