//! A reading URL's static first screen, as the build writes it (`stenogram_core::preview`):
//! the transcript's header and first paragraphs in `#preview`, painted before any wasm
//! arrives. The stylesheet hides the app while it is in the page; the app removes it once
//! the reading view shows that transcript's text, or at once when the app shows anything
//! else (another route, an error). Every node on screen is then replaced in one frame and
//! none moves, so the swap is no layout shift. The page's head tags (citation, Open
//! Graph, canonical) stay until the reading view puts its own, or go with the preview
//! when the app shows something else.

use leptos::prelude::*;
use stenogram_core::preview::{HEAD_MARK, PREVIEW_ID, SHELL_TITLE};
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
