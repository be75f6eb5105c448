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

/// The fixtures and `MESSAGES` messages of campaign `c1` inserted: their ids.
async fn launched_messages(store: &Store) -> Vec<i64> {
    fixtures(store).await;
    let batch = messages(store, MESSAGES).await;
    store
        .insert_messages(&batch, t(9, 0), t(8, 0))
        .await
        .unwrap();
    store
        .campaign_messages("c1")
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect()
}

fn count(slots: &[SendSlot], kind: SendSlot) -> usize {
    slots.iter().filter(|s| **s == kind).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_senders_get_exactly_rate_slots_per_second() {
    for db in TestDb::all().await {
        let store = &db.store;
        let ids = launched_messages(store).await;
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

/// Several messages in one call, as the worker gathers them: the free slots
/// go to the open messages (lowest ids first); the rest is full or finished;
/// concurrent batches still add up to exactly `rate` in the second.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn slots_taken_together_keep_the_rate_and_tell_finished_from_full() {
    for db in TestDb::all().await {
        let store = &db.store;
        let ids = launched_messages(store).await;
        let second = t(9, 0);
        let now = second + TimeDelta::milliseconds(100);
        // The first message is finished: it takes no slot.
        assert!(store.mark_message_sent(ids[0], None, now).await.unwrap());
        let first = store
            .take_send_slots(&ids[..8], "c1", 3, second, now)
            .await
            .unwrap();
        use SendSlot::{Finished, Full, Taken};
        assert_eq!(
            first,
            [Finished, Taken, Taken, Taken, Full, Full, Full, Full],
            "{:?}",
            db.backend()
        );
        // Fewer asks than free slots: every open one is taken, the finished
        // one is told apart without a full throttle.
        let second_2 = second + TimeDelta::seconds(1);
        let later = store
            .take_send_slots(&[ids[0], ids[4], ids[5]], "c1", 3, second_2, now)
            .await
            .unwrap();
        assert_eq!(later, [Finished, Taken, Taken], "{:?}", db.backend());
        assert!(
            store
                .take_send_slots(&[], "c1", 3, second_2, now)
                .await
                .unwrap()
                .is_empty()
        );

        // Batches racing for one second: exactly `RATE` slots in all.
        let third = second + TimeDelta::seconds(2);
        let open: Vec<i64> = ids[6..].to_vec();
        let tasks: Vec<_> = open
            .chunks(4)
            .map(|chunk| {
                let store = store.clone();
                let chunk = chunk.to_vec();
                tokio::spawn(async move {
                    store
                        .take_send_slots(&chunk, "c1", RATE, third, third)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut slots = Vec::new();
        for task in tasks {
            slots.extend(task.await.unwrap());
        }
        assert_eq!(
            (count(&slots, Taken), count(&slots, Full)),
            (RATE as usize, open.len() - RATE as usize),
            "{:?}",
            db.backend()
        );
        assert_eq!(
            store
                .campaign_sends_between("c1", third, third + TimeDelta::seconds(1))
                .await
                .unwrap(),
            i64::from(RATE)
        );

        exec(
            store,
            "UPDATE campaigns SET status = 'paused' WHERE id = 'c1'",
        )
        .await;
        assert_eq!(
            store
                .take_send_slots(&ids[6..8], "c1", RATE, third, third)
                .await
                .unwrap(),
            [SendSlot::NotLaunched; 2]
        );
        db.cleanup().await;
    }
}

/// The `sent` mark and the ack in one call; the worker's read of a round's
/// messages by id.
#[tokio::test]
async fn sent_mark_and_ack_together_and_messages_by_id() {
    for db in TestDb::all().await {
        let store = &db.store;
        fixtures(store).await;
        let batch = messages(store, 3).await;
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
        let mut read = store
            .campaign_messages_by_id(&[ids[2], ids[0], 999_999])
            .await
            .unwrap();
        read.sort_by_key(|m| m.id);
        assert_eq!(
            read.iter().map(|m| m.id).collect::<Vec<_>>(),
            [ids[0], ids[2]],
            "an unknown id is left out"
        );
        assert_eq!(read[1].person_id, "q2");
        assert!(store.campaign_messages_by_id(&[]).await.unwrap().is_empty());

        let jobs = store
            .claim_jobs("w", t(9, 0).timestamp_millis(), 60_000, 10)
            .await
            .unwrap();
        assert_eq!(jobs.len(), 3);
        let job = jobs
            .iter()
            .find(|j| j.payload == format!(r#"{{"message":{}}}"#, ids[0]))
            .unwrap();
        assert!(store.mark_message_sending(ids[0], t(9, 0)).await.unwrap());
        assert_eq!(
            store
                .mark_message_sent_and_ack(ids[0], Some("prov-9"), t(9, 0), &job.id, "w", t(9, 1))
                .await
                .unwrap(),
            (true, true),
            "{:?}",
            db.backend()
        );
        let m = store.campaign_message(ids[0]).await.unwrap().unwrap();
        assert_eq!(
            (m.status.as_str(), m.provider_id.as_deref(), m.sent_at),
            ("sent", Some("prov-9"), Some(t(9, 0)))
        );
        let stored = store.jobs_about("c1").await.unwrap();
        let acked = stored.iter().find(|j| j.id == job.id).unwrap();
        assert_eq!(acked.status, "sent");
        // Again (a second worker's late call): nothing moves.
        assert_eq!(
            store
                .mark_message_sent_and_ack(ids[0], Some("prov-10"), t(9, 2), &job.id, "w", t(9, 3))
                .await
                .unwrap(),
            (false, false)
        );
        // A job this worker no longer holds: the message is marked, the job
        // is left to its holder.
        let other = jobs.iter().find(|j| j.id != job.id).unwrap();
        let other_message: i64 = other
            .payload
            .trim_start_matches(r#"{"message":"#)
            .trim_end_matches('}')
            .parse()
            .unwrap();
        assert_eq!(
            store
                .mark_message_sent_and_ack(other_message, None, t(9, 4), &other.id, "x", t(9, 4))
                .await
                .unwrap(),
            (true, false)
        );
        let stored = store.jobs_about("c1").await.unwrap();
        assert_eq!(
            stored.iter().find(|j| j.id == other.id).unwrap().status,
            "sending"
        );
        assert_eq!(
            store
                .campaign_message(other_message)
                .await
                .unwrap()
                .unwrap()
                .status,
            "sent"
        );
        db.cleanup().await;
    }
}
