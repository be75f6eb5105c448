//! The worker with several sends in flight: each job keeps its own outcome
//! (sent, retried, failed), nothing leaves twice, the campaign's rate and
//! the frequency cap hold exactly, the automatic pause still stops the
//! campaign; against a real SMTP server (aiosmtpd) and a local SMS gateway,
//! on both backends.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use lba_notify::{Mailer, Worker, WorkerConfig};
use lba_store::Store;
use lba_store::campaigns::CampaignStatus;
use lba_store::testing::TestDb;

use crate::campaign::{campaign, email, open, people, resume, sms, status};
use crate::sms_gateway::Gateway;
use crate::support::{
    SmtpServer, free_port, smtp_available, smtp_mailer, store_application, worker_config,
};

/// A worker doing `concurrency` jobs at a time out of batches of `batch`.
fn concurrent(store: &Store, mailer: Mailer, id: &str, batch: i64, concurrency: usize) -> Worker {
    Worker::new(
        store.clone(),
        mailer,
        WorkerConfig {
            batch,
            concurrency,
            ..worker_config(id, None)
        },
    )
}

/// The Message-ID header of a received message.
fn message_id(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn each_job_keeps_its_outcome_and_nothing_leaves_twice() {
    if !smtp_available() {
        return;
    }
    let gateway = Gateway::start().await;
    for db in TestDb::all().await {
        let store = &db.store;
        let server = SmtpServer::start(free_port(), None);
        people(store, 18).await;
        campaign(store, "c1", 1000, 1000, 5, false).await;
        let now = open();
        // p0…p11 fine (e-mail, and an SMS for the first six), p12…p14
        // busy (451, temporary), p15…p17 refused (550, permanent).
        let mut batch = Vec::new();
        for i in 0..18 {
            let local = match i {
                0..12 => format!("ok{i}"),
                12..15 => format!("busy{i}"),
                _ => format!("refuse{i}"),
            };
            batch.push(email(
                "c1",
                &format!("p{i}"),
                &format!("{local}@exemple.fr"),
            ));
            if i < 6 {
                batch.push(sms("c1", &format!("p{i}"), &format!("+3361234560{i}")));
            }
        }
        store.insert_messages(&batch, now, now).await.unwrap();
        // Two applications: one delivered, one refused by the server.
        store_application(store, "app-ok", "recrutement@ok.fr", "cand1@ok.fr", now).await;
        store_application(store, "app-ko", "refuse@ko.fr", "cand2@ok.fr", now).await;
        let before = gateway.requests().len();
        let w = concurrent(store, smtp_mailer(server.port), "w1", 50, 8)
            .with_sms(Some(gateway.client()));

        let round = w.run_once(now).await.unwrap();
        assert_eq!(round.claimed, 26, "{:?}", db.backend());
        assert_eq!(
            (round.sent, round.retried, round.failed, round.deferred),
            (12 + 6 + 1, 3, 3 + 1, 0),
            "{:?} {round:?}",
            db.backend()
        );
        let statuses = status(store, "c1").await;
        let messages = store.campaign_messages("c1").await.unwrap();
        for (m, s) in messages.iter().zip(&statuses) {
            let expected = if m.recipient.starts_with("busy") {
                "pending"
            } else if m.recipient.starts_with("refuse") {
                "failed"
            } else {
                "sent"
            };
            assert_eq!(
                (m.recipient.as_str(), s.as_str()),
                (m.recipient.as_str(), expected)
            );
            assert_eq!(m.attempts, 1, "{}", m.recipient);
        }
        assert_eq!(
            store.application("app-ok").await.unwrap().unwrap().status,
            "delivered"
        );
        assert_eq!(
            store.application("app-ko").await.unwrap().unwrap().status,
            "failed"
        );

        // Next rounds: the confirmation and the failure notice now, the
        // busy ones after each back-off until they fail for good.
        let round = w.run_once(now).await.unwrap();
        assert_eq!((round.claimed, round.sent), (2, 2), "{round:?}");
        let mut at = now;
        for attempt in 2..=3 {
            at += TimeDelta::minutes(10);
            let round = w.run_once(at).await.unwrap();
            assert_eq!(round.claimed, 3, "attempt {attempt}: {round:?}");
        }
        assert_eq!(
            w.run_once(at + TimeDelta::days(1)).await.unwrap().claimed,
            0
        );
        for m in store.campaign_messages("c1").await.unwrap() {
            if m.recipient.starts_with("busy") {
                assert_eq!((m.status.as_str(), m.attempts), ("failed", 3));
            }
        }

        // What the server and the gateway got: each message once.
        let received = server.messages();
        assert_eq!(received.len(), 12 + 1 + 2, "{:?}", db.backend());
        let ids: HashSet<String> = received.iter().map(|m| message_id(m)).collect();
        assert_eq!(ids.len(), received.len(), "a Message-ID twice");
        for i in 0..12 {
            assert_eq!(server.messages_to(&format!("ok{i}@exemple.fr")).len(), 1);
        }
        assert_eq!(gateway.requests().len(), before + 6);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_rate_holds_with_sends_in_flight_and_two_workers() {
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 20).await;
        campaign(store, "c1", 3, 5, 5, false).await;
        let now = open();
        let batch: Vec<_> = (0..20)
            .map(|i| email("c1", &format!("p{i}"), &format!("p{i}@exemple.fr")))
            .collect();
        store.insert_messages(&batch, now, now).await.unwrap();
        let w1 = concurrent(store, Mailer::file(tmp.path()), "w1", 8, 8);
        let w2 = concurrent(store, Mailer::file(tmp.path()), "w2", 8, 8);
        let mut second = now;
        let mut left = 20;
        while left > 0 {
            // Both workers at once, twice in the same second.
            let (a, b) = tokio::join!(w1.run_once(second), w2.run_once(second));
            let (a, b) = (a.unwrap(), b.unwrap());
            let later = second + TimeDelta::milliseconds(600);
            let (c, d) = tokio::join!(w1.run_once(later), w2.run_once(later));
            let sent = a.sent + b.sent + c.unwrap().sent + d.unwrap().sent;
            assert_eq!(sent, left.min(3), "{:?} at {second}", db.backend());
            left -= sent;
            second += TimeDelta::seconds(1);
        }
        // Per second of `sending_at`: 3, 3, …, 2.
        let mut per_second: BTreeMap<DateTime<Utc>, usize> = BTreeMap::new();
        for m in store.campaign_messages("c1").await.unwrap() {
            assert_eq!((m.status.as_str(), m.attempts), ("sent", 1));
            let at = m.sent_at.unwrap();
            *per_second
                .entry(at.duration_trunc(TimeDelta::seconds(1)).unwrap())
                .or_default() += 1;
        }
        let counts: Vec<usize> = per_second.into_values().collect();
        assert_eq!(counts, [3, 3, 3, 3, 3, 3, 2]);
        let files = std::fs::read_dir(tmp.path()).unwrap().count();
        assert_eq!(files, 20, "one .eml per message");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_cap_holds_for_two_campaigns_in_one_round() {
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 4).await;
        // One campaign per person per 7 days.
        campaign(store, "c1", 100, 5, 1, false).await;
        campaign(store, "c2", 100, 5, 1, false).await;
        let now = open();
        for c in ["c1", "c2"] {
            let batch: Vec<_> = (0..4)
                .map(|i| email(c, &format!("p{i}"), &format!("p{i}@exemple.fr")))
                .collect();
            store.insert_messages(&batch, now, now).await.unwrap();
        }
        let w = concurrent(store, Mailer::file(tmp.path()), "w1", 20, 8);
        let round = w.run_once(now).await.unwrap();
        assert_eq!(
            (round.sent, round.skipped),
            (4, 4),
            "{:?} {round:?}",
            db.backend()
        );
        let mut all = status(store, "c1").await;
        all.extend(status(store, "c2").await);
        for i in 0..4 {
            let person = [all[i].as_str(), all[i + 4].as_str()];
            assert!(
                person == ["sent", "skipped"] || person == ["skipped", "sent"],
                "p{i}: {person:?}"
            );
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_automatic_pause_stops_the_sends_not_yet_started() {
    let gateway = Gateway::start().await;
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 12).await;
        campaign(store, "c1", 100, 2, 5, false).await;
        let now = open();
        let batch: Vec<_> = (0..12)
            .map(|i| sms("c1", &format!("p{i}"), &format!("+336123456{i:02}")))
            .collect();
        store.insert_messages(&batch, now, now).await.unwrap();
        let before = gateway.requests().len();
        gateway.fail_next(100, 503);
        let w = concurrent(store, Mailer::file(tmp.path()), "w1", 12, 4)
            .with_sms(Some(gateway.client()));
        let round = w.run_once(now).await.unwrap();
        // At most the two errors of the rule and the three other sends
        // already in flight; everything else waits.
        assert!(
            (2..=5).contains(&round.retried),
            "{:?} {round:?}",
            db.backend()
        );
        assert_eq!(round.retried + round.deferred, 12, "{round:?}");
        let c = store.campaign("c1").await.unwrap().unwrap();
        assert_eq!(c.status, CampaignStatus::Paused);
        assert!(
            c.pause_reason
                .as_deref()
                .unwrap()
                .starts_with("Pause automatique : "),
            "{:?}",
            c.pause_reason
        );
        // Back up: each message leaves once.
        gateway.fail_next(0, 503);
        let later = now + TimeDelta::hours(1);
        resume(store, "c1", later).await;
        let round = w.run_once(later).await.unwrap();
        assert_eq!(round.sent, 12, "{round:?}");
        assert_eq!(status(store, "c1").await, ["sent"; 12]);
        assert_eq!(gateway.requests().len(), before + 12);
        db.cleanup().await;
    }
}
