//! The search worker: a dedicated Web Worker that owns the index and answers the page's
//! queries (see the library's `protocol` module). Built by Trunk from `index.html`
//! (`data-type="worker"`) and started by the page through `search-worker-loader.js`.
#![forbid(unsafe_code)]

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::start();
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    use stenogram_search_worker::bench::Hooks;
    use stenogram_search_worker::protocol::{decode, encode, Request, Response};
    use stenogram_search_worker::{Engine, LoadError, SearchFailure};

    #[derive(Default)]
    struct State {
        engine: RefCell<Option<Rc<Engine>>>,
        /// The id of the latest search asked for; older ones stop at their next fetch.
        latest: Cell<u32>,
        /// The id of the latest workbench job (0 after a cancel); older ones stop at
        /// their next chunk.
        latest_job: Cell<u32>,
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let state = Rc::new(State::default());
        let on_message = {
            let scope = scope.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                let Some(text) = ev.data().as_string() else {
                    return;
                };
                match decode::<Request>(&text) {
                    Ok(req) => {
                        match &req {
                            Request::Search { id, .. } => state.latest.set(*id),
                            Request::Bench { id, job } if job.supersedable() => {
                                state.latest_job.set(*id)
                            }
                            Request::Cancel => state.latest_job.set(0),
                            _ => {}
                        }
                        wasm_bindgen_futures::spawn_local(handle(
                            state.clone(),
                            scope.clone(),
                            req,
                        ));
                    }
                    Err(e) => post(&scope, &Response::Failed(e)),
                }
            })
        };
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        post(&scope, &Response::Ready);
    }

    /// A zero timeout: the worker's event loop takes the messages that came meanwhile
    /// (a newer job, a cancel) before a long job goes on.
    fn pause() -> futures_util::future::LocalBoxFuture<'static, ()> {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        });
        Box::pin(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        })
    }

    fn post(scope: &DedicatedWorkerGlobalScope, r: &Response) {
        let _ = scope.post_message(&JsValue::from_str(&encode(r)));
    }

    async fn handle(state: Rc<State>, scope: DedicatedWorkerGlobalScope, req: Request) {
        let engine = state.engine.borrow().clone();
        let reply = match req {
            Request::Open { base, index, docs } => {
                let opened = Engine::open(base, index, docs).await.map(|e| {
                    *state.engine.borrow_mut() = Some(Rc::new(e));
                });
                Response::Opened(opened)
            }
            Request::Search { id, q, opts } => {
                let mut fetched = Vec::new();
                let result = match engine {
                    Some(engine) => {
                        let wanted = || state.latest.get() == id;
                        engine
                            .search(&q, &opts, wanted, &mut fetched)
                            .await
                            .map(Box::new)
                    }
                    None => Err(SearchFailure::Load(LoadError::Worker(
                        "the index is not open".into(),
                    ))),
                };
                Response::Searched {
                    id,
                    result,
                    fetched,
                }
            }
            Request::Highlight { id, q } => Response::Highlighted {
                id,
                matcher: match engine {
                    Some(e) => e.matcher(&q).await,
                    None => None,
                },
            },
            Request::QuoteCandidates { id, text, filters } => {
                let mut fetched = Vec::new();
                let result = match engine {
                    Some(e) => e.quote_candidates(&text, &filters, &mut fetched).await,
                    None => Err(SearchFailure::Load(LoadError::Worker(
                        "the index is not open".into(),
                    ))),
                };
                Response::QuoteCandidates {
                    id,
                    result,
                    fetched,
                }
            }
            Request::Bench { id, job } => {
                let mut fetched = Vec::new();
                let result = match engine {
                    Some(engine) => {
                        let supersedable = job.supersedable();
                        let wanted = || !supersedable || state.latest_job.get() == id;
                        let progress = |done, total| {
                            post(&scope, &Response::Progress { id, done, total });
                        };
                        let hooks = Hooks {
                            wanted: &wanted,
                            progress: &progress,
                            pause: &pause,
                        };
                        engine.run(&job, &hooks, &mut fetched).await.map(Box::new)
                    }
                    None => Err(SearchFailure::Load(LoadError::Worker(
                        "the index is not open".into(),
                    ))),
                };
                Response::Bench {
                    id,
                    result,
                    fetched,
                }
            }
            Request::Cancel => return,
        };
        post(&scope, &reply);
    }
}
