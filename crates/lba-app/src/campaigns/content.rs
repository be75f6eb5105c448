//! Personalised content of a campaign message: the placeholders of
//! [`lba_campaign::template::PLACEHOLDERS`] computed for one person from
//! the search index (course and CFA of the main wish, companies likely to
//! hire and offers near the CFA or the home, a search link), with every
//! link a tracked `/c/{code}` link, then the rendered texts per channel.
//!
//! Missing data never makes rendering fail: without a linked course the
//! CFA and course fields hold generic wording and their links go to a
//! search; lists may be empty (templates iterate over them).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lba_campaign::Person;
use lba_campaign::links::{link_code, link_url};
use lba_campaign::segment::{Channel, Recipient};
use lba_campaign::sms::SmsLength;
use lba_campaign::template::{Templates, sms_with_stop};
use lba_core::geo::{GeoPoint, Radius};
use lba_core::opportunity::{Company, Formation, Offer};
use lba_search::{Index, RomeFilter};
use lba_store::campaign_delivery::NewLink;
use serde::Serialize;
use serde_json::{Value, json};

/// Companies and offers listed in a message.
pub const LISTED: usize = 3;

/// What a campaign's texts need besides the store.
#[derive(Clone, PartialEq, Eq)]
pub struct ContentConfig {
    /// Base URL of the site (`https://labonnealternance.fr`), no trailing slash needed.
    pub public_url: String,
    /// Key of the tracked link codes (and of the arm assignment).
    pub link_key: Vec<u8>,
}

impl std::fmt::Debug for ContentConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContentConfig")
            .field("public_url", &self.public_url)
            .field("link_key", &"***")
            .finish()
    }
}

impl ContentConfig {
    /// The configuration derived from the site's link key: campaign codes
    /// use a sub-key of it, so they cannot be mistaken for other signed links.
    pub fn from_link_key(public_url: &str, key: &lba_notify::links::LinkKey) -> Self {
        Self {
            public_url: public_url.trim_end_matches('/').to_owned(),
            link_key: key.keyed_hash("campaign-links").into_bytes(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}

/// A link of the content before it is tracked.
#[derive(Clone, Debug, PartialEq)]
struct Target {
    url: String,
    kind: &'static str,
}

/// What the store and the index say about one person, shared by all their
/// messages (channels and recipients).
#[derive(Clone, Debug)]
pub struct Facts {
    first_name: String,
    formation: Option<Arc<Formation>>,
    companies: Vec<(Arc<Company>, f64)>,
    offers: Vec<(Arc<Offer>, f64)>,
    search: Target,
}

/// Rounds a distance to 0.1 km.
fn km(d: f64) -> f64 {
    (d * 10.0).round() / 10.0
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Gathers the facts of `person` from the index at `now`.
pub fn facts(index: &Index, cfg: &ContentConfig, person: &Person, now: DateTime<Utc>) -> Facts {
    let formation = person
        .main_wish()
        .and_then(|w| w.formation_id.as_deref())
        .and_then(|id| index.formations.get(id));
    let romes = formation
        .as_ref()
        .and_then(|f| RomeFilter::codes(f.romes.clone()).ok());
    let cfa_point = formation.as_ref().map(|f| f.place.point);
    // Near the home first, then near the CFA.
    let points: Vec<GeoPoint> = person.home.into_iter().chain(cfa_point).collect();
    let mut companies: Vec<(Arc<Company>, f64)> = Vec::new();
    let mut offers: Vec<(Arc<Offer>, f64)> = Vec::new();
    if let Some(romes) = &romes {
        for point in &points {
            if companies.len() < LISTED {
                for c in index.companies.nearest_within(
                    romes,
                    *point,
                    Radius::default(),
                    LISTED,
                    &|_| true,
                ) {
                    let Some(doc) = index.companies.docs.get(c.id as usize) else {
                        continue;
                    };
                    if companies.len() < LISTED
                        && !companies.iter().any(|(d, _)| d.siret == doc.siret)
                    {
                        companies.push((doc.clone(), km(c.distance_km.unwrap_or_default())));
                    }
                }
            }
            if offers.len() < LISTED {
                for c in index.offers.nearest_within(
                    romes,
                    *point,
                    Radius::default(),
                    LISTED,
                    &|o: &Offer| o.is_open(now),
                ) {
                    let Some(doc) = index.offers.docs.get(c.id as usize) else {
                        continue;
                    };
                    if offers.len() < LISTED && !offers.iter().any(|(d, _)| d.id == doc.id) {
                        offers.push((doc.clone(), km(c.distance_km.unwrap_or_default())));
                    }
                }
            }
        }
    }
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(f) = &formation {
        pairs.push(("metier", f.title.clone()));
        pairs.push((
            "romes",
            f.romes
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ));
    }
    let place = person.home.or(cfa_point);
    let city = match (&person.home, &formation) {
        (None, Some(f)) => Some(f.place.city.to_string()),
        _ => person.postal_code.clone(),
    };
    if let Some(city) = city.filter(|c| !c.is_empty()) {
        pairs.push(("lieu", city));
    }
    if let Some(p) = place {
        pairs.push(("latitude", format!("{:.5}", p.lat())));
        pairs.push(("longitude", format!("{:.5}", p.lon())));
    }
    if person.home.is_some()
        && let Some(insee) = &person.commune_insee
    {
        pairs.push(("insee", insee.clone()));
    }
    let query = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Facts {
        first_name: person.first_name.clone(),
        formation,
        companies,
        offers,
        search: Target {
            url: cfg.url(&format!("/recherche?{query}")),
            kind: "recherche",
        },
    }
}

/// The placeholders for one message, and the links they hold.
pub struct Context {
    /// The JSON object given to the templates.
    pub value: Value,
    links: Vec<NewLink>,
}

/// Who a message is for, as the codes need it.
#[derive(Clone, Copy, Debug)]
pub struct MessageKey<'a> {
    /// Campaign id.
    pub campaign: &'a str,
    /// Person id.
    pub person: &'a str,
    /// Channel.
    pub channel: Channel,
    /// Recipient.
    pub recipient: Recipient,
}

/// Builds the template context of one message.
pub fn context(cfg: &ContentConfig, facts: &Facts, key: MessageKey<'_>) -> Context {
    let mut links: Vec<NewLink> = Vec::new();
    let mut track = |target: &Target| -> String {
        let code = link_code(
            &cfg.link_key,
            key.campaign,
            key.person,
            key.channel.as_str(),
            key.recipient.as_str(),
            &target.url,
        );
        let url = link_url(&cfg.public_url, &code);
        if !links.iter().any(|l| l.code == code) {
            links.push(NewLink {
                code,
                target: target.url.clone(),
                kind: target.kind.to_owned(),
            });
        }
        url
    };
    let search = track(&facts.search);
    let (formation, cfa) = match &facts.formation {
        Some(f) => {
            let page = cfg.url(&format!("/formation/{}", encode(&f.id)));
            let formation_link = track(&Target {
                url: page.clone(),
                kind: "formation",
            });
            let cfa_link = track(&Target {
                url: format!("{page}#contact"),
                kind: "cfa",
            });
            (
                json!({
                    "intitule": f.title,
                    "diplome": f.diploma_title,
                    "niveau": f.level.map(|l| l.as_str()).unwrap_or_default(),
                    "lien": formation_link,
                }),
                json!({
                    "nom": f.cfa_name,
                    "adresse": f.place.address,
                    "ville": f.place.city,
                    "telephone": f.phone.clone().unwrap_or_default(),
                    "email": f.email.clone().unwrap_or_default(),
                    "lien": cfa_link,
                }),
            )
        }
        None => (
            json!({
                "intitule": "ta formation en apprentissage",
                "diplome": "",
                "niveau": "",
                "lien": search,
            }),
            json!({
                "nom": "le CFA de ton vœu",
                "adresse": "",
                "ville": "",
                "telephone": "",
                "email": "",
                "lien": search,
            }),
        ),
    };
    let entreprises: Vec<Value> = facts
        .companies
        .iter()
        .map(|(c, d)| {
            let lien = track(&Target {
                url: cfg.url(&format!("/entreprise/{}", c.siret)),
                kind: "entreprise",
            });
            json!({"nom": c.name, "ville": c.place.city, "distance_km": d, "lien": lien})
        })
        .collect();
    let offres: Vec<Value> = facts
        .offers
        .iter()
        .map(|(o, d)| {
            let lien = track(&Target {
                url: cfg.url(&format!("/offre/{}", encode(&o.id))),
                kind: "offre",
            });
            json!({
                "titre": o.title,
                "entreprise": o.company_name,
                "ville": o.place.city,
                "distance_km": d,
                "lien": lien,
            })
        })
        .collect();
    // Tracked links to the learning modules (kind `parcours`).
    let parcours: serde_json::Map<String, Value> = crate::learning::CAMPAIGN_MODULES
        .iter()
        .map(|(variable, module)| {
            let lien = track(&Target {
                url: cfg.url(&format!("/parcours/{module}")),
                kind: "parcours",
            });
            ((*variable).to_owned(), Value::String(lien))
        })
        .collect();
    // The orientation questionnaire (kind `orientation`): the person's
    // commune is filled in from the tracked link's attribution, never put
    // in the URL.
    let orientation = json!({
        "lien": track(&Target {
            url: cfg.url("/orientation"),
            kind: "orientation",
        }),
    });
    let value = json!({
        "parcours": parcours,
        "orientation": orientation,
        "prenom": facts.first_name,
        "destinataire": match key.recipient {
            Recipient::Young => "jeune",
            Recipient::Parent => "parent",
        },
        "formation": formation,
        "cfa": cfa,
        "entreprises": entreprises,
        "offres": offres,
        "lien_recherche": search,
        "lien_desinscription": cfg.url("/desinscription"),
    });
    Context { value, links }
}

/// One rendered message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderedMessage {
    /// "email" or "sms".
    pub channel: &'static str,
    /// "young" or "parent".
    pub recipient_kind: &'static str,
    /// Subject (e-mail).
    pub subject: Option<String>,
    /// Text (SMS: with its STOP mention).
    pub body_text: String,
    /// HTML (e-mail).
    pub body_html: Option<String>,
    /// SMS length, encoding and parts.
    pub sms: Option<SmsLength>,
    /// The tracked links present in the texts.
    #[serde(skip)]
    pub links: Vec<NewLink>,
}

impl RenderedMessage {
    /// Whether it is an SMS (else an e-mail).
    #[must_use]
    pub fn is_sms(&self) -> bool {
        Channel::parse(self.channel) == Some(Channel::Sms)
    }

    /// Whether it is for a parent (else for the young person).
    #[must_use]
    pub fn to_parent(&self) -> bool {
        Recipient::parse(self.recipient_kind) == Some(Recipient::Parent)
    }
}

/// The templates of one channel only, so that rendering an SMS does not
/// render the e-mail.
pub fn channel_templates(templates: &Templates, channel: Channel) -> Templates {
    match channel {
        Channel::Email => Templates {
            sms: None,
            ..templates.clone()
        },
        Channel::Sms => Templates {
            sms: templates.sms.clone(),
            ..Templates::default()
        },
    }
}

/// Renders `templates` (of `key.channel` only, see [`channel_templates`])
/// for one message. SMS get their STOP mention and are checked against
/// `sms_max_segments`.
///
/// # Errors
/// A French message naming the template.
pub fn render(
    cfg: &ContentConfig,
    facts: &Facts,
    templates: &Templates,
    key: MessageKey<'_>,
    sms_max_segments: usize,
) -> Result<RenderedMessage, String> {
    let ctx = context(cfg, facts, key);
    let rendered = templates.render(&ctx.value).map_err(|e| e.to_string())?;
    let (subject, body_text, body_html, sms) = match key.channel {
        Channel::Email => (
            rendered.email_subject,
            rendered.email_text.unwrap_or_default(),
            rendered.email_html,
            None,
        ),
        Channel::Sms => {
            let (text, length) = sms_with_stop(&rendered.sms.unwrap_or_default(), sms_max_segments)
                .map_err(|e| e.to_string())?;
            (None, text, None, Some(length))
        }
    };
    let texts = [
        subject.as_deref().unwrap_or_default(),
        body_text.as_str(),
        body_html.as_deref().unwrap_or_default(),
    ];
    let links = ctx
        .links
        .into_iter()
        .filter(|l| texts.iter().any(|t| t.contains(&l.code)))
        .collect();
    Ok(RenderedMessage {
        channel: key.channel.as_str(),
        recipient_kind: key.recipient.as_str(),
        subject,
        body_text,
        body_html,
        sms,
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode("Boulanger / pâtissier"),
            "Boulanger+%2F+p%C3%A2tissier"
        );
        assert_eq!(encode("A1-b_c.d~"), "A1-b_c.d~");
    }
}
