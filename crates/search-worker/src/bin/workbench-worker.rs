//! The workbench worker: answers every request, the workbench's jobs and the quote
//! finder included (the library's `serve::handle_all`). The page starts it on the first
//! job or quote check, through `search-worker-loader.js#workbench`.
//!
//! Where no worker can start (an old browser, a policy), the page loads this wasm on its
//! own thread through the same loader script and calls [`start_in_page`]: the page then
//! carries no copy of the engine, and both paths speak the same messages.
#![forbid(unsafe_code)]

fn main() {
    #[cfg(target_arch = "wasm32")]
    stenogram_search_worker::serve::start(stenogram_search_worker::serve::handle_all);
}

/// The page's fallback: see `serve::start_in_page`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn start_in_page(reply: js_sys::Function) -> js_sys::Function {
    stenogram_search_worker::serve::start_in_page(reply, stenogram_search_worker::serve::handle_all)
}
