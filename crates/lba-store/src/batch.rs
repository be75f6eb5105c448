//! Batched multi-row `INSERT` (optionally `ON CONFLICT … DO UPDATE`),
//! written once and compiled for each backend.

/// SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535.
const MAX_PARAMS: usize = 30_000;
/// Rows per statement: large enough to amortise round trips.
const MAX_ROWS: usize = 1_000;

macro_rules! batch_module {
    ($module:ident, $db:ty) => {
        pub(crate) mod $module {
            use sqlx::query_builder::Separated;
            use sqlx::{QueryBuilder, Transaction};

            use super::{MAX_PARAMS, MAX_ROWS};

            type Db = $db;

            /// Inserts `rows` in batches; with a non-empty `key`, existing rows
            /// with the same key are updated instead.
            pub(crate) async fn insert<'a, T: 'a>(
                tx: &mut Transaction<'_, Db>,
                table: &str,
                columns: &[&str],
                key: &[&str],
                rows: impl IntoIterator<Item = &'a T>,
                mut bind: impl FnMut(&mut Separated<'_, 'a, Db, &'static str>, &'a T),
            ) -> Result<u64, sqlx::Error> {
                let per_batch = (MAX_PARAMS / columns.len()).min(MAX_ROWS);
                let rows: Vec<&'a T> = rows.into_iter().collect();
                let mut written = 0;
                for chunk in rows.chunks(per_batch) {
                    let mut query = QueryBuilder::<Db>::new(format!(
                        "INSERT INTO {table} ({}) ",
                        columns.join(", ")
                    ));
                    query.push_values(chunk.iter().copied(), |mut row, item| bind(&mut row, item));
                    if !key.is_empty() {
                        let updates: Vec<String> = columns
                            .iter()
                            .filter(|c| !key.contains(c))
                            .map(|c| format!("{c} = excluded.{c}"))
                            .collect();
                        query.push(format!(
                            " ON CONFLICT ({}) DO UPDATE SET {}",
                            key.join(", "),
                            updates.join(", ")
                        ));
                    }
                    written += query.build().execute(&mut **tx).await?.rows_affected();
                }
                Ok(written)
            }

            /// Deletes every row of `table`.
            pub(crate) async fn clear(
                tx: &mut Transaction<'_, Db>,
                table: &str,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(&format!("DELETE FROM {table}"))
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }
    };
}

batch_module!(sqlite, sqlx::Sqlite);
batch_module!(postgres, sqlx::Postgres);
