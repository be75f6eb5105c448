//! Operator campaign pages: create (errors next to the field, 422), list,
//! live preview fragment, launch with confirmation, pause/resume, report.

use axum::http::StatusCode;
use chrono::NaiveDate;
use lba_campaign::{Person, Source, Wish, WishKind, WishStatus};
use lba_core::contact::{Email, PhoneNumber};

use crate::fixture::Api;
use crate::operator_auth::{Client, ops};

/// Six apprenticeship-only people in the Rhône (two minors with a parent).
fn people() -> Vec<Person> {
    (1..=6)
        .map(|i| {
            let minor = i <= 2;
            Person {
                id: Person::id_for(Source::Parcoursup, &format!("C{i}")),
                source: Source::Parcoursup,
                candidate_id: format!("C{i}"),
                first_name: format!("Prénom{i}"),
                last_name: format!("Nom{i}"),
                birth_date: Some(if minor {
                    NaiveDate::from_ymd_opt(2015, 3, 1).unwrap()
                } else {
                    NaiveDate::from_ymd_opt(2005, 3, 1).unwrap()
                }),
                email: Some(Email::parse(&format!("jeune{i}@exemple.fr")).unwrap()),
                mobile: Some(PhoneNumber::parse(&format!("063998123{i}")).unwrap()),
                parent_email: minor
                    .then(|| Email::parse(&format!("parent{i}@exemple.fr")).unwrap()),
                parent_mobile: None,
                postal_code: Some("69001".into()),
                commune_insee: Some("69381".into()),
                departement: Some("69".into()),
                region: Some("84".into()),
                home: None,
                school_uai: None,
                class: None,
                apprenticeship_only: true,
                wishes: vec![Wish {
                    key: format!("cle:{i}"),
                    position: 0,
                    course_key: None,
                    parcoursup_id: None,
                    cfa_uai: None,
                    cfa_siret: None,
                    cfd: None,
                    formation_id: None,
                    linked_cfa_uai: None,
                    level: Some(3),
                    kind: WishKind::Apprentissage,
                    status: WishStatus::EnAttente,
                    contract_signed: false,
                }],
            }
        })
        .collect()
}

pub(crate) async fn api() -> Api {
    Api::with_ops(ops(), async |store| {
        store.upsert_people(&people()).await.unwrap();
    })
    .await
}

/// A valid form: control 20 %, variants a and b, e-mail and SMS.
fn form(csrf: &str) -> Vec<(&'static str, String)> {
    [
        ("csrf", csrf),
        ("name", "Printemps 2027"),
        ("segment.apprenticeship_only", "on"),
        ("segment.departements", "69"),
        ("channels", "email"),
        ("channels", "sms"),
        ("audience", "parent_if_minor"),
        ("arms[0].name", "controle"),
        ("arms[0].share", "20"),
        ("arms[0].control", "on"),
        ("arms[1].name", "a"),
        ("arms[1].share", "40"),
        (
            "arms[1].templates.email_subject",
            "{{ prenom }}, votre alternance",
        ),
        (
            "arms[1].templates.email_text",
            "Bonjour {{ prenom }}, cherchez ici : {{ lien_recherche }}",
        ),
        (
            "arms[1].templates.sms",
            "Bonjour {{ prenom }}, trouvez une entreprise : {{ lien_recherche }}",
        ),
        ("arms[2].name", "b"),
        ("arms[2].share", "40"),
        ("arms[2].templates.email_subject", "Votre contrat"),
        (
            "arms[2].templates.email_text",
            "Contactez les entreprises : {{ lien_recherche }}",
        ),
        (
            "arms[2].templates.sms",
            "Salut {{ prenom }} ! Les entreprises t'attendent",
        ),
        ("arms[3].name", ""),
        ("arms[3].share", ""),
        ("start_at", ""),
        ("sending.rate_per_second", "20"),
        ("sending.max_consecutive_errors", "20"),
        ("sending.sms_max_segments", "2"),
        ("cap.max_messages", "2"),
        ("cap.window_days", "7"),
    ]
    .iter()
    .map(|(k, v)| (*k, (*v).to_owned()))
    .collect()
}

fn with(
    mut form: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    form.retain(|(k, _)| *k != key);
    form.push((key, value.to_owned()));
    form
}

fn refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Signs in and returns the client with a CSRF token.
pub(crate) async fn operator(api: &Api) -> (Client, String) {
    let mut c = Client::signed_in(api).await;
    let token = c.get("/operateur/campagnes/nouvelle").await.csrf();
    (c, token)
}

/// Creates the campaign of [`form`]; returns its page path.
pub(crate) async fn create(c: &mut Client, token: &str) -> String {
    let a = c.post("/operateur/campagnes", &refs(&form(token))).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    a.location.unwrap()
}

#[tokio::test]
async fn an_invalid_template_is_refused_next_to_its_field_keeping_the_input() {
    let api = api().await;
    let (mut c, token) = operator(&api).await;
    let bad = with(form(&token), "arms[2].templates.sms", "Salut {{ inconnu }}");
    let a = c.post("/operateur/campagnes", &refs(&bad)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = a.texts("#f-arm2-sms ~ .fr-error-text");
    assert_eq!(errors.len(), 1, "{}", a.body);
    assert!(errors[0].contains("inconnu"), "{errors:?}");
    assert!(
        a.texts("#erreur-formulaire")
            .join(" ")
            .contains("arms[2].templates.sms")
    );
    // What was typed comes back.
    assert_eq!(a.texts("#f-arm2-sms"), ["Salut {{ inconnu }}"]);
    let html = a.html();
    let name = scraper::Selector::parse("#f-name").unwrap();
    assert_eq!(
        html.select(&name).next().unwrap().value().attr("value"),
        Some("Printemps 2027")
    );
    // Shares not adding up to 100: the arms fieldset says so.
    let bad = with(form(&token), "arms[1].share", "50");
    let a = c.post("/operateur/campagnes", &refs(&bad)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.texts("#f-arms-error")[0].contains("110 %"));
    // A share that is not a number names its field.
    let bad = with(form(&token), "arms[1].share", "quarante");
    let a = c.post("/operateur/campagnes", &refs(&bad)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.texts("#f-arm1-share ~ .fr-error-text")[0].contains("nombre entier"));
    // Nothing was saved.
    assert!(api.store().campaigns().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_valid_campaign_is_created_and_listed() {
    let api = api().await;
    let (mut c, token) = operator(&api).await;
    let page = create(&mut c, &token).await;
    assert!(page.starts_with("/operateur/campagnes/"), "{page}");
    let list = c.get("/operateur/campagnes").await;
    assert_eq!(list.status, StatusCode::OK);
    let rows = list.texts("#campagnes tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].contains("Printemps 2027") && rows[0].contains("brouillon"),
        "{rows:?}"
    );
    let show = c.get(&page).await;
    assert_eq!(show.status, StatusCode::OK);
    assert_eq!(show.texts("h1"), ["Printemps 2027"]);
    let arms = show.texts("#bras tbody tr");
    assert_eq!(arms.len(), 3);
    assert!(
        arms[0].contains("controle (témoin)") && arms[0].contains("20 %"),
        "{arms:?}"
    );

    // A draft can be edited: the form comes back filled, the change is saved.
    let id = page.rsplit('/').next().unwrap().to_owned();
    let edit = c.get(&format!("{page}/modifier")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(
        edit.texts("#f-arm2-sms"),
        ["Salut {{ prenom }} ! Les entreprises t'attendent"]
    );
    let renamed = with(form(&token), "name", "Printemps 2027 (bis)");
    let a = c.post(&format!("{page}/modifier"), &refs(&renamed)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let stored = api.store().campaign(&id).await.unwrap().unwrap();
    assert_eq!(stored.name, "Printemps 2027 (bis)");
}

#[tokio::test]
async fn the_preview_fragment_shows_the_rendered_sms_and_its_parts() {
    let api = api().await;
    let (mut c, token) = operator(&api).await;
    let mut f = form(&token);
    f.push(("apercu.person", "parcoursup:C3".into()));
    f.push(("apercu.arm", "b".into()));
    let a = c.post("/operateur/campagnes/apercu", &refs(&f)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(!a.body.contains("<html"), "a fragment, not a page");
    let sms = a.texts(".lba-op-sms");
    assert_eq!(sms.len(), 1, "{}", a.body);
    assert!(
        sms[0].starts_with("Salut Prénom3 ! Les entreprises t'attendent"),
        "{sms:?}"
    );
    assert!(sms[0].contains("STOP"), "{sms:?}");
    let length = a.texts(".lba-op-sms-length");
    // The apostrophe ’ is not typed: GSM-7, one part.
    assert_eq!(length.len(), 1);
    assert!(length[0].contains("1 SMS"), "{length:?}");
    assert!(length[0].contains("GSM-7"), "{length:?}");
    assert_eq!(a.texts(".lba-op-subject"), ["Votre contrat"]);
    // The picker lists the sample and keeps the choice.
    let selected = a.texts("#apercu-personne option[selected]");
    assert_eq!(selected.len(), 1);
    assert_eq!(a.texts("#apercu-bras option"), ["a", "b"]);

    // A long SMS: its part count is shown (Unicode, several parts).
    let long = "Très long message avec des emojis 🎓 ".repeat(4);
    let f2 = with(
        with(form(&token), "arms[1].templates.sms", &long),
        "sending.sms_max_segments",
        "5",
    );
    let mut f2 = f2;
    f2.push(("apercu.arm", "a".into()));
    let a = c.post("/operateur/campagnes/apercu", &refs(&f2)).await;
    let length = a.texts(".lba-op-sms-length");
    assert!(
        length
            .iter()
            .any(|l| l.contains("Unicode") && l.contains("3 SMS")),
        "{length:?} {}",
        a.body
    );

    // An invalid form: the fragment says why, nothing crashes.
    let bad = with(form(&token), "arms[1].templates.sms", "{{ nope }}");
    let a = c.post("/operateur/campagnes/apercu", &refs(&bad)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.texts(".fr-alert--error")[0].contains("arms[1].templates.sms"));

    // Without JavaScript: the « Prévisualiser » button re-renders the page
    // with the preview, and saves nothing.
    let mut f3 = form(&token);
    f3.push(("action", "apercu".into()));
    let a = c.post("/operateur/campagnes", &refs(&f3)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.texts("h1"), ["Nouvelle campagne"]);
    assert_eq!(a.texts(".lba-op-sms").len(), 1, "{}", a.body);
    assert!(api.store().campaigns().await.unwrap().is_empty());
}

#[tokio::test]
async fn launch_needs_confirmation_then_enqueues_and_pause_resume_work() {
    let api = api().await;
    let (mut c, token) = operator(&api).await;
    let page = create(&mut c, &token).await;
    let id = page.rsplit('/').next().unwrap().to_owned();

    let a = c.post(&format!("{page}/lancer"), &[("csrf", &token)]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.texts("#avis")[0].contains("confirmation"));
    assert_eq!(
        api.store()
            .campaign(&id)
            .await
            .unwrap()
            .unwrap()
            .status
            .as_str(),
        "draft"
    );

    // Arms first, without sending: the report shows sizes and the MDE.
    let a = c
        .post(&format!("{page}/attribuer"), &[("csrf", &token)])
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(
        a.texts("#avis")[0].contains("6 personnes ciblées"),
        "{}",
        a.body
    );
    assert!(a.texts("#statut")[0].contains("bras attribués"));
    let rows = a.texts("#rapport tbody tr");
    assert_eq!(rows.len(), 3);
    let targeted: u64 = a
        .texts("#rapport tbody td:first-of-type")
        .iter()
        .map(|n| n.parse::<u64>().unwrap())
        .sum();
    // The minimum detectable effect is known for the variants.
    let mde = a.texts("#rapport tbody td:last-of-type");
    assert!(
        mde.iter().filter(|m| m.ends_with("pts")).count() >= 1,
        "{mde:?}"
    );
    assert_eq!(targeted, 6, "{rows:?}");

    let a = c
        .post(
            &format!("{page}/lancer"),
            &[("csrf", &token), ("confirmation", "oui")],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let notice = a.texts("#avis").join(" ");
    assert!(
        notice.starts_with("Campagne lancée : 6 personnes"),
        "{notice}"
    );
    let stored = api.store().campaign(&id).await.unwrap().unwrap();
    assert_eq!(stored.status.as_str(), "launched");
    let report = lba_app::campaigns::report(api.store(), &id).await.unwrap();
    let report = serde_json::to_value(&report).unwrap();
    let messages: u64 = report["arms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["messages"].as_u64().unwrap_or(0))
        .sum();
    assert!(messages > 0, "{report}");

    // The list counts people and messages.
    let list = c.get("/operateur/campagnes").await;
    let cells = list.texts("#campagnes tbody td");
    assert_eq!(cells[3], "6", "{cells:?}");
    assert_eq!(cells[4], messages.to_string(), "{cells:?}");
    assert_eq!(cells[5], "0", "nothing sent without a worker: {cells:?}");

    let show = c.get(&page).await;
    assert!(show.texts("#statut")[0].contains("lancée"));
    let rows = show.texts("#rapport tbody tr");
    assert_eq!(rows.len(), 3, "{}", show.body);
    assert!(rows.iter().any(|r| r.starts_with("controle")));
    let heads = show.texts("#rapport thead th");
    for h in [
        "Ciblés",
        "Envoyés",
        "Délivrés",
        "Rejetés",
        "Cliqueurs",
        "Désinscrits",
        "Recherches",
        "Candidatures",
    ] {
        assert!(heads.iter().any(|x| x == h), "{h} missing from {heads:?}");
    }
    // Launched: no more editing nor launching.
    assert!(show.texts("#lancer").is_empty());
    assert_eq!(
        c.get(&format!("{page}/modifier")).await.status,
        StatusCode::CONFLICT
    );

    // Pause needs a reason.
    let a = c
        .post(
            &format!("{page}/pause"),
            &[("csrf", &token), ("raison", " ")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = c
        .post(
            &format!("{page}/pause"),
            &[("csrf", &token), ("raison", "Erreur dans le texte")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let stored = api.store().campaign(&id).await.unwrap().unwrap();
    assert_eq!(stored.status.as_str(), "paused");
    assert_eq!(stored.pause_reason.as_deref(), Some("Erreur dans le texte"));
    let show = c.get(&page).await;
    assert!(show.texts("#raison-pause")[0].contains("Erreur dans le texte"));
    assert_eq!(show.texts("#reprise button"), ["Reprendre les envois"]);

    let a = c
        .post(&format!("{page}/reprise"), &[("csrf", &token)])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(
        api.store()
            .campaign(&id)
            .await
            .unwrap()
            .unwrap()
            .status
            .as_str(),
        "launched"
    );
    // Resuming twice is refused with a French message.
    let a = c
        .post(&format!("{page}/reprise"), &[("csrf", &token)])
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    // An unknown campaign: 404.
    assert_eq!(
        c.get("/operateur/campagnes/inconnue").await.status,
        StatusCode::NOT_FOUND
    );
}
