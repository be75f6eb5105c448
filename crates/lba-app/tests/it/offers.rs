//! The France Travail offer import on hand-written records (file) and
//! through the local API server, over the real referentials, on SQLite and
//! (when configured) PostgreSQL.

use std::path::{Path, PathBuf};

use chrono::TimeDelta;
use lba_app::NoProgress;
use lba_app::france_travail::FtClient;
use lba_app::offers::{VALIDITY_DAYS, import_api, import_file};
use lba_app::testing::{FakeConfig, FakeFranceTravail, offers};
use lba_core::geo::GeoPoint;
use lba_core::ids::CodeRome;
use lba_core::opportunity::{ContractType, Offer, OfferOrigin, OfferStatus, Place};
use lba_data::DataDir;
use lba_store::testing::TestDb;

use crate::ft_client::settings;

fn shared_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

async fn with_referentials() -> Vec<TestDb> {
    let dir = DataDir::resolve(Some(&shared_data())).unwrap();
    let dbs = TestDb::all().await;
    for db in &dbs {
        lba_app::import_referentials(&db.store, &dir, &NoProgress)
            .await
            .unwrap();
    }
    dbs
}

/// One offer on one line; `place` and `extra` are JSON members.
fn offer(id: &str, place: &str, extra: &str) -> String {
    format!(
        r#"{{"id": "{id}", "intitule": "Boulanger {id}", "description": "Pain.", "dateCreation": "2026-10-01T08:00:00.000Z", "dateActualisation": "2026-11-20T08:00:00.000Z", "lieuTravail": {{{place}}}, "appellationlibelle": "Boulanger / Boulangère", "entreprise": {{"nom": "BOULANGERIE", "siret": "51234567800001"}}, "typeContrat": "CDD", "natureContrat": "Contrat apprentissage", "nombrePostes": 1{extra}}}"#
    )
}

const PARIS_15: &str = r#""libelle": "75 - Paris 15e Arrondissement", "latitude": 48.8412, "longitude": 2.3003, "codePostal": "75015", "commune": "75115""#;
const LYON_3: &str = r#""libelle": "69 - LYON 03", "commune": "69383""#;
const BY_POSTAL: &str = r#""libelle": "69 - LYON", "codePostal": "69003""#;
const NOWHERE: &str = r#""libelle": "Lieu inconnu", "codePostal": "00000""#;
const ROME: &str = r#", "romeCode": "D1102""#;

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn platform_offer() -> Offer {
    Offer {
        id: "platform-1".into(),
        is_demo: false,
        origin: OfferOrigin::Platform,
        status: OfferStatus::Active,
        title: "Posée ici".into(),
        appellation_ogr: None,
        rome: "D1102".parse().unwrap(),
        description: String::new(),
        contract_types: vec![ContractType::Apprentissage],
        level: None,
        start_date: None,
        duration_months: None,
        company_siret: None,
        company_name: "X".into(),
        company_naf: None,
        company_headcount: None,
        place: Place {
            address: Default::default(),
            postal_code: None,
            commune_insee: None,
            city: "Lyon".into(),
            point: GeoPoint::new(45.75, 4.85).unwrap(),
        },
        published_at: chrono::Utc::now(),
        expires_at: chrono::Utc::now() + TimeDelta::days(30),
        apply_url: None,
    }
}

#[tokio::test]
async fn offers_are_located_checked_and_reimported_idempotently() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = [
        offer("A1", PARIS_15, ROME),
        offer("B2", LYON_3, ROME),
        offer("C3", BY_POSTAL, ROME),
        offer("D4", PARIS_15, r#", "romeCode": "N9999""#),
        offer("E5", PARIS_15, ""),
        offer("F6", NOWHERE, ROME),
        offer("A1", PARIS_15, ROME),
        offer(
            "G7",
            PARIS_15,
            r#", "romeCode": "D1102", "dateCreation": "demain""#,
        ),
        offer(
            "H8",
            PARIS_15,
            r#", "romeCode": "D1102", "natureContrat": "CDI""#,
        ),
    ];
    let path = write(tmp.path(), "offres.ndjson", &lines);
    for db in with_referentials().await {
        let backend = db.backend();
        let report = import_file(&db.store, &path, false, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!(report.read, 9, "{backend:?} {report:?}");
        assert_eq!(report.created, 3, "{report:?}");
        assert_eq!((report.updated, report.unchanged, report.closed), (0, 0, 0));
        assert_eq!(report.located_by_commune, 2);
        assert_eq!(report.rejected, 6);
        let got: Vec<(u64, &str)> = report
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (4, "romeCode"),
                (5, "romeCode"),
                (6, "lieuTravail"),
                (7, "id"),
                (8, "dateCreation"),
                (9, "natureContrat"),
            ],
            "{:?}",
            report.rejects
        );
        assert!(report.rejects[0].reason.contains("N9999"));
        assert!(report.rejects[1].reason.contains("manquant"));
        assert!(report.rejects[3].reason.contains("double"));

        let a = db.store.offer("ft-A1").await.unwrap().unwrap();
        assert_eq!(a.origin, OfferOrigin::FranceTravail);
        assert_eq!(a.status, OfferStatus::Active);
        assert!(!a.is_demo);
        assert_eq!(a.title, "Boulanger A1");
        assert_eq!(a.rome.as_str(), "D1102");
        assert_eq!(a.appellation_ogr, Some(11573));
        assert_eq!(a.contract_types, [ContractType::Apprentissage]);
        assert_eq!(a.company_name, "BOULANGERIE");
        assert_eq!(a.place.city, "Paris 15e Arrondissement");
        assert_eq!(a.place.address, "75 - Paris 15e Arrondissement");
        assert!((a.place.point.lat() - 48.8412).abs() < 1e-9);
        assert_eq!(
            a.expires_at - a.published_at,
            TimeDelta::days(VALIDITY_DAYS + 50)
        );
        assert_eq!(
            a.apply_url.as_deref(),
            Some("https://candidat.francetravail.fr/offres/recherche/detail/A1")
        );

        let refs = db.store.referential_data().await.unwrap();
        let point_of = |insee: &str| {
            refs.communes
                .iter()
                .find(|c| c.insee.as_str() == insee)
                .and_then(|c| c.point)
                .unwrap()
        };
        let b = db.store.offer("ft-B2").await.unwrap().unwrap();
        assert_eq!(b.place.point, point_of("69383"));
        let c = db.store.offer("ft-C3").await.unwrap().unwrap();
        assert_eq!(c.place.commune_insee.as_ref().unwrap().as_str(), "69383");
        assert_eq!(c.place.point, point_of("69383"));

        // Same file again: nothing written, not even the data version.
        let version = db.store.data_version().await.unwrap();
        let again = import_file(&db.store, &path, false, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!(
            (
                again.created,
                again.updated,
                again.unchanged,
                again.rejected
            ),
            (0, 0, 3, 6),
            "{backend:?} {again:?}"
        );
        assert_eq!(db.store.data_version().await.unwrap(), version);

        // A changed title is an update.
        let changed = write(
            tmp.path(),
            "changed.ndjson",
            &[offer("A1", PARIS_15, ROME).replace("Boulanger A1", "Boulangère A1")],
        );
        let report = import_file(&db.store, &changed, false, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!((report.created, report.updated), (0, 1), "{report:?}");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_classifier_seam_gives_a_rome_to_offers_without_one() {
    let tmp = tempfile::tempdir().unwrap();
    let path = write(
        tmp.path(),
        "sans-rome.json",
        &[format!(
            "[{}, {}]",
            offer("E5", PARIS_15, ""),
            offer("E6", PARIS_15, "").replace("Boulanger E6", "Astronaute")
        )],
    );
    let classify = |title: &str| -> Option<CodeRome> {
        title
            .starts_with("Boulanger")
            .then(|| "D1102".parse().unwrap())
    };
    for db in with_referentials().await {
        let report = import_file(&db.store, &path, false, Some(&classify), &NoProgress)
            .await
            .unwrap();
        assert_eq!(
            (report.created, report.rome_from_title),
            (1, 1),
            "{report:?}"
        );
        assert_eq!(report.rejected, 1);
        let e5 = db.store.offer("ft-E5").await.unwrap().unwrap();
        assert_eq!(e5.rome.as_str(), "D1102");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_full_import_closes_vanished_offers_only_with_a_valid_file() {
    let tmp = tempfile::tempdir().unwrap();
    let both = write(
        tmp.path(),
        "both.ndjson",
        &[offer("A1", PARIS_15, ROME), offer("B2", LYON_3, ROME)],
    );
    let only_a = write(
        tmp.path(),
        "a.json",
        &[format!(
            "{{\"resultats\": [{}]}}",
            offer("A1", PARIS_15, ROME)
        )],
    );
    let broken = write(tmp.path(), "broken.ndjson", &[offer("Z9", NOWHERE, ROME)]);
    for db in with_referentials().await {
        let backend = db.backend();
        let mut demo = platform_offer();
        demo.id = "demo-o-1".into();
        demo.is_demo = true;
        demo.origin = OfferOrigin::FranceTravail;
        db.store
            .upsert_offers(&[platform_offer(), demo])
            .await
            .unwrap();
        let report = import_file(&db.store, &both, true, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!((report.created, report.closed), (2, 0), "{report:?}");

        let report = import_file(&db.store, &only_a, true, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!(
            (report.unchanged, report.closed),
            (1, 1),
            "{backend:?} {report:?}"
        );
        let b = db.store.offer("ft-B2").await.unwrap().unwrap();
        assert_eq!(b.status, OfferStatus::Closed);
        for kept in ["platform-1", "demo-o-1", "ft-A1"] {
            let o = db.store.offer(kept).await.unwrap().unwrap();
            assert_eq!(o.status, OfferStatus::Active, "{kept}");
        }

        // Every record rejected: a broken export, nothing is closed.
        let report = import_file(&db.store, &broken, true, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!(report.closed, 0);
        assert!(
            report
                .full_refused
                .as_deref()
                .unwrap()
                .contains("aucune offre valide")
        );
        let a = db.store.offer("ft-A1").await.unwrap().unwrap();
        assert_eq!(a.status, OfferStatus::Active);

        // A closed offer that comes back is opened again.
        let report = import_file(&db.store, &both, false, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!((report.updated, report.unchanged), (1, 1), "{report:?}");
        let b = db.store.offer("ft-B2").await.unwrap().unwrap();
        assert_eq!(b.status, OfferStatus::Active);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_api_import_fetches_departements_and_closes_only_theirs() {
    let mut config = FakeConfig::default();
    config.offers.insert(
        "75".into(),
        offers("P", 160, "75115", (48.8412, 2.3003), "D1102"),
    );
    config.offers.insert(
        "69".into(),
        offers("L", 3, "69383", (45.7514, 4.8685), "D1102"),
    );
    let server = FakeFranceTravail::start(config).await.unwrap();
    let mut s = settings(&server);
    s.departements = vec!["75".into(), "69".into()];
    let both = FtClient::new(s.clone()).unwrap();
    s.departements = vec!["69".into()];
    let lyon_only = FtClient::new(s).unwrap();
    for db in with_referentials().await {
        let backend = db.backend();
        let report = import_api(&db.store, &both, true, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!(
            (report.read, report.created),
            (163, 163),
            "{backend:?} {report:?}"
        );
        let per: Vec<(&str, u64)> = report
            .departements
            .iter()
            .map(|d| (d.departement.as_str(), d.received))
            .collect();
        assert_eq!(per, [("69", 3), ("75", 160)]);
        assert!(db.store.offer("ft-P159").await.unwrap().is_some());

        // Lyon loses an offer; a full import of 69 alone closes it and
        // leaves Paris alone.
        server.configure(|c| {
            c.offers.get_mut("69").unwrap().pop();
        });
        let report = import_api(&db.store, &lyon_only, true, None, &NoProgress)
            .await
            .unwrap();
        assert_eq!((report.unchanged, report.closed), (2, 1), "{report:?}");
        let l2 = db.store.offer("ft-L2").await.unwrap().unwrap();
        assert_eq!(l2.status, OfferStatus::Closed);
        let p0 = db.store.offer("ft-P0").await.unwrap().unwrap();
        assert_eq!(p0.status, OfferStatus::Active);
        server.configure(|c| {
            c.offers
                .get_mut("69")
                .unwrap()
                .extend(offers("L", 3, "69383", (45.7514, 4.8685), "D1102").pop());
        });
        db.cleanup().await;
    }
}
