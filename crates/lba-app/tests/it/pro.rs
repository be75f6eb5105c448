//! The pro space's scheduled digest: OPCO accounts with companies waiting
//! get one digest on Monday, Wednesday and Friday from 8:00 Paris time,
//! once a day; both backends.

use chrono::{TimeZone, Utc};
use lba_core::pro::Role;
use lba_store::pro::{NewProCompany, ProUser};
use lba_store::testing::TestDb;

fn company(siret: &str, opco: &str, status: &str) -> NewProCompany {
    NewProCompany {
        siret: siret.into(),
        name: format!("ENTREPRISE {siret}"),
        address: "1 rue".into(),
        postal_code: None,
        commune_insee: None,
        city: "Lyon".into(),
        lat: 45.76,
        lon: 4.83,
        naf_code: None,
        opco: Some(opco.into()),
        status: status.into(),
        decided_by: None,
        decided_at: None,
        created_at: 0,
    }
}

fn recruiter(id: &str) -> ProUser {
    ProUser {
        id: id.into(),
        email: format!("{id}@exemple.fr"),
        role: "recruteur".into(),
        first_name: String::new(),
        last_name: String::new(),
        phone: None,
        company_siret: None,
        cfa_uai: None,
        opco: None,
        status: "active".into(),
        created_at: 0,
        last_sign_in_at: None,
    }
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
