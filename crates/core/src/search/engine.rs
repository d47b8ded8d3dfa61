//! The search engine over a loaded index: planning which parts a query needs,
//! boolean evaluation, BM25 ranking and disjunctive facets.

use std::collections::BTreeSet;

use fst::{Automaton, IntoStreamer, Streamer};
use serde::{Deserialize, Serialize};

use super::codec::get_varint;
use super::docset::DocSet;
use super::format::{Meta, F_SPEAKER};
use super::lev::Levenshtein;
use super::pairs::{pair_key, pair_pos_key};
use super::query::{DateRange, Field, Node, Query};
use super::snippet::{MAtom, Matcher};
use super::{IndexError, SearchError};

/// Most index terms a `prefix*` may expand to before the query is refused.
pub const MAX_PREFIX_TERMS: usize = 2000;
/// Most index terms a misspelt word may expand to before the query is refused.
pub const MAX_TYPO_TERMS: usize = 200;
/// Shortest word (in characters) that gets typo tolerance.
pub const MIN_TYPO_CHARS: usize = 3;
/// Words of this many characters or more are allowed two edits, shorter ones one.
pub const TWO_TYPOS_CHARS: usize = 8;

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Extra weight of an occurrence in the title (on top of none: the title is not a paragraph).
const TITLE_BOOST: f32 = 3.0;
/// Extra weight of an occurrence in a summary paragraph (on top of its plain count).
const SUMMARY_BOOST: f32 = 1.0;
/// Expanded terms (prefix, typo) rank below exact ones.
const PREFIX_WEIGHT: f32 = 0.8;
const TYPO_WEIGHT: f32 = 0.6;

/// A loadable part of the index beyond `meta.bin` and the stem dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PartId {
    /// The word dictionary (`index/words.fst`): only prefixes and typos need it, so a
    /// first plain query does without its bytes.
    Words,
    /// Document-level postings shard `n` (`index/post-NNNN.bin`).
    Post(u32),
    /// Positions shard `n` (`index/pos-NNNN.bin`).
    Pos(u32),
}

impl PartId {
    /// The part's logical name (`index/post-NNNN.bin`), as in [`super::IndexFiles::files`].
    /// A built bundle's files carry content hashes: fetch
    /// `manifest.index.part_path(part)` ([`crate::bundle::IndexInfo::part_path`]) instead.
    pub fn path(self) -> String {
        match self {
            PartId::Words => super::format::WORDS_PATH.to_string(),
            PartId::Post(i) => super::format::post_path(i as usize),
            PartId::Pos(i) => super::format::pos_path(i as usize),
        }
    }
}

/// How to order hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Sort {
    /// BM25 score, best first (ties: newer first). A query without words sorts newest.
    #[default]
    Relevance,
    /// Date descending (undated last), ties by document number descending.
    Newest,
    /// Date ascending (undated first), ties by document number ascending.
    Oldest,
}

/// Facet selections, as the app's facet panel makes them: values within one facet are
/// OR-ed, facets are AND-ed, and every facet's counts apply all *other* facets' selections.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Exact speaker names (as in the facet).
    pub speaker: Vec<String>,
    /// Years.
    pub year: Vec<i32>,
    /// A date range, AND-ed with `year` (both belong to the year facet).
    pub date: Option<DateRange>,
    pub place: Vec<String>,
    pub topic: Vec<String>,
    pub kind: Vec<String>,
    pub mentions: Vec<String>,
}

/// What to return besides the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchOptions {
    pub sort: Sort,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
    pub filters: Filters,
    /// Whether to count facets.
    pub facets: bool,
    /// List at most this many values per facet (the most frequent; selected values are
    /// always listed besides). Counting is exact either way; this bounds the work of
    /// naming values, which a corpus with thousands of speakers makes the costly part.
    /// The year facet is always complete. `None`: every value.
    pub facet_limit: Option<usize>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            sort: Sort::Relevance,
            offset: 0,
            limit: 10,
            filters: Filters::default(),
            facets: true,
            facet_limit: None,
        }
    }
}

/// One matching transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Document number: the position in the manifest's `docs`.
    pub doc: u32,
    pub id: String,
    pub date: Option<String>,
    /// Distinct speakers in order of first appearance.
    pub speakers: Vec<String>,
    pub score: f32,
}

/// A facet value and its number of matching transcripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u32,
}

/// Facet counts, each sorted by count descending, then value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    pub speaker: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub place: Vec<FacetCount>,
    pub topic: Vec<FacetCount>,
    pub kind: Vec<FacetCount>,
    pub mentions: Vec<FacetCount>,
    /// Per facet ([`Facets::iter`] order), how many values have a nonzero count: more
    /// than listed when [`SearchOptions::facet_limit`] cut the list.
    pub distinct: [usize; 6],
}

impl Facets {
    /// (facet name, counts) in a fixed order.
    pub fn iter(&self) -> [(&'static str, &Vec<FacetCount>); 6] {
        [
            ("speaker", &self.speaker),
            ("year", &self.year),
            ("place", &self.place),
            ("topic", &self.topic),
            ("kind", &self.kind),
            ("mentions", &self.mentions),
        ]
    }
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Exact number of matching transcripts (after filters).
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// A loaded index. Open it with `meta.bin` and the stem dictionary, then add the parts
/// that [`Index::plan`] names until it names none (or all of [`Index::parts`]).
pub struct Index {
    pub(crate) meta: Meta,
    pub(crate) dict: fst::Map<Vec<u8>>,
    pub(crate) words: Option<fst::Map<Vec<u8>>>,
    post: Vec<Option<Vec<u8>>>,
    pos: Vec<Option<Vec<u8>>>,
    /// Folded words of every facet value, for `field:` conditions.
    folded_values: Vec<Vec<Vec<String>>>,
    /// Distinct years of dated documents, ascending (the year facet's values).
    years: Vec<u32>,
    /// Per document, its year's index in `years` (none when undated), as CSR like
    /// `Meta::doc_values`, so the year facet is counted like the others.
    year_csr: (Vec<u32>, Vec<u32>),
    /// Per facet ([`Facets::iter`] order), every value's count over the whole corpus.
    facet_totals: Vec<Vec<u32>>,
}

/// A resolved query node: words turned into term ids, field values into value ids.
#[derive(Debug)]
enum R {
    Terms {
        terms: Vec<(u32, f32)>,
    },
    /// A phrase: the terms whose positions place it, each with its offset from the
    /// phrase's start (`None` when a word is not in the index), and the pair term that
    /// answers it alone (two words, no speaker scope).
    Phrase {
        parts: Option<Vec<(u32, u32)>>,
        pair: Option<u32>,
    },
    Values {
        field: usize,
        ids: Vec<u32>,
    },
    Date(DateRange),
    And(Vec<R>),
    Or(Vec<R>),
    Not(Box<R>),
}

struct Resolved {
    root: Option<R>,
    /// Speaker value ids of the scope, when the query has one.
    scope: Option<Vec<u32>>,
    atoms: Vec<AtomInfo>,
}

struct AtomInfo {
    positive: bool,
    matcher: MAtom,
    terms: Vec<u32>,
    phrase: bool,
    /// Whether evaluating it reads its terms' positions.
    positions: bool,
}

/// The postings of one term, as slices of its shards (or of the builder's buffers).
#[derive(Clone, Copy)]
pub(super) struct TermPostings<'a> {
    pub df: u32,
    pub data: &'a [u8],
    pub pos: Option<&'a [u8]>,
}

/// Walks a term's postings; positions are decoded only when asked for. The one reader
/// of the postings format: the engine's, and the build's pair pass.
pub(super) struct Cursor<'a> {
    data: &'a [u8],
    at: usize,
    left: u32,
    pub doc: u32,
    pub(crate) tf: u32,
    pub(crate) title: u32,
    summary: u32,
    pos: Option<&'a [u8]>,
    /// Start of the first posting's positions not yet read or skipped.
    pos_at: usize,
    /// Positions (one varint each) of earlier documents not yet skipped.
    pos_skip: usize,
    /// Whether the current document's positions block was read.
    consumed: bool,
    started: bool,
}

impl<'a> Cursor<'a> {
    pub fn new(tp: TermPostings<'a>) -> Cursor<'a> {
        Cursor {
            data: tp.data,
            at: 0,
            left: tp.df,
            doc: 0,
            tf: 0,
            title: 0,
            summary: 0,
            pos: tp.pos,
            pos_at: 0,
            pos_skip: 0,
            consumed: false,
            started: false,
        }
    }

    #[inline]
    pub fn next(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        if self.started && !self.consumed {
            self.pos_skip += (self.tf + self.title) as usize;
        }
        self.consumed = false;
        self.left -= 1;
        let delta = get_varint(self.data, &mut self.at) as u32;
        self.doc = if self.started {
            self.doc.saturating_add(delta)
        } else {
            delta
        };
        self.started = true;
        let v = get_varint(self.data, &mut self.at);
        self.tf = (v >> 1) as u32;
        if v & 1 == 1 {
            self.title = get_varint(self.data, &mut self.at) as u32;
            self.summary = get_varint(self.data, &mut self.at) as u32;
        } else {
            self.title = 0;
            self.summary = 0;
        }
        true
    }

    /// Advances to the first posting at or after `doc`; false at the end.
    pub(crate) fn advance_to(&mut self, doc: u32) -> bool {
        if self.started && self.doc >= doc {
            return true;
        }
        while self.next() {
            if self.doc >= doc {
                return true;
            }
        }
        false
    }

    /// The current document's token numbers, ascending; the first `title` are the
    /// title's. Empty when the cursor has no positions or they were read already.
    pub fn positions(&mut self, out: &mut Vec<u32>) {
        out.clear();
        out.reserve((self.tf + self.title) as usize);
        self.each_position(|p| out.push(p));
    }

    /// Sets the bit of each of the current document's token numbers in `bits`, growing
    /// it as needed; returns the number of leading words of `bits` that may now be
    /// non-zero (the caller clears them). Nothing when the positions were read already.
    fn positions_bits(&mut self, bits: &mut Vec<u64>) -> usize {
        let mut top = 0usize;
        self.each_position(|p| {
            let w = (p >> 6) as usize;
            if w >= bits.len() {
                // Only a damaged file has token numbers this large: skip, never
                // allocate hundreds of megabytes.
                if w >= MAX_BIT_WORDS {
                    return;
                }
                bits.resize(w + 1, 0);
            }
            bits[w] |= 1u64 << (p & 63);
            top = top.max(w + 1);
        });
        top
    }

    /// Calls `f` with each of the current document's token numbers, ascending, once:
    /// nothing when the cursor has no positions or they were read already.
    #[inline(always)]
    fn each_position(&mut self, mut f: impl FnMut(u32)) {
        let Some(pos) = self.pos else { return };
        if self.consumed {
            return;
        }
        // A local offset, not the field: the loop then keeps it in a register.
        let mut at = skip_varints(pos, self.pos_at, self.pos_skip);
        self.pos_skip = 0;
        let mut p = 0u32;
        for _ in 0..self.tf + self.title {
            // Wrapping, not saturating: a damaged file gives wrong numbers, never a
            // panic, and this is the hottest loop of a phrase.
            p = p.wrapping_add(gap_at(pos, &mut at));
            f(p);
        }
        self.pos_at = at;
        self.consumed = true;
    }
}

/// The position gap (a varint) at `*at`. Gaps of frequent words fit one byte, of
/// rarer ones mostly two: both are decoded here without the general loop.
#[inline(always)]
fn gap_at(pos: &[u8], at: &mut usize) -> u32 {
    match pos.get(*at..*at + 2) {
        Some(&[b, _]) if b < 0x80 => {
            *at += 1;
            u32::from(b)
        }
        Some(&[b, c]) if c < 0x80 => {
            *at += 2;
            u32::from(b & 0x7F) | (u32::from(c) << 7)
        }
        _ => get_varint(pos, at) as u32,
    }
}

/// Largest token-number bitmap a phrase check builds, in 64-bit words (2^26 tokens, far
/// beyond any transcript).
const MAX_BIT_WORDS: usize = 1 << 20;

/// Scratch space for finding a phrase's starts in one document.
#[derive(Default)]
pub(super) struct PhraseScratch {
    /// Candidate starts, then the phrase's starts.
    pub(crate) starts: Vec<u32>,
    /// One bit per token number: one later word's positions at a time.
    bits: Vec<u64>,
}

impl PhraseScratch {
    /// The starts (token numbers of the first word, ascending) of the phrase placed by
    /// `cursors[i]` at `offsets[i]` from its start, all of them on the same document;
    /// returns the last start that lies in the title (0 when none can).
    ///
    /// The word with the fewest positions here gives the candidates; every other word's
    /// positions become a bitmap that each candidate tests at its offset. That is one
    /// pass over each word's positions with no data-dependent branch, where merging
    /// sorted lists mispredicts at every step (the merge was half of a frequent
    /// phrase's time). A paragraph never ends between two adjacent token numbers (the
    /// build leaves a gap), so adjacency is the phrase test.
    pub(super) fn find(&mut self, cursors: &mut [Cursor], offsets: &[u32]) -> u32 {
        self.starts.clear();
        let Some(anchor) = (0..cursors.len()).min_by_key(|&i| cursors[i].tf + cursors[i].title)
        else {
            return 0;
        };
        cursors[anchor].positions(&mut self.starts);
        let off = offsets[anchor];
        let title = cursors[anchor].title as usize;
        let title_last = match title {
            0 => 0,
            k => self.starts.get(k - 1).map_or(0, |&p| p.saturating_sub(off)),
        };
        // Token numbers start at 1: an anchor at or before its offset starts nothing.
        self.starts.retain(|&p| p > off);
        for s in &mut self.starts {
            *s -= off;
        }
        for (i, c) in cursors.iter_mut().enumerate() {
            if i == anchor {
                continue;
            }
            if self.starts.is_empty() {
                // The other cursors skip these positions by counting, unread.
                break;
            }
            let used = c.positions_bits(&mut self.bits);
            let shift = offsets[i];
            let mut k = 0;
            for r in 0..self.starts.len() {
                let s = self.starts[r];
                let q = s.wrapping_add(shift);
                let word = self.bits.get((q >> 6) as usize).copied().unwrap_or(0);
                self.starts[k] = s;
                k += ((word >> (q & 63)) & 1) as usize;
            }
            self.starts.truncate(k);
            self.bits[..used].fill(0);
        }
        title_last
    }
}

/// What places a phrase of words with these `terms`, given the pair term (with
/// positions) of each two adjacent words where there is one (`pairs[i]`: words i and
/// i + 1): (term, offset from the phrase's start), which together are exactly the
/// phrase's adjacency. A pair has fewer positions than either of its words ("the
/// united" against "the"), and every part but the rarest has all its positions in a
/// candidate document decoded: so pairs are preferred, and as few parts as cover the
/// words. From the left, the first word not yet covered is covered by the pair it
/// starts, else by the pair it ends (overlapping one already taken), else by itself.
pub(crate) fn phrase_parts(terms: &[u32], pairs: &[Option<u32>]) -> Vec<(u32, u32)> {
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

/// The offset `n` varints after `at` in `data` (its end if shorter): a varint ends at
/// each byte below 0x80, so skipping is counting such bytes, without decoding. Eight
/// bytes are counted at a time (a frequent word skips most of its positions).
#[inline]
fn skip_varints(data: &[u8], at: usize, mut n: usize) -> usize {
    if n == 0 {
        return at;
    }
    let rest = data.get(at..).unwrap_or_default();
    let mut i = 0;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = rest.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let ends = 8 - (w & HIGH).count_ones() as usize;
        if ends >= n {
            break;
        }
        n -= ends;
        i += 8;
    }
    for (k, &b) in rest[i..].iter().enumerate() {
        if b < 0x80 {
            n -= 1;
            if n == 0 {
                return at + i + k + 1;
            }
        }
    }
    data.len()
}

fn fst_err(what: &str, e: fst::Error) -> IndexError {
    IndexError::Corrupt {
        what: format!("{what}: {e}"),
        offset: 0,
    }
}

fn bm25(idf: f32, tfw: f32, len: u32, avg: f32) -> f32 {
    let norm = K1 * (1.0 - B + B * len as f32 / avg);
    idf * tfw * (K1 + 1.0) / (tfw + norm)
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

fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

impl Index {
    /// Opens an index from `meta.bin` and `dict.fst`; every other part (the word
    /// dictionary, postings, positions) is added with [`Index::add_part`] as
    /// [`Index::plan`] asks for it, or all at once ([`Index::parts`]).
    pub fn open(meta: &[u8], dict: Vec<u8>) -> Result<Index, IndexError> {
        let meta = Meta::from_bytes(meta)?;
        let dict = fst::Map::new(dict).map_err(|e| fst_err("index/dict.fst", e))?;
        let folded_values = meta
            .values
            .iter()
            .map(|vals| {
                vals.iter()
                    .map(|v| super::analysis::folded_words(v))
                    .collect()
            })
            .collect();
        let years: Vec<u32> = meta
            .dates
            .iter()
            .filter(|&&k| k != 0)
            .map(|&k| k / 10000)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut year_csr = (vec![0u32], Vec::new());
        for &k in &meta.dates {
            if k != 0 {
                let y = years.binary_search(&(k / 10000)).unwrap_or(0);
                year_csr.1.push(y as u32);
            }
            year_csr.0.push(year_csr.1.len() as u32);
        }
        let mut ix = Index {
            post: vec![None; meta.post_bounds.len()],
            pos: vec![None; meta.pos_bounds.len()],
            meta,
            dict,
            words: None,
            folded_values,
            years,
            year_csr,
            facet_totals: Vec::new(),
        };
        let mut totals: Vec<Vec<u32>> = (0..6).map(|i| vec![0; ix.facet_len(i)]).collect();
        let n = ix.doc_count();
        for (i, t) in totals.iter_mut().enumerate() {
            let (offs, ids) = ix.facet_csr(i);
            for d in 0..n {
                for &v in &ids[offs[d] as usize..offs[d + 1] as usize] {
                    t[v as usize] += 1;
                }
            }
        }
        ix.facet_totals = totals;
        Ok(ix)
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        self.meta.ids.len()
    }

    /// The id of document `doc`.
    pub fn doc_id(&self, doc: u32) -> Option<&str> {
        self.meta.ids.get(doc as usize).map(String::as_str)
    }

    /// Number of distinct index terms (stems).
    pub fn term_count(&self) -> u32 {
        self.meta.n_terms
    }

    /// Every shard part, postings first.
    pub fn parts(&self) -> Vec<PartId> {
        std::iter::once(PartId::Words)
            .chain((0..self.post.len() as u32).map(PartId::Post))
            .chain((0..self.pos.len() as u32).map(PartId::Pos))
            .collect()
    }

    /// Adds a shard's bytes.
    pub fn add_part(&mut self, id: PartId, bytes: Vec<u8>) -> Result<(), IndexError> {
        match id {
            PartId::Words => {
                self.words = Some(fst::Map::new(bytes).map_err(|e| fst_err("index/words.fst", e))?);
            }
            PartId::Post(i) => {
                let slot = self
                    .post
                    .get_mut(i as usize)
                    .ok_or(IndexError::UnknownPart(id))?;
                let (first, _) = Meta::check_post_shard(&bytes)?;
                if first != self.meta.post_bounds[i as usize] {
                    return Err(IndexError::Corrupt {
                        what: id.path(),
                        offset: 4,
                    });
                }
                *slot = Some(bytes);
            }
            PartId::Pos(i) => {
                let slot = self
                    .pos
                    .get_mut(i as usize)
                    .ok_or(IndexError::UnknownPart(id))?;
                *slot = Some(bytes);
            }
        }
        Ok(())
    }

    /// The parts `q` needs that are not loaded yet, in a fixed order. Add them and ask
    /// again until the answer is empty: a prefix or a misspelt word first needs the word
    /// dictionary, and only then can its expansions' shards be named. With an empty
    /// plan, [`Index::search`] and [`Index::matcher`] will not fail for lack of a part.
    pub fn plan(&self, q: &Query) -> Result<Vec<PartId>, SearchError> {
        if self.words.is_none() && q.root.as_ref().is_some_and(|r| self.needs_words(r)) {
            return Ok(vec![PartId::Words]);
        }
        let res = self.resolve(q)?;
        let mut parts = BTreeSet::new();
        for a in &res.atoms {
            let needs_pos = res.scope.is_some() || a.positions;
            for &t in &a.terms {
                let p = PartId::Post(shard_of(&self.meta.post_bounds, t));
                if self.post[shard_of(&self.meta.post_bounds, t) as usize].is_none() {
                    parts.insert(p);
                }
                let ps = shard_of(&self.meta.pos_bounds, t);
                if needs_pos && self.pos[ps as usize].is_none() {
                    parts.insert(PartId::Pos(ps));
                }
            }
        }
        Ok(parts.into_iter().collect())
    }

    /// What to highlight for `q`, with typo and prefix expansions resolved against this index.
    pub fn matcher(&self, q: &Query) -> Result<Matcher, SearchError> {
        let res = self.resolve(q)?;
        Ok(Matcher::new(
            res.atoms
                .into_iter()
                .filter(|a| a.positive)
                .map(|a| a.matcher)
                .collect(),
            q.speakers.iter().map(|s| s.folded.clone()).collect(),
        ))
    }

    pub(super) fn term_postings(
        &self,
        term: u32,
        with_pos: bool,
    ) -> Result<TermPostings<'_>, SearchError> {
        let s = shard_of(&self.meta.post_bounds, term);
        let bytes = self.post[s as usize]
            .as_deref()
            .ok_or(SearchError::MissingPart(PartId::Post(s)))?;
        let local = (term - self.meta.post_bounds[s as usize]) as usize;
        let n = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let header = 12 + 4 * (n + 1);
        let off = |i: usize| {
            let p = 12 + 4 * i;
            u32::from_le_bytes([bytes[p], bytes[p + 1], bytes[p + 2], bytes[p + 3]]) as usize
        };
        if local >= n {
            return Err(SearchError::Index(IndexError::Corrupt {
                what: PartId::Post(s).path(),
                offset: 8,
            }));
        }
        let data = &bytes[header + off(local)..header + off(local + 1)];
        let mut at = 0;
        let df = get_varint(data, &mut at) as u32;
        let pos_off = get_varint(data, &mut at) as usize;
        let pos_len = get_varint(data, &mut at) as usize;
        let pos = if with_pos {
            let ps = shard_of(&self.meta.pos_bounds, term);
            let pb = self.pos[ps as usize]
                .as_deref()
                .ok_or(SearchError::MissingPart(PartId::Pos(ps)))?;
            Some(
                pb.get(pos_off..pos_off.saturating_add(pos_len))
                    .ok_or(SearchError::Index(IndexError::Corrupt {
                        what: PartId::Pos(ps).path(),
                        offset: pos_off,
                    }))?,
            )
        } else {
            None
        };
        Ok(TermPostings {
            df,
            data: &data[at..],
            pos,
        })
    }

    fn idf(&self, df: u32) -> f32 {
        let n = self.doc_count() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    // Out of line so that profiles show the time of each search stage apart.
    #[inline(never)]
    fn resolve(&self, q: &Query) -> Result<Resolved, SearchError> {
        let scope = (!q.speakers.is_empty()).then(|| {
            let mut ids = Vec::new();
            for v in &q.speakers {
                for (i, f) in self.folded_values[F_SPEAKER].iter().enumerate() {
                    if *f == v.folded {
                        ids.push(i as u32);
                    }
                }
            }
            ids.sort_unstable();
            ids.dedup();
            ids
        });
        let mut atoms = Vec::new();
        let root = match &q.root {
            Some(n) => Some(self.resolve_node(n, true, scope.is_some(), &mut atoms)?),
            None => None,
        };
        Ok(Resolved { root, scope, atoms })
    }

    fn exact(&self, term: &str) -> Option<u32> {
        self.dict.get(term).map(|v| v as u32)
    }

    /// Whether resolving `n` reads the word dictionary: a prefix, or a word that has no
    /// exact match and gets typo tolerance (the same tests as [`Index::resolve_node`]).
    fn needs_words(&self, n: &Node) -> bool {
        match n {
            Node::Word(w) => {
                w.prefix || (self.exact(&w.term).is_none() && typo_distance(&w.folded).is_some())
            }
            Node::And(v) | Node::Or(v) => v.iter().any(|c| self.needs_words(c)),
            Node::Not(c) => self.needs_words(c),
            Node::Phrase(_) | Node::Field(..) | Node::Date(_) => false,
        }
    }

    fn words(&self) -> Result<&fst::Map<Vec<u8>>, SearchError> {
        self.words
            .as_ref()
            .ok_or(SearchError::MissingPart(PartId::Words))
    }

    /// `scoped`: whether the query has a speaker scope (every text match then needs
    /// positions, to be tested against the speakers' turns).
    fn resolve_node(
        &self,
        n: &Node,
        positive: bool,
        scoped: bool,
        atoms: &mut Vec<AtomInfo>,
    ) -> Result<R, SearchError> {
        Ok(match n {
            Node::Word(w) => {
                let mut terms: Vec<(u32, f32)> = Vec::new();
                let mut surfaces = Vec::new();
                let mut stems = Vec::new();
                let mut prefix = None;
                if w.prefix {
                    let aut = fst::automaton::Str::new(&w.folded).starts_with();
                    let mut st = self.words()?.search(aut).into_stream();
                    let mut set = BTreeSet::new();
                    while let Some((_, v)) = st.next() {
                        set.insert(v as u32);
                        if set.len() > MAX_PREFIX_TERMS {
                            return Err(SearchError::TooBroad {
                                word: format!("{}*", w.folded),
                                limit: MAX_PREFIX_TERMS,
                            });
                        }
                    }
                    terms = set.into_iter().map(|t| (t, PREFIX_WEIGHT)).collect();
                    prefix = Some(w.folded.clone());
                } else if let Some(t) = self.exact(&w.term) {
                    terms.push((t, 1.0));
                    stems.push(w.term.clone());
                } else if let Some(d) = typo_distance(&w.folded) {
                    let mut set = BTreeSet::new();
                    Levenshtein::new(&w.folded, d).walk(self.words()?, |k, v| {
                        set.insert(v as u32);
                        surfaces.push(String::from_utf8_lossy(k).into_owned());
                        set.len() <= MAX_TYPO_TERMS
                    });
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
                    matcher: MAtom::Word {
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
                R::Terms { terms }
            }
            Node::Phrase(ws) => {
                let terms: Option<Vec<u32>> = ws.iter().map(|w| self.exact(&w.term)).collect();
                // Adjacent words with a pair term: (pair, i) places words i and i + 1,
                // with fewer positions to read than either word's.
                let pairs: Vec<Option<u32>> = ws
                    .windows(2)
                    .map(|w| self.exact(&pair_pos_key(&w[0].term, &w[1].term)))
                    .collect();
                // Two words with a pair term (either kind) and no scope: its postings
                // alone answer it.
                let pair = match ws.as_slice() {
                    [a, b] if !scoped && terms.is_some() => {
                        pairs[0].or_else(|| self.exact(&pair_key(&a.term, &b.term)))
                    }
                    _ => None,
                };
                let parts = terms.map(|terms| phrase_parts(&terms, &pairs));
                atoms.push(AtomInfo {
                    positive,
                    matcher: MAtom::Phrase {
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
                R::Phrase { parts, pair }
            }
            Node::Field(f, v) => {
                let fi = match f {
                    Field::Speaker => 0,
                    Field::Place => 1,
                    Field::Topic => 2,
                    Field::Kind => 3,
                    Field::Mentions => 4,
                };
                let ids = self.folded_values[fi]
                    .iter()
                    .enumerate()
                    .filter(|(_, fv)| {
                        if fi == F_SPEAKER {
                            **fv == v.folded
                        } else {
                            contains_seq(fv, &v.folded)
                        }
                    })
                    .map(|(i, _)| i as u32)
                    .collect();
                R::Values { field: fi, ids }
            }
            Node::Date(d) => R::Date(*d),
            Node::And(v) => R::And(
                v.iter()
                    .map(|c| self.resolve_node(c, positive, scoped, atoms))
                    .collect::<Result<_, _>>()?,
            ),
            Node::Or(v) => R::Or(
                v.iter()
                    .map(|c| self.resolve_node(c, positive, scoped, atoms))
                    .collect::<Result<_, _>>()?,
            ),
            Node::Not(c) => R::Not(Box::new(self.resolve_node(c, !positive, scoped, atoms)?)),
        })
    }

    /// Runs a query. Fails with [`SearchError::MissingPart`] if a shard it needs is not loaded.
    pub fn search(&self, q: &Query, opts: &SearchOptions) -> Result<SearchResults, SearchError> {
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
            a.matcher.set_idf(idf);
        }
        let mut ex = Exec {
            ix: self,
            scores: vec![0.0; n],
            scope: None,
            scored: false,
            buf: Vec::new(),
        };
        if let Some(ids) = &res.scope {
            let mut docs = DocSet::empty(n);
            for d in 0..n {
                if self
                    .doc_turns(d as u32)
                    .iter()
                    .any(|t| ids.contains(&t.speaker))
                {
                    docs.insert(d as u32);
                }
            }
            ex.scope = Some((ids.clone(), docs));
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
        for g in groups.iter().flatten() {
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
                let mut all: Vec<(f32, u32)> =
                    matched.iter().map(|d| (ex.scores[d as usize], d)).collect();
                let cmp = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1));
                if want < all.len() && want > 0 {
                    all.select_nth_unstable_by(want - 1, cmp);
                    all.truncate(want);
                }
                all.sort_unstable_by(cmp);
                all.into_iter()
                    .skip(opts.offset)
                    .take(opts.limit)
                    .map(|x| x.1)
                    .collect()
            }
        };
        let hits = page
            .iter()
            .map(|&d| Hit {
                doc: d,
                id: self.meta.ids[d as usize].clone(),
                date: date_string(self.meta.dates[d as usize]),
                speakers: self.doc_speakers(d),
                score: ex.scores[d as usize],
            })
            .collect();
        let facets = if opts.facets {
            self.facets(&base, &groups, &opts.filters, opts.facet_limit)
        } else {
            Facets::default()
        };
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }

    fn doc_turns(&self, d: u32) -> &[super::format::TurnRange] {
        let (a, b) = (
            self.meta.turn_offsets[d as usize] as usize,
            self.meta.turn_offsets[d as usize + 1] as usize,
        );
        &self.meta.turns[a..b]
    }

    fn doc_values(&self, f: usize, d: u32) -> &[u32] {
        let (offs, ids) = &self.meta.doc_values[f];
        &ids[offs[d as usize] as usize..offs[d as usize + 1] as usize]
    }

    /// Distinct speakers of document `doc`, in order of first appearance.
    pub fn doc_speakers(&self, doc: u32) -> Vec<String> {
        self.doc_values(F_SPEAKER, doc)
            .iter()
            .map(|&i| self.meta.values[F_SPEAKER][i as usize].clone())
            .collect()
    }

    /// Per facet (speaker, year, place, topic, kind, mentions): the documents its
    /// selection allows, or `None` without a selection.
    // Out of line so that profiles show the time of each search stage apart.
    #[inline(never)]
    fn filter_sets(&self, f: &Filters) -> [Option<DocSet>; 6] {
        let n = self.doc_count();
        let by_values = |field: usize, sel: &[String]| -> Option<DocSet> {
            if sel.is_empty() {
                return None;
            }
            let vals = &self.meta.values[field];
            let mut mask = vec![false; vals.len()];
            for s in sel {
                if let Ok(i) = vals.binary_search(s) {
                    mask[i] = true;
                }
            }
            let mut set = DocSet::empty(n);
            for d in 0..n as u32 {
                if self.doc_values(field, d).iter().any(|&v| mask[v as usize]) {
                    set.insert(d);
                }
            }
            Some(set)
        };
        let year = if f.year.is_empty() && f.date.is_none() {
            None
        } else {
            let mut set = DocSet::empty(n);
            for (d, &k) in self.meta.dates.iter().enumerate() {
                let y = (k / 10000) as i32;
                let ok_year = f.year.is_empty() || (k != 0 && f.year.contains(&y));
                let ok_range = f.date.is_none_or(|r| k != 0 && r.lo <= k && k <= r.hi);
                if ok_year && ok_range {
                    set.insert(d as u32);
                }
            }
            Some(set)
        };
        [
            by_values(0, &f.speaker),
            year,
            by_values(1, &f.place),
            by_values(2, &f.topic),
            by_values(3, &f.kind),
            by_values(4, &f.mentions),
        ]
    }

    // Out of line so that profiles show the time of each search stage apart.
    #[inline(never)]
    fn facets(
        &self,
        base: &DocSet,
        groups: &[Option<DocSet>; 6],
        filters: &Filters,
        limit: Option<usize>,
    ) -> Facets {
        // Facet i counts over base ∩ every other facet's selection (disjunctive faceting):
        // facets without a selection share one set (base ∩ all selections) and are counted
        // in one pass; only a facet with a selection needs a set (and a pass) of its own.
        let mut all = base.clone();
        for g in groups.iter().flatten() {
            all.and(g);
        }
        let shared: Vec<usize> = (0..6).filter(|&i| groups[i].is_none()).collect();
        let mut counts: Vec<Vec<u32>> = (0..6).map(|i| vec![0; self.facet_len(i)]).collect();
        self.count_facets(&shared, &all, &mut counts);
        for i in 0..6 {
            if groups[i].is_some() {
                let mut s = base.clone();
                for (j, g) in groups.iter().enumerate() {
                    if let (true, Some(g)) = (j != i, g) {
                        s.and(g);
                    }
                }
                self.count_facets(&[i], &s, &mut counts);
            }
        }
        let selected: [&[String]; 6] = [
            &filters.speaker,
            &[],
            &filters.place,
            &filters.topic,
            &filters.kind,
            &filters.mentions,
        ];
        let mut distinct = [0usize; 6];
        for (i, c) in counts.iter().enumerate() {
            distinct[i] = c.iter().filter(|&&c| c > 0).count();
        }
        let mut out = counts
            .iter()
            .enumerate()
            .map(|(i, c)| self.facet_list(i, c, limit, selected[i]));
        let mut next = || out.next().unwrap_or_default();
        Facets {
            speaker: next(),
            year: next(),
            place: next(),
            topic: next(),
            kind: next(),
            mentions: next(),
            distinct,
        }
    }

    /// Number of values of facet `i` in [`Facets::iter`] order (years: distinct years).
    fn facet_len(&self, i: usize) -> usize {
        match i {
            1 => self.years.len(),
            _ => self.meta.values[i.saturating_sub(1)].len(),
        }
    }

    /// Per-document value ids of facet `i` as CSR (offsets, ids).
    fn facet_csr(&self, i: usize) -> (&[u32], &[u32]) {
        let (o, v) = match i {
            1 => &self.year_csr,
            _ => &self.meta.doc_values[i.saturating_sub(1)],
        };
        (o, v)
    }

    /// Adds to `counts[i]`, for every facet `i` of `which`, the documents of `set`
    /// holding each value. A set larger than half the corpus is counted through its
    /// complement, subtracted from the whole corpus's counts (precomputed at open).
    fn count_facets(&self, which: &[usize], set: &DocSet, counts: &mut [Vec<u32>]) {
        let n = self.doc_count();
        let size = set.count();
        let complement = size > n / 2;
        let mut tmp;
        let docs = if complement {
            tmp = set.clone();
            tmp.not();
            &tmp
        } else {
            set
        };
        // The documents once as a list: walking the bitset per facet costs more than
        // the counting itself for the smaller facets.
        let list: Vec<u32> = docs.iter().collect();
        for &i in which {
            let (offs, ids) = self.facet_csr(i);
            let c = &mut counts[i];
            for &d in &list {
                let d = d as usize;
                for &v in &ids[offs[d] as usize..offs[d + 1] as usize] {
                    c[v as usize] += 1;
                }
            }
            if complement {
                for (c, &t) in c.iter_mut().zip(&self.facet_totals[i]) {
                    *c = t - *c;
                }
            }
        }
    }

    /// Facet `i`'s nonzero counts, sorted by count descending, then value: the first
    /// `limit` of them, then any `selected` value not among those.
    fn facet_list(
        &self,
        i: usize,
        counts: &[u32],
        limit: Option<usize>,
        selected: &[String],
    ) -> Vec<FacetCount> {
        if i == 1 {
            let mut out: Vec<FacetCount> = counts
                .iter()
                .zip(&self.years)
                .filter(|(&c, _)| c > 0)
                .map(|(&c, y)| FacetCount {
                    value: y.to_string(),
                    count: c,
                })
                .collect();
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            return out;
        }
        let field = i.saturating_sub(1);
        // Value ids follow the values' byte order, so sorting (count desc, id asc) as
        // one integer key is the (count desc, value asc) order without comparing strings.
        let mut keys: Vec<u64> = counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(v, &c)| (u64::from(!c) << 32) | v as u64)
            .collect();
        let values = &self.meta.values[field];
        let mut rest = Vec::new();
        if let Some(k) = limit.filter(|&k| k < keys.len()) {
            keys.select_nth_unstable(k);
            rest = keys.split_off(k);
        }
        keys.sort_unstable();
        for s in selected {
            if let Ok(v) = values.binary_search(s) {
                if let Some(&key) = rest.iter().find(|&&k| k & 0xFFFF_FFFF == v as u64) {
                    keys.push(key);
                }
            }
        }
        keys.into_iter()
            .map(|k| FacetCount {
                value: values[(k & 0xFFFF_FFFF) as usize].clone(),
                count: !((k >> 32) as u32),
            })
            .collect()
    }
}

/// Whether token `p` lies in a turn by one of `ids` (the title is in no turn).
fn in_scope(turns: &[super::format::TurnRange], ids: &[u32], p: u32) -> bool {
    turns
        .iter()
        .any(|t| ids.contains(&t.speaker) && t.first <= p && p < t.first + t.len)
}

/// The shard holding `term`, given the shards' first terms.
fn shard_of(bounds: &[u32], term: u32) -> u32 {
    (bounds.partition_point(|&b| b <= term).max(1) - 1) as u32
}

/// Allowed edits for a word without an exact match, or `None` when it gets no typo
/// tolerance (too short, or holding a digit).
pub fn typo_distance(folded: &str) -> Option<u8> {
    let n = folded.chars().count();
    if !(MIN_TYPO_CHARS..=super::lev::MAX_LEV_CHARS).contains(&n)
        || folded.chars().any(|c| c.is_numeric())
    {
        None
    } else if n >= TWO_TYPOS_CHARS {
        Some(2)
    } else {
        Some(1)
    }
}

struct Exec<'a> {
    ix: &'a Index,
    scores: Vec<f32>,
    scope: Option<(Vec<u32>, DocSet)>,
    /// Whether any positive text condition contributed scores.
    scored: bool,
    buf: Vec<u32>,
}

impl Exec<'_> {
    // Out of line so that profiles show the time of each search stage apart.
    #[inline(never)]
    fn eval(&mut self, r: &R, positive: bool) -> Result<DocSet, SearchError> {
        let ix = self.ix;
        let n = ix.doc_count();
        Ok(match r {
            R::Terms { terms, .. } => {
                let mut set = DocSet::empty(n);
                for &(t, w) in terms {
                    let scoped = self.scope.is_some();
                    let tp = ix.term_postings(t, scoped)?;
                    let idf = ix.idf(tp.df) * w;
                    let mut c = Cursor::new(tp);
                    while c.next() {
                        let d = c.doc;
                        let tfw = if let Some((ids, docs)) = &self.scope {
                            if !docs.contains(d) {
                                continue;
                            }
                            c.positions(&mut self.buf);
                            let turns = ix.doc_turns(d);
                            self.buf
                                .iter()
                                .filter(|&&p| in_scope(turns, ids, p))
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
                            self.scores[d as usize] +=
                                bm25(idf, tfw, ix.meta.lens[d as usize], ix.meta.avg_len);
                        }
                    }
                }
                if positive && !terms.is_empty() {
                    self.scored = true;
                }
                set
            }
            R::Phrase { parts, pair } => {
                let mut set = DocSet::empty(n);
                let Some(parts) = parts else { return Ok(set) };
                // (document, weighted count of the phrase in it).
                let mut found: Vec<(u32, f32)> = Vec::new();
                // `resolve` names a pair only when there is no speaker scope.
                if let Some(p) = pair {
                    let mut c = Cursor::new(ix.term_postings(*p, false)?);
                    while c.next() {
                        // `tf` counts the pair outside the title, as for a word.
                        let tfw = (c.tf + c.title) as f32 + TITLE_BOOST * c.title as f32;
                        found.push((c.doc, tfw));
                    }
                } else {
                    self.phrase_docs(parts, &mut found)?;
                }
                // The phrase is scored as one term: its idf comes from the documents
                // it is in, whichever way they were found.
                let idf = ix.idf(found.len() as u32);
                for &(d, tfw) in &found {
                    set.insert(d);
                    if positive {
                        self.scores[d as usize] +=
                            bm25(idf, tfw, ix.meta.lens[d as usize], ix.meta.avg_len);
                    }
                }
                if positive {
                    self.scored = true;
                }
                set
            }
            R::Values { field, ids } => {
                let mut set = DocSet::empty(n);
                if !ids.is_empty() {
                    let mut mask = vec![false; ix.meta.values[*field].len()];
                    for &i in ids {
                        mask[i as usize] = true;
                    }
                    for d in 0..n as u32 {
                        if ix.doc_values(*field, d).iter().any(|&v| mask[v as usize]) {
                            set.insert(d);
                        }
                    }
                }
                set
            }
            R::Date(r) => {
                let mut set = DocSet::empty(n);
                for (d, &k) in ix.meta.dates.iter().enumerate() {
                    if k != 0 && r.lo <= k && k <= r.hi {
                        set.insert(d as u32);
                    }
                }
                set
            }
            R::And(v) => {
                let mut set = DocSet::full(n);
                for c in v {
                    let s = self.eval(c, positive)?;
                    set.and(&s);
                }
                set
            }
            R::Or(v) => {
                let mut set = DocSet::empty(n);
                for c in v {
                    let s = self.eval(c, positive)?;
                    set.or(&s);
                }
                set
            }
            R::Not(c) => {
                let mut s = self.eval(c, !positive)?;
                s.not();
                s
            }
        })
    }
}

impl Exec<'_> {
    /// The documents where the phrase placed by `parts` ((term, offset), see
    /// [`phrase_parts`]) occurs within the scope, with its weighted count, read from
    /// positions.
    fn phrase_docs(
        &mut self,
        parts: &[(u32, u32)],
        found: &mut Vec<(u32, f32)>,
    ) -> Result<(), SearchError> {
        let ix = self.ix;
        let mut cursors: Vec<Cursor> = parts
            .iter()
            .map(|&(t, _)| ix.term_postings(t, true).map(Cursor::new))
            .collect::<Result<_, _>>()?;
        let offsets: Vec<u32> = parts.iter().map(|&(_, o)| o).collect();
        let mut scratch = PhraseScratch::default();
        let mut next = 0u32;
        // Leapfrog over the words' postings: only documents holding every word have
        // their positions decoded; the rest are skipped by counting.
        'docs: loop {
            let mut d = next;
            let mut i = 0;
            let mut agreed = 0;
            while agreed < cursors.len() {
                let c = &mut cursors[i];
                if !c.advance_to(d) {
                    break 'docs;
                }
                if c.doc == d {
                    agreed += 1;
                } else {
                    d = c.doc;
                    agreed = 1;
                }
                i += 1;
                if i == cursors.len() {
                    i = 0;
                }
            }
            next = d + 1;
            if let Some((_, docs)) = &self.scope {
                if !docs.contains(d) {
                    continue;
                }
            }
            let title_last = scratch.find(&mut cursors, &offsets);
            let starts = &mut scratch.starts;
            if let Some((ids, _)) = &self.scope {
                let turns = ix.doc_turns(d);
                starts.retain(|&p| in_scope(turns, ids, p));
            }
            if starts.is_empty() {
                continue;
            }
            // A phrase never runs from the title into the text.
            let title = starts.iter().filter(|&&p| p <= title_last).count();
            found.push((d, starts.len() as f32 + TITLE_BOOST * title as f32));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::codec::put_varint;

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

    #[test]
    fn skipping_varints_eight_bytes_at_a_time_agrees_with_decoding() {
        let mut data = Vec::new();
        let values: Vec<u64> = (0..300u64).map(|i| (i * 7919) % 40_000).collect();
        for &v in &values {
            put_varint(&mut data, v);
        }
        for start in [0usize, 1, 5, 17, 150] {
            let mut at = 0;
            for _ in 0..start {
                get_varint(&data, &mut at);
            }
            for n in 0..=values.len() - start {
                let mut want = at;
                for _ in 0..n {
                    get_varint(&data, &mut want);
                }
                assert_eq!(skip_varints(&data, at, n), want, "start {start}, n {n}");
            }
            assert_eq!(skip_varints(&data, at, values.len() + 9), data.len());
        }
    }
}
