//! Reading comfort: the colour theme (system, light or dark) and the text size,
//! remembered in local storage and applied to the document root: first by the shell's
//! script (index.html), before the first paint of any page, then here as the reader
//! changes them.

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

/// Sets the root element's attribute `name` to `value` (`None`: removes it), unless it
/// already is.
fn set_root_attribute(name: &str, value: Option<String>) {
    let Some(root) = document().document_element() else {
        return;
    };
    if root.get_attribute(name) == value {
        return;
    }
    let _ = match value {
        Some(v) => root.set_attribute(name, &v),
        None => root.remove_attribute(name),
    };
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

    // Syncs the choice to the outside world: the root element and local storage. The
    // shell's script (index.html) applied the stored choice before the first paint, so
    // at the start the root already shows it: an attribute is written only where it
    // differs (setting the root's style restyles the whole page, in the start's long
    // task), and the stored values need no writing back.
    Effect::new(move |started: Option<()>| {
        let t = theme.get();
        let want = (t != "system").then(|| t.clone());
        set_root_attribute("data-theme", want);
        if started.is_some() {
            store(THEME_KEY, &t);
        }
    });
    Effect::new(move |started: Option<()>| {
        let s = size.get();
        let want = (s != DEFAULT_SIZE).then(|| format!("--font-size: {}rem", SIZES[s]));
        set_root_attribute("style", want);
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

    /// The shell's script (index.html) applies the stored choice before the first paint:
    /// it reads the keys this module writes, knows the same sizes by the same numbers,
    /// leaves the stylesheet's own size alone, and writes the root's attributes as the
    /// app does (else the app's first sync rewrites them, restyling the page).
    #[test]
    fn the_shells_script_applies_what_this_module_stores() {
        let html = include_str!("../../index.html");
        for key in [THEME_KEY, SIZE_KEY] {
            assert!(
                html.contains(&format!("localStorage.getItem('{key}')")),
                "{key}"
            );
        }
        let sizes: Vec<String> = SIZES.iter().map(|s| format!("'{s}'")).collect();
        assert!(
            html.contains(&format!("[{}]", sizes.join(", "))),
            "the sizes"
        );
        assert!(html.contains(&format!("size !== '{}'", SIZES[DEFAULT_SIZE])));
        assert!(html.contains("root.setAttribute('style', '--font-size: ' + size + 'rem')"));
        assert!(html.contains("root.setAttribute('data-theme', theme)"));
    }

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
