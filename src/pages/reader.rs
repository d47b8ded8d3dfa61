//! The reading view: one transcript with its summary, sections and turns, every
//! paragraph addressable as `#p-<index>` (its index in reading order).

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use stenogram_core::model::{Section, Transcript, Turn};

use crate::data::{self, Corpus, LoadError};

/// The reading view of the transcript named by the route's `:id`.
#[component]
pub fn Reader(corpus: Arc<Corpus>) -> impl IntoView {
    let params = use_params_map();
    let doc = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        data::load_transcript(corpus.clone(), id)
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
            <p><button type="button" on:click=move |_| retry()>"Retry"</button></p>
        </section>
    }
}

/// Marks and scrolls to the paragraph named by the URL fragment `hash`.
///
/// The browser's own jump cannot do it: on a cold start it happens before the text is
/// rendered, and the router's pushState navigation does not update `:target`.
fn mark_target(hash: &str) {
    if let Ok(old) = document().query_selector_all(".is-target") {
        for i in 0..old.length() {
            if let Some(el) = old
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            {
                let _ = el.class_list().remove_1("is-target");
            }
        }
    }
    let Some(id) = hash.strip_prefix('#').filter(|h| !h.is_empty()) else {
        return;
    };
    if let Some(el) = document().get_element_by_id(id) {
        el.scroll_into_view();
        let _ = el.class_list().add_1("is-target");
    }
}

#[component]
pub(crate) fn TranscriptView(t: Arc<Transcript>) -> impl IntoView {
    // Paragraph numbers run through the summary and then every turn, as in the core's
    // `Transcript::paragraphs`; each block is told where its numbers start.
    let summary_len = t.summary.len();
    let mut next = summary_len;
    let sections = t
        .sections
        .iter()
        .map(|s| {
            let start = next;
            next += s.turns.iter().map(|t| t.paragraphs.len()).sum::<usize>();
            view! { <SectionView section=s.clone() start doc_id=t.id.clone()/> }
        })
        .collect_view();
    let facts = [t.date.clone(), t.time.clone(), t.place.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let summary = t
        .summary
        .iter()
        .enumerate()
        .map(|(i, p)| view! { <Para index=i text=p.clone() doc_id=t.id.clone()/> })
        .collect_view();
    // Syncs the page (outside Leptos' tree) with the fragment, after this render.
    let hash = leptos_router::hooks::use_location().hash;
    Effect::new(move |_| {
        let h = hash.get();
        request_animation_frame(move || mark_target(&h));
    });
    view! {
        <article class="transcript">
            <header class="transcript-head">
                <h1>{t.title.clone()}</h1>
                <p class="doc-facts">{facts}</p>
            </header>
            {(summary_len != 0).then(|| view! { <section class="summary" aria-label="Summary">{summary}</section> })}
            {sections}
        </article>
    }
}

#[component]
fn SectionView(section: Section, start: usize, doc_id: String) -> impl IntoView {
    let mut next = start;
    let turns = section
        .turns
        .iter()
        .map(|turn| {
            let first = next;
            next += turn.paragraphs.len();
            view! { <TurnView turn=turn.clone() start=first doc_id=doc_id.clone()/> }
        })
        .collect_view();
    view! {
        <section class="section">
            {section.heading.clone().map(|h| view! { <h2>{h}</h2> })}
            {turns}
        </section>
    }
}

#[component]
fn TurnView(turn: Turn, start: usize, doc_id: String) -> impl IntoView {
    let who = turn.speaker.clone().or_else(|| turn.label.clone());
    let unattributed = who.is_none();
    let role = turn.role.clone();
    let note = turn.note.clone();
    let paras = turn
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| view! { <Para index=start + i text=p.clone() doc_id=doc_id.clone()/> })
        .collect_view();
    view! {
        <div class="turn" class:unattributed=unattributed>
            {who.map(|name| view! {
                <p class="speaker">
                    <span class="speaker-name">{name}</span>
                    {role.map(|r| view! { <span class="speaker-role">{r}</span> })}
                    {note.map(|n| view! { <span class="speaker-note">{format!("({n})")}</span> })}
                </p>
            })}
            {paras}
        </div>
    }
}

#[component]
fn Para(index: usize, text: String, doc_id: String) -> impl IntoView {
    let id = format!("p-{index}");
    // A full path, not a bare `#p-n`: the page's `<base href>` would resolve that to home.
    let href = crate::app::href(&format!("/t/{}#{id}", crate::state::encode(&doc_id)));
    view! {
        <p class="para" id=id>
            {text}
            " "
            <a class="permalink" href=href aria-label=format!("Link to paragraph {}", index + 1)>"¶"</a>
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
        let host: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(host);
        let handle = leptos::mount::mount_to(
            host.clone(),
            move || view! { <TranscriptView t=Arc::new(t)/> },
        );
        handle.forget();
        host
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
        assert!(!host.text_content().unwrap().contains("Essential Saker"));
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
