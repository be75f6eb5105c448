//! Tracked link codes: `/c/{code}` where the code is the first 16
//! characters of the base64url (no padding) HMAC-SHA256, with the link
//! secret, of `"{campaign}|{person}|{channel}|{recipient_kind}|{target}"`.
//! Rendering the same message twice gives the same codes; nobody can forge
//! one without the key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Length of a link code.
pub const CODE_LEN: usize = 16;

/// The code of the link to `target` in the message of (campaign, person,
/// channel, recipient kind).
pub fn link_code(
    key: &[u8],
    campaign: &str,
    person: &str,
    channel: &str,
    recipient_kind: &str,
    target: &str,
) -> String {
    // HMAC accepts keys of any length: `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(format!("{campaign}|{person}|{channel}|{recipient_kind}|{target}").as_bytes());
    let mut code = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    code.truncate(CODE_LEN);
    code
}

/// The public URL of a code.
pub fn link_url(public_url: &str, code: &str) -> String {
    format!("{}/c/{code}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_short_and_keyed() {
        let a = link_code(b"k", "c1", "p1", "email", "young", "https://x.fr/a");
        assert_eq!(a.len(), CODE_LEN);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(
            a,
            link_code(b"k", "c1", "p1", "email", "young", "https://x.fr/a")
        );
        assert_ne!(
            a,
            link_code(b"k", "c1", "p1", "sms", "young", "https://x.fr/a")
        );
        assert_ne!(
            a,
            link_code(b"k", "c1", "p1", "email", "parent", "https://x.fr/a")
        );
        assert_ne!(
            a,
            link_code(b"other", "c1", "p1", "email", "young", "https://x.fr/a")
        );
        assert_eq!(link_url("https://lba.fr/", "abc"), "https://lba.fr/c/abc");
    }
}
