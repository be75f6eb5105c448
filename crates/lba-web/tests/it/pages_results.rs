//! The results page: no-JS resolution, sections, cards, map, fallback,
//! widening, paging links and the refused queries.

use axum::http::StatusCode;
use scraper::Html;

use crate::fixture::Api;
use crate::pages_support::{all, assert_layout, attr, one, text, title, words};

fn card_links(doc: &Html, kind: &str) -> Vec<String> {
    all(
        doc,
        &format!("ul.lba-results#resultats-{kind} > li.lba-card .fr-card .fr-card__title a"),
    )
    .iter()
    .map(|a| a.value().attr("href").unwrap().to_owned())
    .collect()
}

fn markers(doc: &Html) -> Vec<serde_json::Value> {
    let json = attr(doc, "div#carte.lba-map", "data-markers");
    serde_json::from_str::<Vec<serde_json::Value>>(&json).unwrap()
}

#[tokio::test]
async fn typed_metier_and_place_are_resolved_without_javascript() {
    let api = Api::new().await;
    let (status, doc) = api.html("/recherche?metier=boulanger&lieu=Lyon").await;
    assert_eq!(status, StatusCode::OK, "{}", doc.html());
    assert_layout(&doc);
    one(
        &doc,
        "link[rel=stylesheet][href=\"/assets/leaflet/leaflet.css\"]",
    );
    one(&doc, "script[src=\"/assets/leaflet/leaflet.js\"][defer]");
    one(&doc, "script[src=\"/assets/app/map.js\"][defer]");
    let understood = text(&doc, "#recherche-comprise");
    assert!(understood.contains("Lyon"), "{understood}");
    assert!(understood.contains("30 km"), "{understood}");
    let page_title = title(&doc);
    assert!(page_title.contains("Lyon"), "{page_title}");
    assert!(page_title.contains("(30 km)"), "{page_title}");
    assert!(page_title.contains("formations, offres et entreprises en alternance"));
    assert!(attr(&doc, "meta[name=description]", "content").contains("Lyon"));

    let formations = card_links(&doc, "formations");
    assert_eq!(
        formations,
        [
            "/formation/form-lyon-bts",
            "/formation/form-villeurbanne-cap"
        ]
    );
    let offers = card_links(&doc, "offres");
    assert!(
        offers.contains(&"/offre/offer-platform-lyon".to_owned()),
        "{offers:?}"
    );
    assert!(
        !offers
            .iter()
            .any(|o| o.contains("expired") || o.contains("paris"))
    );
    let companies = card_links(&doc, "entreprises");
    assert_eq!(
        companies,
        [
            "/entreprise/51234567800001?metier=D1102",
            "/entreprise/51234567800019?metier=D1102"
        ]
    );
    assert_eq!(text(&doc, "#titre-formations .lba-count"), "(2)");
    assert_eq!(text(&doc, "#compte-entreprises"), "Entreprises (2)");
    let first = one(&doc, "#resultats-formations > li.lba-card:first-child");
    let card = words(first);
    assert!(card.contains("CFA DES MÉTIERS"), "{card}");
    assert!(card.contains("Lyon (69001)"), "{card}");
    assert!(card.contains(", à 1,1 km"), "{card}");
    assert!(card.contains("Niveau 5"), "{card}");
    let offer_tags: Vec<String> = all(&doc, "#resultats-offres .fr-tag")
        .iter()
        .map(|t| words(*t))
        .collect();
    assert!(
        offer_tags.contains(&"Apprentissage".to_owned()),
        "{offer_tags:?}"
    );
    let company_tags: Vec<String> = all(&doc, "#resultats-entreprises .fr-tag")
        .iter()
        .map(|t| words(*t))
        .collect();
    assert!(company_tags.contains(&"Candidature spontanée".to_owned()));
    assert!(!doc.html().contains("Données de démonstration"));

    let markers = markers(&doc);
    let shown = formations.len() + offers.len() + companies.len();
    assert_eq!(markers.len(), shown);
    let kinds: Vec<&str> = markers
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    for kind in ["formation", "offre", "entreprise"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
    assert_eq!(markers[0]["url"], "/formation/form-lyon-bts");
    assert!(markers[0]["lat"].as_f64().unwrap() > 45.0);
    assert!(
        markers[0]["label"]
            .as_str()
            .unwrap()
            .contains("Boulangerie")
    );
    // The form is filled again with what was sent.
    assert_eq!(attr(&doc, "input#metier", "value"), "boulanger");
    assert_eq!(attr(&doc, "input#lieu", "value"), "Lyon");
}

#[tokio::test]
async fn hidden_fields_from_the_autocomplete_are_used_as_is() {
    let api = Api::new().await;
    let uri = "/recherche?metier=Boulangerie&romes=D1102&lieu=Paris&latitude=48.8566\
               &longitude=2.3522&radius=10&diploma=3";
    let (status, doc) = api.html(uri).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        card_links(&doc, "formations"),
        ["/formation/form-paris-cap"]
    );
    let tags: Vec<String> = all(&doc, "#resultats-formations .fr-tag")
        .iter()
        .map(|t| words(*t))
        .collect();
    assert!(
        tags.contains(&"Données de démonstration".to_owned()),
        "{tags:?}"
    );
    assert_eq!(attr(&doc, "select#radius option[selected]", "value"), "10");
    assert_eq!(attr(&doc, "select#diploma option[selected]", "value"), "3");
    assert!(title(&doc).contains("(10 km)"));
}

#[tokio::test]
async fn nearest_courses_are_shown_outside_the_radius_when_none_is_inside() {
    let api = Api::new().await;
    let (status, doc) = api
        .html("/recherche?romes=M1805&metier=Informatique&latitude=45.7676&longitude=4.8357&radius=10")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&doc, "#formations-hors-rayon").contains("hors du rayon"));
    assert_eq!(
        card_links(&doc, "formations"),
        ["/formation/form-st-etienne-info"]
    );
    assert!(words(one(&doc, "#resultats-formations > li")).contains("Hors du rayon"));
    assert!(all(&doc, "#aucun-resultat").is_empty());
}

#[tokio::test]
async fn nothing_found_offers_a_wider_radius() {
    let api = Api::new().await;
    let (status, doc) = api
        .html("/recherche?romes=A1101&metier=Agriculture&lieu=Lyon&radius=60")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&doc, "#aucun-resultat").contains("Aucun résultat"));
    let widen = attr(&doc, "a#elargir", "href");
    assert!(widen.starts_with("/recherche?"), "{widen}");
    assert!(widen.contains("radius=120"), "{widen}");
    assert!(widen.contains("romes=A1101"), "{widen}");
    assert!(text(&doc, "a#elargir").contains("120 km"));
    let (_, doc) = api.html(&widen).await;
    assert!(title(&doc).contains("(120 km)"));
    assert_eq!(attr(&doc, "select#radius option[selected]", "value"), "120");
    let (_, doc) = api
        .html("/recherche?romes=A1101&metier=Agriculture&lieu=Lyon&radius=200")
        .await;
    assert!(all(&doc, "a#elargir").is_empty());
    assert!(markers(&doc).is_empty());
}

#[tokio::test]
async fn refused_queries_show_the_message_next_to_the_field() {
    let api = Api::new().await;
    for (uri, field) in [
        ("/recherche?metier=zzqxwv&lieu=Lyon", "metier"),
        ("/recherche?metier=boulanger&lieu=Qzxwvbn", "lieu"),
        ("/recherche?metier=boulanger&lieu=Lyon&radius=500", "radius"),
        ("/recherche?metier=boulanger&lieu=Lyon&diploma=9", "diploma"),
        ("/recherche?lieu=Lyon", "metier"),
    ] {
        let (status, doc) = api.html(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_layout(&doc);
        let error = one(&doc, &format!("p.fr-error-text#{field}-error"));
        assert!(!words(error).is_empty());
        assert_eq!(
            attr(&doc, &format!("#{field}"), "aria-describedby"),
            format!("{field}-error")
        );
        let group = error.parent().and_then(scraper::ElementRef::wrap).unwrap();
        assert!(
            group
                .value()
                .classes()
                .any(|c| c == "fr-input-group--error"),
            "{uri}"
        );
        assert_eq!(all(&doc, ".fr-error-text").len(), 1, "{uri}");
    }
}

#[tokio::test]
async fn pages_of_twenty_link_to_the_next_page() {
    let api = Api::new().await;
    let (_, doc) = api
        .html("/recherche?metier=boulanger&lieu=Lyon&page=2")
        .await;
    assert!(card_links(&doc, "formations").is_empty());
    let previous = attr(&doc, "#formations .fr-pagination__link--prev", "href");
    assert!(previous.ends_with("#formations"), "{previous}");
    assert!(!previous.contains("page="), "{previous}");
    let (status, _) = api
        .html("/recherche?metier=boulanger&lieu=Lyon&page=18446744073709551615")
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn company_cards_show_the_hiring_potential_out_of_five() {
    let api = Api::new().await;
    let (_, doc) = api
        .html("/recherche?romes=D1102&metier=Boulanger&lieu=Lyon")
        .await;
    let card = words(one(
        &doc,
        "#resultats-entreprises > li.lba-card:first-child",
    ));
    assert!(card.contains("4,4 / 5"), "{card}");
}

/// The score a company card shows is the one its page shows first: the card
/// links to the page with the métier searched.
#[tokio::test]
async fn a_company_card_and_its_page_show_the_same_score() {
    let api = Api::new().await;
    let (status, doc) = api.html("/recherche?metier=boulanger&lieu=Lyon").await;
    assert_eq!(status, StatusCode::OK);
    let cards = all(&doc, "ul.lba-results#resultats-entreprises > li.lba-card");
    assert!(!cards.is_empty());
    for card in cards {
        let href = card
            .select(&scraper::Selector::parse(".fr-card__title a").unwrap())
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_owned();
        let card_text = words(card);
        let stars = card_text
            .split("Potentiel d'embauche : ")
            .nth(1)
            .unwrap()
            .split(" / 5")
            .next()
            .unwrap()
            .to_owned();
        let (status, page) = api.html(&href).await;
        assert_eq!(status, StatusCode::OK, "{href}");
        assert_eq!(
            text(&page, "#potentiel .lba-stars-text"),
            format!("{stars} / 5"),
            "{href}"
        );
        assert!(
            text(&page, "#potentiel-metier").contains("Boulanger"),
            "{href}"
        );
    }
    // Without the métier, or with one the company does not have: its best
    // score, without the métier line.
    let (status, page) = api.html("/entreprise/51234567800001?metier=A1101").await;
    assert_eq!(status, StatusCode::OK);
    assert!(all(&page, "#potentiel-metier").is_empty());
    // A malformed code is refused, naming the parameter.
    let (status, page) = api.html("/entreprise/51234567800001?metier=pain").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.html().contains("metier"));
}
