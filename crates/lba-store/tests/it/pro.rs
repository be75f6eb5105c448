//! The pro space's storage on both backends: sign-in links used once,
//! sessions that slide and are revoked, company creation all or nothing,
//! decisions that publish or withdraw the company's offers, offers that
//! change state once, the audit log.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use lba_core::opportunity::{Offer, OfferStatus};
use lba_store::outbox::{JobKind, NewJob};
use lba_store::pro::{
    AuditEntry, CompanyDecision, LinkUse, NewProCompany, NewProOffer, NewSession, ProUser,
    SignInLink,
};
use lba_store::testing::TestDb;

use lba_store::testing::pro::{self as testing, SIRET};

/// A company without an account.
const OTHER_SIRET: &str = "73282932000074";
/// A company whose account waits for validation.
const PENDING_SIRET: &str = "51234567800019";

fn t(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap() + TimeDelta::minutes(minute)
}

fn ms(minute: i64) -> i64 {
    t(minute).timestamp_millis()
}

fn user(id: &str, email: &str, role: &str) -> ProUser {
    ProUser {
        opco: Some("OPCO EP".into()),
        ..testing::user(id, email, role, ms(0))
    }
}

fn audit(id: &str, action: &str, minute: i64) -> AuditEntry {
    AuditEntry {
        id: id.into(),
        at: ms(minute),
        user_id: "admin".into(),
        action: action.into(),
        subject: SIRET.into(),
        detail: None,
    }
}

fn session(n: u8, expires_minute: i64) -> NewSession {
    NewSession {
        id_hash: format!("hash-{n}"),
        csrf: format!("csrf-{n}"),
        created_at: ms(0),
        expires_at: ms(expires_minute),
    }
}

fn link(id: &str, email: &str) -> SignInLink {
    SignInLink {
        id: id.into(),
        email: email.into(),
        created_at: ms(0),
        expires_at: ms(15),
        used_at: None,
    }
}

fn job(key: &str) -> NewJob {
    NewJob {
        id: format!("job-{key}"),
        kind: JobKind::ProSignInLink.as_str().into(),
        payload: "{}".into(),
        subject: key.into(),
        dedupe_key: JobKind::ProSignInLink.key(key),
        not_before_ms: ms(0),
    }
}

#[tokio::test]
async fn links_are_single_use_and_sessions_slide_and_end() {
    for db in TestDb::all().await {
        let s = &db.store;
        assert!(
            s.insert_pro_user(
                &user("u1", "marie@exemple.fr", "admin"),
                Some(&audit("a1", "compte_cree", 0))
            )
            .await
            .unwrap()
        );
        assert!(
            !s.insert_pro_user(&user("u2", "marie@exemple.fr", "opco"), None)
                .await
                .unwrap(),
            "one account per address"
        );
        s.insert_sign_in_link(
            &link("l1", "marie@exemple.fr"),
            Some("client"),
            Some(&job("l1")),
        )
        .await
        .unwrap();
        s.insert_sign_in_link(&link("l2", "marie@exemple.fr"), Some("client"), None)
            .await
            .unwrap();
        s.insert_sign_in_link(&link("l3", "personne@exemple.fr"), Some("client"), None)
            .await
            .unwrap();
        assert_eq!(
            s.sign_in_links_since("marie@exemple.fr", Some("client"), ms(-60))
                .await
                .unwrap(),
            (2, 3)
        );
        assert_eq!(
            s.sign_in_links_since("marie@exemple.fr", None, ms(1))
                .await
                .unwrap(),
            (0, 0)
        );

        let used = s
            .use_sign_in_link("l1", ms(5), &session(1, 60 * 24))
            .await
            .unwrap();
        assert!(
            matches!(used, LinkUse::SignedIn(ref u) if u.id == "u1"),
            "{used:?}"
        );
        assert_eq!(
            s.use_sign_in_link("l1", ms(6), &session(2, 60))
                .await
                .unwrap(),
            LinkUse::Used
        );
        assert_eq!(
            s.use_sign_in_link("l2", ms(15), &session(3, 60))
                .await
                .unwrap(),
            LinkUse::Expired
        );
        assert_eq!(
            s.use_sign_in_link("l3", ms(5), &session(4, 60))
                .await
                .unwrap(),
            LinkUse::NoAccount
        );
        assert_eq!(
            s.use_sign_in_link("nope", ms(5), &session(5, 60))
                .await
                .unwrap(),
            LinkUse::Unknown
        );
        assert_eq!(
            s.pro_user("u1").await.unwrap().unwrap().last_sign_in_at,
            Some(ms(5))
        );

        // Live, sliding at most once an hour.
        let live = s
            .pro_session("hash-1", ms(10), ms(10 + 60 * 24))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (live.user.id.as_str(), live.csrf.as_str(), live.expires_at),
            ("u1", "csrf-1", ms(60 * 24))
        );
        let slid = s
            .pro_session("hash-1", ms(200), ms(200 + 60 * 24))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(slid.expires_at, ms(200 + 60 * 24));
        assert!(
            s.pro_session("hash-1", ms(200 + 60 * 24), ms(0))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        assert!(
            s.pro_session("hash-2", ms(10), ms(20))
                .await
                .unwrap()
                .is_none(),
            "never created"
        );

        // Revoked one by one, or every session of the account.
        s.insert_sign_in_link(&link("l4", "marie@exemple.fr"), None, None)
            .await
            .unwrap();
        s.insert_sign_in_link(&link("l5", "marie@exemple.fr"), None, None)
            .await
            .unwrap();
        s.use_sign_in_link("l4", ms(1), &session(6, 600))
            .await
            .unwrap();
        s.use_sign_in_link("l5", ms(1), &session(7, 600))
            .await
            .unwrap();
        assert!(s.revoke_pro_session("hash-6", ms(2)).await.unwrap());
        assert!(!s.revoke_pro_session("hash-6", ms(3)).await.unwrap());
        assert!(
            s.pro_session("hash-6", ms(3), ms(3))
                .await
                .unwrap()
                .is_none()
        );
        // hash-1 (still live) and hash-7.
        assert_eq!(s.revoke_pro_sessions_of("u1", ms(4)).await.unwrap(), 2);
        assert!(
            s.pro_session("hash-7", ms(5), ms(5))
                .await
                .unwrap()
                .is_none()
        );

        // A disabled account loses its sessions and cannot sign in.
        s.insert_sign_in_link(&link("l6", "marie@exemple.fr"), None, None)
            .await
            .unwrap();
        s.use_sign_in_link("l6", ms(1), &session(8, 600))
            .await
            .unwrap();
        assert!(
            s.set_pro_user_access("u1", "admin", "disabled", &audit("a2", "acces_modifie", 2))
                .await
                .unwrap()
        );
        assert!(
            s.pro_session("hash-8", ms(3), ms(3))
                .await
                .unwrap()
                .is_none()
        );
        s.insert_sign_in_link(&link("l7", "marie@exemple.fr"), None, None)
            .await
            .unwrap();
        assert_eq!(
            s.use_sign_in_link("l7", ms(3), &session(9, 600))
                .await
                .unwrap(),
            LinkUse::NoAccount
        );
        let log: Vec<String> = s
            .audit_log(10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(log, ["acces_modifie", "compte_cree"]);
        db.cleanup().await;
    }
}

fn company(status: &str) -> NewProCompany {
    testing::company(status, ms(0))
}

fn offer(id: &str, status: OfferStatus) -> Offer {
    testing::offer(id, status, t(0), t(60 * 24 * 61))
}

fn pro_part() -> NewProOffer {
    testing::pro_offer("u1")
}

#[tokio::test]
async fn a_company_decision_publishes_or_withdraws_its_offers_and_offers_change_once() {
    for db in TestDb::all().await {
        let s = &db.store;
        let mut recruiter = user("u1", "marie@exemple.fr", "recruteur");
        recruiter.opco = None;
        assert!(
            s.insert_pro_company(&company("pending"), &recruiter)
                .await
                .unwrap()
        );
        // The same company again, or the same address: nothing written.
        assert!(
            !s.insert_pro_company(
                &company("pending"),
                &user("u2", "paul@exemple.fr", "recruteur")
            )
            .await
            .unwrap()
        );
        assert!(s.pro_user("u2").await.unwrap().is_none(), "all or nothing");
        assert_eq!(
            s.pro_user("u1")
                .await
                .unwrap()
                .unwrap()
                .company_siret
                .as_deref(),
            Some(SIRET)
        );

        let version = s.data_version().await.unwrap();
        let versions = s.data_versions().await.unwrap();
        s.insert_pro_offer(
            &offer("o1", OfferStatus::Pending),
            &pro_part(),
            "marie@exemple.fr",
            ms(1),
            &[job("o1")],
            None,
        )
        .await
        .unwrap();
        assert!(s.data_version().await.unwrap() > version);
        let after = s.data_versions().await.unwrap();
        assert_eq!(
            (after.opportunities, after.offers),
            (versions.opportunities, versions.offers + 1),
            "an offer posted bumps the offers' version alone"
        );
        assert_eq!(
            s.offer_contact("o1").await.unwrap().as_deref(),
            Some("marie@exemple.fr")
        );
        assert_eq!(
            s.pro_offers_of_company(SIRET).await.unwrap()[0].status,
            "pending"
        );
        assert_eq!(
            s.pro_companies(Some("OPCO EP"), Some("pending"))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            s.pro_companies(Some("AKTO"), None)
                .await
                .unwrap()
                .is_empty()
        );

        // Refusing only applies to a pending company; validating publishes.
        assert!(
            s.decide_pro_company(
                SIRET,
                CompanyDecision::Validate,
                "opco1",
                ms(2),
                &audit("a1", "entreprise_validee", 2)
            )
            .await
            .unwrap()
        );
        assert!(
            !s.decide_pro_company(
                SIRET,
                CompanyDecision::Refuse,
                "opco1",
                ms(3),
                &audit("a2", "entreprise_refusee", 3)
            )
            .await
            .unwrap()
        );
        assert!(
            !s.decide_pro_company(
                SIRET,
                CompanyDecision::Validate,
                "opco1",
                ms(3),
                &audit("a3", "x", 3)
            )
            .await
            .unwrap()
        );
        assert_eq!(
            s.offer("o1").await.unwrap().unwrap().status,
            OfferStatus::Active
        );
        assert_eq!(
            s.pro_company(SIRET)
                .await
                .unwrap()
                .unwrap()
                .decided_by
                .as_deref(),
            Some("opco1")
        );

        // Extend once per expiry; close once.
        let new_expiry = t(60 * 24 * 120);
        assert!(
            s.change_pro_offer(
                "o1",
                &["active"],
                "active",
                Some(new_expiry),
                "u1",
                "prolongee",
                ms(4),
                &[]
            )
            .await
            .unwrap()
        );
        assert_eq!(
            s.pro_offer("o1").await.unwrap().unwrap().expires_at,
            new_expiry
        );
        assert!(
            s.change_pro_offer(
                "o1",
                &["active", "pending"],
                "filled",
                None,
                "u1",
                "pourvue:lba",
                ms(5),
                &[]
            )
            .await
            .unwrap()
        );
        assert!(
            !s.change_pro_offer(
                "o1",
                &["active", "pending"],
                "cancelled",
                None,
                "u1",
                "annulee:autre",
                ms(6),
                &[]
            )
            .await
            .unwrap()
        );
        assert!(
            !s.change_pro_offer("nope", &["active"], "filled", None, "u1", "x", ms(6), &[])
                .await
                .unwrap()
        );

        // Deactivating withdraws the published offers.
        s.insert_pro_offer(
            &offer("o2", OfferStatus::Active),
            &pro_part(),
            "marie@exemple.fr",
            ms(7),
            &[],
            None,
        )
        .await
        .unwrap();
        assert!(
            s.decide_pro_company(
                SIRET,
                CompanyDecision::Deactivate,
                "admin",
                ms(8),
                &audit("a4", "entreprise_desactivee", 8)
            )
            .await
            .unwrap()
        );
        assert_eq!(
            s.offer("o2").await.unwrap().unwrap().status,
            OfferStatus::Pending
        );
        assert_eq!(
            s.offer("o1").await.unwrap().unwrap().status,
            OfferStatus::Filled,
            "closed offers stay closed"
        );
        let history: Vec<(String, String)> = s
            .pro_offer_history("o1")
            .await
            .unwrap()
            .into_iter()
            .map(|h| (h.status, h.note.unwrap_or_default()))
            .collect();
        assert_eq!(
            history,
            [
                ("pending".into(), "creee".into()),
                ("active".into(), "entreprise:validated".into()),
                ("active".into(), "prolongee".into()),
                ("filled".into(), "pourvue:lba".into()),
            ]
        );
        assert!(
            s.set_pro_company_opco(SIRET, Some("AKTO"), &audit("a5", "opco_modifie", 9))
                .await
                .unwrap()
        );
        assert_eq!(
            s.audit_log(10).await.unwrap().len(),
            3,
            "validate, deactivate, opco"
        );
        db.cleanup().await;
    }
}

fn application(id: &str, kind: &str, target: &str) -> lba_store::applications::NewApplication {
    lba_store::applications::NewApplication {
        id: id.into(),
        target_kind: kind.into(),
        target_id: target.into(),
        target_title: "Apprenti boulanger".into(),
        company_name: "BOULANGERIE DU PARC".into(),
        recruiter_email: "marie@exemple.fr".into(),
        first_name: "Léa".into(),
        last_name: "Martin".into(),
        email: format!("{id}@exemple.fr"),
        phone: "+33601020304".into(),
        message: None,
        cv_name: "cv.pdf".into(),
        cv_mime: "application/pdf".into(),
        cv_bytes: b"%PDF".to_vec(),
        caller: None,
        ip_hash: None,
        created_at: t(1),
    }
}

#[tokio::test]
async fn the_cv_is_kept_after_delivery_only_where_the_pro_space_shows_it() {
    for db in TestDb::all().await {
        let s = &db.store;
        let mut recruiter = user("u1", "marie@exemple.fr", "recruteur");
        recruiter.opco = None;
        s.insert_pro_company(&company("validated"), &recruiter)
            .await
            .unwrap();
        s.insert_pro_offer(
            &offer("o1", OfferStatus::Active),
            &pro_part(),
            "marie@exemple.fr",
            ms(1),
            &[],
            None,
        )
        .await
        .unwrap();
        s.insert_application(&application("a1", "offer", "o1"), &[])
            .await
            .unwrap();
        s.insert_application(&application("a2", "company", SIRET), &[])
            .await
            .unwrap();
        s.insert_application(&application("a3", "company", OTHER_SIRET), &[])
            .await
            .unwrap();
        // A company whose account waits for validation sees nothing yet.
        let waiting = NewProCompany {
            siret: PENDING_SIRET.into(),
            ..company("pending")
        };
        s.insert_pro_company(&waiting, &user("u2", "paul@exemple.fr", "recruteur"))
            .await
            .unwrap();
        s.insert_application(&application("a4", "company", PENDING_SIRET), &[])
            .await
            .unwrap();
        for id in ["a1", "a2", "a3", "a4"] {
            s.mark_delivered(id, t(2)).await.unwrap();
        }
        let cv =
            |id: &'static str| async move { s.application(id).await.unwrap().unwrap().cv_bytes };
        assert_eq!(
            cv("a1").await.as_deref(),
            Some(&b"%PDF"[..]),
            "posted offer: kept for the dashboard"
        );
        assert_eq!(
            cv("a2").await.as_deref(),
            Some(&b"%PDF"[..]),
            "spontaneous, to a company with a validated account: kept"
        );
        assert!(cv("a3").await.is_none(), "elsewhere: deleted at delivery");
        assert!(
            cv("a4").await.is_none(),
            "account waiting: deleted at delivery"
        );
        let spontaneous = s.applications_to_company(SIRET).await.unwrap();
        assert_eq!(
            spontaneous
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>(),
            ["a2"]
        );
        assert!(spontaneous[0].has_cv);
        let listed = s.applications_to_offer("o1").await.unwrap();
        assert_eq!(
            (listed.len(), listed[0].has_cv, listed[0].status.as_str()),
            (1, true, "delivered")
        );
        assert_eq!(s.pro_offer("o1").await.unwrap().unwrap().applications, 1);
        // The 30-day purge still deletes it.
        s.purge_cvs(t(3), t(3)).await.unwrap();
        assert!(!s.applications_to_offer("o1").await.unwrap()[0].has_cv);
        db.cleanup().await;
    }
}
