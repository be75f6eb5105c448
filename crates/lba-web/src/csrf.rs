//! Double-submit-cookie CSRF protection for the public forms that change
//! data (the recruiter's answer and the candidate's deletion, behind signed
//! links).
//!
//! The page that shows such a form takes its token from [`CsrfToken`]: the
//! one of the `lba_csrf` cookie when the browser already has one, else a
//! new random one that the response sets (HttpOnly, SameSite=Strict,
//! `Path=/`, `Secure` when the public URL is https). The form carries the
//! same token in a hidden `csrf` field; the POST handler calls [`verify`],
//! which compares cookie and field in constant time. A forged cross-site
//! POST carries neither the cookie (SameSite=Strict) nor its value.
//!
//! The operator pages use their own, stronger scheme (a token bound to the
//! signed session, `operator::session`); they share [`cookie_value`] and
//! [`secure_cookies`].

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use subtle::ConstantTimeEq;

use crate::AppState;

/// Name of the cookie.
pub(crate) const COOKIE: &str = "lba_csrf";
/// Name of the hidden form field.
pub(crate) const FIELD: &str = "csrf";

/// The value of cookie `name` in the request `headers`, if any.
pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether cookies get the `Secure` attribute: when the site is served
/// over https (`LBA_PUBLIC_URL`).
pub(crate) fn secure_cookies(state: &AppState) -> bool {
    state.ops.public_url.starts_with("https://")
}

/// Whether `token` looks like one we issue (32 lowercase hex digits): any
/// other cookie value is replaced, never echoed into a page.
fn well_formed(token: &str) -> bool {
    token.len() == 32
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new random token (122 random bits from the OS generator).
fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The `Set-Cookie` value that gives `token` to the browser (for the
/// browser session).
fn set_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The CSRF token of a page that shows a protected form (extractor).
#[derive(Clone, Debug)]
pub(crate) struct CsrfToken {
    token: String,
    /// The `Set-Cookie` to send when the browser has no token yet.
    set_cookie: Option<HeaderValue>,
}

impl CsrfToken {
    /// The token to put in the hidden `csrf` field.
    pub(crate) fn value(&self) -> &str {
        &self.token
    }

    /// `response` with the cookie set when the token is new.
    pub(crate) fn attach(&self, mut response: Response) -> Response {
        if let Some(cookie) = &self.set_cookie {
            response
                .headers_mut()
                .append(header::SET_COOKIE, cookie.clone());
        }
        response
    }
}

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = cookie_value(&parts.headers, COOKIE).filter(|t| well_formed(t)) {
            return Ok(Self {
                token: token.to_owned(),
                set_cookie: None,
            });
        }
        let token = new_token();
        let set_cookie = HeaderValue::from_str(&set_cookie(&token, secure_cookies(state))).ok();
        Ok(Self { token, set_cookie })
    }
}

/// Whether the submitted `field` is the token of the request's cookie
/// (constant-time comparison). False when either is missing or malformed.
pub(crate) fn verify(headers: &HeaderMap, field: Option<&str>) -> bool {
    match (cookie_value(headers, COOKIE), field) {
        (Some(cookie), Some(field)) if well_formed(cookie) => {
            cookie.as_bytes().ct_eq(field.as_bytes()).into()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(cookie) {
            h.insert(header::COOKIE, v);
        }
        h
    }

    #[test]
    fn tokens_are_random_and_well_formed() {
        let (a, b) = (new_token(), new_token());
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert!(!well_formed(""));
        assert!(!well_formed(&a.to_uppercase()));
        assert!(!well_formed(&format!("{a}0")));
        assert!(!well_formed("\"><script>alert(1)</script>aaaaaaaa"));
    }

    #[test]
    fn the_field_must_match_the_cookie() {
        let t = new_token();
        let h = headers(&format!("other=1; {COOKIE}={t}; x=y"));
        assert!(verify(&h, Some(&t)));
        assert!(!verify(&h, Some(&new_token())));
        assert!(!verify(&h, Some("")));
        assert!(!verify(&h, None));
        assert!(!verify(&HeaderMap::new(), Some(&t)));
        // A malformed cookie never matches, even itself.
        assert!(!verify(&headers(&format!("{COOKIE}=")), Some("")));
        assert!(!verify(&headers(&format!("{COOKIE}=abc")), Some("abc")));
    }

    #[test]
    fn the_cookie_is_strict_and_secure_over_https() {
        let c = set_cookie("abc", true);
        assert_eq!(c, "lba_csrf=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
        assert!(!set_cookie("abc", false).contains("Secure"));
    }
}
