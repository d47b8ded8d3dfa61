//! Long lists rendered a chunk per animation frame: the results list, the workbench's
//! tables and the reading view's paragraphs ([`Reveal`]); and parts of the page built
//! after the rest: once the browser has had a turn ([`after_a_turn`]) or in a task of
//! their own ([`in_a_later_task`]), both through [`when_ready`]. No answer's rendering
//! holds the page thread for long (the budget is 50 ms a task), and what shows first
//! comes first.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use futures_util::FutureExt;
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

/// `items` as rows, `first` at once and `per_frame` more each animation frame; `row`
/// gets each item's index in `items`. Returns the view and how many rows are rendered so
/// far (for a "Showing N of M…" status).
pub fn rows_in_frames<T, V>(
    items: Vec<T>,
    first: usize,
    per_frame: usize,
    row: impl Fn(usize, &T) -> V + Clone + Send + Sync + 'static,
) -> (impl IntoView, ReadSignal<usize>)
where
    T: Send + Sync + 'static,
    V: IntoView + 'static,
{
    let per_frame = per_frame.max(1);
    let first = first.max(1);
    let items = std::sync::Arc::new(items);
    let len = items.len();
    let (rendered, set_rendered) = signal(len.min(first));
    Effect::new(move |_| {
        if rendered.get() < len {
            request_animation_frame(move || {
                set_rendered.try_update(|r| *r = (*r + per_frame).min(len));
            });
        }
    });
    let chunk = move |c: usize| {
        let items_of = chunk_items(c, first, per_frame, len);
        let from = items_of.start;
        items[items_of]
            .iter()
            .enumerate()
            .map(|(i, t)| row(from + i, t))
            .collect_view()
    };
    let view = view! {
        <For each=move || 0..chunk_count(rendered.get(), first, per_frame) key=|c| *c let:c>
            {chunk(c)}
        </For>
    };
    (view, rendered)
}

/// The items of chunk `c` of `len`: chunk 0 is the first `first`, chunk `c > 0` the
/// `c`-th `per_frame` after them.
fn chunk_items(c: usize, first: usize, per_frame: usize, len: usize) -> std::ops::Range<usize> {
    let start = |c: usize| match c {
        0 => 0,
        c => first.saturating_add((c - 1).saturating_mul(per_frame)),
    };
    start(c).min(len)..start(c + 1).min(len)
}

/// How many chunks hold the first `n` items.
fn chunk_count(n: usize, first: usize, per_frame: usize) -> usize {
    match n {
        0 => 0,
        n => 1 + n.saturating_sub(first).div_ceil(per_frame),
    }
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
    /// then, from [`Reveal::start`], the rest a slice a frame.
    pub fn new(total: usize, first: usize, per_frame: usize) -> Self {
        let per_slice = per_frame.max(1);
        let now = first.div_ceil(per_slice).max(1);
        let slices: std::sync::Arc<[RwSignal<bool>]> = (0..total.div_ceil(per_slice))
            .map(|k| RwSignal::new(k < now))
            .collect();
        Self { slices, per_slice }
    }

    /// Starts revealing the rest a slice a frame: once the items' views are built, so
    /// that the first slices show alone in their first frame, however late that is.
    pub fn start(&self) {
        let next = self
            .slices
            .iter()
            .position(|s| !s.try_get_untracked().unwrap_or(true))
            .unwrap_or(self.slices.len());
        reveal_from(self.slices.clone(), next);
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

/// Ends the current task and goes on in a new one, so that the browser can handle input
/// and paint in between: `scheduler.yield()` where the browser has it (it resumes ahead
/// of other queued work), else a zero-delay timeout.
pub async fn yield_to_browser() {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok();
    let promise = scheduler.and_then(|s| {
        let f = js_sys::Reflect::get(&s, &"yield".into()).ok()?;
        f.dyn_ref::<js_sys::Function>()?
            .call0(&s)
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()
    });
    match promise {
        Some(p) => {
            // A rejection (the task was aborted) is as good as a resumption here.
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        None => gloo_timers::future::TimeoutFuture::new(0).await,
    }
}

/// `view`, built after the rest of the page, once the browser has had a turn: parts of
/// the app's frame that the first paint does not need (the footer, the keyboard
/// shortcuts, the offline notices), so that the start is not one long task
/// (Lighthouse's Total Blocking Time: each function a mount first calls is compiled
/// then, on the page thread). Chromium may run these continuations of
/// `scheduler.yield()` back to back with the mount's own (a CDP trace showed them in
/// one task); separate zero-delay timeouts made no difference Lighthouse could tell.
pub fn after_a_turn(view: impl FnOnce() -> AnyView + 'static) -> impl IntoView {
    when_ready(
        async move {
            yield_to_browser().await;
            view()
        },
        || ().into_any(),
    )
}

/// `view`, built in a task of its own after the current one (a zero-delay timeout, which
/// unlike `scheduler.yield()` is always a new task): the second half of a view whose
/// first build, with each function it calls compiled on first use, is too long for one
/// task. Only for what shows below everything built before it, so that nothing already
/// on screen moves when it comes.
pub fn in_a_later_task(view: impl FnOnce() -> AnyView + 'static) -> impl IntoView {
    when_ready(
        async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            view()
        },
        || ().into_any(),
    )
}

/// The view `view` yields, shown once it is ready: at once if it already is, `pending`
/// meanwhile. It is built under the caller's owner, untracked, as a component is; if the
/// caller is gone by then (the reader moved on), nothing shows it.
pub fn when_ready(
    view: impl Future<Output = AnyView> + 'static,
    pending: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let mut view = Box::pin(ScopedFuture::new_untracked(view));
    if let Some(v) = view.as_mut().now_or_never() {
        return v;
    }
    let slot = SendWrapper::new(Rc::new(RefCell::new(None::<AnyView>)));
    let ready = RwSignal::new(false);
    {
        let slot = slot.clone();
        leptos::task::spawn_local(ScopedFuture::new_untracked(async move {
            *slot.borrow_mut() = Some(view.await);
            ready.try_set(true);
        }));
    }
    (move || match ready.get() {
        true => slot.borrow_mut().take().unwrap_or_else(|| ().into_any()),
        false => pending(),
    })
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_rendered_items_once_in_order() {
        for len in 0..40 {
            for first in 1..8 {
                for per_frame in 1..12 {
                    for n in 0..=len {
                        let seen: Vec<usize> = (0..chunk_count(n, first, per_frame))
                            .flat_map(|c| chunk_items(c, first, per_frame, len))
                            .collect();
                        // Whole chunks: at least the n rendered, never past the next chunk.
                        assert!(seen.iter().copied().eq(0..seen.len()), "{seen:?}");
                        assert!(
                            seen.len() >= n && seen.len() <= len,
                            "{n} of {len}: {seen:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(chunk_items(0, 5, 200, 30), 0..5);
        assert_eq!(chunk_items(1, 5, 200, 30), 5..30);
        assert_eq!(chunk_count(30, 5, 200), 2);
    }
}
