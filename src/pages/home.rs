//! Home: the search box, the corpus at a glance, results as you type with facets,
//! chips and sorting, and browsing by date when no query is set. All of it is driven
//! by the URL (see [`crate::state`]); this module only renders and navigates.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::sync::Arc;
use wasm_bindgen::JsCast;

use stenogram_core::search::{Facet, FacetCount, Hit, Matcher};

use crate::app::href;
use crate::components::marked::Marked;
use crate::data::{CorpusHandle, Outcome, SearchFailure};
use crate::state::{encode, listed_facets, SearchState, PAGE};

/// How long typing must pause before the URL (and so the results) follow it.
const DEBOUNCE_MS: u32 = 180;
/// Hits rendered per animation frame.
const CHUNK: usize = 200;
/// Facet values shown before "more".
const FACET_TOP: usize = 8;

type Results = LocalResource<Result<Outcome, SearchFailure>>;

/// Navigation to a search state, captured once from the router: event handlers and
/// timers run outside the component tree, where `use_navigate` is not available.
#[derive(Clone, Copy)]
struct Navigator(StoredValue<Box<NavigateFn>, LocalStorage>);

type NavigateFn = dyn Fn(&str, NavigateOptions);

impl Navigator {
    /// Navigates to the search state `s` (replacing the history entry while typing).
    fn to(self, s: &SearchState, replace: bool) {
        // The full path, not one for the router to resolve: it would drop the slash after
        // the prefix (`/stenogram?q=`), leaving the service worker's scope.
        let opts = NavigateOptions {
            replace,
            scroll: false,
            resolve: false,
            ..Default::default()
        };
        self.0
            .with_value(|nav| nav(&href(&format!("/{}", s.to_query())), opts));
    }
}

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let corpus = expect_context::<CorpusHandle>();
    let navigate = use_navigate();
    provide_context(Navigator(StoredValue::new_local(
        Box::new(navigate) as Box<NavigateFn>
    )));
    let query = use_query_map();
    let state = Memo::new(move |_| SearchState::from_query(&query.read()));
    let results: Results = LocalResource::new(move || {
        let s = state.get();
        let corpus = corpus.clone();
        async move { corpus.search(&s.q, s.options()).await }
    });
    // The open tab: the results, or a workbench view over the same search.
    let tab = Memo::new(move |_| state.get().bench.view);
    view! {
        <div class="search-page">
            <SearchBox state results/>
            {move || state.get().is_active().then(|| view! { <crate::pages::workbench::Tabs state/> })}
            {move || match tab.get() {
                crate::state::View::Results => view! {
                    <Transition fallback=|| view! { <p class="loading" role="status">"Searching…"</p> }>
                        {move || Suspend::new(async move {
                            let outcome = results.await;
                            view! { <ResultsArea state outcome/> }
                        })}
                    </Transition>
                }.into_any(),
                v => view! { <crate::pages::workbench::WorkbenchView state view=v/> }.into_any(),
            }}
        </div>
    }
}

/// The search form: query input (debounced into the URL), sort, and the parser's message.
#[component]
fn SearchBox(state: Memo<SearchState>, results: Results) -> impl IntoView {
    let go = expect_context::<Navigator>();
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
    let error = move || match results.get().as_ref() {
        Some(Err(SearchFailure::Parse(e))) => {
            Some(format!("{} (at character {})", e.message, e.span.0 + 1))
        }
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
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
                placeholder="Search transcripts — press / to focus"
                aria-describedby="q-help q-error"
                prop:value=draft
                on:input=on_input
            />
            <label for="sort" class="visually-hidden">"Sort results"</label>
            <select id="sort" on:change=set_sort prop:value=move || state.get().sort.name()>
                <option value="relevance">"Most relevant"</option>
                <option value="newest">"Newest first"</option>
                <option value="oldest">"Oldest first"</option>
            </select>
            <button type="submit">"Search"</button>
            <p id="q-help" class="query-help">
                "Words all must match; " <code>"\"exact phrase\""</code> ", " <code>"OR"</code> ", " <code>"-exclude"</code> ", "
                <code>"prefix*"</code> ", " <code>"speaker:\"Name\""</code> ", " <code>"date:2015..2016"</code> "."
            </p>
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
    let hits = Arc::new(res.hits.clone());
    let len = hits.len();
    let (rendered, set_rendered) = signal(len.min(CHUNK));
    Effect::new(move |_| {
        if rendered.get() < len {
            request_animation_frame(move || {
                set_rendered.try_update(|r| *r = (*r + CHUNK).min(len));
            });
        }
    });
    let chunk = {
        let hits = hits.clone();
        let matcher = outcome.matcher.clone();
        let q = s.q.clone();
        move |c: usize| {
            let first = c * CHUNK;
            hits[first..((c + 1) * CHUNK).min(len)]
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let eager = first + i < PAGE;
                    view! { <HitItem hit=h.clone() matcher=matcher.clone() q=q.clone() eager/> }
                })
                .collect_view()
        }
    };
    let hits = view! {
        <For each=move || 0..rendered.get().div_ceil(CHUNK) key=|c| *c let:c>
            {chunk(c)}
        </For>
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
    let active_filters = s.filters.len() + usize::from(s.years.is_some());
    view! {
        <div class="results-layout">
            <button type="button" class="filters-toggle" aria-controls="facets"
                aria-expanded=move || filters_open.get().to_string()
                on:click=move |_| filters_open.update(|o| *o = !*o)>
                {move || if filters_open.get() { "Hide filters".to_string() } else if active_filters > 0 { format!("Filters ({active_filters} active)") } else { "Filters".to_string() }}
            </button>
            <aside id="facets" class="facets" class:open=move || filters_open.get() aria-label="Filters">
                <YearHistogram state counts=res.facets[Facet::Year].values.clone()/>
                {listed_facets()
                    .map(|f| {
                        let list = &res.facets[f];
                        let (counts, distinct) = (list.values.clone(), list.distinct);
                        view! { <FacetList facet=f state counts distinct/> }
                    })
                    .collect_view()}
            </aside>
            <section class="results-area" aria-labelledby="results-heading">
                {(!active).then(|| view! { <Overview corpus=corpus.clone() top=res.facets[Facet::Speaker].values.clone()/> })}
                <Chips state/>
                <h2 id="results-heading" class="results-heading" aria-live="polite">{heading}</h2>
                {(total == 0).then(|| view! { <p class="no-results">"No transcript matches. Try fewer words, or remove a filter."</p> })}
                <ol class="results">{hits}</ol>
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
    let docs = &corpus.manifest.docs;
    let first = docs
        .iter()
        .filter_map(|d| d.date.as_deref())
        .min()
        .map(str::to_owned);
    let last = docs
        .iter()
        .filter_map(|d| d.date.as_deref())
        .max()
        .map(str::to_owned);
    let span = match (first, last) {
        (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
        (Some(a), _) => format!(", {a}"),
        _ => String::new(),
    };
    let n = docs.len();
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
            <h1>{corpus.manifest.corpus.name.clone()}</h1>
            <p class="corpus-stats">{format!("{n} transcript{}{span}", if n == 1 { "" } else { "s" })}</p>
            <div class="top-speakers"><span>"Top speakers: "</span><ul class="inline-list">{speakers}</ul></div>
        </section>
    }
}

/// The active filters, each removable.
#[component]
fn Chips(state: Memo<SearchState>) -> impl IntoView {
    let go = expect_context::<Navigator>();
    let s = state.get_untracked();
    if s.filters.is_empty() && s.years.is_none() {
        return ().into_any();
    }
    let chips = s
        .filters
        .iter()
        .map(|(f, v)| {
            let next = s.toggled(*f, v);
            let label = format!("{}: {v}", f.label());
            view! {
                <li><button type="button" class="chip" aria-label=format!("Remove filter {label}") on:click=move |_| go.to(&next, false)>
                    {label.clone()} <span aria-hidden="true">" ×"</span>
                </button></li>
            }
        })
        .collect_view();
    let years = s.years.map(|(a, b)| {
        let mut next = s.clone();
        next.years = None;
        next.pages = 1;
        let label = if a == b { format!("Year: {a}") } else { format!("Years: {a}–{b}") };
        view! {
            <li><button type="button" class="chip" aria-label=format!("Remove filter {label}") on:click=move |_| go.to(&next, false)>
                {label.clone()} <span aria-hidden="true">" ×"</span>
            </button></li>
        }
    });
    let mut cleared = s.clone();
    cleared.filters.clear();
    cleared.years = None;
    cleared.pages = 1;
    view! {
        <ul class="chips" aria-label="Active filters">
            {chips}
            {years}
            <li><button type="button" class="chip clear" on:click=move |_| go.to(&cleared, false)>"Clear all"</button></li>
        </ul>
    }
    .into_any()
}

/// One facet's values with counts; values combine with OR.
#[component]
fn FacetList(
    facet: Facet,
    state: Memo<SearchState>,
    counts: Vec<FacetCount>,
    /// Values with a nonzero count, listed or not.
    distinct: usize,
) -> impl IntoView {
    let go = expect_context::<Navigator>();
    let s = state.get_untracked();
    // Selected values stay listed even when the other filters leave them no documents.
    let mut rows: Vec<(String, u32)> = counts.iter().map(|c| (c.value.clone(), c.count)).collect();
    for (f, v) in &s.filters {
        if *f == facet && !rows.iter().any(|(r, _)| r == v) {
            rows.push((v.clone(), 0));
        }
    }
    if rows.is_empty() {
        return ().into_any();
    }
    let (expanded, set_expanded) = signal(false);
    let extra = rows.len().saturating_sub(FACET_TOP);
    let unlisted = distinct.saturating_sub(counts.len());
    let items = rows
        .into_iter()
        .enumerate()
        .map(|(i, (value, count))| {
            let checked = s.has(facet, &value);
            let next = s.toggled(facet, &value);
            let id = format!("f-{}-{i}", facet.name());
            let hidden = move || i >= FACET_TOP && !expanded.get() && !checked;
            view! {
                <li class:hidden=hidden>
                    <input type="checkbox" id=id.clone() data-facet=facet.name() prop:checked=checked on:change=move |_| go.to(&next, false)/>
                    <label for=id>{value.clone()} <span class="count">{count}</span></label>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="facet">
            <h2 class="facet-title">{facet.label()}</h2>
            <ul class="facet-values">{items}</ul>
            {(unlisted > 0).then(|| view! {
                <p class="facet-note" class:hidden=move || !expanded.get()>
                    {format!("and {unlisted} more with fewer transcripts: narrow the search to see them")}
                </p>
            })}
            {(extra > 0).then(|| view! {
                <button type="button" class="link-button" aria-expanded=move || expanded.get().to_string() on:click=move |_| set_expanded.update(|e| *e = !*e)>
                    {move || if expanded.get() { "Fewer".to_string() } else { format!("{extra} more") }}
                </button>
            })}
        </section>
    }
    .into_any()
}

/// Years as a small histogram: click a bar for that year, shift-click or drag across
/// bars for a range; click the selected year again to clear.
#[component]
fn YearHistogram(state: Memo<SearchState>, counts: Vec<FacetCount>) -> impl IntoView {
    let go = expect_context::<Navigator>();
    let s = state.get_untracked();
    let years = year_bars(&counts);
    if years.is_empty() {
        return ().into_any();
    }
    let max = years.iter().map(|y| y.1).max().unwrap_or(1).max(1);
    let anchor = StoredValue::new(None::<i32>);
    let select = {
        let s = s.clone();
        move |a: i32, b: i32| {
            let mut n = s.clone();
            n.years = if s.years == Some((a.min(b), a.max(b))) && a == b {
                None
            } else {
                Some((a.min(b), a.max(b)))
            };
            n.pages = 1;
            go.to(&n, false);
        }
    };
    let bars = years
        .iter()
        .map(|&(y, c)| {
            let selected = s.years.is_some_and(|(a, b)| (a..=b).contains(&y));
            let height = format!("height: {}%", if c == 0 { 0 } else { 8 + (92 * c / max) });
            let current = s.years;
            let click = {
                let select = select.clone();
                move |ev: leptos::ev::MouseEvent| match current {
                    Some((a, _)) if ev.shift_key() => select(a, y),
                    _ => select(y, y),
                }
            };
            let up = {
                let select = select.clone();
                move |_| {
                    if let Some(a) = anchor.get_value().filter(|&a| a != y) {
                        select(a, y);
                    }
                    anchor.set_value(None);
                }
            };
            view! {
                <li>
                    <button
                        type="button"
                        class="bar"
                        class:selected=selected
                        aria-pressed=selected.to_string()
                        aria-label=format!("{y}: {c} transcript{}", if c == 1 { "" } else { "s" })
                        title=format!("{y}: {c}")
                        on:pointerdown=move |_| anchor.set_value(Some(y))
                        on:pointerup=up
                        on:click=click
                    >
                        <span class="bar-fill" style=height></span>
                    </button>
                </li>
            }
        })
        .collect_view();
    let first = years.first().map(|y| y.0).unwrap_or_default();
    let last = years.last().map(|y| y.0).unwrap_or_default();
    view! {
        <section class="facet years">
            <h2 class="facet-title">"Year"</h2>
            <ul class="histogram" aria-label="Transcripts per year">{bars}</ul>
            <p class="histogram-axis"><span>{first}</span><span>{last}</span></p>
        </section>
    }
    .into_any()
}

/// Per-year counts from the year facet, with the years between that have none filled
/// in as zero so that the bars form a true time axis.
fn year_bars(counts: &[FacetCount]) -> Vec<(i32, u32)> {
    let mut years: Vec<(i32, u32)> = counts
        .iter()
        .filter_map(|c| Some((c.value.parse().ok()?, c.count)))
        .collect();
    years.sort();
    let (Some(&(first, _)), Some(&(last, _))) = (years.first(), years.last()) else {
        return years;
    };
    (first..=last)
        .map(|y| (y, years.iter().find(|p| p.0 == y).map_or(0, |p| p.1)))
        .collect()
}

/// One result: title, facts, and up to three snippets computed from its transcript.
///
/// `eager`: fetch the snippets now; otherwise once the hit nears the viewport.
#[component]
fn HitItem(hit: Hit, matcher: Option<Arc<Matcher>>, q: String, eager: bool) -> impl IntoView {
    let corpus = expect_context::<CorpusHandle>();
    let Some(meta) = corpus.manifest.docs.get(hit.doc as usize).cloned() else {
        return ().into_any();
    };
    let qs = if q.trim().is_empty() {
        String::new()
    } else {
        format!("?q={}", encode(&q))
    };
    let doc_link = href(&format!("/t/{}{qs}", encode(&meta.id)));
    let facts = [meta.date.clone(), meta.place.clone(), meta.kind.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let speakers = meta
        .speakers
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    // The title links to the best paragraph (the first snippet's) once it is known;
    // without it the reading view finds that paragraph itself.
    let best = RwSignal::new(None::<usize>);
    let link = {
        let doc_link = doc_link.clone();
        move || match best.get() {
            Some(p) => format!("{doc_link}#p-{p}"),
            None => doc_link.clone(),
        }
    };
    let snippets = matcher.map(|matcher| {
        let id = meta.id.clone();
        let load = move || {
            let corpus = corpus.clone();
            let id = id.clone();
            let matcher = matcher.clone();
            let doc_link = doc_link.clone();
            let snips = LocalResource::new(move || {
                let corpus = corpus.clone();
                let id = id.clone();
                let matcher = matcher.clone();
                async move {
                    // Each hit's snippets are their own task: the results page renders
                    // first, and no task grows with the number of hits.
                    yield_to_browser().await;
                    let t = corpus.transcript(&id).await?;
                    let snippets = matcher.snippets(&t, 3);
                    best.set(snippets.first().map(|s| s.paragraph));
                    Ok::<_, crate::data::LoadError>(snippets)
                }
            });
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let doc_link = doc_link.clone();
                        Suspend::new(async move {
                            match snips.await {
                                Ok(list) => list
                                    .into_iter()
                                    .map(|s| {
                                        let to = format!("{doc_link}#p-{}", s.paragraph);
                                        view! {
                                            <li class="snippet"><a href=to class="snippet-link"><Marked text=s.text marks=s.highlights/></a></li>
                                        }
                                    })
                                    .collect_view()
                                    .into_any(),
                                Err(e) => view! { <li class="snippet error">{e.to_string()}</li> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
            }
        };
        let node = NodeRef::<leptos::html::Ul>::new();
        let visible = RwSignal::new(eager);
        if !eager {
            node.on_load(move |el| when_near_viewport(el.into(), move || visible.set(true)));
        }
        let snippets = move || visible.get().then(load.clone());
        view! { <ul class="snippets" node_ref=node>{snippets}</ul> }
    });
    view! {
        <li class="hit">
            <h3><a href=link>{meta.title.clone()}</a></h3>
            <p class="doc-facts">{facts}</p>
            {(!speakers.is_empty()).then(|| view! { <p class="doc-speakers">{speakers}</p> })}
            {snippets}
        </li>
    }
    .into_any()
}

/// Ends the current task and goes on in a new one, so that the browser can handle input
/// and paint in between: `scheduler.yield()` where the browser has it (it resumes ahead
/// of other queued work), else a zero-delay timeout.
async fn yield_to_browser() {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok();
    let promise = scheduler.and_then(|s| {
        let f = js_sys::Reflect::get(&s, &"yield".into()).ok()?;
        f.dyn_ref::<js_sys::Function>()?
            .call0(&s)
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()
    });
    match promise {
        Some(p) => {
            // A rejection (the task was aborted) is as good as a resumption here.
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        None => gloo_timers::future::TimeoutFuture::new(0).await,
    }
}

/// Calls `f` once `el` comes within a screen of the viewport (at once if it is there).
fn when_near_viewport(el: web_sys::Element, f: impl FnOnce() + 'static) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let f = std::cell::Cell::new(Some(f));
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let near = entries.iter().any(|e| {
                e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if near {
                observer.disconnect();
                if let Some(f) = f.take() {
                    f();
                }
            }
        },
    );
    let opts = web_sys::IntersectionObserverInit::new();
    opts.set_root_margin("100% 0px");
    let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &opts)
    else {
        return;
    };
    observer.observe(&el);
    let owned = send_wrapper::SendWrapper::new((observer, callback));
    on_cleanup(move || owned.0.disconnect());
}
