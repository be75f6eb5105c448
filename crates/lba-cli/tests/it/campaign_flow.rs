//! The README walkthrough: `lba demo cohort` → `import-cohort` → `create`
//! (the sample spec) → `show` → `preview` → `launch` → `report`, then a
//! second launch that adds nothing, pause and resume, and specification
//! errors naming the file and the field.

use std::path::{Path, PathBuf};

use crate::{lba, run, shared_data};

fn sample_spec() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/campagne-exemple.json"
    ))
}

fn lba_json(db: &Path, args: &[&str]) -> serde_json::Value {
    let (ok, out, err) = run(lba()
        .args(args)
        .arg("--json")
        .arg("--database-url")
        .arg(db)
        .env("LBA_LINK_SECRET", "secret-de-test")
        .env("LBA_PUBLIC_URL", "https://lba.test"));
    assert!(ok, "{args:?}\n{out}\n{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn lba_text(db: &Path, args: &[&str]) -> (bool, String, String) {
    run(lba()
        .args(args)
        .arg("--database-url")
        .arg(db)
        .env("LBA_LINK_SECRET", "secret-de-test")
        .env("LBA_PUBLIC_URL", "https://lba.test"))
}

#[test]
fn demo_cohort_to_campaign_report() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let file = tmp.path().join("cohorte.csv");
    let (ok, out, err) = run(lba()
        .args(["import", "referentials", "--data-dir"])
        .arg(shared_data())
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    let (ok, out, err) = lba_text(&db, &["demo", "generate", "--reference-date", "2026-05-01"]);
    assert!(ok, "{out}\n{err}");
    let file_arg = file.display().to_string();
    lba_json(
        &db,
        &[
            "demo",
            "cohort",
            "--candidates",
            "300",
            "--seed",
            "5",
            "--reference-date",
            "2026-05-01",
            "--out",
            &file_arg,
        ],
    );
    let imported = lba_json(
        &db,
        &[
            "campaign",
            "import-cohort",
            "--source",
            "parcoursup",
            "--file",
            &file_arg,
        ],
    );
    assert!(imported["people"].as_u64().unwrap() > 250);

    let spec = sample_spec().display().to_string();
    let created = lba_json(&db, &["campaign", "create", "--spec", &spec]);
    let id = created["id"].as_str().unwrap().to_owned();
    let list = lba_json(&db, &["campaign", "list"]);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["status"], "draft");

    let shown = lba_json(&db, &["campaign", "show", "--id", &id]);
    let person = shown["sample_people"][0]["id"].as_str().unwrap().to_owned();
    let label = shown["sample_people"][0]["label"].as_str().unwrap();
    assert!(!label.contains('@'), "{label}");

    // Preview: the texts, tracked links and the SMS length.
    let (ok, out, err) = lba_text(
        &db,
        &[
            "campaign", "preview", "--id", &id, "--person", &person, "--arm", "cfa",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("── e-mail →"), "{out}");
    assert!(out.contains("Objet : "), "{out}");
    assert!(out.contains("https://lba.test/c/"), "{out}");
    assert!(out.contains("── SMS →") && out.contains("partie"), "{out}");
    assert!(out.contains("STOP au 36111"), "{out}");

    let assigned = lba_json(&db, &["campaign", "assign", "--id", &id]);
    let total = assigned["total"].as_u64().unwrap();
    assert!(total > 100);
    assert_eq!(assigned["arms"][0]["control"], true);

    let launched = lba_json(&db, &["campaign", "launch", "--id", &id]);
    assert_eq!(launched["complete"], true);
    assert_eq!(launched["errors"], 0, "{launched}");
    let messages = launched["total"].as_u64().unwrap();
    assert!(messages > total, "email and SMS: {launched}");
    assert_eq!(launched["new"].as_u64(), Some(messages));
    assert_eq!(launched["people"].as_u64(), Some(total));

    let again = lba_json(&db, &["campaign", "launch", "--id", &id]);
    assert_eq!(
        (again["new"].as_u64(), again["total"].as_u64()),
        (Some(0), Some(messages))
    );

    let report = lba_json(&db, &["campaign", "report", "--id", &id]);
    assert_eq!(report["status"], "launched");
    let arms = report["arms"].as_array().unwrap();
    assert_eq!(arms.len(), 3);
    assert_eq!(arms[0]["messages"], 0);
    let per_arm: u64 = arms.iter().map(|a| a["messages"].as_u64().unwrap()).sum();
    assert_eq!(per_arm, messages);
    let targeted: u64 = arms.iter().map(|a| a["targeted"].as_u64().unwrap()).sum();
    assert_eq!(targeted, total);
    let (ok, out, _) = lba_text(&db, &["campaign", "report", "--id", &id]);
    assert!(
        ok && out.contains("témoin") && out.contains("candidatures"),
        "{out}"
    );

    let (ok, out, err) = lba_text(
        &db,
        &["campaign", "pause", "--id", &id, "--reason", "vérification"],
    );
    assert!(ok, "{out}{err}");
    let (ok, _, err) = lba_text(&db, &["campaign", "launch", "--id", &id]);
    assert!(!ok && err.contains("en pause"), "{err}");
    let (ok, out, err) = lba_text(&db, &["campaign", "resume", "--id", &id]);
    assert!(ok && out.contains("reprise"), "{out}{err}");
    let (ok, out, err) = lba_text(&db, &["campaign", "finish", "--id", &id]);
    assert!(ok && out.contains("terminée"), "{out}{err}");
    let report = lba_json(&db, &["campaign", "report", "--id", &id]);
    assert_eq!(report["status"], "done");

    // Specification errors name the file and the field.
    let bad = tmp.path().join("bad.json");
    let mut spec_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample_spec()).unwrap()).unwrap();
    spec_json["arms"][1]["templates"]["sms"] = "{{ nom }}".into();
    std::fs::write(&bad, spec_json.to_string()).unwrap();
    let (ok, _, err) = lba_text(
        &db,
        &["campaign", "create", "--spec", &bad.display().to_string()],
    );
    assert!(!ok);
    assert!(
        err.contains("bad.json") && err.contains("arms[1].templates.sms"),
        "{err}"
    );
    spec_json["colour"] = "rouge".into();
    std::fs::write(&bad, spec_json.to_string()).unwrap();
    let (ok, _, err) = lba_text(
        &db,
        &["campaign", "create", "--spec", &bad.display().to_string()],
    );
    assert!(!ok && err.contains("colour"), "{err}");
    let (ok, _, err) = lba_text(&db, &["campaign", "show", "--id", "nope"]);
    assert!(!ok && err.contains("campagne introuvable"), "{err}");
}
