//! The dashboard and the recruiters' offers: post (errors next to the
//! fields, 422), show with its history, extend or close; the one-click links
//! of the reminder emails (GET shows a confirmation, POST with the
//! double-submit CSRF token acts: mail scanners that open links change
//! nothing).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use lba_app::pro::ProError;
use lba_app::pro::offers::{self, Change};
use lba_app::pro::spontaneous;
use lba_core::pro::{Closing, CompanyStatus, OfferInput, Role};

use super::auth::unavailable;
use super::session::{self, ProUser};
use super::views::{
    self, Dashboard, Errors, Nav, OfferForm, OfferLine, OfferPage, OfferValues, date, meta,
    status_label,
};
use crate::AppState;
use crate::pages::render;

/// Rebuilds this node's index in the background when the data changed:
/// the offer is searchable here within the rebuild's time, without making
/// the recruiter wait (other nodes hear the data version change).
pub(crate) fn refresh_soon(state: &AppState) {
    let search = state.search.clone();
    tokio::spawn(async move {
        if let Err(e) = search.refresh().await {
            tracing::warn!(error = %e, "index refresh after an offer change failed");
        }
    });
}

fn line(o: lba_app::pro::ProOffer) -> OfferLine {
    OfferLine {
        status: status_label(&o, Utc::now()),
        expires: date(o.expires_at),
        offer: o,
    }
}

/// `?avis=` notices after a redirect (fixed texts, never echoed input).
#[derive(serde::Deserialize, Default)]
pub(crate) struct Notice {
    #[serde(default)]
    pub(crate) avis: Option<String>,
}

pub(crate) fn notice_text(n: &Notice) -> Option<String> {
    Some(
        match n.avis.as_deref()? {
            "publiee" => "Offre publiée : elle est visible des candidats.",
            "en_attente" => "Offre enregistrée : elle sera visible des candidats dès que votre compte sera validé.",
            "prolongee" => "Offre prolongée de deux mois.",
            "fermee" => "Offre fermée.",
            "inchangee" => "Rien n'a changé : l'offre était déjà fermée.",
            "decision" => "Décision enregistrée.",
            "sans_effet" => "Cette décision ne s'applique pas à l'état actuel de l'entreprise.",
            "compte" => "Compte enregistré.",
            "transmise" => "Offre transmise aux CFA choisis : ils ont reçu vos coordonnées.",
            _ => return None,
        }
        .to_owned(),
    )
}

/// GET `/pro`: the dashboard of the signed-in account.
pub(crate) async fn home(
    State(state): State<AppState>,
    pro: ProUser,
    Query(n): Query<Notice>,
) -> Response {
    if pro.0.role == Role::Cfa {
        let notice = super::cfa::notice(&n);
        let ok = StatusCode::OK;
        return super::cfa::page(&state, &pro, None, notice, Errors::default(), ok).await;
    }
    let p = &pro.0;
    let key = &state.apply.config.key;
    let (company, received) = match spontaneous::dashboard(&state.store, key, p, Utc::now()).await {
        Ok(found) => found,
        Err(e) => return unavailable(&e),
    };
    let applications = received
        .into_iter()
        .map(|(a, interview, refusal)| {
            let cv = format!("/pro/candidatures/{}/cv", a.id);
            views::ApplicationLine::new(a, interview, refusal, cv)
        })
        .collect();
    let offers = match offers::list(&state.store, p).await {
        Ok(o) => o.into_iter().map(line).collect(),
        Err(e) => return unavailable(&e),
    };
    let company_status = company
        .as_ref()
        .and_then(|c| CompanyStatus::from_stored(&c.status))
        .map_or("", CompanyStatus::label_fr);
    render(
        StatusCode::OK,
        &Dashboard {
            meta: meta("Tableau de bord"),
            nav: Nav::of(p),
            company,
            company_status,
            offers,
            applications,
            notice: notice_text(&n),
        },
    )
}

/// GET `/pro/offres/nouvelle`.
pub(crate) async fn new_page(pro: ProUser) -> Response {
    if let Some(r) = pro.refused_unless(&[Role::Recruiter, Role::Cfa]) {
        return r;
    }
    let values = OfferValues {
        apprentissage: Some("on".into()),
        positions: "1".into(),
        duration_months: "24".into(),
        ..OfferValues::default()
    };
    form(StatusCode::OK, &pro, values, Errors::default(), None)
}

fn form(
    status: StatusCode,
    pro: &ProUser,
    values: OfferValues,
    errors: Errors,
    refused: Option<String>,
) -> Response {
    render(
        status,
        &OfferForm {
            meta: meta("Publier une offre"),
            nav: Nav::of(&pro.0),
            values,
            errors,
            refused,
        },
    )
}

/// POST `/pro/offres`.
pub(crate) async fn create(
    State(state): State<AppState>,
    pro: ProUser,
    Form(v): Form<OfferValues>,
) -> Response {
    if !pro.csrf_ok(v.csrf.as_deref()) {
        return session::csrf_refused();
    }
    if let Some(r) = pro.refused_unless(&[Role::Recruiter, Role::Cfa]) {
        return r;
    }
    let input = OfferInput {
        title: v.title.clone(),
        contract_types: [
            v.apprentissage.as_ref().map(|_| "apprentissage".to_owned()),
            v.professionnalisation
                .as_ref()
                .map(|_| "professionnalisation".to_owned()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        level: v.level.clone(),
        start: v.start.clone(),
        duration_months: v.duration_months.clone(),
        rhythm: v.rhythm.clone(),
        positions: v.positions.clone(),
        description: v.description.clone(),
        profile: v.profile.clone(),
        questions: vec![
            v.question1.clone(),
            v.question2.clone(),
            v.question3.clone(),
        ],
    };
    let for_siret = (pro.0.role == Role::Cfa).then_some(v.siret.as_str());
    match offers::post(
        &state.store,
        &state.search,
        &pro.0,
        &v.metier,
        for_siret,
        &input,
        Utc::now(),
    )
    .await
    {
        Ok(id) => {
            let published = matches!(
                state.store.pro_offer(&id).await,
                Ok(Some(o)) if o.status == "active"
            );
            if published {
                refresh_soon(&state);
            }
            let avis = if published { "publiee" } else { "en_attente" };
            Redirect::to(&format!("/pro/offres/{id}?avis={avis}")).into_response()
        }
        Err(ProError::Fields(errors)) => form(
            StatusCode::UNPROCESSABLE_ENTITY,
            &pro,
            v,
            Errors(errors),
            None,
        ),
        Err(ProError::Refused(why)) => {
            form(StatusCode::FORBIDDEN, &pro, v, Errors::default(), Some(why))
        }
        Err(e) => unavailable(&e),
    }
}

pub(crate) fn not_found() -> Response {
    views::message(
        StatusCode::NOT_FOUND,
        "Offre introuvable",
        "Cette offre n'existe pas ou n'est pas rattachée à votre compte.",
    )
}

/// GET `/pro/offres/{id}`: the offer, its history and the forms to change it.
pub(crate) async fn show(
    State(state): State<AppState>,
    pro: ProUser,
    Path(id): Path<String>,
    Query(n): Query<Notice>,
) -> Response {
    let (offer, history) = match offers::get(&state.store, &pro.0, &id).await {
        Ok(found) => found,
        Err(ProError::NotFound) => return not_found(),
        Err(e) => return unavailable(&e),
    };
    let key = &state.apply.config.key;
    let received = match offers::applications(&state.store, key, &pro.0, &id, Utc::now()).await {
        Ok(list) => list,
        Err(e) => return unavailable(&e),
    };
    let applications = received
        .into_iter()
        .map(|(a, interview, refusal)| {
            let cv = format!("/pro/offres/{id}/candidatures/{}/cv", a.id);
            views::ApplicationLine::new(a, interview, refusal, cv)
        })
        .collect();
    let candidates = if pro.0.role == Role::Recruiter && offer.status == "active" {
        match lba_app::pro::delegation::candidates(&state.store, &state.search, &pro.0, &id).await {
            Ok(list) => list,
            Err(e) => return unavailable(&e),
        }
    } else {
        Vec::new()
    };
    let delegated = match state.store.delegations_of_offer(&id).await {
        Ok(list) => list.into_iter().map(|d| d.cfa_name).collect(),
        Err(e) => return unavailable(&ProError::Store(e)),
    };
    let questions: Vec<String> = serde_json::from_str(&offer.questions).unwrap_or_default();
    let open = matches!(offer.status.as_str(), "active" | "pending");
    let history = history
        .into_iter()
        .map(|h| {
            let at = chrono::DateTime::from_timestamp_millis(h.at)
                .map(|t| {
                    t.with_timezone(&chrono_tz::Europe::Paris)
                        .format("%d/%m/%Y %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            (at, h.status, h.note.unwrap_or_default())
        })
        .collect();
    render(
        StatusCode::OK,
        &OfferPage {
            meta: meta(&offer.title),
            nav: Nav::of(&pro.0),
            line: line(offer),
            open,
            questions,
            history,
            notice: notice_text(&n),
            applications,
            candidates,
            delegated,
        },
    )
}

/// GET `/pro/offres/{id}/candidatures/{application}/cv`: the CV while it
/// is kept (30 days), to the offer's recruiter only.
pub(crate) async fn cv(
    State(state): State<AppState>,
    pro: ProUser,
    Path((id, application)): Path<(String, String)>,
) -> Response {
    cv_download(offers::cv(&state.store, &pro.0, &id, &application).await)
}

/// GET `/pro/candidatures/{application}/cv`: the CV of a spontaneous
/// application while it is kept (30 days), to the company's recruiters only.
pub(crate) async fn spontaneous_cv(
    State(state): State<AppState>,
    pro: ProUser,
    Path(application): Path<String>,
) -> Response {
    cv_download(spontaneous::cv(&state.store, &pro.0, &application).await)
}

/// The CV as an attachment (its name reduced to safe characters), or why
/// it cannot be had.
fn cv_download(found: Result<(String, String, Vec<u8>), ProError>) -> Response {
    match found {
        Ok((name, mime, bytes)) => {
            let safe: String = name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            (
                [
                    (axum::http::header::CONTENT_TYPE, mime),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{safe}\""),
                    ),
                    (
                        axum::http::header::CACHE_CONTROL,
                        "private, no-store".to_owned(),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(ProError::NotFound) => views::message(
            StatusCode::NOT_FOUND,
            "CV indisponible",
            "Ce CV n'existe pas, n'est pas rattaché à votre entreprise ou à vos offres, ou a été supprimé (nous ne gardons les CV que 30 jours).",
        ),
        Err(e) => unavailable(&e),
    }
}

/// The change form of the offer page.
#[derive(serde::Deserialize)]
pub(crate) struct ChangeForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    choix: Option<String>,
}

fn parse_change(action: Option<&str>, choice: Option<&str>) -> Option<Change> {
    if action == Some("prolonger") {
        return Some(Change::Extend);
    }
    let (what, detail) = choice?.split_once(':')?;
    Closing::parse(what, detail).map(Change::Close)
}

/// POST `/pro/offres/{id}/modifier`: extend or close.
pub(crate) async fn change(
    State(state): State<AppState>,
    pro: ProUser,
    Path(id): Path<String>,
    Form(f): Form<ChangeForm>,
) -> Response {
    if !pro.csrf_ok(f.csrf.as_deref()) {
        return session::csrf_refused();
    }
    let Some(change) = parse_change(f.action.as_deref(), f.choix.as_deref()) else {
        return views::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choix manquant",
            "Choisissez comment l'offre a été pourvue ou pourquoi elle est annulée.",
        );
    };
    match offers::change(&state.store, &pro.0, &id, change, Utc::now()).await {
        Ok(done) => {
            refresh_soon(&state);
            let avis = match (done, change) {
                (false, _) => "inchangee",
                (true, Change::Extend) => "prolongee",
                (true, Change::Close(_)) => "fermee",
            };
            Redirect::to(&format!("/pro/offres/{id}?avis={avis}")).into_response()
        }
        Err(ProError::NotFound) => not_found(),
        Err(e) => unavailable(&e),
    }
}
