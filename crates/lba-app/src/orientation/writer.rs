//! Group commit of the experiment's records. Every results page records a
//! view and its ten suggestions; on SQLite one writer holds the database at
//! a time, so concurrent pages each committing on their own queue up behind
//! SQLite's busy handler (which sleeps between tries: the tail of the page
//! under load was that queue). Instead, pages hand their record to one
//! writer task, which writes whatever is waiting in **one** transaction and
//! answers each page with its id. A page still waits for its own commit:
//! nothing is shown that is not stored, and nothing is lost on a crash.

use chrono::{DateTime, Utc};
use lba_store::orientation::NewView;
use lba_store::{Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Records written in one transaction at most.
const BATCH: usize = 128;

type Reply = oneshot::Sender<Result<i64, StoreError>>;
type Item = (NewView, DateTime<Utc>, Reply);

/// The handle pages write through (cheap to clone).
#[derive(Clone, Debug)]
pub(crate) struct ViewWriter {
    queue: mpsc::Sender<Item>,
}

impl ViewWriter {
    /// Starts the writer task on the current runtime; it stops when the
    /// last handle is dropped.
    pub(crate) fn start(store: Store) -> Self {
        let (queue, rx) = mpsc::channel(4 * BATCH);
        tokio::spawn(run(store, rx));
        Self { queue }
    }

    /// Records `view` (committed when this returns); its id.
    pub(crate) async fn write(
        &self,
        store: &Store,
        view: NewView,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let (reply, answer) = oneshot::channel();
        if self.queue.send((view.clone(), now, reply)).await.is_ok()
            && let Ok(result) = answer.await
        {
            return result;
        }
        // No writer any more (its runtime is shutting down): write directly.
        store.orientation_record_view(&view, now).await
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Item>) {
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        let views: Vec<(&NewView, DateTime<Utc>)> =
            batch.iter().map(|(v, now, _)| (v, *now)).collect();
        match store.orientation_record_views(&views).await {
            Ok(ids) if ids.len() == batch.len() => {
                for ((_, _, reply), id) in batch.drain(..).zip(ids) {
                    // The page may have gone (client closed): nothing to do.
                    let _ = reply.send(Ok(id));
                }
            }
            // The batch failed as a whole: each record on its own, so that
            // one bad record fails only its own page.
            _ => {
                for (view, now, reply) in batch.drain(..) {
                    let _ = reply.send(store.orientation_record_view(&view, now).await);
                }
            }
        }
    }
}
