//! Counts per arm of a campaign.

use super::*;

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
    /// People of the arm who sent a contact request to a CFA.
    pub cfa_requests: i64,
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
    let requests: HashMap<String, i64> = store
        .appointment_people_by_arm(id)
        .await?
        .into_iter()
        .collect();
    let arms = arm_sizes(&spec, &sizes)
        .into_iter()
        .map(|a| ArmReport {
            cfa_requests: requests.get(&a.name).copied().unwrap_or_default(),
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
