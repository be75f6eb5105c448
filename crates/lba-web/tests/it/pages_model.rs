//! The company page explains the score of the hiring-potential model in
//! plain French, with the predicted hirings when the model published it.

use axum::http::StatusCode;
use lba_core::opportunity::{Company, Place, RomeScore};
use lba_store::model::EstablishmentScore;

use crate::fixture::{Api, SIRET_LYON, companies};
use crate::pages_support::text;

#[tokio::test]
async fn a_model_company_shows_its_predicted_hirings_and_the_limits() {
    let siret = lba_app::model::demo::demo_establishment_siret(41).unwrap();
    let api = Api::with(async |store| {
        let run = store
            .insert_model_run(
                &serde_json::json!({}),
                &[EstablishmentScore {
                    siret: siret.as_str().to_owned(),
                    predicted_hirings: 3.4,
                    score: 63,
                }],
            )
            .await
            .unwrap();
        let template = companies().into_iter().next().unwrap();
        let company = Company {
            siret: siret.clone(),
            is_demo: true,
            name: "BOULANGERIE DU MODÈLE".into(),
            romes: vec![RomeScore {
                rome: "D1102".parse().unwrap(),
                score: 63,
            }],
            email: None,
            phone: None,
            website: None,
            place: Place {
                address: "1 rue de la République".into(),
                ..template.place.clone()
            },
            ..template
        };
        let counts = store.publish_model_run(run, &[company]).await.unwrap();
        assert_eq!(counts.written, 1);
    })
    .await;
    let (status, doc) = api.html(&format!("/entreprise/{siret}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        text(&doc, "#prevision"),
        "Notre modèle estime que cette entreprise devrait recruter environ 3 personnes dans les 6 prochains mois, tous métiers confondus."
    );
    // Score 63: 2.5 + 2.5 × 43 / 80 = 3.84.
    assert_eq!(text(&doc, "#potentiel .lba-stars-text"), "3,8 / 5");
    let explanation = text(&doc, "#explication-score");
    assert!(
        explanation.contains("Les étoiles (de 2,5 à 5)"),
        "{explanation}"
    );
    assert!(
        explanation.contains("pas une offre d'emploi"),
        "{explanation}"
    );
    assert!(explanation.contains("embauches des trois dernières années"));
}

#[tokio::test]
async fn a_company_from_another_source_gets_the_general_explanation() {
    let api = Api::new().await;
    let (status, doc) = api.html(&format!("/entreprise/{SIRET_LYON}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        text(&doc, "#prevision"),
        "Notre modèle estime que cette entreprise devrait recruter dans les 6 prochains mois."
    );
    assert!(text(&doc, "#explication-score").contains("estimation statistique"));
}
