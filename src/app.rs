//! The app's frame: loading the corpus, routing, the header and footer, and the
//! error view shown when the corpus cannot be used.

use std::sync::{Arc, OnceLock};

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::data::{self, Corpus, LoadError};
use crate::pages::{home::Home, reader::Reader};

/// The credit every view of the bundled sample must carry.
pub const SAMPLE_CREDIT: &str = "President of Russia website (en.kremlin.ru), CC BY 4.0";

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
/// leptos_router's `<A>` leaves absolute paths alone, so links must carry the prefix
/// themselves; the router still intercepts the click and navigates client-side.
pub fn href(path: &str) -> String {
    format!("{}{path}", base())
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    let corpus = LocalResource::new(data::load_corpus);
    view! {
        <Router base=base()>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <a href=href("/") class="brand">"Stenogram"</a>
                <span class="tagline">"Official transcripts, read and searched in your browser"</span>
                <crate::components::prefs::Preferences/>
            </header>
            <crate::components::offline::OfflineStatus/>
            <main id="main" tabindex="-1">
                <Transition fallback=|| view! { <p class="loading" role="status">"Loading the corpus…"</p> }>
                    <ErrorBoundary fallback=|errors| view! { <CorpusError errors/> }>
                        {move || Suspend::new(async move {
                            let corpus: Arc<Corpus> = corpus.await?;
                            Ok::<_, LoadError>(view! { <AppRoutes corpus/> })
                        })}
                    </ErrorBoundary>
                </Transition>
            </main>
            <Footer/>
        </Router>
    }
}

#[component]
fn AppRoutes(corpus: Arc<Corpus>) -> impl IntoView {
    let home = corpus.clone();
    view! {
        <Routes fallback=|| view! { <NotFound/> }>
            <Route path=path!("/") view=move || view! { <Home corpus=home.clone()/> }/>
            <Route path=path!("/t/:id") view=move || view! { <Reader corpus=corpus.clone()/> }/>
        </Routes>
    }
}

#[component]
fn CorpusError(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <section class="error-view" role="alert">
            <h1>"The corpus could not be loaded"</h1>
            <ul>
                {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
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

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Sample transcripts: " {SAMPLE_CREDIT} "."</p>
            <p>"Stenogram runs entirely in your browser; nothing you search leaves it."</p>
        </footer>
    }
}
