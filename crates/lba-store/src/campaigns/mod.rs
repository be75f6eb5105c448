//! Campaigns: the specification (JSON, validated by the caller), the arms,
//! the status machine and the arm of each person.
//!
//! Status: `draft` → `assigned` (arms of every targeted person stored) →
//! `launched` (messages enqueued) ⇄ `paused` → `done`. Transitions are
//! conditional updates ([`Store::set_campaign_status`]): two operators (or
//! an operator and the worker pausing after errors) cannot both win.

use chrono::{DateTime, Utc};

use sqlx::Transaction;

use crate::backend::with_pool;
use crate::portable::{BindValue as _, Portable};
use crate::{Store, StoreError};

mod report;

pub use report::{ArmCounts, ArmTotals};

/// Rows per multi-row `INSERT` of assignments (5 parameters each).
const ASSIGNMENTS_PER_QUERY: usize = 1_000;

pub use lba_campaign::CampaignStatus;

/// A stored campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCampaign {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Status.
    pub status: CampaignStatus,
    /// The specification (JSON of `lba_campaign::CampaignSpec`).
    pub spec: String,
    /// Why it is paused.
    pub pause_reason: Option<String>,
    /// Send errors in a row (reset by a success or a resume).
    pub consecutive_errors: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// First launch.
    pub launched_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: String,
    name: String,
    status: String,
    spec: String,
    pause_reason: Option<String>,
    consecutive_errors: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    launched_at: Option<DateTime<Utc>>,
}

impl CampaignRow {
    fn into_domain(self) -> Result<StoredCampaign, StoreError> {
        let status = CampaignStatus::parse(&self.status).ok_or_else(|| StoreError::Corrupt {
            table: "campaigns",
            key: self.id.clone(),
            detail: format!("statut « {} »", self.status),
        })?;
        Ok(StoredCampaign {
            id: self.id,
            name: self.name,
            status,
            spec: self.spec,
            pause_reason: self.pause_reason,
            consecutive_errors: self.consecutive_errors,
            created_at: self.created_at,
            updated_at: self.updated_at,
            launched_at: self.launched_at,
        })
    }
}

const CAMPAIGN_COLUMNS: &str = "id, name, status, spec, pause_reason, consecutive_errors, \
     created_at, updated_at, launched_at";

/// A stored arm: name, share in percent, control.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredArm {
    /// Name.
    pub arm: String,
    /// Share in percent.
    pub share: i64,
    /// Receives nothing.
    pub is_control: bool,
}

/// The arm of one person.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Assignment {
    /// Person id.
    pub person_id: String,
    /// Arm name.
    pub arm: String,
    /// "département|level".
    pub stratum: String,
}

/// Inserts the arms (name, share, control) of campaign `id` in `tx`.
async fn insert_arms<DB: Portable>(
    tx: &mut Transaction<'_, DB>,
    id: &str,
    arms: &[(String, u32, bool)],
) -> Result<(), sqlx::Error> {
    for (arm, share, control) in arms {
        let query = sqlx::query(
            "INSERT INTO campaign_arms (campaign_id, arm, share, is_control) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind_value(id)
        .bind_value(arm.as_str())
        .bind_value(i64::from(*share))
        .bind_value(*control);
        DB::execute(tx, query).await?;
    }
    Ok(())
}

impl Store {
    /// Creates a draft campaign with its arms (name, share, control).
    pub async fn create_campaign(
        &self,
        id: &str,
        name: &str,
        spec_json: &str,
        arms: &[(String, u32, bool)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            async {
                let mut tx = pool.begin().await?;
                sqlx::query(
                    "INSERT INTO campaigns (id, name, status, spec, created_at, updated_at) \
                     VALUES ($1, $2, 'draft', $3, $4, $4)",
                )
                .bind(id)
                .bind(name)
                .bind(spec_json)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                insert_arms(&mut tx, id, arms).await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(())
            }
            .await
        })?;
        Ok(())
    }

    /// A campaign by id.
    pub async fn campaign(&self, id: &str) -> Result<Option<StoredCampaign>, StoreError> {
        let row: Option<CampaignRow> = with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        row.map(CampaignRow::into_domain).transpose()
    }

    /// Every campaign, newest first.
    pub async fn campaigns(&self) -> Result<Vec<StoredCampaign>, StoreError> {
        let rows: Vec<CampaignRow> = with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY created_at DESC, id DESC"
            ))
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(CampaignRow::into_domain).collect()
    }

    /// Replaces the name, specification and arms of a draft campaign.
    /// False when the campaign does not exist or is not a draft any more.
    pub async fn update_campaign_spec(
        &self,
        id: &str,
        name: &str,
        spec_json: &str,
        arms: &[(String, u32, bool)],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let updated = with_pool!(self, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let n = sqlx::query(
                    "UPDATE campaigns SET name = $2, spec = $3, updated_at = $4 \
                     WHERE id = $1 AND status = 'draft'",
                )
                .bind(id)
                .bind(name)
                .bind(spec_json)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Ok::<_, sqlx::Error>(false);
                }
                sqlx::query("DELETE FROM campaign_arms WHERE campaign_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                insert_arms(&mut tx, id, arms).await?;
                tx.commit().await?;
                Ok(true)
            }
            .await
        })?;
        Ok(updated)
    }

    /// Moves `id` from one of `from` to `to`; false when it is not in one of
    /// `from` (or does not exist). The pause reason becomes `reason` (cleared
    /// with `None`). Moving to `launched` records the first launch time and
    /// resets the consecutive error count.
    pub async fn set_campaign_status(
        &self,
        id: &str,
        from: &[CampaignStatus],
        to: CampaignStatus,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        if from.is_empty() {
            return Ok(false);
        }
        let list = from
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let launched = if to == CampaignStatus::Launched {
            ", launched_at = COALESCE(launched_at, $4), consecutive_errors = 0"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE campaigns SET status = $2, pause_reason = $3, updated_at = $4{launched} \
             WHERE id = $1 AND status IN ({list})"
        );
        let n = with_pool!(self, |pool| {
            sqlx::query(&sql)
                .bind(id)
                .bind(to.as_str())
                .bind(reason)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// The arms of a campaign, in name order.
    pub async fn campaign_arms(&self, id: &str) -> Result<Vec<StoredArm>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT arm, share, is_control FROM campaign_arms WHERE campaign_id = $1 \
                 ORDER BY arm",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Stores the arm of each person (people already assigned keep their
    /// arm) and moves a draft campaign to `assigned`, in one transaction.
    /// Returns how many assignments were new.
    pub async fn store_assignments(
        &self,
        id: &str,
        assignments: &[Assignment],
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let n = with_pool!(self, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let mut n = 0;
                for chunk in assignments.chunks(ASSIGNMENTS_PER_QUERY) {
                    let mut query = sqlx::QueryBuilder::new(
                        "INSERT INTO campaign_assignments \
                         (campaign_id, person_id, arm, stratum, assigned_at) ",
                    );
                    query.push_values(chunk, |mut b, a| {
                        b.push_bind(id)
                            .push_bind(a.person_id.as_str())
                            .push_bind(a.arm.as_str())
                            .push_bind(a.stratum.as_str())
                            .push_bind(now);
                    });
                    query.push(" ON CONFLICT (campaign_id, person_id) DO NOTHING");
                    n += query.build().execute(&mut *tx).await?.rows_affected();
                }
                sqlx::query(
                    "UPDATE campaigns SET status = 'assigned', updated_at = $2 \
                     WHERE id = $1 AND status = 'draft'",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(n)
            }
            .await
        })?;
        Ok(n)
    }

    /// The arm of every assigned person of a campaign, by person id.
    pub async fn assignments(&self, id: &str) -> Result<Vec<Assignment>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT person_id, arm, stratum FROM campaign_assignments \
                 WHERE campaign_id = $1 ORDER BY person_id",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?)
    }

    /// People per arm of a campaign.
    pub async fn assignment_counts(&self, id: &str) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT arm, COUNT(*) FROM campaign_assignments WHERE campaign_id = $1 \
                 GROUP BY arm ORDER BY arm",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Makes the pending outbox jobs of a campaign due at `at_ms` (epoch
    /// milliseconds) when they were due later; returns how many moved.
    pub async fn wake_campaign_jobs(&self, id: &str, at_ms: i64) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET next_attempt_at = $2 WHERE subject = $1 \
                 AND kind = $3 AND status = 'pending' AND next_attempt_at > $2",
            )
            .bind(id)
            .bind(at_ms)
            .bind(crate::campaign_delivery::JOB_KIND)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?)
    }
}
