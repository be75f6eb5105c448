//! Applications: the quotas count a candidate's applications whatever the
//! case of their e-mail address, including rows stored before the
//! normalised address existed (migration 0010); on both backends.

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use lba_store::Store;
use lba_store::applications::NewApplication;
use lba_store::testing::TestDb;

fn t(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 6, h, 0, 0).unwrap()
}

fn application(id: &str, email: &str, target: &str, at: DateTime<Utc>) -> NewApplication {
    NewApplication {
        id: id.into(),
        target_kind: "company".into(),
        target_id: target.into(),
        target_title: "BOULANGERIE DU PARC".into(),
        company_name: "BOULANGERIE DU PARC".into(),
        recruiter_email: "recrutement@boulangerie.fr".into(),
        first_name: "Jeanne".into(),
        last_name: "Martin".into(),
        email: email.into(),
        phone: "+33612345678".into(),
        message: None,
        cv_name: "cv.pdf".into(),
        cv_mime: "application/pdf".into(),
        cv_bytes: b"%PDF-1.4\n%%EOF\n".to_vec(),
        caller: None,
        ip_hash: None,
        created_at: at,
    }
}

const SIRET: &str = "51234567800001";

#[tokio::test]
async fn quota_counts_ignore_the_case_of_the_address() {
    for db in TestDb::all().await {
        let store = &db.store;
        let backend = db.backend();
        for (i, email) in ["case@example.org", "Case@example.org", " cAse@Example.ORG "]
            .into_iter()
            .enumerate()
        {
            store
                .insert_application(&application(&format!("a{i}"), email, SIRET, t(9)), &[])
                .await
                .unwrap();
        }
        // Another candidate, another target.
        store
            .insert_application(&application("b", "paul@example.org", SIRET, t(9)), &[])
            .await
            .unwrap();
        store
            .insert_application(
                &application("c", "CASE@example.org", "99999999900001", t(10)),
                &[],
            )
            .await
            .unwrap();
        for asked in ["case@example.org", "CASE@EXAMPLE.ORG", "  Case@Example.org"] {
            let counts = store
                .quota_counts(asked, "company", SIRET, t(8))
                .await
                .unwrap();
            assert_eq!(counts.same_target, 3, "{backend:?} {asked}");
            assert_eq!(counts.since, 4, "{backend:?} {asked}");
            assert_eq!(counts.target_total, 4, "{backend:?} {asked}");
        }
        let counts = store
            .quota_counts("cAsE@example.org", "company", SIRET, t(10))
            .await
            .unwrap();
        assert_eq!(counts.since, 1, "{backend:?}");
        // The address is stored as typed (it is what mail is sent to).
        let a = store.application("a1").await.unwrap().unwrap();
        assert_eq!(a.email.as_deref(), Some("Case@example.org"), "{backend:?}");
        db.cleanup().await;
    }
}

/// Runs the migrations before 0010 only, as a database created by an older
/// version would have them.
async fn migrate_before_0010(store: &Store) {
    let before = |mut m: sqlx::migrate::Migrator| {
        let kept: Vec<_> = m
            .migrations
            .iter()
            .filter(|m| m.version < 10)
            .cloned()
            .collect();
        m.migrations = Cow::Owned(kept);
        m
    };
    match store {
        Store::Sqlite(pool) => before(sqlx::migrate!("./migrations/sqlite"))
            .run(pool)
            .await
            .unwrap(),
        Store::Postgres(pool) => before(sqlx::migrate!("./migrations/postgres"))
            .run(pool)
            .await
            .unwrap(),
    }
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

#[tokio::test]
async fn migration_0010_backfills_the_normalised_addresses() {
    let mut dbs = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("old.db").display().to_string();
    let sqlite = Store::connect(&url).await.unwrap();
    migrate_before_0010(&sqlite).await;
    dbs.push((sqlite, None));
    if let Some(pg) = TestDb::postgres().await {
        // A fresh database of the same server, migrated up to 0009 only.
        let name = format!("lba_old_{}", uuid::Uuid::new_v4().simple());
        let Store::Postgres(pool) = &pg.store else {
            panic!("not PostgreSQL")
        };
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(pool)
            .await
            .unwrap();
        let (base, _) = pg.url.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        let old = Store::connect(&url).await.unwrap();
        migrate_before_0010(&old).await;
        dbs.push((old, Some((pg, name))));
    }
    for (store, pg) in dbs {
        let backend = store.backend();
        exec(
            &store,
            "INSERT INTO applications (id, target_kind, target_id, target_title, company_name, \
             recruiter_email, first_name, last_name, email, phone, cv_name, cv_mime, status, \
             created_at) VALUES \
             ('o1', 'company', '51234567800001', 'B', 'B', 'r@b.fr', 'J', 'M', \
              'Old.Case@Example.org', '+33612345678', 'cv.pdf', 'application/pdf', 'delivered', \
              '2026-10-06T09:00:00Z'), \
             ('o2', 'company', '51234567800001', 'B', 'B', 'r@b.fr', 'J', 'M', \
              'old.case@example.org', '+33612345678', 'cv.pdf', 'application/pdf', 'delivered', \
              '2026-10-06T09:00:00Z'), \
             ('o3', 'company', '51234567800001', 'B', 'B', NULL, '', '', NULL, NULL, '', \
              'application/pdf', 'anonymised', '2026-10-06T09:00:00Z'); \
             INSERT INTO campaigns (id, name, status, spec, created_at, updated_at) VALUES \
             ('c1', 'Rentrée', 'launched', '{}', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z'); \
             INSERT INTO cohort_people (id, source, candidate_id, first_name, last_name, \
             apprenticeship_only, updated_at) VALUES \
             ('p1', 'parcoursup', '1', 'Léa', 'Martin', TRUE, '2026-10-01T00:00:00Z'); \
             INSERT INTO campaign_messages (campaign_id, person_id, channel, recipient_kind, arm, \
             recipient, body_text, status, attempts, created_at, sent_at) VALUES \
             ('c1', 'p1', 'email', 'young', 'a', 'Lea.Martin@Exemple.fr', 'Texte', 'sent', 1, \
              '2026-10-06T08:00:00Z', '2026-10-06T09:00:00Z');",
        )
        .await;
        store.migrate().await.unwrap();
        let counts = store
            .quota_counts("OLD.CASE@example.org", "company", SIRET, t(8))
            .await
            .unwrap();
        assert_eq!(counts.same_target, 2, "{backend:?}");
        assert_eq!(counts.target_total, 3, "{backend:?}");
        let m = store
            .last_message_to("email", "lea.martin@exemple.fr")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.recipient, "Lea.Martin@Exemple.fr", "{backend:?}");
        store.close().await;
        if let Some((pg, name)) = pg {
            if let Store::Postgres(pool) = &pg.store {
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(pool)
                    .await
                    .unwrap();
            }
            pg.cleanup().await;
        }
    }
}

#[tokio::test]
async fn anonymised_applications_no_longer_count_for_their_address() {
    for db in TestDb::all().await {
        let store = &db.store;
        let backend = db.backend();
        store
            .insert_application(&application("a", "Case@example.org", SIRET, t(9)), &[])
            .await
            .unwrap();
        assert_eq!(store.anonymise_applications(t(10), t(10)).await.unwrap(), 1);
        let counts = store
            .quota_counts(
                "case@example.org",
                "company",
                SIRET,
                t(8) - TimeDelta::days(1),
            )
            .await
            .unwrap();
        assert_eq!((counts.same_target, counts.since), (0, 0), "{backend:?}");
        assert_eq!(counts.target_total, 1, "{backend:?}");
        db.cleanup().await;
    }
}
