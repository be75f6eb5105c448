//! Campaigns end to end on the store (both backends): arms stored before
//! anything is sent and stable, the control arm gets nothing, minors reach
//! a parent, launch is idempotent after a crash, invalid templates are
//! refused with their field, previews, and report counts.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use lba_app::Search;
use lba_app::campaigns::{self, CampaignError, ContentConfig, LaunchOptions};
use lba_campaign::{CampaignSpec, Person, Source, Wish, WishKind, WishStatus};
use lba_core::geo::GeoPoint;
use lba_core::ids::Siret;
use lba_core::opportunity::{
    Company, ContractType, Formation, Offer, OfferOrigin, OfferStatus, Place, RomeScore,
};
use lba_store::Store;
use lba_store::campaigns::CampaignStatus;
use lba_store::testing::TestDb;
use serde_json::json;

const LYON: (f64, f64) = (45.764, 4.8357);
const PEOPLE: usize = 40;

pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap()
}

pub(crate) fn cfg() -> ContentConfig {
    ContentConfig {
        public_url: "https://lba.test".into(),
        link_key: b"campaign-test-key".to_vec(),
    }
}

fn place(lat: f64, lon: f64, city: &str) -> Place {
    Place {
        address: "12 rue des Lilas".into(),
        postal_code: None,
        commune_insee: None,
        city: city.into(),
        point: GeoPoint::new(lat, lon).unwrap(),
    }
}

fn formation() -> Formation {
    Formation {
        id: "F-1".into(),
        is_demo: false,
        title: "CAP Boulanger".into(),
        diploma_title: "CAP".into(),
        cfd: None,
        rncp: None,
        level: Some(lba_core::DiplomaLevel::new(3).unwrap()),
        romes: vec!["D1102".parse().unwrap()],
        cfa_uai: None,
        cfa_siret: None,
        cfa_name: "CFA des Métiers de Lyon".into(),
        place: place(LYON.0 + 0.01, LYON.1, "Lyon"),
        sessions: Vec::new(),
        duration_months: None,
        capacity: None,
        distance_learning: false,
        email: Some("contact@cfa.test".into()),
        phone: Some("04 72 00 00 00".into()),
        onisep_url: None,
    }
}

fn siret(n: u64) -> Siret {
    let base = format!("{:013}", 1_000_000_000_000 + n);
    (0..10)
        .map(|d| format!("{base}{d}"))
        .find_map(|s| s.parse::<Siret>().ok())
        .unwrap()
}

fn company(n: u64, lat: f64, lon: f64) -> Company {
    Company {
        siret: siret(n),
        is_demo: false,
        name: format!("Boulangerie {n}").into(),
        naf: None,
        headcount: None,
        place: place(lat, lon, "Villeurbanne"),
        romes: vec![RomeScore {
            rome: "D1102".parse().unwrap(),
            score: 80,
        }],
        email: None,
        phone: None,
        website: None,
    }
}

fn offer() -> Offer {
    Offer {
        id: "O-1".into(),
        is_demo: false,
        origin: OfferOrigin::Platform,
        status: OfferStatus::Active,
        title: "Apprenti boulanger".into(),
        appellation_ogr: None,
        rome: "D1102".parse().unwrap(),
        description: String::new(),
        contract_types: vec![ContractType::Apprentissage],
        level: None,
        start_date: None,
        duration_months: None,
        company_siret: None,
        company_name: "Au bon pain".into(),
        company_naf: None,
        company_headcount: None,
        place: place(LYON.0, LYON.1 + 0.02, "Lyon"),
        published_at: now() - Duration::days(3),
        // The index drops offers expired at the real clock.
        expires_at: now().max(Utc::now()) + Duration::days(60),
        apply_url: None,
    }
}

/// Person `i`: every 4th is a minor with parent contacts, every 10th has no
/// contact at all, every 7th has no linked course.
pub(crate) fn person(i: usize) -> Person {
    let minor = i % 4 == 1;
    let silent = i % 10 == 9;
    let unlinked = i % 7 == 3;
    let email = |s: &str| Some(lba_core::Email::parse(s).unwrap());
    let mobile = |s: &str| Some(lba_core::PhoneNumber::parse(s).unwrap());
    Person {
        id: format!("parcoursup:{i:03}"),
        source: Source::Parcoursup,
        candidate_id: format!("{i:03}"),
        first_name: format!("Prénom{i}"),
        last_name: "Martin".into(),
        birth_date: Some(if minor {
            NaiveDate::from_ymd_opt(2010, 5, 5).unwrap()
        } else {
            NaiveDate::from_ymd_opt(2005, 5, 5).unwrap()
        }),
        email: (!silent)
            .then(|| email(&format!("jeune{i}@exemple.fr")))
            .flatten(),
        mobile: (!silent)
            .then(|| mobile(&format!("06123456{:02}", i % 100)))
            .flatten(),
        parent_email: (minor && !silent)
            .then(|| email(&format!("Parent{i}@Exemple.fr")))
            .flatten(),
        parent_mobile: (minor && !silent)
            .then(|| mobile(&format!("07123456{:02}", i % 100)))
            .flatten(),
        postal_code: Some("69001".into()),
        commune_insee: Some("69381".into()),
        departement: Some(if i.is_multiple_of(2) { "69" } else { "01" }.into()),
        region: Some("84".into()),
        home: Some(GeoPoint::new(LYON.0, LYON.1).unwrap()),
        school_uai: None,
        class: None,
        apprenticeship_only: true,
        wishes: vec![Wish {
            key: "cle:F-1".into(),
            position: 0,
            course_key: Some("F-1".into()),
            parcoursup_id: None,
            cfa_uai: None,
            cfa_siret: None,
            cfd: None,
            formation_id: (!unlinked).then(|| "F-1".into()),
            linked_cfa_uai: None,
            level: Some(3),
            kind: WishKind::Apprentissage,
            status: WishStatus::EnAttente,
            contract_signed: false,
        }],
    }
}

pub(crate) fn spec() -> CampaignSpec {
    serde_json::from_value(json!({
        "name": "Printemps",
        "segment": {"apprenticeship_only": true},
        "channels": ["email", "sms"],
        "audience": "parent_if_minor",
        "arms": [
            {"name": "controle", "share": 20, "control": true},
            {"name": "a", "share": 40, "templates": {
                "email_subject": "{{ prenom }}, ton CFA t'attend",
                "email_text": "Bonjour ({{ destinataire }}). Contacte {{ cfa.nom }} : {{ cfa.lien }}\n{% for e in entreprises %}- {{ e.nom }} à {{ e.distance_km }} km : {{ e.lien }}\n{% endfor %}{% for o in offres %}* {{ o.titre }} ({{ o.entreprise }}) : {{ o.lien }}\n{% endfor %}Recherche : {{ lien_recherche }}",
                "email_html": "<p>Bonjour {{ prenom }}</p><a href=\"{{ lien_recherche }}\">Chercher</a>",
                "sms": "{{ prenom }}, contacte {{ cfa.nom }} : {{ cfa.lien }}"}},
            {"name": "b", "share": 40, "templates": {
                "email_subject": "Des entreprises recrutent",
                "email_text": "{% for e in entreprises %}{{ e.nom }} {{ e.lien }}\n{% endfor %}",
                "sms": "Trouve ton entreprise : {{ lien_recherche }}"}}
        ]
    }))
    .unwrap()
}

pub(crate) async fn seed(store: &Store) -> Search {
    store.upsert_formations(&[formation()]).await.unwrap();
    store
        .upsert_companies(&[
            company(1, LYON.0 + 0.02, LYON.1),
            company(2, LYON.0 + 0.05, LYON.1),
            company(3, LYON.0 + 0.08, LYON.1),
            company(4, LYON.0 + 0.1, LYON.1),
            // Paris: out of reach.
            company(5, 48.85, 2.35),
        ])
        .await
        .unwrap();
    store.upsert_offers(&[offer()]).await.unwrap();
    store
        .upsert_people(&(0..PEOPLE).map(person).collect::<Vec<_>>())
        .await
        .unwrap();
    Search::load(store).await.unwrap()
}

async fn scalar(store: &Store, sql: &str, bind: &str) -> i64 {
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar(sql)
            .bind(bind)
            .fetch_one(pool)
            .await
            .unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(sql)
            .bind(bind)
            .fetch_one(pool)
            .await
            .unwrap(),
    }
}

pub(crate) async fn execute(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(pool) => {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
        Store::Postgres(pool) => {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
    }
}

pub(crate) type MessageRow = (i64, String, String, String, String, String, String);

pub(crate) async fn messages(store: &Store, id: &str) -> Vec<MessageRow> {
    let sql = "SELECT id, person_id, channel, recipient_kind, arm, recipient, body_text \
               FROM campaign_messages WHERE campaign_id = $1 ORDER BY id";
    match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).bind(id).fetch_all(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_as(sql).bind(id).fetch_all(pool).await.unwrap(),
    }
}

#[tokio::test]
async fn arms_are_stored_first_and_launch_is_idempotent_after_a_crash() {
    for db in TestDb::all().await {
        let store = &db.store;
        let search = seed(store).await;
        let id = campaigns::create(store, &spec(), now()).await.unwrap();
        assert_eq!(
            store.campaign(&id).await.unwrap().unwrap().status,
            CampaignStatus::Draft
        );

        // Assignment: every targeted person, stored, stable.
        let report = campaigns::assign(store, &cfg().link_key, &id, now())
            .await
            .unwrap();
        assert_eq!(report.total, PEOPLE as u64);
        assert_eq!(report.new, PEOPLE as u64);
        assert_eq!(report.arms.len(), 3);
        assert!(report.arms[0].control && report.arms[0].mde.is_none());
        assert!(report.arms[1].people > 0 && report.arms[1].mde.is_some());
        let first = store.assignments(&id).await.unwrap();
        assert_eq!(first.len(), PEOPLE);
        let again = campaigns::assign(store, &cfg().link_key, &id, now())
            .await
            .unwrap();
        assert_eq!(again.new, 0);
        assert_eq!(store.assignments(&id).await.unwrap(), first);
        // Frozen once assigned.
        assert!(matches!(
            campaigns::update(store, &id, &spec(), now()).await,
            Err(CampaignError::WrongStatus { .. })
        ));

        // A crash after the first transaction: some messages, not launched.
        let options = LaunchOptions {
            chunk: 5,
            max_chunks: Some(1),
        };
        let partial = campaigns::launch_with(store, &search, &cfg(), &id, now(), options)
            .await
            .unwrap();
        assert!(!partial.complete);
        assert!(partial.new >= 5, "{partial:?}");
        let after_crash = messages(store, &id).await;
        assert_eq!(after_crash.len() as u64, partial.new);
        assert_eq!(
            store.campaign(&id).await.unwrap().unwrap().status,
            CampaignStatus::Assigned
        );

        let full = campaigns::launch(store, &search, &cfg(), &id, now())
            .await
            .unwrap();
        assert!(full.complete, "{full:?}");
        assert_eq!(full.errors, 0, "{:?}", full.issues);
        let all = messages(store, &id).await;
        assert_eq!(full.total, all.len() as u64);
        assert_eq!(full.new + partial.new, full.total);
        // Messages written before the crash are untouched.
        assert_eq!(&all[..after_crash.len()], &after_crash[..]);
        let campaign = store.campaign(&id).await.unwrap().unwrap();
        assert_eq!(campaign.status, CampaignStatus::Launched);
        assert_eq!(campaign.launched_at, Some(now()));
        // One job per message, due at the start.
        let jobs = store.jobs_about(&id).await.unwrap();
        assert_eq!(jobs.len(), all.len());
        assert!(jobs.iter().all(|j| j.kind == "campaign_message"
            && j.status == "pending"
            && j.next_attempt_at == now().timestamp_millis()));

        // Launching again changes nothing.
        let rerun = campaigns::launch(store, &search, &cfg(), &id, now())
            .await
            .unwrap();
        assert_eq!((rerun.new, rerun.total), (0, full.total));
        assert_eq!(store.jobs_about(&id).await.unwrap().len(), all.len());

        // The control arm gets nothing; everyone else with an address does.
        let arm_of: std::collections::HashMap<String, String> = first
            .iter()
            .map(|a| (a.person_id.clone(), a.arm.clone()))
            .collect();
        assert!(all.iter().all(|m| m.4 != "controle"));
        assert_eq!(full.control, report.arms[0].people);
        for i in 0..PEOPLE {
            let p = person(i);
            let mine: Vec<&MessageRow> = all.iter().filter(|m| m.1 == p.id).collect();
            let arm = &arm_of[&p.id];
            if arm == "controle" || p.email.is_none() {
                assert!(mine.is_empty(), "{} ({arm})", p.id);
                continue;
            }
            assert_eq!(mine.len(), 2, "{}: {mine:?}", p.id);
            for m in mine {
                assert_eq!(&m.4, arm);
                // Minors → a parent, adults → themselves.
                let expected = if p.is_minor_on(now().date_naive()) {
                    "parent"
                } else {
                    "young"
                };
                assert_eq!(m.3, expected, "{}", p.id);
                if m.2 == "sms" {
                    assert!(m.6.ends_with("STOP au 36111"), "{}", m.6);
                    assert!(m.5.starts_with("+33"), "{}", m.5);
                } else if expected == "parent" {
                    assert_eq!(m.5.to_lowercase(), format!("parent{i}@exemple.fr"));
                }
            }
        }
        // Every link in a body is tracked and stored.
        let links = scalar(
            store,
            "SELECT COUNT(*) FROM campaign_links l JOIN campaign_messages m ON m.id = l.message_id \
             WHERE m.campaign_id = $1",
            &id,
        )
        .await;
        let in_bodies: usize = all
            .iter()
            .map(|m| m.6.matches("https://lba.test/c/").count())
            .sum();
        assert!(links > 0);
        assert!(links as usize <= in_bodies, "{links} {in_bodies}");
        assert!(
            !all.iter()
                .any(|m| m.6.contains("https://lba.test/formation"))
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn invalid_templates_are_refused_at_create_with_their_field() {
    let db = TestDb::sqlite().await;
    let mut bad = spec();
    bad.arms[2].templates.sms = Some("{{ prenom }} {{ nom_de_famille }}".into());
    match campaigns::create(&db.store, &bad, now()).await {
        Err(CampaignError::Invalid(e)) => {
            assert_eq!(e.field, "arms[2].templates.sms");
            assert!(e.message.contains("nom_de_famille"), "{}", e.message);
        }
        other => panic!("{other:?}"),
    }
    assert!(db.store.campaigns().await.unwrap().is_empty());
    let id = campaigns::create(&db.store, &spec(), now()).await.unwrap();
    let mut bad = spec();
    bad.arms[1].templates.email_subject = Some("{% if %}".into());
    match campaigns::update(&db.store, &id, &bad, now()).await {
        Err(CampaignError::Invalid(e)) => assert_eq!(e.field, "arms[1].templates.email_subject"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        campaigns::update(&db.store, "nope", &spec(), now()).await,
        Err(CampaignError::NotFound)
    ));
}

#[tokio::test]
async fn preview_shows_personalised_texts_with_tracked_links_and_sms_length() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    let search = seed(store).await;
    let s = spec();
    let adult = person(0);
    let p = campaigns::preview(store, &search, &cfg(), &s, &adult.id, "a", now())
        .await
        .unwrap();
    assert_eq!(p.messages.len(), 2, "{p:?}");
    let email = &p.messages[0];
    assert_eq!((email.channel, email.recipient_kind), ("email", "young"));
    assert_eq!(email.subject.as_deref(), Some("Prénom0, ton CFA t'attend"));
    let text = &email.body_text;
    assert!(
        text.contains("Contacte CFA des Métiers de Lyon : https://lba.test/c/"),
        "{text}"
    );
    // The 3 nearest companies within 30 km, nearest first; not Paris.
    assert!(text.contains("- Boulangerie 1 à 2.2 km"), "{text}");
    assert!(text.contains("Boulangerie 3"), "{text}");
    assert!(
        !text.contains("Boulangerie 4") && !text.contains("Boulangerie 5"),
        "{text}"
    );
    assert!(
        text.contains("* Apprenti boulanger (Au bon pain)"),
        "{text}"
    );
    // cfa + 3 companies + offer + search.
    assert_eq!(email.links.len(), 6, "{:?}", email.links);
    let kinds: Vec<&str> = email.links.iter().map(|l| l.kind.as_str()).collect();
    for kind in ["recherche", "cfa", "entreprise", "offre"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
    let search_link = email.links.iter().find(|l| l.kind == "recherche").unwrap();
    assert!(
        search_link
            .target
            .starts_with("https://lba.test/recherche?metier=CAP+Boulanger&romes=D1102&lieu=69001"),
        "{}",
        search_link.target
    );
    let company_link = email.links.iter().find(|l| l.kind == "entreprise").unwrap();
    assert!(
        company_link
            .target
            .starts_with("https://lba.test/entreprise/")
    );
    assert!(
        email
            .body_html
            .as_deref()
            .unwrap()
            .contains("Bonjour Prénom0")
    );
    let sms = &p.messages[1];
    assert_eq!((sms.channel, sms.recipient_kind), ("sms", "young"));
    assert!(
        sms.body_text
            .starts_with("Prénom0, contacte CFA des Métiers de Lyon : https://lba.test/c/")
    );
    assert!(sms.body_text.ends_with("STOP au 36111"));
    let length = sms.sms.unwrap();
    assert_eq!(length.segments, 1);
    assert_eq!(length.units, sms.body_text.chars().count());

    // Minor: the parent.
    let minor = person(1);
    let p = campaigns::preview(store, &search, &cfg(), &s, &minor.id, "a", now())
        .await
        .unwrap();
    assert!(p.messages.iter().all(|m| m.recipient_kind == "parent"));
    assert!(p.messages[0].body_text.starts_with("Bonjour (parent)"));

    // No linked course: generic wording and the search link.
    let unlinked = person(3);
    let p = campaigns::preview(store, &search, &cfg(), &s, &unlinked.id, "a", now())
        .await
        .unwrap();
    let text = &p.messages[0].body_text;
    assert!(
        text.contains("Contacte le CFA de ton vœu : https://lba.test/c/"),
        "{text}"
    );
    assert!(p.messages[0].links.iter().all(|l| l.kind == "recherche"));

    // Control arm: nothing, with a note.
    let p = campaigns::preview(store, &search, &cfg(), &s, &adult.id, "controle", now())
        .await
        .unwrap();
    assert!(p.messages.is_empty());
    assert!(p.notes[0].contains("témoin"));
    // Unknown person or arm: errors naming the parameter.
    match campaigns::preview(store, &search, &cfg(), &s, "nope", "a", now()).await {
        Err(CampaignError::Invalid(e)) => assert_eq!(e.field, "person"),
        other => panic!("{other:?}"),
    }
    match campaigns::preview(store, &search, &cfg(), &s, &adult.id, "z", now()).await {
        Err(CampaignError::Invalid(e)) => assert_eq!(e.field, "arm"),
        other => panic!("{other:?}"),
    }
    // Sample people carry no contact data.
    let sample = campaigns::sample_people(store, &s, 5).await.unwrap();
    assert_eq!(sample.len(), 5);
    assert!(sample.iter().all(|(_, label)| !label.contains('@')
        && !label.contains("+33")
        && !label.contains("Martin")));
}

#[tokio::test]
async fn preview_warns_when_a_text_mixes_tu_and_vous_and_the_sample_spec_does_not() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    let search = seed(store).await;
    let mut mixed = spec();
    mixed.arms[1].templates.email_text =
        Some("Tu as demandé une formation. Des entreprises près de chez vous recrutent.".into());
    let p = campaigns::preview(store, &search, &cfg(), &mixed, &person(0).id, "a", now())
        .await
        .unwrap();
    let warnings: Vec<&String> = p.notes.iter().filter(|n| n.contains("mélange")).collect();
    assert_eq!(warnings.len(), 1, "{:?}", p.notes);
    assert!(
        warnings[0].contains("le texte de l'e-mail au jeune")
            && warnings[0].contains("« tu »")
            && warnings[0].contains("« vous »"),
        "{}",
        warnings[0]
    );

    // The sample specification of the README: one register per recipient,
    // for a young adult (tu) and the parent of a minor (vous), in each arm.
    let sample: CampaignSpec = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/campagne-exemple.json"
    )))
    .unwrap();
    for arm in ["cfa", "entreprises"] {
        for (who, recipient) in [(person(0), "young"), (person(1), "parent")] {
            let p = campaigns::preview(store, &search, &cfg(), &sample, &who.id, arm, now())
                .await
                .unwrap();
            assert!(!p.messages.is_empty());
            assert!(p.messages.iter().all(|m| m.recipient_kind == recipient));
            assert!(
                p.notes.iter().all(|n| !n.contains("mélange")),
                "{arm} {recipient}: {:?}",
                p.notes
            );
        }
    }
}

#[tokio::test]
async fn an_sms_too_long_for_one_person_is_reported_without_stopping_the_launch() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    let search = seed(store).await;
    let mut s = spec();
    s.sending.sms_max_segments = 1;
    s.arms[1].templates.sms = Some(
        "{{ prenom }} : {% for e in entreprises %}{{ e.nom }} {{ e.lien }} {% endfor %}".into(),
    );
    let id = campaigns::create(store, &s, now()).await.unwrap();
    let report = campaigns::launch(store, &search, &cfg(), &id, now())
        .await
        .unwrap();
    assert!(report.complete);
    assert!(report.errors > 0);
    assert!(
        report.issues[0].reason.contains("SMS de 2 parties"),
        "{:?}",
        report.issues
    );
    assert_eq!(report.issues[0].channel, "sms");
    assert!(report.total > 0);
}

#[tokio::test]
async fn pause_resume_and_report_counts() {
    for db in TestDb::all().await {
        let store = &db.store;
        let search = seed(store).await;
        let mut s = spec();
        let start = now() + Duration::days(1);
        s.start_at = Some(start);
        let id = campaigns::create(store, &s, now()).await.unwrap();
        assert!(matches!(
            campaigns::pause(store, &id, "", now()).await,
            Err(CampaignError::WrongStatus { .. })
        ));
        let launched = campaigns::launch(store, &search, &cfg(), &id, now())
            .await
            .unwrap();
        assert_eq!(launched.not_before, start);

        campaigns::pause(store, &id, "", now()).await.unwrap();
        let c = store.campaign(&id).await.unwrap().unwrap();
        assert_eq!(c.status, CampaignStatus::Paused);
        assert_eq!(
            c.pause_reason.as_deref(),
            Some("mise en pause par un opérateur")
        );
        assert!(matches!(
            campaigns::launch(store, &search, &cfg(), &id, now()).await,
            Err(CampaignError::WrongStatus { .. })
        ));
        // The worker pushed the jobs of the paused campaign later; resumed
        // after the start, they are due again at once.
        execute(
            store,
            &format!(
                "UPDATE outbox SET next_attempt_at = {} WHERE subject = '{id}'",
                (start + Duration::days(10)).timestamp_millis()
            ),
        )
        .await;
        let later = start + Duration::hours(2);
        campaigns::resume(store, &id, later).await.unwrap();
        let c = store.campaign(&id).await.unwrap().unwrap();
        assert_eq!((c.status, c.pause_reason), (CampaignStatus::Launched, None));
        let jobs = store.jobs_about(&id).await.unwrap();
        assert!(!jobs.is_empty());
        assert!(
            jobs.iter()
                .all(|j| j.next_attempt_at == later.timestamp_millis())
        );
        campaigns::pause(store, &id, "test", later).await.unwrap();
        let much_later = start + Duration::days(1);
        // Jobs already due stay as they are.
        campaigns::resume(store, &id, much_later).await.unwrap();
        assert!(
            store
                .jobs_about(&id)
                .await
                .unwrap()
                .iter()
                .all(|j| j.next_attempt_at == later.timestamp_millis())
        );
        assert!(matches!(
            campaigns::resume(store, &id, much_later).await,
            Err(CampaignError::WrongStatus { .. })
        ));

        // Events and applications by hand.
        let all = messages(store, &id).await;
        let a: Vec<&MessageRow> = all.iter().filter(|m| m.4 == "a").collect();
        // Two e-mails (they carry the search link) of two people.
        let emails: Vec<&&MessageRow> = a.iter().filter(|m| m.2 == "email").collect();
        assert!(emails.len() >= 2);
        let (m1, m2) = (emails[0].0, emails[1].0);
        let ts = "2026-03-03T12:00:00Z";
        let ts = match store {
            Store::Sqlite(_) => format!("'{ts}'"),
            Store::Postgres(_) => format!("TIMESTAMPTZ '{ts}'"),
        };
        execute(
            store,
            &format!("UPDATE campaign_messages SET status = 'sent' WHERE id IN ({m1}, {m2})"),
        )
        .await;
        for (m, kind, detail) in [
            (m1, "delivered", "NULL".to_owned()),
            (m2, "delivered", "NULL".to_owned()),
            (m2, "bounced", "NULL".to_owned()),
            (m1, "clicked", "'x'".to_owned()),
            (m1, "unsubscribed", "NULL".to_owned()),
            (m1, "stop", "NULL".to_owned()),
        ] {
            execute(
                store,
                &format!(
                    "INSERT INTO message_events (message_id, kind, detail, created_at) \
                     VALUES ({m}, '{kind}', {detail}, {ts})"
                ),
            )
            .await;
        }
        // A click on the search link of m2 as `/c/{code}` records it (the
        // link's kind as detail), and one on m1's named by its code.
        execute(
            store,
            &format!(
                "INSERT INTO message_events (message_id, kind, detail, created_at) \
                 VALUES ({m2}, 'clicked', 'recherche', {ts})"
            ),
        )
        .await;
        execute(
            store,
            &format!(
                "INSERT INTO message_events (message_id, kind, detail, created_at) \
                 SELECT message_id, 'clicked', code, {ts} FROM campaign_links \
                 WHERE message_id = {m1} AND kind = 'recherche'"
            ),
        )
        .await;
        // Applications: one by a person of arm a (upper case), one before the launch.
        let person_of = |m: i64| all.iter().find(|x| x.0 == m).unwrap().1.clone();
        let applicant = person(
            person_of(m1)
                .trim_start_matches("parcoursup:")
                .parse()
                .unwrap(),
        );
        let address = applicant
            .parent_email
            .clone()
            .or(applicant.email.clone())
            .unwrap()
            .as_str()
            .to_uppercase();
        for (n, when) in [
            (1, now() + Duration::hours(1)),
            (2, now() - Duration::days(5)),
        ] {
            store
                .insert_application(
                    &lba_store::applications::NewApplication {
                        id: format!("app-{n}"),
                        target_kind: "company".into(),
                        target_id: "1".into(),
                        target_title: "x".into(),
                        company_name: "x".into(),
                        recruiter_email: "r@exemple.fr".into(),
                        first_name: "x".into(),
                        last_name: "x".into(),
                        email: address.clone(),
                        phone: "+33612345678".into(),
                        message: None,
                        cv_name: "cv.pdf".into(),
                        cv_mime: "application/pdf".into(),
                        cv_bytes: vec![1],
                        caller: None,
                        ip_hash: None,
                        created_at: when,
                    },
                    &[],
                )
                .await
                .unwrap();
        }

        // Learning modules: two people of arm a start one, one finishes it.
        for (person, done) in [("p-a", true), ("p-b", false)] {
            let learner = lba_store::learning::Learner {
                key: format!("p:{person}"),
                person_id: Some(person.into()),
                campaign_id: Some(id.clone()),
                arm: Some("a".into()),
            };
            let p = store
                .learning_start(&learner, "contact-cfa", 1, "appel", now())
                .await
                .unwrap();
            if done {
                store
                    .learning_answer(&learner, &p, "a", true, now())
                    .await
                    .unwrap();
                store.learning_continue(&p, None, now()).await.unwrap();
            }
        }

        let report = campaigns::report(store, &id).await.unwrap();
        assert_eq!(report.status, CampaignStatus::Launched);
        assert_eq!(
            (
                report.arms[1].module_starts,
                report.arms[1].module_completions
            ),
            (2, 1)
        );
        assert_eq!(report.arms[0].module_starts, 0);
        assert_eq!(report.arms.len(), 3);
        let control = &report.arms[0];
        assert!(control.control);
        assert_eq!(control.counts.messages, 0);
        assert!(control.counts.targeted > 0);
        let arm_a = &report.arms[1];
        assert_eq!(arm_a.arm, "a");
        assert_eq!(arm_a.counts.messages, a.len() as i64);
        assert_eq!(arm_a.counts.sent, 2);
        assert_eq!(arm_a.counts.delivered, 2);
        assert_eq!(arm_a.counts.bounced, 1);
        assert_ne!(person_of(m1), person_of(m2));
        assert_eq!(arm_a.counts.clicked, 2);
        assert_eq!(arm_a.counts.unsubscribed, 1);
        assert_eq!(arm_a.counts.searches, 2);
        assert_eq!(arm_a.counts.applications, 1);
        assert!(arm_a.mde.is_some());
        let arm_b = &report.arms[2];
        assert_eq!(
            (
                arm_b.counts.sent,
                arm_b.counts.clicked,
                arm_b.counts.applications
            ),
            (0, 0, 0)
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["arms"][1]["searches"], 2);
        assert_eq!(json["status"], "launched");

        campaigns::finish(store, &id, much_later).await.unwrap();
        assert_eq!(
            store.campaign(&id).await.unwrap().unwrap().status,
            CampaignStatus::Done
        );
        assert!(matches!(
            campaigns::finish(store, &id, much_later).await,
            Err(CampaignError::WrongStatus { .. })
        ));
        assert!(matches!(
            campaigns::resume(store, &id, much_later).await,
            Err(CampaignError::WrongStatus { .. })
        ));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_list_has_the_report_totals_of_every_campaign() {
    for db in TestDb::all().await {
        let store = &db.store;
        let search = seed(store).await;
        let draft = campaigns::create(store, &spec(), now()).await.unwrap();
        let launched = campaigns::create(store, &spec(), now() + Duration::seconds(1))
            .await
            .unwrap();
        let assigned = campaigns::create(store, &spec(), now() + Duration::seconds(2))
            .await
            .unwrap();
        campaigns::launch(store, &search, &cfg(), &launched, now())
            .await
            .unwrap();
        campaigns::assign(store, &cfg().link_key, &assigned, now())
            .await
            .unwrap();
        let sent = messages(store, &launched).await;
        execute(
            store,
            &format!(
                "UPDATE campaign_messages SET status = 'sent' WHERE id IN ({}, {})",
                sent[0].0, sent[1].0
            ),
        )
        .await;

        let list = campaigns::list(store).await.unwrap();
        let ids: Vec<&str> = list.iter().map(|s| s.campaign.id.as_str()).collect();
        assert_eq!(ids, [&assigned, &launched, &draft], "{:?}", db.backend());
        for s in &list {
            let report = campaigns::report(store, &s.campaign.id).await.unwrap();
            let sum = |f: fn(&campaigns::ArmReport) -> i64| report.arms.iter().map(f).sum::<i64>();
            assert_eq!(
                (s.targeted, s.messages, s.sent),
                (
                    sum(|a| a.counts.targeted),
                    sum(|a| a.counts.messages),
                    sum(|a| a.counts.sent)
                ),
                "{} {:?}",
                s.campaign.id,
                db.backend()
            );
            assert_eq!(s.campaign.status, report.status);
        }
        assert_eq!((list[2].targeted, list[2].messages), (0, 0));
        assert!(list[0].targeted > 0 && list[0].messages == 0);
        assert_eq!(list[1].sent, 2);
        assert_eq!(list[1].messages, sent.len() as i64);
        assert!(
            campaigns::find(store, "nope").await.unwrap().is_none()
                && campaigns::find(store, &draft).await.unwrap().is_some()
        );
    }
}

#[tokio::test]
async fn the_parcours_variables_are_tracked_links_to_the_learning_modules() {
    let db = TestDb::sqlite().await;
    let store = &db.store;
    let search = seed(store).await;
    let mut s = spec();
    s.arms[1].templates.email_text = Some(
        "Prépare ton appel : {{ parcours.contact_cfa }}\nEntretien : {{ parcours.entretien }}"
            .into(),
    );
    let p = campaigns::preview(store, &search, &cfg(), &s, &person(0).id, "a", now())
        .await
        .unwrap();
    let email = &p.messages[0];
    assert!(
        email
            .body_text
            .contains("Prépare ton appel : https://lba.test/c/"),
        "{}",
        email.body_text
    );
    let targets: Vec<(&str, &str)> = email
        .links
        .iter()
        .filter(|l| l.kind == "parcours")
        .map(|l| (l.kind.as_str(), l.target.as_str()))
        .collect();
    assert_eq!(
        targets,
        [
            ("parcours", "https://lba.test/parcours/contact-cfa"),
            ("parcours", "https://lba.test/parcours/entretien"),
        ]
    );
}
