//! The search engine exposed to JavaScript, for the in-browser benchmark page
//! (`bench/`, run by `cargo xtask bench`).
//!
//! The page opens an [`Engine`] from `meta.bin`, the stem dictionary and the manifest's
//! `index` entry (which names every part's file: [`IndexInfo::part_path`]), asks it which
//! parts a query needs ([`Engine::plan`], asked again until empty), fetches them, adds
//! them ([`Engine::add_planned`]) and times [`Engine::search`]. Every call parses the query
//! and runs it as the app does (exact totals, every facet counted, 50 values listed per
//! facet), except that it asks for 10 hits where the app's first page has 20
//! (`src/state.rs`, `PAGE`): the hits' share of the time is small either way, and the
//! recorded figures since issue 4 are for 10. Snippets and the best paragraph come from a
//! hit's transcript text, as in the app: not timed here.
//! [`Engine::search_json`] runs the same search and returns the whole result as JSON
//! (the [`SearchResults`] serialisation that the app's search worker sends too).
//!
//! Every call into the engine goes through `Engine::new`, `plan`, `plan_all`, `add_planned`
//! and the private `run`, so a change to the engine's API is an edit in one place.
#![forbid(unsafe_code)]

use stenogram_core::bundle::IndexInfo;
use stenogram_core::search::{parse, Index, PartId, SearchOptions, SearchResults};
use wasm_bindgen::prelude::*;

/// A loaded index plus the parts named by the last plan.
#[wasm_bindgen]
pub struct Engine {
    ix: Index,
    planned: Vec<PartId>,
    info: IndexInfo,
}

fn js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// As the app asks (`src/state.rs`): exact total and counts, facet lists cut to the 50
/// most frequent values; but 10 hits, not the app's 20 (see the module docs).
fn options(facets: bool) -> SearchOptions {
    SearchOptions {
        facets,
        facet_limit: Some(50),
        ..SearchOptions::default()
    }
}

#[wasm_bindgen]
impl Engine {
    /// Opens the index from the bytes of `meta.bin` and `dict.fst`; `index` is the
    /// manifest's `index` entry as JSON (it names the files a plan may ask for).
    #[wasm_bindgen(constructor)]
    pub fn new(meta: &[u8], dict: Vec<u8>, index: &str) -> Result<Engine, JsError> {
        Ok(Engine {
            ix: Index::open(meta, dict).map_err(js)?,
            planned: Vec::new(),
            info: serde_json::from_str(index).map_err(js)?,
        })
    }

    fn path(&self, p: PartId) -> String {
        self.info.part_path(p).unwrap_or_default().to_string()
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
        let values: usize = r.facets.iter().map(|(_, l)| l.values.len()).sum();
        let top = r.hits.first().map_or(u32::MAX, |h| h.doc);
        Ok(vec![
            r.total as u32,
            values as u32,
            r.hits.len() as u32,
            top,
        ])
    }

    /// Runs `query` (see `run`) and returns the whole result as JSON: the serialised
    /// [`SearchResults`] (`{total, hits: [{doc, id, date, speakers, score}], facets:
    /// {name: {values: [{value, count}], distinct}}}`).
    pub fn search_json(&self, query: &str, facets: bool) -> Result<String, JsError> {
        serde_json::to_string(&self.run(query, facets)?).map_err(js)
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
