//! Launch writes in multi-row batches: more messages than one statement
//! holds, and a batch mixing new and already stored messages; every link
//! and job must belong to the right message. On both backends.

use std::collections::HashMap;

use lba_store::Store;
use lba_store::campaign_delivery::{NewLink, NewMessage, job_dedupe_key};
use lba_store::testing::TestDb;

use crate::campaign_delivery::{exec, t};

/// Campaign `c1` and people `p0` … `p{n-1}`.
async fn fixtures(store: &Store, n: usize) {
    let mut sql = String::from(
        "INSERT INTO campaigns (id, name, status, spec, created_at, updated_at) VALUES \
         ('c1', 'Rentrée', 'launched', '{}', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z'); \
         INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
         apprenticeship_only, updated_at) VALUES ",
    );
    let rows: Vec<String> = (0..n)
        .map(|i| {
            format!("('p{i}', 'parcoursup', '{i}', 'Léa', 'Martin', TRUE, '2026-10-01T00:00:00Z')")
        })
        .collect();
    sql.push_str(&rows.join(", "));
    sql.push(';');
    exec(store, &sql).await;
}

/// Message of person `i` on `channel`, with two links whose codes name it;
/// `body` tells one run from the other.
fn message(i: usize, channel: &str, body: &str) -> NewMessage {
    let email = channel == "email";
    NewMessage {
        campaign_id: "c1".into(),
        person_id: format!("p{i}"),
        channel: channel.into(),
        recipient_kind: "young".into(),
        arm: "a".into(),
        recipient: if email {
            format!("p{i}@exemple.fr")
        } else {
            format!("+336{i:08}")
        },
        subject: email.then(|| "Bonjour".to_owned()),
        body_text: body.to_owned(),
        body_html: email.then(|| format!("<p>{body}</p>")),
        links: ["cfa", "offre"]
            .iter()
            .map(|kind| NewLink {
                code: format!("p{i}-{channel}-{kind}"),
                target: format!("https://lba.test/{kind}/p{i}"),
                kind: (*kind).to_owned(),
            })
            .collect(),
    }
}

async fn rows<T>(store: &Store, sql: &str) -> Vec<T>
where
    T: Send + Unpin,
    for<'r> T:
        sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
    }
}

#[tokio::test]
async fn batches_larger_than_one_statement_mixing_new_and_stored_messages() {
    const PEOPLE: usize = 1_300;
    for db in TestDb::all().await {
        let store = &db.store;
        fixtures(store, PEOPLE).await;
        // First run: every e-mail (1,300 rows: more than one statement).
        let first: Vec<NewMessage> = (0..PEOPLE).map(|i| message(i, "email", "first")).collect();
        let new = store
            .insert_messages(&first, t(9, 0), t(8, 0))
            .await
            .unwrap();
        assert_eq!(new, PEOPLE as u64, "{:?}", db.backend());

        // Second run, in reverse order, mixing the stored e-mails with new
        // SMS, one new message repeated (counted once).
        let mut second: Vec<NewMessage> = Vec::new();
        for i in (0..PEOPLE).rev() {
            second.push(message(i, "email", "second"));
            if i % 2 == 0 {
                second.push(message(i, "sms", "second"));
            }
        }
        second.push(message(0, "sms", "duplicate"));
        let new = store
            .insert_messages(&second, t(10, 0), t(8, 30))
            .await
            .unwrap();
        assert_eq!(new, (PEOPLE / 2) as u64);

        let messages = store.campaign_messages("c1").await.unwrap();
        assert_eq!(messages.len(), PEOPLE + PEOPLE / 2);
        let by_id: HashMap<i64, _> = messages.iter().map(|m| (m.id, m)).collect();
        for m in &messages {
            // Stored messages are left untouched by the re-run.
            let expected = if m.channel == "email" {
                "first"
            } else {
                "second"
            };
            assert_eq!(m.body_text, expected, "{} {}", m.person_id, m.channel);
            assert_eq!(m.status, "pending");
        }

        // Every link points at the message it was rendered for.
        let links: Vec<(String, i64, String)> =
            rows(store, "SELECT code, message_id, target FROM campaign_links").await;
        assert_eq!(links.len(), 2 * messages.len());
        for (code, message_id, target) in &links {
            let m = by_id[message_id];
            assert!(
                code.starts_with(&format!("{}-{}-", m.person_id, m.channel)),
                "{code}"
            );
            assert!(target.ends_with(&format!("/{}", m.person_id)), "{target}");
        }

        // One job per message, with its id, key, payload and due time.
        let jobs: Vec<(String, String, String, String, i64)> = rows(
            store,
            "SELECT id, payload, subject, dedupe_key, next_attempt_at FROM outbox \
             WHERE kind = 'campaign_message'",
        )
        .await;
        assert_eq!(jobs.len(), messages.len());
        let jobs: HashMap<String, _> = jobs.into_iter().map(|j| (j.3.clone(), j)).collect();
        for m in &messages {
            let (id, payload, subject, _, due) = &jobs[&job_dedupe_key(m.id)];
            assert_eq!(id, &format!("cm-{}", m.id));
            assert_eq!(payload, &format!(r#"{{"message":{}}}"#, m.id));
            assert_eq!(subject, "c1");
            let run = if m.channel == "email" {
                t(9, 0)
            } else {
                t(10, 0)
            };
            assert_eq!(*due, run.timestamp_millis());
        }
        db.cleanup().await;
    }
}
