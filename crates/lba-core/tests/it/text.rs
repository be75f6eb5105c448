//! Text normalisation: examples and properties.

use lba_core::text::{normalize, tokens};
use proptest::prelude::*;

#[test]
fn examples() {
    for (input, expected) in [
        ("Pâtisserie", "patisserie"),
        ("  Boulanger / Boulangère  ", "boulanger boulangere"),
        ("Aide-soignant(e)", "aide soignant e"),
        ("L'Œuvre d'art", "l oeuvre d art"),
        ("Ætna", "aetna"),
        ("Straße", "strasse"),
        (
            "CHEF DE CHANTIER GROS ŒUVRE",
            "chef de chantier gros oeuvre",
        ),
        ("Bac+2 — BTS", "bac 2 bts"),
        ("e\u{301}cole", "ecole"),
        ("", ""),
        (" -'/ ", ""),
        ("Ça\tva\n?", "ca va"),
    ] {
        assert_eq!(normalize(input), expected, "{input:?}");
    }
}

#[test]
fn tokens_are_the_normalized_words() {
    assert_eq!(tokens("L'Œuvre d'art"), ["l", "oeuvre", "d", "art"]);
    assert!(tokens(" -- ").is_empty());
}

/// Replaces French accented letters and ligatures by their base letters.
fn strip_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'à' | 'â' | 'ä' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ï' | 'î' => out.push('i'),
            'ô' | 'ö' => out.push('o'),
            'ù' | 'û' | 'ü' => out.push('u'),
            'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'À' | 'Â' => out.push('A'),
            'É' | 'È' | 'Ê' => out.push('E'),
            'Ç' => out.push('C'),
            'Œ' => out.push_str("OE"),
            other => out.push(other),
        }
    }
    out
}

proptest! {
    #[test]
    fn idempotent(s in any::<String>()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
    }

    #[test]
    fn output_is_clean(s in any::<String>()) {
        let n = normalize(&s);
        prop_assert!(n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
        prop_assert!(!n.starts_with(' ') && !n.ends_with(' ') && !n.contains("  "), "{n:?}");
        prop_assert_eq!(tokens(&s).join(" "), n);
    }

    #[test]
    fn accent_insensitive(s in "[a-zA-ZàâäéèêëïîôöùûüÿçœæÀÂÉÈÊÇŒ' -]{0,40}") {
        prop_assert_eq!(normalize(&s), normalize(&strip_accents(&s)));
    }

    #[test]
    fn case_insensitive(s in "[a-zA-Z0-9àéèçœ' -]{0,40}") {
        prop_assert_eq!(normalize(&s), normalize(&s.to_uppercase()));
    }
}
