// Starts the search worker as soon as this script arrives, before the app's own wasm has
// downloaded: the worker's wasm and the corpus manifest (which the worker reads as soon
// as it runs) then come beside the app's wasm rather than after it (issue 13). The app
// (src/data/client.rs) adopts this worker, with the messages and errors it sent before
// the app listened; where `Worker` is missing or throws, it finds none and falls back as
// before. The loader's name is the one `cargo xtask dist` writes into
// <meta name="stenogram-worker">, else its plain name (`trunk serve`).
/* eslint-env browser */
(function () {
  'use strict';
  // `async`, not `defer`: a deferred script runs only after the app's module script has
  // fetched its glue, in document order, so the worker started about when the app did.
  // Should this script come after the app looked for it (its own fetch slower than the
  // app's), the app left a marker, and starts the only worker itself.
  if (self.stenogramEarlyWorker) return;
  const meta = document.querySelector('meta[name="stenogram-worker"]');
  const loader = (meta && meta.content) || 'search-worker-loader.js';
  const url = new URL(loader, document.baseURI);
  // The bundle files the worker reads as it starts, named by `cargo xtask dist` (the
  // manifest, revalidated, and the index's entry file): its loader requests them while
  // the worker's wasm downloads (web/search-worker-loader.js).
  const files = new URLSearchParams();
  for (const key of ['fresh', 'early']) {
    const names = (meta && meta.dataset[key]) || '';
    for (const name of names.split(' ').filter(Boolean)) {
      files.append(key, new URL(name, document.baseURI).href);
    }
  }
  url.hash = files.toString();
  const early = { worker: null, messages: [], error: null };
  try {
    const worker = new Worker(url);
    worker.onmessage = (e) => { early.messages.push(e.data); };
    worker.onerror = (e) => { early.error = (e && e.message) || 'its script could not be loaded'; };
    early.worker = worker;
  } catch (e) {
    // No worker here: the app runs the worker's wasm on its own thread.
  }
  self.stenogramEarlyWorker = early;
})();
