//! A local SMS gateway for the tests: an axum server on loopback speaking
//! the Brevo-like transactional SMS API, recording every request, and
//! failing the next N requests with a chosen status when asked.

use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use lba_notify::{SmsGateway, SmsSettings};

pub const API_KEY: &str = "test-api-key";

/// One recorded request: the api-key header and the JSON body.
#[derive(Clone, Debug)]
pub struct SmsRequest {
    pub api_key: String,
    pub body: serde_json::Value,
}

#[derive(Default)]
struct Inner {
    requests: Mutex<Vec<SmsRequest>>,
    fail_next: AtomicUsize,
    fail_status: AtomicU16,
}

/// The running gateway.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
    pub url: String,
}

async fn send(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> (StatusCode, Json<serde_json::Value>) {
    let api_key = headers
        .get("api-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let failing = inner
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        let status = StatusCode::from_u16(inner.fail_status.load(Ordering::SeqCst)).unwrap();
        return (
            status,
            Json(serde_json::json!({"code": "failure", "message": "refused"})),
        );
    }
    let mut requests = inner.requests.lock().unwrap();
    requests.push(SmsRequest { api_key, body });
    let id = requests.len();
    (
        StatusCode::CREATED,
        Json(serde_json::json!({"reference": "ref", "messageId": id})),
    )
}

impl Gateway {
    /// Starts a gateway on a free loopback port.
    pub async fn start() -> Self {
        let inner = Arc::new(Inner::default());
        let app = axum::Router::new()
            .route("/v3/transactionalSMS/sms", post(send))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { inner, url }
    }

    /// The next `n` requests answer `status`.
    pub fn fail_next(&self, n: usize, status: u16) {
        self.inner.fail_status.store(status, Ordering::SeqCst);
        self.inner.fail_next.store(n, Ordering::SeqCst);
    }

    /// The successful requests so far.
    pub fn requests(&self) -> Vec<SmsRequest> {
        self.inner.requests.lock().unwrap().clone()
    }

    /// A client of this gateway.
    pub fn client(&self) -> SmsGateway {
        SmsGateway::new(SmsSettings {
            base_url: self.url.clone(),
            api_key: API_KEY.into(),
            sender: "LBA".into(),
        })
        .unwrap()
    }
}
