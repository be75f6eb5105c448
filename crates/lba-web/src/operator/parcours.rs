//! `/operateur/parcours`: the statistics of the learning modules per module
//! and content version (starts, completions, completion rate, median time)
//! and per situation (views, answers, right at first try, drop-off);
//! `/operateur/parcours.csv`: the same as CSV.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use lba_app::learning::{self, ModuleStatsView};

use super::session::Operator;
use crate::AppState;
use crate::pages::{Meta, PageError, render};

#[derive(Template)]
#[template(path = "operateur/parcours.html")]
struct StatsPage {
    meta: Meta,
    csrf: String,
    modules: Vec<ModuleStatsView>,
}

impl StatsPage {
    fn percent(value: &f64) -> String {
        format!("{value:.0} %")
    }

    fn share(value: &Option<f64>) -> String {
        value.map_or_else(|| "–".to_owned(), |v| format!("{v:.0} %"))
    }

    fn duration(seconds: &Option<i64>) -> String {
        match seconds {
            None => "–".to_owned(),
            Some(s) if *s < 60 => format!("{s} s"),
            Some(s) => format!("{} min {:02} s", s / 60, s % 60),
        }
    }
}

/// GET `/operateur/parcours`.
pub(crate) async fn stats(
    operator: Operator,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let modules = learning::stats(&state.store, &state.ops.learning).await?;
    Ok(render(
        StatusCode::OK,
        &StatsPage {
            meta: Meta {
                title: "Parcours – Opérateurs – La bonne alternance".into(),
                description: "Statistiques des parcours par version du contenu".into(),
            },
            csrf: operator.csrf,
            modules,
        },
    ))
}

/// GET `/operateur/parcours.csv`.
pub(crate) async fn csv(
    _operator: Operator,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let modules = learning::stats(&state.store, &state.ops.learning).await?;
    Ok(super::views::csv_attachment(
        "parcours.csv",
        learning::stats_csv(&modules),
    ))
}
