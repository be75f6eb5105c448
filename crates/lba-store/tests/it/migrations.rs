use lba_store::testing::TestDb;
use lba_store::{Backend, Store};

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = Store::migrations(Backend::Sqlite);
    let postgres = Store::migrations(Backend::Postgres);
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migration folders must have the same numbers and names"
    );
}

#[test]
fn migration_folders_hold_the_same_file_names() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let names = |backend: &str| {
        let mut names: Vec<String> = std::fs::read_dir(format!("{root}/{backend}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[tokio::test]
async fn migrating_twice_is_a_no_op_and_an_empty_store_counts_zero() {
    for db in TestDb::all().await {
        db.store.migrate().await.unwrap();
        let counts = db.store.counts().await.unwrap();
        assert_eq!(
            counts,
            lba_store::status::Counts::default(),
            "{:?}",
            db.backend()
        );
        assert!(db.store.is_empty().await.unwrap());
        db.store.ping().await.unwrap();
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_bad_url_is_refused_with_a_clear_message() {
    let error = Store::connect("mysql://localhost/db").await.unwrap_err();
    assert!(
        error.to_string().contains("mysql://localhost/db"),
        "{error}"
    );
    let error = Store::connect("postgres://lba:secret@127.0.0.1:notaport/none")
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(!message.contains("secret"), "password leaked: {message}");
}

#[tokio::test]
async fn sqlite_creates_the_directory_of_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/lba.db");
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert!(path.exists());
    assert_eq!(store.backend(), Backend::Sqlite);
    store.close().await;
}
