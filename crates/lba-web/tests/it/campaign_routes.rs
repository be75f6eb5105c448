//! Campaign routes through the router: tracked link redirect, unsubscribe
//! page and one-click POST (and the worker then suppressing the next
//! message), the delivery webhook (secret, validation, events and
//! suppressions); on both backends.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, TimeDelta, Utc};
use http_body_util::BodyExt;
use lba_app::lba_notify::campaign::unsubscribe_url;
use lba_app::lba_notify::{EmailContext, LinkKey, Mailer, Worker, WorkerConfig};
use lba_store::Store;
use lba_store::campaign_delivery::{NewLink, NewMessage};
use lba_store::campaigns::CampaignStatus;
use lba_store::testing::TestDb;
use tower::ServiceExt;

const KEY: &[u8] = b"test key";
const SECRET: &str = "webhook-secret-for-tests";

async fn app(db: &TestDb, webhook_secret: Option<&str>) -> axum::Router {
    lba_web::router(lba_web::AppState {
        store: db.store.clone(),
        search: lba_app::Search::load(&db.store).await.unwrap(),
        apply: lba_web::ApplyState::with_key(LinkKey::new(KEY)),
        ops: lba_web::OpsState {
            webhook_secret: webhook_secret.map(str::to_owned),
            ..lba_web::OpsState::default()
        },
    })
}

async fn call(
    app: axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .oneshot(request.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn exec(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(pool) => {
            sqlx::raw_sql(sql).execute(pool).await.unwrap();
        }
        Store::Postgres(pool) => {
            sqlx::raw_sql(sql).execute(pool).await.unwrap();
        }
    }
}

async fn launched(store: &Store, id: &str, now: DateTime<Utc>) {
    let spec = serde_json::json!({
        "name": "Rentrée", "channels": ["email", "sms"], "audience": "young",
        "arms": [{"name": "controle", "share": 20, "control": true}, {"name": "a", "share": 80}]
    });
    let arms = vec![
        ("controle".to_owned(), 20, true),
        ("a".to_owned(), 80, false),
    ];
    store
        .create_campaign(id, "Rentrée", &spec.to_string(), &arms, now)
        .await
        .unwrap();
    store
        .set_campaign_status(
            id,
            &[CampaignStatus::Draft],
            CampaignStatus::Launched,
            None,
            now,
        )
        .await
        .unwrap();
}

fn message(campaign: &str, channel: &str, recipient: &str, code: Option<&str>) -> NewMessage {
    NewMessage {
        campaign_id: campaign.into(),
        person_id: "p1".into(),
        channel: channel.into(),
        recipient_kind: "young".into(),
        arm: "a".into(),
        recipient: recipient.into(),
        subject: (channel == "email").then(|| "Bonjour".to_owned()),
        body_text: "Bonjour".into(),
        body_html: None,
        links: code
            .map(|code| NewLink {
                code: code.into(),
                target: "http://127.0.0.1:8080/recherche?romes=D1102".into(),
                kind: "recherche".into(),
            })
            .into_iter()
            .collect(),
    }
}

/// Person p1, campaign c1 with an e-mail (link `AbCdEfGh12345678`) and an
/// SMS, both sent with provider ids `mail-1` and `sms-1`.
async fn fixture(store: &Store, now: DateTime<Utc>) {
    exec(
        store,
        "INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
         apprenticeship_only, updated_at) VALUES ('p1', 'parcoursup', '1', 'Léa', 'Martin', \
         TRUE, '2026-10-01T00:00:00Z')",
    )
    .await;
    launched(store, "c1", now).await;
    store
        .insert_messages(
            &[
                message("c1", "email", "lea@exemple.fr", Some("AbCdEfGh12345678")),
                message("c1", "sms", "+33612345678", None),
            ],
            now,
            now,
        )
        .await
        .unwrap();
    for (id, provider) in [(1, "mail-1"), (2, "sms-1")] {
        store.mark_message_sending(id, now).await.unwrap();
        store
            .mark_message_sent(id, Some(provider), now)
            .await
            .unwrap();
    }
}

async fn kinds(store: &Store, message: i64) -> Vec<String> {
    store
        .message_events(message)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

#[tokio::test]
async fn a_tracked_link_records_the_click_and_redirects() {
    for db in TestDb::all().await {
        let now = Utc::now();
        fixture(&db.store, now).await;
        let (status, headers, _) =
            call(app(&db, None).await, "GET", "/c/AbCdEfGh12345678", &[], "").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            headers["location"],
            "http://127.0.0.1:8080/recherche?romes=D1102"
        );
        assert_eq!(
            db.store.message_events(1).await.unwrap(),
            vec![("clicked".to_owned(), Some("recherche".to_owned()))]
        );
        for unknown in ["/c/ZZZZZZZZZZZZZZZZ", "/c/%3Cscript%3E"] {
            let (status, _, body) = call(app(&db, None).await, "GET", unknown, &[], "").await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert!(body.contains("Page non trouvée"), "{body}");
        }
        assert_eq!(kinds(&db.store, 1).await.len(), 1);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_unsubscribe_link_confirms_suppresses_and_the_worker_then_holds_messages() {
    for db in TestDb::all().await {
        let store = &db.store;
        let now = Utc::now();
        fixture(store, now).await;
        let m = store.campaign_message(1).await.unwrap().unwrap();
        let url = unsubscribe_url(&LinkKey::new(KEY), "", &m, now);
        assert!(!url.contains("lea@"));

        // The page asks for confirmation and changes nothing.
        let (status, _, body) = call(app(&db, None).await, "GET", &url, &[], "").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Confirmer la désinscription"), "{body}");
        assert_eq!(
            store.suppression("email", "lea@exemple.fr").await.unwrap(),
            None
        );

        // A modified link is refused.
        let forged = url.replace("m=1&", "m=2&");
        let (status, _, body) = call(app(&db, None).await, "POST", &forged, &[], "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("Lien de désinscription invalide"), "{body}");
        let tampered = format!("{url}x");
        let (status, _, _) = call(app(&db, None).await, "GET", &tampered, &[], "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _, _) =
            call(app(&db, None).await, "GET", "/desinscription?m=1", &[], "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            store.suppression("email", "lea@exemple.fr").await.unwrap(),
            None
        );

        // One-click POST (RFC 8058).
        let (status, _, body) = call(
            app(&db, None).await,
            "POST",
            &url,
            &[("content-type", "application/x-www-form-urlencoded")],
            "List-Unsubscribe=One-Click",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Vous êtes désinscrit"), "{body}");
        assert_eq!(
            store
                .suppression("email", "lea@exemple.fr")
                .await
                .unwrap()
                .as_deref(),
            Some("opt_out")
        );
        assert_eq!(kinds(store, 1).await, ["unsubscribed"]);

        // The next campaign's e-mail to that address is suppressed.
        launched(store, "c2", now).await;
        store
            .insert_messages(&[message("c2", "email", "lea@exemple.fr", None)], now, now)
            .await
            .unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let worker = Worker::new(
            store.clone(),
            Mailer::file(tmp.path()),
            WorkerConfig {
                worker_id: "w".into(),
                lease: TimeDelta::minutes(5),
                batch: 10,
                concurrency: 4,
                max_attempts: 3,
                backoff: TimeDelta::seconds(30),
                poll: Duration::from_millis(50),
                clamav: None,
                email: EmailContext {
                    from: "LBA <ne-pas-repondre@lba.test>".parse().unwrap(),
                    public_url: "http://lba.test".into(),
                    contact: "contact@lba.test".into(),
                },
                key: LinkKey::new(KEY),
            },
        );
        let round = worker.run_once(Utc::now()).await.unwrap();
        // c1's two jobs (their messages were sent) and c2's: nothing leaves.
        assert_eq!((round.sent, round.skipped), (0, 3), "{round:?}");
        let m = store.campaign_messages("c2").await.unwrap();
        assert_eq!(m[0].status, "suppressed");
        assert_eq!(
            std::fs::read_dir(tmp.path())
                .map(|d| d.count())
                .unwrap_or(0),
            0
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_webhook_is_protected_validated_and_records_events() {
    for db in TestDb::all().await {
        let store = &db.store;
        let now = Utc::now();
        fixture(store, now).await;
        let uri = "/api/webhooks/messages";
        let json = ("content-type", "application/json");
        let delivered = r#"{"event": "delivered", "message_id": "mail-1"}"#;

        let (status, _, body) = call(app(&db, None).await, "POST", uri, &[json], delivered).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        let (status, _, _) = call(
            app(&db, Some(SECRET)).await,
            "POST",
            uri,
            &[json],
            delivered,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let wrong = ("x-webhook-secret", "webhook-secret-for-testz");
        let (status, _, _) = call(
            app(&db, Some(SECRET)).await,
            "POST",
            uri,
            &[json, wrong],
            delivered,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(kinds(store, 1).await.is_empty());

        let auth = ("x-webhook-secret", SECRET);
        let (status, _, body) = call(
            app(&db, Some(SECRET)).await,
            "POST",
            uri,
            &[json, auth],
            "{\"event\":",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["field"],
            "body"
        );
        let (status, _, body) = call(
            app(&db, Some(SECRET)).await,
            "POST",
            uri,
            &[json, auth],
            r#"[{"event": "delivered"}, {"message_id": "x"}]"#,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["field"],
            "[1].event"
        );

        // Delivered, then a hard bounce of the e-mail, a STOP reply with
        // the number only, and an event name we do not use.
        let events = r#"[
            {"event": "delivered", "message_id": "mail-1"},
            {"event": "hard_bounce", "message_id": "mail-1"},
            {"event": "stop", "recipient": "33612345678"},
            {"event": "opened", "message_id": "mail-1"}
        ]"#;
        let (status, _, body) = call(
            app(&db, Some(SECRET)).await,
            "POST",
            uri,
            &[json, auth],
            events,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (answer["recorded"].as_u64(), answer["ignored"].as_u64()),
            (Some(3), Some(1))
        );
        assert_eq!(kinds(store, 1).await, ["delivered", "bounced"]);
        assert_eq!(kinds(store, 2).await, ["stop"]);
        assert_eq!(
            store
                .suppression("email", "lea@exemple.fr")
                .await
                .unwrap()
                .as_deref(),
            Some("hard_bounce")
        );
        assert_eq!(
            store
                .suppression("sms", "+33612345678")
                .await
                .unwrap()
                .as_deref(),
            Some("stop")
        );
        // A complaint for an address we never wrote to still suppresses it.
        let (status, _, _) = call(
            app(&db, Some(SECRET)).await,
            "POST",
            uri,
            &[json, auth],
            r#"{"event": "complaint", "recipient": "Autre@Exemple.fr"}"#,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            store
                .suppression("email", "autre@exemple.fr")
                .await
                .unwrap()
                .as_deref(),
            Some("complaint")
        );
        db.cleanup().await;
    }
}
