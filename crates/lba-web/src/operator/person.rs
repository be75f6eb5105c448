//! `/operateur/personnes/{id}`: one young person's path (wishes, arms, and
//! one dated timeline of messages, visits through their tracked links,
//! modules, orientation, CFA requests and answers, applications and
//! outcomes), and its export `/operateur/personnes/{id}/parcours.csv`
//! (pseudonymised). `/operateur/personnes?id=…` is the search form's target.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lba_app::campaigns::CampaignError;
use lba_app::person::{self, EntryKind, PersonPath};

use super::session::Operator;
use crate::AppState;
use crate::pages::{Meta, PageError, render};

struct Entry {
    when: String,
    datetime: String,
    label: &'static str,
    text: String,
    campaign: Option<String>,
}

#[derive(Template)]
#[template(path = "operateur/personne.html")]
struct PersonPage {
    meta: Meta,
    csrf: String,
    p: PersonPath,
    entries: Vec<Entry>,
}

fn label(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Arm => "Campagne",
        EntryKind::Message => "Message",
        EntryKind::MessageEvent => "Suivi du message",
        EntryKind::Module => "Module",
        EntryKind::Orientation => "Orientation",
        EntryKind::Cfa => "CFA",
        EntryKind::Application => "Candidature",
        EntryKind::Outcome => "Résultat",
    }
}

async fn load(state: &AppState, id: &str) -> Result<PersonPath, PageError> {
    match person::path(&state.store, id).await {
        Ok(p) => Ok(p),
        Err(CampaignError::NotFound) => Err(PageError::NotFound),
        Err(CampaignError::Store(e)) => Err(PageError::Store(e)),
        Err(e) => Err(PageError::BadRequest(e.to_string())),
    }
}

/// GET `/operateur/personnes/{id}`.
pub(crate) async fn show(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let p = load(&state, &id).await?;
    let entries = p
        .timeline
        .iter()
        .map(|e| {
            let local = e.at.with_timezone(&chrono_tz::Europe::Paris);
            Entry {
                when: if e.day_only {
                    e.at.format("%d/%m/%Y").to_string()
                } else {
                    local.format("%d/%m/%Y à %H:%M").to_string()
                },
                datetime: if e.day_only {
                    e.at.date_naive().to_string()
                } else {
                    e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                },
                label: label(e.kind),
                text: e.text.clone(),
                campaign: e.campaign_id.clone(),
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &PersonPage {
            meta: Meta {
                title: "Parcours d'une personne – Opérateurs – La bonne alternance".into(),
                description: "Parcours d'une personne de la cohorte".into(),
            },
            csrf: operator.csrf,
            p,
            entries,
        },
    ))
}

/// GET `/operateur/personnes/{id}/parcours.csv`.
pub(crate) async fn csv(
    _operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let p = load(&state, &id).await?;
    Ok(super::views::csv_attachment(
        "parcours.csv",
        person::path_csv(&state.apply.config.key, &p),
    ))
}

/// GET `/operateur/personnes?id=…`: to the person's page.
pub(crate) async fn find(
    _operator: Operator,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let id = query.get("id").map(|s| s.trim()).unwrap_or_default();
    if id.is_empty() {
        return Err(PageError::BadRequest(
            "Paramètre id : donnez l'identifiant de la personne (par exemple parcoursup:12345)."
                .into(),
        ));
    }
    let encoded: String = id
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.:~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Ok(Redirect::to(&format!("/operateur/personnes/{encoded}")).into_response())
}
