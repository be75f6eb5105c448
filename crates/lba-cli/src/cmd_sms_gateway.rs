//! `lba demo sms-gateway`: a local SMS gateway for the local run and the
//! tests. It speaks the protocol of `lba_notify::sms::SmsGateway`
//! (`POST /v3/transactionalSMS/sms`, `api-key` header, JSON body with
//! `sender`, `recipient`, `content`, answered by `{"messageId": …}`),
//! refuses a wrong key (401) and a bad body (400), and writes each accepted
//! SMS as one JSON file in a folder, like the `.eml` folder of the file
//! mailer. Only counts are logged, never a number or a text.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clap::Args;
use serde_json::{Value, json};

/// Flags of `lba demo sms-gateway`.
#[derive(Debug, Args)]
pub struct SmsGatewayArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9099")]
    pub addr: String,

    /// Folder where each accepted SMS is written as one JSON file.
    #[arg(long, default_value = "var/sms")]
    pub dir: PathBuf,

    /// The API key the `api-key` header must carry (LBA_SMS_API_KEY of the
    /// worker).
    #[arg(long, default_value = "demo", hide_default_value = true)]
    pub api_key: String,
}

struct Gateway {
    dir: PathBuf,
    api_key: String,
    /// Distinguishes the runs: file names and message ids stay unique
    /// across restarts on the same folder.
    run: i64,
    accepted: AtomicU64,
    refused: AtomicU64,
    /// The next message number: taken once per request, so that requests
    /// handled at the same time never share an id (nor a file).
    next: AtomicU64,
}

type Refusal = (StatusCode, Json<Value>);

fn refusal(status: StatusCode, code: &str, message: &str) -> Refusal {
    (status, Json(json!({ "code": code, "message": message })))
}

/// The string field `name` of `body`, non-empty.
fn field<'a>(body: &'a Value, name: &str) -> Result<&'a str, Refusal> {
    body.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            refusal(
                StatusCode::BAD_REQUEST,
                "missing_parameter",
                &format!("champ « {name} » manquant ou vide"),
            )
        })
}

async fn send_sms(
    State(gateway): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, Refusal> {
    let result = accept(&gateway, &headers, &body).await;
    match &result {
        Ok(_) => {
            let n = gateway.accepted.fetch_add(1, Ordering::Relaxed) + 1;
            if n % 100 == 0 {
                tracing::info!(accepted = n, "local SMS gateway");
            }
        }
        Err((status, _)) => {
            let n = gateway.refused.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::warn!(status = status.as_u16(), refused = n, "SMS refused");
        }
    }
    result
}

async fn accept(
    gateway: &Gateway,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Json<Value>, Refusal> {
    let key = headers.get("api-key").and_then(|v| v.to_str().ok());
    if key != Some(gateway.api_key.as_str()) {
        return Err(refusal(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "clé d'API absente ou incorrecte",
        ));
    }
    let value: Value = serde_json::from_slice(body).map_err(|_| {
        refusal(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "corps JSON illisible",
        )
    })?;
    let sender = field(&value, "sender")?;
    let recipient = field(&value, "recipient")?;
    let content = field(&value, "content")?;
    if !recipient.chars().all(|c| c.is_ascii_digit()) || !(8..=15).contains(&recipient.len()) {
        return Err(refusal(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "champ « recipient » : numéro invalide",
        ));
    }
    let n = gateway.next.fetch_add(1, Ordering::Relaxed);
    let id = format!("demo-{}-{n}", gateway.run);
    let record = json!({
        "messageId": id,
        "received_at": chrono::Utc::now().to_rfc3339(),
        "sender": sender,
        "recipient": recipient,
        "content": content,
        "type": value.get("type"),
        "tag": value.get("tag"),
    });
    let text = serde_json::to_vec_pretty(&record).map_err(|_| internal())?;
    let tmp = gateway.dir.join(format!(".{id}.tmp"));
    tokio::fs::write(&tmp, text).await.map_err(|_| internal())?;
    tokio::fs::rename(&tmp, gateway.dir.join(format!("{id}.json")))
        .await
        .map_err(|_| internal())?;
    Ok(Json(json!({ "messageId": id })))
}

fn internal() -> Refusal {
    refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "écriture du SMS impossible",
    )
}

/// Runs the gateway until `shutdown` completes.
pub async fn run(
    args: &SmsGatewayArgs,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    if args.api_key.trim().is_empty() {
        anyhow::bail!("--api-key est vide");
    }
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("dossier des SMS {}", args.dir.display()))?;
    let gateway = Arc::new(Gateway {
        dir: args.dir.clone(),
        api_key: args.api_key.clone(),
        run: chrono::Utc::now().timestamp_millis(),
        accepted: AtomicU64::new(0),
        refused: AtomicU64::new(0),
        next: AtomicU64::new(0),
    });
    let app = axum::Router::new()
        .route("/v3/transactionalSMS/sms", post(send_sms))
        .with_state(Arc::clone(&gateway));
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .with_context(|| format!("écoute sur {}", args.addr))?;
    let addr = listener.local_addr()?;
    println!(
        "Passerelle SMS locale (démonstration) sur http://{addr} ; SMS écrits dans {}",
        args.dir.display()
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .context("passerelle SMS locale")?;
    tracing::info!(
        accepted = gateway.accepted.load(Ordering::Relaxed),
        refused = gateway.refused.load(Ordering::Relaxed),
        "local SMS gateway stopped"
    );
    Ok(())
}
