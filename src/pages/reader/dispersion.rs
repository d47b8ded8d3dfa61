//! The dispersion strip of the reading view: where the active query's hits fall, from
//! the first paragraph to the last, one mark per paragraph with hits (darker for more),
//! a click on it goes to the nearest mark's paragraph. The figures are `stenogram_core::workbench::dispersion`'s,
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
    let navigate = leptos_router::hooks::use_navigate();
    let chart = NodeRef::<leptos::html::Div>::new();
    move || {
        let (marks, max, paragraphs) = strip.get()?;
        let total: u32 = marks.iter().map(|m| m.2).sum();
        let spans = marks
            .iter()
            .map(|&(p, pos, hits)| {
                let strength = 0.35 + 0.65 * f64::from(hits) / f64::from(max.max(1));
                view! {
                    <span class="dispersion-mark" data-p=p.to_string()
                        style=format!("left: {:.2}%; opacity: {strength:.2}", pos * 100.0)
                        title=format!("¶{} · {hits}", p + 1)></span>
                }
            })
            .collect_view();
        // One pointer target, not a row of 4 px links (WCAG 2.5.8): a click goes to the
        // mark nearest to it. Keyboards step through the hits with n / N.
        let navigate = navigate.clone();
        let click = move |ev: leptos::ev::MouseEvent| {
            let Some(r) = chart
                .get_untracked()
                .map(|el| el.get_bounding_client_rect())
            else {
                return;
            };
            if r.width() <= 0.0 {
                return;
            }
            let at = (f64::from(ev.client_x()) - r.left()) / r.width();
            let nearest = marks
                .iter()
                .min_by(|a, b| (a.1 - at).abs().total_cmp(&(b.1 - at).abs()));
            if let Some(&(p, _, _)) = nearest {
                let l = window().location();
                let here = format!(
                    "{}{}",
                    l.pathname().unwrap_or_default(),
                    l.search().unwrap_or_default()
                );
                navigate(
                    &format!("{here}#p-{p}"),
                    leptos_router::NavigateOptions {
                        resolve: false,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
        };
        Some(view! {
            <div class="dispersion">
                <span class="dispersion-label">{format!("{total} hits in {paragraphs} paragraphs")}</span>
                <div class="dispersion-strip" node_ref=chart on:click=click aria-hidden="true">{spans}</div>
            </div>
        })
    }
}
