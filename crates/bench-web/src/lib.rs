//! The search engine exposed to JavaScript, for the in-browser benchmark page
//! (`bench/`, run by `cargo xtask bench`).
//!
//! The page opens an [`Engine`] from `meta.bin` and the stem dictionary, asks it which
//! parts a query needs ([`Engine::plan`], asked again until empty), fetches them, adds
//! them ([`Engine::add_planned`]) and times [`Engine::search`]. Every call does what the app
//! does: parse the query, run it with exact totals and facets (50 values listed per
//! facet). Snippets and the best paragraph come from a hit's transcript text, as in the
//! app: not timed here.
//! [`Engine::search_json`] runs the same search and returns the whole result as JSON, for
//! the Web Worker measurement (the worker posts it back to the page).
//!
//! Every call into the engine goes through `Engine::new`, `plan`, `plan_all`, `add_planned`
//! and the private `run`, so a change to the engine's API is an edit in one place.

use stenogram_core::search::{parse, Index, PartId, SearchOptions, SearchResults};
use wasm_bindgen::prelude::*;

/// A loaded index plus the parts named by the last plan.
#[wasm_bindgen]
pub struct Engine {
    ix: Index,
    planned: Vec<PartId>,
    words: String,
    post: Vec<String>,
    pos: Vec<String>,
}

fn js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// As the app asks (`src/state.rs`): 10 hits, exact total and counts, facet lists cut
/// to the 50 most frequent values.
fn options(facets: bool) -> SearchOptions {
    SearchOptions {
        facets,
        facet_limit: Some(50),
        ..SearchOptions::default()
    }
}

#[wasm_bindgen]
impl Engine {
    /// Opens the index from the bytes of `meta.bin` and `dict.fst`; `words`, `post` and
    /// `pos` are the manifest's `index.words`, `index.post` and `index.pos` (the paths of
    /// the parts a plan may name).
    #[wasm_bindgen(constructor)]
    pub fn new(
        meta: &[u8],
        dict: Vec<u8>,
        words: String,
        post: Vec<String>,
        pos: Vec<String>,
    ) -> Result<Engine, JsError> {
        Ok(Engine {
            ix: Index::open(meta, dict).map_err(js)?,
            planned: Vec::new(),
            words,
            post,
            pos,
        })
    }

    fn path(&self, p: PartId) -> String {
        match p {
            PartId::Words => Some(&self.words),
            PartId::Post(n) => self.post.get(n as usize),
            PartId::Pos(n) => self.pos.get(n as usize),
        }
        .cloned()
        .unwrap_or_default()
    }

    /// Paths (under the bundle root) of the parts `query` needs that are not loaded yet;
    /// add their bytes with [`Engine::add_planned`] in the same order.
    pub fn plan(&mut self, query: &str) -> Result<Vec<String>, JsError> {
        let q = parse(query).map_err(|e| js(e.message))?;
        self.planned = self.ix.plan(&q).map_err(js)?;
        Ok(self.planned.iter().map(|p| self.path(*p)).collect())
    }

    /// Paths of every part not loaded yet (to load the whole index).
    pub fn plan_all(&mut self) -> Vec<String> {
        self.planned = self.ix.parts();
        self.planned.iter().map(|p| self.path(*p)).collect()
    }

    /// Adds the bytes of the `i`th part of the last plan.
    pub fn add_planned(&mut self, i: usize, bytes: Vec<u8>) -> Result<(), JsError> {
        let p = *self
            .planned
            .get(i)
            .ok_or_else(|| JsError::new("no such planned part"))?;
        self.ix.add_part(p, bytes).map_err(js)
    }

    /// The one search call: parses `query` and runs it (10 hits, exact total, facets when
    /// asked).
    fn run(&self, query: &str, facets: bool) -> Result<SearchResults, JsError> {
        let q = parse(query).map_err(|e| js(e.message))?;
        self.ix.search(&q, &options(facets)).map_err(js)
    }

    /// Runs `query` (see `run`); returns `[total, facet values counted, hits, first hit's
    /// document or u32::MAX]`.
    pub fn search(&self, query: &str, facets: bool) -> Result<Vec<u32>, JsError> {
        let r = self.run(query, facets)?;
        let values: usize = r.facets.iter().iter().map(|(_, v)| v.len()).sum();
        let top = r.hits.first().map_or(u32::MAX, |h| h.doc);
        Ok(vec![
            r.total as u32,
            values as u32,
            r.hits.len() as u32,
            top,
        ])
    }

    /// Runs `query` (see `run`) and returns the whole result as JSON: `{total, hits: [{doc,
    /// id, date, speakers, score}], facets: {name: [[value, count]]}}`, what the app's
    /// worker would post back to the page.
    pub fn search_json(&self, query: &str, facets: bool) -> Result<String, JsError> {
        let r = self.run(query, facets)?;
        let hits: Vec<serde_json::Value> = r
            .hits
            .iter()
            .map(|h| {
                serde_json::json!({
                    "doc": h.doc, "id": h.id, "date": h.date, "speakers": h.speakers,
                    "score": h.score,
                })
            })
            .collect();
        let facets: serde_json::Map<String, serde_json::Value> = r
            .facets
            .iter()
            .iter()
            .map(|(name, v)| {
                let pairs: Vec<(&str, u32)> =
                    v.iter().map(|f| (f.value.as_str(), f.count)).collect();
                (name.to_string(), serde_json::json!(pairs))
            })
            .collect();
        Ok(serde_json::json!({ "total": r.total, "hits": hits, "facets": facets }).to_string())
    }

    /// The paragraph count of the transcript at `slot` of a pack (to time opening one).
    pub fn open_transcript(pack: &str, slot: u32) -> Result<usize, JsError> {
        Ok(
            stenogram_core::bundle::transcript_from_pack("pack", pack, slot)
                .map_err(js)?
                .paragraph_count(),
        )
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        self.ix.doc_count()
    }
}
