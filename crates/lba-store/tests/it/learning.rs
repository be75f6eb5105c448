//! Learning-module progress, answers and statistics, on both backends.

use chrono::{DateTime, TimeZone, Utc};
use lba_store::learning::Learner;
use lba_store::testing::TestDb;

fn t(m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 10, m, s).unwrap()
}

fn visitor(key: &str) -> Learner {
    Learner {
        key: key.into(),
        ..Learner::default()
    }
}

#[tokio::test]
async fn progress_answers_continue_and_restart() {
    for db in TestDb::all().await {
        let store = &db.store;
        let who = visitor("v:1");
        assert_eq!(store.learning_progress("v:1", "m").await.unwrap(), None);
        let p = store
            .learning_start(&who, "m", 2, "s1", t(0, 0))
            .await
            .unwrap();
        assert_eq!((p.attempt, p.version), (1, 2));
        assert_eq!(p.current_situation, "s1");
        assert!(
            store
                .learning_answer(&who, &p, "b", false, t(1, 0))
                .await
                .unwrap()
        );
        // A second answer while the feedback is shown is refused.
        assert!(
            !store
                .learning_answer(&who, &p, "a", true, t(1, 1))
                .await
                .unwrap()
        );
        let p = store.learning_progress("v:1", "m").await.unwrap().unwrap();
        assert_eq!(p.pending_answer.as_deref(), Some("b"));
        assert!(
            store
                .learning_continue(&p, Some("s1-bis"), t(2, 0))
                .await
                .unwrap()
        );
        assert!(
            !store
                .learning_continue(&p, Some("s1-bis"), t(2, 0))
                .await
                .unwrap()
        );
        let p = store.learning_progress("v:1", "m").await.unwrap().unwrap();
        assert_eq!(
            (p.current_situation.as_str(), p.pending_answer.as_deref()),
            ("s1-bis", None)
        );
        assert!(
            store
                .learning_answer(&who, &p, "a", true, t(3, 0))
                .await
                .unwrap()
        );
        let p = store.learning_progress("v:1", "m").await.unwrap().unwrap();
        assert!(store.learning_continue(&p, None, t(4, 0)).await.unwrap());
        let done = store.learning_progress("v:1", "m").await.unwrap().unwrap();
        assert_eq!(done.completed_at, Some(t(4, 0)));
        // Restart: a new attempt; old answers are kept; the same situation
        // answered again is no longer a first try.
        let again = store
            .learning_start(&who, "m", 2, "s1", t(5, 0))
            .await
            .unwrap();
        assert_eq!(again.attempt, 2);
        assert!(
            store
                .learning_answer(&who, &again, "a", true, t(6, 0))
                .await
                .unwrap()
        );
        let answers = store.learning_answers("v:1", "m").await.unwrap();
        assert_eq!(answers.len(), 3, "{:?}", db.store.backend());
        assert!(answers[0].first_try && !answers[0].correct);
        assert_eq!(answers[0].version, 2);
        assert_eq!(answers[2].attempt, 2);
        assert!(!answers[2].first_try);
        let all = store.learning_progress_all("v:1").await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].attempt, 2);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn statistics_per_version_situation_and_arm() {
    for db in TestDb::all().await {
        let store = &db.store;
        // Learner 1 completes v1 in 4 minutes; learner 2 stops on s2
        // (feedback of s1 read); learner 3 stops on s1 without answering;
        // learner 4 (campaign c1, arm a) completes; learner 5 is on v2.
        for (key, campaign) in [
            ("v:1", None),
            ("v:2", None),
            ("v:3", None),
            ("p:4", Some("c1")),
        ] {
            let who = Learner {
                key: key.into(),
                person_id: campaign.map(|_| "4".to_owned()),
                campaign_id: campaign.map(str::to_owned),
                arm: campaign.map(|_| "a".to_owned()),
            };
            let p = store
                .learning_start(&who, "m", 1, "s1", t(0, 0))
                .await
                .unwrap();
            if key == "v:3" {
                continue;
            }
            let right = key != "v:2";
            store
                .learning_answer(&who, &p, if right { "a" } else { "b" }, right, t(1, 0))
                .await
                .unwrap();
            let p = store.learning_progress(key, "m").await.unwrap().unwrap();
            store
                .learning_continue(&p, Some("s2"), t(2, 0))
                .await
                .unwrap();
            if key == "v:2" {
                continue;
            }
            let p = store.learning_progress(key, "m").await.unwrap().unwrap();
            store
                .learning_answer(&who, &p, "a", true, t(3, 0))
                .await
                .unwrap();
            let p = store.learning_progress(key, "m").await.unwrap().unwrap();
            let end = if key == "v:1" { t(4, 0) } else { t(6, 0) };
            store.learning_continue(&p, None, end).await.unwrap();
        }
        store
            .learning_start(&visitor("v:5"), "m", 2, "s1", t(0, 0))
            .await
            .unwrap();

        assert_eq!(
            store.learning_versions().await.unwrap(),
            vec![("m".to_owned(), 1), ("m".to_owned(), 2)]
        );
        let stats = store.learning_module_stats("m", 1).await.unwrap();
        assert_eq!((stats.starts, stats.completions), (4, 2));
        assert_eq!(stats.median_seconds, Some(300));
        assert!((stats.completion_rate() - 0.5).abs() < 1e-9);
        let v2 = store.learning_module_stats("m", 2).await.unwrap();
        assert_eq!((v2.starts, v2.completions, v2.median_seconds), (1, 0, None));

        let situations = store.learning_situation_stats("m", 1).await.unwrap();
        assert_eq!(situations.len(), 2, "{situations:?}");
        let s1 = &situations[0];
        assert_eq!(s1.situation_id, "s1");
        assert_eq!(s1.views, 4);
        assert_eq!(s1.answers, vec![("a".to_owned(), 2), ("b".to_owned(), 1)]);
        assert_eq!((s1.first_tries, s1.right_first_try), (3, 2));
        assert_eq!(s1.drop_offs, 1);
        let s2 = &situations[1];
        assert_eq!((s2.views, s2.drop_offs), (3, 1));
        assert_eq!(s2.right_first_try_share(), Some(1.0));

        let arms = store.learning_by_arm("c1").await.unwrap();
        assert_eq!(arms.len(), 1);
        assert_eq!(
            (arms[0].arm.as_str(), arms[0].starts, arms[0].completions),
            ("a", 1, 1)
        );
        assert_eq!(store.learning_answer_count().await.unwrap(), 5);
        db.cleanup().await;
    }
}
