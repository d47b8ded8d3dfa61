//! The page's end of a worker: the search worker or the workbench worker, each a dedicated
//! worker, or the workbench worker's wasm (which answers everything) on this thread where
//! a worker cannot start (the loader script's page mode). Requests go out as postcard bytes
//! (`protocol::encode`) with an id; answers are matched back to whoever waits for that id.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures_channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use stenogram_search_worker::protocol::{decode, encode, PageResponse as Response, Request};
use stenogram_search_worker::{js_message, CorpusSummary};

use super::lane::Lane;
use super::{unexpected, LoadError, BUNDLE_DIR};

/// `<html data-search-engine="worker|main-thread" data-search-lane="worker+channel|…">`:
/// where searches run and how their answers come, for the curious and the e2e tests.
pub(super) fn set_engine_attribute(client: &WorkerClient) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-search-engine", client.name());
        let _ = root.set_attribute("data-search-lane", client.lane_name());
    }
}

/// The search worker's loader script, next to `index.html`, under its plain name (as
/// `trunk serve` has it). `cargo xtask dist` gives it a content-hashed name and writes that
/// into `<meta name="stenogram-worker">` (xtask/src/shell.rs), so a page never starts
/// another build's worker.
const WORKER_SCRIPT: &str = "search-worker-loader.js";

/// The loader's name for this page: the `stenogram-worker` meta, else [`WORKER_SCRIPT`].
fn worker_script() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=stenogram-worker]")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| WORKER_SCRIPT.to_string())
}

/// Which of the two workers (crates/search-worker's binaries).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Kind {
    /// Searches, snippets, transcripts and highlights: started with the page.
    Search,
    /// Everything, the workbench's jobs and the quote finder included: started on first
    /// use. The loader starts it when its URL ends in `#workbench`.
    Workbench,
}

/// The page's end of a worker: requests out, answers matched back by id.
pub(super) struct WorkerClient {
    port: Port,
    pub(super) inbox: Rc<Inbox>,
    /// Kept alive as long as the client: they deliver the answers.
    _on_message: Closure<dyn FnMut(JsValue)>,
    _on_error: Option<Closure<dyn FnMut(web_sys::Event)>>,
    /// The channel each search's answer comes on too, with its listener
    /// ([`Request::Lane`] says why).
    lane: Option<Lane>,
}

/// Where requests go.
enum Port {
    /// A dedicated worker (the normal case).
    Worker(web_sys::Worker),
    /// The worker's wasm on this thread: the function that takes a request's text.
    InPage(js_sys::Function),
}

/// Who hears a job's (done, total).
pub(super) type Progress = Box<dyn Fn(usize, usize)>;

#[derive(Default)]
pub(super) struct Inbox {
    /// Who waits for the next start-up message (`Ready`, `Failed`, `Opened`).
    control: RefCell<Option<oneshot::Sender<Response>>>,
    /// Who waits for the answer with this id.
    pending: RefCell<HashMap<u32, oneshot::Sender<Response>>>,
    /// Who hears the progress of the job with this id.
    pub(super) progress: RefCell<HashMap<u32, Progress>>,
    /// Why the worker died, once it has.
    dead: RefCell<Option<String>>,
}

impl Inbox {
    /// Handles one message from the worker: its bytes (a `Uint8Array`), or the text of
    /// its loader's failure to start it.
    fn receive(&self, msg: &JsValue) {
        if let Some(why) = msg.as_string() {
            return self.deliver(Response::Failed(why));
        }
        let Some(bytes) = msg.dyn_ref::<js_sys::Uint8Array>() else {
            return self.fail("unreadable message: not a byte string".into());
        };
        match decode::<Response>(&bytes.to_vec()) {
            Ok(r) => {
                keep_offline(r.fetched());
                self.deliver(r)
            }
            Err(e) => self.fail(e),
        }
    }

    /// A search's answer as it came on the channel ([`Request::Lane`]): delivered if
    /// whoever asked still waits, else dropped. The worker's own message of it comes
    /// too, and does the rest (the files to keep offline); the later of the two finds
    /// no one waiting.
    fn receive_copy(&self, msg: &JsValue) {
        let Some(bytes) = msg.dyn_ref::<js_sys::Uint8Array>() else {
            return;
        };
        if let Ok(r @ Response::Searched { .. }) = decode::<Response>(&bytes.to_vec()) {
            self.deliver(r);
        }
    }

    fn deliver(&self, r: Response) {
        if let Response::Progress { id, done, total } = r {
            if let Some(f) = self.progress.borrow().get(&id) {
                f(done, total);
            }
            return;
        }
        let id = r.answers();
        if let Some(id) = id {
            self.progress.borrow_mut().remove(&id);
        }
        let to = match id {
            Some(id) => self.pending.borrow_mut().remove(&id),
            None => self.control.borrow_mut().take(),
        };
        if let Some(to) = to {
            let _ = to.send(r);
        }
    }

    /// The worker is gone: everyone waiting hears why.
    fn fail(&self, why: String) {
        *self.dead.borrow_mut() = Some(why.clone());
        if let Some(to) = self.control.borrow_mut().take() {
            let _ = to.send(Response::Failed(why.clone()));
        }
        self.progress.borrow_mut().clear();
        for (_, to) in self.pending.borrow_mut().drain() {
            let _ = to.send(Response::Failed(why.clone()));
        }
    }
}

/// The callback that hands the worker's messages to `inbox`.
fn on_message(inbox: Rc<Inbox>) -> Closure<dyn FnMut(JsValue)> {
    Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
        // A worker's MessageEvent carries the message in `data`; the in-page port, itself.
        match v.dyn_ref::<web_sys::MessageEvent>() {
            Some(ev) => inbox.receive(&ev.data()),
            None => inbox.receive(&v),
        }
    })
}

impl WorkerClient {
    /// Starts the worker of `kind` and waits until its wasm runs; where it cannot, runs
    /// the workbench worker's wasm (which answers everything) on this thread instead.
    pub(super) async fn start(kind: Kind) -> Result<WorkerClient, LoadError> {
        match WorkerClient::spawn(kind).await {
            Ok(w) => Ok(w),
            Err(why) => {
                web_sys::console::warn_1(
                    &format!("Stenogram searches on the main thread: {why}").into(),
                );
                WorkerClient::page_mode().await.map_err(LoadError::Worker)
            }
        }
    }

    /// Whether the worker's code runs on this thread: the workbench worker's wasm, which
    /// answers everything, so no second client is needed.
    pub(super) fn in_page(&self) -> bool {
        matches!(self.port, Port::InPage(_))
    }

    pub(super) fn name(&self) -> &'static str {
        match self.port {
            Port::Worker(_) => "worker",
            Port::InPage(_) => "main-thread",
        }
    }

    /// Starts a dedicated worker of `kind`, or adopts the search worker that
    /// `web/worker-boot.js` started as the page loaded; `Err` says why it cannot.
    async fn spawn(kind: Kind) -> Result<WorkerClient, String> {
        let early = match kind {
            Kind::Search => take_early_worker(),
            Kind::Workbench => None,
        };
        let (worker, early) = match early {
            Some(early) => (early.worker.clone(), Some(early)),
            None => {
                let url = web_sys::Url::new_with_base(&worker_script(), &base_uri())
                    .map_err(|e| js_message(&e))?;
                if kind == Kind::Workbench {
                    url.set_hash("workbench");
                }
                let w = web_sys::Worker::new(&url.href()).map_err(|e| js_message(&e))?;
                (w, None)
            }
        };
        let inbox = Rc::new(Inbox::default());
        let on_message = on_message(inbox.clone());
        let on_error = {
            let inbox = inbox.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let why = ev
                    .dyn_ref::<web_sys::ErrorEvent>()
                    .map(|e| e.message())
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "its script could not be loaded".to_string());
                inbox.fail(why);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut client = WorkerClient {
            port: Port::Worker(worker),
            inbox,
            _on_message: on_message,
            _on_error: Some(on_error),
            lane: None,
        };
        // What the adopted worker said before this page listened, in order, once the
        // start-up message has someone to hear it.
        let replay = |c: &WorkerClient| {
            if let Some(early) = early {
                for msg in early.messages {
                    c.inbox.receive(&msg);
                }
                if let Some(why) = early.error {
                    c.inbox.fail(why);
                }
            }
        };
        match client.control_after(replay).await {
            Response::Ready => {
                client.lane = client.open_lane();
                Ok(client)
            }
            Response::Failed(why) => Err(why),
            other => Err(format!("unexpected first message {}", other.name())),
        }
    }

    /// Loads the worker's loader script into this page (its page mode loads the glue
    /// and wasm here) and starts the worker's code on this thread.
    async fn page_mode() -> Result<WorkerClient, String> {
        let window = web_sys::window().ok_or("no window")?;
        let document = window.document().ok_or("no document")?;
        let url = web_sys::Url::new_with_base(&worker_script(), &base_uri())
            .map_err(|e| js_message(&e))?
            .href();
        let script = document
            .create_element("script")
            .map_err(|e| js_message(&e))?;
        script
            .set_attribute("src", &url)
            .map_err(|e| js_message(&e))?;
        let loaded = js_sys::Promise::new(&mut |resolve, reject| {
            let _ = script.add_event_listener_with_callback("load", &resolve);
            let _ = script.add_event_listener_with_callback("error", &reject);
        });
        document
            .head()
            .ok_or("no <head>")?
            .append_child(&script)
            .map_err(|e| js_message(&e))?;
        wasm_bindgen_futures::JsFuture::from(loaded)
            .await
            .map_err(|_| format!("could not load {url}"))?;
        let module = js_sys::Reflect::get(&window, &"stenogramWorkerInPage".into())
            .map_err(|e| js_message(&e))?
            .dyn_into::<js_sys::Promise>()
            .map_err(|_| format!("{url} did not start the worker's page mode"))?;
        let module = wasm_bindgen_futures::JsFuture::from(module)
            .await
            .map_err(|e| js_message(&e))?;
        let start = js_sys::Reflect::get(&module, &"start_in_page".into())
            .map_err(|e| js_message(&e))?
            .dyn_into::<js_sys::Function>()
            .map_err(|_| "the worker's wasm has no start_in_page".to_string())?;
        let inbox = Rc::new(Inbox::default());
        let on_message = on_message(inbox.clone());
        let handler = start
            .call1(&JsValue::NULL, on_message.as_ref().unchecked_ref())
            .map_err(|e| js_message(&e))?
            .dyn_into::<js_sys::Function>()
            .map_err(|_| "start_in_page returned no handler".to_string())?;
        Ok(WorkerClient {
            port: Port::InPage(handler),
            inbox,
            _on_message: on_message,
            _on_error: None,
            lane: None,
        })
    }

    /// Sends `req` (if any) and waits for the next start-up message.
    async fn control(&self, req: Option<Request>) -> Response {
        self.control_after(|c| {
            if let Some(req) = req {
                c.send(&req);
            }
        })
        .await
    }

    /// Waits for the next start-up message, after `then` (which may send, or hand over
    /// messages that came already) has run with someone there to hear it.
    async fn control_after(&self, then: impl FnOnce(&Self)) -> Response {
        let (tx, rx) = oneshot::channel();
        *self.inbox.control.borrow_mut() = Some(tx);
        then(self);
        rx.await
            .unwrap_or_else(|_| Response::Failed("the worker stopped answering".into()))
    }

    /// A channel of the page's own ([`Lane`]), on which the worker posts each search's
    /// answer besides its own message ([`Request::Lane`]); `None` where the browser has
    /// no `BroadcastChannel`.
    fn open_lane(&self) -> Option<Lane> {
        let inbox = self.inbox.clone();
        let lane = Lane::open(move |data| inbox.receive_copy(data))?;
        self.send(&Request::Lane {
            channel: lane.name.clone(),
        });
        Some(lane)
    }

    /// How the worker's answers come: `worker` (its own messages), `worker+channel`
    /// (searches' on the channel too) or `main-thread` (no worker).
    pub(super) fn lane_name(&self) -> &'static str {
        match (&self.port, &self.lane) {
            (Port::InPage(_), _) => "main-thread",
            (Port::Worker(_), Some(_)) => "worker+channel",
            (Port::Worker(_), None) => "worker",
        }
    }

    pub(super) fn send(&self, req: &Request) {
        let msg = js_sys::Uint8Array::from(&encode(req)[..]);
        let sent = match &self.port {
            Port::Worker(w) => {
                w.post_message_with_transfer(&msg, &js_sys::Array::of1(&msg.buffer()))
            }
            // The in-page worker answers from its own tasks, never inside this call.
            Port::InPage(f) => f.call1(&JsValue::NULL, &msg).map(|_| ()),
        };
        if let Err(e) = sent {
            self.inbox.fail(js_message(&e));
        }
    }

    pub(super) async fn open(&self, base: String) -> Result<CorpusSummary, LoadError> {
        match self.control(Some(Request::Open { base })).await {
            Response::Opened(r) => r,
            other => Err(unexpected(other)),
        }
    }

    /// Sends `req` (with `id`) and waits for its answer.
    pub(super) async fn ask(&self, id: u32, req: Request) -> Response {
        if let Some(why) = self.inbox.dead.borrow().clone() {
            return Response::Failed(why);
        }
        let (tx, rx) = oneshot::channel();
        self.inbox.pending.borrow_mut().insert(id, tx);
        self.send(&req);
        rx.await
            .unwrap_or_else(|_| Response::Failed("the worker stopped answering".into()))
    }
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        if let Port::Worker(w) = &self.port {
            w.terminate();
        }
    }
}

/// Asks the service worker to keep the files the search worker fetched: a worker started
/// before the service worker took over (the first visit) is not controlled by it.
fn keep_offline(urls: &[String]) {
    if urls.is_empty() {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(sw) = js_sys::Reflect::get(&window, &"stenogramSW".into()) else {
        return;
    };
    let Ok(keep) = js_sys::Reflect::get(&sw, &"keep".into()) else {
        return;
    };
    if let Some(keep) = keep.dyn_ref::<js_sys::Function>() {
        let list: js_sys::Array = urls.iter().map(|u| JsValue::from_str(u)).collect();
        let _ = keep.call1(&sw, &list);
    }
}

/// The search worker `web/worker-boot.js` started as the page loaded, with what it said
/// and whether it failed before the app listened.
struct EarlyWorker {
    worker: web_sys::Worker,
    /// The messages, in order.
    messages: Vec<JsValue>,
    error: Option<String>,
}

/// Takes the early search worker (`self.stenogramEarlyWorker`), once: the first client
/// adopts it, and a second one (after a failure) starts its own.
fn take_early_worker() -> Option<EarlyWorker> {
    let window = web_sys::window()?;
    let early = js_sys::Reflect::get(&window, &"stenogramEarlyWorker".into()).ok()?;
    if early.is_undefined() {
        // worker-boot.js (an async script) has not run yet: a marker tells it not to
        // start a second worker beside the one this client starts.
        let none = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&window, &"stenogramEarlyWorker".into(), &none);
        return None;
    }
    let worker = js_sys::Reflect::get(&early, &"worker".into())
        .ok()?
        .dyn_into::<web_sys::Worker>()
        .ok()?;
    let _ = js_sys::Reflect::set(&early, &"worker".into(), &JsValue::NULL);
    let messages = js_sys::Reflect::get(&early, &"messages".into())
        .ok()
        .and_then(|m| m.dyn_into::<js_sys::Array>().ok())
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let error = js_sys::Reflect::get(&early, &"error".into())
        .ok()
        .and_then(|e| e.as_string());
    Some(EarlyWorker {
        worker,
        messages,
        error,
    })
}

/// The document's base URL (`<base href>`, which Trunk's `--public-url` writes).
fn base_uri() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default()
}

/// The bundle folder's absolute URL, ending in `/` (the worker resolves nothing itself).
pub(super) fn bundle_url() -> String {
    web_sys::Url::new_with_base(BUNDLE_DIR, &base_uri())
        .map(|u| u.href())
        .unwrap_or_else(|_| BUNDLE_DIR.to_string())
}
