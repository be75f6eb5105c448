//! Test helpers: an aiosmtpd server in a child process, a stored
//! application, and a worker.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use lba_notify::jobs::{JobKind, new_job};
use lba_notify::{EmailContext, LinkKey, Mailer, SmtpSettings, TlsMode, Worker, WorkerConfig};
use lba_store::Store;
use lba_store::applications::NewApplication;

/// A minimal PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// A free port on loopback.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An aiosmtpd server writing each message to a folder.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the SMTP tests run: python3 with aiosmtpd must be there (the
/// README's test command installs it). A missing aiosmtpd fails the test,
/// so that a machine without it cannot pass silently; set
/// `LBA_SKIP_SMTP_TESTS=1` to skip them on purpose.
pub fn smtp_available() -> bool {
    if std::env::var("LBA_SKIP_SMTP_TESTS").is_ok_and(|v| v == "1") {
        eprintln!("SKIPPED on purpose (LBA_SKIP_SMTP_TESTS=1): SMTP tests");
        return false;
    }
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "python3 with aiosmtpd is needed for the SMTP tests: python3 -m pip install aiosmtpd \
         (or LBA_SKIP_SMTP_TESTS=1 to skip them on purpose)"
    );
    true
}

impl SmtpServer {
    /// Starts a server on `port` writing to `dir` (a new temporary folder
    /// when `None`); waits until it accepts connections.
    pub fn start(port: u16, dir: Option<&Path>) -> Self {
        let tmp = dir.is_none().then(|| tempfile::tempdir().unwrap());
        let dir = dir
            .map(Path::to_path_buf)
            .unwrap_or_else(|| tmp.as_ref().unwrap().path().to_path_buf());
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_server.py");
        let child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "SMTP server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            child,
            port,
            dir,
            _tmp: tmp,
        }
    }

    /// The messages received so far, oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort_by_key(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(0)
        });
        files
            .into_iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// The messages sent to `address`.
    pub fn messages_to(&self, address: &str) -> Vec<String> {
        self.messages()
            .into_iter()
            .filter(|m| {
                m.lines()
                    .next()
                    .is_some_and(|l| l.contains(&format!(" {address}")))
            })
            .collect()
    }
}

/// An SMTP mailer to a loopback port, plain text.
pub fn smtp_mailer(port: u16) -> Mailer {
    Mailer::smtp(&SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        credentials: None,
    })
    .unwrap()
}

pub const KEY: &[u8] = b"a test key of the links";

/// A worker named `id`.
pub fn worker(store: &Store, mailer: Mailer, id: &str, clamav: Option<String>) -> Worker {
    Worker::new(store.clone(), mailer, worker_config(id, clamav))
}

/// The settings of [`worker`]: batches of 10, 4 jobs at a time.
pub fn worker_config(id: &str, clamav: Option<String>) -> WorkerConfig {
    WorkerConfig {
        worker_id: id.into(),
        lease: TimeDelta::minutes(5),
        batch: 10,
        concurrency: 4,
        max_attempts: 3,
        backoff: TimeDelta::seconds(30),
        poll: Duration::from_millis(50),
        clamav,
        email: EmailContext {
            from: "La bonne alternance <ne-pas-repondre@lba.test>"
                .parse()
                .unwrap(),
            public_url: "http://lba.test".into(),
            contact: "contact@lba.test".into(),
        },
        key: LinkKey::new(KEY),
    }
}

/// Stores an application to a company with a PDF CV and its recruiter job.
pub async fn store_application(
    store: &Store,
    id: &str,
    recruiter: &str,
    candidate: &str,
    now: DateTime<Utc>,
) {
    let application = NewApplication {
        id: id.into(),
        target_kind: "company".into(),
        target_id: "51234567800001".into(),
        target_title: "BOULANGERIE DU PARC".into(),
        company_name: "BOULANGERIE DU PARC".into(),
        recruiter_email: recruiter.into(),
        first_name: "Jeanne".into(),
        last_name: "Martin-Dupré".into(),
        email: candidate.into(),
        phone: "+33612345678".into(),
        message: Some("Bonjour, je souhaite devenir boulangère.".into()),
        cv_name: "cv_jeanne.pdf".into(),
        cv_mime: "application/pdf".into(),
        cv_bytes: PDF.to_vec(),
        caller: None,
        ip_hash: None,
        created_at: now,
    };
    store
        .insert_application(
            &application,
            &[new_job(JobKind::RecruiterApplication, id, now)],
        )
        .await
        .unwrap();
}

/// The decoded body of the MIME part of `message` with this content type
/// (base64 or quoted-printable as lettre writes them), crudely.
pub fn part_header<'a>(message: &'a str, content_type: &str) -> Option<&'a str> {
    message
        .split("\r\n\r\n")
        .find(|block| block.contains(&format!("Content-Type: {content_type}")))
}
