//! The second way a search's answer comes to the page: a `BroadcastChannel` of the
//! page's own, on which the worker posts it besides its own message (`Request::Lane` in
//! `crates/search-worker`'s protocol says why). The channel is closed while the page is
//! hidden and opened again when it shows: Chromium evicts a page from its back/forward
//! cache when a channel's message reaches it there (a search still under way as the
//! reader left), while a worker's own messages wait for the page.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

type Listener = Rc<Closure<dyn FnMut(JsValue)>>;
/// A window event's name and its handler.
type Handler = (&'static str, Closure<dyn FnMut()>);

/// The page's end of the channel, open while the page shows.
pub(super) struct Lane {
    /// Random, so that no other tab's channel has it.
    pub(super) name: String,
    open: Rc<RefCell<Option<web_sys::BroadcastChannel>>>,
    /// Kept alive with the lane: they read the channel and follow the page's lifecycle.
    _listener: Listener,
    lifecycle: [Handler; 2],
}

impl Drop for Lane {
    /// Closes the channel and stops following the page: the window must not call the
    /// handlers once they are gone.
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            for (event, f) in &self.lifecycle {
                let _ =
                    window.remove_event_listener_with_callback(event, f.as_ref().unchecked_ref());
            }
        }
        if let Some(c) = self.open.borrow_mut().take() {
            c.close();
        }
    }
}

/// A channel named `name` whose messages go to `listener`, if the browser has one.
fn channel(name: &str, listener: &Listener) -> Option<web_sys::BroadcastChannel> {
    let c = web_sys::BroadcastChannel::new(name).ok()?;
    c.set_onmessage(Some((**listener).as_ref().unchecked_ref()));
    Some(c)
}

impl Lane {
    /// Opens a channel whose messages' data go to `receive`; `None` where the browser
    /// has no `BroadcastChannel` (the worker's own messages then bring everything).
    pub(super) fn open(receive: impl Fn(&JsValue) + 'static) -> Option<Lane> {
        let word = || (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let name = format!("stenogram-{:014x}{:014x}", word(), word());
        let listener: Listener = Rc::new(Closure::new(move |v: JsValue| {
            if let Some(ev) = v.dyn_ref::<web_sys::MessageEvent>() {
                receive(&ev.data());
            }
        }));
        let open = Rc::new(RefCell::new(Some(channel(&name, &listener)?)));
        let hide = {
            let open = open.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Some(c) = open.borrow_mut().take() {
                    c.close();
                }
            })
        };
        let show = {
            let (open, name, listener) = (open.clone(), name.clone(), listener.clone());
            Closure::<dyn FnMut()>::new(move || {
                let mut c = open.borrow_mut();
                if c.is_none() {
                    *c = channel(&name, &listener);
                }
            })
        };
        let lane = Lane {
            name,
            open,
            _listener: listener,
            lifecycle: [("pagehide", hide), ("pageshow", show)],
        };
        let window = web_sys::window()?;
        for (event, f) in &lane.lifecycle {
            let _ = window.add_event_listener_with_callback(event, f.as_ref().unchecked_ref());
        }
        Some(lane)
    }
}
