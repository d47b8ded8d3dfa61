//! `performance.now()` and `performance.measure` of the scope the code runs in (a worker's,
//! or the page's): the one place the page and the workers record the timings that
//! `cargo xtask bench` reads (`stenogram:search`, `stenogram:worker:search`, …).

use wasm_bindgen::{JsCast, JsValue};

/// This scope's `performance`, if it has one.
fn performance() -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .filter(|p| p.is_object())
}

/// Calls `performance[name](args…)`.
fn perf_call(name: &str, args: &js_sys::Array) -> Option<JsValue> {
    let perf = performance()?;
    let f = js_sys::Reflect::get(&perf, &name.into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    f.apply(&perf, args).ok()
}

/// `performance.now()`, 0 where there is none.
pub fn now() -> f64 {
    perf_call("now", &js_sys::Array::new())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// Records `name` from `start` to now as a `performance.measure` entry.
pub fn measure(name: &str, start: f64) {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&opts, &"end".into(), &now().into());
    perf_call("measure", &js_sys::Array::of2(&name.into(), &opts));
}
