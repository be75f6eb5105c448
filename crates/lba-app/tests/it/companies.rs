//! The "companies likely to hire" import on the real sample file and on
//! hand-written records, over the real referentials, on SQLite and (when
//! configured) PostgreSQL.

use std::path::{Path, PathBuf};

use lba_app::NoProgress;
use lba_app::companies::import;
use lba_core::geo::GeoPoint;
use lba_core::ids::{InseeCode, Siret};
use lba_core::projection::Projection;
use lba_store::Store;
use lba_store::exclusions::ExclusionReason;

use crate::catalogue::{shared_data, with_referentials};

/// Luhn-valid SIRETs.
const A: &str = "73500000100009";
const B: &str = "73500000100017";
const C: &str = "73500000100025";
const D: &str = "73500000100033";
const E: &str = "73500000100041";
const G: &str = "73500000100058";
/// The two companies of the real sample file.
const LIVERDUN: &str = "80841382700011";
const SAINT_ROMAIN: &str = "13002526500013";

fn company(siret: &str, insee: &str, xy: Option<(f64, f64)>, extra: &str) -> String {
    let (x, y) = xy.map_or(("null".to_owned(), "null".to_owned()), |(x, y)| {
        (x.to_string(), y.to_string())
    });
    format!(
        r#"{{"siret": "{siret}", "enseigne": null, "raison_sociale": "SOCIETE {siret}", "naf_code": "1071C",
 "street_number": "3", "street_name": "RUE HAUTE", "insee_city_code": "{insee}", "zip_code": null,
 "company_size": "10-19", "coordonneeLambertAbscisseEtablissement": {x},
 "coordonneeLambertOrdonneeEtablissement": {y}, "email": "contact@boulangerie-test.fr", "phone": "01 23 45 67 89",
 "rome_codes": [{{"rome_code": "D1102", "normalized_score": 0.42}}]{extra}}}"#
    )
}

fn write(dir: &Path, name: &str, records: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("[\n{}\n]\n", records.join(",\n"))).unwrap();
    path
}

async fn commune_point(store: &Store, insee: &str) -> GeoPoint {
    let refs = store.referential_data().await.unwrap();
    refs.communes
        .iter()
        .find(|c| c.insee.as_str() == insee)
        .and_then(|c| c.point)
        .unwrap()
}

async fn point_of(store: &Store, siret: &str) -> GeoPoint {
    store.company(siret).await.unwrap().unwrap().place.point
}

/// Lambert-93 of a point `km_north` of the centre of commune `insee`.
async fn lambert_near(store: &Store, insee: &str, km_north: f64) -> (f64, f64) {
    let c = commune_point(store, insee).await;
    let p = GeoPoint::new(c.lat() + km_north / 111.2, c.lon()).unwrap();
    Projection::Lambert93.from_wgs84(p)
}

#[tokio::test]
async fn the_real_sample_ends_at_its_communes() {
    let sample = shared_data().join("lba/recruteurs-lba.sample.json");
    for db in with_referentials().await {
        let store = &db.store;
        let report = import(store, &sample, &NoProgress).await.unwrap();
        assert_eq!(
            (report.read, report.created, report.rejected),
            (2, 2, 0),
            "{report:?}"
        );
        // The placeholder coordinates land in Normandy, hundreds of km away.
        assert_eq!(report.located_by_commune.too_far, 2, "{report:?}");
        let liverdun = store.company(LIVERDUN).await.unwrap().unwrap();
        assert_eq!(liverdun.place.point, commune_point(store, "54318").await);
        assert_eq!(liverdun.place.city, "Liverdun");
        assert_eq!(liverdun.name, "DRYSOFT");
        assert_eq!(liverdun.headcount.as_deref(), Some("01"));
        assert_eq!(
            store.headcount_label("01").await.unwrap().as_deref(),
            Some("1-2"),
            "the company page shows a label"
        );
        let romain = store.company(SAINT_ROMAIN).await.unwrap().unwrap();
        assert_eq!(romain.place.point, commune_point(store, "07293").await);
        assert_eq!(romain.place.city, "Saint-Romain-de-Lerps");
        assert_eq!(romain.email.as_deref(), Some("roget@dinum.fr"));
        let romes: Vec<(&str, u8)> = romain
            .romes
            .iter()
            .map(|r| (r.rome.as_str(), r.score))
            .collect();
        assert_eq!(romes, [("M1607", 2), ("M1203", 2)]);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn companies_are_placed_replaced_excluded_and_reimported_idempotently() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = shared_data().join("lba/recruteurs-lba.sample.json");
    for db in with_referentials().await {
        let backend = db.backend();
        let store = &db.store;
        import(store, &sample, &NoProgress).await.unwrap();
        store
            .exclude_company(&Siret::parse(G).unwrap(), ExclusionReason::OptOut)
            .await
            .unwrap();
        let near_paris = lambert_near(store, "75056", 2.0).await;
        let abymes = commune_point(store, "97101").await;
        let utm = Projection::for_commune(&InseeCode::parse("97101").unwrap())
            .unwrap()
            .from_wgs84(GeoPoint::new(abymes.lat() + 0.01, abymes.lon()).unwrap());
        let far = lambert_near(store, "54318", 25.0).await;
        let records = [
            company(A, "75056", Some(near_paris), ""),
            company(B, "54318", Some(far), ""),
            company(C, "07293", None, r#", "email": "pas-un-email""#),
            company(D, "97101", Some(utm), ""),
            company(
                E,
                "75056",
                None,
                r#", "rome_codes": [{"rome_code": "D1102", "normalized_score": 3}]"#,
            ),
            company(A, "75056", None, ""),
            company(G, "75056", None, ""),
            company(E, "99999", None, ""),
        ];
        let path = write(tmp.path(), "recruteurs.json", &records);
        let report = import(store, &path, &NoProgress).await.unwrap();
        assert_eq!(report.read, 8, "{backend:?} {report:?}");
        assert_eq!(
            (report.created, report.updated, report.unchanged),
            (4, 0, 0),
            "{report:?}"
        );
        assert_eq!(report.removed, 2, "the sample's companies left: {report:?}");
        assert_eq!(report.excluded, 1);
        assert_eq!(report.rejected, 3);
        let got: Vec<(u64, &str)> = report
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        let line = |i: u64| 2 + 5 * i;
        assert_eq!(
            got,
            [
                (line(4), "rome_codes"),
                (line(5), "siret"),
                (line(7), "insee_city_code")
            ],
            "{report:?}"
        );
        assert!(
            report.rejects[1]
                .reason
                .contains(&format!("ligne {}", line(0)))
        );
        let located = &report.located_by_commune;
        assert_eq!(
            (located.no_coordinates, located.too_far, located.overseas),
            (1, 1, 0)
        );
        assert_eq!(report.overseas_converted, 1);
        assert_eq!(report.contacts_dropped, 1);
        // A: converted, 2 km north of the centre of Paris.
        let paris = commune_point(store, "75056").await;
        let d = point_of(store, A).await.distance_km(&paris);
        assert!((d - 2.0).abs() < 0.01, "{d}");
        // B: 25 km away is not trusted.
        assert_eq!(
            point_of(store, B).await,
            commune_point(store, "54318").await
        );
        assert_eq!(
            point_of(store, C).await,
            commune_point(store, "07293").await
        );
        assert!(store.company(C).await.unwrap().unwrap().email.is_none());
        // D: UTM 20N, about 1.1 km north of the centre of Les Abymes.
        let d = point_of(store, D).await.distance_km(&abymes);
        assert!((d - 1.11).abs() < 0.01, "{d}");
        assert!(
            store.company(G).await.unwrap().is_none(),
            "excluded stays out"
        );
        assert!(store.company(LIVERDUN).await.unwrap().is_none());

        // The same file again: nothing written, the data version unchanged.
        let version = store.data_version().await.unwrap();
        let again = import(store, &path, &NoProgress).await.unwrap();
        assert_eq!(
            (again.created, again.updated, again.unchanged, again.removed),
            (0, 0, 4, 0),
            "{again:?}"
        );
        assert_eq!(store.data_version().await.unwrap(), version);

        // A changed company is updated; the vanished ones are removed.
        let next = write(
            tmp.path(),
            "recruteurs-2.json",
            &[company(
                A,
                "75056",
                Some(near_paris),
                r#", "enseigne": "NOUVEAU NOM""#,
            )],
        );
        let report = import(store, &next, &NoProgress).await.unwrap();
        assert_eq!((report.updated, report.removed), (1, 3), "{report:?}");
        assert_eq!(store.company(A).await.unwrap().unwrap().name, "NOUVEAU NOM");
        assert!(store.company(B).await.unwrap().is_none());
        assert!(store.data_version().await.unwrap() > version);

        // A file without a single valid company removes nothing.
        let broken = write(
            tmp.path(),
            "broken.json",
            &[company(E, "75056", None, r#", "siret": "1""#)],
        );
        let report = import(store, &broken, &NoProgress).await.unwrap();
        assert!(report.removal_refused.is_some(), "{report:?}");
        assert_eq!(report.removed, 0);
        assert!(store.company(A).await.unwrap().is_some());

        // Excluding deletes at once and keeps out; including lets back in.
        let a = Siret::parse(A).unwrap();
        assert!(
            store
                .exclude_company(&a, ExclusionReason::Blacklist)
                .await
                .unwrap()
        );
        assert!(store.company(A).await.unwrap().is_none());
        let report = import(store, &next, &NoProgress).await.unwrap();
        assert_eq!((report.excluded, report.created), (1, 0), "{report:?}");
        assert!(store.excluded_sirets().await.unwrap().contains(A));
        assert!(store.include_company(&a).await.unwrap());
        assert!(!store.include_company(&a).await.unwrap());
        let report = import(store, &next, &NoProgress).await.unwrap();
        assert_eq!(report.created, 1, "{report:?}");
        db.cleanup().await;
    }
}
