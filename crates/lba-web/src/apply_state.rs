//! What the application routes (form and API) share: the apply settings
//! and a per-IP rate limiter on the submit routes.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use lba_app::apply::{ApplyConfig, ApplyLimits};
use lba_app::lba_notify::LinkKey;

/// At most `max` submissions per client address per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Submissions allowed in a window.
    pub max: u32,
    /// Window length.
    pub window: Duration,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            max: 10,
            window: Duration::from_secs(60),
        }
    }
}

/// A fixed-window counter per client address, in memory: each node limits
/// on its own (with N nodes a client gets at most N × max; the quotas per
/// candidate, in the database, hold across nodes).
#[derive(Debug)]
struct Limiter {
    limit: RateLimit,
    windows: Mutex<HashMap<Option<IpAddr>, (Instant, u32)>>,
}

impl Limiter {
    fn check(&self, ip: Option<IpAddr>) -> bool {
        let now = Instant::now();
        let Ok(mut windows) = self.windows.lock() else {
            return true;
        };
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < self.limit.window);
        }
        let entry = windows.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.limit.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit.max
    }
}

/// Settings and limiter of the application routes; cheap to clone.
#[derive(Clone, Debug)]
pub struct ApplyState {
    /// Quotas and link key.
    pub config: ApplyConfig,
    limiter: Arc<Limiter>,
}

impl ApplyState {
    /// From the settings.
    #[must_use]
    pub fn new(config: ApplyConfig, rate: RateLimit) -> Self {
        Self {
            config,
            limiter: Arc::new(Limiter {
                limit: rate,
                windows: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Default quotas and rate limit with `key`.
    #[must_use]
    pub fn with_key(key: LinkKey) -> Self {
        Self::new(
            ApplyConfig {
                limits: ApplyLimits::default(),
                key,
            },
            RateLimit::default(),
        )
    }

    /// Counts one submission from `ip`; false when over the limit.
    pub(crate) fn allow(&self, ip: Option<IpAddr>) -> bool {
        self.limiter.check(ip)
    }
}

/// The client address when the server was started with connection info
/// (`lba serve`); `None` in tests through `oneshot`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClientIp(pub(crate) Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
