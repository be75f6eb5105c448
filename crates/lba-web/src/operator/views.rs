//! The askama templates of the operator pages and small view helpers.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::form::{ArmForm, FieldError, SpecForm};
use crate::pages::{Meta, render};

fn meta(title: &str) -> Meta {
    Meta {
        title: format!("{title} – Opérateurs – La bonne alternance"),
        description: "Pages des opérateurs de campagnes".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "operateur/message.html")]
struct MessagePage {
    meta: Meta,
    heading: String,
    message: String,
    back: Option<String>,
}

/// A page with a heading and a message.
pub(crate) fn message(status: StatusCode, heading: &str, message: &str) -> Response {
    message_back(status, heading, message, None)
}

/// A page with a heading, a message and a link back.
pub(crate) fn message_back(
    status: StatusCode,
    heading: &str,
    message: &str,
    back: Option<String>,
) -> Response {
    render(
        status,
        &MessagePage {
            meta: meta(heading),
            heading: heading.to_owned(),
            message: message.to_owned(),
            back,
        },
    )
}

/// A checkbox, radio or select choice.
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) checked: bool,
}

fn choices(options: &[(&str, &str)], selected: &[String]) -> Vec<Choice> {
    options
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
            checked: selected.iter().any(|s| s == value),
        })
        .collect()
}

/// What the preview area shows.
pub(crate) struct PreviewView {
    /// People to pick from: (id, label).
    pub(crate) people: Vec<Choice>,
    /// Variants to pick from.
    pub(crate) arms: Vec<Choice>,
    /// The rendered messages, or why there are none.
    pub(crate) body: PreviewBody,
}

/// The rendered part of the preview.
pub(crate) enum PreviewBody {
    /// Nothing to show yet, with a hint.
    Hint(String),
    /// A problem (invalid template, unknown person…).
    Error(String),
    /// The rendered messages and notes for the operator.
    Messages(Vec<PreviewMessage>, Vec<String>),
}

/// One rendered message of the preview.
pub(crate) struct PreviewMessage {
    /// "E-mail au jeune", "SMS au parent"…
    pub(crate) title: String,
    /// Recipient address, masked or absent.
    pub(crate) subject: Option<String>,
    pub(crate) text: Option<String>,
    pub(crate) html: Option<String>,
    /// SMS: text with STOP, length, parts, encoding.
    pub(crate) sms: Option<SmsView>,
}

/// An SMS with its length.
pub(crate) struct SmsView {
    pub(crate) text: String,
    pub(crate) units: usize,
    pub(crate) segments: usize,
    pub(crate) encoding: String,
}

impl PreviewView {
    /// Builds the choices of the picker.
    pub(crate) fn new(
        people: &[(String, String)],
        person: &str,
        arms: &[String],
        arm: &str,
        body: PreviewBody,
    ) -> Self {
        Self {
            people: people
                .iter()
                .map(|(id, label)| Choice {
                    value: id.clone(),
                    label: label.clone(),
                    checked: id == person,
                })
                .collect(),
            arms: arms
                .iter()
                .map(|a| Choice {
                    value: a.clone(),
                    label: a.clone(),
                    checked: a == arm,
                })
                .collect(),
            body,
        }
    }
}

#[derive(Template)]
#[template(path = "operateur/_apercu.html")]
struct PreviewFragment<'a> {
    p: &'a PreviewView,
}

/// The preview as an HTML fragment (for the script).
pub(crate) fn preview_fragment(p: &PreviewView) -> Response {
    use axum::response::{Html, IntoResponse};
    match (PreviewFragment { p }).render() {
        Ok(html) => (StatusCode::OK, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "preview rendering failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "operateur/formulaire.html")]
struct FormPage<'a> {
    meta: Meta,
    heading: String,
    action: String,
    back: String,
    csrf: &'a str,
    form: &'a SpecForm,
    rows: Vec<ArmForm>,
    sources: Vec<Choice>,
    levels: Vec<Choice>,
    statuses: Vec<Choice>,
    academies: Vec<Choice>,
    channels: Vec<Choice>,
    audiences: Vec<Choice>,
    error: Option<&'a FieldError>,
    preview: &'a PreviewView,
    placeholders: &'static [(&'static str, &'static str)],
}

impl FormPage<'_> {
    /// The message of the error on `field`, if that is the field in error.
    fn err(&self, field: &str) -> Option<&str> {
        self.error
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The error of a field of arm row `i`.
    fn arm_err(&self, i: &usize, field: &str) -> Option<&str> {
        self.err(&format!("arms[{i}].{field}"))
    }
}

/// What the form page needs besides the form.
pub(crate) struct FormContext<'a> {
    pub(crate) heading: String,
    pub(crate) action: String,
    pub(crate) back: String,
    pub(crate) csrf: &'a str,
    pub(crate) error: Option<&'a FieldError>,
    pub(crate) preview: &'a PreviewView,
}

/// The campaign form page.
pub(crate) fn form_page(status: StatusCode, form: &SpecForm, ctx: FormContext<'_>) -> Response {
    let sources = choices(
        &[("parcoursup", "Parcoursup"), ("affelnet", "Affelnet")],
        &form.sources,
    );
    let levels = choices(
        &[
            ("3", "3 (CAP, BEP)"),
            ("4", "4 (Bac, BP)"),
            ("5", "5 (BTS, DEUST)"),
            ("6", "6 (Licence, BUT)"),
            ("7", "7 (Master, ingénieur)"),
        ],
        &form.levels,
    );
    let statuses = choices(
        &[
            ("en_attente", "En attente"),
            ("propose", "Proposé"),
            ("accepte", "Accepté"),
            ("refuse", "Refusé"),
            ("desiste", "Désisté"),
        ],
        &form.wish_statuses,
    );
    let academies: Vec<(&str, &str)> = lba_campaign::academies::ACADEMIES
        .iter()
        .map(|(code, name, _)| (*code, *name))
        .collect();
    let academies = choices(&academies, &super::form::list(&form.academies));
    let channels = choices(&[("email", "E-mail"), ("sms", "SMS")], &form.channels);
    let audiences = choices(
        &[
            ("young", "Le jeune uniquement"),
            (
                "parent_if_minor",
                "Un parent si le jeune est mineur à l'envoi (et qu'un contact parent existe), sinon le jeune",
            ),
            ("both", "Le jeune et, s'il est mineur, un parent"),
        ],
        std::slice::from_ref(&form.audience),
    );
    render(
        status,
        &FormPage {
            meta: meta(&ctx.heading),
            heading: ctx.heading,
            action: ctx.action,
            back: ctx.back,
            csrf: ctx.csrf,
            form,
            rows: form.arm_rows(),
            sources,
            levels,
            statuses,
            academies,
            channels,
            audiences,
            error: ctx.error,
            preview: ctx.preview,
            placeholders: lba_campaign::template::PLACEHOLDERS,
        },
    )
}

/// A CSV export: UTF-8, downloaded as `filename`.
pub(crate) fn csv_attachment(filename: &str, body: String) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}
