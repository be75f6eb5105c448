//! The pro space end to end through the router (SQLite; the storage rules
//! run on both backends in lba-store's tests): sign-in links, sessions,
//! company sign-up, offers and their life, validation by an OPCO, and the
//! authorisation matrix of every pro and operator route.

use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};
use lba_core::pro::Role;

use crate::fixture::{Api, LYON, SIRET_LYON, SIRET_PARIS, SIRET_VILLEURBANNE};
use crate::orientation_pages::attr;
use crate::parcours::{Browser, Page};
use crate::pro_support::{PDF, admin_link, delivered_application, key, link_for, link_of};

async fn api() -> Api {
    Api::with_ops(lba_web::OpsState::default(), async |_| {}).await
}

async fn post(b: &mut Browser, uri: &str, fields: &[(&str, &str)]) -> Page {
    b.post(uri, fields).await
}

/// A sign-up form: `id_field` (`siret` or `cfa`) = `id`, `email`, and a
/// contact (names and phone are not what these tests check).
fn sign_up<'a>(id_field: &'a str, id: &'a str, email: &'a str) -> [(&'a str, &'a str); 5] {
    [
        (id_field, id),
        ("email", email),
        ("first_name", "Marie"),
        ("last_name", "Durand"),
        ("phone", "0601020304"),
    ]
}

/// Signs up company `siret` with `email` and signs in from a fresh link.
async fn recruiter(api: &Api, siret: &str, email: &str) -> Browser {
    let mut b = Browser::new(api.router());
    let page = post(
        &mut b,
        "/pro/inscription/entreprise",
        &sign_up("siret", siret, email),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.texts("#compte-cree h2").len(), 1, "{}", page.body);
    let opened = b.get(&link_of(api.store(), email).await).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    b
}

fn offer_form(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("metier", "boulanger".to_owned()),
        ("title", "Apprenti boulanger H/F".to_owned()),
        ("apprentissage", "on".to_owned()),
        ("level", "3".to_owned()),
        ("start", String::new()),
        ("duration_months", "24".to_owned()),
        ("rhythm", "2 semaines / 1 semaine".to_owned()),
        ("positions", "1".to_owned()),
        (
            "description",
            "Pétrissage, façonnage et cuisson du pain avec notre équipe de quatre boulangers."
                .to_owned(),
        ),
        ("question1", "Pourquoi la boulangerie ?".to_owned()),
    ]
}

async fn post_offer(b: &mut Browser, fields: &[(&'static str, String)]) -> Page {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post("/pro/offres", &pairs).await
}

/// Posts the valid offer; its id.
async fn new_offer(b: &mut Browser) -> String {
    let csrf = b.get("/pro/offres/nouvelle").await.csrf();
    let page = post_offer(b, &offer_form(&csrf)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.unwrap();
    location
        .strip_prefix("/pro/offres/")
        .and_then(|r| r.split('?').next())
        .unwrap()
        .to_owned()
}

/// Whether `/api/v1/jobs` near Lyon for D1102 lists (or not, per
/// `present`) platform offer `id`, waiting for the background rebuild of
/// the index (at most 60 s: a debug build rebuilding beside many other
/// tests on two cores can take a while; the time itself is measured in
/// BENCHMARKS.md, not here).
async fn matchas_eventually(api: &Api, id: &str, present: bool) -> bool {
    listed_eventually(api, "matcha", id, present).await
}

/// The same for `source` (`matcha`: an offer by id; `lba`: a company by
/// SIRET).
async fn listed_eventually(api: &Api, source: &str, id: &str, present: bool) -> bool {
    let uri = format!(
        "/api/v1/jobs?romes=D1102&latitude={}&longitude={}&radius=30&sources={source}",
        LYON.0, LYON.1
    );
    let list = if source == "lba" {
        "lbaCompanies"
    } else {
        "matchas"
    };
    for _ in 0..600 {
        let (_, body) = api.get(&uri).await;
        let found = body[list]["results"].as_array().is_some_and(|a| {
            a.iter()
                .any(|o| o["job"]["id"] == id || o["id"] == id || o["company"]["siret"] == id)
        });
        if found == present {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn a_recruiter_signs_up_posts_an_offer_found_in_search_then_extends_and_closes_it() {
    let api = api().await;
    let mut b = recruiter(&api, SIRET_LYON, "marie@example.org").await;
    let home = b.get("/pro").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert_eq!(
        home.texts("#statut-entreprise"),
        ["Validé"],
        "same domain as the company's known address"
    );

    // Wrong fields come back next to each field, nothing stored.
    let csrf = b.get("/pro/offres/nouvelle").await.csrf();
    let mut wrong = offer_form(&csrf);
    wrong[1].1 = String::new();
    wrong[2].1 = "Écrivez à rh@boulangerie.fr".to_owned();
    wrong[6].1 = "48".to_owned();
    let page = post_offer(&mut b, &wrong).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.texts("#metier-error").len(), 1);
    assert_eq!(page.texts("#title-error").len(), 1);
    assert_eq!(
        page.texts("#duration_months-error"),
        ["La durée du contrat va de 6 à 36 mois."]
    );
    // Without the CSRF token: refused.
    let mut forged = offer_form("AAAA");
    forged[0].1 = "AAAA".into();
    assert_eq!(
        post_offer(&mut b, &forged).await.status,
        StatusCode::FORBIDDEN
    );

    let id = new_offer(&mut b).await;
    let page = b.get(&format!("/pro/offres/{id}")).await;
    assert_eq!(page.texts("#statut"), ["Active"]);
    assert!(
        matchas_eventually(&api, &id, true).await,
        "the new offer is searchable"
    );
    // Another visitor (no session) sees it on its page.
    let (status, _) = api.html(&format!("/offre/{id}")).await;
    assert_eq!(status, StatusCode::OK);

    // An application arrives: listed with its answer links and its CV,
    // which the worker keeps after delivery for an offer posted here.
    let application =
        delivered_application(api.store(), lba_app::apply::Target::Offer(id.clone())).await;
    let page = b.get(&format!("/pro/offres/{id}")).await;
    assert_eq!(
        page.texts("#liste-candidatures > li").len(),
        1,
        "{}",
        page.body
    );
    assert_eq!(
        page.texts(&format!("#candidature-{application} a")),
        ["Télécharger le CV", "Proposer un entretien", "Refuser"]
    );
    let cv_path = format!("/pro/offres/{id}/candidatures/{application}/cv");
    let cv = b.get(&cv_path).await;
    assert_eq!((cv.status, cv.body.as_bytes()), (StatusCode::OK, PDF));
    let mut stranger = recruiter(&api, SIRET_VILLEURBANNE, "paul@example.org").await;
    assert_eq!(stranger.get(&cv_path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        Browser::new(api.router()).get(&cv_path).await.status,
        StatusCode::SEE_OTHER
    );

    // Extend: two more months, history kept.
    let before = api
        .store()
        .pro_offer(&id)
        .await
        .unwrap()
        .unwrap()
        .expires_at;
    let a = post(
        &mut b,
        &format!("/pro/offres/{id}/modifier"),
        &[("csrf", &csrf), ("action", "prolonger")],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let after = api
        .store()
        .pro_offer(&id)
        .await
        .unwrap()
        .unwrap()
        .expires_at;
    assert!(
        after - before >= TimeDelta::days(59) && after - before <= TimeDelta::days(62),
        "{before} → {after}"
    );

    // Close as filled; a second close changes nothing.
    let a = post(
        &mut b,
        &format!("/pro/offres/{id}/modifier"),
        &[("csrf", &csrf), ("choix", "pourvue:lba")],
    )
    .await;
    assert_eq!(
        a.location.as_deref(),
        Some(format!("/pro/offres/{id}?avis=fermee").as_str())
    );
    let a = post(
        &mut b,
        &format!("/pro/offres/{id}/modifier"),
        &[("csrf", &csrf), ("choix", "annulee:autre")],
    )
    .await;
    assert_eq!(
        a.location.as_deref(),
        Some(format!("/pro/offres/{id}?avis=inchangee").as_str())
    );
    let page = b.get(&format!("/pro/offres/{id}")).await;
    assert_eq!(page.texts("#statut"), ["Pourvue"]);
    let notes: Vec<String> = api
        .store()
        .pro_offer_history(&id)
        .await
        .unwrap()
        .into_iter()
        .map(|h| format!("{}:{}", h.status, h.note.unwrap_or_default()))
        .collect();
    assert_eq!(
        notes,
        ["active:creee", "active:prolongee", "filled:pourvue:lba"]
    );
    assert!(
        matchas_eventually(&api, &id, false).await,
        "a filled offer leaves the search"
    );
}

#[tokio::test]
async fn spontaneous_applications_reach_the_dashboard_of_the_validated_company_only() {
    let api = api().await;
    let mut b = recruiter(&api, SIRET_LYON, "marie@example.org").await;
    let home = b.get("/pro").await;
    assert_eq!(home.texts("#statut-entreprise"), ["Validé"]);
    assert_eq!(
        home.texts("#aucune-candidature"),
        ["Aucune candidature spontanée pour l'instant."]
    );
    let siret = lba_core::Siret::parse(SIRET_LYON).unwrap();
    let application =
        delivered_application(api.store(), lba_app::apply::Target::Company(siret)).await;
    let home = b.get("/pro").await;
    assert_eq!(
        home.texts("#liste-candidatures > li").len(),
        1,
        "{}",
        home.body
    );
    assert_eq!(
        home.texts(&format!("#candidature-{application} a")),
        ["Télécharger le CV", "Proposer un entretien", "Refuser"]
    );
    // The CV, kept after delivery for a company with an account.
    let cv_path = format!("/pro/candidatures/{application}/cv");
    let cv = b.get(&cv_path).await;
    assert_eq!((cv.status, cv.body.as_bytes()), (StatusCode::OK, PDF));
    // The interview link answers the candidate as the email's link does.
    let interview = attr(
        &home.body,
        &format!("#candidature-{application} a.fr-btn--secondary"),
        "href",
    )
    .remove(0);
    assert_eq!(b.get(&interview).await.status, StatusCode::OK);

    // Another company's recruiter, a visitor: nothing.
    let mut stranger = recruiter(&api, SIRET_VILLEURBANNE, "paul@example.org").await;
    assert_eq!(stranger.get(&cv_path).await.status, StatusCode::NOT_FOUND);
    let theirs = stranger.get("/pro").await;
    assert!(
        theirs
            .texts(&format!("#candidature-{application}"))
            .is_empty()
    );
    assert_eq!(
        Browser::new(api.router()).get(&cv_path).await.status,
        StatusCode::SEE_OTHER
    );
    // A company waiting for validation has no such list yet.
    let mut waiting = recruiter(&api, SIRET_PARIS, "jean.dupont@gmail.com").await;
    let page = waiting.get("/pro").await;
    assert_eq!(
        page.texts("#statut-entreprise"),
        ["En attente de validation"]
    );
    assert!(page.texts("#spontanees").is_empty(), "{}", page.body);
}

#[tokio::test]
async fn the_one_click_links_of_a_reminder_confirm_before_acting_and_work_once() {
    let api = api().await;
    let mut b = recruiter(&api, SIRET_LYON, "marie@example.org").await;
    let id = new_offer(&mut b).await;
    let expires = api
        .store()
        .pro_offer(&id)
        .await
        .unwrap()
        .unwrap()
        .expires_at;
    let pour = expires.timestamp_millis();
    let path = |action: &str| {
        let signature = key().sign(
            &lba_app::lba_notify::links::offer_action_message(&id, action, pour),
            expires + TimeDelta::days(7),
        );
        lba_app::lba_notify::links::offer_action_path(&id, action, pour, &signature)
    };
    let mut mail_client = Browser::new(api.router());
    // A tampered link is refused.
    let tampered = path("prolonger").replace("action=prolonger", "action=annulee");
    assert_eq!(mail_client.get(&tampered).await.status, StatusCode::GONE);
    // Opening changes nothing (mail scanners open links).
    let page = mail_client.get(&path("prolonger")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        api.store()
            .pro_offer(&id)
            .await
            .unwrap()
            .unwrap()
            .expires_at,
        expires
    );
    let csrf = page.csrf();
    let done = mail_client
        .post(&path("prolonger"), &[("csrf", &csrf)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.texts("#fait").len(), 1);
    // The same link again: already extended.
    let again = mail_client
        .post(&path("prolonger"), &[("csrf", &csrf)])
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("déjà été prolongée"), "{}", again.body);
    // A close link sent for the old expiry is stale too; one for the new works.
    let stale = mail_client.get(&path("annulee")).await;
    assert_eq!(stale.status, StatusCode::GONE);
}

#[tokio::test]
async fn sign_in_links_tell_nothing_are_limited_single_use_and_sessions_can_be_ended() {
    let api = api().await;
    let mut b = Browser::new(api.router());
    // Same page whether or not the address has an account.
    let unknown = post(
        &mut b,
        "/pro/connexion",
        &[("email", "personne@exemple.fr")],
    )
    .await;
    let admin = admin_link(api.store()).await;
    let known = post(&mut b, "/pro/connexion", &[("email", "admin@exemple.fr")]).await;
    assert_eq!(
        (unknown.status, known.status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(unknown.texts("#lien-envoye"), known.texts("#lien-envoye"));
    let bad = post(&mut b, "/pro/connexion", &[("email", "pas une adresse")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.texts("#email-error"),
        ["Saisissez une adresse e-mail valide."]
    );
    // Five links an hour per address (admin_link's and the one above, then
    // three more); the sixth is refused.
    for _ in 0..3 {
        assert_eq!(
            post(&mut b, "/pro/connexion", &[("email", "admin@exemple.fr")])
                .await
                .status,
            StatusCode::OK
        );
    }
    let limited = post(&mut b, "/pro/connexion", &[("email", "admin@exemple.fr")]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);

    // A link works once.
    let mut first = Browser::new(api.router());
    let opened = first.get(&admin).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert_eq!(first.get("/pro").await.status, StatusCode::OK);
    let reused = Browser::new(api.router()).get(&admin).await;
    assert_eq!(reused.status, StatusCode::GONE);
    assert!(reused.body.contains("déjà servi"));
    let tampered = Browser::new(api.router())
        .get(&admin.replace("sig=", "sig=A"))
        .await;
    assert_eq!(tampered.status, StatusCode::BAD_REQUEST);
    // An expired link (signed in the past).
    let id = lba_app::pro::auth::request_link(api.store(), "opco@exemple.fr", None, Utc::now())
        .await
        .unwrap();
    assert!(id.is_none(), "no account: nothing mailed");
    let old = lba_app::pro::auth::sign_in_path(&key(), "x", Utc::now() - TimeDelta::minutes(1));
    assert_eq!(
        Browser::new(api.router()).get(&old).await.status,
        StatusCode::GONE
    );

    // Log out: the old cookie is dead even if replayed.
    let cookie = first.cookies.get("lba_pro").cloned().unwrap();
    let csrf = first.get("/pro").await.csrf();
    let out = post(&mut first, "/pro/deconnexion", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let mut replay = Browser::new(api.router());
    replay.cookies.insert("lba_pro".into(), cookie);
    assert_eq!(replay.get("/pro").await.status, StatusCode::SEE_OTHER);

    // Log out everywhere: every other session of the account ends too.
    let link = link_for(api.store(), "opco@exemple.fr", Role::Opco, Some("OPCO EP")).await;
    let mut laptop = Browser::new(api.router());
    laptop.get(&link).await;
    let mut phone = Browser::new(api.router());
    phone
        .get(&link_of(api.store(), "opco@exemple.fr").await)
        .await;
    assert_eq!(phone.get("/pro").await.status, StatusCode::OK);
    let csrf = laptop.get("/pro").await.csrf();
    post(&mut laptop, "/pro/deconnexion-partout", &[("csrf", &csrf)]).await;
    assert_eq!(phone.get("/pro").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn company_sign_up_checks_the_siret_and_a_pending_company_is_validated_by_its_opco() {
    let api = api().await;
    let mut b = Browser::new(api.router());
    let form = |siret: &'static str, email: &'static str| sign_up("siret", siret, email);
    let page = post(
        &mut b,
        "/pro/inscription/entreprise",
        &form("51234567800002", "a@b.fr"),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.texts("#siret-error").len(), 1, "Luhn");
    let page = post(
        &mut b,
        "/pro/inscription/entreprise",
        &form(crate::fixture::SIRET_UNKNOWN, "a@b.fr"),
    )
    .await;
    assert!(
        page.texts("#siret-error")[0].contains("ne trouvons pas"),
        "{}",
        page.body
    );

    // A webmail address: the account waits, its offers too.
    let mut paul = recruiter(&api, SIRET_VILLEURBANNE, "paul.martin@gmail.com").await;
    let home = paul.get("/pro").await;
    assert_eq!(
        home.texts("#statut-entreprise"),
        ["En attente de validation"]
    );
    let id = new_offer(&mut paul).await;
    assert_eq!(
        paul.get(&format!("/pro/offres/{id}"))
            .await
            .texts("#statut"),
        ["En attente de validation"]
    );
    assert!(matchas_eventually(&api, &id, false).await);
    // The same company again: refused.
    let again = post(
        &mut b,
        "/pro/inscription/entreprise",
        &form(SIRET_VILLEURBANNE, "x@example.org"),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // The admin attaches the company to an OPCO, which validates it.
    let mut admin = Browser::new(api.router());
    admin.get(&admin_link(api.store()).await).await;
    let csrf = admin.get("/pro/entreprises").await.csrf();
    let a = post(
        &mut admin,
        &format!("/pro/entreprises/{SIRET_VILLEURBANNE}"),
        &[("csrf", &csrf), ("decision", "opco"), ("opco", "OPCO EP")],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let mut other_opco = Browser::new(api.router());
    other_opco
        .get(&link_for(api.store(), "akto@exemple.fr", Role::Opco, Some("AKTO")).await)
        .await;
    let csrf = other_opco.get("/pro/entreprises").await.csrf();
    let refused = post(
        &mut other_opco,
        &format!("/pro/entreprises/{SIRET_VILLEURBANNE}"),
        &[("csrf", &csrf), ("decision", "valider")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "not its company");
    let mut opco = Browser::new(api.router());
    opco.get(&link_for(api.store(), "ep@exemple.fr", Role::Opco, Some("OPCO EP")).await)
        .await;
    let list = opco.get("/pro/entreprises").await;
    assert_eq!(
        list.texts("#entreprises tbody tr").len(),
        1,
        "only its own companies"
    );
    let csrf = list.csrf();
    let ok = post(
        &mut opco,
        &format!("/pro/entreprises/{SIRET_VILLEURBANNE}"),
        &[("csrf", &csrf), ("decision", "valider")],
    )
    .await;
    assert_eq!(
        ok.location.as_deref(),
        Some("/pro/entreprises?avis=decision")
    );
    assert!(
        matchas_eventually(&api, &id, true).await,
        "validated: its offer is published"
    );
    let actions: Vec<String> = api
        .store()
        .audit_log(10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"entreprise_validee".to_owned())
            && actions.contains(&"opco_modifie".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn an_establishment_of_education_is_sent_to_the_cfa_sign_up() {
    let api = Api::with_ops(lba_web::OpsState::default(), async |store| {
        let e = lba_core::establishment::Establishment {
            siret: lba_core::Siret::parse(SIRET_PARIS).unwrap(),
            is_demo: false,
            name: "LYCEE DES METIERS".into(),
            naf: Some(lba_core::NafCode::parse("8532Z").unwrap()),
            headcount: None,
            address: "1 rue de l'École".into(),
            postal_code: None,
            commune_insee: None,
            city: "Paris".into(),
            point: Some(lba_core::GeoPoint::new(48.85, 2.35).unwrap()),
        };
        store.upsert_establishments(&[e]).await.unwrap();
    })
    .await;
    let mut b = Browser::new(api.router());
    let fields = |siret: &'static str| sign_up("siret", siret, "dir@lycee.fr");
    let page = post(&mut b, "/pro/inscription/entreprise", &fields(SIRET_PARIS)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.texts("#siret-error")[0].contains("organisme de formation"));
    // SIRENE is loaded: a company absent from it is unknown (or closed).
    let page = post(&mut b, "/pro/inscription/entreprise", &fields(SIRET_LYON)).await;
    assert!(page.texts("#siret-error")[0].contains("ne trouvons pas"));
}

#[tokio::test]
async fn the_authorisation_matrix_of_the_pro_and_operator_routes() {
    let api = api_with_cfa().await;
    let mut a = recruiter(&api, SIRET_LYON, "marie@example.org").await;
    let offer = new_offer(&mut a).await;
    let other = recruiter(&api, SIRET_VILLEURBANNE, "paul@example.org").await;
    let mut opco = Browser::new(api.router());
    opco.get(&link_for(api.store(), "ep@exemple.fr", Role::Opco, Some("OPCO EP")).await)
        .await;
    let mut admin = Browser::new(api.router());
    admin.get(&admin_link(api.store()).await).await;
    let anonymous = Browser::new(api.router());
    let mut cfa = Browser::new(api.router());
    post(
        &mut cfa,
        "/pro/inscription/cfa",
        &sign_up("cfa", UAI, "direction@cecof.fr"),
    )
    .await;
    cfa.get(&link_of(api.store(), "direction@cecof.fr").await)
        .await;

    let offer_page = format!("/pro/offres/{offer}");
    let siret = lba_core::Siret::parse(SIRET_LYON).unwrap();
    let spontaneous =
        delivered_application(api.store(), lba_app::apply::Target::Company(siret)).await;
    let spontaneous_cv = format!("/pro/candidatures/{spontaneous}/cv");
    let admin_cfa = format!("/pro/admin/cfa/{UAI}");
    let gets: Vec<(&str, [u16; 6])> = vec![
        // anonymous, recruiter A, recruiter B, OPCO, admin, CFA
        ("/pro", [303, 200, 200, 200, 200, 200]),
        ("/pro/offres/nouvelle", [303, 200, 200, 403, 403, 200]),
        (offer_page.as_str(), [303, 200, 404, 404, 200, 404]),
        ("/pro/entreprises", [303, 403, 403, 200, 200, 403]),
        ("/pro/admin/comptes", [303, 403, 403, 403, 200, 403]),
        ("/pro/admin/journal", [303, 403, 403, 403, 200, 403]),
        ("/operateur/campagnes", [303, 403, 403, 403, 200, 403]),
        ("/operateur/cfa", [303, 403, 403, 403, 200, 403]),
        ("/pro/connexion", [200, 200, 200, 200, 200, 200]),
        (spontaneous_cv.as_str(), [303, 200, 404, 404, 404, 404]),
        ("/pro/admin/exclusions", [303, 403, 403, 403, 200, 403]),
        ("/pro/admin/cfa", [303, 403, 403, 403, 200, 403]),
        (admin_cfa.as_str(), [303, 403, 403, 403, 200, 403]),
    ];
    let mut all = [anonymous, a, other, opco, admin, cfa];
    for (uri, expected) in &gets {
        for (who, b) in all.iter_mut().enumerate() {
            let status = b.get(uri).await.status.as_u16();
            assert_eq!(status, expected[who], "GET {uri} as #{who}");
        }
    }
    // POSTs, each with the caller's own CSRF token.
    type Post<'a> = (String, Vec<(&'a str, &'a str)>, [u16; 6]);
    let posts: Vec<Post> = vec![
        (
            "/pro/offres".to_owned(),
            vec![("metier", "")],
            [303, 422, 422, 403, 403, 422],
        ),
        (
            format!("/pro/offres/{offer}/modifier"),
            vec![("action", "prolonger")],
            [303, 303, 404, 404, 303, 404],
        ),
        (
            format!("/pro/entreprises/{SIRET_LYON}"),
            vec![("decision", "desactiver")],
            [303, 403, 403, 404, 303, 403],
        ),
        (
            "/pro/cfa/adresse".to_owned(),
            vec![("contact_email", "demandes@cecof.fr")],
            [303, 403, 403, 403, 403, 303],
        ),
        (
            format!("{admin_cfa}/demandes"),
            vec![("action", "reprendre")],
            [303, 403, 403, 403, 303, 403],
        ),
        (
            "/pro/admin/exclusions".to_owned(),
            vec![("siret", "")],
            [303, 403, 403, 403, 422, 403],
        ),
        (
            format!("/pro/admin/exclusions/{SIRET_PARIS}/retirer"),
            vec![],
            [303, 403, 403, 403, 303, 403],
        ),
    ];
    for (uri, fields, expected) in &posts {
        for (who, b) in all.iter_mut().enumerate() {
            let token = if who == 0 {
                String::new()
            } else {
                b.get("/pro").await.csrf()
            };
            let mut f = fields.clone();
            f.push(("csrf", token.as_str()));
            let status = b.post(uri, &f).await.status.as_u16();
            assert_eq!(status, expected[who], "POST {uri} as #{who}");
        }
    }
}

const UAI: &str = "0010826T";

/// The fixture with one course of CFA `UAI` (a CFA of the real referential),
/// whose catalogue address is at cecof.fr.
async fn api_with_cfa() -> Api {
    Api::with_ops(lba_web::OpsState::default(), async |store| {
        let mut course = crate::fixture::formations().remove(0);
        course.id = "form-cecof".into();
        course.cfa_uai = Some(lba_core::Uai::parse(UAI).unwrap());
        course.email = Some("contact@cecof.fr".into());
        store.upsert_formations(&[course]).await.unwrap();
    })
    .await
}

#[tokio::test]
async fn a_cfa_signs_up_answers_a_request_sets_its_address_and_posts_an_offer_for_a_company() {
    let api = api_with_cfa().await;
    let mut b = Browser::new(api.router());
    let fields = |id: &'static str, email: &'static str| sign_up("cfa", id, email);
    let page = post(
        &mut b,
        "/pro/inscription/cfa",
        &fields("9999999Z", "a@cecof.fr"),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.texts("#cfa-error").len(), 1);
    let page = post(
        &mut b,
        "/pro/inscription/cfa",
        &fields(UAI, "direction@cecof.fr"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // One account per CFA.
    let again = post(
        &mut Browser::new(api.router()),
        "/pro/inscription/cfa",
        &fields(UAI, "autre@cecof.fr"),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    b.get(&link_of(api.store(), "direction@cecof.fr").await)
        .await;

    // A request arrives; the CFA opens it from its dashboard and answers.
    let request = lba_store::appointments::NewAppointment {
        id: "rdv1".into(),
        formation_id: "form-cecof".into(),
        course_title: "BTS Boulangerie Lyon".into(),
        cfa_name: "CECOF".into(),
        cfa_uai: Some(UAI.into()),
        cfa_email: "contact@cecof.fr".into(),
        referrer: "lba".into(),
        requester: "jeune".into(),
        first_name: "Léa".into(),
        last_name: "Clavier".into(),
        email: "lea@exemple.fr".into(),
        phone: "0601020304".into(),
        reasons: "modalites".into(),
        message: None,
        person_id: None,
        campaign_id: None,
        arm: None,
        created_at: Utc::now(),
    };
    api.store()
        .insert_appointment(&request, Utc::now() - TimeDelta::days(4), &[])
        .await
        .unwrap()
        .unwrap();
    let home = b.get("/pro").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    let link = {
        let s = scraper::Selector::parse("#demande-rdv1 a").unwrap();
        scraper::Html::parse_document(&home.body)
            .select(&s)
            .next()
            .and_then(|e| e.value().attr("href"))
            .unwrap()
            .to_owned()
    };
    let answer_page = b.get(&link).await;
    assert_eq!(answer_page.status, StatusCode::OK, "{}", answer_page.body);
    let csrf = answer_page.csrf();
    let answered = post(&mut b, &link, &[("csrf", &csrf), ("reponse", "telephone")]).await;
    assert!(
        answered.status.is_success() || answered.status.is_redirection(),
        "{}",
        answered.body
    );
    assert_eq!(
        b.get("/pro").await.texts("#demande-rdv1 td:last-child"),
        ["Rappelé par téléphone"]
    );

    // Its address and the opt-out.
    let csrf = b.get("/pro").await.csrf();
    let bad = post(
        &mut b,
        "/pro/cfa/adresse",
        &[("csrf", &csrf), ("contact_email", "pas une adresse")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.texts("#contact_email-error").len(), 1);
    post(
        &mut b,
        "/pro/cfa/adresse",
        &[("csrf", &csrf), ("contact_email", "demandes@cecof.fr")],
    )
    .await;
    let contact = api.store().cfa_contact(UAI).await.unwrap().unwrap();
    assert_eq!(contact.email.as_deref(), Some("demandes@cecof.fr"));
    post(
        &mut b,
        "/pro/cfa/demandes",
        &[("csrf", &csrf), ("action", "arreter")],
    )
    .await;
    assert!(
        api.store()
            .cfa_contact(UAI)
            .await
            .unwrap()
            .unwrap()
            .opted_out
    );

    // An offer for a company: published at once, marked, applications to the CFA.
    let csrf = b.get("/pro/offres/nouvelle").await.csrf();
    let mut form = offer_form(&csrf);
    form.push(("siret", SIRET_PARIS.to_owned()));
    let created = post_offer(&mut b, &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = created
        .location
        .unwrap()
        .split('/')
        .nth(3)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        api.store().offer_contact(&id).await.unwrap().as_deref(),
        Some("direction@cecof.fr")
    );
    let mut html = api.html(&format!("/offre/{id}")).await;
    for _ in 0..600 {
        if html.0 == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        html = api.html(&format!("/offre/{id}")).await;
    }
    let (status, html) = html;
    assert_eq!(
        status,
        StatusCode::OK,
        "the offer is searchable once the index is rebuilt"
    );
    let marked = scraper::Selector::parse("#publiee-par-cfa").unwrap();
    assert_eq!(
        html.select(&marked).count(),
        1,
        "the offer page says a CFA posted it"
    );
    // So does its card in the search results (once this node's index has
    // reloaded its offers, in the background).
    let tags = scraper::Selector::parse("#resultats-offres .fr-tag").unwrap();
    let mut marks = Vec::new();
    for _ in 0..600 {
        let (_, results) = api
            .html("/recherche?romes=D1102&metier=Boulanger&lieu=Paris&radius=30")
            .await;
        marks = results
            .select(&tags)
            .map(|t| t.text().collect::<String>())
            .filter(|t| t.starts_with("Publiée par le CFA"))
            .collect();
        if !marks.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(marks.len(), 1, "the card of the offer a CFA posted says so");
    assert_eq!(b.get("/pro").await.texts("#offres tbody tr").len(), 1);
    // An unknown company is refused next to the field.
    let mut form = offer_form(&csrf);
    form.push(("siret", crate::fixture::SIRET_UNKNOWN.to_owned()));
    let refused = post_offer(&mut b, &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.texts("#siret-error").len(), 1);
}

#[tokio::test]
async fn a_recruiter_hands_an_offer_to_a_nearby_cfa_which_opens_it_from_its_link() {
    let api = api_with_cfa().await;
    let mut b = recruiter(&api, SIRET_LYON, "marie@example.org").await;
    let id = new_offer(&mut b).await;
    let page = b.get(&format!("/pro/offres/{id}")).await;
    assert_eq!(
        page.texts(&format!("label[for=cfa-{UAI}]")).len(),
        1,
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let done = post(
        &mut b,
        &format!("/pro/offres/{id}/cfa"),
        &[("csrf", &csrf), ("cfa", UAI), ("cfa", "0000000X")],
    )
    .await;
    assert_eq!(
        done.location.as_deref(),
        Some(format!("/pro/offres/{id}?avis=transmise").as_str())
    );
    let handed = api.store().delegations_of_offer(&id).await.unwrap();
    assert_eq!(
        handed
            .iter()
            .map(|d| (d.cfa_uai.as_str(), d.email.as_str()))
            .collect::<Vec<_>>(),
        [(UAI, "contact@cecof.fr")],
        "unknown UAIs are ignored"
    );
    // Twice: nothing more.
    post(
        &mut b,
        &format!("/pro/offres/{id}/cfa"),
        &[("csrf", &csrf), ("cfa", UAI)],
    )
    .await;
    assert_eq!(
        api.store().delegations_of_offer(&id).await.unwrap().len(),
        1
    );
    assert_eq!(
        b.get(&format!("/pro/offres/{id}"))
            .await
            .texts("#cfa-contactes li")
            .len(),
        1
    );
    // Another company's recruiter cannot.
    let mut other = recruiter(&api, SIRET_VILLEURBANNE, "paul@example.org").await;
    let token = other.get("/pro").await.csrf();
    let refused = post(
        &mut other,
        &format!("/pro/offres/{id}/cfa"),
        &[("csrf", &token), ("cfa", UAI)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    // The CFA's link shows the offer and the recruiter's contact.
    let created = chrono::DateTime::from_timestamp_millis(handed[0].created_at).unwrap();
    let signature = key().sign(
        &lba_app::lba_notify::links::delegation_message(&id, UAI),
        created + lba_app::lba_notify::links::DELEGATION_LINK_VALIDITY,
    );
    let path = lba_app::lba_notify::links::delegation_path(&id, UAI, &signature);
    let page = Browser::new(api.router()).get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.texts("#contact li")
            .contains(&"marie@example.org".to_owned()),
        "{}",
        page.body
    );
    let forged = Browser::new(api.router())
        .get(&path.replace(UAI, "0010856A"))
        .await;
    assert_eq!(forged.status, StatusCode::GONE);
}

#[tokio::test]
async fn an_administrator_excludes_a_company_and_lets_it_back_in_audited() {
    let api = api().await;
    let mut admin = Browser::new(api.router());
    admin.get(&admin_link(api.store()).await).await;
    assert!(
        listed_eventually(&api, "lba", SIRET_VILLEURBANNE, true).await,
        "in the search before"
    );
    let csrf = admin.get("/pro/admin/exclusions").await.csrf();
    // Wrong fields, each named next to its field; nothing excluded.
    let wrong = post(
        &mut admin,
        "/pro/admin/exclusions",
        &[("csrf", &csrf), ("siret", "12345678901234"), ("reason", "")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong.texts("#siret-error"),
        ["Saisissez un SIRET valide (14 chiffres)."]
    );
    assert_eq!(
        wrong.texts("#reason-error"),
        ["Choisissez pourquoi l'entreprise est retirée."]
    );
    assert!(api.store().excluded_sirets().await.unwrap().is_empty());

    let done = post(
        &mut admin,
        "/pro/admin/exclusions",
        &[
            ("csrf", &csrf),
            ("siret", SIRET_VILLEURBANNE),
            ("reason", "blacklist"),
        ],
    )
    .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/pro/admin/exclusions?avis=exclue")
    );
    let page = admin.get("/pro/admin/exclusions?avis=exclue").await;
    assert_eq!(
        page.texts(&format!("#exclusion-{SIRET_VILLEURBANNE} td"))[..2],
        [
            SIRET_VILLEURBANNE.to_owned(),
            "Retirée par l'équipe".to_owned()
        ]
    );
    assert!(
        listed_eventually(&api, "lba", SIRET_VILLEURBANNE, false).await,
        "out of the search"
    );

    // Back in; a second time changes nothing.
    let uri = format!("/pro/admin/exclusions/{SIRET_VILLEURBANNE}/retirer");
    let back = post(&mut admin, &uri, &[("csrf", &csrf)]).await;
    assert_eq!(
        back.location.as_deref(),
        Some("/pro/admin/exclusions?avis=reintegree")
    );
    let again = post(&mut admin, &uri, &[("csrf", &csrf)]).await;
    assert_eq!(
        again.location.as_deref(),
        Some("/pro/admin/exclusions?avis=sans_effet")
    );
    assert!(api.store().excluded_sirets().await.unwrap().is_empty());
    let journal = admin.get("/pro/admin/journal").await;
    let body = journal.body;
    assert!(body.contains("entreprise_exclue"), "{body}");
    assert!(body.contains("entreprise_reintegree"), "{body}");
}

#[tokio::test]
async fn an_administrator_sets_the_address_and_the_opt_out_of_any_cfa() {
    let api = api_with_cfa().await;
    let mut admin = Browser::new(api.router());
    admin.get(&admin_link(api.store()).await).await;
    // Found by its UAI, whatever the case and spaces.
    let found = admin.get("/pro/admin/cfa?uai=+0010826t+").await;
    assert_eq!(found.location.as_deref(), Some("/pro/admin/cfa/0010826T"));
    let page = admin.get("/pro/admin/cfa/0010826T").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        admin.get("/pro/admin/cfa/9999999X").await.status,
        StatusCode::NOT_FOUND
    );
    let csrf = page.csrf();
    let base = format!("/pro/admin/cfa/{UAI}");
    let wrong = post(
        &mut admin,
        &format!("{base}/adresse"),
        &[("csrf", &csrf), ("contact_email", "pas une adresse")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong.texts("#contact_email-error"),
        ["Saisissez une adresse e-mail valide."]
    );
    let set = post(
        &mut admin,
        &format!("{base}/adresse"),
        &[("csrf", &csrf), ("contact_email", "accueil@cecof.fr")],
    )
    .await;
    assert_eq!(
        set.location.as_deref(),
        Some(format!("{base}?avis=adresse").as_str())
    );
    let stop = post(
        &mut admin,
        &format!("{base}/demandes"),
        &[("csrf", &csrf), ("action", "arreter")],
    )
    .await;
    assert_eq!(
        stop.location.as_deref(),
        Some(format!("{base}?avis=demandes").as_str())
    );
    let contact = api.store().cfa_contact(UAI).await.unwrap().unwrap();
    assert_eq!(
        (contact.email.as_deref(), contact.opted_out),
        (Some("accueil@cecof.fr"), true)
    );
    let page = admin.get(&base).await;
    assert_eq!(
        attr(&page.body, "#contact_email", "value"),
        ["accueil@cecof.fr"]
    );
    let journal = admin.get("/pro/admin/journal").await.body;
    assert!(journal.contains("cfa_adresse"), "{journal}");
    assert!(journal.contains("cfa_demandes_arretees"), "{journal}");
}
