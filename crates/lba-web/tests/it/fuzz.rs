//! Property tests over the parsers of outside input behind the router
//! (issue 20): arbitrary query strings on every v1 route, arbitrary bodies
//! on the delivery webhook, arbitrary multipart forms on the application
//! endpoint, arbitrary signed-link parameters. None answers 5xx, and a 4xx
//! says why. (The readers of imported files have theirs in lba-data.)

use axum::body::Body;
use axum::http::{Method, Request, header};
use proptest::prelude::*;

use crate::fixture::Api;
use crate::malformed::{WEBHOOK_SECRET, api_routes, ops};

/// A runtime and the application, shared by the cases of one property.
fn setup() -> (tokio::runtime::Runtime, Api) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let api = rt.block_on(Api::with_ops(ops(), async |_| {}));
    (rt, api)
}

/// Sends `request`; a failure message when it answers 5xx or a silent 4xx.
fn check(rt: &tokio::runtime::Runtime, api: &Api, request: Request<Body>) -> Result<(), String> {
    let what = format!("{} {}", request.method(), request.uri());
    let (status, _, body) = rt.block_on(api.request(request));
    if status.is_server_error() || (status.is_client_error() && body.is_empty()) {
        return Err(format!(
            "{what} → {status}: {}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(())
}

/// Text percent-encoded byte by byte where needed (any byte may come out).
fn encoded(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b',' | b'=' | b'&' => {
                char::from(*b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn query() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "romes",
        "rncp",
        "latitude",
        "longitude",
        "radius",
        "insee",
        "sources",
        "caller",
        "diploma",
        "opco",
        "interets",
        "niveau",
        "methode",
        "page",
        "title",
        "label",
        "x",
    ]);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200).prop_map(|b| encoded(&b)),
        prop::collection::vec((names, "[-0-9a-zA-Z.,%éè ]{0,30}"), 0..8).prop_map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={}", encoded(v.as_bytes())))
                .collect::<Vec<_>>()
                .join("&")
        }),
    ]
}

#[test]
fn no_v1_route_fails_on_any_query_string() {
    let (rt, api) = setup();
    let routes: Vec<String> = rt
        .block_on(api_routes(&api))
        .into_iter()
        .filter(|(_, methods)| methods.contains(&Method::GET))
        .map(|(path, _)| path.replace(['{', '}'], ""))
        .collect();
    assert!(routes.len() >= 10, "{routes:?}");
    proptest!(ProptestConfig::with_cases(64), |(q in query(), which in any::<prop::sample::Index>())| {
        let path = which.get(&routes);
        let request = Request::get(format!("{path}?{q}")).body(Body::empty()).unwrap();
        check(&rt, &api, request).map_err(TestCaseError::fail)?;
    });
}

#[test]
fn the_webhook_refuses_any_body_it_cannot_read_with_a_message() {
    let (rt, api) = setup();
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        "[\\[\\]{}\",:0-9a-z_ -]{0,200}".prop_map(String::into_bytes),
        prop::collection::vec(
            (
                prop::sample::select(vec!["delivered", "hard_bounce", "opened", "clicked", "x", ""]),
                "[a-z0-9@.<>-]{0,30}",
                "[a-z0-9@.+-]{0,30}",
            ),
            0..5
        )
        .prop_map(|events| {
            let list: Vec<String> = events
                .iter()
                .map(|(e, id, to)| {
                    format!(r#"{{"event":"{e}","message_id":"{id}","recipient":"{to}","at":"2026-13-01"}}"#)
                })
                .collect();
            format!("[{}]", list.join(",")).into_bytes()
        }),
    ];
    proptest!(ProptestConfig::with_cases(64), |(bytes in body)| {
        let request = Request::post("/api/webhooks/messages")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-webhook-secret", WEBHOOK_SECRET)
            .body(Body::from(bytes))
            .unwrap();
        check(&rt, &api, request).map_err(TestCaseError::fail)?;
    });
}

#[test]
fn the_application_endpoint_refuses_any_multipart_form_it_cannot_read() {
    let (rt, api) = setup();
    let part = (
        prop::sample::select(vec![
            "applicant_first_name",
            "applicant_last_name",
            "applicant_email",
            "applicant_phone",
            "message",
            "company_siret",
            "job_id",
            "company_type",
            "applicant_file_name",
            "applicant_file_content",
            "caller",
            "x",
        ]),
        prop::collection::vec(any::<u8>(), 0..120),
        any::<bool>(),
    );
    let form = (prop::collection::vec(part, 0..10), any::<bool>());
    proptest!(ProptestConfig::with_cases(64), |((parts, close) in form)| {
        let mut body = Vec::new();
        for (name, value, as_file) in &parts {
            body.extend(b"--B0UNDARY\r\nContent-Disposition: form-data; name=\"");
            body.extend(name.as_bytes());
            if *as_file {
                body.extend(b"\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n");
            } else {
                body.extend(b"\"\r\n\r\n");
            }
            body.extend(value);
            body.extend(b"\r\n");
        }
        if close {
            body.extend(b"--B0UNDARY--\r\n");
        }
        let request = Request::post("/api/v1/application")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B0UNDARY")
            .body(Body::from(body))
            .unwrap();
        check(&rt, &api, request).map_err(TestCaseError::fail)?;
    });
}

#[test]
fn signed_links_refuse_any_forged_parameters_with_a_message() {
    let (rt, api) = setup();
    let links = vec![
        "/pro/connexion/lien?id={a}&exp={b}&sig={c}",
        "/candidature/{a}/reponse?action={b}&exp={b}&sig={c}",
        "/candidature/{a}/suppression?exp={b}&sig={c}",
        "/pro/offre/{a}/action?action={c}&pour={b}&exp={b}&sig={c}",
        "/pro/delegation/{a}/{c}?exp={b}&sig={c}",
        "/c/{a}",
    ];
    let value = prop_oneof![
        "[-0-9a-zA-Z_]{0,40}",
        prop::collection::vec(any::<u8>(), 0..60)
            .prop_map(|b| encoded(&b).replace('&', "%26").replace('=', "%3D")),
        Just("9".repeat(40)),
        Just("-1".to_owned()),
    ];
    proptest!(ProptestConfig::with_cases(96), |(link in prop::sample::select(links), a in value.clone(), b in value.clone(), c in value)| {
        let a = if a.is_empty() { "x".to_owned() } else { a };
        let uri = link.replace("{a}", &a).replace("{b}", &b).replace("{c}", &c);
        let request = Request::get(uri).body(Body::empty()).unwrap();
        check(&rt, &api, request).map_err(TestCaseError::fail)?;
    });
}
