// Starts the search worker while the page's HTML is parsed, before the app's own wasm has
// downloaded: the worker's wasm and the corpus manifest (which the worker reads as soon
// as it runs) then come beside the app's wasm rather than after it (issue 13). The app
// (src/data/client.rs) adopts this worker, with the messages and errors it sent before
// the app listened; where `Worker` is missing or throws, it finds none and falls back as
// before. The loader's name is the one `cargo xtask dist` writes into
// <meta name="stenogram-worker">, else its plain name (`trunk serve`).
/* eslint-env browser */
(function () {
  'use strict';
  const meta = document.querySelector('meta[name="stenogram-worker"]');
  const loader = (meta && meta.content) || 'search-worker-loader.js';
  const early = { worker: null, messages: [], error: null };
  try {
    const worker = new Worker(new URL(loader, document.baseURI));
    worker.onmessage = (e) => { early.messages.push(e.data); };
    worker.onerror = (e) => { early.error = (e && e.message) || 'its script could not be loaded'; };
    early.worker = worker;
  } catch (e) {
    // No worker here: the app runs the worker's wasm on its own thread.
  }
  self.stenogramEarlyWorker = early;
})();
