use lba_core::contact::{ContactError, Email, PhoneNumber, is_disposable_domain};

#[test]
fn emails_are_trimmed_and_their_domain_lowercased() {
    let email = Email::parse("  Jeanne.Dupont+lba@Exemple.FR ").unwrap();
    assert_eq!(email.as_str(), "Jeanne.Dupont+lba@exemple.fr");
    assert_eq!(email.domain(), "exemple.fr");
    assert_eq!(format!("{email:?}"), "Email(…@exemple.fr)");
}

#[test]
fn malformed_emails_are_refused_without_echo() {
    for bad in [
        "",
        "jeanne",
        "jeanne@",
        "@exemple.fr",
        "jeanne@exemple",
        "jeanne@exemple.f",
        "jeanne@exemple.123",
        "jeanne dupont@exemple.fr",
        ".jeanne@exemple.fr",
        "jea..nne@exemple.fr",
        "jeanne@-exemple.fr",
        "jeanne@exem_ple.fr",
        "jeanne@exemple..fr",
        "<script>@exemple.fr",
    ] {
        let error = Email::parse(bad).unwrap_err();
        assert_eq!(error, ContactError::Email, "{bad}");
        if !bad.is_empty() {
            assert!(!error.to_string().contains(bad), "{bad}");
        }
    }
}

#[test]
fn disposable_domains_and_their_subdomains_are_refused_for_personal_addresses() {
    assert!(is_disposable_domain("yopmail.com"));
    assert!(is_disposable_domain("eu.mailinator.com"));
    assert!(!is_disposable_domain("gmail.com"));
    assert!(!is_disposable_domain("com"));
    assert_eq!(
        Email::parse_personal("x@YOPMAIL.com").unwrap_err(),
        ContactError::DisposableEmail
    );
    assert!(Email::parse("x@yopmail.com").is_ok());
    assert!(Email::parse_personal("x@orange.fr").is_ok());
}

#[test]
fn french_numbers_are_normalised_to_e164() {
    for (input, e164, mobile) in [
        ("06 12 34 56 78", "+33612345678", true),
        ("06.12.34.56.78", "+33612345678", true),
        ("0712345678", "+33712345678", true),
        ("+33 6 12 34 56 78", "+33612345678", true),
        ("+33 (0)6 12 34 56 78", "+33612345678", true),
        ("0033612345678", "+33612345678", true),
        ("01 23 45 67 89", "+33123456789", false),
        ("0800 123 456", "+33800123456", false),
        ("0692 12 34 56", "+262692123456", true),
        ("0690 12 34 56", "+590690123456", true),
        ("0696123456", "+596696123456", true),
        ("0694123456", "+594694123456", true),
        ("0639123456", "+262639123456", true),
        ("+262 692 12 34 56", "+262692123456", true),
        ("0262 12 34 56", "+262262123456", false),
    ] {
        let phone = PhoneNumber::parse(input).unwrap();
        assert_eq!(phone.e164(), e164, "{input}");
        assert_eq!(phone.is_mobile(), mobile, "{input}");
    }
    assert_eq!(
        PhoneNumber::parse("+262692123456").unwrap().national(),
        "06 92 12 34 56"
    );
    assert_eq!(
        PhoneNumber::parse("+33612345678").unwrap().national(),
        "06 12 34 56 78"
    );
}

#[test]
fn invalid_and_premium_numbers_are_refused() {
    for bad in [
        "",
        "0612",
        "061234567890",
        "6 12 34 56 78",
        "00 12 34 56 78",
        "+44 20 7946 0958",
        "06 12 34 56 7a",
    ] {
        assert_eq!(
            PhoneNumber::parse(bad).unwrap_err(),
            ContactError::Phone,
            "{bad}"
        );
    }
    for premium in [
        "08 99 12 34 56",
        "0892 12 34 56",
        "0820 12 34 56",
        "0810123456",
    ] {
        assert_eq!(
            PhoneNumber::parse(premium).unwrap_err(),
            ContactError::PremiumPhone,
            "{premium}"
        );
    }
    let phone = PhoneNumber::parse("0612345678").unwrap();
    assert_eq!(format!("{phone:?}"), "PhoneNumber(…78)");
}
