//! The campaign pages: list, create/edit with live preview, campaign page
//! with launch, pause/resume and the report per arm. Each handler checks
//! the session (and the CSRF token on POST), then calls one function of
//! `lba_app::campaigns`.

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

// ----- list ---------------------------------------------------------------

struct Row {
    id: String,
    name: String,
    status: &'static str,
    created: String,
    targeted: i64,
    messages: i64,
    sent: i64,
}

#[derive(Template)]
#[template(path = "operateur/liste.html")]
struct ListPage {
    meta: Meta,
    csrf: String,
    rows: Vec<Row>,
}

/// GET `/operateur/campagnes`.
pub(crate) async fn list(
    operator: Operator,
    State(state): State<AppState>,
) -> Result<Response, PageError> {
    let rows = app::list(&state.store)
        .await?
        .into_iter()
        .map(|s| Row {
            status: s.campaign.status.label(),
            created: when(s.campaign.created_at),
            id: s.campaign.id,
            name: s.campaign.name,
            targeted: s.targeted,
            messages: s.messages,
            sent: s.sent,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ListPage {
            meta: Meta {
                title: "Campagnes – Opérateurs – La bonne alternance".into(),
                description: "Campagnes d'e-mails et de SMS".into(),
            },
            csrf: operator.csrf,
            rows,
        },
    ))
}

// ----- form and preview -----------------------------------------------------

/// The preview of `form` for the picked person and arm.
async fn preview_of(state: &AppState, form: &SpecForm, pairs: Option<&Pairs>) -> PreviewView {
    let picked_person = pairs.map(|p| p.get("apercu.person")).unwrap_or_default();
    let picked_arm = pairs.map(|p| p.get("apercu.arm")).unwrap_or_default();
    let variants: Vec<String> = form
        .arms
        .iter()
        .filter(|a| !a.control && !a.name.is_empty())
        .map(|a| a.name.clone())
        .collect();
    let spec = match form.to_spec() {
        Ok(spec) => spec,
        Err(e) => {
            return PreviewView::new(
                &[],
                "",
                &variants,
                &picked_arm,
                PreviewBody::Error(format!(
                    "Aperçu impossible : champ {} : {}",
                    e.field, e.message
                )),
            );
        }
    };
    let people = match app::sample_people(&state.store, &spec, SAMPLE_SIZE).await {
        Ok(p) => p,
        Err(e) => {
            return PreviewView::new(
                &[],
                "",
                &variants,
                &picked_arm,
                PreviewBody::Error(e.to_string()),
            );
        }
    };
    let person = if people.iter().any(|(id, _)| *id == picked_person) {
        picked_person
    } else {
        people.first().map(|(id, _)| id.clone()).unwrap_or_default()
    };
    let arm = if variants.contains(&picked_arm) {
        picked_arm
    } else {
        variants.first().cloned().unwrap_or_default()
    };
    let body = if person.is_empty() {
        PreviewBody::Hint("Aucune personne de la cohorte ne correspond à ce segment.".into())
    } else if arm.is_empty() {
        PreviewBody::Hint("Ajoutez une variante (bras non témoin) pour voir un message.".into())
    } else {
        match app::preview(
            &state.store,
            &state.search,
            &content_config(state),
            &spec,
            &person,
            &arm,
            Utc::now(),
        )
        .await
        {
            Ok(p) => PreviewBody::Messages(preview_messages(&p), p.notes),
            Err(e) => PreviewBody::Error(e.to_string()),
        }
    };
    PreviewView::new(&people, &person, &variants, &arm, body)
}

/// The messages of an app preview, for the fragment.
fn preview_messages(p: &app::Preview) -> Vec<PreviewMessage> {
    p.messages
        .iter()
        .map(|m| {
            let sms = m.channel == "sms";
            let who = if m.recipient_kind == "parent" {
                "au parent"
            } else {
                "au jeune"
            };
            PreviewMessage {
                title: format!("{} {who}", if sms { "SMS" } else { "E-mail" }),
                subject: m.subject.clone(),
                text: (!sms).then(|| m.body_text.clone()),
                html: m.body_html.clone(),
                sms: sms.then(|| SmsView {
                    text: m.body_text.clone(),
                    units: m.sms.map_or(0, |l| l.units),
                    segments: m.sms.map_or(0, |l| l.segments),
                    encoding: match m.sms.map(|l| l.encoding) {
                        Some(lba_campaign::sms::SmsEncoding::Gsm7) => "GSM-7",
                        Some(lba_campaign::sms::SmsEncoding::Ucs2) => "Unicode",
                        None => "",
                    }
                    .to_owned(),
                }),
            }
        })
        .collect()
}

async fn form_response(
    state: &AppState,
    operator: &Operator,
    status: StatusCode,
    form: &SpecForm,
    pairs: Option<&Pairs>,
    error: Option<&FieldError>,
    target: Option<&str>,
) -> Response {
    let preview = preview_of(state, form, pairs).await;
    let (heading, action, back) = match target {
        Some(id) => (
            "Modifier la campagne".to_owned(),
            format!("/operateur/campagnes/{id}/modifier"),
            format!("/operateur/campagnes/{id}"),
        ),
        None => (
            "Nouvelle campagne".to_owned(),
            "/operateur/campagnes".to_owned(),
            "/operateur/campagnes".to_owned(),
        ),
    };
    views::form_page(
        status,
        form,
        FormContext {
            heading,
            action,
            back,
            csrf: &operator.csrf,
            error,
            preview: &preview,
        },
    )
}

/// GET `/operateur/campagnes/nouvelle`.
pub(crate) async fn new_form(operator: Operator, State(state): State<AppState>) -> Response {
    form_response(
        &state,
        &operator,
        StatusCode::OK,
        &SpecForm::default(),
        None,
        None,
        None,
    )
    .await
}

/// What a form POST does after the CSRF check.
async fn save(
    state: &AppState,
    operator: &Operator,
    pairs: &Pairs,
    target: Option<&str>,
) -> Result<Response, PageError> {
    let form = SpecForm::from_pairs(pairs);
    let spec = match form.to_spec() {
        Ok(spec) => spec,
        Err(e) => {
            let status = if pairs.get("action") == "apercu" {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return Ok(form_response(
                state,
                operator,
                status,
                &form,
                Some(pairs),
                Some(&e),
                target,
            )
            .await);
        }
    };
    if pairs.get("action") == "apercu" {
        return Ok(form_response(
            state,
            operator,
            StatusCode::OK,
            &form,
            Some(pairs),
            None,
            target,
        )
        .await);
    }
    let now = Utc::now();
    let saved = match target {
        Some(id) => app::update(&state.store, id, &spec, now)
            .await
            .map(|()| id.to_owned()),
        None => app::create(&state.store, &spec, now).await,
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/operateur/campagnes/{id}")).into_response()),
        Err(CampaignError::Invalid(e)) => {
            let e = FieldError {
                field: e.field,
                message: e.message,
            };
            Ok(form_response(
                state,
                operator,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                Some(pairs),
                Some(&e),
                target,
            )
            .await)
        }
        Err(e) => failure(e, target.map(|id| format!("/operateur/campagnes/{id}"))),
    }
}

/// POST `/operateur/campagnes`: create (or preview without JavaScript).
pub(crate) async fn create(
    operator: Operator,
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    save(&state, &operator, &pairs, None).await
}

/// GET `/operateur/campagnes/{id}/modifier` (drafts only).
pub(crate) async fn edit_form(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let Some(c) = app::find(&state.store, &id).await? else {
        return Err(PageError::NotFound);
    };
    let back = Some(format!("/operateur/campagnes/{id}"));
    if c.status != CampaignStatus::Draft {
        return Ok(views::message_back(
            StatusCode::CONFLICT,
            "Modification impossible",
            &format!(
                "La campagne est « {} » : seule une campagne en brouillon peut être modifiée.",
                c.status.label()
            ),
            back,
        ));
    }
    let Some(spec) = parse_spec(&c) else {
        return Ok(views::message_back(
            StatusCode::CONFLICT,
            "Spécification illisible",
            "La spécification enregistrée ne peut pas être relue.",
            back,
        ));
    };
    Ok(form_response(
        &state,
        &operator,
        StatusCode::OK,
        &SpecForm::from_spec(&spec),
        None,
        None,
        Some(&id),
    )
    .await)
}

/// POST `/operateur/campagnes/{id}/modifier`.
pub(crate) async fn edit_submit(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    save(&state, &operator, &pairs, Some(&id)).await
}

/// POST `/operateur/campagnes/apercu`: the preview fragment of the form.
pub(crate) async fn preview(
    operator: Operator,
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return csrf_refused();
    }
    let form = SpecForm::from_pairs(&pairs);
    let view = preview_of(&state, &form, Some(&pairs)).await;
    views::preview_fragment(&view)
}

// ----- campaign page and actions --------------------------------------------

struct ArmRow {
    name: String,
    share: u32,
    control: bool,
    channels: String,
}

/// One line of the report.
struct ReportRow {
    arm: String,
    cells: Vec<String>,
}

/// Report columns: (JSON key, French heading).
const REPORT_COLUMNS: &[(&str, &str)] = &[
    ("targeted", "Ciblés"),
    ("messages", "Messages"),
    ("sent", "Envoyés"),
    ("delivered", "Délivrés"),
    ("bounced", "Rejetés"),
    ("clicked", "Cliqueurs"),
    ("unsubscribed", "Désinscrits"),
    ("searches", "Recherches"),
    ("applications", "Candidatures"),
    ("module_starts", "Parcours commencés"),
    ("module_completions", "Parcours terminés"),
    ("mde", "Effet minimal détectable"),
];

#[derive(Template)]
#[template(path = "operateur/campagne.html")]
struct CampaignPage {
    meta: Meta,
    csrf: String,
    c: StoredCampaign,
    status: &'static str,
    created: String,
    launched: Option<String>,
    start_at: Option<String>,
    channels: String,
    audience: String,
    arms: Vec<ArmRow>,
    columns: Vec<&'static str>,
    report: Vec<ReportRow>,
    report_error: Option<String>,
    baseline: String,
    can_edit: bool,
    can_launch: bool,
    can_assign: bool,
    can_pause: bool,
    can_resume: bool,
    notice: Option<String>,
    notice_error: bool,
}

fn cell(v: Option<&serde_json::Value>, key: &str) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "–".to_owned(),
        Some(serde_json::Value::Number(n)) if key == "mde" => n
            .as_f64()
            .map(|x| format!("{:.1} pts", x * 100.0))
            .unwrap_or_default(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn report_rows(report: &app::Report) -> Vec<ReportRow> {
    let value = serde_json::to_value(report).unwrap_or_default();
    let arms = value
        .get("arms")
        .and_then(|a| a.as_array())
        .cloned()
        .unwrap_or_default();
    arms.iter()
        .map(|a| ReportRow {
            arm: a
                .get("arm")
                .or_else(|| a.get("name"))
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned(),
            cells: REPORT_COLUMNS
                .iter()
                .map(|(k, _)| cell(a.get(*k), k))
                .collect(),
        })
        .collect()
}

async fn campaign_page(
    state: &AppState,
    operator: &Operator,
    id: &str,
    status: StatusCode,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let notice_error = status.is_client_error();
    let Some(c) = app::find(&state.store, id).await? else {
        return Err(PageError::NotFound);
    };
    let spec = parse_spec(&c);
    let arms = spec
        .as_ref()
        .map(|s| {
            s.arms
                .iter()
                .map(|a| ArmRow {
                    name: a.name.clone(),
                    share: a.share,
                    control: a.control,
                    channels: if a.control {
                        "aucun message".to_owned()
                    } else {
                        s.channels
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    let (report, report_error, baseline) = match app::report(&state.store, id).await {
        Ok(r) => (
            report_rows(&r),
            None,
            format!("{:.0}", r.mde_baseline * 100.0),
        ),
        Err(CampaignError::Store(e)) => return Err(PageError::Store(e)),
        Err(e) => (Vec::new(), Some(e.to_string()), String::new()),
    };
    let page = CampaignPage {
        baseline,
        meta: Meta {
            title: format!("{} – Opérateurs – La bonne alternance", c.name),
            description: "Campagne".into(),
        },
        csrf: operator.csrf.clone(),
        status: c.status.label(),
        created: when(c.created_at),
        launched: c.launched_at.map(when),
        start_at: spec.as_ref().and_then(|s| s.start_at).map(when),
        channels: spec
            .as_ref()
            .map(|s| {
                s.channels
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        audience: spec
            .as_ref()
            .map(|s| match s.audience {
                lba_campaign::segment::Audience::Young => "le jeune",
                lba_campaign::segment::Audience::ParentIfMinor => {
                    "un parent si mineur, sinon le jeune"
                }
                lba_campaign::segment::Audience::Both => "le jeune et un parent s'il est mineur",
            })
            .unwrap_or_default()
            .to_owned(),
        arms,
        columns: REPORT_COLUMNS.iter().map(|(_, h)| *h).collect(),
        report,
        report_error,
        can_edit: c.status == CampaignStatus::Draft,
        can_launch: matches!(c.status, CampaignStatus::Draft | CampaignStatus::Assigned),
        can_assign: matches!(c.status, CampaignStatus::Draft | CampaignStatus::Assigned),
        can_pause: c.status == CampaignStatus::Launched,
        can_resume: c.status == CampaignStatus::Paused,
        notice,
        notice_error,
        c,
    };
    Ok(render(status, &page))
}

/// GET `/operateur/campagnes/{id}`.
pub(crate) async fn show(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    campaign_page(&state, &operator, &id, StatusCode::OK, None).await
}

/// POST `/operateur/campagnes/{id}/lancer` (needs the confirmation box).
pub(crate) async fn launch(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    if !pairs.checked("confirmation") {
        return campaign_page(
            &state,
            &operator,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Cochez la case de confirmation pour lancer la campagne.".into()),
        )
        .await;
    }
    let cfg = content_config(&state);
    match app::launch(&state.store, &state.search, &cfg, &id, Utc::now()).await {
        Ok(r) => {
            tracing::info!(campaign = %id, new = r.new, errors = r.errors, "campaign launched by an operator");
            let mut notice = format!(
                "Campagne lancée : {} personnes, dont {} dans le bras témoin ; {} messages préparés \
                 ({} e-mails, {} SMS, dont {} à un parent), {} nouveaux, {} au total ; premiers envois \
                 à partir du {}.",
                r.people,
                r.control,
                r.rendered,
                r.email,
                r.sms,
                r.to_parents,
                r.new,
                r.total,
                when(r.not_before),
            );
            if r.unreachable > 0 {
                notice.push_str(&format!(
                    " {} personnes n'ont aucune adresse sur les canaux de la campagne.",
                    r.unreachable
                ));
            }
            if r.errors > 0 {
                notice.push_str(&format!(
                    " {} messages n'ont pas pu être préparés (par exemple : {}).",
                    r.errors,
                    r.issues
                        .iter()
                        .take(3)
                        .map(|i| format!("{} {} : {}", i.person, i.channel, i.reason))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ));
            }
            if !r.complete {
                notice.push_str(" Le lancement n'est pas terminé : relancez-le.");
            }
            campaign_page(&state, &operator, &id, StatusCode::OK, Some(notice)).await
        }
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}

/// POST `/operateur/campagnes/{id}/attribuer`: stores the arm of every
/// targeted person (nothing is sent), so that the report shows the arm
/// sizes and the minimum detectable effect before the launch.
pub(crate) async fn assign(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    let key = content_config(&state).link_key;
    match app::assign(&state.store, &key, &id, Utc::now()).await {
        Ok(r) => {
            let notice = format!(
                "Bras attribués : {} personnes ciblées ({} nouvelles). Rien n'est envoyé avant le lancement.",
                r.total, r.new
            );
            campaign_page(&state, &operator, &id, StatusCode::OK, Some(notice)).await
        }
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}

/// POST `/operateur/campagnes/{id}/pause` (with a reason).
pub(crate) async fn pause(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    let reason = pairs.get("raison");
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return campaign_page(
            &state,
            &operator,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Indiquez la raison de la pause (500 caractères au plus).".into()),
        )
        .await;
    }
    match app::pause(&state.store, &id, reason, Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/operateur/campagnes/{id}")).into_response()),
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}

/// POST `/operateur/campagnes/{id}/reprise`.
pub(crate) async fn resume(
    operator: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return Ok(csrf_refused());
    }
    match app::resume(&state.store, &id, Utc::now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/operateur/campagnes/{id}")).into_response()),
        Err(e) => failure(e, Some(format!("/operateur/campagnes/{id}"))),
    }
}
