//! France Travail "Offres d'emploi v2" API: settings, errors and the HTTP
//! client ([`client::FtClient`]).
//!
//! The client lives in lba-app (rather than in a crate of its own) because
//! the offer import is its only user and lba-app is the layer that does IO;
//! it depends on nothing of the app, so it can move out if a second user
//! appears.

pub mod client;

use std::time::Duration;

pub use client::{DepartementOffers, FtClient};

/// Default base URL of the API.
pub const DEFAULT_API_URL: &str = "https://api.francetravail.io/partenaire/offresdemploi/v2";
/// Default OAuth2 token URL.
pub const DEFAULT_TOKEN_URL: &str =
    "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire";
/// Default OAuth2 scope.
pub const DEFAULT_SCOPE: &str = "api_offresdemploiv2 o2dsoffre";
/// The API returns at most this many offers per search (first index
/// ≤ 3,000 minus a page), so larger départements are cut.
pub const MAX_PER_DEPARTEMENT: u32 = 3_000;
/// The largest page the API serves.
pub const PAGE_SIZE: u32 = 150;

/// A secret kept out of `Debug` output and logs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is empty (not configured).
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

/// How the client retries (tests shorten the delays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries of one request after a 429, a 5xx or a network error.
    pub max_retries: u32,
    /// First back-off after a 5xx or a network error (doubled each time).
    pub backoff: Duration,
    /// The longest wait, whatever `Retry-After` says.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 5,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
        }
    }
}

/// Settings of the API client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FtSettings {
    /// Base URL, without the trailing `/offres/search`.
    pub api_base_url: String,
    /// OAuth2 token URL.
    pub token_url: String,
    /// OAuth2 client id.
    pub client_id: String,
    /// OAuth2 client secret.
    pub client_secret: Secret,
    /// OAuth2 scope.
    pub scope: String,
    /// Départements to fetch; empty: every département of the referentials.
    pub departements: Vec<String>,
    /// Offers fetched per département at most.
    pub max_per_departement: u32,
    /// Offers per page.
    pub page_size: u32,
    /// Retries and waits.
    pub retry: RetryPolicy,
    /// Timeout of one HTTP request.
    pub request_timeout: Duration,
}

impl FtSettings {
    /// The production endpoints with these credentials.
    pub fn new(client_id: impl Into<String>, client_secret: Secret) -> Self {
        Self {
            api_base_url: DEFAULT_API_URL.to_owned(),
            token_url: DEFAULT_TOKEN_URL.to_owned(),
            client_id: client_id.into(),
            client_secret,
            scope: DEFAULT_SCOPE.to_owned(),
            departements: Vec::new(),
            max_per_departement: MAX_PER_DEPARTEMENT,
            page_size: PAGE_SIZE,
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(60),
        }
    }
}

/// Why talking to the API failed.
#[derive(Debug, thiserror::Error)]
pub enum FtError {
    /// A setting is missing or wrong.
    #[error("réglage France Travail : {0}")]
    Settings(String),
    /// The token endpoint refused or failed.
    #[error("jeton OAuth2 France Travail refusé ({token_url}) : HTTP {status} {detail}")]
    Token {
        /// The token URL.
        token_url: String,
        /// HTTP status.
        status: u16,
        /// A short excerpt of the answer.
        detail: String,
    },
    /// The search answered an error for a département.
    #[error("API France Travail, département {departement} : HTTP {status} {detail}")]
    Http {
        /// The département.
        departement: String,
        /// HTTP status.
        status: u16,
        /// A short excerpt of the answer.
        detail: String,
    },
    /// Retries ran out (429, 5xx or network errors).
    #[error(
        "API France Travail, département {departement} : abandon après {attempts} tentatives ({last})"
    )]
    Exhausted {
        /// The département (or `jeton` for the token endpoint).
        departement: String,
        /// Requests made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The answer could not be read.
    #[error("API France Travail, département {departement} : réponse illisible : {detail}")]
    Decode {
        /// The département (or `jeton`).
        departement: String,
        /// What is wrong.
        detail: String,
    },
}
