//! A Levenshtein automaton over UTF-8 bytes, for walking the fst word dictionary.
//!
//! For up to [`MAX_DFA_DISTANCE`] edits it is a deterministic automaton from the
//! `levenshtein_automata` crate (Schulz & Mihov's parametric construction, built once per
//! distance and instantiated per query word): one table lookup per byte, and a sink
//! state as soon as no dictionary word below the current prefix can match. Larger
//! distances simulate the classic dynamic-programming row (one cell per query character),
//! pruning a branch once every cell exceeds the allowed distance. Both count insertions,
//! deletions and substitutions of Unicode scalar values (no transpositions), exactly like
//! [`crate::search::analysis::edit_distance_within`].

use std::sync::OnceLock;

use fst::Automaton;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

/// Largest distance served by a precomputed deterministic automaton.
pub const MAX_DFA_DISTANCE: u8 = 2;

fn builder(max: u8) -> &'static LevenshteinAutomatonBuilder {
    static B: [OnceLock<LevenshteinAutomatonBuilder>; MAX_DFA_DISTANCE as usize + 1] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    B[max as usize].get_or_init(|| LevenshteinAutomatonBuilder::new(max, false))
}

/// Matches the words within `max` edits of `query`.
#[derive(Clone)]
pub struct Levenshtein {
    query: Vec<char>,
    max: u8,
    dfa: Option<std::sync::Arc<DFA>>,
}

impl std::fmt::Debug for Levenshtein {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Levenshtein")
            .field("query", &self.query)
            .field("max", &self.max)
            .finish()
    }
}

/// Longest query (in characters) the automaton handles; longer words get no typo
/// tolerance. A fixed row keeps states allocation-free: the fst walk clones one per edge.
pub const MAX_LEV_CHARS: usize = 31;

/// The automaton's state: the DP row, plus a partial UTF-8 character.
#[derive(Debug, Clone, Copy)]
pub struct LevState {
    row: [u8; MAX_LEV_CHARS + 1],
    /// Code point bits collected so far and continuation bytes still expected.
    partial: u32,
    pending: u8,
}

impl Levenshtein {
    /// An automaton for words within `max` (at most 254) edits of `query`.
    pub fn new(query: &str, max: u8) -> Levenshtein {
        let query: Vec<char> = query.chars().take(MAX_LEV_CHARS).collect();
        let dfa = (max <= MAX_DFA_DISTANCE).then(|| {
            std::sync::Arc::new(builder(max).build_dfa(&query.iter().collect::<String>()))
        });
        Levenshtein {
            query,
            max: max.min(254),
            dfa,
        }
    }

    fn step(&self, row: &[u8; MAX_LEV_CHARS + 1], c: char) -> [u8; MAX_LEV_CHARS + 1] {
        let cap = self.max + 1;
        let mut next = [cap; MAX_LEV_CHARS + 1];
        next[0] = row[0].saturating_add(1).min(cap);
        for j in 1..=self.query.len() {
            let sub = row[j - 1].saturating_add(u8::from(self.query[j - 1] != c));
            let v = sub
                .min(row[j].saturating_add(1))
                .min(next[j - 1].saturating_add(1));
            next[j] = v.min(cap);
        }
        next
    }

    fn row<'a>(&self, s: &'a LevState) -> &'a [u8] {
        &s.row[..=self.query.len()]
    }
}

/// The state of a [`Levenshtein`] walk: a DFA state, or the dynamic-programming row.
#[derive(Debug, Clone, Copy)]
pub enum LevWalk {
    Dfa(u32),
    Row(Option<LevState>),
}

impl Automaton for Levenshtein {
    type State = LevWalk;

    fn start(&self) -> LevWalk {
        match &self.dfa {
            Some(d) => LevWalk::Dfa(d.initial_state()),
            None => LevWalk::Row(self.row_start()),
        }
    }

    fn is_match(&self, state: &LevWalk) -> bool {
        match (state, &self.dfa) {
            (LevWalk::Dfa(s), Some(d)) => {
                matches!(d.distance(*s), Distance::Exact(k) if k <= self.max)
            }
            (LevWalk::Row(s), _) => self.row_is_match(s),
            _ => false,
        }
    }

    fn can_match(&self, state: &LevWalk) -> bool {
        match state {
            LevWalk::Dfa(s) => *s != SINK_STATE,
            LevWalk::Row(s) => self.row_can_match(s),
        }
    }

    fn accept(&self, state: &LevWalk, byte: u8) -> LevWalk {
        match (state, &self.dfa) {
            (LevWalk::Dfa(s), Some(d)) => LevWalk::Dfa(d.transition(*s, byte)),
            (LevWalk::Row(s), _) => LevWalk::Row(self.row_accept(s, byte)),
            _ => LevWalk::Dfa(SINK_STATE),
        }
    }
}

impl Levenshtein {
    fn row_start(&self) -> Option<LevState> {
        let cap = self.max + 1;
        let mut row = [cap; MAX_LEV_CHARS + 1];
        for (i, v) in row.iter_mut().enumerate().take(self.query.len() + 1) {
            *v = i.min(cap as usize) as u8;
        }
        Some(LevState {
            row,
            partial: 0,
            pending: 0,
        })
    }

    fn row_is_match(&self, state: &Option<LevState>) -> bool {
        state
            .as_ref()
            .is_some_and(|s| s.pending == 0 && s.row[self.query.len()] <= self.max)
    }

    fn row_can_match(&self, state: &Option<LevState>) -> bool {
        state
            .as_ref()
            .is_some_and(|s| self.row(s).iter().any(|&v| v <= self.max))
    }

    fn row_accept(&self, state: &Option<LevState>, byte: u8) -> Option<LevState> {
        let s = state.as_ref()?;
        let (partial, pending) = if s.pending > 0 {
            if byte & 0xC0 != 0x80 {
                return None;
            }
            ((s.partial << 6) | u32::from(byte & 0x3F), s.pending - 1)
        } else if byte < 0x80 {
            (u32::from(byte), 0)
        } else if byte & 0xE0 == 0xC0 {
            (u32::from(byte & 0x1F), 1)
        } else if byte & 0xF0 == 0xE0 {
            (u32::from(byte & 0x0F), 2)
        } else if byte & 0xF8 == 0xF0 {
            (u32::from(byte & 0x07), 3)
        } else {
            return None;
        };
        if pending > 0 {
            return Some(LevState {
                row: s.row,
                partial,
                pending,
            });
        }
        let c = char::from_u32(partial)?;
        let row = self.step(&s.row, c);
        if row[..=self.query.len()].iter().all(|&v| v > self.max) {
            return None;
        }
        Some(LevState {
            row,
            partial: 0,
            pending: 0,
        })
    }
}

impl Levenshtein {
    /// Calls `f(word, value)` for every key of `map` within the allowed edits, in key
    /// order, like `map.search(self).into_stream()`, until `f` returns false.
    ///
    /// With a DFA this walks the fst directly: the generic stream decodes every child
    /// node before asking the automaton whether it can still match, so most of its work
    /// went into nodes below a sink state. Here a child is only visited when the DFA
    /// transition into it is alive.
    pub fn walk<D: AsRef<[u8]>>(&self, map: &fst::Map<D>, mut f: impl FnMut(&[u8], u64) -> bool) {
        use fst::{IntoStreamer, Streamer};
        let Some(dfa) = &self.dfa else {
            let mut st = map.search(self).into_stream();
            while let Some((k, v)) = st.next() {
                if !f(k, v) {
                    return;
                }
            }
            return;
        };
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
        let is_match = |s: u32| matches!(dfa.distance(s), Distance::Exact(k) if k <= self.max);
        if root.is_final() && is_match(start) && !f(&key, root.final_output().value()) {
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
            if node.is_final() && is_match(next) && !f(&key, out.cat(node.final_output()).value()) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Set, Streamer};

    #[test]
    fn finds_neighbours_in_any_script() {
        let set =
            Set::from_iter(["patin", "putin", "putina", "putn", "xyz", "путен", "путин"]).unwrap();
        let mut found = Vec::new();
        let mut s = set.search(Levenshtein::new("putin", 1)).into_stream();
        while let Some(k) = s.next() {
            found.push(String::from_utf8(k.to_vec()).unwrap());
        }
        assert_eq!(found, vec!["patin", "putin", "putina", "putn"]);
        let mut s = set.search(Levenshtein::new("путин", 1)).into_stream();
        let mut found = Vec::new();
        while let Some(k) = s.next() {
            found.push(String::from_utf8(k.to_vec()).unwrap());
        }
        assert_eq!(found, vec!["путен", "путин"]);
    }

    #[test]
    fn dfa_and_row_agree() {
        let words = [
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
        let set = Set::from_iter({
            let mut w = words.to_vec();
            w.sort_unstable();
            w.dedup();
            w
        })
        .unwrap();
        for q in words {
            for max in 0..=2u8 {
                let dfa = Levenshtein::new(q, max);
                let row = Levenshtein {
                    dfa: None,
                    ..dfa.clone()
                };
                let run = |a: Levenshtein| {
                    let mut s = set.search(a).into_stream();
                    let mut v = Vec::new();
                    while let Some(k) = s.next() {
                        v.push(k.to_vec());
                    }
                    v
                };
                assert_eq!(run(dfa), run(row), "{q} {max}");
            }
        }
    }
}
