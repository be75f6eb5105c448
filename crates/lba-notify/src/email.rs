//! The emails of an application, rendered from askama templates (HTML
//! with inline DSFR-like styles, and plain text), and their assembly into
//! a MIME message with `lettre`.

use askama::Template;
use lba_core::application::{Answer, TargetKind};
use lba_store::applications::StoredApplication;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

/// What every email needs besides its own data.
#[derive(Clone, Debug)]
pub struct EmailContext {
    /// The sender (`La bonne alternance <ne-pas-repondre@…>`).
    pub from: Mailbox,
    /// Base URL of links (no trailing slash).
    pub public_url: String,
    /// Address shown in the footer for questions.
    pub contact: String,
}

impl EmailContext {
    /// The domain of Message-IDs: the sender's.
    fn message_domain(&self) -> &str {
        self.from.email.domain()
    }
}

/// Why an email could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    /// A template failed to render.
    #[error("rendu du modèle : {0}")]
    Template(#[from] askama::Error),
    /// An address or header is not valid.
    #[error("adresse ou en-tête invalide : {0}")]
    Address(String),
}

/// A rendered email: subject, HTML and text bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// Subject.
    pub subject: String,
    /// HTML body.
    pub html: String,
    /// Plain-text body.
    pub text: String,
}

macro_rules! email_templates {
    ($html:ident, $html_path:literal, $text:ident, $text_path:literal, { $($field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Template)]
        #[template(path = $html_path)]
        struct $html<'a> {
            subject: &'a str,
            footer_reason: &'a str,
            public_url: &'a str,
            contact: &'a str,
            unsubscribe_url: Option<String>,
            a: &'a StoredApplication,
            spontaneous: bool,
            $($field: $ty,)*
        }

        #[derive(Template)]
        #[template(path = $text_path)]
        struct $text<'a> {
            footer_reason: &'a str,
            public_url: &'a str,
            contact: &'a str,
            unsubscribe_url: Option<String>,
            a: &'a StoredApplication,
            spontaneous: bool,
            $($field: $ty,)*
        }
    };
}

email_templates!(RecruiterHtml, "recruiter_application.html", RecruiterText, "recruiter_application.txt", {
    email: &'a str, phone: &'a str, interview_url: &'a str, refusal_url: &'a str,
});
email_templates!(ConfirmationHtml, "candidate_confirmation.html", ConfirmationText, "candidate_confirmation.txt", {
    search_url: String,
});
email_templates!(FailureHtml, "candidate_failure.html", FailureText, "candidate_failure.txt", {
    reason: &'a str, target_url: String,
});
email_templates!(AnswerHtml, "candidate_answer.html", AnswerText, "candidate_answer.txt", {
    interview: bool, reasons: Vec<String>, message: &'a str, search_url: String,
});

const RECRUITER_FOOTER: &str = "Vous recevez cet e-mail car un candidat a postulé auprès de votre \
    entreprise sur La bonne alternance. Votre adresse n'est jamais montrée aux candidats.";
const CANDIDATE_FOOTER: &str =
    "Vous recevez cet e-mail car vous avez postulé sur La bonne alternance.";

fn spontaneous(a: &StoredApplication) -> bool {
    a.target_kind == TargetKind::Company
}

/// The page of the application's target.
#[must_use]
pub fn target_url(public_url: &str, a: &StoredApplication) -> String {
    if spontaneous(a) {
        format!("{public_url}/entreprise/{}", a.target_id)
    } else {
        format!("{public_url}/offre/{}", a.target_id)
    }
}

/// To the recruiter: the candidate, the message, two one-click answers.
pub fn recruiter_application(
    ctx: &EmailContext,
    a: &StoredApplication,
    interview_url: &str,
    refusal_url: &str,
) -> Result<Rendered, EmailError> {
    let subject = if spontaneous(a) {
        format!(
            "Candidature spontanée en alternance – {} {}",
            a.first_name, a.last_name
        )
    } else {
        format!(
            "Candidature en alternance – {} – {} {}",
            a.target_title, a.first_name, a.last_name
        )
    };
    let email = a.email.as_deref().unwrap_or_default();
    let phone = a.phone.as_deref().unwrap_or_default();
    let html = RecruiterHtml {
        subject: &subject,
        footer_reason: RECRUITER_FOOTER,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: None,
        a,
        spontaneous: spontaneous(a),
        email,
        phone,
        interview_url,
        refusal_url,
    }
    .render()?;
    let text = RecruiterText {
        footer_reason: RECRUITER_FOOTER,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: None,
        a,
        spontaneous: spontaneous(a),
        email,
        phone,
        interview_url,
        refusal_url,
    }
    .render()?;
    Ok(Rendered {
        subject,
        html,
        text,
    })
}

/// To the candidate: the application was sent, what happens next, and the
/// link to delete their data.
pub fn candidate_confirmation(
    ctx: &EmailContext,
    a: &StoredApplication,
    deletion_url: &str,
) -> Result<Rendered, EmailError> {
    let subject = format!("Votre candidature à {} a bien été envoyée", a.company_name);
    let search_url = format!("{}/", ctx.public_url);
    let html = ConfirmationHtml {
        subject: &subject,
        footer_reason: CANDIDATE_FOOTER,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: Some(deletion_url.to_owned()),
        a,
        spontaneous: spontaneous(a),
        search_url: search_url.clone(),
    }
    .render()?;
    let text = ConfirmationText {
        footer_reason: CANDIDATE_FOOTER,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: Some(deletion_url.to_owned()),
        a,
        spontaneous: spontaneous(a),
        search_url,
    }
    .render()?;
    Ok(Rendered {
        subject,
        html,
        text,
    })
}

/// To the candidate: the application could not be delivered, and why.
pub fn candidate_failure(
    ctx: &EmailContext,
    a: &StoredApplication,
    reason: &str,
) -> Result<Rendered, EmailError> {
    let subject = format!(
        "Votre candidature à {} n'a pas pu être envoyée",
        a.company_name
    );
    let target = target_url(&ctx.public_url, a);
    let html = FailureHtml {
        subject: &subject,
        footer_reason: CANDIDATE_FOOTER,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: None,
        a,
        spontaneous: spontaneous(a),
        reason,
        target_url: target.clone(),
    }
    .render()?;
    let text = FailureText {
        footer_reason: CANDIDATE_FOOTER,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: None,
        a,
        spontaneous: spontaneous(a),
        reason,
        target_url: target,
    }
    .render()?;
    Ok(Rendered {
        subject,
        html,
        text,
    })
}

/// The default texts of an answer the recruiter did not complete.
#[must_use]
pub fn default_answer_message(interview: bool) -> &'static str {
    if interview {
        "Votre candidature a retenu notre attention et nous souhaitons vous proposer un \
         entretien. Nous vous recontacterons très prochainement pour convenir d'une date."
    } else {
        "Nous vous remercions pour votre candidature. Nous ne pouvons malheureusement pas y \
         donner une suite favorable. Nous vous souhaitons bonne chance dans vos recherches."
    }
}

/// To the candidate: the recruiter's answer.
pub fn candidate_answer(ctx: &EmailContext, a: &StoredApplication) -> Result<Rendered, EmailError> {
    let interview = a.answered() == Some(Answer::Interview);
    let subject = if interview {
        format!("{} vous propose un entretien", a.company_name)
    } else {
        format!("Réponse de {} à votre candidature", a.company_name)
    };
    let message = a
        .answer_message
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or(default_answer_message(interview));
    let reasons = if interview { Vec::new() } else { a.reasons() };
    let search_url = format!("{}/", ctx.public_url);
    let html = AnswerHtml {
        subject: &subject,
        footer_reason: CANDIDATE_FOOTER,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: None,
        a,
        spontaneous: spontaneous(a),
        interview,
        reasons: reasons.clone(),
        message,
        search_url: search_url.clone(),
    }
    .render()?;
    let text = AnswerText {
        footer_reason: CANDIDATE_FOOTER,
        public_url: &ctx.public_url,
        contact: &ctx.contact,
        unsubscribe_url: None,
        a,
        spontaneous: spontaneous(a),
        interview,
        reasons,
        message,
        search_url,
    }
    .render()?;
    Ok(Rendered {
        subject,
        html,
        text,
    })
}

/// A CV to attach.
#[derive(Clone, Copy, Debug)]
pub struct AttachmentRef<'a> {
    /// File name.
    pub name: &'a str,
    /// MIME type.
    pub mime: &'a str,
    /// Content.
    pub bytes: &'a [u8],
}

/// Assembles a MIME message: text and HTML alternatives, an optional
/// attachment, and a Message-ID derived from the outbox row id so that a
/// rare duplicate carries the same id.
pub fn build_message(
    ctx: &EmailContext,
    to: &str,
    reply_to: Option<&str>,
    rendered: Rendered,
    job_id: &str,
    attachment: Option<AttachmentRef<'_>>,
) -> Result<Message, EmailError> {
    let parse = |address: &str| -> Result<Mailbox, EmailError> {
        address
            .parse::<Mailbox>()
            .map_err(|e| EmailError::Address(e.to_string()))
    };
    let mut builder = Message::builder()
        .from(ctx.from.clone())
        .to(parse(to)?)
        .subject(rendered.subject)
        .message_id(Some(format!("<{job_id}@{}>", ctx.message_domain())));
    if let Some(reply_to) = reply_to {
        builder = builder.reply_to(parse(reply_to)?);
    }
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(rendered.text))
        .singlepart(SinglePart::html(rendered.html));
    let body = match attachment {
        Some(file) => {
            let content_type =
                ContentType::parse(file.mime).map_err(|e| EmailError::Address(e.to_string()))?;
            MultiPart::mixed().multipart(alternative).singlepart(
                Attachment::new(file.name.to_owned()).body(file.bytes.to_vec(), content_type),
            )
        }
        None => alternative,
    };
    builder
        .multipart(body)
        .map_err(|e| EmailError::Address(e.to_string()))
}
