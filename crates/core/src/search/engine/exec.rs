//! Running a resolved query: boolean evaluation over document sets, BM25 scores, the
//! scope (speakers' turns, question or answer turns), the sort and the page of hits.

use super::resolve::ResolvedNode;
use super::results::{Hit, SearchOptions, SearchResults, Sort};
use super::Index;
use crate::ingest::qa::TurnRole;
use crate::search::docset::DocSet;
use crate::search::facet::Facet;
use crate::search::meta::TurnRange;
use crate::search::postings::{norm_len, Cursor};
use crate::search::query::Query;
use crate::search::SearchError;

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Extra weight of an occurrence in the title (on top of none: the title is not a paragraph).
pub(super) const TITLE_BOOST: f32 = 3.0;
/// Extra weight of an occurrence in a summary paragraph (on top of its plain count).
const SUMMARY_BOOST: f32 = 1.0;

/// BM25 of a term weighted `tfw` in a document of the length its postings' `norm`
/// byte gives ([`norm_len`]: the length as the index quantised it, not the exact one).
fn bm25(idf: f32, tfw: f32, norm: u8, avg: f32) -> f32 {
    let norm = K1 * (1.0 - B + B * norm_len(norm) as f32 / avg);
    idf * tfw * (K1 + 1.0) / (tfw + norm)
}

/// A hit's place in relevance order as one integer, ascending: score descending (in
/// `f32::total_cmp`'s order), then document number descending. As integers, the ranking
/// shares its sort with the facets' keys: each sort of another element type is a few KB
/// of the search worker's wasm (issue 13).
fn relevance_key(score: f32, doc: u32) -> u64 {
    let bits = score.to_bits();
    // total_cmp's order as unsigned bits: negatives reversed below the positives.
    let ord = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 0x8000_0000
    };
    (u64::from(!ord) << 32) | u64::from(!doc)
}

fn date_string(key: u32) -> Option<String> {
    if key == 0 {
        return None;
    }
    let (y, m, d) = (key / 10000, key / 100 % 100, key % 100);
    Some(match (m, d) {
        (0, _) => format!("{y:04}"),
        (_, 0) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    })
}

/// A query's scope: the turns whose words alone count (top-level `speaker:` and `in:`
/// conditions; see `docs/query-syntax.md`).
#[derive(Debug, Clone)]
pub(super) struct Scope {
    /// Speaker value ids, any of which (`None`: any speaker, or none).
    pub speakers: Option<Vec<u32>>,
    /// Roles, any of which (empty: any role).
    pub roles: Vec<TurnRole>,
}

impl Index {
    /// The scope of `speakers` (each a value's folded words, matched against the
    /// speaker facet's values, folded) and `roles`; `None` when both are empty.
    pub(super) fn scope_of(&self, speakers: &[Vec<String>], roles: &[TurnRole]) -> Option<Scope> {
        if speakers.is_empty() && roles.is_empty() {
            return None;
        }
        let folded = &self.folded_values[Facet::Speaker];
        let ids = (!speakers.is_empty()).then(|| {
            (0..folded.len() as u32)
                .filter(|&i| speakers.contains(&folded[i as usize]))
                .collect()
        });
        Some(Scope {
            speakers: ids,
            roles: roles.to_vec(),
        })
    }
}

impl Scope {
    /// Whether turn `t` is in scope.
    pub fn turn(&self, t: &TurnRange) -> bool {
        self.speakers
            .as_ref()
            .is_none_or(|ids| t.speaker.is_some_and(|s| ids.contains(&s)))
            && (self.roles.is_empty() || self.roles.contains(&t.role))
    }

    /// Whether token `p` lies in a turn in scope (the title is in no turn).
    pub fn contains(&self, turns: &[TurnRange], p: u32) -> bool {
        turns
            .iter()
            .any(|t| self.turn(t) && t.first <= p && p < t.first + t.len)
    }
}

impl Index {
    /// Runs a query. Fails with [`SearchError::MissingPart`] if a shard it needs is not loaded.
    pub fn search(&self, q: &Query, opts: &SearchOptions) -> Result<SearchResults, SearchError> {
        self.require(q, Some(opts))?;
        let mut res = self.resolve(q)?;
        let n = self.doc_count();
        for a in &mut res.atoms {
            let idfs: Vec<f32> = a
                .terms
                .iter()
                .map(|&t| self.term_postings(t, false).map(|tp| self.idf(tp.df)))
                .collect::<Result<_, _>>()?;
            let idf = if a.phrase {
                idfs.iter().sum()
            } else {
                idfs.iter().copied().fold(0.0, f32::max)
            };
            a.pattern.set_idf(idf);
        }
        let mut ex = Exec {
            ix: self,
            scores: vec![0.0; n],
            scope: None,
            scored: false,
            buf: Vec::new(),
        };
        if let Some(scope) = &res.scope {
            let mut docs = DocSet::empty(n);
            for d in 0..n {
                if self.doc_turns(d as u32).iter().any(|t| scope.turn(t)) {
                    docs.insert(d as u32);
                }
            }
            ex.scope = Some((scope.clone(), docs));
        }
        let mut base = match &res.root {
            Some(r) => ex.eval(r, true)?,
            None => DocSet::full(n),
        };
        if let Some((_, docs)) = &ex.scope {
            base.and(docs);
        }
        let groups = self.filter_sets(&opts.filters);
        let mut matched = base.clone();
        for g in groups.iter().filter_map(|(_, g)| g.as_ref()) {
            matched.and(g);
        }
        let total = matched.count();
        let sort = match opts.sort {
            Sort::Relevance if !ex.scored => Sort::Newest,
            s => s,
        };
        let want = opts.offset.saturating_add(opts.limit);
        let page: Vec<u32> = match sort {
            Sort::Newest => matched
                .iter()
                .rev()
                .skip(opts.offset)
                .take(opts.limit)
                .collect(),
            Sort::Oldest => matched.iter().skip(opts.offset).take(opts.limit).collect(),
            Sort::Relevance => {
                let mut all: Vec<u64> = matched
                    .iter()
                    .map(|d| relevance_key(ex.scores[d as usize], d))
                    .collect();
                if want < all.len() && want > 0 {
                    all.select_nth_unstable(want - 1);
                    all.truncate(want);
                }
                all.sort_unstable();
                all.into_iter()
                    .skip(opts.offset)
                    .take(opts.limit)
                    .map(|k| !(k as u32))
                    .collect()
            }
        };
        let hits = page
            .iter()
            .map(|&d| Hit {
                doc: d,
                id: match opts.hit_details {
                    true => self.meta.ids[d as usize].clone(),
                    false => String::new(),
                },
                // Once the dates are loaded: hits with details load them.
                date: self
                    .meta
                    .dates
                    .get(d as usize)
                    .and_then(|&k| date_string(k)),
                speakers: match opts.hit_details {
                    true => self.doc_speakers(d),
                    false => Vec::new(),
                },
                score: ex.scores[d as usize],
            })
            .collect();
        let facets = if opts.facets {
            self.facets(&base, &groups, opts)
        } else {
            Default::default()
        };
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }
}

pub(super) struct Exec<'a> {
    pub ix: &'a Index,
    pub scores: Vec<f32>,
    /// The scope, and the documents with a turn in it.
    pub scope: Option<(Scope, DocSet)>,
    /// Whether any positive text condition contributed scores.
    pub scored: bool,
    pub buf: Vec<u32>,
}

impl Exec<'_> {
    // Out of line so that profiles show the time of each search stage apart.
    #[inline(never)]
    fn eval(&mut self, r: &ResolvedNode, positive: bool) -> Result<DocSet, SearchError> {
        let ix = self.ix;
        let n = ix.doc_count();
        Ok(match r {
            ResolvedNode::Terms { terms, .. } => {
                let mut set = DocSet::empty(n);
                for &(t, w) in terms {
                    let scoped = self.scope.is_some();
                    let tp = ix.term_postings(t, scoped)?;
                    let idf = ix.idf(tp.df) * w;
                    let mut c = Cursor::new(tp);
                    while c.next() {
                        let d = c.doc;
                        let tfw = if let Some((scope, docs)) = &self.scope {
                            if !docs.contains(d) {
                                continue;
                            }
                            c.positions(&mut self.buf);
                            let turns = ix.doc_turns(d);
                            self.buf
                                .iter()
                                .filter(|&&p| scope.contains(turns, p))
                                .count() as f32
                        } else {
                            c.tf as f32
                                + TITLE_BOOST * c.title as f32
                                + SUMMARY_BOOST * c.summary as f32
                        };
                        if tfw == 0.0 {
                            continue;
                        }
                        set.insert(d);
                        if positive {
                            self.scores[d as usize] += bm25(idf, tfw, c.norm, ix.meta.avg_len);
                        }
                    }
                }
                if positive && !terms.is_empty() {
                    self.scored = true;
                }
                set
            }
            ResolvedNode::Phrase { parts, pair } => {
                let mut set = DocSet::empty(n);
                let Some(parts) = parts else { return Ok(set) };
                // (document, weighted count of the phrase in it, its norm).
                let mut found: Vec<(u32, f32, u8)> = Vec::new();
                // `resolve` names a pair only when there is no speaker scope.
                if let Some(p) = pair {
                    let mut c = Cursor::new(ix.term_postings(*p, false)?);
                    while c.next() {
                        // `tf` counts the pair outside the title, as for a word.
                        let tfw = (c.tf + c.title) as f32 + TITLE_BOOST * c.title as f32;
                        found.push((c.doc, tfw, c.norm));
                    }
                } else {
                    self.phrase_docs(parts, &mut found)?;
                }
                // The phrase is scored as one term: its idf comes from the documents
                // it is in, whichever way they were found.
                let idf = ix.idf(found.len() as u32);
                for &(d, tfw, norm) in &found {
                    set.insert(d);
                    if positive {
                        self.scores[d as usize] += bm25(idf, tfw, norm, ix.meta.avg_len);
                    }
                }
                if positive {
                    self.scored = true;
                }
                set
            }
            ResolvedNode::Values { facet, ids } => {
                let mut set = DocSet::empty(n);
                if !ids.is_empty() {
                    let mut mask = vec![false; ix.meta.values[*facet].len()];
                    for &i in ids {
                        mask[i as usize] = true;
                    }
                    for d in 0..n as u32 {
                        if ix.doc_values(*facet, d).iter().any(|&v| mask[v as usize]) {
                            set.insert(d);
                        }
                    }
                }
                set
            }
            ResolvedNode::Date(r) => {
                let mut set = DocSet::empty(n);
                for (d, &k) in ix.meta.dates.iter().enumerate() {
                    if k != 0 && r.lo <= k && k <= r.hi {
                        set.insert(d as u32);
                    }
                }
                set
            }
            ResolvedNode::And(v) => {
                let mut set = DocSet::full(n);
                for c in v {
                    let s = self.eval(c, positive)?;
                    set.and(&s);
                }
                set
            }
            ResolvedNode::Or(v) => {
                let mut set = DocSet::empty(n);
                for c in v {
                    let s = self.eval(c, positive)?;
                    set.or(&s);
                }
                set
            }
            ResolvedNode::Not(c) => {
                let mut s = self.eval(c, !positive)?;
                s.not();
                s
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::relevance_key;

    #[test]
    fn relevance_keys_order_as_score_then_number_descending() {
        let scores = [
            f32::NEG_INFINITY,
            -3.5,
            -0.0,
            0.0,
            f32::MIN_POSITIVE,
            0.25,
            1.0,
            7.75,
            f32::INFINITY,
            f32::NAN,
        ];
        let mut hits: Vec<(f32, u32)> = Vec::new();
        for (i, &s) in scores.iter().enumerate() {
            for d in [0, 1, i as u32 * 7, u32::MAX] {
                hits.push((s, d));
            }
        }
        let mut by_cmp = hits.clone();
        by_cmp.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        let mut by_key = hits;
        by_key.sort_by_key(|&(s, d)| relevance_key(s, d));
        let bits = |v: &[(f32, u32)]| v.iter().map(|&(s, d)| (s.to_bits(), d)).collect::<Vec<_>>();
        assert_eq!(bits(&by_key), bits(&by_cmp));
    }
}
