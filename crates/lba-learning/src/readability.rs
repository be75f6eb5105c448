//! Kandel–Moles readability (the French adaptation of Flesch):
//! 207 − 1.015 × (words / sentences) − 73.6 × (syllables / words).

const VOWELS: &str = "aeiouyàâäéèêëîïôöùûüœæ";

fn is_vowel(c: char) -> bool {
    VOWELS.contains(c)
}

/// Sentences: pieces ending at `. ! ? …` or a line break that hold at
/// least one letter or digit.
pub fn sentences(text: &str) -> usize {
    text.split(['.', '!', '?', '…', '\n'])
        .filter(|piece| piece.chars().any(char::is_alphanumeric))
        .count()
}

/// Words: split on whitespace and apostrophes, holding a letter or digit.
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '\'' || c == '’')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// Syllables of one word: groups of consecutive vowels; a final `e`, `es`
/// or `ent` after a consonant is not counted; at least 1.
pub fn syllables(word: &str) -> usize {
    let letters: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let mut groups = 0;
    let mut in_group = false;
    for &c in &letters {
        let vowel = is_vowel(c);
        if vowel && !in_group {
            groups += 1;
        }
        in_group = vowel;
    }
    let text: String = letters.iter().collect();
    let silent = ["ent", "es", "e"].iter().any(|end| {
        text.strip_suffix(end).is_some_and(|stem| {
            stem.chars()
                .last()
                .is_some_and(|c| c.is_alphabetic() && !is_vowel(c))
        })
    });
    if silent && groups > 1 {
        groups -= 1;
    }
    groups.max(1)
}

/// The Kandel–Moles score of `text` (higher = easier; 70+ = easy).
pub fn kandel_moles(text: &str) -> f64 {
    let words = words(text);
    if words.is_empty() {
        return 207.0;
    }
    let sentences = sentences(text).max(1) as f64;
    let syllables: usize = words.iter().map(|w| syllables(w)).sum();
    let count = words.len() as f64;
    207.0 - 1.015 * (count / sentences) - 73.6 * (syllables as f64 / count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_syllables() {
        assert_eq!(syllables("bonjour"), 2);
        assert_eq!(syllables("parlent"), 1);
        assert_eq!(syllables("entreprise"), 3);
        assert_eq!(syllables("CFA"), 1);
        assert_eq!(syllables("le"), 1);
        assert_eq!(syllables("apprentissage"), 4);
        assert_eq!(syllables("12"), 1);
    }

    #[test]
    fn counts_words_and_sentences() {
        assert_eq!(words("l'été, c'est « bien » !").len(), 5);
        assert_eq!(sentences("Bonjour. Ça va ?\nOui… « Merci ! »"), 4);
    }

    #[test]
    fn short_sentences_score_high_and_long_ones_low() {
        assert!(kandel_moles("Tu appelles le CFA. Tu dis ton nom.") > 70.0);
        let hard = "L'administration départementale considère systématiquement \
            l'éventualité d'une réorganisation institutionnelle particulièrement \
            complexe, nécessitant l'intervention coordonnée d'interlocuteurs \
            spécialisés, préalablement à toute décision individuelle.";
        assert!(kandel_moles(hard) < 70.0, "{}", kandel_moles(hard));
    }
}
