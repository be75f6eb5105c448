//! Campaigns to the cohort: create and edit a specification, assign arms
//! (stored before anything is sent), preview the texts for one person,
//! launch (render every message and enqueue it), pause and resume, report.
//!
//! The pure rules live in `lba_campaign`; the rows in `lba_store::campaigns`
//! and `lba_store::campaign_delivery`; sending is the outbox worker's.

pub mod content;
pub mod events;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use lba_campaign::segment::{Channel, Recipient};
use lba_campaign::{CampaignSpec, Person, SpecError, arms, power};
use lba_store::campaign_delivery::NewMessage;
use lba_store::campaigns::Assignment;
use lba_store::{Store, StoreError};
use serde::Serialize;

pub use content::{ContentConfig, RenderedMessage};
pub use lba_campaign::CampaignStatus;
/// A campaign as stored: the read model the operator pages show.
pub use lba_store::campaigns::StoredCampaign;

use crate::Search;

/// Messages per store transaction at launch.
pub const LAUNCH_CHUNK: usize = 500;
/// Control rate assumed for the minimum detectable effect (share of people
/// who act without a message).
pub const MDE_BASELINE: f64 = 0.10;
/// At most this many launch issues are listed.
const LISTED_ISSUES: usize = 50;

/// Why a campaign action failed. Messages in French.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// No such campaign.
    #[error("campagne introuvable")]
    NotFound,
    /// The specification (or a parameter) is not valid; names the field.
    #[error("{0}")]
    Invalid(SpecError),
    /// The action is not possible in the campaign's status.
    #[error("impossible de {action} : la campagne est « {status} »")]
    WrongStatus {
        /// The current status (French label).
        status: String,
        /// What was attempted, in French ("modifier", "lancer"…).
        action: &'static str,
    },
    /// A text could not be rendered.
    #[error("{0}")]
    Template(String),
    /// The database failed.
    #[error("erreur de la base de données : {0}")]
    Store(#[from] StoreError),
}

fn invalid(field: &str, message: impl Into<String>) -> CampaignError {
    CampaignError::Invalid(SpecError {
        field: field.to_owned(),
        message: message.into(),
    })
}

fn wrong(status: CampaignStatus, action: &'static str) -> CampaignError {
    CampaignError::WrongStatus {
        status: status.label().to_owned(),
        action,
    }
}

fn arm_rows(spec: &CampaignSpec) -> Vec<(String, u32, bool)> {
    spec.arms
        .iter()
        .map(|a| (a.name.clone(), a.share, a.control))
        .collect()
}

fn encode(spec: &CampaignSpec) -> Result<String, CampaignError> {
    serde_json::to_string(spec).map_err(|e| CampaignError::Store(StoreError::Encode(e)))
}

/// A campaign and its parsed specification.
pub async fn load(
    store: &Store,
    id: &str,
) -> Result<(StoredCampaign, CampaignSpec), CampaignError> {
    let campaign = store.campaign(id).await?.ok_or(CampaignError::NotFound)?;
    let spec = serde_json::from_str(&campaign.spec).map_err(|e| {
        CampaignError::Store(StoreError::Corrupt {
            table: "campaigns",
            key: id.to_owned(),
            detail: e.to_string(),
        })
    })?;
    Ok((campaign, spec))
}

/// A campaign by id, as stored (its specification unparsed).
///
/// # Errors
/// When the store fails.
pub async fn find(store: &Store, id: &str) -> Result<Option<StoredCampaign>, StoreError> {
    store.campaign(id).await
}

/// One campaign of the list, with its totals over the arms of its
/// specification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignSummary {
    /// The campaign.
    pub campaign: StoredCampaign,
    /// People assigned.
    pub targeted: i64,
    /// Messages recorded.
    pub messages: i64,
    /// Messages sent.
    pub sent: i64,
}

/// Every campaign, newest first, with the people assigned, the messages
/// and the messages sent in the arms of its specification (the totals of
/// [`report`]), read in two queries whatever the number of campaigns.
///
/// # Errors
/// When the store fails or a stored specification cannot be read.
pub async fn list(store: &Store) -> Result<Vec<CampaignSummary>, StoreError> {
    let campaigns = store.campaigns().await?;
    let mut totals: HashMap<(String, String), lba_store::campaigns::ArmTotals> = store
        .campaign_arm_totals()
        .await?
        .into_iter()
        .map(|t| ((t.campaign_id.clone(), t.arm.clone()), t))
        .collect();
    let mut out = Vec::with_capacity(campaigns.len());
    for campaign in campaigns {
        let spec: CampaignSpec =
            serde_json::from_str(&campaign.spec).map_err(|e| StoreError::Corrupt {
                table: "campaigns",
                key: campaign.id.clone(),
                detail: e.to_string(),
            })?;
        let (mut targeted, mut messages, mut sent) = (0, 0, 0);
        let mut seen = HashSet::new();
        for arm in &spec.arms {
            if !seen.insert(arm.name.as_str()) {
                continue;
            }
            if let Some(t) = totals.remove(&(campaign.id.clone(), arm.name.clone())) {
                targeted += t.targeted;
                messages += t.messages;
                sent += t.sent;
            }
        }
        out.push(CampaignSummary {
            campaign,
            targeted,
            messages,
            sent,
        });
    }
    Ok(out)
}

/// Creates a draft campaign from a valid specification; returns its id.
pub async fn create(
    store: &Store,
    spec: &CampaignSpec,
    now: DateTime<Utc>,
) -> Result<String, CampaignError> {
    spec.validate().map_err(CampaignError::Invalid)?;
    let uuid = uuid::Uuid::new_v4().simple().to_string();
    let id = format!("camp-{}", &uuid[..10]);
    store
        .create_campaign(&id, spec.name.trim(), &encode(spec)?, &arm_rows(spec), now)
        .await?;
    Ok(id)
}

/// Replaces the specification of a draft campaign.
pub async fn update(
    store: &Store,
    id: &str,
    spec: &CampaignSpec,
    now: DateTime<Utc>,
) -> Result<(), CampaignError> {
    spec.validate().map_err(CampaignError::Invalid)?;
    let campaign = store.campaign(id).await?.ok_or(CampaignError::NotFound)?;
    if campaign.status != CampaignStatus::Draft {
        return Err(wrong(campaign.status, "modifier la campagne"));
    }
    if !store
        .update_campaign_spec(id, spec.name.trim(), &encode(spec)?, &arm_rows(spec), now)
        .await?
    {
        // Assigned in between.
        return Err(wrong(CampaignStatus::Assigned, "modifier la campagne"));
    }
    Ok(())
}

/// The people of the cohort a specification targets, by id.
pub async fn targeted(store: &Store, spec: &CampaignSpec) -> Result<Vec<Person>, CampaignError> {
    let mut people = store.cohort().await?;
    people.retain(|p| spec.segment.matches(p));
    Ok(people)
}

/// One arm with its size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArmSize {
    /// Name.
    pub name: String,
    /// Control arm.
    pub control: bool,
    /// Share in percent.
    pub share: u32,
    /// People assigned.
    pub people: u64,
    /// Minimum detectable effect against the control arm (absolute, at
    /// α = 5 %, power 80 %, control rate [`MDE_BASELINE`]); none for the
    /// control arm or an empty arm.
    pub mde: Option<f64>,
}

/// What an assignment did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssignReport {
    /// Campaign id.
    pub campaign: String,
    /// People assigned in all.
    pub total: u64,
    /// Assignments written by this call (people already assigned keep their arm).
    pub new: u64,
    /// Arms, in the specification's order.
    pub arms: Vec<ArmSize>,
}

fn arm_sizes(spec: &CampaignSpec, counts: &HashMap<String, u64>) -> Vec<ArmSize> {
    let control = spec
        .arms
        .iter()
        .find(|a| a.control)
        .and_then(|a| counts.get(&a.name).copied())
        .unwrap_or_default();
    spec.arms
        .iter()
        .map(|a| {
            let people = counts.get(&a.name).copied().unwrap_or_default();
            ArmSize {
                name: a.name.clone(),
                control: a.control,
                share: a.share,
                people,
                mde: if a.control {
                    None
                } else {
                    power::minimum_detectable_effect(control, people, MDE_BASELINE)
                },
            }
        })
        .collect()
}

/// Assigns every targeted person of a draft (or already assigned)
/// campaign to an arm, keyed by `key` and stratified by département and
/// level, and stores the assignments before anything is sent. Idempotent:
/// people already assigned keep their arm.
pub async fn assign(
    store: &Store,
    key: &[u8],
    id: &str,
    now: DateTime<Utc>,
) -> Result<AssignReport, CampaignError> {
    let (campaign, spec) = load(store, id).await?;
    if !matches!(
        campaign.status,
        CampaignStatus::Draft | CampaignStatus::Assigned
    ) {
        return Err(wrong(campaign.status, "attribuer les bras"));
    }
    let people = targeted(store, &spec).await?;
    let strata: Vec<(String, String)> = people
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                arms::stratum(p.departement.as_deref(), p.level()),
            )
        })
        .collect();
    let arm_list = spec.arms();
    let dealt = arms::assign(key, id, &arm_list, &strata);
    let rows: Vec<Assignment> = strata
        .into_iter()
        .zip(dealt)
        .filter_map(|((person_id, stratum), arm)| {
            Some(Assignment {
                person_id,
                arm: arm_list.get(arm)?.name.clone(),
                stratum,
            })
        })
        .collect();
    let new = store.store_assignments(id, &rows, now).await?;
    assign_report(store, id, &spec, new).await
}

async fn assign_report(
    store: &Store,
    id: &str,
    spec: &CampaignSpec,
    new: u64,
) -> Result<AssignReport, CampaignError> {
    let counts: HashMap<String, u64> = store
        .assignment_counts(id)
        .await?
        .into_iter()
        .map(|(a, n)| (a, u64::try_from(n).unwrap_or_default()))
        .collect();
    Ok(AssignReport {
        campaign: id.to_owned(),
        total: counts.values().sum(),
        new,
        arms: arm_sizes(spec, &counts),
    })
}

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

fn send_day(spec: &CampaignSpec, now: DateTime<Utc>) -> (DateTime<Utc>, NaiveDate) {
    let at = spec.start_at.map_or(now, |s| s.max(now));
    (at, at.date_naive())
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
            out.messages.push(message);
        }
    }
    Ok(out)
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

/// A person launch could not write a message for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LaunchIssue {
    /// Person id.
    pub person: String,
    /// Channel.
    pub channel: String,
    /// Why, in French.
    pub reason: String,
}

/// What a launch did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LaunchReport {
    /// Campaign id.
    pub campaign: String,
    /// People assigned.
    pub people: u64,
    /// Of whom in the control arm (no message).
    pub control: u64,
    /// Messages rendered by this run.
    pub rendered: u64,
    /// Of which new (the others were already stored by an earlier run).
    pub new: u64,
    /// Messages of the campaign in the store after this run.
    pub total: u64,
    /// Rendered e-mails.
    pub email: u64,
    /// Rendered SMS.
    pub sms: u64,
    /// Rendered messages to a parent.
    pub to_parents: u64,
    /// Targeted people outside the control arm without any address on the
    /// campaign's channels.
    pub unreachable: u64,
    /// Messages that could not be rendered (SMS too long…).
    pub errors: u64,
    /// The first of them.
    pub issues: Vec<LaunchIssue>,
    /// Nothing leaves before.
    pub not_before: DateTime<Utc>,
    /// Every person was processed and the campaign is launched.
    pub complete: bool,
    /// Duration.
    pub duration_ms: u64,
}

/// Launch knobs (tests simulate a crash with `max_chunks`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaunchOptions {
    /// Messages per transaction.
    pub chunk: usize,
    /// Stop after this many transactions without marking the campaign
    /// launched (as a crash would).
    pub max_chunks: Option<usize>,
}

impl Default for LaunchOptions {
    fn default() -> Self {
        Self {
            chunk: LAUNCH_CHUNK,
            max_chunks: None,
        }
    }
}

/// Launches a campaign: assigns arms first when it is a draft, renders
/// every message of every assigned person outside the control arm (minors
/// → a parent per the audience at the send date), and enqueues them in
/// transactions of [`LAUNCH_CHUNK`] with their tracked links and outbox
/// jobs, then marks the campaign launched. Running it again (after a
/// crash, or on a launched campaign) inserts only the missing messages.
pub async fn launch(
    store: &Store,
    search: &Search,
    cfg: &ContentConfig,
    id: &str,
    now: DateTime<Utc>,
) -> Result<LaunchReport, CampaignError> {
    launch_with(store, search, cfg, id, now, LaunchOptions::default()).await
}

/// [`launch`] with explicit options.
pub async fn launch_with(
    store: &Store,
    search: &Search,
    cfg: &ContentConfig,
    id: &str,
    now: DateTime<Utc>,
    options: LaunchOptions,
) -> Result<LaunchReport, CampaignError> {
    let clock = Instant::now();
    let (campaign, spec) = load(store, id).await?;
    match campaign.status {
        CampaignStatus::Draft => {
            assign(store, &cfg.link_key, id, now).await?;
        }
        CampaignStatus::Assigned | CampaignStatus::Launched => {}
        status @ (CampaignStatus::Paused | CampaignStatus::Done) => {
            return Err(wrong(status, "lancer la campagne"));
        }
    }
    let assignments = store.assignments(id).await?;
    let arm_of: HashMap<&str, &str> = assignments
        .iter()
        .map(|a| (a.person_id.as_str(), a.arm.as_str()))
        .collect();
    let mut people = store.cohort().await?;
    people.retain(|p| arm_of.contains_key(p.id.as_str()));
    let (not_before, day) = send_day(&spec, now);
    let index = search.snapshot();
    // Per arm and channel, the templates of that channel only.
    let templates: HashMap<(&str, Channel), lba_campaign::template::Templates> = spec
        .arms
        .iter()
        .filter(|a| !a.control)
        .flat_map(|a| {
            spec.channels.iter().map(move |c| {
                (
                    (a.name.as_str(), *c),
                    content::channel_templates(&a.templates, *c),
                )
            })
        })
        .collect();
    let mut report = LaunchReport {
        campaign: id.to_owned(),
        people: people.len() as u64,
        control: 0,
        rendered: 0,
        new: 0,
        total: 0,
        email: 0,
        sms: 0,
        to_parents: 0,
        unreachable: 0,
        errors: 0,
        issues: Vec::new(),
        not_before,
        complete: false,
        duration_ms: 0,
    };
    let chunk = options.chunk.max(1);
    let mut batch: Vec<NewMessage> = Vec::with_capacity(chunk);
    let mut chunks = 0;
    let mut stopped = false;
    for person in &people {
        let arm = arm_of.get(person.id.as_str()).copied().unwrap_or_default();
        let mut reachable = false;
        let mut facts = None;
        for channel in &spec.channels {
            let Some(templates) = templates.get(&(arm, *channel)) else {
                // Control arm (or an arm no longer in the spec): nothing.
                continue;
            };
            for (recipient, address) in spec.audience.recipients(person, *channel, day) {
                reachable = true;
                let facts = facts.get_or_insert_with(|| content::facts(&index, cfg, person, now));
                let key = content::MessageKey {
                    campaign: id,
                    person: &person.id,
                    channel: *channel,
                    recipient,
                };
                match content::render(cfg, facts, templates, key, spec.sending.sms_max_segments) {
                    Ok(m) => {
                        report.rendered += 1;
                        match channel {
                            Channel::Email => report.email += 1,
                            Channel::Sms => report.sms += 1,
                        }
                        if recipient == Recipient::Parent {
                            report.to_parents += 1;
                        }
                        batch.push(NewMessage {
                            campaign_id: id.to_owned(),
                            person_id: person.id.clone(),
                            channel: channel.as_str().to_owned(),
                            recipient_kind: recipient.as_str().to_owned(),
                            arm: arm.to_owned(),
                            recipient: address.as_str().to_owned(),
                            subject: m.subject,
                            body_text: m.body_text,
                            body_html: m.body_html,
                            links: m.links,
                        });
                    }
                    Err(reason) => {
                        report.errors += 1;
                        if report.issues.len() < LISTED_ISSUES {
                            report.issues.push(LaunchIssue {
                                person: person.id.clone(),
                                channel: channel.as_str().to_owned(),
                                reason,
                            });
                        }
                    }
                }
            }
        }
        if spec.arms.iter().any(|a| a.control && a.name == arm) {
            report.control += 1;
        } else if !reachable {
            report.unreachable += 1;
        }
        if batch.len() >= chunk {
            flush(store, &mut batch, &mut report, not_before, now).await?;
            chunks += 1;
            if options.max_chunks.is_some_and(|m| chunks >= m) {
                stopped = true;
                break;
            }
        }
    }
    if !stopped {
        flush(store, &mut batch, &mut report, not_before, now).await?;
        store
            .set_campaign_status(
                id,
                &[CampaignStatus::Assigned, CampaignStatus::Launched],
                CampaignStatus::Launched,
                None,
                now,
            )
            .await?;
        report.complete = true;
    }
    report.total = store
        .campaign_counts(id, None)
        .await?
        .values()
        .map(|c| u64::try_from(c.messages).unwrap_or_default())
        .sum();
    report.duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(
        campaign = id,
        people = report.people,
        new = report.new,
        total = report.total,
        errors = report.errors,
        complete = report.complete,
        duration_ms = report.duration_ms,
        "campaign launch"
    );
    Ok(report)
}

async fn flush(
    store: &Store,
    batch: &mut Vec<NewMessage>,
    report: &mut LaunchReport,
    not_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), CampaignError> {
    if batch.is_empty() {
        return Ok(());
    }
    report.new += store.insert_messages(batch, not_before, now).await?;
    batch.clear();
    Ok(())
}

/// Pauses a launched campaign: the worker pushes its jobs later.
pub async fn pause(
    store: &Store,
    id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), CampaignError> {
    let campaign = store.campaign(id).await?.ok_or(CampaignError::NotFound)?;
    let reason = match reason.trim() {
        "" => "mise en pause par un opérateur",
        r => r,
    };
    if !store
        .set_campaign_status(
            id,
            &[CampaignStatus::Launched],
            CampaignStatus::Paused,
            Some(reason),
            now,
        )
        .await?
    {
        return Err(wrong(campaign.status, "mettre en pause"));
    }
    Ok(())
}

/// Resumes a paused campaign: launched again (error count reset), and its
/// pending messages due now (or at its start when that is later).
pub async fn resume(store: &Store, id: &str, now: DateTime<Utc>) -> Result<(), CampaignError> {
    let (campaign, spec) = load(store, id).await?;
    if !store
        .set_campaign_status(
            id,
            &[CampaignStatus::Paused],
            CampaignStatus::Launched,
            None,
            now,
        )
        .await?
    {
        return Err(wrong(campaign.status, "reprendre"));
    }
    let (at, _) = send_day(&spec, now);
    store.wake_campaign_jobs(id, at.timestamp_millis()).await?;
    Ok(())
}

/// Ends a launched or paused campaign: its messages not sent yet are
/// skipped by the worker.
pub async fn finish(store: &Store, id: &str, now: DateTime<Utc>) -> Result<(), CampaignError> {
    let campaign = store.campaign(id).await?.ok_or(CampaignError::NotFound)?;
    if !store
        .set_campaign_status(
            id,
            &[CampaignStatus::Launched, CampaignStatus::Paused],
            CampaignStatus::Done,
            None,
            now,
        )
        .await?
    {
        return Err(wrong(campaign.status, "terminer la campagne"));
    }
    Ok(())
}

/// One arm of the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArmReport {
    /// Name.
    pub arm: String,
    /// Control arm.
    pub control: bool,
    /// Share in percent.
    pub share: u32,
    /// Counts.
    #[serde(flatten)]
    pub counts: lba_store::campaigns::ArmCounts,
    /// Minimum detectable effect against the control arm.
    pub mde: Option<f64>,
    /// Learning modules started by people of the arm (person × module).
    pub module_starts: i64,
    /// … and completed.
    pub module_completions: i64,
}

/// The report of a campaign.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Status.
    pub status: CampaignStatus,
    /// Status in French.
    pub status_label: &'static str,
    /// Why it is paused.
    pub pause_reason: Option<String>,
    /// First launch.
    pub launched_at: Option<DateTime<Utc>>,
    /// Control rate assumed for the minimum detectable effect.
    pub mde_baseline: f64,
    /// Arms in the specification's order.
    pub arms: Vec<ArmReport>,
}

/// The report of a campaign per arm: targeted, messages, sent, delivered,
/// bounced, clicked, unsubscribed, searches from a campaign link,
/// applications since the launch, and the minimum detectable effect.
pub async fn report(store: &Store, id: &str) -> Result<Report, CampaignError> {
    let (campaign, spec) = load(store, id).await?;
    let mut counts = store.campaign_counts(id, campaign.launched_at).await?;
    let sizes: HashMap<String, u64> = counts
        .iter()
        .map(|(a, c)| (a.clone(), u64::try_from(c.targeted).unwrap_or_default()))
        .collect();
    let modules = crate::learning::by_arm(store, id).await?;
    let module_sum = |arm: &str, f: fn(&crate::learning::ArmModules) -> i64| {
        modules.iter().filter(|m| m.arm == arm).map(f).sum::<i64>()
    };
    let arms = arm_sizes(&spec, &sizes)
        .into_iter()
        .map(|a| ArmReport {
            counts: counts.remove(&a.name).unwrap_or_default(),
            module_starts: module_sum(&a.name, |m| m.starts),
            module_completions: module_sum(&a.name, |m| m.completions),
            arm: a.name,
            control: a.control,
            share: a.share,
            mde: a.mde,
        })
        .collect();
    Ok(Report {
        id: campaign.id,
        name: campaign.name,
        status: campaign.status,
        status_label: campaign.status.label(),
        pause_reason: campaign.pause_reason,
        launched_at: campaign.launched_at,
        mde_baseline: MDE_BASELINE,
        arms,
    })
}

/// The assignment report of a campaign as stored (sizes and MDE).
pub async fn arm_report(store: &Store, id: &str) -> Result<AssignReport, CampaignError> {
    let (_, spec) = load(store, id).await?;
    assign_report(store, id, &spec, 0).await
}
