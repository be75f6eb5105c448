//! Cohort follow-up figures (issue 18), in process: a 20,000-person
//! campaign (control 20 %, two variants 40 % each, 96 départements × 3
//! levels) whose 16,000 treated people got a message with 30 events each
//! (480,000 events), then
//! - `import-outcomes` of a 100,000-row file (wall time; then the re-import);
//! - the dashboard (`campaigns::impact`: one aggregated query + the
//!   estimators), median and p95 of 20 runs;
//! - the person page (`person::path`), median and p99 of 500 people.
//!
//! On SQLite (a fresh file), and on PostgreSQL when `LBA_TEST_PG_URL` is set.
//!
//! `cargo run --release -p lba-app --example impact_latency`

use std::io::Write as _;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, Utc};
use lba_app::{NoProgress, campaigns, person};
use lba_campaign::outcome::OutcomeSource;
use lba_campaign::{CampaignSpec, Person, Source, Wish, WishKind, WishStatus};
use lba_store::Store;
use lba_store::testing::TestDb;

const PEOPLE: usize = 20_000;
const EVENTS_PER_MESSAGE: i64 = 30;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn person(i: usize) -> Person {
    let candidate = format!("{i:06}");
    Person {
        id: Person::id_for(Source::Parcoursup, &candidate),
        source: Source::Parcoursup,
        candidate_id: candidate,
        first_name: "Léa".into(),
        last_name: "Martin".into(),
        birth_date: None,
        email: lba_core::Email::parse(&format!("jeune{i}@exemple.fr")).ok(),
        mobile: None,
        parent_email: None,
        parent_mobile: None,
        postal_code: None,
        commune_insee: None,
        departement: Some(format!("{:02}", i % 96 + 1)),
        region: None,
        home: None,
        school_uai: None,
        class: None,
        apprenticeship_only: true,
        wishes: vec![Wish {
            key: format!("cle:K{}", i % 500),
            position: 0,
            course_key: Some(format!("K{}", i % 500)),
            parcoursup_id: None,
            cfa_uai: None,
            cfa_siret: None,
            cfd: None,
            formation_id: None,
            linked_cfa_uai: None,
            level: Some(3 + (i % 3) as u8),
            kind: WishKind::Apprentissage,
            status: WishStatus::Propose,
            contract_signed: false,
        }],
    }
}

fn spec() -> Result<CampaignSpec, serde_json::Error> {
    serde_json::from_value(serde_json::json!({
        "name": "Mesure",
        "segment": {"apprenticeship_only": true},
        "channels": ["email"],
        "audience": "young",
        "arms": [
            {"name": "controle", "share": 20, "control": true},
            {"name": "cfa", "share": 40, "templates": {"email_subject": "Bonjour", "email_text": "{{ lien_recherche }}"}},
            {"name": "entreprises", "share": 40, "templates": {"email_subject": "Bonjour", "email_text": "{{ lien_recherche }}"}}
        ]
    }))
}

/// Runs `sql` with `$1` = now and `$2` = the campaign.
async fn exec(store: &Store, sql: &str, campaign: &str) -> Result<(), sqlx::Error> {
    let now = Utc::now();
    match store {
        Store::Sqlite(pool) => {
            sqlx::query(sql)
                .bind(now)
                .bind(campaign)
                .execute(pool)
                .await?;
        }
        Store::Postgres(pool) => {
            sqlx::query(sql)
                .bind(now)
                .bind(campaign)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let people: Vec<Person> = (0..PEOPLE).map(person).collect();
    let dir = tempfile::tempdir()?;
    for db in TestDb::all().await {
        let store = &db.store;
        let backend = store.backend().as_str();
        let start = Instant::now();
        for chunk in people.chunks(2_000) {
            store.upsert_people(chunk).await?;
        }
        let id = campaigns::create(store, &spec()?, Utc::now()).await?;
        campaigns::assign(store, b"bench-key", &id, Utc::now()).await?;
        // Messages and events straight in SQL: the launch and the worker
        // are measured elsewhere.
        exec(
            store,
            "INSERT INTO campaign_messages (campaign_id, person_id, channel, recipient_kind, arm, \
             recipient, body_text, status, attempts, created_at, sent_at) \
             SELECT campaign_id, person_id, 'email', 'young', arm, 'x@exemple.fr', 'texte', 'sent', \
             1, $1, $1 FROM campaign_assignments WHERE campaign_id = $2 AND arm <> 'controle'",
            &id,
        )
        .await?;
        exec(store, "CREATE TABLE bench_numbers (n BIGINT NOT NULL)", &id)
            .await
            .ok();
        for n in 1..=EVENTS_PER_MESSAGE {
            exec(
                store,
                &format!("INSERT INTO bench_numbers (n) VALUES ({n})"),
                &id,
            )
            .await?;
        }
        exec(
            store,
            "INSERT INTO message_events (message_id, kind, detail, created_at) \
             SELECT m.id, CASE WHEN b.n = 1 THEN 'delivered' WHEN b.n = 30 THEN 'unsubscribed' \
             ELSE 'clicked' END, CASE WHEN b.n % 3 = 0 THEN 'recherche' \
             WHEN b.n > 1 AND b.n < 30 THEN 'formation' END, $1 \
             FROM campaign_messages m CROSS JOIN bench_numbers b WHERE m.campaign_id = $2",
            &id,
        )
        .await?;
        exec(
            store,
            "UPDATE campaigns SET status = 'launched', launched_at = $1 WHERE id = $2",
            &id,
        )
        .await?;
        // As autovacuum (PostgreSQL) would after such a bulk load: planner
        // statistics of the new rows.
        exec(store, "ANALYZE", &id).await.ok();
        println!(
            "{backend}: {PEOPLE} people, {} events set up in {:.1} s",
            (PEOPLE as i64 * 8 / 10) * EVENTS_PER_MESSAGE,
            start.elapsed().as_secs_f64()
        );

        // 100,000 outcome rows: five per person over the weeks after today.
        let today = Utc::now().date_naive();
        let file = dir.path().join(format!("resultats-{backend}.csv"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file)?);
        writeln!(w, "id_candidat;date;evenement")?;
        let events = [
            "voeu_accepte",
            "inscrit_cfa",
            "contrat_signe",
            "voeu_refuse",
            "abandon",
        ];
        for i in 0..PEOPLE {
            for (k, e) in events.iter().enumerate() {
                let date: NaiveDate = today + Days::new(((i * 7 + k * 11) % 120) as u64);
                writeln!(w, "{i:06};{date};{e}")?;
            }
        }
        w.flush()?;
        drop(w);
        let start = Instant::now();
        let report =
            lba_app::outcomes::import(store, &file, OutcomeSource::Parcoursup, &NoProgress).await?;
        println!(
            "{backend}: import-outcomes of {} rows: {:.2} s ({} stored, {} rejected)",
            report.rows,
            start.elapsed().as_secs_f64(),
            report.stored,
            report.rejected
        );
        let start = Instant::now();
        let again =
            lba_app::outcomes::import(store, &file, OutcomeSource::Parcoursup, &NoProgress).await?;
        println!(
            "{backend}: re-import: {:.2} s ({} already stored)",
            start.elapsed().as_secs_f64(),
            again.already_stored
        );

        exec(store, "ANALYZE", &id).await.ok();
        let date = today + Days::new(120);
        let mut times = Vec::new();
        for _ in 0..20 {
            let start = Instant::now();
            let i = campaigns::impact(store, &id, date).await?;
            times.push(start.elapsed());
            assert_eq!(
                i.arms.iter().map(|a| a.targeted).sum::<u64>(),
                PEOPLE as u64
            );
        }
        times.sort();
        println!(
            "{backend}: dashboard (20,000 people): median {:.1} ms, p95 {:.1} ms",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3
        );

        let mut times = Vec::new();
        for k in 0..500 {
            let id = Person::id_for(Source::Parcoursup, &format!("{:06}", (k * 37) % PEOPLE));
            let start = Instant::now();
            let p = person::path(store, &id).await?;
            times.push(start.elapsed());
            assert!(!p.timeline.is_empty());
        }
        times.sort();
        println!(
            "{backend}: person page: median {:.2} ms, p99 {:.2} ms",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3
        );
        db.cleanup().await;
    }
    Ok(())
}
