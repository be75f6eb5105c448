//! Operator pages: closed without a secret, login, signed session cookie,
//! CSRF tokens on every POST. Also the small client the operator tests use.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::fixture::Api;

/// The operator secret of the tests.
pub const SECRET: &str = "secret-operateur-de-test";

/// Settings with the test secret.
pub fn ops() -> lba_web::OpsState {
    lba_web::OpsState {
        operator_secret: Some(SECRET.to_owned()),
        ..lba_web::OpsState::default()
    }
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

    /// Signed in with the test secret.
    pub async fn signed_in(api: &Api) -> Self {
        let mut c = Self::new(api);
        let a = c.post("/operateur/connexion", &[("secret", SECRET)]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
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
async fn without_a_secret_operator_pages_are_closed() {
    let api = Api::new().await;
    let mut c = Client::new(&api);
    for uri in ["/operateur/connexion", "/operateur/campagnes"] {
        let a = c.get(uri).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(a.body.contains("Accès opérateur désactivé"), "{uri}");
    }
    let a = c.post("/operateur/connexion", &[("secret", "")]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.set_cookie.is_none());
}

#[tokio::test]
async fn pages_require_a_session() {
    let api = Api::with_ops(ops(), async |_| {}).await;
    let mut c = Client::new(&api);
    for uri in [
        "/operateur",
        "/operateur/campagnes",
        "/operateur/campagnes/nouvelle",
        "/operateur/campagnes/abc",
    ] {
        let a = c.get(uri).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(a.location.as_deref(), Some("/operateur/connexion"), "{uri}");
    }
    // A POST without session does nothing either.
    let a = c.post("/operateur/campagnes", &[("name", "x")]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    // A forged or tampered cookie is no session.
    c.cookie = Some("lba_operateur=abc.99999999999.AAAA".into());
    assert_eq!(
        c.get("/operateur/campagnes").await.status,
        StatusCode::SEE_OTHER
    );
    let a = c.get("/operateur/connexion").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.texts("h1"), ["Connexion opérateur"]);
}

#[tokio::test]
async fn a_wrong_secret_is_refused_and_the_right_one_opens_a_session() {
    let api = Api::with_ops(ops(), async |_| {}).await;
    let mut c = Client::new(&api);
    for wrong in ["", "secret", &format!("{SECRET} "), &SECRET[1..]] {
        let a = c.post("/operateur/connexion", &[("secret", wrong)]).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert!(a.set_cookie.is_none());
        assert_eq!(a.texts(".fr-error-text"), ["Secret incorrect."]);
    }
    assert_eq!(
        c.get("/operateur/campagnes").await.status,
        StatusCode::SEE_OTHER
    );

    let a = c.post("/operateur/connexion", &[("secret", SECRET)]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location.as_deref(), Some("/operateur/campagnes"));
    let cookie = a.set_cookie.unwrap();
    assert!(cookie.starts_with("lba_operateur="), "{cookie}");
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/operateur",
        "Max-Age=43200",
    ] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains(SECRET));
    let a = c.get("/operateur/campagnes").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.texts("h1"), ["Campagnes"]);

    // A session signed with another secret is refused.
    let other = Api::with_ops(
        lba_web::OpsState {
            operator_secret: Some("un autre secret".into()),
            ..lba_web::OpsState::default()
        },
        async |_| {},
    )
    .await;
    let mut stranger = Client::new(&other);
    stranger.cookie = c.cookie.clone();
    assert_eq!(
        stranger.get("/operateur/campagnes").await.status,
        StatusCode::SEE_OTHER
    );
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
