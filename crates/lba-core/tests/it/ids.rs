//! Identifier parsing: canonical forms, rejections, serde, real data.

use lba_core::ParseError;
use lba_core::ids::{
    Cfd, CodeRome, DepartementCode, InseeCode, NafCode, PostalCode, RncpCode, Siren, Siret, Uai,
};
use proptest::prelude::*;

use crate::{assert_serde_round_trip, read_shared_latin1};

/// Checks that each `(input, canonical)` parses to `canonical`, and that
/// each bad input fails with a message echoing it.
fn check<T>(valid: &[(&str, &str)], invalid: &[&str])
where
    T: std::str::FromStr<Err = ParseError> + std::fmt::Display + std::fmt::Debug,
{
    for (input, canonical) in valid {
        let parsed: T = input
            .parse()
            .unwrap_or_else(|e| panic!("{input:?} should parse: {e}"));
        assert_eq!(
            parsed.to_string(),
            *canonical,
            "canonical form of {input:?}"
        );
    }
    for input in invalid {
        match input.parse::<T>() {
            Ok(v) => panic!("{input:?} should be rejected, got {v:?}"),
            Err(e) => {
                let message = e.to_string();
                assert!(message.contains(input), "{message:?} should echo {input:?}");
                assert!(message.contains("invalide"), "{message:?} should be French");
            }
        }
    }
}

#[test]
fn code_rome() {
    check::<CodeRome>(
        &[
            ("F1603", "F1603"),
            ("m1805", "M1805"),
            ("  A1101 ", "A1101"),
            ("N4105", "N4105"),
        ],
        &[
            "X1", "F160", "F16033", "O1234", "Z1603", "1F603", "F16O3", "", "F 1603", "é1603",
        ],
    );
    let code = CodeRome::parse("F1603").unwrap();
    assert_eq!(code.domain(), 'F');
    assert_eq!(code.subdomain(), "F16");
    assert_eq!(code.as_str(), "F1603");
    assert_eq!(CodeRome::try_from("f1603").unwrap(), code);
    assert_eq!(CodeRome::try_from(String::from("F1603")).unwrap(), code);
    assert_serde_round_trip(&code, "\"F1603\"");
    assert!(serde_json::from_str::<CodeRome>("\"F16\"").is_err());
    assert_eq!(
        ParseError::CodeRome("X1".into()).to_string(),
        "code ROME invalide « X1 » : attendu une lettre de A à N suivie de 4 chiffres (ex. F1603)"
    );
}

#[test]
fn insee_code() {
    check::<InseeCode>(
        &[
            ("75056", "75056"),
            ("2a004", "2A004"),
            ("2B033", "2B033"),
            ("97411", "97411"),
        ],
        &[
            "7505", "750566", "2C004", "00123", "96123", "99100", "2A00B", "ABCDE", "01 01",
        ],
    );
    assert_eq!(InseeCode::parse("75056").unwrap().departement(), "75");
    assert_eq!(InseeCode::parse("2A004").unwrap().departement(), "2A");
    assert_eq!(InseeCode::parse("97411").unwrap().departement(), "974");
    assert_eq!(InseeCode::parse("98818").unwrap().departement(), "988");
    let reunion = InseeCode::parse("97411")
        .unwrap()
        .departement_code()
        .unwrap();
    assert_eq!(reunion.as_str(), "974");
    assert!(
        InseeCode::parse("98818")
            .unwrap()
            .departement_code()
            .is_none()
    );
    assert_serde_round_trip(&InseeCode::parse("2A004").unwrap(), "\"2A004\"");
}

#[test]
fn postal_code() {
    check::<PostalCode>(
        &[("01500", "01500"), (" 75001 ", "75001"), ("97400", "97400")],
        &["7500", "750011", "7500A", "75 001", ""],
    );
    assert_serde_round_trip(&PostalCode::parse("01500").unwrap(), "\"01500\"");
}

#[test]
fn siren_and_siret() {
    check::<Siren>(
        &[
            ("130025265", "130025265"),
            ("732 829 320", "732829320"),
            ("356000000", "356000000"),
        ],
        &["130025266", "13002526", "1300252650", "13002526A", ""],
    );
    check::<Siret>(
        &[
            ("13002526500013", "13002526500013"),
            ("130 025 265 00013", "13002526500013"),
            ("80841382700011", "80841382700011"),
            // La Poste's head office: a plain Luhn key.
            ("35600000000048", "35600000000048"),
            // A La Poste establishment: no Luhn key, but digit sum 15.
            ("35600000000001", "35600000000001"),
        ],
        &[
            "13002526500014",
            "1300252650001",
            "130025265000130",
            "1300252650001A",
            "35600000000002",
        ],
    );
    let siret = Siret::parse("13002526500013").unwrap();
    assert_eq!(siret.siren().as_str(), "130025265");
    assert_eq!(siret.nic(), "00013");
    assert_serde_round_trip(&siret, "\"13002526500013\"");
    assert_serde_round_trip(&siret.siren(), "\"130025265\"");
}

#[test]
fn uai() {
    check::<Uai>(
        &[
            ("0010826T", "0010826T"),
            ("0010826t", "0010826T"),
            (" 0021502X ", "0021502X"),
        ],
        &[
            "0010826A",
            "001082T",
            "00108260T",
            "0010826",
            "A010826T",
            "0010826I",
        ],
    );
    assert_serde_round_trip(&Uai::parse("0010826T").unwrap(), "\"0010826T\"");
}

#[test]
fn naf_code() {
    check::<NafCode>(
        &[
            ("0111Z", "0111Z"),
            ("01.11Z", "0111Z"),
            ("01.11z", "0111Z"),
            ("62.01Z", "6201Z"),
        ],
        &[
            "011Z", "0111", "01111", "0.111Z", "01.1.1Z", "0111ZZ", "A111Z",
        ],
    );
    assert_eq!(NafCode::parse("01.11Z").unwrap().section_prefix(), "01");
    assert_serde_round_trip(&NafCode::parse("4673A").unwrap(), "\"4673A\"");
}

#[test]
fn cfd() {
    check::<Cfd>(
        &[("32031313", "32031313"), ("1351282c", "1351282C")],
        &["3203131", "320313133", "3203-313", "3203 313"],
    );
    assert_serde_round_trip(&Cfd::parse("1351282C").unwrap(), "\"1351282C\"");
}

#[test]
fn rncp_code() {
    check::<RncpCode>(
        &[
            ("RNCP38381", "RNCP38381"),
            ("rncp 38381", "RNCP38381"),
            ("38381", "RNCP38381"),
            ("RNCP1", "RNCP1"),
        ],
        &["RNCP", "NR", "RNCP1234567", "RNCP38A81", "RNC38381", ""],
    );
    assert_eq!(RncpCode::parse("RNCP38381").unwrap().digits(), "38381");
    assert_serde_round_trip(&RncpCode::parse("38381").unwrap(), "\"RNCP38381\"");
}

#[test]
fn departement_code() {
    check::<DepartementCode>(
        &[
            ("01", "01"),
            ("95", "95"),
            ("2a", "2A"),
            ("2B", "2B"),
            ("971", "971"),
            ("976", "976"),
        ],
        &["00", "96", "99", "1", "977", "970", "2C", "9711"],
    );
    assert!(DepartementCode::parse("974").unwrap().is_overseas());
    assert!(!DepartementCode::parse("2A").unwrap().is_overseas());
    assert_serde_round_trip(&DepartementCode::parse("2A").unwrap(), "\"2A\"");
}

#[test]
fn long_input_is_truncated_in_message() {
    let long = "X".repeat(500);
    let err = CodeRome::parse(&long).unwrap_err();
    assert_eq!(err.input(), format!("{}…", "X".repeat(40)));
    assert!(err.to_string().len() < 300);
}

/// The CFA file's header and rows, split on `;`.
fn cfa_rows() -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let text = read_shared_latin1("cfa/CFASousConvRegionale_latest-UAI.csv")?;
    let mut lines = text.lines();
    let header = lines.next()?.split(';').map(str::to_owned).collect();
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect();
    Some((header, rows))
}

#[test]
fn real_cfa_file() {
    let Some((header, rows)) = cfa_rows() else {
        return;
    };
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (uai_col, siret_col) = (col("numero_uai"), col("numero_siren_siret_uai"));
    assert_eq!(rows.len(), 933);
    for row in &rows {
        let uai = &row[uai_col];
        Uai::parse(uai).unwrap_or_else(|e| panic!("real UAI rejected: {e}"));
    }
    let sirets: Vec<&str> = rows
        .iter()
        .map(|r| r[siret_col].as_str())
        .filter(|s| !s.trim().is_empty())
        .collect();
    let failing: Vec<&str> = sirets
        .iter()
        .copied()
        .filter(|s| Siret::parse(s).is_err())
        .collect();
    println!(
        "CFA file: {} UAIs valid; {} of {} non-empty SIRETs fail: {failing:?}",
        rows.len(),
        failing.len(),
        sirets.len()
    );
    assert!(
        failing.len() * 20 <= sirets.len(),
        "more than 5% of SIRETs fail"
    );
}

/// The Luhn check digit completing `prefix` (ASCII digits).
fn luhn_check_digit(prefix: &str) -> u32 {
    let sum: u32 = prefix
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            // The check digit will take position 0, so the prefix's last
            // digit is at odd position 1 and is doubled.
            if i % 2 == 0 {
                let d = v * 2;
                if d > 9 { d - 9 } else { d }
            } else {
                v
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

proptest! {
    #[test]
    fn luhn_completed_siret_is_valid_and_single_digit_changes_are_caught(
        prefix in "[0-9]{13}",
        position in 0_usize..14,
        shift in 1_u8..10,
    ) {
        prop_assume!(!prefix.starts_with("356000000"));
        let siret = format!("{prefix}{}", luhn_check_digit(&prefix));
        prop_assert!(Siret::parse(&siret).is_ok(), "{siret} should be valid");
        let mut bytes = siret.clone().into_bytes();
        bytes[position] = b'0' + (bytes[position] - b'0' + shift) % 10;
        let altered = String::from_utf8(bytes).unwrap();
        prop_assert!(Siret::parse(&altered).is_err(), "{altered} should be invalid");
    }

    #[test]
    fn parsers_never_panic(s in any::<String>()) {
        let _ = CodeRome::parse(&s);
        let _ = InseeCode::parse(&s);
        let _ = PostalCode::parse(&s);
        let _ = Siren::parse(&s);
        let _ = Siret::parse(&s);
        let _ = Uai::parse(&s);
        let _ = NafCode::parse(&s);
        let _ = Cfd::parse(&s);
        let _ = RncpCode::parse(&s);
        let _ = DepartementCode::parse(&s);
        let _ = lba_core::DiplomaLevel::parse(&s);
        let _ = lba_core::parse_rncp_level(&s);
        let _ = lba_core::GeoPoint::parse(&s);
        let _ = lba_core::Radius::parse(&s);
    }

    #[test]
    fn canonical_forms_reparse_to_themselves(s in "[0-9A-Za-z .éR]{0,16}") {
        reparses::<CodeRome>(&s)?;
        reparses::<InseeCode>(&s)?;
        reparses::<PostalCode>(&s)?;
        reparses::<Siren>(&s)?;
        reparses::<Siret>(&s)?;
        reparses::<Uai>(&s)?;
        reparses::<NafCode>(&s)?;
        reparses::<Cfd>(&s)?;
        reparses::<RncpCode>(&s)?;
        reparses::<DepartementCode>(&s)?;
    }
}

/// If `s` parses, its canonical form parses to the same value; if not, the
/// error echoes the input.
fn reparses<T>(s: &str) -> Result<(), TestCaseError>
where
    T: std::str::FromStr<Err = ParseError> + std::fmt::Display + std::fmt::Debug + PartialEq,
{
    match s.parse::<T>() {
        Ok(v) => prop_assert_eq!(v.to_string().parse::<T>().ok(), Some(v)),
        Err(e) => prop_assert!(e.to_string().contains(e.input())),
    }
    Ok(())
}
