//! The reading view: one transcript with its facts, tags, contents, summary, sections
//! and turns. Every paragraph is addressable as `#p-<index>` (its index in reading
//! order) and has "copy link" and "cite" actions. Opened from a search (`?q=`), the
//! query's words are highlighted and `n` / `N` step through them; "find" searches
//! within the transcript alone.

use std::sync::Arc;

use crate::router::{reader_id, Router};
use leptos::prelude::*;
use stenogram_core::model::Transcript;

use crate::app::href;
use crate::components::frames::Reveal;
use crate::components::latest::Latest;
use crate::data::{CorpusHandle, LoadError};
use crate::state::encode;

mod blocks;
mod cite;
mod dispersion;
mod find;
mod highlight;
mod outline;

use blocks::{Contents, ParaCtx, Paras, Provenance, SectionView, Tags};
use cite::{use_highwire, CiteDialog, CiteRequest};
use find::{clear_class, use_hit_navigator, FindBar};
use highlight::{best_paragraph, pinned, use_highlights};
use outline::QaOutline;

/// The reading view of the transcript named by the route's `:id`.
#[component]
pub fn Reader() -> impl IntoView {
    let corpus = expect_context::<CorpusHandle>();
    let id = reader_id();
    let query = Router::get().query();
    let doc = Latest::new(move || {
        let id = id.get();
        let corpus = corpus.clone();
        let q = query.with_untracked(|m| m.get("q")).unwrap_or_default();
        // The highlights come with the transcript, so the view opens highlighted.
        async move { corpus.document(&id, &q).await }
    });
    // The reading view's code is fetched beside the transcript, not after it.
    crate::split::prefetch(crate::split::preload_reader());
    let retry = move || doc.refetch();
    // The last transcript stays until the next one comes.
    move || match doc.get() {
        None => view! { <p class="loading" role="status">"Loading the transcript…"</p> }.into_any(),
        Some(Err(e)) => view! { <DocError e retry/> }.into_any(),
        Some(Ok(d)) => crate::split::lazy(async move {
            Ok(crate::split::transcript_view(d)
                .await?
                .unwrap_or_else(|e| view! { <DocError e retry/> }.into_any()))
        })
        .into_any(),
    }
}

#[component]
fn DocError(e: LoadError, retry: impl Fn() + 'static) -> impl IntoView {
    crate::components::preview::leave();
    view! {
        <section class="error-view" role="alert">
            <h1>"This transcript could not be loaded"</h1>
            <ul><li>{e.to_string()}</li></ul>
            <p>
                <button type="button" on:click=move |_| retry()>"Retry"</button>
                " "
                <a href=href("/")>"Back to all transcripts"</a>
            </p>
        </section>
    }
}

/// Marks the paragraph named by the URL fragment `hash`, and scrolls to it if `scroll`.
///
/// The browser's own jump cannot do it: on a cold start it happens before the text is
/// rendered, and the router's pushState navigation does not update `:target`.
fn mark_target(hash: &str, scroll: bool) {
    clear_class("is-target");
    let Some(id) = hash.strip_prefix('#').filter(|h| !h.is_empty()) else {
        return;
    };
    if let Some(el) = document().get_element_by_id(id) {
        if scroll {
            el.scroll_into_view();
        }
        let _ = el.class_list().add_1("is-target");
    }
}

/// Paragraphs a phone's screen shows below the one the view opens at, revealed with it.
const SCREEN_PARAS: usize = 12;
/// Paragraphs revealed per animation frame after the first slice: about 5 ms of work on
/// a laptop, 20 on a phone at a quarter of its speed, under the 50 ms of a long task.
const SLICE_PARAS: usize = 24;

/// The paragraph (reading-order index) the fragment `hash` names: `#p-N` itself, `#s-N`
/// its section's first paragraph; `starts` is [`Transcript::turn_starts`].
fn anchor_paragraph(t: &Transcript, starts: &[Vec<usize>], hash: &str) -> Option<usize> {
    let h = hash.strip_prefix('#')?;
    if let Some(p) = h.strip_prefix("p-") {
        return p.parse().ok();
    }
    let s: usize = h.strip_prefix("s-")?.parse().ok()?;
    // An empty section starts where the next paragraph would.
    let later = starts.get(s..)?.iter().flatten().next().copied();
    Some(later.unwrap_or_else(|| t.paragraph_count()))
}

/// A transcript, composed of its blocks, the find bar and the highlight hook.
#[component]
pub(crate) fn TranscriptView(
    t: Arc<Transcript>,
    /// Its document number, for highlight requests (none: nothing is highlighted).
    #[prop(optional)]
    doc: Option<u32>,
) -> impl IntoView {
    let corpus = use_context::<CorpusHandle>();
    let router = Router::get();
    let query = router.query();
    let q = Memo::new(move |_| query.with(|m| m.get("q")).unwrap_or_default());
    let hash = router.hash();
    let best = if hash.get_untracked().is_empty() {
        best_paragraph(doc, &q.get_untracked(), corpus.as_ref())
    } else {
        None
    };
    // A long transcript is revealed a slice a frame; the first slice reaches the
    // paragraph the view opens at.
    let starts = t.turn_starts();
    let opens_at = best.or_else(|| anchor_paragraph(&t, &starts, &hash.get_untracked()));
    let reveal = Reveal::new(
        t.paragraph_count(),
        opens_at.map_or(0, |p| p + SCREEN_PARAS + 1),
        SLICE_PARAS,
    );
    let (find, set_find) = signal(String::new());
    let (status, set_status) = signal(String::new());
    let site = corpus.as_ref().map(|c| c.summary.corpus.name.clone());
    let pinned = Memo::new(move |_| pinned(query.with(|m| m.get("hl")).as_deref(), &hash.get()));
    let highlights = use_highlights(doc, q, find, pinned, corpus);
    let cite = RwSignal::new(None::<CiteRequest>);
    let nav = use_hit_navigator(highlights.total, reveal.clone());
    // The text and the blocks around it come a task after the header (`body` below).
    let body_shown = RwSignal::new(false);

    // Syncs the page (outside Leptos' tree) with the fragment, once the text is there.
    let (t_anchor, starts_anchor, reveal_link) = (t.clone(), starts.clone(), reveal.clone());
    let opened = StoredValue::new(false);
    Effect::new(move |_| {
        if !body_shown.get() {
            return;
        }
        // A reader who has scrolled the build's page (or whom a link's fragment took down
        // it) is reading: the view stays where they are, neither moved to the query's best
        // paragraph nor to the fragment's (which is only marked).
        let place = crate::components::preview::Place::of_preview();
        let reading = place.is_some();
        let mut h = hash.get();
        if !opened.get_value() && h.is_empty() && !reading {
            if let Some(p) = best {
                h = format!("#p-{p}");
                // In place, so Back still leaves the transcript in one step. The full
                // path: a bare fragment resolves against the page's `<base href>`, and
                // the address bar said home (bug: `/stenogram/#p-0` after a search).
                let l = window().location();
                let here = format!(
                    "{}{}{h}",
                    l.pathname().unwrap_or_default(),
                    l.search().unwrap_or_default()
                );
                let _ = window().history().and_then(|hist| {
                    hist.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&here))
                });
            }
        }
        // A link to a paragraph not yet revealed reveals it first.
        if let Some(p) = anchor_paragraph(&t_anchor, &starts_anchor, &h) {
            reveal_link.through(p, SCREEN_PARAS);
        }
        opened.set_value(true);
        match place {
            // The text is in the page, in this frame: the build's page goes.
            None => {
                crate::components::preview::dismiss();
            }
            // The paragraphs down to the reader's are built by the next frame; the page
            // goes then, and the reader's paragraph stands where it stood.
            Some(place) => {
                reveal_link.through(place.paragraph, SCREEN_PARAS);
                request_animation_frame(move || {
                    crate::components::preview::dismiss();
                    place.keep();
                });
            }
        }
        // A frame later than the text: scrolled in the frame that first paints it, the
        // jump counts as everything below moving (a layout shift of 0.15 on a phone).
        request_animation_frame(move || request_animation_frame(move || mark_target(&h, !reading)));
    });

    let ctx = ParaCtx {
        t: t.clone(),
        reveal,
        marks: highlights.marks,
        status: set_status,
        cite,
    };
    let cite_all = move |_| {
        cite.set(Some(CiteRequest {
            scope: stenogram_core::cite::Scope::Transcript,
            selection: None,
        }))
    };
    // Built a task after the header: the two together, with the code each calls compiled
    // on first use, were one task of 110–150 ms at a phone's speed (4× CPU), which
    // Lighthouse counts as blocking; split, neither passes 50 ms by much. All of it shows
    // below the header, so nothing moves when it comes.
    let body = {
        let (t, reveal_rest) = (t.clone(), ctx.reveal.clone());
        crate::components::frames::in_a_later_task(move || {
            use_highwire(t.clone(), site.clone());
            let sections = t
                .sections
                .iter()
                .zip(starts)
                .enumerate()
                .map(|(i, (s, starts))| view! { <SectionView section=s.clone() number=i starts ctx=ctx.clone()/> })
                .collect_view();
            let summary = view! { <Paras first=0 texts=t.summary.clone() ctx=ctx.clone()/> };
            let view = view! {
                <dispersion::DispersionStrip highlights/>
                <p class="copy-status" role="status">{status}</p>
                <CiteDialog t=t.clone() open=cite status=set_status site/>
                <Contents t=t.clone()/>
                <QaOutline t=t.clone()/>
                {(!t.summary.is_empty()).then(|| view! { <section class="summary" aria-label="Summary">{summary}</section> })}
                {sections}
                <Provenance t=t.clone()/>
            }
            .into_any();
            reveal_rest.start();
            body_shown.set(true);
            view
        })
    };
    let facts = stenogram_core::preview::facts(&t);
    // The window's title names the transcript (the build's page says the same).
    let title = stenogram_core::preview::page_title(&t);
    Effect::new(move |_| document().set_title(&title));
    on_cleanup(|| document().set_title(stenogram_core::preview::SHELL_TITLE));
    let back = move || {
        href(&if q.get().is_empty() {
            "/".to_string()
        } else {
            format!("/?q={}", encode(&q.get()))
        })
    };
    view! {
        <article class="transcript">
            <header class="transcript-head">
                <p class="back"><a href=back>"← Back to results"</a></p>
                <h1>{t.title.clone()}</h1>
                <p class="doc-facts">{facts}</p>
                <Tags t=t.clone()/>
                <p class="cite-all"><button type="button" class="tool" on:click=cite_all>"Cite this transcript"</button></p>
            </header>
            <FindBar q find set_find highlights nav/>
            {body}
        </article>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests {
    use super::*;
    use stenogram_core::model::{Section, Turn};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// `t` mounted, once its text is on the page too (a task after the header).
    async fn mount(t: Transcript) -> web_sys::HtmlElement {
        let host = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        let host: web_sys::HtmlElement = host.unchecked_into();
        let h = host.clone();
        let handle = leptos::mount::mount_to(host.clone(), move || {
            crate::router::Router::detached("/t/x");
            view! { <TranscriptView t=Arc::new(t)/> }
        });
        handle.forget();
        gloo_timers::future::TimeoutFuture::new(20).await;
        h
    }

    /// Regression: transcript text is data, never markup (an `<img onerror>` in a
    /// scraped page must not run).
    #[wasm_bindgen_test]
    async fn markup_in_text_renders_inert() {
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
        let host = mount(t).await;
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

    /// Issue 15: a press conference shows its questions, each linked to the question's
    /// paragraph and to its answer's.
    #[wasm_bindgen_test]
    async fn questions_outline_links_question_and_answer() {
        let raw = include_str!("../../../e2e/fixtures/energy-press-2016.txt");
        let t = stenogram_core::ingest::parse_text("energy-press-2016", raw, None)
            .expect("fixture parses");
        assert!(!stenogram_core::ingest::qa::questions(&t).is_empty());
        let host = mount(t).await;
        let nav = host.query_selector(".qa-outline").unwrap().unwrap();
        let text = nav.text_content().unwrap();
        assert!(text.contains("Ivan Sorokin"), "{text}");
        assert!(nav.query_selector("a.qa-question").unwrap().is_some());
        assert!(nav.query_selector("a.qa-answer").unwrap().is_some());
    }

    /// Issue 12: a source URL is checked when rendered, whatever ingest let through: a
    /// `javascript:` URL is shown as text, never as a link.
    #[wasm_bindgen_test]
    async fn javascript_source_url_renders_no_link() {
        let mut t = Transcript::new("x", "T");
        t.source = Some(stenogram_core::model::Source {
            url: Some("javascript:alert(1)".into()),
            ..Default::default()
        });
        let host = mount(t).await;
        let prov = host.query_selector("details.provenance").unwrap().unwrap();
        assert!(prov.text_content().unwrap().contains("javascript:alert(1)"));
        assert_eq!(prov.query_selector_all("a").unwrap().length(), 0);
        assert!(host
            .query_selector("a[href^='javascript']")
            .unwrap()
            .is_none());
    }

    /// The sample, parsed by the same core code inside wasm, renders its 21 speech
    /// paragraphs with numbered anchors that follow the reading order.
    #[wasm_bindgen_test]
    async fn sample_renders_with_paragraph_anchors() {
        let raw = include_str!("../../../sample/cstu-council-2015.txt");
        let t = stenogram_core::ingest::parse_text("cstu-council-2015", raw, None)
            .expect("sample parses");
        let host = mount(t).await;
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
