//! The packed tree against a brute-force scan of the same points, with
//! clusters of identical points (many documents at one address).

use proptest::prelude::*;

use super::*;

/// Points on a small grid (so that many coincide), from 0 to 300 of them.
fn entries() -> impl Strategy<Value = Vec<Entry>> {
    prop::collection::vec((0..20u8, 0..20u8, 0..4u8), 0..300).prop_map(|cells| {
        cells
            .into_iter()
            .enumerate()
            .map(|(i, (x, y, z))| Entry {
                point: [
                    f32::from(x) / 20.0 - 0.5,
                    f32::from(y) / 20.0,
                    f32::from(z) * 0.3,
                ],
                id: u32::try_from(i).unwrap_or(u32::MAX),
            })
            .collect()
    })
}

fn query() -> impl Strategy<Value = [f32; 3]> {
    (-1.0f32..1.0, -1.0f32..1.0, -1.0f32..1.0).prop_map(|(x, y, z)| [x, y, z])
}

fn sorted_ids(found: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut ids: Vec<u32> = found.collect();
    ids.sort_unstable();
    ids
}

proptest! {
    #[test]
    fn within_finds_exactly_the_points_in_reach(entries in entries(), q in query(), reach in 0.0f32..0.8) {
        let tree = PackedTree::new(entries.clone());
        let reach_2 = reach * reach;
        let expected = sorted_ids(
            entries.iter().filter(|e| distance_2(&e.point, &q) <= reach_2).map(|e| e.id),
        );
        prop_assert_eq!(sorted_ids(tree.within(q, reach_2).map(|e| e.id)), expected);
    }

    #[test]
    fn nearest_walks_every_point_once_by_increasing_distance(entries in entries(), q in query()) {
        let tree = PackedTree::new(entries.clone());
        let walk: Vec<(u32, f32)> = tree.nearest(q).map(|(e, d2)| (e.id, d2)).collect();
        prop_assert_eq!(walk.len(), entries.len());
        for pair in walk.windows(2) {
            prop_assert!(pair[0].1 <= pair[1].1, "{:?} after {:?}", pair[1], pair[0]);
        }
        for (id, d2) in &walk {
            let e = entries.iter().find(|e| e.id == *id);
            prop_assert_eq!(e.map(|e| distance_2(&e.point, &q)), Some(*d2));
        }
        prop_assert_eq!(
            sorted_ids(walk.iter().map(|(id, _)| *id)),
            sorted_ids(entries.iter().map(|e| e.id))
        );
    }
}

#[test]
fn an_empty_tree_finds_nothing() {
    let tree = PackedTree::new(Vec::new());
    assert!(tree.is_empty());
    assert_eq!(tree.nearest([0.0; 3]).count(), 0);
    assert_eq!(tree.within([0.0; 3], 4.0).count(), 0);
}

#[test]
fn a_large_tree_has_several_levels_and_keeps_every_entry() {
    // 5,000 points on a spiral: boxes of 313 leaves, then 20, 2 and 1.
    let entries: Vec<Entry> = (0..5000u32)
        .map(|i| {
            let t = f64::from(i) * 0.01;
            #[allow(clippy::cast_possible_truncation)]
            let point = [t.cos() as f32, t.sin() as f32, (t / 50.0) as f32];
            Entry { point, id: i }
        })
        .collect();
    let tree = PackedTree::new(entries.clone());
    assert_eq!(
        tree.levels.iter().map(|l| l.len()).collect::<Vec<_>>(),
        [313, 20, 2, 1]
    );
    assert_eq!(tree.len(), 5000);
    let q = [0.5, 0.5, 0.5];
    let first: Vec<u32> = tree.nearest(q).take(10).map(|(e, _)| e.id).collect();
    let mut brute: Vec<(f32, u32)> = entries
        .iter()
        .map(|e| (distance_2(&e.point, &q), e.id))
        .collect();
    brute.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut expected: Vec<u32> = brute.iter().take(10).map(|(_, id)| *id).collect();
    let mut got = first.clone();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected);
}
