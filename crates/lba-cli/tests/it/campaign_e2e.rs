//! Issue 8 end to end through the binary: `lba demo cohort` →
//! `import-cohort` → `create` (the sample spec) → `launch` → `lba worker`
//! (child process) sending to a real SMTP server on loopback (aiosmtpd)
//! and to `lba demo sms-gateway` (child process) → `report`. The worker is
//! killed mid-way and restarted once: no e-mail goes out twice.

use std::collections::HashSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{lba, run, shared_data};

const KEY: &str = "cle-de-test";

/// A child process killed when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default()
}

/// The Message-ID of a raw e-mail.
fn message_id(raw: &str) -> String {
    raw.lines()
        .find_map(|l| {
            l.get(..11)
                .filter(|h| h.eq_ignore_ascii_case("message-id:"))
                .map(|_| l[11..].trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no Message-ID: {raw}"))
}

fn lba_json(db: &Path, args: &[&str]) -> serde_json::Value {
    let (ok, out, err) = run(lba()
        .args(args)
        .arg("--json")
        .arg("--database-url")
        .arg(db)
        .env("LBA_LINK_SECRET", "secret-de-test")
        .env("LBA_PUBLIC_URL", "https://lba.test"));
    assert!(ok, "{args:?}\n{out}\n{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// Messages the worker has in flight at once.
const CONCURRENCY: usize = 4;

fn worker(db: &Path, smtp_port: u16, sms_port: u16, mail_dir: &Path) -> Guard {
    let child = lba()
        .arg("worker")
        .env("LBA_DATABASE_URL", db)
        .env("LBA_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("LBA_MAIL_DIR", mail_dir)
        .env("LBA_LINK_SECRET", "secret-de-test")
        .env("LBA_PUBLIC_URL", "https://lba.test")
        .env("LBA_SMS_API_URL", format!("http://127.0.0.1:{sms_port}"))
        .env("LBA_SMS_API_KEY", KEY)
        .env("LBA_WORKER_POLL_MS", "50")
        .env("LBA_WORKER_LEASE_SECS", "2")
        .env("LBA_WORKER_CONCURRENCY", CONCURRENCY.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Guard(child)
}

/// Polls `done` every 100 ms for at most `secs` seconds.
fn wait_until(secs: u64, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn campaign_is_sent_end_to_end_through_worker_smtp_and_sms_gateway() {
    if !crate::smtp_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let cohort = tmp.path().join("cohorte.csv");
    let smtp_dir = tmp.path().join("smtp");
    let sms_dir = tmp.path().join("sms");
    let mail_dir = tmp.path().join("mail");

    let (ok, out, err) = run(lba()
        .args(["import", "referentials", "--data-dir"])
        .arg(shared_data())
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    let (ok, out, err) = run(lba()
        .args(["demo", "generate", "--reference-date", "2026-05-01"])
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    let cohort_arg = cohort.display().to_string();
    lba_json(
        &db,
        &[
            "demo",
            "cohort",
            "--candidates",
            "300",
            "--seed",
            "8",
            "--reference-date",
            "2026-05-01",
            "--out",
            &cohort_arg,
        ],
    );
    lba_json(
        &db,
        &[
            "campaign",
            "import-cohort",
            "--source",
            "parcoursup",
            "--file",
            &cohort_arg,
        ],
    );
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/campagne-exemple.json"
    );
    let id = lba_json(&db, &["campaign", "create", "--spec", spec])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let launched = lba_json(&db, &["campaign", "launch", "--id", &id]);
    assert_eq!(launched["errors"], 0, "{launched}");
    let emails = launched["email"].as_u64().unwrap() as usize;
    let sms = launched["sms"].as_u64().unwrap() as usize;
    assert!(emails > 20 && sms > 0, "{launched}");

    // The real SMTP server (the lba-notify test script) and the local SMS
    // gateway, both on loopback.
    let smtp_port = free_port();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../lba-notify/tests/smtp_server.py"
    );
    let _smtp = Guard(
        Command::new("python3")
            .arg(script)
            .arg(smtp_port.to_string())
            .arg(&smtp_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(smtp_port, "SMTP server");
    let sms_port = free_port();
    let _gateway = Guard(
        lba()
            .args(["demo", "sms-gateway", "--addr"])
            .arg(format!("127.0.0.1:{sms_port}"))
            .arg("--dir")
            .arg(&sms_dir)
            .args(["--api-key", KEY])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(sms_port, "SMS gateway");

    // First worker: killed (SIGKILL, no clean shutdown) once some e-mails
    // went out, then a second one finishes the campaign.
    let mut first = worker(&db, smtp_port, sms_port, &mail_dir);
    wait_until(120, "the first e-mails", || {
        files(&smtp_dir, "eml").len() >= 10
    });
    first.0.kill().unwrap();
    first.0.wait().unwrap();
    let before_restart: HashSet<String> = files(&smtp_dir, "eml")
        .iter()
        .map(|p| message_id(&std::fs::read_to_string(p).unwrap()))
        .collect();
    assert!(
        before_restart.len() < emails,
        "the worker was killed too late"
    );
    let _second = worker(&db, smtp_port, sms_port, &mail_dir);

    let window_open = lba_campaign::window::SendWindow::MARKETING_SMS.allows(chrono::Utc::now());
    // Wait for every distinct message (a copy of the one in flight at the
    // kill must not stand for a message still to come).
    wait_until(300, "every e-mail", || {
        files(&smtp_dir, "eml")
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .map(|raw| message_id(&raw))
            .collect::<HashSet<_>>()
            .len()
            >= emails
    });
    if window_open {
        wait_until(300, "every SMS", || sms_keys(&sms_dir).len() >= sms);
    }

    // Each campaign e-mail reached the SMTP server once, with the
    // unsubscribe headers. The one exception the design allows (at least
    // once): a message in flight when the worker was killed, if the SMTP
    // server had accepted it before its row was marked `sent`; it goes
    // again with the same Message-ID. Nothing sent earlier is resent.
    let mut copies: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for path in files(&smtp_dir, "eml") {
        let raw = std::fs::read_to_string(&path).unwrap();
        assert!(raw.contains("List-Unsubscribe: <"), "{raw}");
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        let id = message_id(&raw);
        assert!(id.starts_with("<cm-"), "{id}");
        *copies.entry(id).or_default() += 1;
    }
    assert_eq!(copies.len(), emails);
    let email_copies: usize = copies.values().map(|n| n - 1).sum();

    // SMS: only inside the window (Monday–Saturday 08–22 Paris, not on a
    // public holiday); written by the gateway with the STOP mention.
    let sms_files = files(&sms_dir, "json");
    let sms_copies = sms_files.len() - sms_keys(&sms_dir).len();
    // The worker has at most CONCURRENCY messages (e-mail or SMS) in
    // flight, so at most that many extra copies in all. (A copy may land
    // after the kill: the server finishes a message whose client is gone.)
    assert!(
        email_copies + sms_copies <= CONCURRENCY,
        "messages sent more than once: {email_copies} e-mail and {sms_copies} SMS copies \
         (e-mails received before the restart: {})",
        before_restart.len()
    );
    if window_open {
        assert_eq!(sms_files.len() - sms_copies, sms);
        let first: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&sms_files[0]).unwrap()).unwrap();
        assert!(
            first["content"].as_str().unwrap().contains("STOP"),
            "{first}"
        );
        assert_eq!(first["tag"], id.as_str());
    } else {
        assert!(sms_files.is_empty(), "SMS sent outside the window");
    }

    let report = lba_json(&db, &["campaign", "report", "--id", &id]);
    let arms = report["arms"].as_array().unwrap();
    assert_eq!(arms[0]["control"], true);
    assert!(arms[0]["targeted"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(arms[0]["messages"], 0, "{report}");
    assert_eq!(arms[0]["sent"], 0, "{report}");
    let sent: u64 = arms.iter().map(|a| a["sent"].as_u64().unwrap()).sum();
    for arm in &arms[1..] {
        assert!(arm["sent"].as_u64().unwrap() > 0, "{report}");
    }
    let expected = emails + if window_open { sms } else { 0 };
    assert_eq!(sent as usize, expected, "{report}");
}

#[test]
fn sms_gateway_refuses_a_wrong_key_and_bad_json() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let _gateway = Guard(
        lba()
            .args(["demo", "sms-gateway", "--addr"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--dir")
            .arg(tmp.path())
            .args(["--api-key", KEY])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port, "SMS gateway");
    let url = format!("http://127.0.0.1:{port}/v3/transactionalSMS/sms");
    let post = |key: &str, body: &str| -> (String, String) {
        let out = Command::new("curl")
            .args(["-s", "-o", "-", "-w", "\n%{http_code}", "-X", "POST", &url])
            .args(["-H", &format!("api-key: {key}")])
            .args(["-H", "content-type: application/json", "--data", body])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').unwrap();
        (code.to_owned(), body.to_owned())
    };
    let good = r#"{"sender":"LBA","recipient":"33612345678","content":"Bonjour STOP au 36111","type":"marketing","tag":"camp-1"}"#;
    assert_eq!(post("faux", good).0, "401");
    let (code, body) = post(KEY, "{pas du json");
    assert_eq!(code, "400", "{body}");
    let (code, body) = post(KEY, r#"{"sender":"LBA","content":"x"}"#);
    assert_eq!(code, "400");
    assert!(body.contains("recipient"), "{body}");
    assert!(files(tmp.path(), "json").is_empty());
    let (code, body) = post(KEY, good);
    assert_eq!(code, "200", "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = answer["messageId"].as_str().unwrap();
    let written = files(tmp.path(), "json");
    assert_eq!(written.len(), 1);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written[0]).unwrap()).unwrap();
    assert_eq!(saved["messageId"], id);
    assert_eq!(saved["recipient"], "33612345678");

    let (ok, out, _) = run(lba().args(["demo", "sms-gateway", "--help"]));
    assert!(
        ok && out.contains("local") && out.contains("tests"),
        "{out}"
    );
}

/// The distinct SMS the gateway wrote, by (recipient, content): each message
/// has its own tracked links, so two files with the same pair are two copies
/// of one message.
fn sms_keys(dir: &std::path::Path) -> HashSet<(String, String)> {
    files(dir, "json")
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|raw| serde_json::from_str::<serde_json::Value>(&raw).ok())
        .map(|v| {
            (
                v["recipient"].as_str().unwrap_or_default().to_owned(),
                v["content"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}
