//! Fixed word lists of the demo generator: surnames, streets, name and
//! description patterns, and the hints that give each CFA a speciality.
//! Everything here is invented or generic; nothing names a real company.

/// Frequent French surnames.
#[rustfmt::skip]
pub(super) const SURNAMES: &[&str] = &[
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin",
    "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis",
    "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard",
    "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez",
    "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard",
    "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
    "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume",
    "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez",
    "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury",
    "Royer", "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré",
    "Charles", "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
    "Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost",
    "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois",
    "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal",
    "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard",
    "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin",
    "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine",
    "Hoarau", "Perret", "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert",
];

/// Street kinds.
#[rustfmt::skip]
pub(super) const STREET_KINDS: &[&str] = &[
    "rue", "rue", "rue", "avenue", "boulevard", "place", "chemin", "allée", "impasse", "route",
    "quai", "zone artisanale",
];

/// Street names (completing a street kind).
#[rustfmt::skip]
pub(super) const STREET_NAMES: &[&str] = &[
    "de la République", "Victor Hugo", "Jean Jaurès", "de la Gare", "du Général de Gaulle",
    "Pasteur", "des Écoles", "de l'Église", "du Moulin", "des Lilas", "de la Mairie", "Jules Ferry",
    "Gambetta", "de Verdun", "du Stade", "des Tilleuls", "de la Paix", "du Château", "Voltaire",
    "de la Liberté", "des Acacias", "Carnot", "du Commerce", "de l'Industrie", "des Artisans",
    "du Port", "des Prés", "de la Fontaine", "Émile Zola", "Anatole France", "des Vignes",
    "du Marché", "Saint-Martin", "des Peupliers", "Molière", "de la Forge", "des Cerisiers",
    "du 8 Mai 1945", "du 11 Novembre", "Marie Curie", "Louise Michel", "Simone Veil",
    "des Entrepreneurs", "de l'Avenir", "des Bleuets",
];

/// Company name patterns besides "activity + surname".
#[rustfmt::skip]
pub(super) const NAME_PATTERNS: &[&str] = &[
    "Établissements {}", "{} et Fils", "{} & Associés", "Maison {}", "Atelier {}", "{} SAS",
    "{} SARL", "Groupe {}",
];

/// INSEE headcount brackets with relative weights (small firms dominate).
pub(super) const HEADCOUNTS: &[(&str, u64)] = &[
    ("00", 80),
    ("01", 220),
    ("02", 200),
    ("03", 160),
    ("11", 140),
    ("12", 110),
    ("21", 45),
    ("22", 25),
    ("31", 6),
    ("32", 8),
    ("41", 4),
    ("42", 2),
    ("51", 1),
];

/// Keywords of CFA names and the ROME code prefixes they suggest
/// (`BTP CFA HAUTE-LOIRE` teaches building trades, codes `F…`).
pub(super) const CFA_HINTS: &[(&str, &[&str])] = &[
    ("btp", &["F"]),
    ("batiment", &["F"]),
    ("construction", &["F"]),
    ("travaux", &["F"]),
    ("agricole", &["A"]),
    ("agric", &["A"]),
    ("horticole", &["A12", "A14"]),
    ("viticole", &["A14"]),
    ("rurale", &["A", "K12", "D"]),
    ("rurales", &["A", "K12", "D"]),
    ("mfr", &["A", "K12", "D"]),
    ("nature", &["A"]),
    ("coiffure", &["D12"]),
    ("esthetique", &["D12"]),
    ("automobile", &["I16", "D12"]),
    ("auto", &["I16"]),
    ("mobilite", &["N", "I16"]),
    ("transport", &["N"]),
    ("promotrans", &["N"]),
    ("aftral", &["N"]),
    ("logistique", &["N"]),
    ("pharmacie", &["J"]),
    ("sante", &["J"]),
    ("san", &["J", "K"]),
    ("sanitaire", &["J", "K"]),
    ("social", &["K"]),
    ("sansoc", &["J", "K"]),
    ("hotellerie", &["G"]),
    ("restauration", &["G"]),
    ("tourisme", &["G"]),
    ("commerce", &["D", "M"]),
    ("cci", &["D", "M"]),
    ("industrie", &["H", "I"]),
    ("industriel", &["H", "I"]),
    ("cfai", &["H", "I"]),
    ("uimm", &["H", "I"]),
    ("afpi", &["H", "I"]),
    ("promeo", &["H", "I"]),
    ("technique", &["H", "I", "F"]),
    ("metiers", &["D11", "D12", "F", "H", "I16"]),
    ("artisanat", &["D11", "D12", "F", "H", "I16"]),
    ("urma", &["D11", "D12", "F", "H", "I16"]),
    ("spectacle", &["L"]),
    ("sport", &["G12", "K"]),
    ("informatique", &["M18"]),
    ("numerique", &["M18", "E"]),
    ("papetier", &["H"]),
    ("piscine", &["F", "I"]),
    ("environnement", &["A", "K"]),
    ("banque", &["C"]),
    ("finance", &["C", "M12"]),
    ("assurance", &["C"]),
    ("comptabilite", &["M12"]),
    ("personne", &["K"]),
    ("proprete", &["K22"]),
    ("hygiene", &["K22", "J"]),
    ("couture", &["B", "D12"]),
    ("habillement", &["B", "D12"]),
    ("mode", &["B", "D12"]),
    ("image", &["E", "L"]),
    ("audiovisuel", &["E", "L"]),
    ("aero", &["H", "I16", "N2"]),
    ("aeronautique", &["H", "I16", "N2"]),
    ("mer", &["A", "N"]),
    ("bois", &["H22", "F"]),
    ("alimentation", &["D11", "H2"]),
    ("boulangerie", &["D11"]),
    ("energie", &["F", "I13", "H"]),
    ("electricite", &["F", "I13", "H"]),
];

/// Words of CFA names that mean crafts and trades (levels 3–5 favoured).
#[rustfmt::skip]
pub(super) const TRADE_HINTS: &[&str] = &[
    "metiers", "artisanat", "urma", "cma", "compagnons", "btp", "batiment", "coiffure",
    "esthetique", "boulangerie", "proprete",
];

/// Words of CFA names that mean higher education (levels 5–7 favoured).
#[rustfmt::skip]
pub(super) const HIGHER_EDUCATION_HINTS: &[&str] = &[
    "sup", "superieur", "superieure", "universite", "iut", "ecole", "ens", "institut", "formasup",
    "ingenieurs", "business", "management",
];

/// Short labels for the diploma kinds written in parentheses in diploma
/// titles (`BANQUE (BTS)`); unknown kinds (school names) give no label.
pub(super) const DIPLOMA_KINDS: &[(&str, &str)] = &[
    ("bac pro", "Bac pro"),
    ("bts", "BTS"),
    ("btsa", "BTSA"),
    ("cap", "CAP"),
    ("capa", "CAPA"),
    ("bp", "BP"),
    ("bpa", "BPA"),
    ("mc", "Mention complémentaire"),
    ("mc3", "Mention complémentaire"),
    ("mc4", "Mention complémentaire"),
    ("mc5", "Mention complémentaire"),
    ("lp", "Licence pro"),
    ("lic", "Licence"),
    ("master", "Master"),
    ("tp", "Titre professionnel"),
    ("deust", "DEUST"),
    ("but", "BUT"),
    ("dut", "DUT"),
    ("csa", "Certificat de spécialisation"),
    ("bac techno", "Bac techno"),
];

/// Opening sentences of offer descriptions: `{company}`, `{title}`, `{city}`.
pub(super) const OFFER_OPENINGS: &[&str] = &[
    "{company} recrute un ou une apprentie {title} à {city}.",
    "Rejoignez {company} à {city} comme {title} en alternance.",
    "Dans le cadre de son développement, {company} ({city}) accueille un ou une alternante. Poste : {title}.",
    "Vous préparez un diplôme et souhaitez devenir {title} ? {company}, à {city}, vous forme sur le terrain.",
];

/// Mission sentences.
pub(super) const OFFER_MISSIONS: &[&str] = &[
    "Accompagné par votre tuteur, vous participerez aux activités quotidiennes de l'équipe.",
    "Vous apprendrez le métier aux côtés de professionnels expérimentés et prendrez progressivement des responsabilités.",
    "Vos missions évolueront au fil de votre formation, en lien avec votre centre de formation.",
    "Vous serez associé à l'organisation du travail, au suivi de la qualité et à la relation avec les clients.",
];

/// Profile sentences.
pub(super) const OFFER_PROFILES: &[&str] = &[
    "Curieux, rigoureux et motivé, vous aimez le travail en équipe.",
    "Aucune expérience n'est exigée : la motivation compte avant tout.",
    "Vous êtes inscrit ou en cours d'inscription dans une formation en alternance.",
    "Le sens du contact et l'envie d'apprendre sont vos atouts.",
];
