//! The SMS gateway: an HTTP client modelled on a transactional SMS API
//! (Brevo-like): `POST {base}/v3/transactionalSMS/sms` with the `api-key`
//! header and `{"sender", "recipient", "content", "type": "marketing",
//! "tag"}`, answered by `{"messageId": …}`.
//!
//! A 400, 404 or 422 means the request itself is refused (invalid number,
//! refused content): permanent. 401/403 (bad key), 429, 5xx, timeouts and
//! connection errors are temporary: retried, they count towards the
//! campaign's automatic pause. Neither the number nor the text ever appears
//! in an error or a log.

use std::time::Duration;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

use crate::mailer::SendError;

/// Settings of the gateway. The key is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsSettings {
    /// Base URL (`https://api.brevo.com`, or a local server in tests).
    pub base_url: String,
    /// API key sent in the `api-key` header.
    pub api_key: String,
    /// Sender name shown on phones (11 characters at most).
    pub sender: String,
}

impl std::fmt::Debug for SmsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &"***")
            .field("sender", &self.sender)
            .finish()
    }
}

/// A bad gateway setting.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("passerelle SMS : {0}")]
pub struct SmsSettingsError(String);

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Serialize)]
struct Request<'a> {
    sender: &'a str,
    recipient: &'a str,
    content: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    tag: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "messageId")]
    message_id: serde_json::Value,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    code: Option<String>,
}

/// The client of the gateway; cheap to clone.
#[derive(Clone, Debug)]
pub struct SmsGateway {
    http: reqwest::Client,
    url: String,
    settings: SmsSettings,
}

impl SmsGateway {
    /// A client for `settings`.
    pub fn new(settings: SmsSettings) -> Result<Self, SmsSettingsError> {
        let base = settings.base_url.trim().trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(SmsSettingsError(
                "LBA_SMS_API_URL doit commencer par http:// ou https://".into(),
            ));
        }
        if settings.api_key.trim().is_empty() {
            return Err(SmsSettingsError("LBA_SMS_API_KEY est vide".into()));
        }
        let sender = settings.sender.trim();
        if sender.is_empty() || sender.chars().count() > 11 {
            return Err(SmsSettingsError(
                "LBA_SMS_SENDER doit compter de 1 à 11 caractères".into(),
            ));
        }
        // reqwest is built without a bundled crypto provider: ring is
        // installed for the process (an error only means one already is).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!(
                "la-bonne-alternance-rs/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| SmsSettingsError(format!("client HTTP : {e}")))?;
        Ok(Self {
            http,
            url: format!("{base}/v3/transactionalSMS/sms"),
            settings,
        })
    }

    /// The settings.
    pub fn settings(&self) -> &SmsSettings {
        &self.settings
    }

    /// Sends `content` to `recipient` (E.164) as a marketing SMS tagged
    /// `tag` (campaign id); returns the gateway's message id.
    pub async fn send(
        &self,
        recipient: &str,
        content: &str,
        tag: &str,
    ) -> Result<String, SendError> {
        let body = serde_json::to_vec(&Request {
            sender: self.settings.sender.trim(),
            recipient: recipient.trim_start_matches('+'),
            content,
            kind: "marketing",
            tag,
        })
        .map_err(|e| SendError::Permanent(format!("requête SMS : {e}")))?;
        let response = self
            .http
            .post(&self.url)
            .header("api-key", &self.settings.api_key)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            // Without the URL: reqwest errors name it, never the body.
            .map_err(|e| {
                SendError::Transient(format!("passerelle SMS injoignable : {}", e.without_url()))
            })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| {
            SendError::Transient(format!("réponse SMS interrompue : {}", e.without_url()))
        })?;
        if status.is_success() {
            let answer: Answer = serde_json::from_slice(&bytes).map_err(|_| {
                SendError::Transient(format!("réponse SMS illisible (HTTP {})", status.as_u16()))
            })?;
            return Ok(match answer.message_id {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            });
        }
        let code = serde_json::from_slice::<ErrorAnswer>(&bytes)
            .ok()
            .and_then(|e| e.code)
            .filter(|c| c.len() <= 64 && c.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let message = format!("passerelle SMS : HTTP {}{code}", status.as_u16());
        Err(match status {
            StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY => {
                SendError::Permanent(message)
            }
            _ => SendError::Transient(message),
        })
    }
}
