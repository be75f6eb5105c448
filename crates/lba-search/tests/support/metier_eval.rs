//! Evaluation sets of the métier autocomplete, drawn with a fixed seed from
//! the real ROME appellations (issue 20, relevance): what a young person
//! types for a job title, as typed, with one typo, or spelt by ear. A case
//! succeeds when the appellation's ROME code is among the codes of the first
//! three suggestions. Shared by the integration test (a smaller draw, with
//! floors) and `cargo run --release -p lba-search --example metier_eval`.
//!
//! The queries are built from the appellation's masculine form (before
//! " / "), when it has one to three words once French stop words are left
//! out, accents dropped (young people rarely type them):
//! - **natural**: those words;
//! - **one typo**: one letter substituted, dropped, doubled, or two
//!   neighbouring letters swapped, anywhere in one word of 4 letters or
//!   more;
//! - **phonetic**: one or two French sound-alike spellings applied (general
//!   rules of French spelling, listed in [`SOUND_ALIKES`], not examples).

#![allow(
    clippy::expect_used,
    dead_code,
    reason = "test support: fails loudly; each includer uses a part"
)]

use lba_core::ids::CodeRome;
use lba_core::referential::ReferentialData;
use lba_core::text::tokens;
use lba_search::MetierIndex;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// French words a query may leave out.
const STOP_WORDS: [&str; 17] = [
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "sous", "sur",
    "un", "une",
];

/// How a query is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Natural,
    OneTypo,
    Phonetic,
}

/// One query and the métier it should find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub query: String,
    pub rome: CodeRome,
    /// The appellation it comes from.
    pub appellation: String,
}

/// French sound-alike spellings: (what is written, what is heard the same
/// and written instead). Applied anywhere in a word unless the pattern
/// starts with `^` (word start) or ends with `$` (word end).
pub const SOUND_ALIKES: &[(&str, &[&str])] = &[
    // Final « -er », « -é », « -ez », « -et » sound the same.
    ("er$", &["e", "ez", "ai"]),
    ("e$", &[""]),
    ("eur$", &["eure", "eurs"]),
    ("euse$", &["euze", "euz"]),
    ("ien$", &["iein", "iain", "ian"]),
    ("ienne$", &["iene", "ien"]),
    ("ier$", &["ie", "iez", "yer"]),
    ("if$", &["iff"]),
    ("ique$", &["ik", "ic", "ike"]),
    ("ant$", &["an", "en", "ent"]),
    ("ent$", &["ant", "an"]),
    ("ment$", &["man", "mant"]),
    ("eau", &["o", "au"]),
    ("au", &["o", "eau"]),
    ("ai", &["e", "ei"]),
    ("ei", &["e", "ai"]),
    ("ph", &["f"]),
    ("th", &["t"]),
    ("qu", &["k", "c"]),
    ("ca", &["ka"]),
    ("co", &["ko"]),
    ("cu", &["ku"]),
    ("ce", &["se"]),
    ("ci", &["si"]),
    ("ge", &["je"]),
    ("gi", &["ji"]),
    ("tion", &["sion", "ssion", "cion"]),
    ("ss", &["s", "c"]),
    ("ll", &["l"]),
    ("mm", &["m"]),
    ("nn", &["n"]),
    ("tt", &["t"]),
    ("pp", &["p"]),
    ("ff", &["f"]),
    ("rr", &["r"]),
    ("cc", &["c", "k"]),
    ("ette", &["ete", "aite"]),
    ("elle", &["ele", "ell"]),
    ("an", &["en"]),
    ("en", &["an"]),
    ("am", &["em", "an"]),
    ("ain", &["in", "ein"]),
    ("ein", &["in", "ain"]),
    ("y", &["i"]),
    ("^h", &[""]),
    ("x$", &["s", ""]),
    ("s$", &[""]),
    ("t$", &[""]),
    ("d$", &[""]),
    ("c$", &["k", "que"]),
    ("ou", &["oo"]),
    ("oi", &["oa", "wa"]),
    ("gn", &["ni"]),
    ("ch", &["sh"]),
];

/// The sound-alike rewrites possible in `word`: (byte position, pattern
/// length, replacement).
fn rewrites(word: &str) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    for &(pattern, replacements) in SOUND_ALIKES {
        let (start, end) = (pattern.starts_with('^'), pattern.ends_with('$'));
        let core = pattern.trim_start_matches('^').trim_end_matches('$');
        // A word keeps at least 3 letters of its own.
        if word.len() < core.len() + 3 {
            continue;
        }
        let positions: Vec<usize> = if start {
            word.starts_with(core).then_some(0).into_iter().collect()
        } else if end {
            word.ends_with(core)
                .then(|| word.len() - core.len())
                .into_iter()
                .collect()
        } else {
            word.match_indices(core).map(|(i, _)| i).collect()
        };
        for at in positions {
            for &r in replacements {
                out.push((at, core.len(), r));
            }
        }
    }
    out
}

/// The words of an appellation's masculine form without stop words, when
/// there are one to three.
fn words(label: &str) -> Option<Vec<String>> {
    // "Eleveur / Eleveuse de reptiles" is "Eleveur de reptiles": the
    // feminine form's first words give way to the masculine ones.
    let mut words = match label.split_once(" / ") {
        Some((masculine, feminine)) => {
            let mut words = tokens(masculine);
            words.extend(tokens(feminine).into_iter().skip(words.len()));
            words
        }
        None => tokens(label),
    };
    words.retain(|w| !STOP_WORDS.contains(&w.as_str()));
    let words: Vec<String> = words
        .into_iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect();
    (1..=3).contains(&words.len()).then_some(words)
}

/// Words this long or longer may get a typo.
pub const TYPO_WORD_MIN: usize = 4;

/// One typo in `word` (at any letter; two letters at least).
fn typo(word: &str, rng: &mut ChaCha8Rng) -> String {
    let mut b: Vec<u8> = word.bytes().collect();
    let i = rng.random_range(0..b.len());
    match rng.random_range(0..4) {
        0 => {
            let mut c = b'a' + rng.random_range(0..26u8);
            while c == b[i] {
                c = b'a' + rng.random_range(0..26u8);
            }
            b[i] = c;
        }
        1 => {
            b.remove(i);
        }
        2 => b.insert(i, b[i]),
        _ => {
            let j = if i + 1 < b.len() {
                i + 1
            } else {
                i.saturating_sub(1)
            };
            if b[i] == b[j] {
                b.remove(i);
            } else {
                b.swap(i, j);
            }
        }
    }
    String::from_utf8(b).expect("ASCII words")
}

/// `n` cases of `kind`, drawn with `seed` (fewer when the appellations run
/// out).
///
/// A typo or a sound-alike is applied to the fewest first words that find
/// the métier when typed correctly ("boulanger", not "boulanger de
/// pâtisserie"): what is left to test is the spelling, not a vague query.
pub fn cases(
    data: &ReferentialData,
    index: &MetierIndex,
    kind: Kind,
    n: usize,
    seed: u64,
) -> Vec<Case> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut pool: Vec<(Vec<String>, &lba_core::referential::AppellationRef)> = data
        .appellations
        .iter()
        .filter_map(|a| Some((words(&a.label)?, a)))
        .collect();
    let mut out = Vec::with_capacity(n);
    while out.len() < n && !pool.is_empty() {
        let (mut ws, a) = pool.swap_remove(rng.random_range(0..pool.len()));
        if kind != Kind::Natural {
            let found = |k: usize| {
                index
                    .search(&ws[..k].join(" "), 3)
                    .iter()
                    .any(|h| h.romes.contains(&a.rome))
            };
            let Some(k) = (1..=ws.len()).find(|&k| found(k)) else {
                continue;
            };
            ws.truncate(k);
        }
        match kind {
            Kind::Natural => {}
            Kind::OneTypo => {
                let long: Vec<usize> = (0..ws.len())
                    .filter(|&i| ws[i].len() >= TYPO_WORD_MIN)
                    .collect();
                if long.is_empty() {
                    continue;
                }
                let i = long[rng.random_range(0..long.len())];
                ws[i] = typo(&ws[i], &mut rng);
            }
            Kind::Phonetic => {
                let mut changed = 0;
                let wanted = rng.random_range(1..=2);
                for _ in 0..wanted {
                    let options: Vec<(usize, (usize, usize, &str))> = ws
                        .iter()
                        .enumerate()
                        .flat_map(|(i, w)| rewrites(w).into_iter().map(move |r| (i, r)))
                        .collect();
                    if options.is_empty() {
                        break;
                    }
                    let (i, (at, len, r)) = options[rng.random_range(0..options.len())];
                    ws[i].replace_range(at..at + len, r);
                    changed += 1;
                }
                if changed == 0 {
                    continue;
                }
            }
        }
        out.push(Case {
            query: ws.join(" "),
            rome: a.rome.clone(),
            appellation: a.label.clone(),
        });
    }
    out
}

/// Cases whose ROME code is among the codes of the first three
/// suggestions, and the others.
pub fn evaluate<'a>(index: &MetierIndex, cases: &'a [Case]) -> (usize, Vec<&'a Case>) {
    let mut found = 0;
    let mut misses = Vec::new();
    for case in cases {
        let hits = index.search(&case.query, 3);
        if hits.iter().any(|h| h.romes.contains(&case.rome)) {
            found += 1;
        } else {
            misses.push(case);
        }
    }
    (found, misses)
}
