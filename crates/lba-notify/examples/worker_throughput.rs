//! Campaign messages per second through the outbox worker, against a real
//! SMTP server and an HTTP SMS gateway on loopback.
//!
//! Queues `--messages` campaign messages (half e-mails, half SMS unless
//! `--no-sms`: one e-mail and one SMS per person) of one launched campaign
//! sending at `--rate` per second, then runs worker rounds (as `lba worker`
//! does) until every message is sent, on a fresh database: a SQLite file, or
//! PostgreSQL with `--pg` (a new database on the server of
//! `LBA_TEST_PG_URL`). The clock of the rounds is a Tuesday 10:00 in Paris
//! plus the real elapsed time (the SMS window is open, seconds pass as they
//! do).
//!
//! E-mails go to `--smtp`: `sink` (default: a minimal SMTP server of this
//! program, in-process: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; counts
//! messages), a port on 127.0.0.1 (another SMTP server: `python3 -m aiosmtpd
//! -n -l 127.0.0.1:2525`, or this program with `--serve-sink 2525`), or
//! `file` (`.eml` files in a temporary folder). SMS go to an in-process
//! HTTP sink answering `{"messageId": n}`.
//!
//! Prints messages per second and the most messages sent in one second of
//! `sending_at` (never above the rate).
//!
//! ```text
//! cargo run --release -p lba-notify --example worker_throughput -- \
//!     [--messages 4000] [--rate 100000] [--concurrency 16] [--batch 128] \
//!     [--smtp sink|file|PORT] [--no-sms] [--pg]
//! cargo run --release -p lba-notify --example worker_throughput -- --serve-sink 2525
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark program: fails loudly, prints its figures"
)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::{DateTime, DurationRound, TimeDelta, TimeZone, Utc};
use lba_notify::{
    EmailContext, LinkKey, Mailer, SmsGateway, SmsSettings, SmtpSettings, TlsMode, Worker,
    WorkerConfig,
};
use lba_store::Store;
use lba_store::campaign_delivery::NewMessage;
use lba_store::campaigns::CampaignStatus;
use lba_store::testing::TestDb;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

struct Args {
    messages: usize,
    rate: u32,
    concurrency: usize,
    batch: i64,
    smtp: String,
    sms: bool,
    pg: bool,
    serve_sink: Option<u16>,
}

fn args() -> Args {
    let mut a = Args {
        messages: 4000,
        rate: 100_000,
        concurrency: 16,
        batch: 128,
        smtp: "sink".into(),
        sms: true,
        pg: false,
        serve_sink: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag}: value missing"));
        match flag.as_str() {
            "--messages" => a.messages = value().parse().unwrap(),
            "--rate" => a.rate = value().parse().unwrap(),
            "--concurrency" => a.concurrency = value().parse().unwrap(),
            "--batch" => a.batch = value().parse().unwrap(),
            "--smtp" => a.smtp = value(),
            "--serve-sink" => a.serve_sink = Some(value().parse().unwrap()),
            "--no-sms" => a.sms = false,
            "--pg" => a.pg = true,
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// One SMTP session of the sink; `count` grows at each accepted DATA.
async fn smtp_session(stream: TcpStream, count: Arc<AtomicUsize>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let verb = line
            .get(..4)
            .map(<[u8]>::to_ascii_uppercase)
            .unwrap_or_default();
        let answer: &[u8] = match verb.as_slice() {
            b"EHLO" => b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            b"HELO" | b"MAIL" | b"RCPT" | b"RSET" | b"NOOP" => b"250 OK\r\n",
            b"DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                loop {
                    line.clear();
                    if read.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                }
                count.fetch_add(1, Ordering::Relaxed);
                b"250 OK queued\r\n"
            }
            b"QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"500 Unknown command\r\n",
        };
        write.write_all(answer).await?;
    }
}

/// The SMTP sink on `listener`.
async fn smtp_sink(listener: TcpListener, count: Arc<AtomicUsize>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let count = Arc::clone(&count);
        tokio::spawn(async move {
            let _ = smtp_session(stream, count).await;
        });
    }
}

async fn sms_answer(
    State(count): State<Arc<AtomicUsize>>,
) -> (StatusCode, Json<serde_json::Value>) {
    let n = count.fetch_add(1, Ordering::Relaxed) + 1;
    (
        StatusCode::CREATED,
        Json(serde_json::json!({"messageId": n})),
    )
}

/// The SMS sink; its base URL.
async fn sms_sink(count: Arc<AtomicUsize>) -> String {
    let app = axum::Router::new()
        .route("/v3/transactionalSMS/sms", post(sms_answer))
        .with_state(count);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

async fn exec(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(pool) => {
            sqlx::raw_sql(sql).execute(pool).await.unwrap();
        }
        Store::Postgres(pool) => {
            sqlx::raw_sql(sql).execute(pool).await.unwrap();
        }
    }
}

/// People `p0`…, a launched campaign `c1` at `rate`, `n` messages due at
/// `at` (one e-mail, and one SMS with `sms`, per person).
async fn queue(store: &Store, n: usize, sms: bool, rate: u32, at: DateTime<Utc>) {
    let people = if sms { n.div_ceil(2) } else { n };
    for chunk in (0..people).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "('p{i}', 'parcoursup', '{i}', 'Léa', 'Martin', TRUE, '2026-10-01T00:00:00Z')"
                )
            })
            .collect();
        exec(
            store,
            &format!(
                "INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
                 apprenticeship_only, updated_at) VALUES {}",
                rows.join(", ")
            ),
        )
        .await;
    }
    let spec = serde_json::json!({
        "name": "Débit",
        "channels": ["email", "sms"],
        "audience": "young",
        "arms": [
            {"name": "controle", "share": 20, "control": true},
            {"name": "a", "share": 80}
        ],
        "sending": {"rate_per_second": rate, "max_consecutive_errors": 50},
        "cap": {"max_messages": 5, "window_days": 7}
    });
    let arms = vec![
        ("controle".to_owned(), 20, true),
        ("a".to_owned(), 80, false),
    ];
    let created = at - TimeDelta::days(1);
    store
        .create_campaign("c1", "Débit", &spec.to_string(), &arms, created)
        .await
        .unwrap();
    assert!(
        store
            .set_campaign_status(
                "c1",
                &[CampaignStatus::Draft],
                CampaignStatus::Launched,
                None,
                created
            )
            .await
            .unwrap()
    );
    let mut messages = Vec::with_capacity(n);
    for i in 0..people {
        let base = NewMessage {
            campaign_id: "c1".into(),
            person_id: format!("p{i}"),
            channel: "email".into(),
            recipient_kind: "young".into(),
            arm: "a".into(),
            recipient: format!("p{i}@exemple.fr"),
            subject: Some("Trouvez votre entreprise".into()),
            body_text: "Bonjour Léa, des entreprises recrutent près de chez vous : \
                        https://lba.test/c/abc"
                .into(),
            body_html: Some(
                "<html><body><p>Bonjour Léa, des entreprises recrutent près de chez \
                 vous.</p><p><a href=\"https://lba.test/c/abc\">Voir</a></p></body></html>"
                    .into(),
            ),
            links: Vec::new(),
        };
        if sms && messages.len() + 1 < n {
            messages.push(NewMessage {
                channel: "sms".into(),
                recipient: format!("+336{i:08}"),
                subject: None,
                body_text: "Des entreprises recrutent près de chez vous : \
                            https://lba.test/c/abc STOP au 36111"
                    .into(),
                body_html: None,
                ..base.clone()
            });
        }
        messages.push(base);
    }
    messages.truncate(n);
    for chunk in messages.chunks(500) {
        store.insert_messages(chunk, at, at).await.unwrap();
    }
}

/// The worker (the only part that differs from the code before issue 20,
/// which had neither `concurrency` nor `Mailer::smtp_pooled`).
fn worker(store: &Store, mailer: Mailer, a: &Args) -> Worker {
    Worker::new(
        store.clone(),
        mailer,
        WorkerConfig {
            worker_id: "bench".into(),
            lease: TimeDelta::minutes(5),
            batch: a.batch,
            concurrency: a.concurrency,
            max_attempts: 3,
            backoff: TimeDelta::seconds(30),
            poll: Duration::from_millis(50),
            clamav: None,
            email: EmailContext {
                from: "La bonne alternance <ne-pas-repondre@lba.test>"
                    .parse()
                    .unwrap(),
                public_url: "http://lba.test".into(),
                contact: "contact@lba.test".into(),
            },
            key: LinkKey::new(b"a benchmark key of the links"),
        },
    )
}

fn smtp_mailer(port: u16, a: &Args) -> Mailer {
    Mailer::smtp_pooled(
        &SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            tls: TlsMode::None,
            credentials: None,
        },
        u32::try_from(a.concurrency).unwrap_or(16),
    )
    .unwrap()
}

#[tokio::main]
async fn main() {
    let a = args();
    if let Some(port) = a.serve_sink {
        let count = Arc::new(AtomicUsize::new(0));
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        println!("SMTP sink on 127.0.0.1:{port}");
        let shown = Arc::clone(&count);
        tokio::spawn(smtp_sink(listener, count));
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            println!("{} messages", shown.load(Ordering::Relaxed));
        }
    }
    let db = if a.pg {
        TestDb::postgres()
            .await
            .expect("--pg needs LBA_TEST_PG_URL")
    } else {
        TestDb::sqlite().await
    };
    let store = &db.store;
    // Tuesday 6 October 2026, 10:00 in Paris.
    let base = Utc.with_ymd_and_hms(2026, 10, 6, 8, 0, 0).unwrap();
    queue(store, a.messages, a.sms, a.rate, base).await;

    let smtp_count = Arc::new(AtomicUsize::new(0));
    let tmp = tempfile::tempdir().unwrap();
    let mailer = match a.smtp.as_str() {
        "sink" => {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            tokio::spawn(smtp_sink(listener, Arc::clone(&smtp_count)));
            smtp_mailer(port, &a)
        }
        "file" => Mailer::file(tmp.path()),
        port => smtp_mailer(port.parse().expect("--smtp sink|file|PORT"), &a),
    };
    let sms_count = Arc::new(AtomicUsize::new(0));
    let gateway = SmsGateway::new(SmsSettings {
        base_url: sms_sink(Arc::clone(&sms_count)).await,
        api_key: "bench".into(),
        sender: "LBA".into(),
    })
    .unwrap();
    let w = worker(store, mailer, &a).with_sms(Some(gateway));

    let start = Instant::now();
    let (mut done, mut rounds, mut retried) = (0, 0, 0);
    while done < a.messages {
        let now = base + TimeDelta::from_std(start.elapsed()).unwrap();
        let round = w.run_once(now).await.unwrap();
        rounds += 1;
        done += round.sent + round.failed + round.skipped;
        retried += round.retried;
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "stuck after {done} messages: {round:?}"
        );
        if round.claimed == round.deferred {
            let wait = round
                .next_due
                .map_or(TimeDelta::milliseconds(10), |due| due - now);
            tokio::time::sleep(
                wait.to_std()
                    .unwrap_or_default()
                    .max(Duration::from_millis(1)),
            )
            .await;
        }
    }
    let elapsed = start.elapsed();

    let mut per_second: BTreeMap<DateTime<Utc>, usize> = BTreeMap::new();
    let mut sent = 0;
    for m in store.campaign_messages("c1").await.unwrap() {
        if m.status == "sent" {
            sent += 1;
            let second = m
                .sent_at
                .unwrap()
                .duration_trunc(TimeDelta::seconds(1))
                .unwrap();
            *per_second.entry(second).or_default() += 1;
        }
    }
    let busiest = per_second.values().max().copied().unwrap_or(0);
    println!(
        "{:?}, smtp {}, {} messages ({} e-mails received, {} SMS received), concurrency {}, \
         batch {}, rate {}/s",
        db.backend(),
        a.smtp,
        a.messages,
        smtp_count.load(Ordering::Relaxed),
        sms_count.load(Ordering::Relaxed),
        a.concurrency,
        a.batch,
        a.rate
    );
    println!(
        "sent {sent} in {:.2} s over {rounds} rounds ({retried} retries): {:.0} messages/s; \
         busiest second {busiest} (rate {})",
        elapsed.as_secs_f64(),
        sent as f64 / elapsed.as_secs_f64(),
        a.rate
    );
    assert!(busiest <= a.rate as usize, "the rate was not honoured");
    db.cleanup().await;
}
