//! Delivery through the outbox to a real SMTP server: the recruiter's
//! email with the CV, the candidate's confirmation, a crash between claim
//! and send, an SMTP outage, a permanent refusal.

use chrono::{TimeDelta, Utc};
use lba_notify::jobs::JobKind;
use lba_store::testing::TestDb;

use crate::support::{
    PDF, SmtpServer, free_port, part_header, smtp_available, smtp_mailer, store_application, worker,
};

const RECRUITER: &str = "recrutement@boulangerie.example.fr";
const CANDIDATE: &str = "jeanne.martin@example.fr";

#[tokio::test]
async fn the_recruiter_gets_the_cv_and_the_candidate_a_confirmation() {
    if !smtp_available() {
        return;
    }
    for db in TestDb::all().await {
        let server = SmtpServer::start(free_port(), None);
        let now = Utc::now();
        store_application(&db.store, "app1", RECRUITER, CANDIDATE, now).await;
        let w = worker(&db.store, smtp_mailer(server.port), "w1", None);

        let round = w.run_once(now).await.unwrap();
        assert_eq!((round.claimed, round.sent), (1, 1), "{:?}", db.backend());
        let to_recruiter = server.messages_to(RECRUITER);
        assert_eq!(to_recruiter.len(), 1);
        let mail = &to_recruiter[0];
        assert!(
            mail.contains("Reply-To: jeanne.martin@example.fr"),
            "{mail}"
        );
        assert!(mail.contains("Candidature spontan"), "{mail}");
        // The attachment: name, type and exact bytes.
        let attachment = part_header(mail, "application/pdf").expect("a PDF part");
        assert!(
            attachment.contains("filename=\"cv_jeanne.pdf\""),
            "{attachment}"
        );
        // lettre sends this ASCII-only PDF as 7-bit text (CRLF line ends):
        // the exact bytes are in the message.
        let body = mail.replace("\r\n", "\n");
        assert!(
            body.contains(std::str::from_utf8(PDF).unwrap().trim_end()),
            "{mail}"
        );
        assert!(mail.contains("Message-ID: <"), "{mail}");
        // Both one-click links, signed (text part, quoted-printable).
        let mail = &mail.replace("=\r\n", "").replace("=3D", "=");
        assert!(mail.contains("/candidature/app1/reponse?action=interview&exp="));
        assert!(mail.contains("/candidature/app1/reponse?action=refusal&exp="));

        // Delivered: the CV is gone from the database.
        let a = db.store.application("app1").await.unwrap().unwrap();
        assert_eq!(a.status, "delivered");
        assert!(a.cv_bytes.is_none());

        // Next round: the candidate's confirmation, with the deletion link.
        let round = w.run_once(Utc::now()).await.unwrap();
        assert_eq!(round.sent, 1);
        let to_candidate = server.messages_to(CANDIDATE);
        assert_eq!(to_candidate.len(), 1);
        assert!(to_candidate[0].contains("/candidature/app1/suppression?exp="));
        // Nothing left.
        assert_eq!(w.run_once(Utc::now()).await.unwrap().claimed, 0);
        assert_eq!(server.messages().len(), 2);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_worker_killed_between_claim_and_send_loses_nothing_and_duplicates_nothing() {
    if !smtp_available() {
        return;
    }
    for db in TestDb::all().await {
        let server = SmtpServer::start(free_port(), None);
        let now = Utc::now();
        store_application(&db.store, "app2", RECRUITER, CANDIDATE, now).await;

        // Worker A claims, then dies before sending.
        let a = worker(&db.store, smtp_mailer(server.port), "worker-a", None);
        assert_eq!(a.claim(now).await.unwrap().len(), 1);
        drop(a);

        // Worker B: nothing while A's lease runs…
        let b = worker(&db.store, smtp_mailer(server.port), "worker-b", None);
        assert_eq!(
            b.run_once(now + TimeDelta::minutes(1))
                .await
                .unwrap()
                .claimed,
            0
        );
        assert!(server.messages().is_empty());
        // …then takes the job over and sends it once.
        let later = now + TimeDelta::minutes(6);
        let round = b.run_once(later).await.unwrap();
        assert_eq!((round.claimed, round.sent), (1, 1), "{:?}", db.backend());
        assert_eq!(server.messages_to(RECRUITER).len(), 1);
        // Dead A's ack cannot overwrite B's outcome.
        assert!(
            !db.store
                .ack_job(
                    &db.store
                        .job(&JobKind::RecruiterApplication.key("app2"))
                        .await
                        .unwrap()
                        .unwrap()
                        .id,
                    "worker-a",
                    later
                )
                .await
                .unwrap()
        );
        // Everything drained: one recruiter email, one confirmation.
        b.run_once(later).await.unwrap();
        assert_eq!(
            b.run_once(later + TimeDelta::hours(1))
                .await
                .unwrap()
                .claimed,
            0
        );
        assert_eq!(server.messages_to(RECRUITER).len(), 1);
        assert_eq!(server.messages_to(CANDIDATE).len(), 1);
        let job = db
            .store
            .job(&JobKind::RecruiterApplication.key("app2"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((job.status.as_str(), job.attempts), ("sent", 2));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_smtp_outage_is_retried_with_back_off() {
    if !smtp_available() {
        return;
    }
    for db in TestDb::all().await {
        let port = free_port();
        let now = Utc::now();
        store_application(&db.store, "app3", RECRUITER, CANDIDATE, now).await;
        let w = worker(&db.store, smtp_mailer(port), "w", None);

        // Server down.
        let round = w.run_once(now).await.unwrap();
        assert_eq!((round.claimed, round.retried), (1, 1));
        let key = JobKind::RecruiterApplication.key("app3");
        let job = db.store.job(&key).await.unwrap().unwrap();
        assert_eq!((job.status.as_str(), job.attempts), ("pending", 1));
        assert!(job.last_error.is_some());
        assert_eq!(
            job.next_attempt_at,
            (now + TimeDelta::seconds(30)).timestamp_millis()
        );
        // Not before the back-off.
        assert_eq!(
            w.run_once(now + TimeDelta::seconds(10))
                .await
                .unwrap()
                .claimed,
            0
        );

        // Server up: the retry goes through.
        let server = SmtpServer::start(port, None);
        let round = w.run_once(now + TimeDelta::seconds(31)).await.unwrap();
        assert_eq!(round.sent, 1, "{:?}", db.backend());
        assert_eq!(server.messages_to(RECRUITER).len(), 1);
        assert_eq!(
            db.store.application("app3").await.unwrap().unwrap().status,
            "delivered"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_permanent_refusal_fails_the_application_and_tells_the_candidate() {
    if !smtp_available() {
        return;
    }
    for db in TestDb::all().await {
        let server = SmtpServer::start(free_port(), None);
        let now = Utc::now();
        store_application(
            &db.store,
            "app4",
            "refuse@nowhere.example.fr",
            CANDIDATE,
            now,
        )
        .await;
        let w = worker(&db.store, smtp_mailer(server.port), "w", None);
        let round = w.run_once(now).await.unwrap();
        assert_eq!(round.failed, 1, "{:?}", db.backend());
        let a = db.store.application("app4").await.unwrap().unwrap();
        assert_eq!(a.status, "failed");
        assert!(a.cv_bytes.is_none());
        w.run_once(now).await.unwrap();
        let told = server.messages_to(CANDIDATE);
        assert_eq!(told.len(), 1);
        assert!(
            told[0].contains("n'a pas pu =C3=AAtre envoy") || told[0].contains("pas pu"),
            "{}",
            told[0]
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_file_mailer_writes_one_eml_per_message_and_replaces_a_duplicate() {
    for db in TestDb::all().await {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        store_application(&db.store, "app5", RECRUITER, CANDIDATE, now).await;
        let w = worker(&db.store, lba_notify::Mailer::file(dir.path()), "w", None);
        w.run_once(now).await.unwrap();
        w.run_once(now).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(files.iter().all(|f| f.extension().unwrap() == "eml"));
        db.cleanup().await;
    }
}
