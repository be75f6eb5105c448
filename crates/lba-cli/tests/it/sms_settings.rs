//! Settings of campaign delivery: documented in `lba worker --help`, and a
//! half-configured SMS gateway is refused at start with the missing
//! variable named (never silently ignored).

use crate::{lba, run};

#[test]
fn delivery_settings_are_documented_and_checked_at_start() {
    let (ok, out, _) = run(lba().args(["worker", "--help"]));
    assert!(ok);
    for word in [
        "LBA_SMS_API_URL",
        "LBA_SMS_API_KEY",
        "LBA_SMS_SENDER",
        "LBA_WEBHOOK_SECRET",
    ] {
        assert!(out.contains(word), "worker --help lacks {word}:\n{out}");
    }
    let (ok, out, _) = run(lba().args(["serve", "--help"]));
    assert!(ok);
    assert!(out.contains("LBA_WEBHOOK_SECRET"), "{out}");

    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("lba.db");
    let (ok, _, err) = run(lba()
        .arg("worker")
        .env("LBA_DATABASE_URL", &db)
        .env("LBA_SMS_API_URL", "http://127.0.0.1:9")
        .env_remove("LBA_SMS_API_KEY"));
    assert!(!ok);
    assert!(err.contains("LBA_SMS_API_KEY manquant"), "{err}");
    let (ok, _, err) = run(lba()
        .arg("worker")
        .env("LBA_DATABASE_URL", &db)
        .env("LBA_SMS_API_URL", "ftp://gateway")
        .env("LBA_SMS_API_KEY", "secret-key"));
    assert!(!ok);
    assert!(
        err.contains("LBA_SMS_API_URL doit commencer par http"),
        "{err}"
    );
    assert!(!err.contains("secret-key"), "{err}");
}
