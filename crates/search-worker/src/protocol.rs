//! The messages between the page and the search worker, each a JSON string.
//!
//! 1. The worker starts and says [`Response::Ready`] (or [`Response::Failed`], and the
//!    page then searches on its own thread).
//! 2. The page sends [`Request::Open`] with the bundle's URL and the manifest's index
//!    entry; the worker fetches the index's entry files and answers [`Response::Opened`].
//! 3. Then any number of [`Request::Search`] and [`Request::Highlight`], each with an id
//!    that its answer repeats. A search supersedes every earlier one: the worker stops an
//!    older search at its next shard fetch ([`crate::SearchFailure::Superseded`]), and the
//!    page drops any answer that is not to its latest search.

use serde::{Deserialize, Serialize};

use stenogram_core::bundle::IndexInfo;
use stenogram_core::search::{Matcher, SearchOptions};

use crate::{Answer, LoadError, SearchFailure};

/// From the page to the worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Opens the index. `base` is the bundle folder's absolute URL (ending in `/`).
    Open { base: String, index: IndexInfo },
    /// Runs a query (empty: browse).
    Search {
        id: u32,
        q: String,
        opts: SearchOptions,
    },
    /// The highlighter of a query text (the reading view's search or find box).
    Highlight { id: u32, q: String },
    /// The quote finder's candidates for the quote `text` (issue 15; see
    /// `Engine::quote_candidates`): the page then aligns the quote with their text.
    QuoteCandidates {
        id: u32,
        text: String,
        filters: stenogram_core::search::Filters,
    },
}

/// From the worker to the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// The worker's wasm is running and listens.
    Ready,
    /// The worker could not start (sent by its loader script).
    Failed(String),
    Opened(Result<(), LoadError>),
    Searched {
        id: u32,
        /// Boxed: an answer is far larger than the other messages.
        result: Result<Box<Answer>, SearchFailure>,
        /// URLs the worker fetched for this search, so that the page can have the service
        /// worker keep them (a worker started before the service worker took over is not
        /// controlled by it).
        fetched: Vec<String>,
    },
    Highlighted {
        id: u32,
        matcher: Option<Matcher>,
    },
    QuoteCandidates {
        id: u32,
        result: Result<Vec<stenogram_core::quote::Candidate>, SearchFailure>,
        fetched: Vec<String>,
    },
}

/// A message as sent: JSON text.
pub fn encode<T: Serialize>(m: &T) -> String {
    // Every type here serialises (no maps with non-string keys, no skipped variant is
    // ever sent); should one not, the other side reads a `Failed` instead.
    serde_json::to_string(m).unwrap_or_else(|e| {
        serde_json::to_string(&Response::Failed(format!("unserialisable message: {e}")))
            .unwrap_or_default()
    })
}

/// A message as received.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("unreadable message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stenogram_core::model::Transcript;
    use stenogram_core::search::{build_index, parse, BuildOptions, Facet, Index, PartId};

    #[test]
    fn an_answer_crosses_the_boundary_intact() {
        let mut t = Transcript::new("a", "On Syria");
        t.date = Some("2015-09-01".into());
        t.summary = vec!["Talks about Syria’s future and negotiations.".into()];
        let files = build_index(&[t.clone()], BuildOptions::default());
        let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
        for p in ix.parts() {
            ix.add_part(p, files.part(p).to_vec()).unwrap();
        }
        let q = parse("syria negotiatoins").unwrap();
        let mut opts = SearchOptions::default();
        opts.filters.values[Facet::Year] = vec!["2015".into()];
        opts.facet_limit = Some(50);
        let back: SearchOptions = decode(&encode(&opts)).unwrap();
        assert_eq!(back, opts);

        let results = ix.search(&q, &opts).unwrap();
        assert_eq!(results.total, 1);
        let matcher = ix.matcher(&q).unwrap();
        let msg = Response::Searched {
            id: 7,
            result: Ok(Box::new(Answer {
                results: results.clone(),
                matcher: Some(matcher.clone()),
            })),
            fetched: vec![],
        };
        let Response::Searched {
            id, result: Ok(a), ..
        } = decode(&encode(&msg)).unwrap()
        else {
            panic!("not an answer")
        };
        assert_eq!(id, 7);
        assert_eq!(a.results, results);
        let m = a.matcher.unwrap();
        assert_eq!(m, matcher);
        assert_eq!(m.snippets(&t, 3), matcher.snippets(&t, 3));
    }

    #[test]
    fn errors_stay_typed() {
        let e = SearchFailure::Parse(parse("\"open").unwrap_err());
        let back: SearchFailure = decode(&encode(&e)).unwrap();
        assert!(
            matches!(back, SearchFailure::Parse(ref p) if p.span == (0, 5)),
            "{back:?}"
        );
        let e = SearchFailure::Load(LoadError::Status {
            url: "corpus/index/post-1.bin".into(),
            status: 404,
        });
        let back: SearchFailure = decode(&encode(&e)).unwrap();
        assert_eq!(back.to_string(), e.to_string());
        let e = SearchFailure::Search(stenogram_core::search::SearchError::MissingPart(
            PartId::Pos(3),
        ));
        let back: SearchFailure = decode(&encode(&e)).unwrap();
        assert!(matches!(back, SearchFailure::Search(_)));
        assert_eq!(back.to_string(), e.to_string());
    }

    /// Issue 15: the quote finder's messages cross the boundary intact, its refusal of a
    /// too-long quote included.
    #[test]
    fn quote_candidates_round_trip() {
        let req = Request::QuoteCandidates {
            id: 7,
            text: "we will not give up".into(),
            filters: stenogram_core::search::Filters::default().with(Facet::Year, "2015"),
        };
        let back: Request = decode(&encode(&req)).unwrap();
        assert!(
            matches!(back, Request::QuoteCandidates { id: 7, ref text, .. } if text == "we will not give up")
        );
        let e = SearchFailure::Quote(stenogram_core::quote::QuoteError::TooLong {
            words: 300,
            max: 200,
        });
        let r = Response::QuoteCandidates {
            id: 7,
            result: Err(e.clone()),
            fetched: vec![],
        };
        match decode::<Response>(&encode(&r)).unwrap() {
            Response::QuoteCandidates {
                id: 7,
                result: Err(back),
                ..
            } => {
                assert_eq!(back.to_string(), e.to_string())
            }
            other => panic!("{other:?}"),
        }
    }
}
