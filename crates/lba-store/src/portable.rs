//! Code written once for both backends as ordinary generic functions.
//!
//! sqlx states what a backend can bind and execute as bounds on types other
//! than the backend (`&str: Encode<'q, DB>`, `&mut DB::Connection: Executor`),
//! and Rust does not carry such bounds through a trait. [`Portable`] names
//! them once, implemented for [`Sqlite`] and [`Postgres`], so that a writer
//! is a function generic over `DB: Portable` instead of a macro instantiated
//! per backend.

use std::future::Future;

use sqlx::query::Query;
use sqlx::query_builder::Separated;
use sqlx::{Database, Encode, Executor, Postgres, QueryBuilder, Sqlite, Transaction, Type};

/// A value that both backends can bind.
pub(crate) trait Value<'q>:
    'q + Send + Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres>
{
}

impl<'q, T> Value<'q> for T where
    T: 'q + Send + Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres>
{
}

/// The arguments of a query of `DB`.
pub(crate) type Args<'q, DB> = <DB as Database>::Arguments<'q>;

/// A backend that generic code can bind values and execute queries on.
pub(crate) trait Portable: Database {
    /// Binds `value` in a `VALUES` row of a query builder.
    fn push_value<'q>(row: &mut Separated<'_, 'q, Self, &'static str>, value: impl Value<'q>);

    /// Binds the next `$n` parameter of `query`.
    fn bind_value<'q>(
        query: Query<'q, Self, Args<'q, Self>>,
        value: impl Value<'q>,
    ) -> Query<'q, Self, Args<'q, Self>>;

    /// Executes `query` in `tx`; the number of rows affected.
    fn execute<'q>(
        tx: &mut Transaction<'_, Self>,
        query: Query<'q, Self, Args<'q, Self>>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    /// Executes the query built so far in `tx`; the number of rows affected.
    fn execute_builder<'q>(
        tx: &mut Transaction<'_, Self>,
        query: &mut QueryBuilder<'q, Self>,
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    /// The first column (text) of every row `sql` returns in `tx`.
    fn strings(
        tx: &mut Transaction<'_, Self>,
        sql: &str,
    ) -> impl Future<Output = Result<Vec<String>, sqlx::Error>> + Send;
}

// One implementation per backend: the same bodies, each checked against its
// concrete backend (a generic body cannot state the bounds, see above).

impl Portable for Sqlite {
    fn push_value<'q>(row: &mut Separated<'_, 'q, Self, &'static str>, value: impl Value<'q>) {
        row.push_bind(value);
    }

    fn bind_value<'q>(
        query: Query<'q, Self, Args<'q, Self>>,
        value: impl Value<'q>,
    ) -> Query<'q, Self, Args<'q, Self>> {
        query.bind(value)
    }

    async fn execute<'q>(
        tx: &mut Transaction<'_, Self>,
        query: Query<'q, Self, Args<'q, Self>>,
    ) -> Result<u64, sqlx::Error> {
        Ok((&mut **tx).execute(query).await?.rows_affected())
    }

    async fn execute_builder<'q>(
        tx: &mut Transaction<'_, Self>,
        query: &mut QueryBuilder<'q, Self>,
    ) -> Result<u64, sqlx::Error> {
        Ok(query.build().execute(&mut **tx).await?.rows_affected())
    }

    async fn strings(
        tx: &mut Transaction<'_, Self>,
        sql: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar(sql).fetch_all(&mut **tx).await
    }
}

impl Portable for Postgres {
    fn push_value<'q>(row: &mut Separated<'_, 'q, Self, &'static str>, value: impl Value<'q>) {
        row.push_bind(value);
    }

    fn bind_value<'q>(
        query: Query<'q, Self, Args<'q, Self>>,
        value: impl Value<'q>,
    ) -> Query<'q, Self, Args<'q, Self>> {
        query.bind(value)
    }

    async fn execute<'q>(
        tx: &mut Transaction<'_, Self>,
        query: Query<'q, Self, Args<'q, Self>>,
    ) -> Result<u64, sqlx::Error> {
        Ok((&mut **tx).execute(query).await?.rows_affected())
    }

    async fn execute_builder<'q>(
        tx: &mut Transaction<'_, Self>,
        query: &mut QueryBuilder<'q, Self>,
    ) -> Result<u64, sqlx::Error> {
        Ok(query.build().execute(&mut **tx).await?.rows_affected())
    }

    async fn strings(
        tx: &mut Transaction<'_, Self>,
        sql: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar(sql).fetch_all(&mut **tx).await
    }
}

/// `.push_value(v)` on a row of [`sqlx::QueryBuilder::push_values`], for any
/// [`Portable`] backend (the inherent `push_bind` needs a concrete one).
pub(crate) trait PushValue<'q> {
    /// Binds `value` and returns the row for chaining.
    fn push_value(&mut self, value: impl Value<'q>) -> &mut Self;
}

impl<'q, DB: Portable> PushValue<'q> for Separated<'_, 'q, DB, &'static str> {
    fn push_value(&mut self, value: impl Value<'q>) -> &mut Self {
        DB::push_value(self, value);
        self
    }
}

/// `.bind_value(v)` on a query, for any [`Portable`] backend.
pub(crate) trait BindValue<'q> {
    /// Binds the next parameter.
    fn bind_value(self, value: impl Value<'q>) -> Self;
}

impl<'q, DB: Portable> BindValue<'q> for Query<'q, DB, Args<'q, DB>> {
    fn bind_value(self, value: impl Value<'q>) -> Self {
        DB::bind_value(self, value)
    }
}
