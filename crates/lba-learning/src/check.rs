//! `check`: every rule of the content format, with errors naming the file,
//! the situation and the answer.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use crate::model::{Kind, Module};
use crate::readability;
use crate::typography;

/// Main situations per module.
pub const MAIN_SITUATIONS: std::ops::RangeInclusive<usize> = 8..=12;
/// Remediation situations per module, at most.
pub const MAX_REMEDIATIONS: usize = 4;
/// Sentences per scene.
pub const SCENE_SENTENCES: std::ops::RangeInclusive<usize> = 2..=6;
/// Answers per situation.
pub const ANSWERS: std::ops::RangeInclusive<usize> = 2..=4;
/// "À retenir" points.
pub const TAKEAWAYS: std::ops::RangeInclusive<usize> = 3..=5;
/// Minimum Kandel–Moles score of scenes and feedbacks.
pub const MIN_READABILITY: f64 = 70.0;

/// Routes of the site a next step may link to (`href` is one of them, or
/// starts with one followed by `?`). `/parcours/{id}` of a known module is
/// allowed too.
pub const KNOWN_ROUTES: &[&str] = &["/", "/recherche", "/parcours", "/orientation"];
/// Routes that do not exist yet: allowed only with `soon = true`.
pub const SOON_ROUTES: &[&str] = &["/espace-pro"];

/// One content problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub situation: Option<String>,
    pub answer: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(situation) = &self.situation {
            write!(f, ", situation « {situation} »")?;
        }
        if let Some(answer) = &self.answer {
            write!(f, ", réponse « {answer} »")?;
        }
        write!(f, " : {}", self.message)
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

struct Report<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

impl Report<'_> {
    fn at(&mut self, situation: Option<&str>, answer: Option<&str>, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            situation: situation.map(str::to_owned),
            answer: answer.map(str::to_owned),
            message: message.into(),
        });
    }

    fn module(&mut self, message: impl Into<String>) {
        self.at(None, None, message);
    }

    fn text(&mut self, situation: Option<&str>, answer: Option<&str>, what: &str, text: &str) {
        for problem in typography::problems(text) {
            self.at(situation, answer, format!("{what} : {problem}"));
        }
    }

    fn readable(&mut self, situation: Option<&str>, answer: Option<&str>, what: &str, text: &str) {
        let score = readability::kandel_moles(text);
        if score < MIN_READABILITY {
            self.at(
                situation,
                answer,
                format!(
                    "{what} trop difficile à lire (Kandel–Moles {score:.0} < {MIN_READABILITY:.0} : phrases plus courtes, mots plus simples)"
                ),
            );
        }
    }
}

fn href_allowed(href: &str, soon: bool, module_ids: &[&str]) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or_default();
    if KNOWN_ROUTES.contains(&path) {
        return true;
    }
    if let Some(id) = path.strip_prefix("/parcours/") {
        return module_ids.contains(&id);
    }
    soon && SOON_ROUTES.contains(&path)
}

/// Checks one parsed module. `file` names it in the errors (its stem must be
/// the module id); `module_ids` are the ids of every module (for
/// `/parcours/{id}` links).
pub fn check_module(file: &str, module: &Module, module_ids: &[&str]) -> Vec<Problem> {
    let mut r = Report {
        file,
        problems: Vec::new(),
    };
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".toml");
    if !valid_id(&module.id) {
        r.module(format!(
            "id « {} » : lettres minuscules, chiffres et tirets",
            module.id
        ));
    }
    if stem != module.id {
        r.module(format!("le fichier doit s'appeler {}.toml", module.id));
    }
    if module.version == 0 {
        r.module("version doit être 1 ou plus");
    }
    if module.duration_minutes == 0 {
        r.module("duration_minutes doit être 1 ou plus");
    }
    for (what, text) in [("title", &module.title), ("summary", &module.summary)] {
        if text.trim().is_empty() {
            r.module(format!("{what} est vide"));
        }
        r.text(None, None, what, text);
    }

    // Situations and answers.
    let main = module.main_situations();
    if !MAIN_SITUATIONS.contains(&main) {
        r.module(format!(
            "{main} situations principales (il en faut de {} à {})",
            MAIN_SITUATIONS.start(),
            MAIN_SITUATIONS.end()
        ));
    }
    let remediations = module.situations.len() - main;
    if remediations > MAX_REMEDIATIONS {
        r.module(format!(
            "{remediations} situations de remédiation (au plus {MAX_REMEDIATIONS})"
        ));
    }
    let mut ids = BTreeSet::new();
    for s in &module.situations {
        let sid = Some(s.id.as_str());
        if !valid_id(&s.id) {
            r.at(sid, None, "id : lettres minuscules, chiffres et tirets");
        }
        if !ids.insert(s.id.as_str()) {
            r.at(sid, None, "id en double");
        }
        if s.title.trim().is_empty() {
            r.at(sid, None, "title est vide");
        }
        let sentences = readability::sentences(&s.scene);
        if !SCENE_SENTENCES.contains(&sentences) {
            r.at(
                sid,
                None,
                format!(
                    "scene de {sentences} phrases (il en faut de {} à {})",
                    SCENE_SENTENCES.start(),
                    SCENE_SENTENCES.end()
                ),
            );
        }
        r.readable(sid, None, "scene", &s.scene);
        if s.question.trim().is_empty() {
            r.at(sid, None, "question est vide");
        }
        for (what, text) in [
            ("title", &s.title),
            ("scene", &s.scene),
            ("question", &s.question),
        ] {
            r.text(sid, None, what, text);
        }
        if !ANSWERS.contains(&s.answers.len()) {
            r.at(
                sid,
                None,
                format!(
                    "{} réponses (il en faut de {} à {})",
                    s.answers.len(),
                    ANSWERS.start(),
                    ANSWERS.end()
                ),
            );
        }
        if !s.answers.iter().any(|a| a.correct) {
            r.at(sid, None, "aucune réponse avec correct = true");
        }
        let mut answer_ids = BTreeSet::new();
        for a in &s.answers {
            let aid = Some(a.id.as_str());
            if !valid_id(&a.id) {
                r.at(sid, aid, "id : lettres minuscules, chiffres et tirets");
            }
            if !answer_ids.insert(a.id.as_str()) {
                r.at(sid, aid, "id en double dans la situation");
            }
            if a.text.trim().is_empty() {
                r.at(sid, aid, "text est vide");
            }
            if a.feedback.trim().is_empty() {
                r.at(sid, aid, "feedback est vide");
            } else {
                r.readable(sid, aid, "feedback", &a.feedback);
            }
            r.text(sid, aid, "text", &a.text);
            r.text(sid, aid, "feedback", &a.feedback);
        }
    }

    // The graph: `next` targets, reachability, no dead end, remediations.
    let kinds: BTreeMap<&str, Kind> = module
        .situations
        .iter()
        .map(|s| (s.id.as_str(), s.kind))
        .collect();
    match kinds.get(module.start.as_str()) {
        None => r.module(format!("start « {} » : situation inconnue", module.start)),
        Some(Kind::Remediation) => r.module("start ne peut pas être une remédiation"),
        Some(Kind::Main) => {}
    }
    // Edges: (from, to or None = end).
    let mut edges: BTreeMap<&str, BTreeSet<Option<&str>>> = BTreeMap::new();
    for s in &module.situations {
        let sid = Some(s.id.as_str());
        if let Some(next) = &s.next
            && !kinds.contains_key(next.as_str())
        {
            r.at(sid, None, format!("next « {next} » : situation inconnue"));
        }
        for a in &s.answers {
            let aid = Some(a.id.as_str());
            if let Some(next) = &a.next
                && !kinds.contains_key(next.as_str())
            {
                r.at(sid, aid, format!("next « {next} » : situation inconnue"));
            }
            let target = s.next_after(a);
            if let Some(target) = target
                && kinds.get(target) == Some(&Kind::Remediation)
                && a.correct
            {
                r.at(
                    sid,
                    aid,
                    format!("une bonne réponse mène à la remédiation « {target} » (réservée aux mauvaises réponses)"),
                );
            }
            edges
                .entry(s.id.as_str())
                .or_default()
                .insert(target.filter(|t| kinds.contains_key(t)));
        }
    }
    let mut reached = BTreeSet::new();
    let mut queue = VecDeque::new();
    if kinds.contains_key(module.start.as_str()) {
        queue.push_back(module.start.as_str());
        reached.insert(module.start.as_str());
    }
    while let Some(id) = queue.pop_front() {
        for next in edges.get(id).into_iter().flatten().flatten() {
            if reached.insert(next) {
                queue.push_back(next);
            }
        }
    }
    // Situations from which the end is reachable (backwards from the ends).
    let mut ending: BTreeSet<&str> = edges
        .iter()
        .filter(|(_, targets)| targets.contains(&None))
        .map(|(id, _)| *id)
        .collect();
    loop {
        let before = ending.len();
        for (id, targets) in &edges {
            if targets.iter().flatten().any(|t| ending.contains(t)) {
                ending.insert(id);
            }
        }
        if ending.len() == before {
            break;
        }
    }
    for s in &module.situations {
        let sid = Some(s.id.as_str());
        if !reached.contains(s.id.as_str()) {
            r.at(sid, None, "situation inaccessible depuis start");
        }
        if !ending.contains(s.id.as_str()) {
            r.at(
                sid,
                None,
                "impasse : la fin du module est inaccessible depuis cette situation",
            );
        }
    }

    // End page.
    if !TAKEAWAYS.contains(&module.takeaways.len()) {
        r.module(format!(
            "{} points « À retenir » (il en faut de {} à {})",
            module.takeaways.len(),
            TAKEAWAYS.start(),
            TAKEAWAYS.end()
        ));
    }
    for takeaway in &module.takeaways {
        r.text(None, None, "takeaways", takeaway);
    }
    if module.next_steps.len() < 2 {
        r.module("il faut au moins 2 next_steps");
    }
    for step in &module.next_steps {
        r.text(None, None, "next_steps.label", &step.label);
        if !href_allowed(&step.href, step.soon, module_ids) {
            r.module(format!(
                "next_steps : « {} » n'est pas une route connue du site (connues : {}, /parcours/<module> ; bientôt, avec soon = true : {})",
                step.href,
                KNOWN_ROUTES.join(", "),
                SOON_ROUTES.join(", ")
            ));
        }
        if let Some(personalise) = &step.personalise
            && personalise != "cfa"
        {
            r.module(format!(
                "next_steps : personalise « {personalise} » inconnu (seul « cfa » existe)"
            ));
        }
    }

    // Sources.
    if module.sources.is_empty() {
        r.module("il faut au moins une source ([[sources]])");
    }
    for source in &module.sources {
        let date = match &source.checked {
            toml::Value::String(text) => {
                chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
            }
            toml::Value::Datetime(datetime) => datetime.date.is_some() && datetime.time.is_none(),
            _ => false,
        };
        if !date {
            r.module(format!(
                "source « {} » : checked doit être une date AAAA-MM-JJ",
                source.title
            ));
        }
        if !source.url.starts_with("https://") && !source.url.starts_with("http://") {
            r.module(format!(
                "source « {} » : url doit commencer par https://",
                source.title
            ));
        }
    }
    r.problems
}

/// Parses and checks every `(file name, content)`; returns the parsed
/// modules (sorted by `order`) and every problem (empty = valid).
pub fn check_files(files: &[(String, String)]) -> (Vec<Module>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut modules = Vec::new();
    for (file, text) in files {
        match Module::parse(text) {
            Ok(module) => modules.push((file.clone(), module)),
            Err(error) => problems.push(Problem {
                file: file.clone(),
                situation: None,
                answer: None,
                message: format!("TOML illisible : {}", error.to_string().trim()),
            }),
        }
    }
    let ids: Vec<&str> = modules.iter().map(|(_, m)| m.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    for (file, module) in &modules {
        if !seen.insert(module.id.as_str()) {
            problems.push(Problem {
                file: file.clone(),
                situation: None,
                answer: None,
                message: format!("id « {} » déjà utilisé par un autre fichier", module.id),
            });
        }
        problems.extend(check_module(file, module, &ids));
    }
    let mut modules: Vec<Module> = modules.into_iter().map(|(_, m)| m).collect();
    modules.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    (modules, problems)
}
