//! The campaign pages, one action per file: list, new/edit with live
//! preview (`save.rs` holds the form both share), the campaign page (`show.rs`)
//! with launch, assign, pause/resume and the report per arm. Each handler checks
//! the session (and the CSRF token on POST), then calls one function of
//! `lba_app::campaigns`.

mod assign;
mod edit;
mod impact;
mod launch;
mod list;
mod new;
mod pause;
mod preview;
mod resume;
mod save;
mod show;

pub(crate) use assign::*;
pub(crate) use edit::*;
pub(crate) use impact::*;
pub(crate) use launch::*;
pub(crate) use list::*;
pub(crate) use new::*;
pub(crate) use pause::*;
pub(crate) use preview::*;
pub(crate) use resume::*;
use save::*;
pub(crate) use show::*;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::campaigns::{self as app, CampaignError, ContentConfig, StoredCampaign};
use lba_campaign::{CampaignSpec, CampaignStatus};

use super::form::{FieldError, Pairs, SpecForm};
use super::session::{Operator, csrf_refused};
use super::views::{self, FormContext, PreviewBody, PreviewMessage, PreviewView, SmsView};
use crate::AppState;
use crate::pages::{Meta, PageError, render};

/// People offered in the preview picker.
const SAMPLE_SIZE: usize = 20;

/// Public URL and link key of the campaign texts: the key is derived from
/// the site's link key (`--link-secret`), as the CLI does.
fn content_config(state: &AppState) -> ContentConfig {
    ContentConfig::from_link_key(&state.ops.public_url, &state.apply.config.key)
}

/// An app error as a page; `Ok` carries a 4xx page, `Err` a 500.
fn failure(e: CampaignError, back: Option<String>) -> Result<Response, PageError> {
    let (status, heading) = match &e {
        CampaignError::NotFound => (StatusCode::NOT_FOUND, "Campagne introuvable"),
        CampaignError::Invalid(_) | CampaignError::Template(_) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "Campagne invalide")
        }
        CampaignError::WrongStatus { .. } => (StatusCode::CONFLICT, "Action impossible"),
        CampaignError::Store(_) => {
            tracing::error!(error = %e, "campaign store error");
            return Ok(views::message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Erreur inattendue",
                "Le service rencontre un problème. Réessayez dans quelques instants.",
            ));
        }
    };
    Ok(views::message_back(status, heading, &e.to_string(), back))
}

fn parse_spec(c: &StoredCampaign) -> Option<CampaignSpec> {
    serde_json::from_str(&c.spec).ok()
}

fn when(t: chrono::DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Paris)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}
