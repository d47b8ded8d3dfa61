//! A small in-place sort for the engine's short lists: the spans and snippets of one
//! transcript, a query's roles, the parts a query still needs.
//!
//! Why not `slice::sort_unstable`: the standard library's sorts are fast and large, and
//! each element type and comparator gets its own copy, about 3 KB of wasm (pattern-
//! defeating quicksort, small-sort networks, a heapsort fallback). A dozen such copies
//! were a fifth of the search worker's library code, in the wasm every first visit
//! downloads (issue 13). Heapsort is a few dozen bytes a copy, never worse than
//! O(n log n), allocates nothing, and the lists sorted here hold tens to a few
//! thousand elements. The hot sort, ranking every hit by relevance, stays on the
//! standard library's, over plain `u64` keys (one copy).
//!
//! Like `sort_unstable`, it does not keep the order of equal elements: callers sort by
//! keys that tell every pair apart, or do not care.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, not stable.
pub(crate) fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut less = |a: &T, b: &T| cmp(a, b) == Ordering::Less;
    let n = v.len();
    // A max-heap first, then its root moved behind the heap, which shrinks by one.
    for i in (0..n / 2).rev() {
        sift_down(v, i, n, &mut less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut less);
    }
}

/// Sorts `v` by the key `key` gives each element, not stable.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its elements' order, not stable.
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Moves `v[node]` down the heap `v[..end]` until neither child is greater.
fn sift_down<T>(v: &mut [T], mut node: usize, end: usize, less: &mut impl FnMut(&T, &T) -> bool) {
    loop {
        let mut child = 2 * node + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[node], &v[child]) {
            return;
        }
        v.swap(node, child);
        node = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The oracle: the standard library's sort of the same elements.
        #[test]
        fn sorts_as_the_standard_library_does(mut v in proptest::collection::vec(any::<(u8, i16)>(), 0..300)) {
            let mut want = v.clone();
            want.sort();
            sort(&mut v);
            prop_assert_eq!(v, want);
        }

        #[test]
        fn sorts_by_a_key_and_a_comparator(v in proptest::collection::vec(any::<u32>(), 0..300)) {
            let mut want = v.clone();
            want.sort_by(|a, b| b.cmp(a));
            let mut by_cmp = v.clone();
            sort_by(&mut by_cmp, |a, b| b.cmp(a));
            prop_assert_eq!(&by_cmp, &want);
            let mut by_key = v;
            sort_by_key(&mut by_key, |&x| std::cmp::Reverse(x));
            prop_assert_eq!(by_key, want);
        }
    }

    #[test]
    fn short_and_equal_lists() {
        let mut empty: [u8; 0] = [];
        sort(&mut empty);
        let mut one = [7];
        sort(&mut one);
        assert_eq!(one, [7]);
        let mut same = [3; 17];
        sort(&mut same);
        assert_eq!(same, [3; 17]);
        let mut down: Vec<u32> = (0..1000).rev().collect();
        sort(&mut down);
        assert!(down.windows(2).all(|w| w[0] < w[1]));
    }
}
