//! Assembles a [`MetierIndex`] from the referentials: merges labels that
//! normalise alike, links diplomas to ROME codes through the training
//! courses, and attaches synonym groups (acronyms) to diploma titles.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use lba_core::ids::{Cfd, CodeRome, RncpCode};
use lba_core::opportunity::Formation;
use lba_core::referential::ReferentialData;
use lba_core::text::normalize;

use super::{AppellationRow, MetierHit, MetierIndex, MetierKind};
use crate::text_index::TextIndexBuilder;

/// Suggestions keyed by normalised label.
#[derive(Default)]
struct Hits {
    by_label: HashMap<String, u32>,
    hits: Vec<MetierHit>,
}

impl Hits {
    /// Adds or merges a suggestion; its payload id, `None` for a label
    /// without letters or digits.
    fn add(
        &mut self,
        label: &str,
        kind: MetierKind,
        romes: impl IntoIterator<Item = CodeRome>,
        rncps: impl IntoIterator<Item = RncpCode>,
    ) -> Option<u32> {
        let key = normalize(label);
        if key.is_empty() {
            return None;
        }
        let id = match self.by_label.get(&key) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.hits.len()).ok()?;
                self.by_label.insert(key, id);
                self.hits.push(MetierHit {
                    label: label.trim().to_owned(),
                    kind,
                    romes: Vec::new(),
                    rncps: Vec::new(),
                });
                id
            }
        };
        let hit = self.hits.get_mut(id as usize)?;
        if kind.generality() < hit.kind.generality() {
            hit.kind = kind;
        }
        merge_sorted(&mut hit.romes, romes);
        merge_sorted(&mut hit.rncps, rncps);
        Some(id)
    }
}

fn merge_sorted<T: Ord>(into: &mut Vec<T>, more: impl IntoIterator<Item = T>) {
    into.extend(more);
    into.sort_unstable();
    into.dedup();
}

/// Builds the whole index.
pub(super) fn build(data: &ReferentialData, formations: &[Formation]) -> MetierIndex {
    let mut hits = Hits::default();
    for rome in &data.romes {
        hits.add(&rome.label, MetierKind::Rome, [rome.code.clone()], []);
    }

    let mut subdomains: BTreeMap<&str, BTreeSet<CodeRome>> = BTreeMap::new();
    for (label, rome) in &data.subdomains {
        subdomains
            .entry(label.trim())
            .or_default()
            .insert(rome.clone());
    }
    for (label, romes) in &subdomains {
        hits.add(label, MetierKind::Subdomain, romes.iter().cloned(), []);
    }
    let mut subdomain_labels: Vec<String> = subdomains
        .keys()
        .filter(|l| !l.is_empty())
        .map(|&l| l.to_owned())
        .collect();
    subdomain_labels.sort_by_cached_key(|l| (normalize(l), l.clone()));

    for appellation in &data.appellations {
        hits.add(
            &appellation.label,
            MetierKind::Appellation,
            [appellation.rome.clone()],
            [],
        );
    }

    let diplomas = add_diplomas(&mut hits, data, formations);
    let acronyms = synonym_entries(&data.synonyms, &diplomas);

    let mut text = TextIndexBuilder::new();
    for (id, hit) in (0u32..).zip(&hits.hits) {
        text.add(&hit.label, id, hit.kind.boost());
    }
    for (term, id) in &acronyms {
        text.add(term, *id, 0);
    }

    let (appellation_text, appellations) = appellation_index(data);
    MetierIndex {
        text: text.build(),
        hits: hits.hits,
        subdomains: subdomain_labels,
        appellation_text,
        appellations,
    }
}

/// Adds every diploma that some course delivers; returns the payload ids
/// by normalised title, with and without its trailing "(BTS)"-like part.
fn add_diplomas(
    hits: &mut Hits,
    data: &ReferentialData,
    formations: &[Formation],
) -> HashMap<String, BTreeSet<u32>> {
    let mut by_cfd: HashMap<&Cfd, BTreeSet<&CodeRome>> = HashMap::new();
    let mut by_rncp: HashMap<&RncpCode, BTreeSet<&CodeRome>> = HashMap::new();
    for formation in formations {
        if let Some(cfd) = &formation.cfd {
            by_cfd.entry(cfd).or_default().extend(&formation.romes);
        }
        if let Some(rncp) = &formation.rncp {
            by_rncp.entry(rncp).or_default().extend(&formation.romes);
        }
    }
    let mut keys: HashMap<String, BTreeSet<u32>> = HashMap::new();
    for diploma in &data.diplomas {
        let mut romes: BTreeSet<&CodeRome> = BTreeSet::new();
        romes.extend(by_cfd.get(&diploma.cfd).into_iter().flatten());
        let from_rncp = diploma.rncp.as_ref().and_then(|r| by_rncp.get(r));
        romes.extend(from_rncp.into_iter().flatten());
        if romes.is_empty() {
            continue;
        }
        let Some(id) = hits.add(
            &diploma.title,
            MetierKind::Diploma,
            romes.into_iter().cloned(),
            diploma.rncp.clone(),
        ) else {
            continue;
        };
        for key in [
            normalize(&diploma.title),
            normalize(strip_suffix(&diploma.title)),
        ] {
            if !key.is_empty() {
                keys.entry(key).or_default().insert(id);
            }
        }
    }
    keys
}

/// "CHEF DE CHANTIER GROS OEUVRE (TP)" → "CHEF DE CHANTIER GROS OEUVRE":
/// synonym groups name diplomas without the kind in parentheses.
fn strip_suffix(title: &str) -> &str {
    let title = title.trim_end();
    match title.strip_suffix(')').and_then(|t| t.rfind('(')) {
        Some(open) => title.get(..open).unwrap_or(title).trim_end(),
        None => title,
    }
}

/// The other terms of each synonym group whose title matches a suggested
/// diploma, as (term, payload id) entries. Titles are the terms holding
/// capitals; the file splits titles at commas, so the group's titles joined
/// are tried too.
fn synonym_entries(
    groups: &[Vec<String>],
    diplomas: &HashMap<String, BTreeSet<u32>>,
) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for group in groups {
        let titles: Vec<&str> = group
            .iter()
            .map(String::as_str)
            .filter(|t| t.chars().any(char::is_uppercase))
            .collect();
        let mut candidates: Vec<String> = titles.iter().map(|t| normalize(t)).collect();
        if titles.len() > 1 {
            candidates.push(normalize(&titles.join(" ")));
        }
        let targets: BTreeSet<u32> = candidates
            .iter()
            .filter_map(|c| diplomas.get(c))
            .flatten()
            .copied()
            .collect();
        for term in group {
            let key = normalize(term);
            if key.is_empty() || diplomas.contains_key(&key) {
                continue;
            }
            out.extend(targets.iter().map(|&id| (key.clone(), id)));
        }
    }
    out
}

/// The appellations alone, each with its fiche label.
fn appellation_index(
    data: &ReferentialData,
) -> (crate::text_index::TextIndex, Vec<AppellationRow>) {
    let fiche_labels: HashMap<&CodeRome, &str> = data
        .romes
        .iter()
        .map(|r| (&r.code, r.label.as_str()))
        .collect();
    let mut text = TextIndexBuilder::new();
    let mut rows = Vec::with_capacity(data.appellations.len());
    for appellation in &data.appellations {
        let Ok(id) = u32::try_from(rows.len()) else {
            break;
        };
        text.add(&appellation.label, id, 0);
        rows.push(AppellationRow {
            label: appellation.label.clone(),
            rome: appellation.rome.clone(),
            rome_label: fiche_labels
                .get(&appellation.rome)
                .map(|l| (*l).to_owned())
                .unwrap_or_default(),
        });
    }
    (text.build(), rows)
}

#[cfg(test)]
mod tests {
    use super::strip_suffix;

    #[test]
    fn strips_the_diploma_kind() {
        assert_eq!(strip_suffix("BANQUE (BTS) "), "BANQUE");
        assert_eq!(strip_suffix("CUISINE"), "CUISINE");
        assert_eq!(strip_suffix("A (B) C"), "A (B) C");
    }
}
