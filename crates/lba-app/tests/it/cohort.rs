//! The cohort import over the real referentials: grouping by candidate,
//! apprenticeship-only flag, links to stored courses and CFAs, rejects,
//! and a newer export updating without duplicates; on both backends.

use std::path::PathBuf;

use lba_app::NoProgress;
use lba_app::cohort::import;
use lba_campaign::Source;
use lba_core::geo::GeoPoint;
use lba_core::opportunity::{Formation, Place};
use lba_data::DataDir;
use lba_store::testing::TestDb;

const HEADER: &str = "id_candidat;nom;prenom;date_naissance;email;telephone_portable;email_parent;telephone_parent;code_postal;code_insee;uai_etablissement;classe;cle_ministere_educatif;id_parcoursup;uai_cfa;siret_cfa;cfd;type_voeu;statut;contrat_signe";

fn shared_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

fn course(id: &str, uai: &str) -> Formation {
    Formation {
        id: id.to_owned(),
        is_demo: false,
        title: "BTS Test".to_owned(),
        diploma_title: "BTS".to_owned(),
        cfd: Some("32031313".parse().unwrap()),
        rncp: None,
        level: Some(lba_core::DiplomaLevel::new(5).unwrap()),
        romes: vec!["C1206".parse().unwrap()],
        cfa_uai: Some(uai.parse().unwrap()),
        cfa_siret: None,
        cfa_name: "CFA".to_owned(),
        place: Place {
            address: Default::default(),
            postal_code: None,
            commune_insee: None,
            city: "Ville".into(),
            point: GeoPoint::new(45.9, 5.3).unwrap(),
        },
        sessions: Vec::new(),
        duration_months: None,
        capacity: None,
        distance_learning: false,
        email: None,
        phone: None,
        onisep_url: None,
    }
}

#[tokio::test]
async fn cohort_is_grouped_linked_reported_and_reimported_without_duplicates() {
    let dir = DataDir::resolve(Some(&shared_data())).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for db in TestDb::all().await {
        let store = &db.store;
        lba_app::import_referentials(store, &dir, &NoProgress)
            .await
            .unwrap();
        let refs = store.referential_data().await.unwrap();
        let uai = refs.cfas[0].uai.as_str().to_owned();
        store
            .upsert_formations(&[course("F-1", &uai)])
            .await
            .unwrap();

        let v1 = format!(
            "{HEADER}\n\
             P1;Martin;Léa;2008-03-14;lea@exemple.fr;06 12 34 56 78;;;01000;01053;;;F-1;;;;;apprentissage;en_attente;N\n\
             P2;Durand;Tom;2006-01-01;tom@exemple.fr;;;;;;;;;;{uai};;32031313;apprentissage;propose;N\n\
             P1;Martin;Léa;2008-03-14;lea@exemple.fr;06 12 34 56 78;;;01000;01053;;;INCONNUE;;;;;apprentissage;en_attente;N\n\
             P2;Durand;Tom;2006-01-01;tom@exemple.fr;;;;;;;;LYCEE-1;;;;;scolaire;propose;N\n\
             P3;Petit;Zoé;2007-05-05;zoe@;;;;;;;;;4242;;;;apprentissage;en_attente;N\n\
             P4;Roux;Ana;2007-01-01;;;;;;;;;F-1;;;;;stage;en_attente;N\n\
             P1;Martin;Léa;2008-03-14;;;;;;;;;F-1;;;;;apprentissage;accepte;N\n"
        );
        let path = tmp.path().join("v1.csv");
        std::fs::write(&path, v1).unwrap();
        let report = import(store, &path, Source::Parcoursup, &NoProgress)
            .await
            .unwrap();
        assert_eq!(report.rows, 7);
        assert_eq!(report.people, 3);
        assert_eq!((report.created, report.updated), (3, 0));
        assert_eq!(report.wishes, 5);
        assert_eq!(
            report.apprenticeship_only, 2,
            "P2 has a student-status wish"
        );
        assert_eq!(
            report.linked_courses, 2,
            "by key (P1) and by CFA + CFD (P2)"
        );
        assert_eq!(report.unlinked, 3);
        let lines: Vec<(u64, &str)> = report
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        assert_eq!(lines, [(7, "type_voeu"), (8, "cle_ministere_educatif")]);
        assert_eq!(report.contacts_refused, 1);
        assert_eq!(report.contact_issues[0].line, 6);

        let p1 = store.cohort_person("parcoursup:P1").await.unwrap().unwrap();
        assert_eq!(p1.wishes.len(), 2);
        assert_eq!(p1.wishes[0].formation_id.as_deref(), Some("F-1"));
        assert_eq!(p1.wishes[0].linked_cfa_uai.as_deref(), Some(uai.as_str()));
        assert_eq!(p1.wishes[0].level, Some(5));
        assert_eq!(p1.departement.as_deref(), Some("01"));
        assert!(p1.home.is_some());
        assert_eq!(p1.mobile.as_ref().unwrap().e164(), "+33612345678");

        // A newer export: P1 lost a wish, P2 changed e-mail, P3 is absent.
        let v2 = format!(
            "{HEADER}\n\
             P1;Martin;Léa;2008-03-14;lea@exemple.fr;06 12 34 56 78;;;01000;01053;;;F-1;;;;;apprentissage;propose;N\n\
             P2;Durand;Tom;2006-01-01;tom.d@exemple.fr;;;;;;;;;;{uai};;32031313;apprentissage;propose;O\n"
        );
        let path = tmp.path().join("v2.csv");
        std::fs::write(&path, v2).unwrap();
        let report = import(store, &path, Source::Parcoursup, &NoProgress)
            .await
            .unwrap();
        assert_eq!((report.created, report.updated), (0, 2));
        let cohort = store.cohort().await.unwrap();
        assert_eq!(cohort.len(), 3, "P3 is kept");
        let p1 = &cohort[0];
        assert_eq!(p1.wishes.len(), 1);
        assert_eq!(p1.wishes[0].status, lba_campaign::WishStatus::Propose);
        let p2 = &cohort[1];
        assert_eq!(p2.email.as_ref().unwrap().as_str(), "tom.d@exemple.fr");
        assert!(p2.apprenticeship_only, "the student wish left the export");
        assert!(p2.has_contract());
        db.cleanup().await;
    }
}
