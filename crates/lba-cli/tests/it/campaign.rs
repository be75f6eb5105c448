//! `lba demo cohort` and `lba campaign import-cohort` end to end on the
//! local demo data: the generated file imports, with its broken rows
//! reported, and a second import updates without duplicates.

use crate::{lba, run, shared_data};

#[test]
fn generated_cohort_imports_and_reimports_idempotently() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let file = tmp.path().join("cohorte.csv");
    let (ok, out, err) = run(lba()
        .args(["import", "referentials", "--data-dir"])
        .arg(shared_data())
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    let (ok, out, err) = run(lba()
        .args([
            "demo",
            "generate",
            "--reference-date",
            "2026-05-01",
            "--database-url",
        ])
        .arg(&db));
    assert!(ok, "{out}\n{err}");

    let (ok, out, err) = run(lba()
        .args([
            "demo",
            "cohort",
            "--candidates",
            "500",
            "--seed",
            "3",
            "--reference-date",
            "2026-05-01",
            "--json",
            "--out",
        ])
        .arg(&file)
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    let written: serde_json::Value = serde_json::from_str(&out).unwrap();
    let minors = written["minors"].as_u64().unwrap();
    assert!((40..=110).contains(&minors), "about 15 % minors: {minors}");
    let rows = written["rows"].as_u64().unwrap();
    assert!(rows > 500);

    let import = || {
        let (ok, out, err) = run(lba()
            .args([
                "campaign",
                "import-cohort",
                "--source",
                "parcoursup",
                "--json",
                "--file",
            ])
            .arg(&file)
            .arg("--database-url")
            .arg(&db));
        assert!(ok, "{out}\n{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let first = import();
    assert_eq!(first["rows"].as_u64(), Some(rows));
    let broken = written["broken_rows"].as_u64().unwrap();
    // Broken rows are rejected (a broken row may also be a duplicate wish).
    assert!(first["rejected"].as_u64().unwrap() >= broken, "{first}");
    assert!(first["rejects"][0]["line"].as_u64().unwrap() > 1);
    let people = first["people"].as_u64().unwrap();
    assert!(people > 450 && people <= 500, "{first}");
    assert_eq!(first["created"].as_u64(), Some(people));
    let linked = first["linked_courses"].as_u64().unwrap();
    let wishes = first["wishes"].as_u64().unwrap();
    assert!(
        linked * 2 > wishes,
        "most wishes point to stored courses: {first}"
    );
    assert!(first["apprenticeship_only"].as_u64().unwrap() < people);
    assert!(first["contacts_refused"].as_u64().unwrap() > 0);

    let second = import();
    assert_eq!(second["created"].as_u64(), Some(0));
    assert_eq!(second["updated"].as_u64(), Some(people));
    assert_eq!(second["wishes"], first["wishes"]);

    // Human output in French, naming the file and line of a reject.
    let (ok, out, err) = run(lba()
        .args([
            "campaign",
            "import-cohort",
            "--source",
            "parcoursup",
            "--file",
        ])
        .arg(&file)
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{err}");
    assert!(
        out.contains("lignes rejetées") && out.contains("cohorte.csv:"),
        "{out}"
    );

    // A missing file: a clear error, no panic.
    let (ok, _, err) = run(lba()
        .args([
            "campaign",
            "import-cohort",
            "--source",
            "affelnet",
            "--file",
            "/nonexistent.csv",
            "--database-url",
        ])
        .arg(&db));
    assert!(!ok);
    assert!(err.contains("/nonexistent.csv"), "{err}");
}
