//! The collocates view: the words most associated with the query within five words,
//! over the filtered transcripts, by log-likelihood (G²) with MI beside it
//! (`view=colloc`, `min=` least co-occurrences, `stop=hide`). Computed in the worker
//! with progress, cancellable; each collocate opens the concordance of the pair.

use leptos::prelude::*;

use stenogram_core::workbench::colloc::{self, CollocOptions, CollocTable, WINDOW};
use stenogram_search_worker::bench::{Job, Outcome};

use super::{
    download, failure, file_name, fixed, in_view, link, rows_in_frames, use_go, use_job, JobStatus,
};
use crate::state::{SearchState, View};

/// Rows listed.
const ROWS: usize = 100;

fn min_freq(s: &SearchState) -> u64 {
    s.bench.min.unwrap_or(CollocOptions::default().min_freq)
}

fn job(s: &SearchState) -> Option<Job> {
    if s.q.trim().is_empty() {
        return None;
    }
    Some(Job::Collocates {
        q: s.q.clone(),
        filters: s.options().filters,
        window: WINDOW,
        opts: CollocOptions {
            min_freq: min_freq(s),
            limit: ROWS,
        },
    })
}

#[component]
pub fn CollocView(state: Memo<SearchState>) -> impl IntoView {
    let run = use_job(state, job);
    // Tracked: hiding stop words changes the rows shown, not the job.
    let body = move || {
        let s = state.get();
        match run.answer.get() {
            None => ().into_any(),
            Some(None) => view! { <p class="no-results">"Type a word or phrase above to see the words that keep it company."</p> }.into_any(),
            Some(Some(Err(e))) => failure(&e),
            Some(Some(Ok(Outcome::Collocates(t)))) => table(&s, t).into_any(),
            Some(Some(Ok(_))) => ().into_any(),
        }
    };
    view! {
        <MinAndStop state default_min=CollocOptions::default().min_freq/>
        <JobStatus run what="Reading transcripts" cancellable=true/>
        {body}
    }
}

fn table(s: &SearchState, mut t: CollocTable) -> impl IntoView {
    if s.bench.hide_stop {
        t.rows.retain(|r| !r.stop);
    }
    let csv = colloc::to_csv(&t);
    let name = file_name("collocates", &s.q, "csv");
    let export = move |_| download(&name, "text/csv;charset=utf-8", &csv);
    let summary = format!(
        "{} occurrences in {} transcripts; {} words within {WINDOW} words of them.",
        t.node_hits, t.docs, t.window_words
    );
    let empty = t.rows.is_empty();
    let (state, q) = (s.clone(), s.q.clone());
    let rows = rows_in_frames(t.rows, move |r| {
        let mut pair = in_view(&state, View::Kwic);
        pair.bench.near = Some(r.near.stem.clone());
        view! {
            <tr class:stop=r.stop>
                <th scope="row"><a href=link(&pair) title=format!("Concordance of “{}” with “{}” nearby", q, r.word)>{r.word.clone()}</a>
                    {r.stop.then(|| view! { <span class="count">" (stop word)"</span> })}</th>
                <td>{fixed(r.g2, 1)}</td>
                <td>{fixed(r.mi, 2)}</td>
                <td>{r.cooc}</td>
                <td>{r.freq}</td>
            </tr>
        }
    });
    view! {
        <div class="bench-bar">
            <p class="bench-total" role="status">{summary}</p>
            <button type="button" class="export" on:click=export>"Export CSV"</button>
        </div>
        {if empty {
            view! { <p class="no-results">"No word occurs often enough near it; lower the minimum frequency."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="figures colloc-table">
                        <caption>{format!("Collocates of “{}” within {WINDOW} words, strongest first", s.q)}</caption>
                        <thead><tr>
                            <th scope="col">"Collocate"</th>
                            <th scope="col"><abbr title="log-likelihood">"G²"</abbr></th>
                            <th scope="col"><abbr title="mutual information">"MI"</abbr></th>
                            <th scope="col">"Together"</th>
                            <th scope="col">"In all"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}

/// The minimum frequency and the stop-word toggle, shared with the keyness view.
#[component]
pub fn MinAndStop(state: Memo<SearchState>, default_min: u64) -> impl IntoView {
    let go = use_go();
    let set_min = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut s = state.get_untracked();
            s.bench.min = event_target_value(&ev)
                .parse()
                .ok()
                .filter(|&m: &u64| m >= 1 && m != default_min);
            go(&s);
        }
    };
    let toggle = move |_| {
        let mut s = state.get_untracked();
        s.bench.hide_stop = !s.bench.hide_stop;
        go(&s);
    };
    view! {
        <div class="bench-controls">
            <label>"Minimum frequency "
                <input id="min-freq" type="number" min="1" max="1000" inputmode="numeric"
                    prop:value=move || state.get().bench.min.unwrap_or(default_min).to_string() on:change=set_min/>
            </label>
            <label><input type="checkbox" id="hide-stop" prop:checked=move || state.get().bench.hide_stop on:change=toggle/>" Hide stop words"</label>
        </div>
    }
}
