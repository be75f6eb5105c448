//! The application block of the offer and company pages: what the candidate
//! typed, the errors next to their fields, and whether the target accepts
//! applications. Shared by the pages (`offre.rs`, `entreprise.rs`) and the
//! form's handlers (`apply_form.rs`), which import it and not each other.

use chrono::Utc;
use lba_app::apply::{self, ApplyError, Target};

use super::PageError;
use crate::AppState;

/// The form's fields in page order: id (= form name), label (for the error
/// summary).
const LABELS: [(&str, &str); 7] = [
    ("prenom", "Prénom"),
    ("nom", "Nom"),
    ("email", "Adresse électronique"),
    ("telephone", "Téléphone"),
    ("message", "Message au recruteur"),
    ("cv", "CV"),
    ("consentement", "Consentement"),
];

/// The consent checkbox's name (the only field the API does not have).
pub(crate) const CONSENT: &str = "consentement";

/// What the candidate typed (never the file). No `Debug`: personal data.
#[derive(Clone, Default)]
pub(crate) struct Values {
    pub(crate) prenom: String,
    pub(crate) nom: String,
    pub(crate) email: String,
    pub(crate) telephone: String,
    pub(crate) message: String,
    pub(crate) consent: bool,
}

/// The form as shown: values, a message per field, and a refusal that is
/// about no field in particular (quota, rate limit…).
#[derive(Clone, Default)]
pub(crate) struct ApplyForm {
    pub(crate) values: Values,
    errors: Vec<(&'static str, String)>,
    pub(crate) alert: Option<String>,
}

impl ApplyForm {
    /// The message of field `id`, if any.
    pub(crate) fn error(&self, id: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, m)| m.as_str())
    }

    /// Field errors in page order: (id, label, message).
    pub(crate) fn error_list(&self) -> Vec<(&'static str, &'static str, &str)> {
        LABELS
            .iter()
            .filter_map(|(id, label)| self.error(id).map(|m| (*id, *label, m)))
            .collect()
    }

    /// Whether the form was sent and refused (the file must be attached
    /// again: it is never kept).
    pub(crate) fn refused(&self) -> bool {
        !self.errors.is_empty() || self.alert.is_some()
    }

    pub(crate) fn add(&mut self, id: &'static str, message: impl AsRef<str>) {
        if self.error(id).is_none() {
            self.errors.push((id, sentence(message.as_ref())));
        }
    }
}

/// A text input of the form, as the template draws it.
pub(crate) struct TextField<'a> {
    pub(crate) id: &'static str,
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) autocomplete: &'static str,
    pub(crate) value: &'a str,
    pub(crate) error: Option<&'a str>,
}

/// Why the target takes no application here, and what to do instead.
#[derive(Clone, Debug)]
pub(crate) struct Closed {
    pub(crate) message: String,
    /// (href, label) of the other ways to apply.
    pub(crate) links: Vec<(String, String)>,
}

/// The application block of an offer or company page.
pub(crate) struct ApplyView {
    /// Where the form posts (with `#postuler`, so that a page rendered
    /// again opens at the form).
    pub(crate) action: String,
    pub(crate) heading: &'static str,
    /// For the message's hint: "cette offre" or "cette entreprise".
    pub(crate) what: &'static str,
    /// `Some` when there is no form: why, and how to apply instead.
    pub(crate) closed: Option<Closed>,
    pub(crate) form: ApplyForm,
}

impl ApplyView {
    /// The four text inputs.
    pub(crate) fn text_fields(&self) -> Vec<TextField<'_>> {
        let v = &self.form.values;
        let field = |id, label, hint, kind, autocomplete, value| TextField {
            id,
            label,
            hint,
            kind,
            autocomplete,
            value,
            error: self.form.error(id),
        };
        vec![
            field(
                "prenom",
                "Prénom",
                "",
                "text",
                "given-name",
                v.prenom.as_str(),
            ),
            field("nom", "Nom", "", "text", "family-name", v.nom.as_str()),
            field(
                "email",
                "Adresse électronique",
                "Format attendu : nom@domaine.fr. Le recruteur vous répondra à cette adresse.",
                "email",
                "email",
                v.email.as_str(),
            ),
            field(
                "telephone",
                "Téléphone",
                "Format attendu : 06 12 34 56 78 ou +33 6 12 34 56 78",
                "tel",
                "tel",
                v.telephone.as_str(),
            ),
        ]
    }

    /// The message's maximum length, for the counter.
    pub(crate) fn max_message(&self) -> usize {
        lba_core::application::MAX_MESSAGE_CHARS
    }

    /// The CV's maximum size in bytes, for the client-side check.
    pub(crate) fn max_cv(&self) -> usize {
        lba_core::application::MAX_CV_BYTES
    }
}

/// The application block of `target`'s page: the form, or why there is
/// none and how to apply instead (`other_ways`).
pub(crate) async fn view(
    state: &AppState,
    target: &Target,
    form: ApplyForm,
    other_ways: Vec<(String, String)>,
) -> Result<ApplyView, PageError> {
    let (action, heading, what) = match target {
        Target::Offer(id) => (
            format!("/offre/{id}/candidature#postuler"),
            "Postuler à cette offre",
            "cette offre",
        ),
        Target::Company(siret) => (
            format!("/entreprise/{}/candidature#postuler", siret.as_str()),
            "Envoyer une candidature spontanée",
            "cette entreprise",
        ),
    };
    let closed = match apply::accepts(&state.store, target, Utc::now()).await {
        Ok(()) => None,
        Err(ApplyError::Store(e)) => return Err(PageError::Store(e)),
        Err(e) => Some(Closed {
            message: sentence(&e.to_string()),
            links: other_ways,
        }),
    };
    Ok(ApplyView {
        action,
        heading,
        what,
        closed,
        form,
    })
}

/// "ce champ est obligatoire" → "Ce champ est obligatoire."
pub(crate) fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}
