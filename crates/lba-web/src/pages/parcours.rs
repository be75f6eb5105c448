//! The learning modules ("parcours", issue 15), usable without JavaScript:
//!
//! - `GET /parcours`: the modules with their duration and the visitor's
//!   progress ("Commencer", "Reprendre", "Recommencer").
//! - `GET /parcours/{module}`: the current step: a situation (a form with a
//!   fieldset of radio answers), the feedback of the last answer
//!   (`id="retour"`, focused by the `#retour` fragment of the redirect)
//!   with "Continuer", or the end page ("À retenir", next steps).
//! - `POST /parcours/{module}/reponse` (`situation`, `reponse`),
//!   `/continuer`, `/recommencer`: CSRF-checked (double-submit cookie,
//!   [`crate::csrf`]), then 303 to the module page (reload and back work).
//!
//! The visitor is [`Visitor`]: the signed first-party cookie, or the cohort
//! person of a campaign's tracked link. Unknown module → 404 page; an
//! unknown situation or an answer that is not the situation's → 422 page,
//! nothing stored; a form of an old page → back to the current step.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use lba_app::learning::{
    self, CardState, CfaContact, EndView, FeedbackView, LearningError, ModuleCard, SituationView,
    StepView,
};

use super::{Meta, PageError, render};
use crate::AppState;
use crate::csrf::{self, CsrfToken};
use crate::visitor::Visitor;

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/parcours", get(list))
        .route("/parcours/{module}", get(show))
        .route("/parcours/{module}/reponse", post(answer))
        .route("/parcours/{module}/continuer", post(next))
        .route("/parcours/{module}/recommencer", post(restart))
}

#[derive(Template)]
#[template(path = "parcours_liste.html")]
struct ListPage {
    meta: Meta,
    cards: Vec<ModuleCard>,
    csrf: String,
}

impl ListPage {
    fn started(card: &ModuleCard) -> bool {
        card.state == CardState::InProgress
    }

    fn completed(card: &ModuleCard) -> bool {
        card.state == CardState::Completed
    }
}

/// GET `/parcours`.
async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    token: CsrfToken,
) -> Result<Response, PageError> {
    let cards = learning::list(&state.store, &state.ops.learning, &visitor.learner()).await?;
    let page = ListPage {
        meta: Meta::new(
            "Parcours : les étapes vers l'apprentissage – La bonne alternance",
            "Des mises en situation courtes pour savoir contacter un CFA, chercher un employeur, préparer un entretien et t'intégrer dans l'entreprise.",
        ),
        cards,
        csrf: token.value().to_owned(),
    };
    Ok(visitor.attach(token.attach(render(StatusCode::OK, &page))))
}

#[derive(Template)]
#[template(path = "parcours_situation.html")]
struct SituationPage {
    meta: Meta,
    id: String,
    title: String,
    s: SituationView,
    cfa: Option<CfaContact>,
    csrf: String,
    error: Option<&'static str>,
}

impl SituationPage {
    /// A `tel:` number: digits and `+` only.
    fn tel(phone: &str) -> String {
        phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

#[derive(Template)]
#[template(path = "parcours_retour.html")]
struct FeedbackPage {
    meta: Meta,
    id: String,
    title: String,
    f: FeedbackView,
    csrf: String,
}

#[derive(Template)]
#[template(path = "parcours_fin.html")]
struct EndPage {
    meta: Meta,
    id: String,
    title: String,
    end: EndView,
    cfa: Option<CfaContact>,
    csrf: String,
}

fn unknown_module() -> PageError {
    PageError::Rejected {
        status: StatusCode::NOT_FOUND,
        heading: "Parcours introuvable",
        message: "Ce parcours n'existe pas. Retrouve tous les parcours sur la page « Parcours »."
            .to_owned(),
    }
}

fn unprocessable(message: &str) -> PageError {
    PageError::Rejected {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        heading: "Réponse impossible à enregistrer",
        message: format!(
            "{message} : rien n'a été enregistré. Recharge le parcours pour continuer."
        ),
    }
}

fn page_error(error: LearningError) -> PageError {
    match error {
        LearningError::UnknownModule => unknown_module(),
        LearningError::UnknownSituation => {
            unprocessable("Cette situation n'existe pas dans ce parcours")
        }
        LearningError::UnknownAnswer => {
            unprocessable("Cette réponse ne correspond pas à la situation")
        }
        LearningError::NotCurrent => unprocessable("Cette situation n'est pas celle en cours"),
        LearningError::Store(e) => PageError::Store(e),
    }
}

/// The CFA of the visitor's wish when they came from a campaign.
async fn visitor_cfa(state: &AppState, visitor: &Visitor) -> Result<Option<CfaContact>, PageError> {
    let Some(person) = visitor.attribution.as_ref().map(|a| a.person_id.as_str()) else {
        return Ok(None);
    };
    // The CFA is a help, never a reason to fail the page.
    match learning::person_cfa(&state.store, &state.search, person).await {
        Ok(cfa) => Ok(cfa),
        Err(_) => {
            // No detail: the error may name the person.
            tracing::warn!("learning modules: the CFA of the visitor's wish is unavailable");
            Ok(None)
        }
    }
}

async fn step_page(
    state: &AppState,
    visitor: &Visitor,
    token: &CsrfToken,
    module: &str,
    error: Option<&'static str>,
) -> Result<Response, PageError> {
    let page = learning::current(
        &state.store,
        &state.ops.learning,
        &visitor.learner(),
        module,
    )
    .await
    .map_err(page_error)?;
    let csrf = token.value().to_owned();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let response = match page.step {
        StepView::Situation(s) => {
            let cfa = if s.context_cfa {
                visitor_cfa(state, visitor).await?
            } else {
                None
            };
            render(
                status,
                &SituationPage {
                    meta: Meta::new(
                        format!("{} – {} – La bonne alternance", s.title, page.title),
                        page.title.clone(),
                    ),
                    id: page.id,
                    title: page.title,
                    s,
                    cfa,
                    csrf,
                    error,
                },
            )
        }
        StepView::Feedback(f) => render(
            status,
            &FeedbackPage {
                meta: Meta::new(
                    format!("Ta réponse – {} – La bonne alternance", page.title),
                    page.title.clone(),
                ),
                id: page.id,
                title: page.title,
                f,
                csrf,
            },
        ),
        StepView::End(end) => {
            let cfa = if end.next_steps.iter().any(|n| n.personalise_cfa) {
                visitor_cfa(state, visitor).await?
            } else {
                None
            };
            render(
                status,
                &EndPage {
                    meta: Meta::new(
                        format!("À retenir – {} – La bonne alternance", page.title),
                        page.title.clone(),
                    ),
                    id: page.id,
                    title: page.title,
                    end,
                    cfa,
                    csrf,
                },
            )
        }
    };
    Ok(visitor.attach(token.attach(response)))
}

/// GET `/parcours/{module}`.
async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    token: CsrfToken,
    Path(module): Path<String>,
) -> Result<Response, PageError> {
    step_page(&state, &visitor, &token, &module, None).await
}

fn fields(form: Result<Form<Vec<(String, String)>>, FormRejection>) -> Vec<(String, String)> {
    form.map(|Form(fields)| fields).unwrap_or_default()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn csrf_refused() -> PageError {
    PageError::Rejected {
        status: StatusCode::FORBIDDEN,
        heading: "Formulaire expiré",
        message: "Le formulaire a expiré ou ne vient pas de ce site : rien n'a été enregistré. Recharge la page du parcours puis réponds à nouveau.".to_owned(),
    }
}

fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)], "").into_response()
}

fn module_url(state: &AppState, module: &str) -> Result<String, PageError> {
    state
        .ops
        .learning
        .get(module)
        .map(|m| format!("/parcours/{}", m.id))
        .ok_or_else(unknown_module)
}

/// POST `/parcours/{module}/reponse`.
async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    token: CsrfToken,
    Path(module): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    let url = module_url(&state, &module)?;
    let fields = fields(form);
    if !csrf::verify(&headers, field(&fields, csrf::FIELD)) {
        return Err(csrf_refused());
    }
    let situation = field(&fields, "situation").unwrap_or_default();
    let Some(answer) = field(&fields, "reponse").filter(|a| !a.is_empty()) else {
        // No answer chosen: the same situation again, with the error.
        return step_page(
            &state,
            &visitor,
            &token,
            &module,
            Some("Choisis une réponse."),
        )
        .await;
    };
    match learning::answer(
        &state.store,
        &state.ops.learning,
        &visitor.learner(),
        &module,
        situation,
        answer,
        Utc::now(),
    )
    .await
    {
        Ok(()) => Ok(visitor.attach(see_other(format!("{url}#retour")))),
        // A form of an old page (sent twice, or after "back"): nothing
        // stored, back to the current step.
        Err(LearningError::NotCurrent) => Ok(visitor.attach(see_other(url))),
        Err(e) => Err(page_error(e)),
    }
}

/// What the two button-only forms of a module do.
#[derive(Clone, Copy)]
enum Move {
    /// "Continuer" after a feedback.
    Next,
    /// "Recommencer": a new attempt.
    Restart,
}

/// POST `/parcours/{module}/continuer`.
async fn next(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(module): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    step(&state, &visitor, &module, &headers, form, Move::Next).await
}

/// POST `/parcours/{module}/recommencer`.
async fn restart(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(module): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    step(&state, &visitor, &module, &headers, form, Move::Restart).await
}

/// Checks the CSRF token, applies `action`, and sends back to the module.
async fn step(
    state: &AppState,
    visitor: &Visitor,
    module: &str,
    headers: &HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
    action: Move,
) -> Result<Response, PageError> {
    let url = module_url(state, module)?;
    if !csrf::verify(headers, field(&fields(form), csrf::FIELD)) {
        return Err(csrf_refused());
    }
    let (store, modules, learner, now) = (
        &state.store,
        &state.ops.learning,
        &visitor.learner(),
        Utc::now(),
    );
    match action {
        Move::Next => learning::next(store, modules, learner, module, now).await,
        Move::Restart => learning::restart(store, modules, learner, module, now).await,
    }
    .map_err(page_error)?;
    Ok(visitor.attach(see_other(url)))
}
