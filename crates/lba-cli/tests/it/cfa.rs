//! `lba cfa contact-email|opt-out|opt-in` on a fresh SQLite file.

use crate::{lba, run};

#[test]
fn an_administrator_sets_the_address_and_opts_a_cfa_out_and_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lba.db");
    let cfa = |args: &[&str]| run(lba().env("LBA_DATABASE_URL", &db).arg("cfa").args(args));
    let (ok, out, err) = cfa(&[
        "contact-email",
        "--uai",
        "0751234j",
        "--email",
        "contact@cfa.fr",
    ]);
    assert!(ok, "{out}\n{err}");
    assert!(
        out.contains("CFA 0751234J") && out.contains("contact@cfa.fr"),
        "{out}"
    );
    let (ok, out, _) = cfa(&["opt-out", "--uai", "0751234J"]);
    assert!(ok && out.contains("ne reçoit plus"), "{out}");
    let (ok, out, _) = cfa(&["opt-in", "--uai", "0751234J"]);
    assert!(ok && out.contains("de nouveau"), "{out}");
    // Bad input: a clear message naming the value, a failure status.
    let (ok, _, err) = cfa(&["opt-out", "--uai", "0751234X"]);
    assert!(!ok);
    assert!(err.contains("UAI invalide : « 0751234X »"), "{err}");
    let (ok, _, err) = cfa(&["contact-email", "--uai", "0751234J", "--email", "nope"]);
    assert!(!ok);
    assert!(err.contains("adresse e-mail invalide"), "{err}");
}
