//! `lba import catalogue` end to end.

use crate::{lba, run, shared_data};

const A: &str = r#"{"cle_ministere_educatif": "A", "intitule_long": "BANQUE (BTS)", "cfd": "32031313", "rome_codes": ["C1206"], "lieu_formation_geo_coordonnees": "45.9577,5.3592", "localite": "Ambérieu-en-Bugey"}"#;
const B: &str = r#"{"cle_ministere_educatif": "B", "intitule_long": "BANQUE (BTS)", "cfd": "32031313", "code_commune_insee": "01004", "inconnu": 1}"#;
const BAD: &str = r#"{"cle_ministere_educatif": "C", "rome_codes": ["C1206"], "lieu_formation_geo_coordonnees": "nord"}"#;

#[test]
fn the_catalogue_imports_reimports_and_fully_replaces() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let (ok, out, err) = run(lba()
        .args(["import", "referentials", "--data-dir"])
        .arg(shared_data())
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");

    let file = tmp.path().join("catalogue.ndjson");
    std::fs::write(&file, format!("{A}\n{B}\n{BAD}\n")).unwrap();
    let import = |file: &std::path::Path, extra: &[&str]| {
        run(lba()
            .args(["import", "catalogue", "--file"])
            .arg(file)
            .args(extra)
            .env("LBA_DATABASE_URL", &db))
    };
    let (ok, out, err) = import(&file, &[]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("Catalogue des formations importé"), "{out}");
    assert!(out.contains("créées"), "{out}");
    assert!(out.contains("codes ROME du classifieur"), "{out}");
    assert!(
        out.contains("catalogue.ndjson:3: champ `lieu_formation_geo_coordonnees`"),
        "{out}"
    );

    let (ok, out, err) = import(&file, &["--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["read"], 3);
    assert_eq!(report["created"], 0);
    assert_eq!(report["updated"], 0);
    assert_eq!(report["unchanged"], 2);
    assert_eq!(report["rejected"], 1);
    assert_eq!(report["rejects"][0]["line"], 3);
    assert_eq!(report["romes_from_classifier"], 0);

    let only_a = tmp.path().join("a.json");
    std::fs::write(&only_a, format!("[\n{A}\n]\n")).unwrap();
    let (ok, out, err) = import(&only_a, &["--full", "--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["unpublished"], 1, "{out}");
    assert_eq!(report["full"], true);

    let truncated = tmp.path().join("truncated.json");
    std::fs::write(
        &truncated,
        format!("[\n{A},\n{{\"cle_ministere_educatif\":"),
    )
    .unwrap();
    let (ok, _, err) = import(&truncated, &[]);
    assert!(!ok);
    assert!(err.contains("truncated.json:3"), "{err}");
}

#[test]
fn import_catalogue_help_lists_its_flags() {
    let (ok, out, _) = run(lba().args(["import", "catalogue", "--help"]));
    assert!(ok);
    for flag in ["--file", "--full", "--json", "LBA_DATABASE_URL"] {
        assert!(out.contains(flag), "{flag} missing:\n{out}");
    }
}
