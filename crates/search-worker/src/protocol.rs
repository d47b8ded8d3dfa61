//! The messages between the page and the search worker, each a JSON string.
//!
//! 1. The worker starts and says [`Response::Ready`] (or [`Response::Failed`], and the
//!    page then runs the worker's wasm on its own thread, through the same messages).
//! 2. The page sends [`Request::Open`] with the bundle's URL; the worker reads the
//!    manifest and the index's entry files and answers [`Response::Opened`] with the
//!    corpus summary.
//! 3. Then any number of [`Request::Search`], each with an id that its answer repeats. A
//!    search supersedes every earlier one: the worker stops an older search at its next
//!    shard fetch ([`crate::SearchFailure::Superseded`]), and the page drops any answer
//!    that is not to its latest search.
//! 4. [`Request::Snippets`] of a hit, [`Request::Document`] (a transcript for the reading
//!    view, with its highlights), [`Request::Highlight`] (the find box) and
//!    [`Request::Quote`]: each answered once, never superseded. [`Request::Warm`],
//!    [`Request::WarmQuote`] and [`Request::QuoteParts`] get no answer.
//! 5. And [`Request::Bench`], a workbench job ([`Job`]): the worker answers with
//!    [`Response::Progress`] between chunks of a long job, then [`Response::Bench`]. A
//!    newer job (or [`Request::Cancel`]) supersedes a running one: it stops at its next
//!    chunk and answers [`SearchFailure::Superseded`]. Searches and jobs do not supersede
//!    each other: the results and an open view are different lanes.
//!
//! The page reads the workbench's and the quote finder's answers ([`PageResponse`]) as
//! [`Deferred`] JSON and decodes them where they are shown, in the parts of its code
//! that load on first use (the app's `src/split.rs`): decoders are code, and a first
//! visit should not download theirs.
//!
//! Every answer that fetched bundle files lists their URLs (`fetched`), so that the page
//! can have the service worker keep them (a worker started before the service worker
//! took over is not controlled by it).

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};

use stenogram_core::search::{Filters, SearchOptions, Snippet};

use crate::bench::{Job, Outcome};
use crate::reading::{DocAnswer, DocHighlights, QuoteAnswer};
use crate::{Answer, CorpusSummary, LoadError, SearchFailure};

/// From the page to the worker. `J` is a workbench job as the worker reads it
/// ([`JobField`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request<J = Job> {
    /// Opens the bundle. `base` is the bundle folder's absolute URL (ending in `/`).
    Open { base: String },
    /// Runs a query (empty: browse).
    Search {
        id: u32,
        q: String,
        opts: SearchOptions,
    },
    /// The snippets of document `doc` for the query text `q`.
    Snippets { id: u32, q: String, doc: u32 },
    /// The transcript `doc_id`, with the highlights of `q` (may be empty).
    Document { id: u32, doc_id: String, q: String },
    /// The highlights of `q` in document `doc`.
    Highlight { id: u32, doc: u32, q: String },
    /// The sources of a quote (issue 15), under `filters`.
    Quote {
        id: u32,
        text: String,
        filters: Filters,
    },
    /// A workbench job.
    Bench { id: u32, job: J },
    /// Stops the running workbench job (the Cancel button).
    Cancel,
    /// Opens the index now, unanswered: the reader is about to search (the search box
    /// has the focus), so the first query need not wait for it. Home alone never does.
    Warm,
    /// [`Request::Warm`], and what every quote reads besides its own words' postings
    /// (the whole stem dictionary and the documents' lengths), then a first run of the
    /// quote finder's code (issue 15): the reader is on the quote page, about to paste.
    /// Unanswered.
    WarmQuote,
    /// Loads the index parts the quote `text` reads under `filters` (its words'
    /// postings), unanswered: the reader has just pasted it and is about to press Check,
    /// and a [`Request::Quote`] of the same text waits for these instead of asking again.
    QuoteParts { text: String, filters: Filters },
}

/// From the worker to the page. `B` is a workbench job's answer and `Q` a quote's: the
/// worker sends [`Response`] as is, the page reads it as [`PageResponse`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response<B = Box<Outcome>, Q = Box<QuoteAnswer>> {
    /// The worker's wasm is running and listens.
    Ready,
    /// The worker could not start (sent by its loader script), or died.
    Failed(String),
    Opened(Result<CorpusSummary, LoadError>),
    Searched {
        id: u32,
        /// Boxed: an answer is far larger than the other messages.
        result: Result<Box<Answer>, SearchFailure>,
        fetched: Vec<String>,
    },
    Snippets {
        id: u32,
        result: Result<Vec<Snippet>, SearchFailure>,
        fetched: Vec<String>,
    },
    Document {
        id: u32,
        result: Result<Box<DocAnswer>, SearchFailure>,
        fetched: Vec<String>,
    },
    Highlighted {
        id: u32,
        result: Result<Option<DocHighlights>, SearchFailure>,
        fetched: Vec<String>,
    },
    Quoted {
        id: u32,
        result: Result<Q, SearchFailure>,
        fetched: Vec<String>,
    },
    /// A long job's progress: `done` of `total` units (transcripts, or index shards).
    Progress {
        id: u32,
        done: usize,
        total: usize,
    },
    Bench {
        id: u32,
        result: Result<B, SearchFailure>,
        fetched: Vec<String>,
    },
}

/// A workbench job as a worker reads it: a [`Job`] in the workbench worker; unread
/// ([`IgnoredAny`]) in the search worker, which runs none (the page sends jobs to the
/// workbench worker) and so links no decoder of the jobs and their options.
pub trait JobField: DeserializeOwned + 'static {
    /// Whether a newer job stops this one ([`Job::supersedable`]).
    fn supersedable(&self) -> bool;
}

impl JobField for Job {
    fn supersedable(&self) -> bool {
        Job::supersedable(self)
    }
}

impl JobField for IgnoredAny {
    fn supersedable(&self) -> bool {
        false
    }
}

/// The search worker's answer to a workbench job or a quote, which it never runs: its
/// [`Response`]s are `Response<NoAnswer, NoAnswer>`, so that it links no encoder of
/// the workbench's tables either.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum NoAnswer {}

/// A [`Response`] without a job's or a quote's answer: all the search worker sends, and
/// what either worker says of itself (`Ready`, `Failed`, `Progress`).
pub type SearchResponse = Response<NoAnswer, NoAnswer>;

/// A [`Response`] as the page reads it: the workbench's and the quote finder's answers
/// left as JSON until the code that shows them decodes them.
pub type PageResponse = Response<Deferred, Deferred>;

/// A value kept as its JSON text, decoded on demand by [`Deferred::decode`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Deferred(Box<serde_json::value::RawValue>);

impl Deferred {
    /// The value as a `T`.
    pub fn decode<T: for<'de> Deserialize<'de>>(&self) -> Result<T, String> {
        decode(self.0.get())
    }
}

impl<B, Q> Response<B, Q> {
    /// The id of the request this answers (none for the start-up messages and progress).
    pub fn answers(&self) -> Option<u32> {
        match self {
            Response::Searched { id, .. }
            | Response::Snippets { id, .. }
            | Response::Document { id, .. }
            | Response::Highlighted { id, .. }
            | Response::Quoted { id, .. }
            | Response::Bench { id, .. } => Some(*id),
            Response::Ready
            | Response::Failed(_)
            | Response::Opened(_)
            | Response::Progress { .. } => None,
        }
    }

    /// The bundle files fetched to answer.
    pub fn fetched(&self) -> &[String] {
        match self {
            Response::Searched { fetched, .. }
            | Response::Snippets { fetched, .. }
            | Response::Document { fetched, .. }
            | Response::Highlighted { fetched, .. }
            | Response::Quoted { fetched, .. }
            | Response::Bench { fetched, .. } => fetched,
            _ => &[],
        }
    }
}

/// A message as sent: JSON text.
pub fn encode<T: Serialize>(m: &T) -> String {
    // Every type here serialises (no maps with non-string keys, no skipped variant is
    // ever sent); should one not, the other side reads a `Failed` instead.
    serde_json::to_string(m)
        .unwrap_or_else(|e| failed_text(&format!("unserialisable message: {e}")))
}

/// `Response::Failed(why)` as sent, spelled without `Response`'s serialiser: `encode` of a
/// request must not pull that serialiser (tens of kilobytes) into the page's wasm.
fn failed_text(why: &str) -> String {
    let why = serde_json::to_string(why).unwrap_or_else(|_| "\"\"".into());
    format!("{{\"Failed\":{why}}}")
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
    fn the_failure_text_reads_as_a_failed_response() {
        let text = failed_text("a \"quoted\" why\n");
        let sent: Response = Response::Failed("a \"quoted\" why\n".into());
        assert_eq!(text, encode(&sent));
        let Ok(Response::Failed(why)) = decode::<Response>(&text) else {
            panic!("not a Failed response: {text}")
        };
        assert_eq!(why, "a \"quoted\" why\n");
    }

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
        let rows = vec![stenogram_core::bundle::DocMeta::of(&t)];
        let msg: Response = Response::Searched {
            id: 7,
            result: Ok(Box::new(Answer {
                results: results.clone(),
                rows: rows.clone(),
            })),
            fetched: vec![],
        };
        let back: Response = decode::<Response>(&encode(&msg)).unwrap();
        assert_eq!(back.answers(), Some(7));
        let Response::Searched { result: Ok(a), .. } = back else {
            panic!("not an answer")
        };
        assert_eq!(a.results, results);
        assert_eq!(a.rows, rows);

        // The reading view's highlights are the core's, intact.
        let m = ix.matcher(&q).unwrap();
        let h = crate::reading::doc_highlights(&m, &t);
        assert!(h.marks.iter().any(|p| !p.is_empty()));
        let msg: Response = Response::Highlighted {
            id: 8,
            result: Ok(Some(h.clone())),
            fetched: vec!["u".into()],
        };
        let back: Response = decode::<Response>(&encode(&msg)).unwrap();
        assert_eq!(back.fetched(), ["u".to_string()]);
        let Response::Highlighted {
            result: Ok(Some(b)),
            ..
        } = back
        else {
            panic!("not highlights")
        };
        assert_eq!(b, h);
        let snips = m.snippets(&t, 3);
        let msg: Response = Response::Snippets {
            id: 9,
            result: Ok(snips.clone()),
            fetched: vec![],
        };
        let Response::Snippets { result: Ok(b), .. } = decode::<Response>(&encode(&msg)).unwrap()
        else {
            panic!("not snippets")
        };
        assert_eq!(b, snips);
    }

    #[test]
    fn workbench_jobs_and_answers_cross_the_boundary_intact() {
        use stenogram_core::workbench::colloc::{CollocOptions, Collocates};
        use stenogram_core::workbench::keyness::{Keyness, KeynessOptions};
        use stenogram_core::workbench::kwic::{Concordance, KwicOptions, KwicSort, Near};
        use stenogram_core::workbench::trend::{self, By, TrendQuery};
        use stenogram_core::workbench::{dispersion, doc_set, select};

        let mut docs = Vec::new();
        for (i, (date, text)) in [
            ("2015-09-01", "Syria and peace talks, peace in Syria."),
            ("2016-03-02", "Talks on trade; peace is far."),
            ("2016-05-02", "Nothing about it, only trade and more trade."),
        ]
        .into_iter()
        .enumerate()
        {
            let mut t = Transcript::new(format!("d{i}"), "Talks");
            t.date = Some(date.into());
            t.summary = vec![text.into()];
            docs.push(t);
        }
        let files = build_index(&docs, BuildOptions::default());
        let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
        for p in ix.parts() {
            ix.add_part(p, files.part(p).to_vec()).unwrap();
        }
        let q = parse("peace").unwrap();
        let mut filters = stenogram_core::search::Filters::default();
        filters.values[stenogram_core::search::Facet::Year] = vec!["2015".into(), "2016".into()];

        let jobs = [
            Job::Concordance {
                q: "peace".into(),
                filters: filters.clone(),
                opts: KwicOptions {
                    sort: KwicSort::Right1,
                    offset: 1,
                    limit: 2,
                    near: Some(Near {
                        stem: "talk".into(),
                        window: 5,
                    }),
                    ..Default::default()
                },
            },
            Job::Trend {
                queries: vec!["peace".into(), "\"peace talks\"".into()],
                filters: filters.clone(),
                by: By::Month,
                speakers: 3,
            },
            Job::Collocates {
                q: "peace".into(),
                filters: filters.clone(),
                window: 4,
                opts: CollocOptions {
                    min_freq: 1,
                    limit: 9,
                },
            },
            Job::Keyness {
                q: String::new(),
                filters: filters.clone(),
                opts: KeynessOptions::default(),
            },
            Job::Dispersion {
                doc: 2,
                q: "trade".into(),
            },
        ];
        for (i, job) in jobs.into_iter().enumerate() {
            let r = Request::Bench { id: i as u32, job };
            // The search worker reads the job unread, and answers it without a table,
            // in a message the page reads as a failed job.
            let Request::<IgnoredAny>::Bench { id, .. } = decode(&encode(&r)).unwrap() else {
                panic!("the search worker did not read a job")
            };
            let wrong = SearchResponse::Bench {
                id,
                result: Err(LoadError::Worker("misrouted".into()).into()),
                fetched: vec![],
            };
            assert!(matches!(
                decode::<PageResponse>(&encode(&wrong)).unwrap(),
                PageResponse::Bench { id: read, result: Err(_), .. } if read == id
            ));
            let Request::Bench { id, job } = decode(&encode(&r)).unwrap() else {
                panic!("not a job")
            };
            let Request::Bench { job: sent, .. } = r else {
                unreachable!()
            };
            assert_eq!((id, &job), (i as u32, &sent));
        }
        let back: Request = decode(&encode(&Request::<Job>::Cancel)).unwrap();
        assert!(matches!(back, Request::Cancel));

        let mut c = Concordance::new(&ix, &q, &filters, KwicOptions::default()).unwrap();
        for d in c.needs() {
            c.feed(d, &docs[d as usize]);
        }
        let mut co = Collocates::new(&ix, &q, &filters, 5).unwrap();
        for d in co.needs() {
            co.feed(d, &docs[d as usize]);
        }
        let mut k = Keyness::new(
            &ix,
            doc_set(&ix, &select(&ix, &q, &Default::default()).unwrap()),
        );
        for p in k.needs() {
            if let PartId::Post(s) = p {
                k.feed(&ix, s).unwrap();
            }
        }
        let everything = select(&ix, &Default::default(), &filters).unwrap();
        let base = trend::base(&ix, &everything, By::Year);
        let tq = TrendQuery::new(&ix, "peace", &q, &filters).unwrap();
        let s = trend::series(&ix, &tq, &base, By::Year);
        let outcomes = [
            Outcome::Concordance(c.page()),
            Outcome::Trend(crate::bench::TrendAnswer {
                series: vec![s.clone()],
                by_speaker: vec![("A".into(), s)],
            }),
            Outcome::Collocates(co.table(&CollocOptions::default())),
            Outcome::Keyness(k.table(&ix, &KeynessOptions::default())),
            Outcome::Dispersion(dispersion::dispersion(&ix.matcher(&q).unwrap(), &docs[0])),
        ];
        assert!(matches!(&outcomes[0], Outcome::Concordance(p) if p.total == Some(3)));
        for o in outcomes {
            let msg: Response = Response::Bench {
                id: 3,
                result: Ok(Box::new(o.clone())),
                fetched: vec!["corpus/docs/pack-00000.json".into()],
            };
            let Response::Bench {
                id,
                result: Ok(back),
                fetched,
            } = decode::<Response>(&encode(&msg)).unwrap()
            else {
                panic!("not an answer")
            };
            assert_eq!((id, fetched.len()), (3, 1));
            // The page reads it as JSON kept whole, and decodes the same outcome later.
            let Ok(PageResponse::Bench {
                result: Ok(kept), ..
            }) = decode::<PageResponse>(&encode(&msg))
            else {
                panic!("the page cannot read the answer")
            };
            let later = serde_json::to_value(kept.decode::<Outcome>().unwrap()).unwrap();
            assert!(close(&later, &serde_json::to_value(&o).unwrap()), "{later}");
            let (a, b) = (
                serde_json::to_value(&*back).unwrap(),
                serde_json::to_value(&o).unwrap(),
            );
            assert!(close(&a, &b), "{a}\n{b}");
        }
        let p: Response = decode(&encode::<Response>(&Response::Progress {
            id: 4,
            done: 5,
            total: 9,
        }))
        .unwrap();
        assert!(matches!(
            p,
            Response::Progress {
                id: 4,
                done: 5,
                total: 9
            }
        ));
        let e: Response = decode(&encode::<Response>(&Response::Bench {
            id: 5,
            result: Err(SearchFailure::Superseded),
            fetched: vec![],
        }))
        .unwrap();
        assert!(matches!(
            e,
            Response::Bench {
                result: Err(SearchFailure::Superseded),
                ..
            }
        ));
    }

    /// Equal, floats up to their last digit (serde_json parses a float to within one
    /// unit in the last place).
    fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        use serde_json::Value as V;
        match (a, b) {
            (V::Number(x), V::Number(y)) if x.is_f64() || y.is_f64() => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
            }
            (V::Array(x), V::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y))
            }
            (V::Object(x), V::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
            }
            _ => a == b,
        }
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
    fn quote_round_trip() {
        let req: Request = Request::Quote {
            id: 7,
            text: "we will not give up".into(),
            filters: stenogram_core::search::Filters::default().with(Facet::Year, "2015"),
        };
        let back: Request = decode(&encode(&req)).unwrap();
        assert!(
            matches!(back, Request::Quote { id: 7, ref text, .. } if text == "we will not give up")
        );
        let parts: Request = Request::QuoteParts {
            text: "we will not give up".into(),
            filters: Default::default(),
        };
        let back: Request = decode(&encode(&parts)).unwrap();
        assert!(
            matches!(back, Request::QuoteParts { ref text, .. } if text == "we will not give up")
        );
        assert!(matches!(
            decode::<Request>(&encode(&Request::<Job>::WarmQuote)).unwrap(),
            Request::WarmQuote
        ));
        let e = SearchFailure::Quote(stenogram_core::quote::QuoteError::TooLong {
            words: 300,
            max: 200,
        });
        let r: Response = Response::Quoted {
            id: 7,
            result: Err(e.clone()),
            fetched: vec![],
        };
        match decode::<Response>(&encode(&r)).unwrap() {
            Response::Quoted {
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
