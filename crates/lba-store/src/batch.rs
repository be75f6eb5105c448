//! Batched multi-row `INSERT` (optionally `ON CONFLICT … DO UPDATE`),
//! written once for both backends.

use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Transaction};

use crate::portable::Portable;

/// SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535.
const MAX_PARAMS: usize = 30_000;
/// Rows per statement: large enough to amortise round trips.
const MAX_ROWS: usize = 1_000;

/// Inserts `rows` in batches; with a non-empty `key`, existing rows with the
/// same key are updated instead. `bind` binds one row's values in `columns`
/// order (with `PushValue::push_value`).
pub(crate) async fn insert<'a, DB: Portable, T: 'a + Sync>(
    tx: &mut Transaction<'_, DB>,
    table: &str,
    columns: &[&str],
    key: &[&str],
    rows: impl IntoIterator<Item = &'a T>,
    mut bind: impl FnMut(&mut Separated<'_, 'a, DB, &'static str>, &'a T),
) -> Result<u64, sqlx::Error> {
    let per_batch = (MAX_PARAMS / columns.len()).min(MAX_ROWS);
    let rows: Vec<&'a T> = rows.into_iter().collect();
    let mut written = 0;
    for chunk in rows.chunks(per_batch) {
        let mut query =
            QueryBuilder::<DB>::new(format!("INSERT INTO {table} ({}) ", columns.join(", ")));
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
        written += DB::execute_builder(tx, &mut query).await?;
    }
    Ok(written)
}

/// Deletes every row of `table`.
pub(crate) async fn clear<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    table: &str,
) -> Result<(), sqlx::Error> {
    DB::execute(tx, sqlx::query(&format!("DELETE FROM {table}"))).await?;
    Ok(())
}
