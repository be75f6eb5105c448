//! The orientation experiment's records and counts, on both backends.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use lba_store::learning::Learner;
use lba_store::orientation::{FollowUpKind, NewView};
use lba_store::testing::TestDb;

fn t(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap() + TimeDelta::minutes(minute)
}

fn view(visitor: &str, method: &str, presentation: &str) -> NewView {
    NewView {
        visitor_key: visitor.into(),
        method: method.into(),
        presentation: presentation.into(),
        query_key: "1,14,27|0|4|69123".into(),
        interests: "1,14,27".into(),
        ordered: false,
        level: Some(4),
        commune_insee: Some("69123".into()),
        departement: Some("69".into()),
        suggestions: vec![(1, "F1703".into(), 0.8), (2, "H2909".into(), 0.7)],
        ..NewView::default()
    }
}

#[tokio::test]
async fn views_suggestions_follow_ups_and_counts_per_arm() {
    for db in TestDb::all().await {
        let store = &db.store;
        let a = store
            .orientation_record_view(&view("v:a", "avenir", "avec_tension"), t(0))
            .await
            .unwrap();
        // A reload within the window finds the view; later, or another
        // questionnaire, does not.
        assert_eq!(
            store
                .orientation_recent_view("v:a", "1,14,27|0|4|69123", t(-30))
                .await
                .unwrap(),
            Some(a)
        );
        assert_eq!(
            store
                .orientation_recent_view("v:a", "1,14,27|0|4|69123", t(1))
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .orientation_recent_view("v:a", "2|0||", t(-30))
                .await
                .unwrap(),
            None
        );
        let s = store.orientation_suggestion(a, 2).await.unwrap().unwrap();
        assert_eq!(
            (
                s.visitor_key.as_str(),
                s.rome.as_str(),
                s.commune_insee.as_deref()
            ),
            ("v:a", "H2909", Some("69123"))
        );
        assert_eq!(store.orientation_suggestion(a, 3).await.unwrap(), None);
        assert_eq!(store.orientation_suggestion(a + 99, 1).await.unwrap(), None);

        let b = store
            .orientation_record_view(&view("v:b", "interets", "sans_tension"), t(1))
            .await
            .unwrap();
        let b2 = store
            .orientation_record_view(&view("v:b", "interets", "sans_tension"), t(50))
            .await
            .unwrap();
        assert_ne!(b, b2);
        store
            .orientation_follow_up(a, FollowUpKind::Fiche, Some((1, "F1703")), t(2))
            .await
            .unwrap();
        store
            .orientation_follow_up(a, FollowUpKind::Search, Some((1, "F1703")), t(3))
            .await
            .unwrap();
        store
            .orientation_follow_up(a, FollowUpKind::Search, Some((2, "H2909")), t(4))
            .await
            .unwrap();
        store
            .orientation_follow_up(b2, FollowUpKind::Application, None, t(60))
            .await
            .unwrap();
        assert_eq!(
            store.orientation_latest_view("v:b", t(0)).await.unwrap(),
            Some(b2)
        );
        assert_eq!(
            store.orientation_latest_view("v:b", t(51)).await.unwrap(),
            None
        );
        // A module started after the results counts; one started before
        // does not.
        let learner = |key: &str| Learner {
            key: key.into(),
            ..Learner::default()
        };
        store
            .learning_start(&learner("v:a"), "entretien", 1, "s1", t(5))
            .await
            .unwrap();
        store
            .learning_start(&learner("v:b"), "entretien", 1, "s1", t(0))
            .await
            .unwrap();

        let counts = store.orientation_arm_counts().await.unwrap();
        assert_eq!(counts.len(), 2);
        let avenir = &counts[0];
        assert_eq!(
            (avenir.method.as_str(), avenir.presentation.as_str()),
            ("avenir", "avec_tension")
        );
        assert_eq!(
            (
                avenir.visitors,
                avenir.views,
                avenir.suggestions,
                avenir.fiche_visitors,
                avenir.search_visitors,
                avenir.clicks,
                avenir.module_visitors,
                avenir.application_visitors
            ),
            (1, 1, 2, 1, 1, 3, 1, 0)
        );
        let interets = &counts[1];
        assert_eq!(interets.method, "interets");
        assert_eq!(
            (
                interets.visitors,
                interets.views,
                interets.suggestions,
                interets.clicks,
                interets.module_visitors,
                interets.application_visitors
            ),
            (1, 2, 4, 0, 0, 1)
        );
        db.cleanup().await;
    }
}
