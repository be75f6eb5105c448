//! France Travail offers imported from a file in the API format are found
//! by the search API and by their id, and leave it once closed.

use axum::http::StatusCode;

use crate::{app, send};

const OFFERS: &str = r#"{"resultats": [
{"id": "190XKQT", "intitule": "Apprenti boulanger (H/F)", "description": "Pain.",
 "dateCreation": "2026-10-01T08:00:00.000Z", "dateActualisation": "2026-11-20T08:00:00.000Z",
 "lieuTravail": {"libelle": "69 - LYON 03", "commune": "69383"}, "romeCode": "D1102",
 "entreprise": {"nom": "BOULANGERIE DU PARC"}, "typeContrat": "CDD", "natureContrat": "Contrat apprentissage",
 "origineOffre": {"urlOrigine": "https://candidat.francetravail.fr/offres/recherche/detail/190XKQT"}},
{"id": "190XKQU", "intitule": "Vendeur (H/F)", "dateCreation": "2026-10-01T08:00:00.000Z",
 "lieuTravail": {"latitude": 45.76, "longitude": 4.83}, "romeCode": "D1106", "natureContrat": "FS"}
]}"#;

#[tokio::test]
async fn imported_offers_are_found_by_the_search_api() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("offres.json");
    std::fs::write(&file, OFFERS).unwrap();
    let dir = lba_data::DataDir::resolve(Some(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data"
    ))))
    .unwrap();
    for db in lba_store::testing::TestDb::all().await {
        lba_app::import_referentials(&db.store, &dir, &lba_app::NoProgress)
            .await
            .unwrap();
        let report =
            lba_app::offers::import_file(&db.store, &file, false, None, &lba_app::NoProgress)
                .await
                .unwrap();
        assert_eq!(report.created, 2, "{report:?}");

        let search = "/api/v1/jobs?romes=D1102&latitude=45.7676&longitude=4.8357&radius=10";
        let (status, _, body) = send(app(&db).await, search).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let pe = &body["peJobs"]["results"];
        assert_eq!(pe.as_array().unwrap().len(), 1, "{body:#}");
        assert_eq!(pe[0]["id"], "ft-190XKQT");
        assert_eq!(pe[0]["title"], "Apprenti boulanger (H/F)");
        assert_eq!(pe[0]["company"]["name"], "BOULANGERIE DU PARC");
        assert!(pe[0]["url"].as_str().unwrap().ends_with("/190XKQT"));
        assert!(pe[0]["place"]["distance"].as_f64().unwrap() < 5.0, "{pe:#}");

        let (status, _, body) = send(app(&db).await, "/api/v1/jobs/job/ft-190XKQT").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["peJobs"][0]["id"], "ft-190XKQT");

        // A full import without the first offer closes it: gone from the API.
        let rest = tmp.path().join("reste.json");
        let second = OFFERS.split("\n{").nth(2).unwrap().trim_end_matches("\n]}");
        std::fs::write(&rest, format!("[{{{second}]")).unwrap();
        let report =
            lba_app::offers::import_file(&db.store, &rest, true, None, &lba_app::NoProgress)
                .await
                .unwrap();
        assert_eq!(report.closed, 1, "{report:?}");
        let (status, _, _) = send(app(&db).await, "/api/v1/jobs/job/ft-190XKQT").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        db.cleanup().await;
    }
}
