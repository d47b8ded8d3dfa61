//! Home: the search box, the corpus at a glance, results as you type with facets,
//! chips and sorting, and browsing by date when no query is set. All of it is driven
//! by the URL (see [`crate::state`]); this module only renders and navigates.

use leptos::prelude::*;

use stenogram_core::search::{Facet, FacetCount};

use crate::app::href;
use crate::components::frames::rows_in_frames;
use crate::components::latest::Latest;
use crate::data::{CorpusHandle, Outcome, SearchFailure};
use crate::router::{Nav, Router};
use crate::state::{encode, SearchState, PAGE};

mod early;
mod facets;
mod hit;
pub use early::{EarlyQuery, EarlySearchBox};
pub(crate) use facets::FacetPanel;
use facets::{skipped, Chips, OpenedFacets};
use hit::HitItem;

/// How long typing must pause before the URL (and so the results) follow it.
const DEBOUNCE_MS: u32 = 180;
/// Hits rendered at once: a phone's screen and more. The rest follow a frame later, so
/// that the first results are one short task (its functions compiled on first use) and
/// the rest another.
const FIRST_HITS: usize = 5;
/// Hits rendered per animation frame after those.
const CHUNK: usize = 200;
/// Hits whose snippets are asked for at once; the others' once they near the viewport
/// (a phone shows three or four): a results page costs what it shows (issue 13).
const EAGER_SNIPPETS: usize = 4;
/// Facet values shown before "more".
const FACET_TOP: usize = 8;

type Results = Latest<Result<Outcome, SearchFailure>>;

/// Navigation to a search state, for the controls of the page (event handlers and
/// timers included: the router is a Copy handle).
#[derive(Clone, Copy)]
struct Navigator(Router);

impl Navigator {
    /// Navigates to the search state `s` (replacing the history entry while typing).
    fn to(self, s: &SearchState, replace: bool) {
        // The full path, with the slash after the prefix (`/stenogram/?q=`): without it
        // the URL would leave the service worker's scope.
        let nav = Nav {
            replace,
            keep_scroll: true,
        };
        self.0.navigate(&href(&format!("/{}", s.to_query())), nav);
    }
}

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let corpus = expect_context::<CorpusHandle>();
    let router = Router::get();
    provide_context(Navigator(router));
    let query = router.query();
    let state = Memo::new(move |_| query.with(SearchState::from_query));
    // The lazily counted facets' panels opened so far (see `facets::skipped`).
    let opened = RwSignal::new(Vec::<Facet>::new());
    provide_context(OpenedFacets {
        opened,
        focus: StoredValue::new(None),
    });
    let results: Results = Latest::new(move || {
        let s = state.get();
        let mut opts = s.options();
        opts.skip_facets = skipped(&s, &opened.get());
        let corpus = corpus.clone();
        let view = s.bench.view != crate::state::View::Results;
        if view {
            // A workbench view shows no hit nor facet: the search only checks the query
            // for the box's message, in the worker that runs the view's job.
            opts.limit = 0;
            opts.facets = false;
        }
        async move {
            let mut out = if view {
                corpus.check(&s.q, opts).await?
            } else {
                corpus.search(&s.q, opts, EAGER_SNIPPETS).await?
            };
            corpus.first_snippets(&s.q, &mut out, EAGER_SNIPPETS).await;
            Ok(out)
        }
    });
    // The open tab: the results, or a workbench view over the same search.
    let tab = Memo::new(move |_| state.get().bench.view);
    // The tabs exist while a query or filter is set; a memo, so that a new query (every
    // Enter) updates their links in place rather than building them again.
    let active = Memo::new(move |_| state.get().is_active());
    view! {
        <div class="search-page">
            <SearchBox state results/>
            {move || active.get().then(|| view! { <crate::pages::workbench::Tabs state/> })}
            {move || match tab.get() {
                // The last results stay until the next ones come.
                crate::state::View::Results => (move || match results.get() {
                    None => view! { <p class="loading" role="status">"Searching…"</p> }.into_any(),
                    Some(outcome) => view! { <ResultsArea state outcome/> }.into_any(),
                }).into_any(),
                v => crate::split::lazy(crate::split::workbench_view(state, v)).into_any(),
            }}
        </div>
    }
}

/// The search form: query input (debounced into the URL), sort, and the parser's message.
#[component]
fn SearchBox(state: Memo<SearchState>, results: Results) -> impl IntoView {
    let go = expect_context::<Navigator>();
    let corpus = expect_context::<CorpusHandle>();
    // Home's browse needs no index; a reader in the search box is about to need it.
    let warm = move |_| corpus.warm();
    let (draft, set_draft) = signal(state.get_untracked().q);
    // The last query this box put into the URL: a different one came from elsewhere
    // (back button, a link) and must replace what the box shows.
    let pushed = StoredValue::new(state.get_untracked().q);
    Effect::new(move |_| {
        let q = state.get().q;
        if q != pushed.get_value() {
            pushed.set_value(q.clone());
            set_draft.set(q);
        }
    });
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let commit = move |replace: bool| {
        timer.update_value(|t| drop(t.take()));
        let q = draft.get_untracked();
        let mut s = state.get_untracked();
        if s.q != q {
            s.q = q.clone();
            s.pages = 1;
            pushed.set_value(q);
            go.to(&s, replace);
        }
    };
    // What the reader typed while the corpus loaded ([`EarlyQuery`]): this box takes it
    // over once it replaces the early one, and puts it in the URL.
    let input = NodeRef::<leptos::html::Input>::new();
    if let Some(early) = use_context::<EarlyQuery>() {
        input.on_load(move |el| {
            early::hand_over(early, el, move |text| {
                if !text.is_empty() && text != draft.get_untracked() {
                    set_draft.set(text);
                    commit(true);
                }
            })
        });
    }
    let on_input = move |ev: leptos::ev::Event| {
        set_draft.set(event_target_value(&ev));
        let t = gloo_timers::callback::Timeout::new(DEBOUNCE_MS, move || commit(true));
        timer.set_value(Some(t));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        commit(false);
    };
    let set_sort = move |ev: leptos::ev::Event| {
        let mut s = state.get_untracked();
        s.sort = event_target_value(&ev).parse().unwrap_or_default();
        go.to(&s, false);
    };
    let error = move || {
        results.with(|r| match r {
            Some(Err(SearchFailure::Parse(e))) => {
                Some(format!("{} (at character {})", e.message, e.span.0 + 1))
            }
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    view! {
        <form class="search-box" role="search" on:submit=on_submit>
            <label for="q" class="visually-hidden">"Search transcripts"</label>
            <input
                id="q"
                type="search"
                name="q"
                autocomplete="off"
                spellcheck="false"
                placeholder=early::PLACEHOLDER
                aria-describedby="q-help q-error"
                prop:value=draft
                node_ref=input
                on:input=on_input
                on:focus=warm
            />
            <label for="sort" class="visually-hidden">"Sort results"</label>
            <select id="sort" on:change=set_sort prop:value=move || state.get().sort.name()>
                <option value="relevance">"Most relevant"</option>
                <option value="newest">"Newest first"</option>
                <option value="oldest">"Oldest first"</option>
            </select>
            <button type="submit">"Search"</button>
            <early::QueryHelp/>
            <p id="q-error" class="query-error" role="alert">{error}</p>
        </form>
    }
}

#[component]
fn ResultsArea(state: Memo<SearchState>, outcome: Result<Outcome, SearchFailure>) -> impl IntoView {
    let go = expect_context::<Navigator>();
    let corpus = expect_context::<CorpusHandle>();
    let s = state.get_untracked();
    let Ok(outcome) = outcome else {
        return view! {
            <section class="results-area">
                <p class="no-results">"Fix the query above to see results. Every word must match; quote a phrase to search for it exactly."</p>
            </section>
        }
        .into_any();
    };
    let res = &outcome.results;
    let total = res.total;
    let shown = res.hits.len();
    let active = s.is_active();
    let heading = if active {
        format!(
            "{total} transcript{} found",
            if total == 1 { "" } else { "s" }
        )
    } else {
        "All transcripts, newest first".to_string()
    };
    // Hits render a chunk per animation frame, so that "Show all" of a large result set
    // never freezes the tab; each hit fetches its snippets once it nears the viewport.
    let hits: Vec<_> = outcome
        .rows
        .iter()
        .cloned()
        .zip(res.hits.iter().map(|h| h.doc))
        .enumerate()
        .map(|(i, (row, doc))| (row, doc, outcome.snippets.get(i).cloned().flatten()))
        .collect();
    let len = hits.len();
    let (hits, rendered) = {
        let q = s.q.clone();
        rows_in_frames(hits, FIRST_HITS, CHUNK, move |i, (row, doc, ready)| {
            let eager = i < EAGER_SNIPPETS;
            view! { <HitItem row=row.clone() doc=*doc q=q.clone() eager ready=ready.clone()/> }
        })
    };
    let more = {
        let s = s.clone();
        move |_| {
            let mut n = s.clone();
            n.pages += 1;
            go.to(&n, true);
        }
    };
    let all = {
        let s = s.clone();
        move |_| {
            let mut n = s.clone();
            n.pages = total.div_ceil(PAGE).max(1);
            go.to(&n, true);
        }
    };
    // On a phone the filters stay folded behind a button, so the results come first.
    let filters_open = RwSignal::new(false);
    // Folded on a phone, the panel's values (1,400 elements at 18k transcripts, the most
    // of a results page's DOM) are built when it first opens, not with every page.
    let facets_built = RwSignal::new(sidebar_shown());
    let resized = window_event_listener(leptos::ev::resize, move |_| {
        if !facets_built.get_untracked() && sidebar_shown() {
            facets_built.set(true);
        }
    });
    on_cleanup(move || resized.remove());
    // The panel's code is a part of its own (`crate::split`): a phone, where it stays
    // folded, fetches it when the reader opens it.
    let facet_panel = {
        let facets = res.facets.clone();
        move || {
            facets_built
                .get()
                .then(|| crate::split::lazy(crate::split::facet_panel(state, facets.clone())))
        }
    };
    let active_filters = s.filters.len() + usize::from(s.years.is_some());
    view! {
        <div class="results-layout">
            <button type="button" class="filters-toggle" aria-controls="facets"
                aria-expanded=move || filters_open.get().to_string()
                on:pointerdown=|_| crate::split::prefetch(crate::split::preload_facets())
                on:focus=|_| crate::split::prefetch(crate::split::preload_facets())
                on:click=move |_| {
                    facets_built.set(true);
                    filters_open.update(|o| *o = !*o);
                }>
                {move || if filters_open.get() { "Hide filters".to_string() } else if active_filters > 0 { format!("Filters ({active_filters} active)") } else { "Filters".to_string() }}
            </button>
            <aside id="facets" class="facets" class:open=move || filters_open.get() aria-label="Filters">
                {facet_panel}
            </aside>
            <section class="results-area" aria-labelledby="results-heading">
                {(!active).then(|| view! { <Overview corpus=corpus.clone() top=res.facets[Facet::Speaker].values.clone()/> })}
                <Chips state/>
                {(!s.filters.is_empty() || s.years.is_some()).then(|| {
                    let to = href(&format!("/quote{}", s.filters_only().to_query()));
                    view! { <p class="quote-in"><a href=to>"Check a quote in these transcripts"</a></p> }
                })}
                <h2 id="results-heading" class="results-heading" aria-live="polite">{heading}</h2>
                {(total == 0).then(|| view! { <p class="no-results">"No transcript matches. Try fewer words, or remove a filter."</p> })}
                // A pointer over the hits is about to open one: the reading view's code.
                <ol class="results" on:pointerenter=|_| crate::split::prefetch(crate::split::preload_reader())>{hits}</ol>
                {move || (rendered.get() < len).then(|| view! {
                    <p class="paging rendering" role="status">{format!("Showing {} of {len}…", rendered.get())}</p>
                })}
                {(shown < total).then(|| view! {
                    <p class="paging">
                        <span>{format!("Showing {shown} of {total}")}</span>
                        <button type="button" class="more" on:click=more.clone()>"Show more"</button>
                        <button type="button" on:click=all.clone()>{format!("Show all {total}")}</button>
                    </p>
                })}
            </section>
        </div>
    }
    .into_any()
}

/// The corpus at a glance: size, date span, most frequent speakers.
#[component]
fn Overview(corpus: CorpusHandle, top: Vec<FacetCount>) -> impl IntoView {
    let sum = &corpus.summary;
    let span = match (&sum.first, &sum.last) {
        (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
        (Some(a), _) => format!(", {a}"),
        _ => String::new(),
    };
    let n = sum.docs;
    let speakers = top
        .into_iter()
        .take(5)
        .map(|f| {
            let link = href(&format!("/?speaker={}", encode(&f.value)));
            view! { <li><a href=link>{f.value.clone()}</a> <span class="count">{f.count}</span></li> }
        })
        .collect_view();
    view! {
        <section class="overview" aria-label="Corpus at a glance">
            <h1>{sum.corpus.name.clone()}</h1>
            <p class="corpus-stats">{format!("{n} transcript{}{span}", if n == 1 { "" } else { "s" })}</p>
            <div class="top-speakers"><span>"Top speakers: "</span><ul class="inline-list">{speakers}</ul></div>
        </section>
    }
}

/// Whether the filters show as a sidebar: the width above `style/workbench.css`'s phone
/// layout (`max-width: 760px`), where they fold behind a button.
pub(crate) fn sidebar_shown() -> bool {
    window()
        .match_media("(min-width: 761px)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}
