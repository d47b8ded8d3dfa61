//! One result of a search: its title, facts and speakers, and the snippets the search
//! worker cuts from its transcript once the hit nears the viewport.

use leptos::prelude::*;

use stenogram_core::bundle::DocMeta;

use crate::app::reading_href;
use crate::components::frames::yield_to_browser;
use crate::components::latest::Latest;
use crate::components::marked::Marked;
use crate::data::{CorpusHandle, SearchFailure};
use crate::state::encode;
use stenogram_core::search::Snippet;

/// One result: title, facts, and up to three snippets, which the worker computes from
/// its transcript.
///
/// `ready`: its snippets, fetched with the search (rendered at once, so nothing moves);
/// else `eager`: fetch them now; otherwise once the hit nears the viewport.
#[component]
pub(super) fn HitItem(
    row: DocMeta,
    doc: u32,
    q: String,
    eager: bool,
    ready: Option<Vec<Snippet>>,
) -> impl IntoView {
    let corpus = expect_context::<CorpusHandle>();
    let meta = row;
    let qs = if q.trim().is_empty() {
        String::new()
    } else {
        format!("?q={}", encode(&q))
    };
    let doc_link = reading_href(&meta.id, &qs);
    let facts = [meta.date.clone(), meta.place.clone(), meta.kind.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let speakers = meta
        .speakers
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    // The title links to the best paragraph (the first snippet's) once it is known;
    // without it the reading view finds that paragraph itself.
    let best = RwSignal::new(None::<usize>);
    let link = {
        let doc_link = doc_link.clone();
        move || match best.get() {
            Some(p) => format!("{doc_link}#p-{p}"),
            None => doc_link.clone(),
        }
    };
    let item = move |s: Snippet, doc_link: &str| {
        let to = format!("{doc_link}#p-{}", s.paragraph);
        view! {
            <li class="snippet"><a href=to class="snippet-link"><Marked text=s.text marks=s.highlights/></a></li>
        }
    };
    if let Some(list) = &ready {
        best.set(list.first().map(|s| s.paragraph));
    }
    let snippets = (!q.trim().is_empty()).then(|| {
        if let Some(list) = ready {
            let doc_link = doc_link.clone();
            return view! {
                <ul class="snippets">{list.into_iter().map(|s| item(s, &doc_link)).collect_view()}</ul>
            }
            .into_any();
        }
        let load = move || {
            let corpus = corpus.clone();
            let q = q.clone();
            let doc_link = doc_link.clone();
            let snips = Latest::new(move || {
                let corpus = corpus.clone();
                let q = q.clone();
                async move {
                    // Each hit's snippets are their own task: the results page renders
                    // first, and no task grows with the number of hits.
                    yield_to_browser().await;
                    let snippets = corpus.snippets(&q, doc).await?;
                    best.set(snippets.first().map(|s| s.paragraph));
                    Ok::<_, SearchFailure>(snippets)
                }
            });
            move || match snips.get() {
                None => ().into_any(),
                Some(Ok(list)) => list
                    .into_iter()
                    .map(|s| item(s, &doc_link))
                    .collect_view()
                    .into_any(),
                Some(Err(e)) => view! { <li class="snippet error">{e.to_string()}</li> }.into_any(),
            }
        };
        let node = NodeRef::<leptos::html::Ul>::new();
        let visible = RwSignal::new(eager);
        if !eager {
            node.on_load(move |el| when_near_viewport(el.into(), move || visible.set(true)));
        }
        let snippets = move || visible.get().then(load.clone());
        view! { <ul class="snippets" node_ref=node>{snippets}</ul> }.into_any()
    });
    view! {
        <li class="hit">
            <h3><a href=link>{meta.title.clone()}</a></h3>
            <p class="doc-facts">{facts}</p>
            {(!speakers.is_empty()).then(|| view! { <p class="doc-speakers">{speakers}</p> })}
            {snippets}
        </li>
    }
}

/// Calls `f` once `el` comes within a screen of the viewport (at once if it is there).
fn when_near_viewport(el: web_sys::Element, f: impl FnOnce() + 'static) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let f = std::cell::Cell::new(Some(f));
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let near = entries.iter().any(|e| {
                e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if near {
                observer.disconnect();
                if let Some(f) = f.take() {
                    f();
                }
            }
        },
    );
    let opts = web_sys::IntersectionObserverInit::new();
    opts.set_root_margin("100% 0px");
    let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &opts)
    else {
        return;
    };
    observer.observe(&el);
    let owned = send_wrapper::SendWrapper::new((observer, callback));
    on_cleanup(move || owned.0.disconnect());
}
