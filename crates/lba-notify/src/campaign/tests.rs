//! Unit tests of the campaign sending rules' pure parts.

use super::*;

fn message(kind: &str, html: Option<&str>) -> StoredMessage {
    StoredMessage {
        id: 42,
        campaign_id: "c1".into(),
        person_id: "p1".into(),
        channel: "email".into(),
        recipient_kind: kind.into(),
        arm: "a".into(),
        recipient: "lea@exemple.fr".into(),
        subject: Some("Votre place en apprentissage".into()),
        body_text: "Bonjour Léa".into(),
        body_html: html.map(str::to_owned),
        status: "pending".into(),
        attempts: 0,
        last_error: None,
        provider_id: None,
        sent_at: None,
    }
}

#[test]
fn email_has_footer_and_one_click_headers() {
    let from: Mailbox = "La bonne alternance <ne-pas-repondre@lba.test>"
        .parse()
        .unwrap_or_else(|_| unreachable!());
    let url = "https://lba.test/desinscription?m=42&exp=1&sig=abc";
    let m = message("parent", Some("<html><body><p>Bonjour</p></body></html>"));
    let built = build_campaign_email(&from, url, &m).unwrap_or_else(|e| panic!("{e}"));
    let raw = String::from_utf8(built.formatted()).unwrap_or_default();
    assert!(raw.contains(&format!("List-Unsubscribe: <{url}>")), "{raw}");
    assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(raw.contains("Message-ID: <cm-42@lba.test>"));
    assert!(raw.contains("votre enfant"), "{raw}");
    let (_, html) = footer(&m, url);
    assert!(html.contains("m=42&amp;exp=1&amp;sig=abc"));
    assert!(with_html_footer("<body>x</body>", "F").ends_with("xF</body>"));
}

#[test]
fn windows_per_channel() {
    // Sunday 2026-03-08 10:00 Paris: e-mail yes, SMS no.
    let sunday: DateTime<Utc> = "2026-03-08T09:00:00Z".parse().unwrap_or_default();
    assert!(send_window("email", false).allows(sunday));
    assert!(!send_window("sms", false).allows(sunday));
    let august: DateTime<Utc> = "2026-08-04T09:00:00Z".parse().unwrap_or_default();
    assert!(!send_window("email", true).allows(august));
    assert_eq!(
        send_window("email", true).next_allowed(august),
        "2026-08-31T22:00:00Z".parse().ok()
    );
}

#[test]
fn unsubscribe_links_are_signed_over_channel_and_address() {
    let key = LinkKey::new(b"a test key of the links");
    let now: DateTime<Utc> = "2026-03-08T09:00:00Z".parse().unwrap_or_default();
    let m = message("young", None);
    let url = unsubscribe_url(&key, "https://lba.test/", &m, now);
    assert!(url.starts_with("https://lba.test/desinscription?m=42&exp="));
    assert!(!url.contains("lea@"));
    let sig = url.split("sig=").nth(1).unwrap_or_default().to_owned();
    let exp = (now + UNSUBSCRIBE_VALIDITY).timestamp();
    let signature = Signature { exp, sig };
    assert!(verify_unsubscribe(&key, &m, &signature, now).is_ok());
    let mut other = m.clone();
    other.recipient = "tom@exemple.fr".into();
    assert!(verify_unsubscribe(&key, &other, &signature, now).is_err());
}

#[test]
fn errors_lose_the_recipient() {
    assert_eq!(
        scrub("550 <lea@exemple.fr> unknown", "lea@exemple.fr"),
        "550 <<destinataire>> unknown"
    );
    assert_eq!(
        scrub("bad 33612345678", "+33612345678"),
        "bad <destinataire>"
    );
}
