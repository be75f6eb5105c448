use std::path::{Path, PathBuf};

use lba_app::{ImportError, NoProgress, import_referentials};
use lba_data::DataDir;
use lba_store::testing::TestDb;

fn shared_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

#[tokio::test]
async fn the_real_referentials_import_with_the_expected_counts_twice() {
    let dir = DataDir::resolve(Some(&shared_data())).unwrap();
    for db in TestDb::all().await {
        let backend = db.backend();
        let report = import_referentials(&db.store, &dir, &NoProgress)
            .await
            .unwrap();
        let counts = db.store.counts().await.unwrap();
        assert_eq!(counts.rome_fiches, 1584, "{backend:?}");
        assert_eq!(counts.rome_appellations, 13120);
        assert_eq!(counts.rome_texts, 11980);
        assert_eq!(counts.rome_mobility, 14912);
        assert_eq!(counts.interest_centres, 30);
        assert_eq!(counts.interest_centre_romes, 4444);
        assert_eq!(counts.rome_subdomains, 825);
        assert_eq!(counts.communes, 34934);
        assert_eq!(counts.arrondissements, 45);
        assert!(
            counts.commune_postal_codes >= 35415,
            "{}",
            counts.commune_postal_codes
        );
        assert!(counts.commune_aliases >= 500, "{}", counts.commune_aliases);
        assert_eq!(counts.departements, 101);
        assert_eq!(counts.regions, 18);
        assert_eq!(counts.naf_codes, 732);
        assert_eq!(counts.rome_naf_hirings, 5071);
        assert_eq!(counts.diplomas, 5707);
        assert_eq!(counts.diploma_synonym_groups, 1660);
        assert_eq!(counts.cfas, 933);
        assert_eq!(
            (
                counts.dares_tensions,
                counts.dares_tension_trends,
                counts.fap_romes
            ),
            (31_034, 2_367, 749),
            "{backend:?}"
        );
        assert_eq!(report.fiches_without_fap, ["L1510"]);
        // Boulanger (D1102): its FAP family's tension, national and in the Rhône.
        let bakers = db.store.tensions_of_rome("D1102").await.unwrap();
        assert!(
            bakers
                .iter()
                .any(|t| t.area_kind == "nat" && t.indicator.is_some())
        );
        assert!(
            bakers
                .iter()
                .any(|t| t.area_kind == "dep" && t.area_code == "69")
        );
        assert!(
            bakers
                .iter()
                .any(|t| t.area_kind == "reg" && t.area_code == "84")
        );
        assert!(counts.cfas_located >= 925, "{}", counts.cfas_located);
        assert_eq!(
            counts.cfas_located,
            933 - report.cfas_unlocated.len() as i64
        );
        assert_eq!(
            (counts.formations, counts.offers, counts.companies),
            (0, 0, 0)
        );

        // Every unlocated CFA comes with a reason; the malformed row of the
        // contact-modes file is reported, not dropped silently.
        assert!(report.cfas_unlocated.iter().all(|c| !c.reason.is_empty()));
        let contact = report
            .files
            .iter()
            .find(|f| f.file == "naf/contact_modes.csv")
            .unwrap();
        assert_eq!(
            (contact.read, contact.accepted, contact.rejected),
            (1288, 1287, 1)
        );
        assert_eq!(contact.rejects[0].line, 995);
        // The FAP → ROME file ends with three empty rows (`;;`).
        let fap = report
            .files
            .iter()
            .find(|f| f.file == "dares/fap225_rome.csv")
            .unwrap();
        assert_eq!((fap.read, fap.accepted, fap.rejected), (768, 765, 3));
        assert_eq!(report.rejected(), 4);

        let again = import_referentials(&db.store, &dir, &NoProgress)
            .await
            .unwrap();
        assert_eq!(db.store.counts().await.unwrap(), counts, "{backend:?}");
        assert_eq!(again.written, report.written);
        assert_eq!(again.written_dares, report.written_dares);
        let run = db.store.last_import("referentials").await.unwrap().unwrap();
        assert_eq!(
            run.report["cfas_unlocated"].as_array().unwrap().len(),
            report.cfas_unlocated.len()
        );
        db.cleanup().await;
    }
}

/// A data directory whose folders link to the real files, except `file`,
/// replaced by `content`.
fn data_dir_with(file: &str, content: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let real = shared_data();
    for folder in std::fs::read_dir(&real).unwrap() {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        let target = tmp.path().join(folder.file_name().unwrap());
        std::fs::create_dir(&target).unwrap();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            link(&path, &target.join(path.file_name().unwrap()));
        }
    }
    let broken = tmp.path().join(file);
    std::fs::remove_file(&broken).unwrap();
    std::fs::write(&broken, content).unwrap();
    tmp
}

#[cfg(unix)]
fn link(from: &Path, to: &Path) {
    std::os::unix::fs::symlink(from, to).unwrap();
}

#[tokio::test]
async fn a_malformed_file_stops_the_import_naming_file_line_and_field_and_changes_nothing() {
    let good = DataDir::resolve(Some(&shared_data())).unwrap();
    let broken = data_dir_with(
        "naf/naf_labels.csv",
        "naf_id|naf_label\n0111Z|Culture de céréales\n0112Z|Culture du riz|en trop\n".as_bytes(),
    );
    let broken_dir = DataDir::resolve(Some(broken.path())).unwrap();
    for db in TestDb::all().await {
        import_referentials(&db.store, &good, &NoProgress)
            .await
            .unwrap();
        let before = db.store.counts().await.unwrap();
        let error = import_referentials(&db.store, &broken_dir, &NoProgress)
            .await
            .unwrap_err();
        assert!(matches!(error, ImportError::Data(_)), "{error:?}");
        let message = error.to_string();
        assert!(message.contains("naf_labels.csv:3"), "{message}");
        assert_eq!(
            db.store.counts().await.unwrap(),
            before,
            "{:?}",
            db.backend()
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_missing_column_names_the_file_and_the_column() {
    let broken = data_dir_with(
        "rome/unix_referentiel_code_rome_v460_utf8.csv",
        b"\"code_rome\",\"libelle_rome\"\n\"A1101\",\"Conducteur\"\n",
    );
    let dir = DataDir::resolve(Some(broken.path())).unwrap();
    let db = TestDb::sqlite().await;
    let message = import_referentials(&db.store, &dir, &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("unix_referentiel_code_rome_v460_utf8.csv:1"),
        "{message}"
    );
    assert!(message.contains("code_fiche_metier"), "{message}");
    assert!(db.store.is_empty().await.unwrap());
}

#[tokio::test]
async fn bad_rows_are_counted_and_reported_while_the_rest_is_stored() {
    // A bad ROME code, an appellation of an unknown fiche and a duplicate.
    let appellations = "\"code_ogr\",\"libelle_appellation_long\",\"libelle_appellation_court\",\"code_rome\",\"transition_eco\",\"transition_num\",\"transition_demo\",\"emploi_reglemente\",\"emploi_cadre\",\"classification\",\"origine\",\"code_rome_parent\",\"peu_usite\"\n\
\"10200\",\"Abatteur\",\"Abatteur\",\"F1402\",\"\",\"\",\"\",\"\",\"\",\"SYNONYME\",\"\",\"F1402\",\"N\"\n\
\"10201\",\"Mauvais code\",\"x\",\"F14\",\"\",\"\",\"\",\"\",\"\",\"SYNONYME\",\"\",\"F1402\",\"N\"\n\
\"10202\",\"Fiche inconnue\",\"x\",\"N9999\",\"\",\"\",\"\",\"\",\"\",\"SYNONYME\",\"\",\"N9999\",\"N\"\n\
\"10200\",\"Doublon\",\"x\",\"F1402\",\"\",\"\",\"\",\"\",\"\",\"SYNONYME\",\"\",\"F1402\",\"N\"\n";
    let broken = data_dir_with(
        "rome/unix_referentiel_appellation_v460_utf8.csv",
        appellations.as_bytes(),
    );
    let dir = DataDir::resolve(Some(broken.path())).unwrap();
    let db = TestDb::sqlite().await;
    let report = import_referentials(&db.store, &dir, &NoProgress)
        .await
        .unwrap();
    let file = report
        .files
        .iter()
        .find(|f| {
            f.file
                .ends_with("unix_referentiel_appellation_v460_utf8.csv")
        })
        .unwrap();
    assert_eq!((file.read, file.accepted, file.rejected), (4, 1, 3));
    let lines: Vec<(u64, &str)> = file
        .rejects
        .iter()
        .map(|r| (r.line, r.field.as_str()))
        .collect();
    assert!(lines.contains(&(3, "code_rome")), "{lines:?}");
    assert!(lines.contains(&(4, "code_rome")), "{lines:?}");
    assert!(
        file.rejects
            .iter()
            .any(|r| r.line == 5 && r.reason.contains("ligne 2")),
        "{:?}",
        file.rejects
    );
    assert_eq!(db.store.counts().await.unwrap().rome_appellations, 1);
}
