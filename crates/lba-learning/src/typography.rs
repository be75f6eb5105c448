//! French typography: the renderer puts a narrow no-break space (U+202F)
//! before `: ; ? !` and inside « », and the check finds what it cannot fix.

/// Narrow no-break space.
pub const NNBSP: char = '\u{202F}';

/// Turns a plain space (or no-break space) before `: ; ? !`, after `«` and
/// before `»` into U+202F.
pub fn render(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' || c == '\u{A0}' {
            let next = chars.get(i + 1).copied();
            let prev = i.checked_sub(1).map(|p| chars[p]);
            if matches!(next, Some(':' | ';' | '?' | '!' | '»')) || prev == Some('«') {
                out.push(NNBSP);
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Splits a text into paragraphs (separated by a blank line), each rendered
/// and with its single line breaks kept as spaces.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| render(&p))
        .collect()
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{A0}' || c == NNBSP
}

/// Typography problems of `text` the renderer cannot fix, in French.
pub fn problems(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let around = || {
            let start = i.saturating_sub(12);
            let end = (i + 12).min(chars.len());
            chars[start..end].iter().collect::<String>()
        };
        match c {
            ':' | ';' | '?' | '!' if prev.is_some_and(char::is_alphanumeric) => {
                found.push(format!(
                    "« {c} » collé au mot précédent (mettre une espace) : « {} »",
                    around()
                ));
            }
            '«' if next.is_some_and(|n| !is_space(n)) => {
                found.push(format!("pas d'espace après « : « {} »", around()));
            }
            '»' if prev.is_some_and(|p| !is_space(p)) => {
                found.push(format!("pas d'espace avant » : « {} »", around()));
            }
            '"' => found.push(format!(
                "guillemet droit \" (utiliser « ») : « {} »",
                around()
            )),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_narrow_spaces() {
        assert_eq!(
            render("« Bonjour ! » Quoi ? Oui : non ; fin"),
            "«\u{202F}Bonjour\u{202F}!\u{202F}» Quoi\u{202F}? Oui\u{202F}: non\u{202F}; fin"
        );
        assert_eq!(render("l'été"), "l'été");
    }

    #[test]
    fn finds_glued_punctuation_and_quotes() {
        assert!(problems("Et quoi ?").is_empty());
        assert!(problems("« Bonjour ! »").is_empty());
        assert_eq!(problems("quoi?").len(), 1);
        assert_eq!(problems("«Bonjour »").len(), 1);
        assert_eq!(problems("« Bonjour»").len(), 1);
        assert_eq!(problems("il dit \"non\"").len(), 2);
        assert!(problems("aujourd’hui, l'été").is_empty());
    }

    #[test]
    fn splits_paragraphs() {
        assert_eq!(
            paragraphs("Un\ndeux.\n\nTrois ?\n"),
            vec!["Un deux.".to_owned(), "Trois\u{202F}?".to_owned()]
        );
    }
}
