//! Static front-end files, served from disk with their cache headers: the
//! French State Design System (`/assets/dsfr/…`), Leaflet (`/assets/leaflet/…`)
//! and our own scripts and styles (`/assets/app/…`). No CDN: the libraries
//! are npm packages installed by `build.rs` under `assets/node_modules`.
//!
//! The root directory defaults to this crate's `assets/` folder (fine for
//! `cargo run` and for a binary built on the machine that runs it); a
//! deployment that ships the binary elsewhere copies that folder and points
//! `LBA_ASSETS_DIR` at it.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use tower_http::services::ServeDir;

/// Environment variable overriding the assets root directory.
pub const ASSETS_DIR_ENV: &str = "LBA_ASSETS_DIR";

/// Library files change only when `package-lock.json` does.
const LIBRARY_CACHE: &str = "public, max-age=604800, immutable";
/// Our own files change with each release of the app.
const APP_CACHE: &str = "public, max-age=86400";

/// The assets root: `LBA_ASSETS_DIR` when set, else this crate's `assets/`.
pub fn assets_root() -> PathBuf {
    std::env::var_os(ASSETS_DIR_ENV)
        .filter(|dir| !dir.is_empty())
        .map_or_else(
            || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets")),
            PathBuf::from,
        )
}

/// Routes under `/assets`, served from [`assets_root`].
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    router_at(&assets_root())
}

/// Routes under `/assets`, served from `root`.
pub fn router_at<S: Clone + Send + Sync + 'static>(root: &Path) -> Router<S> {
    let dsfr = root.join("node_modules/@gouvfr/dsfr/dist");
    let leaflet = root.join("node_modules/leaflet/dist");
    for dir in [&dsfr, &leaflet] {
        if !dir.is_dir() {
            tracing::warn!(
                dir = %dir.display(),
                "front-end library missing: run `npm ci` in crates/lba-web/assets (or set {ASSETS_DIR_ENV})"
            );
        }
    }
    Router::new()
        .nest_service("/assets/dsfr", files(dsfr, LIBRARY_CACHE))
        .nest_service("/assets/leaflet", files(leaflet, LIBRARY_CACHE))
        .nest_service("/assets/app", files(root.join("app"), APP_CACHE))
}

/// A directory of files with a `Cache-Control` header on successful answers
/// (never on a 404, so a file added later is seen at once).
fn files<S: Clone + Send + Sync + 'static>(dir: PathBuf, cache: &'static str) -> Router<S> {
    Router::new()
        .fallback_service(ServeDir::new(dir).append_index_html_on_directories(false))
        .layer(axum::middleware::map_response(
            move |mut response: Response| async move {
                let status = response.status();
                if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
                    response
                        .headers_mut()
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
                }
                response
            },
        ))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use tower::ServiceExt;

    use super::*;

    async fn get(router: Router, uri: &str) -> Response {
        let request = Request::get(uri).body(Body::empty()).unwrap();
        router.oneshot(request).await.expect("infallible")
    }

    fn header_of(response: &Response, name: header::HeaderName) -> Option<&str> {
        response.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// A small assets root in a fresh temporary folder.
    fn fixture(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lba-assets-{}-{name}", std::process::id()));
        for (path, text) in [
            ("app/app.css", "body{}"),
            ("app/map.js", "void 0;"),
            ("node_modules/@gouvfr/dsfr/dist/dsfr.min.css", ":root{}"),
            ("node_modules/leaflet/dist/leaflet.js", "var L={};"),
        ] {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[tokio::test]
    async fn app_files_have_their_type_and_a_one_day_cache() {
        let dir = fixture("app");
        let css = get(router_at(&dir), "/assets/app/app.css").await;
        assert_eq!(css.status(), StatusCode::OK);
        assert_eq!(header_of(&css, header::CONTENT_TYPE), Some("text/css"));
        assert_eq!(header_of(&css, header::CACHE_CONTROL), Some(APP_CACHE));
        let js = get(router_at(&dir), "/assets/app/map.js").await;
        assert!(
            header_of(&js, header::CONTENT_TYPE).is_some_and(|t| t.contains("javascript")),
            "{:?}",
            js.headers()
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn libraries_are_served_from_node_modules_with_a_long_cache() {
        let dir = fixture("lib");
        let css = get(router_at(&dir), "/assets/dsfr/dsfr.min.css").await;
        assert_eq!(css.status(), StatusCode::OK);
        assert_eq!(header_of(&css, header::CACHE_CONTROL), Some(LIBRARY_CACHE));
        let js = get(router_at(&dir), "/assets/leaflet/leaflet.js").await;
        assert_eq!(js.status(), StatusCode::OK);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn unknown_or_escaping_paths_are_404_without_cache() {
        let dir = fixture("404");
        for uri in [
            "/assets/app/nope.js",
            "/assets/dsfr/nope.css",
            "/assets/app/../node_modules/leaflet/dist/leaflet.js",
            "/assets/app/%2e%2e/node_modules/leaflet/dist/leaflet.js",
        ] {
            let response = get(router_at(&dir), uri).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
            assert_eq!(header_of(&response, header::CACHE_CONTROL), None, "{uri}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn the_real_assets_folder_holds_the_app_files() {
        let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
        for file in ["autocomplete.js", "map.js", "app.css"] {
            let response = get(router_at(&root), &format!("/assets/app/{file}")).await;
            assert_eq!(response.status(), StatusCode::OK, "{file}");
        }
    }
}
