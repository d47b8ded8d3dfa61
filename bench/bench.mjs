// The benchmark, run inside the page: our engine (wasm), MiniSearch and FlexSearch over
// the same documents, timed with performance.now(). `run.mjs` calls `runBench(config)`.
//
// Chromium coarsens performance.now() to 100 µs on pages that are not cross-origin
// isolated, so a latency *sample* is the mean of back-to-back runs of one query lasting
// at least `minSampleMs`; p50/p95 are over those samples.
import init, { Engine } from './pkg/stenogram_bench_web.js';

const now = () => performance.now();

async function fetchBytes(url, stats) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  const b = new Uint8Array(await r.arrayBuffer());
  if (stats) { stats.files += 1; stats.bytes += b.length; }
  return b;
}

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

/** Times `fn` in samples; returns the samples in ms (each the mean of ≥ minMs of runs). */
function sample(fn, samples, minMs) {
  fn(); // warm up: the first call may compile or fault pages in
  const out = [];
  for (let i = 0; i < samples; i++) {
    let n = 0;
    const t0 = now();
    let t;
    do { fn(); n++; t = now(); } while (t - t0 < minMs);
    out.push((t - t0) / n);
  }
  return out;
}

function median(xs) { return pct(xs, 0.5); }

/** MiniSearch/FlexSearch equivalents of a query: words, mode, doc-level filter. */
function filterFor(q, docs) {
  if (!q.filter) return null;
  const { speaker, from, to } = q.filter;
  return (i) => {
    const d = docs[i];
    if (speaker && !d.speakers.includes(speaker)) return false;
    const y = d.date ? Number(d.date.slice(0, 4)) : 0;
    if (from && !(y >= from && y <= to)) return false;
    return true;
  };
}

/** Our engine: open, load every shard, time every query. */
export async function runOurs(cfg) {
  const out = { ours: {} };
  const wasm = await init({ module_or_path: './pkg/stenogram_bench_web_bg.wasm' });
  const bundle = cfg.bundle; // URL prefix of the bundle root, ending with '/'
  const manifest = JSON.parse(new TextDecoder().decode(await fetchBytes(bundle + 'manifest.json')));
  const ix = manifest.index;

  // Open: the two entry files (fetch included), then from bytes only (fetch excluded).
  const opens = [];
  let engine, meta, dict;
  for (let i = 0; i < 5; i++) {
    const t0 = now();
    [meta, dict] = await Promise.all([ix.meta, ix.dict].map((p) => fetchBytes(bundle + p)));
    if (engine) engine.free();
    engine = new Engine(meta, dict, JSON.stringify(ix));
    opens.push(now() - t0);
  }
  out.ours.openFetchMs = median(opens);
  out.ours.openBytes = meta.length + dict.length;
  const bare = [];
  for (let i = 0; i < 5; i++) {
    const t0 = now();
    const e = new Engine(meta, dict, JSON.stringify(ix));
    bare.push(now() - t0);
    e.free();
  }
  out.ours.openMs = median(bare);
  // Every shard: what a fully warm session holds.
  const t0 = now();
  const stats = { files: 0, bytes: 0 };
  const paths = engine.plan_all();
  // At most 64 fetches in flight (Chromium refuses thousands at once:
  // ERR_INSUFFICIENT_RESOURCES at 100,000 transcripts); it allows 6 connections per host anyway.
  const parts = new Array(paths.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(64, paths.length) }, async () => {
    while (next < paths.length) {
      const i = next++;
      parts[i] = await fetchBytes(bundle + paths[i], stats);
    }
  }));
  parts.forEach((b, i) => engine.add_planned(i, b));
  out.ours.loadAllMs = now() - t0;
  out.ours.loadAllBytes = stats.bytes;
  out.ours.loadAllFiles = stats.files;
  out.ours.wasmMemory = wasm.memory.buffer.byteLength;

  for (const q of cfg.queries) {
    let res;
    const times = sample(() => { res = engine.search(q.q, true); }, cfg.samples, cfg.minSampleMs);
    out.ours[q.q] = { times, total: res[0], facetValues: res[1], hits: res[2] };
  }
  out.ours.wasmMemoryAfter = wasm.memory.buffer.byteLength;
  engine.free();
  return out;
}

/** MiniSearch and FlexSearch over the same documents (`cfg.corpus`), the same queries. */
export async function runOthers(cfg) {
  const { default: MiniSearch } = await import('./vendor/minisearch.js');
  const { Index: FlexIndex } = await import('./vendor/flexsearch.mjs');
  const out = { mini: {}, flex: {} };
  {
    // The same documents for the JS engines: title + every paragraph as one text field.
    const docs = JSON.parse(new TextDecoder().decode(await fetchBytes(cfg.corpus)));
    {
      const t0 = now();
      const ms = new MiniSearch({ fields: ['text'], idField: 'i', storeFields: [] });
      ms.addAll(docs.map((d, i) => ({ i, text: d.text })));
      out.mini.indexMs = now() - t0;
      for (const q of cfg.queries) {
        const filter = filterFor(q, docs);
        const opts = { combineWith: 'AND', prefix: q.mode === 'prefix', fuzzy: q.mode === 'typo' ? (t) => (t.length >= 8 ? 2 : 1) : false };
        if (filter) opts.filter = (r) => filter(r.id);
        const text = q.words.join(' ');
        let n = 0;
        const times = sample(() => { n = ms.search(text, opts).length; }, cfg.samples, cfg.minSampleMs);
        out.mini[q.q] = { times, total: n };
      }
    }
    {
      const t0 = now();
      const fx = new FlexIndex({ tokenize: 'forward' });
      docs.forEach((d, i) => fx.add(i, d.text));
      out.flex.indexMs = now() - t0;
      for (const q of cfg.queries) {
        const filter = filterFor(q, docs);
        const text = q.words.join(' ');
        let n = 0;
        const times = sample(() => {
          const ids = fx.search(text, { limit: docs.length });
          n = filter ? ids.filter(filter).length : ids.length;
        }, cfg.samples, cfg.minSampleMs);
        out.flex[q.q] = { times, total: n };
      }
    }
  }
  return out;
}

/**
 * Cold start on a fresh page, as the app does it: wasm, manifest, the two index
 * entry files, then only the parts each query needs (the plan is asked until empty). Returns times (ms since the page's
 * navigation start for the first result) and the bundle paths fetched per step.
 */
export async function runCold(cfg) {
  const bundle = cfg.bundle;
  const fetched = [];
  const get = async (p) => { const b = await fetchBytes(bundle + p); fetched.push(p); return b; };
  await init({ module_or_path: './pkg/stenogram_bench_web_bg.wasm' });
  const manifest = JSON.parse(new TextDecoder().decode(await get('manifest.json')));
  const ix = manifest.index;
  const [meta, dict] = await Promise.all([ix.meta, ix.dict].map(get));
  const engine = new Engine(meta, dict, JSON.stringify(ix));
  const run = async (q) => {
    for (let paths = engine.plan(q); paths.length; paths = engine.plan(q)) {
      const parts = await Promise.all(paths.map(get));
      parts.forEach((b, i) => engine.add_planned(i, b));
    }
    return engine.search(q, true);
  };
  const [q0, ...rest] = cfg.queries.map((q) => q.q);
  const r0 = await run(q0);
  const out = { firstMs: now(), firstTotal: r0[0], firstPaths: [...fetched], further: [], opens: [] };
  const tops = [r0[3]];
  for (const q of rest) {
    const before = fetched.length;
    const t0 = now();
    const r = await run(q);
    out.further.push({ q, ms: now() - t0, paths: fetched.slice(before) });
    tops.push(r[3]);
  }
  // Opening a transcript from a result: fetch its pack, extract and parse it.
  for (const d of tops.filter((d) => d !== 0xFFFFFFFF)) {
    // The manifest stores documents by column (docs/bundle-format.md).
    const file = manifest.docs.packs[manifest.docs.pack[d]];
    const t0 = now();
    const text = new TextDecoder().decode(await get(file));
    Engine.open_transcript(text, manifest.docs.slot[d]);
    out.opens.push({ ms: now() - t0, path: file });
  }
  engine.free();
  return out;
}

/** Like `sample`, for an async `fn` (a Web Worker round trip, Pagefind's search). */
async function sampleAsync(fn, samples, minMs) {
  await fn();
  const out = [];
  for (let i = 0; i < samples; i++) {
    let n = 0;
    const t0 = now();
    let t;
    do { await fn(); n++; t = now(); } while (t - t0 < minMs);
    out.push((t - t0) / n);
  }
  return out;
}

// ---- Pagefind over the same transcripts as HTML pages (served under /pf/).
let pf;

async function pfRun(term, filters) {
  const r = await pf.search(term, filters ? { filters } : {});
  const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  return { total: r.results.length, top: data[0] ? data[0].url : null, excerpts: data.length };
}

/** Cold start of Pagefind, started by index.html: its JS, wasm, metadata, the index chunks
 * and the 10 result fragments (excerpts) of the first query. */
export async function startPagefindCold(term) {
  pf = await import('/pf/pagefind/pagefind.js');
  await pf.options({ baseUrl: '/pf/' });
  const r = await pfRun(term, null);
  return { firstMs: now(), total: r.total, top: r.top };
}

/** One new Pagefind query: search + data() of the first 10 results. */
export async function pagefindQuery(term, filters) {
  const t0 = now();
  const r = await pfRun(term, filters);
  return { ms: now() - t0, ...r };
}

/** Opening a result page: fetch its HTML and parse it. */
export async function pagefindOpen(url) {
  const t0 = now();
  const html = await (await fetch(url, { cache: 'no-store' })).text();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const paragraphs = doc.querySelectorAll('p').length;
  return { ms: now() - t0, paragraphs };
}

/** Warm Pagefind latency per query (its own worker round trip included). */
export async function pagefindWarm(cfg) {
  const out = {};
  for (const q of cfg.queries) {
    let r;
    const times = await sampleAsync(async () => { r = await pfRun(q.pf.term, q.pf.filters); }, cfg.samples, cfg.minSampleMs);
    out[q.q] = { times, total: r.total };
  }
  return out;
}
