//! The messages between the page and the search worker, each a byte string in
//! [postcard](https://docs.rs/postcard) (a `Uint8Array` on the wire). Postcard rather
//! than JSON: a reader's decoder of these types is a fraction of serde_json's (no field
//! names, no number parsing), and that decoder is in the page's first download. A worker's
//! loader that cannot start the wasm says why as a plain string instead, which the page
//! reads as [`Response::Failed`].
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
//! The workbench's jobs and answers and the quote finder's answers travel [`Nested`]: as
//! their own encoding, inside the message. The page reads those answers
//! ([`PageResponse`]) as [`Deferred`] bytes and decodes them where they are shown, in the parts of its code
//! that load on first use (the app's `src/split.rs`): decoders are code, and a first
//! visit should not download theirs.
//!
//! Every answer that fetched bundle files lists their URLs (`fetched`), so that the page
//! can have the service worker keep them (a worker started before the service worker
//! took over is not controlled by it).

use serde::de::{DeserializeOwned, Error as _, Visitor};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use stenogram_core::search::{Filters, SearchOptions, Snippet};

use crate::bench::{Job, Outcome};
use crate::reading::{DocAnswer, DocHighlights, QuoteAnswer};
use crate::{Answer, CorpusSummary, LoadError, SearchFailure};

/// From the page to the worker. `J` is a workbench job as the worker reads it
/// ([`JobField`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request<J = Nested<Job>> {
    /// Opens the bundle. `base` is the bundle folder's absolute URL (ending in `/`).
    Open { base: String },
    /// Runs a query (empty: browse). The worker fetches the transcripts of its first
    /// `snippets` hits with their rows: the page asks for their snippets next
    /// ([`Request::Snippets`]).
    Search {
        id: u32,
        q: String,
        opts: SearchOptions,
        snippets: u32,
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
pub enum Response<B = Nested<Box<Outcome>>, Q = Nested<Box<QuoteAnswer>>> {
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
/// ([`Deferred`]) in the search worker, which runs none (the page sends jobs to the
/// workbench worker) and so links no decoder of the jobs and their options.
pub trait JobField: DeserializeOwned + 'static {
    /// Whether a newer job stops this one ([`Job::supersedable`]).
    fn supersedable(&self) -> bool;
}

impl JobField for Nested<Job> {
    fn supersedable(&self) -> bool {
        self.0.supersedable()
    }
}

impl JobField for Deferred {
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
/// left encoded until the code that shows them decodes them.
pub type PageResponse = Response<Deferred, Deferred>;

/// A value carried as its own encoding, a byte string within the message, so that a
/// reader may keep it unread ([`Deferred`]) and link no decoder of `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Nested<T>(pub T);

impl<T: Serialize> Serialize for Nested<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes = postcard::to_allocvec(&self.0).map_err(S::Error::custom)?;
        s.serialize_bytes(&bytes)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Nested<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Deferred(bytes) = Deferred::deserialize(d)?;
        postcard::from_bytes(&bytes)
            .map(Nested)
            .map_err(D::Error::custom)
    }
}

/// A [`Nested`] value's bytes, unread: [`Deferred::decode`] reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred(Vec<u8>);

impl Deferred {
    /// The value as a `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        decode(&self.0)
    }
}

impl Serialize for Deferred {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Deferred {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = Deferred;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte string")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Deferred, E> {
                Ok(Deferred(v.to_vec()))
            }
        }
        d.deserialize_bytes(Bytes)
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

    /// The message's kind, for an error that names an unexpected one: a name, not the
    /// message's `Debug`, which would link every field type's formatter (floats' among
    /// them) into the page.
    pub fn name(&self) -> &'static str {
        match self {
            Response::Ready => "Ready",
            Response::Failed(_) => "Failed",
            Response::Opened(_) => "Opened",
            Response::Searched { .. } => "Searched",
            Response::Snippets { .. } => "Snippets",
            Response::Document { .. } => "Document",
            Response::Highlighted { .. } => "Highlighted",
            Response::Quoted { .. } => "Quoted",
            Response::Progress { .. } => "Progress",
            Response::Bench { .. } => "Bench",
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

/// A message as sent.
pub fn encode<T: Serialize>(m: &T) -> Vec<u8> {
    // Every type here serialises (no skipped field, no skipped variant is ever sent);
    // should one not, the other side reads a `Failed` instead.
    postcard::to_allocvec(m)
        .unwrap_or_else(|e| failed_bytes(&format!("unserialisable message: {e}")))
}

/// `Response::Failed(why)` as sent, spelled without `Response`'s serialiser: `encode` of a
/// request must not pull that serialiser into the page's wasm. Postcard writes a variant
/// as its index (`Failed` is the second) and a string as its length and bytes, both
/// lengths as LEB128 varints.
fn failed_bytes(why: &str) -> Vec<u8> {
    let mut out = vec![1];
    let mut n = why.len();
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out.extend_from_slice(why.as_bytes());
    out
}

/// A message as received.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("unreadable message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stenogram_core::model::Transcript;
    use stenogram_core::search::{build_index, parse, BuildOptions, Facet, Index, PartId};

    #[test]
    fn the_failure_text_reads_as_a_failed_response() {
        // A why of over 127 bytes takes a two-byte length.
        for why in ["a \"quoted\" why\n", &"é long why ".repeat(40)] {
            let bytes = failed_bytes(why);
            let sent: Response = Response::Failed(why.into());
            assert_eq!(bytes, encode(&sent));
            let Ok(PageResponse::Failed(back)) = decode::<PageResponse>(&bytes) else {
                panic!("not a Failed response: {bytes:?}")
            };
            assert_eq!(back, why);
        }
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
            let r = Request::Bench {
                id: i as u32,
                job: Nested(job),
            };
            // The search worker reads the job unread, and answers it without a table,
            // in a message the page reads as a failed job.
            let Request::<Deferred>::Bench { id, .. } = decode(&encode(&r)).unwrap() else {
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
        let back: Request = decode(&encode(&Request::<Nested<Job>>::Cancel)).unwrap();
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
                result: Ok(Nested(Box::new(o.clone()))),
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
            // The page reads it as bytes kept whole, and decodes the same outcome later:
            // floats and all, exactly.
            let Ok(PageResponse::Bench {
                result: Ok(kept), ..
            }) = decode::<PageResponse>(&encode(&msg))
            else {
                panic!("the page cannot read the answer")
            };
            let json = |o: &Outcome| serde_json::to_value(o).unwrap();
            assert_eq!(json(&kept.decode::<Outcome>().unwrap()), json(&o));
            assert_eq!(json(&back.0), json(&o));
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

    /// Postcard has no field names: a field skipped when written shifts every later one.
    /// Regression: the page read a quote's diff (`DiffOp::ellipsis` was skipped when
    /// false) and the rows (`DocMeta::mentions`, skipped when empty) as garbage. Every
    /// answer the page reads, with those fields at their defaults, comes back equal.
    #[test]
    fn answers_with_default_fields_cross_intact() {
        let mut t = Transcript::new("q1", "On grain");
        t.summary = vec!["We will not give up the harvest of grain this year at all.".into()];
        let q = stenogram_core::quote::Quote::new("we will give up the harvest this year").unwrap();
        let result = stenogram_core::quote::find(&q, &[&t]);
        assert!(
            result
                .matches
                .iter()
                .any(|m| m.diff.iter().any(|d| !d.ellipsis)),
            "{result:?}"
        );
        let answer = crate::reading::QuoteAnswer {
            result: result.clone(),
            titles: vec![("q1".into(), "On grain".into())],
        };
        let msg: Response = Response::Quoted {
            id: 2,
            result: Ok(Nested(Box::new(answer))),
            fetched: vec![],
        };
        let Ok(PageResponse::Quoted {
            result: Ok(kept), ..
        }) = decode::<PageResponse>(&encode(&msg))
        else {
            panic!("the page cannot read the quote's answer")
        };
        let back: crate::reading::QuoteAnswer = kept.decode().unwrap();
        assert_eq!(back.result, result);

        let row = stenogram_core::bundle::DocMeta::of(&t);
        assert!(row.mentions.is_empty());
        let msg: Response = Response::Document {
            id: 3,
            result: Ok(Box::new(crate::reading::DocAnswer {
                doc: 0,
                json: "{}".into(),
                highlights: None,
            })),
            fetched: vec!["a".into()],
        };
        let Ok(PageResponse::Document {
            result: Ok(d),
            fetched,
            ..
        }) = decode::<PageResponse>(&encode(&msg))
        else {
            panic!("the page cannot read the document")
        };
        assert_eq!((d.json.as_str(), fetched.len()), ("{}", 1));
        let rows: Vec<stenogram_core::bundle::DocMeta> =
            decode(&encode(&vec![row.clone()])).unwrap();
        assert_eq!(rows, [row]);
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
            decode::<Request>(&encode(&Request::<Nested<Job>>::WarmQuote)).unwrap(),
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
