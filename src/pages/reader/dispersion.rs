//! The dispersion strip of the reading view: where the active query's hits fall, from
//! the first paragraph to the last, one mark per paragraph with hits (darker for more),
//! each a link to its paragraph. The figures are `stenogram_core::workbench::dispersion`'s,
//! which the worker sends with the view's highlights.

use leptos::prelude::*;

use super::highlight::Highlights;

/// The strip, shown while a query is active and has hits in paragraphs.
#[component]
pub fn DispersionStrip(highlights: Highlights) -> impl IntoView {
    let strip = Memo::new(move |_| {
        let h = highlights.found.get()?;
        let d = &h.dispersion;
        let max = d.marks.iter().map(|m| m.hits).max().unwrap_or(0);
        let marks: Vec<(usize, f64, u32)> = d
            .marks
            .iter()
            .filter_map(|m| Some((m.paragraph?, m.position, m.hits)))
            .collect();
        (!marks.is_empty()).then_some((marks, max, d.paragraphs))
    });
    move || {
        let (marks, max, paragraphs) = strip.get()?;
        let here = {
            let l = window().location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        };
        let total: u32 = marks.iter().map(|m| m.2).sum();
        let links = marks
            .into_iter()
            .map(|(p, pos, hits)| {
                let strength = 0.35 + 0.65 * f64::from(hits) / f64::from(max.max(1));
                view! {
                    <a class="dispersion-mark" href=format!("{here}#p-{p}")
                        style=format!("left: {:.2}%; opacity: {strength:.2}", pos * 100.0)
                        aria-label=format!("Paragraph {}: {hits} hit{}", p + 1, if hits == 1 { "" } else { "s" })
                        title=format!("¶{} · {hits}", p + 1)></a>
                }
            })
            .collect_view();
        Some(view! {
            <nav class="dispersion" aria-label="Where the hits are">
                <span class="dispersion-label">{format!("{total} hits in {paragraphs} paragraphs")}</span>
                <div class="dispersion-strip">{links}</div>
            </nav>
        })
    }
}
