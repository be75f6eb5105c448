//! The one-click links of the reminder emails: GET shows a confirmation
//! (mail scanners that open links change nothing), POST with the
//! double-submit CSRF token acts.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use lba_app::lba_notify::Signature;
use lba_app::pro::ProError;
use lba_app::pro::offers::{self, Change};
use lba_core::pro::Closing;

use super::auth::unavailable;
use super::offers::{not_found, refresh_soon};
use super::session;
use super::views::{self, LinkPage, meta};
use crate::AppState;
use crate::csrf::CsrfToken;
use crate::pages::render;

/// The query of a one-click link.
#[derive(serde::Deserialize)]
pub(crate) struct LinkQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    pour: i64,
    #[serde(default)]
    exp: i64,
    #[serde(default)]
    sig: String,
}

impl LinkQuery {
    fn signature(&self) -> Signature {
        Signature {
            exp: self.exp,
            sig: self.sig.clone(),
        }
    }
}

fn link_refused(e: ProError) -> Response {
    match e {
        ProError::Refused(why) => views::message(StatusCode::GONE, "Lien sans effet", &why),
        ProError::NotFound => not_found(),
        e => unavailable(&e),
    }
}

/// GET `/pro/offre/{id}/action?…`: the confirmation page of a link.
pub(crate) async fn link_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
    csrf: CsrfToken,
) -> Response {
    let key = &state.apply.config.key;
    let offer = match offers::by_link(
        &state.store,
        key,
        &id,
        &q.action,
        q.pour,
        &q.signature(),
        Utc::now(),
    )
    .await
    {
        Ok(o) => o,
        Err(e) => return link_refused(e),
    };
    let page = LinkPage {
        meta: meta(&offer.title),
        title: offer.title,
        city: offer.city,
        query: format!(
            "{id}/action?action={}&pour={}&exp={}&sig={}",
            q.action, q.pour, q.exp, q.sig
        ),
        action: q.action,
        csrf: csrf.value().to_owned(),
        done: None,
    };
    csrf.attach(render(StatusCode::OK, &page))
}

/// The form of a link's confirmation page.
#[derive(serde::Deserialize)]
pub(crate) struct LinkForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

/// POST `/pro/offre/{id}/action?…`: does what the link says.
pub(crate) async fn link_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
    Form(f): Form<LinkForm>,
) -> Response {
    if !crate::csrf::verify(&headers, f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    let change = match q.action.as_str() {
        "prolonger" => Some(Change::Extend),
        action => {
            Closing::parse(action, f.detail.as_deref().unwrap_or_default()).map(Change::Close)
        }
    };
    let Some(change) = change else {
        return views::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choix manquant",
            "Choisissez une des réponses proposées.",
        );
    };
    let key = &state.apply.config.key;
    let now = Utc::now();
    let offer = match offers::by_link(
        &state.store,
        key,
        &id,
        &q.action,
        q.pour,
        &q.signature(),
        now,
    )
    .await
    {
        Ok(o) => o,
        Err(e) => return link_refused(e),
    };
    match offers::change_by_link(
        &state.store,
        key,
        &id,
        &q.action,
        q.pour,
        &q.signature(),
        change,
        now,
    )
    .await
    {
        Ok(_) => {
            refresh_soon(&state);
            let done = match change {
                Change::Extend => "C'est fait : votre offre est prolongée de deux mois.",
                Change::Close(_) => "C'est noté : votre offre est fermée. Merci !",
            };
            render(
                StatusCode::OK,
                &LinkPage {
                    meta: meta(&offer.title),
                    title: offer.title,
                    city: offer.city,
                    action: q.action,
                    query: String::new(),
                    csrf: String::new(),
                    done: Some(done.to_owned()),
                },
            )
        }
        Err(e) => link_refused(e),
    }
}
