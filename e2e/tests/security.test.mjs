// Issue 12: the shell's Content-Security-Policy, the suite's own guard against script from
// data (it fails on any CSP violation and any dialog), and the search worker's files named
// by content hash (issue 13, item 4), and the page's parts loaded on first use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { start, SITE_DIR } from '../lib.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const read = (f) => fs.readFileSync(path.join(SITE_DIR, f), 'utf8');
const meta = (html, name) => (html.match(new RegExp(`<meta name="${name}" content="([^"]*)"`)) || [])[1];

/** Polls `fn` until it is truthy (Playwright's waits do not cover the guard's array). */
async function until(fn, what, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (!(await fn())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('index.html and 404.html carry a CSP, before any script, that allows exactly their inline scripts', () => {
  for (const file of ['index.html', '404.html']) {
    const html = read(file);
    const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    assert.ok(m, `${file} has no Content-Security-Policy`);
    assert.ok(m.index < html.indexOf('<script'), 'the policy must come before the scripts it governs');
    const directives = Object.fromEntries(m[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['object-src'], ["'none'"]);
    assert.deepEqual(directives['base-uri'], ["'self'"]);
    assert.deepEqual(directives['connect-src'], ["'self'"]);
    const script = directives['script-src'];
    assert.deepEqual(script.slice(0, 2), ["'self'", "'wasm-unsafe-eval'"]);
    assert.ok(!script.includes("'unsafe-inline'") && !script.includes("'unsafe-eval'"), script.join(' '));
    const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((s) => s[1]);
    assert.ok(inline.length > 0, 'Trunk emits an inline loader');
    const hashes = inline.map((s) => `'sha256-${crypto.createHash('sha256').update(s).digest('base64')}'`);
    assert.deepEqual(script.slice(2).sort(), [...new Set(hashes)].sort());
  }
});

test('the app runs under the policy: home, a search in the worker and a transcript, with no violation', async () => {
  const page = await env.page();
  await page.goto(`${env.url}?q=energy`);
  await page.locator('ol.results li.hit mark').first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.searchEngine), 'worker');
  await page.locator('ol.results li.hit h3 a').first().click();
  await page.locator('article.transcript').waitFor();
  await page.close();
  assert.deepEqual(env.consoleErrors, []);
});

// Regression (issue 12.1): the guard could not fail. `alert()` was dismissed silently and
// no fixture set `window.pwned`; on main, without a policy, the injected script runs.
test('the guard: an injected inline script and a javascript: link are refused and reported, and a dialog fails the run', async () => {
  const page = await env.page();
  await page.goto(env.url);
  await page.locator('ol.results li.hit').first().waitFor();
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.pwned = 1';
    document.body.append(s);
    const a = document.createElement('a');
    a.href = 'javascript:window.pwned=2';
    a.textContent = 'Source';
    document.body.append(a);
    a.click();
  });
  await until(() => env.consoleErrors.filter((e) => /CSP violation|Refused to/.test(e)).length >= 2, 'two CSP reports');
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'an injected script ran');
  // Chromium's own reports of the same blocks may still be on their way.
  await page.waitForTimeout(500);
  env.consoleErrors.length = 0;

  await page.evaluate(() => setTimeout(() => window.alert('pwned'), 0));
  await until(() => env.consoleErrors.some((e) => /an? alert dialog opened \("pwned"\)/.test(e)), 'the dialog report');
  env.consoleErrors.length = 0;
  await page.close();
});

// Regression (issue 12.2 / 13.4): Trunk kept plain names for the worker, so a page could
// pair with another build's search-worker.js or _bg.wasm from a cache or a later deploy.
test('the workers run from content-hashed files that index.html names', async () => {
  for (const plain of ['search-worker.js', 'search-worker_bg.wasm', 'workbench-worker.js', 'workbench-worker_bg.wasm', 'search-worker-loader.js']) {
    assert.ok(!fs.existsSync(path.join(SITE_DIR, plain)), `${plain} keeps its plain name`);
  }
  const loader = meta(read('index.html'), 'stenogram-worker');
  assert.match(loader || '', /^search-worker-loader-[0-9a-f]{16}\.js$/);
  const named = [...read(loader).matchAll(/'\.\/((?:search|workbench)-worker-[0-9a-f]{16}(?:\.js|_bg\.wasm))'/g)].map((m) => m[1]);
  assert.equal(named.length, 4, read(loader));
  for (const f of named) assert.ok(fs.existsSync(path.join(SITE_DIR, f)), `${f} is missing`);

  const page = await env.page();
  await page.goto(`${env.url}?q=energy`);
  await page.locator('ol.results li.hit mark').first().waitFor();
  const workers = page.workers();
  assert.equal(workers.length, 1);
  // The fragment (what the loader fetches early) aside: it is not sent with the request.
  assert.ok(new URL(workers[0].url()).pathname.endsWith(`/${loader}`), workers[0].url());
  const fetched = await workers[0].evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop()));
  // A search starts the search worker alone, from its two hashed files.
  for (const f of named.filter((n) => n.startsWith('search-'))) assert.ok(fetched.includes(f), `${f} not loaded: ${fetched}`);
  await page.close();
  assert.deepEqual(env.consoleErrors, []);
});

test('the page comes in parts named by one content hash: a search on a phone fetches none, its filters their own, a transcript its own', async () => {
  const files = fs.readdirSync(SITE_DIR);
  const parts = files.filter((f) => /^stenogram-web-[0-9a-f]{14}-part-[a-z0-9_]+\.wasm$/.test(f));
  for (const p of ['reader', 'bench', 'quote', 'facets']) {
    assert.equal(parts.filter((f) => f.endsWith(`-part-${p}.wasm`)).length, 1, `the ${p} part: ${parts}`);
  }
  const stem = parts[0].slice(0, 'stenogram-web-'.length + 14);
  for (const f of [`${stem}.js`, `${stem}_bg.wasm`, `${stem}-parts.js`]) assert.ok(files.includes(f), `${f} is missing`);
  assert.ok(read('index.html').includes(`${stem}.js`), 'index.html does not load the split glue');
  assert.equal(files.filter((f) => f.startsWith('stenogram-web-') && !f.startsWith(stem)).length, 0, "Trunk's unsplit page files are left");

  const page = await env.page();
  const fetchedParts = async () => (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
    .map((u) => new URL(u).pathname.split('/').pop())
    .filter((f) => f.includes('-part-'));
  // A phone: the filters stay folded, and their code with them until they are opened.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.url}?q=energy`);
  await page.locator('ol.results li.hit mark').first().waitFor();
  assert.deepEqual(await fetchedParts(), [], 'a search on a phone fetched a part of the page');
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.locator('#facets .facet.years').waitFor();
  assert.ok((await fetchedParts()).includes(`${stem}-part-facets.wasm`), 'opening the filters fetched no facets part');
  await page.locator('ol.results li.hit h3 a').first().click();
  await page.locator('article.transcript .para').first().waitFor();
  const after = await fetchedParts();
  assert.ok(after.includes(`${stem}-part-reader.wasm`), `the reading view's part was not fetched: ${after}`);
  assert.ok(!after.some((f) => /-part-(bench|quote)\.wasm$/.test(f)), `a transcript fetched other parts: ${after}`);
  await page.close();
  // A wide screen shows the filters beside the results: their part comes with them.
  const wide = await env.page();
  await wide.goto(`${env.url}?q=energy`);
  await wide.locator('#facets .facet.years').waitFor();
  const fetched = (await wide.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
    .map((u) => new URL(u).pathname.split('/').pop()).filter((f) => f.includes('-part-'));
  assert.ok(fetched.includes(`${stem}-part-facets.wasm`), `no facets part: ${fetched}`);
  assert.ok(!fetched.some((f) => /-part-(bench|quote|reader)\.wasm$/.test(f)), `a search fetched other parts: ${fetched}`);
  await wide.close();
  assert.deepEqual(env.consoleErrors, []);
});
