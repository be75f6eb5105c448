//! `lba import offers` end to end: a saved file, and the API through a
//! local server speaking the France Travail protocol.

use lba_app::testing::{CLIENT_ID, CLIENT_SECRET, FakeConfig, FakeFranceTravail, offers};

use crate::{lba, run, shared_data};

const A: &str = r#"{"id": "A1", "intitule": "Boulanger", "dateCreation": "2026-10-01T08:00:00Z", "dateActualisation": "2026-11-20T08:00:00Z", "lieuTravail": {"libelle": "69 - LYON 03", "commune": "69383"}, "romeCode": "D1102", "natureContrat": "Contrat apprentissage", "inconnu": 1}"#;
const B: &str = r#"{"id": "B2", "intitule": "Vendeur", "dateCreation": "2026-10-01T08:00:00Z", "lieuTravail": {"latitude": 45.76, "longitude": 4.83}, "romeCode": "D1106", "natureContrat": "Cont. professionnalisation"}"#;
/// No ROME code: the classifier finds it from the title.
const GUESSED: &str = r#"{"id": "D4", "intitule": "Apprenti(e) boulanger H/F", "dateCreation": "2026-10-01T08:00:00Z", "lieuTravail": {"latitude": 45.76, "longitude": 4.83}, "natureContrat": "E2"}"#;
const BAD: &str = r#"{"id": "C3", "intitule": "Inconnu", "dateCreation": "2026-10-01T08:00:00Z", "lieuTravail": {"latitude": 45.76, "longitude": 4.83}, "natureContrat": "E2"}"#;

fn database(tmp: &std::path::Path) -> std::path::PathBuf {
    let db = tmp.join("lba.db");
    let (ok, out, err) = run(lba()
        .args(["import", "referentials", "--data-dir"])
        .arg(shared_data())
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    db
}

#[test]
fn a_saved_file_imports_reimports_and_fully_replaces() {
    let tmp = tempfile::tempdir().unwrap();
    let db = database(tmp.path());
    let file = tmp.path().join("offres.ndjson");
    std::fs::write(&file, format!("{A}\n{B}\n{BAD}\n{GUESSED}\n")).unwrap();
    let import = |file: &std::path::Path, extra: &[&str]| {
        run(lba()
            .args(["import", "offers", "--file"])
            .arg(file)
            .args(extra)
            .env("LBA_DATABASE_URL", &db))
    };
    let (ok, out, err) = import(&file, &[]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("Offres France Travail importées"), "{out}");
    assert!(out.contains("offres.ndjson:3: champ `romeCode`"), "{out}");

    let (ok, out, err) = import(&file, &["--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["read"], 4);
    assert_eq!(report["created"], 0);
    assert_eq!(report["unchanged"], 3);
    assert_eq!(report["rome_from_title"], 1, "{out}");
    assert_eq!(report["rejected"], 1);
    assert_eq!(report["located_by_commune"], 1);

    let only_a = tmp.path().join("a.json");
    std::fs::write(&only_a, format!("{{\"resultats\": [\n{A}\n]}}\n")).unwrap();
    let (ok, out, err) = import(&only_a, &["--full", "--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["closed"], 2, "{out}");

    let truncated = tmp.path().join("cut.json");
    std::fs::write(&truncated, format!("[\n{A},\n{{\"id\":")).unwrap();
    let (ok, _, err) = import(&truncated, &[]);
    assert!(!ok);
    assert!(err.contains("cut.json:3"), "{err}");
}

#[test]
fn the_api_is_fetched_with_the_configured_credentials() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut config = FakeConfig::default();
    config.offers.insert(
        "69".into(),
        offers("L", 200, "69383", (45.7514, 4.8685), "D1102"),
    );
    let server = runtime.block_on(FakeFranceTravail::start(config)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let db = database(tmp.path());
    let api = |extra: &[&str], secret: Option<&str>| {
        let mut command = lba();
        command
            .args(["import", "offers", "--from-api", "--departement", "69"])
            .args(extra)
            .env("LBA_DATABASE_URL", &db)
            .env("LBA_FT_API_URL", server.api_url())
            .env("LBA_FT_TOKEN_URL", server.token_url())
            .env("LBA_FT_CLIENT_ID", CLIENT_ID);
        if let Some(secret) = secret {
            command.env("LBA_FT_CLIENT_SECRET", secret);
        }
        run(&mut command)
    };
    let (ok, out, err) = api(&["--json"], Some(CLIENT_SECRET));
    assert!(ok, "{out}\n{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["created"], 200, "{out}");
    assert_eq!(report["departements"][0]["departement"], "69");
    assert_eq!(report["departements"][0]["total"], 200);
    assert_eq!(server.searches().len(), 2);

    let (ok, out, _) = api(&[], Some(CLIENT_SECRET));
    assert!(ok);
    assert!(out.contains("inchangées"), "{out}");
    assert!(out.contains("département 69"), "{out}");

    let (ok, _, err) = api(&[], None);
    assert!(!ok);
    assert!(
        err.contains("secret client France Travail manquant"),
        "{err}"
    );
    let (ok, _, err) = api(&[], Some("faux"));
    assert!(!ok);
    assert!(err.contains("jeton OAuth2 France Travail refusé"), "{err}");
    assert!(!err.contains("faux"), "the secret leaked: {err}");
}

#[test]
fn import_offers_help_lists_its_flags_and_settings() {
    let (ok, out, _) = run(lba().args(["import", "offers", "--help"]));
    assert!(ok);
    for flag in [
        "--file",
        "--from-api",
        "--departement",
        "--full",
        "--json",
        "LBA_FT_API_URL",
        "LBA_FT_TOKEN_URL",
        "LBA_FT_CLIENT_ID",
        "LBA_FT_CLIENT_SECRET",
        "LBA_FT_SCOPE",
    ] {
        assert!(out.contains(flag), "{flag} missing:\n{out}");
    }
    let (ok, _, err) = run(lba().args(["import", "offers"]));
    assert!(!ok);
    assert!(
        err.contains("--file") || err.contains("--from-api"),
        "{err}"
    );
}
