//! Stenogram's web app: a Leptos (client-side rendered) shell around `stenogram-core`.
//! It renders and wires signals; parsing, search and ranking live in the core crate.
// `deny`, not `forbid`: the split points' macro (src/split.rs) declares an import and
// export pair, allowed there alone.
#![deny(unsafe_code)]

mod app;
mod components;
mod data;
mod pages;
mod router;
mod split;
mod state;

fn main() {
    // Panics become readable console errors (the e2e suite fails on any).
    console_error_panic_hook::set_once();
    // Mounted a task after the wasm is instantiated, not in the same one: compiling the
    // module's code and building the first view are each a task a phone can take in
    // about 50 ms, together a long task that blocks the page (Total Blocking Time).
    // wasm-bindgen's own spawner: Leptos's executor is set up by the mount.
    wasm_bindgen_futures::spawn_local(async {
        components::frames::yield_to_browser().await;
        leptos::mount::mount_to_body(app::App);
    });
}
