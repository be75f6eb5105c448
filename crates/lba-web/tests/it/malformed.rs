//! Every route of the router walked with malformed requests (issue 20). The
//! routes are found, not listed by hand: the API's from its OpenAPI document
//! (`/api/openapi.json`), the others from the `.route("…", …)` calls under
//! `src/`, so a route is walked as soon as it is written. Each gets hostile
//! path parameters, broken query strings and bodies of the wrong type or
//! shape, from a visitor and from a signed-in administrator (whose CSRF token
//! rides along, so that the handlers behind the session are reached too).
//! None may answer 5xx, and a 4xx always says why (its body is not empty).

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Method, Request, header};

use crate::fixture::Api;
use crate::parcours::Browser;
use crate::pro_support::admin_link;

/// The operations settings of a configured site.
pub fn ops() -> lba_web::OpsState {
    lba_web::OpsState {
        webhook_secret: Some(WEBHOOK_SECRET.to_owned()),
        ..lba_web::OpsState::default()
    }
}

/// The webhook secret of [`ops`].
pub const WEBHOOK_SECRET: &str = "secret-du-webhook";

/// Path parameters no route expects.
const PARAMS: [&str; 6] = [
    "0",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "%F0%9F%92%A9%27%22%3Cscript%3E",
    "%zz",
    "99999999999999999999999999999999",
];

/// Query strings no route expects (appended to the path).
fn queries() -> Vec<String> {
    vec![
        String::new(),
        "?%zz=%&&=&latitude=abc&longitude=1e999&radius=-1&page=99999999999999999999".to_owned(),
        "?romes=%00&insee=%27%3B--&interets=1,1,1,1,1,1,99&exp=-1&sig=%FF&id=".to_owned(),
        format!("?metier={}&lieu=%E9", "a".repeat(9_000)),
    ]
}

/// Bodies of the wrong shape, with their content type.
fn bodies(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("", String::new()),
        (
            "application/x-www-form-urlencoded",
            format!(
                "csrf={csrf}&%zz=%&siret=abc&email=%00&action=%FF&choix=x:y:z&decision=&\
                 contact_email=@&positions=-5&duration_months=1e9&start=31/02/2026&reason=x"
            ),
        ),
        ("application/json", "{\"a\": [1, 2".to_owned()),
        (
            "application/json",
            "[\"not\", \"an\", \"object\"]".to_owned(),
        ),
        (
            "multipart/form-data; boundary=XYZ",
            "--XYZ\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"a.pdf\"\r\n\r\n%PDF"
                .to_owned(),
        ),
        ("text/plain", "\u{0}\u{1}\u{fffd}".to_owned()),
    ]
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The methods a route's handler expression names (`get(…)`, `.post(…)`…).
fn methods_in(handler: &str) -> Vec<Method> {
    let named = |word: &str| {
        handler.match_indices(&format!("{word}(")).any(|(at, _)| {
            at == 0
                || !handler[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    };
    [
        ("get", Method::GET),
        ("post", Method::POST),
        ("put", Method::PUT),
        ("delete", Method::DELETE),
    ]
    .into_iter()
    .filter(|(word, _)| named(word))
    .map(|(_, m)| m)
    .collect()
}

/// `(path, methods)` of every `.route("…", …)` call under `src/`.
fn source_routes() -> Vec<(String, Vec<Method>)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut routes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices(".route(") {
            let call = &text[at + ".route(".len()..];
            let Some(call) = call.trim_start().strip_prefix('"') else {
                continue;
            };
            let Some(end) = call.find('"') else { continue };
            let path = &call[..end];
            // The handler: up to the parenthesis closing `.route(`.
            let mut depth = 1;
            let rest = &call[end + 1..];
            let close = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let methods = methods_in(&rest[..close]);
            assert!(
                !methods.is_empty(),
                "no method found for {path} in {file:?}"
            );
            routes.push((path.to_owned(), methods));
        }
    }
    routes
}

/// `(path, methods)` of the API's OpenAPI document.
pub async fn api_routes(api: &Api) -> Vec<(String, Vec<Method>)> {
    let (_, doc) = api.get("/api/openapi.json").await;
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            let methods = item
                .as_object()
                .unwrap()
                .keys()
                .filter_map(|m| Method::from_bytes(m.to_uppercase().as_bytes()).ok())
                .collect();
            (path.clone(), methods)
        })
        .collect()
}

/// `path` with each `{param}` (or `{*rest}`) replaced by `value`.
fn with_params(path: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(value);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Sends every malformed request to every route as `who`; the failures.
async fn walk(who: &mut Browser, csrf: &str, routes: &[(String, Vec<Method>)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (path, methods) in routes {
        let params: Vec<&str> = if path.contains('{') {
            PARAMS.to_vec()
        } else {
            vec![""]
        };
        for param in params {
            let base = with_params(path, param);
            for method in methods {
                let mut cases: Vec<(String, &str, String)> = queries()
                    .into_iter()
                    .map(|q| (format!("{base}{q}"), "", String::new()))
                    .collect();
                if *method != Method::GET {
                    cases.extend(
                        bodies(csrf)
                            .into_iter()
                            .map(|(kind, body)| (base.clone(), kind, body)),
                    );
                }
                for (uri, kind, body) in cases {
                    let mut request = Request::builder().method(method.clone()).uri(&uri);
                    if !kind.is_empty() {
                        request = request.header(header::CONTENT_TYPE, kind);
                    }
                    let page = who.send(request, Body::from(body)).await;
                    let status = page.status.as_u16();
                    let short: String = uri.chars().take(120).collect();
                    if status >= 500 {
                        failures.push(format!(
                            "{method} {short} [{kind}] → {status}: {}",
                            page.body
                        ));
                    } else if status >= 400 && page.body.trim().is_empty() {
                        failures.push(format!(
                            "{method} {short} [{kind}] → {status} without a message"
                        ));
                    }
                }
            }
        }
    }
    failures
}

#[tokio::test]
async fn no_route_answers_a_malformed_request_with_a_5xx_or_a_silent_4xx() {
    // Configured as in production (a webhook secret; without one the
    // webhook answers 503 « not configured » to every call).
    let api = Api::with_ops(ops(), async |_| {}).await;
    let mut routes = source_routes();
    routes.extend(api_routes(&api).await);
    // Files served from folders: a hostile rest of the path.
    routes.push(("/assets/{*rest}".to_owned(), vec![Method::GET]));
    routes.push(("/api/docs/{*rest}".to_owned(), vec![Method::GET]));
    assert!(
        routes.len() >= 90,
        "{} routes found: the walk lost some ({routes:?})",
        routes.len()
    );
    // Signing out last: the administrator walks every other route signed in.
    routes.sort_by_key(|(path, _)| path.contains("deconnexion"));
    for expected in [
        "/api/v1/jobs",
        "/pro/offres/{id}",
        "/operateur/campagnes/{id}",
    ] {
        assert!(
            routes.iter().any(|(p, _)| p == expected),
            "{expected} not found among {routes:?}"
        );
    }

    let mut visitor = Browser::new(api.router());
    let mut failures = walk(&mut visitor, "", &routes).await;
    let mut admin = Browser::new(api.router());
    admin.get(&admin_link(api.store()).await).await;
    let csrf = admin.get("/pro").await.csrf();
    failures.extend(walk(&mut admin, &csrf, &routes).await);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
