// Stenogram's service worker: offline use, and atomic updates between deployments.
//
// It owns the caches named `stenogram:<scope>:<version>` (the scope is the site's path, so
// two Stenogram sites on one origin, e.g. owner.github.io/a/ and /b/, never touch each
// other's caches). `cargo xtask dist` (xtask/src/precache.rs)
// replaces the PRECACHE_MANIFEST placeholder below with the build's file list and SHA-256
// hashes, so any change to any file gives this script new bytes, which is how the browser
// notices a new deployment. Why hand-written and not Workbox: see the README, "Offline and
// installing".
//
// Rules, each there for a reason:
// - One cache per build version and site. A new version is fetched completely, and every byte is
//   checked against the manifest's hash, before it can take over; old caches are deleted
//   only when it does. A half-deployed site (mixed files on the server) fails the install
//   instead of mixing builds.
// - Navigations inside the scope get the cached app shell (index.html): deep links work
//   offline, where GitHub Pages' 404.html round trip is not available.
// - Corpus files too large to precache are cached on first use, in the same versioned
//   cache, so they never outlive the build they belong to; "Make available offline"
//   fetches the rest with progress. A new version copies those it still lists from the
//   old cache at install, so a deploy keeps what the reader saved, with no network.
// - This script is fetched on every first visit, so it does not list a large corpus:
//   every corpus file but `corpus/manifest.json` is named by its content (a hash in its
//   name or its folder's), so its path says which bytes it holds, and the worker fetches
//   the corpus's file list (`MANIFEST.corpus.list`) only to save all of it or to keep
//   saved files across a deploy. Inlined, that list made this script 5.1 MB gzip at
//   100,000 transcripts.
// - Storage can run out: a file that cannot be stored is still served (and the page told),
//   never turned into a network error.
// - A new version waits until the reader asks for it (SKIP_WAITING from the page).

/* eslint-env serviceworker */
'use strict';

// `files`: the shell and the corpus files every view needs (all of a small corpus), each
// with its SHA-256. `corpus`: for a corpus not precached, its file list's name and hash
// and its totals; null otherwise.
const MANIFEST = /*PRECACHE_MANIFEST*/ { version: 'unbuilt', site: null, build: null, corpusPrecached: true, corpusLimit: 0, files: [], corpus: null } /*END_PRECACHE_MANIFEST*/;

const HASH_HEADER = 'x-stenogram-sha256';
// The site's path prefix, e.g. "/stenogram/": this worker sits at the site's root.
const SCOPE = new URL('./', self.location.href).pathname;
const PREFIX = `stenogram:${SCOPE}:`;
const CACHE = PREFIX + MANIFEST.version;
// Before caches were scoped: `stenogram-<16 hex>`, this site's only if it holds our shell.
const LEGACY = /^stenogram-[0-9a-f]{16}$/;
const BY_URL = new Map(MANIFEST.files.map((f) => [f.url, f]));
const SHELL = 'index.html';
const CORPUS_DIR = 'corpus/';

/** Whether site path `rel` is a corpus file named by its content: one of a corpus not
 * precached (listed or not here), which the worker keeps as it is used. */
const isNamedCorpusFile = (rel) => !!MANIFEST.corpus && rel.startsWith(CORPUS_DIR) && !BY_URL.has(rel);

const absolute = (rel) => new URL(rel, self.location.origin + SCOPE).href;

async function sha256(buf) {
  const digest = await crypto.subtle.digest('SHA-256', buf);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The stored form of a verified file: its bytes plus the hash (if listed), so a later
 * version can reuse it. */
function stored(entry, buf, contentType) {
  const headers = entry.sha256 ? { [HASH_HEADER]: entry.sha256 } : {};
  if (contentType) headers['content-type'] = contentType;
  return new Response(buf, { status: 200, headers });
}

class HashMismatch extends Error {}
/** The server's answer was not a file (404 and the like); `response` is that answer. */
class NotAFile extends Error {
  constructor(url, response) {
    super(`${url}: HTTP ${response.status}`);
    this.response = response;
  }
}

/** Fetches `entry` from the network and checks it against the manifest: its SHA-256 where
 * listed here; else (a corpus file named by its content) its size where the list gives it. */
async function fetchVerified(entry) {
  const resp = await fetch(absolute(entry.url), { cache: entry.sha256 ? 'no-cache' : 'default', credentials: 'same-origin' });
  if (!resp.ok) throw new NotAFile(entry.url, resp);
  const buf = await resp.arrayBuffer();
  if (entry.sha256) {
    if ((await sha256(buf)) !== entry.sha256) throw new HashMismatch(`${entry.url}: content is from another build`);
  } else if (entry.bytes != null && buf.byteLength !== entry.bytes) {
    throw new HashMismatch(`${entry.url}: ${buf.byteLength} bytes, the build's list says ${entry.bytes}`);
  }
  return stored(entry, buf, resp.headers.get('content-type'));
}

/** This site's caches of other versions (never another site's, nor this version's). */
async function oldCaches() {
  const out = [];
  for (const name of await caches.keys()) {
    if (name === CACHE) continue;
    if (name.startsWith(PREFIX)) out.push(name);
    else if (LEGACY.test(name) && (await (await caches.open(name)).match(absolute(SHELL)))) out.push(name);
  }
  return out;
}

const isQuota = (e) => !!e && (e.name === 'QuotaExceededError' || /quota/i.test(String(e.message || e)));

/** Stores `resp` for `url`; `false` (and the page told) when storage is full. */
async function store(cache, url, resp) {
  try {
    await cache.put(url, resp);
    return true;
  } catch (e) {
    if (!isQuota(e)) throw e;
    await tell({ type: 'STORAGE_FULL' });
    return false;
  }
}

/** A copy of `entry` from an older version's cache, if its bytes are the same (the same
 * hash, or the same path for a file named by its content). */
async function reusable(entry) {
  for (const name of await oldCaches()) {
    const old = await (await caches.open(name)).match(absolute(entry.url));
    if (old && (!entry.sha256 || old.headers.get(HASH_HEADER) === entry.sha256)) return old;
  }
  return null;
}

/** Puts every entry into `cache` (reusing identical bytes from old versions), `limit` at a time. */
async function fill(cache, entries, limit, onEach) {
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const entry = entries[next++];
      if (!(await cache.match(absolute(entry.url)))) {
        const resp = (await reusable(entry)) || (await fetchVerified(entry));
        await cache.put(absolute(entry.url), resp);
      }
      if (onEach) onEach(entry);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, worker));
}

// Everything listed here: 'shell' and 'corpus-core' (the corpus manifest, the index's
// entry files), and 'corpus' (transcripts, index shards) when the build found the bundle
// small enough to precache.
const precached = () => MANIFEST.files;

/** The corpus files not precached, `{url, bytes}` each, from the build's list (fetched
 * once, checked against its hash); the precached corpus's where it is listed here. */
let corpusList = null;
function corpusFiles() {
  if (!MANIFEST.corpus) return Promise.resolve(MANIFEST.files.filter((f) => f.group === 'corpus'));
  corpusList = corpusList || fetchVerified({ url: MANIFEST.corpus.list, sha256: MANIFEST.corpus.sha256 })
    .then((resp) => resp.json())
    .then((rows) => rows.map(([url, bytes]) => ({ url, bytes })))
    .catch((e) => { corpusList = null; throw e; });
  return corpusList;
}

/** The site path of a request under this scope. */
const relOf = (url) => decodeURIComponent(new URL(url).pathname.slice(SCOPE.length));

/** Corpus files the reader kept under an older version (used, or "Make available
 * offline") that this version still lists: copied, never fetched (the list is, once, and
 * only when there is something to keep). Stops quietly when storage is full; the status
 * then shows fewer files saved. */
async function keepSaved(cache) {
  if (!MANIFEST.corpus) return;
  const olds = [];
  for (const name of await oldCaches()) {
    const old = await caches.open(name);
    const keys = (await old.keys()).filter((req) => relOf(req.url).startsWith(CORPUS_DIR));
    if (keys.length) olds.push([old, keys]);
  }
  if (!olds.length) return;
  const listed = new Set((await corpusFiles()).map((f) => absolute(f.url)));
  for (const [old, keys] of olds) {
    for (const req of keys) {
      if (!listed.has(req.url) || (await cache.match(req.url))) continue;
      const resp = await old.match(req);
      if (resp && !(await store(cache, req.url, resp))) return;
    }
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    try {
      await fill(cache, precached(), 6);
    } catch (e) {
      // Nothing half-filled may survive: the old version stays in charge.
      await caches.delete(CACHE);
      throw e;
    }
    await keepSaved(cache).catch(() => {});
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await oldCaches()) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function tell(message) {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message);
}

async function corpusStatus() {
  const cache = await caches.open(CACHE);
  let files;
  let bytes;
  let cached = 0;
  if (MANIFEST.corpus) {
    // Counted from the cache's own keys: no list needed.
    ({ files, bytes } = MANIFEST.corpus);
    for (const req of await cache.keys()) if (isNamedCorpusFile(relOf(req.url))) cached++;
    cached = Math.min(cached, files);
  } else {
    const listed = await corpusFiles();
    for (const f of listed) if (await cache.match(absolute(f.url))) cached++;
    files = listed.length;
    bytes = listed.reduce((n, f) => n + f.bytes, 0);
  }
  return {
    type: 'STATUS', version: MANIFEST.version, site: MANIFEST.site, build: MANIFEST.build,
    corpusPrecached: MANIFEST.corpusPrecached, corpusLimit: MANIFEST.corpusLimit,
    corpusFiles: files, corpusCached: cached, corpusBytes: bytes,
  };
}

/** Tells every page the corpus counts, at most every half second (they change per fetch). */
let statusTimer = null;
function statusSoon() {
  if (statusTimer) return;
  statusTimer = setTimeout(async () => {
    statusTimer = null;
    await tell(await corpusStatus());
  }, 500);
}

/** "Make available offline": every corpus file not yet cached, with progress messages. */
async function cacheCorpus() {
  const cache = await caches.open(CACHE);
  let done = 0;
  let bytesDone = 0;
  let lastTold = 0;
  try {
    const files = await corpusFiles();
    const total = files.length;
    const bytesTotal = files.reduce((n, f) => n + f.bytes, 0);
    await tell({ type: 'CORPUS_PROGRESS', done, total, bytesDone, bytesTotal });
    await fill(cache, files, 4, (f) => {
      done++;
      bytesDone += f.bytes;
      const now = Date.now();
      if (now - lastTold > 100 || done === total) {
        lastTold = now;
        tell({ type: 'CORPUS_PROGRESS', done, total, bytesDone, bytesTotal });
      }
    });
    await tell({ type: 'CORPUS_DONE', ok: true });
  } catch (e) {
    // A file gone from the server (404) is another deployment's doing too: content-named
    // folders are replaced whole.
    const stale = e instanceof HashMismatch || (e instanceof NotAFile && e.response.status === 404);
    await tell({
      type: 'CORPUS_DONE', ok: false, error: String(e && e.message || e),
      stale, full: isQuota(e),
    });
    if (stale) self.registration.update().catch(() => {});
  }
  await tell(await corpusStatus());
}

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'SKIP_WAITING') {
    self.skipWaiting();
  } else if (type === 'STATUS') {
    event.waitUntil(corpusStatus().then((s) => event.source && event.source.postMessage(s)));
  } else if (type === 'CACHE_CORPUS') {
    event.waitUntil(cacheCorpus());
  } else if (type === 'CACHE_USED') {
    // Files the page fetched before this worker controlled it (the first visit): keep
    // them too, so "what the reader has used" includes the first transcript opened.
    const used = (event.data.urls || [])
      .map((u) => new URL(u, self.location.href))
      .filter((u) => u.origin === self.location.origin && u.pathname.startsWith(SCOPE))
      .map((u) => entryOf(decodeURIComponent(u.pathname.slice(SCOPE.length))))
      .filter((f) => f && f.group === 'corpus');
    event.waitUntil(caches.open(CACHE).then((c) => fill(c, used, 4)).catch(() => {}).then(statusSoon));
  }
});

/** What this worker serves at site path `rel`: a file listed here, or a corpus file named
 * by its content (`{url, group: 'corpus'}`); null for anything else. */
const entryOf = (rel) => BY_URL.get(rel) || (isNamedCorpusFile(rel) ? { url: rel, group: 'corpus' } : null);

/** A listed file: from this version's cache, else (large corpora) fetched, checked and kept. */
async function listed(entry) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(absolute(entry.url));
  if (hit) return hit;
  let resp;
  try {
    resp = await fetchVerified(entry);
  } catch (e) {
    // No such file (a 404): the server's answer, as without a worker.
    if (e instanceof NotAFile && !entry.sha256) return e.response;
    // Offline and not saved, or bytes of another deployment: either way the page gets a
    // network error (never a file from another build) and is told why.
    const stale = e instanceof HashMismatch;
    await tell({ type: 'UNAVAILABLE', url: entry.url, stale });
    if (stale) self.registration.update().catch(() => {});
    return Response.error();
  }
  // Full storage costs the copy, never the answer.
  if (await store(cache, absolute(entry.url), resp.clone()).catch(() => false)) statusSoon();
  return resp;
}

async function navigation(rel, request) {
  const entry = BY_URL.get(rel);
  const cache = await caches.open(CACHE);
  const hit = await cache.match(absolute(entry && rel !== SHELL ? rel : SHELL));
  if (hit) {
    // A fresh response, so the page's URL (not index.html's) is the document's.
    return new Response(hit.body, { status: 200, headers: hit.headers });
  }
  // This version's cache is gone (storage cleared under us): the network's answer.
  return fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  let rel;
  try {
    rel = decodeURIComponent(url.pathname.slice(SCOPE.length));
  } catch {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(navigation(rel, request));
    return;
  }
  const entry = entryOf(rel);
  // Not a file of this build (e.g. sw.js itself): the network, as without a worker.
  if (entry) event.respondWith(listed(entry));
});
