//! The concordance view: every occurrence of the query in the filtered transcripts,
//! one line each (left context | match | right context, aligned on the match), sorted
//! and paged by the URL (`view=kwic&order=left1&page=2&per=50`, `near=` a collocate's
//! stem), each line linking to its paragraph; CSV export of the page.

use leptos::prelude::*;

use stenogram_core::workbench::colloc::WINDOW;
use stenogram_core::workbench::kwic::{self, KwicLine, KwicOptions, KwicSort, Near};
use stenogram_search_worker::bench::{Job, Outcome};

use super::{download, failure, file_name, link, rows_in_frames, use_go, use_job, JobStatus};
use crate::app::reading_href;
use crate::state::{encode, lines_per_page, SearchState, LINES_PER_PAGE};

/// The sorts, their URL names and labels.
const SORTS: [(KwicSort, &str, &str); 6] = [
    (KwicSort::Date, "date", "Date"),
    (KwicSort::Transcript, "transcript", "Transcript"),
    (KwicSort::Left1, "left1", "1st word left"),
    (KwicSort::Left2, "left2", "2nd word left"),
    (KwicSort::Right1, "right1", "1st word right"),
    (KwicSort::Right2, "right2", "2nd word right"),
];

fn sort_of(s: &SearchState) -> KwicSort {
    SORTS
        .iter()
        .find(|x| x.1 == s.bench.order)
        .map_or(KwicSort::Date, |x| x.0)
}

fn job(s: &SearchState) -> Option<Job> {
    if s.q.trim().is_empty() {
        return None;
    }
    Some(Job::Concordance {
        q: s.q.clone(),
        filters: s.options().filters,
        opts: KwicOptions {
            sort: sort_of(s),
            offset: (s.bench.page - 1) * s.bench.per,
            limit: s.bench.per,
            near: s.bench.near.clone().map(|stem| Near {
                stem,
                window: WINDOW,
            }),
            ..Default::default()
        },
    })
}

#[component]
pub fn KwicView(state: Memo<SearchState>) -> impl IntoView {
    let run = use_job(state, job);
    let by_words =
        Memo::new(move |_| !matches!(sort_of(&state.get()), KwicSort::Date | KwicSort::Transcript));
    let go = use_go();
    let set_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut s = state.get_untracked();
            s.bench.order = event_target_value(&ev);
            if s.bench.order == "date" {
                s.bench.order.clear();
            }
            s.bench.page = 1;
            go(&s);
        }
    };
    // The page that holds the first line shown now, so the reader keeps their place.
    let set_per = move |ev: leptos::ev::Event| {
        let mut s = state.get_untracked();
        let per = lines_per_page(&event_target_value(&ev));
        let first = (s.bench.page - 1) * s.bench.per;
        s.bench.page = first / per + 1;
        s.bench.per = per;
        go(&s);
    };
    let body = move || {
        let s = state.get_untracked();
        match run.answer.get() {
            None => ().into_any(),
            Some(None) => view! { <p class="no-results">"Type a word, phrase or prefix above to see every occurrence in context."</p> }.into_any(),
            Some(Some(Err(e))) => failure(&e),
            Some(Some(Ok(Outcome::Concordance(page)))) => {
                let total = page.total.unwrap_or(0);
                let lines = page.lines;
                let csv = kwic::to_csv(&lines);
                let name = file_name("concordance", &s.q, "csv");
                let export = move |_| download(&name, "text/csv;charset=utf-8", &csv);
                let shown = lines.len();
                let pages = (total as usize).div_ceil(s.bench.per).max(1);
                let first = (s.bench.page - 1) * s.bench.per;
                let summary = format!(
                    "{total} occurrence{} in {} transcript{}{}",
                    if total == 1 { "" } else { "s" },
                    page.docs,
                    if page.docs == 1 { "" } else { "s" },
                    s.bench.near.as_ref().map(|n| format!(", with “{n}…” within {WINDOW} words")).unwrap_or_default(),
                );
                let q = s.q.clone();
                let rows = rows_in_frames(lines, move |l| line_row(l, &q));
                view! {
                    <div class="bench-bar">
                        <p class="bench-total" role="status">{summary}</p>
                        <button type="button" class="export" on:click=export>"Export CSV"</button>
                    </div>
                    {(total > 0).then(|| view! {
                        <table class="kwic">
                            <caption class="visually-hidden">{format!("Concordance of {}, lines {} to {}", s.q, first + 1, first + shown)}</caption>
                            <colgroup><col class="kwic-l"/><col class="kwic-m"/><col class="kwic-r"/><col class="kwic-s"/></colgroup>
                            <thead><tr>
                                <th scope="col" class="kwic-left">"Before"</th>
                                <th scope="col" class="kwic-match">"Match"</th>
                                <th scope="col" class="kwic-right">"After"</th>
                                <th scope="col" class="kwic-src">"Speaker, date"</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    })}
                    <Pager state pages/>
                }
                .into_any()
            }
            Some(Some(Ok(_))) => ().into_any(),
        }
    };
    let sort_options = SORTS
        .iter()
        .map(|(_, key, label)| view! { <option value=*key>{*label}</option> })
        .collect_view();
    let current = move || {
        let s = state.get();
        SORTS
            .iter()
            .find(|x| x.0 == sort_of(&s))
            .map_or("date", |x| x.1)
    };
    view! {
        <div class="bench-controls">
            <label>"Sort by " <select id="kwic-sort" on:change=set_sort prop:value=current>{sort_options}</select></label>
            <label>"Lines per page " <select id="kwic-per" on:change=set_per prop:value=move || state.get().bench.per.to_string()>
                {LINES_PER_PAGE.map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
            </select></label>
            {move || state.get().bench.near.map(|n| {
                let mut s = state.get();
                s.bench.near = None;
                s.bench.page = 1;
                view! { <a href=link(&s) class="chip">{format!("Pairs with “{n}…” ×")}</a> }
            })}
        </div>
        // A page by date or transcript reads only its own transcripts; a sort by context
        // words reads every matching one first, which takes a while on a common word.
        {move || if !by_words.get() {
            view! { <JobStatus run what="Reading transcripts" cancellable=true/> }.into_any()
        } else {
            view! { <JobStatus run what="Sorting lines: reading every matching transcript" cancellable=true/> }.into_any()
        }}
        {body}
    }
}

/// One concordance line: the contexts, the match linking to its paragraph, the source.
fn line_row(l: &KwicLine, q: &str) -> impl IntoView {
    let anchor = l.paragraph.map(|p| format!("#p-{p}")).unwrap_or_default();
    let to = reading_href(&l.id, &format!("?q={}{anchor}", encode(q)));
    let src = [l.speaker.clone(), l.date.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let src = if src.is_empty() { l.id.clone() } else { src };
    let where_ = match l.paragraph {
        Some(p) => format!("paragraph {}", p + 1),
        None => "title".into(),
    };
    view! {
        <tr>
            <td class="kwic-left"><span>{l.left.clone()}</span></td>
            <td class="kwic-match"><a href=to title=format!("{} — {where_}", l.id)><mark>{l.matched.clone()}</mark></a></td>
            <td class="kwic-right"><span>{l.right.clone()}</span></td>
            <td class="kwic-src">{src}</td>
        </tr>
    }
}

/// Previous / next page links and the page number.
#[component]
fn Pager(state: Memo<SearchState>, pages: usize) -> impl IntoView {
    let s = state.get_untracked();
    let page = s.bench.page;
    if pages <= 1 && page <= 1 {
        return ().into_any();
    }
    let at = |p: usize| {
        let mut n = s.clone();
        n.bench.page = p;
        link(&n)
    };
    view! {
        <nav class="paging" aria-label="Concordance pages">
            {(page > 1).then(|| view! { <a href=at(page - 1) rel="prev">"← Previous"</a> })}
            <span>{format!("Page {page} of {pages}")}</span>
            {(page < pages).then(|| view! { <a href=at(page + 1) rel="next">"Next →"</a> })}
        </nav>
    }
    .into_any()
}
