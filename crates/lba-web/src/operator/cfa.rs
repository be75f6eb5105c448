//! `/operateur/cfa`: the follow-up of the contact requests to CFAs over the
//! last 90 days, overall and per CFA (requests, share read, share
//! answered, median time to answer, share answered within 3 working days);
//! `/operateur/cfa.csv`: the same as CSV.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use lba_app::appointments::{self, CfaStats, FollowUp};

use super::session::Operator;
use crate::AppState;
use crate::pages::{Meta, PageError, render};

/// The window of the follow-up.
const DAYS: i64 = 90;

#[derive(Template)]
#[template(path = "operateur/cfa.html")]
struct FollowUpPage {
    meta: Meta,
    csrf: String,
    f: FollowUp,
    /// (UAI, address, date) of the suspended addresses.
    suspended: Vec<(String, String, String)>,
}

impl FollowUpPage {
    fn share(value: Option<f64>) -> String {
        value.map_or_else(|| "–".to_owned(), |v| format!("{:.0} %", v * 100.0))
    }

    fn hours(c: &CfaStats) -> String {
        match c.median_hours {
            None => "–".to_owned(),
            Some(h) if h < 48.0 => format!("{h:.0} h"),
            Some(h) => format!("{:.1} j", h / 24.0).replace('.', ","),
        }
    }
}

/// GET `/operateur/cfa`.
pub(crate) async fn follow_up(
    operator: Operator,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let f = appointments::follow_up(&state.store, DAYS, Utc::now()).await?;
    let suspended = appointments::suspended(&state.store)
        .await?
        .into_iter()
        .map(|(uai, email, at)| (uai, email, at.format("%d/%m/%Y").to_string()))
        .collect();
    Ok(render(
        StatusCode::OK,
        &FollowUpPage {
            meta: Meta {
                title: "Demandes aux CFA – Opérateurs – La bonne alternance".into(),
                description: "Suivi des demandes de contact aux CFA".into(),
            },
            csrf: operator.csrf,
            f,
            suspended,
        },
    ))
}

/// GET `/operateur/cfa.csv`.
pub(crate) async fn csv(
    _operator: Operator,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let f = appointments::follow_up(&state.store, DAYS, Utc::now()).await?;
    Ok(super::views::csv_attachment(
        "demandes-cfa.csv",
        appointments::follow_up_csv(&f),
    ))
}
