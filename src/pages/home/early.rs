//! The search box shown while the corpus loads, so that a reader can type at once.
//!
//! Home's own box needs the corpus (its results, its warm-up), which is ready only once
//! the search worker has fetched its wasm, the manifest and the index's entry: half a
//! second of a cold load on a desktop, seconds on a phone (issue 13). This box takes the
//! same place with the same markup, keeps what is typed in [`EarlyQuery`], and an Enter
//! puts the query in the URL; home's box takes the text over as the early box leaves (and the
//! focus, if this box had it), and the search runs as soon as the index is open.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::href;
use crate::router::{Nav, Router};
use crate::state::SearchState;

/// What was typed into the early box, and whether it had the keyboard focus last:
/// provided by the app, taken once by home's box.
#[derive(Clone, Copy)]
pub struct EarlyQuery {
    text: StoredValue<String>,
    focused: StoredValue<bool>,
}

impl EarlyQuery {
    pub fn new() -> EarlyQuery {
        EarlyQuery {
            text: StoredValue::new(String::new()),
            focused: StoredValue::new(false),
        }
    }
}

/// The early box in the page, if it still is.
fn early_box() -> Option<web_sys::Element> {
    document()
        .query_selector("input[data-early]")
        .ok()
        .flatten()
}

/// Hands what was typed into the early box over to home's box `el` when the early box
/// leaves the page: `apply` gets the text (empty when nothing was typed), and `el` the
/// focus if the early box had it. Home is built while its first results are pending,
/// and the early box shows (and takes keys) until they come; a mutation observer's
/// callback runs right after the change that removes it, before the browser handles
/// another key, so no key is lost in between.
pub fn hand_over(
    early: EarlyQuery,
    el: web_sys::HtmlInputElement,
    apply: impl FnOnce(String) + 'static,
) {
    let finish = move || {
        apply(std::mem::take(&mut *early.text.write_value()));
        let idle = document()
            .active_element()
            .is_none_or(|a| document().body().is_some_and(|b| a == *b));
        if std::mem::take(&mut *early.focused.write_value()) && idle {
            let _ = el.focus();
            let end = el.value().encode_utf16().count() as u32;
            let _ = el.set_selection_range(end, end);
        }
    };
    if early_box().is_none() {
        finish();
        return;
    }
    let finish = std::cell::RefCell::new(Some(finish));
    let watch =
        wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array, web_sys::MutationObserver)>::new(
            move |_: js_sys::Array, observer: web_sys::MutationObserver| {
                if early_box().is_none() {
                    observer.disconnect();
                    if let Some(f) = finish.borrow_mut().take() {
                        f();
                    }
                }
            },
        );
    let Ok(observer) = web_sys::MutationObserver::new(watch.as_ref().unchecked_ref()) else {
        return;
    };
    let init = web_sys::MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    if let Some(body) = document().body() {
        let _ = observer.observe_with_options(&body, &init);
    }
    // Once a page load, and small: the callback lives as long as the page.
    watch.forget();
}

/// The search box's placeholder, the same in both boxes.
pub const PLACEHOLDER: &str = "Search transcripts — press / to focus";

/// The query syntax in brief, under both boxes (`#q-help`, which the box names).
#[component]
pub fn QueryHelp() -> impl IntoView {
    view! {
        <p id="q-help" class="query-help">
            "Words all must match; " <code>"\"exact phrase\""</code> ", " <code>"OR"</code> ", " <code>"-exclude"</code> ", "
            <code>"prefix*"</code> ", " <code>"speaker:\"Name\""</code> ", " <code>"date:2015..2016"</code> "."
        </p>
    }
}

/// The box and the loading note, in home's place while the corpus loads.
#[component]
pub fn EarlySearchBox() -> impl IntoView {
    let early = expect_context::<EarlyQuery>();
    let router = Router::get();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = SearchState {
            q: early.text.get_value(),
            ..SearchState::default()
        };
        if !s.q.trim().is_empty() {
            router.navigate(&href(&format!("/{}", s.to_query())), Nav::default());
        }
    };
    view! {
        <div class="search-page">
            <form class="search-box" role="search" on:submit=on_submit>
                <label for="q" class="visually-hidden">"Search transcripts"</label>
                <input
                    id="q"
                    type="search"
                    name="q"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder=PLACEHOLDER
                    aria-describedby="q-help"
                    data-early=""
                    on:input=move |ev| early.text.set_value(event_target_value(&ev))
                    on:focus=move |_| early.focused.set_value(true)
                    on:blur=move |ev: leptos::ev::FocusEvent| {
                        // Focus moved to another element; a removal (home's box taking
                        // over) has none.
                        if ev.related_target().is_some() {
                            early.focused.set_value(false);
                        }
                    }
                />
                <label for="sort" class="visually-hidden">"Sort results"</label>
                <select id="sort" disabled>
                    <option value="relevance">"Most relevant"</option>
                </select>
                <button type="submit">"Search"</button>
                <QueryHelp/>
            </form>
            <p class="loading" role="status">"Loading the corpus…"</p>
        </div>
    }
}
