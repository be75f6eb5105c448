//! The lift curve on hand-made rankings.

use lba_model::lift::{at, lift_curve, random_curve};

#[test]
fn lift_on_a_hand_made_ranking() {
    // 10 establishments; the two best-scored made 60 of the 100 hirings.
    let scores = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0];
    let actual = [40.0, 20.0, 10.0, 10.0, 5.0, 5.0, 5.0, 5.0, 0.0, 0.0];
    let curve = lift_curve(&scores, &actual, 10);
    assert_eq!(curve.len(), 10);
    assert_eq!(at(&curve, 10), Some(40.0));
    assert_eq!(at(&curve, 20), Some(60.0));
    assert_eq!(at(&curve, 50), Some(85.0));
    assert_eq!(at(&curve, 100), Some(100.0));
    // The reverse ranking captures nothing in its top 20 %.
    let reversed: Vec<f64> = scores.iter().map(|s| -s).collect();
    assert_eq!(at(&lift_curve(&reversed, &actual, 10), 20), Some(0.0));
}

#[test]
fn ties_count_at_their_expected_value() {
    // A constant score is a random ranking: k % of the hirings in the top k %.
    let actual = [5.0, 0.0, 3.0, 2.0];
    let curve = lift_curve(&[1.0; 4], &actual, 4);
    assert_eq!(curve, random_curve(4));
    // Two tied leaders sharing 6 of 10 hirings: the top 25 % gets half of them.
    let curve = lift_curve(&[2.0, 2.0, 1.0, 0.0], &[5.0, 1.0, 4.0, 0.0], 4);
    assert_eq!(at(&curve, 25), Some(30.0));
    assert_eq!(at(&curve, 50), Some(60.0));
}

#[test]
fn no_hirings_gives_no_curve() {
    assert!(lift_curve(&[1.0, 2.0], &[0.0, 0.0], 10).is_empty());
    assert!(lift_curve(&[1.0], &[1.0, 2.0], 10).is_empty());
}
