//! Learning modules ("parcours", issue 15): progress per learner, module and
//! attempt, every answer with the content version, and the statistics that
//! guide the revision of the content (per module and version, per
//! situation, per campaign arm).

use chrono::{DateTime, Utc};

use crate::backend::{in_tx, with_pool};
use crate::{Store, StoreError};

/// Who answers: the learner key (`v:<uuid>` or `p:<person id>`) and, when
/// they came from a campaign, the person, campaign and arm.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Learner {
    pub key: String,
    pub person_id: Option<String>,
    pub campaign_id: Option<String>,
    pub arm: Option<String>,
}

/// One attempt of a learner at a module.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Progress {
    pub learner_key: String,
    pub module_id: String,
    pub attempt: i64,
    pub person_id: Option<String>,
    pub campaign_id: Option<String>,
    pub arm: Option<String>,
    pub version: i64,
    pub current_situation: String,
    pub pending_answer: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// A stored answer.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredAnswer {
    pub learner_key: String,
    pub person_id: Option<String>,
    pub campaign_id: Option<String>,
    pub arm: Option<String>,
    pub module_id: String,
    pub version: i64,
    pub attempt: i64,
    pub situation_id: String,
    pub answer_id: String,
    pub correct: bool,
    pub first_try: bool,
    pub answered_at: DateTime<Utc>,
}

/// Starts, completions and time of one module version.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModuleStats {
    pub module_id: String,
    pub version: i64,
    /// Attempts started.
    pub starts: i64,
    /// Attempts completed.
    pub completions: i64,
    /// Median seconds from start to completion (completed attempts).
    pub median_seconds: Option<i64>,
}

impl ModuleStats {
    /// Completions / starts, 0 when nothing started.
    pub fn completion_rate(&self) -> f64 {
        if self.starts == 0 {
            0.0
        } else {
            self.completions as f64 / self.starts as f64
        }
    }
}

/// Per-situation figures of one module version.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SituationStats {
    pub situation_id: String,
    /// Attempts that saw the situation (answered it, or stopped on it).
    pub views: i64,
    /// (answer id, how many times chosen), by answer id.
    pub answers: Vec<(String, i64)>,
    /// Learners who answered it for the first time.
    pub first_tries: i64,
    /// … and were right.
    pub right_first_try: i64,
    /// Unfinished attempts that stopped on this situation.
    pub drop_offs: i64,
}

impl SituationStats {
    /// Share right at first try, `None` when nobody answered.
    pub fn right_first_try_share(&self) -> Option<f64> {
        (self.first_tries > 0).then(|| self.right_first_try as f64 / self.first_tries as f64)
    }
}

/// Module starts and completions of one campaign arm.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ArmLearning {
    pub arm: String,
    pub module_id: String,
    /// Learners of the arm who started the module.
    pub starts: i64,
    /// … and completed it at least once.
    pub completions: i64,
}

const PROGRESS_COLUMNS: &str = "learner_key, module_id, attempt, person_id, campaign_id, arm, \
    version, current_situation, pending_answer, started_at, updated_at, completed_at";

const ANSWER_COLUMNS: &str = "learner_key, person_id, campaign_id, arm, module_id, version, \
    attempt, situation_id, answer_id, correct, first_try, answered_at";

fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2
    } else {
        values[mid]
    })
}

impl Store {
    /// The latest attempt of `learner_key` at `module_id`.
    pub async fn learning_progress(
        &self,
        learner_key: &str,
        module_id: &str,
    ) -> Result<Option<Progress>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {PROGRESS_COLUMNS} FROM learning_progress \
                 WHERE learner_key = $1 AND module_id = $2 ORDER BY attempt DESC LIMIT 1"
            ))
            .bind(learner_key)
            .bind(module_id)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// The latest attempt of `learner_key` at every module they started.
    pub async fn learning_progress_all(
        &self,
        learner_key: &str,
    ) -> Result<Vec<Progress>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {PROGRESS_COLUMNS} FROM learning_progress p \
                 WHERE learner_key = $1 AND attempt = (SELECT MAX(attempt) FROM learning_progress q \
                 WHERE q.learner_key = p.learner_key AND q.module_id = p.module_id) \
                 ORDER BY module_id"
            ))
            .bind(learner_key)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Starts a new attempt (1, or the latest + 1) at `start`.
    pub async fn learning_start(
        &self,
        learner: &Learner,
        module_id: &str,
        version: i64,
        start: &str,
        now: DateTime<Utc>,
    ) -> Result<Progress, StoreError> {
        let progress = in_tx!(self, |tx| {
            let latest: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(attempt) FROM learning_progress WHERE learner_key = $1 AND module_id = $2",
            )
            .bind(&learner.key)
            .bind(module_id)
            .fetch_one(&mut *tx)
            .await?;
            let progress: Progress = sqlx::query_as(&format!(
                "INSERT INTO learning_progress ({PROGRESS_COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9, NULL) \
                 RETURNING {PROGRESS_COLUMNS}"
            ))
            .bind(&learner.key)
            .bind(module_id)
            .bind(latest.unwrap_or(0) + 1)
            .bind(&learner.person_id)
            .bind(&learner.campaign_id)
            .bind(&learner.arm)
            .bind(version)
            .bind(start)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            progress
        });
        Ok(progress)
    }

    /// Records `answer_id` to the current situation of `progress` and shows
    /// its feedback: in one transaction, only when the attempt still waits
    /// for an answer to that situation (else `false`, nothing stored).
    pub async fn learning_answer(
        &self,
        learner: &Learner,
        progress: &Progress,
        answer_id: &str,
        correct: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let stored = in_tx!(self, |tx| {
            let updated = sqlx::query(
                "UPDATE learning_progress SET pending_answer = $1, updated_at = $2 \
                 WHERE learner_key = $3 AND module_id = $4 AND attempt = $5 \
                 AND current_situation = $6 AND pending_answer IS NULL AND completed_at IS NULL",
            )
            .bind(answer_id)
            .bind(now)
            .bind(&progress.learner_key)
            .bind(&progress.module_id)
            .bind(progress.attempt)
            .bind(&progress.current_situation)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 1 {
                let earlier: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM learning_answers WHERE learner_key = $1 \
                     AND module_id = $2 AND version = $3 AND situation_id = $4",
                )
                .bind(&progress.learner_key)
                .bind(&progress.module_id)
                .bind(progress.version)
                .bind(&progress.current_situation)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query(&format!(
                    "INSERT INTO learning_answers ({ANSWER_COLUMNS}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                ))
                .bind(&progress.learner_key)
                .bind(&learner.person_id)
                .bind(&learner.campaign_id)
                .bind(&learner.arm)
                .bind(&progress.module_id)
                .bind(progress.version)
                .bind(progress.attempt)
                .bind(&progress.current_situation)
                .bind(answer_id)
                .bind(correct)
                .bind(earlier == 0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            updated == 1
        });
        Ok(stored)
    }

    /// Leaves the feedback of `progress`: goes to `next`, or completes the
    /// attempt when `next` is `None`. `false` when no feedback was shown.
    pub async fn learning_continue(
        &self,
        progress: &Progress,
        next: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let updated = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE learning_progress SET current_situation = $1, pending_answer = NULL, \
                 updated_at = $2, completed_at = $3 \
                 WHERE learner_key = $4 AND module_id = $5 AND attempt = $6 \
                 AND current_situation = $7 AND pending_answer IS NOT NULL AND completed_at IS NULL",
            )
            .bind(next.unwrap_or(&progress.current_situation))
            .bind(now)
            .bind(next.is_none().then_some(now))
            .bind(&progress.learner_key)
            .bind(&progress.module_id)
            .bind(progress.attempt)
            .bind(&progress.current_situation)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(updated == 1)
    }

    /// Every answer of a learner to a module, oldest first.
    pub async fn learning_answers(
        &self,
        learner_key: &str,
        module_id: &str,
    ) -> Result<Vec<StoredAnswer>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {ANSWER_COLUMNS} FROM learning_answers \
                 WHERE learner_key = $1 AND module_id = $2 ORDER BY id"
            ))
            .bind(learner_key)
            .bind(module_id)
            .fetch_all(pool)
            .await
        })?)
    }

    /// Every stored answer count (tests, status).
    pub async fn learning_answer_count(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM learning_answers")
                .fetch_one(pool)
                .await
        })?)
    }

    /// Every (module, version) with progress, by module then version.
    pub async fn learning_versions(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT DISTINCT module_id, version FROM learning_progress \
                 ORDER BY module_id, version",
            )
            .fetch_all(pool)
            .await
        })?)
    }

    /// Starts, completions and median time of one module version.
    pub async fn learning_module_stats(
        &self,
        module_id: &str,
        version: i64,
    ) -> Result<ModuleStats, StoreError> {
        let rows: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT started_at, completed_at FROM learning_progress \
                 WHERE module_id = $1 AND version = $2",
            )
            .bind(module_id)
            .bind(version)
            .fetch_all(pool)
            .await
        })?;
        let durations: Vec<i64> = rows
            .iter()
            .filter_map(|(start, end)| end.map(|end| (end - *start).num_seconds()))
            .collect();
        Ok(ModuleStats {
            module_id: module_id.to_owned(),
            version,
            starts: rows.len() as i64,
            completions: durations.len() as i64,
            median_seconds: median(durations),
        })
    }

    /// Per-situation figures of one module version, by situation id (the
    /// caller orders them as the content does).
    pub async fn learning_situation_stats(
        &self,
        module_id: &str,
        version: i64,
    ) -> Result<Vec<SituationStats>, StoreError> {
        let answers: Vec<(String, String, i64, i64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT situation_id, answer_id, COUNT(*), \
                 SUM(CASE WHEN first_try THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN first_try AND correct THEN 1 ELSE 0 END) \
                 FROM learning_answers WHERE module_id = $1 AND version = $2 \
                 GROUP BY situation_id, answer_id ORDER BY situation_id, answer_id",
            )
            .bind(module_id)
            .bind(version)
            .fetch_all(pool)
            .await
        })?;
        let answered: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT situation_id, COUNT(*) FROM (SELECT DISTINCT learner_key, attempt, \
                 situation_id FROM learning_answers WHERE module_id = $1 AND version = $2) seen \
                 GROUP BY situation_id",
            )
            .bind(module_id)
            .bind(version)
            .fetch_all(pool)
            .await
        })?;
        let stopped: Vec<(String, i64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT current_situation, COUNT(*), \
                 SUM(CASE WHEN pending_answer IS NULL THEN 1 ELSE 0 END) \
                 FROM learning_progress WHERE module_id = $1 AND version = $2 \
                 AND completed_at IS NULL GROUP BY current_situation",
            )
            .bind(module_id)
            .bind(version)
            .fetch_all(pool)
            .await
        })?;
        let mut by_id: std::collections::BTreeMap<String, SituationStats> =
            std::collections::BTreeMap::new();
        let entry = |map: &mut std::collections::BTreeMap<String, SituationStats>, id: &str| {
            map.entry(id.to_owned())
                .or_insert_with(|| SituationStats {
                    situation_id: id.to_owned(),
                    ..SituationStats::default()
                })
                .situation_id
                .clone()
        };
        for (situation, answer, count, first, right) in answers {
            let id = entry(&mut by_id, &situation);
            if let Some(s) = by_id.get_mut(&id) {
                s.answers.push((answer, count));
                s.first_tries += first;
                s.right_first_try += right;
            }
        }
        for (situation, views) in answered {
            let id = entry(&mut by_id, &situation);
            if let Some(s) = by_id.get_mut(&id) {
                s.views += views;
            }
        }
        for (situation, stopped, unanswered) in stopped {
            let id = entry(&mut by_id, &situation);
            if let Some(s) = by_id.get_mut(&id) {
                s.drop_offs += stopped;
                s.views += unanswered;
            }
        }
        Ok(by_id.into_values().collect())
    }

    /// Module starts and completions per arm of a campaign (learners, not
    /// attempts), by arm then module.
    pub async fn learning_by_arm(&self, campaign_id: &str) -> Result<Vec<ArmLearning>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT arm, module_id, COUNT(DISTINCT learner_key) AS starts, \
                 COUNT(DISTINCT CASE WHEN completed_at IS NOT NULL THEN learner_key END) AS completions \
                 FROM learning_progress WHERE campaign_id = $1 AND arm IS NOT NULL \
                 GROUP BY arm, module_id ORDER BY arm, module_id",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await
        })?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(super::median(vec![]), None);
        assert_eq!(super::median(vec![30, 10, 20]), Some(20));
        assert_eq!(super::median(vec![40, 10, 20, 30]), Some(25));
    }
}
