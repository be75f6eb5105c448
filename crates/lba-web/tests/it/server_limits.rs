//! The server loop over a real socket: silent and half-sent connections are
//! closed after the header timeout, idle keep-alive connections too, the
//! connection cap holds, and `/healthz` answers meanwhile.

use std::time::{Duration, Instant};

use lba_store::testing::TestDb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::app;

/// Starts the server with `limits` on a free loopback port; returns its
/// address and the sender that stops it.
async fn start(
    db: &TestDb,
    limits: lba_web::ServerLimits,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app(db).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(lba_web::serve_router(listener, router, limits, async {
        let _ = stopped.await;
    }));
    (addr, stop)
}

fn limits(header_timeout: Duration, max_connections: usize) -> lba_web::ServerLimits {
    lba_web::ServerLimits {
        header_timeout,
        max_connections,
        shutdown_grace: Duration::from_secs(2),
    }
}

/// One whole `GET /healthz` on a new connection: the status line.
async fn healthz(addr: std::net::SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Reads until the server closes `stream` (EOF or reset), at most `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0_u8; 1024];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // A 408 response may come before the close.
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn silent_and_half_sent_connections_are_closed_and_healthz_still_answers() {
    let db = TestDb::sqlite().await;
    let timeout = Duration::from_millis(1500);
    let (addr, _stop) = start(&db, limits(timeout, 1_000)).await;

    let opened = Instant::now();
    let mut silent = Vec::new();
    for _ in 0..300 {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut half = Vec::new();
    for _ in 0..50 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
            .await
            .unwrap();
        half.push(s);
    }
    // Meanwhile the service answers.
    assert_eq!(healthz(addr).await, "HTTP/1.1 200 OK");

    for stream in silent.iter_mut().chain(half.iter_mut()) {
        assert!(
            closed_within(stream, timeout + Duration::from_secs(5)).await,
            "a connection stayed open"
        );
    }
    // Not closed before the timeout: the limit is the setting, not an accident.
    assert!(opened.elapsed() >= timeout, "{:?}", opened.elapsed());
    assert_eq!(healthz(addr).await, "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_timeout() {
    let db = TestDb::sqlite().await;
    let timeout = Duration::from_millis(1000);
    let (addr, _stop) = start(&db, limits(timeout, 100)).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0_u8; 4096];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "{:?}", &buf[..n]);
    // Keep-alive: nothing more is sent; the server closes.
    assert!(closed_within(&mut stream, timeout + Duration::from_secs(5)).await);
}

#[tokio::test]
async fn connections_over_the_cap_wait_until_a_slot_frees() {
    let db = TestDb::sqlite().await;
    let timeout = Duration::from_millis(1500);
    let (addr, _stop) = start(&db, limits(timeout, 5)).await;
    let mut silent = Vec::new();
    for _ in 0..5 {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    // Let the loop take the five and stop at the cap.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    // The sixth is queued, then served once the silent ones time out.
    let status = tokio::time::timeout(timeout + Duration::from_secs(5), healthz(addr))
        .await
        .expect("served after the silent connections were closed");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        asked.elapsed() >= timeout / 2,
        "served at once: the cap did not hold ({:?})",
        asked.elapsed()
    );
}

#[tokio::test]
async fn shutdown_closes_idle_connections_and_stops_accepting() {
    let db = TestDb::sqlite().await;
    let (addr, stop) = start(&db, limits(Duration::from_secs(30), 100)).await;
    let mut idle = TcpStream::connect(addr).await.unwrap();
    assert_eq!(healthz(addr).await, "HTTP/1.1 200 OK");
    stop.send(()).unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(5)).await);
    // The listener is gone.
    let refused = tokio::time::timeout(Duration::from_secs(2), async {
        loop {
            if TcpStream::connect(addr).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(refused.is_ok(), "still accepting after shutdown");
}
