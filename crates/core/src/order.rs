//! One stable sort for the whole core.
//!
//! Every `slice::sort_by` over a new element or comparator type makes the compiler emit another copy
//! of the standard library's sort, about 3 KB of WebAssembly each (16 copies, 55 KB, in 0.5.1).
//! These helpers sort positions with a single comparator type instead, so the app carries one copy;
//! the lists sorted here are short (findings, splices, candidates), so the extra indirection is free.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare`, exactly as `slice::sort_by` would order them.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|at| slots[at].take()));
}

/// Sorts `items` stably by the key `key` gives each, as `slice::sort_by_key` would.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order, as `slice::sort` would.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// Collects `pairs` into a map, the last value of a repeated key winning as with `collect()`.
///
/// `collect()` into a `BTreeMap` sorts the pairs first (another copy of the sort per pair type);
/// inserting them one by one needs none.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Collects `items` into a set without sorting them first (see [`map_of`]).
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The one instance of the standard sort: positions ordered by what they point at.
#[inline(never)]
fn sort_positions(order: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs whose first half repeats, so stability is visible: (key, original position).
    fn pairs(seed: u64, len: usize) -> Vec<(u8, usize)> {
        let mut state = seed;
        (0..len)
            .map(|at| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 59) as u8, at)
            })
            .collect()
    }

    #[test]
    fn orders_as_the_standard_stable_sort_does() {
        for seed in 0..200 {
            for len in [0, 1, 2, 3, 7, 20, 64, 150] {
                let input = pairs(seed, len);
                let mut expected = input.clone();
                expected.sort_by_key(|p| p.0);
                let mut got = input.clone();
                sort_by_key(&mut got, |p| p.0);
                assert_eq!(got, expected, "seed {seed}, len {len}");
                let mut reversed = input.clone();
                sort_by(&mut reversed, |a, b| b.0.cmp(&a.0));
                let mut expected_reversed = input.clone();
                expected_reversed.sort_by_key(|p| std::cmp::Reverse(p.0));
                assert_eq!(reversed, expected_reversed, "seed {seed}, len {len}");
                let mut natural = input.clone();
                sort(&mut natural);
                let mut expected_natural = input;
                expected_natural.sort();
                assert_eq!(natural, expected_natural);
            }
        }
    }

    #[test]
    fn moves_owned_values_without_losing_any() {
        let map = map_of([("tp", 1), ("pp", 2), ("tp", 3)]);
        assert_eq!(map, [("tp", 1), ("pp", 2), ("tp", 3)].into_iter().collect());
        assert_eq!(set_of([3, 1, 3]), [3, 1, 3].into_iter().collect());
        let mut words: Vec<String> = ["pp", "tp", "dp", "tp", "ep"].map(String::from).to_vec();
        sort(&mut words);
        assert_eq!(words, ["dp", "ep", "pp", "tp", "tp"]);
    }
}
