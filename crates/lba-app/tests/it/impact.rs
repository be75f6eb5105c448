//! Cohort follow-up on both backends: the outcomes import (bad rows with
//! line and field, Latin-1 and `,`, idempotent re-import), outcome events
//! from a newer cohort export, the impact dashboard (funnel, weeks,
//! estimates, pseudonymised export) and a person's timeline.

use chrono::{Duration, NaiveDate};
use lba_app::NoProgress;
use lba_app::campaigns;
use lba_campaign::outcome::OutcomeSource;
use lba_notify::LinkKey;
use lba_store::Store;
use lba_store::testing::TestDb;

use crate::campaigns::{MessageRow, cfg, execute, messages, now, seed, spec};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

#[tokio::test]
async fn outcomes_import_rejects_bad_rows_with_line_and_field_and_is_idempotent() {
    for db in TestDb::all().await {
        let store = &db.store;
        seed(store).await;
        let dir = tempfile::tempdir().unwrap();
        let file = write(
            &dir,
            "resultats.csv",
            "id_candidat;date;evenement;siret_employeur\n\
             000;2026-03-10;contrat_signe;\n\
             001;12/03/2026;CONTRAT_SIGNE;\n\
             002;2026-13-01;contrat_signe;\n\
             003;2026-03-10;embauche;\n\
             999;2026-03-10;contrat_signe;\n\
             004;2026-03-10;contrat_signe;123\n\
             parcoursup:005;2026-03-11;abandon;\n\
             000;2026-03-10;contrat_signe;\n\
             ;2026-03-10;abandon;\n"
                .as_bytes(),
        );
        let r = lba_app::outcomes::import(store, &file, OutcomeSource::Parcoursup, &NoProgress)
            .await
            .unwrap();
        assert_eq!(
            (r.rows, r.rejected, r.stored, r.already_stored),
            (9, 5, 3, 1),
            "{r:?}"
        );
        let fields: Vec<(u64, &str)> = r
            .rejects
            .iter()
            .map(|x| (x.line, x.field.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                (4, "date"),
                (5, "evenement"),
                (6, "id_candidat"),
                (7, "siret_employeur"),
                (10, "id_candidat")
            ]
        );
        assert!(
            r.rejects[2].reason.contains("inconnue"),
            "{:?}",
            r.rejects[2]
        );
        // Again: nothing new.
        let again = lba_app::outcomes::import(store, &file, OutcomeSource::Parcoursup, &NoProgress)
            .await
            .unwrap();
        assert_eq!((again.stored, again.already_stored), (0, 4), "{again:?}");
        assert_eq!(store.outcome_count().await.unwrap(), 3);
        let o = store.person_outcomes("parcoursup:001").await.unwrap();
        assert_eq!(
            (o[0].event.as_str(), o[0].event_date),
            ("contrat_signe", day(12))
        );

        // Latin-1, commas, no optional column; the contracts registry finds
        // the person by the candidate id alone.
        let latin1: Vec<u8> = "id_candidat,date,evenement\n006,2026-03-20,inscrit_cfa\n007,2026-03-21,voeu_refus\u{e9}\n"
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect();
        let file = write(&dir, "contrats.csv", &latin1);
        let r = lba_app::outcomes::import(store, &file, OutcomeSource::Contrats, &NoProgress)
            .await
            .unwrap();
        assert_eq!((r.stored, r.rejected), (1, 1), "{r:?}");
        assert!(
            r.rejects[0].reason.contains("voeu_refusé"),
            "{:?}",
            r.rejects[0]
        );
        // A file without the required column stops with file:1.
        let file = write(
            &dir,
            "mauvais.csv",
            b"id;date;evenement\n1;2026-03-01;abandon\n",
        );
        let err = lba_app::outcomes::import(store, &file, OutcomeSource::Contrats, &NoProgress)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("mauvais.csv:1") && err.to_string().contains("id_candidat"),
            "{err}"
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_newer_cohort_export_records_what_changed_as_dated_events() {
    for db in TestDb::all().await {
        let store = &db.store;
        let dir = tempfile::tempdir().unwrap();
        // Every column of the export, most of them empty.
        let cohort = |rows: &[(&str, &str, &str, &str)]| {
            let mut out = lba_data::cohort::COLUMNS.join(";");
            out.push('\n');
            for (id, key, status, signed) in rows {
                let line: Vec<&str> = lba_data::cohort::COLUMNS
                    .iter()
                    .map(|c| match *c {
                        "id_candidat" => *id,
                        "prenom" => "Inès",
                        "cle_ministere_educatif" => *key,
                        "type_voeu" => "apprentissage",
                        "statut" => *status,
                        "contrat_signe" => *signed,
                        _ => "",
                    })
                    .collect();
                out.push_str(&line.join(";"));
                out.push('\n');
            }
            out
        };
        let first = cohort(&[("A1", "K-1", "propose", "N"), ("A2", "K-2", "propose", "N")]);
        let file = write(&dir, "c1.csv", first.as_bytes());
        let r =
            lba_app::cohort::import(store, &file, lba_campaign::Source::Parcoursup, &NoProgress)
                .await
                .unwrap();
        assert_eq!((r.people, r.outcome_events), (2, 0));
        let second = cohort(&[("A1", "K-1", "accepte", "O"), ("A2", "K-2", "desiste", "N")]);
        let file = write(&dir, "c2.csv", second.as_bytes());
        let r =
            lba_app::cohort::import(store, &file, lba_campaign::Source::Parcoursup, &NoProgress)
                .await
                .unwrap();
        assert_eq!(r.outcome_events, 3, "{r:?}");
        let events: Vec<String> = store
            .person_outcomes("parcoursup:A1")
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.event)
            .collect();
        assert_eq!(events, ["contrat_signe", "voeu_accepte"]);
        // The same export again changes nothing.
        let r =
            lba_app::cohort::import(store, &file, lba_campaign::Source::Parcoursup, &NoProgress)
                .await
                .unwrap();
        assert_eq!(r.outcome_events, 0);
        db.cleanup().await;
    }
}

async fn insert_outcome(store: &Store, person: &str, date: NaiveDate) {
    store
        .insert_outcomes(&[lba_store::outcomes::NewOutcome {
            person_id: person.to_owned(),
            event: lba_campaign::outcome::OutcomeEvent::ContratSigne,
            date,
            source: OutcomeSource::Contrats,
            employer_siret: String::new(),
            course_key: String::new(),
        }])
        .await
        .unwrap();
}

fn ts(store: &Store, at: &str) -> String {
    match store {
        Store::Sqlite(_) => format!("'{at}'"),
        Store::Postgres(_) => format!("TIMESTAMPTZ '{at}'"),
    }
}

#[tokio::test]
async fn the_dashboard_counts_the_funnel_and_estimates_each_variant() {
    for db in TestDb::all().await {
        let store = &db.store;
        let search = seed(store).await;
        let id = campaigns::create(store, &spec(), now()).await.unwrap();
        campaigns::launch(store, &search, &cfg(), &id, now())
            .await
            .unwrap();
        let assignments = store.assignments(&id).await.unwrap();
        let arm_of = |arm: &str| -> Vec<String> {
            assignments
                .iter()
                .filter(|a| a.arm == arm)
                .map(|a| a.person_id.clone())
                .collect()
        };
        let (control, a) = (arm_of("controle"), arm_of("a"));
        assert_eq!((control.len(), a.len()), (8, 16));
        // One control contract (week 1), four in arm a (weeks 1 and 3), one
        // after the date D.
        insert_outcome(store, &control[0], day(4)).await;
        for p in &a[..2] {
            insert_outcome(store, p, day(5)).await;
        }
        for p in &a[2..4] {
            insert_outcome(store, p, day(18)).await;
        }
        insert_outcome(store, &a[4], day(30)).await;
        // a[0] got a delivered message and clicked a search link.
        let all: Vec<MessageRow> = messages(store, &id).await;
        let m = all.iter().find(|m| m.1 == a[0]).unwrap().0;
        let at = ts(store, "2026-03-03T12:00:00Z");
        for (kind, detail) in [("delivered", "NULL"), ("clicked", "'recherche'")] {
            execute(
                store,
                &format!(
                    "INSERT INTO message_events (message_id, kind, detail, created_at) \
                     VALUES ({m}, '{kind}', {detail}, {at})"
                ),
            )
            .await;
        }
        // a[1] asked a CFA twice through the campaign: one person who acted.
        for n in 1..=2 {
            execute(
                store,
                &format!(
                    "INSERT INTO appointment_requests (id, formation_id, course_title, cfa_name, \
                     cfa_email, referrer, requester, first_name, last_name, email, email_key, \
                     phone, reasons, person_id, campaign_id, arm, created_at) \
                     VALUES ('rdv-{n}', 'F-{n}', 'CAP Boulanger', 'CFA des Métiers', \
                     'cfa@exemple.fr', 'campagne', 'jeune', 'Inès', 'Martin', 'i@exemple.fr', \
                     'i@exemple.fr', '0612345678', 'inscription', '{}', '{id}', 'a', {at})",
                    a[1]
                ),
            )
            .await;
        }
        let i = campaigns::impact(store, &id, day(20)).await.unwrap();
        let names: Vec<&str> = i.arms.iter().map(|a| a.arm.as_str()).collect();
        assert_eq!(names, ["controle", "a", "b"]);
        let (c0, a1) = (&i.arms[0], &i.arms[1]);
        assert_eq!((c0.targeted, c0.contracts, c0.reached), (8, 1, 0));
        assert_eq!(
            (
                a1.targeted,
                a1.reached,
                a1.clicked,
                a1.searched,
                a1.contracts
            ),
            (16, 1, 1, 1, 4)
        );
        assert_eq!(
            (c0.acted, a1.acted),
            (0, 1),
            "CFA requests count once per person"
        );
        assert_eq!(i.control.as_deref(), Some("controle"));
        // Weeks since the launch (2026-03-02) up to D: 0..=3.
        let weeks: Vec<i64> = i.weeks.iter().map(|w| w.week).collect();
        assert_eq!(weeks, [0, 1, 2, 3]);
        assert_eq!(i.weeks[1].shares[1], 2.0 / 16.0);
        assert_eq!(i.weeks[3].shares[1], 4.0 / 16.0);
        assert_eq!(i.weeks[3].shares[0], 1.0 / 8.0);
        // Two variants: the Holm p-values are at least the raw ones.
        assert_eq!(i.effects.len(), 2);
        let e = &i.effects[0];
        let u = e.unadjusted.unwrap();
        assert!((u.value - (4.0 / 16.0 - 1.0 / 8.0)).abs() < 1e-12, "{u:?}");
        assert!(u.low < u.value && u.value < u.high && u.p_holm >= u.p_value);
        assert!(e.stratified.is_some(), "{e:?}");
        assert!(!i.sample_ratio.unwrap().mismatch);
        let click = i.clicked_vs_not.unwrap();
        assert_eq!((click.clicked.trials, click.clicked.successes), (1, 1));
        // CSV: one row per arm; per person, pseudonyms only.
        let csv = campaigns::impact_csv(&i);
        assert_eq!(csv.lines().count(), 4);
        let key = LinkKey::new(b"export-key");
        let people = campaigns::people_csv(store, &key, &id, day(20))
            .await
            .unwrap();
        assert_eq!(people.lines().count(), 41);
        assert!(
            !people.contains("parcoursup:") && !people.contains("@") && !people.contains("Martin")
        );
        let pseudo = campaigns::pseudonym(&key, &a[0]);
        assert_eq!(pseudo.len(), 16);
        assert!(people.contains(&format!("{pseudo};a;")), "{people}");
        // Before the launch's first week nothing is signed.
        let early = campaigns::impact(store, &id, day(2)).await.unwrap();
        assert_eq!(early.arms.iter().map(|a| a.contracts).sum::<u64>(), 0);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_person_timeline_has_messages_clicks_cfa_requests_and_outcomes_in_order() {
    for db in TestDb::all().await {
        let store = &db.store;
        let search = seed(store).await;
        let id = campaigns::create(store, &spec(), now()).await.unwrap();
        campaigns::launch(store, &search, &cfg(), &id, now())
            .await
            .unwrap();
        let all = messages(store, &id).await;
        let (m, person) = all
            .iter()
            .find(|m| m.2 == "email")
            .map(|m| (m.0, m.1.clone()))
            .unwrap();
        execute(
            store,
            &format!(
                "INSERT INTO message_events (message_id, kind, detail, created_at) VALUES \
                 ({m}, 'delivered', NULL, {}), ({m}, 'clicked', 'formation', {})",
                ts(store, "2026-03-03T08:00:00Z"),
                ts(store, "2026-03-03T09:00:00Z")
            ),
        )
        .await;
        execute(
            store,
            &format!(
                "INSERT INTO appointment_requests (id, formation_id, course_title, cfa_name, \
                 cfa_email, referrer, requester, first_name, last_name, email, email_key, phone, \
                 reasons, person_id, campaign_id, arm, created_at, read_at, answered_at, answer) \
                 VALUES ('rdv-1', 'F-1', 'CAP Boulanger', 'CFA des Métiers', 'cfa@exemple.fr', \
                 'campagne', 'jeune', 'Inès', 'Martin', 'i@exemple.fr', 'i@exemple.fr', \
                 '0612345678', 'inscription', '{person}', '{id}', 'a', {}, {}, {}, 'telephone')",
                ts(store, "2026-03-04T10:00:00Z"),
                ts(store, "2026-03-05T10:00:00Z"),
                ts(store, "2026-03-06T10:00:00Z"),
            ),
        )
        .await;
        insert_outcome(store, &person, day(20)).await;
        let p = lba_app::person::path(store, &person).await.unwrap();
        let texts: Vec<&str> = p.timeline.iter().map(|e| e.text.as_str()).collect();
        let position = |needle: &str| {
            texts
                .iter()
                .position(|t| t.contains(needle))
                .unwrap_or_else(|| panic!("{needle} missing from {texts:?}"))
        };
        assert!(position("Affecté au bras") <= position("E-mail"));
        assert!(
            position("Message distribué") < position("Lien suivi vers la page d'une formation")
        );
        assert!(position("Lien suivi") < position("Demande de contact au CFA « CFA des Métiers »"));
        assert!(position("Demande lue") < position("a appelé"));
        assert!(position("a appelé") < position("Contrat d'apprentissage signé"));
        assert!(p.timeline.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(p.arms.len(), 1);
        assert_eq!(p.wishes.len(), 1);
        // The export names the person by the pseudonym only.
        let key = LinkKey::new(b"k");
        let csv = lba_app::person::path_csv(&key, &p);
        assert!(!csv.contains(&person) && !csv.contains("Inès") && !csv.contains("i@exemple.fr"));
        assert!(csv.lines().count() >= 7, "{csv}");
        // An unknown person.
        assert!(matches!(
            lba_app::person::path(store, "parcoursup:nobody").await,
            Err(campaigns::CampaignError::NotFound)
        ));
        let _ = Duration::days(1);
        db.cleanup().await;
    }
}
