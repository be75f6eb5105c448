//! The campaign email: the unsubscribe footer (text and HTML), the one-click
//! unsubscribe headers and the Message-ID.

use super::*;

macro_rules! text_header {
    ($name:ident, $header:literal) => {
        #[derive(Clone, Debug)]
        struct $name(String);

        impl Header for $name {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($header)
            }

            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok(Self(s.to_owned()))
            }

            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(ListUnsubscribe, "List-Unsubscribe");
text_header!(ListUnsubscribePost, "List-Unsubscribe-Post");

/// The French footer of a campaign e-mail (text, HTML).
pub(super) fn footer(m: &StoredMessage, url: &str) -> (String, String) {
    let why = if m.addressed_to() == Some(Recipient::Parent) {
        "parce que votre enfant a formulé des vœux en apprentissage"
    } else {
        "parce que vous avez formulé des vœux en apprentissage"
    };
    let text = format!(
        "\n\n--\nVous recevez ce message de La bonne alternance (service public de \
         l'alternance) {why}.\nPour ne plus recevoir nos messages : {url}\n"
    );
    let html = format!(
        "<hr style=\"border:none;border-top:1px solid #ddd;margin:24px 0 8px\">\
         <p style=\"font-size:12px;color:#666\">Vous recevez ce message de La bonne alternance \
         (service public de l'alternance) {why}. <a href=\"{href}\">Se désinscrire</a> pour ne \
         plus recevoir nos messages.</p>",
        href = escape_html(url)
    );
    (text, html)
}

pub(super) fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Puts `footer` before `</body>` when there is one, else at the end.
pub(super) fn with_html_footer(html: &str, footer: &str) -> String {
    match html.rfind("</body>") {
        Some(i) => format!("{}{footer}{}", &html[..i], &html[i..]),
        None => format!("{html}{footer}"),
    }
}

/// The MIME message of a campaign e-mail (footer and unsubscribe headers
/// added); its Message-ID is derived from the message id.
///
/// # Errors
/// When the recipient or a header is not valid.
pub fn build_campaign_email(
    from: &Mailbox,
    unsubscribe: &str,
    m: &StoredMessage,
) -> Result<Message, String> {
    let to: Mailbox = m
        .recipient
        .parse()
        .map_err(|_| "adresse du destinataire invalide".to_owned())?;
    let (text_footer, html_footer) = footer(m, unsubscribe);
    let text = format!("{}{text_footer}", m.body_text.trim_end());
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone().unwrap_or_default())
        .message_id(Some(message_id_header(m.id, from)))
        .header(ListUnsubscribe(format!("<{unsubscribe}>")))
        .header(ListUnsubscribePost("List-Unsubscribe=One-Click".to_owned()));
    let built = match &m.body_html {
        Some(html) => builder.multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(text))
                .singlepart(SinglePart::html(with_html_footer(html, &html_footer))),
        ),
        None => builder.singlepart(SinglePart::plain(text)),
    };
    built.map_err(|e| format!("message invalide : {e}"))
}

/// `<cm-{id}@{sender's domain}>`.
pub(super) fn message_id_header(id: i64, from: &Mailbox) -> String {
    format!("<cm-{id}@{}>", from.email.domain())
}
