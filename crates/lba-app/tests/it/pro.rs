//! The pro space's scheduled digest: OPCO accounts with companies waiting
//! get one digest on Monday, Wednesday and Friday from 8:00 Paris time,
//! once a day; both backends. A change of the offers alone reloads the
//! offers and shares the rest of the search index.

use std::sync::Arc;

use chrono::{TimeDelta, TimeZone, Utc};
use lba_app::Search;
use lba_core::opportunity::{Offer, OfferOrigin, OfferStatus};
use lba_core::pro::Role;
use lba_store::pro::{NewProCompany, ProUser};
use lba_store::testing::TestDb;
use lba_store::testing::pro as testing;

fn company(siret: &str, opco: &str, status: &str) -> NewProCompany {
    NewProCompany {
        siret: siret.into(),
        name: format!("ENTREPRISE {siret}"),
        opco: Some(opco.into()),
        ..testing::company(status, 0)
    }
}

fn recruiter(id: &str) -> ProUser {
    testing::user(id, &format!("{id}@exemple.fr"), "recruteur", 0)
}

#[tokio::test]
async fn opco_digests_go_on_monday_wednesday_and_friday_once_a_day_to_opcos_with_companies_waiting()
{
    for db in TestDb::all().await {
        let store = &db.store;
        let now = Utc::now();
        for (email, opco) in [
            ("ep@exemple.fr", "OPCO EP"),
            ("akto@exemple.fr", "AKTO"),
            ("atlas@exemple.fr", "ATLAS"),
        ] {
            lba_app::pro::auth::create_account(
                store,
                email,
                Role::Opco,
                "",
                "",
                Some(opco),
                "test",
                now,
            )
            .await
            .unwrap();
        }
        store
            .insert_pro_company(
                &company("51234567800001", "OPCO EP", "pending"),
                &recruiter("r1"),
            )
            .await
            .unwrap();
        store
            .insert_pro_company(
                &company("51234567800019", "AKTO", "validated"),
                &recruiter("r2"),
            )
            .await
            .unwrap();
        // Monday 7 December 2026, 7:30 then 9:00 in Paris (UTC+1).
        let early = Utc.with_ymd_and_hms(2026, 12, 7, 6, 30, 0).unwrap();
        let monday = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap();
        let tuesday = Utc.with_ymd_and_hms(2026, 12, 8, 8, 0, 0).unwrap();
        let wednesday = Utc.with_ymd_and_hms(2026, 12, 9, 8, 0, 0).unwrap();
        use lba_app::pro::admin::queue_opco_digests;
        assert_eq!(
            queue_opco_digests(store, early).await.unwrap(),
            0,
            "before 8:00"
        );
        assert_eq!(
            queue_opco_digests(store, monday).await.unwrap(),
            1,
            "only OPCO EP has a company waiting"
        );
        assert_eq!(
            queue_opco_digests(store, monday).await.unwrap(),
            0,
            "once a day"
        );
        assert_eq!(
            queue_opco_digests(store, tuesday).await.unwrap(),
            0,
            "not on Tuesday"
        );
        assert_eq!(queue_opco_digests(store, wednesday).await.unwrap(), 1);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_change_of_the_offers_alone_reloads_the_offers_and_shares_the_rest_of_the_index() {
    for db in TestDb::all().await {
        let store = &db.store;
        let search = Search::load(store).await.unwrap();
        let before = search.snapshot();
        let now = Utc::now();
        let posted = testing::offer(
            "offre-pro",
            OfferStatus::Active,
            now,
            now + TimeDelta::days(60),
        );
        store
            .insert_pro_offer(
                &posted,
                &testing::pro_offer("u1"),
                "rh@boulangerie.fr",
                0,
                &[],
                None,
            )
            .await
            .unwrap();
        assert!(search.refresh().await.unwrap(), "{:?}", db.backend());
        let after = search.snapshot();
        assert!(after.offers.get("offre-pro").is_some());
        assert!(after.version > before.version);
        assert_eq!(after.base_version, before.base_version);
        assert!(Arc::ptr_eq(&before.formations, &after.formations));
        assert!(Arc::ptr_eq(&before.companies, &after.companies));
        assert!(Arc::ptr_eq(&before.metiers, &after.metiers));
        assert!(Arc::ptr_eq(&before.places, &after.places));
        assert!(!search.refresh().await.unwrap(), "nothing changed since");

        // An import touches every kind: the whole index is built again,
        // and the posted offer is still in it.
        let imported = Offer {
            origin: OfferOrigin::FranceTravail,
            ..testing::offer(
                "offre-ft",
                OfferStatus::Active,
                now,
                now + TimeDelta::days(30),
            )
        };
        store.upsert_offers(&[imported]).await.unwrap();
        assert!(search.refresh().await.unwrap());
        let rebuilt = search.snapshot();
        assert!(rebuilt.base_version > after.base_version);
        assert!(!Arc::ptr_eq(&after.formations, &rebuilt.formations));
        assert!(rebuilt.offers.get("offre-pro").is_some());
        assert!(rebuilt.offers.get("offre-ft").is_some());
        db.cleanup().await;
    }
}
