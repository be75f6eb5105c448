use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::{lba, shared_data};

/// A free port on loopback (released just before the server binds it).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A minimal HTTP/1.1 GET: status code and body.
pub(crate) fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
    Some((status, body))
}

pub(crate) fn wait_for_health(child: &mut Child, port: u16) -> (u16, String) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(response) = http_get(port, "/healthz") {
            return response;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("lba serve exited early with {status}");
        }
        assert!(
            Instant::now() < deadline,
            "lba serve did not answer in time"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_imports_on_an_empty_database_answers_healthz_and_stops_on_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let port = free_port();
    let mut child = lba()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--database-url")
        .arg(&db)
        .env("LBA_DATA_DIR", shared_data())
        .env("LBA_MAIL_DIR", tmp.path().join("mail"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    let (status, body) = wait_for_health(&mut child, port);
    assert_eq!(status, 200, "{body}");
    let health: serde_json::Value =
        serde_json::from_str(body.trim()).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(health["database"], "sqlite");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "lba serve ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "graceful shutdown exits 0, got {exit}");

    // The referentials were imported before serving.
    let (ok, out, _) = crate::run(
        crate::lba()
            .args(["status", "--json"])
            .arg("--database-url")
            .arg(&db),
    );
    assert!(ok);
    let counts: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(counts["rome_fiches"], 1584);
    // …and, the database holding no course, offer or company, the local
    // demo data was generated.
    assert_eq!(counts["formations"], 3000);
    assert_eq!(counts["offers"], 6000);
    assert_eq!(counts["companies"], 20000);
}
