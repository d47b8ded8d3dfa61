//! Distinctive words (keyness): the stems whose frequency in a set of transcripts (a
//! query and filters: one speaker, one year...) differs most from the rest of the
//! corpus, both ways.
//!
//! Everything comes from the postings the index already has, no text and no new index
//! file: per stem, its occurrences in the set and in the whole corpus (titles
//! included), against the set's words and the corpus's words from `meta.bin`. A pass
//! reads every postings shard once; [`Keyness`] is fed shard by shard, so the worker
//! loads them as it goes, shows progress and may stop. The whole corpus's counts are
//! the same for every set: a caller may keep one [`Keyness`] per set, the cost is the
//! pass.
//!
//! Per stem, the 2 × 2 table is `[[a, A − a], [b, B − b]]` (`a`, `b`: occurrences in the
//! set and in the rest; `A`, `B`: their words), scored by G²; the effect size is
//! Hardie's log ratio. `over`: more frequent in the set; `under`: less.

use serde::{Deserialize, Serialize};

use super::measures::{g2, log_ratio, per_million};
use super::stop::is_stop_stem;
use crate::search::docset::DocSet;
use crate::search::{Index, PartId, SearchError};

/// How to list words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeynessOptions {
    /// Least occurrences in the set and the rest together.
    pub min_freq: u64,
    /// Most rows per direction.
    pub limit: usize,
}

impl Default for KeynessOptions {
    fn default() -> Self {
        KeynessOptions {
            min_freq: 5,
            limit: 100,
        }
    }
}

/// One distinctive word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyRow {
    /// Its shortest folded form (the stem when the word dictionary is not loaded).
    pub word: String,
    /// Up to four folded words of the stem, shortest first: the postings count them
    /// together ("preside", "presided", "president"...).
    pub forms: Vec<String>,
    pub stem: String,
    /// Occurrences in the set and in the rest.
    pub set: u64,
    pub rest: u64,
    pub set_per_million: f64,
    pub rest_per_million: f64,
    pub g2: f64,
    pub log_ratio: f64,
    pub stop: bool,
}

/// The current table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyTable {
    pub set_docs: usize,
    pub set_words: u64,
    pub rest_words: u64,
    /// Postings shards read, of `shards`.
    pub fed: u32,
    pub shards: u32,
    pub over: Vec<KeyRow>,
    pub under: Vec<KeyRow>,
}

/// A keyness computation: build, feed every shard of [`Keyness::needs`], read
/// [`Keyness::table`].
pub struct Keyness {
    set: DocSet,
    set_docs: usize,
    set_words: u64,
    all_words: u64,
    /// Per term id: (in the set, in the corpus).
    freqs: Vec<(u64, u64)>,
    fed: Vec<bool>,
}

impl Keyness {
    /// Keyness of the documents of `set` against the rest.
    pub fn new(ix: &Index, set: DocSet) -> Keyness {
        let n = ix.doc_count() as u32;
        let mut set_words = 0u64;
        let mut all_words = 0u64;
        let mut set_docs = 0;
        for d in 0..n {
            let w = u64::from(ix.doc_words(d));
            all_words += w;
            if set.contains(d) {
                set_words += w;
                set_docs += 1;
            }
        }
        Keyness {
            set,
            set_docs,
            set_words,
            all_words,
            freqs: vec![(0, 0); ix.term_count() as usize],
            fed: vec![false; ix.post_shards() as usize],
        }
    }

    /// Postings shards still to feed (load each, then [`Keyness::feed`] it).
    pub fn needs(&self) -> Vec<PartId> {
        (0..self.fed.len() as u32)
            .filter(|&s| !self.fed[s as usize])
            .map(PartId::Post)
            .collect()
    }

    /// Reads postings shard `shard` (loaded in `ix`).
    pub fn feed(&mut self, ix: &Index, shard: u32) -> Result<(), SearchError> {
        if self.fed.get(shard as usize) != Some(&false) {
            return Ok(());
        }
        let terms = ix.shard_terms(shard);
        let f = ix.term_frequencies(terms.clone(), &self.set)?;
        for (t, v) in terms.zip(f) {
            if let Some(x) = self.freqs.get_mut(t as usize) {
                *x = v;
            }
        }
        self.fed[shard as usize] = true;
        Ok(())
    }

    /// The current table (over the shards fed so far). Reads the term dictionaries.
    pub fn table(&self, ix: &Index, opts: &KeynessOptions) -> KeyTable {
        let texts = ix.term_texts();
        let forms = ix.term_forms(4).ok();
        let na = self.set_words as f64;
        let nb = (self.all_words - self.set_words) as f64;
        let mut over = Vec::new();
        let mut under = Vec::new();
        for (t, &(a, all)) in self.freqs.iter().enumerate() {
            let Some(stem) = texts.get(t).and_then(|s| s.as_ref()) else {
                continue;
            };
            if all < opts.min_freq.max(1) {
                continue;
            }
            let b = all - a;
            let (fa, fb) = (a as f64, b as f64);
            let forms = forms
                .as_ref()
                .and_then(|f| f.get(t).cloned())
                .unwrap_or_default();
            let row = KeyRow {
                word: forms.first().cloned().unwrap_or_else(|| stem.clone()),
                forms,
                stem: stem.clone(),
                set: a,
                rest: b,
                set_per_million: per_million(a, self.set_words),
                rest_per_million: per_million(b, self.all_words - self.set_words),
                g2: g2(fa, na - fa, fb, nb - fb),
                log_ratio: log_ratio(fa, na, fb, nb),
                stop: is_stop_stem(stem),
            };
            if fa * nb > fb * na {
                over.push(row);
            } else if fa * nb < fb * na {
                under.push(row);
            }
        }
        for v in [&mut over, &mut under] {
            v.sort_unstable_by(|a, b| b.g2.total_cmp(&a.g2).then_with(|| a.stem.cmp(&b.stem)));
            v.truncate(opts.limit);
        }
        KeyTable {
            set_docs: self.set_docs,
            set_words: self.set_words,
            rest_words: self.all_words - self.set_words,
            fed: self.fed.iter().filter(|&&f| f).count() as u32,
            shards: self.fed.len() as u32,
            over,
            under,
        }
    }
}

/// The table as CSV: one row per word, `direction` `over` or `under`.
pub fn to_csv(t: &KeyTable) -> String {
    use super::csv::{field, number, text_table};
    text_table(
        &[
            "direction",
            "word",
            "stem",
            "set",
            "rest",
            "set_per_million",
            "rest_per_million",
            "g2",
            "log_ratio",
            "stop",
        ],
        t.over
            .iter()
            .map(|r| ("over", r))
            .chain(t.under.iter().map(|r| ("under", r)))
            .map(|(dir, r)| {
                vec![
                    field(dir),
                    field(&r.word),
                    field(&r.stem),
                    number(r.set),
                    number(r.rest),
                    number(format!("{:.3}", r.set_per_million)),
                    number(format!("{:.3}", r.rest_per_million)),
                    number(format!("{:.3}", r.g2)),
                    number(format!("{:.3}", r.log_ratio)),
                    number(r.stop),
                ]
            }),
    )
}
