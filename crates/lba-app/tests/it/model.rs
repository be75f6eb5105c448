//! The hiring-potential model end to end on both backends: demo
//! establishments and synthetic history → train → evaluate → score →
//! companies found by the search; guard rails on broken data.

use std::path::{Path, PathBuf};

use lba_app::model::demo::{DemoHiringsConfig, generate};
use lba_app::model::{ModelError, ModelSettings, import_history, score, train};
use lba_app::{NoProgress, Search, import_referentials};
use lba_core::ids::CodeRome;
use lba_core::opportunity::{Company, Place, RomeScore};
use lba_data::DataDir;
use lba_model::guard::GuardViolation;
use lba_model::lift::at;
use lba_search::query::{CompanySort, RomeFilter, SearchQuery};
use lba_store::Store;
use lba_store::testing::TestDb;

fn shared_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

async fn referentials(store: &Store) {
    let dir = DataDir::resolve(Some(&shared_data())).unwrap();
    import_referentials(store, &dir, &NoProgress).await.unwrap();
}

fn demo(n: u64, seed: u64) -> DemoHiringsConfig {
    DemoHiringsConfig {
        establishments: n,
        seed,
        last_period: "2025-S2".parse().unwrap(),
        periods: 10,
    }
}

async fn demo_history(store: &Store, n: u64, seed: u64, file: &Path) {
    let report = generate(store, &demo(n, seed), file).await.unwrap();
    assert_eq!(report.establishments, n);
    let imported = import_history(store, file, &NoProgress).await.unwrap();
    assert_eq!(imported.rejected, 0, "{:?}", imported.rejects);
    assert_eq!(imported.stored, report.rows);
}

fn refused(result: Result<lba_app::model::ScoreReport, ModelError>) -> Vec<GuardViolation> {
    match result {
        Err(ModelError::Refused(v)) => v,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn demo_history_trains_evaluates_and_publishes_companies_found_by_search() {
    for db in TestDb::all().await {
        let store = &db.store;
        referentials(store).await;
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("embauches.csv");
        demo_history(store, 2_000, 5, &file).await;
        let settings = ModelSettings::default();

        let trained = train(store, &settings).await.unwrap();
        let eval = &trained.evaluation;
        assert_eq!(eval.test_period.to_string(), "2025-S2");
        assert_eq!(trained.predicted_period.to_string(), "2026-S1");
        assert_eq!(trained.establishments, 2_000);
        assert!(trained.violations.is_empty(), "{:?}", trained.violations);
        let headcount = at(&eval.by_headcount, 10).unwrap();
        for v in &eval.variants {
            let top10 = at(&v.lift, 10).unwrap();
            assert!(top10 >= 20.0, "{:?}: {top10}", v.kind);
            assert!(top10 >= headcount, "{:?}: {top10} < {headcount}", v.kind);
        }
        let (run, stored) = lba_app::model::last_evaluation(store).await.unwrap();
        assert!(!run.published);
        // Stored as JSON: the same figures (to the last few ulps).
        assert_eq!(stored.evaluation.chosen, eval.chosen);
        assert_eq!(stored.run_id, run.id);
        for (a, b) in stored.evaluation.variants.iter().zip(&eval.variants) {
            for (p, q) in a.lift.iter().zip(&b.lift) {
                assert!((p.captured_pct - q.captured_pct).abs() < 1e-9);
            }
        }

        let report = score(store, &settings, false).await.unwrap();
        assert!(report.drift.is_none());
        assert!(report.qualifying > 100, "{report:?}");
        assert_eq!(report.companies.written as usize, report.qualifying);
        let companies = store.companies().await.unwrap();
        assert_eq!(companies.len(), report.qualifying);
        assert!(
            companies
                .iter()
                .all(|c| c.siret.as_str().starts_with("998"))
        );
        assert!(
            companies
                .iter()
                .all(|c| c.romes.iter().all(|r| r.score >= 5) && !c.romes.is_empty())
        );

        // The search finds the best company of a métier around it, best first.
        let best = companies.iter().max_by_key(|c| c.romes[0].score).unwrap();
        let rome = best.romes[0].rome.clone();
        let search = Search::load(store).await.unwrap();
        let mut q = SearchQuery::new(
            RomeFilter::codes(vec![rome.clone()]).unwrap(),
            Some(best.place.point),
        );
        q.company_sort = CompanySort::Score;
        let hits = search.snapshot().search(&q).companies;
        assert!(hits.iter().any(|h| h.item.siret == best.siret));
        let scores: Vec<u8> = hits
            .iter()
            .map(|h| h.item.best_score(std::slice::from_ref(&rome)))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

        // Retraining on the same data publishes the same scores (no drift).
        train(store, &settings).await.unwrap();
        let again = score(store, &settings, false).await.unwrap();
        let drift = again.drift.unwrap();
        assert_eq!(drift.compared, 2_000);
        assert_eq!(drift.mean_score_change, 0.0);
        assert_eq!(again.companies.removed, 0);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn guard_rails_fire_on_broken_data() {
    for db in TestDb::all().await {
        let store = &db.store;
        referentials(store).await;
        let tmp = tempfile::tempdir().unwrap();
        let settings = ModelSettings::default();

        // Too few establishments.
        demo_history(store, 60, 1, &tmp.path().join("small.csv")).await;
        train(store, &settings).await.unwrap();
        let v = refused(score(store, &settings, true).await);
        assert!(
            v.iter()
                .any(|v| matches!(v, GuardViolation::TooFewEstablishments { count: 60, .. })),
            "{v:?}"
        );
        assert_eq!(store.companies().await.unwrap().len(), 0);

        // All-zero hirings.
        let zeros = tmp.path().join("zeros.csv");
        generate(store, &demo(400, 2), &tmp.path().join("ignored.csv"))
            .await
            .unwrap();
        let mut csv = String::from("siret;period;hirings;apprentice_hirings\n");
        for e in store.establishments().await.unwrap() {
            for p in ["2021-S1", "2025-S2"] {
                csv.push_str(&format!("{};{p};0;0\n", e.siret));
            }
        }
        std::fs::write(&zeros, csv).unwrap();
        import_history(store, &zeros, &NoProgress).await.unwrap();
        train(store, &settings).await.unwrap();
        let v = refused(score(store, &settings, true).await);
        assert!(v.contains(&GuardViolation::NoHirings), "{v:?}");

        // Scores shuffled between runs: publish seed 3, then the same
        // SIRETs with another history (seed 4).
        demo_history(store, 1_500, 3, &tmp.path().join("a.csv")).await;
        train(store, &settings).await.unwrap();
        let first = score(store, &settings, false).await.unwrap();
        assert!(first.companies.written > 0);
        // A company of another source and an excluded SIRET are left alone.
        let other = Company {
            siret: "51234567800001".parse().unwrap(),
            is_demo: false,
            name: "AUTRE SOURCE".into(),
            naf: None,
            headcount: None,
            place: Place {
                address: Default::default(),
                postal_code: None,
                commune_insee: None,
                city: "Lyon".into(),
                point: lba_core::geo::GeoPoint::new(45.76, 4.83).unwrap(),
            },
            romes: vec![RomeScore {
                rome: "D1102".parse::<CodeRome>().unwrap(),
                score: 50,
            }],
            email: None,
            phone: None,
            website: None,
        };
        store.upsert_companies(&[other]).await.unwrap();

        demo_history(store, 1_500, 4, &tmp.path().join("b.csv")).await;
        train(store, &settings).await.unwrap();
        let v = refused(score(store, &settings, false).await);
        assert!(
            !v.is_empty() && v.iter().all(GuardViolation::forcible),
            "{v:?}"
        );
        assert!(v[0].to_string().contains("--force"));
        // Nothing changed.
        let before = store.companies().await.unwrap().len() as u64;
        assert_eq!(before, first.companies.written + 1);

        let forced = score(store, &settings, true).await.unwrap();
        assert!(!forced.forced.is_empty());
        let after = store.companies().await.unwrap();
        assert!(after.iter().any(|c| c.name == "AUTRE SOURCE"));
        assert_eq!(after.len() as u64, forced.companies.written + 1);
        assert!(
            forced.companies.removed > 0 || forced.companies.written != first.companies.written
        );
        db.cleanup().await;
    }
}
