//! A reading URL's static page, as the build writes it (`stenogram_core::preview`):
//! the transcript's header and text in `#preview`, painted before any wasm
//! arrives. The stylesheet hides the app while it is in the page; the app removes it once
//! the reading view shows that transcript's text, or at once when the app shows anything
//! else (another route, an error). Every node on screen is then replaced in one frame and
//! none moves, so the swap is no layout shift. The page's head tags (citation, Open
//! Graph, canonical) stay until the reading view puts its own, or go with the preview
//! when the app shows something else.

use leptos::prelude::*;
use stenogram_core::preview::{HEAD_MARK, PREVIEW_ID, SHELL_TITLE};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

use crate::router::Route;

/// The id of the transcript the page's preview shows, if the page has one.
fn shown() -> Option<String> {
    document()
        .get_element_by_id(PREVIEW_ID)?
        .get_attribute("data-id")
}

/// Removes the preview, if the page has one (then `true`): the app, hidden while it is
/// there, shows.
pub fn dismiss() -> bool {
    let Some(el) = document().get_element_by_id(PREVIEW_ID) else {
        return false;
    };
    el.remove();
    true
}

/// Where a reader who has scrolled the page stands: the first paragraph on screen and
/// how far below the window's top it starts (negative: it started above).
///
/// The page holds the whole text, so a reader may be far down it, or a link's fragment
/// took them there, when the app comes. The app's paragraphs off screen are not laid out
/// yet (`content-visibility`), so the same scroll offset would show other text: the
/// view reveals through this paragraph and puts it back where it stood ([`Place::keep`]).
#[derive(Clone, Copy, Debug)]
pub struct Place {
    /// The paragraph's reading-order index (`#p-N`).
    pub paragraph: usize,
    top: f64,
}

impl Place {
    /// The reader's place in the preview, if the page has one and it is scrolled.
    pub fn of_preview() -> Option<Place> {
        let root = document().get_element_by_id(PREVIEW_ID)?;
        if window().scroll_y().ok()? <= 0.0 {
            return None;
        }
        let list = root.query_selector_all(".para").ok()?;
        let para = |i: u32| {
            list.item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        };
        // In reading order, each below the last: the first whose bottom is on screen.
        let (mut lo, mut hi) = (0, list.length());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let above = para(mid).is_some_and(|el| el.get_bounding_client_rect().bottom() <= 0.0);
            if above {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let el = para(lo)?;
        let paragraph = el.id().strip_prefix("p-")?.parse().ok()?;
        let top = el.get_bounding_client_rect().top();
        Some(Place { paragraph, top })
    }

    /// Puts the paragraph (now the app's) where it stood, and keeps it there through the
    /// frame that first lays out the app's view. In that frame's rendering the browser
    /// lays out the paragraphs near the screen (`content-visibility: auto`: until then
    /// they are placeholders), and those above the reader's moved it down by their growth
    /// (1,480 px on a phone, ten paragraphs). A resize observer's callback runs after that
    /// layout and before the paint, so it puts the paragraph back unseen.
    pub fn keep(self) {
        self.restore();
        let Some(view) = document()
            .query_selector("#main article.transcript")
            .ok()
            .flatten()
        else {
            return;
        };
        let on_resize = Closure::<dyn FnMut()>::new(move || self.restore());
        let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(&view);
        // Two frames later the text is laid out where the reader is; scroll anchoring
        // keeps it from then on, as everywhere on the page.
        request_animation_frame(move || {
            request_animation_frame(move || {
                observer.disconnect();
                drop(on_resize);
            })
        });
    }

    /// Scrolls the window so that the paragraph (now the app's) stands where it stood.
    fn restore(&self) {
        let Some(el) = document().get_element_by_id(&format!("p-{}", self.paragraph)) else {
            return;
        };
        let dy = el.get_bounding_client_rect().top() - self.top;
        if dy.abs() >= 0.5 {
            window().scroll_by_with_x_and_y(0.0, dy);
        }
    }
}

/// Takes the page's transcript away: the preview, its head tags and its window title.
/// For a view that shows something else instead (another route, an error).
pub fn leave() {
    if dismiss() {
        remove_head_tags();
        document().set_title(SHELL_TITLE);
    }
}

/// Keeps the preview only while `route` is the transcript it shows; elsewhere it
/// [`leave`]s.
pub fn keep_for(route: &Route) {
    let Some(id) = shown() else { return };
    if !matches!(route, Route::Reader(r) if *r == id) {
        leave();
    }
}

/// Removes the `<head>` tags that describe a transcript ([`HEAD_MARK`]): the page's, or
/// those the reading view put there.
pub fn remove_head_tags() {
    let Ok(list) = document().query_selector_all(&format!("[{HEAD_MARK}]")) else {
        return;
    };
    for i in 0..list.length() {
        if let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        {
            el.remove();
        }
    }
}
