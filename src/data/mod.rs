//! The page's end of the workers (`crates/search-worker`), which own the bundle:
//! manifest, index, transcripts. The page asks the search worker, started with it, for
//! results (with their rows), snippets, and a transcript with its highlights; and the
//! workbench worker, started on the first job or quote check, for a quote's sources and
//! the workbench's jobs. It renders the answers; its own wasm carries no analyser or
//! index code. Two workers, so that a first visit does not download the workbench's code
//! (issue 13); each opens the bundle itself, the second mostly from the HTTP cache.
//!
//! When a worker cannot start, the page loads the workbench worker's wasm on its thread
//! (the loader script's page mode) and speaks the same messages to it, for everything:
//! one engine, one protocol, whichever thread it runs on.
//!
//! Every answer is also a `performance.measure` entry (`stenogram:search`,
//! `stenogram:snippets`, `stenogram:document`, `stenogram:quote`,
//! `stenogram:bench:<kind>`), from request to answer, which `cargo xtask bench` reads.
//!
//! Every failure is a typed [`LoadError`] or [`SearchFailure`] that the views show in
//! place; none is collapsed into "nothing".

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Deref;
use std::rc::Rc;
use std::sync::Arc;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use send_wrapper::SendWrapper;

use stenogram_core::bundle::{self, DocMeta};
use stenogram_core::search::{Filters, SearchOptions, SearchResults, Snippet};
use stenogram_core::Transcript;
use stenogram_search_worker::bench::{Job, Outcome as BenchOutcome};
use stenogram_search_worker::protocol::{Deferred, Nested, PageResponse as Response, Request};
use stenogram_search_worker::reading::{DocHighlights, QuoteAnswer};
use stenogram_search_worker::timing::{measure, now};
use stenogram_search_worker::CorpusSummary;

mod client;
mod lane;
use client::{bundle_url, set_engine_attribute, Kind, WorkerClient};

/// Where the bundle sits, relative to the document's `<base href>`.
pub use stenogram_search_worker::BUNDLE_DIR;

pub use stenogram_search_worker::{LoadError, SearchFailure};

/// The workbench worker on its way: started (and its bundle opened) by the first job or
/// quote that needs it, shared by every request that waits for it.
type Starting = Shared<LocalBoxFuture<'static, Result<Rc<WorkerClient>, LoadError>>>;

/// The opened corpus: its summary, the workers, and the transcripts read so far.
pub struct Corpus {
    pub summary: CorpusSummary,
    /// The search worker (in page mode, the one client for everything).
    worker: Rc<WorkerClient>,
    /// The workbench worker, once asked for.
    workbench: RefCell<Option<Starting>>,
    /// Id of the latest search asked for: an answer to any other is dropped.
    latest_search: Cell<u32>,
    /// Id of the latest workbench job (0 once cancelled): likewise.
    latest_job: Cell<u32>,
    next_id: Cell<u32>,
    /// Whether the index was asked to open ([`Corpus::warm`]), and for quotes
    /// ([`Corpus::warm_quote`]).
    warmed: Cell<bool>,
    warmed_quote: Cell<bool>,
    /// Whether the workbench worker was asked to open the index ([`Corpus::warm_workbench`]).
    warmed_workbench: Cell<bool>,
    /// Transcripts' JSON by id, with their document numbers.
    transcripts: RefCell<HashMap<String, (u32, Arc<str>)>>,
    /// Highlights by (document, query text); `None`: the query highlights nothing.
    highlights: RefCell<HashMap<(u32, String), Highlighted>>,
}

/// A query's highlights in one document, if it highlights anything.
type Highlighted = Option<Arc<DocHighlights>>;

/// Parsed transcripts kept in memory before the cache starts afresh.
const TRANSCRIPT_CACHE: usize = 256;
/// Highlights kept before that cache starts afresh.
const HIGHLIGHT_CACHE: usize = 64;

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("docs", &self.summary.docs)
            .field("engine", &self.worker.name())
            .finish()
    }
}

/// A finished search: its results and each hit's row.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub results: SearchResults,
    /// One per hit, in the hits' order.
    pub rows: Vec<DocMeta>,
    /// The snippets of the first hits, when asked for with the search
    /// ([`Corpus::first_snippets`]); `None` past them or where they failed.
    pub snippets: Vec<Option<Vec<Snippet>>>,
}

/// A transcript for the reading view, as JSON until [`Document::transcript`] reads it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its document number (for highlight requests).
    pub doc: u32,
    id: String,
    json: Arc<str>,
}

impl Document {
    /// The transcript. The reading view's code (a part loaded on first use, see
    /// `src/split.rs`) is the only caller, so the transcript's decoder is not part of a
    /// first visit's download.
    pub fn transcript(&self) -> Result<Transcript, LoadError> {
        Ok(bundle::transcript_from_json(&self.id, &self.json)?)
    }
}

impl Corpus {
    fn id(&self) -> u32 {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        id
    }

    /// The workbench worker on its way, starting it (and opening the bundle in it) if no
    /// job did yet or the last start failed: a retry starts it again. In page mode the one
    /// client answers everything.
    fn starting(&self) -> Starting {
        if self.worker.in_page() {
            let same: LocalBoxFuture<'static, _> =
                Box::pin(futures_util::future::ready(Ok(self.worker.clone())));
            return same.shared();
        }
        let mut slot = self.workbench.borrow_mut();
        match slot.as_ref() {
            Some(f) if !matches!(f.peek(), Some(Err(_))) => f.clone(),
            _ => {
                let starting: LocalBoxFuture<'static, _> = Box::pin(async {
                    let client = WorkerClient::start(Kind::Workbench).await?;
                    client.open(bundle_url()).await?;
                    Ok(Rc::new(client))
                });
                let starting = starting.shared();
                *slot = Some(starting.clone());
                starting
            }
        }
    }

    /// Sends `req` to the workbench worker once it runs; nothing waits for an answer.
    fn tell_workbench(&self, req: Request) {
        let starting = self.starting();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(client) = starting.await {
                client.send(&req);
            }
        });
    }

    /// Runs `q` (empty: browse) with `opts`; the index shards it needs are fetched first.
    /// `snippets`: how many first hits' snippets the caller asks for next
    /// ([`Corpus::first_snippets`]); the worker fetches their transcripts with the hits'
    /// rows. A newer call supersedes this one: it then ends with
    /// [`SearchFailure::Superseded`].
    pub async fn search(
        &self,
        q: &str,
        opts: SearchOptions,
        snippets: usize,
    ) -> Result<Outcome, SearchFailure> {
        self.search_in(self.worker.clone(), q, opts, snippets).await
    }

    /// [`Corpus::search`] in the workbench worker, beside the job of a workbench view
    /// whose query it checks: one thread runs both in turn, as they would in one worker,
    /// rather than two workers and the page sharing a phone's cores while the view waits.
    pub async fn check(&self, q: &str, opts: SearchOptions) -> Result<Outcome, SearchFailure> {
        let client = self.starting().await.map_err(SearchFailure::Load)?;
        self.search_in(client, q, opts, 0).await
    }

    async fn search_in(
        &self,
        client: Rc<WorkerClient>,
        q: &str,
        opts: SearchOptions,
        snippets: usize,
    ) -> Result<Outcome, SearchFailure> {
        let id = self.id();
        self.latest_search.set(id);
        let started = now();
        let req = Request::Search {
            id,
            q: q.to_string(),
            opts,
            snippets: u32::try_from(snippets).unwrap_or(u32::MAX),
        };
        let answer = match client.ask(id, req).await {
            Response::Searched { result, .. } => result.map(|a| *a),
            other => Err(unexpected(other).into()),
        };
        if self.latest_search.get() != id {
            return Err(SearchFailure::Superseded);
        }
        measure("stenogram:search", started);
        let a = answer?;
        Ok(Outcome {
            results: a.results,
            rows: a.rows,
            snippets: Vec::new(),
        })
    }

    /// The snippets of the first `n` hits of `out`, asked for together: a results page
    /// renders them with the hits, so nothing on the first screen moves as they arrive
    /// (Lighthouse measured a layout shift of 0.46 on a results URL when they came later).
    /// A hit whose snippets fail gets `None` and asks again itself.
    pub async fn first_snippets(&self, q: &str, out: &mut Outcome, n: usize) {
        if q.trim().is_empty() {
            return;
        }
        let asks = out
            .results
            .hits
            .iter()
            .take(n)
            .map(|h| self.snippets(q, h.doc));
        out.snippets = futures_util::future::join_all(asks)
            .await
            .into_iter()
            .map(Result::ok)
            .collect();
    }

    /// The snippets of document `doc` for the query text `q`.
    pub async fn snippets(&self, q: &str, doc: u32) -> Result<Vec<Snippet>, SearchFailure> {
        let id = self.id();
        let started = now();
        let req = Request::Snippets {
            id,
            q: q.to_string(),
            doc,
        };
        let r = match self.worker.ask(id, req).await {
            Response::Snippets { result, .. } => result,
            other => Err(unexpected(other).into()),
        };
        measure("stenogram:snippets", started);
        r
    }

    /// The transcript `id`, with the highlights of the query text `q` (may be empty).
    pub async fn document(&self, id: &str, q: &str) -> Result<Document, LoadError> {
        let cached = self.transcripts.borrow().get(id).cloned();
        if let Some((doc, json)) = cached {
            // At hand before the first render, so the view opens highlighted.
            self.highlights(doc, q).await;
            return Ok(Document {
                doc,
                id: id.to_string(),
                json,
            });
        }
        let rid = self.id();
        let started = now();
        let req = Request::Document {
            id: rid,
            doc_id: id.to_string(),
            q: q.to_string(),
        };
        let answer = match self.worker.ask(rid, req).await {
            Response::Document { result, .. } => result.map_err(into_load),
            other => Err(unexpected(other)),
        }?;
        measure("stenogram:document", started);
        let json: Arc<str> = answer.json.into();
        let mut cache = self.transcripts.borrow_mut();
        if cache.len() >= TRANSCRIPT_CACHE {
            cache.clear();
        }
        cache.insert(id.to_string(), (answer.doc, json.clone()));
        if !q.trim().is_empty() {
            self.remember(answer.doc, q, answer.highlights.map(Arc::new));
        }
        Ok(Document {
            doc: answer.doc,
            id: id.to_string(),
            json,
        })
    }

    fn remember(&self, doc: u32, q: &str, h: Option<Arc<DocHighlights>>) {
        let mut cache = self.highlights.borrow_mut();
        if cache.len() >= HIGHLIGHT_CACHE {
            cache.clear();
        }
        cache.insert((doc, q.to_string()), h);
    }

    /// The highlights of `q` in document `doc` if they are at hand: `Some(None)` when `q`
    /// highlights nothing.
    pub fn cached_highlights(&self, doc: u32, q: &str) -> Option<Option<Arc<DocHighlights>>> {
        self.highlights.borrow().get(&(doc, q.to_string())).cloned()
    }

    /// The highlights of `q` in document `doc` (typo and prefix expansions included);
    /// `None` when `q` highlights nothing or they cannot be had (the view then shows the
    /// text unmarked).
    pub async fn highlights(&self, doc: u32, q: &str) -> Option<Arc<DocHighlights>> {
        if q.trim().is_empty() {
            return None;
        }
        if let Some(h) = self.cached_highlights(doc, q) {
            return h;
        }
        let id = self.id();
        let req = Request::Highlight {
            id,
            doc,
            q: q.to_string(),
        };
        let h = match self.worker.ask(id, req).await {
            Response::Highlighted { result: Ok(h), .. } => h.map(Arc::new),
            _ => return None,
        };
        self.remember(doc, q, h.clone());
        h
    }

    /// Checks a quote against the corpus under `filters` (issue 15), in the worker.
    pub async fn quote(&self, text: &str, filters: &Filters) -> Result<QuoteAnswer, SearchFailure> {
        let id = self.id();
        let started = now();
        let req = Request::Quote {
            id,
            text: text.to_string(),
            filters: filters.clone(),
        };
        let r = match self.starting().await {
            Ok(client) => client.ask(id, req).await,
            Err(e) => Response::Failed(e.to_string()),
        };
        let r = match r {
            Response::Quoted { result, .. } => result.and_then(|a| undefer::<QuoteAnswer>(&a)),
            other => Err(unexpected(other).into()),
        };
        measure("stenogram:quote", started);
        r
    }

    /// Runs a workbench job in the worker; `progress` hears (done, total) of a long one.
    /// A newer job, or [`Corpus::cancel`], supersedes it: it then ends with
    /// [`SearchFailure::Superseded`]. A dispersion supersedes nothing and is never
    /// superseded.
    pub async fn bench(
        &self,
        job: Job,
        progress: impl Fn(usize, usize) + 'static,
    ) -> Result<BenchOutcome, SearchFailure> {
        let id = self.id();
        let supersedable = job.supersedable();
        if supersedable {
            self.latest_job.set(id);
        }
        let name = format!("stenogram:bench:{}", job_kind(&job));
        let started = now();
        let answer = match self.starting().await {
            Ok(client) => {
                client
                    .inbox
                    .progress
                    .borrow_mut()
                    .insert(id, Box::new(progress));
                client
                    .ask(
                        id,
                        Request::Bench {
                            id,
                            job: Nested(job),
                        },
                    )
                    .await
            }
            Err(e) => return Err(SearchFailure::Load(e)),
        };
        let answer = match answer {
            Response::Bench { result, .. } => result.and_then(|o| undefer::<BenchOutcome>(&o)),
            other => Err(unexpected(other).into()),
        };
        if supersedable && self.latest_job.get() != id {
            return Err(SearchFailure::Superseded);
        }
        if answer.is_ok() {
            measure(&name, started);
        }
        answer
    }

    /// Has the worker open the index now: the reader is about to search.
    pub fn warm(&self) {
        if !self.warmed.replace(true) {
            self.worker.send(&Request::Warm);
        }
    }

    /// Starts the workbench worker and has it open the index: a job or a quote is about to
    /// be asked for.
    pub fn warm_workbench(&self) {
        if !self.warmed_workbench.replace(true) {
            self.tell_workbench(Request::Warm);
        }
    }

    /// Starts the workbench worker (which runs the quote finder), and has it load what
    /// every quote reads and run the finder's code once: the reader is on the quote
    /// page, about to paste.
    pub fn warm_quote(&self) {
        if !self.warmed_quote.replace(true) {
            self.tell_workbench(Request::WarmQuote);
        }
    }

    /// Has the worker load the index parts of the quote `text` under `filters` now: the
    /// reader pasted it and is about to press Check ([`Corpus::quote`] of the same text
    /// then waits for them rather than asking again).
    pub fn quote_parts(&self, text: &str, filters: &Filters) {
        self.tell_workbench(Request::QuoteParts {
            text: text.to_string(),
            filters: filters.clone(),
        });
    }

    /// Stops the running workbench job.
    pub fn cancel(&self) {
        self.latest_job.set(0);
        if self.workbench.borrow().is_some() || self.worker.in_page() {
            self.tell_workbench(Request::Cancel);
        }
    }
}

/// A job's name in its `performance.measure` entry.
fn job_kind(job: &Job) -> &'static str {
    match job {
        Job::Concordance { .. } => "kwic",
        Job::Trend { .. } => "trend",
        Job::Collocates { .. } => "collocates",
        Job::Keyness { .. } => "keyness",
        Job::Dispersion { .. } => "dispersion",
    }
}

/// An answer kept encoded ([`Deferred`]), decoded here: the workbench's and the quote
/// checker's code (each in a part of the page loaded on first use) are the only callers,
/// so the decoder of `T` goes with them and not into the first download.
fn undefer<T: for<'de> serde::Deserialize<'de>>(d: &Deferred) -> Result<T, SearchFailure> {
    d.decode()
        .map_err(|e| SearchFailure::Load(LoadError::Worker(e)))
}

/// An answer of the wrong kind: the worker and the page are from different builds.
fn unexpected(r: Response) -> LoadError {
    match r {
        Response::Failed(why) => LoadError::Worker(why),
        other => LoadError::Worker(format!("unexpected answer {}", other.name())),
    }
}

/// A search failure where only loading can fail.
fn into_load(e: SearchFailure) -> LoadError {
    match e {
        SearchFailure::Load(e) => e,
        other => LoadError::Worker(other.to_string()),
    }
}

/// A cheap, clonable handle to the loaded corpus for props and context.
///
/// The app runs on the browser's one thread; `SendWrapper` only satisfies Leptos'
/// `Send` bounds and is never actually sent.
#[derive(Clone)]
pub struct CorpusHandle(SendWrapper<Rc<Corpus>>);

impl Deref for CorpusHandle {
    type Target = Corpus;
    fn deref(&self) -> &Corpus {
        &self.0
    }
}

/// Starts the search worker (else its wasm on this thread), which opens the bundle.
pub async fn load_corpus() -> Result<CorpusHandle, LoadError> {
    let worker = WorkerClient::start(Kind::Search).await?;
    set_engine_attribute(&worker);
    let summary = worker.open(bundle_url()).await?;
    let corpus = Corpus {
        summary,
        worker: Rc::new(worker),
        workbench: RefCell::new(None),
        latest_search: Cell::new(0),
        latest_job: Cell::new(0),
        next_id: Cell::new(0),
        warmed: Cell::new(false),
        warmed_quote: Cell::new(false),
        warmed_workbench: Cell::new(false),
        transcripts: RefCell::new(HashMap::new()),
        highlights: RefCell::new(HashMap::new()),
    };
    Ok(CorpusHandle(SendWrapper::new(Rc::new(corpus))))
}
