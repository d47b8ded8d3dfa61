// Starts the search worker (crates/search-worker): a classic worker script that loads the
// wasm-bindgen glue Trunk built beside it (`data-type="worker"`, no-modules target) and the
// worker's wasm. Relative URLs resolve against this script, so it works under a sub-path.
// If either cannot load, the page hears `Failed`.
//
// Where a worker cannot start at all, the page loads this same script with a <script>
// element: it then loads the glue and the wasm on the page's thread and resolves
// `self.stenogramWorkerInPage` to the module, whose `start_in_page` speaks the worker's
// messages (src/data.rs). So the page never ships a second copy of the engine.
/* eslint-env browser, worker */
'use strict';
(function () {
  const GLUE = './search-worker.js';
  const WASM = './search-worker_bg.wasm';
  if (typeof importScripts === 'function') {
    const failed = (e) => postMessage(JSON.stringify({ Failed: String((e && e.message) || e) }));
    try {
      importScripts(GLUE);
      wasm_bindgen({ module_or_path: WASM }).catch(failed);
    } catch (e) {
      failed(e);
    }
    return;
  }
  const here = document.currentScript.src;
  self.stenogramWorkerInPage = new Promise((resolve, reject) => {
    const glue = document.createElement('script');
    glue.src = new URL(GLUE, here).href;
    glue.onload = () => {
      /* global wasm_bindgen */
      wasm_bindgen({ module_or_path: new URL(WASM, here).href })
        .then(() => resolve(wasm_bindgen), reject);
    };
    glue.onerror = () => reject(new Error(`could not load ${glue.src}`));
    document.head.appendChild(glue);
  });
})();
