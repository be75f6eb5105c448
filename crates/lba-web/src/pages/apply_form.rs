//! The application form of the offer and company pages
//! (`POST /offre/{id}/candidature`, `POST /entreprise/{siret}/candidature`,
//! `multipart/form-data`) and its confirmation page
//! (`GET /candidature/envoyee`).
//!
//! The rules are those of the API: the fields go through the same use case
//! (`lba_app::apply::submit`) and the same per-address rate limit. On a
//! refusal the page is rendered again with the message next to its field and
//! what the candidate typed (except the file); on success the browser is
//! redirected (post/redirect/get) to a confirmation page whose address holds
//! the application id signed, never personal data.

use askama::Template;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{TimeDelta, Utc};
use lba_app::apply::{self, ApplicationInput, ApplyError, Field, Target};
use lba_app::lba_notify::Signature;
use lba_app::lba_notify::links;
use lba_core::ids::Siret;
use serde::Deserialize;

use super::apply_view::{ApplyForm, CONSENT, Values, sentence};
use super::{Meta, PageError, candidature, entreprise, offre, render};
use crate::AppState;
use crate::apply_state::ClientIp;
use crate::error::http_status;
use crate::visitor::KnownVisitor;

/// Largest form body: a CV of 3 Mo (`MAX_CV_BYTES`, 3,000,000 bytes), the
/// other fields and the multipart framing. Beyond it the page answers 413
/// with a message on the CV field and the fields read so far (the limit is
/// counted while reading, not from `Content-Length`, so that those fields
/// are kept).
pub(crate) const MAX_FORM_BYTES: usize = lba_core::application::MAX_CV_BYTES + 512 * 1024;

/// A body over [`MAX_FORM_BYTES`] is still read (and dropped) up to this
/// size, so that a browser gets the 413 page instead of a reset connection;
/// beyond it the connection is dropped.
const DRAIN_BYTES: usize = 32 * 1024 * 1024;

/// How long the confirmation page's address works.
const SENT_LINK_VALIDITY: TimeDelta = TimeDelta::days(1);

/// The fields read from the multipart body.
struct Received {
    values: Values,
    cv_name: String,
    cv_bytes: Vec<u8>,
}

/// Why the body could not be read whole.
enum ReadProblem {
    /// Over [`MAX_FORM_BYTES`], while reading the CV (true) or another
    /// field.
    TooLarge { in_cv: bool },
    /// Not a readable multipart body.
    Unreadable,
}

impl ReadProblem {
    fn of(error: &MultipartError) -> Self {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::TooLarge { in_cv: false }
        } else {
            Self::Unreadable
        }
    }
}

/// Reads every field, counting bytes as they come: past
/// [`MAX_FORM_BYTES`] reading stops with [`ReadProblem::TooLarge`]. What
/// was read before a problem is kept (the file comes after the text fields
/// in the form, so a too large file keeps them).
async fn read(mut multipart: Multipart) -> (Received, Option<ReadProblem>) {
    let mut received = Received {
        values: Values::default(),
        cv_name: String::new(),
        cv_bytes: Vec::new(),
    };
    let mut total = 0usize;
    // Set once over the limit: the rest is read and dropped (up to
    // `DRAIN_BYTES`) so that the browser, still sending, gets the answer.
    let mut too_large: Option<ReadProblem> = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return (received, too_large),
            Err(e) => return (received, too_large.or(Some(ReadProblem::of(&e)))),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    total += chunk.len();
                    if total > DRAIN_BYTES {
                        return (received, too_large);
                    }
                    if total > MAX_FORM_BYTES && too_large.is_none() {
                        let in_cv = name == Field::Cv.form_name();
                        too_large = Some(ReadProblem::TooLarge { in_cv });
                    }
                    if too_large.is_none() {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                Ok(None) => break,
                Err(e) => return (received, too_large.or(Some(ReadProblem::of(&e)))),
            }
        }
        if too_large.is_some() {
            continue;
        }
        if name == Field::Cv.form_name() {
            received.cv_name = file_name.unwrap_or_default();
            received.cv_bytes = bytes;
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let v = &mut received.values;
        match name.as_str() {
            "prenom" => v.prenom = text,
            "nom" => v.nom = text,
            "email" => v.email = text,
            "telephone" => v.telephone = text,
            "message" => v.message = text,
            CONSENT => v.consent = !text.is_empty(),
            _ => {}
        }
    }
}

/// What a submission gives: where to go next, or the form to show again
/// with its status.
enum Outcome {
    Sent(String),
    Again(StatusCode, ApplyForm),
}

async fn handle(
    state: &AppState,
    target: &Target,
    ip: Option<std::net::IpAddr>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Outcome, PageError> {
    let mut form = ApplyForm::default();
    let multipart = match multipart {
        Ok(m) => m,
        Err(_) => {
            form.alert = Some(
                "Le formulaire n'a pas pu être lu : envoyez-le depuis cette page, avec votre CV."
                    .into(),
            );
            return Ok(Outcome::Again(StatusCode::BAD_REQUEST, form));
        }
    };
    let (received, problem) = read(multipart).await;
    form.values = received.values;
    match problem {
        Some(ReadProblem::TooLarge { in_cv: true }) => {
            form.add(
                Field::Cv.form_name(),
                "le fichier dépasse 3 Mo : réduisez-le (par exemple en l'enregistrant en PDF) \
                 puis joignez-le à nouveau",
            );
            return Ok(Outcome::Again(StatusCode::PAYLOAD_TOO_LARGE, form));
        }
        Some(ReadProblem::TooLarge { in_cv: false }) => {
            form.alert = Some(
                "Le formulaire envoyé est trop volumineux : le message est limité à 3 000 \
                 caractères et le CV à 3 Mo."
                    .into(),
            );
            return Ok(Outcome::Again(StatusCode::PAYLOAD_TOO_LARGE, form));
        }
        Some(ReadProblem::Unreadable) => {
            form.alert = Some(
                "Le formulaire n'a pas pu être lu en entier : joignez votre CV et envoyez-le à \
                 nouveau."
                    .into(),
            );
            return Ok(Outcome::Again(StatusCode::BAD_REQUEST, form));
        }
        None => {}
    }
    if !state.apply.allow(ip) {
        form.alert = Some(
            "Trop de candidatures envoyées depuis cette adresse : réessayez dans une minute."
                .into(),
        );
        return Ok(Outcome::Again(StatusCode::TOO_MANY_REQUESTS, form));
    }
    let v = &form.values;
    let input = ApplicationInput {
        first_name: v.prenom.clone(),
        last_name: v.nom.clone(),
        email: v.email.clone(),
        phone: v.telephone.clone(),
        message: v.message.clone(),
        cv_name: received.cv_name,
        cv_bytes: received.cv_bytes,
        caller: None,
        ip,
    };
    if !v.consent {
        for (field, message) in apply::field_problems(input) {
            form.add(field.form_name(), message);
        }
        form.add(
            CONSENT,
            "cochez cette case pour que votre candidature soit transmise au recruteur",
        );
        return Ok(Outcome::Again(StatusCode::BAD_REQUEST, form));
    }
    let status =
        match apply::submit(&state.store, &state.apply.config, target, input, Utc::now()).await {
            Ok(id) => return Ok(Outcome::Sent(sent_url(state, &id))),
            Err(e) => {
                // Code and status of the refusal: the same as the API's.
                let status = http_status(e.code());
                match e {
                    ApplyError::Invalid(problems) => {
                        for (field, message) in problems {
                            form.add(field.form_name(), message);
                        }
                    }
                    // The page says why and how to apply instead.
                    ApplyError::NotAccepting(_) => {}
                    ApplyError::Store(ref error) => {
                        tracing::error!(%error, "application from the form not stored");
                        form.alert = Some(sentence(&e.public_message()));
                    }
                    e => form.alert = Some(sentence(&e.public_message())),
                }
                status
            }
        };
    Ok(Outcome::Again(status, form))
}

fn sent_url(state: &AppState, id: &str) -> String {
    let signature = state
        .apply
        .config
        .key
        .sign(&links::sent_message(id), Utc::now() + SENT_LINK_VALIDITY);
    links::sent_path(id, &signature)
}

/// Records that the visitor sent an application after orientation results
/// (the experiment's follow-up); a failure is logged, the application
/// itself is already stored.
async fn after_sent(state: &AppState, visitor: Option<&crate::visitor::Known>) {
    if let Some(known) = visitor
        && let Err(e) =
            lba_app::orientation::application_sent(&state.store, known.learner(), Utc::now()).await
    {
        tracing::error!(error = %e, "orientation follow-up of an application");
    }
}

/// POST `/offre/{id}/candidature`.
pub(crate) async fn offer_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ClientIp(ip): ClientIp,
    KnownVisitor(visitor): KnownVisitor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    if state.search.snapshot().offers.get(&id).is_none() {
        return Err(PageError::NotFound);
    }
    let target = Target::Offer(id.clone());
    match handle(&state, &target, ip, multipart).await? {
        Outcome::Sent(url) => {
            after_sent(&state, visitor.as_ref()).await;
            Ok(Redirect::to(&url).into_response())
        }
        Outcome::Again(status, form) => offre::render_page(&state, &id, form, status).await,
    }
}

/// POST `/entreprise/{siret}/candidature`.
pub(crate) async fn company_submit(
    State(state): State<AppState>,
    Path(siret): Path<String>,
    ClientIp(ip): ClientIp,
    KnownVisitor(visitor): KnownVisitor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let siret = Siret::parse(&siret)
        .map_err(|e| PageError::BadRequest(format!("Ce numéro SIRET n'est pas valide : {e}.")))?;
    if state
        .search
        .snapshot()
        .companies
        .get(siret.as_str())
        .is_none()
    {
        return Err(PageError::NotFound);
    }
    let target = Target::Company(siret.clone());
    match handle(&state, &target, ip, multipart).await? {
        Outcome::Sent(url) => {
            after_sent(&state, visitor.as_ref()).await;
            Ok(Redirect::to(&url).into_response())
        }
        Outcome::Again(status, form) => {
            entreprise::render_page(&state, siret.as_str(), form, status).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SentQuery {
    #[serde(rename = "ref")]
    id: String,
    exp: i64,
    sig: String,
}

#[derive(Template)]
#[template(path = "candidature_envoyee.html")]
struct SentPage {
    meta: Meta,
    /// "à l'offre « Boulanger » de BOULANGERIE DU PARC"…
    summary: String,
    back_url: String,
    back_label: &'static str,
}

/// GET `/candidature/envoyee?ref=…&exp=…&sig=…`: what happens next.
pub(crate) async fn sent_page(
    State(state): State<AppState>,
    Query(q): Query<SentQuery>,
) -> Result<Response, PageError> {
    let signature = Signature {
        exp: q.exp,
        sig: q.sig,
    };
    if let Err(e) =
        state
            .apply
            .config
            .key
            .verify(&links::sent_message(&q.id), &signature, Utc::now())
    {
        return candidature::refused(e.into());
    }
    let Some(a) = lba_app::apply::sent(&state.store, &q.id).await? else {
        return candidature::refused(lba_app::answers::AnswerError::NotFound);
    };
    let (summary, back_url, back_label) = if a.to_offer() {
        (
            format!(
                "Votre candidature à l'offre « {} » de {} est enregistrée.",
                a.target_title, a.company_name
            ),
            format!("/offre/{}", a.target_id),
            "Retour à l'offre",
        )
    } else {
        (
            format!(
                "Votre candidature spontanée à {} est enregistrée.",
                a.company_name
            ),
            format!("/entreprise/{}", a.target_id),
            "Retour à l'entreprise",
        )
    };
    Ok(render(
        StatusCode::OK,
        &SentPage {
            meta: Meta::new(
                "Candidature envoyée – La bonne alternance",
                "Votre candidature est envoyée au recruteur",
            ),
            summary,
            back_url,
            back_label,
        },
    ))
}
