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
    const files = self.location.hash === '#workbench' ? WORKBENCH : SEARCH;
    const failed = (e) => postMessage(String((e && e.message) || e));
    try {
      importScripts(files.glue);
      wasm_bindgen({ module_or_path: files.wasm }).catch(failed);
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
