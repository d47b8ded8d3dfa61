//! The research workbench's views (docs/workbench.md), tabs of one search beside its
//! results: Concordance, Trends, Collocates, Distinctive words. They share the search's
//! query and filters and keep their own settings in the URL
//! ([`crate::state::BenchState`]). Every figure comes from the search worker (which
//! runs `stenogram_core::workbench`); these modules build the job from the URL, show
//! its progress, and render and export its answer.
//!
//! - [`kwic`]: the concordance; [`trend`]: the trend chart and table;
//!   [`colloc`]: collocates; [`keyness`]: distinctive words.

use crate::router::{Nav, Router};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use stenogram_search_worker::bench::{Job, Outcome};

use crate::app::href;
use crate::data::{CorpusHandle, SearchFailure};
use crate::state::{SearchState, View};

mod colloc;
mod keyness;
mod kwic;
mod trend;

/// The URL of the search state `s`.
pub fn link(s: &SearchState) -> String {
    href(&format!("/{}", s.to_query()))
}

/// `s` showing view `v` (its first page, no pair).
pub fn in_view(s: &SearchState, v: View) -> SearchState {
    let mut n = s.clone();
    if n.bench.view != v {
        n.bench.page = 1;
        n.bench.near = None;
    }
    n.bench.view = v;
    n.pages = 1;
    n
}

/// A navigation function to search states, for controls (links need none).
pub fn use_go() -> impl Fn(&SearchState) + Clone + 'static {
    let router = Router::get();
    move |s: &SearchState| {
        let nav = Nav {
            keep_scroll: true,
            ..Nav::default()
        };
        router.navigate(&link(s), nav)
    }
}

/// The tabs of a search: results and the workbench's views.
#[component]
pub fn Tabs(state: Memo<SearchState>) -> impl IntoView {
    // Built once; a new query or view updates each tab's link and mark in place.
    let tabs = View::ALL
        .into_iter()
        .map(|v| {
            let to = move || link(&in_view(&state.get(), v));
            let current = move || (state.get().bench.view == v).then_some("page");
            view! {
                <li><a href=to class="bench-tab" aria-current=current>{v.label()}</a></li>
            }
        })
        .collect_view();
    // A pointer over the tabs, or the keyboard in them, is about to open a view: its
    // worker and its code in the page (neither part of a first visit) start downloading
    // now rather than on the click.
    let corpus = expect_context::<CorpusHandle>();
    let warm = move || {
        corpus.warm_workbench();
        crate::split::prefetch(crate::split::preload_bench());
    };
    view! {
        <nav class="bench-tabs" aria-label="Views of this search"
            on:pointerenter={let warm = warm.clone(); move |_| warm()}
            on:focusin=move |_| warm()>
            <ul>{tabs}</ul>
        </nav>
    }
}

/// The open workbench view.
#[component]
pub fn WorkbenchView(state: Memo<SearchState>, view: View) -> impl IntoView {
    let body = match view {
        View::Kwic => view! { <kwic::KwicView state/> }.into_any(),
        View::Trend => view! { <trend::TrendView state/> }.into_any(),
        View::Colloc => view! { <colloc::CollocView state/> }.into_any(),
        View::Keyness => view! { <keyness::KeynessView state/> }.into_any(),
        View::Results => ().into_any(),
    };
    view! { <section class="bench" aria-label=view.label()>{body}</section> }
}

/// A job run for the current URL: its latest answer, whether it runs, its progress.
#[derive(Clone, Copy)]
pub struct Run {
    pub answer: LocalResource<Option<Result<Outcome, SearchFailure>>>,
    pub running: RwSignal<bool>,
    pub progress: RwSignal<Option<(usize, usize)>>,
}

/// Runs the job `make` builds from the URL state (none: nothing to run) whenever it
/// changes; a newer job supersedes the running one in the worker.
pub fn use_job(
    state: Memo<SearchState>,
    make: impl Fn(&SearchState) -> Option<Job> + Send + Sync + 'static,
) -> Run {
    let corpus = expect_context::<CorpusHandle>();
    let job = Memo::new(move |_| make(&state.get()));
    let running = RwSignal::new(false);
    let progress = RwSignal::new(None);
    let answer = LocalResource::new(move || {
        let job = job.get();
        let corpus = corpus.clone();
        async move {
            let job = job?;
            running.set(true);
            progress.set(None);
            let r = corpus
                .bench(job, move |d, t| progress.set(Some((d, t))))
                .await;
            if !matches!(r, Err(SearchFailure::Superseded)) {
                running.set(false);
            }
            Some(r)
        }
    });
    Run {
        answer,
        running,
        progress,
    }
}

/// Progress of a running job, with a Cancel button (long jobs only).
#[component]
pub fn JobStatus(run: Run, what: &'static str, cancellable: bool) -> impl IntoView {
    let corpus = expect_context::<CorpusHandle>();
    let cancelled = RwSignal::new(false);
    let cancel = {
        let corpus = corpus.clone();
        move |_| {
            corpus.cancel();
            cancelled.set(true);
            run.running.set(false);
        }
    };
    Effect::new(move |_| {
        if run.running.get() {
            cancelled.set(false);
        }
    });
    move || {
        if run.running.get() {
            let (done, total) = run.progress.get().unwrap_or((0, 0));
            let text = if total > 0 {
                format!("{what}: {done} of {total}…")
            } else {
                format!("{what}…")
            };
            view! {
                <div class="bench-progress" role="status">
                    <progress max=total.max(1).to_string() value=done.to_string() aria-label=what></progress>
                    <span>{text}</span>
                    {cancellable.then(|| view! { <button type="button" on:click=cancel.clone()>"Cancel"</button> })}
                </div>
            }
            .into_any()
        } else if cancelled.get() {
            view! {
                <div class="bench-progress" role="status">
                    <span>"Cancelled."</span>
                    <button type="button" on:click=move |_| { cancelled.set(false); run.answer.refetch(); }>"Run again"</button>
                </div>
            }
            .into_any()
        } else {
            ().into_any()
        }
    }
}

/// Rows a table renders at once, and then per animation frame.
const ROWS_PER_FRAME: usize = 20;

/// A table's rows, [`ROWS_PER_FRAME`] at once and as many again each animation frame
/// ([`crate::components::frames::rows_in_frames`]).
pub fn rows_in_frames<T, V>(
    items: Vec<T>,
    row: impl Fn(&T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Send + Sync + 'static,
    V: IntoView + 'static,
{
    crate::components::frames::rows_in_frames(items, ROWS_PER_FRAME, ROWS_PER_FRAME, move |_, t| {
        row(t)
    })
    .0
}

/// A failure shown in place of a view (a superseded job shows nothing: its successor
/// is on its way).
pub fn failure(e: &SearchFailure) -> AnyView {
    match e {
        SearchFailure::Superseded => ().into_any(),
        SearchFailure::Parse(p) => {
            view! { <p class="no-results">{p.message.clone()}</p> }.into_any()
        }
        e => view! { <p class="no-results" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

/// Offers `text` as a file download (a Blob URL on a temporary link).
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = document();
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            a.remove();
        }
    }
    // After the click has started the download.
    gloo_timers::callback::Timeout::new(1_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// A file name for an export of `q`: its letters and digits, or `what` alone.
pub fn file_name(what: &str, q: &str, ext: &str) -> String {
    let slug: String = q
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        format!("stenogram-{what}.{ext}")
    } else {
        format!("stenogram-{what}-{slug}.{ext}")
    }
}

/// A figure for a table: `digits` decimals.
pub fn fixed(v: f64, digits: usize) -> String {
    if v.is_finite() {
        format!("{v:.digits$}")
    } else {
        "–".into()
    }
}
