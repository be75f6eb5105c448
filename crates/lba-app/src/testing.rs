//! Test helpers (feature `testing`): a local server that speaks the France
//! Travail protocol (OAuth2 client credentials and the paged offers
//! search), started on 127.0.0.1 by the tests of lba-app, lba-web and
//! lba-cli. Not a mock of the client: real HTTP over a real socket.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

/// The client id and secret the server accepts.
pub const CLIENT_ID: &str = "client-test";
/// See [`CLIENT_ID`].
pub const CLIENT_SECRET: &str = "secret-test";

/// What the server does; change it between requests through
/// [`FakeFranceTravail::configure`].
#[derive(Clone, Debug)]
pub struct FakeConfig {
    /// Offers by département.
    pub offers: BTreeMap<String, Vec<Value>>,
    /// `expires_in` of the tokens, in seconds.
    pub expires_in: u64,
    /// The next this many searches answer 429.
    pub too_many: u32,
    /// `Retry-After` of those 429, in seconds.
    pub retry_after: u64,
    /// The next this many searches answer 503.
    pub unavailable: u32,
    /// The next search answers 401 and every token issued so far is
    /// revoked.
    pub revoke: bool,
    /// Départements answered 403.
    pub forbidden: Vec<String>,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            offers: BTreeMap::new(),
            expires_in: 1_499,
            too_many: 0,
            retry_after: 1,
            unavailable: 0,
            revoke: false,
            forbidden: Vec::new(),
        }
    }
}

#[derive(Default)]
struct Shared {
    config: Mutex<FakeConfig>,
    /// Tokens that are still accepted.
    valid: Mutex<Vec<String>>,
    /// (département, range) of every search, in order.
    searches: Mutex<Vec<(String, String)>>,
    token_calls: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running fake France Travail API.
pub struct FakeFranceTravail {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeFranceTravail {
    /// Starts the server on a free port of 127.0.0.1.
    pub async fn start(config: FakeConfig) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            config: Mutex::new(config),
            ..Shared::default()
        });
        let app = Router::new()
            .route("/token", post(token))
            .route("/v2/offres/search", get(search))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { addr, shared, task })
    }

    /// The API base URL (`…/v2`).
    pub fn api_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }

    /// The token URL.
    pub fn token_url(&self) -> String {
        format!("http://{}/token", self.addr)
    }

    /// Changes the behaviour.
    pub fn configure(&self, change: impl FnOnce(&mut FakeConfig)) {
        change(&mut lock(&self.shared.config));
    }

    /// Tokens issued so far.
    pub fn token_calls(&self) -> u64 {
        self.shared.token_calls.load(Ordering::SeqCst)
    }

    /// (département, range) of every search so far.
    pub fn searches(&self) -> Vec<(String, String)> {
        lock(&self.shared.searches).clone()
    }
}

impl Drop for FakeFranceTravail {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `n` offers of `departement` in the API format, located in `commune`
/// at `point` (lat, lon), ROME `rome`; ids `{prefix}{i}`.
pub fn offers(prefix: &str, n: usize, commune: &str, point: (f64, f64), rome: &str) -> Vec<Value> {
    (0..n)
        .map(|i| {
            json!({
                "id": format!("{prefix}{i}"),
                "intitule": format!("Apprenti {i}"),
                "description": "Offre d'apprentissage.",
                "dateCreation": "2026-10-01T08:00:00.000Z",
                "dateActualisation": "2026-11-20T08:00:00.000Z",
                "lieuTravail": {
                    "libelle": format!("{} - Ville", commune.get(..2).unwrap_or(commune)),
                    "latitude": point.0, "longitude": point.1, "commune": commune
                },
                "romeCode": rome,
                "entreprise": {"nom": "ENTREPRISE"},
                "typeContrat": "CDD",
                "natureContrat": "Contrat apprentissage",
                "nombrePostes": 1,
                "accessibleTH": false
            })
        })
        .collect()
}

async fn token(
    State(shared): State<Arc<Shared>>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    shared.token_calls.fetch_add(1, Ordering::SeqCst);
    let field = |k: &str| form.get(k).map(String::as_str);
    if field("grant_type") != Some("client_credentials")
        || field("client_id") != Some(CLIENT_ID)
        || field("client_secret") != Some(CLIENT_SECRET)
        || field("scope").is_none_or(|s| !s.contains("api_offresdemploiv2"))
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let n = shared.token_calls.load(Ordering::SeqCst);
    let value = format!("jeton-{n}");
    lock(&shared.valid).push(value.clone());
    let expires_in = lock(&shared.config).expires_in;
    Json(json!({
        "access_token": value, "expires_in": expires_in, "token_type": "Bearer",
        "scope": "api_offresdemploiv2 o2dsoffre"
    }))
    .into_response()
}

async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let departement = query.get("departement").cloned().unwrap_or_default();
    let range = query.get("range").cloned().unwrap_or_default();
    lock(&shared.searches).push((departement.clone(), range.clone()));
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let mut config = lock(&shared.config);
    if config.revoke {
        config.revoke = false;
        lock(&shared.valid).clear();
    }
    if !bearer.is_some_and(|b| lock(&shared.valid).contains(&b)) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if query.get("natureContrat").map(String::as_str) != Some("E2,FS") {
        return (StatusCode::BAD_REQUEST, "natureContrat attendu").into_response();
    }
    if config.too_many > 0 {
        config.too_many -= 1;
        let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
        if let Ok(value) = HeaderValue::from_str(&config.retry_after.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    if config.unavailable > 0 {
        config.unavailable -= 1;
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if config.forbidden.contains(&departement) {
        return (StatusCode::FORBIDDEN, "{\"message\": \"accès refusé\"}").into_response();
    }
    let Some((start, end)) = range
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
        .filter(|(a, b)| a <= b && b - a < 150 && *a <= 3_000)
    else {
        return (StatusCode::BAD_REQUEST, "range invalide").into_response();
    };
    let all = config.offers.get(&departement).cloned().unwrap_or_default();
    if start >= all.len() {
        return StatusCode::NO_CONTENT.into_response();
    }
    let last = end.min(all.len() - 1);
    let page: Vec<Value> = all[start..=last].to_vec();
    let status = if last + 1 < all.len() {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut response = (
        status,
        Json(json!({"resultats": page, "filtresPossibles": []})),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("offres {start}-{last}/{}", all.len())) {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    response
}
