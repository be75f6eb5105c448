//! Navigation through a module: given a situation and an answer, the
//! feedback, whether it was right and where to go next.

use crate::model::{Answer, Module, Situation};

/// Why an answer cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NavError {
    #[error("situation inconnue : {0}")]
    UnknownSituation(String),
    #[error("la réponse {answer} n'existe pas dans la situation {situation}")]
    UnknownAnswer { situation: String, answer: String },
}

/// The outcome of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<'a> {
    pub situation: &'a Situation,
    pub answer: &'a Answer,
    pub correct: bool,
    pub feedback: &'a str,
    /// The next situation, or `None` when the module ends.
    pub next: Option<&'a str>,
}

impl Module {
    /// Applies `answer` to `situation`.
    pub fn step<'a>(&'a self, situation: &str, answer: &str) -> Result<Outcome<'a>, NavError> {
        let s = self
            .situation(situation)
            .ok_or_else(|| NavError::UnknownSituation(situation.to_owned()))?;
        let a = s.answer(answer).ok_or_else(|| NavError::UnknownAnswer {
            situation: situation.to_owned(),
            answer: answer.to_owned(),
        })?;
        Ok(Outcome {
            situation: s,
            answer: a,
            correct: a.correct,
            feedback: &a.feedback,
            next: s.next_after(a),
        })
    }
}
