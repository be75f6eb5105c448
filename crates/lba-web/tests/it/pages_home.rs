//! The home page and its search form.

use axum::http::StatusCode;

use crate::fixture::Api;
use crate::pages_support::{all, assert_layout, attr, one, text, title};

#[tokio::test]
async fn home_shows_the_service_and_the_search_form() {
    let api = Api::empty().await;
    let (status, doc) = api.html("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_layout(&doc);
    assert!(title(&doc).contains("alternance"), "{}", title(&doc));
    assert!(text(&doc, "h1").contains("alternance"));
    assert_eq!(attr(&doc, "form[role=search]", "action"), "/recherche");
    assert_eq!(attr(&doc, "form[role=search]", "method"), "get");
    for (id, autocomplete) in [("metier", "metiers"), ("lieu", "places")] {
        let input = one(&doc, &format!("input#{id}[name={id}][type=text]"));
        assert_eq!(input.value().attr("data-autocomplete"), Some(autocomplete));
        one(&doc, &format!("label[for={id}]"));
    }
    for hidden in ["romes", "latitude", "longitude", "insee"] {
        one(&doc, &format!("input#{hidden}[name={hidden}][type=hidden]"));
    }
    one(&doc, "label[for=radius]");
    one(&doc, "label[for=diploma]");
    let radii: Vec<_> = all(&doc, "select#radius[name=radius] option")
        .iter()
        .map(|o| o.value().attr("value").unwrap().to_owned())
        .collect();
    assert_eq!(radii, ["10", "30", "60", "100"]);
    assert_eq!(attr(&doc, "select#radius option[selected]", "value"), "30");
    let diplomas: Vec<_> = all(&doc, "select#diploma[name=diploma] option")
        .iter()
        .map(|o| o.value().attr("value").unwrap().to_owned())
        .collect();
    assert_eq!(diplomas, ["", "3", "4", "5", "6", "7"]);
    assert_eq!(
        text(&doc, "select#diploma option[value=\"\"]"),
        "Indifférent"
    );
    assert!(all(&doc, ".fr-error-text").is_empty());
}
