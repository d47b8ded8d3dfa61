//! The app's frame: loading the corpus, routing, the header and footer, and the
//! error view shown when the corpus cannot be used.

use std::sync::OnceLock;

use leptos::prelude::*;

use crate::components::frames::after_a_turn;
use crate::components::latest::Latest;
use crate::data::{self, CorpusHandle, LoadError};
use crate::pages::home::{EarlyQuery, EarlySearchBox, Home};
use crate::pages::reader::Reader;
use crate::router::{Nav, Route, Router, Routes};
use crate::split::{prefetch, preload_quote};

/// The path prefix the site is served under (`/stenogram` on GitHub Pages, empty at
/// the root), read from the `<base href>` that Trunk's `--public-url` writes.
fn base_path() -> String {
    let base = document().base_uri().ok().flatten().unwrap_or_default();
    let path = match base.find("://") {
        Some(i) => base[i + 3..]
            .find('/')
            .map(|j| &base[i + 3 + j..])
            .unwrap_or("/"),
        None => "/",
    };
    path.trim_end_matches('/').to_string()
}

/// The site's path prefix, computed once.
pub fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(base_path)
}

/// An in-app link target: `path` (starting with `/`) under the site's prefix.
///
/// Links carry the prefix themselves; the router ([`crate::router`]) takes over a click
/// on one and navigates client-side.
pub fn href(path: &str) -> String {
    format!("{}{path}", base())
}

/// An in-app link to transcript `id`'s reading view, `rest` (a query string, a fragment)
/// after its path ([`stenogram_core::site::reading_path`]).
pub fn reading_href(id: &str, rest: &str) -> String {
    href(&format!("{}{rest}", stenogram_core::site::reading_path(id)))
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    crate::split::prefetch_for_location();
    let router = Router::install();
    // The build's page of a reading URL stays until the reading view shows
    // the text (src/pages/reader), and goes when the reader goes elsewhere first.
    let route = router.route();
    Effect::new(move |_| route.with(crate::components::preview::keep_for));
    provide_context(EarlyQuery::new());
    provide_context(crate::components::offline::SwStatus::subscribe());
    let corpus = Latest::new(data::load_corpus);
    // Home's search box while the corpus loads, so that a reader types at once.
    let loading = move || match router.current() {
        Route::Home => view! { <EarlySearchBox/> }.into_any(),
        _ => view! { <p class="loading" role="status">"Loading the corpus…"</p> }.into_any(),
    };
    let content = move || match corpus.get() {
        None => loading(),
        Some(Ok(corpus)) => {
            provide_context(corpus);
            view! { <AppRoutes/> }.into_any()
        }
        Some(Err(e)) => view! { <CorpusError e/> }.into_any(),
    };
    view! {
            {after_a_turn(|| view! { <GlobalKeys/> }.into_any())}
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <a href=href("/") class="brand">"Stenogram"</a>
                <span class="tagline">"Official transcripts, read and searched in your browser"</span>
                <a href=href("/quote") class="nav-quote"
                    on:pointerenter=|_| prefetch(preload_quote())
                    on:focus=|_| prefetch(preload_quote())>"Check a quote"</a>
                <crate::components::prefs::Preferences/>
            </header>
            {after_a_turn(|| view! { <crate::components::offline::OfflineNotices/> }.into_any())}
            // The page's content a task after the frame around it: the mount, with each
            // function it calls compiled on first use, was one task of 90–100 ms at a
            // phone's speed (4× CPU, CDP trace), the main Total Blocking Time of home and
            // a results URL; split, it is 50–70 ms and the content's task under 15.
            // Nothing is above the content in `main` to move when it comes.
            <main id="main" tabindex="-1">
                {crate::components::frames::in_a_later_task(move || content.into_any())}
            </main>
            {after_a_turn(move || view! { <Footer corpus/> }.into_any())}
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes
            home=|| view! { <Home/> }.into_any()
            reader=|| view! { <Reader/> }.into_any()
            quote=|| crate::split::lazy(crate::split::quote_check()).into_any()
            not_found=|| view! { <NotFound/> }.into_any()
        />
    }
}

/// Keyboard shortcuts that work on every page: `/` focuses the search box.
#[component]
fn GlobalKeys() -> impl IntoView {
    let router = Router::get();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing_in_field() {
            return;
        }
        ev.prevent_default();
        if !focus_search_box() {
            router.navigate(&href("/"), Nav::default());
            request_animation_frame(|| {
                focus_search_box();
            });
        }
    });
    on_cleanup(move || handle.remove());
}

/// Whether the keyboard focus is in a text field (where `/` and `n` are just letters).
pub fn typing_in_field() -> bool {
    document().active_element().is_some_and(|el| {
        let tag = el.tag_name();
        tag == "INPUT"
            || tag == "TEXTAREA"
            || tag == "SELECT"
            || el.has_attribute("contenteditable")
    })
}

/// Focuses the search box if the page has one.
fn focus_search_box() -> bool {
    use wasm_bindgen::JsCast;
    match document()
        .get_element_by_id("q")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(input) => input.focus().is_ok(),
        None => false,
    }
}

#[component]
fn CorpusError(e: LoadError) -> impl IntoView {
    crate::components::preview::leave();
    view! {
        <section class="error-view" role="alert">
            <h1>"The corpus could not be loaded"</h1>
            <ul>
                <li>{e.to_string()}</li>
            </ul>
            <p><button type="button" on:click=|_| { let _ = window().location().reload(); }>"Reload"</button></p>
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="error-view" role="alert">
            <h1>"Page not found"</h1>
            <p><a href=href("/")>"Back to all transcripts"</a></p>
        </section>
    }
}

/// The offline panel, credits of the loaded corpus (its transcripts' attributions) and a
/// word on privacy.
#[component]
fn Footer(corpus: Latest<Result<CorpusHandle, LoadError>>) -> impl IntoView {
    let credits = move || {
        corpus.with(|c| {
            c.and_then(|c| c.as_ref().ok()).map(|c| {
                c.summary
                    .corpus
                    .attributions
                    .iter()
                    .map(|a| view! { <p class="credit">"Transcripts: " {a.clone()} "."</p> })
                    .collect_view()
            })
        })
    };
    view! {
        <footer class="site-footer">
            <crate::components::offline::OfflinePanel/>
            {credits}
            <p>"Stenogram runs entirely in your browser; nothing you search leaves it."</p>
        </footer>
    }
}
