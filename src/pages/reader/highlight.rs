//! The reading view's highlight hook: which query is active (the find box if used,
//! else the search that opened the view) and the highlight ranges it gives every
//! paragraph, in reading order.
//!
//! The ranges are the search worker's (`DocHighlights`: typo and prefix expansions
//! included, a speaker scope respected); the view opened from a search has them before
//! its first render (they come with the transcript), and the find box asks for its own.
//! A stretch pinned by the URL (`?hl=START-END#p-N`, the quote finder's links) is marked
//! beside them.

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_search_worker::reading::DocHighlights;

use crate::data::CorpusHandle;

/// Highlight ranges of every paragraph, in reading order.
pub type Marks = Memo<Arc<Vec<Vec<(usize, usize)>>>>;

/// What the reading view highlights, and where.
#[derive(Clone, Copy)]
pub struct Highlights {
    /// The active query's text, `None` when it is blank.
    pub active: Memo<Option<String>>,
    /// The worker's highlights of the active query, once at hand (`None` also when it
    /// highlights nothing).
    pub found: Memo<Option<Arc<DocHighlights>>>,
    pub marks: Marks,
    /// Matches over the whole transcript.
    pub total: Memo<usize>,
}

/// Highlights of document `doc` for the find box's text `find`, falling back to `q`,
/// the query that opened the view.
pub fn use_highlights(
    doc: Option<u32>,
    q: Memo<String>,
    find: ReadSignal<String>,
    pinned: Memo<Option<Pinned>>,
    corpus: Option<CorpusHandle>,
) -> Highlights {
    let active = Memo::new(move |_| {
        let f = find.get();
        let text = if f.trim().is_empty() { q.get() } else { f };
        (!text.trim().is_empty()).then_some(text)
    });
    let fetched = {
        let corpus = corpus.clone();
        LocalResource::new(move || {
            let text = active.get();
            let corpus = corpus.clone();
            async move {
                let h = match (&corpus, doc, &text) {
                    (Some(c), Some(d), Some(text)) => c.highlights(d, text).await,
                    _ => None,
                };
                (text, h)
            }
        })
    };
    let found = Memo::new(move |_| {
        let text = active.get()?;
        let cached = corpus
            .as_ref()
            .zip(doc)
            .and_then(|(c, d)| c.cached_highlights(d, &text));
        match cached {
            Some(h) => h,
            None => fetched
                .get()
                .filter(|(t, _)| t.as_deref() == Some(text.as_str()))
                .and_then(|(_, h)| h),
        }
    });
    let marks: Marks = Memo::new(move |_| {
        let mut marks = found.with(|h| h.as_ref().map(|h| h.marks.clone()).unwrap_or_default());
        if let Some(Pinned { paragraph, span }) = pinned.get() {
            if marks.len() <= paragraph {
                marks.resize(paragraph + 1, Vec::new());
            }
            marks[paragraph] = with_span(&marks[paragraph], span);
        }
        Arc::new(marks)
    });
    let total = Memo::new(move |_| marks.with(|m| m.iter().map(Vec::len).sum::<usize>()));
    Highlights {
        active,
        found,
        marks,
        total,
    }
}

/// The paragraph a search-opened view should start at when the URL names none: the
/// best-matching one, as the hit's first snippet has it.
pub fn best_paragraph(doc: Option<u32>, q: &str, corpus: Option<&CorpusHandle>) -> Option<usize> {
    corpus
        .zip(doc)
        .and_then(|(c, d)| c.cached_highlights(d, q))
        .flatten()
        .and_then(|h| h.best)
}

/// A stretch of one paragraph that the URL asks to mark: `?hl=START-END` (character
/// offsets) with `#p-N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pinned {
    pub paragraph: usize,
    pub span: (usize, usize),
}

/// The stretch named by the query value `hl` and the fragment `hash`, if both are well
/// formed (anything else is ignored: a URL is outside data).
pub fn pinned(hl: Option<&str>, hash: &str) -> Option<Pinned> {
    let (a, b) = hl?.split_once('-')?;
    let span = (a.parse().ok()?, b.parse().ok()?);
    let paragraph = hash.strip_prefix("#p-")?.parse().ok()?;
    (span.0 < span.1).then_some(Pinned { paragraph, span })
}

/// `marks` (sorted, disjoint) with `span` added, still sorted and disjoint.
fn with_span(marks: &[(usize, usize)], span: (usize, usize)) -> Vec<(usize, usize)> {
    let mut all: Vec<(usize, usize)> = marks.iter().copied().chain([span]).collect();
    all.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(all.len());
    for (s, e) in all {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_stretch_comes_from_a_well_formed_url_only() {
        assert_eq!(
            pinned(Some("4-19"), "#p-3"),
            Some(Pinned {
                paragraph: 3,
                span: (4, 19)
            })
        );
        assert_eq!(pinned(Some("19-4"), "#p-3"), None);
        assert_eq!(pinned(Some("4-x"), "#p-3"), None);
        assert_eq!(pinned(Some("4-19"), "#top"), None);
        assert_eq!(pinned(None, "#p-3"), None);
    }

    #[test]
    fn a_pinned_stretch_merges_with_the_query_marks() {
        assert_eq!(with_span(&[(0, 3), (10, 12)], (2, 11)), vec![(0, 12)]);
        assert_eq!(
            with_span(&[(0, 3), (20, 22)], (5, 9)),
            vec![(0, 3), (5, 9), (20, 22)]
        );
    }
}
