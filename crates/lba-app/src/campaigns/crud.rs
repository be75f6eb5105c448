//! Create, read, list and edit campaigns (before assignment).

use super::*;

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
