//! The reading view's citations: the dialog that cites a paragraph, a turn or the whole
//! transcript in every style and export format `stenogram_core::cite` renders (APA, MLA,
//! Chicago, BibTeX, RIS, CSL-JSON), each with a copy button, plus the copied quote with
//! its citation and a link back (a text-fragment link when the reader selected less
//! than the paragraph); and the Highwire `citation_*` meta tags of the open transcript.
//!
//! The core owns every format; this file only picks the scope, the URL and the quote.

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_core::cite::{self, Scope, Style};
use stenogram_core::model::Transcript;
use stenogram_core::preview::HEAD_MARK;
use wasm_bindgen::{JsCast, JsValue};

use super::blocks::{copy, permalink};
use crate::app::reading_href;
use crate::components::preview::remove_head_tags;

/// What a "cite" action asks for: the scope, and the text the reader had selected when
/// they asked (for a paragraph's copied quote).
#[derive(Clone, Debug, PartialEq)]
pub struct CiteRequest {
    pub scope: Scope,
    pub selection: Option<String>,
}

/// The reader's current text selection, if any (`window.getSelection()`), read through
/// `Reflect` so the app needs no extra web-sys feature for one call.
pub fn selected_text() -> Option<String> {
    let w: JsValue = window().into();
    let get = js_sys::Reflect::get(&w, &"getSelection".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let sel = get.call0(&w).ok()?;
    if sel.is_null() || sel.is_undefined() {
        return None;
    }
    let to_string = js_sys::Reflect::get(&sel, &"toString".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let s = to_string.call0(&sel).ok()?.as_string()?;
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// The transcript's own URL (no paragraph fragment).
fn transcript_url(id: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{}", reading_href(id, ""))
}

/// Character span of `sel` in `paragraph`, if the selection is exactly there (a
/// selection across paragraphs or with re-spaced text is not: the whole paragraph is
/// quoted then).
fn span_of(paragraph: &str, sel: &str) -> Option<(usize, usize)> {
    let at = paragraph.find(sel)?;
    let a = paragraph[..at].chars().count();
    Some((a, a + sel.chars().count()))
}

/// The link and quote a paragraph's "copy quote" uses: the selection when it lies in the
/// paragraph (with a text-fragment link when it is shorter), else the whole paragraph.
fn quote_and_link(t: &Transcript, index: usize, selection: Option<&str>) -> Option<String> {
    let text = t.paragraphs().nth(index)?.text;
    let link = permalink(&t.id, index);
    if let Some((sel, span)) = selection.and_then(|s| Some((s, span_of(text, s)?))) {
        let to = cite::text_fragment(&link, text, span).unwrap_or(link);
        return cite::copied_quote(sel, t, index, &to);
    }
    cite::copied_quote(text, t, index, &link)
}

/// The URL a scope's citation names: a paragraph's or turn's permalink, or the page.
fn scope_url(t: &Transcript, scope: Scope) -> String {
    match scope {
        Scope::Paragraph(i) => permalink(&t.id, i),
        Scope::Turn { section, turn } => t
            .turn_starts()
            .get(section)
            .and_then(|s| s.get(turn))
            .map(|&p| permalink(&t.id, p))
            .unwrap_or_else(|| transcript_url(&t.id)),
        Scope::Transcript => transcript_url(&t.id),
    }
}

fn scope_name(scope: Scope) -> String {
    match scope {
        Scope::Paragraph(i) => format!("paragraph {}", i + 1),
        Scope::Turn { .. } => "this turn".into(),
        Scope::Transcript => "the whole transcript".into(),
    }
}

/// The citation dialog, open while `open` holds a request.
#[component]
pub fn CiteDialog(
    t: Arc<Transcript>,
    open: RwSignal<Option<CiteRequest>>,
    status: WriteSignal<String>,
    site: Option<String>,
) -> impl IntoView {
    let close = move || open.set(None);
    move || {
        let req = open.get()?;
        let r = cite::reference(&t, req.scope, &scope_url(&t, req.scope), site.as_deref())?;
        let formats = [
            ("APA", "apa", cite::format(&r, Style::Apa)),
            ("MLA", "mla", cite::format(&r, Style::Mla)),
            ("Chicago", "chicago", cite::format(&r, Style::Chicago)),
            ("BibTeX", "bibtex", cite::bibtex(&r)),
            ("RIS", "ris", cite::ris(&r)),
            ("CSL-JSON", "csl-json", cite::csl_json(&r)),
        ];
        let quote = match req.scope {
            Scope::Paragraph(i) => quote_and_link(&t, i, req.selection.as_deref()),
            _ => None,
        };
        let entries = formats
            .into_iter()
            .map(|(name, key, text)| {
                let copied = text.clone();
                view! {
                    <div class="cite-entry" data-style=key>
                        <h3>{name}</h3>
                        <pre class="cite-text">{text}</pre>
                        <button type="button" class="tool cite-copy"
                            on:click=move |_| copy(copied.clone(), "Citation copied to the clipboard", status)
                            aria-label=format!("Copy the {name} citation")>"copy"</button>
                    </div>
                }
            })
            .collect_view();
        let quote = quote.map(|q| {
            let copied = q.clone();
            view! {
                <div class="cite-entry" data-style="quote">
                    <h3>"Quote with citation"</h3>
                    <pre class="cite-text">{q}</pre>
                    <button type="button" class="tool cite-copy"
                        on:click=move |_| copy(copied.clone(), "Quote copied to the clipboard", status)
                        aria-label="Copy the quote with its citation">"copy"</button>
                </div>
            }
        });
        let title = format!("Cite {}", scope_name(req.scope));
        let label = title.clone();
        Some(view! {
            <section class="cite-dialog" role="dialog" aria-label=label
                on:keydown=move |e| if e.key() == "Escape" { close() }>
                <header class="cite-head">
                    <h2>{title}</h2>
                    <button type="button" class="tool cite-close" on:click=move |_| close() aria-label="Close the citations">"×"</button>
                </header>
                {quote}
                {entries}
            </section>
        })
    }
}

/// Puts the transcript's Highwire `citation_*` meta tags in `document.head` while the
/// view is open, so a reference manager's connector saves a speech, not a web page. They
/// replace every tag that described a transcript before, the build's page's included
/// (`stenogram_core::preview::HEAD_MARK`).
pub fn use_highwire(t: Arc<Transcript>, site: Option<String>) {
    // The head is outside Leptos' tree: an effect syncs it after render, a cleanup
    // undoes it when the view goes (another transcript or another page).
    Effect::new(move |_| {
        remove_head_tags();
        let doc = document();
        let Some(head) = doc.head() else { return };
        let url = transcript_url(&t.id);
        for (name, content) in cite::highwire(&t, Some(&url), site.as_deref()) {
            if let Ok(el) = doc.create_element("meta") {
                let _ = el.set_attribute("name", name);
                let _ = el.set_attribute("content", &content);
                let _ = el.set_attribute(HEAD_MARK, "");
                let _ = head.append_child(&el);
            }
        }
    });
    on_cleanup(remove_head_tags);
}
