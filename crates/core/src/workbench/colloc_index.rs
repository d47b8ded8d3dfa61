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

/// Sets bits `lo..=hi` of `bits`, growing it as needed.
fn set_bits(bits: &mut Vec<u64>, lo: u32, hi: u32) {
    let top = (hi >> 6) as usize;
    if bits.len() <= top {
        bits.resize(top + 1, 0);
    }
    for q in lo..=hi {
        bits[(q >> 6) as usize] |= 1 << (q & 63);
    }
}

/// A collocates computation from the index: build, feed every postings shard of
/// [`IndexCollocates::needs`] (with the positions shards of its terms), read
/// [`IndexCollocates::table`].
pub struct IndexCollocates {
    window: usize,
    windows: Vec<Option<Vec<u64>>>,
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
        // Per document of the set: the windows' bits, and the matches' own words.
        let mut windows: Vec<Option<Vec<u64>>> = (0..ix.doc_count() as u32)
            .map(|d| set.contains(d).then(Vec::new))
            .collect();
        let mut matched: Vec<Vec<u64>> = vec![Vec::new(); windows.len()];
        let mut node_hits = 0;
        let placed = ix.match_spans(&ix.matcher(q)?, &set, |d, first, last| {
            node_hits += 1;
            if let Some(Some(bits)) = windows.get_mut(d as usize) {
                set_bits(bits, first.saturating_sub(n), last.saturating_add(n));
                set_bits(&mut matched[d as usize], first, last);
            }
        })?;
        if !placed {
            return Ok(None);
        }
        for (w, m) in windows.iter_mut().zip(&matched) {
            if let Some(w) = w {
                for (x, y) in w.iter_mut().zip(m) {
                    *x &= !y;
                }
            }
        }
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
        let c = ix.window_counts(terms.clone(), &self.wanted, &self.windows)?;
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
