//! Pause, resume and finish a launched campaign.

use super::*;

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
