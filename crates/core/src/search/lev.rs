//! A Levenshtein automaton over UTF-8 bytes, for walking the fst word dictionary.
//!
//! The automaton simulates the classic dynamic-programming row (one cell per query
//! character) and prunes a branch as soon as every cell exceeds the allowed distance,
//! so the walk visits only dictionary prefixes that can still lead to a match. The
//! distance counts insertions, deletions and substitutions of Unicode scalar values
//! (no transpositions), exactly like [`crate::search::analysis::edit_distance_within`].

use fst::Automaton;

/// Matches the words within `max` edits of `query`.
#[derive(Debug, Clone)]
pub struct Levenshtein {
    query: Vec<char>,
    max: u8,
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
        Levenshtein {
            query: query.chars().take(MAX_LEV_CHARS).collect(),
            max: max.min(254),
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

impl Automaton for Levenshtein {
    type State = Option<LevState>;

    fn start(&self) -> Self::State {
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

    fn is_match(&self, state: &Self::State) -> bool {
        state
            .as_ref()
            .is_some_and(|s| s.pending == 0 && s.row[self.query.len()] <= self.max)
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state
            .as_ref()
            .is_some_and(|s| self.row(s).iter().any(|&v| v <= self.max))
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
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
}
