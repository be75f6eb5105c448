//! The search index snapshot, on both backends: a restart reads the
//! records from the file while the data is unchanged, builds from the store
//! once it changed, and ignores a damaged file.

use std::path::Path;

use chrono::NaiveDate;
use lba_app::demo::{self, DemoConfig, Scale};
use lba_app::{NoProgress, Search, import_referentials};
use lba_core::geo::GeoPoint;
use lba_data::DataDir;
use lba_search::{Index, RomeFilter, SearchQuery};
use lba_store::Store;
use lba_store::testing::TestDb;

use crate::campaigns::execute;

async fn with_demo(store: &Store) {
    let dir = DataDir::resolve(Some(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data"
    ))))
    .unwrap();
    import_referentials(store, &dir, &NoProgress).await.unwrap();
    let config = DemoConfig {
        scale: Scale::Local,
        seed: 11,
        reference_date: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
    };
    demo::generate(store, &config, &NoProgress).await.unwrap();
}

/// The records, versions and answers of two snapshots are the same.
fn assert_same(a: &Index, b: &Index) {
    assert_eq!(a.version, b.version);
    assert_eq!(a.base_version, b.base_version);
    assert!(a.formations.docs == b.formations.docs, "courses differ");
    assert!(a.offers.docs == b.offers.docs, "offers differ");
    assert!(a.companies.docs == b.companies.docs, "companies differ");
    assert_eq!(a.posted_by_cfa, b.posted_by_cfa);
    assert_eq!(a.rncp_romes, b.rncp_romes);
    for text in ["boulang", "mecanisien", "coiffure", "bts"] {
        assert_eq!(
            a.metiers.search(text, 10),
            b.metiers.search(text, 10),
            "{text}"
        );
    }
    for text in ["lyon", "st etienne", "75011"] {
        assert_eq!(
            a.places.search(text, 10),
            b.places.search(text, 10),
            "{text}"
        );
    }
    let lyon = GeoPoint::new(45.764, 4.8357).unwrap();
    for rome in a.companies.romes().take(40) {
        let query = SearchQuery::new(RomeFilter::Codes(vec![rome.clone()]), Some(lyon));
        assert_eq!(a.search(&query), b.search(&query), "{rome}");
    }
}

#[tokio::test]
async fn a_restart_reads_the_snapshot_until_the_data_changes() {
    for db in TestDb::all().await {
        let backend = db.backend();
        with_demo(&db.store).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("nested").join("index");

        let first = Search::load_with_snapshot(&db.store, file.clone())
            .await
            .unwrap();
        first.snapshot_saved().await;
        let size = first.save_snapshot().await.unwrap().unwrap();
        assert_eq!(std::fs::metadata(&file).unwrap().len(), size, "{backend:?}");

        // A company deleted behind the store's back (no new data version):
        // the restart does not see it, so it read the file.
        let siret = first.snapshot().companies.docs[0].siret.to_string();
        execute(
            &db.store,
            &format!("DELETE FROM companies WHERE siret = '{siret}'"),
        )
        .await;
        let second = Search::load_with_snapshot(&db.store, file.clone())
            .await
            .unwrap();
        assert_same(&first.snapshot(), &second.snapshot());
        assert!(second.snapshot().companies.get(&siret).is_some());

        // A real change bumps the version: the next start builds from the
        // store, and the snapshot written after it is used again.
        let mut moved = (*first.snapshot().companies.docs[1]).clone();
        moved.name = "Boulangerie déplacée".into();
        db.store.upsert_companies(&[moved]).await.unwrap();
        let third = Search::load_with_snapshot(&db.store, file.clone())
            .await
            .unwrap();
        let index = third.snapshot();
        assert!(index.companies.get(&siret).is_none(), "{backend:?}");
        assert_eq!(
            index.companies.docs.len(),
            first.snapshot().companies.docs.len() - 1
        );
        third.snapshot_saved().await;
        let fourth = Search::load_with_snapshot(&db.store, file.clone())
            .await
            .unwrap();
        assert_same(&index, &fourth.snapshot());
        let built = Search::load(&db.store).await.unwrap();
        assert_same(&built.snapshot(), &fourth.snapshot());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_damaged_snapshot_is_ignored() {
    let db = TestDb::sqlite().await;
    with_demo(&db.store).await;
    let built = Search::load(&db.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("index");
    let search = Search::load_with_snapshot(&db.store, file.clone())
        .await
        .unwrap();
    search.save_snapshot().await.unwrap();
    let good = std::fs::read(&file).unwrap();
    let middle = good.len() / 2;
    let mut flipped = good.clone();
    flipped[middle] ^= 0x40;
    let damaged: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("garbage", b"not an index at all".repeat(100)),
        ("truncated", good[..middle].to_vec()),
        ("one byte changed", flipped),
        ("trailing bytes", [good.as_slice(), b"x"].concat()),
    ];
    search.snapshot_saved().await;
    for (what, bytes) in damaged {
        std::fs::write(&file, &bytes).unwrap();
        let search = Search::load_with_snapshot(&db.store, file.clone())
            .await
            .unwrap();
        assert_same(&built.snapshot(), &search.snapshot());
        // It is replaced by a good one, in the background.
        search.snapshot_saved().await;
        assert_eq!(std::fs::read(&file).unwrap(), good, "{what}");
    }
    // Without a file, nothing is written.
    assert!(built.save_snapshot().await.unwrap().is_none());
    db.cleanup().await;
}
