//! The search service: builds the in-memory index from the store, serves
//! snapshots, and rebuilds when the store's data version changes (so that
//! several `lba serve` nodes on one database converge). With a snapshot
//! file ([`Search::load_with_snapshot`]), a restart reads the index's
//! records from that file instead of the store ([`snapshot`]).

pub mod snapshot;

use std::path::PathBuf;
use std::sync::{Arc, PoisonError};
use std::time::Instant;

use chrono::Utc;
use lba_search::{Index, SharedIndex};
use lba_store::opportunities::DataVersions;
use lba_store::{Store, StoreError};

use crate::orientation::Orientation;
use snapshot::SnapshotError;

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
    /// Where the index's snapshot is kept, if anywhere; the lock keeps one
    /// writer at a time.
    snapshot_file: Option<Arc<(PathBuf, tokio::sync::Mutex<()>)>>,
    /// The snapshot writes started in the background.
    writes: Arc<std::sync::Mutex<Writes>>,
}

/// The background writes of the snapshot: at most one waiting, and at most
/// one per [`SNAPSHOT_INTERVAL`], since a change of the offers alone (a
/// recruiter posting an offer) would otherwise rewrite the whole file each
/// time.
#[derive(Debug, Default)]
struct Writes {
    /// A write is waiting for its turn; it will take the index current then.
    waiting: bool,
    /// When the last write took its index.
    last: Option<Instant>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

/// The least time between two background writes of the snapshot.
const SNAPSHOT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(120);

impl Search {
    /// Loads everything searchable from the store and builds the first index.
    pub async fn load(store: &Store) -> Result<Self, StoreError> {
        let index = build(store).await?;
        Ok(Self::with_index(store, index, None))
    }

    /// Like [`Search::load`], but reads the records from the snapshot at
    /// `path` when it was written at the store's current data versions, and
    /// keeps that snapshot up to date: it is written again (in the
    /// background) after every build from the store. A missing, outdated or
    /// unreadable snapshot only means a build from the store.
    pub async fn load_with_snapshot(store: &Store, path: PathBuf) -> Result<Self, StoreError> {
        let clock = Instant::now();
        let versions = store.data_versions().await?;
        let from = path.clone();
        let loaded =
            tokio::task::spawn_blocking(move || snapshot::load(&from, versions, Utc::now()))
                .await
                .map_err(task_failed)?;
        let from_file = match loaded {
            Ok(index) => {
                tracing::info!(
                    formations = index.formations.len(),
                    offers = index.offers.len(),
                    companies = index.companies.len(),
                    version = index.version,
                    duration_ms = millis(clock),
                    "search index built from its snapshot"
                );
                Some(index)
            }
            Err(SnapshotError::Missing) => None,
            Err(e @ SnapshotError::OutOfDate { .. }) => {
                tracing::info!(reason = %e, "search index snapshot out of date: built from the store");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "search index snapshot not used: built from the store");
                None
            }
        };
        let stale = from_file.is_none();
        let index = match from_file {
            Some(index) => index,
            None => build(store).await?,
        };
        let search = Self::with_index(store, index, Some(path));
        if stale {
            search.save_snapshot_later();
        }
        Ok(search)
    }

    fn with_index(store: &Store, index: Index, snapshot: Option<PathBuf>) -> Self {
        Self {
            store: store.clone(),
            index: Arc::new(SharedIndex::new(index)),
            orientation: Arc::default(),
            rebuilding: Arc::default(),
            snapshot_file: snapshot.map(|path| Arc::new((path, tokio::sync::Mutex::new(())))),
            writes: Arc::default(),
        }
    }

    /// Writes the snapshot of the current index, when snapshots are kept;
    /// returns the file's size.
    ///
    /// # Errors
    /// [`SnapshotError`] when the file cannot be written; the store's error
    /// when the referentials cannot be read.
    pub async fn save_snapshot(&self) -> Result<Option<u64>, SnapshotError> {
        let Some(snapshot) = &self.snapshot_file else {
            return Ok(None);
        };
        let _one_writer = snapshot.1.lock().await;
        let index = self.snapshot();
        let data = self
            .store
            .referential_data()
            .await
            .map_err(|e| SnapshotError::Corrupt {
                path: snapshot.0.clone(),
                detail: format!("referentials not read: {e}"),
            })?;
        let versions = DataVersions {
            opportunities: index.base_version,
            offers: index.version - index.base_version,
        };
        let target = Arc::clone(snapshot);
        let clock = Instant::now();
        let size = tokio::task::spawn_blocking(move || {
            snapshot::write(&target.0, versions, &data, &index)
        })
        .await
        .map_err(|e| SnapshotError::Corrupt {
            path: snapshot.0.clone(),
            detail: e.to_string(),
        })??;
        tracing::info!(
            bytes = size,
            duration_ms = millis(clock),
            "search index snapshot written"
        );
        Ok(Some(size))
    }

    /// [`Search::save_snapshot`] in the background, at once or, within
    /// [`SNAPSHOT_INTERVAL`] of the last write, at the end of that interval
    /// (a failure is logged: the next start builds from the store).
    fn save_snapshot_later(&self) {
        if self.snapshot_file.is_none() {
            return;
        }
        let mut writes = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        writes.tasks.retain(|w| !w.is_finished());
        if writes.waiting {
            return;
        }
        writes.waiting = true;
        let wait = writes.last.map_or(std::time::Duration::ZERO, |last| {
            SNAPSHOT_INTERVAL.saturating_sub(last.elapsed())
        });
        let search = self.clone();
        writes.tasks.push(tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            {
                let mut writes = search.writes.lock().unwrap_or_else(PoisonError::into_inner);
                writes.waiting = false;
                writes.last = Some(Instant::now());
            }
            if let Err(e) = search.save_snapshot().await {
                tracing::warn!(error = %e, "search index snapshot not written");
            }
        }));
    }

    /// Waits for the snapshot writes started in the background so far.
    pub async fn snapshot_saved(&self) {
        let tasks = std::mem::take(
            &mut self
                .writes
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .tasks,
        );
        for write in tasks {
            // A write that panicked was already reported by the runtime.
            let _ = write.await;
        }
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
                duration_ms = millis(clock),
                "search index: offers reloaded"
            );
            self.index.replace(index);
        } else {
            self.index.replace(build(&self.store).await?);
        }
        self.save_snapshot_later();
        Ok(true)
    }

    /// Rebuilds unconditionally.
    pub async fn rebuild(&self) -> Result<(), StoreError> {
        let _one_at_a_time = self.rebuilding.lock().await;
        self.index.replace(build(&self.store).await?);
        self.save_snapshot_later();
        Ok(())
    }
}

fn millis(clock: Instant) -> u64 {
    u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX)
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
        duration_ms = millis(clock),
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
