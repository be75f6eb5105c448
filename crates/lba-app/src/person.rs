//! One young person's path for the operators (`/operateur/personnes/{id}`):
//! their wishes and arms, then one dated timeline of the messages and their
//! events (delivered, clicked — with the page the link led to —, bounced,
//! unsubscribed), learning modules, orientation pages, contact requests to
//! CFAs and their answers, applications and outcomes. No contact detail is
//! shown; the export names the person by a keyed pseudonym only.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use lba_campaign::outcome::OutcomeEvent;
use lba_store::Store;
use lba_store::person_history::PersonHistory;
use serde::Serialize;

use crate::campaigns::CampaignError;

/// One wish of the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WishView {
    /// Course key, Parcoursup id or CFA + CFD.
    pub key: String,
    /// `apprentissage` or `scolaire`.
    pub kind: &'static str,
    /// Status as exported.
    pub status: &'static str,
    /// A contract is signed.
    pub contract_signed: bool,
    /// The stored course, when linked.
    pub formation_id: Option<String>,
}

/// The person's arm in one campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArmView {
    /// Campaign id.
    pub campaign_id: String,
    /// Campaign name.
    pub campaign_name: String,
    /// Arm.
    pub arm: String,
}

/// What a timeline entry is about (for the icon and the export).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Assigned to an arm.
    Arm,
    /// A message recorded or sent.
    Message,
    /// A provider or tracking event of a message.
    MessageEvent,
    /// A learning module.
    Module,
    /// An orientation page.
    Orientation,
    /// A contact request to a CFA, or its answer.
    Cfa,
    /// An application.
    Application,
    /// An outcome.
    Outcome,
}

/// One dated line of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    /// When (the end of the day, UTC, for a dated outcome).
    pub at: DateTime<Utc>,
    /// The outcome files give a day, not a time.
    pub day_only: bool,
    /// What.
    pub kind: EntryKind,
    /// In French.
    pub text: String,
    /// The campaign it came through.
    pub campaign_id: Option<String>,
}

/// The page of one person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PersonPath {
    /// Cohort id.
    pub id: String,
    /// Platform.
    pub source: &'static str,
    /// Département of residence.
    pub departement: Option<String>,
    /// Class.
    pub class: Option<String>,
    /// No student-status wish.
    pub apprenticeship_only: bool,
    /// Wishes.
    pub wishes: Vec<WishView>,
    /// Campaigns and arms.
    pub arms: Vec<ArmView>,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
}

/// A day-only outcome sorts after everything else of that day.
fn at_day(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
        .and_utc()
}

fn link_label(kind: Option<&str>) -> &'static str {
    match kind {
        Some("recherche") => "une recherche",
        Some("formation") => "la page d'une formation",
        Some("cfa") => "le contact d'un CFA",
        Some("entreprise") => "la page d'une entreprise",
        Some("offre") => "une offre",
        Some("parcours") => "un module",
        Some("orientation") => "l'orientation",
        _ => "une page du site",
    }
}

fn timeline(h: &PersonHistory) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let mut push = |at, kind, text: String, campaign_id: Option<String>| {
        out.push(TimelineEntry {
            at,
            day_only: false,
            kind,
            text,
            campaign_id,
        });
    };
    for a in &h.assignments {
        push(
            a.assigned_at,
            EntryKind::Arm,
            format!(
                "Affecté au bras « {} » de la campagne « {} »",
                a.arm, a.campaign_name
            ),
            Some(a.campaign_id.clone()),
        );
    }
    for m in &h.messages {
        let channel = if m.channel == "sms" { "SMS" } else { "E-mail" };
        let to = if m.recipient_kind == "parent" {
            " (à un parent)"
        } else {
            ""
        };
        let (at, what) = match (m.sent_at, m.status.as_str()) {
            (Some(sent), _) => (sent, "envoyé".to_owned()),
            (None, "suppressed") => (m.created_at, "non envoyé (contact désinscrit)".to_owned()),
            (None, "skipped") => (
                m.created_at,
                "non envoyé (plafond ou campagne finie)".to_owned(),
            ),
            (None, "failed") => (m.created_at, "en échec".to_owned()),
            (None, _) => (m.created_at, "en attente d'envoi".to_owned()),
        };
        push(
            at,
            EntryKind::Message,
            format!("{channel}{to} {what}"),
            Some(m.campaign_id.clone()),
        );
    }
    for e in &h.events {
        let text = match e.kind.as_str() {
            "delivered" => "Message distribué".to_owned(),
            "clicked" => format!("Lien suivi vers {}", link_label(e.link_kind.as_deref())),
            "bounced" => "Message refusé par la messagerie".to_owned(),
            "unsubscribed" => "Désinscription".to_owned(),
            "stop" => "STOP par SMS".to_owned(),
            "complained" => "Signalé comme indésirable".to_owned(),
            other => format!("Événement « {other} »"),
        };
        push(
            e.created_at,
            EntryKind::MessageEvent,
            text,
            Some(e.campaign_id.clone()),
        );
    }
    for m in &h.modules {
        push(
            m.started_at,
            EntryKind::Module,
            format!("Module « {} » commencé", m.module_id),
            m.campaign_id.clone(),
        );
        if let Some(done) = m.completed_at {
            push(
                done,
                EntryKind::Module,
                format!("Module « {} » terminé", m.module_id),
                m.campaign_id.clone(),
            );
        }
    }
    for o in &h.orientation {
        let followed = match o.follow_ups {
            0 => String::new(),
            1 => " ; une suggestion suivie".to_owned(),
            n => format!(" ; {n} suggestions suivies"),
        };
        push(
            o.shown_at,
            EntryKind::Orientation,
            format!("Résultats d'orientation consultés{followed}"),
            o.campaign_id.clone(),
        );
    }
    for r in &h.cfa_requests {
        push(
            r.created_at,
            EntryKind::Cfa,
            format!(
                "Demande de contact au CFA « {} » pour « {} »",
                r.cfa_name, r.course_title
            ),
            r.campaign_id.clone(),
        );
        if let Some(read) = r.read_at {
            push(
                read,
                EntryKind::Cfa,
                format!("Demande lue par le CFA « {} »", r.cfa_name),
                r.campaign_id.clone(),
            );
        }
        if let Some(answered) = r.answered_at {
            let how = match r.answer.as_deref() {
                Some("telephone") => "a appelé",
                Some("email") => "a répondu par e-mail",
                Some("impossible") => "ne peut pas donner suite",
                _ => "a répondu",
            };
            push(
                answered,
                EntryKind::Cfa,
                format!("Le CFA « {} » {how}", r.cfa_name),
                r.campaign_id.clone(),
            );
        }
    }
    for a in &h.applications {
        let target = if a.target_kind == "offer" {
            format!("l'offre « {} » ({})", a.target_title, a.company_name)
        } else {
            format!("l'entreprise « {} »", a.company_name)
        };
        push(
            a.created_at,
            EntryKind::Application,
            format!("Candidature envoyée à {target}"),
            None,
        );
        if let Some(answered) = a.answered_at {
            let what = match a.answer.as_deref() {
                Some("interview") => "propose un entretien",
                Some("refusal") => "refuse la candidature",
                _ => "a répondu",
            };
            push(
                answered,
                EntryKind::Application,
                format!("Le recruteur {what}"),
                None,
            );
        }
    }
    for o in &h.outcomes {
        let label: &str = match OutcomeEvent::parse(&o.event) {
            Some(e) => e.label(),
            None => &o.event,
        };
        out.push(TimelineEntry {
            at: at_day(o.event_date),
            day_only: true,
            kind: EntryKind::Outcome,
            text: format!("{label} (source : {})", o.source),
            campaign_id: None,
        });
    }
    out.sort_by_key(|e| e.at);
    out
}

/// The path of `id`; `NotFound` for an unknown person.
pub async fn path(store: &Store, id: &str) -> Result<PersonPath, CampaignError> {
    let person = store
        .cohort_person(id)
        .await?
        .ok_or(CampaignError::NotFound)?;
    let history = store.person_history(id).await?;
    Ok(PersonPath {
        id: person.id,
        source: person.source.as_str(),
        departement: person.departement,
        class: person.class,
        apprenticeship_only: person.apprenticeship_only,
        wishes: person
            .wishes
            .iter()
            .map(|w| WishView {
                key: w.key.clone(),
                kind: w.kind.as_str(),
                status: w.status.as_str(),
                contract_signed: w.contract_signed,
                formation_id: w.formation_id.clone(),
            })
            .collect(),
        arms: history
            .assignments
            .iter()
            .map(|a| ArmView {
                campaign_id: a.campaign_id.clone(),
                campaign_name: a.campaign_name.clone(),
                arm: a.arm.clone(),
            })
            .collect(),
        timeline: timeline(&history),
    })
}

/// The timeline as CSV, the person named by their pseudonym only.
pub fn path_csv(key: &lba_notify::LinkKey, p: &PersonPath) -> String {
    let pseudonym = crate::campaigns::pseudonym(key, &p.id);
    let mut out = String::from("pseudonyme;date;type;campagne;evenement\n");
    for e in &p.timeline {
        let when = if e.day_only {
            e.at.date_naive().to_string()
        } else {
            e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out.push_str(&format!(
            "{pseudonym};{when};{kind};{};{}\n",
            e.campaign_id.as_deref().unwrap_or_default(),
            e.text.replace(';', ","),
        ));
    }
    out
}
