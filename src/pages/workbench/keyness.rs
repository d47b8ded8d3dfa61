//! The distinctive-words view: words whose frequency in the transcripts the search
//! selects (its query and filters) differs most from the rest of the corpus, both
//! directions, by log-likelihood (G²) with the log ratio as effect size
//! (`view=keyness`, `min=`, `stop=hide`). Computed in the worker over every postings
//! shard, with progress, cancellable.

use leptos::prelude::*;

use stenogram_core::workbench::keyness::{self, KeyRow, KeyTable, KeynessOptions};
use stenogram_search_worker::bench::{Job, Outcome};

use super::colloc::MinAndStop;
use super::{
    download, failure, file_name, fixed, in_view, link, rows_in_frames, use_job, JobStatus,
};
use crate::state::{SearchState, View};

/// Rows per direction.
const ROWS: usize = 50;

fn job(s: &SearchState) -> Option<Job> {
    if !s.is_active() {
        return None;
    }
    Some(Job::Keyness {
        q: s.q.clone(),
        filters: s.options().filters,
        opts: KeynessOptions {
            min_freq: s.bench.min.unwrap_or(KeynessOptions::default().min_freq),
            limit: ROWS,
        },
    })
}

#[component]
pub fn KeynessView(state: Memo<SearchState>) -> impl IntoView {
    let run = use_job(state, job);
    // Tracked: hiding stop words changes the rows shown, not the job.
    let body = move || {
        let s = state.get();
        match run.answer.get() {
            None => ().into_any(),
            Some(None) => view! { <p class="no-results">"Choose a filter (a speaker, a year, a place) or type a query to see the words that set those transcripts apart from the rest."</p> }.into_any(),
            Some(Some(Err(e))) => failure(&e),
            Some(Some(Ok(Outcome::Keyness(t)))) => tables(&s, t).into_any(),
            Some(Some(Ok(_))) => ().into_any(),
        }
    };
    view! {
        <MinAndStop state default_min=KeynessOptions::default().min_freq/>
        <JobStatus run what="Reading the index" cancellable=true/>
        {body}
    }
}

fn tables(s: &SearchState, mut t: KeyTable) -> impl IntoView {
    if s.bench.hide_stop {
        t.over.retain(|r| !r.stop);
        t.under.retain(|r| !r.stop);
    }
    let csv = keyness::to_csv(&t);
    let name = file_name("distinctive-words", &s.q, "csv");
    let export = move |_| download(&name, "text/csv;charset=utf-8", &csv);
    let summary = format!(
        "{} transcripts ({} words) against the other {} words of the corpus.",
        t.set_docs, t.set_words, t.rest_words
    );
    if t.rest_words == 0 {
        return view! { <p class="no-results">"These transcripts are the whole corpus: choose a filter to compare them with the rest."</p> }.into_any();
    }
    view! {
        <div class="bench-bar">
            <p class="bench-total" role="status">{summary}</p>
            <button type="button" class="export" on:click=export>"Export CSV"</button>
        </div>
        <div class="keyness-tables">
            {direction(s, "More frequent here", "over", t.over)}
            {direction(s, "Less frequent here", "under", t.under)}
        </div>
    }
    .into_any()
}

fn direction(
    s: &SearchState,
    title: &'static str,
    id: &'static str,
    rows: Vec<KeyRow>,
) -> impl IntoView {
    let empty = rows.is_empty();
    let state = s.clone();
    let body = rows_in_frames(rows, move |r| {
        // A word opens its concordance within the same filters.
        let mut k = in_view(&state, View::Kwic);
        k.q = r.word.clone();
        let forms = r.forms.join(", ");
        view! {
            <tr>
                <th scope="row"><a href=link(&k) title=forms>{r.word.clone()}</a>
                    {r.stop.then(|| view! { <span class="count">" (stop word)"</span> })}</th>
                <td>{fixed(r.g2, 1)}</td>
                <td>{fixed(r.log_ratio, 2)}</td>
                <td>{fixed(r.set_per_million, 1)}</td>
                <td>{fixed(r.rest_per_million, 1)}</td>
            </tr>
        }
    });
    let heading = format!("keyness-{id}");
    let labelled = heading.clone();
    view! {
        <section class="keyness" aria-labelledby=labelled>
            <h2 id=heading>{title}</h2>
            {if empty {
                view! { <p class="no-results">"None."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="figures">
                            <thead><tr>
                                <th scope="col">"Word"</th>
                                <th scope="col"><abbr title="log-likelihood">"G²"</abbr></th>
                                <th scope="col">"Log ratio"</th>
                                <th scope="col">"Here, per million"</th>
                                <th scope="col">"Rest, per million"</th>
                            </tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
