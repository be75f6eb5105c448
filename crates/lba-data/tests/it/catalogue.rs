//! The training catalogue reader on hand-written records in the published
//! format: JSON array and NDJSON, bad values, broken syntax.

use std::io::Write;

use lba_data::catalogue::{self, CatalogueRecord};
use lba_data::{DataError, Item, Rejected};

fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    (dir, path)
}

fn read(name: &str, text: &str) -> (Vec<CatalogueRecord>, Vec<Rejected>, Option<DataError>) {
    let (_dir, path) = write(name, text);
    let mut records = Vec::new();
    let mut rejects = Vec::new();
    for item in catalogue::open(&path).unwrap() {
        match item {
            Ok(Item::Record(r)) => records.push(r),
            Ok(Item::Rejected(r)) => rejects.push(r),
            Err(e) => return (records, rejects, Some(e)),
        }
    }
    (records, rejects, None)
}

const FULL: &str = r#"{"cle_ministere_educatif": "088281P01313885594860007038855948600070-67118#L01",
 "cfd": "32031313", "rncp_code": "RNCP38381", "rncp_intitule": "BTS Banque",
 "rome_codes": ["C1206", "c1401"], "niveau": "5 (BTS, DUT...)", "diplome": "BTS",
 "intitule_long": "BANQUE, CONSEILLER DE CLIENTELE (BTS)", "intitule_court": "BANQUE (BTS)",
 "lieu_formation_adresse": "52 avenue de la Libération", "lieu_formation_geo_coordonnees": "45.9577,5.3592",
 "code_postal": "01500", "code_commune_insee": "01004", "localite": "Ambérieu-en-Bugey",
 "etablissement_formateur_siret": "85052026300011", "etablissement_formateur_uai": "0010826T",
 "etablissement_formateur_entreprise_raison_sociale": "CECOF", "etablissement_gestionnaire_siret": null,
 "email": "contact@example.fr", "num_tel": "0474000000",
 "date_debut": ["2025-09-01T00:00:00.000Z", "2026-09-01"], "date_fin": ["2027-06-30T00:00:00.000Z"],
 "duree": "2", "capacite": "12", "entierement_a_distance": false, "onisep_url": "https://www.onisep.fr/x",
 "parcoursup_id": "12345", "parcoursup_visible": true, "affelnet_visible": false, "published": true,
 "champ_inconnu": {"nested": [1, 2, "]"]}}"#;

#[test]
fn a_json_array_is_read_with_every_field() {
    let text = format!(
        "[\n{FULL},\n{{\"cle_ministere_educatif\": \"B\", \"code_commune_insee\": \"75056\"}}\n]\n"
    );
    let (records, rejects, error) = read("catalogue.json", &text);
    assert!(error.is_none(), "{error:?}");
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(r.line, 2);
    assert_eq!(r.cfd.as_ref().unwrap().as_str(), "32031313");
    assert_eq!(r.rncp.as_ref().unwrap().as_str(), "RNCP38381");
    assert_eq!(
        r.romes.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["C1206", "C1401"]
    );
    assert_eq!(r.level.unwrap().get(), 5);
    assert_eq!(r.title(), "BANQUE, CONSEILLER DE CLIENTELE (BTS)");
    assert!((r.point.unwrap().lat() - 45.9577).abs() < 1e-9);
    assert_eq!(r.commune_insee.as_ref().unwrap().as_str(), "01004");
    assert_eq!(r.trainer_uai.as_ref().unwrap().as_str(), "0010826T");
    assert_eq!(r.sessions.len(), 2);
    assert_eq!(r.sessions[0].start.to_string(), "2025-09-01");
    assert_eq!(r.sessions[0].end.unwrap().to_string(), "2027-06-30");
    assert_eq!(r.sessions[1].end, None);
    assert_eq!(r.duration_months, Some(24));
    assert_eq!(r.capacity, Some(12));
    assert_eq!(r.parcoursup_visible, Some(true));
    assert!(r.published);
    // Line of the second element: after the 11 lines of the first.
    assert_eq!(records[1].line, 2 + FULL.lines().count() as u64);
    assert!(records[1].point.is_none());
    assert!(records[1].romes.is_empty());
}

#[test]
fn ndjson_is_read_line_by_line() {
    let one_line: String = FULL.lines().collect::<Vec<_>>().join(" ");
    let text =
        format!("{one_line}\n\n{{\"cle_ministere_educatif\": \"B\", \"published\": false}}\n");
    let (records, rejects, error) = read("catalogue.ndjson", &text);
    assert!(error.is_none(), "{error:?}");
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].line, 1);
    assert_eq!(records[1].line, 3);
    assert!(!records[1].published);
}

#[test]
fn bad_values_are_rejected_with_line_and_field_and_reading_goes_on() {
    let text = r#"[
  {"cle_ministere_educatif": "A", "rome_codes": ["Z9999"]},
  {"cle_ministere_educatif": "B",
   "lieu_formation_geo_coordonnees": "north"},
  {"cle_ministere_educatif": "C", "code_commune_insee": "00000"},
  {"cfd": "32031313"},
  {"cle_ministere_educatif": "D", "date_debut": ["01/09/2025"]},
  {"cle_ministere_educatif": "E", "niveau": "bac"},
  {"cle_ministere_educatif": "F", "capacite": "beaucoup"},
  "not an object",
  {"cle_ministere_educatif": "G", "rome_codes": ["M1805"]}
]"#;
    let (records, rejects, error) = read("catalogue.json", text);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].key, "G");
    assert_eq!(records[0].line, 11);
    let got: Vec<(u64, &str)> = rejects.iter().map(|r| (r.line, r.field.as_str())).collect();
    assert_eq!(
        got,
        [
            (2, "rome_codes"),
            (3, "lieu_formation_geo_coordonnees"),
            (5, "code_commune_insee"),
            (6, "cle_ministere_educatif"),
            (7, "date_debut"),
            (8, "niveau"),
            (9, "capacite"),
            (10, "(enregistrement)"),
        ]
    );
    assert!(rejects.iter().all(|r| !r.reason.is_empty()));
}

#[test]
fn a_truncated_array_is_malformed_with_a_line() {
    let text = "[\n{\"cle_ministere_educatif\": \"A\"},\n{\"cle_ministere_educatif\":\n \"B\", \"rome_codes\": [";
    let (records, _, error) = read("catalogue.json", text);
    assert_eq!(records.len(), 1);
    match error {
        Some(DataError::Malformed {
            file,
            line,
            message,
        }) => {
            assert!(file.ends_with("catalogue.json"));
            assert_eq!(line, 4, "{message}");
            assert!(message.contains("tronqué"), "{message}");
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn a_syntax_error_is_malformed_with_its_line() {
    let text = "[\n{\"cle_ministere_educatif\": \"A\"},\n{\"cle_ministere_educatif\": \"B\",\n \"cfd\": 32031313x}\n]";
    let (records, _, error) = read("catalogue.json", text);
    assert_eq!(records.len(), 1);
    match error {
        Some(DataError::Malformed { line, .. }) => assert_eq!(line, 4),
        other => panic!("expected Malformed, got {other:?}"),
    }
    let text = "{\"cle_ministere_educatif\": \"A\"}\n{\"cle_ministere_educatif\": \"B\"\n";
    let (records, _, error) = read("catalogue.ndjson", text);
    assert_eq!(records.len(), 1);
    match error {
        Some(DataError::Malformed { line, .. }) => assert_eq!(line, 2),
        other => panic!("expected Malformed, got {other:?}"),
    }
    let (_, _, error) = read("catalogue.json", "[{\"cle_ministere_educatif\": \"A\"} {}]");
    assert!(
        matches!(error, Some(DataError::Malformed { line: 1, .. })),
        "{error:?}"
    );
    let (_, _, error) = read("catalogue.json", "<html>");
    assert!(
        matches!(error, Some(DataError::Malformed { line: 1, .. })),
        "{error:?}"
    );
}

#[test]
fn empty_files_and_arrays_have_no_record() {
    for text in ["", "  \n", "[]", "\u{feff}[ \n ]\n"] {
        let (records, rejects, error) = read("catalogue.json", text);
        assert!(
            records.is_empty() && rejects.is_empty() && error.is_none(),
            "{text:?}: {error:?}"
        );
    }
}
