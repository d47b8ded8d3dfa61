//! The filters beside the results: the active ones as removable chips, the facet lists
//! with their counts, and the year histogram with its "from" and "to" selects. Each
//! change is a navigation to a new search state (the URL is the state).
//!
//! The facets of [`LAZY_FACETS`] (all but the year) are counted on first use: a
//! results page lists them as closed panels, and opening one asks the search again with
//! that facet counted ([`skipped`]). Their parts are the largest per-document data, so
//! a first query does without their bytes (issue 13).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use stenogram_core::search::{Facet, FacetCount, Facets, LAZY_FACETS};

use super::{Navigator, FACET_TOP};
use crate::state::{listed_facets, SearchState};

/// The filters' panel: the year histogram and every listed facet's values. A part of
/// the page's code loaded on first use (`crate::split::facet_panel`).
#[component]
pub(crate) fn FacetPanel(state: Memo<SearchState>, facets: Facets) -> impl IntoView {
    let year = facets[Facet::Year].values.clone();
    view! {
        <YearHistogram state counts=year/>
        {listed_facets()
            .map(|f| {
                let list = &facets[f];
                let (counts, distinct) = (list.values.clone(), list.distinct);
                view! { <FacetList facet=f state counts distinct/> }
            })
            .collect_view()}
    }
}

/// The active filters, each removable.
#[component]
pub(super) fn Chips(state: Memo<SearchState>) -> impl IntoView {
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

/// The lazily counted facets whose panel the reader opened on this page: they are
/// counted with every search from then on.
///
/// Opening one runs the search again and the panel comes back as a list, a new element:
/// `focus` names the facet whose list takes the keyboard focus when it comes, which the
/// closed panel's summary had.
#[derive(Clone, Copy)]
pub(super) struct OpenedFacets {
    pub opened: RwSignal<Vec<Facet>>,
    pub focus: StoredValue<Option<Facet>>,
}

/// The facets a search of `s` does not count: the lazy ones whose panel is not opened
/// and that have no selected value. Browsing (no query, no filter) counts every facet:
/// its answer is the manifest's summary, which costs nothing.
pub(super) fn skipped(s: &SearchState, opened: &[Facet]) -> Vec<Facet> {
    if !s.is_active() {
        return Vec::new();
    }
    LAZY_FACETS
        .into_iter()
        .filter(|f| !opened.contains(f) && !s.filters.iter().any(|(g, _)| g == f))
        .collect()
}

/// One facet's values with counts; values combine with OR. A lazy facet not counted yet
/// is a closed panel that counts it once opened.
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
    let lazy = use_context::<OpenedFacets>();
    if let Some(OpenedFacets { opened, focus }) = lazy {
        if skipped(&s, &opened.get_untracked()).contains(&facet) {
            // Counted on open: the search is asked again, and this panel comes back
            // as a list. The summary is the control, so keyboards open it too.
            let open = move |_| {
                focus.set_value(Some(facet));
                opened.update(|o| o.push(facet));
            };
            return view! {
                <details class="facet lazy" data-facet=facet.name()>
                    <summary class="facet-title" on:click=open>{facet.label()}</summary>
                    <p class="facet-note" role="status">"Counting…"</p>
                </details>
            }
            .into_any();
        }
    }
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
    let list = NodeRef::<leptos::html::Ul>::new();
    if let Some(OpenedFacets { focus, .. }) = lazy {
        if focus.get_value() == Some(facet) {
            focus.set_value(None);
            // A frame later: the list may be built before it is in the document.
            list.on_load(move |ul| {
                request_animation_frame(move || {
                    if let Ok(Some(first)) = ul.query_selector("input") {
                        if let Ok(first) = first.dyn_into::<web_sys::HtmlElement>() {
                            let _ = first.focus();
                        }
                    }
                })
            });
        }
    }
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
            <ul class="facet-values" node_ref=list>{items}</ul>
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

/// The year histogram: a picture of the transcripts per year that also selects years
/// with a pointer (click a year, shift-click or drag across a range), beside a "from" and
/// a "to" select that do the same by keyboard and screen reader. The bars are not
/// buttons: at a decade per 200 px they would be touch targets far under 24 px (WCAG
/// 2.5.8); the chart is one target, read by where the pointer is.
#[component]
fn YearHistogram(state: Memo<SearchState>, counts: Vec<FacetCount>) -> impl IntoView {
    let go = expect_context::<Navigator>();
    let s = state.get_untracked();
    let years = year_bars(&counts);
    let (Some(&(first, _)), Some(&(last, _))) = (years.first(), years.last()) else {
        return ().into_any();
    };
    let max = years.iter().map(|y| y.1).max().unwrap_or(1).max(1);
    let select = {
        let s = s.clone();
        move |range: Option<(i32, i32)>| {
            let mut n = s.clone();
            n.years = range.map(|(a, b)| (a.min(b), a.max(b)));
            n.pages = 1;
            go.to(&n, false);
        }
    };
    let chart = NodeRef::<leptos::html::Div>::new();
    let count = years.len();
    // The year under the pointer's x.
    let year_at = move |x: i32| -> Option<i32> {
        let r = chart.get_untracked()?.get_bounding_client_rect();
        if r.width() <= 0.0 {
            return None;
        }
        let i = ((f64::from(x) - r.left()) / r.width() * count as f64).floor();
        Some(first + i.clamp(0.0, (count - 1) as f64) as i32)
    };
    let anchor = StoredValue::new(None::<i32>);
    // A drag selected its range on release: the click that follows must not undo it.
    let dragged = StoredValue::new(false);
    let current = s.years;
    let down = move |ev: leptos::ev::PointerEvent| anchor.set_value(year_at(ev.client_x()));
    let up = {
        let select = select.clone();
        move |ev: leptos::ev::PointerEvent| {
            let (a, b) = (anchor.get_value(), year_at(ev.client_x()));
            anchor.set_value(None);
            if let (Some(a), Some(b)) = (a, b) {
                if a != b {
                    dragged.set_value(true);
                    select(Some((a, b)));
                }
            }
        }
    };
    let click = {
        let select = select.clone();
        move |ev: leptos::ev::MouseEvent| {
            if dragged.get_value() {
                dragged.set_value(false);
                return;
            }
            let Some(y) = year_at(ev.client_x()) else {
                return;
            };
            match current {
                Some((a, _)) if ev.shift_key() => select(Some((a, y))),
                Some((a, b)) if a == y && b == y => select(None),
                _ => select(Some((y, y))),
            }
        }
    };
    let bars = years
        .iter()
        .map(|&(y, c)| {
            let selected = current.is_some_and(|(a, b)| (a..=b).contains(&y));
            let height = format!("height: {}%", if c == 0 { 0 } else { 8 + (92 * c / max) });
            view! {
                <span class="bar" class:selected=selected data-year=y.to_string() title=format!("{y}: {c}")>
                    <span class="bar-fill" style=height></span>
                </span>
            }
        })
        .collect_view();
    // The selects: every year of the span, with its count.
    let options = move |selected: Option<i32>| {
        years
            .iter()
            .map(|&(y, c)| {
                view! { <option value=y.to_string() selected=selected == Some(y)>{format!("{y} ({c})")}</option> }
            })
            .collect_view()
    };
    let (from_options, to_options) = (options(current.map(|r| r.0)), options(current.map(|r| r.1)));
    let pick = move |end: usize| {
        let select = select.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev).parse::<i32>().ok();
            let (a, b) = current.unwrap_or((first, last));
            select(match (end, v) {
                (_, None) => None,
                (0, Some(y)) => Some((y, b.max(y))),
                (_, Some(y)) => Some((a.min(y), y)),
            })
        }
    };
    view! {
        <section class="facet years" aria-labelledby="years-title">
            <h2 class="facet-title" id="years-title">"Year"</h2>
            <div class="histogram" node_ref=chart aria-hidden="true"
                on:pointerdown=down on:pointerup=up on:click=click>{bars}</div>
            <p class="histogram-axis" aria-hidden="true"><span>{first}</span><span>{last}</span></p>
            <p class="year-range">
                <label for="year-from">"From"</label>
                <select id="year-from" on:change=pick(0)><option value="">"any year"</option>{from_options}</select>
                <label for="year-to">"to"</label>
                <select id="year-to" on:change=pick(1)><option value="">"any year"</option>{to_options}</select>
            </p>
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
