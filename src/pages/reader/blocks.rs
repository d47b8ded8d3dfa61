//! The reading view's blocks: tags, contents, provenance, and the text itself as
//! sections, turns and paragraphs, each paragraph with its anchor (`#p-<index>`), its
//! highlights and its "copy link" and "cite" actions.

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_core::cite::Scope;
use stenogram_core::model::{safe_url, Section, Transcript, Turn};

use super::cite::{selected_text, CiteRequest};
use super::highlight::Marks;
use crate::app::{href, reading_href};
use crate::components::frames::Reveal;
use crate::components::marked::Marked;
use crate::state::encode;

/// Writes `text` to the clipboard and reports how it went in `status`.
pub(super) fn copy(text: String, done: &'static str, status: WriteSignal<String>) {
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
pub(super) fn permalink(id: &str, index: usize) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{}", reading_href(id, &format!("#p-{index}")))
}

/// The publisher's tags, each a link to a search filtered by it.
#[component]
pub fn Tags(t: Arc<Transcript>) -> impl IntoView {
    let items = stenogram_core::preview::tag_links(&t)
        .into_iter()
        .map(|(q, v)| view! { <li><a href=href(&format!("/?{q}")) class="tag">{v}</a></li> })
        .collect_view();
    view! { <ul class="tags inline-list" aria-label="Tags">{items}</ul> }
}

/// A table of contents, when there is more than one headed section.
#[component]
pub fn Contents(t: Arc<Transcript>) -> impl IntoView {
    let headed = stenogram_core::preview::contents_entries(&t);
    if headed.is_empty() {
        return ().into_any();
    }
    let items = headed
        .into_iter()
        .map(|(i, h)| {
            let to = reading_href(&t.id, &format!("#s-{i}"));
            view! { <li><a href=to>{h.clone()}</a></li> }
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
pub fn Provenance(t: Arc<Transcript>) -> impl IntoView {
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
                {source.url.clone().map(|u| view! { <dt>"Source"</dt><dd><SourceLink url=u/></dd> })}
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

/// A source URL as a link only when its scheme is safe ([`safe_url`], checked at render
/// time whatever ingest let through); anything else is shown as inert text.
#[component]
fn SourceLink(url: String) -> impl IntoView {
    match safe_url(&url) {
        Ok(u) => {
            let (to, shown) = (u.to_string(), u.to_string());
            view! { <a href=to rel="noopener noreferrer">{shown}</a> }.into_any()
        }
        Err(_) => view! { <span class="unsafe-url">{url}</span> }.into_any(),
    }
}

/// What every paragraph needs from its transcript view.
#[derive(Clone)]
pub struct ParaCtx {
    pub t: Arc<Transcript>,
    /// How many paragraphs are on the page yet (a long transcript is revealed in slices).
    pub reveal: Reveal,
    pub marks: Marks,
    pub status: WriteSignal<String>,
    /// The citation dialog's request ([`super::cite::CiteDialog`]).
    pub cite: RwSignal<Option<CiteRequest>>,
}

/// One section; `starts` holds its turns' first paragraph indices
/// ([`Transcript::turn_starts`]).
#[component]
pub fn SectionView(
    section: Section,
    number: usize,
    starts: Vec<usize>,
    ctx: ParaCtx,
) -> impl IntoView {
    let turns = section
        .turns
        .iter()
        .zip(starts)
        .enumerate()
        .map(|(k, (turn, start))| view! { <TurnView turn=turn.clone() start at=(number, k) ctx=ctx.clone()/> })
        .collect_view();
    view! {
        <section class="section" id=format!("s-{number}")>
            {section.heading.clone().map(|h| view! { <h2>{h}</h2> })}
            {turns}
        </section>
    }
}

#[component]
fn TurnView(turn: Turn, start: usize, at: (usize, usize), ctx: ParaCtx) -> impl IntoView {
    let cite = ctx.cite;
    let cite_turn = move |_| {
        cite.set(Some(CiteRequest {
            scope: Scope::Turn {
                section: at.0,
                turn: at.1,
            },
            selection: None,
        }))
    };
    // The speaker line shows with the turn's first paragraph.
    let shown = ctx.reveal.shows(start);
    let who = turn.speaker.clone().or_else(|| turn.label.clone());
    let unattributed = who.is_none();
    let role = turn.role.clone();
    let note = turn.note.clone();
    let paras = view! { <Paras first=start texts=turn.paragraphs.clone() ctx=ctx.clone()/> };
    view! {
        <div class="turn" class:unattributed=unattributed>
            {move || shown.get().then(|| who.clone().map(|name| {
                let to = href(&format!("/?speaker={}", encode(&name)));
                let (role, note) = (role.clone(), note.clone());
                view! {
                    <p class="speaker">
                        <a class="speaker-name" href=to title=format!("Search what {name} said")>{name.clone()}</a>
                        {role.map(|r| view! { <span class="speaker-role">{r}</span> })}
                        {note.map(|n| view! { <span class="speaker-note">{format!("({n})")}</span> })}
                        <button type="button" class="tool cite-turn" on:click=cite_turn aria-label=format!("Cite this turn by {name}")>"cite turn"</button>
                    </p>
                }
            }))}
            {paras}
        </div>
    }
}

/// Paragraphs `first..` with `texts`, each slice of them ([`ParaCtx::reveal`]) in an
/// element of its own (`display: contents`: no box of its own), built when the slice is
/// revealed and inserted whole.
#[component]
pub fn Paras(first: usize, texts: Vec<String>, ctx: ParaCtx) -> impl IntoView {
    let texts = std::sync::Arc::new(texts);
    ctx.reveal
        .parts(first..first + texts.len())
        .into_iter()
        .map(|part| {
            let shown = ctx.reveal.shows(part.start);
            let (texts, ctx) = (texts.clone(), ctx.clone());
            move || {
                shown.get().then(|| {
                    let paras = part
                        .clone()
                        .map(|i| view! { <Para index=i text=texts[i - first].clone() ctx=ctx.clone()/> })
                        .collect_view();
                    view! { <div class="para-slice">{paras}</div> }
                })
            }
        })
        .collect_view()
}

#[component]
fn Para(index: usize, text: String, ctx: ParaCtx) -> impl IntoView {
    let id = format!("p-{index}");
    // A full path, not a bare `#p-n`: the page's `<base href>` would resolve that to home.
    let to = reading_href(&ctx.t.id, &format!("#{id}"));
    let marks = ctx.marks;
    let body = move || {
        let m = marks.with(|m| m.get(index).cloned().unwrap_or_default());
        view! { <Marked text=text.clone() marks=m/> }
    };
    let doc_id = ctx.t.id.clone();
    let status = ctx.status;
    let copy_link = move |_| {
        copy(
            permalink(&doc_id, index),
            "Link copied to the clipboard",
            status,
        )
    };
    // The selection is read on press, before a click could clear it.
    let selection = StoredValue::new(None::<String>);
    let open = ctx.cite;
    let cite = move |_| {
        open.set(Some(CiteRequest {
            scope: Scope::Paragraph(index),
            selection: selection.get_value().or_else(selected_text),
        }))
    };
    view! {
        <p class="para" class:lead=index < stenogram_core::preview::FIRST_SCREEN_PARAS id=id>
            <span class="para-text">{body}</span>
            <span class="para-tools">
                <a class="permalink" href=to aria-label=format!("Paragraph {}", index + 1)>"¶"</a>
                <button type="button" class="tool" on:click=copy_link aria-label=format!("Copy link to paragraph {}", index + 1)>"copy link"</button>
                <button type="button" class="tool cite" on:mousedown=move |_| selection.set_value(selected_text()) on:click=cite aria-label=format!("Cite paragraph {}", index + 1)>"cite"</button>
            </span>
        </p>
    }
}
