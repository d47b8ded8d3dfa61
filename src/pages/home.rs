//! Home: the corpus at a glance and every transcript, newest first.

use std::sync::Arc;

use leptos::prelude::*;
use stenogram_core::bundle::DocMeta;

use crate::data::Corpus;

/// The home page.
#[component]
pub fn Home(corpus: Arc<Corpus>) -> impl IntoView {
    let m = &corpus.manifest;
    let count = m.docs.len();
    // The build numbers documents oldest first, so newest first is the reverse.
    let items = m
        .docs
        .iter()
        .rev()
        .map(|d| view! { <DocItem doc=d.clone()/> })
        .collect_view();
    view! {
        <section class="home">
            <h1>{m.corpus.name.clone()}</h1>
            <p class="corpus-stats">{format!("{count} transcript{}", if count == 1 { "" } else { "s" })}</p>
            <h2 class="visually-hidden">"Transcripts"</h2>
            <ol class="doc-list">{items}</ol>
        </section>
    }
}

#[component]
fn DocItem(doc: DocMeta) -> impl IntoView {
    let href = crate::app::href(&format!("/t/{}", crate::state::encode(&doc.id)));
    let facts = [doc.date.clone(), doc.place.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let speakers = doc.speakers.join(", ");
    view! {
        <li class="doc-item">
            <h3><a href=href>{doc.title.clone()}</a></h3>
            <p class="doc-facts">{facts}</p>
            <Show when={let s = speakers.clone(); move || !s.is_empty()}>
                <p class="doc-speakers">{speakers.clone()}</p>
            </Show>
        </li>
    }
}
