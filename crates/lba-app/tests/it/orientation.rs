//! Orientation from the stored referentials and the local demo, on both
//! backends: the tables load, a place gives its département's or région's
//! figures and counts nearby opportunities from the index.

use std::path::PathBuf;

use chrono::NaiveDate;
use lba_app::demo::{self, DemoConfig, Scale};
use lba_app::orientation::{Orientation, Questionnaire};
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
        db.cleanup().await;
    }
}
