//! The content model of a learning module: one TOML file per module
//! (`content/modules/<id>.toml`, format in README "Modules d'apprentissage").

use serde::Deserialize;

/// One learning module ("parcours"): a scenario of situations.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Module {
    pub id: String,
    pub order: u32,
    /// Bumped on any change of meaning; every stored answer carries it.
    pub version: u32,
    pub title: String,
    pub summary: String,
    pub duration_minutes: u32,
    /// Id of the first situation.
    pub start: String,
    #[serde(default)]
    pub takeaways: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub situations: Vec<Situation>,
    #[serde(default)]
    pub next_steps: Vec<NextStep>,
}

/// A public source backing the facts of the module.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub publisher: String,
    pub url: String,
    /// Date the facts were checked: `"YYYY-MM-DD"` (string or TOML date).
    pub checked: toml::Value,
    #[serde(default)]
    pub facts: String,
}

/// Whether a situation is on the main path or reached after a wrong answer.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Main,
    Remediation,
}

/// Extra context the page shows beside a situation.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    /// The visitor's own CFA (name, phone) when they came from a campaign.
    Cfa,
}

/// One scene, one question, 2 to 4 answers.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    pub id: String,
    pub title: String,
    pub scene: String,
    pub question: String,
    /// Default next situation of every answer; `None` = the module ends.
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default)]
    pub context: Option<Context>,
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// One possible answer with its own feedback.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub id: String,
    pub text: String,
    pub correct: bool,
    pub feedback: String,
    /// Overrides the situation's `next` (branching to a remediation).
    #[serde(default)]
    pub next: Option<String>,
}

/// A link into the site on the end page.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NextStep {
    pub label: String,
    pub href: String,
    /// `"cfa"`: replaced by the visitor's own course page when known.
    #[serde(default)]
    pub personalise: Option<String>,
    /// The route does not exist yet (e.g. `/orientation`).
    #[serde(default)]
    pub soon: bool,
}

impl Module {
    /// Parses one module file.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    pub fn situation(&self, id: &str) -> Option<&Situation> {
        self.situations.iter().find(|s| s.id == id)
    }

    /// Main-path situations (remediations excluded).
    pub fn main_situations(&self) -> usize {
        self.situations
            .iter()
            .filter(|s| s.kind == Kind::Main)
            .count()
    }

    pub fn answers(&self) -> usize {
        self.situations.iter().map(|s| s.answers.len()).sum()
    }
}

impl Situation {
    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.id == id)
    }

    /// Where `answer` leads: its own `next`, else the situation's.
    pub fn next_after<'a>(&'a self, answer: &'a Answer) -> Option<&'a str> {
        answer.next.as_deref().or(self.next.as_deref())
    }
}
