use std::collections::BTreeSet;

use chrono::{NaiveDate, Utc};
use lba_core::geo::GeoPoint;
use lba_core::ids::{Cfd, CodeRome, InseeCode, PostalCode, RncpCode, Uai};
use lba_core::level::DiplomaLevel;
use lba_data::cfa::Cfa;
use lba_data::diplomas::{Diploma, SynonymGroup};
use lba_data::geo::{Commune, CommuneKind, Departement, Region};
use lba_data::rome::{RomeAppellation, RomeFiche, RomeMobility};
use lba_store::referentials::{LocatedCfa, Referentials};
use lba_store::testing::TestDb;

fn rome(code: &str) -> CodeRome {
    code.parse().unwrap()
}

fn insee(code: &str) -> InseeCode {
    code.parse().unwrap()
}

fn commune(code: &str, name: &str, parent: Option<&str>, postal: &[&str]) -> Commune {
    Commune {
        insee: insee(code),
        kind: if parent.is_some() {
            CommuneKind::Arrondissement
        } else {
            CommuneKind::Commune
        },
        name: name.into(),
        name_with_article: name.into(),
        parent: parent.map(insee),
        departement: "69".into(),
        region: "84".into(),
        point: Some(GeoPoint::new(45.76, 4.83).unwrap()),
        point_approximated: false,
        area_km2: Some(47.9),
        population: 1000,
        postal_codes: postal
            .iter()
            .map(|p| p.parse::<PostalCode>().unwrap())
            .collect::<BTreeSet<_>>(),
        aliases: vec![],
        from_arrondissements: parent.is_none() && code == "69123",
    }
}

fn fiche(code: &str, label: &str) -> RomeFiche {
    RomeFiche {
        code: rome(code),
        fiche_number: "1".into(),
        ogr: 1,
        label: label.into(),
        transition_eco: Some("Emploi Vert".into()),
        transition_num: Some(false),
        transition_demo: None,
        regulated: Some(true),
        executive: Some(false),
        parent_code: rome(code),
    }
}

fn sample() -> Referentials {
    let mut lyon = commune("69123", "Lyon", None, &["69001", "69002"]);
    lyon.aliases = vec!["Lugdunum".into()];
    Referentials {
        regions: vec![Region {
            code: "84".into(),
            name: "Auvergne-Rhône-Alpes".into(),
            point: None,
            chef_lieu: Some("69123".into()),
        }],
        departements: vec![Departement {
            code: "69".into(),
            region_code: "84".into(),
            name: "Rhône".into(),
            point: Some(GeoPoint::new(45.87, 4.64).unwrap()),
            chef_lieu: Some("69123".into()),
        }],
        // The arrondissement comes first: the store must order parents itself.
        communes: vec![
            commune(
                "69381",
                "Lyon 1er Arrondissement",
                Some("69123"),
                &["69001"],
            ),
            lyon,
        ],
        rome_fiches: vec![
            fiche("D1102", "Boulanger / Boulangère"),
            fiche("D1104", "Pâtissier / Pâtissière"),
        ],
        rome_appellations: vec![RomeAppellation {
            ogr: 11573,
            label: "Boulanger / Boulangère".into(),
            short_label: "Boulanger".into(),
            rome: rome("D1102"),
            transition_eco: None,
            transition_num: None,
            transition_demo: None,
            regulated: None,
            executive: None,
            principal: true,
            rare: false,
        }],
        rome_mobility: vec![RomeMobility {
            rome: rome("D1102"),
            target: rome("D1104"),
            rank: 3,
        }],
        diplomas: vec![
            Diploma {
                cfd: "50022141".parse::<Cfd>().unwrap(),
                title: "BOULANGER (CAP)".into(),
                rncp: Some("RNCP37519".parse::<RncpCode>().unwrap()),
                level: Some(DiplomaLevel::new(3).unwrap()),
                kind: Some("CAP".into()),
                last_update: None,
                apprenticeship: Some(true),
                valid_until: NaiveDate::from_ymd_opt(2028, 8, 31),
                active: true,
            },
            Diploma {
                cfd: "1351282C".parse::<Cfd>().unwrap(),
                title: "ADMINISTRATION (MASTER)".into(),
                rncp: None,
                level: None,
                kind: None,
                last_update: None,
                apprenticeship: None,
                valid_until: None,
                active: false,
            },
        ],
        diploma_synonyms: vec![SynonymGroup {
            mapping_type: "equivalent".into(),
            synonyms: vec!["CHEF DE CHANTIER GROS OEUVRE".into(), "ccgo".into()],
        }],
        cfas: vec![
            LocatedCfa {
                cfa: cfa("0010826T", Some("69123")),
                commune: Some(insee("69123")),
                point: Some(GeoPoint::new(45.76, 4.83).unwrap()),
                issue: None,
            },
            LocatedCfa {
                cfa: cfa("9830525D", None),
                commune: None,
                point: None,
                issue: Some("collectivité d'outre-mer".into()),
            },
        ],
        ..Referentials::default()
    }
}

fn cfa(uai: &str, commune: Option<&str>) -> Cfa {
    Cfa {
        uai: uai.parse::<Uai>().unwrap(),
        name: "CECOF BERNARD PALISSY".into(),
        denomination: "CTRE DE FORMATION D'APPRENTIS".into(),
        siret: None,
        invalid_siret: None,
        nature: "600".into(),
        sector: Some("PR".into()),
        commune_insee: commune.map(insee),
        commune_code_raw: commune.unwrap_or("98818").into(),
        commune_name: "Lyon".into(),
        address: Some("52 avenue de la Libération".into()),
        po_box: None,
        postal_code: Some("69001".parse().unwrap()),
        city: None,
        opened_on: NaiveDate::from_ymd_opt(1969, 3, 26),
        closed_on: None,
    }
}

#[tokio::test]
async fn writing_twice_gives_the_same_rows_on_every_backend() {
    for db in TestDb::all().await {
        let data = sample();
        db.store
            .write_referentials(&data, "test", Utc::now(), &"first")
            .await
            .unwrap();
        let first = db.store.counts().await.unwrap();
        assert_eq!(first.communes, 1, "{:?}", db.backend());
        assert_eq!(first.arrondissements, 1);
        assert_eq!(first.commune_postal_codes, 3);
        assert_eq!(first.commune_aliases, 1);
        assert_eq!(first.rome_fiches, 2);
        assert_eq!(first.rome_appellations, 1);
        assert_eq!(first.rome_mobility, 1);
        assert_eq!(first.diplomas, 2);
        assert_eq!(first.diploma_synonym_groups, 1);
        assert_eq!(first.cfas, 2);
        assert_eq!(first.cfas_located, 1);
        assert!(!db.store.is_empty().await.unwrap());
        // The métier and place indexes are built from the referentials: a
        // new import is a new data version (nodes rebuild, snapshots expire).
        let version = db.store.data_versions().await.unwrap();

        db.store
            .write_referentials(&data, "test", Utc::now(), &"second")
            .await
            .unwrap();
        let after = db.store.data_versions().await.unwrap();
        assert_eq!(after.opportunities, version.opportunities + 1);
        assert_eq!(after.offers, version.offers);
        assert_eq!(
            db.store.counts().await.unwrap(),
            first,
            "{:?}",
            db.backend()
        );
        let run = db.store.last_import("referentials").await.unwrap().unwrap();
        assert_eq!(run.report, serde_json::json!("second"));
        assert_eq!(run.source, "test");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_second_write_updates_changed_rows_in_place() {
    for db in TestDb::all().await {
        let mut data = sample();
        db.store
            .write_referentials(&data, "test", Utc::now(), &())
            .await
            .unwrap();
        data.rome_fiches[0].label = "Boulanger / Boulangère (modifié)".into();
        data.communes[1]
            .postal_codes
            .remove(&"69002".parse::<PostalCode>().unwrap());
        db.store
            .write_referentials(&data, "test", Utc::now(), &())
            .await
            .unwrap();
        let counts = db.store.counts().await.unwrap();
        assert_eq!(counts.rome_fiches, 2);
        assert_eq!(counts.commune_postal_codes, 2, "{:?}", db.backend());
        let label: String = match &db.store {
            lba_store::Store::Sqlite(pool) => {
                sqlx::query_scalar("SELECT label FROM rome_fiches WHERE code = 'D1102'")
                    .fetch_one(pool)
                    .await
                    .unwrap()
            }
            lba_store::Store::Postgres(pool) => {
                sqlx::query_scalar("SELECT label FROM rome_fiches WHERE code = 'D1102'")
                    .fetch_one(pool)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(label, "Boulanger / Boulangère (modifié)");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_failing_write_changes_nothing() {
    for db in TestDb::all().await {
        let good = sample();
        db.store
            .write_referentials(&good, "test", Utc::now(), &())
            .await
            .unwrap();
        let before = db.store.counts().await.unwrap();
        // An appellation of an unknown fiche breaks a foreign key, after
        // other tables were already rewritten in the same transaction.
        let mut bad = sample();
        bad.rome_fiches.push(fiche("A1101", "Conducteur"));
        bad.rome_appellations[0].rome = rome("N9999");
        let error = db
            .store
            .write_referentials(&bad, "test", Utc::now(), &())
            .await
            .unwrap_err();
        assert!(error.to_string().contains("database error"), "{error}");
        assert_eq!(
            db.store.counts().await.unwrap(),
            before,
            "{:?}",
            db.backend()
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_rome_fiche_reads_with_its_titles_texts_and_close_metiers() {
    for db in TestDb::all().await {
        let mut data = sample();
        data.rome_texts = vec![
            lba_data::rome::RomeText {
                rome: rome("D1102"),
                kind: lba_data::rome::RomeTextKind::Definition,
                position: 2,
                text: "Puis cuit le pain.".into(),
            },
            lba_data::rome::RomeText {
                rome: rome("D1102"),
                kind: lba_data::rome::RomeTextKind::Definition,
                position: 1,
                text: "Prépare la pâte.".into(),
            },
            lba_data::rome::RomeText {
                rome: rome("D1102"),
                kind: lba_data::rome::RomeTextKind::Access,
                position: 1,
                text: "Accessible avec un CAP.".into(),
            },
        ];
        db.store
            .write_referentials(&data, "test", Utc::now(), &())
            .await
            .unwrap();
        let fiche = db.store.rome_fiche(&rome("D1102")).await.unwrap().unwrap();
        assert_eq!(fiche.label, "Boulanger / Boulangère", "{:?}", db.backend());
        assert_eq!(fiche.appellations, ["Boulanger / Boulangère"]);
        assert_eq!(fiche.definition, ["Prépare la pâte.", "Puis cuit le pain."]);
        assert_eq!(fiche.access, ["Accessible avec un CAP."]);
        assert_eq!(
            fiche.close,
            [("D1104".to_owned(), "Pâtissier / Pâtissière".to_owned())]
        );
        assert!(db.store.rome_fiche(&rome("A1101")).await.unwrap().is_none());
        db.cleanup().await;
    }
}
