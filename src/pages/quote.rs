//! "Check a quote" (issue 15): paste a passage, see the passages of the corpus it comes
//! from, best first, each with its verdict (verbatim or altered), its coverage, a
//! word-level diff, the source paragraph with the matched stretch marked, and a link that
//! opens the paragraph there; a spliced quote shows where each part comes from. The
//! quote lives in the URL (`/quote?text=…`), so a check can be shared and reloaded.
//! The finding is the core's (`stenogram_core::quote`), run in the search worker through
//! [`crate::data::Corpus::quote`], over the whole corpus or the filters in the URL (the
//! same keys as a search's: `/quote?text=…&speaker=…&year=2015`).

use crate::router::{Nav, Router};
use leptos::prelude::*;
use stenogram_core::cite;
use stenogram_core::quote::{DiffKind, DiffOp, QuoteMatch, Verdict};
use stenogram_search_worker::reading::QuoteAnswer;

use crate::app::{href, reading_href};
use crate::components::number::fixed;
use crate::data::CorpusHandle;
use crate::state::{encode, SearchState};

/// Characters one input must add to count as a paste (whose index parts are then loaded
/// at once); typing adds one or two.
const PASTED_CHARS: usize = 20;

/// The quote checker's page.
#[component]
pub fn QuoteCheck() -> impl IntoView {
    let corpus = expect_context::<CorpusHandle>();
    let router = Router::get();
    let query = router.query();
    let text = Memo::new(move |_| query.with(|q| q.get("text")).unwrap_or_default());
    // A reader here is about to paste a quote: start the workbench worker (which runs the
    // finder) and open the index now, with what every quote reads, not on the first
    // Check. A URL that holds a quote asks for it at once: then its own parts go first
    // (the dictionary's 36 shards would queue ahead of them).
    if text.get_untracked().trim().is_empty() {
        corpus.warm_quote();
    } else {
        corpus.warm_workbench();
    }
    let (draft, set_draft) = signal(text.get_untracked());
    // The filters of the URL scope the check, as they scope a search.
    let scope = Memo::new(move |_| query.with(SearchState::from_query));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = draft.get_untracked();
        // The scope stays with the new quote.
        let rest = scope
            .get_untracked()
            .filters_only()
            .to_query()
            .replacen('?', "&", 1);
        router.navigate(
            &href(&format!("/quote?text={}{rest}", encode(t.trim()))),
            Nav::default(),
        );
    };
    // A passage pasted (many characters in one input, not typing) has its index parts
    // loaded at once, while the reader reaches for Check.
    let on_input = {
        let corpus = corpus.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            let before = draft.with_untracked(|d| d.chars().count());
            if v.chars().count() >= before + PASTED_CHARS && !v.trim().is_empty() {
                corpus.quote_parts(v.trim(), &scope.get_untracked().options().filters);
            }
            set_draft.set(v);
        }
    };
    let result = LocalResource::new(move || {
        let corpus = corpus.clone();
        let t = text.get();
        let filters = scope.get().options().filters;
        async move {
            if t.trim().is_empty() {
                return None;
            }
            let answer = corpus.quote(&t, &filters).await.map_err(|e| e.to_string());
            // The answer is read in the worker message's task; the results render in a
            // task of their own (each stays under the 50 ms of a long task).
            gloo_timers::future::TimeoutFuture::new(0).await;
            Some(answer)
        }
    });
    let scoped = move || {
        let s = scope.get();
        let mut names: Vec<String> = s
            .filters
            .iter()
            .map(|(f, v)| format!("{}: {v}", f.label()))
            .collect();
        if let Some((a, b)) = s.years {
            names.push(format!("years {a}–{b}"));
        }
        (!names.is_empty()).then(|| {
            view! { <p class="quote-scope">"Checked against the transcripts matching " {names.join(", ")} "."</p> }
        })
    };
    view! {
        <section class="quote-page">
            <h1>"Check a quote"</h1>
            <p>"Paste a passage (up to about 120 words). The passages of this corpus it comes from are listed best first, with what was changed."</p>
            <form on:submit=submit>
                <label for="quote-text">"Quote"</label>
                <textarea id="quote-text" name="text" prop:value=draft
                    on:input=on_input></textarea>
                <p><button type="submit">"Check"</button></p>
            </form>
            {scoped}
            <Transition fallback=|| view! { <p class="loading" role="status">"Checking…"</p> }>
                {move || Suspend::new(async move {
                    match result.await {
                        None => ().into_any(),
                        Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                        Some(Ok(r)) => view! { <Findings r quote=text.get_untracked()/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A quote's matches and parts, or that none matches.
#[component]
fn Findings(r: QuoteAnswer, quote: String) -> impl IntoView {
    let QuoteAnswer { result: r, titles } = r;
    if r.matches.is_empty() {
        return view! { <p class="no-match" role="status">"No passage in this corpus matches."</p> }
            .into_any();
    }
    let title = |id: &str| {
        titles
            .iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| id.to_string(), |(_, t)| t.clone())
    };
    let parts = (r.parts.len() > 1).then(|| {
        let chars: Vec<char> = quote.chars().collect();
        let items = r
            .parts
            .iter()
            .map(|p| {
                let piece: String = chars
                    .get(p.start.min(chars.len())..p.end.min(chars.len()))
                    .unwrap_or_default()
                    .iter()
                    .collect();
                let to = reading_href(&p.id, &format!("#p-{}", p.paragraph));
                view! {
                    <li>
                        <q>{piece.trim().to_string()}</q>" — from "
                        <a href=to>{format!("{}, paragraph {}", title(&p.id), p.paragraph + 1)}</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="quote-parts">
                <h2>"This quote joins passages from different places"</h2>
                <ol>{items}</ol>
            </section>
        }
    });
    let n = r.matches.len();
    let mut matches = r.matches.into_iter();
    let best = matches.next().map(|m| {
        let t = title(&m.id);
        view! { <MatchView m title=t/> }
    });
    // The best match shows first; the others come in the next animation frame, so that no
    // one task builds and lays out every source paragraph.
    let rest: Vec<(QuoteMatch, String)> = matches
        .map(|m| {
            let t = title(&m.id);
            (m, t)
        })
        .collect();
    let (later, set_later) = signal(false);
    if !rest.is_empty() {
        request_animation_frame(move || {
            set_later.try_set(true);
        });
    }
    let rest = move || {
        later.get().then(|| {
            rest.iter()
                .map(|(m, t)| view! { <MatchView m=m.clone() title=t.clone()/> })
                .collect_view()
        })
    };
    view! {
        <p role="status">{format!("{n} passage{} found", if n == 1 { "" } else { "s" })}</p>
        {parts}
        <ol class="quote-matches">{best}{rest}</ol>
    }
    .into_any()
}

/// One source passage: verdict, coverage, diff, source with the stretch marked, link.
#[component]
fn MatchView(m: QuoteMatch, title: String) -> impl IntoView {
    let (badge, class) = match m.verdict {
        Verdict::Verbatim => ("verbatim", "verdict verdict-verbatim"),
        Verdict::Altered => ("altered", "verdict verdict-altered"),
    };
    // The link marks the matched stretch (`?hl=`), as the text fragment does on a full load.
    let path = reading_href(
        &m.id,
        &format!("?hl={}-{}#p-{}", m.span.0, m.span.1, m.paragraph),
    );
    let origin = window().location().origin().unwrap_or_default();
    // A full load, so the browser applies the text fragment and marks the stretch.
    let open = cite::text_fragment(&format!("{origin}{path}"), &m.text, m.span)
        .unwrap_or_else(|| format!("{origin}{path}"));
    let chars: Vec<char> = m.text.chars().collect();
    let (a, b) = (m.span.0.min(chars.len()), m.span.1.min(chars.len()));
    let cut = |x: usize, y: usize| chars[x..y.max(x)].iter().collect::<String>();
    let (before, marked, after) = (cut(0, a), cut(a, b), cut(b, chars.len()));
    view! {
        <li class="quote-match" data-verdict=badge>
            <p>
                <span class=class>{badge}</span>
                " "<span class="coverage">{format!("coverage {} %", fixed(m.coverage * 100.0, 0))}</span>
                " · "<a class="quote-source-link" href=path>{format!("{title}, paragraph {}", m.paragraph + 1)}</a>
            </p>
            <p class="diff" aria-label="Word-level differences">{diff_view(&m.diff)}</p>
            <blockquote class="quote-source">{before}<mark>{marked}</mark>{after}</blockquote>
            <p><a class="quote-open" href=open rel="external">"Open the paragraph at this passage"</a></p>
        </li>
    }
}

/// The diff inline: equal words plain, omitted struck through (an ellipsis cut muted),
/// inserted underlined, substituted as source struck then quote.
fn diff_view(diff: &[DiffOp]) -> impl IntoView {
    diff.iter()
        .map(|d| {
            let v = match d.op {
                DiffKind::Equal => view! { <span class="d-equal">{d.quote.clone()}</span> }.into_any(),
                DiffKind::Omitted if d.ellipsis => view! { <del class="d-omitted d-ellipsis" title="left out at the quote's ellipsis">{format!("[…{}…]", d.source)}</del> }.into_any(),
                DiffKind::Omitted => view! { <del class="d-omitted" title="in the source, not in the quote">{d.source.clone()}</del> }.into_any(),
                DiffKind::Inserted => view! { <ins class="d-inserted" title="in the quote, not in the source">{d.quote.clone()}</ins> }.into_any(),
                DiffKind::Substituted => view! {
                    <span class="d-substituted" title="the source's words, then the quote's">
                        <del>{d.source.clone()}</del><ins>{d.quote.clone()}</ins>
                    </span>
                }
                .into_any(),
            };
            view! { {v}" " }
        })
        .collect_view()
}
