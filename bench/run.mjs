// The engine comparison of `cargo xtask bench` (the real app is measured by app.mjs):
// assembles a bench page (page, the bench wasm of crates/bench-web, the JS engines, the
// app's bundle, the documents), serves it with e2e/server.mjs, drives headless Chromium
// and prints the table (also written to --out): our engine in the page thread, MiniSearch
// and FlexSearch, and, unless --no-pagefind, Pagefind's API over the same transcripts
// rendered as HTML pages (pagefind.mjs), indexed in this run.
//
// node bench/run.mjs --name kremlin --bundle DIR --pkg DIR --json DIR [--json DIR]
//                    [--build-secs S] [--out FILE] [--no-others] [--no-pagefind]
//                    [--samples N]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { serve } from '../e2e/server.mjs';
import { renderSite, pagefindIndex, pagefindQuery, pagefindServedBytes } from './pagefind.mjs';
import { heaps } from './cdp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Query kinds; `words`/`mode`/`filter` are the MiniSearch/FlexSearch equivalents. */
export const QUERIES = [
  { kind: 'common word', q: 'russia', words: ['russia'] },
  { kind: 'common word', q: 'government', words: ['government'] },
  { kind: 'rare word', q: 'skolkovo', words: ['skolkovo'] },
  { kind: 'rare word', q: 'tsunami', words: ['tsunami'] },
  { kind: 'two words', q: 'economic cooperation', words: ['economic', 'cooperation'] },
  { kind: 'two words', q: 'nuclear weapons', words: ['nuclear', 'weapons'] },
  { kind: 'phrase', q: '"collective security"', words: ['collective', 'security'] },
  { kind: 'phrase', q: '"human rights"', words: ['human', 'rights'] },
  // Not one of the issue's kinds: phrases of three or more words, frequent ones among them,
  // which the pair positions of index format 6 place (shown apart, never in "phrase").
  { kind: 'long phrase', q: '"the united nations"', words: ['the', 'united', 'nations'] },
  { kind: 'long phrase', q: '"one of the most"', words: ['one', 'of', 'the', 'most'] },
  { kind: 'prefix', q: 'negotiat*', words: ['negotiat'], mode: 'prefix' },
  { kind: 'prefix', q: 'terror*', words: ['terror'], mode: 'prefix' },
  { kind: 'typo', q: 'negotiatoins', words: ['negotiatoins'], mode: 'typo' },
  { kind: 'typo', q: 'goverment', words: ['goverment'], mode: 'typo' },
  { kind: 'field + date', q: 'speaker:"Vladimir Putin" syria date:2015..2017', words: ['syria'], filter: { speaker: 'Vladimir Putin', from: 2015, to: 2017 } },
  { kind: 'field + date', q: 'economy date:2010..2012', words: ['economy'], filter: { from: 2010, to: 2012 } },
];

/**
 * 50 distinct further queries for the Pagefind session (bytes per new query, memory after
 * them): common and rare words, two words, phrases, prefixes, typos, fields
 * and dates. Same shape as QUERIES.
 */
export const VARIED = [
  ...['president', 'country', 'development', 'security', 'people', 'economy', 'international', 'peace']
    .map((w) => ({ kind: 'common word', q: w, words: [w] })),
  ...['chernobyl', 'biathlon', 'semiconductor', 'hydrocarbons', 'archipelago', 'tuberculosis', 'ballet', 'cryptocurrency']
    .map((w) => ({ kind: 'rare word', q: w, words: [w] })),
  ...['climate change', 'oil prices', 'energy security', 'trade relations', 'armed conflict', 'young people', 'foreign policy', 'small business']
    .map((w) => ({ kind: 'two words', q: w, words: w.split(' ') })),
  ...['united nations', 'sustainable development', 'middle east', 'arms race', 'prime minister', 'cold war', 'state duma', 'international law']
    .map((w) => ({ kind: 'phrase', q: `"${w}"`, words: w.split(' ') })),
  ...['democra', 'invest', 'agricultur', 'militar', 'educat', 'pharma']
    .map((w) => ({ kind: 'prefix', q: `${w}*`, words: [w], mode: 'prefix' })),
  ...['parliment', 'enviroment', 'sovereignity', 'governement', 'independance', 'recieve']
    .map((w) => ({ kind: 'typo', q: w, words: [w], mode: 'typo' })),
  { kind: 'field + date', q: 'speaker:"Dmitry Medvedev" innovation', words: ['innovation'], filter: { speaker: 'Dmitry Medvedev' } },
  { kind: 'field + date', q: 'ukraine date:2014..2015', words: ['ukraine'], filter: { from: 2014, to: 2015 } },
  { kind: 'field + date', q: 'energy date:2005..2008', words: ['energy'], filter: { from: 2005, to: 2008 } },
  { kind: 'field + date', q: 'speaker:"Vladimir Putin" sanctions', words: ['sanctions'], filter: { speaker: 'Vladimir Putin' } },
  { kind: 'field + date', q: 'security date:1990..1995', words: ['security'], filter: { from: 1990, to: 1995 } },
  { kind: 'field + date', q: 'peace date:1960..1965', words: ['peace'], filter: { from: 1960, to: 1965 } },
];
for (const q of [...QUERIES, ...VARIED]) q.pf = pagefindQuery(q);

function args() {
  const a = { json: [], others: true, pagefind: true };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i];
    if (k === '--no-others') a.others = false;
    else if (k === '--no-pagefind') a.pagefind = false;
    else if (k === '--json') a.json.push(v[++i]);
    else a[k.replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase())] = v[++i];
  }
  return a;
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  }).sort();
}

const gz = (b) => zlib.gzipSync(b, { level: 6 }).length;
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const ms = (x) => (x < 10 ? x.toFixed(3) : x.toFixed(1));

/**
 * One pass over the transcript JSON: the count, the corpus text's length and gzip size,
 * the documents as the JS engines get them (when `keep`) and, when `render` is given,
 * each transcript's HTML page for Pagefind.
 */
async function documents(dirs, keep, render) {
  const docs = [];
  let count = 0; let chars = 0; let gzip = 0;
  const pages = { count: 0, raw: 0, gzip: 0 };
  const gzs = zlib.createGzip({ level: 6 });
  gzs.on('data', (c) => { gzip += c.length; });
  const ended = new Promise((r) => gzs.on('end', r));
  for (const dir of dirs) {
    for (const f of walk(dir).filter((p) => p.endsWith('.json'))) {
      const t = JSON.parse(fs.readFileSync(f, 'utf8'));
      const paras = [...(t.summary || [])];
      const speakers = [];
      for (const s of t.sections || []) for (const turn of s.turns || []) {
        paras.push(...turn.paragraphs);
        if (turn.speaker && !speakers.includes(turn.speaker)) speakers.push(turn.speaker);
      }
      const text = [t.title, ...paras].join('\n');
      count += 1; chars += text.length + 1;
      if (!gzs.write(text + '\n')) await new Promise((r) => gzs.once('drain', r));
      if (keep) docs.push({ id: t.id, date: t.date || (t.year ? String(t.year) : null), speakers, text });
      if (render) {
        const sz = render.write(t);
        pages.count += 1; pages.raw += sz.raw; pages.gzip += sz.gzip;
      }
    }
  }
  gzs.end();
  await ended;
  return { docs, count, chars, gzip, pages };
}

function link(target, at) {
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(path.resolve(target), at);
}

/** A fresh profile (empty caches) in headless Chromium. */
async function freshContext() {
  const userDataDir = fs.mkdtempSync('/tmp/stenogram-bench-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
  });
  context.on('page', (p) => {
    p.on('console', (m) => { if (m.type() === 'error') console.error(`page: ${m.text()}`); });
    p.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  });
  return { context, close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); } };
}

async function main() {
  const a = args();
  const samples = Number(a.samples || 40);
  const site = path.join(ROOT, 'target/bench', `site-${a.name}`);
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(path.join(site, 'vendor'), { recursive: true });
  for (const f of ['index.html', 'bench.mjs']) fs.copyFileSync(path.join(HERE, f), path.join(site, f));
  fs.copyFileSync(path.join(ROOT, 'e2e/node_modules/minisearch/dist/es/index.js'), path.join(site, 'vendor/minisearch.js'));
  fs.copyFileSync(path.join(ROOT, 'e2e/node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs'), path.join(site, 'vendor/flexsearch.mjs'));
  link(a.pkg, path.join(site, 'pkg'));
  link(a.bundle, path.join(site, 'bundle'));

  // Pagefind's pages are written once per corpus (target/bench/pagefind-<corpus>/t/), in
  // the same pass that reads the documents; its index is rebuilt (and timed) every run.
  const pfSite = a.pagefind ? renderSite(path.join(ROOT, 'target/bench', `pagefind-${a.name}`)) : null;
  const render = pfSite && pfSite.done() === null ? pfSite : null;
  if (render) { console.error(`bench: rendering the transcripts as HTML into ${pfSite.dir}`); render.start(); }
  const corpus = await documents(a.json, a.others, render);
  if (render) render.finish(corpus.pages);
  const pfPages = pfSite ? pfSite.done() : null;
  const docs = corpus.docs;
  if (a.others) fs.writeFileSync(path.join(site, 'corpus.json'), JSON.stringify(docs));
  let pfBuild = null;
  if (pfSite) {
    console.error('bench: indexing the pages with Pagefind');
    pfBuild = pagefindIndex(ROOT, pfSite.dir);
    if (pfBuild.failed) console.error(`bench: Pagefind not measured: ${pfBuild.failed}`);
    else link(pfSite.dir, path.join(site, 'pf'));
  }

  const manifest = JSON.parse(fs.readFileSync(path.join(a.bundle, 'manifest.json'), 'utf8'));
  let indexRaw = 0; let indexGzip = 0; let indexFiles = 0;
  for (const f of walk(path.join(a.bundle, 'index'))) {
    const b = fs.readFileSync(f);
    indexRaw += b.length; indexGzip += gz(b); indexFiles += 1;
  }
  let bundleRaw = 0; let bundleGzip = 0; let bundleFiles = 0;
  for (const f of walk(a.bundle)) {
    const b = fs.readFileSync(f);
    bundleRaw += b.length; bundleGzip += gz(b); bundleFiles += 1;
  }
  const manifestBytes = fs.readFileSync(path.join(a.bundle, 'manifest.json'));

  const server = await serve({ dir: site, base: '/' });
  const lines = [];
  const say = (s = '') => { lines.push(s); console.log(s); };
  const cfg = {
    bundle: 'bundle/', corpus: 'corpus.json', queries: QUERIES,
    samples, minSampleMs: Number(a.minSampleMs || 2),
  };
  const gzOf = new Map();
  const gzPath = (p) => {
    if (!gzOf.has(p)) gzOf.set(p, gz(fs.readFileSync(path.join(a.bundle, p))));
    return gzOf.get(p);
  };
  const sumGz = (ps) => ps.reduce((s, p) => s + gzPath(p), 0);
  const pkgGz = ['stenogram_bench_web_bg.wasm', 'stenogram_bench_web.js'].reduce((s, f) => s + gz(fs.readFileSync(path.join(a.pkg, f))), 0);
  const pfOf = new Map();
  const pfBytes = (urlPath) => {
    if (!pfOf.has(urlPath)) pfOf.set(urlPath, pagefindServedBytes(path.join(site, decodeURIComponent(urlPath))));
    return pfOf.get(urlPath);
  };
  const pfServed = (from) => server.requests.slice(from).filter((p) => p.startsWith('/pf/'));
  let cold; let ours; let heap; let others = null; let pfr = null;
  try {
    {
      // Cold start in the page's thread first, on a fresh page of a fresh profile.
      const { context, close } = await freshContext();
      try {
        const page = await context.newPage();
        await page.goto(server.url);
        await page.waitForFunction(() => window.benchReady === true);
        cold = await page.evaluate((c) => window.runCold(c), cfg);
        await page.close();
        const page2 = await context.newPage();
        await page2.goto(server.url);
        await page2.waitForFunction(() => window.benchReady === true);
        const cdp = await context.newCDPSession(page2);
        ours = (await page2.evaluate((c) => window.runOurs(c), cfg)).ours;
        await cdp.send('HeapProfiler.collectGarbage');
        heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
        if (a.others) others = await page2.evaluate((c) => window.runOthers(c), cfg);
      } finally { await close(); }
    }
    if (pfSite && !pfBuild.failed) {
      console.error('bench: Pagefind');
      const { context, close } = await freshContext();
      try {
        const page = await context.newPage();
        const from = server.requests.length;
        const qs = new URLSearchParams({ mode: 'pagefind', q: QUERIES[0].pf.term });
        await page.goto(`${server.url}index.html?${qs}`);
        const c = await page.evaluate(() => window.cold);
        c.paths = pfServed(from);
        const further = [];
        const tops = [c.top];
        for (const q of [...QUERIES.slice(1), ...VARIED]) {
          const n0 = server.requests.length;
          const r = await page.evaluate(([t, f]) => window.pagefindQuery(t, f), [q.pf.term, q.pf.filters]);
          further.push({ ...r, q: q.q, varied: VARIED.includes(q), paths: pfServed(n0) });
          if (!VARIED.includes(q)) tops.push(r.top);
        }
        const h = await heaps(context, page);
        const opens = [];
        for (const u of tops.filter(Boolean)) {
          const r = await page.evaluate((uu) => window.pagefindOpen(uu), u);
          opens.push({ ...r, url: u, bytes: pfBytes(u) });
        }
        // Pagefind takes up to seconds per query at 18k: 10 samples are plenty.
        const warm = await page.evaluate((cc) => window.pagefindWarm(cc), { ...cfg, samples: Math.min(cfg.samples, 10) });
        pfr = { cold: c, further, heap: h, opens, warm };
      } finally { await close(); }
    }
  } finally {
    await server.close();
  }

  const version = (await (async () => {
    const { context, close } = await freshContext();
    try { return context.browser()?.version(); } finally { await close(); }
  })()) || 'chromium';
  const kb = (n) => `${(n / 1e3).toFixed(1)} KB`;
  say(`Stenogram in-browser benchmark — corpus ${a.name}: ${corpus.count} transcripts, ${mb(corpus.chars)} of text`);
  say(`headless ${version} (/usr/bin/chromium), ${new Date().toISOString().slice(0, 10)}; latency = p50/p95 in ms over ${cfg.samples} samples per query,`);
  say(`each sample the mean of back-to-back runs lasting ≥ ${cfg.minSampleMs} ms (performance.now() is coarsened to 100 µs).`);
  say(`Ours: parse + search with exact total, every facet counted (50 values listed per facet, as the app asks), 10 hits, every shard loaded.`);
  say();
  say('Index');
  if (a.buildSecs) say(`  build (native, \`stenogram build\`, whole bundle)  ${Number(a.buildSecs).toFixed(1)} s`);
  say(`  bundle              ${bundleFiles} files, ${mb(bundleRaw)} raw, ${mb(bundleGzip)} gzip (index, packs, manifest)`);
  say(`  index files         ${indexFiles} files, ${mb(indexRaw)} raw, ${mb(indexGzip)} gzip   (corpus text gzip ${mb(corpus.gzip)}: index/text = ${(indexGzip / corpus.gzip).toFixed(2)})`);
  say(`  manifest.json       ${mb(manifestBytes.length)} raw, ${mb(gz(manifestBytes))} gzip`);
  say(`  open (meta+dict, ${mb(ours.openBytes)})  ${ms(ours.openMs)} ms from bytes, ${ms(ours.openFetchMs)} ms with fetch`);
  say(`  load every shard    ${ours.loadAllFiles} files, ${mb(ours.loadAllBytes)}, ${ms(ours.loadAllMs)} ms (fetch + add)`);
  say(`  wasm memory         ${mb(ours.wasmMemory)} after load, ${mb(ours.wasmMemoryAfter)} after the queries; JS heap ${mb(heap)}`);
  if (others) say(`  index time in the browser: MiniSearch ${(others.mini.indexMs / 1000).toFixed(1)} s, FlexSearch ${(others.flex.indexMs / 1000).toFixed(1)} s (tokenize: forward)`);
  if (pfBuild && pfBuild.failed) {
    say(`  Pagefind build      FAILED, so Pagefind is not measured: ${pfBuild.failed}${pfBuild.remembered ? ` (remembered in ${pfSite.dir}/.failed)` : ''}`);
    say(`  Pagefind's pages    ${pfPages.count} HTML files, ${mb(pfPages.raw)} raw, ${mb(pfPages.gzip)} gzip`);
  } else if (pfBuild) {
    say(`  Pagefind build      ${pfBuild.secs.toFixed(1)} s${pfBuild.reused ? ' (an earlier run\'s)' : ''} (pagefind ${pfBuild.summary}); ${pfBuild.files} files, ${mb(pfBuild.raw)} raw, ${mb(pfBuild.served)} served`);
    say(`                      (its .pf_* files are gzipped already; ${pfBuild.uiFiles} of the files, ${mb(pfBuild.uiRaw)}, are its optional UI)`);
    say(`  Pagefind's pages    ${pfPages.count} HTML files, ${mb(pfPages.raw)} raw, ${mb(pfPages.gzip)} gzip (what a result opens; our packs' counterpart)`);
  }
  say();
  say('Cold start in the page thread (fresh profile; the app would add its own wasm and shell; gzip level 6 sizes of what was fetched)');
  const furtherBytes = cold.further.map((f) => sumGz(f.paths));
  const furtherMs = cold.further.map((f) => f.ms);
  say(`  first result        ${ms(cold.firstMs)} ms after navigation start ("${QUERIES[0].q}", ${cold.firstTotal} hits)`);
  say(`  first query bytes   ${mb(sumGz(cold.firstPaths))} gzip in ${cold.firstPaths.length} bundle files (manifest ${mb(gzPath('manifest.json'))}), + bench wasm/glue ${mb(pkgGz)}`);
  say(`  each further query  bytes p50 ${kb(pctl(furtherBytes, 0.5))}, p95 ${kb(pctl(furtherBytes, 0.95))}, max ${kb(Math.max(...furtherBytes))} gzip; time p50 ${ms(pctl(furtherMs, 0.5))} ms, p95 ${ms(pctl(furtherMs, 0.95))} ms (fetch + search, no worker)`);
  const openMs = cold.opens.map((o) => o.ms);
  const openBytes = cold.opens.map((o) => gzPath(o.path));
  say(`  open a transcript   p50 ${ms(pctl(openMs, 0.5))} ms, p95 ${ms(pctl(openMs, 0.95))} ms (pack fetch + extract), pack p50 ${kb(pctl(openBytes, 0.5))} gzip`);
  say();

  if (pfr) {
    const bytesOf = (ps) => ps.reduce((s, p) => s + pfBytes(p), 0);
    const first = bytesOf(pfr.cold.paths);
    const fb = pfr.further.map((f) => bytesOf(f.paths));
    const fm = pfr.further.map((f) => f.ms);
    const om = pfr.opens.map((o) => o.ms);
    const mem = pfr.heap.page + pfr.heap.worker + pfr.heap.pageWasm + pfr.heap.workerWasm;
    say(`Pagefind ${'1.6.0'} (fresh profile; import pagefind.js, search, data() of the first 10 results for their excerpts; served bytes: its files are gzipped)`);
    say(`  first result        ${ms(pfr.cold.firstMs)} ms after navigation start ("${QUERIES[0].pf.term}", ${pfr.cold.total} results)`);
    say(`  first query bytes   ${mb(first)} in ${pfr.cold.paths.length} files`);
    say(`  each further query  bytes p50 ${kb(pctl(fb, 0.5))}, p95 ${kb(pctl(fb, 0.95))}, max ${kb(Math.max(...fb))}; time p50 ${ms(pctl(fm, 0.5))} ms, p95 ${ms(pctl(fm, 0.95))} ms`);
    say(`  open a result page  p50 ${ms(pctl(om, 0.5))} ms, p95 ${ms(pctl(om, 0.95))} ms (fetch + parse the HTML), page p50 ${kb(pctl(pfr.opens.map((o) => o.bytes), 0.5))} gzip`);
    say(`  memory after them   ${mb(mem)} = JS heap: page ${mb(pfr.heap.page)} + worker ${mb(pfr.heap.worker)}, wasm: page ${mb(pfr.heap.pageWasm)} + worker ${mb(pfr.heap.workerWasm)} (after GC; ${pfr.heap.workers} worker)`);
    say();
  }

  const kinds = [...new Set(QUERIES.map((q) => q.kind))];
  const times = (eng, kind) => QUERIES.filter((q) => q.kind === kind).flatMap((q) => eng[q.q].times);
  const agg = (eng, kind) => {
    const t = times(eng, kind);
    return `${ms(pctl(t, 0.5)).padStart(7)} ${ms(pctl(t, 0.95)).padStart(7)}`;
  };
  const col = (name) => ` │ ${`${name} p50`.padStart(9)} ${'p95'.padStart(7)}`;
  say('Warm latency (ms): ours in the page thread (through the app\'s worker: see the app table);');
  say(`${pfr ? 'Pagefind (search + data() of 10 results, through its own worker)' : ''}${pfr && others ? '; ' : ''}${others ? 'MiniSearch, FlexSearch in the page thread' : ''}`);
  say(`${'kind'.padEnd(14)} ${'ours p50'.padStart(8)} ${'p95'.padStart(7)}${pfr ? col('Pagefind') : ''}${others ? `${col('Mini')}${col('Flex')}` : ''}`);
  for (const k of kinds) {
    say(`${k.padEnd(14)}  ${agg(ours, k)}${pfr ? ` │  ${agg(pfr.warm, k).padStart(17)}` : ''}${others ? ` │  ${agg(others.mini, k).padStart(17)} │  ${agg(others.flex, k).padStart(17)}` : ''}`);
  }
  say();
  say(`${'query'.padEnd(48)} ${'ours total'.padStart(10)} ${'facets'.padStart(6)}${pfr ? ` ${'Pagefind'.padStart(8)}` : ''}${others ? ` ${'Mini'.padStart(7)} ${'Flex'.padStart(7)}` : ''}`);
  for (const q of QUERIES) {
    const o = ours[q.q];
    say(`${q.q.padEnd(48)} ${String(o.total).padStart(10)} ${String(o.facetValues).padStart(6)}${pfr ? ` ${String(pfr.warm[q.q].total).padStart(8)}` : ''}${others ? ` ${String(others.mini[q.q].total).padStart(7)} ${String(others.flex[q.q].total).padStart(7)}` : ''}`);
  }
  say('(facets = facet values counted; MiniSearch: AND of words, prefix / fuzzy ≤ 1 edit (2 from 8 letters), no phrases;');
  say(' FlexSearch: default encoder, AND of words, forward prefixes, no typos, no phrases; both filter date/speaker per document;');
  say(' Pagefind: its own matching (AND of words, stemming, the last word as a prefix, quoted phrases, no typos), speaker/year filters)');
  if (a.out) { fs.mkdirSync(path.dirname(a.out), { recursive: true }); fs.writeFileSync(a.out, lines.join('\n') + '\n'); }
}

function pctl(xs, p) {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

main().catch((e) => { console.error(e); process.exit(1); });
