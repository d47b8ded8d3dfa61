//! Fetching the corpus bundle: the manifest and the index dictionaries at start, index
//! shards as queries need them, transcripts on demand from their packs (a bounded cache).
//!
//! Every failure is a typed [`LoadError`] that the views show in place; none is
//! collapsed into "nothing".

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Deref;
use std::rc::Rc;
use std::sync::Arc;

use send_wrapper::SendWrapper;

use stenogram_core::bundle::{self, BundleError, DocMeta, Manifest, MANIFEST_FILE};
use stenogram_core::search::{
    self, Index, IndexError, ParseError, PartId, Query, SearchError, SearchOptions, SearchResults,
};
use stenogram_core::Transcript;

/// Where the bundle sits, relative to the document's `<base href>`.
pub const BUNDLE_DIR: &str = "corpus/";

/// Why a part of the bundle could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    #[error("Could not reach {url}: {message}. If you are offline, this part is not available offline yet: connect and retry.")]
    Network { url: String, message: String },
    #[error("{url} answered HTTP {status}. The corpus may be missing from this site; rebuild it with `cargo xtask dist`.")]
    Status { url: String, status: u16 },
    #[error("No transcript has the id “{0}”. The link may be wrong or from another corpus.")]
    UnknownId(String),
    #[error("This corpus was built without a search index; rebuild it with `stenogram build`.")]
    NoIndex,
    #[error(transparent)]
    Bundle(#[from] BundleError),
    #[error("The search index is unusable: {0}")]
    Index(#[from] IndexError),
}

/// Why a search produced no result list.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SearchFailure {
    /// The query does not parse; shown next to the search box.
    #[error("{0}")]
    Parse(ParseError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{0}")]
    Search(#[from] SearchError),
}

/// The loaded corpus: manifest, index, and the transcripts fetched so far.
///
/// Single-threaded (wasm): the index grows by shards as queries need them, so it sits
/// in a `RefCell`; nothing holds a borrow across an `.await`.
pub struct Corpus {
    pub manifest: Manifest,
    index: RefCell<Index>,
    transcripts: RefCell<HashMap<String, Arc<Transcript>>>,
    /// Recently fetched transcript packs (file, text), oldest first.
    packs: RefCell<Vec<(String, Rc<String>)>>,
}

/// Packs kept in memory: a page of hits mostly shares a few of them.
const PACK_CACHE: usize = 32;
/// Parsed transcripts kept in memory before the cache starts afresh.
const TRANSCRIPT_CACHE: usize = 256;

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("docs", &self.manifest.docs.len())
            .finish()
    }
}

/// A finished search: the parsed query (for highlighting) and its results.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub query: Option<Query>,
    pub results: SearchResults,
}

impl Corpus {
    /// The metadata of the transcript `id`.
    pub fn doc(&self, id: &str) -> Option<&DocMeta> {
        self.manifest.docs.iter().find(|d| d.id == id)
    }

    /// Runs `q` (empty: browse) with `opts`, fetching the index shards it needs first.
    pub async fn search(&self, q: &str, opts: SearchOptions) -> Result<Outcome, SearchFailure> {
        let query = if q.trim().is_empty() {
            None
        } else {
            Some(search::parse(q).map_err(SearchFailure::Parse)?)
        };
        let empty = Query::default();
        let qref = query.as_ref().unwrap_or(&empty);
        loop {
            let missing = self.index.borrow().plan(qref)?;
            if missing.is_empty() {
                break;
            }
            for part in missing {
                let bytes = fetch_bytes(&self.part_path(part)?).await?;
                self.index
                    .borrow_mut()
                    .add_part(part, bytes)
                    .map_err(LoadError::from)?;
            }
        }
        let results = self.index.borrow().search(qref, &opts)?;
        Ok(Outcome { query, results })
    }

    /// Character ranges of `text` to highlight for `query`, typo and prefix expansions included.
    pub fn highlighter(&self, query: &Query) -> Option<search::Matcher> {
        self.index.borrow().matcher(query).ok()
    }

    fn part_path(&self, part: PartId) -> Result<String, LoadError> {
        let info = self.manifest.index.as_ref().ok_or(LoadError::NoIndex)?;
        info.part_path(part)
            .map(str::to_owned)
            .ok_or(LoadError::Index(IndexError::UnknownPart(part)))
    }

    /// Loads (or takes from this visit's cache) the transcript `id`, from its pack.
    pub async fn transcript(&self, id: &str) -> Result<Arc<Transcript>, LoadError> {
        if let Some(t) = self.transcripts.borrow().get(id) {
            return Ok(t.clone());
        }
        let meta = self
            .doc(id)
            .ok_or_else(|| LoadError::UnknownId(id.to_string()))?;
        let cached = self
            .packs
            .borrow()
            .iter()
            .find(|(f, _)| *f == meta.file)
            .map(|(_, p)| p.clone());
        let pack = match cached {
            Some(p) => p,
            None => {
                let p = Rc::new(fetch_text(&meta.file).await?);
                let mut packs = self.packs.borrow_mut();
                if packs.len() >= PACK_CACHE {
                    packs.remove(0);
                }
                packs.push((meta.file.clone(), p.clone()));
                p
            }
        };
        let t = Arc::new(bundle::transcript_from_pack(&meta.file, &pack, meta.slot)?);
        let mut cache = self.transcripts.borrow_mut();
        if cache.len() >= TRANSCRIPT_CACHE {
            cache.clear();
        }
        cache.insert(id.to_string(), t.clone());
        Ok(t)
    }
}

async fn fetch(path: &str) -> Result<gloo_net::http::Response, LoadError> {
    let url = format!("{BUNDLE_DIR}{path}");
    let resp = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| LoadError::Network {
            url: url.clone(),
            message: e.to_string(),
        })?;
    if !resp.ok() {
        return Err(LoadError::Status {
            url,
            status: resp.status(),
        });
    }
    Ok(resp)
}

async fn fetch_text(path: &str) -> Result<String, LoadError> {
    let resp = fetch(path).await?;
    resp.text().await.map_err(|e| LoadError::Network {
        url: resp.url(),
        message: e.to_string(),
    })
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, LoadError> {
    let resp = fetch(path).await?;
    resp.binary().await.map_err(|e| LoadError::Network {
        url: resp.url(),
        message: e.to_string(),
    })
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

/// Loads and checks `manifest.json`, then opens the index from its dictionaries.
pub async fn load_corpus() -> Result<CorpusHandle, LoadError> {
    let text = fetch_text(MANIFEST_FILE).await?;
    let manifest = Manifest::from_json(&text)?;
    let info = manifest.index.clone().ok_or(LoadError::NoIndex)?;
    let meta = fetch_bytes(&info.meta).await?;
    let dict = fetch_bytes(&info.dict).await?;
    let index = Index::open(&meta, dict)?;
    let corpus = Corpus {
        manifest,
        index: RefCell::new(index),
        transcripts: RefCell::new(HashMap::new()),
        packs: RefCell::new(Vec::new()),
    };
    Ok(CorpusHandle(SendWrapper::new(Rc::new(corpus))))
}
