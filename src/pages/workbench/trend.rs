//! The trends view: per million words and share of transcripts, per year (per month
//! with `by=month`, or when the year filter spans two years at most), of the search's
//! query and up to four more (`vs=`), optionally split by the first query's top speakers
//! (`split=speakers`). A line chart and a table of the same figures; a year opens the
//! results filtered to it; CSV and SVG export.

use leptos::prelude::*;

use stenogram_core::workbench::trend::{self, By, Series};
use stenogram_search_worker::bench::{Job, Outcome, TrendAnswer};

use super::{download, failure, file_name, fixed, link, use_go, use_job, JobStatus};
use crate::components::chart::{Line, LineChart};
use crate::state::{SearchState, View};

/// Speakers of a split.
const SPLIT: usize = 3;

fn by(s: &SearchState) -> By {
    let short = s.years.is_some_and(|(a, b)| b - a <= 1);
    if s.bench.by_month || short {
        By::Month
    } else {
        By::Year
    }
}

fn queries(s: &SearchState) -> Vec<String> {
    std::iter::once(s.q.clone())
        .chain(s.bench.vs.iter().cloned())
        .filter(|q| !q.trim().is_empty())
        .take(trend::MAX_QUERIES)
        .collect()
}

fn job(s: &SearchState) -> Option<Job> {
    let queries = queries(s);
    (!queries.is_empty()).then(|| Job::Trend {
        queries,
        filters: s.options().filters,
        by: by(s),
        speakers: if s.bench.split { SPLIT } else { 0 },
    })
}

/// Every series of an answer, each named (a split's by query and speaker).
fn all_series(a: &TrendAnswer) -> Vec<Series> {
    let mut out = a.series.clone();
    for (speaker, s) in &a.by_speaker {
        let mut s = s.clone();
        s.query = format!("{} — {speaker}", s.query);
        out.push(s);
    }
    out
}

#[component]
pub fn TrendView(state: Memo<SearchState>) -> impl IntoView {
    let run = use_job(state, job);
    let share = RwSignal::new(false);
    let body = move || {
        match run.answer.get() {
            None => ().into_any(),
            Some(None) => view! { <p class="no-results">"Type a word or phrase above to see how often it was used over time."</p> }.into_any(),
            Some(Some(Err(e))) => failure(&e),
            Some(Some(Ok(Outcome::Trend(a)))) => {
                let series = all_series(&a);
                view! { <TrendBody state series share/> }.into_any()
            }
            Some(Some(Ok(_))) => ().into_any(),
        }
    };
    view! {
        <QueryList state/>
        <JobStatus run what="Counting" cancellable=false/>
        {body}
    }
}

/// The chart, the table and the exports of one answer.
#[component]
fn TrendBody(
    state: Memo<SearchState>,
    series: Vec<Series>,
    share: RwSignal<bool>,
) -> impl IntoView {
    let go = use_go();
    let s = state.get_untracked();
    let month = by(&s) == By::Month;
    let keys: Vec<String> = series
        .first()
        .map(|x| x.buckets.iter().map(|b| b.key.clone()).collect())
        .unwrap_or_default();
    if keys.is_empty() {
        return view! { <p class="no-results">"No dated transcript matches these filters."</p> }
            .into_any();
    }
    let year_state = {
        let s = s.clone();
        move |key: &str| {
            let y: i32 = key
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or_default();
            let mut n = s.clone();
            n.years = Some((y, y));
            n.bench.view = View::Results;
            n.pages = 1;
            n
        }
    };
    let on_category = {
        let keys = keys.clone();
        let year_state = year_state.clone();
        Callback::new(move |i: usize| {
            if let Some(k) = keys.get(i) {
                go(&year_state(k));
            }
        })
    };
    let chart = {
        let series = series.clone();
        let keys = keys.clone();
        move || {
            let share = share.get();
            let lines = series
                .iter()
                .map(|x| Line {
                    label: x.query.clone(),
                    values: x
                        .buckets
                        .iter()
                        .map(|b| {
                            if share {
                                b.share * 100.0
                            } else {
                                b.per_million
                            }
                        })
                        .collect(),
                })
                .collect::<Vec<_>>();
            let what = if share {
                "Share of transcripts (%)"
            } else {
                "Per million words"
            };
            let names = series
                .iter()
                .map(|x| format!("“{}”", x.query))
                .collect::<Vec<_>>()
                .join(", ");
            let desc = format!(
                "{what} of {names}, {} from {} to {}. The table below gives every figure.",
                if month { "by month" } else { "by year" },
                keys.first().cloned().unwrap_or_default(),
                keys.last().cloned().unwrap_or_default()
            );
            view! {
                <LineChart id="trend-chart" title=format!("{what}: {names}") desc categories=keys.clone() lines
                    y_label=what.to_string() on_category/>
            }
        }
    };
    let csv = trend::to_csv(&series);
    let csv_name = file_name("trend", &s.q, "csv");
    let svg_name = file_name("trend", &s.q, "svg");
    let export_csv = move |_| download(&csv_name, "text/csv;charset=utf-8", &csv);
    let export_svg = move |_| {
        if let Some(el) = document().get_element_by_id("trend-chart") {
            download(&svg_name, "image/svg+xml", &el.outer_html());
        }
    };
    let head = series
        .iter()
        .map(|x| view! { <th scope="colgroup" colspan="3">{x.query.clone()}</th> })
        .collect_view();
    let sub = series
        .iter()
        .map(|_| view! { <th scope="col">"Hits"</th><th scope="col">"Per million"</th><th scope="col">"Share"</th> })
        .collect_view();
    let rows = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let to = link(&year_state(k));
            let words = series.first().map_or(0, |x| x.buckets[i].words);
            let cells = series
                .iter()
                .map(|x| {
                    let b = &x.buckets[i];
                    view! {
                        <td>{b.hits}</td>
                        <td>{fixed(b.per_million, 1)}</td>
                        <td>{format!("{}/{} ({}%)", b.docs, b.transcripts, fixed(b.share * 100.0, 1))}</td>
                    }
                })
                .collect_view();
            view! {
                <tr><th scope="row"><a href=to title="Open the results of this year">{k.clone()}</a></th><td>{words}</td>{cells}</tr>
            }
        })
        .collect_view();
    view! {
        <div class="bench-bar">
            <fieldset class="measure">
                <legend class="visually-hidden">"Measure"</legend>
                <label><input type="radio" name="measure" prop:checked=move || !share.get() on:change=move |_| share.set(false)/>" Per million words"</label>
                <label><input type="radio" name="measure" prop:checked=move || share.get() on:change=move |_| share.set(true)/>" Share of transcripts"</label>
            </fieldset>
            <button type="button" class="export" on:click=export_csv>"Export CSV"</button>
            <button type="button" class="export" on:click=export_svg>"Export SVG"</button>
        </div>
        {chart}
        <div class="table-scroll">
            <table class="figures trend-table">
                <caption>{if month { "Hits per month" } else { "Hits per year" }}" (a row opens its year's results)"</caption>
                <thead>
                    <tr><th scope="col" rowspan="2">{if month { "Month" } else { "Year" }}</th><th scope="col" rowspan="2">"Words"</th>{head}</tr>
                    <tr>{sub}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The queries compared (the search's own, then up to four more), by month or year,
/// and the split by speaker.
#[component]
fn QueryList(state: Memo<SearchState>) -> impl IntoView {
    let go = use_go();
    let drafts = RwSignal::new(state.get_untracked().bench.vs.clone());
    Effect::new(move |_| drafts.set(state.get().bench.vs));
    let apply = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut s = state.get_untracked();
            s.bench.vs = drafts
                .get_untracked()
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .take(trend::MAX_QUERIES - 1)
                .collect();
            go(&s);
        }
    };
    let inputs = move || {
        let mut v = drafts.get();
        if v.len() < trend::MAX_QUERIES - 1 {
            v.push(String::new());
        }
        v.into_iter()
            .enumerate()
            .map(|(i, text)| {
                let id = format!("vs-{i}");
                view! {
                    <label for=id.clone() class="visually-hidden">{format!("Compare with, query {}", i + 2)}</label>
                    <input id=id type="search" placeholder="Compare with…" prop:value=text
                        on:change=move |ev| drafts.update(|d| {
                            let t = event_target_value(&ev);
                            if i < d.len() { d[i] = t } else { d.push(t) }
                        })/>
                }
            })
            .collect_view()
    };
    let toggle_month = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut s = state.get_untracked();
            s.bench.by_month = event_target_value(&ev) == "month";
            go(&s);
        }
    };
    let toggle_split = move |_| {
        let mut s = state.get_untracked();
        s.bench.split = !s.bench.split;
        go(&s);
    };
    view! {
        <form class="bench-controls trend-queries" on:submit=apply>
            <span class="first-query">{move || format!("“{}”", state.get().q)}</span>
            {inputs}
            <button type="submit">"Compare"</button>
            <label>"By " <select on:change=toggle_month prop:value={move || if by(&state.get()) == By::Month { "month" } else { "year" }}>
                <option value="year">"year"</option>
                <option value="month">"month"</option>
            </select></label>
            <label><input type="checkbox" prop:checked=move || state.get().bench.split on:change=toggle_split/>" Split by top speakers"</label>
        </form>
    }
}
