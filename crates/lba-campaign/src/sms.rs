//! SMS length: encoding (GSM 03.38 7-bit, else UCS-2) and segment count.
//! GSM-7 holds 160 septets in one SMS and 153 per part of a concatenated
//! one; the extension table (€, [, ], {, }, \, ^, ~, |) costs two septets.
//! UCS-2 holds 70 UTF-16 units, 67 per part; an emoji takes two units.
//! Parts never split an escape pair or a surrogate pair.

use serde::Serialize;

/// The GSM 03.38 basic character set.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table (escape + character: two septets).
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// The encoding an SMS is sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsEncoding {
    /// GSM 03.38 7-bit.
    Gsm7,
    /// UCS-2 (any character outside GSM-7).
    Ucs2,
}

/// The length of an SMS text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SmsLength {
    /// Encoding.
    pub encoding: SmsEncoding,
    /// Septets (GSM-7) or UTF-16 units (UCS-2).
    pub units: usize,
    /// Parts billed.
    pub segments: usize,
}

/// Measures `text`.
pub fn measure(text: &str) -> SmsLength {
    let gsm: Option<Vec<usize>> = text
        .chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENSION.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .collect();
    let (encoding, costs, single, part) = match gsm {
        Some(costs) => (SmsEncoding::Gsm7, costs, 160, 153),
        None => (
            SmsEncoding::Ucs2,
            text.chars().map(char::len_utf16).collect(),
            70,
            67,
        ),
    };
    let units: usize = costs.iter().sum();
    // An empty text still costs one message.
    let segments = if units <= single {
        1
    } else {
        // Fill parts greedily: a character never straddles two parts.
        let mut segments = 1;
        let mut used = 0;
        for cost in costs {
            if used + cost > part {
                segments += 1;
                used = 0;
            }
            used += cost;
        }
        segments
    };
    SmsLength {
        encoding,
        units,
        segments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_gsm() {
        let l = measure(&"a".repeat(160));
        assert_eq!(
            (l.encoding, l.units, l.segments),
            (SmsEncoding::Gsm7, 160, 1)
        );
        let l = measure(&"a".repeat(161));
        assert_eq!(l.segments, 2);
        assert_eq!(measure(&"a".repeat(306)).segments, 2);
        assert_eq!(measure(&"a".repeat(307)).segments, 3);
        assert_eq!(measure("").segments, 1);
    }

    #[test]
    fn french_accents_in_gsm() {
        // é, è, à, ù are in GSM-7; ç (lowercase) and ê are not.
        assert_eq!(
            measure("Réponds à ta candidature, Léa").encoding,
            SmsEncoding::Gsm7
        );
        assert_eq!(measure("Ça y est").encoding, SmsEncoding::Gsm7);
        assert_eq!(measure("ça").encoding, SmsEncoding::Ucs2);
        assert_eq!(measure("Fête").encoding, SmsEncoding::Ucs2);
    }

    #[test]
    fn euro_counts_double() {
        let l = measure("10€");
        assert_eq!((l.encoding, l.units), (SmsEncoding::Gsm7, 4));
        // 159 letters + € = 161 septets: two parts.
        let l = measure(&format!("{}€", "a".repeat(159)));
        assert_eq!((l.units, l.segments), (161, 2));
        // An escape pair is not split: 152 letters + € does not fit part 1.
        let l = measure(&format!("{}€{}", "a".repeat(152), "a".repeat(10)));
        assert_eq!(l.segments, 2);
    }

    #[test]
    fn emoji_forces_ucs2_and_counts_two_units() {
        let l = measure("Bravo 🎉");
        assert_eq!((l.encoding, l.units, l.segments), (SmsEncoding::Ucs2, 8, 1));
        assert_eq!(measure(&"é".repeat(69).replace('é', "ê")).segments, 1);
        assert_eq!(measure(&"ê".repeat(71)).segments, 2);
        assert_eq!(measure(&"ê".repeat(134)).segments, 2);
        assert_eq!(measure(&"ê".repeat(135)).segments, 3);
        // 66 units then an emoji (2) does not fit the first 67-unit part.
        let l = measure(&format!("{}🎉{}", "ê".repeat(66), "ê".repeat(10)));
        assert_eq!((l.units, l.segments), (78, 2));
    }
}
