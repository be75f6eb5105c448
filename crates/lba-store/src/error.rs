//! Storage errors.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not usable.
    #[error("invalid database URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL, with any password removed.
        url: String,
        /// Why.
        reason: String,
    },
    /// Creating the directory of the SQLite file failed.
    #[error("cannot create directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Applying migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    /// A stored row does not decode into a domain value.
    #[error("stored {table} `{key}` is invalid: {detail}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row's key.
        key: String,
        /// What is wrong.
        detail: String,
    },
    /// A stored report could not be encoded.
    #[error("cannot encode report: {0}")]
    Encode(#[from] serde_json::Error),
}

/// Removes the password from a URL before it is shown anywhere.
pub(crate) fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://lba:secret@db:5432/lba"),
            "postgres://lba:***@db:5432/lba"
        );
        assert_eq!(redact_url("postgres://db/lba"), "postgres://db/lba");
        assert_eq!(redact_url("var/lba.db"), "var/lba.db");
    }
}
