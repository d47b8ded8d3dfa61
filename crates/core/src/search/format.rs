//! The index files: building them from transcripts, and reading `meta.bin`.
//!
//! Layout (see `docs/bundle-format.md` for the byte-level description):
//!
//! - `index/meta.bin`: magic, [`INDEX_FORMAT`], per-document columns (id, date, length,
//!   paragraph count), facet value dictionaries with per-document value lists, speaker
//!   turns as paragraph ranges, and the term-id boundaries of the shards;
//! - `index/dict.fst`: stem → term id (ids follow the stems' byte order);
//! - `index/words.fst`: folded word → term id of its stem (for prefixes and typos);
//! - `index/post-NNNN.bin`: document-level postings of a run of terms;
//! - `index/pos-NNNN.bin`: paragraph-level positions of a run of terms.
//!
//! Everything is written in a fixed order from sorted data, so the same transcripts
//! give byte-identical files.

use std::collections::{BTreeSet, HashMap};

use super::codec::{put_varint, Reader, Writer};
use super::query::date_key;
use super::IndexError;
use crate::model::Transcript;

/// Version of the index files; bump on any incompatible change. Checked on load.
pub const INDEX_FORMAT: u32 = 6;
const META_MAGIC: &[u8; 8] = b"STNGIDX\0";
const POST_MAGIC: &[u8; 4] = b"STP\0";

/// The facet fields, in the order they are stored.
pub const FACET_FIELDS: [&str; 5] = ["speaker", "place", "topic", "kind", "mentions"];
pub(crate) const F_SPEAKER: usize = 0;

/// Tuning of the file sizes; the engine reads any sharding.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// Start a new postings shard once the current one reaches this many bytes.
    pub post_shard_bytes: usize,
    /// Start a new positions shard once the current one reaches this many bytes.
    pub pos_shard_bytes: usize,
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
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            // Small enough that a new query fetches ~100 KB, not so small that an
            // 18k-transcript bundle needs more than a few thousand files.
            post_shard_bytes: 32 * 1024,
            pos_shard_bytes: 64 * 1024,
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
    pub words: Vec<u8>,
    pub post: Vec<Vec<u8>>,
    pub pos: Vec<Vec<u8>>,
}

/// What the next-word index of a build holds (see [`BuildOptions::pair_budget`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairStats {
    /// Pair terms kept.
    pub pairs: u32,
    /// Documents holding the rarest kept pair (0 when none was kept).
    pub min_docs: u32,
    /// Bytes of their postings.
    pub bytes: u64,
    /// Pair terms that have positions too.
    pub with_positions: u32,
    /// Bytes of those positions.
    pub pos_bytes: u64,
}

/// Path of the meta file under the bundle root.
pub const META_PATH: &str = "index/meta.bin";
/// Path of the stem dictionary under the bundle root.
pub const DICT_PATH: &str = "index/dict.fst";
/// Path of the word dictionary under the bundle root.
pub const WORDS_PATH: &str = "index/words.fst";

/// Path of postings shard `i`.
pub fn post_path(i: usize) -> String {
    format!("index/post-{i:04}.bin")
}
/// Path of positions shard `i`.
pub fn pos_path(i: usize) -> String {
    format!("index/pos-{i:04}.bin")
}

impl IndexFiles {
    /// The bytes of part `p` ([`super::Index::plan`] names them); empty for a part these
    /// files do not have.
    pub fn part(&self, p: super::PartId) -> &[u8] {
        let shard = match p {
            super::PartId::Words => return &self.words,
            super::PartId::Post(i) => self.post.get(i as usize),
            super::PartId::Pos(i) => self.pos.get(i as usize),
        };
        shard.map_or(&[], Vec::as_slice)
    }

    /// Every file as (path under the bundle root, bytes), in a fixed order.
    pub fn files(&self) -> Vec<(String, &[u8])> {
        let mut out = vec![
            (META_PATH.to_string(), self.meta.as_slice()),
            (DICT_PATH.to_string(), self.dict.as_slice()),
            (WORDS_PATH.to_string(), self.words.as_slice()),
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
        out
    }
}

/// One term's postings and positions, as the builder accumulates them.
#[derive(Default)]
pub(super) struct TermAcc {
    pub df: u32,
    pub last_doc: u32,
    pub post: Vec<u8>,
    pub pos: Vec<u8>,
}

impl TermAcc {
    /// Appends the posting of document `doc` (after every earlier one): the gap from the
    /// last document, `tf << 1 | x` where `tf` counts outside the title, and when `x`
    /// is set, the title and summary counts. The one writer of the postings format.
    pub fn push_doc(&mut self, doc: u32, tf: u64, title: u64, summary: u64) {
        let delta = if self.df == 0 {
            doc
        } else {
            doc - self.last_doc
        };
        put_varint(&mut self.post, u64::from(delta));
        let extra = title > 0 || summary > 0;
        put_varint(&mut self.post, (tf << 1) | u64::from(extra));
        if extra {
            put_varint(&mut self.post, title);
            put_varint(&mut self.post, summary);
        }
        self.df += 1;
        self.last_doc = doc;
    }
}

/// One document's columns, as the builder keeps them until it writes `meta.bin`.
pub(super) struct DocCols {
    id: String,
    date: u32,
    len: u32,
    paragraphs: u32,
    /// Per non-speaker facet field: raw values.
    values: [Vec<String>; 5],
    /// (first token, token count, speaker).
    turns: Vec<(u32, u32, String)>,
    /// Token numbers below this are the title's (and 0, which no token has).
    pub title_end: u32,
    /// Token numbers after `title_end` and below this are the summary's.
    pub summary_end: u32,
    /// One past the last token number.
    pub end: u32,
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

/// Most distinct surface words a [`DocAnalyzer`] remembers before starting afresh.
const ANALYZER_CACHE_WORDS: usize = 1 << 20;

/// Analyses transcripts for [`IndexBuilder::add_analyzed`], remembering each surface
/// word's folded form and stem (stemming is the costly part of analysis).
#[derive(Default)]
pub struct DocAnalyzer {
    /// Surface word → (folded word id, stem id), or `None` when it folds to nothing.
    surfaces: HashMap<String, Option<(u32, u32)>>,
    folded: Vec<String>,
    folded_ids: HashMap<String, u32>,
    stems: Vec<String>,
    stem_ids: HashMap<String, u32>,
    /// Per stem / folded id: the last document that used it, plus one, and its local slot.
    stem_seen: Vec<(u32, u32)>,
    folded_seen: Vec<u32>,
    docs: u32,
}

/// One transcript, analysed: its distinct stems with their postings and positions,
/// its distinct folded words, and its columns. Made by [`DocAnalyzer::analyze`].
pub struct AnalyzedDoc {
    cols: DocCols,
    /// (stem, tf, title tf, summary tf, end of its positions in `pos`).
    terms: Vec<(String, u64, u64, u64, usize)>,
    pos: Vec<u8>,
    /// (folded word, index into `terms`).
    words: Vec<(String, u32)>,
}

impl DocAnalyzer {
    /// An analyzer with an empty cache.
    pub fn new() -> DocAnalyzer {
        DocAnalyzer::default()
    }

    fn word(&mut self, w: &str) -> Option<(u32, u32)> {
        if let Some(&v) = self.surfaces.get(w) {
            return v;
        }
        let folded = super::analysis::fold_word(w);
        let v = if folded.is_empty() {
            None
        } else {
            let term = super::analysis::stem(&folded);
            let next = self.stems.len() as u32;
            let sid = *self.stem_ids.entry(term.clone()).or_insert(next);
            if sid == next {
                self.stems.push(term);
                self.stem_seen.push((0, 0));
            }
            let next = self.folded.len() as u32;
            let fid = *self.folded_ids.entry(folded.clone()).or_insert(next);
            if fid == next {
                self.folded.push(folded);
                self.folded_seen.push(0);
            }
            Some((fid, sid))
        };
        self.surfaces.insert(w.to_owned(), v);
        v
    }

    /// Analyses one transcript.
    pub fn analyze(&mut self, t: &Transcript) -> AnalyzedDoc {
        use unicode_segmentation::UnicodeSegmentation;
        if self.surfaces.len() > ANALYZER_CACHE_WORDS {
            *self = DocAnalyzer::default();
        }
        self.docs += 1;
        let stamp = self.docs;
        // (local stem, token number), in text order.
        let mut occ: Vec<(u32, u32)> = Vec::new();
        let mut local_stems: Vec<u32> = Vec::new();
        let mut words: Vec<(String, u32)> = Vec::new();
        // Token numbers run through the whole document, title first. Each paragraph
        // starts one number after the previous one ends, so adjacent numbers are always
        // in the same paragraph and a phrase never spans two.
        let mut next_tok = 0u32;
        // (first token, end token) of every reading-order paragraph.
        let mut spans: Vec<(u32, u32)> = Vec::with_capacity(t.paragraph_count());
        let mut texts: Vec<&str> = vec![t.title.as_str()];
        texts.extend(t.paragraphs().map(|p| p.text));
        for (i, text) in texts.into_iter().enumerate() {
            next_tok += 1;
            let first = next_tok;
            for w in text.unicode_words() {
                let Some((fid, sid)) = self.word(w) else {
                    continue;
                };
                let seen = &mut self.stem_seen[sid as usize];
                if seen.0 != stamp {
                    *seen = (stamp, local_stems.len() as u32);
                    local_stems.push(sid);
                }
                let local = seen.1;
                if self.folded_seen[fid as usize] != stamp {
                    self.folded_seen[fid as usize] = stamp;
                    words.push((self.folded[fid as usize].clone(), local));
                }
                occ.push((local, next_tok));
                next_tok += 1;
            }
            if i > 0 {
                spans.push((first, next_tok));
            }
        }
        let len = occ.len() as u32;
        // Group by stem, keeping text order (= (paragraph, offset) order) within a stem.
        let mut counts = vec![0usize; local_stems.len() + 1];
        for o in &occ {
            counts[o.0 as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut grouped = vec![0u32; occ.len()];
        let mut fill = counts.clone();
        for o in &occ {
            grouped[fill[o.0 as usize]] = o.1;
            fill[o.0 as usize] += 1;
        }
        let cols = doc_cols(t, len, &spans, next_tok);
        let (title_end, summary_end) = (cols.title_end, cols.summary_end);
        let mut pos = Vec::with_capacity(occ.len() * 2);
        let mut terms = Vec::with_capacity(local_stems.len());
        for (l, &sid) in local_stems.iter().enumerate() {
            let group = &grouped[counts[l]..counts[l + 1]];
            let title = group.iter().filter(|&&p| p < title_end).count() as u64;
            let summary = group
                .iter()
                .filter(|&&p| p > title_end && p < summary_end)
                .count() as u64;
            let tf = group.len() as u64 - title;
            // One varint per position, the gap from the previous one: a reader skips a
            // document's positions by counting `tf + title` varint ends, no length needed.
            let mut prev = 0u32;
            for &p in group {
                put_varint(&mut pos, u64::from(p - prev));
                prev = p;
            }
            terms.push((
                self.stems[sid as usize].clone(),
                tf,
                title,
                summary,
                pos.len(),
            ));
        }
        AnalyzedDoc {
            cols,
            terms,
            pos,
            words,
        }
    }
}

/// `spans`: (first token, end token) of every reading-order paragraph; `end`: one past
/// the last token number.
fn doc_cols(t: &Transcript, len: u32, spans: &[(u32, u32)], end: u32) -> DocCols {
    let n_summary = t.summary.len() as u32;
    let mut places: Vec<String> = t.place.iter().cloned().collect();
    places.extend(t.tags.places.iter().cloned());
    let mentions: Vec<String> = t
        .mentions
        .countries
        .iter()
        .chain(&t.mentions.organisations)
        .map(|m| m.name.clone())
        .collect();
    let mut turns = Vec::new();
    let mut para = n_summary;
    for turn in t.sections.iter().flat_map(|s| &s.turns) {
        let n = turn.paragraphs.len() as u32;
        if let Some(sp) = turn.speaker.as_ref().filter(|s| !s.trim().is_empty()) {
            if n > 0 {
                let first = spans[para as usize].0;
                let end = spans[(para + n - 1) as usize].1;
                turns.push((first, end - first, sp.clone()));
            }
        }
        para += n;
    }
    DocCols {
        id: t.id.clone(),
        // A year alone (UN General Debate records) is a date key with month and day 00.
        date: t
            .date
            .as_deref()
            .and_then(date_key)
            .or_else(|| {
                t.year()
                    .and_then(|y| u32::try_from(y).ok())
                    .map(|y| y * 10000)
            })
            .unwrap_or(0),
        len,
        paragraphs: t.paragraph_count() as u32,
        values: [
            Vec::new(),
            places,
            t.tags.topics.clone(),
            t.kind.iter().cloned().collect(),
            mentions,
        ],
        turns,
        // The title's tokens come first: 1 ..= title_end - 1.
        title_end: spans.first().map_or(end, |s| s.0 - 1),
        summary_end: spans.get(n_summary as usize).map_or(end, |s| s.0),
        end,
    }
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
            acc.push_doc(doc, tf, title, summary);
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

    /// Writes the files.
    pub fn finish(mut self, opts: BuildOptions) -> IndexFiles {
        let (pairs, pair_stats) = super::pairs::pair_terms(
            &self.terms,
            |k| self.term_ids.contains_key(k),
            &self.docs,
            &opts,
        );
        self.terms.extend(pairs);
        // Term ids follow the stems' byte order, as the fst requires.
        let mut order: Vec<u32> = (0..self.terms.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.terms[a as usize].0.cmp(&self.terms[b as usize].0));
        let mut final_id = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            final_id[old as usize] = new as u32;
        }
        let dict = fst::Map::from_iter(
            order
                .iter()
                .enumerate()
                .map(|(new, &old)| (self.terms[old as usize].0.as_bytes(), new as u64)),
        )
        .map(|m| m.into_fst().into_inner())
        .unwrap_or_default();
        let mut words: Vec<(&String, u32)> = self
            .words
            .iter()
            .map(|(w, &id)| (w, final_id[id as usize]))
            .collect();
        words.sort_unstable();
        let words = fst::Map::from_iter(words.iter().map(|(w, id)| (w.as_bytes(), u64::from(*id))))
            .map(|m| m.into_fst().into_inner())
            .unwrap_or_default();

        // Positions shards first: postings record where each term's positions start.
        let mut pos_shards: Vec<Vec<u8>> = vec![Vec::new()];
        let mut pos_bounds: Vec<u32> = vec![0];
        let mut pos_at: Vec<(u64, u64)> = Vec::with_capacity(order.len());
        for (new, &old) in order.iter().enumerate() {
            let acc = &self.terms[old as usize].1;
            if pos_shards
                .last()
                .is_some_and(|s| s.len() >= opts.pos_shard_bytes)
            {
                pos_shards.push(Vec::new());
                pos_bounds.push(new as u32);
            }
            let cur = pos_shards.last_mut().expect("one shard at least");
            pos_at.push((cur.len() as u64, acc.pos.len() as u64));
            cur.extend_from_slice(&acc.pos);
        }
        let mut post_shards: Vec<Vec<u8>> = Vec::new();
        let mut post_bounds: Vec<u32> = Vec::new();
        let mut start = 0usize;
        while start < order.len() || post_shards.is_empty() {
            let mut data = Vec::new();
            let mut offsets = vec![0u32];
            let mut end = start;
            while end < order.len() && (end == start || data.len() < opts.post_shard_bytes) {
                let acc = &self.terms[order[end] as usize].1;
                put_varint(&mut data, u64::from(acc.df));
                put_varint(&mut data, pos_at[end].0);
                put_varint(&mut data, pos_at[end].1);
                data.extend_from_slice(&acc.post);
                offsets.push(data.len() as u32);
                end += 1;
            }
            let mut w = Writer::default();
            w.bytes(POST_MAGIC);
            w.u32(start as u32);
            w.u32((end - start) as u32);
            for o in offsets {
                w.u32(o);
            }
            w.bytes(&data);
            post_bounds.push(start as u32);
            post_shards.push(w.buf);
            start = end;
        }

        // Facet dictionaries: distinct raw values, in byte order.
        let mut dicts: Vec<Vec<String>> = Vec::new();
        for f in 0..FACET_FIELDS.len() {
            let set: BTreeSet<&String> = if f == F_SPEAKER {
                self.docs
                    .iter()
                    .flat_map(|d| d.turns.iter().map(|t| &t.2))
                    .collect()
            } else {
                self.docs.iter().flat_map(|d| &d.values[f]).collect()
            };
            dicts.push(set.into_iter().cloned().collect());
        }
        let lookup = |f: usize, v: &str| -> u64 {
            dicts[f]
                .binary_search_by(|x| x.as_str().cmp(v))
                .unwrap_or(0) as u64
        };

        let mut w = Writer::default();
        w.bytes(META_MAGIC);
        w.u32(INDEX_FORMAT);
        w.varint(self.docs.len() as u64);
        for d in &self.docs {
            w.str(&d.id);
            w.varint(u64::from(d.date));
            w.varint(u64::from(d.len));
            w.varint(u64::from(d.paragraphs));
        }
        for dict in &dicts {
            w.varint(dict.len() as u64);
            for v in dict {
                w.str(v);
            }
        }
        for f in 1..FACET_FIELDS.len() {
            for d in &self.docs {
                let ids: BTreeSet<u64> = d.values[f].iter().map(|v| lookup(f, v)).collect();
                w.varint(ids.len() as u64);
                for id in ids {
                    w.varint(id);
                }
            }
        }
        for d in &self.docs {
            w.varint(d.turns.len() as u64);
            // Turns are in text order: each starts at or after the previous one's end.
            let mut end = 0u32;
            for (first, n, sp) in &d.turns {
                w.varint(u64::from(first - end));
                w.varint(u64::from(*n));
                w.varint(lookup(F_SPEAKER, sp));
                end = first + n;
            }
        }
        w.varint(order.len() as u64);
        for bounds in [&post_bounds, &pos_bounds] {
            w.varint(bounds.len() as u64);
            for &b in bounds {
                w.varint(u64::from(b));
            }
        }
        IndexFiles {
            terms: order.len() as u32,
            pairs: pair_stats,
            meta: w.buf,
            dict,
            words,
            post: post_shards,
            pos: pos_shards,
        }
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

/// One speaker turn: tokens `first..first + len` (the document's token numbers) by `speaker`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TurnRange {
    pub first: u32,
    pub len: u32,
    pub speaker: u32,
}

/// The decoded `meta.bin`: what the engine keeps in memory for every document.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub ids: Vec<String>,
    pub dates: Vec<u32>,
    pub lens: Vec<u32>,
    pub avg_len: f32,
    /// Raw values per facet field.
    pub values: Vec<Vec<String>>,
    /// Per facet field (speaker: distinct speakers of the doc), CSR offsets and ids.
    pub doc_values: Vec<(Vec<u32>, Vec<u32>)>,
    pub turn_offsets: Vec<u32>,
    pub turns: Vec<TurnRange>,
    pub n_terms: u32,
    pub post_bounds: Vec<u32>,
    pub pos_bounds: Vec<u32>,
}

impl Meta {
    pub fn from_bytes(b: &[u8]) -> Result<Meta, IndexError> {
        if b.len() < 12 || &b[..8] != META_MAGIC {
            return Err(IndexError::NotAnIndex {
                what: META_PATH.into(),
            });
        }
        let found = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
        if found != INDEX_FORMAT {
            return Err(IndexError::Version {
                found,
                expected: INDEX_FORMAT,
            });
        }
        let mut r = Reader::new(b, "index/meta.bin");
        r.pos = 12;
        let n = r.count()?;
        let mut ids = Vec::with_capacity(n);
        let mut dates = Vec::with_capacity(n);
        let mut lens = Vec::with_capacity(n);
        for _ in 0..n {
            ids.push(r.str()?);
            dates.push(r.u32v()?);
            lens.push(r.u32v()?);
            // Paragraph count: kept in the file for the app, not needed to search.
            r.u32v()?;
        }
        let mut values = Vec::new();
        for _ in 0..FACET_FIELDS.len() {
            let k = r.count()?;
            let mut v = Vec::with_capacity(k);
            for _ in 0..k {
                v.push(r.str()?);
            }
            values.push(v);
        }
        let mut doc_values = vec![(Vec::new(), Vec::new())];
        for vals in values.iter().skip(1) {
            let mut offs = Vec::with_capacity(n + 1);
            let mut ids_ = Vec::new();
            offs.push(0);
            for _ in 0..n {
                let k = r.count()?;
                for _ in 0..k {
                    let v = r.u32v()?;
                    if v as usize >= vals.len() {
                        return Err(IndexError::Corrupt {
                            what: META_PATH.into(),
                            offset: r.pos,
                        });
                    }
                    ids_.push(v);
                }
                offs.push(ids_.len() as u32);
            }
            doc_values.push((offs, ids_));
        }
        let mut turn_offsets = Vec::with_capacity(n + 1);
        let mut turns = Vec::new();
        let mut sp_offs = vec![0u32];
        let mut sp_ids = Vec::new();
        turn_offsets.push(0);
        for _ in 0..n {
            let k = r.count()?;
            let start = sp_ids.len();
            let mut end = 0u32;
            for _ in 0..k {
                let first = end.saturating_add(r.u32v()?);
                let len = r.u32v()?;
                let t = TurnRange {
                    first,
                    len,
                    speaker: r.u32v()?,
                };
                end = first.saturating_add(len);
                if t.speaker as usize >= values[F_SPEAKER].len() {
                    return Err(IndexError::Corrupt {
                        what: META_PATH.into(),
                        offset: r.pos,
                    });
                }
                if !sp_ids[start..].contains(&t.speaker) {
                    sp_ids.push(t.speaker);
                }
                turns.push(t);
            }
            turn_offsets.push(turns.len() as u32);
            sp_offs.push(sp_ids.len() as u32);
        }
        doc_values[F_SPEAKER] = (sp_offs, sp_ids);
        let n_terms = r.u32v()?;
        let mut bounds = Vec::new();
        for _ in 0..2 {
            let k = r.count()?;
            let mut v = Vec::with_capacity(k);
            for _ in 0..k {
                v.push(r.u32v()?);
            }
            if v.first() != Some(&0) || v.windows(2).any(|w| w[0] >= w[1]) {
                return Err(IndexError::Corrupt {
                    what: META_PATH.into(),
                    offset: r.pos,
                });
            }
            bounds.push(v);
        }
        let pos_bounds = bounds.pop().unwrap_or_default();
        let post_bounds = bounds.pop().unwrap_or_default();
        let avg_len = if n == 0 {
            1.0
        } else {
            (lens.iter().map(|&l| f64::from(l)).sum::<f64>() / n as f64).max(1.0) as f32
        };
        Ok(Meta {
            ids,
            dates,
            lens,
            avg_len,
            values,
            doc_values,
            turn_offsets,
            turns,
            n_terms,
            post_bounds,
            pos_bounds,
        })
    }

    /// Checks a postings shard's header; returns (first term, term count).
    pub fn check_post_shard(b: &[u8]) -> Result<(u32, u32), IndexError> {
        let corrupt = |offset| IndexError::Corrupt {
            what: "postings shard".into(),
            offset,
        };
        if b.len() < 12 || &b[..4] != POST_MAGIC {
            return Err(corrupt(0));
        }
        let mut r = Reader::new(b, "postings shard");
        r.pos = 4;
        let first = r.u32()?;
        let n = r.u32()?;
        let header = 12usize + 4 * (n as usize + 1);
        if b.len() < header {
            return Err(corrupt(12));
        }
        let data_len = b.len() - header;
        let mut prev = 0u32;
        for i in 0..=n as usize {
            let o = r.u32()?;
            if o < prev || o as usize > data_len || (i == 0 && o != 0) {
                return Err(corrupt(r.pos));
            }
            prev = o;
        }
        Ok((first, n))
    }
}
