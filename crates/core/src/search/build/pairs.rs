//! The next-word index: postings, and for some positions, of pairs of adjacent words.
//!
//! A phrase is answered from positions: every document holding all its words has their
//! position lists decoded and compared. For two frequent words that is thousands of
//! documents ("human rights" at 18k transcripts: 9,754 documents, 126,000 positions,
//! about 2 ms), while the pair itself is only one more posting list to walk. So the
//! build gives a pair of adjacent stems its own term in the stem dictionary, with
//! document postings in the words' format (document, count outside the title, title
//! and summary counts). A two-word phrase whose pair has a term reads that term alone,
//! like one word.
//!
//! Some pairs have positions too (the token number of their first word), keyed with
//! [`PAIR_POS_SEP`](crate::search::layout::PAIR_POS_SEP) instead of [`PAIR_SEP`](crate::search::layout::PAIR_SEP). A longer phrase, or one under a speaker
//! scope, is placed by its pairs' positions where they have them ("the united" +
//! "nations" for "the united nations"), not by the positions of "the", which at 18k
//! transcripts are 3 MB.
//!
//! Which pairs: those in at least [`BuildOptions::pair_min_docs`] documents (a rarer pair
//! is read from positions in well under a millisecond), the pairs in most documents
//! first, until their postings reach [`BuildOptions::pair_budget`] of the words' own
//! bytes. Then the costly pairs ([`BuildOptions::pair_costly_bytes`]): a phrase is read
//! from the positions shards of its words, fetched whole, so "collective security" (in
//! 1,173 of 18k transcripts, below the budget's reach) fetched the 137 KB of "security"'s
//! positions and a 64 KB shard for "collective"; its pair term is 2.4 KB. Of all kept
//! pairs, positions go to the pairs that spare a phrase the most decoding,
//! within [`BuildOptions::pair_pos_budget`]. Any pair may be missing, or lack
//! positions; the engine then reads the words' positions, so the choice changes speed,
//! never results.

use rustc_hash::FxHashMap;

use super::analyze::DocCols;
use super::{BuildOptions, PairStats};
use crate::search::codec::{put_varint, varint_len};
use crate::search::layout::{pair_key, pair_pos_key};
use crate::search::postings::{Cursor, TermAcc, TermPostings};

/// One pair's counts in one document: (outside the title, in the title, in the summary).
type Counts = (u32, u32, u32);

/// Calls `f(doc, pairs)` for every document in order, with every occurrence of two
/// adjacent candidate words in it: ((candidate index, candidate index), token number).
fn each_doc(
    terms: &[(String, TermAcc)],
    cands: &[u32],
    docs: &[DocCols],
    mut f: impl FnMut(u32, &[((u32, u32), u32)]),
) {
    let mut walks: Vec<Cursor> = cands
        .iter()
        .map(|&t| {
            let acc = &terms[t as usize].1;
            Cursor::new(TermPostings {
                df: acc.df,
                data: &acc.post,
                pos: Some(&acc.pos),
            })
        })
        .collect();
    // Each candidate waits in the bucket of its next document: one pass, no search.
    let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); docs.len()];
    for (c, w) in walks.iter_mut().enumerate() {
        if w.next() {
            if let Some(b) = buckets.get_mut(w.doc as usize) {
                b.push(c as u32);
            }
        }
    }
    // Token number → candidate + 1 (0: none), over the current document.
    let mut at_tok: Vec<u32> = Vec::new();
    let mut pairs: Vec<((u32, u32), u32)> = Vec::new();
    let mut toks: Vec<u32> = Vec::new();
    let mut buf: Vec<u32> = Vec::new();
    for (d, cols) in docs.iter().enumerate() {
        let list = std::mem::take(&mut buckets[d]);
        toks.clear();
        for &c in &list {
            let w = &mut walks[c as usize];
            w.positions(&mut buf);
            for &p in &buf {
                let i = p as usize;
                if i >= at_tok.len() {
                    // Token numbers stay below the document's end; a larger one would
                    // be a builder bug, never worth a huge table.
                    if p >= cols.end.max(1) {
                        continue;
                    }
                    at_tok.resize(cols.end as usize, 0);
                }
                at_tok[i] = c + 1;
                toks.push(p);
            }
            if w.next() {
                if let Some(b) = buckets.get_mut(w.doc as usize) {
                    b.push(c);
                }
            }
        }
        pairs.clear();
        for &p in &toks {
            let a = at_tok[p as usize];
            if let Some(&b) = at_tok.get(p as usize + 1) {
                if b != 0 {
                    pairs.push(((a - 1, b - 1), p));
                }
            }
        }
        for &p in &toks {
            at_tok[p as usize] = 0;
        }
        f(d as u32, &pairs);
    }
}

/// One candidate pair as the counting pass gathers it.
#[derive(Default)]
struct Slot {
    pair: (u32, u32),
    acc: TermAcc,
    /// Counts in the current document, not yet written.
    cur: Counts,
    /// The pair's last token number in the current document (0: none yet).
    prev: u32,
    /// Bytes its positions will take.
    pos_bytes: usize,
    /// Kept as a costly pair, beyond the budget.
    costly: bool,
}

/// Adds the occurrence at token `p` of a pair to its counts in document `cols`:
/// title, else text (and summary, which is text), as for a word.
fn count(cur: &mut Counts, p: u32, cols: &DocCols) {
    if p < cols.title_end {
        cur.1 += 1;
    } else {
        cur.0 += 1;
        if p > cols.title_end && p < cols.summary_end {
            cur.2 += 1;
        }
    }
}

/// The pair terms to add to `terms`, as (key, postings and positions), and what they
/// hold; see the module docs.
pub(super) fn pair_terms(
    terms: &[(String, TermAcc)],
    is_stem: impl Fn(&str) -> bool,
    docs: &[DocCols],
    opts: &BuildOptions,
) -> (Vec<(String, TermAcc)>, PairStats) {
    let word_bytes: usize = terms.iter().map(|(_, a)| a.post.len() + a.pos.len()).sum();
    let budget = (word_bytes as f64 * opts.pair_budget.max(0.0)) as usize;
    let pos_budget = (word_bytes as f64 * opts.pair_pos_budget.max(0.0)) as usize;
    // A pair is in no more documents than either of its words.
    let min_docs = opts.pair_min_docs.max(1);
    let cands: Vec<u32> = (0..terms.len() as u32)
        .filter(|&t| terms[t as usize].1.df >= min_docs)
        .collect();
    let costly_budget = (word_bytes as f64 * opts.pair_costly_budget.max(0.0)) as usize;
    if cands.is_empty() || budget == 0 && costly_budget == 0 {
        return (Vec::new(), PairStats::default());
    }
    // First pass: every candidate pair's postings, and the exact size of its positions,
    // which are written only for the pairs kept (writing all of them would hold most
    // of the corpus' tokens in memory at 100k transcripts).
    let mut slot_of: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut slots: Vec<Slot> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    each_doc(terms, &cands, docs, |d, pairs| {
        let cols = &docs[d as usize];
        for &(pair, p) in pairs {
            let next = slots.len() as u32;
            let i = *slot_of.entry(pair).or_insert(next);
            if i == next {
                slots.push(Slot {
                    pair,
                    ..Slot::default()
                });
            }
            let s = &mut slots[i as usize];
            if s.cur == (0, 0, 0) {
                touched.push(i);
            }
            count(&mut s.cur, p, cols);
            // A pair's occurrences arrive in token order (its first word's positions).
            s.pos_bytes += varint_len(p - s.prev);
            s.prev = p;
        }
        for i in touched.drain(..) {
            let s = &mut slots[i as usize];
            let (tf, title, summary) = s.cur;
            s.acc.push_doc(
                d,
                cols.len,
                u64::from(tf),
                u64::from(title),
                u64::from(summary),
            );
            s.cur = (0, 0, 0);
            s.prev = 0;
        }
    });
    drop(slot_of);
    let costly_min = opts.pair_costly_min_docs.max(1);
    slots.retain(|s| s.acc.df >= min_docs.min(costly_min));
    slots.sort_unstable_by(|a, b| b.acc.df.cmp(&a.acc.df).then(a.pair.cmp(&b.pair)));
    let mut stats = PairStats::default();
    let mut kept: Vec<Slot> = Vec::new();
    // The pairs in most documents, while the budget lasts; the first that does not fit
    // stays in `rest`, a candidate for the costly pairs.
    let mut rest = slots.into_iter().peekable();
    while let Some(s) =
        rest.next_if(|s| s.acc.df >= min_docs && stats.bytes as usize + s.acc.post.len() <= budget)
    {
        stats.bytes += s.acc.post.len() as u64;
        stats.min_docs = s.acc.df;
        kept.push(s);
    }
    // Then, in most documents first, the costly pairs left: those whose words' positions
    // a phrase of the two would fetch, without the pair, add up to `pair_costly_bytes`.
    // A word in more than `pair_function_share` of the documents ("the", "of") is left
    // out: a two-word phrase with it is seldom what a reader types.
    let function_df = docs.len() as f64 * opts.pair_function_share;
    let word = |c: u32| &terms[cands[c as usize] as usize].1;
    let costly = |s: &Slot| {
        let (a, b) = (word(s.pair.0), word(s.pair.1));
        a.pos.len() + b.pos.len() >= opts.pair_costly_bytes
            && f64::from(a.df.max(b.df)) <= function_df
    };
    let mut costly_bytes = 0usize;
    for mut s in rest.filter(|s| s.acc.df >= costly_min && costly(s)) {
        if costly_bytes + s.acc.post.len() > costly_budget {
            break;
        }
        costly_bytes += s.acc.post.len();
        stats.bytes += s.acc.post.len() as u64;
        stats.min_docs = s.acc.df;
        stats.costly += 1;
        s.costly = true;
        kept.push(s);
    }
    // Positions for the pairs that spare a phrase the most decoding. In a phrase, the
    // rarest part gives candidates and every other part has all its positions in each
    // candidate document decoded: without the pair, that is mostly its more frequent
    // word's positions in every document holding the pair; with it, the pair's own.
    // "the united" spares nearly all of "the" in 11,000 documents at 18k; "of the" is
    // as large as what it spares, so it comes last.
    let per_doc = |c: u32| {
        let acc = &terms[cands[c as usize] as usize].1;
        acc.pos.len() as f64 / f64::from(acc.df.max(1))
    };
    let saving = |s: &Slot| {
        f64::from(s.acc.df) * per_doc(s.pair.0).max(per_doc(s.pair.1)) - s.pos_bytes as f64
    };
    let mut by_saving: Vec<usize> = (0..kept.len()).collect();
    by_saving.sort_by(|&x, &y| {
        saving(&kept[y])
            .total_cmp(&saving(&kept[x]))
            .then(x.cmp(&y))
    });
    let mut with_positions = vec![false; kept.len()];
    for i in by_saving {
        // One too large is passed over for smaller ones.
        if stats.pos_bytes as usize + kept[i].pos_bytes <= pos_budget {
            stats.pos_bytes += kept[i].pos_bytes as u64;
            stats.with_positions += 1;
            with_positions[i] = true;
        }
    }
    let mut keyed: Vec<(bool, String, Slot)> = Vec::with_capacity(kept.len());
    for (s, pos) in kept.into_iter().zip(with_positions) {
        let (a, b) = (
            &terms[cands[s.pair.0 as usize] as usize].0,
            &terms[cands[s.pair.1 as usize] as usize].0,
        );
        let key = if pos {
            pair_pos_key(a, b)
        } else {
            pair_key(a, b)
        };
        // The separator rules this out; two equal keys would make the dictionary
        // unbuildable, so it is checked, not assumed.
        if is_stem(&key) {
            stats.bytes -= s.acc.post.len() as u64;
            stats.costly -= u32::from(s.costly);
            if pos {
                stats.pos_bytes -= s.pos_bytes as u64;
                stats.with_positions -= 1;
            }
            continue;
        }
        keyed.push((pos, key, s));
    }
    // Those with positions first, for the second pass.
    keyed.sort_by_key(|k| !k.0);
    let (keys, mut kept): (Vec<String>, Vec<Slot>) =
        keyed.into_iter().map(|(_, k, s)| (k, s)).unzip();
    // Second pass: the positions of the pairs that have them, over their words.
    let with_pos = &kept[..stats.with_positions as usize];
    let mut sub_of: FxHashMap<u32, u32> = FxHashMap::default();
    let mut sub: Vec<u32> = Vec::new();
    for s in with_pos {
        for c in [s.pair.0, s.pair.1] {
            sub_of.entry(c).or_insert_with(|| {
                sub.push(cands[c as usize]);
                sub.len() as u32 - 1
            });
        }
    }
    let kept_of: FxHashMap<(u32, u32), usize> = with_pos
        .iter()
        .enumerate()
        .map(|(k, s)| ((sub_of[&s.pair.0], sub_of[&s.pair.1]), k))
        .collect();
    // Per pair with positions, its last token number in the current document (0: none).
    let mut prev: Vec<u32> = vec![0; with_pos.len()];
    if !sub.is_empty() {
        each_doc(terms, &sub, docs, |_, pairs| {
            for &(pair, p) in pairs {
                if let Some(&k) = kept_of.get(&pair) {
                    if prev[k] == 0 {
                        touched.push(k as u32);
                    }
                    put_varint(&mut kept[k].acc.pos, u64::from(p - prev[k]));
                    prev[k] = p;
                }
            }
            for k in touched.drain(..) {
                prev[k as usize] = 0;
            }
        });
    }
    let out: Vec<(String, TermAcc)> = keys
        .into_iter()
        .zip(kept)
        .enumerate()
        .map(|(i, (k, s))| {
            let expected = if i < stats.with_positions as usize {
                s.pos_bytes
            } else {
                0
            };
            debug_assert_eq!(s.acc.pos.len(), expected, "pair positions as counted");
            (k, s.acc)
        })
        .collect();
    stats.pairs = out.len() as u32;
    (out, stats)
}
