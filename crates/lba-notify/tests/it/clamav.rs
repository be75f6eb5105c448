//! The virus scan hook, against a tiny server speaking clamd's INSTREAM
//! protocol (ClamAV itself, with its signature database, cannot run here).

use chrono::Utc;
use lba_notify::clamav::{ScanResult, scan};
use lba_store::testing::TestDb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::{PDF, store_application, worker};

/// A clamd stand-in: reads `zINSTREAM\0` and the chunks, checks that the
/// stream is well formed, answers FOUND when the content holds "EICAR".
async fn fake_clamd() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut command = [0u8; 10];
                socket.read_exact(&mut command).await.unwrap();
                assert_eq!(&command, b"zINSTREAM\0");
                let mut content = Vec::new();
                loop {
                    let mut len = [0u8; 4];
                    socket.read_exact(&mut len).await.unwrap();
                    let len = u32::from_be_bytes(len) as usize;
                    if len == 0 {
                        break;
                    }
                    let mut chunk = vec![0u8; len];
                    socket.read_exact(&mut chunk).await.unwrap();
                    content.extend(chunk);
                }
                let reply: &[u8] = if content.windows(5).any(|w| w == b"EICAR") {
                    b"stream: Eicar-Test-Signature FOUND\0"
                } else {
                    b"stream: OK\0"
                };
                socket.write_all(reply).await.unwrap();
            });
        }
    });
    addr
}

#[tokio::test]
async fn the_scan_speaks_instream() {
    let addr = fake_clamd().await;
    assert_eq!(scan(&addr, PDF).await.unwrap(), ScanResult::Clean);
    let mut big = vec![b'x'; 200_000];
    big.extend(b"EICAR");
    assert_eq!(
        scan(&addr, &big).await.unwrap(),
        ScanResult::Infected("Eicar-Test-Signature".into())
    );
    // Nobody listening: an error (the worker retries), not "clean".
    let closed = crate::support::free_port();
    assert!(scan(&format!("127.0.0.1:{closed}"), PDF).await.is_err());
}

#[tokio::test]
async fn an_infected_cv_is_not_sent_and_the_candidate_is_told() {
    let addr = fake_clamd().await;
    let db = TestDb::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    store_application(&db.store, "bad", "r@example.fr", "c@example.fr", now).await;
    // Make the stored CV "infected".
    if let lba_store::Store::Sqlite(pool) = &db.store {
        sqlx::query("UPDATE applications SET cv_bytes = $1 WHERE id = 'bad'")
            .bind(b"%PDF-1.4 EICAR".to_vec())
            .execute(pool)
            .await
            .unwrap();
    }
    let w = worker(
        &db.store,
        lba_notify::Mailer::file(dir.path()),
        "w",
        Some(addr),
    );
    w.run_once(now).await.unwrap();
    let a = db.store.application("bad").await.unwrap().unwrap();
    assert_eq!(a.status, "infected");
    assert!(a.cv_bytes.is_none());
    w.run_once(now).await.unwrap();
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(files.len(), 1, "only the candidate is written to");
    assert!(files[0].contains("To: c@example.fr"), "{}", files[0]);
    db.cleanup().await;
}
