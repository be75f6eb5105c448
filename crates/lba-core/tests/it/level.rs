//! Diploma levels: parsing of the usual spellings, labels, serde.

use lba_core::level::{DiplomaLevel, parse_rncp_level};
use proptest::prelude::*;

use crate::assert_serde_round_trip;

#[test]
fn parses_usual_spellings() {
    for (input, level) in [
        ("5", 5),
        ("Niveau 5", 5),
        ("niveau 5", 5),
        ("NIVEAU 3", 3),
        ("Niveau5", 5),
        ("NIV7", 7),
        ("4 (BAC...)", 4),
        ("4 (Bac, Bac pro, BP)", 4),
        (" 8 ", 8),
        ("6-Licence", 6),
    ] {
        let parsed = DiplomaLevel::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(parsed.get(), level, "{input:?}");
        assert_eq!(parsed.to_string(), level.to_string());
    }
}

#[test]
fn rejects_other_text() {
    for input in [
        "2", "9", "0", "35", "5a", "Niveau", "Bac+5", "", "NR", "niveau X", "-5",
    ] {
        let err = DiplomaLevel::parse(input).unwrap_err();
        let message = err.to_string();
        assert!(message.contains(input), "{message:?} should echo {input:?}");
        assert!(
            message.starts_with("niveau de diplôme invalide"),
            "{message}"
        );
    }
    assert!(DiplomaLevel::new(2).is_err());
    assert!(DiplomaLevel::new(9).is_err());
    assert!(
        DiplomaLevel::new(255)
            .unwrap_err()
            .to_string()
            .contains("255")
    );
}

#[test]
fn labels_and_order() {
    let labels: Vec<&str> = (3..=8)
        .map(|n| DiplomaLevel::new(n).unwrap().label_fr())
        .collect();
    assert_eq!(
        labels,
        [
            "CAP, BEP",
            "Bac, Bac pro, BP",
            "BTS, DUT, Bac+2",
            "Licence, Bachelor, Bac+3",
            "Master, ingénieur, Bac+5",
            "Doctorat",
        ]
    );
    assert!(DiplomaLevel::new(3).unwrap() < DiplomaLevel::new(7).unwrap());
    assert_eq!(DiplomaLevel::MIN.get(), 3);
    assert_eq!(DiplomaLevel::MAX.get(), 8);
}

#[test]
fn rncp_level_column() {
    assert_eq!(parse_rncp_level("NR").unwrap(), None);
    assert_eq!(parse_rncp_level("nr").unwrap(), None);
    assert_eq!(parse_rncp_level("").unwrap(), None);
    assert_eq!(parse_rncp_level("  ").unwrap(), None);
    assert_eq!(
        parse_rncp_level("Niveau 6").unwrap(),
        Some(DiplomaLevel::new(6).unwrap())
    );
    assert!(parse_rncp_level("Niveau 9").is_err());
}

#[test]
fn serde_as_number() {
    let level = DiplomaLevel::new(5).unwrap();
    assert_serde_round_trip(&level, "5");
    assert_eq!(
        serde_json::from_str::<DiplomaLevel>("\"Niveau 5\"").unwrap(),
        level
    );
    assert!(serde_json::from_str::<DiplomaLevel>("9").is_err());
    assert!(serde_json::from_str::<DiplomaLevel>("300").is_err());
    assert!(serde_json::from_str::<DiplomaLevel>("\"NR\"").is_err());
}

proptest! {
    #[test]
    fn display_reparses(n in 3_u8..=8) {
        let level = DiplomaLevel::new(n).unwrap();
        prop_assert_eq!(DiplomaLevel::parse(&level.to_string()).unwrap(), level);
        prop_assert_eq!(DiplomaLevel::parse(&format!("Niveau {n}")).unwrap(), level);
    }
}
