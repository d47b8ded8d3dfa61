//! The next-word index: document postings for pairs of adjacent words.
//!
//! A phrase is answered from positions: every document holding all its words has their
//! position lists decoded and compared. For two frequent words that is thousands of
//! documents ("human rights" at 18k transcripts: 9,754 documents, 126,000 positions,
//! about 2 ms), while the pair itself is only one more posting list to walk. So the
//! build gives a pair of adjacent stems its own term, keyed `"stem stem"` in the stem
//! dictionary, with document postings in the words' format (document, count outside
//! the title, title and summary counts) and no positions. A two-word phrase whose pair
//! has a term reads that term alone, like one word.
//!
//! Which pairs: those in at least [`BuildOptions::pair_min_docs`] documents (a rarer pair
//! is read from positions in well under a millisecond), the pairs in most documents
//! first, until their postings reach [`BuildOptions::pair_budget`] of the words' own
//! bytes. Any pair may be missing; the engine then reads positions, so the choice
//! changes speed, never results.

use rustc_hash::FxHashMap;

use super::codec::put_varint;
use super::engine::{Cursor, TermPostings};
use super::format::{BuildOptions, DocCols, PairStats, TermAcc};

/// Separates the two stems of a pair term's key. A control character is never part of
/// a word, so no stem holds it; a space would not do, since folding decomposes some
/// ligatures into words (U+FDFB is "جل جلاله"), and a phrase of those words would then
/// have read the ligature's postings. The key sorts just after its first stem, in the
/// same shard neighbourhood.
pub const PAIR_SEP: char = '\u{1}';

/// The stem-dictionary key of the pair `a b`.
pub fn pair_key(a: &str, b: &str) -> String {
    let mut k = String::with_capacity(a.len() + b.len() + 1);
    k.push_str(a);
    k.push(PAIR_SEP);
    k.push_str(b);
    k
}

/// One pair's counts in one document: (outside the title, in the title, in the summary).
type Counts = (u32, u32, u32);

/// Appends one document's posting in the words' format.
fn put_posting(out: &mut Vec<u8>, delta: u32, (tf, title, summary): Counts) {
    put_varint(out, u64::from(delta));
    let extra = title > 0 || summary > 0;
    put_varint(out, (u64::from(tf) << 1) | u64::from(extra));
    if extra {
        put_varint(out, u64::from(title));
        put_varint(out, u64::from(summary));
    }
}

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

/// One candidate pair as the pass gathers it.
struct Slot {
    pair: (u32, u32),
    acc: TermAcc,
    /// Counts in the current document, not yet written.
    cur: Counts,
}

/// The pair terms to add to `terms`, as (key, postings), and what they hold; see the
/// module docs.
pub(super) fn pair_terms(
    terms: &[(String, TermAcc)],
    is_stem: impl Fn(&str) -> bool,
    docs: &[DocCols],
    opts: &BuildOptions,
) -> (Vec<(String, TermAcc)>, PairStats) {
    let word_bytes: usize = terms.iter().map(|(_, a)| a.post.len() + a.pos.len()).sum();
    let budget = (word_bytes as f64 * opts.pair_budget.max(0.0)) as usize;
    // A pair is in no more documents than either of its words.
    let min_docs = opts.pair_min_docs.max(1);
    let cands: Vec<u32> = (0..terms.len() as u32)
        .filter(|&t| terms[t as usize].1.df >= min_docs)
        .collect();
    if cands.is_empty() || budget == 0 {
        return (Vec::new(), PairStats::default());
    }
    // One pass writes every candidate pair's postings; the budget then keeps the pairs
    // in most documents. (A first pass to count would save memory, not time.)
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
                    acc: TermAcc {
                        df: 0,
                        last_doc: 0,
                        post: Vec::new(),
                        pos: Vec::new(),
                    },
                    cur: (0, 0, 0),
                });
            }
            let s = &mut slots[i as usize];
            if s.cur == (0, 0, 0) {
                touched.push(i);
            }
            // Counted as for a word: title, else text (and summary, which is text).
            if p < cols.title_end {
                s.cur.1 += 1;
            } else {
                s.cur.0 += 1;
                if p > cols.title_end && p < cols.summary_end {
                    s.cur.2 += 1;
                }
            }
        }
        for i in touched.drain(..) {
            let s = &mut slots[i as usize];
            put_posting(&mut s.acc.post, d - s.acc.last_doc, s.cur);
            s.acc.df += 1;
            s.acc.last_doc = d;
            s.cur = (0, 0, 0);
        }
    });
    drop(slot_of);
    slots.retain(|s| s.acc.df >= min_docs);
    slots.sort_unstable_by(|a, b| b.acc.df.cmp(&a.acc.df).then(a.pair.cmp(&b.pair)));
    let mut stats = PairStats::default();
    let mut used = 0usize;
    let mut out: Vec<(String, TermAcc)> = Vec::new();
    for s in slots {
        if used + s.acc.post.len() > budget {
            break;
        }
        let key = pair_key(
            &terms[cands[s.pair.0 as usize] as usize].0,
            &terms[cands[s.pair.1 as usize] as usize].0,
        );
        // The separator rules this out; two equal keys would make the dictionary
        // unbuildable, so it is checked, not assumed.
        if is_stem(&key) {
            continue;
        }
        used += s.acc.post.len();
        stats.min_docs = s.acc.df;
        out.push((key, s.acc));
    }
    stats.pairs = out.len() as u32;
    stats.bytes = used as u64;
    (out, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_keys_sort_after_their_first_stem() {
        let k = pair_key("human", "right");
        assert_eq!(k, "human\u{1}right");
        assert!("human" < k.as_str() && k.as_str() < "humane");
    }
}
