//! French errors for every request that axum refuses before a handler runs.
//!
//! axum's extractors (`Path`, `Query`, `Form`, `Json`, `Multipart`, body
//! limits) and its router (405) answer in plain English text:
//! `Invalid URL: Invalid UTF-8 in id`, `Failed to deserialize query string:
//! missing field exp`. Every handler of ours answers in HTML or JSON, so a
//! client error in plain text (or with no body at all) can only come from
//! there. This middleware turns it into the French DSFR error page on the
//! pages, and into the v1 JSON error shape `{"error", "error_messages"}`
//! under `/api/`, naming the parameter at fault when axum said which one.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lba_app::error_codes;
use serde_json::json;

use crate::pages::PageError;

/// Longest rejection body read (they are one line).
const MAX_REJECTION_BYTES: usize = 16 * 1024;

/// The middleware: see the module documentation.
pub(crate) async fn french_rejections(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_client_error() || !is_framework_answer(response.headers()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_REJECTION_BYTES)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let rejection = translate(status, &text);
    let mut french = if api {
        (
            status,
            Json(json!({ "error": rejection.code, "error_messages": [rejection.message] })),
        )
            .into_response()
    } else {
        PageError::Rejected {
            status,
            heading: rejection.heading,
            message: rejection.message,
        }
        .into_response()
    };
    // Headers that still mean something to the client.
    for name in [header::ALLOW, header::RETRY_AFTER] {
        copy_header(&parts.headers, french.headers_mut(), &name);
    }
    french
}

fn copy_header(from: &HeaderMap, to: &mut HeaderMap, name: &HeaderName) {
    if let Some(value) = from.get(name) {
        to.insert(name.clone(), value.clone());
    }
}

/// Plain text or no body type at all: not one of our HTML or JSON answers.
fn is_framework_answer(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"))
}

/// A rejection in French.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Rejection {
    /// Stable code of the JSON error.
    pub code: &'static str,
    /// Heading of the error page.
    pub heading: &'static str,
    /// What went wrong, naming the parameter when known.
    pub message: String,
}

/// Translates axum's English rejection `text` answered with `status`.
pub(crate) fn translate(status: StatusCode, text: &str) -> Rejection {
    let (code, heading, default) = match status {
        StatusCode::NOT_FOUND => (
            error_codes::NOT_FOUND.code(),
            "Page non trouvée",
            "Cette page n'existe pas.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            error_codes::METHOD_NOT_ALLOWED.code(),
            "Méthode non autorisée",
            "Cette adresse n'accepte pas cette méthode HTTP.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            error_codes::REQUEST_TIMEOUT.code(),
            "Délai dépassé",
            "La requête a pris trop de temps. Réessayez dans quelques instants.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            error_codes::PAYLOAD_TOO_LARGE.code(),
            "Envoi trop volumineux",
            "Le contenu envoyé est trop volumineux.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            error_codes::UNSUPPORTED_MEDIA_TYPE.code(),
            "Format non pris en charge",
            "Le format du contenu envoyé n'est pas pris en charge.",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            error_codes::WRONG_PARAMETERS.code(),
            "Contenu invalide",
            "Le contenu envoyé ne correspond pas au format attendu.",
        ),
        _ => (
            error_codes::WRONG_PARAMETERS.code(),
            "Adresse incorrecte",
            "La requête est mal formée.",
        ),
    };
    let message = specific(status, text).unwrap_or_else(|| default.to_owned());
    Rejection {
        code,
        heading,
        message,
    }
}

/// The French message for the rejections that say which parameter is at
/// fault (or which format is expected).
fn specific(status: StatusCode, text: &str) -> Option<String> {
    if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        let expected = if text.contains("application/json") {
            "envoyez du JSON (Content-Type: application/json)"
        } else if text.contains("multipart/form-data") {
            "envoyez un formulaire multipart/form-data"
        } else if text.contains("x-www-form-urlencoded") {
            "envoyez un formulaire (Content-Type: application/x-www-form-urlencoded)"
        } else {
            return None;
        };
        return Some(format!("Format non pris en charge : {expected}."));
    }
    if let Some(field) = between(text, "missing field `", "`") {
        return Some(format!("{field} : paramètre manquant"));
    }
    if let Some(field) = between(text, "unknown field `", "`") {
        return Some(format!("{field} : paramètre inconnu"));
    }
    if text.starts_with("Invalid URL") {
        let field = between(text, "in `", "`")
            .or_else(|| text.rsplit_once(" in ").map(|(_, f)| f.trim()))
            .filter(|f| is_name(f));
        return Some(match field {
            Some(field) if text.contains("UTF-8") => {
                format!("{field} : caractères invalides dans l'adresse")
            }
            Some(field) => format!("{field} : valeur invalide dans l'adresse"),
            None => "L'adresse contient une valeur invalide.".to_owned(),
        });
    }
    // `Failed to deserialize query string: exp: invalid digit found in string`
    for prefix in [
        "Failed to deserialize query string: ",
        "Failed to deserialize form: ",
        "Failed to deserialize form body: ",
        "Failed to deserialize the JSON body into the target type: ",
    ] {
        if let Some(rest) = text.strip_prefix(prefix)
            && let Some((field, _)) = rest.split_once(": ")
            && is_name(field)
        {
            return Some(format!("{field} : valeur invalide"));
        }
    }
    if text.starts_with("Failed to parse the request body as JSON") {
        return Some("Le corps de la requête n'est pas du JSON valide.".to_owned());
    }
    None
}

/// The text between `start` and the next `end` in `text`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len]).filter(|f| is_name(f))
}

/// A parameter name worth echoing (short, no markup).
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_parameter_of_axum_rejections() {
        let cases = [
            (
                StatusCode::BAD_REQUEST,
                "Invalid URL: Invalid UTF-8 in id",
                "id : caractères invalides dans l'adresse",
            ),
            (
                StatusCode::BAD_REQUEST,
                "Invalid URL: Cannot parse `abc` to a `u64` in `page`",
                "page : valeur invalide dans l'adresse",
            ),
            (
                StatusCode::BAD_REQUEST,
                "Failed to deserialize query string: missing field `exp`",
                "exp : paramètre manquant",
            ),
            (
                StatusCode::BAD_REQUEST,
                "Failed to deserialize query string: exp: invalid digit found in string",
                "exp : valeur invalide",
            ),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Failed to deserialize the JSON body into the target type: missing field `email` at line 1 column 2",
                "email : paramètre manquant",
            ),
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Failed to buffer the request body: length limit exceeded",
                "Le contenu envoyé est trop volumineux.",
            ),
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expected request with `Content-Type: application/json`",
                "Format non pris en charge : envoyez du JSON (Content-Type: application/json).",
            ),
            (
                StatusCode::METHOD_NOT_ALLOWED,
                "",
                "Cette adresse n'accepte pas cette méthode HTTP.",
            ),
        ];
        for (status, text, expected) in cases {
            assert_eq!(translate(status, text).message, expected, "{text}");
        }
    }

    #[test]
    fn markup_in_a_rejection_is_never_echoed() {
        let r = translate(
            StatusCode::BAD_REQUEST,
            "Failed to deserialize query string: missing field `<script>`",
        );
        assert_eq!(r.message, "La requête est mal formée.");
    }
}
