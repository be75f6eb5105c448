//! The "companies likely to hire" reader on the real sample file and on
//! hand-written records: good, malformed, duplicated.

use std::io::Write;

use lba_data::recruteurs::{self, RecruteurRecord, headcount_code, score_percent};
use lba_data::{DataError, Item, Rejected};

use crate::{data_file, items_until_error};

fn read_path(path: &std::path::Path) -> (Vec<RecruteurRecord>, Vec<Rejected>, Option<DataError>) {
    let (items, error) = items_until_error(recruteurs::open(path).unwrap());
    let mut records = Vec::new();
    let mut rejects = Vec::new();
    for item in items {
        match item {
            Item::Record(r) => records.push(r),
            Item::Rejected(r) => rejects.push(r),
        }
    }
    (records, rejects, error)
}

fn read(text: &str) -> (Vec<RecruteurRecord>, Vec<Rejected>, Option<DataError>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recruteurs.json");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    read_path(&path)
}

#[test]
fn the_real_sample_file_is_read() {
    let (records, rejects, error) = read_path(&data_file("lba/recruteurs-lba.sample.json"));
    assert!(
        error.is_none() && rejects.is_empty(),
        "{error:?} {rejects:?}"
    );
    assert_eq!(records.len(), 2);
    let a = &records[0];
    assert_eq!((a.line, a.siret.as_str()), (2, "80841382700011"));
    assert_eq!(a.name, "DRYSOFT");
    assert_eq!(a.naf.as_ref().unwrap().as_str(), "5510Z");
    assert_eq!(a.commune_insee.as_ref().unwrap().as_str(), "54318");
    assert_eq!(a.city.as_deref(), Some("LIVERDUN"));
    assert_eq!(a.headcount.as_deref(), Some("01"));
    assert_eq!(a.address, "");
    assert_eq!(
        a.projected,
        Some((563_785.301_401_543, 6_980_103.034_818_875))
    );
    let romes: Vec<(&str, u8)> = a.romes.iter().map(|r| (r.rome.as_str(), r.score)).collect();
    assert_eq!(romes, [("D1208", 1), ("I1203", 1)]);
    let b = &records[1];
    assert_eq!(b.line, 31);
    assert_eq!(b.name, "ETABLISSEMENTS DINUM");
    assert_eq!(b.address, "CHEMIN DU BALAYOU");
    assert_eq!(b.email.as_deref(), Some("roget@dinum.fr"));
    assert_eq!(b.phone.as_deref(), Some("0123456789"));
    assert_eq!(b.headcount.as_deref(), Some("03"));
    assert_eq!(b.romes[0].score, 2);
}

const GOOD: &str = r#"{"siret": "73500000100009", "enseigne": null, "raison_sociale": "BOULANGERIE MARTIN",
 "naf_code": "10.71C", "street_number": "12", "street_name": "RUE DES LILAS", "insee_city_code": "75056",
 "zip_code": "75001", "company_size": "10-19", "coordonneeLambertAbscisseEtablissement": "652469",
 "coordonneeLambertOrdonneeEtablissement": 6861825,
 "rome_codes": [{"rome_code": "D1102", "normalized_score": 0.2}, {"rome_code": "D1106", "normalized_score": 0.75},
                {"rome_code": "D1102", "normalized_score": 0.5}]}"#;

#[test]
fn good_records_in_an_array_and_in_ndjson() {
    for text in [format!("[\n{GOOD}\n]"), GOOD.replace('\n', "")] {
        let (records, rejects, error) = read(&text);
        assert!(
            error.is_none() && rejects.is_empty(),
            "{error:?} {rejects:?}"
        );
        let r = &records[0];
        assert_eq!(r.name, "BOULANGERIE MARTIN");
        assert_eq!(r.naf.as_ref().unwrap().as_str(), "1071C");
        assert_eq!(r.address, "12 RUE DES LILAS");
        assert_eq!(r.headcount.as_deref(), Some("11"));
        assert_eq!(r.projected, Some((652_469.0, 6_861_825.0)));
        // Best first; a code given twice keeps its best score.
        let romes: Vec<(&str, u8)> = r.romes.iter().map(|r| (r.rome.as_str(), r.score)).collect();
        assert_eq!(romes, [("D1106", 75), ("D1102", 50)]);
    }
}

#[test]
fn bad_values_are_rejected_with_line_and_field() {
    let bad = [
        (r#""siret": "12345678901234""#, "siret"),
        (r#""siret": null"#, "siret"),
        (r#""naf_code": "ABCDE""#, "naf_code"),
        (r#""insee_city_code": "1""#, "insee_city_code"),
        (
            r#""rome_codes": [{"rome_code": "X12", "normalized_score": 0.1}]"#,
            "rome_codes",
        ),
        (
            r#""rome_codes": [{"rome_code": "D1102", "normalized_score": 1.5}]"#,
            "rome_codes",
        ),
        (
            r#""rome_codes": [{"rome_code": "D1102", "normalized_score": -0.1}]"#,
            "rome_codes",
        ),
        (r#""rome_codes": [{"rome_code": "D1102"}]"#, "rome_codes"),
        (r#""rome_codes": []"#, "rome_codes"),
        (r#""rome_codes": "D1102""#, "rome_codes"),
        (r#""raison_sociale": " ""#, "raison_sociale"),
        (
            r#""coordonneeLambertAbscisseEtablissement": "loin""#,
            "coordonneeLambertAbscisseEtablissement",
        ),
    ];
    let mut text = String::from("[\n");
    for (i, (field, _)) in bad.iter().enumerate() {
        // Later keys win in serde_json maps: the bad value replaces the good one.
        let record = GOOD.replace('\n', "");
        let record = format!("{}, {field}}}", record.trim_end_matches('}'));
        text.push_str(&record);
        text.push_str(if i + 1 < bad.len() { ",\n" } else { "\n" });
    }
    text.push(']');
    let (records, rejects, error) = read(&text);
    assert!(error.is_none(), "{error:?}");
    assert!(records.is_empty(), "{records:?}");
    assert_eq!(rejects.len(), bad.len(), "{rejects:#?}");
    for (i, ((_, field), rejected)) in bad.iter().zip(&rejects).enumerate() {
        assert_eq!(rejected.line, i as u64 + 2, "{rejected:?}");
        assert_eq!(rejected.field, *field, "{rejected:?}");
        assert!(!rejected.reason.is_empty());
    }
    assert!(
        rejects[5].reason.contains("hors de 0 à 1"),
        "{:?}",
        rejects[5]
    );
}

#[test]
fn duplicates_are_read_as_they_come_and_broken_syntax_stops_with_the_line() {
    // The reader does not judge duplicates (the importer does): both come out.
    let (records, _, error) = read(&format!("[{GOOD},\n{GOOD}]"));
    assert!(error.is_none());
    assert_eq!(records.len(), 2);
    assert_eq!((records[0].line, records[1].line), (1, 7));
    let (records, _, error) = read(&format!("[{GOOD},\n{{\"siret\": \n]"));
    assert_eq!(records.len(), 1);
    let error = error.unwrap().to_string();
    assert!(error.contains("recruteurs.json:"), "{error}");
}

#[test]
fn headcounts_and_scores() {
    assert_eq!(headcount_code("0-0"), Some("00"));
    assert_eq!(headcount_code(" 250-499 "), Some("32"));
    assert_eq!(headcount_code("10000+"), Some("53"));
    assert_eq!(headcount_code("21"), Some("21"));
    assert_eq!(headcount_code("beaucoup"), None);
    assert_eq!(score_percent(0.0), 0);
    assert_eq!(score_percent(0.000_1), 1);
    assert_eq!(score_percent(0.42), 42);
    assert_eq!(score_percent(1.0), 100);
}
