//! Assignment of the targeted people to arms, stored before anything is sent.

use super::*;

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

pub(super) fn arm_sizes(spec: &CampaignSpec, counts: &HashMap<String, u64>) -> Vec<ArmSize> {
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

pub(super) async fn assign_report(
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
