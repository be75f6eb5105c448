use crate::{lba, run, shared_data};

fn status(db: &std::path::Path) -> serde_json::Value {
    let (ok, out, err) = run(lba().args(["status", "--json", "--database-url"]).arg(db));
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn opportunities(status: &serde_json::Value) -> [i64; 3] {
    ["formations", "offers", "companies"].map(|k| status[k].as_i64().unwrap())
}

#[test]
fn demo_generate_fills_the_three_kinds_and_demo_clear_empties_them() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");

    // Without referentials, a clear error.
    let (ok, _, err) = run(lba().args(["demo", "generate", "--database-url"]).arg(&db));
    assert!(!ok);
    assert!(err.contains("lba import referentials"), "{err}");

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
            "--scale",
            "local",
            "--seed",
            "7",
            "--reference-date",
            "2025-03-15",
            "--database-url",
        ])
        .arg(&db));
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("graine 7"), "{out}");
    assert!(out.contains("15/03/2025"), "{out}");
    assert!(
        out.contains("formations") && out.contains("entreprises"),
        "{out}"
    );
    assert_eq!(opportunities(&status(&db)), [3000, 6000, 20000]);

    // The model's demo establishments go too.
    let history = tmp.path().join("embauches.csv");
    let (ok, out, err) = run(lba()
        .args(["demo", "hirings", "--establishments", "40", "--out"])
        .arg(&history)
        .arg("--database-url")
        .arg(&db));
    assert!(ok, "{out}\n{err}");

    let (ok, out, err) = run(lba().args(["demo", "clear", "--database-url"]).arg(&db));
    assert!(ok, "{err}");
    assert!(out.contains("3000 formations"), "{out}");
    assert!(out.contains("40 établissements du modèle"), "{out}");
    assert_eq!(opportunities(&status(&db)), [0, 0, 0]);
    // The referentials stay.
    assert_eq!(status(&db)["rome_fiches"], 1584);
}

#[test]
fn demo_help_lists_the_flags() {
    let (ok, out, _) = run(lba().args(["demo", "generate", "--help"]));
    assert!(ok);
    for word in ["--scale", "local", "national", "--seed", "--reference-date"] {
        assert!(
            out.contains(word),
            "demo generate --help lacks {word}:\n{out}"
        );
    }
    let (ok, out, _) = run(lba().args(["demo", "--help"]));
    assert!(ok);
    assert!(out.contains("clear"), "{out}");
    let (ok, _, err) = run(lba().args(["demo", "generate", "--scale", "planet"]));
    assert!(!ok);
    assert!(err.contains("local"), "{err}");
}
