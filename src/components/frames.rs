//! Long lists rendered a chunk per animation frame: the results list, the workbench's
//! tables and the reading view's paragraphs ([`Reveal`]). No answer's rendering holds
//! the page thread for long (the budget is 50 ms a task), and the first rows show first.

use leptos::prelude::*;

/// `items` as rows, `per_frame` at once and as many again each animation frame; `row`
/// gets each item's index in `items`. Returns the view and how many rows are rendered so
/// far (for a "Showing N of M…" status).
pub fn rows_in_frames<T, V>(
    items: Vec<T>,
    per_frame: usize,
    row: impl Fn(usize, &T) -> V + Clone + Send + Sync + 'static,
) -> (impl IntoView, ReadSignal<usize>)
where
    T: Send + Sync + 'static,
    V: IntoView + 'static,
{
    let per_frame = per_frame.max(1);
    let items = std::sync::Arc::new(items);
    let len = items.len();
    let (rendered, set_rendered) = signal(len.min(per_frame));
    Effect::new(move |_| {
        if rendered.get() < len {
            request_animation_frame(move || {
                set_rendered.try_update(|r| *r = (*r + per_frame).min(len));
            });
        }
    });
    let chunk = move |c: usize| {
        let first = c * per_frame;
        items[first..((c + 1) * per_frame).min(len)]
            .iter()
            .enumerate()
            .map(|(i, t)| row(first + i, t))
            .collect_view()
    };
    let view = view! {
        <For each=move || 0..rendered.get().div_ceil(per_frame) key=|c| *c let:c>
            {chunk(c)}
        </For>
    };
    (view, rendered)
}

/// How much of a long sequence is on the page: its items in slices of `per_frame`, the
/// first slices at once and one more each animation frame until all are. The reading
/// view reveals a transcript's paragraphs this way, so that opening a long one (a press
/// conference: nearly a thousand paragraphs, each with its tools) is a string of short
/// tasks rather than one that holds the page thread for a second on a phone.
///
/// Each slice has its own signal, read by its items alone: with one signal for the whole
/// sequence, every item would be woken by every frame, and the reactive graph's
/// subscriber sets (index maps, removal linear in their size) made that quadratic: 436 ms
/// of a profile for 876 paragraphs.
#[derive(Clone)]
pub struct Reveal {
    slices: std::sync::Arc<[RwSignal<bool>]>,
    per_slice: usize,
}

impl Reveal {
    /// Reveals the slices holding the first `first` items at once (at least one slice),
    /// then the rest a slice a frame.
    pub fn new(total: usize, first: usize, per_frame: usize) -> Self {
        let per_slice = per_frame.max(1);
        let now = first.div_ceil(per_slice).max(1);
        let slices: std::sync::Arc<[RwSignal<bool>]> = (0..total.div_ceil(per_slice))
            .map(|k| RwSignal::new(k < now))
            .collect();
        reveal_from(slices.clone(), now);
        Self { slices, per_slice }
    }

    /// Whether item `i` is on the page yet; its view is built once, when this turns true.
    pub fn shows(&self, i: usize) -> ReadSignal<bool> {
        self.slices
            .get(i / self.per_slice)
            .map_or_else(|| RwSignal::new(true).read_only(), |s| s.read_only())
    }

    /// Item indices `range` cut where the slices start: each part is revealed at once,
    /// and best inserted as one element built while detached (item by item into the
    /// live page, an 876-paragraph transcript took 2.0 s of script at 4× CPU, against
    /// 1.7–1.9 s a slice at a time).
    pub fn parts(&self, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut i = range.start;
        while i < range.end {
            let end = ((i / self.per_slice + 1) * self.per_slice).min(range.end);
            out.push(i..end);
            i = end;
        }
        out
    }

    /// Reveals everything up to item `i` now (a link to it was followed), and `after`
    /// more items, enough to fill the screen below it.
    pub fn through(&self, i: usize, after: usize) {
        let last = i.saturating_add(after) / self.per_slice;
        for s in self.slices.iter().take(last.saturating_add(1)) {
            show(*s);
        }
    }

    /// Reveals every item now; whether all were already on the page.
    pub fn all(&self) -> bool {
        let before = self
            .slices
            .iter()
            .all(|s| s.try_get_untracked().unwrap_or(true));
        for s in self.slices.iter() {
            show(*s);
        }
        before
    }
}

/// Sets slice signal `s` to shown unless it already is (setting it again would rebuild
/// its items); false once the view that owned it is gone.
fn show(s: RwSignal<bool>) -> bool {
    match s.try_get_untracked() {
        Some(true) => true,
        Some(false) => s.try_set(true).is_none(),
        None => false,
    }
}

/// Reveals slice `k`, then the next, one an animation frame, until the last or until the
/// view is gone.
fn reveal_from(slices: std::sync::Arc<[RwSignal<bool>]>, k: usize) {
    if k >= slices.len() {
        return;
    }
    request_animation_frame(move || {
        if show(slices[k]) {
            reveal_from(slices, k + 1);
        }
    });
}
