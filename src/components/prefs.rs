//! Reading comfort: the colour theme (system, light or dark) and the text size,
//! remembered in local storage and applied to the document root.

use leptos::prelude::*;

const THEME_KEY: &str = "stenogram.theme";
const SIZE_KEY: &str = "stenogram.text-size";
/// Text sizes offered, in steps of the root font size: CSS numbers, written as text so
/// that the page links no float printer.
const SIZES: [&str; 6] = ["0.875", "1", "1.0625", "1.1875", "1.3125", "1.5"];
/// The stylesheet's own size (`--font-size` in style/main.css).
const DEFAULT_SIZE: usize = 2;

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn stored(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        // Private browsing may refuse storage; the preference then lasts for this visit.
        let _ = s.set_item(key, value);
    }
}

/// The theme and text-size controls in the header.
#[component]
pub fn Preferences() -> impl IntoView {
    let (theme, set_theme) = signal(
        stored(THEME_KEY)
            .filter(|t| t == "light" || t == "dark")
            .unwrap_or_else(|| "system".into()),
    );
    let (size, set_size) = signal(
        stored(SIZE_KEY)
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|&s| s < SIZES.len())
            .unwrap_or(DEFAULT_SIZE),
    );

    // Syncs the choice to the outside world: the root element and local storage. At the
    // start only what differs from the document as served: the stylesheet's defaults
    // need no attribute (setting the root's style restyles the whole page, in the
    // start's one long task), and the stored values need no writing back.
    Effect::new(move |started: Option<()>| {
        let t = theme.get();
        if started.is_none() && t == "system" {
            return;
        }
        if let Some(root) = document().document_element() {
            let _ = if t == "system" {
                root.remove_attribute("data-theme")
            } else {
                root.set_attribute("data-theme", &t)
            };
        }
        if started.is_some() {
            store(THEME_KEY, &t);
        }
    });
    Effect::new(move |started: Option<()>| {
        let s = size.get();
        if started.is_none() && s == DEFAULT_SIZE {
            return;
        }
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("style", &format!("--font-size: {}rem", SIZES[s]));
        }
        if started.is_some() {
            store(SIZE_KEY, &s.to_string());
        }
    });

    let cycle = move |_| {
        set_theme.update(|t| {
            *t = match t.as_str() {
                "system" => "dark",
                "dark" => "light",
                _ => "system",
            }
            .to_string()
        })
    };
    view! {
        <div class="prefs" role="group" aria-label="Reading preferences">
            <button type="button" on:click=move |_| set_size.update(|s| *s = s.saturating_sub(1)) disabled=move || size.get() == 0 aria-label="A− (smaller text)">"A−"</button>
            <button type="button" on:click=move |_| set_size.update(|s| *s = (*s + 1).min(SIZES.len() - 1)) disabled=move || size.get() + 1 == SIZES.len() aria-label="A+ (larger text)">"A+"</button>
            // The accessible name starts with the visible word (WCAG 2.5.3, label in name).
            <button type="button" on:click=cycle aria-label=move || format!("{} colour theme: change", theme_word(&theme.get()))>
                {move || theme_word(&theme.get())}
            </button>
        </div>
    }
}

/// The theme button's visible word for a stored theme.
fn theme_word(theme: &str) -> &'static str {
    match theme {
        "dark" => "Dark",
        "light" => "Light",
        _ => "Auto",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default size is the stylesheet's own, which the start leaves in place.
    #[test]
    fn the_default_size_is_the_stylesheets() {
        let css = include_str!("../../style/main.css");
        let default = format!("--font-size: {}rem;", SIZES[DEFAULT_SIZE]);
        assert!(
            css.contains(&default),
            "style/main.css should set {default}"
        );
    }
}
