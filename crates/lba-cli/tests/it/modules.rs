//! `lba modules check` on the fixture modules of lba-learning.

use std::path::PathBuf;

use crate::{lba, run};

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../lba-learning/tests/fixtures"
    ))
}

#[test]
fn check_prints_each_module_and_passes_on_valid_content() {
    let (ok, out, err) = run(lba()
        .args(["modules", "check", "--dir"])
        .arg(fixtures().join("valid")));
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("exemple"), "{out}");
    assert!(out.contains("version 1"), "{out}");
    assert!(
        out.contains(" 8 situations principales, 1 de remédiation"),
        "{out}"
    );
    assert!(out.contains("1 module(s) valides"), "{out}");
}

#[test]
fn check_fails_with_errors_naming_the_file() {
    let (ok, out, err) = run(lba()
        .args(["modules", "check", "--dir"])
        .arg(fixtures().join("invalid")));
    assert!(!ok, "{out}");
    assert!(err.contains("typo-champ.toml : TOML illisible"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(lba().args(["modules", "check", "--dir"]).arg(empty.path()));
    assert!(!ok);
    assert!(err.contains("aucun fichier de module"), "{err}");
}
