//! The training-catalogue import on hand-written records, over the real
//! referentials, on SQLite and (when configured) PostgreSQL.

use std::path::{Path, PathBuf};

use lba_app::NoProgress;
use lba_app::catalogue::import;
use lba_core::geo::GeoPoint;
use lba_core::opportunity::{Formation, Place};
use lba_data::DataDir;
use lba_store::testing::TestDb;

pub fn shared_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

pub async fn with_referentials() -> Vec<TestDb> {
    let dir = DataDir::resolve(Some(&shared_data())).unwrap();
    let dbs = TestDb::all().await;
    for db in &dbs {
        lba_app::import_referentials(&db.store, &dir, &NoProgress)
            .await
            .unwrap();
    }
    dbs
}

fn course(key: &str, extra: &str) -> String {
    course_titled(key, &format!("Cours {key}"), "BTS", extra)
}

fn course_titled(key: &str, title: &str, diploma: &str, extra: &str) -> String {
    format!(
        r#"{{"cle_ministere_educatif": "{key}", "intitule_long": "{title}", "diplome": "{diploma}",
 "niveau": "5 (BTS, DUT...)", "localite": "Ville", "etablissement_formateur_entreprise_raison_sociale": "CFA",
 "date_debut": ["2025-09-01T00:00:00.000Z"], "date_fin": ["2027-06-30"], "published": true{extra}}}"#
    )
}

fn write(dir: &Path, name: &str, records: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("[\n{}\n]\n", records.join(",\n"))).unwrap();
    path
}

const LOCATED: &str = r#", "lieu_formation_geo_coordonnees": "45.9577,5.3592", "rome_codes": ["C1206"], "cfd": "32031313""#;

#[tokio::test]
async fn courses_are_located_completed_rejected_and_reimported_idempotently() {
    let tmp = tempfile::tempdir().unwrap();
    let records = [
        course("A", LOCATED),
        // No coordinates: its commune; no ROME: those of A (same CFD).
        course("B", r#", "code_commune_insee": "01004", "cfd": "32031313""#),
        course("C", r#", "rome_codes": ["C1206"]"#),
        course(
            "D",
            r#", "lieu_formation_geo_coordonnees": "48.85,2.35", "cfd": "99999999""#,
        ),
        course("E", r#", "published": false"#),
        course("A", LOCATED),
        course(
            "F",
            r#", "code_commune_insee": "01004", "rome_codes": ["M1805"], "capacite": "trois""#,
        ),
    ];
    let path = write(tmp.path(), "catalogue.json", &records);
    for db in with_referentials().await {
        let backend = db.backend();
        let report = import(&db.store, &path, false, &NoProgress).await.unwrap();
        assert_eq!(report.read, 7, "{backend:?} {report:?}");
        assert_eq!(report.created, 2, "{report:?}");
        assert_eq!((report.updated, report.unchanged), (0, 0));
        assert_eq!(report.skipped_unpublished, 1);
        assert_eq!(report.located_by_commune, 1);
        assert_eq!(report.romes_from_diploma, 1);
        assert_eq!(report.rejected, 4);
        let got: Vec<(u64, &str)> = report
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        let line = |i: u64| 2 + 3 * i;
        assert_eq!(
            got,
            [
                (line(2), "lieu_formation_geo_coordonnees"),
                (line(5), "cle_ministere_educatif"),
                (line(6), "capacite"),
                (line(3), "rome_codes"),
            ],
            "{:?}",
            report.rejects
        );
        assert!(report.rejects[3].reason.contains("aucun code ROME"));

        let refs = db.store.referential_data().await.unwrap();
        let commune = refs
            .communes
            .iter()
            .find(|c| c.insee.as_str() == "01004")
            .unwrap();
        let b = db.store.formation("B").await.unwrap().unwrap();
        assert_eq!(Some(b.place.point), commune.point);
        assert_eq!(
            b.romes.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            ["C1206"]
        );
        assert!(!b.is_demo);
        assert_eq!(b.sessions.len(), 1);
        assert!(db.store.formation("E").await.unwrap().is_none());

        let version = db.store.data_version().await.unwrap();
        let again = import(&db.store, &path, false, &NoProgress).await.unwrap();
        assert_eq!(
            (
                again.created,
                again.updated,
                again.unchanged,
                again.rejected
            ),
            (0, 0, 2, 4),
            "{backend:?} {again:?}"
        );
        assert_eq!(db.store.data_version().await.unwrap(), version);
        db.cleanup().await;
    }
}

fn demo_course() -> Formation {
    Formation {
        id: "demo-1".into(),
        is_demo: true,
        title: "Démo".into(),
        diploma_title: "BTS".into(),
        cfd: None,
        rncp: None,
        level: None,
        romes: vec!["C1206".parse().unwrap()],
        cfa_uai: None,
        cfa_siret: None,
        cfa_name: "CFA".into(),
        place: Place {
            address: Default::default(),
            postal_code: None,
            commune_insee: None,
            city: "Lyon".into(),
            point: GeoPoint::new(45.75, 4.85).unwrap(),
        },
        sessions: Vec::new(),
        duration_months: None,
        capacity: None,
        distance_learning: false,
        email: None,
        phone: None,
        onisep_url: None,
    }
}

#[tokio::test]
async fn a_full_import_unpublishes_vanished_courses_but_not_demo_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let both = write(
        tmp.path(),
        "both.json",
        &[course("A", LOCATED), course("B", LOCATED)],
    );
    let only_a = write(tmp.path(), "a.json", &[course("A", LOCATED)]);
    let changed_a = write(
        tmp.path(),
        "a2.json",
        &[course("A", &LOCATED.replace("C1206", "C1401"))],
    );
    // No ROME code and nothing of its diploma in the file: taken from the store.
    let from_store = tempfile::NamedTempFile::new_in(tmp.path()).unwrap();
    std::fs::write(
        from_store.path(),
        format!(
            "{}\n",
            course("H", r#", "code_commune_insee": "01004", "cfd": "32031313""#).replace('\n', " ")
        ),
    )
    .unwrap();
    // Every record rejected (a ROME code that is not one).
    let broken = write(
        tmp.path(),
        "broken.json",
        &[course("Z", &LOCATED.replace("C1206", "nope"))],
    );
    for db in with_referentials().await {
        let backend = db.backend();
        db.store.upsert_formations(&[demo_course()]).await.unwrap();
        let report = import(&db.store, &both, true, &NoProgress).await.unwrap();
        assert_eq!((report.created, report.unpublished), (2, 0), "{report:?}");

        let report = import(&db.store, &only_a, true, &NoProgress).await.unwrap();
        assert_eq!(report.unchanged, 1, "{backend:?} {report:?}");
        assert_eq!(report.unpublished, 1, "{report:?}");
        let published: Vec<String> = db
            .store
            .formations()
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert!(published.contains(&"A".to_owned()));
        assert!(published.contains(&"demo-1".to_owned()), "{published:?}");
        assert!(!published.contains(&"B".to_owned()));
        assert!(db.store.formation("B").await.unwrap().is_some());

        // B comes back: published again, counted as updated.
        let report = import(&db.store, &both, false, &NoProgress).await.unwrap();
        assert_eq!((report.updated, report.unchanged), (1, 1), "{report:?}");

        let report = import(&db.store, &changed_a, false, &NoProgress)
            .await
            .unwrap();
        assert_eq!((report.updated, report.unpublished), (1, 0), "{report:?}");

        let report = import(&db.store, from_store.path(), false, &NoProgress)
            .await
            .unwrap();
        assert_eq!(
            (report.created, report.romes_from_diploma),
            (1, 1),
            "{report:?}"
        );
        let h = db.store.formation("H").await.unwrap().unwrap();
        assert_eq!(h.romes.len(), 1, "{h:?}");

        // A full import of a file without one valid course unpublishes nothing.
        let before = db.store.formations().await.unwrap().len();
        let report = import(&db.store, &broken, true, &NoProgress).await.unwrap();
        assert_eq!((report.rejected, report.unpublished), (1, 0), "{report:?}");
        assert!(report.full_refused.is_some(), "{report:?}");
        assert_eq!(db.store.formations().await.unwrap().len(), before);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn courses_without_rome_codes_are_classified_or_rejected_with_the_best_guess() {
    let tmp = tempfile::tempdir().unwrap();
    let at = r#", "lieu_formation_geo_coordonnees": "45.9577,5.3592""#;
    let records = [
        // BOULANGER (CAP) in the diploma referential.
        course("G", &format!(r#"{at}, "cfd": "50022137""#)),
        // Unknown diploma, but a telling course title.
        course_titled(
            "I",
            "Vendeur / Vendeuse en boulangerie-pâtisserie (H/F)",
            "CAP",
            &format!(r#"{at}, "cfd": "99999998""#),
        ),
        // Nothing the classifier can trust.
        course_titled("J", "Semestre international", "Diplôme d'établissement", at),
    ];
    let path = write(tmp.path(), "catalogue.json", &records);
    for db in with_referentials().await {
        let backend = db.backend();
        let report = import(&db.store, &path, false, &NoProgress).await.unwrap();
        assert_eq!(report.created, 2, "{backend:?} {report:?}");
        assert_eq!(report.romes_from_diploma_referential, 1, "{report:?}");
        assert_eq!(report.romes_from_classifier, 1, "{report:?}");
        assert_eq!(report.romes_from_diploma, 0, "{report:?}");
        assert_eq!(report.rejected, 1, "{report:?}");
        let reason = &report.rejects[0].reason;
        assert_eq!(report.rejects[0].field, "rome_codes");
        assert!(reason.contains("classifieur"), "{reason}");

        let romes = |f: Formation| {
            f.romes
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect::<Vec<_>>()
        };
        let g = db.store.formation("G").await.unwrap().unwrap();
        assert_eq!(romes(g), ["D1102"]);
        let i = db.store.formation("I").await.unwrap().unwrap();
        assert_eq!(romes(i), ["D1106"]);

        // The same guesses again: nothing rewritten.
        let again = import(&db.store, &path, false, &NoProgress).await.unwrap();
        assert_eq!(
            (again.unchanged, again.created, again.updated),
            (2, 0, 0),
            "{again:?}"
        );
        db.cleanup().await;
    }
}
