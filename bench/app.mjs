// The benchmark of the real app (issue 13's figures, issue 14's and 15's budgets), run by
// `cargo xtask bench`: the site `cargo xtask dist` builds, with the chosen corpus, served
// as GitHub Pages serves it (e2e/server.mjs with `pages: true`: gzip, under /stenogram/)
// and driven in headless Chromium through its UI and URLs only, each cold measurement in a
// fresh profile. Bytes are what the server sent (body bytes on the wire, per request), so
// the page's and its worker's fetches are both counted. Timings are the app's own
// `performance.measure` entries where it emits them (`stenogram:search`, `stenogram:quote`,
// `stenogram:bench:<kind>`), "n/a" where it does not, with the time seen through the UI
// beside them. Pagefind's default UI over the same transcripts is measured in the same
// run, and Lighthouse (lighthouse.mjs) scores home, a results URL and a reading URL.
//
// node bench/app.mjs --name kremlin --site DIR --json DIR [--json DIR] [--out FILE]
//                    [--growth FILE] [--no-pagefind] [--no-lighthouse]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { serve } from '../e2e/server.mjs';
import { renderSite, pagefindIndex } from './pagefind.mjs';
import { heaps } from './cdp.mjs';
import { lighthouseRows } from './lighthouse.mjs';
import { throttledLoads, RUNS as THROTTLED_RUNS } from './throttled.mjs';
import { firstQuery, FURTHER, WORKBENCH, pickQuotes, topSpeakers, walkJson } from './app-queries.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const BASE = '/stenogram/';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
/** How long the network must stay idle before a step's bytes are counted. */
const QUIET_MS = 500;

function args() {
  const a = { json: [], pagefind: true, lighthouse: true };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i];
    if (k === '--no-pagefind') a.pagefind = false;
    else if (k === '--no-lighthouse') a.lighthouse = false;
    else if (k === '--json') a.json.push(v[++i]);
    else a[k.replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase())] = v[++i];
  }
  return a;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kb = (n) => (n == null ? 'n/a' : `${(n / 1e3).toFixed(1)} KB`);
const mb = (n) => (n == null ? 'n/a' : `${(n / 1e6).toFixed(2)} MB`);
const msf = (x) => (x == null ? 'n/a' : x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(0)} ms`);
function pctl(xs, p) {
  if (!xs.length) return null;
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

/** Every long task (> 50 ms) on the page thread, kept in `window.__longtasks`. */
function observeLongTasks() {
  window.__longtasks = [];
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* not supported: no long tasks reported */ }
}

/** A fresh profile (empty caches); `serviceWorkers: 'block'` keeps the page's own fetches
 * apart from the service worker's precache. */
async function freshContext(serviceWorkers = 'block') {
  const userDataDir = fs.mkdtempSync('/tmp/stenogram-bench-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
    viewport: { width: 1280, height: 900 }, serviceWorkers,
  });
  await context.addInitScript(observeLongTasks);
  context.on('page', (p) => {
    // A deep link (/stenogram/quote) is answered by 404.html with status 404, as on Pages.
    p.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) console.error(`page: ${m.text()}`); });
    p.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  });
  return { context, close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); } };
}

/** Waits until no request is in flight and none finished for QUIET_MS (30 s at most). */
async function quiet(server) {
  const until = Date.now() + 30_000;
  let last = server.sent.length; let since = Date.now();
  while (Date.now() < until) {
    await sleep(50);
    const inFlight = server.requests.length - server.sent.length;
    if (inFlight > 0 || server.sent.length !== last) { last = server.sent.length; since = Date.now(); continue; }
    if (Date.now() - since >= QUIET_MS) return;
  }
}

const sentSince = (server, i) => server.sent.slice(i);
const bytesOf = (entries) => entries.reduce((s, e) => s + e.bytes, 0);

/** The kind of a served path, for the breakdown of a cold load. */
function kindOf(p) {
  const f = p.split('/').pop();
  if (p.includes('/corpus/')) return f === 'manifest.json' ? 'manifest' : p.includes('/index/') ? 'index' : 'corpus other';
  // The workbench worker (started by the first job) counts apart: a first visit must not
  // fetch it, and this table would show it if it did.
  // The page's parts (xtask/src/split.rs) load on first use: a first visit fetches
  // none but the filters' panel, which this bench's wide screen shows beside the results
  // (a phone's first visit fetches none).
  if (f.endsWith('.wasm')) return f.startsWith('search-worker') ? 'worker wasm' : f.startsWith('workbench-worker') ? 'workbench worker wasm' : f.includes('-part-') ? 'page parts wasm' : 'main wasm';
  if (f.endsWith('.js')) return /^(search|workbench)-worker/.test(f) ? 'worker JS' : 'shell JS';
  if (f.endsWith('.css')) return 'CSS';
  if (f.endsWith('.html') || p.endsWith('/')) return 'HTML';
  return 'other';
}

function breakdown(entries) {
  const by = new Map();
  for (const e of entries) {
    const k = kindOf(e.path);
    const v = by.get(k) || { files: 0, bytes: 0 };
    v.files += 1; v.bytes += e.bytes;
    by.set(k, v);
  }
  return by;
}

/** `performance.measure` entries named `name` in the page, in order. */
const measures = (page, name) => page.evaluate((n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration), name);

/** The first hit with a highlight: `performance.now()` once a `mark` shows in the first
 * hit of the results, or 0. */
function firstMark() {
  const hit = document.querySelector('ol.results > li.hit');
  const m = hit && hit.querySelector('mark');
  return m && m.getClientRects().length ? performance.now() : 0;
}

/** What identifies the results shown: heading and first hit's link. */
const resultsSig = () => `${document.querySelector('#results-heading')?.innerText || ''}|${document.querySelector('ol.results > li.hit a')?.getAttribute('href') || ''}`;

/**
 * Types `q` into the search box and submits it; waits for its answer (a new
 * `stenogram:search` measure or, without one, new results), the first hit's snippet (a
 * `mark`) and then an idle network. Returns {uiMs, bytes, files, measure, hits}.
 */
async function query(page, server, q) {
  const before = await page.evaluate(resultsSig);
  const n0 = (await measures(page, 'stenogram:search')).length;
  const s0 = server.sent.length;
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('#q').fill(q);
  await page.locator('#q').press('Enter');
  const seen = await page.waitForFunction(([b, n]) => {
    const sig = `${document.querySelector('#results-heading')?.innerText || ''}|${document.querySelector('ol.results > li.hit a')?.getAttribute('href') || ''}`;
    const m = performance.getEntriesByName('stenogram:search', 'measure').length;
    return (sig !== b || m > n) && document.querySelector('#results-heading') ? performance.now() : 0;
  }, [before, n0], { timeout: 30_000, polling: 'raf' }).then((h) => h.jsonValue()).catch(() => null);
  const hits = await page.locator('ol.results > li.hit').count();
  if (hits > 0) await page.waitForFunction(firstMark, null, { timeout: 20_000, polling: 'raf' }).catch(() => {});
  await quiet(server);
  const ms = await measures(page, 'stenogram:search');
  const sent = sentSince(server, s0);
  return { q, uiMs: seen == null ? null : seen - t0, bytes: bytesOf(sent), files: sent.length, measure: ms.length > n0 ? ms[ms.length - 1] : null, hits, timedOut: seen == null };
}

/** Goes one entry back in the page's history and waits for the search it shows:
 * resolves to its `stenogram:search` measure, or null if none came (30 s at most). */
async function goBack(page) {
  const n0 = (await measures(page, 'stenogram:search')).length;
  await page.goBack({ waitUntil: 'commit' });
  const got = await page.waitForFunction((n) => performance.getEntriesByName('stenogram:search', 'measure').length > n, n0, { timeout: 30_000, polling: 'raf' }).then(() => true).catch(() => false);
  if (!got) return null;
  const ms = await measures(page, 'stenogram:search');
  return ms[ms.length - 1];
}

/** Cold loads timed to the first highlighted result: one load on this shared two-core
 * machine read anywhere from 0.66 to 1.27 s for the same site, so the figure is the
 * median of this many, each in a fresh profile. */
const COLD_RUNS = 3;

/** In `page` of a fresh profile: opens the app, types the first query, and waits for the
 * first hit's highlight. Returns when that showed (ms after navigation start) and the
 * engine's time for that query (its `stenogram:search`: the last before the highlight;
 * home's browse, if it ran first, is an earlier one). */
async function coldFirst(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('#q').fill(firstQuery);
  await page.locator('#q').press('Enter');
  const firstMs = await page.waitForFunction(firstMark, null, { timeout: 120_000, polling: 'raf' }).then((h) => h.jsonValue());
  const firstSearch = (await measures(page, 'stenogram:search')).at(-1) ?? null;
  return { firstMs, firstSearch };
}

/** Cold: a fresh profile opens the app, types the first query, waits for the first hit's
 * highlight; then the further queries in the same page, then again for warm latency.
 * Then [`COLD_RUNS`] − 1 more cold loads, for the median time to the first result. */
async function coldAndQueries(server, url) {
  const out = await coldAndQueriesOnce(server, url);
  const runs = [{ firstMs: out.firstMs, firstSearch: out.firstSearch }];
  for (let i = 1; i < COLD_RUNS; i++) {
    const { context, close } = await freshContext();
    try { runs.push(await coldFirst(await context.newPage(), url)); } finally { await close(); }
  }
  const firsts = runs.map((r) => r.firstMs);
  const searches = runs.map((r) => r.firstSearch).filter((x) => x != null);
  console.error(`bench: cold loads to the first highlighted result: ${firsts.map((x) => x.toFixed(0)).join(', ')} ms`);
  return { ...out, firstMs: pctl(firsts, 0.5), firstRuns: firsts, firstSearch: pctl(searches, 0.5), firstSearches: searches };
}

async function coldAndQueriesOnce(server, url) {
  const { context, close } = await freshContext();
  try {
    const page = await context.newPage();
    const s0 = server.sent.length;
    const { firstMs, firstSearch } = await coldFirst(page, url);
    await quiet(server);
    const loadSent = sentSince(server, s0);
    const readHref = await page.locator('ol.results > li.hit a').first().getAttribute('href');
    console.error(`bench: first highlighted result after ${firstMs.toFixed(0)} ms; further queries`);
    const further = [];
    for (const q of FURTHER) further.push(await query(page, server, q));
    console.error('bench: warm queries');
    const warm = [];
    for (const q of [...FURTHER.slice(1), FURTHER[0]]) warm.push(await query(page, server, q));
    const snippets = await measures(page, 'stenogram:snippets');
    // The same warm searches as the search worker timed them (crates/search-worker's
    // serve.rs): the engine's share, and serialising and posting the answer.
    const sw = page.workers().find((w) => !w.url().endsWith('#workbench'));
    const inWorker = async (name) => (sw ? (await sw.evaluate((n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration), name)).slice(-warm.length) : []);
    const workerWarm = { search: await inWorker('stenogram:worker:search'), post: await inWorker('stenogram:worker:post') };
    // The warm searches once more, by going Back through them. A history traversal is no
    // input event to the page, so Chromium does not hold the worker's answer until the
    // next frame, as it does after a key press (DeferRendererTasksAfterInput); the frame
    // that shows the box's new text still comes first.
    console.error('bench: warm queries by Back');
    const back = [];
    for (let i = 0; i < warm.length - 1; i++) back.push(await goBack(page));
    return { firstMs, loadSent, readHref, firstSearch, further, warm, back, snippets, workerWarm };
  } finally { await close(); }
}

/** The first visit with the service worker on: the page plus its precache, until the
 * worker controls the page and the network is idle. */
async function withServiceWorker(server, url) {
  const { context, close } = await freshContext('allow');
  try {
    const page = await context.newPage();
    const s0 = server.sent.length;
    await page.goto(url);
    await page.waitForFunction(() => !!navigator.serviceWorker?.controller, null, { timeout: 120_000 }).catch(() => {});
    await quiet(server);
    return bytesOf(sentSince(server, s0));
  } finally { await close(); }
}

/** Text that changes when a view shows another answer. */
const viewSig = (sel) => [...document.querySelectorAll(sel)].map((e) => e.textContent).join('|').slice(0, 2000);

/**
 * The workbench jobs and the quote finder on one warm page: for each kind, a URL opens the
 * view (not counted), then each sample is typed into the box (the view stays) and waited
 * for (its measure, or a changed table). Returns per kind {measures, ui, longest task}.
 */
async function workbench(server, url, jobs, quotes) {
  const { context, close } = await freshContext();
  const out = {};
  let page;
  try {
    page = await context.newPage();
    const run = async (name, measureName, sel, submit) => {
      const n0 = (await measures(page, measureName)).length;
      const before = await page.evaluate(viewSig, sel);
      const t0 = await page.evaluate(() => performance.now());
      await submit();
      const done = await page.waitForFunction(([s, b, m, n]) => {
        const sig = [...document.querySelectorAll(s)].map((e) => e.textContent).join('|').slice(0, 2000);
        const c = performance.getEntriesByName(m, 'measure').length;
        return (c > n || (sig && sig !== b)) ? performance.now() : 0;
      }, [sel, before, measureName, n0], { timeout: 60_000, polling: 'raf' }).then((h) => h.jsonValue()).catch(() => null);
      // The view's own rendering after the answer, then the long tasks of the whole job.
      await page.waitForFunction(([s, b]) => {
        const sig = [...document.querySelectorAll(s)].map((e) => e.textContent).join('|').slice(0, 2000);
        return sig && sig !== b;
      }, [sel, before], { timeout: 30_000, polling: 'raf' }).catch(() => {});
      await sleep(100);
      const ms = await measures(page, measureName);
      const longest = await page.evaluate((t) => Math.max(0, ...window.__longtasks.filter(([s]) => s >= t).map(([, d]) => d)), t0);
      return { measure: ms.length > n0 ? ms[ms.length - 1] : null, ui: done == null ? null : done - t0, longest, timedOut: done == null };
    };
    for (const job of jobs) {
      console.error(`bench: ${job.kind}`);
      await page.goto(`${url}?${job.open}`);
      await page.locator(job.sel).first().waitFor({ state: 'attached', timeout: 120_000 }).catch(() => console.error(`bench: ${job.kind}: ${job.sel} never showed`));
      await quiet(server);
      const samples = [];
      for (const q of job.samples) {
        samples.push(await run(job.kind, job.measure, job.sel, async () => {
          await page.locator('#q').fill(q);
          await page.locator('#q').press('Enter');
        }));
      }
      out[job.kind] = samples;
    }
    console.error('bench: quote finder');
    await page.goto(`${url}quote`);
    await page.locator('#quote-text').waitFor();
    // As for the jobs above: a reader pastes once the page has loaded, and the page
    // readies the index for quotes meanwhile.
    await quiet(server);
    const qs = [];
    for (const text of quotes) {
      qs.push(await run('quote', 'stenogram:quote', '.quote-match, .no-match, .quote-page .error', async () => {
        await page.locator('#quote-text').fill(text);
        await page.getByRole('button', { name: 'Check', exact: true }).click();
      }));
    }
    out.quote = qs;
    out.heap = await heaps(context, page);
  } finally { await close(); }
  return out;
}

/** Pagefind's default UI (pagefind-ui.js and .css) on a page of its own over the same
 * transcripts: cold first query, then the further ones. */
async function pagefindUi(server, pfUrl) {
  const { context, close } = await freshContext();
  try {
    const page = await context.newPage();
    const s0 = server.sent.length;
    const t0 = Date.now();
    await page.goto(`${pfUrl}ui.html`, { waitUntil: 'commit' });
    await page.locator('.pagefind-ui__search-input').fill(firstQuery);
    const firstMs = await page.waitForFunction(() => {
      const m = document.querySelector('.pagefind-ui__result .pagefind-ui__result-excerpt mark');
      return m ? performance.now() : 0;
    }, null, { timeout: 120_000, polling: 'raf' }).then((h) => h.jsonValue()).catch(() => Date.now() - t0);
    await quiet(server);
    const load = sentSince(server, s0);
    const further = [];
    for (const q of FURTHER) {
      const i = server.sent.length;
      await page.locator('.pagefind-ui__search-input').fill(q);
      await page.waitForFunction((term) => {
        const msg = document.querySelector('.pagefind-ui__message')?.innerText || '';
        return msg.includes(term) || msg.includes(term.replace(/"/g, ''));
      }, q, { timeout: 10_000 }).catch(() => {});
      await quiet(server);
      further.push({ q, bytes: bytesOf(sentSince(server, i)) });
    }
    return { firstMs, load, further };
  } finally { await close(); }
}

/** The page hosting Pagefind's default UI, beside its output. */
function writePagefindUiPage(dir) {
  fs.writeFileSync(path.join(dir, 'ui.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Pagefind UI</title><meta name="viewport" content="width=device-width, initial-scale=1">
<link href="pagefind/pagefind-ui.css" rel="stylesheet"><script src="pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div><script>window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: '#search', showSubResults: false }); });</script></body></html>\n`);
}

/** The rows of the cold part: first visit, further and warm queries, snippets. */
function coldRows(cold, row) {
  const loadBytes = bytesOf(cold.loadSent);
  const fb = cold.further.map((f) => f.bytes);
  const named = (q) => cold.further.find((f) => f.q === q);
  const warmMeasures = cold.warm.map((w) => w.measure).filter((x) => x != null);
  const warmUi = cold.warm.map((w) => w.uiMs).filter((x) => x != null);
  const runs = (xs, f) => (xs?.length > 1 ? ` (median of ${xs.length}: ${xs.map(f).join(', ')})` : '');
  row(`load → first highlighted result ("${firstQuery}")${runs(cold.firstRuns, (v) => (v / 1000).toFixed(2))}`, '≤ 0.9 s', cold.firstMs, (v) => `${(v / 1000).toFixed(2)} s`, (v) => v <= 900);
  row('bytes: page load + first query', '≤ 0.7 MB', loadBytes, mb, (v) => v <= 0.7e6);
  row(`further new query p50 (${fb.length} queries)`, '', pctl(fb, 0.5), kb, null);
  row('further new query p95', '≤ 200 KB', pctl(fb, 0.95), kb, (v) => v <= 200e3);
  row('further new query max', '≤ 300 KB', fb.length ? Math.max(...fb) : null, kb, (v) => v <= 300e3);
  for (const q of ['Venezuela', 'Olympic Games']) if (named(q)) row(`  "${q}"`, '', named(q).bytes, kb, null);
  row(`first query's search, cold (stenogram:search)${runs(cold.firstSearches, (v) => v.toFixed(0))}`, '', cold.firstSearch, msf, null);
  row('warm search p50 (stenogram:search)', '', pctl(warmMeasures, 0.5), msf, null);
  row('warm search p95 (stenogram:search)', '≤ 10 ms', pctl(warmMeasures, 0.95), msf, (v) => v <= 10);
  const back = (cold.back || []).filter((x) => x != null);
  row(`  the same searches by Back, p50 (${back.length})`, '', pctl(back, 0.5), msf, null);
  row('  the same searches by Back, p95', '', pctl(back, 0.95), msf, null);
  const ww = cold.workerWarm || { search: [], post: [] };
  row('  in the search worker: the search, p50', '', pctl(ww.search, 0.5), msf, null);
  row('  in the search worker: the search, p95', '', pctl(ww.search, 0.95), msf, null);
  row('  in the search worker: serialise + post, p95', '', pctl(ww.post, 0.95), msf, null);
  row('  through the UI: Enter → results, p50', '', pctl(warmUi, 0.5), msf, null);
  row('  through the UI: Enter → results, p95', '', pctl(warmUi, 0.95), msf, null);
  row(`snippet batches p50 (stenogram:snippets, ${cold.snippets.length})`, '', pctl(cold.snippets, 0.5), msf, null);
  row('snippet batches p95', '', pctl(cold.snippets, 0.95), msf, null);
}

/** The reading URL Lighthouse and the throttled loads open: the first hit of the first
 * query as its result links it, with that query (its words highlighted) and its best
 * paragraph (`#p-N`), or null. */
function readingUrl(cold, url) {
  if (!cold.readHref) return null;
  const read = new URL(cold.readHref, url);
  read.searchParams.set('q', firstQuery.toLowerCase());
  return read;
}

/** A results URL and the reading URL, cold on throttled slow 4G (bench/throttled.mjs). */
async function throttled(cold, url) {
  console.error('bench: cold loads on a throttled network');
  const read = readingUrl(cold, url);
  return throttledLoads(freshContext, [
    { name: 'results URL → first marked hit', url: `${url}?q=${encodeURIComponent(firstQuery.toLowerCase())}`, mark: 'ol.results > li.hit mark' },
    // The text first (the transcript's page paints it from its HTML), then its highlights.
    ...(read ? [{ name: 'reading URL → first paragraph', url: read.href, mark: 'article.transcript .para' }] : []),
    ...(read ? [{ name: 'reading URL → first marked word', url: read.href, mark: 'article.transcript .para mark' }] : []),
  ]);
}

/** The rows of the throttled loads: each one's median, the runs beside it. */
function throttledRows(th, row) {
  for (const r of th) {
    row(`slow 4G, cold: ${r.name}`, '', r.median, (v) => `${(v / 1000).toFixed(2)} s`, null);
    row(`  the median of ${THROTTLED_RUNS} runs`, '', r.ms.map((v) => (v / 1000).toFixed(2)).join(' '), (v) => v, null);
  }
}

/** The rows of the workbench part: each view's budget, the longest page task, memory. Returns the heap figures. */
function workbenchRows(wb, jobs, row) {
  const budget = { trend: ['trend of a word, everything, p95', 300, 0.95], kwic: ['first concordance page, common word', 150, 1], colloc: ['collocates, common word, whole corpus', 1500, 1], keyness: ['keyness of a speaker vs the rest', 1500, 1], quote: ['quote finder, 40 words, p95', 250, 0.95] };
  let longest = 0;
  for (const [k, [name, limit, p]] of Object.entries(budget)) {
    const s = wb[k] || [];
    const m = s.map((x) => x.measure).filter((x) => x != null);
    const ui = s.map((x) => x.ui).filter((x) => x != null);
    longest = Math.max(longest, ...s.map((x) => x.longest));
    const label = p === 1 ? 'max' : 'p95';
    row(`${name} (${k === 'quote' ? 'stenogram:quote' : jobs.find((j) => j.kind === k).measure}, ${label} of ${m.length})`, `≤ ${limit >= 1000 ? `${limit / 1000} s` : `${limit} ms`}`, pctl(m, p), msf, (v) => v <= limit);
    row(`  through the UI, ${label} of ${ui.length}${s.some((x) => x.timedOut) ? ', some timed out' : ''}`, '', pctl(ui, p), msf, null);
  }
  row('longest task on the page thread during them', '≤ 50 ms', longest, msf, (v) => v <= 50);
  const h = wb.heap;
  const heapTotal = h.page + h.worker;
  row(`JS heap, page + ${h.workers} worker(s), after them`, '≤ 300 MB', heapTotal, mb, (v) => v <= 300e6);
  row('  + wasm memory (page + worker)', '', heapTotal + h.pageWasm + h.workerWasm, mb, (v) => v <= 300e6);
  return h;
}

async function main() {
  const a = args();
  const site = path.resolve(a.site);
  const loadAvg = os.loadavg();
  const lines = [];
  const say = (s = '') => { lines.push(s); console.log(s); };

  // Pagefind's pages and index (pagefind.mjs), written once per corpus.
  let pf = null;
  if (a.pagefind) {
    const pfSite = renderSite(path.join(ROOT, 'target/bench', `pagefind-${a.name}`));
    if (pfSite.done() === null) {
      console.error(`bench: rendering the transcripts as HTML into ${pfSite.dir}`);
      pfSite.start();
      let count = 0; let raw = 0; let gzip = 0;
      for (const f of walkJson(a.json)) {
        const sz = pfSite.write(JSON.parse(fs.readFileSync(f, 'utf8')));
        count += 1; raw += sz.raw; gzip += sz.gzip;
      }
      pfSite.finish({ count, raw, gzip });
    }
    const built = pagefindIndex(ROOT, pfSite.dir);
    if (built.failed) console.error(`bench: Pagefind not measured: ${built.failed}`);
    else { writePagefindUiPage(pfSite.dir); pf = { dir: pfSite.dir, built }; }
  }

  const files = walkJson(a.json);
  const speakers = topSpeakers(files, 3);
  const quotes = pickQuotes(files, 10);
  const jobs = WORKBENCH(speakers);

  const server = await serve({ dir: site, base: BASE, pages: true, also: pf ? [{ dir: pf.dir, base: '/pf/' }] : [] });
  const url = server.url;
  let cold; let th; let sw; let wb; let pfr = null; let lh = null;
  if (a.only) {
    // One part alone, for a quick figure while working on it; no table file, no growth line.
    try {
      const rows = [];
      const row = (name, limit, value, fmt, ok) => rows.push([name, limit, value == null ? 'n/a' : fmt(value), value == null || ok == null ? '' : ok(value) ? 'met' : 'MISSED']);
      if (a.only === 'workbench') workbenchRows(await workbench(server, url, jobs, quotes), jobs, row);
      else if (a.only === 'cold') {
        const c = await coldAndQueries(server, url);
        coldRows(c, row);
        throttledRows(await throttled(c, url), row);
      }
      else throw new Error(`--only ${a.only}: expected cold or workbench`);
      say(`Stenogram, ${a.only} part only — corpus ${a.name}: ${files.length} transcripts; load average ${loadAvg.map((x) => x.toFixed(1)).join(' ')}`);
      for (const [n, l, v, ok] of rows) say(`${n.padEnd(58)} ${l.padEnd(9)} ${v.padStart(10)} ${ok}`);
    } finally { await server.close(); }
    return;
  }
  try {
    console.error('bench: cold start, first query');
    cold = await coldAndQueries(server, url);
    th = await throttled(cold, url);
    console.error('bench: first visit with the service worker');
    sw = await withServiceWorker(server, url);
    wb = await workbench(server, url, jobs, quotes);
    if (pf) { console.error('bench: Pagefind default UI'); pfr = await pagefindUi(server, `${url.replace(BASE, '/pf/')}`); }
    if (a.lighthouse) {
      console.error('bench: Lighthouse');
      const origin = url.replace(BASE, '');
      const read = readingUrl(cold, url);
      // A reading URL is its transcript's page (`t/<id>.html`, `stenogram pages`). A site
      // built without them answers it with 404.html and status 404, which Lighthouse
      // refuses to score; that page is then served there with status 200 for this run
      // only (as a folder's index.html), and removed.
      const deep = read && read.pathname.startsWith(BASE) ? path.join(site, decodeURIComponent(read.pathname.slice(BASE.length))) : null;
      const made = deep && !fs.existsSync(deep) && !fs.existsSync(`${deep}.html`) ? deep : null;
      try {
        if (made) { fs.mkdirSync(made, { recursive: true }); fs.copyFileSync(path.join(site, '404.html'), path.join(made, 'index.html')); }
        lh = await lighthouseRows([
          { name: 'home', url },
          { name: 'results', url: `${url}?q=${encodeURIComponent(firstQuery.toLowerCase())}` },
          // A transcript's link as shared; as a search result links it once its snippets
          // came, to its best paragraph (`#p-N`: the page holds the text and paints first
          // there); and with the query alone (a result followed
          // before its snippets, or typed): then the view moves to the best paragraph once
          // the app has it, and when that is below the first screen its paint is the
          // largest.
          ...(read ? [{ name: 'reading', url: `${origin}${read.pathname}` }] : []),
          ...(read?.hash ? [{ name: 'reading?q#', url: `${origin}${read.pathname}${read.search}${read.hash}` }] : []),
          ...(read ? [{ name: 'reading?q', url: `${origin}${read.pathname}${read.search}` }] : []),
        ]);
      } finally {
        if (made) {
          fs.rmSync(made, { recursive: true, force: true });
          try { fs.rmdirSync(path.dirname(made)); } catch { /* not empty: it was there before */ }
        }
      }
    }
  } finally { await server.close(); }

  // The table.
  const load = breakdown(cold.loadSent);
  const get = (k) => load.get(k) || { files: 0, bytes: 0 };
  const raw = (re) => fs.readdirSync(site).filter((f) => re.test(f)).reduce((s, f) => s + fs.statSync(path.join(site, f)).size, 0);
  const loadBytes = bytesOf(cold.loadSent);
  const fb = cold.further.map((f) => f.bytes);
  const named = (q) => cold.further.find((f) => f.q === q);
  const warmMeasures = cold.warm.map((w) => w.measure).filter((x) => x != null);
  const warmUi = cold.warm.map((w) => w.uiMs).filter((x) => x != null);
  say(`Stenogram, the real app — corpus ${a.name}: ${files.length} transcripts; ${new Date().toISOString().slice(0, 16)}Z`);
  say(`(the site of \`cargo xtask dist\` with this corpus, served as GitHub Pages does: gzip, ${BASE}; headless Chromium, fresh profile per cold run;`);
  say(' bytes = body bytes the server sent, page and worker alike; service worker blocked unless said;');
  say(` times on this machine: ${os.cpus().length} cores, load average ${loadAvg.map((x) => x.toFixed(1)).join(' ')} at the start)`);
  say();
  say('What the page downloads (transfer, gzip; raw on disk)');
  say(`  main wasm              ${kb(get('main wasm').bytes).padStart(10)}  (raw ${kb(raw(/^(?!(search|workbench)-worker).*_bg\.wasm$/))})`);
  say(`  page parts wasm        ${kb(get('page parts wasm').bytes).padStart(10)}  (raw ${kb(raw(/-part-.*\.wasm$/))}; of all parts: this wide screen's load fetches the filters', the reading view's, quote checker's and workbench views' come on first use)`);
  say(`  worker wasm            ${kb(get('worker wasm').bytes).padStart(10)}  (raw ${kb(raw(/^search-worker-.*_bg\.wasm$/))})`);
  say(`  workbench worker wasm  ${kb(get('workbench worker wasm').bytes).padStart(10)}  (raw ${kb(raw(/^workbench-worker-.*_bg\.wasm$/))}; started by the first workbench job or quote, not by this load)`);
  say(`  shell JS + CSS         ${kb(get('shell JS').bytes + get('worker JS').bytes + get('CSS').bytes).padStart(10)}  (JS ${kb(get('shell JS').bytes)} + worker glue/loader ${kb(get('worker JS').bytes)}, CSS ${kb(get('CSS').bytes)}); HTML ${kb(get('HTML').bytes)}`);
  say(`  corpus at first query  ${kb(get('manifest').bytes + get('index').bytes + get('corpus other').bytes).padStart(10)}  (manifest ${kb(get('manifest').bytes)}, index ${get('index').files} files ${kb(get('index').bytes)}, packs and other ${get('corpus other').files} files ${kb(get('corpus other').bytes)})`);
  const heavy = [...cold.loadSent].sort((x, y) => y.bytes - x.bytes).slice(0, 5).map((e) => `${e.path.replace(BASE, '')} ${kb(e.bytes)}`);
  say(`  heaviest               ${heavy.join('; ')}`);
  // The worker's script is fetched on every first visit: it must not grow with the corpus.
  const swScript = zlib.gzipSync(fs.readFileSync(path.join(site, 'sw.js'))).length;
  say(`  first visit with the service worker on (page + precache): ${mb(sw)}; its script sw.js ${kb(swScript)} gzip`);
  say();
  const rows = [];
  const row = (name, limit, value, fmt, ok) => rows.push([name, limit, value == null ? 'n/a' : fmt(value), value == null || ok == null ? '' : ok(value) ? 'met' : 'MISSED']);
  row('main wasm (gzip)', '≤ 200 KB', get('main wasm').bytes, kb, (v) => v <= 200e3);
  row('worker wasm (gzip)', '≤ 220 KB', get('worker wasm').bytes, kb, (v) => v <= 220e3);
  coldRows(cold, row);
  throttledRows(th, row);
  const h = workbenchRows(wb, jobs, row);
  const heapTotal = h.page + h.worker;
  say(`${'figure'.padEnd(58)} ${'budget'.padEnd(9)} ${'measured'.padStart(10)}`);
  for (const [n, l, v, ok] of rows) say(`${n.padEnd(58)} ${l.padEnd(9)} ${v.padStart(10)} ${ok}`);
  say(`(heap: page ${mb(h.page)}, worker ${mb(h.worker)}; wasm: page ${mb(h.pageWasm)}, worker ${mb(h.workerWasm)}; after a forced GC)`);
  const heaviestQ = [...cold.further].sort((x, y) => y.bytes - x.bytes).slice(0, 5).map((f) => `${f.q} ${kb(f.bytes)}`);
  say(`(heaviest further queries: ${heaviestQ.join('; ')})`);
  say();

  let pfFigures = null;
  if (pfr) {
    const pl = pfr.load;
    const sum = (re) => bytesOf(pl.filter((e) => re.test(e.path)));
    const pfb = pfr.further.map((f) => f.bytes);
    pfFigures = { first: bytesOf(pl), p95: pctl(pfb, 0.95) };
    say(`Pagefind default UI over the same transcripts (index built in ${pf.built.secs.toFixed(0)} s${pf.built.reused ? ' by an earlier run' : ''})`);
    say(`  JS ${kb(sum(/\.js$/))}, CSS ${kb(sum(/\.css$/))}, wasm ${kb(sum(/wasm\.[a-z-]+\.pagefind$/))} (transfer)`);
    say(`  load → first result with excerpt ("${firstQuery}") ${(pfr.firstMs / 1000).toFixed(2)} s; bytes for load + first query ${mb(pfFigures.first)} in ${pl.length} files`);
    say(`  further new query bytes p50 ${kb(pctl(pfb, 0.5))}, p95 ${kb(pfFigures.p95)}, max ${kb(Math.max(...pfb))} (${pfb.length} queries)`);
    say();
  }

  if (lh) {
    say(`Lighthouse 12.2.3, mobile preset (simulated slow 4G, 4× CPU), fresh profile each; each figure the median of its ${lh.find((r) => r.runs)?.runs ?? '?'} runs, the runs' TBT beside, then Lighthouse's median run (computeMedianRun: nearest the median FCP and TTI) as Perf/LCP/TBT`);
    say(`${'page'.padEnd(10)} ${'Perf'.padStart(5)} ${'LCP'.padStart(7)} ${'TBT'.padStart(7)} ${'CLS'.padStart(6)} ${'A11y'.padStart(5)}  (goal: Perf ≥ 0.95, LCP ≤ 2.5 s, TBT ≤ 150 ms, CLS ≤ 0.05, A11y 1.0)`);
    for (const r of lh) {
      if (r.failed) { say(`${r.name.padEnd(10)} failed: ${r.failed}`); continue; }
      const sc = (v) => (v == null ? 'n/a' : v.toFixed(2));
      say(`${r.name.padEnd(10)} ${sc(r.performance).padStart(5)} ${`${((r.lcpMs || 0) / 1000).toFixed(1)} s`.padStart(7)} ${`${(r.tbtMs || 0).toFixed(0)} ms`.padStart(7)} ${(r.cls ?? 0).toFixed(3).padStart(6)} ${sc(r.accessibility).padStart(5)}${r.tbtRuns?.length ? `  (TBT ${r.tbtRuns.map((x) => x.toFixed(0)).join(', ')} ms; Perf ${sc(r.perfRuns[0])}–${sc(r.perfRuns[r.perfRuns.length - 1])}${r.medianRun ? `; median run ${sc(r.medianRun.performance)}/${(r.medianRun.lcpMs / 1000).toFixed(1)} s/${r.medianRun.tbtMs.toFixed(0)} ms` : ''})` : ''}${r.a11yFailures?.length ? `  a11y failing: ${r.a11yFailures.join(', ')}` : ''}${r.runtimeError ? `  (${r.runtimeError})` : ''}`);
    }
    say(`(reading URL: ${lh.find((r) => r.name === 'reading?q#')?.url.replace(/^https?:\/\/[^/]+/, '') || 'none'}, the first hit of "${firstQuery}" as its result links it, without its query, with it and its best paragraph, and with the query alone; its transcript's page (t/<id>.html), with status 200;`);
    say(' Lighthouse\'s simulated throttling scales the CPU time it observes: on a busy machine TBT and Performance read worse)');
  }

  if (a.out) {
    fs.mkdirSync(path.dirname(a.out), { recursive: true });
    fs.writeFileSync(a.out, lines.join('\n') + '\n');
    // Every sample behind the table, to look into a figure.
    const detail = { cold: { ...cold, loadSent: cold.loadSent.map(({ path: p, bytes }) => ({ path: p, bytes })) }, throttled: th, workbench: wb, pagefind: pfr, lighthouse: lh, quotes, speakers };
    fs.writeFileSync(a.out.replace(/\.txt$/, '') + '.json', JSON.stringify(detail, null, 1));
  }
  if (a.growth) {
    const entry = {
      corpus: a.name, docs: files.length, date: new Date().toISOString().slice(0, 16),
      app: {
        mainKB: get('main wasm').bytes / 1e3, workerKB: get('worker wasm').bytes / 1e3, firstS: cold.firstMs / 1000,
        firstKB: loadBytes / 1e3, furtherP95KB: pctl(fb, 0.95) / 1e3, furtherMaxKB: Math.max(...fb) / 1e3,
        warmP95: pctl(warmMeasures, 0.95), heapMB: heapTotal / 1e6,
        swKB: swScript / 1e3, swVisitMB: sw == null ? null : sw / 1e6,
      },
      pagefind: pfFigures && { firstKB: pfFigures.first / 1e3, furtherP95KB: pfFigures.p95 / 1e3 },
    };
    const jsonl = `${a.growth.replace(/\.txt$/, '')}.jsonl`;
    fs.appendFileSync(jsonl, JSON.stringify(entry) + '\n');
    const runs = fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.app);
    const f1 = (v, d = 0) => (v == null ? 'n/a' : v.toFixed(d));
    const table = [`${'run'.padEnd(17)} ${'corpus'.padEnd(9)} ${'docs'.padStart(7)} ${'main KB'.padStart(7)} ${'wrk KB'.padStart(6)} ${'1st s'.padStart(5)} ${'1st KB'.padStart(6)} ${'next p95'.padStart(8)} ${'next max'.padStart(8)} ${'warm p95'.padStart(8)} ${'heap MB'.padStart(7)} ${'sw KB'.padStart(6)} ${'sw 1st MB'.padStart(9)} │ Pagefind 1st KB, next p95`];
    for (const r of runs) {
      const g = r.app;
      table.push(`${r.date.padEnd(17)} ${r.corpus.padEnd(9)} ${String(r.docs).padStart(7)} ${f1(g.mainKB).padStart(7)} ${f1(g.workerKB).padStart(6)} ${f1(g.firstS, 2).padStart(5)} ${f1(g.firstKB).padStart(6)} ${f1(g.furtherP95KB).padStart(8)} ${f1(g.furtherMaxKB).padStart(8)} ${f1(g.warmP95, 2).padStart(8)} ${f1(g.heapMB).padStart(7)} ${f1(g.swKB).padStart(6)} ${f1(g.swVisitMB, 2).padStart(9)} │ ${r.pagefind ? `${f1(r.pagefind.firstKB)}, ${f1(r.pagefind.furtherP95KB)}` : '-'}`);
    }
    table.push('(KB = transfer through the Pages-like server; 1st = page load + first query; next = each further new query with its snippets; warm p95 in ms;');
    table.push(' sw KB = the service worker script, gzip; sw 1st = a first visit with the worker on, the page and its precache)');
    fs.writeFileSync(a.growth, table.join('\n') + '\n');
    console.log();
    console.log(`Growth across runs (${a.growth}):`);
    for (const l of table) console.log(l);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
