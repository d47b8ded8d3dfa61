// Node driver of the in-browser benchmark (`cargo xtask bench` runs it): assembles the
// site (page, wasm, the JS engines, the bundle, the documents), serves it with
// e2e/server.mjs, drives headless Chromium and prints the table (also written to --out).
//
// node bench/run.mjs --name kremlin --bundle DIR --pkg DIR --json DIR [--json DIR]
//                    [--build-secs S] [--out FILE] [--no-others]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { serve } from '../e2e/server.mjs';

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
  { kind: 'prefix', q: 'negotiat*', words: ['negotiat'], mode: 'prefix' },
  { kind: 'prefix', q: 'terror*', words: ['terror'], mode: 'prefix' },
  { kind: 'typo', q: 'negotiatoins', words: ['negotiatoins'], mode: 'typo' },
  { kind: 'typo', q: 'goverment', words: ['goverment'], mode: 'typo' },
  { kind: 'field + date', q: 'speaker:"Vladimir Putin" syria date:2015..2017', words: ['syria'], filter: { speaker: 'Vladimir Putin', from: 2015, to: 2017 } },
  { kind: 'field + date', q: 'economy date:2010..2012', words: ['economy'], filter: { from: 2010, to: 2012 } },
];

function args() {
  const a = { json: [], others: true };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i];
    if (k === '--no-others') a.others = false;
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

/** The documents as the JS engines get them, and the corpus text (for its gzip size). */
function documents(dirs) {
  const docs = [];
  for (const dir of dirs) {
    for (const f of walk(dir).filter((p) => p.endsWith('.json'))) {
      const t = JSON.parse(fs.readFileSync(f, 'utf8'));
      const paras = [...(t.summary || [])];
      const speakers = [];
      for (const s of t.sections || []) for (const turn of s.turns || []) {
        paras.push(...turn.paragraphs);
        if (turn.speaker && !speakers.includes(turn.speaker)) speakers.push(turn.speaker);
      }
      docs.push({ id: t.id, date: t.date, speakers, text: [t.title, ...paras].join('\n') });
    }
  }
  return docs;
}

function link(target, at) {
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(path.resolve(target), at);
}

async function main() {
  const a = args();
  const site = path.join(ROOT, 'target/bench', `site-${a.name}`);
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(path.join(site, 'vendor'), { recursive: true });
  for (const f of ['index.html', 'bench.mjs']) fs.copyFileSync(path.join(HERE, f), path.join(site, f));
  fs.copyFileSync(path.join(ROOT, 'e2e/node_modules/minisearch/dist/es/index.js'), path.join(site, 'vendor/minisearch.js'));
  fs.copyFileSync(path.join(ROOT, 'e2e/node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs'), path.join(site, 'vendor/flexsearch.mjs'));
  link(a.pkg, path.join(site, 'pkg'));
  link(a.bundle, path.join(site, 'bundle'));
  const docs = documents(a.json);
  const corpusText = docs.map((d) => d.text).join('\n');
  const corpusGzip = gz(Buffer.from(corpusText));
  if (a.others) fs.writeFileSync(path.join(site, 'corpus.json'), JSON.stringify(docs));

  const manifest = JSON.parse(fs.readFileSync(path.join(a.bundle, 'manifest.json'), 'utf8'));
  let indexRaw = 0; let indexGzip = 0; let indexFiles = 0;
  for (const f of walk(path.join(a.bundle, 'index'))) {
    const b = fs.readFileSync(f);
    indexRaw += b.length; indexGzip += gz(b); indexFiles += 1;
  }
  const manifestBytes = fs.readFileSync(path.join(a.bundle, 'manifest.json'));

  const server = await serve({ dir: site, base: '/' });
  const userDataDir = fs.mkdtempSync('/tmp/stenogram-bench-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
  });
  const lines = [];
  const say = (s = '') => { lines.push(s); console.log(s); };
  try {
    context.on('page', (p) => {
      p.on('console', (m) => { if (m.type() === 'error') console.error(`page: ${m.text()}`); });
      p.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.benchReady === true);
    const cfg = {
      bundle: 'bundle/', corpus: 'corpus.json', queries: QUERIES, paragraphs: 3,
      samples: Number(a.samples || 40), minSampleMs: Number(a.minSampleMs || 2),
    };
    // Cold start first, on a fresh page of a fresh profile.
    const cold = await page.evaluate((c) => window.runCold(c), cfg);
    await page.close();
    const page2 = await context.newPage();
    await page2.goto(server.url);
    await page2.waitForFunction(() => window.benchReady === true);
    const gzOf = new Map();
    const gzPath = (p) => {
      if (!gzOf.has(p)) gzOf.set(p, gz(fs.readFileSync(path.join(a.bundle, p))));
      return gzOf.get(p);
    };
    const sumGz = (ps) => ps.reduce((s, p) => s + gzPath(p), 0);
    const pkgGz = ['stenogram_bench_web_bg.wasm', 'stenogram_bench_web.js'].reduce((s, f) => s + gz(fs.readFileSync(path.join(a.pkg, f))), 0);
    const cdp = await context.newCDPSession(page2);
    const ours = (await page2.evaluate((c) => window.runOurs(c), cfg)).ours;
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const others = a.others ? await page2.evaluate((c) => window.runOthers(c), cfg) : null;

    const version = (await context.browser()?.version()) || 'chromium';
    say(`Stenogram in-browser benchmark — corpus ${a.name}: ${docs.length} transcripts, ${mb(corpusText.length)} of text`);
    say(`headless ${version} (/usr/bin/chromium), ${new Date().toISOString().slice(0, 10)}; latency = p50/p95 in ms over ${cfg.samples} samples per query,`);
    say(`each sample the mean of back-to-back runs lasting ≥ ${cfg.minSampleMs} ms (performance.now() is coarsened to 100 µs).`);
    say(`Ours: parse + search with exact total, all facets counted, 10 hits with 3 best paragraphs, every shard loaded.`);
    say();
    say('Index');
    if (a.buildSecs) say(`  build (native, \`stenogram build\`, whole bundle)  ${Number(a.buildSecs).toFixed(1)} s`);
    say(`  index files         ${indexFiles} files, ${mb(indexRaw)} raw, ${mb(indexGzip)} gzip   (corpus text gzip ${mb(corpusGzip)}: index/text = ${(indexGzip / corpusGzip).toFixed(2)})`);
    say(`  manifest.json       ${mb(manifestBytes.length)} raw, ${mb(gz(manifestBytes))} gzip`);
    say(`  open (meta+dict+words, ${mb(ours.openBytes)})  ${ms(ours.openMs)} ms from bytes, ${ms(ours.openFetchMs)} ms with fetch`);
    say(`  load every shard    ${ours.loadAllFiles} files, ${mb(ours.loadAllBytes)}, ${ms(ours.loadAllMs)} ms (fetch + add)`);
    say(`  wasm memory         ${mb(ours.wasmMemory)} after load, ${mb(ours.wasmMemoryAfter)} after the queries; JS heap ${mb(heap)}`);
    if (others) say(`  index time in the browser: MiniSearch ${(others.mini.indexMs / 1000).toFixed(1)} s, FlexSearch ${(others.flex.indexMs / 1000).toFixed(1)} s (tokenize: forward)`);
    say();
    say('Cold start (fresh profile; the app would add its own wasm and shell; gzip level 6 sizes of what was fetched)');
    const furtherBytes = cold.further.map((f) => sumGz(f.paths));
    const furtherMs = cold.further.map((f) => f.ms);
    say(`  first result        ${ms(cold.firstMs)} ms after navigation start ("${QUERIES[0].q}", ${cold.firstTotal} hits)`);
    say(`  first query bytes   ${mb(sumGz(cold.firstPaths))} gzip in ${cold.firstPaths.length} bundle files (manifest ${mb(gzPath('manifest.json'))}), + bench wasm/glue ${mb(pkgGz)}`);
    say(`  each further query  bytes p50 ${(pctl(furtherBytes, 0.5) / 1e3).toFixed(1)} KB, p95 ${(pctl(furtherBytes, 0.95) / 1e3).toFixed(1)} KB, max ${(Math.max(...furtherBytes) / 1e3).toFixed(1)} KB gzip; time p50 ${ms(pctl(furtherMs, 0.5))} ms, p95 ${ms(pctl(furtherMs, 0.95))} ms (fetch + search, no worker)`);
    const openMs = cold.opens.map((o) => o.ms);
    const openBytes = cold.opens.map((o) => gzPath(o.path));
    say(`  open a transcript   p50 ${ms(pctl(openMs, 0.5))} ms, p95 ${ms(pctl(openMs, 0.95))} ms (pack fetch + extract), pack p50 ${(pctl(openBytes, 0.5) / 1e3).toFixed(1)} KB gzip`);
    say();
    const kinds = [...new Set(QUERIES.map((q) => q.kind))];
    const agg = (eng, kind) => {
      const t = QUERIES.filter((q) => q.kind === kind).flatMap((q) => eng[q.q].times);
      return `${ms(pctl(t, 0.5)).padStart(7)} ${ms(pctl(t, 0.95)).padStart(7)}`;
    };
    say(`${'kind'.padEnd(14)} ${'ours p50'.padStart(8)} ${'p95'.padStart(7)}${others ? ` │ ${'Mini p50'.padStart(8)} ${'p95'.padStart(7)} │ ${'Flex p50'.padStart(8)} ${'p95'.padStart(7)}` : ''}`);
    for (const k of kinds) {
      say(`${k.padEnd(14)}  ${agg(ours, k)}${others ? ` │  ${agg(others.mini, k)} │  ${agg(others.flex, k)}` : ''}`);
    }
    say();
    say(`${'query'.padEnd(48)} ${'ours total'.padStart(10)} ${'facets'.padStart(6)}${others ? ` ${'Mini'.padStart(7)} ${'Flex'.padStart(7)}` : ''}`);
    for (const q of QUERIES) {
      const o = ours[q.q];
      say(`${q.q.padEnd(48)} ${String(o.total).padStart(10)} ${String(o.facetValues).padStart(6)}${others ? ` ${String(others.mini[q.q].total).padStart(7)} ${String(others.flex[q.q].total).padStart(7)}` : ''}`);
    }
    say('(facets = facet values counted; MiniSearch: AND of words, prefix / fuzzy ≤ 1 edit (2 from 8 letters), no phrases;');
    say(' FlexSearch: default encoder, AND of words, forward prefixes, no typos, no phrases; both filter date/speaker per document)');
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  if (a.out) { fs.mkdirSync(path.dirname(a.out), { recursive: true }); fs.writeFileSync(a.out, lines.join('\n') + '\n'); }
}

function pctl(xs, p) {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

main().catch((e) => { console.error(e); process.exit(1); });
