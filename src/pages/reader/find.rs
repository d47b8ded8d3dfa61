//! The reading view's find bar and hit navigator: a box that searches within the
//! transcript alone, the match counter, and stepping through the `<mark>`s with the
//! arrows or `n` / `N`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::highlight::Highlights;
use crate::app::typing_in_field;
use crate::components::frames::Reveal;

/// Which highlighted match is current, and how to move it.
#[derive(Clone, Copy)]
pub struct HitNavigator {
    total: Memo<usize>,
    /// The transcript's paragraphs on the page: a match is counted in the DOM's order, so
    /// stepping first reveals them all.
    reveal: StoredValue<Reveal>,
    current: ReadSignal<Option<usize>>,
    set_current: WriteSignal<Option<usize>>,
}

impl HitNavigator {
    /// Moves to the next (or previous) match, wrapping, and scrolls it into view.
    pub fn step(self, forward: bool) {
        let n = self.total.get_untracked();
        if n == 0 {
            return;
        }
        let next = match (self.current.get_untracked(), forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.set_current.set(Some(next));
        if self.reveal.with_value(Reveal::all) {
            show_hit(next);
        } else {
            // Once the paragraphs just revealed are rendered.
            request_animation_frame(move || show_hit(next));
        }
    }

    /// Forgets the current match (the highlighted query changed).
    pub fn reset(self) {
        self.set_current.set(None);
    }

    /// "3 of 12", "12 matches", "No matches" or nothing.
    fn counter(self, searching: bool) -> String {
        match (self.total.get(), self.current.get()) {
            (0, _) if searching => "No matches".to_string(),
            (0, _) => String::new(),
            (n, Some(i)) => format!("{} of {n}", i + 1),
            (n, None) => format!("{n} match{}", if n == 1 { "" } else { "es" }),
        }
    }
}

/// A navigator over `total` matches, with `n` / `N` bound on the window for as long as
/// the calling component lives.
pub fn use_hit_navigator(total: Memo<usize>, reveal: Reveal) -> HitNavigator {
    let (current, set_current) = signal(None::<usize>);
    let nav = HitNavigator {
        total,
        reveal: StoredValue::new(reveal),
        current,
        set_current,
    };
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing_in_field() {
            return;
        }
        match ev.key().as_str() {
            "n" => nav.step(true),
            "N" => nav.step(false),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());
    nav
}

/// The find box, the match counter and the previous / next buttons.
#[component]
pub fn FindBar(
    /// The query that opened the view, shown as the box's placeholder.
    q: Memo<String>,
    find: ReadSignal<String>,
    set_find: WriteSignal<String>,
    highlights: Highlights,
    nav: HitNavigator,
) -> impl IntoView {
    let none = move || highlights.total.get() == 0;
    view! {
        <div class="reader-tools" role="search" aria-label="Find in this transcript">
            <label for="find">"Find in transcript"</label>
            <input id="find" type="search" autocomplete="off"
                placeholder=move || if q.get().is_empty() { "Words or \"a phrase\"".to_string() } else { q.get() }
                prop:value=find
                on:input=move |ev| { set_find.set(event_target_value(&ev)); nav.reset(); }/>
            <span class="hit-counter" aria-live="polite">
                {move || nav.counter(highlights.active.with(Option::is_some))}
            </span>
            <button type="button" on:click=move |_| nav.step(false) disabled=none aria-label="Previous match (N)">"↑"</button>
            <button type="button" on:click=move |_| nav.step(true) disabled=none aria-label="Next match (n)">"↓"</button>
        </div>
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

/// Removes `class` from every element that has it.
pub fn clear_class(class: &str) {
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
