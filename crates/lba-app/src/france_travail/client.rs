//! The HTTP client of the "Offres d'emploi v2" API.
//!
//! - OAuth2 client credentials: the token is cached and reused until
//!   shortly before it expires (a margin of a minute, or half its life for
//!   short-lived tokens), and fetched again once when the API answers 401.
//! - `GET {base}/offres/search?natureContrat=E2,FS&departement=XX&range=a-b`
//!   page by page: 200/206 with `Content-Range: offres a-b/total`, until the
//!   total or the per-département cap; 204 means no offer.
//! - 429: waits `Retry-After` seconds (capped); 5xx and network errors:
//!   exponential back-off; both a bounded number of times. Other 4xx: an
//!   error naming the département.
//!
//! Waits use `tokio::time`, so that tests can use short delays.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use lba_data::france_travail::{RawOffer, SearchResponse};
use reqwest::header::{ACCEPT, CONTENT_RANGE, RETRY_AFTER};
use reqwest::{Response, StatusCode, Url};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{FtError, FtSettings, Secret};

/// The contract natures asked for: apprentissage (E2) and
/// professionnalisation (FS).
pub const NATURES: &str = "E2,FS";
/// Lifetime assumed when the token endpoint does not say.
const DEFAULT_TOKEN_LIFE: Duration = Duration::from_secs(1_499);
/// A token is renewed this long before it expires (at most half its life).
const TOKEN_MARGIN: Duration = Duration::from_secs(60);
/// Characters of an error answer kept in messages.
const EXCERPT: usize = 200;

/// The offers of one département.
#[derive(Clone, Debug, Default)]
pub struct DepartementOffers {
    /// The département code.
    pub departement: String,
    /// The offers received, in order.
    pub offers: Vec<RawOffer>,
    /// The total announced by `Content-Range`, when given.
    pub total: Option<u64>,
    /// Pages requested (204 included).
    pub pages: u32,
    /// More offers exist than the cap allows.
    pub truncated: bool,
}

#[derive(Clone)]
struct CachedToken {
    value: Secret,
    valid_until: Instant,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// One answer of the search.
enum Page {
    /// 204.
    Empty,
    /// 200 or 206.
    Offers { total: Option<u64>, body: Vec<u8> },
}

/// A client of the France Travail offers API.
pub struct FtClient {
    http: reqwest::Client,
    settings: FtSettings,
    search_url: Url,
    token_url: Url,
    token: Mutex<Option<CachedToken>>,
    token_requests: AtomicU64,
}

impl std::fmt::Debug for FtClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FtClient")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl FtClient {
    /// Checks the settings and builds the client.
    pub fn new(settings: FtSettings) -> Result<Self, FtError> {
        if settings.client_id.trim().is_empty() {
            return Err(FtError::Settings(
                "identifiant client manquant (LBA_FT_CLIENT_ID)".to_owned(),
            ));
        }
        if settings.client_secret.is_empty() {
            return Err(FtError::Settings(
                "secret client manquant (LBA_FT_CLIENT_SECRET)".to_owned(),
            ));
        }
        if !(1..=super::PAGE_SIZE).contains(&settings.page_size) {
            return Err(FtError::Settings(format!(
                "taille de page {} : attendu de 1 à {}",
                settings.page_size,
                super::PAGE_SIZE
            )));
        }
        if settings.max_per_departement == 0 {
            return Err(FtError::Settings(
                "nombre maximal d'offres par département nul".to_owned(),
            ));
        }
        let url = |name: &str, raw: &str| {
            Url::parse(raw).map_err(|e| FtError::Settings(format!("{name} « {raw} » : {e}")))
        };
        let search_url = url(
            "URL de l'API",
            &format!(
                "{}/offres/search",
                settings.api_base_url.trim_end_matches('/')
            ),
        )?;
        let token_url = url("URL du jeton", &settings.token_url)?;
        // reqwest is built without a bundled crypto provider: ring is
        // installed for the process (an error only means one already is).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(settings.request_timeout)
            .connect_timeout(Duration::from_secs(15))
            .user_agent(concat!(
                "la-bonne-alternance-rs/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| FtError::Settings(format!("client HTTP : {e}")))?;
        Ok(Self {
            http,
            settings,
            search_url,
            token_url,
            token: Mutex::new(None),
            token_requests: AtomicU64::new(0),
        })
    }

    /// The settings.
    pub fn settings(&self) -> &FtSettings {
        &self.settings
    }

    /// Tokens requested so far.
    pub fn token_requests(&self) -> u64 {
        self.token_requests.load(Ordering::Relaxed)
    }

    /// Every offer of `departement` (up to the cap), page by page.
    pub async fn departement_offers(
        &self,
        departement: &str,
    ) -> Result<DepartementOffers, FtError> {
        let cap = self.settings.max_per_departement;
        let size = self.settings.page_size;
        let mut out = DepartementOffers {
            departement: departement.to_owned(),
            ..DepartementOffers::default()
        };
        let mut start = 0_u32;
        while start < cap {
            let end = start.saturating_add(size).min(cap) - 1;
            out.pages += 1;
            let (total, body) = match self.page(departement, start, end).await? {
                Page::Empty => break,
                Page::Offers { total, body } => (total, body),
            };
            let page: SearchResponse =
                serde_json::from_slice(&body).map_err(|e| FtError::Decode {
                    departement: departement.to_owned(),
                    detail: format!("plage {start}-{end} : {e}"),
                })?;
            let received = page.resultats.len();
            out.offers.extend(page.resultats);
            if total.is_some() {
                out.total = total;
            }
            let asked = end - start + 1;
            start = end + 1;
            let done = match out.total {
                Some(total) => u64::from(start) >= total,
                None => received < asked as usize,
            };
            if received == 0 || done {
                break;
            }
        }
        out.truncated = out.total.is_some_and(|t| t > u64::from(cap));
        Ok(out)
    }

    /// One page of the search, with the retries.
    async fn page(&self, departement: &str, start: u32, end: u32) -> Result<Page, FtError> {
        let mut url = self.search_url.clone();
        url.query_pairs_mut()
            .append_pair("natureContrat", NATURES)
            .append_pair("departement", departement)
            .append_pair("range", &format!("{start}-{end}"));
        let mut attempts = 0_u32;
        let mut refreshed = false;
        loop {
            attempts += 1;
            let token = self.token(false).await?;
            let sent = self
                .http
                .get(url.clone())
                .bearer_auth(token.expose())
                .header(ACCEPT, "application/json")
                .send()
                .await;
            let response = match sent {
                Ok(response) => response,
                Err(e) => {
                    self.back_off(departement, attempts, None, &e.to_string())
                        .await?;
                    continue;
                }
            };
            let status = response.status();
            match status {
                StatusCode::NO_CONTENT => return Ok(Page::Empty),
                StatusCode::OK | StatusCode::PARTIAL_CONTENT => {
                    let total = total_of(&response);
                    match response.bytes().await {
                        Ok(body) => {
                            return Ok(Page::Offers {
                                total,
                                body: body.to_vec(),
                            });
                        }
                        Err(e) => {
                            self.back_off(departement, attempts, None, &e.to_string())
                                .await?;
                        }
                    }
                }
                StatusCode::UNAUTHORIZED if !refreshed => {
                    // The token may have been revoked early: one new token,
                    // and this request again (not counted as a retry).
                    refreshed = true;
                    attempts -= 1;
                    self.token(true).await?;
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = retry_after(&response);
                    self.back_off(departement, attempts, wait, "HTTP 429 (trop de requêtes)")
                        .await?;
                }
                s if s.is_server_error() => {
                    let last = format!("HTTP {}", s.as_u16());
                    self.back_off(departement, attempts, None, &last).await?;
                }
                s => {
                    return Err(FtError::Http {
                        departement: departement.to_owned(),
                        status: s.as_u16(),
                        detail: excerpt(response).await,
                    });
                }
            }
        }
    }

    /// Waits before retry number `attempts`, or gives up.
    async fn back_off(
        &self,
        what: &str,
        attempts: u32,
        wait: Option<Duration>,
        last: &str,
    ) -> Result<(), FtError> {
        let retry = &self.settings.retry;
        if attempts > retry.max_retries {
            return Err(FtError::Exhausted {
                departement: what.to_owned(),
                attempts,
                last: last.to_owned(),
            });
        }
        let exponential = retry
            .backoff
            .saturating_mul(2_u32.saturating_pow(attempts.saturating_sub(1)));
        let wait = wait.unwrap_or(exponential).min(retry.max_wait);
        tracing::warn!(
            what,
            attempts,
            wait_ms = wait.as_millis() as u64,
            last,
            "France Travail API: retrying"
        );
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// The cached token, or a new one when it is about to expire (or when
    /// `renew`).
    async fn token(&self, renew: bool) -> Result<Secret, FtError> {
        let mut cached = self.token.lock().await;
        if !renew
            && let Some(token) = cached.as_ref()
            && Instant::now() < token.valid_until
        {
            return Ok(token.value.clone());
        }
        let fresh = self.request_token().await?;
        let value = fresh.value.clone();
        *cached = Some(fresh);
        Ok(value)
    }

    async fn request_token(&self) -> Result<CachedToken, FtError> {
        const WHAT: &str = "jeton";
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.settings.client_id.as_str()),
            ("client_secret", self.settings.client_secret.expose()),
            ("scope", self.settings.scope.as_str()),
        ];
        let mut attempts = 0_u32;
        loop {
            attempts += 1;
            self.token_requests.fetch_add(1, Ordering::Relaxed);
            let sent = self
                .http
                .post(self.token_url.clone())
                .form(&form)
                .header(ACCEPT, "application/json")
                .send()
                .await;
            let response = match sent {
                Ok(response) => response,
                Err(e) => {
                    self.back_off(WHAT, attempts, None, &e.to_string()).await?;
                    continue;
                }
            };
            let status = response.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                let wait = retry_after(&response);
                self.back_off(WHAT, attempts, wait, "HTTP 429").await?;
                continue;
            }
            if status.is_server_error() {
                let last = format!("HTTP {}", status.as_u16());
                self.back_off(WHAT, attempts, None, &last).await?;
                continue;
            }
            if !status.is_success() {
                return Err(FtError::Token {
                    token_url: self.settings.token_url.clone(),
                    status: status.as_u16(),
                    detail: excerpt(response).await,
                });
            }
            let decode = |detail: String| FtError::Decode {
                departement: WHAT.to_owned(),
                detail,
            };
            let body = response.bytes().await.map_err(|e| decode(e.to_string()))?;
            let token: TokenResponse =
                serde_json::from_slice(&body).map_err(|e| decode(e.to_string()))?;
            let life = token
                .expires_in
                .as_ref()
                .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
                .map_or(DEFAULT_TOKEN_LIFE, Duration::from_secs);
            let margin = TOKEN_MARGIN.min(life / 2);
            return Ok(CachedToken {
                value: Secret::new(token.access_token),
                valid_until: Instant::now() + life.saturating_sub(margin),
            });
        }
    }
}

/// The total of `Content-Range: offres 0-149/320`.
fn total_of(response: &Response) -> Option<u64> {
    let value = response.headers().get(CONTENT_RANGE)?.to_str().ok()?;
    value.rsplit_once('/')?.1.trim().parse().ok()
}

/// `Retry-After` in seconds (the HTTP-date form is not used by the API).
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}

/// The beginning of an error answer, on one line.
async fn excerpt(response: Response) -> String {
    let text = response.text().await.unwrap_or_default();
    let line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(EXCERPT)
        .collect();
    if line.is_empty() {
        String::new()
    } else {
        format!("({line})")
    }
}
