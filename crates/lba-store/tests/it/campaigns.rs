//! Campaigns: creation, draft-only edits, status transitions, assignments.

use chrono::{Duration, TimeZone, Utc};
use lba_campaign::{Person, Source};
use lba_store::campaigns::{Assignment, CampaignStatus};
use lba_store::outbox::NewJob;
use lba_store::testing::TestDb;

fn person(i: usize) -> Person {
    Person {
        id: format!("parcoursup:{i}"),
        source: Source::Parcoursup,
        candidate_id: i.to_string(),
        first_name: "Camille".into(),
        last_name: "Martin".into(),
        birth_date: None,
        email: None,
        mobile: None,
        parent_email: None,
        parent_mobile: None,
        postal_code: None,
        commune_insee: None,
        departement: Some("75".into()),
        region: None,
        home: None,
        school_uai: None,
        class: None,
        apprenticeship_only: true,
        wishes: Vec::new(),
    }
}

fn arms() -> Vec<(String, u32, bool)> {
    vec![("controle".into(), 20, true), ("a".into(), 80, false)]
}

#[tokio::test]
async fn campaign_life_on_every_backend() {
    for db in TestDb::all().await {
        let s = &db.store;
        let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        s.create_campaign("c1", "Printemps", "{}", &arms(), t0)
            .await
            .unwrap();
        s.create_campaign("c2", "Été", "{}", &arms(), t0 + Duration::hours(1))
            .await
            .unwrap();
        let list = s.campaigns().await.unwrap();
        assert_eq!(
            list.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["c2", "c1"],
            "{:?}",
            db.backend()
        );
        let c = s.campaign("c1").await.unwrap().unwrap();
        assert_eq!(c.status, CampaignStatus::Draft);
        assert_eq!(c.created_at, t0);
        assert_eq!(c.launched_at, None);
        assert_eq!(c.consecutive_errors, 0);
        assert!(s.campaign("nope").await.unwrap().is_none());
        let stored = s.campaign_arms("c1").await.unwrap();
        assert_eq!(stored.len(), 2);
        assert!(
            stored
                .iter()
                .any(|a| a.arm == "controle" && a.is_control && a.share == 20)
        );

        // Drafts can be edited, arms replaced.
        let t1 = t0 + Duration::hours(2);
        let new_arms = vec![
            ("controle".into(), 10, true),
            ("a".into(), 45, false),
            ("b".into(), 45, false),
        ];
        assert!(
            s.update_campaign_spec("c1", "Printemps 2", r#"{"x":1}"#, &new_arms, t1)
                .await
                .unwrap()
        );
        let c = s.campaign("c1").await.unwrap().unwrap();
        assert_eq!(
            (c.name.as_str(), c.spec.as_str()),
            ("Printemps 2", r#"{"x":1}"#)
        );
        assert_eq!(c.updated_at, t1);
        assert_eq!(s.campaign_arms("c1").await.unwrap().len(), 3);

        // Assignments: stored once, a draft becomes assigned.
        s.upsert_people(&(0..5).map(person).collect::<Vec<_>>())
            .await
            .unwrap();
        let rows: Vec<Assignment> = (0..5)
            .map(|i| Assignment {
                person_id: format!("parcoursup:{i}"),
                arm: if i == 0 { "controle" } else { "a" }.into(),
                stratum: "75|4".into(),
            })
            .collect();
        assert_eq!(s.store_assignments("c1", &rows, t1).await.unwrap(), 5);
        let mut moved = rows.clone();
        moved[1].arm = "b".into();
        assert_eq!(s.store_assignments("c1", &moved, t1).await.unwrap(), 0);
        assert_eq!(s.assignments("c1").await.unwrap(), rows);
        assert_eq!(
            s.assignment_counts("c1").await.unwrap(),
            vec![("a".to_owned(), 4), ("controle".to_owned(), 1)]
        );
        let c = s.campaign("c1").await.unwrap().unwrap();
        assert_eq!(c.status, CampaignStatus::Assigned);
        // No more edits once assigned.
        assert!(
            !s.update_campaign_spec("c1", "X", "{}", &arms(), t1)
                .await
                .unwrap()
        );
        assert!(
            !s.update_campaign_spec("nope", "X", "{}", &arms(), t1)
                .await
                .unwrap()
        );

        // Transitions are conditional.
        let t2 = t1 + Duration::hours(1);
        assert!(
            !s.set_campaign_status(
                "c1",
                &[CampaignStatus::Launched],
                CampaignStatus::Paused,
                Some("x"),
                t2
            )
            .await
            .unwrap()
        );
        assert!(
            s.set_campaign_status(
                "c1",
                &[CampaignStatus::Assigned],
                CampaignStatus::Launched,
                None,
                t2
            )
            .await
            .unwrap()
        );
        assert!(
            s.set_campaign_status(
                "c1",
                &[CampaignStatus::Launched],
                CampaignStatus::Paused,
                Some("trop d'erreurs"),
                t2 + Duration::minutes(5)
            )
            .await
            .unwrap()
        );
        let c = s.campaign("c1").await.unwrap().unwrap();
        assert_eq!(c.status, CampaignStatus::Paused);
        assert_eq!(c.pause_reason.as_deref(), Some("trop d'erreurs"));
        assert_eq!(c.launched_at, Some(t2));
        assert!(
            s.set_campaign_status(
                "c1",
                &[CampaignStatus::Paused],
                CampaignStatus::Launched,
                None,
                t2 + Duration::hours(1)
            )
            .await
            .unwrap()
        );
        let c = s.campaign("c1").await.unwrap().unwrap();
        assert_eq!(c.status, CampaignStatus::Launched);
        assert_eq!(c.pause_reason, None);
        // The first launch time stays.
        assert_eq!(c.launched_at, Some(t2));
        assert!(
            !s.set_campaign_status(
                "nope",
                &[CampaignStatus::Draft],
                CampaignStatus::Done,
                None,
                t2
            )
            .await
            .unwrap()
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn waking_a_campaign_moves_only_its_pending_later_jobs() {
    for db in TestDb::all().await {
        let s = &db.store;
        for (id, subject, kind, at) in [
            ("j1", "c1", "campaign_message", 5_000),
            ("j2", "c1", "campaign_message", 500),
            ("j3", "c2", "campaign_message", 5_000),
            ("j4", "c1", "recruiter_application", 5_000),
        ] {
            s.enqueue(&NewJob {
                id: id.into(),
                kind: kind.into(),
                payload: "{}".into(),
                subject: subject.into(),
                dedupe_key: id.into(),
                not_before_ms: at,
            })
            .await
            .unwrap();
        }
        assert_eq!(s.wake_campaign_jobs("c1", 1_000).await.unwrap(), 1);
        let at =
            |key: &'static str| async move { s.job(key).await.unwrap().unwrap().next_attempt_at };
        assert_eq!(at("j1").await, 1_000);
        assert_eq!(at("j2").await, 500);
        assert_eq!(at("j3").await, 5_000);
        assert_eq!(at("j4").await, 5_000);
        db.cleanup().await;
    }
}

#[test]
fn statuses_round_trip() {
    for s in CampaignStatus::ALL {
        assert_eq!(CampaignStatus::from_stored(s.as_str()), Some(s));
    }
    assert_eq!(CampaignStatus::from_stored("x"), None);
}
