//! Collocates from the index alone: the same table as [`super::colloc::Collocates`]
//! (a property test checks it), computed from positions instead of text, which at
//! 18k transcripts is the difference between reading 20 million words of JSON and
//! decoding their token numbers.
//!
//! It places a query whose matches are words with an exact stem and phrases of them (a
//! phrase from its words' or pairs' positions, as search places it; no stem twice, no
//! scope: `Index::match_spans`): [`IndexCollocates::new`] returns `None` otherwise, and
//! the text accumulator is the way. Every token number within `window` of a match, in
//! each matching transcript, goes into a bitmap (the match's own words taken out after,
//! as the text accumulator does); each postings shard
//! fed then counts, per stem, its positions inside the bitmaps (`cooc`) and its
//! occurrences in those transcripts (`freq`). N is their words (`meta.bin`), R1 the sum
//! of `cooc` over every stem (exact once every shard is fed).

use super::colloc::{best, row, CollocOptions, CollocTable, Counts};
use super::select;
use crate::search::{Filters, Index, PartId, Query, SearchError};

/// Sets bits `lo..=hi` of `bits` (sized by the first pass to hold them).
fn set_bits(bits: &mut [u64], lo: u32, hi: u32) {
    for q in lo..=hi {
        if let Some(w) = bits.get_mut((q >> 6) as usize) {
            *w |= 1 << (q & 63);
        }
    }
}

/// Per document, a bitmap over its token numbers, all in one block: document `d`'s is
/// `bits[starts[d]..starts[d + 1]]`, empty for a document outside the set.
struct Windows {
    starts: Vec<usize>,
    bits: Vec<u64>,
}

impl Windows {
    fn of(&self, doc: u32) -> Option<&[u64]> {
        let d = doc as usize;
        let (a, b) = (*self.starts.get(d)?, *self.starts.get(d + 1)?);
        (a < b).then(|| &self.bits[a..b])
    }
}

/// A collocates computation from the index: build, feed every postings shard of
/// [`IndexCollocates::needs`] (with the positions shards of its terms), read
/// [`IndexCollocates::table`].
pub struct IndexCollocates {
    window: usize,
    windows: Windows,
    docs: usize,
    node_hits: u64,
    words: u64,
    /// Per term: stem (`None` for pair terms, never counted).
    stems: Vec<Option<String>>,
    wanted: Vec<bool>,
    counts: Vec<(u64, u64)>,
    fed: Vec<bool>,
}

impl IndexCollocates {
    /// Plans the collocates of `q` over the transcripts it and `filters` match, or
    /// `None` when the index cannot place its matches. Needs the parts
    /// [`Index::plan`] names for `q`, and the positions shards of its words and of its
    /// phrases' parts (a [`SearchError::MissingPart`] names the next one).
    pub fn new(
        ix: &Index,
        q: &Query,
        filters: &Filters,
        window: usize,
    ) -> Result<Option<IndexCollocates>, SearchError> {
        let hits = select(ix, q, filters)?;
        let set = super::doc_set(ix, &hits);
        let n = window as u32;
        let m = ix.matcher(q)?;
        // Two passes over the matches: the first sizes each document's bitmap (its last
        // window's end), the second fills them. The bitmaps lie in one block, in
        // document order, as every term's pass reads them: scattered, growing ones made
        // the reads miss the cache (twice the time).
        let mut top = vec![0u32; ix.doc_count()];
        let placed = ix.match_spans(&m, &set, |d, _, last| {
            if let Some(t) = top.get_mut(d as usize) {
                *t = (*t).max(last.saturating_add(n));
            }
        })?;
        if !placed {
            return Ok(None);
        }
        let mut starts = Vec::with_capacity(top.len() + 1);
        let mut size = 0usize;
        starts.push(0);
        for (d, &t) in top.iter().enumerate() {
            // Every document of the set has a bitmap, a match or not: its words count.
            if set.contains(d as u32) {
                size += (t >> 6) as usize + 1;
            }
            starts.push(size);
        }
        let mut bits = vec![0u64; size];
        let mut own = vec![0u64; size];
        let mut node_hits = 0;
        ix.match_spans(&m, &set, |d, first, last| {
            node_hits += 1;
            let (a, b) = (starts[d as usize], starts[d as usize + 1]);
            set_bits(
                &mut bits[a..b],
                first.saturating_sub(n),
                last.saturating_add(n),
            );
            set_bits(&mut own[a..b], first, last);
        })?;
        // The matches' own words are in no window.
        for (x, y) in bits.iter_mut().zip(&own) {
            *x &= !y;
        }
        let windows = Windows { starts, bits };
        let stems = ix.term_texts();
        Ok(Some(IndexCollocates {
            window,
            windows,
            docs: hits.len(),
            node_hits,
            words: hits.iter().map(|h| u64::from(ix.doc_words(h.doc))).sum(),
            wanted: stems.iter().map(Option::is_some).collect(),
            counts: vec![(0, 0); stems.len()],
            stems,
            fed: vec![false; ix.post_shards() as usize],
        }))
    }

    /// Postings shards still to feed; each needs its terms' positions shards too
    /// (simplest: load every part, [`Index::parts`]).
    pub fn needs(&self) -> Vec<PartId> {
        (0..self.fed.len() as u32)
            .filter(|&s| !self.fed[s as usize])
            .map(PartId::Post)
            .collect()
    }

    /// (shards fed, shards).
    pub fn progress(&self) -> (usize, usize) {
        (self.fed.iter().filter(|&&f| f).count(), self.fed.len())
    }

    /// Counts the terms of postings shard `shard`.
    pub fn feed(&mut self, ix: &Index, shard: u32) -> Result<(), SearchError> {
        if self.fed.get(shard as usize) != Some(&false) {
            return Ok(());
        }
        let terms = ix.shard_terms(shard);
        let c = ix.window_counts(terms.clone(), &self.wanted, |d| self.windows.of(d))?;
        for (t, v) in terms.zip(c) {
            if let Some(x) = self.counts.get_mut(t as usize) {
                *x = v;
            }
        }
        self.fed[shard as usize] = true;
        Ok(())
    }

    /// The current table, best G² first. Words are shown by the shortest folded form
    /// of their stem when the word dictionary is loaded, else by the stem.
    pub fn table(&self, ix: &Index, opts: &CollocOptions) -> CollocTable {
        let forms = ix.term_forms(1).ok();
        let window_words: u64 = self.counts.iter().map(|c| c.0).sum();
        let rows = self
            .counts
            .iter()
            .enumerate()
            .filter_map(|(t, &(cooc, freq))| {
                let stem = self.stems[t].as_deref()?;
                let word = forms
                    .as_ref()
                    .and_then(|f| f.get(t)?.first().map(String::as_str))
                    .unwrap_or(stem);
                let counts = Counts {
                    cooc,
                    freq,
                    window_words,
                    words: self.words,
                };
                row(stem, word, counts, self.window, opts)
            });
        CollocTable {
            node_hits: self.node_hits,
            window_words,
            words: self.words,
            fed: self.progress().0,
            docs: self.docs,
            rows: best(rows, opts),
        }
    }
}
