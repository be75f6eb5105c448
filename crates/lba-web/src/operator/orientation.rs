//! `/operateur/orientation`: the orientation experiment per arm (method ×
//! presentation) and per method — visitors, suggestions shown, the share
//! who opened a fiche, started a search, started a module or sent an
//! application, with 95 % intervals — and the differences between methods
//! and presentations; `/operateur/orientation.csv`: the same as CSV.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use lba_app::orientation::{self, ArmStats, ExperimentStats, RateView};

use super::session::Operator;
use crate::AppState;
use crate::pages::{Meta, PageError, render};

#[derive(Template)]
#[template(path = "operateur/orientation.html")]
struct StatsPage {
    meta: Meta,
    csrf: String,
    s: ExperimentStats,
}

impl StatsPage {
    fn tables(&self) -> [(&'static str, &Vec<ArmStats>); 2] {
        [
            ("Par méthode", &self.s.methods),
            ("Par bras (méthode × présentation)", &self.s.arms),
        ]
    }

    fn rate(rate: &RateView) -> String {
        rate.display()
    }

    fn method(code: &str) -> &'static str {
        match code {
            "interets" => "Intérêts seulement",
            "avenir" => "Intérêts + métiers d'avenir",
            _ => "Toutes",
        }
    }

    fn presentation(code: &str) -> &'static str {
        match code {
            "avec_tension" => "avec la phrase sur les tensions",
            "sans_tension" => "sans la phrase sur les tensions",
            _ => "les deux présentations",
        }
    }

    fn arm_label(a: &ArmStats) -> String {
        format!(
            "{} · {}",
            Self::method(a.method),
            Self::presentation(a.presentation)
        )
    }
}

/// GET `/operateur/orientation`.
pub(crate) async fn stats(
    operator: Operator,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let s = orientation::stats(&state.store).await?;
    Ok(render(
        StatusCode::OK,
        &StatsPage {
            meta: Meta {
                title: "Orientation – Opérateurs – La bonne alternance".into(),
                description: "Expérimentation des méthodes d'orientation".into(),
            },
            csrf: operator.csrf,
            s,
        },
    ))
}

/// GET `/operateur/orientation.csv`.
pub(crate) async fn csv(
    _operator: Operator,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let s = orientation::stats(&state.store).await?;
    Ok(super::views::csv_attachment(
        "orientation.csv",
        orientation::stats_csv(&s),
    ))
}
