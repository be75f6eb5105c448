//! Message templates edited by operators: e-mail subject, HTML and text
//! bodies, SMS text. Rendered by minijinja in a sandbox (no file access, no
//! includes) with strict undefined: a placeholder outside the documented
//! list is refused when the template is saved, and a missing value is an
//! error at render time, never a blank. HTML bodies are auto-escaped.

use std::collections::BTreeSet;

use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

use crate::sms::{SmsLength, measure};

/// The placeholders a template may use (top-level names; lists are
/// iterated with `{% for e in entreprises %}{{ e.nom }}{% endfor %}`).
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("prenom", "prénom du jeune"),
    ("destinataire", "« jeune » ou « parent »"),
    ("formation", "formation du vœu : intitule, diplome, niveau"),
    (
        "cfa",
        "CFA du vœu : nom, adresse, ville, telephone, email, lien",
    ),
    (
        "entreprises",
        "jusqu'à 3 entreprises : nom, ville, distance_km, lien",
    ),
    (
        "offres",
        "jusqu'à 3 offres : titre, entreprise, ville, distance_km, lien",
    ),
    (
        "lien_recherche",
        "lien vers sa recherche (métier + lieu) sur le site",
    ),
    ("lien_desinscription", "lien de désinscription (e-mail)"),
    (
        "parcours",
        "liens vers les parcours : contact_cfa, chercher_employeur, entretien, integration",
    ),
    (
        "orientation",
        "orientation.lien : le questionnaire pour trouver un métier, avec sa commune déjà remplie",
    ),
];

/// The texts of one message variant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Templates {
    /// E-mail subject.
    #[serde(default)]
    pub email_subject: Option<String>,
    /// E-mail HTML body.
    #[serde(default)]
    pub email_html: Option<String>,
    /// E-mail text body.
    #[serde(default)]
    pub email_text: Option<String>,
    /// SMS text (the STOP mention is added by the sender when missing).
    #[serde(default)]
    pub sms: Option<String>,
}

/// A template problem, naming the template.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Not valid template syntax.
    #[error("modèle `{name}` : syntaxe invalide : {detail}")]
    Syntax {
        /// Which template.
        name: String,
        /// The parser's message.
        detail: String,
    },
    /// A placeholder outside the documented list.
    #[error("modèle `{name}` : champ inconnu « {placeholder} » (champs possibles : {known})")]
    Unknown {
        /// Which template.
        name: String,
        /// The unknown name.
        placeholder: String,
        /// The documented names.
        known: String,
    },
    /// Rendering failed (a value is missing).
    #[error("modèle `{name}` : {detail}")]
    Render {
        /// Which template.
        name: String,
        /// Why.
        detail: String,
    },
    /// The SMS is longer than allowed.
    #[error("SMS de {segments} parties : au plus {limit} autorisées")]
    SmsTooLong {
        /// Parts needed.
        segments: usize,
        /// Parts allowed.
        limit: usize,
    },
}

/// The rendered texts of one message variant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// Subject.
    pub email_subject: Option<String>,
    /// HTML body.
    pub email_html: Option<String>,
    /// Text body.
    pub email_text: Option<String>,
    /// SMS text.
    pub sms: Option<String>,
}

impl Templates {
    fn named(&self) -> Vec<(&'static str, &str)> {
        [
            ("email_subject.txt", &self.email_subject),
            ("email_html.html", &self.email_html),
            ("email_text.txt", &self.email_text),
            ("sms.txt", &self.sms),
        ]
        .into_iter()
        .filter_map(|(n, t)| Some((n, t.as_deref()?)))
        .collect()
    }

    /// Checks syntax and placeholders of every template (at save time).
    pub fn validate(&self) -> Result<(), TemplateError> {
        let env = environment();
        let known: BTreeSet<&str> = PLACEHOLDERS.iter().map(|(n, _)| *n).collect();
        for (name, source) in self.named() {
            let template =
                env.template_from_named_str(name, source)
                    .map_err(|e| TemplateError::Syntax {
                        name: display(name),
                        detail: e.to_string(),
                    })?;
            let used = template.undeclared_variables(false);
            let mut unknown: Vec<&String> = used
                .iter()
                .filter(|v| !known.contains(v.as_str()))
                .collect();
            unknown.sort();
            if let Some(first) = unknown.first() {
                return Err(TemplateError::Unknown {
                    name: display(name),
                    placeholder: (*first).clone(),
                    known: known.iter().copied().collect::<Vec<_>>().join(", "),
                });
            }
        }
        Ok(())
    }

    /// Renders every template with `context` (a JSON object of the placeholders).
    pub fn render(&self, context: &serde_json::Value) -> Result<Rendered, TemplateError> {
        let env = environment();
        let mut out = Rendered::default();
        for (name, source) in self.named() {
            let text =
                env.render_named_str(name, source, context)
                    .map_err(|e| TemplateError::Render {
                        name: display(name),
                        detail: e.to_string(),
                    })?;
            let text = text.trim().to_owned();
            match name {
                "email_subject.txt" => out.email_subject = Some(text),
                "email_html.html" => out.email_html = Some(text),
                "email_text.txt" => out.email_text = Some(text),
                _ => out.sms = Some(text),
            }
        }
        Ok(out)
    }
}

/// The SMS text with its STOP mention, checked against a part limit.
pub fn sms_with_stop(text: &str, limit: usize) -> Result<(String, SmsLength), TemplateError> {
    let text = if text.to_uppercase().contains("STOP") {
        text.to_owned()
    } else {
        format!("{text} STOP au 36111")
    };
    let length = measure(&text);
    if length.segments > limit {
        return Err(TemplateError::SmsTooLong {
            segments: length.segments,
            limit,
        });
    }
    Ok((text, length))
}

fn display(name: &str) -> String {
    name.split('.').next().unwrap_or(name).to_owned()
}

/// A sandboxed environment: no loader (no include/import of files), strict
/// undefined, bounded recursion (minijinja's default).
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_formatter(html_formatter);
    env
}

/// minijinja's formatter, except that HTML escaping leaves `/` alone (it
/// escapes `& < > " '`, which is what HTML needs): links in e-mails stay
/// readable in the source (`https://…`, not `https:&#x2f;&#x2f;…`).
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    if state.auto_escape() != minijinja::AutoEscape::Html || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            c => escaped.push(c),
        }
    }
    out.write_str(&escaped)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates() -> Templates {
        Templates {
            email_subject: Some("{{ prenom }}, ton CFA t'attend".into()),
            email_html: Some(
                "<p>Bonjour {{ prenom }}</p>{% for e in entreprises %}<li>{{ e.nom }} ({{ e.distance_km }} km)</li>{% endfor %}<a href=\"{{ lien_desinscription }}\">Se désinscrire</a>".into(),
            ),
            email_text: None,
            sms: Some("{{ prenom }}, contacte {{ cfa.nom }} : {{ cfa.lien }}".into()),
        }
    }

    fn context() -> serde_json::Value {
        serde_json::json!({
            "prenom": "Léa <b>",
            "cfa": {"nom": "CFA du Bâtiment", "lien": "https://x.fr/c"},
            "entreprises": [{"nom": "Boulangerie & Fils", "distance_km": 2.5}],
            "lien_desinscription": "https://x.fr/u",
        })
    }

    #[test]
    fn known_placeholders_pass_and_render_with_escaping() {
        assert_eq!(templates().validate(), Ok(()));
        let r = templates().render(&context()).unwrap();
        assert_eq!(
            r.email_subject.as_deref(),
            Some("Léa <b>, ton CFA t'attend")
        );
        let html = r.email_html.unwrap_or_default();
        assert!(html.contains("Léa &lt;b&gt;"), "{html}");
        assert!(html.contains("Boulangerie &amp; Fils (2.5 km)"), "{html}");
        // Links stay readable: `/` is not escaped, quotes are.
        assert!(html.contains("href=\"https://x.fr/u\""), "{html}");
        assert_eq!(
            r.sms.as_deref(),
            Some("Léa <b>, contacte CFA du Bâtiment : https://x.fr/c")
        );
    }

    #[test]
    fn unknown_placeholder_is_refused_at_save_time() {
        let mut t = templates();
        t.sms = Some("{{ prenom }} {{ nom_de_famille }}".into());
        match t.validate() {
            Err(TemplateError::Unknown {
                name, placeholder, ..
            }) => {
                assert_eq!(
                    (name.as_str(), placeholder.as_str()),
                    ("sms", "nom_de_famille")
                );
            }
            other => panic!("{other:?}"),
        }
        t.sms = Some("{{ prenom ".into());
        assert!(matches!(t.validate(), Err(TemplateError::Syntax { .. })));
    }

    #[test]
    fn missing_value_is_an_error_not_a_blank() {
        let t = Templates {
            sms: Some("{{ cfa.telephone }}".into()),
            ..Templates::default()
        };
        assert_eq!(t.validate(), Ok(()));
        assert!(matches!(
            t.render(&context()),
            Err(TemplateError::Render { .. })
        ));
    }

    #[test]
    fn stop_mention_and_limit() {
        let (text, len) = sms_with_stop("Bonjour", 1).unwrap();
        assert_eq!(text, "Bonjour STOP au 36111");
        assert_eq!(len.segments, 1);
        assert!(matches!(
            sms_with_stop(&"a".repeat(250), 1),
            Err(TemplateError::SmsTooLong {
                segments: 2,
                limit: 1
            })
        ));
    }
}
