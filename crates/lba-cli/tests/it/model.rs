//! `lba demo hirings` → `lba model train` → `lba model evaluate` →
//! `lba model score` → the companies are served by `/api/v1/jobs`.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::serve::{free_port, http_get, wait_for_health};
use crate::{lba, run, shared_data};

#[test]
fn model_commands_end_to_end_on_demo_data() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let history = tmp.path().join("embauches.csv");
    let with_db = |args: &[&str]| {
        let mut c = lba();
        c.args(args).arg("--database-url").arg(&db);
        run(&mut c)
    };

    // No run yet: a clear message.
    let (ok, _, err) = with_db(&["model", "evaluate"]);
    assert!(!ok);
    assert!(err.contains("aucun modèle entraîné"), "{err}");

    let (ok, out, err) = run(lba()
        .args(["import", "referentials", "--data-dir"])
        .arg(shared_data())
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");

    let (ok, out, err) = run(lba()
        .args([
            "demo",
            "hirings",
            "--establishments",
            "1500",
            "--seed",
            "9",
            "--out",
        ])
        .arg(&history)
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("1500 écrits"), "{out}");
    assert!(out.contains("de 2021-S1 à 2025-S2"), "{out}");

    // A broken line is reported with the file and the line.
    let mut text = std::fs::read_to_string(&history).unwrap();
    text.push_str("73282932000074;2024-S3;1;0\n");
    let lines = text.lines().count();
    std::fs::write(&history, text).unwrap();

    let (ok, out, err) = run(lba()
        .args(["model", "train", "--history"])
        .arg(&history)
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    assert!(
        out.contains(&format!("embauches.csv:{lines}: champ `period`")),
        "{out}"
    );
    assert!(out.contains("Modèle n°1 entraîné"), "{out}");
    assert!(out.contains("prêt à publier"), "{out}");

    let (ok, out, err) = with_db(&["model", "evaluate"]);
    assert!(ok, "{err}");
    for row in [
        "MCO (embauches)",
        "par effectif",
        "au hasard (espérance)",
        "10 %",
        "100 %",
    ] {
        assert!(out.contains(row), "{row}: {out}");
    }
    let random = out
        .lines()
        .find(|l| l.trim_start().starts_with("au hasard"))
        .unwrap();
    assert!(
        random.contains("10.0") && random.contains("100.0"),
        "{random}"
    );

    let (ok, out, err) = with_db(&["model", "evaluate", "--json"]);
    assert!(ok, "{err}");
    let eval: serde_json::Value = serde_json::from_str(&out).unwrap();
    let top10 = eval["variants"][0]["lift"][0]["captured_pct"]
        .as_f64()
        .unwrap();
    assert!(top10 >= 20.0, "{top10}");

    let (ok, out, err) = with_db(&["model", "score"]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("Modèle n°1 publié"), "{out}");
    let (ok, out, _) = with_db(&["status", "--json"]);
    assert!(ok);
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    let companies = status["companies"].as_i64().unwrap();
    assert!(companies > 50, "{companies}");

    // A too strict guard rail refuses with its message and setting.
    let (ok, _, err) = with_db(&["model", "score", "--max-test-error", "0.01"]);
    assert!(!ok);
    assert!(err.contains("erreur de test trop élevée"), "{err}");
    assert!(err.contains("--max-test-error"), "{err}");

    // The search serves the model's companies: ask around the best one
    // for its best métier.
    let (ok, out, err) = with_db(&["model", "score", "--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let best = &report["examples"][0];
    let siret = best["siret"].as_str().unwrap().to_owned();
    let (rome, lat, lon) = (
        best["rome"].as_str().unwrap().to_owned(),
        best["lat"].as_f64().unwrap(),
        best["lon"].as_f64().unwrap(),
    );
    let port = free_port();
    let mut child = lba()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--database-url")
        .arg(&db)
        .env("LBA_DATA_DIR", shared_data())
        .env("LBA_MAIL_DIR", tmp.path().join("mail"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_health(&mut child, port);
    let mut found = None;
    let (status, body) = http_get(
        port,
        &format!("/api/v1/jobs?romes={rome}&latitude={lat}&longitude={lon}&radius=10&sources=lba"),
    )
    .unwrap();
    if status == 200 {
        found = Some(body);
    }
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let body = found.expect("GET /api/v1/jobs answered 200");
    let json: serde_json::Value = serde_json::from_str(body.trim()).unwrap();
    let sirets: Vec<&str> = json["lbaCompanies"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["company"]["siret"].as_str())
        .collect();
    assert!(
        sirets.contains(&siret.as_str()),
        "{siret} not in {sirets:?}"
    );
}
