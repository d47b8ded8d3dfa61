//! Long lists rendered a chunk per animation frame: the results list and the
//! workbench's tables. No answer's rendering holds the page thread for long (the budget
//! is 50 ms a task), and the first rows show first.

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
