//! The learning modules (`/parcours`) through the whole router, on both
//! backends, with the fixture module of lba-learning (`exemple`: 8 main
//! situations, a remediation after the wrong answer of `etape-1`).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use http_body_util::BodyExt;
use lba_app::lba_notify::LinkKey;
use lba_app::learning::Modules;
use lba_app::learning::content::Catalogue;
use lba_store::Store;
use lba_store::campaign_delivery::{NewLink, NewMessage};
use lba_store::testing::TestDb;
use tower::ServiceExt;

pub fn fixture_modules() -> Modules {
    Arc::new(
        Catalogue::load_dir(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../lba-learning/tests/fixtures/valid"
        )))
        .unwrap(),
    )
}

pub async fn app_with(db: &TestDb, modules: Modules) -> axum::Router {
    lba_web::router(lba_web::AppState {
        store: db.store.clone(),
        search: lba_app::Search::load(&db.store).await.unwrap(),
        apply: lba_web::ApplyState::with_key(LinkKey::new(b"test key")),
        ops: lba_web::OpsState {
            learning: modules,
            ..lba_web::OpsState::default()
        },
    })
}

/// A browser: keeps every cookie.
pub struct Browser {
    pub router: axum::Router,
    pub cookies: BTreeMap<String, String>,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

impl Page {
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let s = scraper::Selector::parse(selector).unwrap();
        scraper::Html::parse_document(&self.body)
            .select(&s)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn csrf(&self) -> String {
        let s = scraper::Selector::parse("input[name=csrf]").unwrap();
        scraper::Html::parse_document(&self.body)
            .select(&s)
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_else(|| panic!("no csrf field in {}", self.body))
            .to_owned()
    }
}

impl Browser {
    pub fn new(router: axum::Router) -> Self {
        Self {
            router,
            cookies: BTreeMap::new(),
        }
    }

    /// Sends `request` with `body` and the cookies kept; keeps those it sets.
    pub async fn send(&mut self, request: axum::http::request::Builder, body: Body) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let request = if cookie.is_empty() {
            request
        } else {
            request.header(header::COOKIE, cookie)
        };
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        let status = response.status();
        let text = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let location = text(header::LOCATION);
        let content_type = text(header::CONTENT_TYPE);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            location,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, uri: &str) -> Page {
        self.send(Request::get(uri), Body::empty()).await
    }

    pub async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Page {
        let body = form
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    crate::operator_auth::encode(k),
                    crate::operator_auth::encode(v)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            Body::from(body),
        )
        .await
    }

    /// Answers `answer` to the situation shown, then continues.
    pub async fn answer(&mut self, module: &str, answer: &str) -> Page {
        let page = self.get(&format!("/parcours/{module}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let situation = {
            let s = scraper::Selector::parse("input[name=situation]").unwrap();
            scraper::Html::parse_document(&page.body)
                .select(&s)
                .next()
                .and_then(|e| e.value().attr("value"))
                .unwrap_or_else(|| panic!("no situation in {}", page.body))
                .to_owned()
        };
        let csrf = page.csrf();
        let sent = self
            .post(
                &format!("/parcours/{module}/reponse"),
                &[
                    ("csrf", &csrf),
                    ("situation", &situation),
                    ("reponse", answer),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        assert_eq!(
            sent.location.as_deref(),
            Some(&*format!("/parcours/{module}#retour"))
        );
        self.get(&format!("/parcours/{module}")).await
    }

    /// "Continuer" on the feedback page.
    pub async fn next(&mut self, module: &str) -> Page {
        let page = self.get(&format!("/parcours/{module}")).await;
        let csrf = page.csrf();
        let sent = self
            .post(&format!("/parcours/{module}/continuer"), &[("csrf", &csrf)])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        self.get(&format!("/parcours/{module}")).await
    }
}

fn visitor_key(browser: &Browser) -> String {
    let cookie = &browser.cookies["lba_visiteur"];
    format!("v:{}", cookie.split('.').next().unwrap())
}

#[tokio::test]
async fn a_visitor_goes_through_a_module_with_feedback_remediation_resume_and_restart() {
    for db in TestDb::all().await {
        let store = &db.store;
        let mut browser = Browser::new(app_with(&db, fixture_modules()).await);
        let list = browser.get("/parcours").await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.texts("h2.fr-card__title"), ["Un module d'exemple"]);
        assert!(list.body.contains("Commencer"), "{}", list.body);
        assert!(browser.cookies.contains_key("lba_visiteur"));

        // The first situation: a fieldset with its legend, radio answers,
        // nothing stored yet.
        let first = browser.get("/parcours/exemple").await;
        assert_eq!(first.texts("fieldset legend").len(), 1);
        assert!(
            first
                .body
                .contains("fais-tu à l&#39;étape 1\u{202F}?</legend>"),
            "{}",
            first.body
        );
        assert_eq!(first.texts("input[type=radio]").len(), 2);
        assert_eq!(store.learning_answer_count().await.unwrap(), 0);

        // A wrong answer: its feedback, focusable, then the remediation.
        let feedback = browser.answer("exemple", "b").await;
        assert_eq!(
            feedback.texts("#retour[tabindex='-1'] h2"),
            ["Pas la meilleure réponse"]
        );
        assert!(
            feedback.body.contains("Dommage. Dis bonjour"),
            "{}",
            feedback.body
        );
        // Reload keeps the feedback (PRG).
        let again = browser.get("/parcours/exemple").await;
        assert_eq!(again.texts("#retour h2"), ["Pas la meilleure réponse"]);
        let remediation = browser.next("exemple").await;
        assert_eq!(remediation.texts("h1"), ["On reprend"]);
        assert!(remediation.body.contains("on reprend ce point"));
        let right = browser.answer("exemple", "a").await;
        assert_eq!(right.texts("#retour h2"), ["Bonne réponse"]);
        let second = browser.next("exemple").await;
        assert_eq!(second.texts("h1"), ["Étape 2"]);

        // Resume: a new request (another tab) with the same cookies.
        let list = browser.get("/parcours").await;
        assert!(list.body.contains("Reprendre"), "{}", list.body);
        let key = visitor_key(&browser);
        let progress = store
            .learning_progress(&key, "exemple")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(progress.current_situation, "etape-2");
        assert_eq!(progress.person_id, None);

        for step in 2..=8 {
            browser.answer("exemple", "a").await;
            let page = browser.next("exemple").await;
            if step < 8 {
                assert_eq!(page.texts("h1"), [format!("Étape {}", step + 1)]);
            } else {
                assert_eq!(page.texts("h1"), ["À retenir"]);
                assert_eq!(page.texts("ul.lba-retenir li").len(), 3);
                assert!(page.body.contains("href=\"/recherche\""), "{}", page.body);
                assert!(page.body.contains("bientôt"));
            }
        }
        let answers = store.learning_answers(&key, "exemple").await.unwrap();
        assert_eq!(answers.len(), 9, "{:?}", store.backend());
        assert!(answers.iter().all(|a| a.version == 1 && a.attempt == 1));
        assert_eq!(
            (
                answers[0].situation_id.as_str(),
                answers[0].answer_id.as_str()
            ),
            ("etape-1", "b")
        );
        assert!(!answers[0].correct && answers[0].first_try);
        assert_eq!(answers[1].situation_id, "etape-1-bis");
        let done = store
            .learning_progress(&key, "exemple")
            .await
            .unwrap()
            .unwrap();
        assert!(done.completed_at.is_some());
        let list = browser.get("/parcours").await;
        assert!(list.body.contains("Terminé"), "{}", list.body);

        // Restart: a new attempt from the start; old answers kept.
        let csrf = list.csrf();
        let restarted = browser
            .post("/parcours/exemple/recommencer", &[("csrf", &csrf)])
            .await;
        assert_eq!(restarted.status, StatusCode::SEE_OTHER);
        let first = browser.get("/parcours/exemple").await;
        assert_eq!(first.texts("h1"), ["Étape 1"]);
        browser.answer("exemple", "a").await;
        let answers = store.learning_answers(&key, "exemple").await.unwrap();
        assert_eq!(answers.len(), 10);
        assert_eq!(answers[9].attempt, 2);
        assert!(!answers[9].first_try);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_stores_nothing() {
    for db in TestDb::all().await {
        let store = &db.store;
        let mut browser = Browser::new(app_with(&db, fixture_modules()).await);
        let unknown = browser.get("/parcours/inconnu").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(
            unknown.body.contains("Parcours introuvable"),
            "{}",
            unknown.body
        );

        let page = browser.get("/parcours/exemple").await;
        let csrf = page.csrf();
        let post = async |browser: &mut Browser, uri: &str, situation: &str, answer: &str| {
            browser
                .post(
                    uri,
                    &[
                        ("csrf", &csrf),
                        ("situation", situation),
                        ("reponse", answer),
                    ],
                )
                .await
        };
        let refused = post(&mut browser, "/parcours/inconnu/reponse", "etape-1", "a").await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let refused = post(&mut browser, "/parcours/exemple/reponse", "etape-99", "a").await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("rien n&#39;a été enregistré"),
            "{}",
            refused.body
        );
        // "c" is no answer of etape-1.
        let refused = post(&mut browser, "/parcours/exemple/reponse", "etape-1", "c").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        // No answer chosen: the situation again with an error.
        let refused = post(&mut browser, "/parcours/exemple/reponse", "etape-1", "").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("Choisis une réponse"),
            "{}",
            refused.body
        );
        // A known situation that is not the current one: back to the module.
        let stale = post(&mut browser, "/parcours/exemple/reponse", "etape-3", "a").await;
        assert_eq!(stale.status, StatusCode::SEE_OTHER);
        assert_eq!(stale.location.as_deref(), Some("/parcours/exemple"));
        // Without the CSRF token.
        let refused = browser
            .post(
                "/parcours/exemple/reponse",
                &[("situation", "etape-1"), ("reponse", "a")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(store.learning_answer_count().await.unwrap(), 0);
        assert_eq!(store.learning_versions().await.unwrap(), vec![]);

        // A forged visitor cookie: 400, nothing stored.
        let genuine = browser.cookies["lba_visiteur"].clone();
        let (id, rest) = genuine.split_once('.').unwrap();
        let other = if id.starts_with('0') { "1" } else { "0" };
        browser
            .cookies
            .insert("lba_visiteur".into(), format!("{other}{}.{rest}", &id[1..]));
        let forged = post(&mut browser, "/parcours/exemple/reponse", "etape-1", "a").await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST, "{}", forged.body);
        assert!(forged.body.contains("Identifiant de visite invalide"));
        browser
            .cookies
            .insert("lba_visiteur".into(), "pas-un-identifiant".into());
        let forged = browser.get("/parcours").await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST);
        browser
            .cookies
            .insert("lba_suivi".into(), "1.99999999999.faux".into());
        browser.cookies.insert("lba_visiteur".into(), genuine);
        let forged = post(&mut browser, "/parcours/exemple/reponse", "etape-1", "a").await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST);
        assert_eq!(store.learning_answer_count().await.unwrap(), 0);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_new_content_version_starts_afresh_and_answers_carry_it() {
    for db in TestDb::all().await {
        let store = &db.store;
        let mut browser = Browser::new(app_with(&db, fixture_modules()).await);
        browser.answer("exemple", "a").await;
        browser.next("exemple").await;
        let key = visitor_key(&browser);

        // Version 2 online: the visitor starts again; v1 figures are kept.
        let mut module = (**fixture_modules().get("exemple").unwrap()).clone();
        module.version = 2;
        browser.router = app_with(&db, Arc::new(Catalogue::from_modules(vec![module]))).await;
        let page = browser.get("/parcours/exemple").await;
        assert_eq!(page.texts("h1"), ["Étape 1"]);
        browser.answer("exemple", "b").await;
        let answers = store.learning_answers(&key, "exemple").await.unwrap();
        assert_eq!(
            answers.iter().map(|a| a.version).collect::<Vec<_>>(),
            vec![1, 2]
        );
        // A first try again on the new version.
        assert!(answers[1].first_try);
        assert_eq!(
            store.learning_versions().await.unwrap(),
            vec![("exemple".to_owned(), 1), ("exemple".to_owned(), 2)]
        );
        db.cleanup().await;
    }
}

/// Runs raw SQL on either backend (fixtures).
pub async fn exec(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(pool) => {
            sqlx::raw_sql(sql).execute(pool).await.unwrap();
        }
        Store::Postgres(pool) => {
            sqlx::raw_sql(sql).execute(pool).await.unwrap();
        }
    }
}

/// Person p1 in campaign c1, arm `a`, with a tracked link to
/// `/parcours/exemple` (code `Parcours12345678`).
pub async fn campaign_fixture(store: &Store) {
    let now = Utc::now();
    exec(
        store,
        "INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
         apprenticeship_only, updated_at) VALUES ('p1', 'parcoursup', '1', 'Léa', 'Martin', \
         TRUE, '2026-10-01T00:00:00Z')",
    )
    .await;
    let spec = serde_json::json!({"name": "Rentrée", "channels": ["email"], "audience": "young",
        "arms": [{"name": "controle", "share": 20, "control": true}, {"name": "a", "share": 80}]});
    store
        .create_campaign(
            "c1",
            "Rentrée",
            &spec.to_string(),
            &[
                ("controle".to_owned(), 20, true),
                ("a".to_owned(), 80, false),
            ],
            now,
        )
        .await
        .unwrap();
    store
        .insert_messages(
            &[NewMessage {
                campaign_id: "c1".into(),
                person_id: "p1".into(),
                channel: "email".into(),
                recipient_kind: "young".into(),
                arm: "a".into(),
                recipient: "lea@exemple.fr".into(),
                subject: Some("Bonjour".into()),
                body_text: "Bonjour".into(),
                body_html: None,
                links: vec![NewLink {
                    code: "Parcours12345678".into(),
                    target: "http://127.0.0.1:8080/parcours/exemple".into(),
                    kind: "parcours".into(),
                }],
            }],
            now,
            now,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_tracked_link_attributes_the_progress_to_the_person_campaign_and_arm() {
    for db in TestDb::all().await {
        let store = &db.store;
        campaign_fixture(store).await;
        let mut browser = Browser::new(app_with(&db, fixture_modules()).await);
        let click = browser.get("/c/Parcours12345678").await;
        assert_eq!(click.status, StatusCode::SEE_OTHER);
        assert_eq!(
            click.location.as_deref(),
            Some("http://127.0.0.1:8080/parcours/exemple")
        );
        assert!(browser.cookies.contains_key("lba_suivi"));
        browser.answer("exemple", "a").await;
        let progress = store
            .learning_progress("p:p1", "exemple")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(progress.person_id.as_deref(), Some("p1"));
        assert_eq!(progress.campaign_id.as_deref(), Some("c1"));
        assert_eq!(progress.arm.as_deref(), Some("a"));
        let answers = store.learning_answers("p:p1", "exemple").await.unwrap();
        assert_eq!(answers[0].arm.as_deref(), Some("a"));
        let arms = lba_app::learning::by_arm(store, "c1").await.unwrap();
        assert_eq!(
            (arms[0].arm.as_str(), arms[0].starts, arms[0].completions),
            ("a", 1, 0)
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_operator_sees_statistics_per_version_and_situation_and_exports_csv() {
    for db in TestDb::all().await {
        let app = app_with(&db, fixture_modules()).await;
        // Two visitors, both stopped at etape-2: one wrong then the remediation, one right.
        let mut first = Browser::new(app.clone());
        first.answer("exemple", "b").await;
        first.next("exemple").await;
        first.answer("exemple", "a").await;
        first.next("exemple").await;
        let mut second = Browser::new(app.clone());
        second.answer("exemple", "a").await;
        second.next("exemple").await;

        let mut operator = Browser::new(app.clone());
        let closed = operator.get("/operateur/parcours").await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER);
        let login = operator
            .get(&crate::pro_support::admin_link(&db.store).await)
            .await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
        let page = operator.get("/operateur/parcours").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(
            page.texts("h2"),
            ["Un module d'exemple · version 1 en ligne"]
        );
        assert!(
            page.texts("ul.lba-stats li")
                .contains(&"Départs : 2".to_owned())
        );
        let rows = page.texts("tbody tr");
        assert_eq!(rows.len(), 9, "{rows:?}");
        // etape-1: 2 views, a ×1, b ×1, 50 % right at first try, no drop-off.
        assert!(
            rows[0].starts_with("etape-1Étape 1 2 a (bonne) : 1 (50 %)b : 1 (50 %) 50 % 0"),
            "{}",
            rows[0]
        );
        let csv = operator.get("/operateur/parcours.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.content_type.as_deref(), Some("text/csv; charset=utf-8"));
        let lines: Vec<&str> = csv.body.lines().collect();
        assert!(
            lines[0].starts_with("module,version,departs"),
            "{}",
            lines[0]
        );
        assert!(
            lines.contains(&"exemple,1,2,0,0.0,,etape-1,false,2,50.0,0,b,false,1,50.0"),
            "{}",
            csv.body
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("exemple,1,2,0,0.0,,etape-2,false,2,,2,")),
            "{}",
            csv.body
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_campaign_visitor_sees_the_cfa_of_their_wish() {
    let api = crate::fixture::Api::with_ops(
        lba_web::OpsState {
            learning: fixture_modules(),
            ..lba_web::OpsState::default()
        },
        async |store| {
            campaign_fixture(store).await;
            exec(
                store,
                "INSERT INTO cohort_wishes (person_id, wish_key, position, formation_id, kind, \
                 status, contract_signed) VALUES ('p1', 'w1', 1, 'form-lyon-bts', \
                 'apprentissage', 'en_attente', 0)",
            )
            .await;
        },
    )
    .await;
    // Without the campaign link: no CFA.
    let mut anonymous = Browser::new(api.router());
    let page = anonymous.get("/parcours/exemple").await;
    assert!(!page.body.contains("Ton CFA"), "{}", page.body);

    let mut browser = Browser::new(api.router());
    browser.get("/c/Parcours12345678").await;
    let page = browser.get("/parcours/exemple").await;
    assert_eq!(
        page.texts("#ton-cfa p"),
        ["CFA DES MÉTIERS · téléphone : 0472000000"]
    );
    assert!(
        page.body.contains("href=\"tel:0472000000\""),
        "{}",
        page.body
    );
    // The personalised next step of the end page is the course page.
    for _ in 1..=8 {
        browser.answer("exemple", "a").await;
        browser.next("exemple").await;
    }
    let end = browser.get("/parcours/exemple").await;
    assert!(
        end.body.contains("href=\"/formation/form-lyon-bts\""),
        "{}",
        end.body
    );
}
