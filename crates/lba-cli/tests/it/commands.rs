use crate::{lba, run, shared_data};

#[test]
fn help_documents_every_flag_and_its_variable() {
    let (ok, out, _) = run(lba().arg("--help"));
    assert!(ok);
    for word in [
        "serve",
        "migrate",
        "import",
        "status",
        "LBA_DATABASE_URL",
        "LBA_LOG",
    ] {
        assert!(out.contains(word), "--help lacks {word}:\n{out}");
    }
    let (ok, out, _) = run(lba().args(["serve", "--help"]));
    assert!(ok);
    for word in [
        "--addr",
        "LBA_ADDR",
        "--data-dir",
        "LBA_DATA_DIR",
        "LBA_DATABASE_URL",
    ] {
        assert!(out.contains(word), "serve --help lacks {word}:\n{out}");
    }
    let (ok, out, _) = run(lba().args(["import", "referentials", "--help"]));
    assert!(ok);
    assert!(out.contains("LBA_DATA_DIR"), "{out}");
}

#[test]
fn import_then_status_reports_the_real_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let (ok, out, err) = run(lba()
        .args(["import", "referentials", "--data-dir"])
        .arg(shared_data())
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("non localisés"), "{out}");
    assert!(
        out.contains("contact_modes.csv:995"),
        "the rejected row is listed:\n{out}"
    );

    let (ok, out, err) = run(lba()
        .args(["status", "--json"])
        .env("LBA_DATABASE_URL", &db));
    assert!(ok, "{err}");
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["rome_fiches"], 1584);
    assert_eq!(status["rome_appellations"], 13120);
    assert_eq!(status["communes"], 34934);
    assert_eq!(status["arrondissements"], 45);
    assert_eq!(status["diplomas"], 5707);
    assert_eq!(status["cfas"], 933);
    assert!(status["cfas_located"].as_i64().unwrap() >= 925);
    assert!(status["commune_aliases"].as_i64().unwrap() >= 500);
    assert!(status["commune_postal_codes"].as_i64().unwrap() >= 35415);
    for kind in [
        "formations",
        "offers",
        "companies",
        "naf_codes",
        "departements",
        "regions",
    ] {
        assert!(status[kind].is_i64(), "{kind} missing from {out}");
    }
    assert_eq!(status["backend"], "sqlite");
}

#[test]
fn a_missing_data_directory_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(lba()
        .args([
            "import",
            "referentials",
            "--data-dir",
            "/nonexistent/lba-data",
        ])
        .arg("--database-url")
        .arg(tmp.path().join("lba.db")));
    assert!(!ok);
    assert!(err.contains("/nonexistent/lba-data"), "{err}");
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let (ok, _, err) = run(lba().args(["status", "--database-url", "mysql://localhost/x"]));
    assert!(!ok);
    assert!(err.contains("mysql://localhost/x"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn migrate_creates_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sub/lba.db");
    let (ok, out, err) = run(lba().arg("migrate").arg("--database-url").arg(&db));
    assert!(ok, "{err}");
    assert!(out.contains("sqlite"), "{out}");
    assert!(db.exists());
}

#[test]
fn a_closed_pipe_on_stdout_ends_quietly() {
    // `lba status | head -1`: the reader goes away before everything is
    // written; no panic message, success.
    use std::io::Read;
    use std::process::Stdio;
    let tmp = tempfile::tempdir().unwrap();
    let mut child = lba()
        .args(["status", "--database-url"])
        .arg(tmp.path().join("lba.db"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end at once: every write of the child fails.
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(status.success(), "{status:?} {err}");
}
