// Starts the search worker (crates/search-worker): a classic worker script that loads the
// wasm-bindgen glue Trunk built beside it (`data-type="worker"`, no-modules target) and the
// worker's wasm. Relative URLs resolve against this script, so it works under a sub-path.
// If either cannot load, the page hears `Failed` and searches on its own thread instead.
/* eslint-env worker */
'use strict';
(function () {
  const failed = (e) => postMessage(JSON.stringify({ Failed: String((e && e.message) || e) }));
  try {
    importScripts('./search-worker.js');
    wasm_bindgen({ module_or_path: './search-worker_bg.wasm' }).catch(failed);
  } catch (e) {
    failed(e);
  }
})();
