//! Learning modules ("parcours", issue 15): the use cases behind
//! `/parcours` and `/operateur/parcours`. The content comes from
//! `lba_learning` (checked at load), progress and answers from the store;
//! everything returned is a view model with the French typography applied.
//!
//! A learner is a first-party visitor (`v:<uuid>`) or, after a campaign's
//! tracked link, the cohort person (`p:<person id>`) with the campaign and
//! arm of the message. Progress starts at the first answer (a page view
//! alone stores nothing); a restart opens a new attempt and keeps the old
//! answers; a new content version starts afresh.

use std::sync::Arc;

use chrono::{DateTime, Utc};
pub use lba_learning as content;
use lba_learning::typography::{paragraphs, render};
use lba_learning::{Catalogue, Kind, Module};
use lba_store::learning::{Learner as StoreLearner, Progress};

use crate::{Store, StoreError};

/// The campaign template variables of the modules (`{{ parcours.<variable> }}`)
/// and the module ids they link to (content format, shared with the writer).
pub const CAMPAIGN_MODULES: [(&str, &str); 4] = [
    ("contact_cfa", "contact-cfa"),
    ("chercher_employeur", "chercher-employeur"),
    ("entretien", "entretien"),
    ("integration", "integration"),
];

/// The checked modules; cheap to clone.
pub type Modules = Arc<Catalogue>;

/// The modules embedded in the binary, or an empty catalogue (logged) when
/// they do not pass the check (CI runs `lba modules check`).
pub fn embedded_modules() -> Modules {
    match Catalogue::embedded() {
        Ok(catalogue) => Arc::new(catalogue),
        Err(error) => {
            tracing::error!(%error, "learning modules: embedded content invalid");
            Arc::new(Catalogue::default())
        }
    }
}

/// The modules of `dir` (`LBA_MODULES_DIR`).
pub fn modules_from_dir(dir: &std::path::Path) -> Result<Modules, content::LoadError> {
    Catalogue::load_dir(dir).map(Arc::new)
}

pub use crate::attribution::Attribution;

/// Who learns: a visitor id, or the person of a campaign attribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Learner {
    inner: StoreLearner,
}

impl Learner {
    /// `visitor` is the random id of the visitor cookie.
    pub fn new(visitor: &str, attribution: Option<&Attribution>) -> Self {
        let inner = match attribution {
            Some(a) => StoreLearner {
                key: format!("p:{}", a.person_id),
                person_id: Some(a.person_id.clone()),
                campaign_id: Some(a.campaign_id.clone()),
                arm: Some(a.arm.clone()),
            },
            None => StoreLearner {
                key: format!("v:{visitor}"),
                ..StoreLearner::default()
            },
        };
        Self { inner }
    }

    /// The stored learner key.
    pub fn key(&self) -> &str {
        &self.inner.key
    }

    pub fn person_id(&self) -> Option<&str> {
        self.inner.person_id.as_deref()
    }

    /// The stored identity (key, person, campaign, arm), shared with the
    /// orientation experiment.
    pub(crate) fn stored(&self) -> &StoreLearner {
        &self.inner
    }
}

/// Why a learning action is refused.
#[derive(Debug, thiserror::Error)]
pub enum LearningError {
    /// No module with this id (404).
    #[error("ce parcours n'existe pas")]
    UnknownModule,
    /// No situation with this id in the module (422).
    #[error("cette situation n'existe pas dans ce parcours")]
    UnknownSituation,
    /// The answer is not one of the situation's (422).
    #[error("cette réponse n'existe pas pour cette situation")]
    UnknownAnswer,
    /// The situation exists but is not the one waiting for an answer (a
    /// form sent twice, or from an old page): nothing stored.
    #[error("cette situation n'est pas celle en cours")]
    NotCurrent,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where a learner is in a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardState {
    NotStarted,
    InProgress,
    Completed,
}

/// A module on `/parcours`.
#[derive(Clone, Debug)]
pub struct ModuleCard {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub duration_minutes: u32,
    pub situations: usize,
    pub state: CardState,
    /// Main situations answered in the current attempt.
    pub done: usize,
}

fn module<'a>(modules: &'a Modules, id: &str) -> Result<&'a Arc<Module>, LearningError> {
    modules.get(id).ok_or(LearningError::UnknownModule)
}

/// The attempt that counts for `module`: the latest one, on the current
/// content version.
fn live(progress: Option<Progress>, module: &Module) -> Option<Progress> {
    progress.filter(|p| {
        p.version == i64::from(module.version) && module.situation(&p.current_situation).is_some()
    })
}

/// Every module with the learner's progress, in content order.
pub async fn list(
    store: &Store,
    modules: &Modules,
    learner: &Learner,
) -> Result<Vec<ModuleCard>, StoreError> {
    let progress = store.learning_progress_all(learner.key()).await?;
    let mut cards = Vec::new();
    for m in modules.modules() {
        let p = live(progress.iter().find(|p| p.module_id == m.id).cloned(), m);
        let (state, done) = match &p {
            None => (CardState::NotStarted, 0),
            Some(p) if p.completed_at.is_some() => (CardState::Completed, m.main_situations()),
            Some(p) => (
                CardState::InProgress,
                main_position(m, &p.current_situation).saturating_sub(1),
            ),
        };
        cards.push(ModuleCard {
            id: m.id.clone(),
            title: render(&m.title),
            summary: render(&m.summary),
            duration_minutes: m.duration_minutes,
            situations: m.main_situations(),
            state,
            done,
        });
    }
    Ok(cards)
}

/// 1-based position of a situation among the main ones (a remediation
/// counts as the main situation before it).
fn main_position(module: &Module, situation: &str) -> usize {
    let mut position = 0;
    for s in &module.situations {
        if s.kind == Kind::Main {
            position += 1;
        }
        if s.id == situation {
            break;
        }
    }
    position.max(1)
}

/// One situation, ready to show.
#[derive(Clone, Debug)]
pub struct SituationView {
    pub id: String,
    pub title: String,
    pub scene: Vec<String>,
    pub question: String,
    /// (id, text).
    pub answers: Vec<(String, String)>,
    pub position: usize,
    pub total: usize,
    pub remediation: bool,
    /// The page may show the learner's CFA.
    pub context_cfa: bool,
}

/// The feedback of the last answer.
#[derive(Clone, Debug)]
pub struct FeedbackView {
    pub situation_title: String,
    pub question: String,
    pub answer: String,
    pub correct: bool,
    pub feedback: Vec<String>,
    /// "Continuer" ends the module.
    pub last: bool,
    pub position: usize,
    pub total: usize,
}

/// A next step of the end page.
#[derive(Clone, Debug)]
pub struct NextStepView {
    pub label: String,
    pub href: String,
    pub soon: bool,
    /// `personalise = "cfa"`: the page may replace `href` by the learner's
    /// course page.
    pub personalise_cfa: bool,
}

/// The end page.
#[derive(Clone, Debug)]
pub struct EndView {
    pub takeaways: Vec<String>,
    pub next_steps: Vec<NextStepView>,
}

/// What `/parcours/{module}` shows.
#[derive(Clone, Debug)]
pub enum StepView {
    Situation(SituationView),
    Feedback(FeedbackView),
    End(EndView),
}

/// A module page: the module and the current step.
#[derive(Clone, Debug)]
pub struct ModulePage {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub step: StepView,
}

fn situation_view(module: &Module, s: &content::Situation) -> SituationView {
    SituationView {
        id: s.id.clone(),
        title: render(&s.title),
        scene: paragraphs(&s.scene),
        question: render(&s.question),
        answers: s
            .answers
            .iter()
            .map(|a| (a.id.clone(), render(&a.text)))
            .collect(),
        position: main_position(module, &s.id),
        total: module.main_situations(),
        remediation: s.kind == Kind::Remediation,
        context_cfa: s.context == Some(content::Context::Cfa),
    }
}

/// The current step of `learner` in `module_id` (nothing stored).
pub async fn current(
    store: &Store,
    modules: &Modules,
    learner: &Learner,
    module_id: &str,
) -> Result<ModulePage, LearningError> {
    let m = module(modules, module_id)?;
    let progress = live(store.learning_progress(learner.key(), &m.id).await?, m);
    let step = match progress {
        Some(p) if p.completed_at.is_some() => StepView::End(EndView {
            takeaways: m.takeaways.iter().map(|t| render(t)).collect(),
            next_steps: m
                .next_steps
                .iter()
                .map(|n| NextStepView {
                    label: render(&n.label),
                    href: n.href.clone(),
                    soon: n.soon,
                    personalise_cfa: n.personalise.as_deref() == Some("cfa"),
                })
                .collect(),
        }),
        Some(p) => {
            let s = m
                .situation(&p.current_situation)
                .ok_or(LearningError::UnknownSituation)?;
            match p
                .pending_answer
                .as_deref()
                .and_then(|a| m.step(&s.id, a).ok())
            {
                Some(outcome) => StepView::Feedback(FeedbackView {
                    situation_title: render(&s.title),
                    question: render(&s.question),
                    answer: render(&outcome.answer.text),
                    correct: outcome.correct,
                    feedback: paragraphs(outcome.feedback),
                    last: outcome.next.is_none(),
                    position: main_position(m, &s.id),
                    total: m.main_situations(),
                }),
                None => StepView::Situation(situation_view(m, s)),
            }
        }
        None => {
            let s = m
                .situation(&m.start)
                .ok_or(LearningError::UnknownSituation)?;
            StepView::Situation(situation_view(m, s))
        }
    };
    Ok(ModulePage {
        id: m.id.clone(),
        title: render(&m.title),
        version: m.version,
        step,
    })
}

/// Records `answer_id` to `situation_id`: the module, the situation and the
/// answer must exist, the answer must belong to the situation, and the
/// situation must be the one waiting for an answer (the start situation
/// opens the first attempt). Nothing is stored otherwise.
pub async fn answer(
    store: &Store,
    modules: &Modules,
    learner: &Learner,
    module_id: &str,
    situation_id: &str,
    answer_id: &str,
    now: DateTime<Utc>,
) -> Result<(), LearningError> {
    let m = module(modules, module_id)?;
    let outcome = m.step(situation_id, answer_id).map_err(|e| match e {
        content::NavError::UnknownSituation(_) => LearningError::UnknownSituation,
        content::NavError::UnknownAnswer { .. } => LearningError::UnknownAnswer,
    })?;
    let progress = match live(store.learning_progress(learner.key(), &m.id).await?, m) {
        Some(p) => p,
        None if situation_id == m.start => {
            store
                .learning_start(&learner.inner, &m.id, i64::from(m.version), &m.start, now)
                .await?
        }
        None => return Err(LearningError::NotCurrent),
    };
    if progress.current_situation != situation_id
        || progress.pending_answer.is_some()
        || progress.completed_at.is_some()
    {
        return Err(LearningError::NotCurrent);
    }
    if store
        .learning_answer(&learner.inner, &progress, answer_id, outcome.correct, now)
        .await?
    {
        Ok(())
    } else {
        Err(LearningError::NotCurrent)
    }
}

/// Leaves the feedback: the next situation, or the end of the module.
/// Nothing happens when no feedback is shown.
pub async fn next(
    store: &Store,
    modules: &Modules,
    learner: &Learner,
    module_id: &str,
    now: DateTime<Utc>,
) -> Result<(), LearningError> {
    let m = module(modules, module_id)?;
    let Some(progress) = live(store.learning_progress(learner.key(), &m.id).await?, m) else {
        return Ok(());
    };
    let Some(pending) = progress.pending_answer.as_deref() else {
        return Ok(());
    };
    let Ok(outcome) = m.step(&progress.current_situation, pending) else {
        return Ok(());
    };
    store
        .learning_continue(&progress, outcome.next, now)
        .await?;
    Ok(())
}

/// A new attempt from the start (old answers are kept).
pub async fn restart(
    store: &Store,
    modules: &Modules,
    learner: &Learner,
    module_id: &str,
    now: DateTime<Utc>,
) -> Result<(), LearningError> {
    let m = module(modules, module_id)?;
    store
        .learning_start(&learner.inner, &m.id, i64::from(m.version), &m.start, now)
        .await?;
    Ok(())
}

/// The name and phone of the CFA of a person's main wish, from the search
/// index, when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfaContact {
    pub name: String,
    pub phone: Option<String>,
    /// The course page (`/formation/{id}`).
    pub href: String,
}

/// The CFA of the person's main wish, `None` when unknown.
pub async fn person_cfa(
    store: &Store,
    search: &crate::Search,
    person_id: &str,
) -> Result<Option<CfaContact>, StoreError> {
    let Some(person) = store.cohort_person(person_id).await? else {
        return Ok(None);
    };
    let Some(id) = person.main_wish().and_then(|w| w.formation_id.clone()) else {
        return Ok(None);
    };
    Ok(search.snapshot().formations.get(&id).map(|f| CfaContact {
        name: f.cfa_name.clone(),
        phone: f.phone.clone(),
        href: format!("/formation/{}", f.id),
    }))
}

mod stats;

pub use stats::{
    AnswerCount, ArmModules, ModuleStatsView, SituationStatsView, by_arm, stats, stats_csv,
};
