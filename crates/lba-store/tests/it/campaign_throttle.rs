//! The campaign throttle under concurrency: many senders of one campaign
//! asking for a slot at once get exactly `rate` of them per second; on both
//! backends.

use chrono::TimeDelta;
use lba_store::Store;
use lba_store::campaign_delivery::{NewMessage, SendSlot};
use lba_store::testing::TestDb;

use crate::campaign_delivery::{exec, fixtures, message, t};

const RATE: u32 = 5;
const MESSAGES: usize = 40;

/// People `q0`…`q{n-1}` and an e-mail of `c1` to each.
async fn messages(store: &Store, n: usize) -> Vec<NewMessage> {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            format!("('q{i}', 'parcoursup', 'q{i}', 'Léa', 'Martin', TRUE, '2026-10-01T00:00:00Z')")
        })
        .collect();
    exec(
        store,
        &format!(
            "INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
             apprenticeship_only, updated_at) VALUES {}",
            rows.join(", ")
        ),
    )
    .await;
    (0..n)
        .map(|i| message(&format!("q{i}"), "email", &format!("code{i}")))
        .collect()
}

/// Every message asks for a slot at the same time (one task each).
async fn race(store: &Store, ids: &[i64], second: chrono::DateTime<chrono::Utc>) -> Vec<SendSlot> {
    let tasks: Vec<_> = ids
        .iter()
        .map(|&id| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .take_send_slot(
                        id,
                        "c1",
                        RATE,
                        second,
                        second + TimeDelta::milliseconds(250),
                    )
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut slots = Vec::with_capacity(tasks.len());
    for task in tasks {
        slots.push(task.await.unwrap());
    }
    slots
}

fn count(slots: &[SendSlot], kind: SendSlot) -> usize {
    slots.iter().filter(|s| **s == kind).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_senders_get_exactly_rate_slots_per_second() {
    for db in TestDb::all().await {
        let store = &db.store;
        fixtures(store).await;
        let batch = messages(store, MESSAGES).await;
        store
            .insert_messages(&batch, t(9, 0), t(8, 0))
            .await
            .unwrap();
        let ids: Vec<i64> = store
            .campaign_messages("c1")
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids.len(), MESSAGES);
        let second = t(9, 0);
        let first = race(store, &ids, second).await;
        assert_eq!(
            (
                count(&first, SendSlot::Taken),
                count(&first, SendSlot::Full)
            ),
            (RATE as usize, MESSAGES - RATE as usize),
            "{:?}",
            db.backend()
        );
        assert_eq!(
            store
                .campaign_sends_between("c1", second, second + TimeDelta::seconds(1))
                .await
                .unwrap(),
            i64::from(RATE)
        );
        // Still the same second: nothing more, whoever asks.
        let again = race(store, &ids, second).await;
        assert_eq!(count(&again, SendSlot::Taken), 0, "{:?}", db.backend());

        // The next second: `rate` more, among the messages still open; the
        // ones taken before count as finished once sent.
        let taken: Vec<i64> = ids
            .iter()
            .zip(&first)
            .filter(|(_, s)| **s == SendSlot::Taken)
            .map(|(id, _)| *id)
            .collect();
        for id in &taken {
            assert!(store.mark_message_sent(*id, None, second).await.unwrap());
        }
        let next = second + TimeDelta::seconds(1);
        let later = race(store, &ids, next).await;
        assert_eq!(count(&later, SendSlot::Taken), RATE as usize);
        for (id, slot) in ids.iter().zip(&later) {
            if taken.contains(id) {
                // Finished, or refused by the full throttle before its row
                // was looked at: never taken again.
                assert_ne!(*slot, SendSlot::Taken);
            }
        }
        let attempts: usize = store
            .campaign_messages("c1")
            .await
            .unwrap()
            .iter()
            .map(|m| usize::try_from(m.attempts).unwrap())
            .sum();
        assert_eq!(attempts, 2 * RATE as usize, "one attempt per slot");

        // A paused campaign gives no slot.
        exec(
            store,
            "UPDATE campaigns SET status = 'paused' WHERE id = 'c1'",
        )
        .await;
        let paused = race(store, &ids[..3], next + TimeDelta::seconds(1)).await;
        assert_eq!(paused, [SendSlot::NotLaunched; 3]);
        db.cleanup().await;
    }
}
