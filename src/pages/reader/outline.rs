//! The reading view's outline of questions and answers (issue 15): for a press
//! conference or an interview, each question with who asked (label, outlet) and who
//! answered, linked to the question's paragraph and to each answer's. The pairing is the
//! core's (`ingest::qa::questions`, from the turns' `answers` field written at ingest).

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_core::ingest::qa;
use stenogram_core::model::Transcript;

use crate::app::reading_href;

/// A collapsible list of the transcript's questions; nothing when it has none.
#[component]
pub fn QaOutline(t: Arc<Transcript>) -> impl IntoView {
    let questions = qa::questions(&t);
    if questions.is_empty() {
        return ().into_any();
    }
    // First paragraph of every turn, in the same reading order as `Question::turn`.
    let turn_para: Vec<usize> = t.turn_starts().concat();
    let link = |p: usize| reading_href(&t.id, &format!("#p-{p}"));
    let n = questions.len();
    let items = questions
        .into_iter()
        .enumerate()
        .map(|(k, q)| {
            let follow = q.follows.is_some().then(|| view! { <span class="qa-follow">" (follow-up)"</span> });
            let question = match q.paragraph {
                Some(p) => view! { <a class="qa-question" href=link(p)>{format!("Question {}", k + 1)}</a> }.into_any(),
                None => view! { <span>{format!("Question {}", k + 1)}</span> }.into_any(),
            };
            let (asker, answered) = (q.asked_by(), q.answered());
            let answers = q
                .answers
                .iter()
                .filter_map(|&turn| turn_para.get(turn).copied())
                .enumerate()
                .map(|(i, p)| view! { " " <a class="qa-answer" href=link(p)>{qa::Question::answer_label(i)}</a> })
                .collect_view();
            view! {
                <li>
                    {question}{follow}
                    <span class="qa-who">{format!(" — {asker}; {answered}")}</span>
                    {answers}
                </li>
            }
        })
        .collect_view();
    let expanded = n <= qa::OUTLINE_OPEN_MAX;
    view! {
        <details class="qa-outline" open=expanded>
            <summary>{format!("Questions and answers ({n})")}</summary>
            <nav aria-label="Questions and answers">
                <ol>{items}</ol>
            </nav>
        </details>
    }
    .into_any()
}
