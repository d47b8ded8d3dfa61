//! The latest answer of an asynchronous request (to a worker, mostly), as the page's
//! main module needs it: what a `LocalResource` under a `<Transition>` gave (the last
//! answer stays shown until the next one arrives, and an answer overtaken by a newer
//! request is dropped), without their code.
//!
//! Why not Leptos's own: a `LocalResource` awaited in a `Suspend`, under a `Transition`
//! or `Suspense` and an `ErrorBoundary`, instantiates the async-derived signal, its
//! scoped futures, the suspense contexts and the error hooks once per value type. The
//! first visit's four (the corpus, the results, a hit's snippets, the transcript) made
//! them the largest piece of the main module's own code (issue 13: its budget is 200 KB
//! gzip). The parts loaded on first use (reading view, quote checker, workbench) keep
//! Leptos's resources, whose code then comes with them.

use std::future::Future;

use leptos::prelude::*;

/// The latest answer of a request that runs again whenever a signal read by the request's
/// synchronous part changes, or on [`Latest::refetch`]. `None` until the first answer.
pub struct Latest<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    again: Trigger,
}

impl<T: 'static> Clone for Latest<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Latest<T> {}

impl<T: 'static> Latest<T> {
    /// Starts `request` (on the next tick, as an effect does) and again on every change
    /// of what it reads before returning its future.
    pub fn new<F>(request: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(None);
        let again = Trigger::new();
        // Which request is the newest: an older one's answer arriving late is dropped.
        let sent = StoredValue::new(0u64);
        // The worker is the outside world this effect keeps in step with the signals.
        Effect::new(move || {
            again.track();
            let answer = request();
            let run = sent.get_value().wrapping_add(1);
            sent.set_value(run);
            leptos::task::spawn_local(async move {
                let v = answer.await;
                // Gone (the page moved on) or overtaken: nobody shows this answer.
                if sent.try_get_value() == Some(run) {
                    value.try_set(Some(v));
                }
            });
        });
        Self { value, again }
    }

    /// Runs the request again (a "Retry" button); the current answer stays until then.
    pub fn refetch(&self) {
        self.again.notify();
    }

    /// Reads the answer (`None`: not yet), subscribing the caller to its changes.
    pub fn with<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        self.value.with(|v| f(v.as_ref()))
    }
}

impl<T: Clone + 'static> Latest<T> {
    /// A copy of the answer (`None`: not yet), subscribing the caller to its changes.
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }
}
