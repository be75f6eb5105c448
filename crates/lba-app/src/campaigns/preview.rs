//! Preview of the texts one person would receive, and a sample of people to pick from.

use super::*;

/// The rendered texts of one arm for one person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preview {
    /// Person id.
    pub person: String,
    /// Arm.
    pub arm: String,
    /// One message per channel and recipient (none for the control arm).
    pub messages: Vec<RenderedMessage>,
    /// What the operator should know (no address on a channel, control arm…).
    pub notes: Vec<String>,
}

/// Renders the texts of `arm` of a (possibly unsaved) specification for
/// the person `person_id`, as launch would, with the SMS length and parts.
/// Links are shown as they would be tracked but nothing is stored.
pub async fn preview(
    store: &Store,
    search: &Search,
    cfg: &ContentConfig,
    spec: &CampaignSpec,
    person_id: &str,
    arm: &str,
    now: DateTime<Utc>,
) -> Result<Preview, CampaignError> {
    spec.validate().map_err(CampaignError::Invalid)?;
    let person = store.cohort_person(person_id).await?.ok_or_else(|| {
        invalid(
            "person",
            format!("personne « {person_id} » absente de la cohorte"),
        )
    })?;
    let arm_spec = spec
        .arms
        .iter()
        .find(|a| a.name == arm)
        .ok_or_else(|| invalid("arm", format!("bras « {arm} » absent de la campagne")))?;
    let mut out = Preview {
        person: person.id.clone(),
        arm: arm.to_owned(),
        messages: Vec::new(),
        notes: Vec::new(),
    };
    if !spec.segment.matches(&person) {
        out.notes
            .push("cette personne n'est pas dans le segment de la campagne".to_owned());
    }
    if arm_spec.control {
        out.notes
            .push("bras témoin : cette personne ne recevrait aucun message".to_owned());
        return Ok(out);
    }
    let (_, day) = send_day(spec, now);
    let index = search.snapshot();
    let facts = content::facts(&index, cfg, &person, now);
    for channel in &spec.channels {
        let mut recipients: Vec<Recipient> = spec
            .audience
            .recipients(&person, *channel, day)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        if recipients.is_empty() {
            out.notes.push(format!(
                "aucune adresse {} : aucun message ne partirait sur ce canal (aperçu pour le jeune)",
                channel_label(*channel)
            ));
            recipients.push(Recipient::Young);
        }
        let templates = content::channel_templates(&arm_spec.templates, *channel);
        for recipient in recipients {
            let key = content::MessageKey {
                campaign: "apercu",
                person: &person.id,
                channel: *channel,
                recipient,
            };
            let message =
                content::render(cfg, &facts, &templates, key, spec.sending.sms_max_segments)
                    .map_err(CampaignError::Template)?;
            out.notes.extend(register_notes(&message));
            out.messages.push(message);
        }
    }
    Ok(out)
}

/// A note per text of `message` that mixes « tu » and « vous » (the
/// content guide: « tu » to the young person, « vous » to a parent).
fn register_notes(message: &RenderedMessage) -> Vec<String> {
    let who = if message.to_parent() {
        "au parent"
    } else {
        "au jeune"
    };
    let channel = if message.is_sms() {
        "du SMS"
    } else {
        "de l'e-mail"
    };
    [
        ("l'objet", message.subject.as_deref()),
        ("le texte", Some(message.body_text.as_str())),
        ("le HTML", message.body_html.as_deref()),
    ]
    .into_iter()
    .filter_map(|(part, text)| {
        let m = lba_campaign::register::mixed(text?)?;
        Some(format!(
            "{part} {channel} {who} mélange « tu » (« {} ») et « vous » (« {} ») : \
             « tu » pour un jeune, « vous » pour un parent",
            m.tu, m.vous
        ))
    })
    .collect()
}

fn channel_label(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "e-mail",
        Channel::Sms => "de mobile",
    }
}

/// Up to `n` people of the segment, spread over it, as (id, label) for a
/// preview picker: first name, platform and candidate id, département and
/// level — no contact data.
pub async fn sample_people(
    store: &Store,
    spec: &CampaignSpec,
    n: usize,
) -> Result<Vec<(String, String)>, CampaignError> {
    let people = targeted(store, spec).await?;
    if n == 0 || people.is_empty() {
        return Ok(Vec::new());
    }
    let step = people.len().div_ceil(n).max(1);
    Ok(people
        .iter()
        .step_by(step)
        .take(n)
        .map(|p| {
            let label = format!(
                "{} — {} {} — dép. {} — niveau {}",
                p.first_name,
                p.source.as_str(),
                p.candidate_id,
                p.departement.as_deref().unwrap_or("?"),
                p.level().map_or_else(|| "?".to_owned(), |l| l.to_string()),
            );
            (p.id.clone(), label)
        })
        .collect())
}
