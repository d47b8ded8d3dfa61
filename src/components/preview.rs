//! A reading URL's static first screen, as the build writes it (`stenogram_core::preview`):
//! the transcript's header and first paragraphs in `#preview`, painted before any wasm
//! arrives. The stylesheet hides the app while it is in the page; the app removes it once
//! the reading view shows that transcript's text, or at once when the app shows anything
//! else (another route, an error). Every node on screen is then replaced in one frame and
//! none moves, so the swap is no layout shift.

use leptos::prelude::*;
use stenogram_core::preview::{PREVIEW_ID, SHELL_TITLE};

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

/// Keeps the preview only while `route` is the transcript it shows; elsewhere the window
/// gets back the shell's title too (the page's names the transcript).
pub fn keep_for(route: &Route) {
    let Some(id) = shown() else { return };
    if !matches!(route, Route::Reader(r) if *r == id) {
        dismiss();
        document().set_title(SHELL_TITLE);
    }
}
