//! Campaign delivery rows: messages, links and their outbox jobs written in
//! one transaction, idempotently; on both backends.

use chrono::{DateTime, TimeZone, Utc};
use lba_store::Store;
use lba_store::campaign_delivery::{NewLink, NewMessage, job_dedupe_key};
use lba_store::testing::TestDb;

pub(crate) fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 6, h, m, 0).unwrap()
}

/// Runs raw SQL (fixtures owned by other modules: campaigns, people).
pub(crate) async fn exec(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(pool) => {
            sqlx::raw_sql(sql).execute(pool).await.unwrap();
        }
        Store::Postgres(pool) => {
            sqlx::raw_sql(sql).execute(pool).await.unwrap();
        }
    }
}

/// A launched campaign `c1` and people `p1`, `p2`.
pub(crate) async fn fixtures(store: &Store) {
    exec(
        store,
        "INSERT INTO campaigns (id, name, status, spec, created_at, updated_at) VALUES \
         ('c1', 'Rentrée', 'launched', '{}', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z'); \
         INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
         apprenticeship_only, updated_at) VALUES \
         ('p1', 'parcoursup', '1', 'Léa', 'Martin', TRUE, '2026-10-01T00:00:00Z'), \
         ('p2', 'parcoursup', '2', 'Tom', 'Durand', TRUE, '2026-10-01T00:00:00Z');",
    )
    .await;
}

pub(crate) fn message(person: &str, channel: &str, code: &str) -> NewMessage {
    let email = channel == "email";
    NewMessage {
        campaign_id: "c1".into(),
        person_id: person.into(),
        channel: channel.into(),
        recipient_kind: "young".into(),
        arm: "a".into(),
        recipient: if email {
            format!("{person}@exemple.fr")
        } else {
            "+33612345678".into()
        },
        subject: email.then(|| "Bonjour".to_owned()),
        body_text: "Texte https://lba.test/c/".to_owned() + code,
        body_html: email.then(|| "<p>Texte</p>".to_owned()),
        links: vec![NewLink {
            code: code.into(),
            target: "https://lba.test/recherche?romes=C1206".into(),
            kind: "recherche".into(),
        }],
    }
}

#[tokio::test]
async fn messages_links_and_jobs_are_inserted_once() {
    for db in TestDb::all().await {
        let store = &db.store;
        fixtures(store).await;
        let batch = vec![
            message("p1", "email", "code1"),
            message("p1", "sms", "code2"),
            message("p2", "email", "code3"),
        ];
        let new = store
            .insert_messages(&batch, t(9, 0), t(8, 0))
            .await
            .unwrap();
        assert_eq!(new, 3, "{:?}", db.backend());
        // A re-run (crash during launch) plus one new message.
        let mut again = batch.clone();
        again.push(message("p2", "sms", "code4"));
        let new = store
            .insert_messages(&again, t(9, 0), t(8, 30))
            .await
            .unwrap();
        assert_eq!(new, 1);

        let jobs = store.jobs_about("c1").await.unwrap();
        assert_eq!(jobs.len(), 4);
        for job in &jobs {
            assert_eq!(job.kind, "campaign_message");
            assert_eq!(job.status, "pending");
            assert_eq!(job.next_attempt_at, t(9, 0).timestamp_millis());
            assert!(job.dedupe_key.starts_with("campaign_message:"));
        }
        let count: i64 = match store {
            Store::Sqlite(pool) => sqlx::query_scalar("SELECT COUNT(*) FROM campaign_messages")
                .fetch_one(pool)
                .await
                .unwrap(),
            Store::Postgres(pool) => sqlx::query_scalar("SELECT COUNT(*) FROM campaign_messages")
                .fetch_one(pool)
                .await
                .unwrap(),
        };
        assert_eq!(count, 4);
        let links: i64 = match store {
            Store::Sqlite(pool) => sqlx::query_scalar("SELECT COUNT(*) FROM campaign_links")
                .fetch_one(pool)
                .await
                .unwrap(),
            Store::Postgres(pool) => sqlx::query_scalar("SELECT COUNT(*) FROM campaign_links")
                .fetch_one(pool)
                .await
                .unwrap(),
        };
        assert_eq!(links, 4);
        // The payload names the message the job is about.
        let payload: String = match store {
            Store::Sqlite(pool) => {
                sqlx::query_scalar("SELECT payload FROM outbox WHERE dedupe_key = $1")
                    .bind(job_dedupe_key(1))
                    .fetch_one(pool)
                    .await
                    .unwrap()
            }
            Store::Postgres(pool) => {
                sqlx::query_scalar("SELECT payload FROM outbox WHERE dedupe_key = $1")
                    .bind(job_dedupe_key(1))
                    .fetch_one(pool)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(payload, r#"{"message":1}"#);
        db.cleanup().await;
    }
}
