//! Launch: render every message of the assigned people and enqueue it.

use super::*;

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
