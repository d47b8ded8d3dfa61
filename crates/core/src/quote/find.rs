//! Step two of the quote finder: aligning the quote with the candidate transcripts'
//! paragraphs, cutting it into parts by source, and turning alignments into verdicts,
//! coverage and diffs.

use std::collections::{HashMap, HashSet};

use super::align::{align, Alignment, Step, SAME};
use super::words::{ellipses, Likeness, Vocab, Word};
use super::{DiffKind, DiffOp, Part, Quote, QuoteMatch, QuoteResult, Verdict};
use crate::model::Transcript;

/// A stretch of the quote left unaligned is looked for elsewhere from this many words.
const MIN_PART_WORDS: usize = 4;
/// Share of the (whole) quote's words the first part must match: below, nothing
/// plausible. Low enough for one half of a splice.
const FIRST_PART_SHARE: f64 = 0.4;
/// Share of a leftover stretch's words a further part must match.
const MORE_PART_SHARE: f64 = 0.6;
/// Matched words over the aligned stretch of the quote: a source is mostly the same
/// words, not a few common ones strung across gaps.
const MIN_DENSITY: f64 = 0.6;
/// Another passage holding the quote is listed when it scores this share of the best:
/// a copy of the passage, not a few of its words elsewhere.
const ALT_SHARE: f32 = 0.75;
/// Most parts one quote is cut into.
const MAX_PARTS: usize = 4;
/// Most matches returned.
const MAX_MATCHES: usize = 20;

/// A diff run being built: kind, quote words `a..=b`, source words `a..=b`, ellipsis.
type Run = (
    DiffKind,
    Option<(usize, usize)>,
    Option<(usize, usize)>,
    bool,
);

/// One paragraph of a candidate transcript, analysed.
struct Para {
    /// Its transcript, by order of arrival.
    doc: usize,
    index: usize,
    text: String,
    words: Vec<Word>,
    /// Per word, its row of [`Aligner::likes`]; empty until a search first aligns the
    /// paragraph (most never pass the cheap test before it).
    rows: Vec<u32>,
}

/// An alignment of (a stretch of) the quote with a paragraph.
struct Found {
    para: usize,
    al: Alignment,
}

/// The quote and the paragraphs of the transcripts added so far, analysed once: the
/// candidates may arrive in rounds ([`super::QuoteSearch`]), and each round aligns with
/// all of them.
pub(crate) struct Aligner {
    vocab: Vocab,
    quote: Vec<Word>,
    /// How each distinct source word relates to each quote word: one row of `quote.len()`
    /// per distinct folded word, computed once, so the alignment's cells only index.
    likes: Vec<Likeness>,
    row_of: HashMap<u32, u32>,
    /// free[i]: an ellipsis stands between quote words i-1 and i.
    free: Vec<bool>,
    /// The quote's characters and the added transcripts' ids, for the matches.
    qchars: Vec<char>,
    ids: Vec<String>,
    paras: Vec<Para>,
}

/// What aligning the quote with the transcripts at hand gives.
pub(crate) struct Outcome {
    pub result: QuoteResult,
    /// Whether a stretch of the quote long enough to look for has no source among them
    /// (or nothing is plausible at all): more candidates may have it.
    pub unexplained: bool,
}

/// Aligns `quote` with every paragraph of `docs` (the candidates' transcripts, fetched)
/// and returns its plausible sources, best first, and its parts.
pub fn find(quote: &Quote, docs: &[&Transcript]) -> QuoteResult {
    let mut a = Aligner::new(quote);
    for t in docs {
        a.add(t);
    }
    a.run().result
}

impl Aligner {
    pub(crate) fn new(quote: &Quote) -> Aligner {
        let mut vocab = Vocab::default();
        let qwords = vocab.words(quote.text());
        let mut free = vec![false; qwords.len() + 1];
        for e in ellipses(quote.text()) {
            if let Some(i) = qwords.iter().position(|w| w.start > e) {
                free[i] = true;
            }
        }
        Aligner {
            vocab,
            quote: qwords,
            likes: Vec::new(),
            row_of: HashMap::new(),
            free,
            qchars: quote.text().chars().collect(),
            ids: Vec::new(),
            paras: Vec::new(),
        }
    }

    /// Analyses the paragraphs of `t`.
    pub(crate) fn add(&mut self, t: &Transcript) {
        let doc = self.ids.len();
        self.ids.push(t.id.clone());
        for p in t.paragraphs() {
            let words = self.vocab.words(p.text);
            self.paras.push(Para {
                doc,
                index: p.index,
                text: p.text.to_owned(),
                words,
                rows: Vec::new(),
            });
        }
    }

    /// The rows of paragraph `pi`'s words, computing the new words' likeness to the quote.
    fn rows(&mut self, pi: usize) {
        let p = &mut self.paras[pi];
        if p.rows.is_empty() {
            let (n, likes, vocab, quote) =
                (self.quote.len(), &mut self.likes, &self.vocab, &self.quote);
            p.rows = p
                .words
                .iter()
                .map(|&w| {
                    *self.row_of.entry(w.folded).or_insert_with(|| {
                        likes.extend(quote.iter().map(|&q| vocab.likeness(q, w)));
                        (likes.len() / n - 1) as u32
                    })
                })
                .collect();
        }
    }

    /// The quote's plausible sources among the paragraphs added so far, best first, and
    /// its parts.
    pub(crate) fn run(&mut self) -> Outcome {
        let n = self.quote.len();
        let all = self.search(0, n, FIRST_PART_SHARE);
        let Some(first) = all.first() else {
            return Outcome {
                result: QuoteResult::default(),
                unexplained: true,
            };
        };
        // Parts: the best alignment, then the best for each leftover stretch, in turn.
        let mut parts: Vec<(usize, Alignment)> = vec![(first.para, first.al.clone())];
        let mut todo: Vec<(usize, usize)> = leftovers(0, n, &first.al);
        let mut unexplained = false;
        while let Some((lo, hi)) = todo.pop() {
            if parts.len() >= MAX_PARTS {
                break;
            }
            match self.search(lo, hi, MORE_PART_SHARE).into_iter().next() {
                Some(f) => {
                    todo.extend(leftovers(lo, hi, &f.al));
                    parts.push((f.para, f.al));
                }
                None => unexplained = true,
            }
        }
        parts.sort_unstable_by_key(|(p, al)| (al.q.0, *p));
        let joined_verbatim = parts.len() > 1 && self.chain_is_verbatim(&parts);
        let mut matches: Vec<(usize, Alignment, bool)> = parts
            .iter()
            .map(|(p, al)| {
                let v = if parts.len() == 1 {
                    self.is_verbatim(al, 0, n)
                } else {
                    joined_verbatim
                };
                (*p, al.clone(), v)
            })
            .collect();
        // Other passages that hold the whole quote as well (a speech printed twice, news
        // quoting a transcript).
        let best = first.al.score;
        for f in all.into_iter().skip(1) {
            if matches.iter().any(|(p, _, _)| *p == f.para) || f.al.score < ALT_SHARE * best {
                continue;
            }
            let v = parts.len() == 1 && self.is_verbatim(&f.al, 0, n);
            matches.push((f.para, f.al, v));
        }
        matches.sort_unstable_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        matches.truncate(MAX_MATCHES);
        let result = QuoteResult {
            matches: matches
                .iter()
                .map(|(p, al, v)| self.to_match(*p, al, *v))
                .collect(),
            parts: parts
                .iter()
                .map(|(p, al)| Part {
                    start: self.quote[al.q.0].start,
                    end: self.quote[al.q.1 - 1].end,
                    id: self.ids[self.paras[*p].doc].clone(),
                    paragraph: self.paras[*p].index,
                })
                .collect(),
        };
        Outcome {
            result,
            unexplained,
        }
    }
}

/// The stretches of `lo..hi` that `al` leaves unaligned and that are long enough to
/// look for.
fn leftovers(lo: usize, hi: usize, al: &Alignment) -> Vec<(usize, usize)> {
    [(lo, al.q.0), (al.q.1, hi)]
        .into_iter()
        .filter(|(a, b)| b - a >= MIN_PART_WORDS)
        .collect()
}

/// Quote words paired with a like source word.
fn matched(al: &Alignment) -> usize {
    al.steps
        .iter()
        .filter(|s| matches!(s, Step::Pair { like, .. } if *like != Likeness::Other))
        .count()
}

impl Aligner {
    /// Plausible alignments of quote words `lo..hi`, best first, one per paragraph.
    fn search(&mut self, lo: usize, hi: usize, share: f64) -> Vec<Found> {
        let len = hi - lo;
        let stems: HashSet<u32> = self.quote[lo..hi].iter().map(|w| w.stem).collect();
        // A paragraph must hold a quarter of the stretch's distinct stems to be aligned:
        // the alignment costs quote × paragraph words, this costs paragraph words.
        let need = (stems.len() as f64 * 0.25).ceil().max(2.0) as usize;
        let need = need.min(stems.len());
        let min_matched = if len <= MIN_PART_WORDS {
            len
        } else {
            ((len as f64 * share).ceil() as usize).max(MIN_PART_WORDS)
        };
        // And share some of its pairs of adjacent stems (not across an ellipsis): the
        // words in order, which a paragraph of common words in another order lacks.
        let pair = |a: &Word, b: &Word| (u64::from(a.stem) << 32) | u64::from(b.stem);
        let pairs: HashSet<u64> = (lo..hi.saturating_sub(1))
            .filter(|&i| !self.free[i + 1])
            .map(|i| pair(&self.quote[i], &self.quote[i + 1]))
            .collect();
        let need_pairs = ((pairs.len() as f64 * 0.15).ceil() as usize)
            .clamp(1.min(pairs.len()), 2.max(pairs.len() / 8));
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut seen_pairs = HashSet::new();
        for pi in 0..self.paras.len() {
            let p = &self.paras[pi];
            seen.clear();
            seen_pairs.clear();
            for (k, w) in p.words.iter().enumerate() {
                if stems.contains(&w.stem) {
                    seen.insert(w.stem);
                    if let Some(next) = p.words.get(k + 1) {
                        let x = pair(w, next);
                        if pairs.contains(&x) {
                            seen_pairs.insert(x);
                        }
                    }
                }
            }
            if seen.len() < need || seen_pairs.len() < need_pairs {
                continue;
            }
            let m = p.words.len();
            self.rows(pi);
            let (likes, n, rows) = (&self.likes, self.quote.len(), &self.paras[pi].rows);
            let Some(mut al) = align(len, &self.free[lo..=hi], m, |i, j| {
                likes[rows[j] as usize * n + lo + i]
            }) else {
                continue;
            };
            let m = matched(&al);
            let span = al.q.1 - al.q.0;
            if m < min_matched || (m as f64) < MIN_DENSITY * span as f64 {
                continue;
            }
            if len <= MIN_PART_WORDS && !self.is_clean(&al) {
                continue;
            }
            al.q = (al.q.0 + lo, al.q.1 + lo);
            for s in &mut al.steps {
                match s {
                    Step::Pair { q, .. } | Step::Inserted { q } => *q += lo,
                    Step::Omitted { .. } => {}
                }
            }
            out.push(Found { para: pi, al });
        }
        out.sort_unstable_by(|a, b| b.al.score.total_cmp(&a.al.score).then(a.para.cmp(&b.para)));
        out
    }

    /// Every step an identical pair or an omission at an ellipsis.
    fn is_clean(&self, al: &Alignment) -> bool {
        al.steps.iter().all(|s| {
            matches!(
                s,
                Step::Pair {
                    like: Likeness::Same,
                    ..
                } | Step::Omitted { marked: true, .. }
            )
        })
    }

    /// The alignment covers quote words `lo..hi` and is clean.
    fn is_verbatim(&self, al: &Alignment, lo: usize, hi: usize) -> bool {
        al.q == (lo, hi) && self.is_clean(al)
    }

    /// Parts that are consecutive paragraphs of one transcript, each clean, the quote
    /// running from one paragraph's end into the next's start: one passage, verbatim.
    fn chain_is_verbatim(&self, parts: &[(usize, Alignment)]) -> bool {
        let n = self.quote.len();
        parts.first().is_some_and(|(_, a)| a.q.0 == 0)
            && parts.last().is_some_and(|(_, a)| a.q.1 == n)
            && parts.iter().all(|(_, a)| self.is_clean(a))
            && parts.windows(2).all(|w| {
                let (pa, a) = (&self.paras[w[0].0], &w[0].1);
                let (pb, b) = (&self.paras[w[1].0], &w[1].1);
                pa.doc == pb.doc
                    && pb.index == pa.index + 1
                    && a.q.1 == b.q.0
                    && a.s.1 == pa.words.len()
                    && b.s.0 == 0
            })
    }

    fn to_match(&self, para: usize, al: &Alignment, verbatim: bool) -> QuoteMatch {
        let p = &self.paras[para];
        let pchars: Vec<char> = p.text.chars().collect();
        let n = self.quote.len();
        let qtext = |a: usize, b: usize| -> String {
            self.qchars[self.quote[a].start..self.quote[b].end]
                .iter()
                .collect()
        };
        let mut runs: Vec<Run> = Vec::new();
        let mut push = |k: DiffKind, q: Option<usize>, s: Option<usize>, e: bool| {
            if let Some(last) = runs.last_mut() {
                if last.0 == k && last.3 == e {
                    if let Some(q) = q {
                        last.1 = Some(last.1.map_or((q, q), |(a, _)| (a, q)));
                    }
                    if let Some(s) = s {
                        last.2 = Some(last.2.map_or((s, s), |(a, _)| (a, s)));
                    }
                    return;
                }
            }
            runs.push((k, q.map(|q| (q, q)), s.map(|s| (s, s)), e));
        };
        for q in 0..al.q.0 {
            push(DiffKind::Inserted, Some(q), None, false);
        }
        for s in &al.steps {
            match *s {
                Step::Pair { q, s, like } => {
                    let k = if like == Likeness::Same {
                        DiffKind::Equal
                    } else {
                        DiffKind::Substituted
                    };
                    push(k, Some(q), Some(s), false);
                }
                Step::Inserted { q } => push(DiffKind::Inserted, Some(q), None, false),
                Step::Omitted { s, marked } => push(DiffKind::Omitted, None, Some(s), marked),
            }
        }
        for q in al.q.1..n {
            push(DiffKind::Inserted, Some(q), None, false);
        }
        let diff = runs
            .into_iter()
            .map(|(op, q, s, ellipsis)| {
                let (start, end) = s.map_or((0, 0), |(a, b)| (p.words[a].start, p.words[b].end));
                DiffOp {
                    op,
                    quote: q.map(|(a, b)| qtext(a, b)).unwrap_or_default(),
                    source: pchars[start..end].iter().collect(),
                    start,
                    end,
                    ellipsis,
                }
            })
            .collect();
        let span = if al.s.1 > al.s.0 {
            (p.words[al.s.0].start, p.words[al.s.1 - 1].end)
        } else {
            (0, 0)
        };
        QuoteMatch {
            id: self.ids[p.doc].clone(),
            paragraph: p.index,
            verdict: if verbatim {
                Verdict::Verbatim
            } else {
                Verdict::Altered
            },
            coverage: matched(al) as f64 / n as f64,
            score: (al.score / (SAME * n as f32)).clamp(0.0, 1.0) as f64,
            text: p.text.clone(),
            span,
            quote_words: al.q,
            diff,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Section, Turn};

    fn doc(id: &str, paras: &[&str]) -> Transcript {
        let mut t = Transcript::new(id, "T");
        t.sections = vec![Section {
            heading: None,
            turns: vec![Turn {
                paragraphs: paras.iter().map(|p| p.to_string()).collect(),
                ..Default::default()
            }],
        }];
        t
    }

    #[test]
    fn a_quote_across_two_paragraphs_of_one_transcript_is_verbatim() {
        let t = doc(
            "a",
            &[
                "Our delegations discussed energy security and the northern route in detail.",
                "Construction of the pipeline will begin next spring near the border.",
            ],
        );
        let q = Quote::new("the northern route in detail. Construction of the pipeline will begin")
            .unwrap();
        let r = find(&q, &[&t]);
        assert_eq!(r.parts.len(), 2);
        assert!(r.matches.iter().all(|m| m.verdict == Verdict::Verbatim));
    }

    #[test]
    fn a_splice_of_two_transcripts_has_two_sourced_parts_and_is_altered() {
        let a = doc(
            "a",
            &["Our delegations discussed energy security and the northern route in detail today."],
        );
        let b = doc("b", &["Farmers in the southern provinces expect a record harvest of winter wheat this year."]);
        let q = Quote::new(
            "discussed energy security and the northern route in detail expect a record harvest of winter wheat",
        )
        .unwrap();
        let r = find(&q, &[&a, &b]);
        let ids: Vec<&str> = r.parts.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b"]);
        assert!(r.matches.iter().all(|m| m.verdict == Verdict::Altered));
        let quote: Vec<char> = q.text().chars().collect();
        let second: String = quote[r.parts[1].start..r.parts[1].end].iter().collect();
        assert_eq!(second, "expect a record harvest of winter wheat");
    }

    #[test]
    fn nothing_plausible_gives_no_match() {
        let a = doc(
            "a",
            &["Our delegations discussed energy security and the northern route in detail."],
        );
        let q = Quote::new("the route of the delegations in security").unwrap();
        assert_eq!(find(&q, &[&a]), QuoteResult::default());
    }
}
