//! The search worker: opens the bundle and answers searches, snippets, transcripts and
//! their highlights (the library's `serve::handle_search`). Built by Trunk from
//! `index.html` (`data-type="worker"`) and started with the page through
//! `search-worker-loader.js`. The workbench's jobs and the quote finder run in the
//! `workbench-worker` binary, started when first needed, so a first visit does not
//! download them.
#![forbid(unsafe_code)]

fn main() {
    #[cfg(target_arch = "wasm32")]
    stenogram_search_worker::serve::start(stenogram_search_worker::serve::handle_search);
}
