//! The askama templates of the pro space.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use lba_app::pro::{Pro, ProCompany, ProOffer};
use lba_core::pro::Role;

use crate::pages::{Meta, render};

pub(crate) fn meta(title: &str) -> Meta {
    Meta {
        title: format!("{title} – Espace pro – La bonne alternance"),
        description: "Espace des recruteurs, CFA, OPCO et administrateurs".to_owned(),
    }
}

/// Wrong fields of a form, by name.
#[derive(Clone, Debug, Default)]
pub(crate) struct Errors(pub(crate) Vec<(&'static str, String)>);

impl Errors {
    /// The message of field `name`.
    pub(crate) fn of(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.as_str())
    }
}

/// The navigation bar of a signed-in professional.
pub(crate) struct Nav {
    pub(crate) csrf: String,
    pub(crate) role: Role,
    pub(crate) name: String,
}

impl Nav {
    pub(crate) fn of(pro: &Pro) -> Self {
        Self {
            csrf: pro.csrf.clone(),
            role: pro.role,
            name: if pro.name.is_empty() {
                pro.email.clone()
            } else {
                pro.name.clone()
            },
        }
    }
    pub(crate) fn is(&self, role: &str) -> bool {
        self.role.as_str() == role
    }
}

#[derive(Template)]
#[template(path = "pro/connexion.html")]
pub(crate) struct LoginPage {
    pub(crate) meta: Meta,
    pub(crate) email: String,
    pub(crate) error: Option<String>,
    pub(crate) sent: bool,
}

/// The sign-in page.
pub(crate) fn login(
    status: StatusCode,
    email: &str,
    error: Option<String>,
    sent: bool,
) -> Response {
    render(
        status,
        &LoginPage {
            meta: meta("Connexion"),
            email: email.to_owned(),
            error,
            sent,
        },
    )
}

#[derive(Template)]
#[template(path = "pro/inscription.html")]
pub(crate) struct SignupPage {
    pub(crate) meta: Meta,
    /// `entreprise` or `cfa`.
    pub(crate) kind: &'static str,
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) phone: String,
    pub(crate) errors: Errors,
    pub(crate) refused: Option<String>,
    /// Created: the name, validated at once or not.
    pub(crate) done: Option<(String, bool)>,
}

/// One line of the dashboard's offers.
pub(crate) struct OfferLine {
    pub(crate) offer: ProOffer,
    pub(crate) status: &'static str,
    pub(crate) expires: String,
}

/// The label of an offer's status, "expirée" once past its date.
pub(crate) fn status_label(o: &ProOffer, now: chrono::DateTime<chrono::Utc>) -> &'static str {
    match o.status.as_str() {
        "active" if o.expires_at <= now => "Expirée",
        "active" => "Active",
        "pending" => "En attente de validation",
        "filled" => "Pourvue",
        "cancelled" => "Annulée",
        _ => "Close",
    }
}

/// A Paris date `jj/mm/aaaa`.
pub(crate) fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris)
        .format("%d/%m/%Y")
        .to_string()
}

#[derive(Template)]
#[template(path = "pro/tableau.html")]
pub(crate) struct Dashboard {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    pub(crate) company: Option<ProCompany>,
    pub(crate) company_status: &'static str,
    pub(crate) offers: Vec<OfferLine>,
    /// Spontaneous applications to the company.
    pub(crate) applications: Vec<ApplicationLine>,
    pub(crate) notice: Option<String>,
}

#[derive(Template)]
#[template(path = "pro/offre_form.html")]
pub(crate) struct OfferForm {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    pub(crate) values: OfferValues,
    pub(crate) errors: Errors,
    pub(crate) refused: Option<String>,
}

/// What the offer form shows back.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub(crate) struct OfferValues {
    /// The company a CFA posts for.
    #[serde(default)]
    pub(crate) siret: String,
    #[serde(default)]
    pub(crate) metier: String,
    #[serde(default)]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) apprentissage: Option<String>,
    #[serde(default)]
    pub(crate) professionnalisation: Option<String>,
    #[serde(default)]
    pub(crate) level: String,
    #[serde(default)]
    pub(crate) start: String,
    #[serde(default)]
    pub(crate) duration_months: String,
    #[serde(default)]
    pub(crate) rhythm: String,
    #[serde(default)]
    pub(crate) positions: String,
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) profile: String,
    #[serde(default)]
    pub(crate) question1: String,
    #[serde(default)]
    pub(crate) question2: String,
    #[serde(default)]
    pub(crate) question3: String,
    #[serde(default)]
    pub(crate) csrf: Option<String>,
}

#[derive(Template)]
#[template(path = "pro/offre.html")]
pub(crate) struct OfferPage {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    pub(crate) line: OfferLine,
    pub(crate) open: bool,
    pub(crate) questions: Vec<String>,
    pub(crate) history: Vec<(String, String, String)>,
    pub(crate) notice: Option<String>,
    pub(crate) applications: Vec<ApplicationLine>,
    /// CFAs the offer can be handed to (recruiter, active offer).
    pub(crate) candidates: Vec<lba_app::pro::delegation::Candidate>,
    /// CFAs it was handed to.
    pub(crate) delegated: Vec<String>,
}

/// One application received, in the offer page or the dashboard.
pub(crate) struct ApplicationLine {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) contact: String,
    pub(crate) message: String,
    pub(crate) date: String,
    /// Download path while the CV is kept.
    pub(crate) cv: Option<String>,
    /// The answer given, or the two answer links.
    pub(crate) answer: Option<&'static str>,
    pub(crate) interview: String,
    pub(crate) refusal: String,
}

impl ApplicationLine {
    /// The line of `a`, with its answer paths and the path of its CV
    /// (shown while the CV is kept).
    pub(crate) fn new(
        a: lba_app::pro::ReceivedApplication,
        interview: String,
        refusal: String,
        cv: String,
    ) -> Self {
        Self {
            name: format!("{} {}", a.first_name, a.last_name),
            contact: [a.email, a.phone]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            message: a.message.unwrap_or_default(),
            date: date(a.created_at),
            cv: a.has_cv.then_some(cv),
            answer: match a.answer.as_deref() {
                Some("interview") => Some("Entretien proposé"),
                Some("refusal") => Some("Refusée"),
                _ => None,
            },
            interview,
            refusal,
            id: a.id,
        }
    }
}

#[derive(Template)]
#[template(path = "pro/lien_offre.html")]
pub(crate) struct LinkPage {
    pub(crate) meta: Meta,
    pub(crate) title: String,
    pub(crate) city: String,
    pub(crate) action: String,
    pub(crate) query: String,
    pub(crate) csrf: String,
    pub(crate) done: Option<String>,
}

#[derive(Template)]
#[template(path = "pro/entreprises.html")]
pub(crate) struct CompaniesPage {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    pub(crate) companies: Vec<(ProCompany, &'static str)>,
    pub(crate) notice: Option<String>,
}

#[derive(Template)]
#[template(path = "pro/comptes.html")]
pub(crate) struct UsersPage {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    pub(crate) users: Vec<accounts::User>,
    pub(crate) roles: Vec<(&'static str, &'static str)>,
    pub(crate) notice: Option<String>,
    pub(crate) errors: Errors,
}

/// The accounts as the admin page shows them.
pub(crate) mod accounts {
    /// One account.
    pub(crate) struct User {
        pub(crate) id: String,
        pub(crate) email: String,
        pub(crate) role: String,
        pub(crate) active: bool,
        pub(crate) status: String,
        pub(crate) attached: String,
    }
}

#[derive(Template)]
#[template(path = "pro/journal.html")]
pub(crate) struct JournalPage {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    pub(crate) entries: Vec<(String, String, String, String, String)>,
}

/// A page with a heading and a message.
pub(crate) fn message(status: StatusCode, heading: &str, text: &str) -> Response {
    crate::operator::views::message_back(status, heading, text, Some("/pro".to_owned()))
}

/// One contact request in the CFA's dashboard.
pub(crate) struct RequestLine {
    pub(crate) id: String,
    pub(crate) date: String,
    pub(crate) course: String,
    pub(crate) who: String,
    pub(crate) contact: String,
    pub(crate) read: bool,
    pub(crate) answered: bool,
    pub(crate) answer: &'static str,
    /// The signed answer page.
    pub(crate) path: String,
}

#[derive(Template)]
#[template(path = "pro/cfa.html")]
pub(crate) struct CfaPage {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    /// Where its forms post (`/pro/cfa`, or the administrator's routes).
    pub(crate) base: String,
    /// An administrator looks at the CFA's page.
    pub(crate) as_admin: bool,
    pub(crate) name: String,
    pub(crate) uai: String,
    pub(crate) requests: Vec<RequestLine>,
    pub(crate) courses: Vec<lba_app::pro::CfaCourse>,
    pub(crate) contact_email: String,
    pub(crate) opted_out: bool,
    pub(crate) suspended: bool,
    pub(crate) offers: Vec<OfferLine>,
    pub(crate) notice: Option<String>,
    pub(crate) errors: Errors,
}

#[derive(Template)]
#[template(path = "pro/cfa_admin.html")]
pub(crate) struct CfaFindPage {
    pub(crate) meta: Meta,
    pub(crate) nav: Nav,
    /// (UAI, address, since when) of the CFAs whose address bounced.
    pub(crate) suspended: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "pro/delegation.html")]
pub(crate) struct DelegationPage {
    pub(crate) meta: Meta,
    pub(crate) offer: ProOffer,
    pub(crate) open: bool,
    pub(crate) expires: String,
    /// Name, email, phone of the company's recruiter.
    pub(crate) contact: Option<(String, String, String)>,
}
