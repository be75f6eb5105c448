//! Fresh databases for tests: a temporary SQLite file always, and a new
//! PostgreSQL database whenever `LBA_TEST_PG_URL` is set, so that the same
//! test body runs on both backends.

pub mod pro;

use crate::{Backend, Store};

/// The variable naming a PostgreSQL server for tests
/// (e.g. `postgres://postgres@127.0.0.1:5432/test`).
pub const PG_URL_VAR: &str = "LBA_TEST_PG_URL";

/// A migrated, empty database that lives as long as this value (SQLite) or
/// until [`TestDb::cleanup`] (PostgreSQL).
#[derive(Debug)]
pub struct TestDb {
    /// The store.
    pub store: Store,
    /// Its URL.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A new SQLite file in a temporary directory.
    ///
    /// # Panics
    /// When the database cannot be created (tests only).
    #[expect(
        clippy::expect_used,
        reason = "test helper: failing loudly is the point"
    )]
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = dir.path().join("lba.db").display().to_string();
        let store = Store::connect(&url).await.expect("open SQLite");
        store.migrate().await.expect("migrate SQLite");
        Self {
            store,
            url,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// A new PostgreSQL database on the server of `LBA_TEST_PG_URL`, or
    /// `None` when the variable is not set.
    ///
    /// # Panics
    /// When the variable is set but the server cannot be used: a configured
    /// PostgreSQL suite must not silently skip.
    #[expect(
        clippy::expect_used,
        reason = "test helper: failing loudly is the point"
    )]
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var(PG_URL_VAR).ok().filter(|u| !u.is_empty())?;
        let name = format!("lba_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Store::connect(&admin_url)
            .await
            .expect("LBA_TEST_PG_URL is set but PostgreSQL is not reachable");
        if let Store::Postgres(pool) = &admin {
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(pool)
                .await
                .expect("create test database");
        }
        admin.close().await;
        let url = replace_database(&admin_url, &name);
        let store = Store::connect(&url).await.expect("open test database");
        store.migrate().await.expect("migrate PostgreSQL");
        Some(Self {
            store,
            url,
            _dir: None,
            pg: Some((admin_url, name)),
        })
    }

    /// SQLite, plus PostgreSQL when configured.
    pub async fn all() -> Vec<Self> {
        let mut dbs = vec![Self::sqlite().await];
        if let Some(pg) = Self::postgres().await {
            dbs.push(pg);
        }
        dbs
    }

    /// The backend of this database.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Closes the store and drops a PostgreSQL test database.
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = &self.pg
            && let Ok(Store::Postgres(pool)) = Store::connect(admin_url).await
        {
            {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&pool)
                    .await;
                pool.close().await;
            }
        }
    }
}

/// `postgres://u@h:5432/test?x=y` with `name` → `postgres://u@h:5432/name?x=y`.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            replace_database("postgres://h/test?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://h", "x"), "postgres://h/x");
    }
}
