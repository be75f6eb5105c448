//! The emails of a request to contact a CFA (issue 17), sent through the
//! outbox: the request to the CFA with a signed answer link (60 days), the
//! confirmation to whoever asked, and the CFA's answer to them. The young
//! person is written to with « tu », a parent and the CFA with « vous ».

use askama::Template;
use chrono::{DateTime, Utc};
use lba_core::appointment::{Requester, reason_label};
use lba_store::StoreError;
use lba_store::appointments::Appointment;
use lba_store::outbox::{Job, JobKind, NewJob};

use crate::email::{EmailContext, EmailError, Rendered};
use crate::links::{self, APPOINTMENT_LINK_VALIDITY};
use crate::worker::{Outcome, Worker};

/// The JSON parameters of an appointment job: the request id, and for
/// [`JobKind::AppointmentNoAnswer`] the other courses proposed (no
/// personal data).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    pub appointment: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
}

/// Another course proposed when a CFA does not answer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Alternative {
    /// Course id.
    pub id: String,
    pub title: String,
    pub cfa: String,
    pub city: String,
}

/// The notice to whoever asked, with other courses.
#[must_use]
pub fn no_answer_job(id: &str, alternatives: &[Alternative], now: DateTime<Utc>) -> NewJob {
    let mut j = job(JobKind::AppointmentNoAnswer, id, now);
    let payload = Payload {
        appointment: id.to_owned(),
        alternatives: alternatives.to_vec(),
    };
    j.payload = serde_json::to_string(&payload).unwrap_or_else(|_| "{}".to_owned());
    j
}

/// A job of `kind` about request `id`, due at `not_before`.
#[must_use]
pub fn job(kind: JobKind, id: &str, not_before: DateTime<Utc>) -> NewJob {
    let payload = Payload {
        appointment: id.to_owned(),
        alternatives: Vec::new(),
    };
    NewJob {
        id: uuid::Uuid::new_v4().simple().to_string(),
        kind: kind.as_str().to_owned(),
        payload: serde_json::to_string(&payload).unwrap_or_else(|_| "{}".to_owned()),
        subject: id.to_owned(),
        dedupe_key: kind.key(id),
        not_before_ms: not_before.timestamp_millis(),
    }
}

#[derive(Template)]
#[template(path = "appointment.html")]
struct Html<'a> {
    subject: &'a str,
    footer_reason: &'a str,
    public_url: &'a str,
    contact: &'a str,
    unsubscribe_url: Option<String>,
    heading: &'a str,
    paragraphs: &'a [String],
    details: &'a [(String, String)],
    quote: Option<&'a str>,
    buttons: &'a [(String, String)],
}

#[derive(Template)]
#[template(path = "appointment.txt")]
struct Text<'a> {
    footer_reason: &'a str,
    public_url: &'a str,
    contact: &'a str,
    heading: &'a str,
    paragraphs: &'a [String],
    details: &'a [(String, String)],
    quote: Option<&'a str>,
    buttons: &'a [(String, String)],
}

/// The parts of one email of the plain layout (also the pro space's,
/// `crate::pro`).
pub(crate) struct Parts {
    pub(crate) subject: String,
    pub(crate) footer: &'static str,
    pub(crate) heading: String,
    pub(crate) paragraphs: Vec<String>,
    pub(crate) details: Vec<(String, String)>,
    pub(crate) quote: Option<String>,
    pub(crate) buttons: Vec<(String, String)>,
}

pub(crate) fn render(ctx: &EmailContext, p: &Parts) -> Result<Rendered, EmailError> {
    let html = Html {
        subject: &p.subject,
        footer_reason: p.footer,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: None,
        heading: &p.heading,
        paragraphs: &p.paragraphs,
        details: &p.details,
        quote: p.quote.as_deref(),
        buttons: &p.buttons,
    }
    .render()?;
    let text = Text {
        footer_reason: p.footer,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        heading: &p.heading,
        paragraphs: &p.paragraphs,
        details: &p.details,
        quote: p.quote.as_deref(),
        buttons: &p.buttons,
    }
    .render()?;
    Ok(Rendered {
        subject: p.subject.clone(),
        html,
        text,
    })
}

const CFA_FOOTER: &str = "Vous recevez cet e-mail car un jeune ou un parent a demandé à être \
    contacté au sujet d'une de vos formations sur La bonne alternance.";
const YOUNG_FOOTER: &str =
    "Tu reçois cet e-mail car tu as demandé à être contacté par un CFA sur La bonne alternance.";
const PARENT_FOOTER: &str = "Vous recevez cet e-mail car vous avez demandé à être contacté par \
    un CFA sur La bonne alternance.";

fn young(a: &Appointment) -> bool {
    Requester::from_stored(&a.requester) != Some(Requester::Parent)
}

fn reasons(a: &Appointment) -> String {
    a.reasons
        .split(',')
        .filter_map(reason_label)
        .collect::<Vec<_>>()
        .join(", ")
}

/// To the CFA: who asks, about which course, why, and the answer link.
pub fn cfa_request(
    ctx: &EmailContext,
    a: &Appointment,
    course: &str,
    answer_url: &str,
) -> Result<Rendered, EmailError> {
    let who = if young(a) {
        "Un jeune"
    } else {
        "Le parent d'un jeune"
    };
    render(
        ctx,
        &Parts {
            subject: format!(
                "Demande de contact – {course} – {} {}",
                a.first_name, a.last_name
            ),
            footer: CFA_FOOTER,
            heading: "Une demande de contact sur La bonne alternance".to_owned(),
            paragraphs: vec![
                format!("{who} souhaite être contacté au sujet de la formation « {course} »."),
                "Merci de le recontacter par téléphone ou par e-mail, puis de nous dire ce que vous avez fait avec le bouton ci-dessous : cela nous aide à suivre les demandes.".to_owned(),
            ],
            details: vec![
                ("Nom".to_owned(), format!("{} {}", a.first_name, a.last_name)),
                ("Demandeur".to_owned(), if young(a) { "le jeune".to_owned() } else { "un parent".to_owned() }),
                ("E-mail".to_owned(), a.email.clone()),
                ("Téléphone".to_owned(), a.phone.clone()),
                ("Motifs".to_owned(), reasons(a)),
            ],
            quote: a.message.clone(),
            buttons: vec![("Répondre à cette demande".to_owned(), answer_url.to_owned())],
        },
    )
}

/// To whoever asked: the request was sent.
pub fn confirmation(
    ctx: &EmailContext,
    a: &Appointment,
    course: &str,
    cfa: &str,
) -> Result<Rendered, EmailError> {
    let (paragraphs, footer) = if young(a) {
        (
            vec![
                format!("Bonjour {},", a.first_name),
                format!("Ta demande au sujet de la formation « {course} » a bien été envoyée à {cfa}."),
                "Le CFA va te recontacter par téléphone ou par e-mail. Tu recevras aussi sa réponse ici.".to_owned(),
                "Sans nouvelles d'ici une semaine, appelle le CFA : c'est souvent le plus rapide.".to_owned(),
            ],
            YOUNG_FOOTER,
        )
    } else {
        (
            vec![
                format!("Bonjour {},", a.first_name),
                format!("Votre demande au sujet de la formation « {course} » a bien été envoyée à {cfa}."),
                "Le CFA va vous recontacter par téléphone ou par e-mail. Vous recevrez aussi sa réponse ici.".to_owned(),
                "Sans nouvelles d'ici une semaine, appelez le CFA : c'est souvent le plus rapide.".to_owned(),
            ],
            PARENT_FOOTER,
        )
    };
    render(
        ctx,
        &Parts {
            subject: format!("Demande envoyée à {cfa}"),
            footer,
            heading: "Demande envoyée".to_owned(),
            paragraphs,
            details: vec![("Motifs".to_owned(), reasons(a))],
            quote: None,
            buttons: vec![],
        },
    )
}

/// To whoever asked: the CFA's answer.
pub fn answer(
    ctx: &EmailContext,
    a: &Appointment,
    course: &str,
    cfa: &str,
) -> Result<Rendered, EmailError> {
    let tu = young(a);
    let what = match (a.answer.as_deref(), tu) {
        (Some("telephone"), true) => format!("{cfa} dit t'avoir contacté par téléphone."),
        (Some("telephone"), false) => format!("{cfa} dit vous avoir contacté par téléphone."),
        (Some("email"), true) => format!("{cfa} t'a répondu. Voici son message."),
        (Some("email"), false) => format!("{cfa} vous a répondu. Voici son message."),
        (_, true) => format!("{cfa} ne peut pas donner suite à ta demande."),
        (_, false) => format!("{cfa} ne peut pas donner suite à votre demande."),
    };
    let why = match a.answer_reason.as_deref() {
        Some("complet") => Some("La formation est complète."),
        Some("mauvaise_formation") => Some("Cette formation ne correspond pas à la demande."),
        _ => None,
    };
    let mut paragraphs = vec![format!("Bonjour {},", a.first_name), what];
    paragraphs.extend(why.map(str::to_owned));
    if a.answer.as_deref() == Some("impossible") {
        paragraphs.push(if tu {
            "D'autres CFA proposent peut-être la même formation près de chez toi : cherche-les sur La bonne alternance.".to_owned()
        } else {
            "D'autres CFA proposent peut-être la même formation : cherchez-les sur La bonne alternance.".to_owned()
        });
    }
    render(
        ctx,
        &Parts {
            subject: format!("Réponse de {cfa} à ta demande"),
            footer: if tu { YOUNG_FOOTER } else { PARENT_FOOTER },
            heading: format!("Réponse du CFA : {course}"),
            paragraphs,
            details: vec![],
            quote: a.answer_message.clone(),
            buttons: vec![(
                "Chercher des formations".to_owned(),
                format!("{}/", ctx.public_url),
            )],
        },
    )
    .map(|mut r| {
        if !tu {
            r.subject = format!("Réponse de {cfa} à votre demande");
        }
        r
    })
}

/// To the CFA: a reminder of an unanswered request.
pub fn cfa_reminder(
    ctx: &EmailContext,
    a: &Appointment,
    course: &str,
    answer_url: &str,
) -> Result<Rendered, EmailError> {
    cfa_request(ctx, a, course, answer_url).map(|mut r| {
        r.subject = format!("Rappel : {}", r.subject);
        r
    })
}

/// To whoever asked: the CFA has not answered in 10 working days; other
/// courses nearby.
pub fn no_answer(
    ctx: &EmailContext,
    a: &Appointment,
    course: &str,
    cfa: &str,
    alternatives: &[Alternative],
) -> Result<Rendered, EmailError> {
    let tu = young(a);
    let mut paragraphs = vec![
        format!("Bonjour {},", a.first_name),
        if tu {
            format!(
                "{cfa} n'a pas encore répondu à ta demande au sujet de « {course} ». Appelle-le : c'est souvent le plus rapide."
            )
        } else {
            format!(
                "{cfa} n'a pas encore répondu à votre demande au sujet de « {course} ». Appelez-le : c'est souvent le plus rapide."
            )
        },
    ];
    if !alternatives.is_empty() {
        paragraphs.push(if tu {
            "D'autres CFA proposent une formation proche, à moins de 30 km. Tu peux aussi les contacter :".to_owned()
        } else {
            "D'autres CFA proposent une formation proche, à moins de 30 km. Vous pouvez aussi les contacter :".to_owned()
        });
    }
    let buttons: Vec<(String, String)> = alternatives
        .iter()
        .map(|o| {
            (
                format!("{} – {}, {}", o.title, o.cfa, o.city),
                format!("{}/formation/{}", ctx.public_url, o.id),
            )
        })
        .collect();
    render(
        ctx,
        &Parts {
            subject: format!("{cfa} n'a pas encore répondu"),
            footer: if tu { YOUNG_FOOTER } else { PARENT_FOOTER },
            heading: "Pas encore de réponse du CFA".to_owned(),
            paragraphs,
            details: vec![],
            quote: None,
            buttons,
        },
    )
}

/// To whoever asked: the CFA's address refused the request.
pub fn undeliverable(
    ctx: &EmailContext,
    a: &Appointment,
    course: &str,
    cfa: &str,
) -> Result<Rendered, EmailError> {
    let tu = young(a);
    render(
        ctx,
        &Parts {
            subject: format!("{cfa} n'a pas pu recevoir la demande"),
            footer: if tu { YOUNG_FOOTER } else { PARENT_FOOTER },
            heading: "Demande non transmise".to_owned(),
            paragraphs: vec![
                format!("Bonjour {},", a.first_name),
                if tu {
                    format!(
                        "L'adresse e-mail de {cfa} ne fonctionne pas : ta demande au sujet de « {course} » n'a pas pu lui être transmise."
                    )
                } else {
                    format!(
                        "L'adresse e-mail de {cfa} ne fonctionne pas : votre demande au sujet de « {course} » n'a pas pu lui être transmise."
                    )
                },
                if tu {
                    "Appelle le CFA ou passe le voir : ses coordonnées sont sur la page de la formation.".to_owned()
                } else {
                    "Appelez le CFA ou passez le voir : ses coordonnées sont sur la page de la formation.".to_owned()
                },
            ],
            details: vec![],
            quote: None,
            buttons: vec![(
                "Voir la formation".to_owned(),
                format!("{}/formation/{}", ctx.public_url, a.formation_id),
            )],
        },
    )
}

impl Worker {
    /// The CFA's address refused a request for good: the address is
    /// suspended for contact requests and whoever asked is told at once.
    pub(crate) async fn after_cfa_bounce(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.store
            .bounce_appointment(id, now, &job(JobKind::AppointmentUndeliverable, id, now))
            .await?;
        Ok(())
    }

    /// Sends one appointment job.
    pub(crate) async fn process_appointment(
        &self,
        job: &Job,
        kind: JobKind,
        now: DateTime<Utc>,
    ) -> Result<Outcome, StoreError> {
        let payload: Payload = match serde_json::from_str(&job.payload) {
            Ok(p) => p,
            Err(e) => return Ok(Outcome::Failed(format!("paramètres illisibles : {e}"))),
        };
        let Some(a) = self.store.appointment(&payload.appointment).await? else {
            return Ok(Outcome::Skipped);
        };
        let (title, cfa) = (a.course_title.as_str(), a.cfa_name.as_str());
        let ctx = &self.config.email;
        let signature = self.config.key.sign(
            &links::appointment_message(&a.id),
            a.created_at + APPOINTMENT_LINK_VALIDITY,
        );
        let url = format!(
            "{}{}",
            ctx.public_url,
            links::appointment_path(&a.id, &signature)
        );
        let (to, reply_to, rendered) = match kind {
            JobKind::CfaAppointment => (
                a.cfa_email.as_str(),
                Some(a.email.as_str()),
                cfa_request(ctx, &a, title, &url),
            ),
            JobKind::CfaAppointmentReminder | JobKind::AppointmentNoAnswer
                if a.answered_at.is_some() =>
            {
                return Ok(Outcome::Skipped);
            }
            JobKind::CfaAppointmentReminder => (
                a.cfa_email.as_str(),
                Some(a.email.as_str()),
                cfa_reminder(ctx, &a, title, &url),
            ),
            JobKind::AppointmentNoAnswer => (
                a.email.as_str(),
                None,
                no_answer(ctx, &a, title, cfa, &payload.alternatives),
            ),
            JobKind::AppointmentUndeliverable => {
                (a.email.as_str(), None, undeliverable(ctx, &a, title, cfa))
            }
            JobKind::AppointmentConfirmation => {
                (a.email.as_str(), None, confirmation(ctx, &a, title, cfa))
            }
            JobKind::AppointmentAnswer => {
                if a.answer.is_none() {
                    return Ok(Outcome::Skipped);
                }
                let reply_to =
                    (a.answer.as_deref() == Some("email")).then_some(a.cfa_email.as_str());
                (a.email.as_str(), reply_to, answer(ctx, &a, title, cfa))
            }
            _ => return Ok(Outcome::Failed(format!("tâche inattendue : {}", job.kind))),
        };
        let _ = now;
        Ok(self.send(job, to, reply_to, rendered, None).await)
    }
}
