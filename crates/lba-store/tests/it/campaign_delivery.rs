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

#[tokio::test]
async fn send_states_cap_throttle_suppressions_events_and_links() {
    use lba_store::campaign_delivery::{EventKind, SuppressionReason};
    for db in TestDb::all().await {
        let store = &db.store;
        fixtures(store).await;
        let batch = vec![
            message("p1", "email", "code1"),
            message("p1", "sms", "code2"),
            message("p2", "email", "code3"),
        ];
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
        let (m1, m2, m3) = (ids[0], ids[1], ids[2]);
        let m = store.campaign_message(m1).await.unwrap().unwrap();
        assert_eq!(
            (m.person_id.as_str(), m.channel.as_str(), m.status.as_str()),
            ("p1", "email", "pending")
        );

        // Sending → sent; finished messages do not move any more.
        assert!(store.mark_message_sending(m1, t(9, 0)).await.unwrap());
        assert_eq!(
            store
                .campaign_sends_between("c1", t(9, 0), t(9, 1))
                .await
                .unwrap(),
            1
        );
        assert!(
            store
                .mark_message_sent(m1, Some("prov-1"), t(9, 0))
                .await
                .unwrap()
        );
        assert!(!store.mark_message_sending(m1, t(9, 5)).await.unwrap());
        assert!(!store.finish_message(m1, "skipped", "x").await.unwrap());
        let m = store.campaign_message(m1).await.unwrap().unwrap();
        assert_eq!(m.status, "sent");
        assert_eq!(m.attempts, 1);
        assert_eq!(m.sent_at, Some(t(9, 0)));
        assert_eq!(
            store
                .message_by_provider_id("prov-1")
                .await
                .unwrap()
                .map(|m| m.id),
            Some(m1)
        );
        assert_eq!(
            store
                .last_message_to("email", "p1@exemple.fr")
                .await
                .unwrap()
                .map(|m| m.id),
            Some(m1)
        );

        // Retry then suppressed.
        assert!(store.mark_message_sending(m2, t(9, 1)).await.unwrap());
        assert!(
            store
                .mark_message_retry(m2, "passerelle indisponible")
                .await
                .unwrap()
        );
        let m = store.campaign_message(m2).await.unwrap().unwrap();
        assert_eq!(m.status, "pending");
        assert_eq!(m.last_error.as_deref(), Some("passerelle indisponible"));
        assert!(!store.finish_message(m2, "sent", "x").await.unwrap());
        assert!(
            store
                .finish_message(m2, "suppressed", "stop")
                .await
                .unwrap()
        );
        assert_eq!(
            store.campaign_message(m2).await.unwrap().unwrap().status,
            "suppressed"
        );

        // Frequency cap: one contact time per other campaign.
        assert_eq!(
            store
                .person_contact_times("p1", t(8, 0), "c2")
                .await
                .unwrap(),
            vec![t(9, 0)]
        );
        assert!(
            store
                .person_contact_times("p1", t(8, 0), "c1")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .person_contact_times("p1", t(9, 0), "c2")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .person_contact_times("p2", t(8, 0), "c2")
                .await
                .unwrap()
                .is_empty()
        );

        // Suppressions are per channel, case-insensitive, first reason kept.
        assert_eq!(
            store.suppression("email", "P2@exemple.fr").await.unwrap(),
            None
        );
        assert!(
            store
                .suppress("email", "P2@Exemple.fr", SuppressionReason::OptOut, t(9, 0))
                .await
                .unwrap()
        );
        assert!(
            !store
                .suppress(
                    "email",
                    "p2@exemple.fr",
                    SuppressionReason::HardBounce,
                    t(9, 0)
                )
                .await
                .unwrap()
        );
        assert_eq!(
            store
                .suppression("email", "p2@exemple.fr")
                .await
                .unwrap()
                .as_deref(),
            Some("opt_out")
        );
        assert_eq!(
            store.suppression("sms", "p2@exemple.fr").await.unwrap(),
            None
        );

        // Events and links.
        store
            .insert_message_event(m3, EventKind::Clicked, Some("recherche"), t(10, 0))
            .await
            .unwrap();
        assert_eq!(
            store.message_events(m3).await.unwrap(),
            vec![("clicked".to_owned(), Some("recherche".to_owned()))]
        );
        let link = store.campaign_link("code3").await.unwrap().unwrap();
        assert_eq!(link.message_id, m3);
        assert_eq!(link.kind, "recherche");
        assert!(store.campaign_link("nope").await.unwrap().is_none());

        // Consecutive errors.
        assert_eq!(store.record_send_error("c1").await.unwrap(), 1);
        assert_eq!(store.record_send_error("c1").await.unwrap(), 2);
        store.reset_send_errors("c1").await.unwrap();
        assert_eq!(store.record_send_error("c1").await.unwrap(), 1);

        // Pending jobs of the campaign move; a deferred claim is not an attempt.
        assert_eq!(
            store
                .reschedule_campaign_jobs("c1", t(12, 0).timestamp_millis())
                .await
                .unwrap(),
            3
        );
        // Never earlier than they were.
        assert_eq!(
            store
                .reschedule_campaign_jobs("c1", t(10, 0).timestamp_millis())
                .await
                .unwrap(),
            0
        );
        assert!(
            store
                .claim_jobs("w", t(11, 0).timestamp_millis(), 60_000, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let claimed = store
            .claim_jobs("w", t(12, 0).timestamp_millis(), 60_000, 1)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        assert!(
            store
                .defer_job(
                    &claimed[0].id,
                    "w",
                    t(13, 0).timestamp_millis(),
                    "fenêtre SMS"
                )
                .await
                .unwrap()
        );
        let state = store.job(&claimed[0].dedupe_key).await.unwrap().unwrap();
        assert_eq!((state.status.as_str(), state.attempts), ("pending", 0));
        assert_eq!(state.next_attempt_at, t(13, 0).timestamp_millis());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_last_message_to_an_address_is_found_whatever_its_case() {
    for db in TestDb::all().await {
        let store = &db.store;
        let backend = db.backend();
        fixtures(store).await;
        let mut m = message("p1", "email", "code1");
        m.recipient = "Lea.Martin@Exemple.fr".into();
        store.insert_messages(&[m], t(9, 0), t(8, 0)).await.unwrap();
        let id = store.campaign_messages("c1").await.unwrap()[0].id;
        assert!(store.mark_message_sending(id, t(9, 0)).await.unwrap());
        assert!(store.mark_message_sent(id, None, t(9, 0)).await.unwrap());
        // A bounce or complaint webhook naming only the address, in
        // whatever case the provider writes it.
        for asked in [
            "Lea.Martin@Exemple.fr",
            "lea.martin@exemple.fr",
            " LEA.MARTIN@EXEMPLE.FR ",
        ] {
            let found = store.last_message_to("email", asked).await.unwrap();
            assert_eq!(found.map(|m| m.id), Some(id), "{backend:?} {asked}");
        }
        // The stored recipient is what was sent to.
        let stored = store.campaign_message(id).await.unwrap().unwrap();
        assert_eq!(stored.recipient, "Lea.Martin@Exemple.fr", "{backend:?}");
        assert_eq!(
            store
                .last_message_to("sms", "lea.martin@exemple.fr")
                .await
                .unwrap(),
            None,
            "{backend:?}"
        );
        db.cleanup().await;
    }
}

/// The worker's one read before a send: the suppression of the address and
/// the first contact of each other campaign, as the two separate reads give.
#[tokio::test]
async fn suppression_and_contact_times_in_one_read() {
    use lba_store::campaign_delivery::SuppressionReason;
    for db in TestDb::all().await {
        let store = &db.store;
        fixtures(store).await;
        exec(
            store,
            "INSERT INTO campaigns (id, name, status, spec, created_at, updated_at) VALUES \
             ('c2', 'Deux', 'launched', '{}', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z'), \
             ('c3', 'Trois', 'launched', '{}', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z');",
        )
        .await;
        let mut batch = Vec::new();
        for (campaign, channel, code) in [
            ("c2", "email", "k1"),
            ("c2", "sms", "k2"),
            ("c3", "email", "k3"),
            ("c1", "email", "k4"),
        ] {
            let mut m = message("p1", channel, code);
            m.campaign_id = campaign.into();
            batch.push(m);
        }
        store
            .insert_messages(&batch, t(9, 0), t(8, 0))
            .await
            .unwrap();
        let mut messages = Vec::new();
        for campaign in ["c1", "c2", "c3"] {
            messages.extend(store.campaign_messages(campaign).await.unwrap());
        }
        // c3 at 9:30, c2 at 9:10 (e-mail) and 9:20 (SMS), c1 too.
        for m in &messages {
            let at = match (m.campaign_id.as_str(), m.channel.as_str()) {
                ("c3", _) => t(9, 30),
                ("c2", "email") => t(9, 10),
                ("c1", _) => t(9, 40),
                _ => t(9, 20),
            };
            assert!(store.mark_message_sent(m.id, None, at).await.unwrap());
        }
        let read = |since| async move {
            store
                .suppression_and_contact_times("email", "P1@Exemple.fr", "p1", since, "c1")
                .await
                .unwrap()
        };
        let separate = store
            .person_contact_times("p1", t(8, 0), "c1")
            .await
            .unwrap();
        assert_eq!(separate, [t(9, 10), t(9, 30)]);
        assert_eq!(read(t(8, 0)).await, (None, separate), "{:?}", db.backend());
        assert_eq!(read(t(9, 15)).await, (None, vec![t(9, 20), t(9, 30)]));
        store
            .suppress(
                "email",
                "p1@exemple.fr",
                SuppressionReason::OptOut,
                t(10, 0),
            )
            .await
            .unwrap();
        assert_eq!(
            read(t(9, 25)).await,
            (Some("opt_out".to_owned()), vec![t(9, 30)])
        );
        // Another channel's suppression does not count; no contact at all.
        assert_eq!(
            store
                .suppression_and_contact_times("sms", "p1@exemple.fr", "p2", t(8, 0), "c1")
                .await
                .unwrap(),
            (None, vec![])
        );
        db.cleanup().await;
    }
}
