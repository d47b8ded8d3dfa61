// Starts one of Stenogram's two workers (crates/search-worker): a classic worker script
// that loads the wasm-bindgen glue Trunk built (`data-type="worker"`, no-modules target)
// and the worker's wasm. `new Worker('search-worker-loader.js')` starts the search
// worker; `…#workbench`, the workbench worker (the workbench's jobs and the quote finder
// too), which the page starts on first use. Relative URLs resolve against this script,
// so it works under a sub-path. If either file cannot load, the page hears why as a
// plain string (the workers' own messages are bytes), which it reads as `Failed`.
//
// Where a worker cannot start at all, the page loads this same script with a <script>
// element: it then loads the workbench worker's glue and wasm (which answer everything)
// on the page's thread and resolves `self.stenogramWorkerInPage` to the module, whose
// `start_in_page` speaks the workers' messages (src/data/client.rs). So the page never
// ships a second copy of the engine.
/* eslint-env browser, worker */
'use strict';
(function () {
  const SEARCH = { glue: './search-worker.js', wasm: './search-worker_bg.wasm' };
  const WORKBENCH = { glue: './workbench-worker.js', wasm: './workbench-worker_bg.wasm' };
  if (typeof importScripts === 'function') {
    // The fragment: `workbench` (which worker), and the bundle files the worker reads as
    // it starts, as absolute URLs (web/worker-boot.js): `fresh` ones revalidated (a fixed
    // name), `early` ones as the HTTP cache allows (content-hashed names).
    const params = new URLSearchParams(self.location.hash.slice(1));
    const files = params.has('workbench') ? WORKBENCH : SEARCH;
    const failed = (e) => postMessage(String((e && e.message) || e));
    // Everything this worker needs before it answers is requested now, side by side:
    // the wasm beside its glue, not after it, and the bundle's entry files during the
    // wasm's download, not after it (issue 13: on slow 4G each round trip is 150 ms or
    // more). The worker takes an early response by its exact URL
    // (`self.stenogramEarly`, read by `early_response` in crates/search-worker); a URL
    // it does not ask for is never read, and one it asks for but finds missing it
    // fetches itself. Only this site's own files are fetched, whatever the fragment says.
    const quiet = (p) => { p.catch(() => {}); return p; };
    const early = new Map();
    for (const [key, init] of [['fresh', { cache: 'no-cache' }], ['early', {}]]) {
      for (const url of params.getAll(key)) {
        let at = null;
        try { at = new URL(url); } catch (e) { continue; }
        if (at.origin === self.location.origin) early.set(at.href, quiet(fetch(at.href, init)));
      }
    }
    self.stenogramEarly = early;
    try {
      const wasm = quiet(fetch(files.wasm));
      importScripts(files.glue);
      wasm_bindgen({ module_or_path: wasm }).catch(failed);
    } catch (e) {
      failed(e);
    }
    return;
  }
  const here = document.currentScript.src;
  self.stenogramWorkerInPage = new Promise((resolve, reject) => {
    const glue = document.createElement('script');
    glue.src = new URL(WORKBENCH.glue, here).href;
    glue.onload = () => {
      /* global wasm_bindgen */
      wasm_bindgen({ module_or_path: new URL(WORKBENCH.wasm, here).href })
        .then(() => resolve(wasm_bindgen), reject);
    };
    glue.onerror = () => reject(new Error(`could not load ${glue.src}`));
    document.head.appendChild(glue);
  });
})();
