//! The worker's transcripts: the one owner of the bundle's packs on the browser side.
//!
//! Snippets, the reading view, the quote finder and the workbench's jobs all read
//! transcripts from their packs (`docs/<hash>/NNNNN.json`, one transcript each by
//! default). A document's pack follows from its number ([`PackIndex`]; with packs of
//! several transcripts, once their small table is fetched), so no row shard is fetched
//! first. A pack is fetched once however many of them ask for it while it is on its way
//! (the fetch is shared), and the latest [`PACK_CACHE`] packs stay in memory. The page
//! holds no pack: it receives one transcript's JSON text, with [`Engine::transcript_json`].

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};

use stenogram_core::bundle::{self, PackIndex};
use stenogram_core::model::Transcript;

use crate::{Engine, LoadError, SearchFailure};

/// Packs kept in memory: a page of hits mostly shares a few; a job walks many.
const PACK_CACHE: usize = 64;

/// A pack's text, fetched once however many callers ask for it while it is on its way.
type PackFetch = Shared<LocalBoxFuture<'static, Result<Rc<String>, LoadError>>>;

/// Recently asked-for packs (path, fetch), oldest first; where each document is.
#[derive(Default)]
pub struct Packs {
    list: RefCell<Vec<(String, PackFetch)>>,
    /// Made from the manifest's rows on first use.
    index: RefCell<Option<PackIndex>>,
}

impl Packs {
    /// Packs whose text is already at hand, found with `index` (tests, and natively run
    /// jobs).
    pub fn preloaded(index: PackIndex, packs: Vec<(String, Rc<String>)>) -> Packs {
        let list = packs
            .into_iter()
            .map(|(path, text)| {
                let ready: LocalBoxFuture<'static, _> =
                    Box::pin(futures_util::future::ready(Ok(text)));
                (path, ready.shared())
            })
            .collect();
        Packs {
            list: RefCell::new(list),
            index: RefCell::new(Some(index)),
        }
    }
}

impl Engine {
    /// The text of pack `file`, and its URL when this call started its fetch (so that
    /// the page can ask the service worker to keep it). A failed fetch leaves the cache,
    /// so that a retry asks the network again.
    pub(crate) async fn pack(&self, file: &str) -> Result<(Rc<String>, Option<String>), LoadError> {
        let (fetch, url) = self.pack_fetch(file);
        match fetch.await {
            Ok(text) => Ok((text, url)),
            Err(e) => {
                self.packs.list.borrow_mut().retain(|(f, _)| f != file);
                Err(e)
            }
        }
    }

    /// The fetch of pack `file`: the one on its way (or done), else a new one, with its
    /// URL.
    fn pack_fetch(&self, file: &str) -> (PackFetch, Option<String>) {
        let cached = self
            .packs
            .list
            .borrow()
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, p)| p.clone());
        if let Some(f) = cached {
            return (f, None);
        }
        let url = format!("{}{file}", self.base);
        let fetch: LocalBoxFuture<'static, _> = Box::pin({
            let url = url.clone();
            async move {
                let bytes = crate::fetch_bytes(&url).await?;
                Ok(Rc::new(String::from_utf8(bytes).unwrap_or_else(|e| {
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                })))
            }
        });
        let fetch = fetch.shared();
        let mut list = self.packs.list.borrow_mut();
        if list.len() >= PACK_CACHE {
            // The oldest goes; a caller still waiting on it holds its own clone.
            drop(list.remove(0));
        }
        list.push((file.to_string(), fetch.clone()));
        (fetch, Some(url))
    }

    /// Starts fetching the packs of `docs` that are neither here nor on their way, and
    /// does not wait for them (only for the pack table, where packs hold several
    /// transcripts and it is not here yet): the page asks for these documents' snippets
    /// next, and those requests take the fetches (a results page on slow 4G then waits
    /// one round trip less). Returns the URLs started.
    pub(crate) async fn start_packs(&self, docs: &[u32]) -> Vec<String> {
        if let Some(&doc) = docs.first() {
            if self.locate(doc).await.is_err() {
                return Vec::new();
            }
        }
        let mut started = Vec::new();
        for &doc in docs {
            let Some((file, _)) = self.locate_loaded(doc) else {
                continue;
            };
            if let (fetch, Some(url)) = self.pack_fetch(&file) {
                // The first poll sends the request; whoever asks for the pack awaits the
                // rest (the fetch is shared, and kept in the cache's list).
                let _ = fetch.now_or_never();
                started.push(url);
            }
        }
        started
    }

    /// [`Engine::locate`] where it needs no fetch: `None` while the pack table is missing.
    fn locate_loaded(&self, doc: u32) -> Option<(String, u32)> {
        let mut index = self.packs.index.borrow_mut();
        let index = index.get_or_insert_with(|| PackIndex::new(&self.rows_info));
        if index.missing().is_some() {
            return None;
        }
        index.locate(doc)
    }

    /// The pack path and slot of document `doc`, from its number (fetching the pack
    /// table first when packs hold several transcripts and it is not loaded).
    pub(crate) async fn locate(&self, doc: u32) -> Result<(String, u32), LoadError> {
        let table = {
            let mut index = self.packs.index.borrow_mut();
            let index = index.get_or_insert_with(|| PackIndex::new(&self.rows_info));
            index.missing().map(str::to_string)
        };
        if let Some(path) = table {
            let bytes = crate::fetch_bytes(&format!("{}{path}", self.base)).await?;
            if let Some(index) = self.packs.index.borrow_mut().as_mut() {
                if index.missing().is_some() {
                    index.add(&bytes)?;
                }
            }
        }
        self.packs
            .index
            .borrow()
            .as_ref()
            .and_then(|ix| ix.locate(doc))
            .ok_or_else(|| LoadError::UnknownId(format!("#{doc}")))
    }

    /// The transcript of document `doc`.
    pub(crate) async fn transcript(
        &self,
        doc: u32,
        fetched: &mut Vec<String>,
    ) -> Result<Transcript, SearchFailure> {
        let (file, slot) = self.locate(doc).await?;
        let (text, url) = self.pack(&file).await?;
        fetched.extend(url);
        Ok(bundle::transcript_from_pack(&file, &text, slot).map_err(LoadError::from)?)
    }

    /// The transcript of document `doc`, parsed, and its JSON text as stored, for the
    /// page (which parses it again: messages are text).
    pub(crate) async fn transcript_json(
        &self,
        doc: u32,
        fetched: &mut Vec<String>,
    ) -> Result<(String, Transcript), SearchFailure> {
        let (file, slot) = self.locate(doc).await?;
        let (text, url) = self.pack(&file).await?;
        fetched.extend(url);
        let json = bundle::pack_entry(&file, &text, slot).map_err(LoadError::from)?;
        let what = format!("{file} (slot {slot})");
        let t = bundle::transcript_from_json(&what, json).map_err(LoadError::from)?;
        Ok((json.to_string(), t))
    }
}
