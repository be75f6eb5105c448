//! Operator pages: the pro space's administrators only (magic-link session),
//! CSRF tokens on every POST. Also the small client the operator tests use.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::fixture::Api;

/// The settings of the operator tests (nothing special any more: access
/// is the `admin` role's).
pub fn ops() -> lba_web::OpsState {
    lba_web::OpsState::default()
}

/// An answer: status, `Location`, `Set-Cookie` and body.
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub body: String,
}

impl Answer {
    /// The body as an HTML document.
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// The texts of the elements matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let s = scraper::Selector::parse(selector).unwrap();
        self.html()
            .select(&s)
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }

    /// The value of the hidden `csrf` field of the page.
    pub fn csrf(&self) -> String {
        let s = scraper::Selector::parse("input[name=csrf]").unwrap();
        self.html()
            .select(&s)
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_else(|| panic!("no csrf field in {}", self.body))
            .to_owned()
    }
}

/// A browser of the operator pages: keeps the session cookie.
pub struct Client {
    pub router: Router,
    pub cookie: Option<String>,
}

impl Client {
    pub fn new(api: &Api) -> Self {
        Self {
            router: api.router(),
            cookie: None,
        }
    }

    /// Signed in as the tests' administrator (magic link).
    pub async fn signed_in(api: &Api) -> Self {
        let link = crate::pro_support::admin_link(api.store()).await;
        Self::opening(api, &link).await
    }

    /// Signed in by opening sign-in link `link`.
    pub async fn opening(api: &Api, link: &str) -> Self {
        let mut c = Self::new(api);
        let a = c.get(link).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location.as_deref(), Some("/pro"));
        let cookie = a.set_cookie.unwrap_or_default();
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
        assert!(c.cookie.is_some());
        c
    }

    async fn send(&mut self, request: axum::http::request::Builder, body: Body) -> Answer {
        let request = match &self.cookie {
            Some(c) => request.header(header::COOKIE, c),
            None => request,
        };
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let location = header(header::LOCATION);
        let set_cookie = header(header::SET_COOKIE);
        if let Some(c) = &set_cookie {
            let pair = c.split(';').next().unwrap().to_owned();
            self.cookie = if pair.ends_with('=') {
                None
            } else {
                Some(pair)
            };
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            location,
            set_cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, uri: &str) -> Answer {
        self.send(Request::get(uri), Body::empty()).await
    }

    pub async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Answer {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            Body::from(body),
        )
        .await
    }
}

/// application/x-www-form-urlencoded encoding.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[tokio::test]
async fn operator_pages_are_for_signed_in_administrators_only() {
    let api = Api::with_ops(ops(), async |_| {}).await;
    let mut c = Client::new(&api);
    for uri in [
        "/operateur",
        "/operateur/campagnes",
        "/operateur/campagnes/nouvelle",
        "/operateur/campagnes/abc",
        "/operateur/parcours",
    ] {
        let a = c.get(uri).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(a.location.as_deref(), Some("/pro/connexion"), "{uri}");
    }
    // The old login page sends to the pro space's.
    let a = c.get("/operateur/connexion").await;
    assert_eq!(a.location.as_deref(), Some("/pro/connexion"));
    // A POST without session does nothing either.
    let a = c.post("/operateur/campagnes", &[("name", "x")]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    // A forged cookie is no session.
    c.cookie = Some(format!("lba_pro={}", "ab".repeat(32)));
    assert_eq!(
        c.get("/operateur/campagnes").await.status,
        StatusCode::SEE_OTHER
    );

    // Signed in with another role: forbidden.
    let link = crate::pro_support::link_for(
        api.store(),
        "opco@exemple.fr",
        lba_core::pro::Role::Opco,
        Some("OPCO EP"),
    )
    .await;
    let mut opco = Client::opening(&api, &link).await;
    let a = opco.get("/operateur/campagnes").await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.texts("h1"), ["Accès réservé"]);

    // An administrator: in, with a cookie that holds no account data.
    let mut admin = Client::signed_in(&api).await;
    let cookie = admin.cookie.clone().unwrap();
    assert!(cookie.starts_with("lba_pro=") && cookie.len() == "lba_pro=".len() + 64);
    let a = admin.get("/operateur/campagnes").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.texts("h1"), ["Campagnes"]);
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused() {
    let api = Api::with_ops(ops(), async |_| {}).await;
    let mut c = Client::signed_in(&api).await;
    let page = c.get("/operateur/campagnes").await;
    let token = page.csrf();

    for uri in [
        "/operateur/deconnexion",
        "/operateur/campagnes",
        "/operateur/campagnes/apercu",
        "/operateur/campagnes/x/lancer",
        "/operateur/campagnes/x/pause",
        "/operateur/campagnes/x/reprise",
    ] {
        let a = c.post(uri, &[("name", "x")]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri} without token");
        assert!(a.body.contains("jeton de sécurité"), "{uri}");
        let a = c.post(uri, &[("csrf", "AAAA")]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri} with a wrong token");
    }
    // The token of another session is refused too.
    let mut other = Client::signed_in(&api).await;
    let a = other
        .post("/operateur/deconnexion", &[("csrf", &token)])
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    // With the token: logout clears the cookie and the session is gone.
    let a = c.post("/operateur/deconnexion", &[("csrf", &token)]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a.set_cookie.unwrap().contains("Max-Age=0"));
    assert!(c.cookie.is_none());
    assert_eq!(
        c.get("/operateur/campagnes").await.status,
        StatusCode::SEE_OTHER
    );
}
