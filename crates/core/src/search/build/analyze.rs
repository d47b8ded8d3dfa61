//! Analysing one transcript for the index: its stems with their postings and
//! positions, its folded words, and its columns (date, length, facet values, turns).
//! [`DocAnalyzer`] can run on several threads; [`super::IndexBuilder`] merges in order.

use std::collections::HashMap;

use crate::ingest::qa::{self, TurnRole};
use crate::model::Transcript;
use crate::search::analysis::{fold_word, stem};
use crate::search::codec::put_varint;
use crate::search::facet::FacetMap;
use crate::search::query::date_key;

/// One document's columns, as the builder keeps them until it writes `meta.bin`.
pub(crate) struct DocCols {
    pub id: String,
    pub date: u32,
    pub len: u32,
    /// Per facet, raw values ([`crate::search::Facet::values`]).
    pub values: FacetMap<Vec<String>>,
    /// Every turn with a speaker or a question or answer role.
    pub turns: Vec<TurnCols>,
    /// Token numbers below this are the title's (and 0, which no token has).
    pub title_end: u32,
    /// Token numbers after `title_end` and below this are the summary's.
    pub summary_end: u32,
    /// One past the last token number.
    pub end: u32,
}
/// One turn's columns.
pub(crate) struct TurnCols {
    /// First token number and the count of numbers to its end.
    pub first: u32,
    pub len: u32,
    /// Its words (`len` less the numbers between paragraphs).
    pub words: u32,
    pub speaker: Option<String>,
    pub role: TurnRole,
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
    pub(super) cols: DocCols,
    /// (stem, tf, title tf, summary tf, end of its positions in `pos`).
    pub(super) terms: Vec<(String, u64, u64, u64, usize)>,
    pub(super) pos: Vec<u8>,
    /// (folded word, index into `terms`).
    pub(super) words: Vec<(String, u32)>,
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
        let folded = fold_word(w);
        let v = if folded.is_empty() {
            None
        } else {
            let term = stem(&folded);
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
    let mut turns = Vec::new();
    let starts = t.turn_starts();
    let numbered = t
        .sections
        .iter()
        .zip(&starts)
        .flat_map(|(s, st)| s.turns.iter().zip(st))
        .zip(qa::roles(t));
    for ((turn, &para), role) in numbered {
        let n = turn.paragraphs.len();
        let speaker = turn.speaker.as_ref().filter(|s| !s.trim().is_empty());
        if n > 0 && (speaker.is_some() || role != TurnRole::Other) {
            let first = spans[para].0;
            let end = spans[para + n - 1].1;
            turns.push(TurnCols {
                first,
                len: end - first,
                words: spans[para..para + n].iter().map(|s| s.1 - s.0).sum(),
                speaker: speaker.cloned(),
                role,
            });
        }
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
        values: FacetMap::from_fn(|f| f.values(t)),
        turns,
        // The title's tokens come first: 1 ..= title_end - 1.
        title_end: spans.first().map_or(end, |s| s.0 - 1),
        summary_end: spans.get(t.summary.len()).map_or(end, |s| s.0),
        end,
    }
}
