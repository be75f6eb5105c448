//! `GET /healthz`: liveness and readiness for load balancers.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::{AppError, AppState};

/// The health document.
#[derive(Serialize)]
pub(crate) struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

/// 200 with the version and backend when the database answers, 503 otherwise.
pub(crate) async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let database = lba_app::health::check(&state.store).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database,
    }))
}
