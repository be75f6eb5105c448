//! The pro space's emails through a real SMTP server (aiosmtpd on
//! loopback), both backends: the sign-in link verifies with the site's key
//! and is sent to an active account only once; the D-7 reminder of an
//! offer carries three one-click links; a reminder queued for an expiry
//! that changed since (an extension) is skipped.

use chrono::{DateTime, TimeDelta, Utc};
use lba_core::opportunity::{Offer, OfferStatus};
use lba_notify::links;
use lba_notify::{LinkKey, Signature};
use lba_store::pro::{NewProCompany, NewProOffer, ProUser, SignInLink};
use lba_store::testing::TestDb;
use lba_store::testing::pro::{self as testing, SIRET};

use crate::support::{KEY, SmtpServer, free_port, smtp_available, smtp_mailer, worker};

const RECRUITER: &str = "marie@boulangerie.fr";

/// The mail's text with quoted-printable soft breaks and `=3D` undone.
fn plain(mail: &str) -> String {
    mail.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

fn user() -> ProUser {
    testing::recruiter("u1", RECRUITER, 0)
}

fn offer(expires_at: DateTime<Utc>) -> Offer {
    testing::offer(
        "offre1",
        OfferStatus::Active,
        expires_at - TimeDelta::days(60),
        expires_at,
    )
}

#[tokio::test]
async fn the_sign_in_link_is_mailed_signed_and_only_while_it_can_be_used() {
    if !smtp_available() {
        return;
    }
    for db in TestDb::all().await {
        let server = SmtpServer::start(free_port(), None);
        let store = &db.store;
        let now = Utc::now();
        store.insert_pro_user(&user(), None).await.unwrap();
        let link = |id: &str| SignInLink {
            id: id.into(),
            email: RECRUITER.into(),
            created_at: now.timestamp_millis(),
            expires_at: (now + TimeDelta::minutes(15)).timestamp_millis(),
            used_at: None,
        };
        store
            .insert_sign_in_link(
                &link("l1"),
                None,
                Some(&lba_notify::pro::sign_in_job("l1", now)),
            )
            .await
            .unwrap();
        let w = worker(store, smtp_mailer(server.port), "w1", None);
        assert_eq!(w.run_once(now).await.unwrap().sent, 1);
        let mails = server.messages_to(RECRUITER);
        assert_eq!(mails.len(), 1);
        let mail = plain(&mails[0]);
        assert!(mail.contains("Votre lien de connexion"), "{mail}");
        let caps = sign_in_query(&mail).expect("a sign-in link");
        let (id, exp, sig) = caps;
        assert_eq!(id, "l1");
        let signature = Signature { exp, sig };
        LinkKey::new(KEY)
            .verify(&links::sign_in_message(&id), &signature, now)
            .unwrap();
        assert!(
            LinkKey::new(b"another key")
                .verify(&links::sign_in_message(&id), &signature, now)
                .is_err()
        );
        // A link already used, or expired before the worker got to it: no email.
        store
            .insert_sign_in_link(
                &link("l2"),
                None,
                Some(&lba_notify::pro::sign_in_job("l2", now)),
            )
            .await
            .unwrap();
        let session = lba_store::pro::NewSession {
            id_hash: "h".into(),
            csrf: "c".into(),
            created_at: 0,
            expires_at: i64::MAX,
        };
        store
            .use_sign_in_link("l2", now.timestamp_millis(), &session)
            .await
            .unwrap();
        store
            .insert_sign_in_link(
                &link("l3"),
                None,
                Some(&lba_notify::pro::sign_in_job("l3", now)),
            )
            .await
            .unwrap();
        let round = w.run_once(now + TimeDelta::minutes(20)).await.unwrap();
        assert_eq!((round.claimed, round.sent), (2, 0));
        assert_eq!(server.messages_to(RECRUITER).len(), 1);
        db.cleanup().await;
    }
}

/// `(id, exp, sig)` of the sign-in link in `text`.
fn sign_in_query(text: &str) -> Option<(String, i64, String)> {
    let start = text.find("/pro/connexion/lien?id=")? + "/pro/connexion/lien?id=".len();
    let rest = &text[start..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '"' || c == '<')?;
    let query = &rest[..end];
    let mut parts = query.split('&');
    let id = parts.next()?.to_owned();
    let exp = parts.next()?.strip_prefix("exp=")?.parse().ok()?;
    let sig = parts.next()?.strip_prefix("sig=")?.to_owned();
    Some((id, exp, sig))
}

#[tokio::test]
async fn an_offer_reminder_carries_its_one_click_links_and_a_stale_one_is_skipped() {
    if !smtp_available() {
        return;
    }
    for db in TestDb::all().await {
        let server = SmtpServer::start(free_port(), None);
        let store = &db.store;
        let now = Utc::now();
        let company = NewProCompany {
            naf_code: None,
            opco: None,
            decided_by: Some("auto".into()),
            decided_at: Some(0),
            ..testing::company("validated", 0)
        };
        store.insert_pro_company(&company, &user()).await.unwrap();
        let expires = now + TimeDelta::days(7);
        let pro = testing::pro_offer("u1");
        let jobs = lba_notify::pro::reminder_jobs("offre1", expires);
        store
            .insert_pro_offer(&offer(expires), &pro, RECRUITER, 0, &jobs, None)
            .await
            .unwrap();
        let w = worker(store, smtp_mailer(server.port), "w1", None);
        // D-7 is due, D-1 is not.
        let round = w.run_once(now + TimeDelta::seconds(1)).await.unwrap();
        assert_eq!((round.claimed, round.sent), (1, 1));
        let mail = plain(&server.messages_to(RECRUITER)[0]);
        assert!(mail.contains("expire dans 7 jours"), "{mail}");
        for action in ["prolonger", "pourvue", "annulee"] {
            assert!(
                mail.contains(&format!(
                    "/pro/offre/offre1/action?action={action}&pour={}",
                    expires.timestamp_millis()
                )),
                "{action} in {mail}"
            );
        }
        // Extended since: the D-1 reminder of the old expiry is skipped.
        let later = expires + TimeDelta::days(60);
        store
            .change_pro_offer(
                "offre1",
                &["active"],
                "active",
                Some(later),
                "u1",
                "prolongee",
                0,
                &[],
            )
            .await
            .unwrap();
        let round = w.run_once(expires - TimeDelta::hours(23)).await.unwrap();
        assert_eq!((round.claimed, round.sent), (1, 0));
        assert_eq!(server.messages_to(RECRUITER).len(), 1);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_delegation_mails_the_cfa_a_signed_link_and_the_recruiter_a_recap_and_opcos_get_their_digest()
 {
    if !smtp_available() {
        return;
    }
    for db in TestDb::all().await {
        let server = SmtpServer::start(free_port(), None);
        let store = &db.store;
        let now = Utc::now();
        let company = NewProCompany {
            naf_code: None,
            ..testing::company("pending", 0)
        };
        store.insert_pro_company(&company, &user()).await.unwrap();
        let pro = NewProOffer {
            positions: 2,
            ..testing::pro_offer("u1")
        };
        store
            .insert_pro_offer(
                &offer(now + TimeDelta::days(60)),
                &pro,
                RECRUITER,
                0,
                &[],
                None,
            )
            .await
            .unwrap();
        let d = lba_store::pro::Delegation {
            offer_id: "offre1".into(),
            cfa_uai: "0010826T".into(),
            cfa_name: "CECOF".into(),
            email: "contact@cecof.fr".into(),
            created_at: now.timestamp_millis(),
        };
        let job = lba_notify::pro::delegation_job("offre1", "0010826T", now);
        let recap = lba_notify::pro::delegation_recap_job("offre1", now);
        store.insert_delegations(&[(d, job)], &recap).await.unwrap();
        let mut opco = user();
        opco.id = "o1".into();
        opco.email = "ep@opco.fr".into();
        opco.role = "opco".into();
        opco.company_siret = None;
        opco.opco = Some("OPCO EP".into());
        store.insert_pro_user(&opco, None).await.unwrap();
        store
            .enqueue(&lba_notify::pro::opco_digest_job(
                "o1",
                now.date_naive(),
                now,
            ))
            .await
            .unwrap();
        let w = worker(store, smtp_mailer(server.port), "w1", None);
        let round = w.run_once(now).await.unwrap();
        let digest_job = store
            .job(
                &lba_store::outbox::JobKind::ProOpcoDigest.key(&format!("o1:{}", now.date_naive())),
            )
            .await
            .unwrap();
        assert_eq!(
            (round.claimed, round.sent),
            (3, 3),
            "{round:?} {digest_job:?}"
        );

        let to_cfa = plain(&server.messages_to("contact@cecof.fr")[0]);
        assert!(
            to_cfa.contains("BOULANGERIE DU PARC vous confie son offre"),
            "{to_cfa}"
        );
        assert!(
            to_cfa.contains(&format!("Reply-To: {RECRUITER}")),
            "{to_cfa}"
        );
        let start = to_cfa.find("/pro/delegation/offre1/0010826T?").unwrap();
        let query = &to_cfa[start + "/pro/delegation/offre1/0010826T?".len()..];
        let query = &query[..query.find(|c: char| c.is_whitespace() || c == '"').unwrap()];
        let (exp, sig) = query.split_once('&').unwrap();
        let signature = Signature {
            exp: exp.strip_prefix("exp=").unwrap().parse().unwrap(),
            sig: sig.strip_prefix("sig=").unwrap().to_owned(),
        };
        LinkKey::new(KEY)
            .verify(
                &links::delegation_message("offre1", "0010826T"),
                &signature,
                now,
            )
            .unwrap();
        let recap = plain(&server.messages_to(RECRUITER)[0]);
        assert!(
            recap.contains("transmise =C3=A0 1 CFA") || recap.contains("CECOF"),
            "{recap}"
        );
        let digest = plain(&server.messages_to("ep@opco.fr")[0]);
        assert!(digest.contains(SIRET), "{digest}");
        db.cleanup().await;
    }
}
