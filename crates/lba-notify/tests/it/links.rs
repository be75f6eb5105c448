//! Signed links: valid as issued, refused when any part changes or once
//! expired.

use chrono::{TimeDelta, Utc};
use lba_notify::links::{LINK_VALIDITY, LinkError, LinkKey, Signature};

#[test]
fn a_link_verifies_and_any_change_is_refused() {
    let key = LinkKey::new(b"secret");
    let now = Utc::now();
    let signature = key.sign("answer:interview:app1", now + LINK_VALIDITY);
    assert_eq!(key.verify("answer:interview:app1", &signature, now), Ok(()));
    // Another action, another application.
    assert_eq!(
        key.verify("answer:refusal:app1", &signature, now),
        Err(LinkError::Invalid)
    );
    assert_eq!(
        key.verify("answer:interview:app2", &signature, now),
        Err(LinkError::Invalid)
    );
    // A later expiry.
    let extended = Signature {
        exp: signature.exp + 86_400,
        sig: signature.sig.clone(),
    };
    assert_eq!(
        key.verify("answer:interview:app1", &extended, now),
        Err(LinkError::Invalid)
    );
    // A modified signature, garbage, another key.
    let mut sig = signature.sig.clone().into_bytes();
    sig[0] = if sig[0] == b'A' { b'B' } else { b'A' };
    let modified = Signature {
        exp: signature.exp,
        sig: String::from_utf8(sig).unwrap(),
    };
    assert_eq!(
        key.verify("answer:interview:app1", &modified, now),
        Err(LinkError::Invalid)
    );
    let garbage = Signature {
        exp: signature.exp,
        sig: "!!".into(),
    };
    assert_eq!(
        key.verify("answer:interview:app1", &garbage, now),
        Err(LinkError::Invalid)
    );
    assert_eq!(
        LinkKey::new(b"other").verify("answer:interview:app1", &signature, now),
        Err(LinkError::Invalid)
    );
    // Valid for 30 days, not 31.
    assert_eq!(
        key.verify(
            "answer:interview:app1",
            &signature,
            now + TimeDelta::days(29)
        ),
        Ok(())
    );
    assert_eq!(
        key.verify(
            "answer:interview:app1",
            &signature,
            now + TimeDelta::days(31)
        ),
        Err(LinkError::Expired)
    );
}

#[test]
fn the_key_is_not_printed() {
    assert_eq!(format!("{:?}", LinkKey::new(b"secret")), "LinkKey(***)");
}
