//! The dispersion strip of the reading view: where the active query's hits fall, from
//! the first paragraph to the last. The figures are `stenogram_core::workbench::dispersion`'s,
//! which the worker sends with the view's highlights.
//!
//! Two layers: a tick per paragraph with hits (darker for more), drawn only; and over them
//! a dozen equal stretches, each a link of at least 24 × 24 px (WCAG 2.5.8: one 4 px link
//! per paragraph failed it). A stretch's link goes to its first paragraph with hits; a
//! pointer aims it, as it goes down, at the tick nearest to where it landed, so each mark
//! stays clickable.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::highlight::Highlights;
use crate::components::number::fixed;

/// Stretches of the strip: 12 × 24 px fit the strip's least width (19rem, style/workbench.css).
const STRETCHES: usize = 12;

/// The strip, shown while a query is active and has hits in paragraphs.
#[component]
pub fn DispersionStrip(highlights: Highlights) -> impl IntoView {
    let strip = Memo::new(move |_| {
        let h = highlights.found.get()?;
        let d = h.dispersion.clone();
        let stretches = d.stretches(STRETCHES);
        (!stretches.is_empty()).then_some((d, stretches))
    });
    let bar = NodeRef::<leptos::html::Div>::new();
    move || {
        let (d, stretches) = strip.get()?;
        let here = {
            let l = window().location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        };
        let max = d.marks.iter().map(|m| m.hits).max().unwrap_or(1).max(1);
        let total: u32 = stretches.iter().map(|s| s.hits).sum();
        let ticks = d
            .marks
            .iter()
            .filter(|m| m.paragraph.is_some())
            .map(|m| {
                let strength = 0.35 + 0.65 * f64::from(m.hits) / f64::from(max);
                view! {
                    <span class="dispersion-tick"
                        style=format!("left: {}%; opacity: {}", fixed(m.position * 100.0, 2), fixed(strength, 2))></span>
                }
            })
            .collect_view();
        let d = StoredValue::new(d);
        let links = stretches
            .into_iter()
            .map(|s| {
                let here = here.clone();
                let label = if s.first == s.last {
                    format!("Paragraph {}: {} hit{}", s.first + 1, s.hits, plural(s.hits))
                } else {
                    format!(
                        "Paragraphs {} to {}: {} hit{}",
                        s.first + 1,
                        s.last + 1,
                        s.hits,
                        plural(s.hits)
                    )
                };
                let aim = {
                    let here = here.clone();
                    move |ev: web_sys::PointerEvent| {
                        let (Some(bar), Some(a)) = (
                            bar.get_untracked(),
                            ev.target()
                                .and_then(|t| t.dyn_into::<web_sys::Element>().ok()),
                        ) else {
                            return;
                        };
                        let r = bar.get_bounding_client_rect();
                        let at = (f64::from(ev.client_x()) - r.left()) / r.width().max(1.0);
                        if let Some(p) = d.with_value(|d| d.nearest(at, s.first, s.last)) {
                            let _ = a.set_attribute("href", &format!("{here}#p-{p}"));
                        }
                    }
                };
                view! {
                    <a class="dispersion-mark" href=format!("{here}#p-{}", s.first)
                        style=format!("left: {}%; width: {}%", fixed(s.from * 100.0, 4), fixed((s.to - s.from) * 100.0, 4))
                        data-first=s.first data-last=s.last
                        aria-label=label.clone() title=label on:pointerdown=aim></a>
                }
            })
            .collect_view();
        Some(view! {
            <nav class="dispersion" aria-label="Where the hits are">
                <span class="dispersion-label">
                    {format!("{total} hits in {} paragraphs", d.with_value(|d| d.paragraphs))}
                </span>
                <div class="dispersion-strip" node_ref=bar>
                    <div class="dispersion-ticks" aria-hidden="true">{ticks}</div>
                    {links}
                </div>
            </nav>
        })
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
