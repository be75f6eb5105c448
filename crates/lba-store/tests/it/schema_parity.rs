//! The two migration folders are written by hand: this test migrates both
//! backends and compares the schemas they produce (tables, columns with
//! their nullability, and indexes by table, columns and uniqueness).
//! Column types are not compared: the two type systems differ by design
//! (SQLite `INTEGER` milliseconds vs PostgreSQL `BIGINT`, `TEXT` vs `TEXT`).
//! Needs `LBA_TEST_PG_URL` (set by `.ci/run`).

use std::collections::BTreeSet;

use lba_store::Store;
use lba_store::testing::TestDb;
use sqlx::Row;

/// A table's column: name and whether it accepts NULL.
type Column = (String, String, bool);
/// An index: table, its columns in order, unique or not.
type Index = (String, Vec<String>, bool);

/// Tables of the migration tool itself, not of the application.
fn ours(table: &str) -> bool {
    !table.starts_with("_sqlx") && !table.starts_with("sqlite_")
}

async fn sqlite_schema(pool: &sqlx::SqlitePool) -> (BTreeSet<Column>, BTreeSet<Index>) {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut columns = BTreeSet::new();
    let mut indexes = BTreeSet::new();
    for table in tables.into_iter().filter(|t| ours(t)) {
        let rows = sqlx::query(&format!("PRAGMA table_info(\"{table}\")"))
            .fetch_all(pool)
            .await
            .unwrap();
        for row in rows {
            let name: String = row.get("name");
            let notnull: i64 = row.get("notnull");
            let pk: i64 = row.get("pk");
            // A primary key column never holds NULL, whatever the pragma says.
            columns.insert((table.clone(), name, notnull == 0 && pk == 0));
        }
        let list = sqlx::query(&format!("PRAGMA index_list(\"{table}\")"))
            .fetch_all(pool)
            .await
            .unwrap();
        for index in list {
            let origin: String = index.get("origin");
            if origin == "pk" {
                continue;
            }
            let name: String = index.get("name");
            let unique: i64 = index.get("unique");
            let cols: Vec<String> = sqlx::query(&format!("PRAGMA index_info(\"{name}\")"))
                .fetch_all(pool)
                .await
                .unwrap()
                .into_iter()
                .map(|r| {
                    r.get::<Option<String>, _>("name")
                        .unwrap_or_else(|| "<expr>".into())
                })
                .collect();
            indexes.insert((table.clone(), cols, unique == 1));
        }
    }
    (columns, indexes)
}

async fn postgres_schema(pool: &sqlx::PgPool) -> (BTreeSet<Column>, BTreeSet<Index>) {
    let rows = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, is_nullable::text AS n \
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let columns = rows
        .into_iter()
        .map(|r| {
            let n: String = r.get("n");
            (r.get::<String, _>("t"), r.get::<String, _>("c"), n == "YES")
        })
        .filter(|(t, _, _)| ours(t))
        .collect();
    // Index columns in key order; expression indexes show as `<expr>`.
    let rows = sqlx::query(
        "SELECT t.relname::text AS t, ix.indisunique AS u, \
                ARRAY(SELECT COALESCE(a.attname::text, '<expr>') \
                      FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                      LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                      ORDER BY k.ord) AS cols \
         FROM pg_index ix \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace ns ON ns.oid = t.relnamespace \
         WHERE ns.nspname = current_schema() AND NOT ix.indisprimary",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let indexes = rows
        .into_iter()
        .map(|r| {
            (
                r.get::<String, _>("t"),
                r.get::<Vec<String>, _>("cols"),
                r.get::<bool, _>("u"),
            )
        })
        .filter(|(t, _, _)| ours(t))
        .collect();
    (columns, indexes)
}

fn diff<T: Ord + Clone + std::fmt::Debug>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> Vec<T> {
    a.difference(b).cloned().collect()
}

#[tokio::test]
async fn both_backends_end_with_the_same_schema() {
    let Some(pg) = TestDb::postgres().await else {
        eprintln!("LBA_TEST_PG_URL unset: schema parity not checked (CI sets it)");
        return;
    };
    let sqlite = TestDb::sqlite().await;
    let (Store::Sqlite(sqlite_pool), Store::Postgres(pg_pool)) = (&sqlite.store, &pg.store) else {
        panic!("unexpected backends");
    };
    let (s_cols, s_idx) = sqlite_schema(sqlite_pool).await;
    let (p_cols, p_idx) = postgres_schema(pg_pool).await;
    assert!(s_cols.len() > 50, "schema read: {} columns", s_cols.len());
    let only_sqlite = diff(&s_cols, &p_cols);
    let only_pg = diff(&p_cols, &s_cols);
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "columns (table, column, nullable) differ:\n  only in SQLite: {only_sqlite:?}\n  only in PostgreSQL: {only_pg:?}"
    );
    let only_sqlite = diff(&s_idx, &p_idx);
    let only_pg = diff(&p_idx, &s_idx);
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "indexes (table, columns, unique) differ:\n  only in SQLite: {only_sqlite:?}\n  only in PostgreSQL: {only_pg:?}"
    );
    pg.cleanup().await;
    sqlite.cleanup().await;
}
