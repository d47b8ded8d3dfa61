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
        // The transcript (its row shard, then its file) and the query's index parts
        // (a dictionary shard, then postings) are two chains of round trips that need
        // nothing from each other: fetched side by side, a cold reading URL waits for
        // the longer one, not for both (on slow 4G, about 0.3 s less).
        let text = async {
            let doc = self
                .doc_of(id)
                .await?
                .ok_or_else(|| LoadError::UnknownId(id.to_string()))?;
            let (json, t) = self.transcript_json(doc, fetched).await?;
            Ok::<_, SearchFailure>((doc, json, t))
        };
        let (text, m) = futures_util::future::join(text, self.matcher(q)).await;
        let (doc, json, t) = text?;
        let highlights = m.map(|m| doc_highlights(&m, &t));
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
    /// [`quote::QuoteSearch`] asks for. A round's packs are fetched together (a pack
    /// follows from its document's number: no row first), and each transcript is
    /// analysed as it arrives. A candidate whose pack cannot be loaded is skipped.
    pub async fn quote(
        &self,
        text: &str,
        filters: &Filters,
        fetched: &mut Vec<String>,
    ) -> Result<QuoteAnswer, SearchFailure> {
        let q = quote::Quote::new(text).map_err(SearchFailure::Quote)?;
        self.load_quote_parts(&q, filters, fetched).await?;
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

    /// Adds the index parts `q` reads under `filters`, as [`quote::Quote::plan`] names
    /// them (first its words' dictionary shards, then their postings and the filters'
    /// facets).
    async fn load_quote_parts(
        &self,
        q: &quote::Quote,
        filters: &Filters,
        fetched: &mut Vec<String>,
    ) -> Result<(), SearchFailure> {
        loop {
            let parts = q.plan(&self.index.borrow(), filters)?;
            if parts.is_empty() {
                return Ok(());
            }
            self.add_parts(parts, fetched).await?;
        }
    }

    /// Loads the index parts the quote `text` reads, ahead of its check
    /// ([`crate::protocol::Request::QuoteParts`]): the page sends a pasted quote at once,
    /// and the reader's press of Check then finds them loaded or on their way. A failure
    /// is left to the check to report.
    pub async fn quote_parts(&self, text: &str, filters: &Filters) {
        if let Ok(q) = quote::Quote::new(text) {
            let _ = self.load_quote_parts(&q, filters, &mut Vec::new()).await;
        }
    }

    /// Readies the worker for a first quote while the reader pastes it
    /// ([`crate::protocol::Request::WarmQuote`]). A quote's requests come in a chain
    /// (its words' dictionary shards, then their postings, then the candidates' packs),
    /// so the parts every quote reads are loaded now: the whole stem
    /// dictionary (a 40-word quote reads about 20 of its shards anyway; ranking reads
    /// the lengths from the postings). And the browser compiles a wasm function on its first call:
    /// on a cold worker that was most of a first quote's time (about 200 ms of lazy
    /// compilation in a trace), so the finder's code runs now, on [`WARM_UP_PACK`] (no
    /// fetch) and, for the index's side, on one word's postings shard. Failures are left to the first quote to report.
    pub async fn warm_quote(&self) {
        let mut fetched = Vec::new();
        let mut parts = self.index.borrow().dict_missing();
        parts.retain(|p| !self.loaded.borrow().contains(p));
        if self.add_parts(parts, &mut fetched).await.is_err() {
            return;
        }
        let Ok(q) = quote::Quote::new(WARM_UP_WORD) else {
            return;
        };
        let filters = Filters::default();
        // The word's postings shard, fetched here so that it can be added (and so
        // checked) again and again below.
        let Ok(parts) = q.plan(&self.index.borrow(), &filters) else {
            return;
        };
        let mut shards = Vec::new();
        for p in parts {
            let Ok(url) = self.part_url(p) else {
                return;
            };
            let Ok(bytes) = crate::fetch_bytes(&url).await else {
                return;
            };
            shards.push((p, bytes));
        }
        // V8 runs a wasm function with its baseline code first and optimises it once it
        // has run enough: in a trace, a first quote's check and ranking of its dozen
        // postings shards took 145 ms, the next quotes' about 50. So the hot paths (a
        // shard's check, the ranking, the alignment) run a few times here.
        for _ in 0..WARM_UP_RUNS {
            for (p, bytes) in &shards {
                if self.index.borrow_mut().add_part(*p, bytes.clone()).is_err() {
                    return;
                }
                self.loaded.borrow_mut().insert(*p);
            }
            // The candidates' ranking runs in `wanted`.
            if let Ok(mut s) = quote::QuoteSearch::new(&self.index.borrow(), &q, &filters) {
                s.wanted();
            }
            warm_up_alignment();
        }
    }
}

/// How many times [`Engine::warm_quote`] runs the finder's hot paths.
const WARM_UP_RUNS: usize = 8;

/// The word whose postings a quote page loads to run the index's side of the finder ([`Engine::warm_quote`]): a word of every corpus of speeches,
/// so that the candidate ranking walks a long posting list, as a real quote's does.
const WARM_UP_WORD: &str = "cooperation";

/// A pack of one made-up transcript that [`warm_up_alignment`] parses and aligns a quote
/// with (its own words, changed, cut at an ellipsis and misspelt, so that every branch of
/// the alignment and the diff runs).
pub const WARM_UP_PACK: &str = r#"[
{"schema":1,"id":"warm-up","title":"Warm-up","sections":[{"heading":null,"turns":[{"label":"A","speaker":"A","paragraphs":["We have discussed the development of trade and economic relations, joint projects in energy and transport, and our cooperation on the international stage.","The talks were held in a friendly and constructive atmosphere, and both sides agreed to meet again next year.","Our countries will continue to work together on the questions of regional security, culture and education."]}]}]}
]"#;

/// The quote [`warm_up_alignment`] looks for in [`WARM_UP_PACK`].
const WARM_UP_QUOTE: &str = "\u{201c}We have discussed the developement of trade … joint projects in energy, transport and our cooperation on the world stage\u{201d}";

/// Runs the alignment's code once on [`WARM_UP_PACK`], answer encoding included; returns
/// the result (for the tests).
pub fn warm_up_alignment() -> Option<QuoteAnswer> {
    let t = stenogram_core::bundle::transcript_from_pack("warm-up", WARM_UP_PACK, 0).ok()?;
    let q = quote::Quote::new(WARM_UP_QUOTE).ok()?;
    let result = quote::find(&q, &[&t]);
    let answer = QuoteAnswer {
        result,
        titles: vec![(t.id.clone(), t.title.clone())],
    };
    let _ = crate::protocol::encode(&answer);
    Some(answer)
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

    /// The quote page's warm-up runs the whole alignment: its pack parses, and the quote
    /// is found, altered, with an ellipsis cut, a substitution and a misspelling in the diff.
    #[test]
    fn the_warm_up_runs_every_step_of_the_alignment() {
        use stenogram_core::quote::{DiffKind, Verdict};
        let a = warm_up_alignment().expect("the warm-up pack parses");
        let m = &a.result.matches[0];
        assert_eq!((m.id.as_str(), m.paragraph), ("warm-up", 0));
        assert_eq!(m.verdict, Verdict::Altered);
        let ops: Vec<DiffKind> = m.diff.iter().map(|d| d.op).collect();
        assert!(m.diff.iter().any(|d| d.ellipsis), "{ops:?}");
        assert!(ops.contains(&DiffKind::Substituted), "{ops:?}");
        assert!(ops.contains(&DiffKind::Inserted) || ops.contains(&DiffKind::Omitted));
    }
}
