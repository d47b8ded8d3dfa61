// The page's side of the service worker (web/sw.js): registers it under the site's
// sub-path and turns what it reports into one plain state object for the app.
//
// The Rust component (src/components/offline.rs) calls `window.stenogramSW.subscribe(fn)`;
// `fn` gets that state object on every change (read field by field: `SwState::read`), so the wasm side needs no web-sys
// bindings for service workers. A classic script loaded from <head>: it runs before the app
// starts, so no early message is missed.
(function () {
  'use strict';

  const state = {
    supported: 'serviceWorker' in navigator,
    controlled: false,
    online: navigator.onLine,
    updateReady: false,
    version: null,
    build: null,
    corpusPrecached: true,
    corpusFiles: 0,
    corpusCached: 0,
    corpusBytes: 0,
    progress: null, // {done, total, bytesDone, bytesTotal} while "Make available offline" runs
    progressError: null,
    unavailable: [], // [{url, stale}] files the worker could not serve
    storageFull: false, // a file could not be stored: the device's storage for the site is full
    storage: null, // {usage, quota, persisted} once the reader asked for offline use
  };
  // This page's build (`cargo xtask dist` writes it; absent under `trunk serve`). The
  // worker reports its own; when they differ, this page runs code whose files the worker
  // does not have, so it reloads onto the worker's build.
  const siteMeta = document.querySelector('meta[name="stenogram-site"]');
  const PAGE_SITE = siteMeta ? siteMeta.content : null;
  const listeners = new Set();
  let registration = null;
  // Files the search worker fetched (index shards): the page's performance entries do not
  // list them, and a worker started before this service worker took over is not
  // controlled by it, so the page tells the service worker to keep them (CACHE_USED).
  const workerFetched = new Set();

  function emit() {
    for (const fn of listeners) {
      try { fn(state); } catch (e) { console.warn('stenogramSW listener failed', e); }
    }
  }

  function post(message) {
    const sw = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (sw) sw.postMessage(message);
    return !!sw;
  }

  window.stenogramSW = {
    /** Calls `fn(state)` now and on every change (it reads the object at once and keeps
     *  no reference); returns an unsubscribe function. */
    subscribe(fn) {
      listeners.add(fn);
      fn(state);
      return () => listeners.delete(fn);
    },
    /** Activates the waiting version; the page reloads when it takes over. */
    applyUpdate() {
      const waiting = registration && registration.waiting;
      if (waiting) {
        updateRequested = true;
        waiting.postMessage({ type: 'SKIP_WAITING' });
      } else {
        reload();
      }
    },
    /** Fetches every corpus file not yet cached; progress arrives through `subscribe`.
     * Asks the browser to keep the site's storage (persist) and shows what it uses. */
    makeAvailableOffline() {
      if (navigator.storage && navigator.storage.persist) {
        navigator.storage.persist().catch(() => false).then(estimate);
      }
      state.progressError = null;
      state.storageFull = false;
      state.progress = { done: 0, total: state.corpusFiles, bytesDone: 0, bytesTotal: state.corpusBytes };
      if (!post({ type: 'CACHE_CORPUS' })) {
        state.progress = null;
        state.progressError = 'The offline helper is not running yet; reload the page and try again.';
      }
      emit();
    },
    /** Keeps `urls` (fetched by the search worker) for offline use, as the page's own. */
    keep(urls) {
      for (const u of urls) workerFetched.add(u);
      if (state.controlled) post({ type: 'CACHE_USED', urls });
    },
    /** Forgets the "not available offline" notices (the reader dismissed them). */
    dismissUnavailable() {
      state.unavailable = [];
      emit();
    },
  };

  /** What the site stores on this device and may store, and whether it is kept for good. */
  async function estimate() {
    if (!navigator.storage || !navigator.storage.estimate) return;
    try {
      const [e, persisted] = await Promise.all([
        navigator.storage.estimate(),
        navigator.storage.persisted ? navigator.storage.persisted() : Promise.resolve(false),
      ]);
      state.storage = { usage: e.usage || 0, quota: e.quota || 0, persisted: !!persisted };
      emit();
    } catch (e) {
      console.warn('Stenogram could not read the storage estimate', e);
    }
  }

  /** True the first time it is asked for `version` in this tab (survives the reload). */
  function onceFor(version) {
    const key = `stenogram-reloaded:${new URL("./", document.baseURI).pathname}`;
    try {
      if (sessionStorage.getItem(key) === version) return false;
      sessionStorage.setItem(key, version);
    } catch {
      // No session storage: reloading could loop, so the notice is shown instead.
      return false;
    }
    return true;
  }

  let reloading = false;
  let updateRequested = false;
  function reload() {
    if (!reloading) { reloading = true; location.reload(); }
  }

  window.addEventListener('online', () => { state.online = true; emit(); if (registration) registration.update().catch(() => {}); });
  window.addEventListener('offline', () => { state.online = false; emit(); });

  if (!state.supported) return;

  const sw = navigator.serviceWorker;
  // When another worker takes over, the page reloads if the reader asked for it (Reload on
  // the update notice, from any tab, first visit included) or if it runs another build than
  // the worker's (checked when the worker's STATUS answers: a deploy between this page's
  // load and the install, or another tab's update). Otherwise (the very first install, of
  // this page's own build) it just starts being controlled.
  state.controlled = !!sw.controller;
  sw.addEventListener('controllerchange', () => {
    if (updateRequested) { reload(); return; }
    const first = !state.controlled;
    state.controlled = true;
    post({ type: 'STATUS' });
    if (!first) return;
    // What this first visit loaded before the worker took over, for it to keep.
    const urls = performance.getEntriesByType('resource').map((e) => e.name).concat([...workerFetched]);
    post({ type: 'CACHE_USED', urls });
    emit();
  });

  sw.addEventListener('message', (event) => {
    const m = event.data || {};
    if (m.type === 'STATUS') {
      // Only the active worker sends STATUS. Once per worker version: if the reload still
      // brings another build (a server answering around the worker), the reader is told.
      if (PAGE_SITE && m.site && m.site !== PAGE_SITE) {
        if (onceFor(m.version)) { reload(); return; }
        state.updateReady = true;
      }
      Object.assign(state, {
        version: m.version, build: m.build, corpusPrecached: m.corpusPrecached,
        corpusFiles: m.corpusFiles, corpusCached: m.corpusCached, corpusBytes: m.corpusBytes,
      });
    } else if (m.type === 'CORPUS_PROGRESS') {
      state.progress = { done: m.done, total: m.total, bytesDone: m.bytesDone, bytesTotal: m.bytesTotal };
    } else if (m.type === 'CORPUS_DONE') {
      state.progress = null;
      if (m.full) state.storageFull = true;
      estimate();
      state.progressError = m.ok ? null : m.full
        ? 'This device has no more room for this site: some files could not be saved. Free some space (or clear other sites’ data) and try again.'
        : (m.stale
        ? 'This site has been updated since you opened it; reload to get the new version, then try again.'
        : `Some files could not be fetched (${m.error}). Check your connection and try again.`);
      if (m.ok) state.unavailable = [];
    } else if (m.type === 'STORAGE_FULL') {
      state.storageFull = true;
      estimate();
    } else if (m.type === 'UNAVAILABLE') {
      if (!state.unavailable.some((u) => u.url === m.url)) state.unavailable.push({ url: m.url, stale: !!m.stale });
    } else {
      return;
    }
    emit();
  });

  function watchInstalling(worker) {
    worker.addEventListener('statechange', () => {
      // "installed" with a controller in place: a complete new version is waiting.
      if (worker.state === 'installed' && sw.controller) { state.updateReady = true; emit(); }
    });
  }

  // Registered once the page has loaded and its thread is idle: installing fetches the
  // whole shell (both workers' wasm and the page's parts included) to precache it, which
  // on a first visit over a phone's network would share the line with what the page is
  // loading.
  const register = () => sw.register(new URL('sw.js', document.baseURI).href, { scope: new URL('./', document.baseURI).pathname, updateViaCache: 'none' })
    .then((reg) => {
      registration = reg;
      if (reg.waiting && sw.controller) { state.updateReady = true; emit(); }
      if (reg.installing) watchInstalling(reg.installing);
      reg.addEventListener('updatefound', () => reg.installing && watchInstalling(reg.installing));
      post({ type: 'STATUS' });
      // Long-open tabs look for a new deployment now and then, not only on navigation.
      setInterval(() => { if (navigator.onLine) reg.update().catch(() => {}); }, 30 * 60 * 1000);
    })
    .catch((e) => console.warn('Stenogram works without offline support here:', e));
  const whenIdle = () => (window.requestIdleCallback ? requestIdleCallback(register, { timeout: 5000 }) : setTimeout(register, 0));
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
})();
