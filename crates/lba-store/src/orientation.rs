//! The orientation experiment (issue 16): the results pages shown (method
//! and presentation of the visitor's arm, the questionnaire, the métiers
//! proposed), what followed them, and the counts per arm.

use chrono::{DateTime, Utc};

use crate::backend::{in_tx, with_pool};
use crate::{Store, StoreError};

/// A results page about to be recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewView {
    /// `v:<uuid>` or `p:<person id>`.
    pub visitor_key: String,
    pub person_id: Option<String>,
    pub campaign_id: Option<String>,
    pub arm: Option<String>,
    /// `interets` or `avenir`.
    pub method: String,
    /// `avec_tension` or `sans_tension`.
    pub presentation: String,
    /// The questionnaire as a canonical string.
    pub query_key: String,
    /// Chosen centres, in order ("14,27,1").
    pub interests: String,
    pub ordered: bool,
    pub level: Option<i64>,
    pub commune_insee: Option<String>,
    pub departement: Option<String>,
    /// (rank from 1, ROME code, score) of each métier proposed.
    pub suggestions: Vec<(i64, String, f64)>,
}

/// A suggestion of a recorded view.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ShownSuggestion {
    pub view_id: i64,
    pub visitor_key: String,
    pub rank: i64,
    pub rome: String,
    pub commune_insee: Option<String>,
}

/// What followed a suggestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowUpKind {
    /// The ROME fiche was opened.
    Fiche,
    /// A search of the métier near the place was started.
    Search,
    /// An application was sent afterwards (not tied to one suggestion).
    Application,
}

impl FollowUpKind {
    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Fiche => "fiche",
            Self::Search => "recherche",
            Self::Application => "candidature",
        }
    }
}

/// The counts of one arm of the experiment (method × presentation).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArmCounts {
    pub method: String,
    pub presentation: String,
    /// Distinct visitors shown results.
    pub visitors: i64,
    /// Results pages recorded.
    pub views: i64,
    /// Suggestions shown (métiers × pages).
    pub suggestions: i64,
    /// Distinct visitors who opened a fiche from a suggestion.
    pub fiche_visitors: i64,
    /// … who started a search from a suggestion.
    pub search_visitors: i64,
    /// … who started a learning module after seeing results.
    pub module_visitors: i64,
    /// … who sent an application after seeing results.
    pub application_visitors: i64,
    /// Clicks (fiche and search) in all.
    pub clicks: i64,
}

impl Store {
    /// The latest view of `visitor_key` for the same questionnaire since
    /// `since` (a reload), if any.
    pub async fn orientation_recent_view(
        &self,
        visitor_key: &str,
        query_key: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM orientation_views WHERE visitor_key = $1 AND query_key = $2 \
                 AND shown_at >= $3 ORDER BY id DESC LIMIT 1",
            )
            .bind(visitor_key)
            .bind(query_key)
            .bind(since)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Records a results page and its suggestions in one transaction; its id.
    pub async fn orientation_record_view(
        &self,
        view: &NewView,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let ids = self.orientation_record_views(&[(view, now)]).await?;
        ids.first()
            .copied()
            .ok_or(StoreError::Sql(sqlx::Error::RowNotFound))
    }

    /// Records several results pages and their suggestions in one
    /// transaction (the group commit of `lba_app::orientation`): their ids,
    /// in order. All or nothing.
    pub async fn orientation_record_views(
        &self,
        views: &[(&NewView, DateTime<Utc>)],
    ) -> Result<Vec<i64>, StoreError> {
        let ids = in_tx!(self, |tx| {
            let mut ids = Vec::with_capacity(views.len());
            for (view, now) in views {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO orientation_views (visitor_key, person_id, campaign_id, arm, \
                     method, presentation, query_key, interests, ordered, level, commune_insee, \
                     departement, shown_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                     $11, $12, $13) RETURNING id",
                )
                .bind(&view.visitor_key)
                .bind(&view.person_id)
                .bind(&view.campaign_id)
                .bind(&view.arm)
                .bind(&view.method)
                .bind(&view.presentation)
                .bind(&view.query_key)
                .bind(&view.interests)
                .bind(view.ordered)
                .bind(view.level)
                .bind(&view.commune_insee)
                .bind(&view.departement)
                .bind(*now)
                .fetch_one(&mut *tx)
                .await?;
                // One statement for the ten rows.
                if !view.suggestions.is_empty() {
                    let mut insert = sqlx::QueryBuilder::new(
                        "INSERT INTO orientation_suggestions (view_id, rank, rome, score) ",
                    );
                    insert.push_values(&view.suggestions, |mut row, (rank, rome, score)| {
                        row.push_bind(id)
                            .push_bind(*rank)
                            .push_bind(rome.as_str())
                            .push_bind(*score);
                    });
                    insert.build().execute(&mut *tx).await?;
                }
                ids.push(id);
            }
            ids
        });
        Ok(ids)
    }

    /// Suggestion `rank` of view `view_id`, with the view's visitor.
    pub async fn orientation_suggestion(
        &self,
        view_id: i64,
        rank: i64,
    ) -> Result<Option<ShownSuggestion>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT s.view_id, v.visitor_key, s.rank, s.rome, v.commune_insee \
                 FROM orientation_suggestions s JOIN orientation_views v ON v.id = s.view_id \
                 WHERE s.view_id = $1 AND s.rank = $2",
            )
            .bind(view_id)
            .bind(rank)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// The latest view of `visitor_key` since `since`.
    pub async fn orientation_latest_view(
        &self,
        visitor_key: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM orientation_views WHERE visitor_key = $1 AND shown_at >= $2 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(visitor_key)
            .bind(since)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Records what followed view `view_id` (`rank`/`rome`: the suggestion).
    pub async fn orientation_follow_up(
        &self,
        view_id: i64,
        kind: FollowUpKind,
        suggestion: Option<(i64, &str)>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO orientation_follow_ups (view_id, kind, rank, rome, at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(view_id)
            .bind(kind.as_str())
            .bind(suggestion.map(|(rank, _)| rank))
            .bind(suggestion.map(|(_, rome)| rome))
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The counts of every arm of the experiment, by method then
    /// presentation.
    pub async fn orientation_arm_counts(&self) -> Result<Vec<ArmCounts>, StoreError> {
        type Key = (String, String);
        let views: Vec<(String, String, i64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT method, presentation, COUNT(DISTINCT visitor_key), COUNT(*) \
                 FROM orientation_views GROUP BY method, presentation",
            )
            .fetch_all(pool)
            .await
        })?;
        let suggestions: Vec<(String, String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT v.method, v.presentation, COUNT(*) FROM orientation_suggestions s \
                 JOIN orientation_views v ON v.id = s.view_id GROUP BY v.method, v.presentation",
            )
            .fetch_all(pool)
            .await
        })?;
        let follow_ups: Vec<(String, String, String, i64, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT v.method, v.presentation, f.kind, COUNT(DISTINCT v.visitor_key), COUNT(*) \
                 FROM orientation_follow_ups f JOIN orientation_views v ON v.id = f.view_id \
                 GROUP BY v.method, v.presentation, f.kind",
            )
            .fetch_all(pool)
            .await
        })?;
        let modules: Vec<(String, String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT v.method, v.presentation, COUNT(DISTINCT v.visitor_key) \
                 FROM orientation_views v WHERE EXISTS (SELECT 1 FROM learning_progress p \
                 WHERE p.learner_key = v.visitor_key AND p.started_at >= v.shown_at) \
                 GROUP BY v.method, v.presentation",
            )
            .fetch_all(pool)
            .await
        })?;
        let mut out: Vec<ArmCounts> = views
            .into_iter()
            .map(|(method, presentation, visitors, views)| ArmCounts {
                method,
                presentation,
                visitors,
                views,
                ..ArmCounts::default()
            })
            .collect();
        out.sort_by(|a, b| (&a.method, &a.presentation).cmp(&(&b.method, &b.presentation)));
        let find = |out: &mut Vec<ArmCounts>, key: &Key| -> Option<usize> {
            out.iter()
                .position(|a| a.method == key.0 && a.presentation == key.1)
        };
        for (m, p, n) in suggestions {
            if let Some(i) = find(&mut out, &(m, p)) {
                out[i].suggestions = n;
            }
        }
        for (m, p, kind, visitors, n) in follow_ups {
            if let Some(i) = find(&mut out, &(m, p)) {
                let arm = &mut out[i];
                match kind.as_str() {
                    "fiche" => {
                        arm.fiche_visitors = visitors;
                        arm.clicks += n;
                    }
                    "recherche" => {
                        arm.search_visitors = visitors;
                        arm.clicks += n;
                    }
                    "candidature" => arm.application_visitors = visitors,
                    _ => {}
                }
            }
        }
        for (m, p, n) in modules {
            if let Some(i) = find(&mut out, &(m, p)) {
                out[i].module_visitors = n;
            }
        }
        Ok(out)
    }
}
