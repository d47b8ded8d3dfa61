//! Resolving a parsed query against the index: words into term ids (with prefix and
//! typo expansions from the word dictionary), phrases into the terms that place them,
//! `field:` conditions into facet value ids. Also what to highlight, per condition.

use std::collections::BTreeSet;

use fst::{Automaton, IntoStreamer, Streamer};

use super::exec::Scope;
use super::Index;
use crate::search::facet::Facet;
use crate::search::keyshard;
use crate::search::layout::{pair_key, pair_pos_key, PartId};
use crate::search::lev::{typo_distance, Levenshtein};
use crate::search::query::{DateRange, Node, Query};
use crate::search::snippet::TextPattern;
use crate::search::SearchError;

/// Most index terms a `prefix*` may expand to before the query is refused.
pub const MAX_PREFIX_TERMS: usize = 2000;
/// Most index terms a misspelt word may expand to before the query is refused.
pub const MAX_TYPO_TERMS: usize = 200;
/// Most index terms a whole query may read the postings of (its words' expansions
/// together): the per-query work budget. A query then decodes at most this many posting
/// lists, each at most one posting per document, whatever it holds (64 prefixes of 2,000
/// terms each would be 128,000 lists); a larger one is refused before any is fetched.
pub const MAX_QUERY_TERMS: usize = 8000;
/// Expanded terms (prefix, typo) rank below exact ones.
const PREFIX_WEIGHT: f32 = 0.8;
const TYPO_WEIGHT: f32 = 0.6;

/// A query node resolved against the index: words turned into term ids, field values
/// into value ids.
#[derive(Debug)]
pub(super) enum ResolvedNode {
    Terms {
        /// (term, weight): the exact term 1.0, expansions less.
        terms: Vec<(u32, f32)>,
    },
    /// A phrase: the terms whose positions place it, each with its offset from the
    /// phrase's start (`None` when a word is not in the index), and the pair term that
    /// answers it alone (two words, no speaker scope).
    Phrase {
        parts: Option<Vec<(u32, u32)>>,
        pair: Option<u32>,
    },
    /// Documents with any of these value ids of the facet.
    Values {
        facet: Facet,
        ids: Vec<u32>,
    },
    Date(DateRange),
    And(Vec<ResolvedNode>),
    Or(Vec<ResolvedNode>),
    Not(Box<ResolvedNode>),
}

/// A resolved query.
pub(super) struct ResolvedQuery {
    pub root: Option<ResolvedNode>,
    /// The scope (speakers' turns, question or answer turns), when the query has one.
    pub scope: Option<Scope>,
    /// Every word and phrase, in query order.
    pub atoms: Vec<AtomInfo>,
}

/// A word or phrase of the query: its terms and what it highlights.
pub(super) struct AtomInfo {
    /// Whether it is under an even number of negations.
    pub positive: bool,
    pub pattern: TextPattern,
    pub terms: Vec<u32>,
    pub phrase: bool,
    /// Whether evaluating it reads its terms' positions.
    pub positions: bool,
}

/// What places a phrase of words with these `terms`, given the pair term (with
/// positions) of each two adjacent words where there is one (`pairs[i]`: words i and
/// i + 1): (term, offset from the phrase's start), which together are exactly the
/// phrase's adjacency. A pair has fewer positions than either of its words ("the
/// united" against "the"), and every part but the rarest has all its positions in a
/// candidate document decoded: so pairs are preferred, and as few parts as cover the
/// words. From the left, the first word not yet covered is covered by the pair it
/// starts, else by the pair it ends (overlapping one already taken), else by itself.
pub(super) fn phrase_parts(terms: &[u32], pairs: &[Option<u32>]) -> Vec<(u32, u32)> {
    let mut parts = Vec::with_capacity(terms.len());
    let mut i = 0;
    while i < terms.len() {
        if let Some(p) = pairs.get(i).copied().flatten() {
            parts.push((p, i as u32));
            i += 2;
        } else if let Some(p) = i.checked_sub(1).and_then(|j| pairs[j]) {
            parts.push((p, i as u32 - 1));
            i += 1;
        } else {
            parts.push((terms[i], i as u32));
            i += 1;
        }
    }
    parts
}

fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

impl Index {
    // Out of line so that profiles show the time of each search stage apart.
    #[inline(never)]
    pub(super) fn resolve(&self, q: &Query) -> Result<ResolvedQuery, SearchError> {
        let speakers: Vec<Vec<String>> = q.speakers.iter().map(|v| v.folded.clone()).collect();
        let scope = self.scope_of(&speakers, &q.roles);
        let mut atoms = Vec::new();
        let root = match &q.root {
            Some(n) => Some(self.resolve_node(n, true, scope.is_some(), &mut atoms)?),
            None => None,
        };
        let terms: usize = atoms.iter().map(|a| a.terms.len()).sum();
        if terms > MAX_QUERY_TERMS {
            return Err(SearchError::TooBroad {
                word: "the whole query".into(),
                limit: MAX_QUERY_TERMS,
            });
        }
        Ok(ResolvedQuery { root, scope, atoms })
    }

    fn exact(&self, term: &str) -> Result<Option<u32>, SearchError> {
        self.term_id(term)
    }

    /// The word-dictionary shards that resolving `n` reads: a prefix's (the shards its
    /// words lie in) and, for a word that has no exact match and gets typo tolerance,
    /// every shard (a typo may change the first letter). The same tests as
    /// [`Index::resolve_node`].
    pub(super) fn words_needed(&self, n: &Node, out: &mut BTreeSet<usize>) {
        match n {
            Node::Word(w) => {
                // The stem's dictionary shard is loaded first (`Index::plan_for`).
                if w.prefix {
                    let bounds = &self.meta.words_bounds;
                    out.extend(keyshard::prefix_shards(bounds, w.folded.as_bytes()));
                } else if self.exact(&w.term).ok().flatten().is_none()
                    && typo_distance(&w.folded).is_some()
                {
                    out.extend(0..self.words.len());
                }
            }
            Node::And(v) | Node::Or(v) => v.iter().for_each(|c| self.words_needed(c, out)),
            Node::Not(c) => self.words_needed(c, out),
            Node::Phrase(_) | Node::Field(..) | Node::Date(_) => {}
        }
    }

    /// The loaded word-dictionary shards of `range`, in key order; `MissingPart` for
    /// the first that is not loaded.
    fn words(&self, range: std::ops::Range<usize>) -> Result<Vec<&fst::Map<Vec<u8>>>, SearchError> {
        range
            .map(|i| {
                self.words[i]
                    .as_ref()
                    .ok_or(SearchError::MissingPart(PartId::Words(i as u32)))
            })
            .collect()
    }

    /// `scoped`: whether the query has a scope (every text match then needs positions,
    /// to be tested against the turns in scope).
    fn resolve_node(
        &self,
        n: &Node,
        positive: bool,
        scoped: bool,
        atoms: &mut Vec<AtomInfo>,
    ) -> Result<ResolvedNode, SearchError> {
        Ok(match n {
            Node::Word(w) => {
                let mut terms: Vec<(u32, f32)> = Vec::new();
                let mut surfaces = Vec::new();
                let mut stems = Vec::new();
                let mut prefix = None;
                if w.prefix {
                    let range =
                        keyshard::prefix_shards(&self.meta.words_bounds, w.folded.as_bytes());
                    let mut set = BTreeSet::new();
                    for map in self.words(range)? {
                        let aut = fst::automaton::Str::new(&w.folded).starts_with();
                        let mut st = map.search(aut).into_stream();
                        while let Some((_, v)) = st.next() {
                            set.insert(v as u32);
                            if set.len() > MAX_PREFIX_TERMS {
                                return Err(SearchError::TooBroad {
                                    word: format!("{}*", w.folded),
                                    limit: MAX_PREFIX_TERMS,
                                });
                            }
                        }
                    }
                    terms = set.into_iter().map(|t| (t, PREFIX_WEIGHT)).collect();
                    prefix = Some(w.folded.clone());
                } else if let Some(t) = self.exact(&w.term)? {
                    terms.push((t, 1.0));
                    stems.push(w.term.clone());
                } else if let Some(d) = typo_distance(&w.folded) {
                    let mut set = BTreeSet::new();
                    let lev = Levenshtein::new(&w.folded, d);
                    // The shards in key order, as one dictionary: the walk stops at the
                    // same word it would in a whole one.
                    for map in self.words(0..self.words.len())? {
                        lev.walk(map, |k, v| {
                            set.insert(v as u32);
                            surfaces.push(String::from_utf8_lossy(k).into_owned());
                            set.len() <= MAX_TYPO_TERMS
                        });
                        if set.len() > MAX_TYPO_TERMS {
                            break;
                        }
                    }
                    if set.len() > MAX_TYPO_TERMS {
                        return Err(SearchError::TooBroad {
                            word: w.folded.clone(),
                            limit: MAX_TYPO_TERMS,
                        });
                    }
                    terms = set.into_iter().map(|t| (t, TYPO_WEIGHT)).collect();
                }
                atoms.push(AtomInfo {
                    positive,
                    pattern: TextPattern::Word {
                        stems,
                        surfaces,
                        prefix,
                        typo: None,
                        idf: 1.0,
                    },
                    terms: terms.iter().map(|t| t.0).collect(),
                    phrase: false,
                    positions: false,
                });
                ResolvedNode::Terms { terms }
            }
            Node::Phrase(ws) => {
                let terms: Option<Vec<u32>> = ws
                    .iter()
                    .map(|w| self.exact(&w.term))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .collect();
                // Adjacent words with a pair term: (pair, i) places words i and i + 1,
                // with fewer positions to read than either word's.
                let pairs: Vec<Option<u32>> = ws
                    .windows(2)
                    .map(|w| self.exact(&pair_pos_key(&w[0].term, &w[1].term)))
                    .collect::<Result<_, _>>()?;
                // Two words with a pair term (either kind) and no scope: its postings
                // alone answer it.
                let pair = match ws.as_slice() {
                    [a, b] if !scoped && terms.is_some() => match pairs[0] {
                        Some(p) => Some(p),
                        None => self.exact(&pair_key(&a.term, &b.term))?,
                    },
                    _ => None,
                };
                let parts = terms.map(|terms| phrase_parts(&terms, &pairs));
                atoms.push(AtomInfo {
                    positive,
                    pattern: TextPattern::Phrase {
                        stems: ws.iter().map(|w| w.term.clone()).collect(),
                        idf: 1.0,
                    },
                    terms: match (pair, &parts) {
                        (Some(p), _) => vec![p],
                        (None, Some(parts)) => parts.iter().map(|&(t, _)| t).collect(),
                        (None, None) => Vec::new(),
                    },
                    phrase: true,
                    positions: pair.is_none(),
                });
                ResolvedNode::Phrase { parts, pair }
            }
            Node::Field(facet, v) => {
                let ids = self.folded_values[*facet]
                    .iter()
                    .enumerate()
                    .filter(|(_, fv)| {
                        if facet.matches_whole_value() {
                            **fv == v.folded
                        } else {
                            contains_seq(fv, &v.folded)
                        }
                    })
                    .map(|(i, _)| i as u32)
                    .collect();
                ResolvedNode::Values { facet: *facet, ids }
            }
            Node::Date(d) => ResolvedNode::Date(*d),
            Node::And(v) => ResolvedNode::And(
                v.iter()
                    .map(|c| self.resolve_node(c, positive, scoped, atoms))
                    .collect::<Result<_, _>>()?,
            ),
            Node::Or(v) => ResolvedNode::Or(
                v.iter()
                    .map(|c| self.resolve_node(c, positive, scoped, atoms))
                    .collect::<Result<_, _>>()?,
            ),
            Node::Not(c) => {
                ResolvedNode::Not(Box::new(self.resolve_node(c, !positive, scoped, atoms)?))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_placed_by_as_few_parts_as_cover_it_pairs_first() {
        let n = None;
        assert_eq!(phrase_parts(&[10, 11], &[n]), vec![(10, 0), (11, 1)]);
        assert_eq!(phrase_parts(&[10, 11], &[Some(7)]), vec![(7, 0)]);
        assert_eq!(
            phrase_parts(&[10, 11, 12], &[Some(7), n]),
            vec![(7, 0), (12, 2)]
        );
        assert_eq!(
            phrase_parts(&[10, 11, 12], &[n, Some(8)]),
            vec![(10, 0), (8, 1)]
        );
        assert_eq!(
            phrase_parts(&[10, 11, 12], &[Some(7), Some(8)]),
            vec![(7, 0), (8, 1)]
        );
        let four = [10, 11, 12, 13];
        assert_eq!(
            phrase_parts(&four, &[Some(7), Some(8), Some(9)]),
            vec![(7, 0), (9, 2)]
        );
        assert_eq!(
            phrase_parts(&four, &[Some(7), n, Some(9)]),
            vec![(7, 0), (9, 2)]
        );
        assert_eq!(
            phrase_parts(&four, &[n, Some(8), n]),
            vec![(10, 0), (8, 1), (13, 3)]
        );
        assert_eq!(phrase_parts(&[10], &[]), vec![(10, 0)]);
    }
}
