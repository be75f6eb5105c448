//! Text normalisation for search and matching: accents, case, punctuation
//! and spacing are folded away so that `Pâtisserie` and `patisserie`, or
//! `aide-soignant(e)` and `aide soignant e`, compare equal.

/// Normalises text for comparison: transliterates to ASCII (`é`→`e`,
/// `œ`→`oe`, `æ`→`ae`, `ß`→`ss`…), lowercases, turns every character that
/// is not an ASCII letter or digit (apostrophes, hyphens, slashes…) into a
/// space, collapses runs of spaces and trims.
///
/// The result contains only `[a-z0-9 ]`, never starts or ends with a space
/// nor holds two in a row, and `normalize(normalize(s)) == normalize(s)`.
#[must_use]
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut push = |b: u8| {
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            pending_space = true;
        }
    };
    for c in s.chars() {
        if c.is_ascii() {
            // An ASCII char is one byte: `as u8` is exact here.
            push(c as u8);
        } else {
            match deunicode::deunicode_char(c) {
                Some(ascii) => ascii.bytes().for_each(&mut push),
                None => push(b' '),
            }
        }
    }
    out
}

/// The words of `s` after [`normalize`]: `"L'Œuvre d'art"` gives
/// `["l", "oeuvre", "d", "art"]`. Empty for text without letters or digits.
#[must_use]
pub fn tokens(s: &str) -> Vec<String> {
    normalize(s)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}
