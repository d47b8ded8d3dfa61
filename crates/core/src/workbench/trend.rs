//! Trends: how often queries occur per year or month, over the filtered set.
//!
//! Per bucket (a year `2015`, or a month `2015-09`) and query:
//! - `docs`: matching transcripts dated in the bucket;
//! - `hits`: the query's occurrences in them (concordance lines: titles, summaries and
//!   paragraphs);
//! - `words`: every word of every transcript of the filtered set dated in the bucket
//!   (the denominator), from the index's per-document word counts;
//! - `transcripts`: transcripts of the filtered set dated in the bucket;
//! - `per_million` = hits · 10⁶ / words, `share` = docs / transcripts.
//!
//! The buckets are those of the filtered set, so every series has the same keys, zero
//! where a query is absent. Undated transcripts are in no bucket; by month, neither are
//! transcripts dated by year alone; both are counted in [`Series::undated`].
//!
//! Hits come from [`Index::occurrence_counts`] (no text) when the index can count the
//! query exactly; otherwise the caller counts them in the matching transcripts'
//! text with [`super::kwic::count_in`] (see [`TrendQuery::needs_text`]).
//!
//! Split by speaker ([`top_speakers`] names the candidates): per speaker, the query
//! scoped to their turns ([`speaker_query`]) over the filtered set with the speaker
//! facet selected, against [`speaker_base`]. So `hits` are their own occurrences, `docs`
//! the transcripts where they used it, `transcripts` those where they speak, and `words`
//! **their** words in those transcripts (from the index's turn ranges), not every word
//! of the bucket: a per-million figure of what they said.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::measures::per_million;
use super::select;
use crate::search::query::FieldValue;
use crate::search::{Filters, Hit, Index, Query, SearchError};

/// Most queries in one trend.
pub const MAX_QUERIES: usize = 5;

/// Bucket size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[default]
    Year,
    Month,
}

/// One bucket of one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub key: String,
    pub docs: u64,
    pub hits: u64,
    pub words: u64,
    pub transcripts: u64,
    pub per_million: f64,
    pub share: f64,
}

/// One query's buckets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub query: String,
    pub buckets: Vec<Bucket>,
    /// Matching transcripts in no bucket (undated, or dated by year alone by month).
    pub undated: u64,
}

/// The bucket key of a date key, if it has one.
pub fn bucket_key(date_key: u32, by: By) -> Option<String> {
    let (y, m) = (date_key / 10000, date_key / 100 % 100);
    match by {
        _ if date_key == 0 => None,
        By::Year => Some(format!("{y:04}")),
        By::Month if m == 0 => None,
        By::Month => Some(format!("{y:04}-{m:02}")),
    }
}

/// The denominators: per bucket of the filtered set, (transcripts, words).
pub fn base(ix: &Index, filtered: &[Hit], by: By) -> BTreeMap<String, (u64, u64)> {
    let mut out: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for h in filtered {
        if let Some(k) = bucket_key(ix.doc_date_key(h.doc), by) {
            let e = out.entry(k).or_default();
            e.0 += 1;
            e.1 += u64::from(ix.doc_words(h.doc));
        }
    }
    out
}

/// The denominators of a split by `speaker` (a speaker facet value): per bucket of
/// `filtered` (the filtered set with that speaker selected), (transcripts, the words
/// they spoke there).
pub fn speaker_base(
    ix: &Index,
    filtered: &[Hit],
    speaker: &str,
    by: By,
) -> BTreeMap<String, (u64, u64)> {
    let mut out: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for h in filtered {
        if let Some(k) = bucket_key(ix.doc_date_key(h.doc), by) {
            let e = out.entry(k).or_default();
            e.0 += 1;
            e.1 += u64::from(ix.speaker_words(h.doc, speaker));
        }
    }
    out
}

/// `q` scoped to the turns of `speaker` (in place of its own `speaker:` scope, if any):
/// the query of a split row.
pub fn speaker_query(q: &Query, speaker: &str) -> Query {
    Query {
        speakers: vec![FieldValue::new(speaker)],
        ..q.clone()
    }
}

/// One query's matching transcripts, and their hits when the index counts them.
pub struct TrendQuery {
    pub text: String,
    pub hits: Vec<Hit>,
    /// Per document number, hits; `None` until filled from the text.
    pub counts: Option<Vec<u32>>,
}

impl TrendQuery {
    /// Selects `q`'s transcripts under `filters`. Needs the parts [`Index::plan`] names.
    pub fn new(
        ix: &Index,
        text: &str,
        q: &Query,
        filters: &Filters,
    ) -> Result<TrendQuery, SearchError> {
        let hits = select(ix, q, filters)?;
        let counts = ix.occurrence_counts(&ix.matcher(q)?)?;
        Ok(TrendQuery {
            text: text.to_string(),
            hits,
            counts,
        })
    }

    /// Documents whose text must be counted ([`super::kwic::count_in`], then
    /// [`TrendQuery::set_count`]) before [`series`]: none when the index counted.
    pub fn needs_text(&self) -> Vec<u32> {
        if self.counts.is_some() {
            Vec::new()
        } else {
            self.hits.iter().map(|h| h.doc).collect()
        }
    }

    /// Records the hits of `doc` counted from its text.
    pub fn set_count(&mut self, ix: &Index, doc: u32, hits: u32) {
        let c = self.counts.get_or_insert_with(|| vec![0; ix.doc_count()]);
        if let Some(x) = c.get_mut(doc as usize) {
            *x = hits;
        }
    }
}

/// One query's series over the buckets of `base`.
pub fn series(ix: &Index, q: &TrendQuery, base: &BTreeMap<String, (u64, u64)>, by: By) -> Series {
    let mut per: BTreeMap<&str, (u64, u64)> = base.keys().map(|k| (k.as_str(), (0, 0))).collect();
    let mut undated = 0;
    for h in &q.hits {
        let hits = q
            .counts
            .as_ref()
            .and_then(|c| c.get(h.doc as usize))
            .copied()
            .unwrap_or(0);
        match bucket_key(ix.doc_date_key(h.doc), by)
            .as_deref()
            .and_then(|k| per.get_mut(k))
        {
            Some(e) => {
                e.0 += 1;
                e.1 += u64::from(hits);
            }
            None => undated += 1,
        }
    }
    let buckets = per
        .into_iter()
        .map(|(k, (docs, hits))| {
            let (transcripts, words) = base[k];
            Bucket {
                key: k.to_string(),
                docs,
                hits,
                words,
                transcripts,
                per_million: per_million(hits, words),
                share: if transcripts == 0 {
                    0.0
                } else {
                    docs as f64 / transcripts as f64
                },
            }
        })
        .collect();
    Series {
        query: q.text.clone(),
        buckets,
        undated,
    }
}

/// The `k` speakers in most transcripts of `hits`, most first (ties by name): the
/// candidates for a split by speaker.
pub fn top_speakers(ix: &Index, hits: &[Hit], k: usize) -> Vec<(String, u64)> {
    let mut n: BTreeMap<String, u64> = BTreeMap::new();
    for h in hits {
        for s in ix.doc_speakers(h.doc) {
            *n.entry(s).or_default() += 1;
        }
    }
    let mut v: Vec<(String, u64)> = n.into_iter().collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(k);
    v
}

/// The series as CSV: one row per (query, bucket).
pub fn to_csv(series: &[Series]) -> String {
    use super::csv::{field, number, text_table};
    text_table(
        &[
            "query",
            "bucket",
            "docs",
            "hits",
            "words",
            "transcripts",
            "per_million",
            "share",
        ],
        series.iter().flat_map(|s| {
            s.buckets.iter().map(|b| {
                vec![
                    field(&s.query),
                    field(&b.key),
                    number(b.docs),
                    number(b.hits),
                    number(b.words),
                    number(b.transcripts),
                    number(format!("{:.3}", b.per_million)),
                    number(format!("{:.4}", b.share)),
                ]
            })
        }),
    )
}
