//! The SIRENE establishment import on hand-written rows with the real
//! header, over the real referentials, on SQLite and (when configured)
//! PostgreSQL.

use std::path::{Path, PathBuf};

use lba_app::NoProgress;
use lba_app::sirene::import;
use lba_core::geo::GeoPoint;
use lba_core::projection::Projection;

use crate::catalogue::with_referentials;

const HEADER: &str = "siren,nic,siret,statutDiffusionEtablissement,trancheEffectifsEtablissement,numeroVoieEtablissement,indiceRepetitionEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,codeCommuneEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,etatAdministratifEtablissement,enseigne1Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement";

const A: &str = "73500000100009";
const B: &str = "73500000100017";
const C: &str = "73500000100025";
const D: &str = "73500000100033";

fn row(siret: &str, state: &str, commune: &str, sign: &str, xy: Option<(f64, f64)>) -> String {
    let (x, y) = xy.map_or((String::new(), String::new()), |(x, y)| {
        (format!("{x:.1}"), format!("{y:.1}"))
    });
    format!(
        "{},{},{siret},O,11,12,,RUE,DES LILAS,75001,PARIS,{commune},{x},{y},{state},{sign},,10.71C,NAFRev2",
        &siret[..9],
        &siret[9..]
    )
}

fn write(dir: &Path, name: &str, rows: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    path
}

#[tokio::test]
async fn open_establishments_are_kept_closed_ones_deleted_idempotently() {
    let tmp = tempfile::tempdir().unwrap();
    for db in with_referentials().await {
        let store = &db.store;
        let refs = store.referential_data().await.unwrap();
        let centre = |insee: &str| {
            refs.communes
                .iter()
                .find(|c| c.insee.as_str() == insee)
                .and_then(|c| c.point)
                .unwrap()
        };
        let paris = centre("75056");
        let near = Projection::Lambert93
            .from_wgs84(GeoPoint::new(paris.lat() + 0.01, paris.lon()).unwrap());
        let far = Projection::Lambert93
            .from_wgs84(GeoPoint::new(paris.lat() + 1.0, paris.lon()).unwrap());
        let rows = [
            row(A, "A", "75056", "BOULANGERIE MARTIN", Some(near)),
            row(B, "A", "75056", "", Some(far)),
            row(C, "A", "", "SANS COMMUNE", None),
            row(D, "F", "75056", "FERMEE", None),
            row(A, "A", "75056", "DOUBLON", None),
            row("12345678901234", "A", "75056", "X", None),
        ];
        let path = write(tmp.path(), "stock.csv", &rows);
        let report = import(store, &path, &NoProgress).await.unwrap();
        assert_eq!(report.read, 6, "{report:?}");
        assert_eq!(
            (report.created, report.closed, report.rejected),
            (3, 1, 2),
            "{report:?}"
        );
        let got: Vec<(u64, &str)> = report
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        assert_eq!(got, [(6, "siret"), (7, "siret")]);
        assert_eq!(report.located_by_commune.too_far, 1);
        assert_eq!((report.unlocated, report.unnamed), (1, 1));
        let a = store.establishment(A).await.unwrap().unwrap();
        assert_eq!(a.name, "BOULANGERIE MARTIN");
        assert_eq!(a.naf.as_ref().unwrap().as_str(), "1071C");
        assert_eq!(a.headcount.as_deref(), Some("11"));
        assert_eq!(a.address, "12 RUE DES LILAS");
        assert!((a.point.unwrap().distance_km(&paris) - 1.11).abs() < 0.01);
        let b = store.establishment(B).await.unwrap().unwrap();
        assert_eq!(b.name, format!("Établissement {B}"));
        assert_eq!(b.point, Some(paris));
        assert_eq!(store.establishment(C).await.unwrap().unwrap().point, None);
        assert!(store.establishment(D).await.unwrap().is_none());
        assert_eq!(store.establishment_count().await.unwrap(), 3);
        assert_eq!(store.counts().await.unwrap().establishments, 3);

        // Again: nothing changes. Then A closes and B is renamed.
        let again = import(store, &path, &NoProgress).await.unwrap();
        assert_eq!(
            (again.created, again.updated, again.unchanged),
            (0, 0, 3),
            "{again:?}"
        );
        let next = write(
            tmp.path(),
            "stock-2.csv",
            &[
                row(A, "F", "75056", "", None),
                row(B, "A", "75056", "NOUVEAU", Some(far)),
            ],
        );
        let report = import(store, &next, &NoProgress).await.unwrap();
        assert_eq!(
            (report.closed_deleted, report.updated),
            (1, 1),
            "{report:?}"
        );
        assert!(store.establishment(A).await.unwrap().is_none());
        assert_eq!(
            store.establishment(B).await.unwrap().unwrap().name,
            "NOUVEAU"
        );
        db.cleanup().await;
    }
}
