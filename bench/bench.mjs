// The benchmark, run inside the page: our engine (wasm), MiniSearch and FlexSearch over
// the same documents, timed with performance.now(). `run.mjs` calls `runBench(config)`.
//
// Chromium coarsens performance.now() to 100 µs on pages that are not cross-origin
// isolated, so a latency *sample* is the mean of back-to-back runs of one query lasting
// at least `minSampleMs`; p50/p95 are over those samples.
import init, { Engine } from './pkg/stenogram_bench_web.js';
import MiniSearch from './vendor/minisearch.js';
import { Index as FlexIndex } from './vendor/flexsearch.mjs';

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

  // Open: the three small files (fetch included), then from bytes only (fetch excluded).
  const opens = [];
  let engine, meta, dict, words;
  for (let i = 0; i < 5; i++) {
    const t0 = now();
    [meta, dict, words] = await Promise.all([ix.meta, ix.dict, ix.words].map((p) => fetchBytes(bundle + p)));
    if (engine) engine.free();
    engine = new Engine(meta, dict, words);
    opens.push(now() - t0);
  }
  out.ours.openFetchMs = median(opens);
  out.ours.openBytes = meta.length + dict.length + words.length;
  const bare = [];
  for (let i = 0; i < 5; i++) {
    const t0 = now();
    const e = new Engine(meta, dict, words);
    bare.push(now() - t0);
    e.free();
  }
  out.ours.openMs = median(bare);
  // Every shard: what a fully warm session holds.
  const t0 = now();
  const stats = { files: 0, bytes: 0 };
  const paths = engine.plan_all();
  const parts = await Promise.all(paths.map((p) => fetchBytes(bundle + p, stats)));
  parts.forEach((b, i) => engine.add_planned(i, b));
  out.ours.loadAllMs = now() - t0;
  out.ours.loadAllBytes = stats.bytes;
  out.ours.loadAllFiles = stats.files;
  out.ours.wasmMemory = wasm.memory.buffer.byteLength;

  for (const q of cfg.queries) {
    let res;
    const times = sample(() => { res = engine.search(q.q, true, cfg.paragraphs); }, cfg.samples, cfg.minSampleMs);
    out.ours[q.q] = { times, total: res[0], facetValues: res[1], hits: res[2] };
  }
  out.ours.wasmMemoryAfter = wasm.memory.buffer.byteLength;
  engine.free();
  return out;
}

/** MiniSearch and FlexSearch over the same documents (`cfg.corpus`), the same queries. */
export async function runOthers(cfg) {
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
