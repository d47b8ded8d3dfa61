//! Offline status: above the content, the notices of events (a new version ready, the
//! offline indicator, storage full, files not available offline); below it, "Make
//! available offline" with its progress and the storage it uses (and whether the
//! browser keeps it).
//!
//! The service worker (web/sw.js) does the work; `web/sw-client.js`, loaded by index.html,
//! registers it and hands the app its state object through
//! `window.stenogramSW.subscribe` ([`SwStatus`]). Going through that small script keeps
//! the wasm free of service-worker bindings, and without it (no script, or a browser
//! without service workers) these components show nothing. The state is read field by field
//! ([`SwState::read`]), not through serde_json: it would be the only JSON parser in the
//! page's main module, a few KB of its first download.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

/// Set at build time (`STENOGRAM_BUILD_ID=… cargo xtask dist`) to tell deployments apart;
/// the e2e update test builds a second version with it. Shown in `data-build`.
pub const BUILD_ID: &str = match option_env!("STENOGRAM_BUILD_ID") {
    Some(id) => id,
    None => "dev",
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = stenogramSW, js_name = subscribe, catch)]
    fn sw_subscribe(listener: &Closure<dyn FnMut(JsValue)>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = stenogramSW, js_name = applyUpdate, catch)]
    fn sw_apply_update() -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = stenogramSW, js_name = makeAvailableOffline, catch)]
    fn sw_make_available_offline() -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = stenogramSW, js_name = dismissUnavailable, catch)]
    fn sw_dismiss_unavailable() -> Result<(), JsValue>;
}

/// The state sw-client.js reports (its `state` object).
#[derive(Debug, Clone, Default, PartialEq)]
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
#[derive(Debug, Clone, Default, PartialEq)]
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
            decimal_size(self.usage),
            decimal_size(self.quota)
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Progress {
    done: u32,
    total: u32,
    bytes_done: u64,
    bytes_total: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Unavailable {
    url: String,
    stale: bool,
}

/// A field of a plain JS object, read as sw-client.js writes it: a missing field, or
/// one of another type, reads as its default, as `#[serde(default)]` would.
struct Field(JsValue);

impl Field {
    fn of(object: &JsValue, key: &str) -> Field {
        Field(js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
    }

    fn flag(&self) -> bool {
        self.0.as_bool().unwrap_or(false)
    }

    /// A count or a byte size: a non-negative integer (saturating; NaN reads as 0).
    fn count(&self) -> u64 {
        self.0.as_f64().map_or(0, |n| n as u64)
    }

    fn text(&self) -> Option<String> {
        self.0.as_string()
    }

    fn object(&self) -> Option<&JsValue> {
        self.0.is_object().then_some(&self.0)
    }
}

impl SwState {
    /// The state object `v` (its fields in camelCase).
    fn read(v: &JsValue) -> SwState {
        let f = |k: &str| Field::of(v, k);
        let count32 = |k: &str| u32::try_from(f(k).count()).unwrap_or(u32::MAX);
        SwState {
            supported: f("supported").flag(),
            controlled: f("controlled").flag(),
            online: f("online").flag(),
            update_ready: f("updateReady").flag(),
            corpus_precached: f("corpusPrecached").flag(),
            corpus_files: count32("corpusFiles"),
            corpus_cached: count32("corpusCached"),
            corpus_bytes: f("corpusBytes").count(),
            progress: f("progress").object().map(|p| {
                let g = |k: &str| Field::of(p, k).count();
                Progress {
                    done: u32::try_from(g("done")).unwrap_or(u32::MAX),
                    total: u32::try_from(g("total")).unwrap_or(u32::MAX),
                    bytes_done: g("bytesDone"),
                    bytes_total: g("bytesTotal"),
                }
            }),
            progress_error: f("progressError").text(),
            unavailable: f("unavailable")
                .object()
                .and_then(|a| a.dyn_ref::<js_sys::Array>())
                .map(|a| {
                    a.iter()
                        .map(|u| Unavailable {
                            url: Field::of(&u, "url").text().unwrap_or_default(),
                            stale: Field::of(&u, "stale").flag(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            storage_full: f("storageFull").flag(),
            storage: f("storage").object().map(|s| StorageUse {
                usage: Field::of(s, "usage").count(),
                quota: Field::of(s, "quota").count(),
                persisted: Field::of(s, "persisted").flag(),
            }),
        }
    }
}

/// A size for people in decimal units (1 kB = 1,000 bytes), as browsers and file
/// managers show them: kB below a megabyte, MB above.
fn decimal_size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} kB", bytes.div_ceil(1000))
    } else {
        // Tenths of a megabyte, rounded, in integers: the page then links no float printer.
        let tenths = (bytes + 50_000) / 100_000;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// What sw-client.js last reported: subscribed once by the app, read by the notices
/// above the content ([`OfflineNotices`]) and the offline panel below it
/// ([`OfflinePanel`]).
#[derive(Clone, Copy)]
pub struct SwStatus(ReadSignal<SwState>);

impl SwStatus {
    /// Subscribes to sw-client.js; until it reports (or without it), online and nothing
    /// to offer.
    pub fn subscribe() -> SwStatus {
        let (state, set_state) = signal(SwState {
            online: true,
            corpus_precached: true,
            ..SwState::default()
        });
        let listener = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
            // `try_set`: after an unmount the signal is gone and the news is moot.
            set_state.try_set(SwState::read(&v));
        });
        if sw_subscribe(&listener).is_ok() {
            // The app lives as long as the page; the script keeps calling the listener.
            listener.forget();
        }
        SwStatus(state)
    }
}

/// The notices of events, above the main content: a new version, being offline, saving
/// failed or the storage is full, files not available offline. Nothing shows on a
/// normal first visit, so the content never moves down under a reader's eyes.
#[component]
pub fn OfflineNotices() -> impl IntoView {
    let SwStatus(state) = expect_context::<SwStatus>();
    let offline = move || !state.read().online;
    let update_ready = move || state.read().update_ready;
    let progress_error = move || state.read().progress_error.clone();
    let unavailable = move || state.read().unavailable.clone();
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
            {move || progress_error().map(|e| view! { <p class="sw-error" role="status">{e}</p> })}
            <Show when=move || storage_full() && progress_error().is_none()>
                <p class="sw-error sw-full" role="status">
                    "This device has no more room for this site, so new files are not being saved for offline use. They still open while you are online."
                </p>
            </Show>
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

/// "Make available offline", its progress, and the storage the site uses: in the
/// footer, below the main content. The service worker reports them once it controls the page, seconds
/// into a first visit; above the content they pushed the results down as a reader
/// read them (Lighthouse: layout shift 0.12 on a results URL, issue 13).
#[component]
pub fn OfflinePanel() -> impl IntoView {
    let SwStatus(state) = expect_context::<SwStatus>();
    let offline = move || !state.read().online;
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
    let storage = move || state.read().storage.clone();
    view! {
        <div class="offline-panel">
            <Show when=move || can_save() || progress().is_some()>
                <div class="sw-save">
                    {move || match progress() {
                        Some(p) => view! {
                            <label class="sw-progress">
                                <span>{format!("Saving for offline use: {} of {} files ({} of {})", p.done, p.total, decimal_size(p.bytes_done), decimal_size(p.bytes_total))}</span>
                                <progress max=p.total.max(1) value=p.done></progress>
                            </label>
                        }.into_any(),
                        None => view! {
                            <button type="button" class="sw-save-button" disabled=offline on:click=|_| { let _ = sw_make_available_offline(); }>
                                "Make available offline"
                            </button>
                            <span class="sw-save-note">{move || {
                                let s = state.read();
                                format!("{} of {} corpus files saved on this device ({} in all).", s.corpus_cached, s.corpus_files, decimal_size(s.corpus_bytes))
                            }}</span>
                        }.into_any(),
                    }}
                </div>
            </Show>
            <Show when=all_saved>
                <p class="sw-saved">"The whole corpus is available offline on this device."</p>
            </Show>
            {move || storage().map(|s| view! { <p class="sw-storage">{s.describe()}</p> })}
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
        assert_eq!(decimal_size(999_999), "1000 kB");
        assert_eq!(decimal_size(1_049_999), "1.0 MB");
        assert_eq!(decimal_size(1_050_000), "1.1 MB");
        assert_eq!(decimal_size(12_345_678_901), "12345.7 MB");
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn the_state_object_reads_field_by_field() {
        let v = js_sys::JSON::parse(
            r#"{"controlled":true,"online":true,"corpusFiles":12,"corpusCached":3,
               "corpusBytes":5000000000,"storageFull":true,
               "storage":{"usage":1,"quota":2,"persisted":true},
               "progress":{"done":2,"total":9,"bytesDone":10,"bytesTotal":99},
               "progressError":null,
               "unavailable":[{"url":"corpus/x.json","stale":true},{"url":"y"}]}"#,
        )
        .unwrap();
        let s = SwState::read(&v);
        assert!(s.controlled && s.online && s.storage_full && !s.update_ready);
        assert_eq!(
            (s.corpus_files, s.corpus_cached, s.corpus_bytes),
            (12, 3, 5_000_000_000)
        );
        assert!(s.storage.unwrap().persisted);
        assert_eq!(s.progress.unwrap().bytes_total, 99);
        assert_eq!(s.progress_error, None);
        assert_eq!(s.unavailable.len(), 2);
        assert!(s.unavailable[0].stale && !s.unavailable[1].stale);
        // Anything else reads as the defaults, never a panic.
        assert_eq!(SwState::read(&JsValue::NULL), SwState::default());
        assert_eq!(SwState::read(&JsValue::from_str("x")), SwState::default());
    }
}
