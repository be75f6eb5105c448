//! The privacy purges of `lba_notify::worker::purge` on both backends: CVs
//! deleted once delivered or after 30 days at most, candidate data
//! anonymised after 2 years, each application purged once.

use chrono::{TimeDelta, Utc};
use lba_notify::worker::{ANONYMISE_AFTER, CV_RETENTION, purge};
use lba_store::testing::TestDb;

use crate::support::{PDF, store_application};

const RECRUITER: &str = "recrutement@boulangerie.example.fr";
const CANDIDATE: &str = "jeanne.martin@example.fr";

#[tokio::test]
async fn cvs_go_after_delivery_or_30_days_and_candidates_are_anonymised_after_2_years() {
    for db in TestDb::all().await {
        let store = &db.store;
        let backend = db.backend();
        let now = Utc::now();
        let day = TimeDelta::days(1);
        store_application(store, "fresh", RECRUITER, CANDIDATE, now).await;
        store_application(store, "delivered", RECRUITER, CANDIDATE, now - day).await;
        store_application(
            store,
            "cv-29d",
            RECRUITER,
            CANDIDATE,
            now - CV_RETENTION + day,
        )
        .await;
        store_application(
            store,
            "cv-31d",
            RECRUITER,
            CANDIDATE,
            now - CV_RETENTION - day,
        )
        .await;
        store_application(
            store,
            "old-23m",
            RECRUITER,
            CANDIDATE,
            now - ANONYMISE_AFTER + day,
        )
        .await;
        store_application(
            store,
            "old-25m",
            RECRUITER,
            CANDIDATE,
            now - ANONYMISE_AFTER - day,
        )
        .await;

        // Delivered: the CV is deleted at once.
        store.mark_delivered("delivered", now).await.unwrap();
        let a = store.application("delivered").await.unwrap().unwrap();
        assert_eq!(a.status, "delivered", "{backend:?}");
        assert!(a.cv_bytes.is_none(), "{backend:?}");

        // CVs older than 30 days (31 days, 23 and 25 months) go; one of
        // the applications is older than 2 years.
        assert_eq!(purge(store, now).await.unwrap(), (3, 1), "{backend:?}");

        for id in ["fresh", "cv-29d"] {
            let a = store.application(id).await.unwrap().unwrap();
            assert_eq!(a.cv_bytes.as_deref(), Some(PDF), "{backend:?} {id}");
            assert_eq!(a.first_name, "Jeanne", "{backend:?} {id}");
        }
        for id in ["cv-31d", "old-23m"] {
            let a = store.application(id).await.unwrap().unwrap();
            assert!(a.cv_bytes.is_none(), "{backend:?} {id}");
            // Only the CV: the candidate's details stay until 2 years.
            assert_eq!(a.first_name, "Jeanne", "{backend:?} {id}");
            assert_eq!(a.email.as_deref(), Some(CANDIDATE), "{backend:?} {id}");
            assert_eq!(a.cv_name, "cv_jeanne.pdf", "{backend:?} {id}");
        }
        let a = store.application("old-25m").await.unwrap().unwrap();
        assert_eq!(
            (
                a.first_name.as_str(),
                a.last_name.as_str(),
                a.cv_name.as_str()
            ),
            ("", "", ""),
            "{backend:?}"
        );
        assert_eq!(a.email, None, "{backend:?}");
        assert_eq!(a.phone, None, "{backend:?}");
        assert_eq!(a.message, None, "{backend:?}");
        assert_eq!(a.recruiter_email, None, "{backend:?}");
        assert_eq!(a.cv_bytes, None, "{backend:?}");
        // What statistics need stays.
        assert_eq!(a.target_id, "51234567800001", "{backend:?}");
        assert_eq!(a.company_name, "BOULANGERIE DU PARC", "{backend:?}");
        assert!(
            (a.created_at - (now - ANONYMISE_AFTER - day))
                .num_seconds()
                .abs()
                <= 1,
            "{backend:?}"
        );
        // The anonymised candidate no longer counts for the quotas by email.
        let counts = store
            .quota_counts(
                CANDIDATE,
                "company",
                "51234567800001",
                now - ANONYMISE_AFTER * 2,
            )
            .await
            .unwrap();
        assert_eq!(counts.same_target, 5, "{backend:?}");

        // Nothing more to do: each application is purged once.
        assert_eq!(purge(store, now).await.unwrap(), (0, 0), "{backend:?}");
        // A year later, the 23-month-old one is anonymised in turn (the
        // others are still under 2 years), and the last two CVs are gone.
        let later = now + TimeDelta::days(365);
        assert_eq!(purge(store, later).await.unwrap(), (2, 1), "{backend:?}");
        for id in ["cv-29d", "old-23m"] {
            let a = store.application(id).await.unwrap().unwrap();
            assert!(a.cv_bytes.is_none(), "{backend:?} {id}");
        }
        let a = store.application("old-23m").await.unwrap().unwrap();
        assert_eq!(a.email, None, "{backend:?}");
        db.cleanup().await;
    }
}
