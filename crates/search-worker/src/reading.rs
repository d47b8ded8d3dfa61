//! What the page asks the worker for besides results: the snippets of a hit, a
//! transcript with the highlights of a query, and the sources of a quote. Each is the
//! core's own figure (`Matcher::snippets`, `Matcher::highlight`,
//! `workbench::dispersion`, `quote::find`) over transcripts from [`crate::docs`]; the
//! page only renders them.

use futures_util::stream::{FuturesUnordered, StreamExt};
use serde::{Deserialize, Serialize};

use stenogram_core::model::Transcript;
use stenogram_core::quote::{self, QuoteResult};
use stenogram_core::search::{Filters, Matcher, Snippet};
use stenogram_core::workbench::dispersion::{dispersion, Dispersion};

use crate::{Engine, LoadError, SearchFailure};

/// Snippets shown per hit.
pub const SNIPPETS_PER_HIT: usize = 3;

/// A query's highlights in one transcript: what the reading view marks, where it opens,
/// and its dispersion strip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocHighlights {
    /// Per paragraph in reading order, `[start, end)` character ranges to mark.
    pub marks: Vec<Vec<(usize, usize)>>,
    /// The best-matching paragraph (the first snippet's), where a search-opened view
    /// starts when its URL names none.
    pub best: Option<usize>,
    pub dispersion: Dispersion,
}

/// A transcript for the reading view: its JSON as stored (the page parses it) and, when
/// asked with a query, that query's highlights.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocAnswer {
    /// Document number, for later highlight requests.
    pub doc: u32,
    pub json: String,
    pub highlights: Option<DocHighlights>,
}

/// A quote's sources, with the titles of the transcripts they are in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuoteAnswer {
    pub result: QuoteResult,
    /// (id, title) of every transcript a match or part names.
    pub titles: Vec<(String, String)>,
}

/// The highlights of `m` in `t`: only in the paragraphs a `speaker:` or `in:` scope
/// allows, as the snippets and the dispersion count them.
pub fn doc_highlights(m: &Matcher, t: &Transcript) -> DocHighlights {
    let allowed = m.allowed_paragraphs(t);
    DocHighlights {
        marks: t
            .paragraphs()
            .map(|p| match &allowed {
                Some(a) if !a.get(p.index).copied().unwrap_or(false) => Vec::new(),
                _ => m.highlight(p.text),
            })
            .collect(),
        best: m.snippets(t, 1).first().map(|s| s.paragraph),
        dispersion: dispersion(m, t),
    }
}

impl Engine {
    /// Up to [`SNIPPETS_PER_HIT`] snippets of document `doc` for the query text `q`
    /// (none when `q` highlights nothing).
    pub async fn snippets(
        &self,
        q: &str,
        doc: u32,
        fetched: &mut Vec<String>,
    ) -> Result<Vec<Snippet>, SearchFailure> {
        let Some(m) = self.matcher(q).await else {
            return Ok(Vec::new());
        };
        let t = self.transcript(doc, fetched).await?;
        Ok(m.snippets(&t, SNIPPETS_PER_HIT))
    }

    /// The transcript `id`, with the highlights of `q` when it highlights anything.
    pub async fn document(
        &self,
        id: &str,
        q: &str,
        fetched: &mut Vec<String>,
    ) -> Result<DocAnswer, SearchFailure> {
        let doc = self
            .doc_of(id)
            .await?
            .ok_or_else(|| LoadError::UnknownId(id.to_string()))?;
        let (json, t) = self.transcript_json(doc, fetched).await?;
        let highlights = self.matcher(q).await.map(|m| doc_highlights(&m, &t));
        Ok(DocAnswer {
            doc,
            json,
            highlights,
        })
    }

    /// The highlights of `q` in document `doc` (the find box, or a new query).
    pub async fn highlights(
        &self,
        doc: u32,
        q: &str,
        fetched: &mut Vec<String>,
    ) -> Result<Option<DocHighlights>, SearchFailure> {
        let Some(m) = self.matcher(q).await else {
            return Ok(None);
        };
        let t = self.transcript(doc, fetched).await?;
        Ok(Some(doc_highlights(&m, &t)))
    }

    /// Checks the quote `text` against the transcripts under `filters` (issue 15):
    /// candidates from the index, then the alignment with their paragraphs, in the rounds
    /// [`quote::QuoteSearch`] asks for. A round's packs are fetched together and each
    /// transcript is analysed as it arrives. A candidate whose pack cannot be loaded is
    /// skipped.
    pub async fn quote(
        &self,
        text: &str,
        filters: &Filters,
        fetched: &mut Vec<String>,
    ) -> Result<QuoteAnswer, SearchFailure> {
        let q = quote::Quote::new(text).map_err(SearchFailure::Quote)?;
        loop {
            let parts = q.plan(&self.index.borrow(), filters)?;
            if parts.is_empty() {
                break;
            }
            self.add_parts(parts, fetched).await?;
        }
        let mut search = quote::QuoteSearch::new(&self.index.borrow(), &q, filters)?;
        let mut docs: Vec<Transcript> = Vec::new();
        loop {
            let wanted = search.wanted();
            if wanted.is_empty() {
                break;
            }
            // A pack shared by two candidates is fetched once.
            let mut arriving: FuturesUnordered<_> = wanted
                .iter()
                .map(|c| async move {
                    let mut urls = Vec::new();
                    (self.transcript(c.doc, &mut urls).await, urls)
                })
                .collect();
            while let Some((t, urls)) = arriving.next().await {
                fetched.extend(urls);
                if let Ok(t) = t {
                    search.add(&t);
                    docs.push(t);
                }
            }
        }
        let result = search.result();
        let mut titles: Vec<(String, String)> = Vec::new();
        let named = result
            .matches
            .iter()
            .map(|m| &m.id)
            .chain(result.parts.iter().map(|p| &p.id));
        for id in named {
            if !titles.iter().any(|(i, _)| i == id) {
                if let Some(t) = docs.iter().find(|t| &t.id == id) {
                    titles.push((id.clone(), t.title.clone()));
                }
            }
        }
        Ok(QuoteAnswer { result, titles })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stenogram_core::model::{Section, Turn};
    use stenogram_core::search::{build_index, parse, BuildOptions, Index};

    /// The reading view marks a scoped query's words only where the scope allows (its
    /// snippets and dispersion did already; its marks did not).
    #[test]
    fn highlights_keep_to_a_speaker_scope() {
        let turn = |who: &str, text: &str| Turn {
            label: Some(who.into()),
            speaker: Some(who.into()),
            paragraphs: vec![text.into()],
            ..Default::default()
        };
        let mut t = Transcript::new("d", "Talks");
        t.sections = vec![Section {
            heading: None,
            turns: vec![
                turn("Anna Smith", "Water is shared."),
                turn("Boris Ivanov", "Water is scarce."),
            ],
        }];
        let files = build_index(std::slice::from_ref(&t), BuildOptions::default());
        let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
        for p in ix.parts() {
            ix.add_part(p, files.part(p).to_vec()).unwrap();
        }
        let marked = |q: &str| {
            let m = ix.matcher(&parse(q).unwrap()).unwrap();
            doc_highlights(&m, &t)
                .marks
                .iter()
                .filter(|m| !m.is_empty())
                .count()
        };
        assert_eq!(marked("water"), 2);
        assert_eq!(marked("speaker:\"Anna Smith\" water"), 1);
    }
}
