//! The app's router: the URL as signals, the three routes, and client-side navigation.
//!
//! The app has three pages (home, a transcript, the quote checker) and keeps its state
//! in the query string, so a router is a handful of signals kept in step with
//! `window.location`. leptos_router did this with nested routes, route matching and
//! its own history integration: about 20 KB of the page's gzipped wasm, which a first
//! visit pays before it shows anything (issue 13). This module is the part of it the
//! app uses.
//!
//! - [`Router::install`] reads the location, listens to `popstate` (back, forward, and
//!   the browser's own fragment jumps) and takes over clicks on links to the app's
//!   routes. Any other link (a file, another site, a new tab, a download, a modified
//!   click) is the browser's.
//! - [`Router::navigate`] pushes (or replaces) a history entry and updates the signals.
//! - [`Route`] is what the path names; [`Routes`] renders it, and builds a page again
//!   only when the route changes, not when its query does.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::app::base;

/// A route of the app: what the path after the site's prefix names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: search, results and the workbench.
    Home,
    /// `/t/<id>`: a transcript's reading view (the id percent-decoded).
    Reader(String),
    /// `/quote`: the quote checker.
    Quote,
    /// Any other path.
    NotFound,
}

impl Route {
    /// The route of `path`, the URL's path after the site's prefix.
    pub fn of(path: &str) -> Route {
        Route::of_with(path, |id| {
            js_sys::decode_uri_component(id).ok()?.as_string()
        })
    }

    /// [`Route::of`] with `decode` for a transcript id's percent-escapes (`None`: keep
    /// it as written, as for a malformed escape). Pure, so that code which needs only
    /// the kind of page (`crate::split`) reads paths as the router does, natively too.
    pub fn of_with(path: &str, decode: impl Fn(&str) -> Option<String>) -> Route {
        let p = path.strip_suffix('/').unwrap_or(path);
        match p {
            "" | "/index.html" => Route::Home,
            "/quote" => Route::Quote,
            _ => match stenogram_core::site::reading_id(p) {
                Some(id) => Route::Reader(decode(id).unwrap_or_else(|| id.to_string())),
                None => Route::NotFound,
            },
        }
    }
}

/// A query string's parameters, decoded, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses `search` (`?a=1&b=2`, or empty) as the browser does.
    fn parse(search: &str) -> Query {
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else {
            return Query::default();
        };
        let mut pairs = Vec::new();
        if let Ok(Some(entries)) = js_sys::try_iter(&params) {
            for entry in entries.flatten() {
                let entry: js_sys::Array = entry.unchecked_into();
                if let (Some(k), Some(v)) = (entry.get(0).as_string(), entry.get(1).as_string()) {
                    pairs.push((k, v));
                }
            }
        }
        Query(pairs)
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// Every value of `key`, in order.
    pub fn get_all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// How [`Router::navigate`] moves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nav {
    /// Replace the current history entry instead of adding one (typing in the search box).
    pub replace: bool,
    /// Leave the scroll position alone (the view changes in place) instead of going to
    /// the top of the new page.
    pub keep_scroll: bool,
}

/// The URL as signals: the path after the site's prefix, the query and the fragment
/// (with its `#`, or empty). Copy: a handle, captured by event handlers and timers.
#[derive(Clone, Copy)]
pub struct Router {
    path: RwSignal<String>,
    query: RwSignal<Query>,
    hash: RwSignal<String>,
}

impl Router {
    /// The router in context ([`Router::install`] puts it there).
    pub fn get() -> Router {
        expect_context()
    }

    /// Creates the router from the window's location, provides it as context and keeps
    /// it in step with history. Once, at the root.
    pub fn install() -> Router {
        let r = Router {
            path: RwSignal::new(String::new()),
            query: RwSignal::new(Query::default()),
            hash: RwSignal::new(String::new()),
        };
        r.sync();
        provide_context(r);
        let pop = window_event_listener(leptos::ev::popstate, move |_| r.sync());
        // A fragment jump fires `popstate` too; `hashchange` covers a browser that does not.
        let jump = window_event_listener(leptos::ev::hashchange, move |_| r.sync());
        let clicks = window_event_listener(leptos::ev::click, move |ev| r.on_click(&ev));
        on_cleanup(move || {
            pop.remove();
            jump.remove();
            clicks.remove();
        });
        r
    }

    /// A router over `path_and_query` that follows no history: for components mounted
    /// alone, in tests.
    #[cfg(all(test, target_arch = "wasm32"))]
    pub fn detached(path_and_query: &str) -> Router {
        let (path, search) = path_and_query
            .split_once('?')
            .map_or((path_and_query, ""), |(p, q)| (p, q));
        let r = Router {
            path: RwSignal::new(path.to_string()),
            query: RwSignal::new(Query::parse(search)),
            hash: RwSignal::new(String::new()),
        };
        provide_context(r);
        r
    }

    /// The route the path names now (not tracked).
    pub fn current(self) -> Route {
        self.path.with_untracked(|p| Route::of(p))
    }

    /// The route the path names, memoised: a page is built again only when it changes.
    pub fn route(self) -> Memo<Route> {
        Memo::new(move |_| self.path.with(|p| Route::of(p)))
    }

    /// The query parameters.
    pub fn query(self) -> Signal<Query> {
        self.query.into()
    }

    /// The fragment, with its `#` (empty when there is none).
    pub fn hash(self) -> Signal<String> {
        self.hash.into()
    }

    /// Goes to `url` (a path under the site's prefix, as [`crate::app::href`] makes),
    /// adding a history entry unless `nav.replace`.
    pub fn navigate(self, url: &str, nav: Nav) {
        let Ok(history) = window().history() else {
            let _ = window().location().set_href(url);
            return;
        };
        let moved = if nav.replace {
            history.replace_state_with_url(&JsValue::NULL, "", Some(url))
        } else {
            history.push_state_with_url(&JsValue::NULL, "", Some(url))
        };
        if moved.is_err() {
            // A URL history refuses (another origin): let the browser load it.
            let _ = window().location().set_href(url);
            return;
        }
        self.sync();
        if !nav.keep_scroll && self.hash.with_untracked(String::is_empty) {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Reads the window's location into the signals, each only where it changed.
    fn sync(self) {
        let loc = window().location();
        let pathname = loc.pathname().unwrap_or_default();
        let path = pathname
            .strip_prefix(base())
            .unwrap_or(&pathname)
            .to_string();
        let query = Query::parse(&loc.search().unwrap_or_default());
        let hash = loc.hash().unwrap_or_default();
        if self.path.with_untracked(|p| *p != path) {
            self.path.set(path);
        }
        if self.query.with_untracked(|q| *q != query) {
            self.query.set(query);
        }
        if self.hash.with_untracked(|h| *h != hash) {
            self.hash.set(hash);
        }
    }

    /// Navigates client-side for a plain click on a link to one of the app's routes.
    fn on_click(self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(a) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        if a.has_attribute("download")
            || !matches!(a.target().as_str(), "" | "_self")
            || a.rel().split_ascii_whitespace().any(|r| r == "external")
        {
            return;
        }
        let loc = window().location();
        if a.origin() != loc.origin().unwrap_or_default() {
            return;
        }
        let pathname = a.pathname();
        let Some(path) = pathname.strip_prefix(base()) else {
            return;
        };
        if Route::of(path) == Route::NotFound {
            return;
        }
        // A jump within the page is the browser's (it scrolls and sets `:target`);
        // `popstate` then brings the fragment into the signals.
        let search = a.search();
        if pathname == loc.pathname().unwrap_or_default()
            && search == loc.search().unwrap_or_default()
            && !a.hash().is_empty()
        {
            return;
        }
        ev.prevent_default();
        self.navigate(&format!("{pathname}{search}{}", a.hash()), Nav::default());
    }
}

/// The page of the current route. Each page is built when its route is entered and
/// kept while only the query, the fragment or a transcript's id changes.
#[component]
pub fn Routes(
    home: fn() -> AnyView,
    reader: fn() -> AnyView,
    quote: fn() -> AnyView,
    not_found: fn() -> AnyView,
) -> impl IntoView {
    let route = Router::get().route();
    // The page's kind, so that `/t/a` → `/t/b` keeps the reading view's component,
    // which follows the id itself.
    let page = Memo::new(move |_| std::mem::discriminant(&route.get()));
    move || {
        // Read, not `track()`ed: a memo that never ran has not subscribed to its source.
        let _kind = page.get();
        match route.get_untracked() {
            Route::Home => home(),
            Route::Reader(_) => reader(),
            Route::Quote => quote(),
            Route::NotFound => not_found(),
        }
    }
}

/// The id of the transcript the route names.
pub fn reader_id() -> Memo<String> {
    let route = Router::get().route();
    // Leaving the reading view keeps the last id, so that its page does not ask for a
    // transcript named "" while it is taken down.
    Memo::new(move |last: Option<&String>| match route.get() {
        Route::Reader(id) => id,
        _ => last.cloned().unwrap_or_default(),
    })
}

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn paths_name_their_routes() {
        assert_eq!(Route::of(""), Route::Home);
        assert_eq!(Route::of("/"), Route::Home);
        assert_eq!(Route::of("/quote"), Route::Quote);
        assert_eq!(Route::of("/quote/"), Route::Quote);
        assert_eq!(Route::of("/t/56351"), Route::Reader("56351".into()));
        // Ids are percent-decoded, as the reading view asks for them by their own spelling.
        assert_eq!(
            Route::of("/t/un%20gd%2F1990"),
            Route::Reader("un gd/1990".into())
        );
        for other in ["/t/", "/t/a/b", "/corpus/manifest.json", "/quotes", "/t"] {
            assert_eq!(Route::of(other), Route::NotFound, "{other}");
        }
    }

    #[wasm_bindgen_test]
    fn the_query_reads_as_the_browser_does() {
        let q = Query::parse("?q=%22climate+change%22&speaker=A&speaker=B%20C&empty=");
        assert_eq!(q.get("q").as_deref(), Some("\"climate change\""));
        assert_eq!(q.get_all("speaker"), ["A", "B C"]);
        assert_eq!(q.get("empty").as_deref(), Some(""));
        assert_eq!(q.get("missing"), None);
        assert_eq!(Query::parse(""), Query::default());
    }
}
