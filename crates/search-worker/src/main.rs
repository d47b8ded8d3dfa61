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

    use stenogram_search_worker::protocol::{decode, encode, Request, Response};
    use stenogram_search_worker::{Engine, LoadError, SearchFailure};

    #[derive(Default)]
    struct State {
        engine: RefCell<Option<Rc<Engine>>>,
        /// The id of the latest search asked for; older ones stop at their next fetch.
        latest: Cell<u32>,
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
                        if let Request::Search { id, .. } = req {
                            state.latest.set(id);
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

    fn post(scope: &DedicatedWorkerGlobalScope, r: &Response) {
        let _ = scope.post_message(&JsValue::from_str(&encode(r)));
    }

    async fn handle(state: Rc<State>, scope: DedicatedWorkerGlobalScope, req: Request) {
        let engine = state.engine.borrow().clone();
        let reply = match req {
            Request::Open { base, index } => {
                let opened = Engine::open(base, index).await.map(|e| {
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
        };
        post(&scope, &reply);
    }
}
