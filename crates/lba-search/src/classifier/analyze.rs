//! Turns a free title into the words the classifier compares: normalised
//! (lowercase, accents folded), without gender marks, contract or diploma
//! noise, stop words; abbreviations expanded; lightly stemmed so that
//! feminine and plural forms meet their masculine singular.
//!
//! The same steps run on the referential labels (documents) and on the
//! titles to classify (queries), except the noise and abbreviation steps,
//! which only run on queries: referential labels are spelled out and a
//! "stage" or a "niveau" in them is meaningful.

use lba_core::text::normalize;

/// Whether the text is a referential label or a title to classify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    /// A ROME label or appellation.
    Document,
    /// A free title.
    Query,
}

/// Abbreviations seen in offer and course titles, expanded in queries.
/// Keep it small and obvious: a wrong expansion hurts more than a missing
/// one (the typo and prefix fallbacks catch many others).
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("tech", "technicien"),
    ("techn", "technicien"),
    ("asst", "assistant"),
    ("ass", "assistant"),
    ("resp", "responsable"),
    ("respons", "responsable"),
    ("cdt", "conducteur"),
    ("cond", "conducteur"),
    ("mgr", "manager"),
    ("comm", "commercial"),
    ("com", "communication"),
    ("agt", "agent"),
    ("adj", "adjoint"),
    ("dir", "directeur"),
    ("coord", "coordinateur"),
    ("ing", "ingenieur"),
    ("dev", "developpeur"),
    ("compta", "comptable"),
    ("admin", "administratif"),
    ("adm", "administratif"),
    ("maint", "maintenance"),
    ("elec", "electricien"),
    ("elect", "electricien"),
    ("meca", "mecanicien"),
    ("prepa", "preparateur"),
    ("cuis", "cuisinier"),
    ("immo", "immobilier"),
    ("info", "informatique"),
    ("rh", "ressources humaines"),
    ("grh", "ressources humaines"),
    ("drh", "directeur ressources humaines"),
    ("rrh", "responsable ressources humaines"),
    ("pl", "poids lourd"),
    ("spl", "super poids lourd"),
    ("vl", "vehicule leger"),
    ("vtc", "voiture transport chauffeur"),
    ("log", "logistique"),
    ("qualif", "qualifie"),
    ("pharma", "pharmacie"),
    ("labo", "laboratoire"),
    ("aes", "accompagnant educatif social"),
    ("atsem", "agent specialise ecoles maternelles"),
];

/// Words that say how the job or course is held, not what it is.
const CONTRACT_NOISE: &[&str] = &[
    "apprenti",
    "apprentie",
    "apprentis",
    "apprentissage",
    "alternance",
    "alternant",
    "alternante",
    "professionnalisation",
    "contrat",
    "stage",
    "stagiaire",
    "cdi",
    "cdd",
    "interim",
    "job",
    "poste",
    "offre",
    "urgent",
    "debutant",
    "debutante",
    "accepte",
    "junior",
    "senior",
    "confirme",
    "confirmee",
    "temps",
    "plein",
    "partiel",
    "recrute",
    "recherche",
    "nous",
];

/// Diploma kinds and the words of their long names (course titles start or
/// end with them: "BTS …", "… (BAC PRO)").
const DIPLOMA_NOISE: &[&str] = &[
    "bts",
    "btsa",
    "bac",
    "cap",
    "capa",
    "bp",
    "bpa",
    "mc",
    "cs",
    "but",
    "dut",
    "deust",
    "licence",
    "lp",
    "lic",
    "lmd",
    "master",
    "mastere",
    "bachelor",
    "mba",
    "ms",
    "titre",
    "tp",
    "diplome",
    "dipl",
    "brevet",
    "certificat",
    "cqp",
    "mention",
    "complementaire",
    "niveau",
    "rncp",
    "option",
    "options",
    "specialite",
    "spe",
    "parcours",
    "btm",
    "btms",
    "ctm",
    "bm",
    "bma",
    "dma",
    "dnmade",
    "formation",
    "superieur",
];

/// After these words, "pro"/"professionnel(le)" belongs to the diploma name
/// ("bac pro", "titre professionnel", "licence professionnelle").
const BEFORE_PRO: &[&str] = &[
    "bac",
    "titre",
    "licence",
    "lp",
    "brevet",
    "certificat",
    "contrat",
    "master",
    "baccalaureat",
];

/// Leftovers of inclusive spellings once punctuation is gone: "(e)",
/// "(ne)", "/euse", "H/F", "·e".
const GENDER_FRAGMENTS: &[&str] = &[
    "ne", "euse", "euses", "trice", "rice", "ere", "iere", "ienne", "enne", "eure", "ive", "se",
    "ice", "fe", "hf", "fh", "nne", "es", "te",
];

/// French words that carry no meaning for the match.
const STOP_WORDS: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "l", "d", "en", "et", "a", "au", "aux", "pour", "sur",
    "par", "un", "une", "avec", "dans", "ou", "sans", "son", "sa", "ses", "chez", "the", "of",
];

/// The analysed words of `text`, each once, in order of first appearance.
pub(super) fn analyze(text: &str, side: Side) -> Vec<String> {
    let normalized = normalize(text);
    let raw: Vec<&str> = normalized.split(' ').filter(|t| !t.is_empty()).collect();
    let mut words: Vec<String> = Vec::with_capacity(raw.len() + 2);
    let mut previous: Option<&str> = None;
    for &token in &raw {
        let after = previous.replace(token);
        if token.len() == 1 || STOP_WORDS.contains(&token) || GENDER_FRAGMENTS.contains(&token) {
            continue;
        }
        if side == Side::Query {
            if token.bytes().all(|b| b.is_ascii_digit())
                || CONTRACT_NOISE.contains(&token)
                || DIPLOMA_NOISE.contains(&token)
            {
                continue;
            }
            let pro = matches!(token, "pro" | "professionnel" | "professionnelle");
            if pro && after.is_some_and(|a| BEFORE_PRO.contains(&a)) {
                continue;
            }
            if let Some((_, long)) = ABBREVIATIONS.iter().find(|(short, _)| *short == token) {
                words.extend(long.split(' ').map(stem));
                continue;
            }
        }
        words.push(stem(token));
    }
    let mut seen = Vec::with_capacity(words.len());
    words.retain(|w| {
        let fresh = !w.is_empty() && !seen.contains(w);
        if fresh {
            seen.push(w.clone());
        }
        fresh
    });
    words
}

/// Light French stemming: plural, then feminine endings to the masculine
/// ("boulangères" → "boulanger", "vendeuse" → "vendeur", "animatrice" →
/// "animateur", "technicienne" → "technicien", "commerciale" →
/// "commercial"). Applied alike to labels and titles, so a rule only has to
/// be consistent, not linguistically exact.
pub(super) fn stem(word: &str) -> String {
    let mut w = word;
    let plural;
    if w.len() > 4 && w.ends_with("eaux") {
        plural = w.get(..w.len() - 1).unwrap_or(w).to_owned();
        w = &plural;
    } else if w.len() > 5 && w.ends_with("aux") {
        plural = format!("{}al", w.get(..w.len() - 3).unwrap_or(w));
        w = &plural;
    } else if w.len() > 3 && (w.ends_with('s') || w.ends_with('x')) && !w.ends_with("ss") {
        w = w.get(..w.len() - 1).unwrap_or(w);
    }
    const FEMININE: &[(&str, &str)] = &[
        ("trice", "teur"),
        ("euse", "eur"),
        ("ienne", "ien"),
        ("enne", "en"),
        ("onne", "on"),
        ("elle", "el"),
        ("aine", "ain"),
        ("iere", "ier"),
        ("ere", "er"),
        ("ante", "ant"),
        ("ente", "ent"),
        ("ale", "al"),
        ("ee", "e"),
        ("ive", "if"),
        ("ette", "et"),
    ];
    for (end, replacement) in FEMININE {
        if w.len() > end.len() + 2
            && let Some(base) = w.strip_suffix(end)
        {
            return format!("{base}{replacement}");
        }
    }
    w.to_owned()
}

#[cfg(test)]
mod tests {
    use super::{Side, analyze, stem};

    fn query(s: &str) -> Vec<String> {
        analyze(s, Side::Query)
    }

    #[test]
    fn gender_marks_and_contract_noise_go() {
        assert_eq!(query("Apprenti(e) boulanger H/F"), ["boulanger"]);
        assert_eq!(
            query("Alternance - Assistant RH (F/H)"),
            ["assistant", "ressource", "humain"]
        );
        assert_eq!(
            query("Vendeur/euse conseil en alternance"),
            ["vendeur", "conseil"]
        );
        assert_eq!(
            query("Technicien(ne) de maintenance · CDI"),
            ["technicien", "maintenance"]
        );
    }

    #[test]
    fn diploma_prefixes_go_but_professional_words_stay_elsewhere() {
        assert_eq!(
            query("BTS Management commercial opérationnel"),
            ["management", "commercial", "operationnel"]
        );
        assert_eq!(query("BAC PRO Cuisine"), ["cuisine"]);
        assert_eq!(
            query("Conseiller en insertion professionnelle"),
            ["conseiller", "insertion", "professionnel"]
        );
        assert_eq!(query("CUISINE (CAP)"), ["cuisine"]);
    }

    #[test]
    fn documents_keep_noise_words() {
        assert_eq!(
            analyze("Régisseur / Régisseuse de stage", Side::Document),
            ["regisseur", "stage"]
        );
    }

    #[test]
    fn feminine_and_plural_meet_the_masculine() {
        for (word, stemmed) in [
            ("boulangere", "boulanger"),
            ("boulangeres", "boulanger"),
            ("vendeuse", "vendeur"),
            ("animatrice", "animateur"),
            ("technicienne", "technicien"),
            ("commerciale", "commercial"),
            ("commerciaux", "commercial"),
            ("employee", "employe"),
            ("bureaux", "bureau"),
            ("agent", "agent"),
        ] {
            assert_eq!(stem(word), stemmed, "{word}");
        }
    }
}
