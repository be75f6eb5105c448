//! Contacting a CFA (issue 17) on both backends: eligibility and the
//! administrators' settings, every validation, the 4-day rule, the emails
//! through the outbox (a file mailer writes `.eml` files), the CFA's signed
//! answer link (tampered, expired), the answer sent once, a worker that
//! dies between claim and send, and the follow-up figures.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use lba_app::appointments::{
    self, AnswerError, AppointmentError, CfaAnswer, DeclineReason, Eligibility,
};
use lba_app::lba_notify::email::EmailContext;
use lba_app::lba_notify::{LinkKey, Mailer, Signature, Worker, WorkerConfig};
use lba_core::appointment::{RawRequest, Referrer};
use lba_core::geo::GeoPoint;
use lba_core::ids::Uai;
use lba_core::opportunity::{Formation, Place};
use lba_store::Store;
use lba_store::testing::TestDb;

const KEY: &[u8] = b"a test key of the links";
const UAI: &str = "0751234J";

fn course(id: &str, email: Option<&str>) -> Formation {
    Formation {
        id: id.into(),
        is_demo: false,
        title: "CAP Boulanger".into(),
        diploma_title: "CAP BOULANGER".into(),
        cfd: None,
        rncp: None,
        level: None,
        romes: vec![],
        cfa_uai: Some(Uai::parse(UAI).unwrap()),
        cfa_siret: None,
        cfa_name: "CFA des métiers".into(),
        place: Place {
            address: "1 rue de la Paix".into(),
            postal_code: None,
            commune_insee: None,
            city: "Paris".into(),
            point: GeoPoint::new(48.86, 2.35).unwrap(),
        },
        sessions: vec![],
        duration_months: None,
        capacity: None,
        distance_learning: false,
        email: email.map(str::to_owned),
        phone: Some("01 23 45 67 89".into()),
        onisep_url: None,
    }
}

fn request() -> RawRequest {
    RawRequest {
        requester: "jeune".into(),
        first_name: "Léa".into(),
        last_name: "Martin".into(),
        email: "lea.martin@exemple.fr".into(),
        phone: "06 12 34 56 78".into(),
        reasons: vec!["places".into(), "inscription".into()],
        message: "Reste-t-il des places en septembre ?".into(),
        consent: true,
    }
}

fn worker(store: &Store, dir: &std::path::Path, id: &str) -> Worker {
    worker_with(store, Mailer::file(dir), id)
}

fn worker_with(store: &Store, mailer: Mailer, id: &str) -> Worker {
    Worker::new(
        store.clone(),
        mailer,
        WorkerConfig {
            worker_id: id.into(),
            lease: TimeDelta::minutes(5),
            batch: 10,
            concurrency: 4,
            max_attempts: 1,
            backoff: TimeDelta::seconds(30),
            poll: Duration::from_millis(50),
            clamav: None,
            email: EmailContext {
                from: "La bonne alternance <ne-pas-repondre@lba.test>"
                    .parse()
                    .unwrap(),
                public_url: "http://lba.test".into(),
                contact: "contact@lba.test".into(),
            },
            key: LinkKey::new(KEY),
        },
    )
}

/// The `.eml` files written so far, decoded crudely (quoted-printable).
fn mails(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|m| m.replace("=\r\n", "").replace("=3D", "="))
        .collect();
    out.sort();
    out
}

fn to(mails: &[String], address: &str) -> Vec<String> {
    mails
        .iter()
        .filter(|m| {
            m.lines()
                .any(|l| l.starts_with("To:") && l.to_lowercase().contains(address))
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn eligibility_follows_the_address_the_opt_out_and_the_administrators() {
    for db in TestDb::all().await {
        let store = &db.store;
        let now = Utc::now();
        let with = course("f1", Some("catalogue@cfa.fr"));
        let without = course("f2", None);
        let eligible = |c| appointments::eligibility(store, c, Referrer::Lba);
        assert_eq!(
            eligible(&with).await.unwrap(),
            Eligibility::Accepts("catalogue@cfa.fr".into())
        );
        assert_eq!(eligible(&without).await.unwrap(), Eligibility::NoAddress);
        appointments::set_contact_email(store, UAI, "admin@cfa.fr", now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            eligible(&without).await.unwrap(),
            Eligibility::Accepts("admin@cfa.fr".into())
        );
        appointments::set_opted_out(store, UAI, true, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(eligible(&with).await.unwrap(), Eligibility::OptedOut);
        // An opted-out CFA refuses requests, and nothing is stored.
        let refused =
            appointments::submit(store, Some(&with), &request(), Referrer::Lba, None, now).await;
        assert!(matches!(refused, Err(AppointmentError::NotAccepting)));
        appointments::set_opted_out(store, UAI, false, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            eligible(&with).await.unwrap(),
            Eligibility::Accepts("admin@cfa.fr".into())
        );
        // Bad input of the commands names what is wrong.
        let bad = appointments::set_contact_email(store, "0751234X", "a@b.fr", now)
            .await
            .unwrap();
        assert!(bad.unwrap_err().contains("UAI invalide"));
        let bad = appointments::set_contact_email(store, UAI, "pas une adresse", now)
            .await
            .unwrap();
        assert!(bad.unwrap_err().contains("adresse e-mail invalide"));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_request_reaches_the_cfa_and_its_answer_reaches_the_young_person() {
    for db in TestDb::all().await {
        let store = &db.store;
        let dir = tempfile::tempdir().unwrap();
        let key = LinkKey::new(KEY);
        let now = Utc::now();
        let bts = course("f1", Some("cfa@cfa.fr"));

        // Every invalid field is named; an unknown course is refused.
        let mut bad = request();
        bad.email = "x@yopmail.com".into();
        bad.reasons.clear();
        bad.consent = false;
        let Err(AppointmentError::Invalid(problems)) =
            appointments::submit(store, Some(&bts), &bad, Referrer::Lba, None, now).await
        else {
            panic!("invalid request accepted");
        };
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.name()).collect();
        assert_eq!(fields, vec!["email", "reasons", "consent"]);
        assert!(matches!(
            appointments::submit(store, None, &request(), Referrer::Lba, None, now).await,
            Err(AppointmentError::UnknownCourse)
        ));

        let id = appointments::submit(
            store,
            Some(&bts),
            &request(),
            Referrer::Parcoursup,
            None,
            now,
        )
        .await
        .unwrap();
        // The same address (other case) about the same course within 4 days.
        let mut again = request();
        again.email = "Lea.Martin@Exemple.fr".into();
        let refused = appointments::submit(
            store,
            Some(&bts),
            &again,
            Referrer::Lba,
            None,
            now + TimeDelta::days(3),
        )
        .await;
        let Err(AppointmentError::Recent(date)) = refused else {
            panic!("second request within 4 days accepted: {refused:?}");
        };
        assert!(!date.is_empty());
        // Another course is fine.
        appointments::submit(
            store,
            Some(&course("f2", Some("cfa@cfa.fr"))),
            &again,
            Referrer::Lba,
            None,
            now,
        )
        .await
        .unwrap();

        // A worker claims the jobs then dies: another sends them once the
        // lease is over, nothing lost.
        let dead = worker(store, dir.path(), "dead");
        assert_eq!(dead.claim(now).await.unwrap().len(), 4);
        let w = worker(store, dir.path(), "w");
        assert_eq!(w.run_once(now).await.unwrap().sent, 0);
        let later = now + TimeDelta::minutes(6);
        assert_eq!(w.run_once(later).await.unwrap().sent, 4);
        let all = mails(dir.path());
        let to_cfa = to(&all, "cfa@cfa.fr");
        let to_young = to(&all, "lea.martin@exemple.fr");
        assert_eq!((to_cfa.len(), to_young.len()), (2, 2), "{all:?}");
        let cfa_mail = to_cfa.iter().find(|m| m.contains(&id)).unwrap();
        assert!(cfa_mail.contains("Léa Martin") || cfa_mail.contains("L=C3=A9a Martin"));
        assert!(to_young.iter().all(|m| m.contains("Demande envoy")));

        // The CFA's link: tampered or expired changes nothing; opened marks read.
        let start = cfa_mail
            .find(&format!("/rendez-vous/{id}/reponse?exp="))
            .unwrap();
        let link: String = cfa_mail[start..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
            .collect();
        let query = link.split_once('?').unwrap().1;
        let exp: i64 = query.split('&').next().unwrap()[4..].parse().unwrap();
        let sig = query.split("sig=").nth(1).unwrap().to_owned();
        let signature = Signature {
            exp,
            sig: sig.clone(),
        };
        let tampered = Signature {
            exp: exp + 1,
            sig: sig.clone(),
        };
        assert!(matches!(
            appointments::open(store, &key, &id, &tampered, now).await,
            Err(AnswerError::BadLink)
        ));
        assert!(matches!(
            appointments::open(store, &key, &id, &signature, now + TimeDelta::days(61)).await,
            Err(AnswerError::Expired)
        ));
        assert!(
            store
                .appointment(&id)
                .await
                .unwrap()
                .unwrap()
                .read_at
                .is_none()
        );
        let opened = appointments::open(store, &key, &id, &signature, now)
            .await
            .unwrap();
        assert_eq!(opened.referrer, "parcoursup");
        assert!(
            store
                .appointment(&id)
                .await
                .unwrap()
                .unwrap()
                .read_at
                .is_some()
        );

        // The answer is recorded once and sent to the young person.
        let reply = CfaAnswer::Emailed("Bonjour Léa, il reste 3 places. Appelez-nous.".into());
        assert!(
            appointments::answer(store, &key, &id, &signature, &reply, later)
                .await
                .unwrap()
        );
        let twice = CfaAnswer::Declined(DeclineReason::Full);
        assert!(
            !appointments::answer(store, &key, &id, &signature, &twice, later)
                .await
                .unwrap()
        );
        assert_eq!(w.run_once(later).await.unwrap().sent, 1);
        let answers: Vec<String> = to(&mails(dir.path()), "lea.martin@exemple.fr")
            .into_iter()
            .filter(|m| m.contains("ponse du CFA"))
            .collect();
        assert_eq!(answers.len(), 1);
        assert!(answers[0].contains("il reste 3 places"), "{}", answers[0]);
        assert!(
            answers[0].contains("Reply-To: cfa@cfa.fr"),
            "{}",
            answers[0]
        );

        // The follow-up.
        let f = appointments::follow_up(store, 90, later).await.unwrap();
        assert_eq!(
            (
                f.total.requests,
                f.total.read,
                f.total.answered,
                f.total.answered_in_time
            ),
            (2, 1, 1, 1)
        );
        assert_eq!(f.cfas.len(), 1);
        assert_eq!(f.cfas[0].uai, UAI);
        let csv = appointments::follow_up_csv(&f);
        assert!(csv.lines().nth(1).unwrap().starts_with("total;2;1;1;1;"));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn reminders_follow_the_french_calendar_and_happen_once() {
    use chrono::TimeZone;
    for db in TestDb::all().await {
        let store = &db.store;
        let dir = tempfile::tempdir().unwrap();
        let search = lba_app::Search::load(store).await.unwrap();
        // Thursday 7 May 2026; Friday 8 (Victoire 1945), Thursday 14
        // (Ascension) and Monday 25 (Pentecôte) are holidays.
        let at = |m: u32, d: u32| Utc.with_ymd_and_hms(2026, m, d, 10, 0, 0).unwrap();
        let id = appointments::submit(
            store,
            Some(&course("f1", Some("cfa@cfa.fr"))),
            &request(),
            Referrer::Lba,
            None,
            at(5, 7),
        )
        .await
        .unwrap();
        let w = worker(store, dir.path(), "w");
        assert_eq!(w.run_once(at(5, 7)).await.unwrap().sent, 2);
        let run = |day| appointments::remind(store, &search, day);
        // 3 working days: Monday 11, Tuesday 12, Wednesday 13.
        assert_eq!(run(at(5, 13)).await.unwrap().cfa_reminders, 0);
        let r = run(at(5, 14)).await.unwrap();
        assert_eq!((r.cfa_reminders, r.young_notices), (1, 0));
        assert_eq!(run(at(5, 15)).await.unwrap().cfa_reminders, 0, "once");
        assert_eq!(w.run_once(at(5, 14)).await.unwrap().sent, 1);
        let reminder = to(&mails(dir.path()), "cfa@cfa.fr")
            .into_iter()
            .filter(|m| m.contains(&format!("/rendez-vous/{id}/reponse?exp=")))
            .count();
        assert_eq!(reminder, 2, "the request and its reminder carry the link");
        // 10 working days: 11, 12, 13, 15, 18, 19, 20, 21, 22, 26.
        assert_eq!(run(at(5, 26)).await.unwrap().young_notices, 0);
        let r = run(at(5, 27)).await.unwrap();
        assert_eq!((r.cfa_reminders, r.young_notices), (0, 1));
        assert_eq!(run(at(5, 28)).await.unwrap().young_notices, 0, "once");
        assert_eq!(w.run_once(at(5, 27)).await.unwrap().sent, 1);
        let told = to(&mails(dir.path()), "lea.martin@exemple.fr")
            .into_iter()
            .filter(|m| m.contains("pas encore r"))
            .count();
        assert_eq!(told, 1);
        // An answered request gets no reminder.
        let other = appointments::submit(
            store,
            Some(&course("f2", Some("cfa@cfa.fr"))),
            &request(),
            Referrer::Lba,
            None,
            at(6, 1),
        )
        .await
        .unwrap();
        let key = LinkKey::new(KEY);
        let signature = key.sign(
            &lba_app::lba_notify::links::appointment_message(&other),
            at(6, 1) + TimeDelta::days(60),
        );
        appointments::answer(
            store,
            &key,
            &other,
            &signature,
            &CfaAnswer::Phoned,
            at(6, 2),
        )
        .await
        .unwrap();
        let r = run(at(6, 30)).await.unwrap();
        assert_eq!((r.cfa_reminders, r.young_notices), (0, 0));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_cfa_address_that_refuses_the_request_is_suspended_and_the_young_person_told() {
    for db in TestDb::all().await {
        let store = &db.store;
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let bts = course("f1", Some("cfa@cfa.fr"));
        let id = appointments::submit(store, Some(&bts), &request(), Referrer::Lba, None, now)
            .await
            .unwrap();
        // No SMTP server on this port: the sending fails, for good at the
        // first attempt in this test's settings.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let refusing = lba_app::lba_notify::Mailer::smtp(&lba_app::lba_notify::SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            tls: lba_app::lba_notify::TlsMode::None,
            credentials: None,
        })
        .unwrap();
        let failed = worker_with(store, refusing, "w")
            .run_once(now)
            .await
            .unwrap();
        assert_eq!(failed.failed, 2, "{failed:?}");
        // The address is suspended: the course no longer takes requests.
        assert_eq!(
            appointments::eligibility(store, &bts, Referrer::Lba)
                .await
                .unwrap(),
            Eligibility::NoAddress
        );
        let suspended = appointments::suspended(store).await.unwrap();
        assert_eq!(suspended.len(), 1);
        assert_eq!(
            (suspended[0].0.as_str(), suspended[0].1.as_str()),
            (UAI, "cfa@cfa.fr")
        );
        // Whoever asked is told at once.
        assert_eq!(
            worker(store, dir.path(), "w2")
                .run_once(now)
                .await
                .unwrap()
                .sent,
            1
        );
        let told = to(&mails(dir.path()), "lea.martin@exemple.fr");
        assert_eq!(told.len(), 1);
        assert!(
            told[0].contains("pas pu lui être transmise")
                || told[0].contains("pas pu lui =C3=AAtre transmise"),
            "{}",
            told[0]
        );
        // An administrator sets a working address: requests are accepted again.
        appointments::set_contact_email(store, UAI, "accueil@cfa.fr", now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            appointments::eligibility(store, &bts, Referrer::Lba)
                .await
                .unwrap(),
            Eligibility::Accepts("accueil@cfa.fr".into())
        );
        assert!(store.appointment(&id).await.unwrap().is_some());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_hard_bounce_reported_by_the_provider_suspends_the_cfa_address_and_tells_once() {
    use lba_app::campaigns::events::{ProviderEvent, record};
    for db in TestDb::all().await {
        let store = &db.store;
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let bts = course("f1", Some("cfa@cfa.fr"));
        let waiting = appointments::submit(store, Some(&bts), &request(), Referrer::Lba, None, now)
            .await
            .unwrap();
        let mut other = request();
        other.email = "sam.durand@exemple.fr".into();
        let answered = appointments::submit(store, Some(&bts), &other, Referrer::Lba, None, now)
            .await
            .unwrap();
        // The SMTP server accepted both CFA emails and both confirmations.
        assert_eq!(
            worker(store, dir.path(), "w")
                .run_once(now)
                .await
                .unwrap()
                .sent,
            4
        );
        let key = LinkKey::new(KEY);
        let signature = key.sign(
            &lba_app::lba_notify::links::appointment_message(&answered),
            now + TimeDelta::days(60),
        );
        appointments::answer(store, &key, &answered, &signature, &CfaAnswer::Phoned, now)
            .await
            .unwrap();
        // A bounce of another address changes nothing here.
        let bounce = |address: &str| ProviderEvent {
            event: "hard_bounce".into(),
            message_id: None,
            recipient: Some(address.into()),
        };
        record(store, &[bounce("personne@ailleurs.fr")], now)
            .await
            .unwrap();
        assert!(appointments::suspended(store).await.unwrap().is_empty());
        // The provider reports the CFA's address (in another case) bounced.
        let later = now + TimeDelta::hours(2);
        let r = record(store, &[bounce("CFA@cfa.fr")], later).await.unwrap();
        assert_eq!(r.recorded, 1);
        assert_eq!(
            appointments::eligibility(store, &bts, Referrer::Lba)
                .await
                .unwrap(),
            Eligibility::NoAddress
        );
        let suspended = appointments::suspended(store).await.unwrap();
        assert_eq!(
            suspended
                .iter()
                .map(|(u, e, _)| (u.as_str(), e.as_str()))
                .collect::<Vec<_>>(),
            vec![(UAI, "cfa@cfa.fr")]
        );
        // The young person still waiting is told at once; the one who got
        // an answer is not (the answer email went already).
        let before = mails(dir.path()).len();
        let sent = worker(store, dir.path(), "w2")
            .run_once(later)
            .await
            .unwrap();
        assert_eq!(sent.sent, 2, "{sent:?}"); // the answer, and the notice
        let all = mails(dir.path());
        assert_eq!(all.len(), before + 2);
        let told = to(&all, "lea.martin@exemple.fr");
        assert!(
            told.iter().any(|m| m.contains("pas pu lui être transmise")
                || m.contains("pas pu lui =C3=AAtre transmise")),
            "{told:?}"
        );
        assert!(
            !to(&all, "sam.durand@exemple.fr")
                .iter()
                .any(|m| m.contains("pas pu lui")),
        );
        // The same bounce reported again tells nobody twice, and no
        // reminder goes to the dead address.
        record(store, &[bounce("cfa@cfa.fr")], later).await.unwrap();
        let stored = store.appointment(&waiting).await.unwrap().unwrap();
        assert!(stored.reminded_at.is_some() && stored.young_told_at.is_some());
        assert_eq!(
            worker(store, dir.path(), "w3")
                .run_once(later)
                .await
                .unwrap()
                .sent,
            0
        );
        db.cleanup().await;
    }
}
