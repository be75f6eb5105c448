//! `lba campaign simulate-impact` (coverage printed, bad flags named) and
//! `lba demo outcomes` refusing a malformed `--effect` or an unknown arm.

use crate::{lba, run};

#[test]
fn simulate_impact_prints_the_coverage_of_both_estimators() {
    let (ok, out, err) = run(lba().args([
        "campaign",
        "simulate-impact",
        "--people",
        "2000",
        "--runs",
        "20",
        "--seed",
        "4",
        "--json",
    ]));
    assert!(ok, "{out}\n{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    for estimator in ["unadjusted", "stratified"] {
        let coverage = report[estimator]["coverage"].as_f64().unwrap();
        assert!((0.7..=1.0).contains(&coverage), "{estimator}: {coverage}");
        assert_eq!(report[estimator]["runs"], 20);
    }
    let (ok, out, err) = run(lba().args(["campaign", "simulate-impact", "--base-rate", "1.5"]));
    assert!(!ok, "{out}");
    assert!(err.contains("base_rate"), "{err}");
}

#[test]
fn demo_outcomes_names_a_bad_effect() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let (ok, out, err) = run(lba()
        .args([
            "demo",
            "outcomes",
            "--campaign",
            "camp-x",
            "--effect",
            "cfa:0.03",
            "--out",
        ])
        .arg(tmp.path().join("r.csv"))
        .arg("--database-url")
        .arg(&db));
    assert!(!ok, "{out}");
    assert!(
        err.contains("--effect") && err.contains("cfa:0.03"),
        "{err}"
    );
    let (ok, _, err) = run(lba()
        .args(["demo", "outcomes", "--campaign", "camp-x", "--out"])
        .arg(tmp.path().join("r.csv"))
        .arg("--database-url")
        .arg(&db));
    assert!(!ok);
    assert!(err.contains("campagne introuvable"), "{err}");
}
