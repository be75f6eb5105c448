//! The orientation pages (`/orientation`): questionnaire, results ranked by
//! the visitor's experiment arm, recorded views and follow-ups, bad input
//! next to its field, the campaign's pre-filled commune, and the
//! operator's statistics.

use axum::http::StatusCode;
use lba_app::lba_notify::LinkKey;
use lba_search::orientation::Method;
use lba_store::Store;
use lba_store::orientation::ArmCounts;

use crate::fixture::Api;
use crate::parcours::Browser;

async fn api() -> Api {
    Api::with_ops(
        lba_web::OpsState {
            ..lba_web::OpsState::default()
        },
        async |_| {},
    )
    .await
}

/// The totals over every arm.
async fn totals(store: &Store) -> ArmCounts {
    let mut t = ArmCounts::default();
    for a in store.orientation_arm_counts().await.unwrap() {
        t.visitors += a.visitors;
        t.views += a.views;
        t.suggestions += a.suggestions;
        t.fiche_visitors += a.fiche_visitors;
        t.search_visitors += a.search_visitors;
        t.clicks += a.clicks;
    }
    t
}

/// The `name` attribute of each element matching `selector`.
pub fn attr(body: &str, selector: &str, name: &str) -> Vec<String> {
    let s = scraper::Selector::parse(selector).unwrap();
    scraper::Html::parse_document(body)
        .select(&s)
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}

/// The visitor id of the browser's cookie.
fn visitor_key(browser: &Browser) -> String {
    let cookie = &browser.cookies["lba_visiteur"];
    format!("v:{}", cookie.split('.').next().unwrap())
}

const LYON_QUERY: &str =
    "/orientation/resultats?interets=1&interets=14&interets=27&lieu=Lyon&insee=&niveau=4";

#[tokio::test]
async fn a_visitor_gets_ten_metiers_with_reasons_ranked_by_their_arm() {
    let api = api().await;
    let store = api.store();
    let mut browser = Browser::new(api.router());
    let form = browser.get("/orientation").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let boxes = attr(&form.body, "input[name=interets]", "value");
    assert_eq!(boxes.len(), 30, "the 30 centres of interest of ROME 4.0");
    assert!(
        form.texts("label")
            .iter()
            .any(|l| l.contains("J'ai envie de créer"))
    );

    let page = browser.get(LYON_QUERY).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let titles = page.texts("li[id^=metier-] h2");
    assert_eq!(titles.len(), 10, "{}", page.body);
    for card in page.texts("li[id^=metier-] .lba-orientation__raisons") {
        assert!(
            card.contains("Il correspond à ton choix") || card.contains("tes choix"),
            "{card}"
        );
    }
    // The arm on the page is the visitor's, from the keyed hash.
    let arm = lba_app::orientation::assign(&LinkKey::new(b"test key"), &visitor_key(&browser));
    let method = attr(&page.body, "#orientation-resultats", "data-methode");
    let presentation = attr(&page.body, "#orientation-resultats", "data-presentation");
    assert_eq!(method, vec![arm.method.as_str().to_owned()]);
    assert_eq!(presentation, vec![arm.presentation.as_str().to_owned()]);
    let reasons = page
        .texts("li[id^=metier-] .lba-orientation__raisons li")
        .join(" ");
    if arm.presentation == lba_app::orientation::Presentation::WithoutTension {
        assert!(!reasons.contains("à recruter dans ce métier"), "{reasons}");
    }
    if arm.method == Method::Interests {
        assert!(!reasons.contains("transition"), "interests only: {reasons}");
    }
    assert!(reasons.contains("À moins de 60"), "{reasons}");

    // Recorded once: a reload is the same view.
    let t = totals(store).await;
    assert_eq!((t.visitors, t.views, t.suggestions), (1, 1, 10));
    assert_eq!(browser.get(LYON_QUERY).await.status, StatusCode::OK);
    assert_eq!(totals(store).await.views, 1);

    // Following the first suggestion: its fiche, then its search near Lyon.
    let fiche = attr(&page.body, "#metier-1 a", "href");
    assert_eq!(fiche.len(), 2);
    let to_fiche = browser.get(&fiche[0]).await;
    assert_eq!(to_fiche.status, StatusCode::SEE_OTHER);
    let location = to_fiche.location.unwrap();
    assert!(location.starts_with("/metier/"), "{location}");
    assert_eq!(browser.get(&location).await.status, StatusCode::OK);
    let to_search = browser.get(&fiche[1]).await;
    assert_eq!(to_search.status, StatusCode::SEE_OTHER);
    let search = to_search.location.unwrap();
    assert!(search.starts_with("/recherche?romes="), "{search}");
    assert!(search.contains("insee=69123"), "{search}");
    let results = browser.get(&search).await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.body);
    let t = totals(store).await;
    assert_eq!((t.fiche_visitors, t.search_visitors, t.clicks), (1, 1, 2));

    // Someone else following the same link is redirected, not counted.
    let mut other = Browser::new(api.router());
    assert_eq!(other.get(&fiche[0]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(totals(store).await.clicks, 2);
}

#[tokio::test]
async fn the_order_given_changes_the_questionnaire_and_is_kept() {
    let api = api().await;
    let mut browser = Browser::new(api.router());
    let page = browser
        .get(&format!("{LYON_QUERY}&rang_27=1&rang_1=2&rang_14=3"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The ranking form lists the centres in the order given.
    let ids = attr(&page.body, "#classer select", "id");
    assert_eq!(ids, vec!["rang-27", "rang-1", "rang-14"]);
    assert!(
        page.texts("#classer legend")
            .join(" ")
            .contains("ton classement")
    );
    // A rank outside 1–5 is refused next to the form.
    let bad = browser.get(&format!("{LYON_QUERY}&rang_27=9")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.texts("#rang-erreur")[0].contains("de 1 à 5"));
}

#[tokio::test]
async fn bad_answers_are_shown_next_to_their_field_and_nothing_is_recorded() {
    let api = api().await;
    let mut browser = Browser::new(api.router());
    for (query, field, words) in [
        ("interets=1&interets=2", "#interets-erreur", "entre 3 et 5"),
        ("", "#interets-erreur", "tu en as coché 0"),
        (
            "interets=1&interets=2&interets=3&interets=4&interets=5&interets=6",
            "#interets-erreur",
            "entre 3 et 5",
        ),
        (
            "interets=1&interets=2&interets=99",
            "#interets-erreur",
            "n'existe pas",
        ),
        (
            "interets=1&interets=2&interets=x",
            "#interets-erreur",
            "n'existe pas",
        ),
        (
            "interets=1&interets=2&interets=3&lieu=Zzyzxqq",
            "#lieu-erreur",
            "Aucune commune",
        ),
        (
            "interets=1&interets=2&interets=3&insee=00000",
            "#lieu-erreur",
            "inconnue",
        ),
        (
            "interets=1&interets=2&interets=3&niveau=9",
            "#niveau-erreur",
            "dans la liste",
        ),
    ] {
        let page = browser
            .get(&format!("/orientation/resultats?{query}"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let message = page.texts(field);
        assert_eq!(message.len(), 1, "{query}: {}", page.body);
        assert!(message[0].contains(words), "{query}: {message:?}");
        // The answers are kept in the form.
        assert!(page.body.contains("id=\"questionnaire\""), "{query}");
    }
    for path in [
        "/orientation/suivi/1/1/fiche",
        "/orientation/suivi/x/1/fiche",
        "/orientation/suivi/1/1/ailleurs",
    ] {
        assert_eq!(
            browser.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(totals(api.store()).await, ArmCounts::default());
}

#[tokio::test]
async fn a_campaign_link_fills_in_the_persons_commune() {
    let api = Api::with_ops(lba_web::OpsState::default(), async |store| {
        crate::parcours::campaign_fixture(store).await;
        crate::parcours::exec(
            store,
            "UPDATE cohort_people SET commune_insee = '69123' WHERE id = 'p1'",
        )
        .await;
    })
    .await;
    let mut browser = Browser::new(api.router());
    assert_eq!(
        browser.get("/c/Parcours12345678").await.status,
        StatusCode::SEE_OTHER
    );
    let form = browser.get("/orientation").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(attr(&form.body, "#insee", "value"), vec!["69123"]);
    assert!(attr(&form.body, "#lieu", "value")[0].starts_with("Lyon"));
    // The results are the person's: recorded with the campaign and arm.
    let page = browser
        .get("/orientation/resultats?interets=1&interets=14&interets=27&insee=69123")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let arm = lba_app::orientation::assign(&LinkKey::new(b"test key"), "p:p1");
    assert_eq!(
        attr(&page.body, "#orientation-resultats", "data-methode"),
        vec![arm.method.as_str().to_owned()]
    );
    assert_eq!(totals(api.store()).await.views, 1);
}

#[tokio::test]
async fn the_operator_sees_each_method_with_intervals_and_exports_csv() {
    let api = api().await;
    // Twelve visitors: each sees results, every third opens a fiche.
    for i in 0..12 {
        let mut b = Browser::new(api.router());
        let page = b.get(LYON_QUERY).await;
        assert_eq!(page.status, StatusCode::OK);
        if i % 3 == 0 {
            let href = attr(&page.body, "#metier-2 a", "href").remove(0);
            b.get(&href).await;
        }
    }
    let t = totals(api.store()).await;
    assert_eq!((t.visitors, t.views, t.fiche_visitors), (12, 12, 4));

    let mut operator = Browser::new(api.router());
    assert_eq!(
        operator.get("/operateur/orientation").await.status,
        StatusCode::SEE_OTHER,
        "closed without the login"
    );
    operator
        .get(&crate::pro_support::admin_link(api.store()).await)
        .await;
    let page = operator.get("/operateur/orientation").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let stats = lba_app::orientation::stats(api.store()).await.unwrap();
    let visitors: i64 = stats.methods.iter().map(|m| m.visitors).sum();
    assert_eq!(visitors, 12);
    for m in &stats.methods {
        let row = page.texts(&format!(
            "tr[data-methode={}][data-presentation=\"\"]",
            m.method
        ));
        assert_eq!(row.len(), 1, "{}", page.body);
        assert!(row[0].contains(&m.fiche.display()), "{row:?}");
    }
    assert_eq!(page.texts("#differences tbody tr").len(), 8);
    let csv = operator.get("/operateur/orientation.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("groupe;methode;presentation;visiteurs"));
    // 4 arms + 2 methods, a blank line, a header and 8 comparisons.
    assert_eq!(lines.len(), 1 + 6 + 1 + 1 + 8, "{}", csv.body);
    let method_rows: i64 = lines[5..7]
        .iter()
        .map(|l| l.split(';').nth(3).unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(method_rows, 12);
}
