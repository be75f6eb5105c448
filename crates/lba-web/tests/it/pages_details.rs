//! Detail pages (formation, offre, entreprise) and the métier page.

use axum::http::StatusCode;

use crate::fixture::{Api, SIRET_LYON};
use crate::pages_support::{all, assert_layout, attr, one, text, title, words};

fn assert_fiche(doc: &scraper::Html, code: &str) {
    let section = format!("section[aria-labelledby=fiche-{code}]");
    assert!(!all(doc, &format!("{section} .lba-definition p")).is_empty());
    assert!(!all(doc, &format!("{section} .lba-acces p")).is_empty());
    let close = all(doc, &format!("{section} .lba-proches a"));
    assert!(!close.is_empty());
    assert!(
        close[0]
            .value()
            .attr("href")
            .unwrap()
            .starts_with("/metier/")
    );
}

#[tokio::test]
async fn formation_page_has_what_a_candidate_needs() {
    let api = Api::new().await;
    let (status, doc) = api.html("/formation/form-lyon-bts").await;
    assert_eq!(status, StatusCode::OK);
    assert_layout(&doc);
    assert!(title(&doc).contains("BTS Boulangerie Lyon"));
    assert_eq!(text(&doc, "h1"), "BTS Boulangerie Lyon");
    assert_eq!(text(&doc, "#diplome"), "DIPLÔME BTS BOULANGERIE LYON");
    assert!(text(&doc, "#niveau").starts_with("Niveau 5"));
    assert_eq!(text(&doc, "#cfa"), "CFA DES MÉTIERS");
    assert_eq!(text(&doc, "#adresse"), "1 rue de la République, 69001 Lyon");
    assert_eq!(
        text(&doc, "#sessions"),
        "Du 1er septembre 2026 au 30 juin 2028"
    );
    one(&doc, "a[href=\"mailto:cfa@example.org\"]");
    // The course's CFA has an address: the contact form is on the page.
    one(
        &doc,
        "form#contact-form[action=\"/formation/form-lyon-bts/contact\"]",
    );
    assert_fiche(&doc, "D1102");
    assert!(all(&doc, ".lba-demo").is_empty());
    let (_, demo) = api.html("/formation/form-paris-cap").await;
    assert_eq!(text(&demo, ".lba-demo"), "Données de démonstration");
}

#[tokio::test]
async fn offer_page_has_the_contract_and_the_company() {
    let api = Api::new().await;
    let (status, doc) = api.html("/offre/offer-partner-lyon").await;
    assert_eq!(status, StatusCode::OK);
    assert_layout(&doc);
    assert!(title(&doc).contains("Boulanger (offer-partner-lyon)"));
    assert_eq!(text(&doc, "#contrat"), "Contrat d'apprentissage");
    assert_eq!(text(&doc, "#debut"), "1er septembre 2026");
    assert_eq!(text(&doc, "#duree"), "24 mois");
    assert!(text(&doc, "#niveau").starts_with("Niveau 5"));
    assert_eq!(text(&doc, "#description"), "Fabrication du pain.");
    assert_eq!(
        attr(&doc, "#entreprise a", "href"),
        format!("/entreprise/{SIRET_LYON}")
    );
    // A partner's offer is applied to on its site: the action leads to how.
    let action = one(&doc, "a#action");
    assert_eq!(words(action), "Comment postuler ?");
    assert_eq!(action.value().attr("href"), Some("#postuler"));
    assert!(text(&doc, "#comment-postuler").contains("site d'origine"));
    assert_fiche(&doc, "D1102");
}

#[tokio::test]
async fn company_page_shows_the_hiring_potential() {
    let api = Api::new().await;
    let (status, doc) = api.html(&format!("/entreprise/{SIRET_LYON}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_layout(&doc);
    assert_eq!(text(&doc, "h1"), "BOULANGERIE DU PARC");
    // Score 80: 2.5 + 2.5 × 60 / 80 = 4.375.
    assert_eq!(text(&doc, "#potentiel .lba-stars-text"), "4,4 / 5");
    assert!(text(&doc, "#potentiel h2").contains("potentiel d'embauche"));
    assert!(!text(&doc, "#activite").is_empty());
    assert_eq!(text(&doc, "#adresse"), "6 quai Saint-Vincent, 69001 Lyon");
    let action = one(&doc, "a#action");
    assert_eq!(words(action), "Candidature spontanée");
    assert_eq!(action.value().attr("href"), Some("#postuler"));
    assert_eq!(all(&doc, "form#candidature").len(), 1);
    assert_fiche(&doc, "D1102");
    assert!(
        !doc.html().contains("contact@example.org"),
        "emails stay hidden"
    );
}

#[tokio::test]
async fn metier_page_shows_the_fiche_and_links_to_a_search() {
    let api = Api::new().await;
    let (status, doc) = api.html("/metier/D1102").await;
    assert_eq!(status, StatusCode::OK);
    assert_layout(&doc);
    let h1 = text(&doc, "h1");
    assert_eq!(h1, "Boulanger / Boulangère");
    assert!(title(&doc).contains("D1102"));
    assert!(!all(&doc, ".lba-appellations li").is_empty());
    assert!(!all(&doc, ".lba-definition p").is_empty());
    assert!(!all(&doc, ".lba-acces p").is_empty());
    assert!(!all(&doc, ".lba-proches a[href^=\"/metier/\"]").is_empty());
    let search = attr(&doc, "a#chercher", "href");
    assert!(
        search.starts_with("/recherche?romes=D1102&metier=Boulanger"),
        "{search}"
    );
    let (status, results) = api.html(&search).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!all(&results, "#resultats-formations li.lba-card").is_empty());
}
