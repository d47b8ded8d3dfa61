//! The reading view's highlight hook: which query is active (the find box if used,
//! else the search that opened the view) and the highlight ranges it gives every
//! paragraph, in reading order.
//!
//! The ranges come from the search worker's highlighter (typo and prefix expansions
//! included) once it answers, and from the query's own words until then, so the view
//! never waits on the worker to show its first highlights.

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_core::model::Transcript;
use stenogram_core::search::{self, Query};

use crate::data::CorpusHandle;

/// Highlight ranges of every paragraph, in reading order.
pub type Marks = Memo<Arc<Vec<Vec<(usize, usize)>>>>;

/// What the reading view highlights, and where.
#[derive(Clone, Copy)]
pub struct Highlights {
    /// The active query's text and parse, `None` when nothing is to be highlighted.
    pub active: Memo<Option<(String, Query)>>,
    pub marks: Marks,
    /// Matches over the whole transcript.
    pub total: Memo<usize>,
}

/// Highlights of `t` for the find box's text `find`, falling back to `q`, the query
/// that opened the view.
pub fn use_highlights(
    t: Arc<Transcript>,
    q: Memo<String>,
    find: ReadSignal<String>,
    corpus: Option<CorpusHandle>,
) -> Highlights {
    let active = Memo::new(move |_| {
        let f = find.get();
        let text = if f.trim().is_empty() { q.get() } else { f };
        search::parse(&text)
            .ok()
            .filter(|q| q.root.is_some() || !q.speakers.is_empty())
            .map(|q| (text, q))
    });
    let fetched = {
        let corpus = corpus.clone();
        LocalResource::new(move || {
            let text = active.with(|a| a.as_ref().map(|(t, _)| t.clone()));
            let corpus = corpus.clone();
            async move {
                let m = match (&corpus, &text) {
                    (Some(c), Some(text)) => c.highlighter(text).await,
                    _ => None,
                };
                (text, m)
            }
        })
    };
    let marks: Marks = Memo::new(move |_| {
        let Some((text, query)) = active.get() else {
            return Arc::new(Vec::new());
        };
        let matcher = match corpus.as_ref().and_then(|c| c.cached_highlighter(&text)) {
            Some(m) => m,
            None => fetched
                .get()
                .filter(|(t, _)| t.as_deref() == Some(text.as_str()))
                .and_then(|(_, m)| m),
        };
        Arc::new(
            t.paragraphs()
                .map(|p| match &matcher {
                    Some(m) => m.highlight(p.text),
                    None => search::highlight(p.text, &query),
                })
                .collect(),
        )
    });
    let total = Memo::new(move |_| marks.with(|m| m.iter().map(Vec::len).sum::<usize>()));
    Highlights {
        active,
        marks,
        total,
    }
}

/// The paragraph a search-opened view should start at when the URL names none: the
/// best-matching one, as the hit's first snippet has it (a shared link, or a hit whose
/// snippets had not loaded yet).
pub fn best_paragraph(t: &Transcript, q: &str, corpus: Option<&CorpusHandle>) -> Option<usize> {
    corpus
        .and_then(|c| c.cached_highlighter(q))
        .flatten()
        .and_then(|m| m.snippets(t, 1).first().map(|s| s.paragraph))
}
