//! Campaign messages through the outbox worker, with a fixed `now`: SMS
//! window and public holidays, suppression, frequency cap, pause/resume,
//! automatic pause after consecutive errors, throttling, crash
//! idempotency, the List-Unsubscribe headers; against a real SMTP server
//! (aiosmtpd) and a local HTTP SMS gateway; on both backends.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use lba_notify::{Mailer, Worker, WorkerConfig};
use lba_store::Store;
use lba_store::campaign_delivery::{NewMessage, SuppressionReason, job_dedupe_key};
use lba_store::campaigns::CampaignStatus;
use lba_store::testing::TestDb;

use crate::sms_gateway::{API_KEY, Gateway};
use crate::support::{SmtpServer, free_port, smtp_available, smtp_mailer, worker, worker_config};

/// Paris local time.
pub(crate) fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

/// Tuesday 6 October 2026, 10:00 in Paris: any channel may leave.
pub(crate) fn open() -> DateTime<Utc> {
    paris(2026, 10, 6, 10, 0)
}

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

/// People `p0`…`p{n-1}`.
pub(crate) async fn people(store: &Store, n: usize) {
    for i in 0..n {
        exec(
            store,
            &format!(
                "INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
                 apprenticeship_only, updated_at) VALUES ('p{i}', 'parcoursup', '{i}', 'Léa', \
                 'Martin', TRUE, '2026-10-01T00:00:00Z')"
            ),
        )
        .await;
    }
}

/// A launched campaign `id` with these sending settings and cap.
pub(crate) async fn campaign(
    store: &Store,
    id: &str,
    rate: u32,
    max_errors: u32,
    cap: u32,
    august: bool,
) {
    let spec = serde_json::json!({
        "name": "Rentrée",
        "channels": ["email", "sms"],
        "audience": "young",
        "arms": [
            {"name": "controle", "share": 20, "control": true},
            {"name": "a", "share": 80}
        ],
        "sending": {"rate_per_second": rate, "max_consecutive_errors": max_errors,
                    "august_blackout": august},
        "cap": {"max_messages": cap, "window_days": 7}
    });
    let arms = vec![
        ("controle".to_owned(), 20, true),
        ("a".to_owned(), 80, false),
    ];
    store
        .create_campaign(
            id,
            "Rentrée",
            &spec.to_string(),
            &arms,
            open() - TimeDelta::days(1),
        )
        .await
        .unwrap();
    assert!(
        store
            .set_campaign_status(
                id,
                &[CampaignStatus::Draft],
                CampaignStatus::Launched,
                None,
                open() - TimeDelta::days(1)
            )
            .await
            .unwrap()
    );
}

pub(crate) fn email(campaign: &str, person: &str, to: &str) -> NewMessage {
    NewMessage {
        campaign_id: campaign.into(),
        person_id: person.into(),
        channel: "email".into(),
        recipient_kind: "young".into(),
        arm: "a".into(),
        recipient: to.into(),
        subject: Some("Trouvez votre entreprise".into()),
        body_text: "Bonjour Léa, des entreprises recrutent près de chez vous.".into(),
        body_html: Some("<html><body><p>Bonjour Léa</p></body></html>".into()),
        links: Vec::new(),
    }
}

pub(crate) fn sms(campaign: &str, person: &str, to: &str) -> NewMessage {
    NewMessage {
        campaign_id: campaign.into(),
        person_id: person.into(),
        channel: "sms".into(),
        recipient_kind: "young".into(),
        arm: "a".into(),
        recipient: to.into(),
        subject: None,
        body_text: "Des entreprises recrutent près de chez vous. STOP au 36111".into(),
        body_html: None,
        links: Vec::new(),
    }
}

pub(crate) async fn status(store: &Store, campaign: &str) -> Vec<String> {
    store
        .campaign_messages(campaign)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.status)
        .collect()
}

fn file_worker(store: &Store, dir: &std::path::Path, gateway: Option<&Gateway>) -> Worker {
    worker(store, Mailer::file(dir), "w1", None).with_sms(gateway.map(Gateway::client))
}

#[tokio::test]
async fn sms_leave_only_in_the_window_and_never_on_holidays() {
    let gateway = Gateway::start().await;
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 1).await;
        campaign(store, "c1", 10, 5, 5, false).await;
        store
            .insert_messages(&[sms("c1", "p0", "+33612345678")], open(), open())
            .await
            .unwrap();
        let key = job_dedupe_key(store.campaign_messages("c1").await.unwrap()[0].id);
        let w = file_worker(store, tmp.path(), Some(&gateway));
        let before = gateway.requests().len();
        // (now, next opening): Sunday, 1 May (a Friday), Easter Monday,
        // 23:00 on a Tuesday, 07:00 on a Saturday.
        let cases = [
            (paris(2026, 3, 8, 10, 0), paris(2026, 3, 9, 8, 0)),
            (paris(2026, 5, 1, 10, 0), paris(2026, 5, 2, 8, 0)),
            (paris(2026, 4, 6, 12, 0), paris(2026, 4, 7, 8, 0)),
            (paris(2026, 10, 6, 23, 0), paris(2026, 10, 7, 8, 0)),
            (paris(2026, 10, 10, 7, 0), paris(2026, 10, 10, 8, 0)),
        ];
        for (now, next) in cases {
            assert!(
                store
                    .reschedule_job(&key, now.timestamp_millis())
                    .await
                    .unwrap()
            );
            let round = w.run_once(now).await.unwrap();
            assert_eq!((round.claimed, round.deferred), (1, 1), "{now}");
            let job = store.job(&key).await.unwrap().unwrap();
            assert_eq!(job.next_attempt_at, next.timestamp_millis(), "{now}");
            assert_eq!((job.status.as_str(), job.attempts), ("pending", 0));
        }
        assert_eq!(
            gateway.requests().len(),
            before,
            "nothing sent outside the window"
        );
        // The window opens: sent once, with the gateway's id.
        let now = paris(2026, 10, 10, 8, 0);
        assert_eq!(w.run_once(now).await.unwrap().sent, 1);
        let requests = gateway.requests();
        assert_eq!(requests.len(), before + 1);
        let last = &requests[before];
        assert_eq!(last.api_key, API_KEY);
        assert_eq!(last.body["recipient"], "33612345678");
        assert_eq!(last.body["sender"], "LBA");
        assert_eq!(last.body["type"], "marketing");
        assert_eq!(last.body["tag"], "c1");
        assert!(
            last.body["content"]
                .as_str()
                .unwrap()
                .ends_with("STOP au 36111")
        );
        let m = &store.campaign_messages("c1").await.unwrap()[0];
        assert_eq!(m.status, "sent");
        assert_eq!(
            m.provider_id.as_deref(),
            Some(requests.len().to_string().as_str())
        );
        assert_eq!(store.job(&key).await.unwrap().unwrap().status, "sent");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn august_blackout_holds_emails_too_and_sms_wait_for_a_gateway() {
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 2).await;
        campaign(store, "c1", 10, 5, 5, true).await;
        let august = paris(2026, 8, 4, 10, 0);
        store
            .insert_messages(
                &[
                    email("c1", "p0", "lea@exemple.fr"),
                    sms("c1", "p1", "+33612345678"),
                ],
                august,
                august,
            )
            .await
            .unwrap();
        let w = file_worker(store, tmp.path(), None);
        let round = w.run_once(august).await.unwrap();
        assert_eq!(round.deferred, 2);
        for job in store.jobs_about("c1").await.unwrap() {
            assert_eq!(
                job.next_attempt_at,
                paris(
                    2026,
                    9,
                    1,
                    if job.dedupe_key.ends_with(":1") { 0 } else { 8 },
                    0
                )
                .timestamp_millis()
            );
        }
        // September: the email leaves; without a gateway the SMS waits.
        let now = paris(2026, 9, 1, 8, 0);
        let round = w.run_once(now).await.unwrap();
        assert_eq!((round.sent, round.deferred), (1, 1));
        assert_eq!(status(store, "c1").await, ["sent", "pending"]);
        let sms_job = store.job(&job_dedupe_key(2)).await.unwrap().unwrap();
        assert_eq!(sms_job.status, "pending");
        assert!(sms_job.next_attempt_at > now.timestamp_millis());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn suppressed_contacts_and_capped_people_get_nothing() {
    let gateway = Gateway::start().await;
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 2).await;
        // Cap: one campaign per person per 7 days.
        campaign(store, "c1", 10, 5, 1, false).await;
        campaign(store, "c2", 10, 5, 1, false).await;
        let now = open();
        store
            .suppress("email", "Stop@Exemple.fr", SuppressionReason::OptOut, now)
            .await
            .unwrap();
        store
            .suppress("sms", "+33699999999", SuppressionReason::Stop, now)
            .await
            .unwrap();
        store
            .insert_messages(
                &[
                    email("c1", "p0", "stop@exemple.fr"),
                    sms("c1", "p0", "+33699999999"),
                    email("c1", "p1", "tom@exemple.fr"),
                    sms("c1", "p1", "+33611111111"),
                ],
                now,
                now,
            )
            .await
            .unwrap();
        let w = file_worker(store, tmp.path(), Some(&gateway));
        let round = w.run_once(now).await.unwrap();
        assert_eq!((round.sent, round.skipped), (2, 2));
        assert_eq!(
            status(store, "c1").await,
            ["suppressed", "suppressed", "sent", "sent"]
        );
        // c2 the next day: p1 was reached by c1 (email and SMS count once).
        let later = now + TimeDelta::days(1);
        store
            .insert_messages(&[email("c2", "p1", "tom@exemple.fr")], later, later)
            .await
            .unwrap();
        let round = w.run_once(later).await.unwrap();
        assert_eq!((round.sent, round.skipped), (0, 1));
        assert_eq!(status(store, "c2").await, ["skipped"]);
        let m = &store.campaign_messages("c2").await.unwrap()[0];
        assert!(m.last_error.as_deref().unwrap().contains("plafond"));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn paused_campaigns_wait_and_resume_done_campaigns_skip() {
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 2).await;
        campaign(store, "c1", 10, 5, 5, false).await;
        let now = open();
        store
            .insert_messages(&[email("c1", "p0", "lea@exemple.fr")], now, now)
            .await
            .unwrap();
        store
            .set_campaign_status(
                "c1",
                &[CampaignStatus::Launched],
                CampaignStatus::Paused,
                Some("test"),
                now,
            )
            .await
            .unwrap();
        let w = file_worker(store, tmp.path(), None);
        let round = w.run_once(now).await.unwrap();
        assert_eq!((round.claimed, round.deferred, round.sent), (1, 1, 0));
        let job = store.job(&job_dedupe_key(1)).await.unwrap().unwrap();
        assert_eq!((job.status.as_str(), job.attempts), ("pending", 0));
        assert_eq!(
            job.next_attempt_at,
            (now + lba_notify::campaign::PAUSED_RECHECK).timestamp_millis()
        );
        assert_eq!(status(store, "c1").await, ["pending"]);
        // Resume: status back and pending jobs due now.
        let later = now + TimeDelta::minutes(2);
        resume(store, "c1", later).await;
        assert_eq!(w.run_once(later).await.unwrap().sent, 1);
        assert_eq!(status(store, "c1").await, ["sent"]);
        // Done: what is left is skipped.
        store
            .insert_messages(&[email("c1", "p1", "tom@exemple.fr")], later, later)
            .await
            .unwrap();
        store
            .set_campaign_status(
                "c1",
                &[CampaignStatus::Launched],
                CampaignStatus::Done,
                None,
                later,
            )
            .await
            .unwrap();
        assert_eq!(w.run_once(later).await.unwrap().skipped, 1);
        assert_eq!(status(store, "c1").await, ["sent", "skipped"]);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn consecutive_errors_pause_the_campaign_and_success_resets_them() {
    let gateway = Gateway::start().await;
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 4).await;
        campaign(store, "c1", 10, 2, 5, false).await;
        let now = open();
        let batch: Vec<NewMessage> = (0..4)
            .map(|i| sms("c1", &format!("p{i}"), &format!("+3361234567{i}")))
            .collect();
        store.insert_messages(&batch, now, now).await.unwrap();
        let before = gateway.requests().len();
        gateway.fail_next(100, 503);
        // One at a time: the exact count (with sends in flight, those
        // already started finish after the pause: `concurrency.rs`).
        let w = Worker::new(
            store.clone(),
            Mailer::file(tmp.path()),
            WorkerConfig {
                concurrency: 1,
                ..worker_config("w1", None)
            },
        )
        .with_sms(Some(gateway.client()));
        let round = w.run_once(now).await.unwrap();
        // Two errors, then the campaign is paused: the others wait.
        assert_eq!((round.retried, round.deferred), (2, 2), "{round:?}");
        let c = store.campaign("c1").await.unwrap().unwrap();
        assert_eq!(c.status, CampaignStatus::Paused);
        assert!(
            c.pause_reason
                .as_deref()
                .unwrap()
                .starts_with("Pause automatique : 2 erreurs"),
            "{:?}",
            c.pause_reason
        );
        assert!(!c.pause_reason.unwrap().contains("3361234567"));
        let m = &store.campaign_messages("c1").await.unwrap()[0];
        assert_eq!(m.status, "pending");
        assert!(m.last_error.as_deref().unwrap().contains("HTTP 503"));
        // The gateway is back; resume.
        gateway.fail_next(0, 503);
        let later = now + TimeDelta::hours(1);
        resume(store, "c1", later).await;
        assert_eq!(w.run_once(later).await.unwrap().sent, 4);
        assert_eq!(gateway.requests().len(), before + 4);
        assert_eq!(
            store
                .campaign("c1")
                .await
                .unwrap()
                .unwrap()
                .consecutive_errors,
            0
        );
        // A refused number (400) fails for good, without a retry.
        people_extra(store).await;
        store
            .insert_messages(&[sms("c1", "px", "+33600000000")], later, later)
            .await
            .unwrap();
        gateway.fail_next(1, 400);
        assert_eq!(w.run_once(later).await.unwrap().failed, 1);
        assert_eq!(status(store, "c1").await.last().unwrap(), "failed");
        db.cleanup().await;
    }
}

async fn people_extra(store: &Store) {
    exec(
        store,
        "INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
         apprenticeship_only, updated_at) VALUES ('px', 'parcoursup', 'x', 'A', 'B', TRUE, \
         '2026-10-01T00:00:00Z')",
    )
    .await;
}

#[tokio::test]
async fn the_throttle_sends_rate_per_second() {
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 5).await;
        campaign(store, "c1", 2, 5, 5, false).await;
        let now = open();
        let batch: Vec<NewMessage> = (0..5)
            .map(|i| email("c1", &format!("p{i}"), &format!("p{i}@exemple.fr")))
            .collect();
        store.insert_messages(&batch, now, now).await.unwrap();
        let w = file_worker(store, tmp.path(), None);
        let round = w.run_once(now).await.unwrap();
        assert_eq!((round.sent, round.deferred), (2, 3));
        let next = now + TimeDelta::seconds(1);
        for job in store.jobs_about("c1").await.unwrap() {
            if job.status == "pending" {
                assert_eq!(job.next_attempt_at, next.timestamp_millis());
            }
        }
        // Still the same second: nothing more.
        let round = w
            .run_once(now + TimeDelta::milliseconds(500))
            .await
            .unwrap();
        assert_eq!(round.claimed, 0);
        assert_eq!(w.run_once(next).await.unwrap().sent, 2);
        assert_eq!(
            w.run_once(next + TimeDelta::seconds(1)).await.unwrap().sent,
            1
        );
        assert_eq!(status(store, "c1").await, ["sent"; 5]);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_crash_neither_loses_nor_duplicates_and_emails_carry_list_unsubscribe() {
    if !smtp_available() {
        return;
    }
    let gateway = Gateway::start().await;
    for db in TestDb::all().await {
        let store = &db.store;
        let server = SmtpServer::start(free_port(), None);
        people(store, 1).await;
        campaign(store, "c1", 10, 5, 5, false).await;
        let now = open();
        store
            .insert_messages(
                &[
                    email("c1", "p0", "lea@exemple.fr"),
                    sms("c1", "p0", "+33612345678"),
                ],
                now,
                now,
            )
            .await
            .unwrap();
        let before = gateway.requests().len();
        // A worker claims both jobs and dies before sending.
        let dead =
            worker(store, smtp_mailer(server.port), "dead", None).with_sms(Some(gateway.client()));
        assert_eq!(dead.claim(now).await.unwrap().len(), 2);
        drop(dead);
        let w =
            worker(store, smtp_mailer(server.port), "w2", None).with_sms(Some(gateway.client()));
        // The lease (5 minutes) holds.
        assert_eq!(
            w.run_once(now + TimeDelta::minutes(1))
                .await
                .unwrap()
                .claimed,
            0
        );
        let after = now + TimeDelta::minutes(6);
        assert_eq!(w.run_once(after).await.unwrap().sent, 2);
        assert_eq!(
            w.run_once(after + TimeDelta::hours(1))
                .await
                .unwrap()
                .claimed,
            0
        );
        assert_eq!(server.messages_to("lea@exemple.fr").len(), 1);
        assert_eq!(gateway.requests().len(), before + 1);

        let mail = &server.messages_to("lea@exemple.fr")[0];
        assert!(
            mail.contains("List-Unsubscribe: <http://lba.test/desinscription?m=1&exp="),
            "{mail}"
        );
        assert!(
            mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{mail}"
        );
        assert!(mail.contains("Message-ID: <cm-1@lba.test>"), "{mail}");
        let decoded = mail.replace("=\r\n", "").replace("=3D", "=");
        assert!(
            decoded.contains("Pour ne plus recevoir nos messages"),
            "{decoded}"
        );
        let m = &store.campaign_messages("c1").await.unwrap()[0];
        assert_eq!(m.provider_id.as_deref(), Some("cm-1@lba.test"));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_message_marked_sent_before_a_lost_ack_is_not_sent_again() {
    let gateway = Gateway::start().await;
    for db in TestDb::all().await {
        let store = &db.store;
        let tmp = tempfile::tempdir().unwrap();
        people(store, 1).await;
        campaign(store, "c1", 10, 5, 5, false).await;
        let now = open();
        store
            .insert_messages(&[sms("c1", "p0", "+33612345678")], now, now)
            .await
            .unwrap();
        let before = gateway.requests().len();
        let dead = file_worker(store, tmp.path(), Some(&gateway));
        let jobs = dead.claim(now).await.unwrap();
        assert_eq!(jobs.len(), 1);
        // It sent and marked the row, then died before the ack.
        store.mark_message_sending(1, now).await.unwrap();
        store.mark_message_sent(1, Some("gw-1"), now).await.unwrap();
        let w = file_worker(store, tmp.path(), Some(&gateway));
        let round = w.run_once(now + TimeDelta::minutes(6)).await.unwrap();
        assert_eq!((round.claimed, round.skipped, round.sent), (1, 1, 0));
        assert_eq!(gateway.requests().len(), before);
        assert_eq!(
            store.job(&job_dedupe_key(1)).await.unwrap().unwrap().status,
            "sent"
        );
        db.cleanup().await;
    }
}

/// What `lba campaign resume` does (lba_app::campaigns::resume, which this
/// crate cannot call): the campaign back to launched, its jobs due at `at`.
pub(crate) async fn resume(store: &Store, campaign: &str, at: DateTime<Utc>) {
    assert!(
        store
            .set_campaign_status(
                campaign,
                &[CampaignStatus::Paused],
                CampaignStatus::Launched,
                None,
                at,
            )
            .await
            .unwrap()
    );
    store
        .wake_campaign_jobs(campaign, at.timestamp_millis())
        .await
        .unwrap();
}
