//! Exact full-text search: text analysis, the index format, the query language, the
//! engine (boolean matching, BM25 ranking, facets) and snippets.
//!
//! Layers, each importing only those above it:
//!
//! - [`analysis`], [`lev`], [`facet`], [`docset`]: words, typos, the facet list, sets;
//! - `codec` (varints), [`layout`] (versions, magic bytes, part paths, pair keys),
//!   `postings` (the postings format's one writer and reader), `meta` (`meta.bin`);
//! - [`query`]: the query language; [`snippet`]: highlights and snippets;
//! - `build`: transcripts into index files; `engine`: searching them.
//!
//! The same code runs natively (CLI, tests, benches) and in wasm (the app). Typical use:
//!
//! ```
//! use stenogram_core::model::Transcript;
//! use stenogram_core::search::{build_index, parse, BuildOptions, Index, SearchOptions};
//!
//! let mut t = Transcript::new("a", "On Syria");
//! t.summary = vec!["Talks about Syria’s future.".into()];
//! let files = build_index(&[t.clone()], BuildOptions::default());
//! let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
//! let q = parse("syria").unwrap();
//! // Load what the query needs (a browser fetches these files), until nothing is missing.
//! loop {
//!     let parts = ix.plan(&q).unwrap();
//!     if parts.is_empty() { break; }
//!     for p in parts { ix.add_part(p, files.part(p).to_vec()).unwrap(); }
//! }
//! let res = ix.search(&q, &SearchOptions::default()).unwrap();
//! assert_eq!(res.total, 1);
//! let snippets = ix.matcher(&q).unwrap().snippets(&t, 3);
//! assert_eq!(snippets[0].highlights, vec![(12, 19)]);
//! ```

pub mod analysis;
mod build;
mod codec;
pub mod docset;
mod engine;
pub mod facet;
mod fold;
mod fstcheck;
mod heapsort;
mod keyshard;
pub mod layout;
pub mod lev;
pub(crate) mod meta;
mod postings;
pub mod query;
pub mod snippet;
pub mod squeeze;

pub use build::{
    build_index, AnalyzedDoc, BuildOptions, DocAnalyzer, IndexBuilder, IndexFiles, PairStats,
};
pub use engine::{
    FacetCount, FacetList, Facets, Filters, Hit, Index, SearchOptions, SearchResults, Sort,
    LAZY_FACETS, MAX_PREFIX_TERMS, MAX_QUERY_TERMS, MAX_TYPO_TERMS,
};
pub use facet::{Facet, FacetMap};
pub use layout::{PartId, INDEX_FORMAT};
pub use query::{parse, ParseError, Query};
pub use snippet::{highlight, Matcher, Snippet, TextPattern};

/// Why index files could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum IndexError {
    #[error("{what} is not a Stenogram index file")]
    NotAnIndex { what: String },
    #[error("the index has format {found}, but this version of Stenogram reads {expected}; rebuild the bundle with the matching `stenogram build`")]
    Version { found: u32, expected: u32 },
    #[error("{what} is damaged (at byte {offset})")]
    Corrupt { what: String, offset: usize },
    #[error("the index has no part {0:?}")]
    UnknownPart(PartId),
}

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum SearchError {
    #[error("index part {} is not loaded", .0.path())]
    MissingPart(PartId),
    #[error("{word} matches more than {limit} indexed words; make it more specific")]
    TooBroad { word: String, limit: usize },
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl Index {
    /// Opens an index and adds every part, fetching files by their path under the
    /// bundle root (`index/meta.bin`, ...): for the CLI and small corpora.
    pub fn load_all<E>(
        mut fetch: impl FnMut(&str) -> Result<Vec<u8>, E>,
    ) -> Result<Index, LoadError<E>> {
        let meta = fetch(layout::META_PATH).map_err(LoadError::Fetch)?;
        let dict = fetch(layout::DICT_PATH).map_err(LoadError::Fetch)?;
        let mut ix = Index::open(&meta, dict).map_err(LoadError::Index)?;
        for p in ix.parts() {
            let b = fetch(&p.path()).map_err(LoadError::Fetch)?;
            ix.add_part(p, b).map_err(LoadError::Index)?;
        }
        Ok(ix)
    }
}

/// Why [`Index::load_all`] failed: fetching a file, or the file itself.
#[derive(Debug)]
pub enum LoadError<E> {
    Fetch(E),
    Index(IndexError),
}

impl<E: std::fmt::Display> std::fmt::Display for LoadError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Fetch(e) => e.fmt(f),
            LoadError::Index(e) => e.fmt(f),
        }
    }
}

impl<E: std::fmt::Debug + std::fmt::Display> std::error::Error for LoadError<E> {}
