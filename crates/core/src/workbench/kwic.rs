//! The concordance (keyword in context) and the dispersion strip.
//!
//! A line is one range that the query's [`Matcher`] highlights in a transcript's title,
//! summary or paragraphs (so it is exactly what search marks), with `context` words on
//! either side taken from the same paragraph. Lines are numbered per transcript in
//! reading order: the title first, then paragraphs by index.
//!
//! [`Concordance`] answers one page. It knows the exact total from the index when
//! [`Index::occurrence_counts`] can count the query (a word, a phrase, several of them
//! with no stem in common); then a page sorted by date or by transcript needs only the
//! transcripts it shows (under a `speaker:` or `in:` scope too). Otherwise (prefixes,
//! typos, a `near` filter) and for the sorts by context words, it needs every matching
//! transcript, fed in any order and any number of chunks; it keeps only the first `offset + limit` lines in
//! the requested order, so memory stays bounded by the page, not by the corpus.
//!
//! [`super::dispersion`] places the same lines on a transcript's strip.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::select;
use super::text::{Analyzer, Word};
use crate::model::Transcript;
use crate::search::analysis::stem;
use crate::search::{Filters, Index, Matcher, PartId, Query, SearchError};

/// Default words of context on each side.
pub const CONTEXT_WORDS: usize = 8;

/// How lines are ordered. Every order ends with (date, document, paragraph, offset),
/// so it is total and stable across runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KwicSort {
    /// First word to the left (folded), then the second.
    Left1,
    /// Second word to the left, then the first.
    Left2,
    /// First word to the right, then the second.
    Right1,
    /// Second word to the right, then the first.
    Right2,
    /// Date ascending (undated first), as the engine's oldest-first order.
    #[default]
    Date,
    /// Transcript id.
    Transcript,
}

/// Keep only lines with a word of this stem within `window` words of the match (the
/// concordance of a collocation, see [`super::colloc::CollocateRow::near`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Near {
    pub stem: String,
    pub window: usize,
}

/// What to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KwicOptions {
    pub sort: KwicSort,
    pub offset: usize,
    pub limit: usize,
    /// Words of context on each side.
    pub context: usize,
    pub near: Option<Near>,
}

impl Default for KwicOptions {
    fn default() -> Self {
        KwicOptions {
            sort: KwicSort::Date,
            offset: 0,
            limit: 50,
            context: CONTEXT_WORDS,
            near: None,
        }
    }
}

/// One concordance line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KwicLine {
    /// Document number.
    pub doc: u32,
    /// Transcript id.
    pub id: String,
    /// Reading-order paragraph index (`#p-<index>`); `None` for the title.
    pub paragraph: Option<usize>,
    /// The speaker of the paragraph's turn (none for the title and the summary).
    pub speaker: Option<String>,
    pub date: Option<String>,
    /// Context before the match, from the first context word to the match.
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    /// Context after the match, up to the last context word.
    pub right: String,
    /// Character offset of the match in its paragraph (or title).
    pub start: usize,
    /// Folded words: first and second to the left, first and second to the right
    /// (empty at a paragraph's edge): the sort keys.
    pub keys: [String; 4],
    /// Date key (`YYYYMMDD`, 0 undated), for sorting.
    pub date_key: u32,
}

/// Per document, what a line needs that the transcript does not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    pub doc: u32,
    pub id: String,
    pub date: Option<String>,
    pub date_key: u32,
}

/// The matches of `m` in one piece of text, as word ranges `[first, last]` of `toks`.
pub(super) fn match_spans(
    an: &Analyzer,
    m: &Matcher,
    text: &str,
    toks: &[Word],
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if !an.may_match(m, toks) {
        return out;
    }
    for (a, b) in m.highlight(text) {
        let first = toks.partition_point(|t| t.start < a);
        let last = toks.partition_point(|t| t.end <= b);
        if first < last {
            out.push((first, last - 1));
        }
    }
    out
}

/// The pieces of text of `t` in line order: (paragraph index or `None` for the title,
/// speaker, text), leaving out what a scope (speaker, role) excludes (the title included).
pub(super) fn pieces<'t>(
    m: &Matcher,
    t: &'t Transcript,
) -> Vec<(Option<usize>, Option<&'t str>, &'t str)> {
    let allowed = m.allowed_paragraphs(t);
    let mut out = Vec::with_capacity(t.paragraph_count() + 1);
    if allowed.is_none() {
        out.push((None, None, t.title.as_str()));
    }
    let mut speakers: Vec<Option<&str>> = vec![None; t.summary.len()];
    for turn in t.sections.iter().flat_map(|s| &s.turns) {
        speakers.extend(std::iter::repeat_n(
            turn.speaker.as_deref(),
            turn.paragraphs.len(),
        ));
    }
    for p in t.paragraphs() {
        if allowed
            .as_ref()
            .is_none_or(|a| a.get(p.index) == Some(&true))
        {
            out.push((
                Some(p.index),
                speakers.get(p.index).copied().flatten(),
                p.text,
            ));
        }
    }
    out
}

/// Every concordance line of `t`, in reading order.
pub fn lines_of(m: &Matcher, t: &Transcript, info: &DocInfo, opts: &KwicOptions) -> Vec<KwicLine> {
    lines_with(&mut Analyzer::default(), m, t, info, opts)
}

fn lines_with(
    an: &mut Analyzer,
    m: &Matcher,
    t: &Transcript,
    info: &DocInfo,
    opts: &KwicOptions,
) -> Vec<KwicLine> {
    let mut out = Vec::new();
    let mut toks = Vec::new();
    for (paragraph, speaker, text) in pieces(m, t) {
        an.words(text, &mut toks);
        let spans = match_spans(an, m, text, &toks);
        if spans.is_empty() {
            continue;
        }
        let chars: Vec<char> = text.chars().collect();
        let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        for &(first, last) in &spans {
            if let Some(n) = &opts.near {
                let lo = first.saturating_sub(n.window);
                let hi = (last + n.window).min(toks.len() - 1);
                let hit = (lo..=hi)
                    .filter(|&i| i < first || i > last)
                    .any(|i| an.stems[toks[i].stem as usize].0 == n.stem);
                if !hit {
                    continue;
                }
            }
            let (a, b) = (toks[first].start, toks[last].end);
            let lfrom = first.saturating_sub(opts.context);
            let rto = (last + opts.context).min(toks.len() - 1);
            let left = if lfrom < first {
                slice(toks[lfrom].start, a)
            } else {
                String::new()
            };
            let right = if rto > last {
                slice(b, toks[rto].end)
            } else {
                String::new()
            };
            let key = |i: Option<usize>| {
                i.map(|i| an.folded[toks[i].folded as usize].clone())
                    .unwrap_or_default()
            };
            out.push(KwicLine {
                doc: info.doc,
                id: info.id.clone(),
                paragraph,
                speaker: speaker.map(str::to_string),
                date: info.date.clone(),
                left: left.trim().to_string(),
                matched: slice(a, b),
                right: right.trim().to_string(),
                start: a,
                keys: [
                    key(first.checked_sub(1)),
                    key(first.checked_sub(2)),
                    key(Some(last + 1).filter(|&i| i < toks.len())),
                    key(Some(last + 2).filter(|&i| i < toks.len())),
                ],
                date_key: info.date_key,
            });
        }
    }
    out
}

/// Number of concordance lines of `t` (what [`lines_of`] returns without `near`,
/// counted without building them): a query's hits in one transcript from its text.
pub fn count_in(m: &Matcher, t: &Transcript) -> u32 {
    let mut an = Analyzer::default();
    let mut toks = Vec::new();
    pieces(m, t)
        .into_iter()
        .map(|(_, _, text)| {
            an.words(text, &mut toks);
            match_spans(&an, m, text, &toks).len() as u32
        })
        .sum()
}

fn para_order(p: Option<usize>) -> usize {
    p.map_or(0, |i| i + 1)
}

/// The order of `sort`.
pub fn compare(sort: KwicSort, a: &KwicLine, b: &KwicLine) -> Ordering {
    let tail = || {
        (a.date_key, a.doc, para_order(a.paragraph), a.start).cmp(&(
            b.date_key,
            b.doc,
            para_order(b.paragraph),
            b.start,
        ))
    };
    let words = |i: usize, j: usize| {
        a.keys[i]
            .cmp(&b.keys[i])
            .then_with(|| a.keys[j].cmp(&b.keys[j]))
    };
    match sort {
        KwicSort::Left1 => words(0, 1).then_with(tail),
        KwicSort::Left2 => words(1, 0).then_with(tail),
        KwicSort::Right1 => words(2, 3).then_with(tail),
        KwicSort::Right2 => words(3, 2).then_with(tail),
        KwicSort::Date => tail(),
        KwicSort::Transcript => a.id.cmp(&b.id).then_with(tail),
    }
}

/// A page of lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KwicPage {
    /// Every line of every matching transcript; `None` until every transcript the
    /// index could not count was fed.
    pub total: Option<u64>,
    /// Matching transcripts.
    pub docs: usize,
    pub lines: Vec<KwicLine>,
}

/// One concordance request: build it, feed it the transcripts [`Concordance::needs`]
/// names (in any order, in chunks), then read [`Concordance::page`].
pub struct Concordance {
    matcher: Matcher,
    opts: KwicOptions,
    /// Matching documents in the engine's oldest-first order.
    docs: Vec<DocInfo>,
    /// Per entry of `docs`, its number of lines, when the index knows.
    counts: Option<Vec<u32>>,
    /// Documents to feed, with their entry in `docs`.
    needs: Vec<(u32, usize)>,
    /// Page from the counts: the needed documents' lines, by entry; lines to skip in
    /// the first of them.
    by_doc: Vec<Option<Vec<KwicLine>>>,
    skip: usize,
    /// Otherwise: the best lines so far in the requested order, and how many lines.
    kept: Vec<KwicLine>,
    seen: u64,
    fed: usize,
    an: Analyzer,
}

impl Concordance {
    /// Plans a concordance of `q` over the transcripts it and `filters` match. Needs
    /// the index parts [`Index::plan`] names for `q`.
    pub fn new(
        ix: &Index,
        q: &Query,
        filters: &Filters,
        opts: KwicOptions,
    ) -> Result<Concordance, SearchError> {
        let hits = select(ix, q, filters)?;
        let matcher = ix.matcher(q)?;
        let docs = hits
            .into_iter()
            .map(|h| {
                Ok(DocInfo {
                    date_key: ix.doc_date_key(h.doc),
                    doc: h.doc,
                    id: ix
                        .doc_id(h.doc)
                        .ok_or(SearchError::MissingPart(PartId::Ids))?
                        .to_string(),
                    date: h.date,
                })
            })
            .collect::<Result<Vec<DocInfo>, SearchError>>()?;
        let counts = if opts.near.is_some() {
            None
        } else {
            ix.occurrence_counts(&matcher)?.map(|all| {
                docs.iter()
                    .map(|d| all[d.doc as usize])
                    .collect::<Vec<u32>>()
            })
        };
        let mut c = Concordance {
            matcher,
            by_doc: vec![None; docs.len()],
            opts,
            docs,
            counts,
            needs: Vec::new(),
            skip: 0,
            kept: Vec::new(),
            seen: 0,
            fed: 0,
            an: Analyzer::default(),
        };
        c.needs = c.plan_needs();
        Ok(c)
    }

    fn by_counts(&self) -> bool {
        self.counts.is_some() && matches!(self.opts.sort, KwicSort::Date | KwicSort::Transcript)
    }

    /// Entries of `docs` in the order of the sort (date or transcript).
    fn doc_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.docs.len()).collect();
        if self.opts.sort == KwicSort::Transcript {
            order.sort_unstable_by(|&a, &b| {
                let (x, y) = (&self.docs[a], &self.docs[b]);
                x.id.cmp(&y.id)
                    .then((x.date_key, x.doc).cmp(&(y.date_key, y.doc)))
            });
        }
        order
    }

    fn plan_needs(&mut self) -> Vec<(u32, usize)> {
        let Some(counts) = self.counts.as_ref().filter(|_| self.by_counts()) else {
            return self
                .docs
                .iter()
                .enumerate()
                .filter(|(i, _)| self.counts.as_ref().is_none_or(|c| c[*i] > 0))
                .map(|(i, d)| (d.doc, i))
                .collect();
        };
        let (lo, hi) = (
            self.opts.offset as u64,
            self.opts.offset as u64 + self.opts.limit as u64,
        );
        let mut at = 0u64;
        let mut out = Vec::new();
        for i in self.doc_order() {
            let n = u64::from(counts[i]);
            if n > 0 && at + n > lo && at < hi {
                if out.is_empty() {
                    self.skip = (lo - at) as usize;
                }
                out.push((self.docs[i].doc, i));
            }
            at += n;
            if at >= hi {
                break;
            }
        }
        out
    }

    /// Document numbers still to feed (fetch their transcripts), in a good order.
    pub fn needs(&self) -> Vec<u32> {
        self.needs
            .iter()
            .filter(|n| self.by_doc[n.1].is_none())
            .map(|n| n.0)
            .collect()
    }

    /// (fed, needed): progress.
    pub fn progress(&self) -> (usize, usize) {
        (self.fed, self.needs.len())
    }

    /// Feeds the transcript of document `doc` (ignored if not needed or fed already).
    pub fn feed(&mut self, doc: u32, t: &Transcript) {
        let Some(k) = self.needs.iter().position(|n| n.0 == doc) else {
            return;
        };
        let entry = self.needs[k].1;
        if self.by_doc[entry].is_some() {
            return;
        }
        let lines = lines_with(
            &mut self.an,
            &self.matcher,
            t,
            &self.docs[entry],
            &self.opts,
        );
        self.fed += 1;
        if self.by_counts() {
            self.by_doc[entry] = Some(lines);
            return;
        }
        self.by_doc[entry] = Some(Vec::new());
        self.seen += lines.len() as u64;
        self.kept.extend(lines);
        let want = self.opts.offset + self.opts.limit;
        if self.kept.len() > 2 * want.max(64) {
            self.trim(want);
        }
    }

    fn trim(&mut self, want: usize) {
        let sort = self.opts.sort;
        if want < self.kept.len() && want > 0 {
            self.kept
                .select_nth_unstable_by(want - 1, |a, b| compare(sort, a, b));
        }
        self.kept.truncate(want);
    }

    /// Whether every needed transcript was fed.
    pub fn done(&self) -> bool {
        self.fed >= self.needs.len()
    }

    /// The page (complete once [`Concordance::done`]).
    pub fn page(&self) -> KwicPage {
        let (offset, limit) = (self.opts.offset, self.opts.limit);
        let known = self
            .counts
            .as_ref()
            .map(|c| c.iter().map(|&n| u64::from(n)).sum());
        if self.by_counts() {
            let lines = self
                .needs
                .iter()
                .filter_map(|n| self.by_doc[n.1].as_ref())
                .flatten()
                .skip(self.skip)
                .take(limit)
                .cloned()
                .collect();
            return KwicPage {
                total: known,
                docs: self.docs.len(),
                lines,
            };
        }
        let sort = self.opts.sort;
        let mut kept = self.kept.clone();
        kept.sort_unstable_by(|a, b| compare(sort, a, b));
        KwicPage {
            total: known.or(self.done().then_some(self.seen)),
            docs: self.docs.len(),
            lines: kept.into_iter().skip(offset).take(limit).collect(),
        }
    }
}

/// The stem of a folded word, as a [`Near`] filter wants it.
pub fn near_stem(word: &str) -> String {
    stem(&crate::search::analysis::fold_word(word))
}

/// Lines as CSV: id, paragraph (`title` for the title), speaker, date, left, match, right.
pub fn to_csv(lines: &[KwicLine]) -> String {
    use super::csv::{field, text_table};
    text_table(
        &[
            "id",
            "paragraph",
            "speaker",
            "date",
            "left",
            "match",
            "right",
        ],
        lines.iter().map(|l| {
            vec![
                field(&l.id),
                l.paragraph
                    .map_or_else(|| field("title"), |p| p.to_string()),
                field(l.speaker.as_deref().unwrap_or("")),
                field(l.date.as_deref().unwrap_or("")),
                field(&l.left),
                field(&l.matched),
                field(&l.right),
            ]
        }),
    )
}
