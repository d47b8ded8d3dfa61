// Our engine in a dedicated module Web Worker, as the app runs it (the app's worker is
// crates/search-worker: it opens the index, plans, fetches the parts a query needs and
// searches, with the same core calls as here). This file is a stand-in, not that worker:
// the bench builds one wasm package, crates/bench-web with wasm-bindgen --target web
// (xtask/src/bench.rs), which the page also uses for its in-page timings, while the app's
// worker is a separate binary that Trunk builds for no-modules loading through
// web/search-worker-loader.js and that speaks JSON-string messages carrying the app's
// highlighter too. What differs is the message layer only: the search (parse, plan,
// fetch, `Index::search` with the app's options) and its JSON (the serialised
// SearchResults) are the same.
// Messages:
//   {type: 'open', bundle}          → {type: 'ready', docs, fetched} (wasm, manifest, meta/dict)
//   {type: 'search', q}             → {type: 'result', result, fetched} (plan, fetch the parts it
//                                     needs, until the plan is empty; search; result = the parsed JSON of the whole
//                                     result, structured-cloned by postMessage; fetched =
//                                     the bundle paths fetched for it)
//   {type: 'memory'}                → {type: 'memory', wasm}     (wasm memory bytes)
import init, { Engine } from './pkg/stenogram_bench_web.js';

let wasm; let engine; let bundle;
const fetched = []; // bundle paths fetched since the last reply

async function bytes(p) {
  const r = await fetch(bundle + p, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${p}: ${r.status}`);
  fetched.push(p);
  return new Uint8Array(await r.arrayBuffer());
}

async function open(msg) {
  bundle = msg.bundle;
  wasm = await init({ module_or_path: './pkg/stenogram_bench_web_bg.wasm' });
  const manifest = JSON.parse(new TextDecoder().decode(await bytes('manifest.json')));
  const ix = manifest.index;
  const [meta, dict] = await Promise.all([ix.meta, ix.dict].map(bytes));
  engine = new Engine(meta, dict, JSON.stringify(ix));
  return { type: 'ready', docs: engine.doc_count(), fetched: fetched.splice(0) };
}

async function search(msg) {
  for (let paths = engine.plan(msg.q); paths.length; paths = engine.plan(msg.q)) {
    const parts = await Promise.all(paths.map(bytes));
    parts.forEach((b, i) => engine.add_planned(i, b));
  }
  const result = JSON.parse(engine.search_json(msg.q, true));
  return { type: 'result', result, fetched: fetched.splice(0) };
}

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'open') self.postMessage(await open(msg));
    else if (msg.type === 'search') self.postMessage(await search(msg));
    else if (msg.type === 'memory') self.postMessage({ type: 'memory', wasm: wasm.memory.buffer.byteLength });
  } catch (err) {
    self.postMessage({ type: 'error', message: String(err && err.message || err) });
  }
};
