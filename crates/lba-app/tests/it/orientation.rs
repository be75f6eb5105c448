//! Orientation from the stored referentials and the local demo, on both
//! backends: the tables load, a place gives its département's or région's
//! figures and counts nearby opportunities from the index.

use std::path::PathBuf;

use chrono::NaiveDate;
use chrono::Utc;
use lba_app::demo::{self, DemoConfig, Scale};
use lba_app::lba_notify::LinkKey;
use lba_app::learning::Learner;
use lba_app::orientation::{
    Orientation, Questionnaire, ResultsError, ResultsInput, application_sent, assign, results,
};
use lba_app::{NoProgress, Search, import_referentials};
use lba_core::geo::GeoPoint;
use lba_data::DataDir;
use lba_search::orientation::{Area, Method, Reason};
use lba_store::testing::TestDb;

fn shared_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

#[tokio::test]
async fn a_questionnaire_near_lyon_on_the_stored_data() {
    let dir = DataDir::resolve(Some(&shared_data())).unwrap();
    for db in TestDb::all().await {
        let backend = db.backend();
        import_referentials(&db.store, &dir, &NoProgress)
            .await
            .unwrap();
        let config = DemoConfig {
            scale: Scale::Local,
            seed: 3,
            reference_date: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        };
        demo::generate(&db.store, &config, &NoProgress)
            .await
            .unwrap();
        let search = Search::load(&db.store).await.unwrap();
        let orientation = Orientation::load(&db.store).await.unwrap();
        assert_eq!(orientation.centres().len(), 30, "{backend:?}");
        assert!(
            orientation.centres()[0]
                .label
                .starts_with("J'ai envie de créer")
        );

        let index = search.snapshot();
        let lyon = GeoPoint::new(45.764, 4.8357).unwrap();
        let questionnaire = Questionnaire {
            interests: vec![1, 14, 27],
            ordered: true,
            point: Some(lyon),
            level: Some(3),
            method: Method::Avenir,
        };
        let proposals = orientation.propose(&index, &questionnaire).unwrap();
        let place = proposals.place.as_ref().unwrap();
        assert_eq!(
            (place.departement.as_str(), place.region.as_str()),
            ("69", "84")
        );
        assert_eq!(proposals.suggestions.len(), 10, "{backend:?}");
        for s in &proposals.suggestions {
            let figure = s.tension.as_ref().unwrap();
            assert!(
                matches!(&figure.area, Area::Departement(d) if d == "69")
                    || matches!(&figure.area, Area::Region(r) if r == "84"),
                "{figure:?}"
            );
            assert!(s.opportunities.is_some());
        }
        // The demo has courses around Lyon: some suggestion counts them.
        assert!(
            proposals.suggestions.iter().any(|s| s
                .reasons
                .iter()
                .any(|r| matches!(r, Reason::Opportunities(c) if c.courses > 0))),
            "{backend:?}: {:?}",
            proposals.suggestions
        );
        // No place: national figures, no counts.
        let national = orientation
            .propose(
                &index,
                &Questionnaire {
                    point: None,
                    ..questionnaire.clone()
                },
            )
            .unwrap();
        assert_eq!(national.place, None);
        assert!(
            national
                .suggestions
                .iter()
                .all(|s| s.opportunities.is_none()
                    && s.tension.as_ref().is_none_or(|t| t.area == Area::National))
        );
        // In the Atlantic: no commune near, treated as no place.
        let at_sea = GeoPoint::new(45.0, -15.0).unwrap();
        let lost = orientation
            .propose(
                &index,
                &Questionnaire {
                    point: Some(at_sea),
                    ..questionnaire
                },
            )
            .unwrap();
        assert_eq!(lost.place, None);

        // The pages' use case: ranked with the visitor's method, recorded
        // with what it showed; an application afterwards is a follow-up.
        let key = LinkKey::new(b"test key");
        let visitor = Learner::new("0123456789abcdef0123456789abcdef", None);
        let input = ResultsInput {
            interests: vec![1, 14, 27],
            ordered: false,
            insee: Some("69123".into()),
            level: Some(3),
        };
        let now = Utc::now();
        let view = results(&db.store, &search, &key, &visitor, &input, now)
            .await
            .unwrap();
        assert_eq!(view.arm, assign(&key, visitor.key()));
        assert_eq!(view.suggestions.len(), 10, "{backend:?}");
        assert_eq!(view.place.as_ref().unwrap().departement, "Rhône");
        let codes: Vec<&str> = view.suggestions.iter().map(|s| s.code.as_str()).collect();
        let expected = orientation
            .propose(
                &index,
                &Questionnaire {
                    interests: vec![1, 14, 27],
                    ordered: false,
                    point: index.places.get("69123").map(|h| h.point),
                    level: Some(3),
                    method: view.arm.method,
                },
            )
            .unwrap();
        let expected: Vec<&str> = expected
            .suggestions
            .iter()
            .map(|s| s.code.as_str())
            .collect();
        assert_eq!(codes, expected, "the visitor's method ranks the page");
        let stored = db
            .store
            .orientation_suggestion(view.view_id, 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.rome, codes[0]);
        assert!(application_sent(&db.store, &visitor, now).await.unwrap());
        let stranger = Learner::new("fedcba9876543210fedcba9876543210", None);
        assert!(!application_sent(&db.store, &stranger, now).await.unwrap());
        let bad = ResultsInput {
            insee: Some("00000".into()),
            ..input.clone()
        };
        assert!(matches!(
            results(&db.store, &search, &key, &visitor, &bad, now).await,
            Err(ResultsError::UnknownCommune(_))
        ));
        let counts = db.store.orientation_arm_counts().await.unwrap();
        assert_eq!(counts.len(), 1);
        assert_eq!((counts[0].views, counts[0].application_visitors), (1, 1));

        // Pages shown at the same time are committed together (one writer),
        // each with its own id and its ten métiers, none lost.
        let pages = (0..40).map(|i| {
            let (store, search, key, input) = (&db.store, &search, &key, &input);
            async move {
                let visitor = Learner::new(&format!("{i:032x}"), None);
                results(store, search, key, &visitor, input, now).await
            }
        });
        let views = futures_util::future::join_all(pages).await;
        let mut ids = std::collections::BTreeSet::new();
        for view in views {
            let view = view.unwrap();
            assert!(ids.insert(view.view_id), "one id per page");
            let tenth = db
                .store
                .orientation_suggestion(view.view_id, 10)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(tenth.rome, view.suggestions[9].code);
        }
        let counts = db.store.orientation_arm_counts().await.unwrap();
        assert_eq!(
            counts.iter().map(|c| c.views).sum::<i64>(),
            41,
            "{backend:?}"
        );
        db.cleanup().await;
    }
}
