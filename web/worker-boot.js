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
  const early = { worker: null, messages: [], error: null };
  try {
    // The page's path and query in the fragment: on a reading URL the worker starts
    // that transcript's download itself, before the app asks (crates/search-worker,
    // `page_reading`). A fragment is not sent: the worker's files stay one cache entry.
    const page = encodeURIComponent(location.pathname + location.search);
    const worker = new Worker(new URL(`${loader}#page=${page}`, document.baseURI));
    worker.onmessage = (e) => { early.messages.push(e.data); };
    worker.onerror = (e) => { early.error = (e && e.message) || 'its script could not be loaded'; };
    early.worker = worker;
  } catch (e) {
    // No worker here: the app runs the worker's wasm on its own thread.
  }
  self.stenogramEarlyWorker = early;

  // On a reading URL (`t/<id>` under the site's base: `Route::Reader` in src/router.rs),
  // the reading view's code is fetched now too, beside the app's wasm: the app asks for
  // it only once its own wasm has run, a round trip and 84 KB later on a phone. The
  // app's fetch of the same URLs then takes these responses (`as="fetch"`, anonymous:
  // the request a plain `fetch()` makes). `cargo xtask dist` lists the files in
  // <meta name="stenogram-reading-part"> (xtask/src/split.rs); `trunk serve` has none.
  const part = document.querySelector('meta[name="stenogram-reading-part"]');
  const base = new URL(document.baseURI).pathname;
  if (part && location.pathname.startsWith(base + 't/')) {
    for (const file of part.content.split(' ').filter(Boolean)) {
      const link = document.createElement('link');
      link.rel = 'preload';
      link.as = 'fetch';
      link.crossOrigin = 'anonymous';
      link.href = new URL(file, document.baseURI).href;
      document.head.appendChild(link);
    }
  }
})();
