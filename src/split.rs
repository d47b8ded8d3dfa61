//! The page's code that a first visit does not need: the reading view, the quote
//! checker, the workbench's views and the filters' panel (folded on a phone). Each is a
//! *split point*: a function that the release build (`cargo xtask dist`, feature
//! `split`) cuts out of the page's wasm into a module of its own, which the browser
//! fetches the first time it is called (wasm-split; see the README's design choice "The
//! page's code comes in parts").
//!
//! Without the feature (tests, `cargo xtask serve`) the same functions are plain
//! async functions over code in the one wasm file, so callers are written once.

use std::future::Future;
use std::sync::Arc;

use leptos::prelude::*;

use stenogram_core::search::Facets;

use crate::data::{Document, LoadError};
use crate::router::Route;
use crate::state::{SearchState, View};

/// A split module could not be fetched: offline before the app was saved, or a
/// deployment replaced the files under an open page.
#[derive(Debug, Clone, thiserror::Error)]
#[error("this part of Stenogram could not be downloaded; check the connection and reload the page")]
pub struct CodeMissing;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for CodeMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        CodeMissing
    }
}

/// Shows the view `view` yields once its part's code is at hand: at once when it already
/// is, "Loading…" meanwhile otherwise, and the error view if it cannot be fetched.
///
/// Not a `<Suspense>`: the views inside read resources of their own, and a Suspense
/// around them would take those as its own and build its children again when they
/// change (bug: a workbench view was thrown away under its running job, and the job's
/// answer then touched disposed signals and aborted the app). The view is built under
/// the caller's owner, untracked, as a component is.
pub fn lazy(view: impl Future<Output = Result<AnyView, CodeMissing>> + 'static) -> impl IntoView {
    crate::components::frames::when_ready(
        async move {
            view.await
                .unwrap_or_else(|e| view! { <CodeError e/> }.into_any())
        },
        || view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
    )
}

#[component]
fn CodeError(e: CodeMissing) -> impl IntoView {
    view! {
        <section class="error-view" role="alert">
            <h1>"This page could not be opened"</h1>
            <p>{e.to_string()}</p>
            <p><button type="button" on:click=|_| { let _ = window().location().reload(); }>"Reload"</button></p>
        </section>
    }
}

/// Starts fetching a part's module now: a pointer or the keyboard is on what opens it.
/// A failure is left for the call itself to show.
pub fn prefetch<E: 'static>(preload: impl std::future::Future<Output = Result<(), E>> + 'static) {
    leptos::task::spawn_local(async move {
        let _ = preload.await;
    });
}

/// Starts fetching the part the page opened at shows, if any: a cold start at a reading,
/// quote or workbench URL needs it, and it should come beside the search worker's start
/// rather than after the corpus has opened (when the route renders). A task after the
/// mount's, which is the start's longest: the part is not needed before the worker's
/// first answer.
pub fn prefetch_for_location() {
    leptos::task::spawn_local(async {
        gloo_timers::future::TimeoutFuture::new(0).await;
        prefetch_now();
    });
}

fn prefetch_now() {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    // The view as the page will read it: the search state's own reading of the URL.
    let view = web_sys::UrlSearchParams::new_with_str(&location.search().unwrap_or_default())
        .map(|params| {
            SearchState::from_lookup(|k| {
                params
                    .get_all(k)
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect()
            })
            .bench
            .view
        })
        .unwrap_or_default();
    match part_at(path.strip_prefix(crate::app::base()).unwrap_or(&path), view) {
        Some(Part::Reader) => prefetch(preload_reader()),
        Some(Part::Quote) => prefetch(preload_quote()),
        Some(Part::Bench) => prefetch(preload_bench()),
        // Beside the results where the screen is wide enough; folded on a phone, where
        // the reader may never open it.
        Some(Part::Facets) if crate::pages::home::sidebar_shown() => prefetch(preload_facets()),
        Some(Part::Facets) | None => {}
    }
}

#[derive(Debug, PartialEq)]
enum Part {
    Reader,
    Quote,
    Bench,
    /// The results, beside which the filters' panel shows.
    Facets,
}

/// The part the app's page at `path` (under the site's prefix) shows, with the search
/// state's `view`: the router's reading of the path (the id, undecoded, is not needed).
fn part_at(path: &str, view: View) -> Option<Part> {
    match Route::of_with(path, |_| None) {
        Route::Reader(_) => Some(Part::Reader),
        Route::Quote => Some(Part::Quote),
        Route::Home => Some(match view {
            View::Results => Part::Facets,
            _ => Part::Bench,
        }),
        Route::NotFound => None,
    }
}

/// Declares split points: `module / preload: fn name(args) -> T { body }` becomes an
/// `async fn name(args) -> Result<T, CodeMissing>` and an `async fn preload()` that
/// starts the module's download without calling anything.
macro_rules! split_points {
    ($( $module:ident / $preload:ident : fn $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty $body:block )*) => {$(
        #[cfg(feature = "split")]
        #[allow(unsafe_code)] // the import and export pair the macro declares
        #[leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            preload($preload),
            fallible
        )]
        pub fn $name($($arg: $ty),*) -> Result<$ret, CodeMissing> {
            Ok($body)
        }

        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> Result<$ret, CodeMissing> {
            Ok($body)
        }

        /// Starts fetching the module without calling into it (a no-op when unsplit).
        #[cfg(not(feature = "split"))]
        pub async fn $preload() -> Result<(), CodeMissing> {
            Ok(())
        }
    )*};
}

split_points! {
    reader / preload_reader: fn transcript_view(d: Document) -> Result<AnyView, LoadError> {
        let doc = d.doc;
        d.transcript()
            .map(|t| view! { <crate::pages::reader::TranscriptView t=Arc::new(t) doc/> }.into_any())
    }
    quote / preload_quote: fn quote_check() -> AnyView {
        view! { <crate::pages::quote::QuoteCheck/> }.into_any()
    }
    facets / preload_facets: fn facet_panel(state: Memo<SearchState>, facets: Facets) -> AnyView {
        view! { <crate::pages::home::FacetPanel state facets/> }.into_any()
    }
    bench / preload_bench: fn workbench_view(state: Memo<SearchState>, view: View) -> AnyView {
        view! { <crate::pages::workbench::WorkbenchView state view/> }.into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_the_part_its_page_shows() {
        assert_eq!(part_at("/t/56351", View::Results), Some(Part::Reader));
        assert_eq!(part_at("/quote", View::Results), Some(Part::Quote));
        assert_eq!(part_at("/quote/", View::Results), Some(Part::Quote));
        assert_eq!(part_at("/", View::Kwic), Some(Part::Bench));
        assert_eq!(part_at("", View::Trend), Some(Part::Bench));
        assert_eq!(part_at("/", View::Results), Some(Part::Facets));
        assert_eq!(part_at("/nowhere", View::Kwic), None);
        // As the router reads them: home by its file name, no reading view without an id.
        assert_eq!(part_at("/index.html", View::Results), Some(Part::Facets));
        assert_eq!(part_at("/t/", View::Results), None);
        assert_eq!(part_at("/t/a/b", View::Results), None);
    }
}
