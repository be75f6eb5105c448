//! The France Travail offers reader on hand-written records in the format of
//! the "Offres d'emploi v2" API: the three file layouts, every field, bad
//! values, broken syntax.

use lba_core::opportunity::ContractType;
use lba_data::france_travail::{self, FtOffer, SearchResponse};
use lba_data::{DataError, Item, Rejected};

fn read(name: &str, text: &str) -> (Vec<FtOffer>, Vec<Rejected>, Option<DataError>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let mut records = Vec::new();
    let mut rejects = Vec::new();
    for item in france_travail::open(&path).unwrap() {
        match item {
            Ok(Item::Record(r)) => records.push(r),
            Ok(Item::Rejected(r)) => rejects.push(r),
            Err(e) => return (records, rejects, Some(e)),
        }
    }
    (records, rejects, None)
}

const FULL: &str = r#"{"id": "190XKQT", "intitule": "Apprenti boulanger / Apprentie boulangère (H/F)",
 "description": "Vous préparez le pain.", "dateCreation": "2026-10-01T08:30:00.000Z",
 "dateActualisation": "2026-10-15T09:00:00.000Z",
 "lieuTravail": {"libelle": "75 - Paris 15e Arrondissement", "latitude": 48.8412, "longitude": 2.3003,
   "codePostal": "75015", "commune": "75115"},
 "romeCode": "D1102", "romeLibelle": "Boulangerie - viennoiserie", "appellationlibelle": "Boulanger / Boulangère",
 "entreprise": {"nom": "BOULANGERIE DU PARC", "description": "Artisan.", "siret": "51234567800001", "logo": "x"},
 "typeContrat": "CDD", "typeContratLibelle": "Contrat à durée déterminée - 24 Mois",
 "natureContrat": "Contrat apprentissage", "nombrePostes": 2, "accessibleTH": true,
 "origineOffre": {"origine": "1", "urlOrigine": "https://candidat.francetravail.fr/offres/recherche/detail/190XKQT"},
 "salaire": {"libelle": "Mensuel de 1000 Euros"}, "competences": [{"code": "1", "libelle": "]}"}]}"#;

const MINIMAL: &str = r#"{"id": "B2", "intitule": "Vendeur", "natureContrat": "Cont. professionnalisation", "lieuTravail": {"libelle": "69 - LYON 03", "commune": "69383"}}"#;

#[test]
fn a_search_response_is_read_with_every_field() {
    let text = format!(
        "{{\n  \"resultats\": [\n{FULL},\n{MINIMAL}\n  ],\n  \"filtresPossibles\": [{{\"filtre\": \"typeContrat\", \"agregation\": [{{\"valeurPossible\": \"CDD\"}}]}}]\n}}\n"
    );
    let (records, rejects, error) = read("response.json", &text);
    assert!(error.is_none(), "{error:?}");
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(r.line, 3);
    assert_eq!(r.id, "190XKQT");
    assert_eq!(r.title, "Apprenti boulanger / Apprentie boulangère (H/F)");
    assert_eq!(r.description.as_deref(), Some("Vous préparez le pain."));
    assert_eq!(
        r.created_at.unwrap().to_rfc3339(),
        "2026-10-01T08:30:00+00:00"
    );
    assert_eq!(
        r.updated_at.unwrap().to_rfc3339(),
        "2026-10-15T09:00:00+00:00"
    );
    assert_eq!(r.city_label(), Some("Paris 15e Arrondissement"));
    let point = r.point.unwrap();
    assert!((point.lat() - 48.8412).abs() < 1e-9 && (point.lon() - 2.3003).abs() < 1e-9);
    assert_eq!(r.postal_code.as_ref().unwrap().as_str(), "75015");
    assert_eq!(r.commune.as_ref().unwrap().as_str(), "75115");
    assert_eq!(r.rome.as_ref().unwrap().as_str(), "D1102");
    assert_eq!(r.rome_label.as_deref(), Some("Boulangerie - viennoiserie"));
    assert_eq!(
        r.appellation_label.as_deref(),
        Some("Boulanger / Boulangère")
    );
    assert_eq!(r.company_name.as_deref(), Some("BOULANGERIE DU PARC"));
    assert_eq!(r.company_description.as_deref(), Some("Artisan."));
    assert_eq!(r.company_siret.as_ref().unwrap().as_str(), "51234567800001");
    assert_eq!(r.contract_kind.as_deref(), Some("CDD"));
    assert_eq!(r.contract, ContractType::Apprentissage);
    assert_eq!(r.positions, Some(2));
    assert_eq!(r.accessible_th, Some(true));
    assert!(r.url.as_deref().unwrap().ends_with("/190XKQT"));

    let m = &records[1];
    assert_eq!(m.line, 3 + FULL.lines().count() as u64);
    assert_eq!(m.contract, ContractType::Professionnalisation);
    assert!(m.point.is_none() && m.rome.is_none() && m.created_at.is_none());
    assert_eq!(m.city_label(), Some("LYON 03"));
}

#[test]
fn an_array_and_ndjson_give_the_same_records() {
    let (array, _, error) = read("offers.json", &format!("[{FULL},\n{MINIMAL}]"));
    assert!(error.is_none(), "{error:?}");
    let one_line = FULL.replace('\n', " ");
    let (lines, _, error) = read("offers.ndjson", &format!("{one_line}\n\n{MINIMAL}\n"));
    assert!(error.is_none(), "{error:?}");
    assert_eq!(array.len(), 2);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].line, 3);
    for (a, l) in array.iter().zip(&lines) {
        assert_eq!(
            (&a.id, &a.title, a.point, &a.rome),
            (&l.id, &l.title, l.point, &l.rome)
        );
    }
    // The response parsed at once (the API client's way) agrees too.
    let response: SearchResponse =
        serde_json::from_str(&format!("{{\"resultats\": [{FULL}]}}")).unwrap();
    let parsed = france_travail::offer(1, &response.resultats[0]).unwrap();
    assert_eq!(parsed.company_siret, array[0].company_siret);
}

#[test]
fn bad_values_reject_one_offer_naming_its_field() {
    let records = [
        r#"{"intitule": "Sans id", "natureContrat": "Contrat apprentissage"}"#,
        r#"{"id": "C1", "intitule": "CDI", "natureContrat": "Contrat travail"}"#,
        r#"{"id": "C2", "intitule": "X", "natureContrat": "E2", "lieuTravail": {"latitude": "nord", "longitude": 2.3}}"#,
        r#"{"id": "C3", "intitule": "X", "natureContrat": "E2", "lieuTravail": {"latitude": 48.8}}"#,
        r#"{"id": "C4", "intitule": "X", "natureContrat": "E2", "romeCode": "Z9999"}"#,
        r#"{"id": "C5", "intitule": "X", "natureContrat": "E2", "entreprise": {"siret": "123"}}"#,
        r#"{"id": "C6", "intitule": "X", "natureContrat": "E2", "dateCreation": "hier"}"#,
        r#"{"id": "../C7", "intitule": "X", "natureContrat": "E2"}"#,
        r#"{"id": "C8", "natureContrat": "E2"}"#,
        r#"{"id": "C9", "intitule": "X", "natureContrat": "E2", "lieuTravail": "Paris"}"#,
        r#"["pas un objet"]"#,
        r#"{"id": "OK", "intitule": "Bon", "natureContrat": "FS", "inconnu": {"a": [1]}}"#,
    ];
    let (good, rejects, error) = read("bad.ndjson", &records.join("\n"));
    assert!(error.is_none(), "{error:?}");
    assert_eq!(good.len(), 1);
    assert_eq!(good[0].id, "OK");
    assert_eq!(good[0].line, 12);
    let got: Vec<(u64, &str)> = rejects.iter().map(|r| (r.line, r.field.as_str())).collect();
    assert_eq!(
        got,
        [
            (1, "id"),
            (2, "natureContrat"),
            (3, "lieuTravail.latitude"),
            (4, "lieuTravail.longitude"),
            (5, "romeCode"),
            (6, "entreprise.siret"),
            (7, "dateCreation"),
            (8, "id"),
            (9, "intitule"),
            (10, "lieuTravail"),
            (11, "(enregistrement)"),
        ]
    );
    assert!(rejects[0].reason.contains("manquante"), "{rejects:?}");
    assert!(rejects[1].reason.contains("Contrat travail"), "{rejects:?}");
    assert!(rejects[2].reason.contains("nord"), "{rejects:?}");
}

#[test]
fn duplicated_ids_are_left_to_the_importer_but_both_are_read() {
    let (records, rejects, error) = read("dup.json", &format!("[{MINIMAL}, {MINIMAL}]"));
    assert!(error.is_none() && rejects.is_empty());
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].id, records[1].id);
}

#[test]
fn broken_syntax_stops_with_the_file_and_line() {
    let (records, _, error) = read("cut.json", &format!("[\n{MINIMAL},\n{{\"id\": \"X\","));
    assert_eq!(records.len(), 1);
    let message = error.unwrap().to_string();
    assert!(message.contains("cut.json:3"), "{message}");
    assert!(message.contains("tronqué"), "{message}");

    let (_, _, error) = read("wrapped.json", "{\"resultats\": [");
    assert!(error.unwrap().to_string().contains("tronqué"));

    let (_, _, error) = read("text.json", "id;intitule\n");
    assert!(error.unwrap().to_string().contains("text.json:1"));

    // An empty file is an empty import, not an error.
    let (records, rejects, error) = read("empty.json", "\n");
    assert!(records.is_empty() && rejects.is_empty() && error.is_none());
    let (records, _, error) = read("none.json", "{\"resultats\": []}");
    assert!(records.is_empty() && error.is_none(), "{error:?}");
}
