//! The body writer gives the same bytes as serialising the DTOs, over
//! searches drawn from the local demo (real referentials): every ROME code
//! of the companies, centres taken from the records themselves, several
//! radii and every choice of sources, each search written twice (the first
//! time rendering the records, the second from the kept renderings).

use axum::extract::Query;
use axum::http::Uri;
use lba_app::demo::{DemoConfig, Scale};
use lba_core::ids::CodeRome;
use lba_store::testing::TestDb;

use super::*;
use crate::api::v1::dto::responses::{Jobs, JobsEtFormations};
use crate::api::v1::query::JobsParams;

const SOURCES: [&str; 6] = [
    "",
    "&sources=lba",
    "&sources=matcha,offres",
    "&sources=partnerJob,lbb",
    "&sources=formation",
    "&sources=formation,matcha,lba",
];

async fn demo_index() -> (TestDb, Arc<Index>) {
    let db = TestDb::sqlite().await;
    let dir = lba_data::DataDir::resolve(Some(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data"
    ))))
    .unwrap();
    lba_app::import_referentials(&db.store, &dir, &lba_app::NoProgress)
        .await
        .unwrap();
    let config = DemoConfig {
        scale: Scale::Local,
        seed: 7,
        reference_date: chrono::Utc::now().date_naive(),
    };
    lba_app::demo::generate(&db.store, &config, &lba_app::NoProgress)
        .await
        .unwrap();
    let search = lba_app::Search::load(&db.store).await.unwrap();
    let index = search.snapshot();
    (db, index)
}

/// Totals of what was compared, to make sure the comparison is not empty.
#[derive(Default)]
struct Compared {
    bodies: usize,
    companies: usize,
    offers: usize,
    formations: usize,
    distances: usize,
}

fn compare(index: &Index, uri: &str, with_formations: bool, seen: &mut Compared) {
    let uri: Uri = uri.parse().unwrap();
    let Query(params) = Query::<JobsParams>::try_from_uri(&uri).unwrap();
    let (query, sources) = params
        .parse(index, with_formations)
        .unwrap_or_else(|e| panic!("{uri}: {e:?}"));
    let results = index.search(&query);
    let expected = if with_formations {
        serde_json::to_vec(&JobsEtFormations::new(&results, sources)).unwrap()
    } else {
        serde_json::to_vec(&Jobs::new(&results, sources)).unwrap()
    };
    for round in ["rendered", "kept"] {
        let written = if with_formations {
            jobs_et_formations(index, &results, sources).unwrap()
        } else {
            jobs(index, &results, sources).unwrap()
        };
        assert!(
            written == expected,
            "{uri} ({round}):\nwritten  {}\nexpected {}",
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&expected)
        );
    }
    seen.bodies += 1;
    seen.companies += results.companies.len();
    seen.offers += results.offers.len();
    seen.formations += results.formations.len();
    seen.distances += results
        .companies
        .iter()
        .filter(|h| h.distance_km.is_some())
        .count();
}

#[tokio::test]
async fn the_written_bodies_are_the_serialised_documents() {
    let (_db, index) = demo_index().await;
    let romes: Vec<CodeRome> = index.companies.romes().cloned().collect();
    assert!(romes.len() > 50, "{} ROME codes", romes.len());
    let docs = &index.companies.docs;
    let centres: Vec<(f64, f64)> = docs
        .iter()
        .step_by(docs.len() / 12)
        .map(|c| (c.place.point.lat(), c.place.point.lon()))
        .collect();
    let mut seen = Compared::default();
    for (i, rome) in romes.iter().enumerate() {
        let (lat, lon) = centres[i % centres.len()];
        let radius = [10, 30, 60, 200][i % 4];
        let sources = SOURCES[i % SOURCES.len()];
        let params = format!("romes={rome}&latitude={lat}&longitude={lon}&radius={radius}");
        compare(
            &index,
            &format!("/api/v1/jobsEtFormations?{params}{sources}"),
            true,
            &mut seen,
        );
        if !sources.contains("formation") {
            compare(
                &index,
                &format!("/api/v1/jobs?{params}{sources}"),
                false,
                &mut seen,
            );
            compare(
                &index,
                &format!("/api/v1/jobs?{params}{sources}&companySort=score"),
                false,
                &mut seen,
            );
        }
    }
    // The métiers of the offers, which the companies' do not all cover.
    // Centred on one of the offers of each métier.
    let mut offer_romes: Vec<(CodeRome, (f64, f64))> = index
        .offers
        .docs
        .iter()
        .map(|o| (o.rome.clone(), (o.place.point.lat(), o.place.point.lon())))
        .collect();
    offer_romes.sort_by(|a, b| a.0.cmp(&b.0));
    offer_romes.dedup_by(|a, b| a.0 == b.0);
    for (i, (rome, (lat, lon))) in offer_romes.iter().enumerate() {
        let sources = ["", "&sources=matcha,offres", "&sources=partnerJob"][i % 3];
        compare(
            &index,
            &format!(
                "/api/v1/jobs?romes={rome}&latitude={lat}&longitude={lon}&radius=200{sources}"
            ),
            false,
            &mut seen,
        );
    }
    // Several métiers at once, and a ROME domain.
    for (lat, lon) in &centres {
        let two = format!("{},{}", romes[0], romes[romes.len() / 2]);
        compare(
            &index,
            &format!("/api/v1/jobs?romes={two}&latitude={lat}&longitude={lon}&radius=100"),
            false,
            &mut seen,
        );
        compare(
            &index,
            &format!("/api/v1/jobsEtFormations?romeDomain=D&latitude={lat}&longitude={lon}"),
            true,
            &mut seen,
        );
    }
    assert!(seen.bodies > 300, "{} bodies", seen.bodies);
    assert!(seen.companies > 5_000, "{} companies", seen.companies);
    assert!(seen.offers > 1_000, "{} offers", seen.offers);
    assert!(seen.formations > 500, "{} courses", seen.formations);
    assert!(seen.distances > 5_000, "{} distances", seen.distances);
    assert!(index.companies.rendered.kept() > 1_000);
}
