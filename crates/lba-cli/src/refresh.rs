//! The background refresh of `lba serve`: the search index follows the data
//! other processes change, and the CFA request reminders are queued.

use lba_store::Store;

/// Logged when another process's change is heard (the multi-node test
/// looks for it).
const HEARD: &str = "data change heard: refreshing the search index";

/// Rebuilds the search index when another process changed the data, and
/// every 15 minutes queues the reminders of unanswered CFA requests. On
/// PostgreSQL a change committed by any node is heard at once (LISTEN/NOTIFY,
/// migration 0016); the 15-second poll stays as the fallback (and is the
/// only way on SQLite).
pub(crate) async fn refresh_loop(search: lba_app::Search, store: Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut changes = match store.data_changes().await {
        Ok(changes) => changes,
        Err(error) => {
            tracing::warn!(%error, "cannot listen to data changes, polling only");
            None
        }
    };
    let mut ticks: u64 = 0;
    loop {
        let heard = tokio::select! {
            _ = tick.tick() => false,
            change = next_change(&mut changes) => match change {
                Ok(()) => {
                    tracing::info!("{HEARD}");
                    true
                }
                Err(error) => {
                    tracing::warn!(%error, "listening to data changes failed, polling only");
                    changes = None;
                    continue;
                }
            },
        };
        if let Err(error) = search.refresh().await {
            tracing::warn!(%error, "search index refresh failed");
        }
        if heard {
            continue;
        }
        if ticks.is_multiple_of(60) {
            match lba_app::appointments::remind(&store, &search, chrono::Utc::now()).await {
                Ok(r) if r.cfa_reminders + r.young_notices > 0 => {
                    tracing::info!(
                        cfa = r.cfa_reminders,
                        young = r.young_notices,
                        "CFA request reminders queued"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "CFA request reminders failed"),
            }
            match lba_app::pro::admin::queue_opco_digests(&store, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(opco = n, "OPCO digests queued"),
                Err(error) => tracing::warn!(%error, "OPCO digests failed"),
            }
        }
        ticks += 1;
    }
}

/// The next data change heard, never without a listener.
async fn next_change(
    changes: &mut Option<lba_store::opportunities::DataChanges>,
) -> Result<(), lba_store::StoreError> {
    match changes {
        Some(changes) => changes.next().await,
        None => std::future::pending().await,
    }
}
