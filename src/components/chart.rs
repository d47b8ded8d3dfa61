//! An inline SVG line chart: a few series over the same categories (years, months),
//! with a y axis of round ticks, a legend, and a click target per category. Accessible
//! as an image with a title and a description (`role="img"`); the figures themselves
//! belong in a table beside it. Colours are written into the SVG, so that its markup
//! exported as a file draws the same.

use leptos::prelude::*;

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    /// One value per category.
    pub values: Vec<f64>,
}

/// Distinct colours (Okabe–Ito) and dash patterns, so that lines differ without colour.
const COLOURS: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999",
];
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

const W: f64 = 640.0;
const H: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

/// Round tick values from 0 to at least `max`.
fn ticks(max: f64) -> Vec<f64> {
    if max <= 0.0 || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let n = (max / step).ceil() as usize;
    (0..=n.max(1)).map(|i| i as f64 * step).collect()
}

/// A coordinate as an attribute value.
fn num(v: f64) -> String {
    format!("{v:.1}")
}

fn label(v: f64) -> String {
    if v >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The chart. `on_category` is called with a category's index when it is clicked.
#[component]
pub fn LineChart(
    /// The `<svg>` element's id (for export).
    id: &'static str,
    title: String,
    desc: String,
    categories: Vec<String>,
    lines: Vec<Line>,
    y_label: String,
    #[prop(optional)] on_category: Option<Callback<usize>>,
) -> impl IntoView {
    let n = categories.len().max(1);
    let max = lines
        .iter()
        .flat_map(|l| l.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let ticks = ticks(max);
    let top = *ticks.last().unwrap_or(&1.0);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = move |i: usize| LEFT + plot_w * (i as f64 + 0.5) / n as f64;
    let y = move |v: f64| TOP + plot_h * (1.0 - v / top.max(f64::MIN_POSITIVE));
    let grid = ticks
        .iter()
        .map(|&t| {
            let yy = y(t);
            view! {
                <line x1=num(LEFT) x2=num(W - RIGHT) y1=num(yy) y2=num(yy) stroke="#d0d0d0" stroke-width="1"/>
                <text x=num(LEFT - 6.0) y=num(yy + 4.0) text-anchor="end" font-size="11" fill="#555">{label(t)}</text>
            }
        })
        .collect_view();
    // At most ~12 category labels, evenly spread.
    let every = n.div_ceil(12);
    let xlabels = categories
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, c)| view! { <text x=num(x(i)) y=num(H - BOTTOM + 16.0) text-anchor="middle" font-size="11" fill="#555">{c.clone()}</text> })
        .collect_view();
    let paths = lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let colour = COLOURS[k % COLOURS.len()];
            let dash = DASHES[k % DASHES.len()];
            let points = l
                .values
                .iter()
                .enumerate()
                .map(|(i, &v)| format!("{:.1},{:.1}", x(i), y(if v.is_finite() { v } else { 0.0 })))
                .collect::<Vec<_>>()
                .join(" ");
            let dots = l
                .values
                .iter()
                .enumerate()
                .map(|(i, &v)| view! { <circle cx=num(x(i)) cy=num(y(if v.is_finite() { v } else { 0.0 })) r="2.5" fill=colour/> })
                .collect_view();
            view! {
                <polyline points=points fill="none" stroke=colour stroke-width="2" stroke-dasharray=dash/>
                {dots}
            }
        })
        .collect_view();
    let targets = on_category.map(|cb| {
        (0..n)
            .map(|i| {
                let w = plot_w / n as f64;
                view! {
                    <rect class="chart-target" x=num(LEFT + w * i as f64) y=num(TOP) width=num(w) height=num(plot_h)
                        fill="transparent" on:click=move |_| cb.run(i)/>
                }
            })
            .collect_view()
    });
    let legend = lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let colour = COLOURS[k % COLOURS.len()];
            let dash = DASHES[k % DASHES.len()];
            view! {
                <li>
                    <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke=colour stroke-width="2" stroke-dasharray=dash/></svg>
                    {l.label.clone()}
                </li>
            }
        })
        .collect_view();
    let (title_id, labelled) = (format!("{id}-title"), format!("{id}-title"));
    let (desc_id, described) = (format!("{id}-desc"), format!("{id}-desc"));
    view! {
        <figure class="chart">
            <svg id=id xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {W} {H}") role="img"
                aria-labelledby=labelled aria-describedby=described font-family="system-ui, sans-serif">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{desc}</desc>
                <rect x="0" y="0" width=num(W) height=num(H) fill="#ffffff"/>
                {grid}
                <line x1=num(LEFT) x2=num(W - RIGHT) y1=num(H - BOTTOM) y2=num(H - BOTTOM) stroke="#555" stroke-width="1"/>
                {xlabels}
                <text x="12" y=num(TOP + plot_h / 2.0) font-size="11" fill="#555" text-anchor="middle"
                    transform=format!("rotate(-90 12 {})", TOP + plot_h / 2.0)>{y_label}</text>
                {paths}
                {targets}
            </svg>
            <figcaption><ul class="chart-legend">{legend}</ul></figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(0.0), vec![0.0, 1.0]);
        assert_eq!(ticks(100.0), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        let t = ticks(7.3);
        assert!(*t.last().unwrap() >= 7.3 && t.len() <= 6, "{t:?}");
    }
}
