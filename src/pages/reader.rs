//! The reading view: one transcript with its facts, tags, contents, summary, sections
//! and turns. Every paragraph is addressable as `#p-<index>` (its index in reading
//! order) and has "copy link" and "cite" actions. Opened from a search (`?q=`), the
//! query's words are highlighted and `n` / `N` step through them; "find" searches
//! within the transcript alone.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::search;
use wasm_bindgen::JsCast;

use crate::app::{href, typing_in_field};
use crate::components::marked::Marked;
use crate::data::{CorpusHandle, LoadError};
use crate::state::encode;

/// Highlight ranges of every paragraph, in reading order.
type Marks = Memo<Arc<Vec<Vec<(usize, usize)>>>>;

/// The reading view of the transcript named by the route's `:id`.
#[component]
pub fn Reader() -> impl IntoView {
    let corpus = expect_context::<CorpusHandle>();
    let params = use_params_map();
    let query = use_query_map();
    let doc = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        let corpus = corpus.clone();
        let q = query.with_untracked(|m| m.get("q")).unwrap_or_default();
        async move {
            let t = corpus.transcript(&id).await?;
            // At hand before the first render, so the view opens highlighted.
            corpus.highlighter(&q).await;
            Ok::<_, LoadError>(t)
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading the transcript…"</p> }>
            <ErrorBoundary fallback=move |errors| view! { <DocError errors retry=move || doc.refetch()/> }>
                {move || Suspend::new(async move {
                    let t = doc.await?;
                    Ok::<_, LoadError>(view! { <TranscriptView t/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn DocError(errors: ArcRwSignal<Errors>, retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <section class="error-view" role="alert">
            <h1>"This transcript could not be loaded"</h1>
            <ul>{move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
            <p>
                <button type="button" on:click=move |_| retry()>"Retry"</button>
                " "
                <a href=href("/")>"Back to all transcripts"</a>
            </p>
        </section>
    }
}

/// Marks and scrolls to the paragraph named by the URL fragment `hash`.
///
/// The browser's own jump cannot do it: on a cold start it happens before the text is
/// rendered, and the router's pushState navigation does not update `:target`.
fn mark_target(hash: &str) {
    clear_class("is-target");
    let Some(id) = hash.strip_prefix('#').filter(|h| !h.is_empty()) else {
        return;
    };
    if let Some(el) = document().get_element_by_id(id) {
        el.scroll_into_view();
        let _ = el.class_list().add_1("is-target");
    }
}

fn clear_class(class: &str) {
    if let Ok(old) = document().query_selector_all(&format!(".{class}")) {
        for i in 0..old.length() {
            if let Some(el) = old
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.class_list().remove_1(class);
            }
        }
    }
}

/// Moves the current hit to `i` (wrapping) among the `<mark>`s of the transcript.
fn show_hit(i: usize) {
    clear_class("current-hit");
    let Ok(marks) = document().query_selector_all("article.transcript mark") else {
        return;
    };
    if marks.length() == 0 {
        return;
    }
    if let Some(el) = marks
        .item(i as u32 % marks.length())
        .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
    {
        let _ = el.class_list().add_1("current-hit");
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// Writes `text` to the clipboard and reports how it went in `status`.
fn copy(text: String, done: &'static str, status: WriteSignal<String>) {
    let clipboard = window().navigator().clipboard();
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
            .await
            .is_ok();
        status.set(if ok {
            done.to_string()
        } else {
            format!("Could not copy; here it is: {text}")
        });
    });
}

/// The full URL of paragraph `index` of transcript `id`.
fn permalink(id: &str, index: usize) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{}", href(&format!("/t/{}#p-{index}", encode(id))))
}

#[component]
pub(crate) fn TranscriptView(t: Arc<Transcript>) -> impl IntoView {
    let corpus = use_context::<CorpusHandle>();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    // Opened from a search without a paragraph (a shared link, or a hit whose snippets
    // had not loaded yet): the best-matching paragraph, as the hit's first snippet has it.
    let hash = use_location().hash;
    let best = if hash.get_untracked().is_empty() {
        let text = q.get_untracked();
        corpus
            .as_ref()
            .and_then(|c| c.cached_highlighter(&text))
            .flatten()
            .and_then(|m| m.snippets(&t, 1).first().map(|s| s.paragraph))
    } else {
        None
    };
    let (find, set_find) = signal(String::new());
    let (status, set_status) = signal(String::new());
    // What to highlight: the find box if used, else the search that opened the view.
    let active_query = Memo::new(move |_| {
        let f = find.get();
        let text = if f.trim().is_empty() { q.get() } else { f };
        search::parse(&text)
            .ok()
            .filter(|q| q.root.is_some() || !q.speakers.is_empty())
            .map(|q| (text, q))
    });
    // The search worker's highlighter (typo and prefix expansions) for that text; until it
    // answers, the words are highlighted without the index.
    let fetched = {
        let corpus = corpus.clone();
        LocalResource::new(move || {
            let text = active_query.with(|a| a.as_ref().map(|(t, _)| t.clone()));
            let corpus = corpus.clone();
            async move {
                let m = match (&corpus, &text) {
                    (Some(c), Some(text)) => c.highlighter(text).await,
                    _ => None,
                };
                (text, m)
            }
        })
    };
    let marks: Marks = {
        let t = t.clone();
        Memo::new(move |_| {
            let Some((text, query)) = active_query.get() else {
                return Arc::new(Vec::new());
            };
            let matcher = match corpus.as_ref().and_then(|c| c.cached_highlighter(&text)) {
                Some(m) => m,
                None => fetched
                    .get()
                    .filter(|(t, _)| t.as_deref() == Some(text.as_str()))
                    .and_then(|(_, m)| m),
            };
            Arc::new(
                t.paragraphs()
                    .map(|p| match &matcher {
                        Some(m) => m.highlight(p.text),
                        None => search::highlight(p.text, &query),
                    })
                    .collect(),
            )
        })
    };
    let hit_total = Memo::new(move |_| marks.with(|m| m.iter().map(Vec::len).sum::<usize>()));
    let (current, set_current) = signal(None::<usize>);
    let step = move |forward: bool| {
        let n = hit_total.get_untracked();
        if n == 0 {
            return;
        }
        let next = match (current.get_untracked(), forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        set_current.set(Some(next));
        show_hit(next);
    };
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing_in_field() {
            return;
        }
        match ev.key().as_str() {
            "n" => step(true),
            "N" => step(false),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    // Syncs the page (outside Leptos' tree) with the fragment, after this render.
    Effect::new(move |first: Option<()>| {
        let mut h = hash.get();
        if first.is_none() && h.is_empty() {
            if let Some(p) = best {
                h = format!("#p-{p}");
                // In place, so Back still leaves the transcript in one step.
                let _ = window().history().and_then(|hist| {
                    hist.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&h))
                });
            }
        }
        request_animation_frame(move || mark_target(&h));
    });

    // Paragraph numbers run through the summary and then every turn, as in the core's
    // `Transcript::paragraphs`; each block is told where its numbers start.
    let ctx = ParaCtx {
        t: t.clone(),
        marks,
        status: set_status,
    };
    let summary_len = t.summary.len();
    let mut next = summary_len;
    let sections = t
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let start = next;
            next += s.turns.iter().map(|t| t.paragraphs.len()).sum::<usize>();
            view! { <SectionView section=s.clone() number=i start ctx=ctx.clone()/> }
        })
        .collect_view();
    let summary = t
        .summary
        .iter()
        .enumerate()
        .map(|(i, p)| view! { <Para index=i text=p.clone() ctx=ctx.clone()/> })
        .collect_view();
    let facts = [
        t.date.clone(),
        t.time.clone(),
        t.place.clone(),
        t.kind.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <article class="transcript">
            <header class="transcript-head">
                <p class="back"><a href=move || href(&if q.get().is_empty() { "/".to_string() } else { format!("/?q={}", encode(&q.get())) })>"← Back to results"</a></p>
                <h1>{t.title.clone()}</h1>
                <p class="doc-facts">{facts}</p>
                <Tags t=t.clone()/>
            </header>
            <div class="reader-tools" role="search" aria-label="Find in this transcript">
                <label for="find">"Find in transcript"</label>
                <input id="find" type="search" autocomplete="off" placeholder=move || if q.get().is_empty() { "Words or \"a phrase\"".to_string() } else { q.get() } prop:value=find on:input=move |ev| { set_find.set(event_target_value(&ev)); set_current.set(None); }/>
                <span class="hit-counter" aria-live="polite">
                    {move || match (hit_total.get(), current.get()) {
                        (0, _) if active_query.get().is_some() => "No matches".to_string(),
                        (0, _) => String::new(),
                        (n, Some(i)) => format!("{} of {n}", i + 1),
                        (n, None) => format!("{n} match{}", if n == 1 { "" } else { "es" }),
                    }}
                </span>
                <button type="button" on:click=move |_| step(false) disabled=move || hit_total.get() == 0 aria-label="Previous match (N)">"↑"</button>
                <button type="button" on:click=move |_| step(true) disabled=move || hit_total.get() == 0 aria-label="Next match (n)">"↓"</button>
            </div>
            <p class="copy-status" role="status">{status}</p>
            <Contents t=t.clone()/>
            {(summary_len != 0).then(|| view! { <section class="summary" aria-label="Summary">{summary}</section> })}
            {sections}
            <Provenance t=t.clone()/>
        </article>
    }
}

/// The publisher's tags, each a link to a search filtered by it.
#[component]
fn Tags(t: Arc<Transcript>) -> impl IntoView {
    let link = |key: &str, v: &str| href(&format!("/?{key}={}", encode(v)));
    let items = t
        .tags
        .topics
        .iter()
        .map(|v| (link("topic", v), v.clone()))
        .chain(t.tags.places.iter().map(|v| (link("place", v), v.clone())))
        .chain(
            t.tags
                .persons
                .iter()
                .map(|v| (link("q", &format!("\"{v}\"")), v.clone())),
        )
        .map(|(to, v)| view! { <li><a href=to class="tag">{v}</a></li> })
        .collect_view();
    view! { <ul class="tags inline-list" aria-label="Tags">{items}</ul> }
}

/// A table of contents, when there is more than one headed section.
#[component]
fn Contents(t: Arc<Transcript>) -> impl IntoView {
    let headed: Vec<(usize, String)> = t
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.heading.clone()?)))
        .collect();
    if headed.len() < 2 {
        return ().into_any();
    }
    let id = t.id.clone();
    let items = headed
        .into_iter()
        .map(|(i, h)| {
            let to = href(&format!("/t/{}#s-{i}", encode(&id)));
            view! { <li><a href=to>{h}</a></li> }
        })
        .collect_view();
    view! {
        <nav class="contents" aria-label="Contents">
            <h2>"Contents"</h2>
            <ol>{items}</ol>
        </nav>
    }
    .into_any()
}

/// Where the text came from and what ingest set aside, out of the way of the text.
#[component]
fn Provenance(t: Arc<Transcript>) -> impl IntoView {
    let source = t.source.clone().unwrap_or_default();
    let dropped = t
        .dropped
        .iter()
        .map(|d| view! { <li>{d.clone()}</li> })
        .collect_view();
    let n = t.dropped.len();
    view! {
        <details class="provenance">
            <summary>{format!("Source and ingest notes{}", if n > 0 { format!(" ({n} line{} set aside)", if n == 1 { "" } else { "s" }) } else { String::new() })}</summary>
            <dl>
                {source.url.clone().map(|u| view! { <dt>"Source"</dt><dd><a href=u.clone() rel="noopener noreferrer">{u.clone()}</a></dd> })}
                {source.attribution.clone().or(source.license.clone()).map(|a| view! { <dt>"Licence"</dt><dd>{a}</dd> })}
                {t.lang.clone().map(|l| view! { <dt>"Language"</dt><dd>{l}</dd> })}
                <dt>"Identifier"</dt><dd><code>{t.id.clone()}</code></dd>
            </dl>
            {(n > 0).then(|| view! {
                <p>"Lines removed as not part of the transcript (site chrome, advertisements):"</p>
                <ul class="dropped">{dropped}</ul>
            })}
        </details>
    }
}

/// What every paragraph needs from its transcript view.
#[derive(Clone)]
struct ParaCtx {
    t: Arc<Transcript>,
    marks: Marks,
    status: WriteSignal<String>,
}

#[component]
fn SectionView(section: Section, number: usize, start: usize, ctx: ParaCtx) -> impl IntoView {
    let mut next = start;
    let turns = section
        .turns
        .iter()
        .map(|turn| {
            let first = next;
            next += turn.paragraphs.len();
            view! { <TurnView turn=turn.clone() start=first ctx=ctx.clone()/> }
        })
        .collect_view();
    view! {
        <section class="section" id=format!("s-{number}")>
            {section.heading.clone().map(|h| view! { <h2>{h}</h2> })}
            {turns}
        </section>
    }
}

#[component]
fn TurnView(turn: Turn, start: usize, ctx: ParaCtx) -> impl IntoView {
    let who = turn.speaker.clone().or_else(|| turn.label.clone());
    let unattributed = who.is_none();
    let role = turn.role.clone();
    let note = turn.note.clone();
    let paras = turn
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| view! { <Para index=start + i text=p.clone() ctx=ctx.clone()/> })
        .collect_view();
    view! {
        <div class="turn" class:unattributed=unattributed>
            {who.map(|name| {
                let to = href(&format!("/?speaker={}", encode(&name)));
                view! {
                    <p class="speaker">
                        <a class="speaker-name" href=to title=format!("Search what {name} said")>{name.clone()}</a>
                        {role.map(|r| view! { <span class="speaker-role">{r}</span> })}
                        {note.map(|n| view! { <span class="speaker-note">{format!("({n})")}</span> })}
                    </p>
                }
            })}
            {paras}
        </div>
    }
}

#[component]
fn Para(index: usize, text: String, ctx: ParaCtx) -> impl IntoView {
    let id = format!("p-{index}");
    // A full path, not a bare `#p-n`: the page's `<base href>` would resolve that to home.
    let to = href(&format!("/t/{}#{id}", encode(&ctx.t.id)));
    let marks = ctx.marks;
    let body = move || {
        let m = marks.with(|m| m.get(index).cloned().unwrap_or_default());
        view! { <Marked text=text.clone() marks=m/> }
    };
    let doc_id = ctx.t.id.clone();
    let status = ctx.status;
    let t = ctx.t.clone();
    let copy_link = move |_| {
        copy(
            permalink(&doc_id, index),
            "Link copied to the clipboard",
            status,
        )
    };
    let cite = move |_| {
        let link = permalink(&t.id, index);
        if let Some(c) = stenogram_core::cite::citation(&t, index, &link) {
            copy(c, "Citation copied to the clipboard", status);
        }
    };
    view! {
        <p class="para" id=id>
            <span class="para-text">{body}</span>
            <span class="para-tools">
                <a class="permalink" href=to aria-label=format!("Paragraph {}", index + 1)>"¶"</a>
                <button type="button" class="tool" on:click=copy_link aria-label=format!("Copy link to paragraph {}", index + 1)>"copy link"</button>
                <button type="button" class="tool" on:click=cite aria-label=format!("Copy citation of paragraph {}", index + 1)>"cite"</button>
            </span>
        </p>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests {
    use super::*;
    use stenogram_core::model::{Section, Turn};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn mount(t: Transcript) -> web_sys::HtmlElement {
        let host = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        let host: web_sys::HtmlElement = host.unchecked_into();
        let h = host.clone();
        let handle = leptos::mount::mount_to(host.clone(), move || {
            view! { <leptos_router::components::Router><TranscriptView t=Arc::new(t)/></leptos_router::components::Router> }
        });
        handle.forget();
        h
    }

    /// Regression: transcript text is data, never markup (an `<img onerror>` in a
    /// scraped page must not run).
    #[wasm_bindgen_test]
    fn markup_in_text_renders_inert() {
        let mut t = Transcript::new("x", "<b>Title</b>");
        t.sections = vec![Section {
            heading: Some("<script>alert(1)</script>".into()),
            turns: vec![Turn {
                label: Some("A".into()),
                speaker: Some("<i>A</i>".into()),
                paragraphs: vec![
                    "<img src=x onerror=alert(1)> and <script>window.pwned=1</script>".into(),
                ],
                ..Default::default()
            }],
        }];
        let host = mount(t);
        assert_eq!(
            host.query_selector_all("script, img, b, i")
                .unwrap()
                .length(),
            0
        );
        let text = host.text_content().unwrap();
        assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
        assert!(text.contains("<script>alert(1)</script>"));
    }

    /// The sample, parsed by the same core code inside wasm, renders its 21 speech
    /// paragraphs with numbered anchors that follow the reading order.
    #[wasm_bindgen_test]
    fn sample_renders_with_paragraph_anchors() {
        let raw = include_str!("../../sample/cstu-council-2015.txt");
        let t = stenogram_core::ingest::parse_text("cstu-council-2015", raw, None)
            .expect("sample parses");
        let host = mount(t);
        assert_eq!(host.query_selector_all(".turn .para").unwrap().length(), 21);
        assert!(host.query_selector("#p-0").unwrap().is_some());
        assert!(host.query_selector("#p-23").unwrap().is_some());
        assert!(host.query_selector("#p-24").unwrap().is_none());
        // The advert lines are kept only in the provenance disclosure, never as text.
        let paras = host.query_selector_all(".para, h1, h2, .speaker").unwrap();
        for i in 0..paras.length() {
            assert!(!paras
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
                .contains("Essential Saker"));
        }
        let notes = host.query_selector("details.provenance").unwrap().unwrap();
        assert!(notes.text_content().unwrap().contains("Essential Saker"));
    }

    #[wasm_bindgen_test]
    fn manifest_version_mismatch_is_refused_in_wasm() {
        let err = stenogram_core::bundle::Manifest::from_json(
            r#"{"format":99,"schema":1,"corpus":{"name":"x"},"docs":[]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("format 99"));
    }
}
