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
    leptos::mount::mount_to_body(app::App);
}
