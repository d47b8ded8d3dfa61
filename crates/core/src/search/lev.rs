//! Typo tolerance: which words get it ([`typo_distance`]) and the one edit-distance
//! test, a Levenshtein automaton over UTF-8 bytes.
//!
//! The automaton is a deterministic one from the `levenshtein_automata` crate (Schulz &
//! Mihov's parametric construction, built once per distance and instantiated per query
//! word): one table lookup per byte, and a sink state as soon as no word below the
//! current prefix can match. It counts insertions, deletions and substitutions of
//! Unicode scalar values (no transpositions). The engine walks the fst word dictionary
//! with it ([`Levenshtein::walk`]); highlighting without an index tests single words
//! ([`Levenshtein::matches`]).

use std::sync::{Arc, OnceLock};

use fst::Automaton;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

/// Largest distance an automaton is built for (what [`typo_distance`] allows).
pub const MAX_DISTANCE: u8 = 2;
/// Longest word (in characters) that gets typo tolerance.
pub const MAX_LEV_CHARS: usize = 31;
/// Shortest word (in characters) that gets typo tolerance.
pub const MIN_TYPO_CHARS: usize = 3;
/// Words of this many characters or more are allowed two edits, shorter ones one.
pub const TWO_TYPOS_CHARS: usize = 8;

/// Allowed edits for a word without an exact match, or `None` when it gets no typo
/// tolerance (too short or too long, or holding a digit).
pub fn typo_distance(folded: &str) -> Option<u8> {
    let n = folded.chars().count();
    if !(MIN_TYPO_CHARS..=MAX_LEV_CHARS).contains(&n) || folded.chars().any(|c| c.is_numeric()) {
        None
    } else if n >= TWO_TYPOS_CHARS {
        Some(2)
    } else {
        Some(1)
    }
}

fn builder(max: u8) -> &'static LevenshteinAutomatonBuilder {
    static B: [OnceLock<LevenshteinAutomatonBuilder>; MAX_DISTANCE as usize + 1] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    B[max as usize].get_or_init(|| LevenshteinAutomatonBuilder::new(max, false))
}

/// Matches the words within `max` edits of a query word.
#[derive(Clone)]
pub struct Levenshtein {
    max: u8,
    dfa: Arc<DFA>,
}

impl std::fmt::Debug for Levenshtein {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Levenshtein")
            .field("max", &self.max)
            .finish()
    }
}

impl Levenshtein {
    /// An automaton for words within `max` (at most [`MAX_DISTANCE`]) edits of the first
    /// [`MAX_LEV_CHARS`] characters of `query`.
    pub fn new(query: &str, max: u8) -> Levenshtein {
        let max = max.min(MAX_DISTANCE);
        let query: String = query.chars().take(MAX_LEV_CHARS).collect();
        Levenshtein {
            max,
            dfa: Arc::new(builder(max).build_dfa(&query)),
        }
    }

    fn is_match_state(&self, s: u32) -> bool {
        matches!(self.dfa.distance(s), Distance::Exact(k) if k <= self.max)
    }

    /// Whether `word` is within the allowed edits.
    pub fn matches(&self, word: &str) -> bool {
        let mut s = self.dfa.initial_state();
        for &b in word.as_bytes() {
            s = self.dfa.transition(s, b);
            if s == SINK_STATE {
                return false;
            }
        }
        self.is_match_state(s)
    }

    /// Calls `f(word, value)` for every key of `map` within the allowed edits, in key
    /// order, like `map.search(self).into_stream()`, until `f` returns false.
    ///
    /// This walks the fst directly: the generic stream decodes every child node before
    /// asking the automaton whether it can still match, so most of its work went into
    /// nodes below a sink state. Here a child is only visited when the DFA transition
    /// into it is alive.
    pub fn walk<D: AsRef<[u8]>>(&self, map: &fst::Map<D>, mut f: impl FnMut(&[u8], u64) -> bool) {
        let dfa = &self.dfa;
        let fst = map.as_fst();
        let mut key = Vec::with_capacity(32);
        struct Frame<'f> {
            node: fst::raw::Node<'f>,
            trans: usize,
            state: u32,
            out: fst::raw::Output,
        }
        let root = fst.root();
        let start = dfa.initial_state();
        if root.is_final() && self.is_match_state(start) && !f(&key, root.final_output().value()) {
            return;
        }
        let mut stack = vec![Frame {
            node: root,
            trans: 0,
            state: start,
            out: fst::raw::Output::zero(),
        }];
        while let Some(top) = stack.last_mut() {
            if top.trans >= top.node.len() {
                stack.pop();
                key.pop();
                continue;
            }
            let t = top.node.transition(top.trans);
            top.trans += 1;
            let next = dfa.transition(top.state, t.inp);
            if next == SINK_STATE {
                continue;
            }
            let out = top.out.cat(t.out);
            let node = fst.node(t.addr);
            key.push(t.inp);
            if node.is_final()
                && self.is_match_state(next)
                && !f(&key, out.cat(node.final_output()).value())
            {
                return;
            }
            stack.push(Frame {
                node,
                trans: 0,
                state: next,
                out,
            });
        }
    }
}

impl Automaton for Levenshtein {
    type State = u32;

    fn start(&self) -> u32 {
        self.dfa.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        self.is_match_state(*state)
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.dfa.transition(*state, byte)
    }
}

/// Levenshtein distance between two words in Unicode scalar values, giving up
/// (returning `max + 1`) once it must exceed `max`: for comparing two given words
/// (the quote finder's misspellings), where building an automaton per pair would cost
/// more than the comparison. [`Levenshtein`] walks dictionaries.
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Map, Set, Streamer};

    /// The textbook dynamic programme, as the oracle.
    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                cur[j] = (prev[j - 1] + usize::from(a[i - 1] != b[j - 1]))
                    .min(prev[j] + 1)
                    .min(cur[j - 1] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    const WORDS: [&str; 16] = [
        "",
        "a",
        "ab",
        "abc",
        "abd",
        "bac",
        "négociation",
        "negotiation",
        "negotiations",
        "negotiatoins",
        "путин",
        "путина",
        "x",
        "government",
        "goverment",
        "govern",
    ];

    #[test]
    fn finds_neighbours_in_any_script() {
        let set =
            Set::from_iter(["patin", "putin", "putina", "putn", "xyz", "путен", "путин"]).unwrap();
        let run = |q: &str| {
            let mut found = Vec::new();
            let mut s = set.search(Levenshtein::new(q, 1)).into_stream();
            while let Some(k) = s.next() {
                found.push(String::from_utf8(k.to_vec()).unwrap());
            }
            found
        };
        assert_eq!(run("putin"), vec!["patin", "putin", "putina", "putn"]);
        assert_eq!(run("путин"), vec!["путен", "путин"]);
    }

    #[test]
    fn matching_walking_and_the_textbook_distance_agree() {
        let mut sorted = WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let map = Map::from_iter(sorted.iter().enumerate().map(|(i, w)| (*w, i as u64))).unwrap();
        for q in WORDS {
            for max in 0..=MAX_DISTANCE {
                let lev = Levenshtein::new(q, max);
                let want: Vec<&str> = sorted
                    .iter()
                    .copied()
                    .filter(|w| distance(q, w) <= max as usize)
                    .collect();
                let matched: Vec<&str> =
                    sorted.iter().copied().filter(|w| lev.matches(w)).collect();
                assert_eq!(matched, want, "{q} {max}");
                let mut walked = Vec::new();
                lev.walk(&map, |k, _| {
                    walked.push(String::from_utf8(k.to_vec()).unwrap());
                    true
                });
                assert_eq!(walked, want, "{q} {max}");
            }
        }
    }

    #[test]
    fn typo_tolerance_depends_on_length_and_digits() {
        assert_eq!(typo_distance("ab"), None);
        assert_eq!(typo_distance("abc"), Some(1));
        assert_eq!(typo_distance("abcdefgh"), Some(2));
        assert_eq!(typo_distance("g20"), None);
        assert_eq!(typo_distance(&"a".repeat(MAX_LEV_CHARS + 1)), None);
    }
}
