//! Security headers on every response, and the CORS policy of the API.
//!
//! - `Content-Security-Policy`: scripts, styles, fonts, images and requests
//!   from the app itself only (every asset is served by the app: DSFR,
//!   Leaflet, Swagger UI); `data:` images and fonts (DSFR's icons);
//!   no plugins; forms post to the app; no framing (`frame-ancestors
//!   'none'`, with `X-Frame-Options: DENY` for older browsers).
//!   Swagger UI's pages alone also allow inline styles, which it sets as it
//!   renders ([`DOCS_CONTENT_SECURITY_POLICY`]).
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy:
//!   strict-origin-when-cross-origin` (signed links never leave in a
//!   `Referer`), `Cross-Origin-Opener-Policy: same-origin`, a
//!   `Permissions-Policy` that turns off camera, microphone and payment.
//! - `Strict-Transport-Security` when the public URL is `https`.
//!
//! CORS: the public read API (`GET`/`HEAD` under `/api/`) is open to every
//! origin; anything else (`POST /api/v1/application`) only to the origins of
//! the partner allow-list ([`HttpPolicy::cors_origins`]), none by default.

use std::sync::Arc;

use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, Response};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

/// The CSP of every response.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The CSP of the Swagger UI pages (`/api/docs/`): the same, except that
/// inline styles are allowed, since Swagger UI sets them as it renders.
pub const DOCS_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Sets [`DOCS_CONTENT_SECURITY_POLICY`] on a response of the docs.
pub(crate) fn with_docs_csp<B>(mut response: Response<B>) -> Response<B> {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOCS_CONTENT_SECURITY_POLICY),
    );
    response
}

/// What the HTTP layer allows beyond its defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpPolicy {
    /// Send `Strict-Transport-Security` (the public URL is `https`).
    pub hsts: bool,
    /// Partner origins (`https://partenaire.fr`) allowed to call the API's
    /// non-GET routes from a browser.
    pub cors_origins: Vec<String>,
}

impl HttpPolicy {
    /// The policy for a site served at `public_url`, with the partner
    /// `cors_origins`.
    #[must_use]
    pub fn new(public_url: &str, cors_origins: Vec<String>) -> Self {
        Self {
            hsts: public_url.starts_with("https://"),
            cors_origins,
        }
    }

    /// The security headers, in the order they are added.
    pub(crate) fn headers(&self) -> Vec<(HeaderName, HeaderValue)> {
        let mut headers = vec![
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ),
            (
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static("camera=(), microphone=(), payment=(), usb=()"),
            ),
        ];
        if self.hsts {
            headers.push((
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ));
        }
        headers
    }

    /// The CORS layer of `/api` (see the module documentation).
    pub(crate) fn cors(&self) -> CorsLayer {
        let partners: Arc<Vec<HeaderValue>> = Arc::new(
            self.cors_origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
                .collect(),
        );
        CorsLayer::new()
            .allow_origin(AllowOrigin::predicate(
                move |origin: &HeaderValue, parts: &Parts| {
                    partners.contains(origin) || reads_only(parts)
                },
            ))
            .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS, Method::POST])
            .allow_headers(Any)
    }
}

/// A `GET`/`HEAD` request, or the preflight of one.
fn reads_only(parts: &Parts) -> bool {
    let method = if parts.method == Method::OPTIONS {
        match parts.headers.get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            Some(m) => m.as_bytes(),
            None => return true,
        }
    } else {
        parts.method.as_str().as_bytes()
    };
    method == b"GET" || method == b"HEAD"
}

/// Adds `headers` to `response` where the handler did not set them.
pub(crate) fn add_headers<B>(
    headers: &[(HeaderName, HeaderValue)],
    mut response: Response<B>,
) -> Response<B> {
    let map = response.headers_mut();
    for (name, value) in headers {
        if !map.contains_key(name) {
            map.insert(name.clone(), value.clone());
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_for_an_https_site() {
        let has_hsts = |p: &HttpPolicy| {
            p.headers()
                .iter()
                .any(|(n, _)| n == header::STRICT_TRANSPORT_SECURITY)
        };
        assert!(has_hsts(&HttpPolicy::new("https://lba.example.fr", vec![])));
        assert!(!has_hsts(&HttpPolicy::new("http://127.0.0.1:8080", vec![])));
    }
}
