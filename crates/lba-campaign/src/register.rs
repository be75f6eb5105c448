//! The register of a rendered text: "tu" for a young person, "vous" for a
//! parent (the content guide, `shared/CONTENT.md`). A text that uses both
//! confuses its reader; [`mixed`] finds one word of each so that the
//! campaign preview can warn.
//!
//! Heuristic, on words: "tu" forms are the pronouns and possessives (`tu`,
//! `toi`, `te`, `t'`, `ton`, `ta`, `tes`); "vous" forms are `vous`, `votre`,
//! `vos` and verbs ending in `-ez` (`contactez`, `n'attendez`), except the
//! few common words that end so (`chez`, `assez`, `nez`). "vous" as a polite
//! singular and imperatives in "tu" (`contacte`) are not told apart: the
//! check looks for both registers in one text, not for the right one.

/// A text that uses both registers: the first word of each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mixed {
    /// A "tu" word as written.
    pub tu: String,
    /// A "vous" word as written.
    pub vous: String,
}

const TU: [&str; 7] = ["tu", "toi", "te", "t", "ton", "ta", "tes"];
const VOUS: [&str; 3] = ["vous", "votre", "vos"];
const EZ_WORDS: [&str; 5] = ["chez", "assez", "nez", "rez", "lez"];

/// The words of a text, lowercased, split at anything but letters; an
/// elided `t'` or `n'` is a word of its own. HTML tags and links (`http…`
/// up to a space, a quote or `<`: a tracked code like `x-t_9` is no word)
/// are skipped.
fn words(text: &str) -> Vec<String> {
    let mut in_tag = false;
    let mut without_links = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("http") {
        without_links.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
            .unwrap_or(tail.len());
        without_links.push(' ');
        rest = &tail[end..];
    }
    without_links.push_str(rest);
    let cleaned: String = without_links
        .chars()
        .map(|c| match c {
            '<' => {
                in_tag = true;
                ' '
            }
            '>' => {
                in_tag = false;
                ' '
            }
            _ if in_tag => ' ',
            _ => c,
        })
        .collect();
    cleaned
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_vous(word: &str) -> bool {
    VOUS.contains(&word) || (word.len() > 3 && word.ends_with("ez") && !EZ_WORDS.contains(&word))
}

/// The first "tu" word and the first "vous" word of `text`, when it has both.
pub fn mixed(text: &str) -> Option<Mixed> {
    let mut tu = None;
    let mut vous = None;
    for word in words(text) {
        if tu.is_none() && TU.contains(&word.as_str()) {
            tu = Some(word);
        } else if vous.is_none() && is_vous(&word) {
            vous = Some(word);
        }
        if tu.is_some() && vous.is_some() {
            break;
        }
    }
    Some(Mixed {
        tu: tu?,
        vous: vous?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_register_is_fine() {
        for text in [
            "Tu as demandé le CAP Boulanger. Des entreprises près de chez toi recrutent.",
            "Contacte ton CFA : https://exemple.fr/c/abc-vous_Z",
            "Contactez le CFA : https://exemple.fr/c/ab-t-x9 (ou <a href=\"https://x.fr/c/t\">ici</a>)",
            "Votre enfant a demandé une formation. Contactez le CFA, il vous aidera.",
            "Bonjour, la formation commence en septembre.",
            "<p>Tu peux <a href=\"/vous\">chercher</a> chez toi.</p>",
        ] {
            assert_eq!(mixed(text), None, "{text}");
        }
    }

    #[test]
    fn both_registers_are_found() {
        assert_eq!(
            mixed("Tu as demandé le CAP. Des entreprises près de chez vous recrutent."),
            Some(Mixed {
                tu: "tu".into(),
                vous: "vous".into()
            })
        );
        assert_eq!(
            mixed("Pour garder ta place, n'attendez pas."),
            Some(Mixed {
                tu: "ta".into(),
                vous: "attendez".into()
            })
        );
        assert_eq!(
            mixed("Votre place t'attend : https://x.fr/c/a-vous-t_9"),
            Some(Mixed {
                tu: "t".into(),
                vous: "votre".into()
            })
        );
    }
}
