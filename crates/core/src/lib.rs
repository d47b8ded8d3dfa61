//! Stenogram's pure core.
//!
//! Everything that decides what a transcript *is* and what a search *finds* lives
//! here, free of I/O and of browser APIs, so that the command line, the benches and
//! the WebAssembly app all run the very same code:
//!
//! - [`model`]: the schema-1 transcript JSON;
//! - [`ingest`]: raw transcripts (plain text, HTML, JSON lines) into the model;
//! - [`bundle`]: the versioned static bundle the app loads (manifest, transcripts, index);
//! - [`cite`]: citations (APA, MLA, Chicago, BibTeX, RIS, CSL-JSON), text-fragment links, meta tags;
//! - [`preview`]: a reading URL's first screen as static HTML, written by the build;
//! - [`quote`]: the quote finder (a quote's source passages, verdicts and diffs);
//! - [`url`]: percent-encoding of query values and path segments;
//! - [`search`]: text analysis, the index, the query language, ranking, facets, snippets;
//! - [`workbench`]: concordance, trends, collocates, keyness and dispersion over a search.
#![forbid(unsafe_code)]

pub mod bundle;
pub mod cite;
pub mod ingest;
pub mod model;
pub mod preview;
pub mod quote;
pub mod search;
pub mod site;
pub mod url;
pub mod workbench;

pub use model::{Transcript, SCHEMA_VERSION};
