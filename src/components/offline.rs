//! Offline status: the "new version ready" notice, the offline indicator, "Make available
//! offline" with its progress and the storage it uses (and whether the browser keeps it),
//! the notice that storage is full, and the plain notice for files not available offline.
//!
//! The service worker (web/sw.js) does the work; `web/sw-client.js`, loaded by index.html,
//! registers it and hands this component its state as JSON through
//! `window.stenogramSW.subscribe`. Going through that small script keeps the wasm free of
//! service-worker bindings, and without it (no script, or a browser without service
//! workers) this component shows nothing.

use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Set at build time (`STENOGRAM_BUILD_ID=… cargo xtask dist`) to tell deployments apart;
/// the e2e update test builds a second version with it. Shown in `data-build`.
pub const BUILD_ID: &str = match option_env!("STENOGRAM_BUILD_ID") {
    Some(id) => id,
    None => "dev",
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = stenogramSW, js_name = subscribe, catch)]
    fn sw_subscribe(listener: &Closure<dyn FnMut(String)>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = stenogramSW, js_name = applyUpdate, catch)]
    fn sw_apply_update() -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = stenogramSW, js_name = makeAvailableOffline, catch)]
    fn sw_make_available_offline() -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = stenogramSW, js_name = dismissUnavailable, catch)]
    fn sw_dismiss_unavailable() -> Result<(), JsValue>;
}

/// The state sw-client.js reports (its `state` object).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct SwState {
    supported: bool,
    controlled: bool,
    online: bool,
    update_ready: bool,
    corpus_precached: bool,
    corpus_files: u32,
    corpus_cached: u32,
    corpus_bytes: u64,
    progress: Option<Progress>,
    progress_error: Option<String>,
    unavailable: Vec<Unavailable>,
    storage_full: bool,
    storage: Option<StorageUse>,
}

/// `navigator.storage.estimate()` and `persisted()`, as sw-client.js reports them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
struct StorageUse {
    usage: u64,
    quota: u64,
    persisted: bool,
}

impl StorageUse {
    /// One sentence for the reader: how much is used, of how much, and for how long.
    fn describe(&self) -> String {
        let kept = if self.persisted {
            "Your browser keeps these files until you clear the site's data."
        } else {
            "Your browser may clear them if the device runs low on space."
        };
        format!(
            "This site uses {} of the {} your browser allows it. {kept}",
            mib(self.usage),
            mib(self.quota)
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Progress {
    done: u32,
    total: u32,
    bytes_done: u64,
    bytes_total: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
struct Unavailable {
    url: String,
    stale: bool,
}

/// A size for people: kB below a megabyte, MB above.
fn mib(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} kB", bytes.div_ceil(1000))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}

/// The offline and update notices, placed above the main content.
#[component]
pub fn OfflineStatus() -> impl IntoView {
    let (state, set_state) = signal(SwState {
        online: true,
        corpus_precached: true,
        ..SwState::default()
    });
    let listener = Closure::<dyn FnMut(String)>::new(move |json: String| {
        if let Ok(s) = serde_json::from_str::<SwState>(&json) {
            // `try_set`: after an unmount the signal is gone and the news is moot.
            set_state.try_set(s);
        }
    });
    if sw_subscribe(&listener).is_ok() {
        // The component lives as long as the page; the script keeps calling the listener.
        listener.forget();
    }

    let offline = move || !state.read().online;
    let update_ready = move || state.read().update_ready;
    // The action is offered only where it adds something: a controlled page, a corpus too
    // large to have been precached, and files still missing.
    let can_save = move || {
        let s = state.read();
        s.controlled && !s.corpus_precached && s.corpus_cached < s.corpus_files
    };
    let all_saved = move || {
        let s = state.read();
        s.controlled
            && !s.corpus_precached
            && s.corpus_files > 0
            && s.corpus_cached == s.corpus_files
    };
    let progress = move || state.read().progress.clone();
    let progress_error = move || state.read().progress_error.clone();
    let unavailable = move || state.read().unavailable.clone();
    let storage = move || state.read().storage.clone();
    let storage_full = move || state.read().storage_full;

    view! {
        <div class="offline-status" data-build=BUILD_ID>
            <Show when=update_ready>
                <div class="sw-update" role="status">
                    <span>"A new version of Stenogram is ready."</span>
                    <button type="button" on:click=|_| { let _ = sw_apply_update(); }>"Reload"</button>
                </div>
            </Show>
            <Show when=offline>
                <p class="sw-offline" role="status">
                    "You are offline. The app and everything saved on this device still work; anything else will say it is not available offline."
                </p>
            </Show>
            <Show when=move || can_save() || progress().is_some()>
                <div class="sw-save">
                    {move || match progress() {
                        Some(p) => view! {
                            <label class="sw-progress">
                                <span>{format!("Saving for offline use: {} of {} files ({} of {})", p.done, p.total, mib(p.bytes_done), mib(p.bytes_total))}</span>
                                <progress max=p.total.max(1) value=p.done></progress>
                            </label>
                        }.into_any(),
                        None => view! {
                            <button type="button" class="sw-save-button" disabled=offline on:click=|_| { let _ = sw_make_available_offline(); }>
                                "Make available offline"
                            </button>
                            <span class="sw-save-note">{move || {
                                let s = state.read();
                                format!("{} of {} corpus files saved on this device ({} in all).", s.corpus_cached, s.corpus_files, mib(s.corpus_bytes))
                            }}</span>
                        }.into_any(),
                    }}
                </div>
            </Show>
            <Show when=all_saved>
                <p class="sw-saved">"The whole corpus is available offline on this device."</p>
            </Show>
            {move || progress_error().map(|e| view! { <p class="sw-error" role="status">{e}</p> })}
            <Show when=move || storage_full() && progress_error().is_none()>
                <p class="sw-error sw-full" role="status">
                    "This device has no more room for this site, so new files are not being saved for offline use. They still open while you are online."
                </p>
            </Show>
            {move || storage().map(|s| view! { <p class="sw-storage">{s.describe()}</p> })}
            <Show when=move || !unavailable().is_empty()>
                <div class="sw-unavailable" role="status">
                    <ul>
                        {move || unavailable().into_iter().map(|u| {
                            let text = if u.stale {
                                format!("“{}” belongs to a newer version of this site. Reload to update, then try again.", u.url)
                            } else {
                                format!("“{}” is not available offline: it was not saved on this device and the network cannot be reached.", u.url)
                            };
                            view! { <li>{text}</li> }
                        }).collect_view()}
                    </ul>
                    <button type="button" on:click=|_| { let _ = sw_dismiss_unavailable(); }>"Dismiss"</button>
                </div>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_is_described_in_plain_sizes() {
        let s = StorageUse {
            usage: 2_500_000,
            quota: 300_000_000,
            persisted: false,
        };
        assert_eq!(
            s.describe(),
            "This site uses 2.5 MB of the 300.0 MB your browser allows it. Your browser may clear them if the device runs low on space."
        );
        let full: SwState = serde_json::from_str(
            r#"{"storageFull":true,"storage":{"usage":1,"quota":2,"persisted":true}}"#,
        )
        .unwrap();
        assert!(full.storage_full && full.storage.unwrap().persisted);
    }
}
