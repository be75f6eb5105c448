//! Operator login attempts are limited per client address and globally:
//! 429 with `Retry-After` and a French message, even for the right secret;
//! the delays grow; the secret never reaches the logs.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::fixture::Api;
use crate::operator_auth::{SECRET, encode};

/// The test's clock, moved by hand (milliseconds since its start).
#[derive(Clone)]
struct Clock {
    start: Instant,
    ms: Arc<AtomicU64>,
}

impl Clock {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            ms: Arc::new(AtomicU64::new(0)),
        }
    }

    fn advance(&self, d: Duration) {
        self.ms
            .fetch_add(u64::try_from(d.as_millis()).unwrap(), Ordering::SeqCst);
    }

    fn guard(&self, limits: lba_web::LoginLimits) -> lba_web::LoginGuard {
        let clock = self.clone();
        lba_web::LoginGuard::with_clock(limits, move || {
            clock.start + Duration::from_millis(clock.ms.load(Ordering::SeqCst))
        })
    }
}

/// The operator pages with the test secret and `guard`.
async fn api(guard: lba_web::LoginGuard) -> Api {
    Api::with_ops(
        lba_web::OpsState {
            operator_secret: Some(SECRET.to_owned()),
            login_guard: guard,
            ..lba_web::OpsState::default()
        },
        async |_| {},
    )
    .await
}

/// A login answer.
struct Login {
    status: StatusCode,
    retry_after: Option<String>,
    body: String,
}

/// POSTs `secret` to the login form from `addr`.
async fn login(api: &Api, addr: &str, secret: &str) -> Login {
    let mut request = Request::post("/operateur/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("secret={}", encode(secret))))
        .unwrap();
    let addr: SocketAddr = addr.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(addr));
    let response = api.router().oneshot(request).await.unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Login {
        status,
        retry_after,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Asserts a 429 asking to wait `secs` seconds.
fn assert_locked(a: &Login, secs: u64, case: &str) {
    assert_eq!(
        a.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{case}: {}",
        a.body
    );
    assert_eq!(a.retry_after, Some(secs.to_string()), "{case}");
    let unit = if secs == 1 { "seconde" } else { "secondes" };
    let message = format!("Trop de tentatives. Réessayez dans {secs} {unit}.");
    assert!(
        a.body.contains(&message),
        "{case}: {message} not in {}",
        a.body
    );
    assert!(a.body.contains("fr-error-text"), "{case}: DSFR error");
}

const ATTACKER: &str = "203.0.113.7:40000";

#[tokio::test]
async fn many_wrong_secrets_lock_the_address_even_for_the_right_one() {
    let clock = Clock::new();
    let api = api(clock.guard(lba_web::LoginLimits::default())).await;
    // Five free failures.
    for i in 0..5 {
        let a = login(&api, ATTACKER, &format!("guess-{i}")).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        assert_eq!(a.retry_after, None);
    }
    // Then locked out, wrong or right secret alike (the sixth attempt and
    // the seventh).
    assert_locked(&login(&api, ATTACKER, "guess-6").await, 1, "6th");
    assert_locked(&login(&api, ATTACKER, SECRET).await, 1, "right secret");
    // Another port of the same address is the same client.
    assert_locked(&login(&api, "203.0.113.7:40001", SECRET).await, 1, "port");

    // Once the delay has passed, the right secret works.
    clock.advance(Duration::from_secs(1));
    let a = login(&api, ATTACKER, SECRET).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert!(a.retry_after.is_none());

    // The success cleared the record: five free failures again.
    for i in 0..5 {
        let a = login(&api, ATTACKER, &format!("again-{i}")).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "again {i}");
    }
    assert_locked(&login(&api, ATTACKER, SECRET).await, 1, "again");
}

#[tokio::test]
async fn the_lockout_grows_with_each_failure_and_is_capped() {
    let clock = Clock::new();
    let limits = lba_web::LoginLimits {
        max_lockout: Duration::from_secs(10),
        ..lba_web::LoginLimits::default()
    };
    let api = api(clock.guard(limits)).await;
    for i in 0..5 {
        login(&api, ATTACKER, &format!("guess-{i}")).await;
    }
    for (i, secs) in [1, 2, 4, 8, 10, 10].into_iter().enumerate() {
        assert_locked(
            &login(&api, ATTACKER, SECRET).await,
            secs,
            &format!("lockout {i}"),
        );
        // Half the delay: still locked, with what remains.
        clock.advance(Duration::from_millis(secs * 500));
        assert_locked(
            &login(&api, ATTACKER, SECRET).await,
            secs.div_ceil(2),
            &format!("lockout {i}, half-way"),
        );
        clock.advance(Duration::from_millis(secs * 500));
        // One more wrong secret once the delay is over: a longer lockout.
        let a = login(&api, ATTACKER, "still wrong").await;
        assert_eq!(
            a.status,
            StatusCode::UNAUTHORIZED,
            "lockout {i}: {}",
            a.body
        );
    }
}

#[tokio::test]
async fn other_addresses_keep_their_budget_until_the_global_threshold() {
    let clock = Clock::new();
    let limits = lba_web::LoginLimits {
        global_failures: 12,
        global_first_lockout: Duration::from_secs(30),
        ..lba_web::LoginLimits::default()
    };
    let api = api(clock.guard(limits)).await;
    // The attacker's address is locked after its five failures…
    for i in 0..5 {
        login(&api, ATTACKER, &format!("guess-{i}")).await;
    }
    assert_locked(&login(&api, ATTACKER, SECRET).await, 1, "attacker");
    // …other addresses still have theirs (5 + 5 + 2 = 12 failures: the
    // threshold, not above).
    for (n, addr) in [
        (5, "198.51.100.1:1000"),
        (2, "198.51.100.2:1000"),
        (0, "[2001:db8::1]:1000"),
    ] {
        for i in 0..n {
            let a = login(&api, addr, &format!("guess-{i}")).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{addr} attempt {i}");
        }
    }
    let a = login(&api, "[2001:db8::1]:1000", SECRET).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);

    // One failure more from anywhere: everyone is locked out, the right
    // secret and fresh addresses too.
    let a = login(&api, "192.0.2.50:1000", "guess").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    for addr in ["192.0.2.51:1000", "[2001:db8::1]:1000", "192.0.2.50:1000"] {
        assert_locked(&login(&api, addr, SECRET).await, 30, addr);
    }
    clock.advance(Duration::from_secs(30));
    let a = login(&api, "192.0.2.51:1000", SECRET).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
}

/// A writer into a shared buffer (the captured log).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn refused_attempts_are_logged_with_the_address_and_never_the_secret() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The test runtime is single-threaded: the handlers log here.
    let _default = tracing::subscriber::set_default(subscriber);

    let clock = Clock::new();
    let api = api(clock.guard(lba_web::LoginLimits::default())).await;
    let near_miss = format!("{SECRET}x");
    for _ in 0..5 {
        let a = login(&api, ATTACKER, &near_miss).await;
        assert!(!a.body.contains(&near_miss));
    }
    let a = login(&api, ATTACKER, SECRET).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!a.body.contains(SECRET));
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        login(&api, ATTACKER, SECRET).await.status,
        StatusCode::SEE_OTHER
    );

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let wrong = text
        .lines()
        .filter(|l| l.contains("operator login refused: wrong secret"))
        .collect::<Vec<_>>();
    assert_eq!(wrong.len(), 5, "{text}");
    assert!(
        wrong
            .iter()
            .all(|l| l.contains("WARN") && l.contains("203.0.113.7"))
    );
    let locked = text
        .lines()
        .find(|l| l.contains("operator login refused: too many failed attempts"))
        .unwrap_or_else(|| panic!("no lockout line in {text}"));
    assert!(
        locked.contains("203.0.113.7") && locked.contains("retry_after_s=1"),
        "{locked}"
    );
    assert!(!text.contains(SECRET), "the secret is in the log:\n{text}");
}
