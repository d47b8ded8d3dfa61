//! The worker's side of the messages, shared by the two worker binaries:
//! - `search-worker`, started with the page: opens the bundle and answers searches,
//!   snippets, transcripts and their highlights ([`handle_search`]);
//! - `workbench-worker`, started on the first workbench job or quote check: answers
//!   everything ([`handle_all`]), and is the wasm the page runs on its own thread where
//!   no worker can start.
//!
//! Why two: the workbench's jobs and the quote finder are a fifth of the worker's code,
//! and a first visit that only searches should not download them (issue 13). Each binary
//! names its handler at compile time, so the linker leaves out what the other one needs.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::bench::{Hooks, Job, Outcome};
use crate::protocol::{
    decode, encode, Deferred, JobField, Nested, NoAnswer, Request, Response, SearchResponse,
};
use crate::reading::QuoteAnswer;
use crate::timing::{measure, now};
use crate::{Answer, CorpusSummary, Engine, LoadError, SearchFailure};
use stenogram_core::bundle::Manifest;

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`, which the window and workers both have.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &js_sys::Function, ms: i32) -> JsValue;
}

/// A binary's answer to each request: [`handle_search`] or [`handle_all`], each with
/// the job type it reads ([`JobField`]).
pub type Handler<J> = fn(Rc<State>, Port, Request<J>) -> LocalBoxFuture<'static, ()>;

/// Where answers go: the page, from a worker or from the page's own thread.
#[derive(Clone)]
pub enum Port {
    Worker(Rc<WorkerPort>),
    /// The page's callback, which takes the answer's bytes (a `Uint8Array`).
    Page(js_sys::Function),
}

/// A dedicated worker's way to the page: its own `postMessage`, and for a search's
/// answer the page's channel too, once it has named one ([`Request::Lane`] says why).
pub struct WorkerPort {
    scope: DedicatedWorkerGlobalScope,
    lane: RefCell<Option<web_sys::BroadcastChannel>>,
}

impl Port {
    fn post<B: Serialize, Q: Serialize>(&self, r: &Response<B, Q>) {
        let msg = js_sys::Uint8Array::from(&encode(r)[..]);
        let _ = match self {
            Port::Worker(w) => {
                if let (Response::Searched { .. }, Some(lane)) = (r, w.lane.borrow().as_ref()) {
                    // A copy, first: the transfer below empties the buffer.
                    let _ = lane.post_message(&msg);
                }
                // Transferred, not copied: the page owns the buffer from here.
                w.scope
                    .post_message_with_transfer(&msg, &js_sys::Array::of1(&msg.buffer()))
            }
            Port::Page(f) => f.call1(&JsValue::NULL, &msg).map(|_| ()),
        };
    }

    /// Posts searches' answers on the channel `name` too from now on; where none can be
    /// opened, only as before.
    fn take_lane(&self, name: &str) {
        if let Port::Worker(w) = self {
            if let Ok(lane) = web_sys::BroadcastChannel::new(name) {
                *w.lane.borrow_mut() = Some(lane);
            }
        }
    }
}

/// The engine on its way: opened as a dedicated worker starts (right after the manifest,
/// [`start`]) or by the first request that needs the index, shared by every request that
/// waits for it.
type Opening = Shared<LocalBoxFuture<'static, Result<Rc<Engine>, LoadError>>>;

/// A bundle's manifest on its way (or read), shared by whoever waits for it.
type Reading = Shared<LocalBoxFuture<'static, Result<Rc<Manifest>, LoadError>>>;

/// One worker's state, whichever binary runs it.
#[derive(Default)]
pub struct State {
    /// The manifest being read, or read, with its bundle folder: started by the worker
    /// itself as it starts ([`start`]), before the page asks.
    reading: RefCell<Option<(String, Reading)>>,
    /// The bundle's folder and manifest, once read.
    bundle: RefCell<Option<(String, Rc<Manifest>)>>,
    engine: RefCell<Option<Opening>>,
    /// The id of the latest search asked for; older ones stop at their next fetch.
    latest: Cell<u32>,
    /// The id of the latest workbench job (0 after a cancel); older ones stop at
    /// their next chunk.
    latest_job: Cell<u32>,
    /// What readies the worker for a quote, on its way or done: the quote page's
    /// warm-up (no text) or a pasted quote's index parts (its text). A quote waits
    /// for it rather than fetching the same parts a second time.
    quote_prep: RefCell<Option<(Option<String>, Prep)>>,
}

type Prep = Shared<LocalBoxFuture<'static, ()>>;

/// Runs in a dedicated worker: listens to the page's messages and answers them with
/// `handler`. Elsewhere (the page loaded this wasm itself) it does nothing: the page
/// calls the binary's `start_in_page`, which calls [`start_in_page`].
///
/// It also starts reading the manifest of the bundle beside its own script at once, and
/// then opens its index: the page asks for that bundle as soon as it hears `Ready`, and
/// by then the file is on its way (the page starts the search worker while its own wasm
/// still downloads).
pub fn start<J: JobField>(handler: Handler<J>) {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let state = Rc::new(State::default());
    if let Some(base) = own_bundle(&scope) {
        let state = state.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // A failure here is the page's `Open` answer (read again then). Opened, the
            // index's entry file follows: a first query then waits one round less.
            if let Ok(m) = read_bundle(&state, base.clone()).await {
                adopt(&state, base, m);
                let _ = engine(&state).await;
            }
        });
    }
    let port = Port::Worker(Rc::new(WorkerPort {
        scope: scope.clone(),
        lane: RefCell::new(None),
    }));
    let listen = listener(port.clone(), handler, state);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        listen(ev.data());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    port.post(&SearchResponse::Ready);
}

/// The page's fallback: answers go to `reply` (called with each answer's bytes);
/// returns the function the page calls with each request's bytes.
pub fn start_in_page<J: JobField>(
    reply: js_sys::Function,
    handler: Handler<J>,
) -> js_sys::Function {
    console_error_panic_hook::set_once();
    let listen = listener(Port::Page(reply), handler, Rc::new(State::default()));
    Closure::<dyn FnMut(JsValue)>::new(listen)
        .into_js_value()
        .unchecked_into()
}

/// What to do with each request (its bytes, a `Uint8Array`): decode it, note what it
/// supersedes, answer it in its own task.
fn listener<J: JobField>(
    port: Port,
    handler: Handler<J>,
    state: Rc<State>,
) -> impl Fn(JsValue) + 'static {
    move |msg: JsValue| match message_bytes(&msg).and_then(|b| decode::<Request<J>>(&b)) {
        Ok(req) => {
            match &req {
                Request::Search { id, .. } => state.latest.set(*id),
                Request::Bench { id, job } if job.supersedable() => state.latest_job.set(*id),
                Request::Cancel => state.latest_job.set(0),
                Request::Lane { channel } => return port.take_lane(channel),
                _ => {}
            }
            wasm_bindgen_futures::spawn_local(handler(state.clone(), port.clone(), req));
        }
        Err(e) => port.post(&SearchResponse::Failed(e)),
    }
}

/// A message's bytes, or why it has none.
fn message_bytes(msg: &JsValue) -> Result<Vec<u8>, String> {
    msg.dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
        .ok_or_else(|| "unreadable message: not a byte string".to_string())
}

/// The manifest of the bundle at `base`: the one being read or read already, unless
/// that one failed or is another bundle's; else read now. The page's `Open` reads it
/// again only then, so the early read ([`start`]) is never wasted nor stale by more than
/// the page's start-up.
fn read_bundle(state: &State, base: String) -> Reading {
    if let Some((b, r)) = state.reading.borrow().as_ref() {
        if *b == base && !matches!(r.peek(), Some(Err(_))) {
            return r.clone();
        }
    }
    let url = base.clone();
    let reading: LocalBoxFuture<'static, _> =
        Box::pin(async move { Engine::manifest(&url).await.map(Rc::new) });
    let reading = reading.shared();
    *state.reading.borrow_mut() = Some((base, reading.clone()));
    reading
}

/// Makes `m` (read from `base`) the open bundle, unless it is already: a new one drops
/// the engine of the old.
fn adopt(state: &State, base: String, m: Rc<Manifest>) {
    let same = state
        .bundle
        .borrow()
        .as_ref()
        .is_some_and(|(b, had)| *b == base && Rc::ptr_eq(had, &m));
    if !same {
        *state.bundle.borrow_mut() = Some((base, m));
        *state.engine.borrow_mut() = None;
    }
}

/// The bundle folder beside this worker's script (the site's root, where `cargo xtask
/// dist` puts both), as the page names it ([`crate::BUNDLE_DIR`]).
fn own_bundle(scope: &DedicatedWorkerGlobalScope) -> Option<String> {
    let here = scope.location().href();
    web_sys::Url::new_with_base(crate::BUNDLE_DIR, &here)
        .ok()
        .map(|u| u.href())
}

/// A zero timeout: the event loop takes the messages that came meanwhile (a newer
/// job, a cancel) before a long job goes on.
fn pause() -> LocalBoxFuture<'static, ()> {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = set_timeout(&resolve, 0);
    });
    Box::pin(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    })
}

/// The engine, opening it first if no request did yet (or the last try failed: a
/// retry after a network error opens it again).
async fn engine(state: &State) -> Result<Rc<Engine>, SearchFailure> {
    let failed = state
        .engine
        .borrow()
        .as_ref()
        .is_some_and(|f| matches!(f.peek(), Some(Err(_))));
    if failed || state.engine.borrow().is_none() {
        let (base, manifest) = state.bundle.borrow().clone().ok_or_else(|| {
            SearchFailure::Load(LoadError::Worker("the bundle is not open".into()))
        })?;
        let opening: LocalBoxFuture<'static, _> =
            Box::pin(async move { Engine::open(base, (*manifest).clone()).await.map(Rc::new) });
        *state.engine.borrow_mut() = Some(opening.shared());
    }
    let opening = state.engine.borrow().clone();
    match opening {
        Some(f) => f.await.map_err(SearchFailure::Load),
        None => Err(SearchFailure::Load(LoadError::Worker(
            "the bundle is not open".into(),
        ))),
    }
}

/// The search worker's handler: everything a reader needs before the workbench.
/// The workbench's requests get `Failed`: the page sends them to the workbench worker.
pub fn handle_search(
    state: Rc<State>,
    port: Port,
    req: Request<Deferred>,
) -> LocalBoxFuture<'static, ()> {
    Box::pin(async move {
        let timed = Timed::start(&req);
        if let Some(reply) = answer_search::<_, NoAnswer, NoAnswer>(&state, req).await {
            timed.answered();
            port.post(&reply);
            timed.posted();
        }
    })
}

/// The workbench worker's handler: every request.
pub fn handle_all(state: Rc<State>, port: Port, req: Request) -> LocalBoxFuture<'static, ()> {
    Box::pin(async move {
        let timed = Timed::start(&req);
        let reply = match req {
            Request::Quote { .. }
            | Request::Bench { .. }
            | Request::WarmQuote
            | Request::QuoteParts { .. } => answer_workbench(&state, &port, req).await,
            other => answer_search(&state, other).await,
        };
        if let Some(reply) = reply {
            timed.answered();
            port.post(&reply);
            timed.posted();
        }
    })
}

/// The answer to a search worker's request, if it has one. A workbench job (`J`) or
/// quote reaching it is a mistake, whose answer carries no `B` or `Q`.
async fn answer_search<J, B, Q>(state: &State, req: Request<J>) -> Option<Response<B, Q>> {
    let mut fetched = Vec::new();
    Some(match req {
        Request::Open { base } => {
            let opened = read_bundle(state, base.clone()).await.map(|m| {
                let summary = CorpusSummary::of(&m);
                adopt(state, base, m);
                summary
            });
            Response::Opened(opened)
        }
        Request::Search {
            id,
            q,
            opts,
            snippets,
        } => {
            // Home's browse comes from the manifest's summary: no index part to fetch.
            let stored = if q.trim().is_empty() {
                let bundle = state.bundle.borrow();
                bundle.as_ref().and_then(|(_, m)| m.summary.browse(&opts))
            } else {
                None
            };
            let result = match (stored, engine(state)) {
                (Some((results, rows)), _) => Ok(Box::new(Answer { results, rows })),
                (None, engine) => match engine.await {
                    Ok(engine) => {
                        let wanted = || state.latest.get() == id;
                        engine
                            .search(&q, &opts, snippets as usize, wanted, &mut fetched)
                            .await
                            .map(Box::new)
                    }
                    Err(e) => Err(e),
                },
            };
            Response::Searched {
                id,
                result,
                fetched,
            }
        }
        Request::Snippets { id, q, doc } => {
            let result = match engine(state).await {
                Ok(e) => e.snippets(&q, doc, &mut fetched).await,
                Err(e) => Err(e),
            };
            Response::Snippets {
                id,
                result,
                fetched,
            }
        }
        Request::Document { id, doc_id, q } => {
            let result = match engine(state).await {
                Ok(e) => e.document(&doc_id, &q, &mut fetched).await.map(Box::new),
                Err(e) => Err(e),
            };
            Response::Document {
                id,
                result,
                fetched,
            }
        }
        Request::Highlight { id, doc, q } => {
            let result = match engine(state).await {
                Ok(e) => e.highlights(doc, &q, &mut fetched).await,
                Err(e) => Err(e),
            };
            Response::Highlighted {
                id,
                result,
                fetched,
            }
        }
        Request::Warm => {
            // A failure shows on the first request that needs the index.
            let _ = engine(state).await;
            return None;
        }
        Request::Cancel => return None,
        // The page sends these to the workbench worker; the answer names the mistake.
        Request::Quote { id, .. } => Response::Quoted {
            id,
            result: Err(misrouted()),
            fetched,
        },
        Request::Bench { id, .. } => Response::Bench {
            id,
            result: Err(misrouted()),
            fetched,
        },
        Request::WarmQuote | Request::QuoteParts { .. } | Request::Lane { .. } => return None,
    })
}

/// A search's time in the worker, as `performance.measure` entries of the worker's
/// scope: `stenogram:worker:search` from the request to its answer, and
/// `stenogram:worker:post` for serialising and posting that answer. Beside the page's
/// `stenogram:search` (request to decoded answer), they tell the engine's time from the
/// messaging's (`cargo xtask bench` prints them).
struct Timed {
    /// When the search was asked for; `None` for other requests.
    asked: Option<f64>,
    answered: Cell<f64>,
}

impl Timed {
    fn start<J>(req: &Request<J>) -> Timed {
        Timed {
            asked: matches!(req, Request::Search { .. }).then(now),
            answered: Cell::new(0.0),
        }
    }

    fn answered(&self) {
        if let Some(t0) = self.asked {
            self.answered.set(now());
            measure("stenogram:worker:search", t0);
        }
    }

    fn posted(&self) {
        if self.asked.is_some() {
            measure("stenogram:worker:post", self.answered.get());
        }
    }
}

/// A workbench request that reached the search worker: the page and the worker are
/// from different builds.
fn misrouted() -> SearchFailure {
    LoadError::Worker("the search worker runs no workbench job or quote".into()).into()
}

/// The answer to a workbench worker's own request (jobs and quotes), if it has one.
async fn answer_workbench(
    state: &Rc<State>,
    port: &Port,
    req: Request<Nested<Job>>,
) -> Option<Response<Nested<Box<Outcome>>, Nested<Box<QuoteAnswer>>>> {
    let mut fetched = Vec::new();
    Some(match req {
        Request::Quote { id, text, filters } => {
            let prep = state
                .quote_prep
                .borrow()
                .as_ref()
                .filter(|(t, _)| t.as_ref().is_none_or(|t| *t == text))
                .map(|(_, p)| p.clone());
            if let Some(p) = prep {
                p.await;
            }
            let result = match engine(state).await {
                Ok(e) => e
                    .quote(&text, &filters, &mut fetched)
                    .await
                    .map(|a| Nested(Box::new(a))),
                Err(e) => Err(e),
            };
            Response::Quoted {
                id,
                result,
                fetched,
            }
        }
        Request::Bench { id, job } => {
            let result = match engine(state).await {
                Ok(engine) => {
                    let supersedable = job.supersedable();
                    let wanted = || !supersedable || state.latest_job.get() == id;
                    let progress = |done, total| {
                        port.post(&SearchResponse::Progress { id, done, total });
                    };
                    let hooks = Hooks {
                        wanted: &wanted,
                        progress: &progress,
                        pause: &pause,
                    };
                    engine
                        .run(&job.0, &hooks, &mut fetched)
                        .await
                        .map(|o| Nested(Box::new(o)))
                }
                Err(e) => Err(e),
            };
            Response::Bench {
                id,
                result,
                fetched,
            }
        }
        Request::WarmQuote => {
            prepare(state, None, |e| async move { e.warm_quote().await }).await;
            return None;
        }
        Request::QuoteParts { text, filters } => {
            let key = Some(text.clone());
            prepare(state, key, |e| async move {
                e.quote_parts(&text, &filters).await;
            })
            .await;
            return None;
        }
        other => return answer_search(state, other).await,
    })
}

/// Runs `f` on the engine as the worker's quote preparation, keyed by `text`.
async fn prepare<Fut>(state: &State, text: Option<String>, f: impl FnOnce(Rc<Engine>) -> Fut)
where
    Fut: std::future::Future<Output = ()> + 'static,
{
    let Ok(engine) = engine(state).await else {
        return;
    };
    let prep: LocalBoxFuture<'static, ()> = Box::pin(f(engine));
    let prep = prep.shared();
    *state.quote_prep.borrow_mut() = Some((text, prep.clone()));
    prep.await;
}
