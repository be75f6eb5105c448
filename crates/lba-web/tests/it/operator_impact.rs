//! The cohort dashboard `/operateur/campagnes/{id}/impact` (funnel, SVG
//! chart and its table, estimates, CSV exports without personal data, the
//! date parameter) and the person page `/operateur/personnes/{id}`.

use axum::http::StatusCode;
use chrono::{Days, Utc};
use lba_campaign::outcome::{OutcomeEvent, OutcomeSource};
use lba_store::outcomes::NewOutcome;

use crate::operator_auth::Client;
use crate::operator_campaigns::{api, create, operator};

#[tokio::test]
async fn the_dashboard_shows_the_funnel_chart_estimates_and_exports() {
    let api = api().await;
    let (mut c, token) = operator(&api).await;
    let page = create(&mut c, &token).await;
    let id = page.rsplit('/').next().unwrap().to_owned();
    // Before the launch: the page works, without weeks.
    let a = c.get(&format!("{page}/impact")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let a = c
        .post(
            &format!("{page}/lancer"),
            &[("csrf", &token), ("confirmation", "oui")],
        )
        .await;
    assert!(
        a.status.is_success() || a.status.is_redirection(),
        "{}",
        a.body
    );
    let today = Utc::now().date_naive();
    let people = api.store().assignments(&id).await.unwrap();
    let outcomes: Vec<NewOutcome> = people
        .iter()
        .take(3)
        .map(|p| NewOutcome {
            person_id: p.person_id.clone(),
            event: OutcomeEvent::ContratSigne,
            date: today,
            source: OutcomeSource::Contrats,
            employer_siret: String::new(),
            course_key: String::new(),
        })
        .collect();
    api.store().insert_outcomes(&outcomes).await.unwrap();
    let d = today + Days::new(14);
    let a = c.get(&format!("{page}/impact?date={d}")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.texts("#entonnoir tbody tr").len(), 3, "{}", a.body);
    let contracts: u64 = a
        .texts("#entonnoir tbody td:nth-of-type(6)")
        .iter()
        .map(|t| t.split_whitespace().next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(contracts, 3);
    assert!(a.body.contains("<svg class=\"lba-chart\""), "{}", a.body);
    assert!(a.body.contains("aria-labelledby=\"graphe-contrats-titre"));
    assert_eq!(a.texts("#semaines tbody tr").len(), 3, "S0, S1, S2");
    assert_eq!(a.texts("#effets tbody tr").len(), 2);
    assert!(a.body.contains("Holm"));
    assert!(a.texts("#equilibre").len() == 1 || a.texts("#desequilibre").len() == 1);
    // The exports: text/csv, no name, e-mail or cohort id.
    for (path, lines) in [("impact.csv", 4), ("personnes.csv", 7)] {
        let a = c.get(&format!("{page}/{path}?date={d}")).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.body.lines().count(), lines, "{}", a.body);
        assert!(
            !a.body.contains('@') && !a.body.contains("Nom1") && !a.body.contains("parcoursup:"),
            "{}",
            a.body
        );
    }
    // A bad date names the parameter; an unknown campaign is a 404.
    let a = c.get(&format!("{page}/impact?date=31-12-2026")).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("Paramètre date"), "{}", a.body);
    let a = c.get("/operateur/campagnes/inconnue/impact").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    // The person page of someone with a contract.
    let person = &outcomes[0].person_id;
    let a = c.get(&format!("/operateur/personnes/{person}")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let timeline = a.texts("#chronologie li");
    assert!(
        timeline.iter().any(|t| t.contains("Affecté au bras")),
        "{timeline:?}"
    );
    assert!(
        timeline
            .last()
            .unwrap()
            .contains("Contrat d'apprentissage signé"),
        "{timeline:?}"
    );
    assert!(
        !a.body.contains("@exemple.fr"),
        "no contact detail on the page"
    );
    let a = c.get(&format!("/operateur/personnes?id={person}")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.location.as_deref(),
        Some(format!("/operateur/personnes/{person}").as_str())
    );
    let a = c
        .get(&format!("/operateur/personnes/{person}/parcours.csv"))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        !a.body.contains(person.as_str()) && a.body.contains("contrat"),
        "{}",
        a.body
    );
    let a = c.get("/operateur/personnes/parcoursup:personne").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    // Without a session: to the login page.
    let mut anonymous = Client::new(&api);
    let a = anonymous.get(&format!("{page}/impact")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = anonymous
        .get(&format!("/operateur/personnes/{person}"))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
}
