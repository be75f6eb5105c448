//! A test application with the real referentials and a small hand-made
//! data set around Lyon and Paris.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::{Duration, NaiveDate, Utc};
use http_body_util::BodyExt;
use lba_core::geo::GeoPoint;
use lba_core::ids::{CodeRome, InseeCode, NafCode, PostalCode, RncpCode, Siret};
use lba_core::level::DiplomaLevel;
use lba_core::opportunity::{
    Company, ContractType, Formation, Offer, OfferOrigin, OfferStatus, Place, RomeScore, Session,
};
use lba_store::testing::TestDb;
use tower::ServiceExt;

/// Centre of Lyon (Hôtel de ville).
pub const LYON: (f64, f64) = (45.7676, 4.8357);

/// Valid SIRETs (Luhn).
pub const SIRET_LYON: &str = "51234567800001";
pub const SIRET_VILLEURBANNE: &str = "51234567800019";
pub const SIRET_PARIS: &str = "51234567800027";
/// Valid but not in the data.
pub const SIRET_UNKNOWN: &str = "13002526500013";

/// Application settings for tests: a fixed link key.
pub fn test_apply() -> lba_web::ApplyState {
    lba_web::ApplyState::with_key(lba_app::lba_notify::LinkKey::new(b"test key"))
}

/// The application under test.
pub struct Api {
    _db: TestDb,
    router: Router,
}

impl Api {
    /// Referentials + hand-made records, indexed.
    pub async fn new() -> Self {
        Self::build(test_apply(), async |_| {}).await
    }

    /// Like [`Api::new`], with `setup` run on the store before the search
    /// index is built.
    pub async fn with(setup: impl AsyncFnOnce(&lba_store::Store)) -> Self {
        Self::build(test_apply(), setup).await
    }

    /// The store under the application.
    pub fn store(&self) -> &lba_store::Store {
        &self._db.store
    }

    /// Like [`Api::with`], the campaign routes configured by `ops`.
    pub async fn with_ops(
        ops: lba_web::OpsState,
        setup: impl AsyncFnOnce(&lba_store::Store),
    ) -> Self {
        let mut api = Self::build(test_apply(), setup).await;
        api.router = lba_web::router(lba_web::AppState {
            store: api._db.store.clone(),
            search: lba_app::Search::load(&api._db.store).await.unwrap(),
            apply: test_apply(),
            ops,
        });
        api
    }

    /// The router under test.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// POST `body` as JSON to `uri`: status and JSON body.
    pub async fn post_json(
        &self,
        uri: &str,
        body: &serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let response = self
            .router
            .clone()
            .oneshot(
                Request::post(uri)
                    .header("content-type", "application/json")
                    .body(Body::from(serde_json::to_vec(body).unwrap()))
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (status, json)
    }

    /// Like [`Api::new`] with these application settings.
    pub async fn with_apply(apply: lba_web::ApplyState) -> Self {
        Self::build(apply, async |_| {}).await
    }

    async fn build(apply: lba_web::ApplyState, setup: impl AsyncFnOnce(&lba_store::Store)) -> Self {
        let db = TestDb::sqlite().await;
        let dir = lba_data::DataDir::resolve(Some(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data"
        ))))
        .unwrap();
        lba_app::import_referentials(&db.store, &dir, &lba_app::NoProgress)
            .await
            .unwrap();
        db.store.upsert_formations(&formations()).await.unwrap();
        db.store.upsert_offers(&offers()).await.unwrap();
        db.store.upsert_companies(&companies()).await.unwrap();
        db.store
            .upsert_offer_contacts(&[(
                "offer-platform-lyon".into(),
                "recrutement@example.org".into(),
            )])
            .await
            .unwrap();
        setup(&db.store).await;
        let router = lba_web::router(lba_web::AppState {
            store: db.store.clone(),
            search: lba_app::Search::load(&db.store).await.unwrap(),
            apply,
            ops: lba_web::OpsState::default(),
        });
        Self { _db: db, router }
    }

    /// No data at all (not even the referentials): for the documents and
    /// the validation of parameters.
    pub async fn empty() -> Self {
        let db = TestDb::sqlite().await;
        let router = lba_web::router(lba_web::AppState {
            store: db.store.clone(),
            search: lba_app::Search::load(&db.store).await.unwrap(),
            apply: lba_web::ApplyState::with_key(lba_app::lba_notify::LinkKey::new(b"test key")),
            ops: lba_web::OpsState::default(),
        });
        Self { _db: db, router }
    }

    /// Sends any request: status, headers, body bytes.
    pub async fn request(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Bytes) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes)
    }

    /// GET `uri` with `headers`: status, headers, body bytes.
    pub async fn raw(&self, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, Bytes) {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes)
    }

    /// GET `uri`, expecting an HTML page: status and parsed document.
    pub async fn html(&self, uri: &str) -> (StatusCode, scraper::Html) {
        let (status, headers, bytes) = self.raw(uri, &[]).await;
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            content_type.starts_with("text/html"),
            "{uri}: content-type {content_type:?}"
        );
        let body = String::from_utf8(bytes.to_vec()).unwrap();
        (status, scraper::Html::parse_document(&body))
    }

    /// GET `uri`, expecting JSON with a JSON content type.
    pub async fn get(&self, uri: &str) -> (StatusCode, serde_json::Value) {
        let (status, headers, bytes) = self.raw(uri, &[]).await;
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "{uri}: content-type {content_type:?}, body {}",
            String::from_utf8_lossy(&bytes)
        );
        let json = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes))
        });
        (status, json)
    }

    /// GET `uri`, expecting 200; the body.
    pub async fn ok(&self, uri: &str) -> serde_json::Value {
        let (status, body) = self.get(uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body:#}");
        body
    }

    /// GET `uri`, expecting a v1 error with `status`; its messages.
    pub async fn error(&self, uri: &str, status: StatusCode) -> Vec<String> {
        let (got, body) = self.get(uri).await;
        assert_eq!(got, status, "{uri}: {body:#}");
        let expected = if status == StatusCode::NOT_FOUND {
            "not_found"
        } else {
            "wrong_parameters"
        };
        assert_eq!(body["error"], expected, "{uri}: {body:#}");
        let object = body.as_object().unwrap();
        assert_eq!(object.len(), 2, "only error and error_messages: {body:#}");
        let messages: Vec<String> = body["error_messages"]
            .as_array()
            .unwrap_or_else(|| panic!("{uri}: error_messages {body:#}"))
            .iter()
            .map(|m| m.as_str().unwrap().to_owned())
            .collect();
        assert!(!messages.is_empty(), "{uri}");
        messages
    }

    /// GET `uri`, expecting a 400 with a message about `param`.
    pub async fn bad(&self, uri: &str, param: &str) -> Vec<String> {
        let messages = self.error(uri, StatusCode::BAD_REQUEST).await;
        assert!(
            messages.iter().any(|m| m.starts_with(&format!("{param} :"))
                || m.split(" : ")
                    .next()
                    .is_some_and(|p| p.split(", ").any(|p| p == param))),
            "{uri}: no message about {param}: {messages:?}"
        );
        messages
    }
}

/// The ids of `results`, in order.
pub fn ids(results: &serde_json::Value) -> Vec<String> {
    results["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results array: {results:#}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The distances of `results`, in order.
pub fn distances(results: &serde_json::Value) -> Vec<f64> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["place"]["distance"].as_f64().unwrap())
        .collect()
}

fn place(address: &str, postal: &str, insee: &str, city: &str, lat: f64, lon: f64) -> Place {
    Place {
        address: address.into(),
        postal_code: Some(PostalCode::parse(postal).unwrap()),
        commune_insee: Some(InseeCode::parse(insee).unwrap()),
        city: city.into(),
        point: GeoPoint::new(lat, lon).unwrap(),
    }
}

fn rome(code: &str) -> CodeRome {
    CodeRome::parse(code).unwrap()
}

fn level(n: u8) -> Option<DiplomaLevel> {
    Some(DiplomaLevel::new(n).unwrap())
}

#[allow(clippy::too_many_arguments, reason = "a table of test records")]
fn formation(
    id: &str,
    title: &str,
    romes: &[&str],
    lvl: u8,
    place: Place,
    is_demo: bool,
) -> Formation {
    Formation {
        id: id.to_owned(),
        is_demo,
        title: title.to_owned(),
        diploma_title: format!("DIPLÔME {title}").to_uppercase(),
        cfd: None,
        rncp: Some(RncpCode::parse("RNCP35316").unwrap()).filter(|_| romes.contains(&"D1102")),
        level: level(lvl),
        romes: romes.iter().map(|r| rome(r)).collect(),
        cfa_uai: None,
        cfa_siret: Some(Siret::parse(SIRET_LYON).unwrap()),
        cfa_name: "CFA DES MÉTIERS".to_owned(),
        place,
        sessions: vec![Session {
            start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2028, 6, 30),
        }],
        duration_months: Some(24),
        capacity: Some(12),
        distance_learning: false,
        email: Some("cfa@example.org".to_owned()),
        phone: Some("0472000000".to_owned()),
        onisep_url: None,
    }
}

/// Courses: bakery (D1102) in Lyon, Villeurbanne and Paris; cooking
/// (G1602) in Lyon; computing (M1805) in Saint-Étienne only.
pub fn formations() -> Vec<Formation> {
    vec![
        formation(
            "form-lyon-bts",
            "BTS Boulangerie Lyon",
            &["D1102"],
            5,
            place(
                "1 rue de la République",
                "69001",
                "69381",
                "Lyon",
                45.7690,
                4.8360,
            ),
            false,
        ),
        formation(
            "form-villeurbanne-cap",
            "CAP Boulanger Villeurbanne",
            &["D1102"],
            3,
            place(
                "10 cours Émile Zola",
                "69100",
                "69266",
                "Villeurbanne",
                45.7719,
                4.8902,
            ),
            false,
        ),
        formation(
            "form-paris-cap",
            "CAP Boulanger Paris",
            &["D1102"],
            3,
            place(
                "5 rue Oberkampf",
                "75011",
                "75111",
                "Paris",
                48.8650,
                2.3780,
            ),
            true,
        ),
        formation(
            "form-lyon-cuisine",
            "Bac pro Cuisine Lyon",
            &["G1602"],
            4,
            place(
                "3 avenue Jean Jaurès",
                "69007",
                "69387",
                "Lyon",
                45.7450,
                4.8420,
            ),
            false,
        ),
        formation(
            "form-st-etienne-info",
            "BTS SIO Saint-Étienne",
            &["M1805"],
            5,
            place(
                "2 rue Balay",
                "42000",
                "42218",
                "Saint-Étienne",
                45.4397,
                4.3872,
            ),
            false,
        ),
    ]
}

#[allow(clippy::too_many_arguments, reason = "a table of test records")]
fn offer(
    id: &str,
    origin: OfferOrigin,
    lvl: Option<u8>,
    place: Place,
    expires_in_days: i64,
    is_demo: bool,
) -> Offer {
    let now = Utc::now();
    Offer {
        id: id.to_owned(),
        is_demo,
        origin,
        status: OfferStatus::Active,
        title: format!("Boulanger ({id})"),
        appellation_ogr: None,
        rome: rome("D1102"),
        description: "Fabrication du pain.".to_owned(),
        contract_types: vec![ContractType::Apprentissage],
        level: lvl.and_then(level),
        start_date: NaiveDate::from_ymd_opt(2026, 9, 1),
        duration_months: Some(24),
        company_siret: Some(Siret::parse(SIRET_LYON).unwrap()),
        company_name: "BOULANGERIE DU PARC".into(),
        company_naf: Some(NafCode::parse("1071C").unwrap()),
        company_headcount: Some("11".into()),
        place,
        published_at: now - Duration::days(2),
        expires_at: now + Duration::days(expires_in_days),
        apply_url: (origin != OfferOrigin::Platform)
            .then(|| "https://example.org/apply".to_owned()),
    }
}

/// Bakery offers (D1102): one per origin around Lyon, a level-7 one, a
/// Paris one, and an expired one.
pub fn offers() -> Vec<Offer> {
    vec![
        offer(
            "offer-platform-lyon",
            OfferOrigin::Platform,
            None,
            place("4 rue Mercière", "69002", "69382", "Lyon", 45.7620, 4.8330),
            30,
            false,
        ),
        offer(
            "offer-ft-villeurbanne",
            OfferOrigin::FranceTravail,
            Some(3),
            place(
                "20 rue Francis de Pressensé",
                "69100",
                "69266",
                "Villeurbanne",
                45.7700,
                4.8800,
            ),
            30,
            false,
        ),
        offer(
            "offer-partner-lyon",
            OfferOrigin::Partner,
            Some(5),
            place("8 rue Servient", "69003", "69383", "Lyon", 45.7600, 4.8600),
            30,
            false,
        ),
        offer(
            "offer-ft-master",
            OfferOrigin::FranceTravail,
            Some(7),
            place(
                "1 place Bellecour",
                "69002",
                "69382",
                "Lyon",
                45.7578,
                4.8320,
            ),
            30,
            false,
        ),
        offer(
            "offer-platform-paris",
            OfferOrigin::Platform,
            None,
            place(
                "5 rue de Rivoli",
                "75004",
                "75104",
                "Paris",
                48.8560,
                2.3580,
            ),
            30,
            true,
        ),
        offer(
            "offer-platform-expired",
            OfferOrigin::Platform,
            None,
            place("4 rue Mercière", "69002", "69382", "Lyon", 45.7620, 4.8330),
            -1,
            false,
        ),
    ]
}

fn company(siret: &str, name: &str, score: u8, place: Place, is_demo: bool) -> Company {
    Company {
        siret: Siret::parse(siret).unwrap(),
        is_demo,
        name: name.into(),
        naf: Some(NafCode::parse("1071C").unwrap()),
        headcount: Some("01".into()),
        place,
        romes: vec![RomeScore {
            rome: rome("D1102"),
            score,
        }],
        email: Some("contact@example.org".to_owned()),
        phone: Some("0478000000".into()),
        website: None,
    }
}

/// Bakeries likely to hire, in Lyon, Villeurbanne and Paris.
pub fn companies() -> Vec<Company> {
    vec![
        company(
            SIRET_LYON,
            "BOULANGERIE DU PARC",
            80,
            place(
                "6 quai Saint-Vincent",
                "69001",
                "69381",
                "Lyon",
                45.7680,
                4.8290,
            ),
            false,
        ),
        company(
            SIRET_VILLEURBANNE,
            "PAINS DE VILLEURBANNE",
            50,
            place(
                "2 avenue Henri Barbusse",
                "69100",
                "69266",
                "Villeurbanne",
                45.7710,
                4.8850,
            ),
            false,
        ),
        company(
            SIRET_PARIS,
            "FOURNIL DE PARIS",
            90,
            place(
                "3 rue de Charonne",
                "75011",
                "75111",
                "Paris",
                48.8530,
                2.3770,
            ),
            true,
        ),
    ]
}
