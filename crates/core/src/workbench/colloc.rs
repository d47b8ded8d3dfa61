//! Collocates: the words that keep company with a query, within `window` words on
//! either side of its matches, over the transcripts the query and filters select.
//!
//! A window is the token numbers within `window` of a match, numbered as the index
//! numbers them (the title's words from 1, each paragraph one number after the
//! previous one ends): it may run into the next paragraph, the gap taking one number.
//! Counting, per stem (shown as its folded form seen most often in the windows):
//! `cooc`, its occurrences inside the union of the windows (a word in two overlapping
//! windows counts once; the matches themselves are in none); `freq`, its occurrences
//! anywhere in the matching transcripts. The reference is the matching transcripts:
//! N is their words, R1 the words in windows. The 2 × 2 table is
//! `[[cooc, R1 - cooc], [freq - cooc, N - R1 - freq + cooc]]`, scored by G² (ranking)
//! with MI beside it; only attracted words (observed above expected) are listed.
//!
//! [`Collocates`] reads text: fed transcripts in any order and any chunks, it answers
//! the current table at any time, so the worker shows progress and may stop. For a
//! query of words and phrases (no prefix, typo or scope),
//! [`super::colloc_index::IndexCollocates`] gives the same table from positions, far
//! faster.

use serde::{Deserialize, Serialize};

use super::kwic::Near;
use super::measures::{g2, mi};
use super::select;
use super::stop::is_stop_stem;
use super::text::{Analyzer, Word};
use crate::model::Transcript;
use crate::search::{Filters, Index, Matcher, Query, SearchError};

/// Default window: words on each side.
pub const WINDOW: usize = 5;

/// How to list collocates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollocOptions {
    /// Least co-occurrences to be listed.
    pub min_freq: u64,
    /// Most rows.
    pub limit: usize,
}

impl Default for CollocOptions {
    fn default() -> Self {
        CollocOptions {
            min_freq: 3,
            limit: 100,
        }
    }
}

/// One collocate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollocateRow {
    /// Its folded form seen most often within the windows (ties: the first seen).
    pub word: String,
    pub stem: String,
    /// Occurrences within the windows.
    pub cooc: u64,
    /// Occurrences in the matching transcripts.
    pub freq: u64,
    pub g2: f64,
    pub mi: f64,
    /// A stop word ([`super::stop`]): listed, for the view to hide if asked.
    pub stop: bool,
    /// The concordance of the pair: the same query with this filter
    /// ([`super::kwic::KwicOptions::near`]).
    pub near: Near,
}

/// The current table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollocTable {
    /// Matches of the query (the node) in the transcripts fed.
    pub node_hits: u64,
    /// Words within the windows (R1) and in the transcripts fed (N).
    pub window_words: u64,
    pub words: u64,
    /// Transcripts fed, of `docs` matching.
    pub fed: usize,
    pub docs: usize,
    pub rows: Vec<CollocateRow>,
}

/// A collocates computation: build, feed [`Collocates::needs`], read [`Collocates::table`].
pub struct Collocates {
    matcher: Matcher,
    window: usize,
    needs: Vec<u32>,
    fed: Vec<bool>,
    n_fed: usize,
    an: Analyzer,
    freq: Vec<u64>,
    cooc: Vec<u64>,
    words: u64,
    window_words: u64,
    node_hits: u64,
    buf: Vec<Word>,
    /// Per folded id, occurrences within windows; per stem id, its most frequent
    /// folded id there.
    form_cooc: Vec<u32>,
    best_form: Vec<u32>,
}

impl Collocates {
    /// Plans the collocates of `q` over the transcripts it and `filters` match. Needs
    /// the parts [`Index::plan`] names for `q`.
    pub fn new(
        ix: &Index,
        q: &Query,
        filters: &Filters,
        window: usize,
    ) -> Result<Collocates, SearchError> {
        let hits = select(ix, q, filters)?;
        Ok(Collocates {
            matcher: ix.matcher(q)?,
            window,
            fed: vec![false; hits.len()],
            needs: hits.iter().map(|h| h.doc).collect(),
            n_fed: 0,
            an: Analyzer::default(),
            freq: Vec::new(),
            cooc: Vec::new(),
            words: 0,
            window_words: 0,
            node_hits: 0,
            buf: Vec::new(),
            form_cooc: Vec::new(),
            best_form: Vec::new(),
        })
    }

    /// Document numbers still to feed, oldest first.
    pub fn needs(&self) -> Vec<u32> {
        self.needs
            .iter()
            .zip(&self.fed)
            .filter(|(_, &f)| !f)
            .map(|(&d, _)| d)
            .collect()
    }

    /// (fed, needed).
    pub fn progress(&self) -> (usize, usize) {
        (self.n_fed, self.needs.len())
    }

    /// Feeds the transcript of document `doc` (ignored if not needed or fed already).
    pub fn feed(&mut self, doc: u32, t: &Transcript) {
        let Some(k) = self.needs.iter().position(|&d| d == doc) else {
            return;
        };
        if std::mem::replace(&mut self.fed[k], true) {
            return;
        }
        self.n_fed += 1;
        let allowed = self.matcher.allowed_paragraphs(t);
        let mut texts: Vec<&str> = Vec::new();
        if allowed.is_none() {
            texts.push(&t.title);
        }
        for p in t.paragraphs() {
            if allowed
                .as_ref()
                .is_none_or(|a| a.get(p.index) == Some(&true))
            {
                texts.push(p.text);
            }
        }
        // Token numbers as the index numbers them: the title's words from 1, and each
        // paragraph starting one number after the previous one ends.
        let mut buf = std::mem::take(&mut self.buf);
        let mut words: Vec<(u32, Word)> = Vec::new();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut next = 0u32;
        for text in texts {
            next += 1;
            self.an.words(text, &mut buf);
            if self.an.may_match(&self.matcher, &buf) {
                for (a, b) in self.matcher.highlight(text) {
                    let first = buf.partition_point(|w| w.start < a);
                    let last = buf.partition_point(|w| w.end <= b);
                    if first < last {
                        spans.push((words.len() + first, words.len() + last - 1));
                    }
                }
            }
            for w in &buf {
                words.push((next, *w));
                next += 1;
            }
        }
        self.buf = buf;
        self.count(&words, &spans);
    }

    /// Counts one transcript: `words` with their token numbers, `spans` the matches
    /// (index ranges into `words`).
    fn count(&mut self, words: &[(u32, Word)], spans: &[(usize, usize)]) {
        if self.freq.len() < self.an.stems.len() {
            self.freq.resize(self.an.stems.len(), 0);
            self.cooc.resize(self.an.stems.len(), 0);
            self.best_form.resize(self.an.stems.len(), u32::MAX);
        }
        if self.form_cooc.len() < self.an.folded.len() {
            self.form_cooc.resize(self.an.folded.len(), 0);
        }
        self.words += words.len() as u64;
        for (_, w) in words {
            self.freq[w.stem as usize] += 1;
        }
        self.node_hits += spans.len() as u64;
        if spans.is_empty() {
            return;
        }
        // 0: outside, 1: in a window, 2: part of a match. A window is the token
        // numbers within `window` of the match: it may run into the next paragraph
        // (the gap between two paragraphs takes one number), as from the index.
        let mut mark = vec![0u8; words.len()];
        let n = self.window as u32;
        for &(first, last) in spans {
            let (lo, hi) = (words[first].0.saturating_sub(n), words[last].0 + n);
            let mut k = first;
            while k > 0 && words[k - 1].0 >= lo {
                k -= 1;
                mark[k] = mark[k].max(1);
            }
            let mut k = last;
            while k + 1 < words.len() && words[k + 1].0 <= hi {
                k += 1;
                mark[k] = mark[k].max(1);
            }
            for m in &mut mark[first..=last] {
                *m = 2;
            }
        }
        for ((_, w), &m) in words.iter().zip(&mark) {
            if m == 1 {
                self.cooc[w.stem as usize] += 1;
                self.window_words += 1;
                self.form_cooc[w.folded as usize] += 1;
                let n = self.form_cooc[w.folded as usize];
                let best = &mut self.best_form[w.stem as usize];
                if *best == u32::MAX || self.form_cooc[*best as usize] < n {
                    *best = w.folded;
                }
            }
        }
    }

    /// The current table, best G² first.
    pub fn table(&self, opts: &CollocOptions) -> CollocTable {
        let rows = (0..self.cooc.len()).filter_map(|i| {
            let word = match self.best_form.get(i) {
                Some(&f) if f != u32::MAX => &self.an.folded[f as usize],
                _ => &self.an.stems[i].1,
            };
            let counts = Counts {
                cooc: self.cooc[i],
                freq: self.freq[i],
                window_words: self.window_words,
                words: self.words,
            };
            row(&self.an.stems[i].0, word, counts, self.window, opts)
        });
        CollocTable {
            node_hits: self.node_hits,
            window_words: self.window_words,
            words: self.words,
            fed: self.n_fed,
            docs: self.needs.len(),
            rows: best(rows, opts),
        }
    }

    /// How many times the stem `stem` occurs within the windows so far (for tests).
    pub fn cooc_of(&self, stem: &str) -> u64 {
        self.an
            .stem_id(stem)
            .and_then(|i| self.cooc.get(i as usize))
            .copied()
            .unwrap_or(0)
    }
}

/// One stem's counts and the table's margins.
pub(super) struct Counts {
    pub cooc: u64,
    pub freq: u64,
    pub window_words: u64,
    pub words: u64,
}

/// The row of a stem, if listed: co-occurring at least `min_freq` times, attracted.
pub(super) fn row(
    stem: &str,
    word: &str,
    c: Counts,
    window: usize,
    opts: &CollocOptions,
) -> Option<CollocateRow> {
    let (n, r1) = (c.words as f64, c.window_words as f64);
    let (o11, f) = (c.cooc as f64, c.freq as f64);
    if c.cooc < opts.min_freq.max(1) || o11 * n <= r1 * f {
        return None;
    }
    let (o12, o21) = (r1 - o11, f - o11);
    let o22 = n - r1 - o21;
    Some(CollocateRow {
        word: word.to_string(),
        stem: stem.to_string(),
        cooc: c.cooc,
        freq: c.freq,
        g2: g2(o11, o12, o21, o22),
        mi: mi(o11, o12, o21, o22).unwrap_or(0.0),
        stop: is_stop_stem(stem),
        near: Near {
            stem: stem.to_string(),
            window,
        },
    })
}

/// The `limit` best rows, best G² first (ties: by word).
pub(super) fn best(
    rows: impl Iterator<Item = CollocateRow>,
    opts: &CollocOptions,
) -> Vec<CollocateRow> {
    let mut rows: Vec<CollocateRow> = rows.collect();
    rows.sort_unstable_by(|a, b| b.g2.total_cmp(&a.g2).then_with(|| a.word.cmp(&b.word)));
    rows.truncate(opts.limit);
    rows
}

/// The table as CSV.
pub fn to_csv(t: &CollocTable) -> String {
    use super::csv::{field, number, text_table};
    text_table(
        &["word", "stem", "cooc", "freq", "g2", "mi", "stop"],
        t.rows.iter().map(|r| {
            vec![
                field(&r.word),
                field(&r.stem),
                number(r.cooc),
                number(r.freq),
                number(format!("{:.3}", r.g2)),
                number(format!("{:.3}", r.mi)),
                number(r.stop),
            ]
        }),
    )
}
