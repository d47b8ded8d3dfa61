//! Stenogram's search, as the app runs it: in a dedicated Web Worker (the `search-worker`
//! binary of this package), or on the main thread when a worker cannot start.
//!
//! At 18k transcripts a shard fetch plus the search of a common word takes tens of
//! milliseconds; in the worker that time never blocks typing or scrolling. The worker owns
//! the bundle: it reads the manifest, opens the [`Index`](stenogram_core::search::Index)
//! (meta and the stem dictionary) on the first request that needs it, fetches the parts
//! each query needs (the word dictionary only for prefixes and typos, a facet's values
//! for its counts and filters, the turns for `speaker:` scopes), the rows and the id
//! lookup ([`rows`]) and the transcripts' packs ([`docs`]), and answers with what the
//! page shows: results with their rows, snippets, a transcript with its highlights, a
//! quote's sources. The page carries no analyser, stemmer or index code: its wasm stays
//! small (issue 13). Two binaries run it ([`serve`]): the search worker, started with
//! the page, and the workbench worker (jobs and quotes too), started when first needed;
//! where no worker can start, the page runs the workbench worker's wasm on its own thread
//! (`start_in_page` in that binary), through the same messages.
//!
//! - [`protocol`]: the typed messages, serialised as JSON strings, each request with an id.
//! - [`Engine`]: the search itself.
//! - [`docs`]: the packs and transcripts; [`reading`]: what a results page, the reading
//!   view and the quote finder ask for.
//! - [`bench`]: the research workbench's jobs (concordance, trend, collocates, keyness,
//!   dispersion), which fetch the transcripts' packs and the index shards they need.
//! - [`LoadError`], [`SearchFailure`]: typed errors that cross the worker boundary intact.
//! - [`timing`]: the `performance.measure` entries that page and workers record.
#![forbid(unsafe_code)]

use std::cell::RefCell;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use stenogram_core::bundle::{
    BundleError, CorpusInfo, DocMeta, IdIndex, IndexInfo, Manifest, Rows, RowsInfo, Summary,
    MANIFEST_FILE,
};
use stenogram_core::search::{
    self, Index, IndexError, Matcher, ParseError, PartId, Query, SearchError, SearchOptions,
    SearchResults,
};

pub mod bench;
pub mod docs;
pub mod protocol;
pub mod reading;
mod rows;
#[cfg(target_arch = "wasm32")]
pub mod serve;
pub mod timing;

/// Where the bundle sits, relative to the site's root (the page's `<base href>`, and the
/// folder of the workers' scripts).
pub use stenogram_core::site::BUNDLE_DIR;

/// Why a part of the bundle could not be loaded.
#[derive(Debug, Clone, thiserror::Error, Serialize, Deserialize)]
pub enum LoadError {
    #[error("Could not reach {url}: {message}. If you are offline, this part is not available offline yet: connect and retry.")]
    Network { url: String, message: String },
    #[error("{url} answered HTTP {status}. The corpus may be missing from this site; rebuild it with `cargo xtask dist`.")]
    Status { url: String, status: u16 },
    #[error("No transcript has the id “{0}”. The link may be wrong or from another corpus.")]
    UnknownId(String),
    #[error("This corpus was built without a search index; rebuild it with `stenogram build`.")]
    NoIndex,
    /// The manifest or a pack is unreadable (or of another version); crosses the worker
    /// boundary as its message.
    #[error("{0}")]
    Bundle(String),
    #[error("The search index is unusable: {0}")]
    Index(#[from] IndexError),
    /// The search worker stopped, or answered something this page cannot read.
    #[error("The search worker failed: {0}. Reload the page.")]
    Worker(String),
}

/// Why a search produced no result list.
#[derive(Debug, Clone, thiserror::Error, Serialize, Deserialize)]
pub enum SearchFailure {
    /// The query does not parse; shown next to the search box.
    #[error("{0}")]
    Parse(ParseError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{0}")]
    Search(#[from] SearchError),
    /// A newer search was asked for before this one finished; its answer is dropped.
    #[error("a newer search replaced this one")]
    Superseded,
    /// The quote to check cannot be looked for (empty, too long).
    #[error("{0}")]
    Quote(stenogram_core::quote::QuoteError),
}

impl From<BundleError> for LoadError {
    fn from(e: BundleError) -> LoadError {
        LoadError::Bundle(e.to_string())
    }
}

/// What a search gives the page: the results and, for each hit, its manifest row (title,
/// date, place…), so that the page needs no row of its own.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answer {
    pub results: SearchResults,
    /// One per hit, in the hits' order.
    pub rows: Vec<DocMeta>,
}

/// The corpus at a glance, as the worker read it from the manifest: what home shows
/// before any search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusSummary {
    pub corpus: CorpusInfo,
    /// Transcripts in the corpus.
    pub docs: usize,
    /// The earliest and latest dates.
    pub first: Option<String>,
    pub last: Option<String>,
}

impl CorpusSummary {
    /// The summary of `m`.
    pub fn of(m: &Manifest) -> CorpusSummary {
        CorpusSummary {
            corpus: m.corpus.clone(),
            docs: m.summary.docs as usize,
            first: m.summary.first_date.clone(),
            last: m.summary.last_date.clone(),
        }
    }
}

/// Parses `q`; an empty (or blank) query browses.
pub fn parse(q: &str) -> Result<Option<Query>, ParseError> {
    if q.trim().is_empty() {
        Ok(None)
    } else {
        search::parse(q).map(Some)
    }
}

/// The index and where its files are: everything a query needs.
///
/// Single-threaded: the index grows by shards as queries need them, so it sits in a
/// `RefCell`; nothing holds a borrow across an `.await`.
pub struct Engine {
    /// Absolute URL of the bundle folder, ending in `/`.
    base: String,
    info: IndexInfo,
    index: RefCell<Index>,
    /// Where the rows and ids are, and what home shows.
    rows_info: RowsInfo,
    summary: Summary,
    /// The row and id shards added so far.
    rows: RefCell<Rows>,
    ids: RefCell<IdIndex>,
    /// The packs read lately.
    packs: docs::Packs,
    /// Parts added so far.
    loaded: RefCell<std::collections::BTreeSet<PartId>>,
    /// The latest query text's highlighter: a results page asks for the snippets of its
    /// hits one by one.
    matcher: RefCell<Option<(String, std::rc::Rc<Matcher>)>>,
}

impl Engine {
    /// Reads and checks `manifest.json` under `base` (the bundle folder's absolute URL).
    pub async fn manifest(base: &str) -> Result<Manifest, LoadError> {
        // Revalidated: the one file with a fixed name must never come stale from the HTTP
        // cache (GitHub Pages allows ten minutes) beside newer parts.
        let bytes = fetch_bytes_no_cache(&format!("{base}{MANIFEST_FILE}")).await?;
        let text = String::from_utf8(bytes)
            .map_err(|_| LoadError::Bundle(format!("{MANIFEST_FILE} is not UTF-8 text")))?;
        Ok(Manifest::from_json(&text)?)
    }

    /// Fetches what opening the index needs under `base` and opens it; the manifest says
    /// where the index, the rows and the ids are.
    pub async fn open(base: String, manifest: Manifest) -> Result<Engine, LoadError> {
        let info = manifest.index.ok_or(LoadError::NoIndex)?;
        // `meta.bin` alone: the stem dictionary comes in shards, as queries need them.
        let meta = fetch_bytes(&format!("{base}{}", info.meta)).await?;
        let index = Index::open(&meta, Vec::new())?;
        Ok(Engine {
            base,
            info,
            index: RefCell::new(index),
            rows: RefCell::new(Rows::new(&manifest.rows)),
            ids: RefCell::new(IdIndex::new(&manifest.rows)),
            rows_info: manifest.rows,
            summary: manifest.summary,
            packs: docs::Packs::default(),
            loaded: RefCell::new(Default::default()),
            matcher: RefCell::new(None),
        })
    }

    /// Runs `q` with `opts`, fetching the index shards it needs first, then the hits'
    /// rows; while those come, it starts the fetches of the first `snippets` hits'
    /// transcripts (the page asks for their snippets next) but does not wait for them.
    /// `wanted` is asked after every fetch: once it says no (a newer query came), the
    /// search stops with [`SearchFailure::Superseded`]. Every URL fetched is pushed onto
    /// `fetched`. The hits carry no ids or speakers ([`SearchOptions::hit_details`]):
    /// their rows do.
    pub async fn search(
        &self,
        q: &str,
        opts: &SearchOptions,
        snippets: usize,
        wanted: impl Fn() -> bool,
        fetched: &mut Vec<String>,
    ) -> Result<Answer, SearchFailure> {
        let query = parse(q).map_err(SearchFailure::Parse)?;
        let empty = Query::default();
        let qref = query.as_ref().unwrap_or(&empty);
        // The page shows each hit's row, which has its id and speakers: the hits need
        // not carry them, and the ids part and the speaker facet's stay unfetched.
        let opts = &SearchOptions {
            hit_details: false,
            ..opts.clone()
        };
        self.load_parts_for(qref, Some(opts), &wanted, fetched)
            .await?;
        if !wanted() {
            return Err(SearchFailure::Superseded);
        }
        let results = self.index.borrow().search(qref, opts)?;
        let docs: Vec<u32> = results.hits.iter().map(|h| h.doc).collect();
        // When the answer waits for rows from the network anyway, the first hits'
        // transcripts (the page asks for their snippets next) are fetched beside them
        // rather than a round trip later. With every row at hand it answers at once, and
        // the page's requests fetch what they need.
        let first = if query.is_some() && !self.rows.borrow().missing(&docs).is_empty() {
            &docs[..snippets.min(docs.len())]
        } else {
            &[]
        };
        let (rows, started) =
            futures_util::future::join(self.rows(&docs), self.start_packs(first)).await;
        fetched.extend(started);
        Ok(Answer {
            results,
            rows: rows?,
        })
    }

    /// Fetches and adds the parts `q` needs, asking the plan again until it names none
    /// (a prefix or a misspelt word first needs the word dictionary, then the shards of
    /// its expansions). Stops with [`SearchFailure::Superseded`] once `wanted` says no.
    pub(crate) async fn load_parts(
        &self,
        q: &Query,
        wanted: &impl Fn() -> bool,
        fetched: &mut Vec<String>,
    ) -> Result<(), SearchFailure> {
        self.load_parts_for(q, Some(&SearchOptions::default()), wanted, fetched)
            .await
    }

    /// What every workbench job may read before it plans anything: the facets (jobs
    /// filter and split by them) and the whole stem dictionary (word lists show stems).
    /// Fetched once; afterwards nothing is missing.
    async fn load_for_jobs(
        &self,
        wanted: &impl Fn() -> bool,
        fetched: &mut Vec<String>,
    ) -> Result<(), SearchFailure> {
        self.load_parts(&Query::default(), wanted, fetched).await?;
        if !wanted() {
            return Err(SearchFailure::Superseded);
        }
        let missing = self.index.borrow().dict_missing();
        self.add_parts(missing, fetched).await
    }

    /// Fetches `parts` together (they do not depend on each other) and adds them in
    /// order: the one place the worker turns index parts into index.
    pub(crate) async fn add_parts(
        &self,
        parts: Vec<PartId>,
        fetched: &mut Vec<String>,
    ) -> Result<(), SearchFailure> {
        let urls = parts
            .iter()
            .map(|&p| self.part_url(p))
            .collect::<Result<Vec<_>, _>>()?;
        let got = futures_util::future::join_all(urls.iter().map(|u| fetch_bytes(u))).await;
        for ((part, url), bytes) in parts.into_iter().zip(urls).zip(got) {
            let bytes = bytes?;
            fetched.push(url);
            self.index
                .borrow_mut()
                .add_part(part, bytes)
                .map_err(LoadError::from)?;
            self.loaded.borrow_mut().insert(part);
        }
        Ok(())
    }

    /// [`Engine::load_parts`] for a search with `opts`: facet parts only for facet
    /// counts and filters (`Index::plan_for`); or, without, for a highlighter alone
    /// (`Index::plan_for_matcher`: no postings).
    async fn load_parts_for(
        &self,
        q: &Query,
        opts: Option<&SearchOptions>,
        wanted: &impl Fn() -> bool,
        fetched: &mut Vec<String>,
    ) -> Result<(), SearchFailure> {
        loop {
            let missing = match opts {
                Some(opts) => self.index.borrow().plan_for(q, opts)?,
                None => self.index.borrow().plan_for_matcher(q)?,
            };
            if missing.is_empty() {
                return Ok(());
            }
            if !wanted() {
                return Err(SearchFailure::Superseded);
            }
            // A cold first query's dictionary shards, facets and postings in one round.
            self.add_parts(missing, fetched).await?;
        }
    }

    /// The highlighter of the query text `q`, typo and prefix expansions included (the
    /// word dictionary is fetched first if they need it); `None` when it does not parse,
    /// has nothing to highlight, or a part cannot be fetched.
    pub async fn matcher(&self, q: &str) -> Option<std::rc::Rc<Matcher>> {
        if let Some((text, m)) = self.matcher.borrow().as_ref() {
            if text == q {
                return Some(m.clone());
            }
        }
        let query = parse(q).ok().flatten()?;
        let mut fetched = Vec::new();
        // The highlighter needs the query's own parts: its words' dictionaries and its
        // conditions' facets; no postings, no facet to count, no hit's id (a reading URL
        // opened cold waited for a common word's postings, the largest file a query reads).
        self.load_parts_for(&query, None, &|| true, &mut fetched)
            .await
            .ok()?;
        let m = std::rc::Rc::new(self.index.borrow().matcher(&query).ok()?);
        *self.matcher.borrow_mut() = Some((q.to_string(), m.clone()));
        Some(m)
    }

    pub(crate) fn part_url(&self, part: PartId) -> Result<String, LoadError> {
        let path = self
            .info
            .part_path(part)
            .ok_or(LoadError::Index(IndexError::UnknownPart(part)))?;
        Ok(format!("{}{path}", self.base))
    }
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, which the window and workers both have.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str) -> js_sys::Promise;
    /// The same, with a `RequestInit` (a plain object).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch_with(url: &str, init: &js_sys::Object) -> js_sys::Promise;
}

/// Fetches `url` as bytes; a network failure or an HTTP error is a typed [`LoadError`].
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, LoadError> {
    let request = early_response(url).unwrap_or_else(|| global_fetch(url));
    read_bytes(url, request).await
}

/// [`fetch_bytes`], revalidated with the server (`cache: 'no-cache'`): for a file whose
/// name does not change with its content, e.g. the bundle's `manifest.json`.
pub async fn fetch_bytes_no_cache(url: &str) -> Result<Vec<u8>, LoadError> {
    let request = early_response(url).unwrap_or_else(|| {
        let init = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&init, &"cache".into(), &"no-cache".into());
        global_fetch_with(url, &init)
    });
    read_bytes(url, request).await
}

/// The response to `url` that the worker's loader requested before this wasm ran
/// (`self.stenogramEarly`, a `Map` from absolute URL to a `fetch` promise, see
/// `web/search-worker-loader.js`), taken once: a later fetch of the same URL is a new
/// one. The loader revalidates what it is told is fresh, as [`fetch_bytes_no_cache`]
/// would.
fn early_response(url: &str) -> Option<js_sys::Promise> {
    let early: js_sys::Map = js_sys::Reflect::get(&js_sys::global(), &"stenogramEarly".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let key = JsValue::from_str(url);
    let promise = early.get(&key).dyn_into::<js_sys::Promise>().ok()?;
    early.delete(&key);
    Some(promise)
}

async fn read_bytes(url: &str, request: js_sys::Promise) -> Result<Vec<u8>, LoadError> {
    let network = |e: JsValue| LoadError::Network {
        url: url.to_string(),
        message: js_message(&e),
    };
    let resp: web_sys::Response = wasm_bindgen_futures::JsFuture::from(request)
        .await
        .map_err(network)?
        .unchecked_into();
    if !resp.ok() {
        return Err(LoadError::Status {
            url: url.to_string(),
            status: resp.status(),
        });
    }
    let buf = wasm_bindgen_futures::JsFuture::from(resp.array_buffer().map_err(network)?)
        .await
        .map_err(network)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// A readable message from a thrown JS value (an `Error`'s message, else its string form).
pub fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
