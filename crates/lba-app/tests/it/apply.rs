//! `lba_app::apply`: which targets of the local demo data take
//! applications (so that a local run can apply from its pages), the
//! field-only check the form uses, a submission to a demo offer, and the
//! quotas whatever the case of the candidate's address.

use std::path::PathBuf;

use chrono::{TimeDelta, Utc};
use lba_app::apply::{self, ApplicationInput, ApplyConfig, ApplyError, ApplyLimits, Field, Target};
use lba_app::demo::{self, DemoConfig};
use lba_app::lba_notify::LinkKey;
use lba_app::{NoProgress, import_referentials};
use lba_core::opportunity::{Company, OfferOrigin, RomeScore};
use lba_data::DataDir;
use lba_store::testing::TestDb;
use lba_store::testing::pro::{SIRET, bakery_place};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn input() -> ApplicationInput {
    ApplicationInput {
        first_name: "Jeanne".into(),
        last_name: "Martin".into(),
        email: "jeanne.martin@example.fr".into(),
        phone: "06 12 34 56 78".into(),
        message: String::new(),
        cv_name: "cv.pdf".into(),
        cv_bytes: PDF.to_vec(),
        caller: None,
        ip: None,
    }
}

#[test]
fn field_problems_lists_every_invalid_field_and_nothing_for_a_valid_input() {
    assert!(apply::field_problems(input()).is_empty());
    let bad = ApplicationInput {
        first_name: String::new(),
        email: "jeanne@yopmail.com".into(),
        cv_bytes: b"MZ".to_vec(),
        ..input()
    };
    let fields: Vec<Field> = apply::field_problems(bad)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(fields, vec![Field::FirstName, Field::Email, Field::Cv]);
}

#[tokio::test]
async fn demo_platform_offers_and_companies_with_an_email_take_applications() {
    for db in TestDb::all().await {
        let store = &db.store;
        let backend = db.backend();
        let dir = DataDir::resolve(Some(&PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data"
        ))))
        .unwrap();
        import_referentials(store, &dir, &NoProgress).await.unwrap();
        demo::generate(store, &DemoConfig::local_today(), &NoProgress)
            .await
            .unwrap();
        let now = Utc::now();

        let offers: Vec<_> = store
            .offers()
            .await
            .unwrap()
            .into_iter()
            .filter(|o| o.is_open(now))
            .collect();
        let platform: Vec<_> = offers
            .iter()
            .filter(|o| o.origin == OfferOrigin::Platform)
            .collect();
        assert!(
            platform.len() > 100,
            "{backend:?}: {} open platform offers",
            platform.len()
        );
        for o in platform.iter().take(20) {
            apply::accepts(store, &Target::Offer(o.id.clone()), now)
                .await
                .unwrap_or_else(|e| panic!("{backend:?} {}: {e}", o.id));
        }
        let imported = offers
            .iter()
            .find(|o| o.origin != OfferOrigin::Platform)
            .unwrap();
        match apply::accepts(store, &Target::Offer(imported.id.clone()), now).await {
            Err(ApplyError::NotAccepting(why)) => assert!(why.contains("site d'origine"), "{why}"),
            other => panic!("{backend:?}: {other:?}"),
        }

        let companies = store.companies().await.unwrap();
        let with_email = companies.iter().filter(|c| c.email.is_some()).count();
        assert!(
            with_email * 2 > companies.len(),
            "{backend:?}: {with_email} of {} demo companies have an email",
            companies.len()
        );
        let open = companies.iter().find(|c| c.email.is_some()).unwrap();
        apply::accepts(store, &Target::Company(open.siret.clone()), now)
            .await
            .unwrap();
        let closed = companies.iter().find(|c| c.email.is_none()).unwrap();
        match apply::accepts(store, &Target::Company(closed.siret.clone()), now).await {
            Err(ApplyError::NotAccepting(why)) => {
                assert!(why.contains("n'est pas connue"), "{why}")
            }
            other => panic!("{backend:?}: {other:?}"),
        }
        assert!(matches!(
            apply::accepts(store, &Target::Offer("nope".into()), now).await,
            Err(ApplyError::NotFound)
        ));

        // A submission to a demo offer is stored with its delivery job.
        let config = ApplyConfig {
            limits: ApplyLimits::default(),
            key: LinkKey::new(b"k"),
        };
        let target = Target::Offer(platform[0].id.clone());
        let id = apply::submit(store, &config, &target, input(), now)
            .await
            .unwrap();
        let a = store.application(&id).await.unwrap().unwrap();
        assert_eq!(
            a.recruiter_email.as_deref(),
            Some(format!("recrutement.{}@exemple.fr", platform[0].id).as_str())
        );
        let jobs = store.jobs_about(&id).await.unwrap();
        assert_eq!(jobs.len(), 1, "{backend:?}");
        db.cleanup().await;
    }
}

/// A company that takes spontaneous applications.
fn company() -> Company {
    Company {
        siret: SIRET.parse().unwrap(),
        is_demo: false,
        name: "BOULANGERIE DU PARC".into(),
        naf: None,
        headcount: None,
        place: bakery_place(),
        romes: vec![RomeScore {
            rome: "D1102".parse().unwrap(),
            score: 80,
        }],
        email: Some("recrutement@boulangerie-du-parc.fr".into()),
        phone: None,
        website: None,
    }
}

#[tokio::test]
async fn the_quotas_ignore_the_case_of_the_candidate_address() {
    for db in TestDb::all().await {
        let store = &db.store;
        let backend = db.backend();
        store.upsert_companies(&[company()]).await.unwrap();
        let config = ApplyConfig {
            limits: ApplyLimits {
                per_target: 3,
                per_day: 5,
                per_offer: 80,
            },
            key: LinkKey::new(b"k"),
        };
        let target = Target::Company(lba_core::ids::Siret::parse(SIRET).unwrap());
        let now = Utc::now();
        let as_ = |email: &str| ApplicationInput {
            email: email.into(),
            ..input()
        };
        let mut ids = Vec::new();
        for _ in 0..3 {
            ids.push(
                apply::submit(store, &config, &target, as_("case@example.org"), now)
                    .await
                    .unwrap(),
            );
        }
        // The same mailbox written differently is the same candidate.
        for email in ["Case@example.org", "cAse@example.org", "CASE@EXAMPLE.ORG"] {
            match apply::submit(store, &config, &target, as_(email), now).await {
                Err(ApplyError::TooManyForTarget(3)) => {}
                other => panic!("{backend:?} {email}: {other:?}"),
            }
        }
        let counts = store
            .quota_counts(
                "case@example.org",
                "company",
                SIRET,
                now - TimeDelta::days(1),
            )
            .await
            .unwrap();
        assert_eq!(
            counts.target_total, 3,
            "{backend:?}: 3 applications, no more"
        );
        let jobs: usize = {
            let mut n = 0;
            for id in &ids {
                n += store.jobs_about(id).await.unwrap().len();
            }
            n
        };
        assert_eq!(jobs, 3, "{backend:?}: 3 recruiter emails, no more");
        // The address is kept as typed: it is what the emails go to.
        let a = store.application(&ids[0]).await.unwrap().unwrap();
        assert_eq!(a.email.as_deref(), Some("case@example.org"));

        // The daily quota (5 here) counts across targets the same way.
        store
            .upsert_companies(&[Company {
                siret: "51234567800019".parse().unwrap(),
                ..company()
            }])
            .await
            .unwrap();
        let other = Target::Company(lba_core::ids::Siret::parse("51234567800019").unwrap());
        for email in ["Case@Example.org", "CASE@example.org"] {
            apply::submit(store, &config, &other, as_(email), now)
                .await
                .unwrap();
        }
        match apply::submit(store, &config, &other, as_("case@example.org"), now).await {
            Err(ApplyError::TooManyToday(5)) => {}
            other => panic!("{backend:?}: {other:?}"),
        }
        db.cleanup().await;
    }
}

/// An offer posted in the pro space closes itself at its quota of
/// applications (80 by default; 3 here), with the reason in its history.
#[tokio::test]
async fn a_pro_offer_closes_itself_when_its_quota_of_applications_is_reached() {
    use lba_core::opportunity::OfferStatus;
    use lba_store::testing::pro as testing;
    for db in TestDb::all().await {
        let store = &db.store;
        let backend = db.backend();
        let now = Utc::now();
        let offer = testing::offer(
            "offre-pro",
            OfferStatus::Active,
            now,
            now + TimeDelta::days(60),
        );
        let pro = testing::pro_offer("u1");
        store
            .insert_pro_offer(&offer, &pro, "rh@boulangerie.fr", 0, &[], None)
            .await
            .unwrap();
        let config = ApplyConfig {
            limits: ApplyLimits {
                per_target: 1,
                per_day: 5,
                per_offer: 3,
            },
            key: LinkKey::new(b"k"),
        };
        let target = Target::Offer("offre-pro".into());
        for i in 0..3 {
            assert_eq!(
                store.offer("offre-pro").await.unwrap().unwrap().status,
                OfferStatus::Active
            );
            let input = ApplicationInput {
                email: format!("candidat{i}@example.org"),
                ..input()
            };
            apply::submit(store, &config, &target, input, now)
                .await
                .unwrap();
        }
        assert_eq!(
            store.offer("offre-pro").await.unwrap().unwrap().status,
            OfferStatus::Closed,
            "{backend:?}"
        );
        let last = store
            .pro_offer_history("offre-pro")
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(
            (last.status.as_str(), last.note.as_deref()),
            ("closed", Some("quota_candidatures"))
        );
        db.cleanup().await;
    }
}
