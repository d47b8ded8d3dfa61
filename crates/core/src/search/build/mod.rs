//! Building the index files from transcripts.
//!
//! - [`analyze`]: one transcript into its stems, positions, words and columns;
//! - [`pairs`]: the next-word index (pair terms);
//! - [`write`]: term ids, the dictionaries, the shards and `meta.bin`.
//!
//! The files and their paths are listed in [`crate::search::layout`]; everything is
//! written in a fixed order from sorted data, so the same transcripts give
//! byte-identical files.

use std::collections::HashMap;

use crate::model::Transcript;
use crate::search::layout::{
    dict_path, pos_path, post_path, words_path, PartId, DICT_PATH, DOCS_PATH, IDS_PATH, META_PATH,
    TURNS_PATH,
};
use crate::search::postings::TermAcc;

mod analyze;
mod pairs;
mod write;

use analyze::DocCols;
pub use analyze::{AnalyzedDoc, DocAnalyzer};

/// Tuning of the file sizes; the engine reads any sharding.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// Start a new postings shard once the current one reaches this many bytes.
    pub post_shard_bytes: usize,
    /// Start a new positions shard once the current one reaches this many bytes.
    pub pos_shard_bytes: usize,
    /// Start a new word-dictionary shard once the current one holds this many bytes of
    /// keys (see [`crate::search::layout::WORDS_SHARD_KEY_BYTES`]).
    pub words_shard_bytes: usize,
    /// A pair of adjacent words gets its own postings (a pair term) only when it is in
    /// at least this many documents.
    pub pair_min_docs: u32,
    /// The pairs' postings may add at most this share of the words' own postings and
    /// positions bytes; the pairs in most documents are kept first.
    pub pair_budget: f64,
    /// The kept pairs' positions may add at most this share of the words' bytes; the
    /// pairs that spare a phrase the most decoding get them first. A phrase of three or
    /// more words (or under a speaker scope) is placed by the positions of its pairs
    /// that have them.
    pub pair_pos_budget: f64,
    /// A pair is costly when its two words' positions add up to this many bytes: a
    /// phrase of the two, without the pair's own postings, fetches them. Costly pairs in
    /// at least [`BuildOptions::pair_costly_min_docs`] documents are kept beyond
    /// [`BuildOptions::pair_budget`], in most documents first, within
    /// [`BuildOptions::pair_costly_budget`] of the words' bytes.
    pub pair_costly_bytes: usize,
    pub pair_costly_min_docs: u32,
    pub pair_costly_budget: f64,
    /// Words in more than this share of the documents make no costly pair ("the of"
    /// would fill the budget, and is not what a reader types).
    pub pair_function_share: f64,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            // Small enough that a new query fetches ~100 KB, not so small that an
            // 18k-transcript bundle needs more than a few thousand files.
            post_shard_bytes: 32 * 1024,
            pos_shard_bytes: 64 * 1024,
            words_shard_bytes: crate::search::layout::WORDS_SHARD_KEY_BYTES,
            // Reading a phrase from positions costs about 0.2 µs per document holding
            // all its words: a pair in fewer documents is answered in well under a
            // millisecond without its own postings.
            pair_min_docs: 2000,
            // Measured at 18k transcripts: 10% keeps the 695 pairs in 3,056 documents or
            // more ("human rights" is in 7,000), adding 0.04 to index/text, gzip for gzip.
            pair_budget: 0.10,
            // Measured at 18k transcripts: 5% gives positions to 40 pairs ("the
            // united", "the security"...), adding 0.05 to index/text: "the united
            // nations" went from 18 to 5 ms natively, "the security council" from 9
            // to 1.8. At 7k all 13 kept pairs have positions (index/text 0.96).
            pair_pos_budget: 0.05,
            // Measured at 18k transcripts: 1,253 costly pairs in 300 or more documents
            // add 1.8 MB of postings (0.024 of the words' bytes), and take the
            // further-query p95 ("collective security") from 273 KB to under 100 KB. A
            // positions shard is 64 KiB: two words' positions over 96 KiB mean one of
            // them is large. At 70%, "security" (67% of the UN speeches) still pairs.
            pair_costly_bytes: 96 * 1024,
            pair_costly_min_docs: 300,
            pair_costly_budget: 0.05,
            pair_function_share: 0.7,
        }
    }
}

/// The bytes of every index file, ready to be written under the bundle root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFiles {
    /// Number of distinct terms: stems and pair terms.
    pub terms: u32,
    /// What the next-word index holds.
    pub pairs: PairStats,
    pub meta: Vec<u8>,
    pub dict: Vec<u8>,
    /// The word dictionary (folded word → stem id) cut by key range (`PartId::Words`).
    pub words: Vec<Vec<u8>>,
    pub post: Vec<Vec<u8>>,
    pub pos: Vec<Vec<u8>>,
    /// Per facet of `Facet::values` (in `Facet::ALL` order), its part.
    pub facets: Vec<Vec<u8>>,
    /// The speaker turns.
    pub turns: Vec<u8>,
    /// Every document's date and length (`PartId::Docs`).
    pub docs: Vec<u8>,
    /// Every document's id (`PartId::Ids`).
    pub ids: Vec<u8>,
    /// `dict` cut by key range (`PartId::Dict`), for an index opened without it.
    pub dict_shards: Vec<Vec<u8>>,
}

/// What the next-word index of a build holds (see [`BuildOptions::pair_budget`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairStats {
    /// Pair terms kept.
    pub pairs: u32,
    /// Documents holding the rarest kept pair (0 when none was kept).
    pub min_docs: u32,
    /// Of them, the costly pairs kept beyond the budget.
    pub costly: u32,
    /// Bytes of their postings.
    pub bytes: u64,
    /// Pair terms that have positions too.
    pub with_positions: u32,
    /// Bytes of those positions.
    pub pos_bytes: u64,
}

impl IndexFiles {
    /// The bytes of part `p` ([`crate::search::Index::plan`] names them); empty for a part these
    /// files do not have.
    pub fn part(&self, p: PartId) -> &[u8] {
        let shard = match p {
            PartId::Docs => return &self.docs,
            PartId::Ids => return &self.ids,
            PartId::Words(i) => self.words.get(i as usize),
            PartId::Post(i) => self.post.get(i as usize),
            PartId::Pos(i) => self.pos.get(i as usize),
            PartId::Facet(f) => crate::search::meta::listed()
                .position(|g| g == f)
                .and_then(|i| self.facets.get(i)),
            PartId::Turns => return &self.turns,
            PartId::Dict(i) => self.dict_shards.get(i as usize),
        };
        shard.map_or(&[], Vec::as_slice)
    }

    /// Every file as (path under the bundle root, bytes), in a fixed order.
    pub fn files(&self) -> Vec<(String, &[u8])> {
        let mut out = vec![
            (META_PATH.to_string(), self.meta.as_slice()),
            (DICT_PATH.to_string(), self.dict.as_slice()),
        ];
        out.extend(
            self.post
                .iter()
                .enumerate()
                .map(|(i, b)| (post_path(i), b.as_slice())),
        );
        out.extend(
            self.pos
                .iter()
                .enumerate()
                .map(|(i, b)| (pos_path(i), b.as_slice())),
        );
        out.extend(
            crate::search::meta::listed()
                .zip(&self.facets)
                .map(|(f, b)| (crate::search::layout::facet_path(f), b.as_slice())),
        );
        out.push((TURNS_PATH.to_string(), self.turns.as_slice()));
        out.push((DOCS_PATH.to_string(), self.docs.as_slice()));
        out.push((IDS_PATH.to_string(), self.ids.as_slice()));
        out.extend(
            self.dict_shards
                .iter()
                .enumerate()
                .map(|(i, b)| (dict_path(i), b.as_slice())),
        );
        out.extend(
            self.words
                .iter()
                .enumerate()
                .map(|(i, b)| (words_path(i), b.as_slice())),
        );
        out
    }
}

/// Builds the index one transcript at a time (documents are numbered in call order).
///
/// [`IndexBuilder::add`] analyses and adds; to analyse on several threads, give each
/// thread a [`DocAnalyzer`] and pass its [`AnalyzedDoc`]s to [`IndexBuilder::add_analyzed`]
/// in document order: the files are byte-identical either way.
#[derive(Default)]
pub struct IndexBuilder {
    term_ids: HashMap<String, u32>,
    terms: Vec<(String, TermAcc)>,
    words: HashMap<String, u32>,
    docs: Vec<DocCols>,
    analyzer: DocAnalyzer,
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> IndexBuilder {
        IndexBuilder::default()
    }

    /// Analyses and adds the next document.
    pub fn add(&mut self, t: &Transcript) {
        let a = self.analyzer.analyze(t);
        self.add_analyzed(a);
    }

    /// Adds the next document, analysed by any [`DocAnalyzer`].
    pub fn add_analyzed(&mut self, a: AnalyzedDoc) {
        let doc = self.docs.len() as u32;
        let mut global = Vec::with_capacity(a.terms.len());
        let mut start = 0usize;
        let len = a.cols.len;
        for (term, tf, title, summary, end) in a.terms {
            let next = self.terms.len() as u32;
            let id = match self.term_ids.get(&term) {
                Some(&id) => id,
                None => {
                    self.term_ids.insert(term.clone(), next);
                    self.terms.push((term, TermAcc::default()));
                    next
                }
            };
            global.push(id);
            let acc = &mut self.terms[id as usize].1;
            acc.push_doc(doc, len, tf, title, summary);
            acc.pos.extend_from_slice(&a.pos[start..end]);
            start = end;
        }
        for (w, local) in a.words {
            self.words.entry(w).or_insert(global[local as usize]);
        }
        self.docs.push(a.cols);
    }

    /// Number of documents added so far.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// Builds the index of `docs` (numbered in slice order).
pub fn build_index(docs: &[Transcript], opts: BuildOptions) -> IndexFiles {
    let mut b = IndexBuilder::new();
    for t in docs {
        b.add(t);
    }
    b.finish(opts)
}
