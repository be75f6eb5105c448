//! The France Travail API client against a local server speaking the same
//! protocol: token reuse and expiry, paging through `range` and
//! `Content-Range`, the per-département cap, 204, 429 with `Retry-After`,
//! 5xx, a 401 that forces a new token, errors naming the département.

use std::time::Duration;

use lba_app::france_travail::{FtClient, FtError, FtSettings, RetryPolicy, Secret};
use lba_app::testing::{CLIENT_ID, CLIENT_SECRET, FakeConfig, FakeFranceTravail, offers};

const PARIS: (f64, f64) = (48.8412, 2.3003);

/// Settings for `server`, with short waits.
pub fn settings(server: &FakeFranceTravail) -> FtSettings {
    let mut s = FtSettings::new(CLIENT_ID, Secret::new(CLIENT_SECRET));
    s.api_base_url = server.api_url();
    s.token_url = server.token_url();
    s.retry = RetryPolicy {
        max_retries: 3,
        backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(2),
    };
    s.request_timeout = Duration::from_secs(20);
    s
}

async fn server_with(departement: &str, n: usize) -> FakeFranceTravail {
    let mut config = FakeConfig::default();
    config.offers.insert(
        departement.to_owned(),
        offers("P", n, "75115", PARIS, "D1102"),
    );
    FakeFranceTravail::start(config).await.unwrap()
}

#[tokio::test]
async fn pages_follow_content_range_and_the_token_is_reused() {
    let server = server_with("75", 320).await;
    let client = FtClient::new(settings(&server)).unwrap();
    let got = client.departement_offers("75").await.unwrap();
    assert_eq!(got.offers.len(), 320);
    assert_eq!(got.total, Some(320));
    assert_eq!(got.pages, 3);
    assert!(!got.truncated);
    let ids: std::collections::HashSet<&str> = got
        .offers
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 320);
    let ranges: Vec<String> = server.searches().into_iter().map(|(_, r)| r).collect();
    assert_eq!(ranges, ["0-149", "150-299", "300-449"]);

    // Another département (204: no offer) with the same token.
    let none = client.departement_offers("01").await.unwrap();
    assert!(none.offers.is_empty());
    assert_eq!((none.pages, none.total), (1, None));
    assert_eq!(server.token_calls(), 1);
    assert_eq!(client.token_requests(), 1);
}

#[tokio::test]
async fn a_departement_is_cut_at_the_cap() {
    let server = server_with("13", 3_200).await;
    let client = FtClient::new(settings(&server)).unwrap();
    let got = client.departement_offers("13").await.unwrap();
    assert_eq!(got.offers.len(), 3_000);
    assert_eq!(got.total, Some(3_200));
    assert!(got.truncated);
    assert_eq!(got.pages, 20);
    let last = server.searches().pop().unwrap();
    assert_eq!(last, ("13".to_owned(), "2850-2999".to_owned()));

    // A smaller cap that is not a multiple of the page size.
    let mut small = settings(&server);
    small.max_per_departement = 200;
    let client = FtClient::new(small).unwrap();
    let got = client.departement_offers("13").await.unwrap();
    assert_eq!(got.offers.len(), 200);
    let last = server.searches().pop().unwrap();
    assert_eq!(last.1, "150-199");
}

#[tokio::test]
async fn too_many_requests_waits_retry_after_then_succeeds() {
    let server = server_with("75", 10).await;
    server.configure(|c| {
        c.too_many = 2;
        c.retry_after = 1;
    });
    let client = FtClient::new(settings(&server)).unwrap();
    let got = client.departement_offers("75").await.unwrap();
    assert_eq!(got.offers.len(), 10);
    assert_eq!(server.searches().len(), 3);

    // A huge Retry-After is capped by max_wait (the test would hang else).
    server.configure(|c| {
        c.too_many = 1;
        c.retry_after = 3_600;
    });
    let mut capped = settings(&server);
    capped.retry.max_wait = Duration::from_millis(50);
    let client = FtClient::new(capped).unwrap();
    assert_eq!(
        client.departement_offers("75").await.unwrap().offers.len(),
        10
    );

    // Retries are bounded.
    server.configure(|c| {
        c.too_many = 100;
        c.retry_after = 0;
    });
    let before = server.searches().len();
    let err = client.departement_offers("75").await.unwrap_err();
    assert!(
        matches!(&err, FtError::Exhausted { departement, attempts: 4, .. } if departement == "75"),
        "{err:?}"
    );
    assert_eq!(server.searches().len() - before, 4);
    assert!(err.to_string().contains("département 75"), "{err}");
}

#[tokio::test]
async fn server_errors_are_retried_with_back_off() {
    let server = server_with("75", 5).await;
    server.configure(|c| c.unavailable = 2);
    let client = FtClient::new(settings(&server)).unwrap();
    assert_eq!(
        client.departement_offers("75").await.unwrap().offers.len(),
        5
    );
    assert_eq!(server.searches().len(), 3);
}

#[tokio::test]
async fn a_401_forces_one_new_token() {
    let server = server_with("75", 5).await;
    let client = FtClient::new(settings(&server)).unwrap();
    client.departement_offers("75").await.unwrap();
    assert_eq!(server.token_calls(), 1);
    server.configure(|c| c.revoke = true);
    let got = client.departement_offers("75").await.unwrap();
    assert_eq!(got.offers.len(), 5);
    assert_eq!(server.token_calls(), 2);
}

#[tokio::test]
async fn an_expired_token_is_renewed_before_use() {
    let server = server_with("75", 5).await;
    // 6 s of life: renewed after 3 s (half its life as margin).
    server.configure(|c| c.expires_in = 6);
    let client = FtClient::new(settings(&server)).unwrap();
    client.departement_offers("75").await.unwrap();
    client.departement_offers("75").await.unwrap();
    assert_eq!(server.token_calls(), 1, "reused while valid");
    tokio::time::sleep(Duration::from_millis(3_200)).await;
    client.departement_offers("75").await.unwrap();
    assert_eq!(server.token_calls(), 2, "renewed once expired");
}

#[tokio::test]
async fn refusals_are_errors_naming_what_failed() {
    let server = server_with("75", 5).await;
    server.configure(|c| c.forbidden = vec!["2A".to_owned()]);
    let client = FtClient::new(settings(&server)).unwrap();
    let err = client.departement_offers("2A").await.unwrap_err();
    assert!(
        matches!(&err, FtError::Http { departement, status: 403, .. } if departement == "2A"),
        "{err:?}"
    );
    assert!(err.to_string().contains("accès refusé"), "{err}");

    let mut wrong = settings(&server);
    wrong.client_secret = Secret::new("pas le bon");
    let err = FtClient::new(wrong)
        .unwrap()
        .departement_offers("75")
        .await
        .unwrap_err();
    assert!(matches!(err, FtError::Token { status: 401, .. }), "{err:?}");

    let mut missing = settings(&server);
    missing.client_secret = Secret::new("");
    let err = FtClient::new(missing).unwrap_err();
    assert!(err.to_string().contains("LBA_FT_CLIENT_SECRET"), "{err}");
    // The secret never shows in Debug output.
    let shown = format!("{:?}", settings(&server));
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
}
