//! Fetching the corpus bundle: the manifest at start, transcripts on demand from their
//! packs (a bounded cache); and searching, which runs in the search worker
//! (`crates/search-worker`): it opens the index, fetches the shards each query needs and
//! answers with results and a highlighter. When a worker cannot start, the same engine
//! runs here on the main thread, so the app still works.
//!
//! Every failure is a typed [`LoadError`] that the views show in place; none is
//! collapsed into "nothing".

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Deref;
use std::rc::Rc;
use std::sync::Arc;

use futures_channel::oneshot;
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use stenogram_core::bundle::{self, DocMeta, IndexInfo, Manifest, MANIFEST_FILE};
use stenogram_core::search::{Matcher, SearchOptions, SearchResults};
use stenogram_core::Transcript;
// The quote finder (issue 15).
use stenogram_core::quote::{Candidate, Quote, QuoteResult};
use stenogram_core::search::Filters;
use stenogram_search_worker::bench::{DocFiles, Hooks, Job, Outcome as BenchOutcome};
use stenogram_search_worker::protocol::{decode, encode, Request, Response};
use stenogram_search_worker::{fetch_bytes, fetch_bytes_no_cache, js_message, Answer, Engine};

/// Where the bundle sits, relative to the document's `<base href>`.
pub const BUNDLE_DIR: &str = "corpus/";

pub use stenogram_search_worker::{LoadError, SearchFailure};

/// The loaded corpus: manifest, the search (worker or main thread), and the transcripts
/// fetched so far.
pub struct Corpus {
    pub manifest: Manifest,
    searcher: Searcher,
    /// Id of the latest search asked for: an answer to any other is dropped.
    latest_search: Cell<u32>,
    /// Id of the latest workbench job (0 once cancelled): likewise.
    latest_job: Cell<u32>,
    next_id: Cell<u32>,
    /// Highlighters by query text, so that a view opened from a search highlights at once.
    matchers: RefCell<HashMap<String, Option<Arc<Matcher>>>>,
    transcripts: RefCell<HashMap<String, Arc<Transcript>>>,
    /// Recently asked-for transcript packs (file, fetch), oldest first. The fetch is
    /// shared: the hits of a results page that sit in one pack wait for one request.
    packs: RefCell<Vec<(String, PackFetch)>>,
}

/// A pack's text, fetched once however many views ask for it while it is on its way.
type PackFetch = Shared<LocalBoxFuture<'static, Result<Rc<String>, LoadError>>>;

/// Packs kept in memory: a page of hits mostly shares a few of them.
const PACK_CACHE: usize = 32;
/// Parsed transcripts kept in memory before the cache starts afresh.
const TRANSCRIPT_CACHE: usize = 256;
/// Highlighters kept before that cache starts afresh.
const MATCHER_CACHE: usize = 64;

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("docs", &self.manifest.docs.len())
            .field("engine", &self.searcher.name())
            .finish()
    }
}

/// A finished search: its results and its highlighter.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub results: SearchResults,
    /// Highlights snippets (typo and prefix expansions included); none for a browse.
    pub matcher: Option<Arc<Matcher>>,
}

impl Corpus {
    /// The metadata of the transcript `id`.
    pub fn doc(&self, id: &str) -> Option<&DocMeta> {
        self.manifest.docs.iter().find(|d| d.id == id)
    }

    fn id(&self) -> u32 {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        id
    }

    /// Runs `q` (empty: browse) with `opts`; the index shards it needs are fetched first.
    /// A newer call supersedes this one: it then ends with [`SearchFailure::Superseded`].
    pub async fn search(&self, q: &str, opts: SearchOptions) -> Result<Outcome, SearchFailure> {
        let id = self.id();
        self.latest_search.set(id);
        let answer = match &self.searcher {
            Searcher::Worker(w) => w.search(id, q, &opts).await,
            Searcher::Local(engine) => {
                let mut fetched = Vec::new();
                let wanted = || self.latest_search.get() == id;
                engine.search(q, &opts, wanted, &mut fetched).await
            }
        };
        if self.latest_search.get() != id {
            return Err(SearchFailure::Superseded);
        }
        let Answer { results, matcher } = answer?;
        let matcher = matcher.map(Arc::new);
        self.remember_matcher(q, matcher.clone());
        Ok(Outcome { results, matcher })
    }

    fn remember_matcher(&self, q: &str, m: Option<Arc<Matcher>>) {
        let mut cache = self.matchers.borrow_mut();
        if cache.len() >= MATCHER_CACHE {
            cache.clear();
        }
        cache.insert(q.to_string(), m);
    }

    /// The highlighter of the query text `q` if it is at hand (a search or an earlier
    /// call asked for it): `Some(None)` when `q` has nothing to highlight.
    pub fn cached_highlighter(&self, q: &str) -> Option<Option<Arc<Matcher>>> {
        self.matchers.borrow().get(q).cloned()
    }

    /// The highlighter of the query text `q`, typo and prefix expansions included.
    pub async fn highlighter(&self, q: &str) -> Option<Arc<Matcher>> {
        if let Some(m) = self.cached_highlighter(q) {
            return m;
        }
        let m = match &self.searcher {
            Searcher::Worker(w) => w.highlight(self.id(), q).await,
            Searcher::Local(engine) => engine.matcher(q).await,
        }
        .map(Arc::new);
        self.remember_matcher(q, m.clone());
        m
    }

    /// Runs a workbench job in the worker (or here); `progress` hears (done, total) of
    /// a long one. A newer job, or [`Corpus::cancel`], supersedes it: it then ends with
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
        let wanted = || !supersedable || self.latest_job.get() == id;
        let answer = match &self.searcher {
            Searcher::Worker(w) => w.bench(id, job, Box::new(progress)).await,
            Searcher::Local(engine) => {
                let mut fetched = Vec::new();
                let pause = || -> LocalBoxFuture<'static, ()> {
                    gloo_timers::future::TimeoutFuture::new(0).boxed_local()
                };
                let hooks = Hooks {
                    wanted: &wanted,
                    progress: &progress,
                    pause: &pause,
                };
                engine.run(&job, &hooks, &mut fetched).await
            }
        };
        if !wanted() {
            return Err(SearchFailure::Superseded);
        }
        answer
    }

    /// Stops the running workbench job.
    pub fn cancel(&self) {
        self.latest_job.set(0);
        if let Searcher::Worker(w) = &self.searcher {
            w.send(&Request::Cancel);
        }
    }

    /// Loads (or takes from this visit's cache) the transcript `id`, from its pack.
    pub async fn transcript(&self, id: &str) -> Result<Arc<Transcript>, LoadError> {
        if let Some(t) = self.transcripts.borrow().get(id) {
            return Ok(t.clone());
        }
        let meta = self
            .doc(id)
            .ok_or_else(|| LoadError::UnknownId(id.to_string()))?;
        let pack = self.pack(&meta.file).await?;
        let t = Arc::new(bundle::transcript_from_pack(&meta.file, &pack, meta.slot)?);
        let mut cache = self.transcripts.borrow_mut();
        if cache.len() >= TRANSCRIPT_CACHE {
            cache.clear();
        }
        cache.insert(id.to_string(), t.clone());
        Ok(t)
    }

    /// Checks a quote against the corpus under `filters` (issue 15): the search ranks
    /// candidate transcripts from the index (in the worker), this page fetches them from
    /// their packs (its cache, the one owner of pack parsing) and aligns the quote with
    /// their paragraphs (`quote::find`). A candidate that cannot be loaded is skipped.
    pub async fn quote(&self, text: &str, filters: &Filters) -> Result<QuoteResult, SearchFailure> {
        let q = Quote::new(text).map_err(SearchFailure::Quote)?;
        let cands = match &self.searcher {
            Searcher::Worker(w) => w.quote_candidates(self.id(), text, filters).await?,
            Searcher::Local(engine) => {
                let mut fetched = Vec::new();
                engine.quote_candidates(text, filters, &mut fetched).await?
            }
        };
        let loaded =
            futures_util::future::join_all(cands.iter().map(|c| self.transcript(&c.id))).await;
        let docs: Vec<Arc<Transcript>> = loaded.into_iter().filter_map(Result::ok).collect();
        let refs: Vec<&Transcript> = docs.iter().map(|t| t.as_ref()).collect();
        Ok(stenogram_core::quote::find(&q, &refs))
    }

    /// The text of the pack `file`: from the cache, or joining the fetch already on its
    /// way, or a new fetch. A failed fetch leaves the cache, so that a retry asks again.
    async fn pack(&self, file: &str) -> Result<Rc<String>, LoadError> {
        let cached = self
            .packs
            .borrow()
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, p)| p.clone());
        let fetch = cached.unwrap_or_else(|| {
            let path = file.to_string();
            let fetch = async move { fetch_text(&path, false).await.map(Rc::new) }
                .boxed_local()
                .shared();
            let mut packs = self.packs.borrow_mut();
            if packs.len() >= PACK_CACHE {
                // The oldest pack goes; a view still waiting on it holds its own clone.
                drop(packs.remove(0));
            }
            packs.push((file.to_string(), fetch.clone()));
            fetch
        });
        let text = fetch.await;
        if text.is_err() {
            self.packs.borrow_mut().retain(|(f, _)| f != file);
        }
        text
    }
}

/// Where searches run.
enum Searcher {
    /// In the search worker (the normal case).
    Worker(WorkerClient),
    /// On this thread: the worker could not start (an old browser, a blocked script).
    Local(Box<Engine>),
}

impl Searcher {
    /// Starts the worker and opens the index in it; if the worker cannot start, opens
    /// the index here instead. A failure to load the index is the same error either way.
    async fn start(base: String, info: IndexInfo, docs: DocFiles) -> Result<Searcher, LoadError> {
        let searcher = match WorkerClient::spawn().await {
            Ok(w) => {
                w.open(base, info, docs).await?;
                Searcher::Worker(w)
            }
            Err(why) => {
                web_sys::console::warn_1(
                    &format!("Stenogram searches on the main thread: {why}").into(),
                );
                Searcher::Local(Box::new(Engine::open(base, info, docs).await?))
            }
        };
        set_engine_attribute(searcher.name());
        Ok(searcher)
    }

    fn name(&self) -> &'static str {
        match self {
            Searcher::Worker(_) => "worker",
            Searcher::Local(_) => "main-thread",
        }
    }
}

/// `<html data-search-engine="worker|main-thread">`: where searches run, for the curious
/// and for the e2e tests.
fn set_engine_attribute(name: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-search-engine", name);
    }
}

/// The search worker's loader script, next to `index.html`, under its plain name (as
/// `trunk serve` has it). `cargo xtask dist` gives it a content-hashed name and writes that
/// into `<meta name="stenogram-worker">` (xtask/src/shell.rs), so a page never starts
/// another build's worker.
const WORKER_SCRIPT: &str = "search-worker-loader.js";

/// The loader's name for this page: the `stenogram-worker` meta, else [`WORKER_SCRIPT`].
fn worker_script() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=stenogram-worker]")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| WORKER_SCRIPT.to_string())
}

/// The page's end of the search worker: requests out, answers matched back by id.
struct WorkerClient {
    worker: web_sys::Worker,
    inbox: Rc<Inbox>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// Who hears a job's (done, total).
type Progress = Box<dyn Fn(usize, usize)>;

#[derive(Default)]
struct Inbox {
    /// Who waits for the next start-up message (`Ready`, `Failed`, `Opened`).
    control: RefCell<Option<oneshot::Sender<Response>>>,
    /// Who waits for the answer with this id.
    pending: RefCell<HashMap<u32, oneshot::Sender<Response>>>,
    /// Who hears the progress of the job with this id.
    progress: RefCell<HashMap<u32, Progress>>,
    /// Why the worker died, once it has.
    dead: RefCell<Option<String>>,
}

impl Inbox {
    fn deliver(&self, r: Response) {
        if let Response::Progress { id, done, total } = r {
            if let Some(f) = self.progress.borrow().get(&id) {
                f(done, total);
            }
            return;
        }
        let id = match &r {
            Response::Searched { id, .. }
            | Response::Highlighted { id, .. }
            | Response::QuoteCandidates { id, .. }
            | Response::Bench { id, .. } => Some(*id),
            _ => None,
        };
        if let Some(id) = id {
            self.progress.borrow_mut().remove(&id);
        }
        let to = match id {
            Some(id) => self.pending.borrow_mut().remove(&id),
            None => self.control.borrow_mut().take(),
        };
        if let Some(to) = to {
            let _ = to.send(r);
        }
    }

    /// The worker is gone: everyone waiting hears why.
    fn fail(&self, why: String) {
        *self.dead.borrow_mut() = Some(why.clone());
        if let Some(to) = self.control.borrow_mut().take() {
            let _ = to.send(Response::Failed(why.clone()));
        }
        self.progress.borrow_mut().clear();
        for (_, to) in self.pending.borrow_mut().drain() {
            let _ = to.send(Response::Failed(why.clone()));
        }
    }
}

impl WorkerClient {
    /// Starts the worker and waits until its wasm runs; `Err` says why it cannot.
    async fn spawn() -> Result<WorkerClient, String> {
        let url = web_sys::Url::new_with_base(&worker_script(), &base_uri())
            .map_err(|e| js_message(&e))?
            .href();
        let worker = web_sys::Worker::new(&url).map_err(|e| js_message(&e))?;
        let inbox = Rc::new(Inbox::default());
        let on_message = {
            let inbox = inbox.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let text = ev.data().as_string().unwrap_or_default();
                match decode::<Response>(&text) {
                    Ok(r) => {
                        if let Response::Searched { fetched, .. }
                        | Response::Bench { fetched, .. } = &r
                        {
                            keep_offline(fetched);
                        }
                        if let Response::QuoteCandidates { fetched, .. } = &r {
                            keep_offline(fetched);
                        }
                        inbox.deliver(r)
                    }
                    Err(e) => inbox.fail(e),
                }
            })
        };
        let on_error = {
            let inbox = inbox.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let why = ev
                    .dyn_ref::<web_sys::ErrorEvent>()
                    .map(|e| e.message())
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "its script could not be loaded".to_string());
                inbox.fail(why);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let client = WorkerClient {
            worker,
            inbox,
            _on_message: on_message,
            _on_error: on_error,
        };
        match client.control(None).await {
            Response::Ready => Ok(client),
            Response::Failed(why) => {
                client.worker.terminate();
                Err(why)
            }
            other => Err(format!("unexpected first message {other:?}")),
        }
    }

    /// Sends `req` (if any) and waits for the next start-up message.
    async fn control(&self, req: Option<Request>) -> Response {
        let (tx, rx) = oneshot::channel();
        *self.inbox.control.borrow_mut() = Some(tx);
        if let Some(req) = req {
            self.send(&req);
        }
        rx.await
            .unwrap_or_else(|_| Response::Failed("the worker stopped answering".into()))
    }

    fn send(&self, req: &Request) {
        if let Err(e) = self.worker.post_message(&JsValue::from_str(&encode(req))) {
            self.inbox.fail(js_message(&e));
        }
    }

    async fn open(&self, base: String, index: IndexInfo, docs: DocFiles) -> Result<(), LoadError> {
        match self
            .control(Some(Request::Open { base, index, docs }))
            .await
        {
            Response::Opened(r) => r,
            Response::Failed(why) => Err(LoadError::Worker(why)),
            other => Err(LoadError::Worker(format!("unexpected answer {other:?}"))),
        }
    }

    /// Sends `req` (with `id`) and waits for its answer.
    async fn ask(&self, id: u32, req: Request) -> Response {
        if let Some(why) = self.inbox.dead.borrow().clone() {
            return Response::Failed(why);
        }
        let (tx, rx) = oneshot::channel();
        self.inbox.pending.borrow_mut().insert(id, tx);
        self.send(&req);
        rx.await
            .unwrap_or_else(|_| Response::Failed("the worker stopped answering".into()))
    }

    async fn search(
        &self,
        id: u32,
        q: &str,
        opts: &SearchOptions,
    ) -> Result<Answer, SearchFailure> {
        let req = Request::Search {
            id,
            q: q.to_string(),
            opts: opts.clone(),
        };
        match self.ask(id, req).await {
            Response::Searched { result, .. } => {
                set_engine_attribute("worker");
                result.map(|a| *a)
            }
            Response::Failed(why) => Err(LoadError::Worker(why).into()),
            other => Err(LoadError::Worker(format!("unexpected answer {other:?}")).into()),
        }
    }

    async fn quote_candidates(
        &self,
        id: u32,
        text: &str,
        filters: &Filters,
    ) -> Result<Vec<Candidate>, SearchFailure> {
        let req = Request::QuoteCandidates {
            id,
            text: text.to_string(),
            filters: filters.clone(),
        };
        match self.ask(id, req).await {
            Response::QuoteCandidates { result, .. } => result,
            Response::Failed(why) => Err(LoadError::Worker(why).into()),
            other => Err(LoadError::Worker(format!("unexpected answer {other:?}")).into()),
        }
    }

    async fn bench(
        &self,
        id: u32,
        job: Job,
        progress: Progress,
    ) -> Result<BenchOutcome, SearchFailure> {
        self.inbox.progress.borrow_mut().insert(id, progress);
        match self.ask(id, Request::Bench { id, job }).await {
            Response::Bench { result, .. } => result.map(|o| *o),
            Response::Failed(why) => Err(LoadError::Worker(why).into()),
            other => Err(LoadError::Worker(format!("unexpected answer {other:?}")).into()),
        }
    }

    async fn highlight(&self, id: u32, q: &str) -> Option<Matcher> {
        match self.ask(id, Request::Highlight { id, q: q.into() }).await {
            Response::Highlighted { matcher, .. } => matcher,
            _ => None,
        }
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Asks the service worker to keep the files the search worker fetched: a worker started
/// before the service worker took over (the first visit) is not controlled by it.
fn keep_offline(urls: &[String]) {
    if urls.is_empty() {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(sw) = js_sys::Reflect::get(&window, &"stenogramSW".into()) else {
        return;
    };
    let Ok(keep) = js_sys::Reflect::get(&sw, &"keep".into()) else {
        return;
    };
    if let Some(keep) = keep.dyn_ref::<js_sys::Function>() {
        let list: js_sys::Array = urls.iter().map(|u| JsValue::from_str(u)).collect();
        let _ = keep.call1(&sw, &list);
    }
}

/// The document's base URL (`<base href>`, which Trunk's `--public-url` writes).
fn base_uri() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default()
}

/// The bundle folder's absolute URL, ending in `/` (the worker resolves nothing itself).
fn bundle_url() -> String {
    web_sys::Url::new_with_base(BUNDLE_DIR, &base_uri())
        .map(|u| u.href())
        .unwrap_or_else(|_| BUNDLE_DIR.to_string())
}

/// Fetches the bundle file `path` as text, through the same typed fetch as the worker.
/// `revalidate`: for the one file with a fixed name (`manifest.json`), which must never
/// come stale from the HTTP cache (GitHub Pages allows ten minutes) beside newer parts.
async fn fetch_text(path: &str, revalidate: bool) -> Result<String, LoadError> {
    let url = format!("{}{path}", bundle_url());
    let bytes = if revalidate {
        fetch_bytes_no_cache(&url).await?
    } else {
        fetch_bytes(&url).await?
    };
    // Bundle files are UTF-8 JSON; anything else shows as a JSON error where it is parsed.
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
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

/// Loads and checks `manifest.json`, then starts the search (worker, else main thread),
/// which opens the index from its entry files.
pub async fn load_corpus() -> Result<CorpusHandle, LoadError> {
    let text = fetch_text(MANIFEST_FILE, true).await?;
    let manifest = Manifest::from_json(&text)?;
    let info = manifest.index.clone().ok_or(LoadError::NoIndex)?;
    let docs = DocFiles::from_manifest(&manifest);
    let searcher = Searcher::start(bundle_url(), info, docs).await?;
    let corpus = Corpus {
        manifest,
        searcher,
        latest_search: Cell::new(0),
        latest_job: Cell::new(0),
        next_id: Cell::new(0),
        matchers: RefCell::new(HashMap::new()),
        transcripts: RefCell::new(HashMap::new()),
        packs: RefCell::new(Vec::new()),
    };
    Ok(CorpusHandle(SendWrapper::new(Rc::new(corpus))))
}
