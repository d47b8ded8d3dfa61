// Issue 6: offline use, installing, updates and GitHub Pages deep links, in headless Chromium,
// against the Pages-like server under /stenogram/ (files only under the prefix, 404.html
// with status 404 for misses).
//
// Each group gets its own browser profile and, where it changes the site, its own copy of
// it, so that no group sees another's service worker or files.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { start, shot, copySite, swControlled, setOffline, packOf, SITE_DIR, BASE_PATH } from '../lib.mjs';

const ROOT = process.env.PROJECT_ROOT || path.resolve('..');
const CORPUS = process.env.E2E_CORPUS || path.join(ROOT, 'target/e2e-json');
const PACK_BYTES = process.env.E2E_PACK_BYTES || '2048';
const readManifest = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'precache-manifest.json'), 'utf8'));

/** Runs `cargo xtask …` in the project; fails the test with its output on error. */
function xtask(args, env = {}) {
  const r = spawnSync('cargo', ['xtask', ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(r.status, 0, `cargo xtask ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

/** A new deployment of `dir` without a rebuild: one shell file changes (the web app
 * manifest gets a trailing line break), so the site id, the worker version and index.html
 * all change, as `cargo xtask precache` re-stamps them. Returns the new precache manifest. */
function deploy(dir, args = []) {
  fs.appendFileSync(path.join(dir, 'manifest.webmanifest'), '\n');
  xtask(['precache', dir, ...args]);
  return readManifest(dir);
}

/** Polls `fn` (which may throw while the page navigates) until it returns a truthy value. */
async function until(fn, what, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // The page is between documents.
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The build the page runs (`<meta name="stenogram-site">`, from its index.html). */
const siteOf = (page) => page.evaluate(() => document.querySelector('meta[name="stenogram-site"]').content);
/** Makes the page look for a new worker now (what a long-open tab does every 30 minutes). */
const checkForUpdate = (page) => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));

const homeList = (page) => page.locator('ol.results li.hit').first().waitFor();
const docLink = (page, title) => page.getByRole('link', { name: title }).first();

describe('1. under a sub-path: loading, a paragraph deep link, the back button, installing', () => {
  let env;
  before(async () => { env = await start(); });
  after(async () => { await env?.close(); });

  test('a deep link from a cold start is its transcript\'s page (status 200) and opens at the paragraph', async () => {
    const page = await env.page();
    const resp = await page.goto(`${env.url}t/water-forum-2012#p-2`);
    assert.equal(resp.status(), 200, 'a transcript has a page of its own (t/<id>.html), as GitHub Pages serves it');
    assert.ok(!resp.fromServiceWorker());
    // The page's own paragraph first (the browser's jump), then the app's, marked.
    await page.locator('#p-2.is-target').waitFor();
    await swControlled(page);
    await page.close();
  });

  test('once installed, the worker answers deep links itself (status 200) and back/forward work', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    await docLink(page, /water supply/).click();
    await page.locator('article.transcript').waitFor();
    assert.match(page.url(), /\/stenogram\/t\/water-forum-2012$/);
    await page.goBack();
    await homeList(page);
    assert.equal(page.url(), env.url);
    await page.goForward();
    await page.locator('article.transcript').waitFor();

    const resp = await page.goto(`${env.url}t/cstu-council-2015#p-22`);
    assert.equal(resp.status(), 200);
    assert.ok(resp.fromServiceWorker(), 'the deep link should come from the worker');
    await page.waitForFunction(() => {
      const el = document.getElementById('p-22');
      const r = el && el.getBoundingClientRect();
      return r && el.classList.contains('is-target') && r.top >= 0 && r.top < window.innerHeight;
    });
    await page.goBack();
    await page.locator('article.transcript h1, article.transcript').first().waitFor();
    assert.match(page.url(), /t\/water-forum-2012$/);
    await page.close();
  });

  test('installable from the sub-path: the manifest resolves there and Chromium reports no installability errors', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    const cdp = await env.context.newCDPSession(page);
    const app = await cdp.send('Page.getAppManifest');
    assert.equal(app.url, `${env.url}manifest.webmanifest`);
    assert.deepEqual(app.errors, []);
    const m = JSON.parse(app.data);
    assert.equal(m.name, 'Stenogram');
    assert.equal(new URL(m.start_url, app.url).href, env.url);
    assert.equal(new URL(m.scope, app.url).href, env.url);
    assert.ok(m.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512'));
    assert.ok(m.theme_color && m.background_color);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    await page.close();
  });

  test('no console errors on the way (except the documented 404 document)', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});

describe('2. offline after one visit (the sample-sized corpus is precached)', () => {
  let env;
  before(async () => { env = await start(); });
  after(async () => { await env?.close(); });

  test('home, a transcript opened before and a deep link work with the network off', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    await docLink(page, /energy cooperation/).click();
    await page.locator('article.transcript').waitFor();

    await setOffline(env, true);
    try {
      await page.goto(env.url);
      await homeList(page);
      await page.locator('.sw-offline').waitFor();
      await page.reload();
      await homeList(page);
      await shot(page, 'offline-home');

      await docLink(page, /energy cooperation/).click();
      await page.locator('article.transcript').waitFor();
      assert.ok((await page.locator('.turn .para').count()) > 0);

      // A deep link typed in while offline, in a fresh tab: no server, no 404.html.
      const tab = await env.page();
      await tab.goto(`${env.url}t/cstu-council-2015#p-22`);
      await tab.locator('#p-22.is-target').waitFor();
      assert.match(await tab.locator('#p-22').innerText(), /Euro-Atlantic/);
      await shot(tab, 'offline-deeplink');
      await tab.close();
    } finally {
      await setOffline(env, false);
    }
    await page.close();
  });

  test('a search works offline', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await swControlled(page);
    await setOffline(env, true);
    try {
      await page.goto(`${env.url}?q=energy`);
      await page.locator('ol.results li.hit').first().waitFor();
      assert.match(await page.locator('#results-heading').innerText(), /^\d+ transcripts? found$/);
      await page.locator('ol.results li.hit mark').first().waitFor();
    } finally {
      await setOffline(env, false);
    }
    await page.close();
  });

  test('a facet filter works offline', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await swControlled(page);
    await setOffline(env, true);
    try {
      await page.goto(`${env.url}?q=energy`);
      // The speaker panel is counted on first use: open it, then click a label, as a
      // reader would; the list re-renders once the URL changes.
      await page.locator('details[data-facet="speaker"] summary').click();
      await page.locator('input[type=checkbox][data-facet="speaker"] + label').first().click();
      await page.waitForURL(/speaker=/);
      await page.locator('ol.results li.hit').first().waitFor();
      assert.equal(await page.locator('ul.chips .chip').count(), 2);
      await page.reload();
      await page.locator('ol.results li.hit').first().waitFor();
    } finally {
      await setOffline(env, false);
    }
    await page.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});

describe('4. a corpus over the precache limit: used files offline, the rest says so, then "Make available offline"', () => {
  let env;
  let dir;
  const failed = []; // console errors of failed loads, with the URL they were for
  before(async () => {
    dir = copySite();
    // The same site, re-stamped as if its corpus were over the limit: nothing of the
    // corpus is precached but its manifest and the index's entry files.
    xtask(['precache', dir, '--corpus-limit', '0']);
    assert.equal(readManifest(dir).corpusPrecached, false);
    // What home and search need offline is always precached: the bundle manifest and the
    // index entry files it names (content-hashed, so read from it, never guessed).
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'corpus/manifest.json'), 'utf8')).index;
    const core = readManifest(dir).files.filter((f) => f.group === 'corpus-core').map((f) => f.url).sort();
    // (The word dictionary is a folder of shards, fetched as prefixes and typos need them.)
    assert.deepEqual(core, ['manifest.json', index.meta, index.dict].map((f) => `corpus/${f}`).sort());
    // Issue 13: the worker's script, fetched by every first visit, does not list the rest
    // (it grew with the corpus: 5.1 MB gzip at 100,000 transcripts); their list is a file
    // of its own, fetched by the worker only to save them all or keep them across a deploy.
    const sw = fs.readFileSync(path.join(dir, 'sw.js'), 'utf8');
    assert.ok(!/"group":"corpus"/.test(sw), 'sw.js lists corpus files');
    const list = sw.match(/"list":"(sw-corpus-[0-9a-f]{16}\.json)"/)?.[1];
    assert.ok(list && fs.existsSync(path.join(dir, list)), `no corpus list named in sw.js: ${list}`);
    env = await start({ dir });
  });
  after(async () => { await env?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('offline: a transcript read before opens; one never opened shows a plain "not available offline" message', async () => {
    const page = await env.page();
    page.on('console', (m) => { if (m.type() === 'error') failed.push({ text: m.text(), url: m.location().url }); });
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    await docLink(page, /energy cooperation/).click();
    await page.locator('article.transcript').waitFor();
    await page.locator('.sw-save-button').waitFor();

    await setOffline(env, true);
    try {
      await page.goto(env.url);
      await homeList(page);
      await docLink(page, /energy cooperation/).click();
      await page.locator('article.transcript').waitFor();
      await page.goBack();
      await homeList(page);
      await docLink(page, /water supply/).click();
      // In place of the transcript, the reader's own error…
      const pack = `corpus/${packOf(dir, 'water-forum-2012')}`;
      assert.notEqual(pack, `corpus/${packOf(dir, 'energy-press-2016')}`, 'the two transcripts must sit in different packs');
      const alert = page.locator('.error-view[role="alert"]');
      await alert.waitFor();
      assert.ok((await alert.innerText()).includes(pack), await alert.innerText());
      assert.match(await alert.innerText(), /not available offline/);
      // …and the worker's plain notice above it.
      const notice = page.locator('.sw-unavailable');
      await notice.waitFor();
      assert.ok((await notice.innerText()).includes(`“${pack}” is not available offline`), await notice.innerText());
      await shot(page, 'offline-unavailable');
    } finally {
      await setOffline(env, false);
    }
    await page.close();
  });

  test('"Make available offline" shows progress, then every transcript opens offline', async () => {
    const page = await env.page();
    page.on('console', (m) => { if (m.type() === 'error') failed.push({ text: m.text(), url: m.location().url }); });
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    // Record every progress report and whether the progress bar was ever drawn.
    await page.evaluate(() => {
      window.__progress = [];
      window.__bar = false;
      navigator.serviceWorker.addEventListener('message', (e) => {
        if (e.data.type === 'CORPUS_PROGRESS') window.__progress.push(e.data);
      });
      new MutationObserver(() => {
        if (document.querySelector('.sw-progress progress')) window.__bar = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const corpus = readManifest(dir).files.filter((f) => f.group === 'corpus');
    await page.locator('.sw-save-button').click();
    await page.locator('.sw-saved').waitFor();
    const progress = await page.evaluate(() => window.__progress);
    assert.ok(await page.evaluate(() => window.__bar), 'the progress bar was never shown');
    const last = progress.at(-1);
    assert.equal(last.total, corpus.length);
    assert.equal(last.done, corpus.length);
    assert.equal(last.bytesTotal, corpus.reduce((n, f) => n + f.bytes, 0));
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].done >= progress[i - 1].done);

    await setOffline(env, true);
    try {
      for (const title of [/water supply/, /digital security/, /CSTO/]) {
        await page.goto(env.url);
        await homeList(page);
        await docLink(page, title).click();
        await page.locator('article.transcript').waitFor();
      }
    } finally {
      await setOffline(env, false);
    }
    await page.close();
  });

  test('the only console errors are the failed loads of the file that was not available offline', () => {
    // The search worker reads the packs (the page shows its error above): a failed load is
    // logged in the worker's console, if anywhere; the page's may have none.
    const pack = `/corpus/${packOf(dir, 'water-forum-2012')}`;
    const expected = (e) => /Failed to load resource/.test(e.text) && e.url.endsWith(pack);
    assert.ok(failed.every(expected), JSON.stringify(failed, null, 1));
    assert.equal(env.consoleErrors.length, failed.length, JSON.stringify(env.consoleErrors, null, 1));
  });
});

describe('3. a new deployment into the same folder: update notice, then only new files', () => {
  let env;
  let dir;
  before(async () => {
    dir = copySite();
    env = await start({ dir });
  });
  after(async () => { await env?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('the reader is told, and after Reload every asset is from the new build and none from the old', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    const oldBuild = await page.locator('.offline-status').getAttribute('data-build');
    const old = readManifest(dir);

    // A real rebuild into the folder being served: Trunk, wasm-opt and the precache step,
    // with a build id compiled into the wasm so that the wasm itself changes.
    const newBuild = `e2e-update-${oldBuild === 'e2e-update-a' ? 'b' : 'a'}`;
    xtask(['dist', '--corpus', CORPUS, '--public-url', BASE_PATH, '--out', dir, '--pack-bytes', PACK_BYTES], { STENOGRAM_BUILD_ID: newBuild });
    const next = readManifest(dir);
    assert.notEqual(next.version, old.version);
    assert.equal(next.build, newBuild);
    // The app's main wasm (content-hashed), not the search worker's (hashed too, by the
    // xtask) nor one of the page's parts loaded on first use.
    const wasmOf = (m) => m.files.find((f) => f.url.startsWith('stenogram-web') && f.url.endsWith('_bg.wasm')).url;
    assert.notEqual(wasmOf(next), wasmOf(old), 'the rebuilt wasm should have a new hashed name');

    // The reload is still the old version (served whole from its cache), and it learns
    // of the new one.
    await page.reload();
    await homeList(page);
    assert.equal(await page.locator('.offline-status').getAttribute('data-build'), oldBuild);
    const notice = page.locator('.sw-update');
    await notice.waitFor({ timeout: 120_000 });
    assert.match(await notice.innerText(), /A new version of Stenogram is ready/);
    await shot(page, 'offline-update-ready');

    await notice.getByRole('button', { name: 'Reload' }).click();
    await page.locator(`.offline-status[data-build="${newBuild}"]`).waitFor({ state: 'attached', timeout: 60_000 });
    await homeList(page);

    // Only the new version's cache is left, holding exactly the new files, byte for byte.
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const out = {};
      for (const name of names) {
        const cache = await caches.open(name);
        out[name] = {};
        for (const req of await cache.keys()) {
          const buf = await (await cache.match(req)).arrayBuffer();
          const digest = await crypto.subtle.digest('SHA-256', buf);
          out[name][new URL(req.url).pathname] = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
        }
      }
      return out;
    });
    const cacheName = `stenogram:${BASE_PATH}:${next.version}`;
    assert.deepEqual(Object.keys(cached), [cacheName]);
    const want = Object.fromEntries(next.files.map((f) => [`${BASE_PATH}${f.url}`, f.sha256]));
    assert.deepEqual(cached[cacheName], want);

    // Everything the page loaded is a file of the new build; nothing only the old had.
    const newUrls = new Set(next.files.map((f) => f.url));
    const oldOnly = new Set(old.files.filter((f) => !newUrls.has(f.url) || f.sha256 !== next.files.find((n) => n.url === f.url).sha256).map((f) => f.url));
    assert.ok(oldOnly.has(wasmOf(old)) && oldOnly.has('index.html'));
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    const rel = loaded.map((u) => new URL(u)).filter((u) => u.pathname.startsWith('/stenogram/')).map((u) => decodeURIComponent(u.pathname.slice('/stenogram/'.length)));
    assert.ok(rel.includes(wasmOf(next)), `the new wasm was not loaded: ${rel}`);
    for (const r of rel) {
      assert.ok(!oldOnly.has(r), `${r} is from the old build`);
      assert.ok(newUrls.has(r) || r === 'sw.js', `${r} is not a file of the new build`);
    }
    // The document itself: what the worker serves as index.html is the new one.
    const indexHash = await page.evaluate(async () => {
      const buf = await (await fetch('index.html')).arrayBuffer();
      const d = await crypto.subtle.digest('SHA-256', buf);
      return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
    });
    assert.equal(indexHash, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'index.html'))).digest('hex'));
    await page.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});

// The Pages workflow and the files it needs.
test('the Pages site has 404.html (the app) and .nojekyll, and the workflow deploys with the official actions', () => {
  assert.equal(fs.readFileSync(path.join(SITE_DIR, '404.html'), 'utf8'), fs.readFileSync(path.join(SITE_DIR, 'index.html'), 'utf8'));
  assert.ok(fs.existsSync(path.join(SITE_DIR, '.nojekyll')));
  const wf = fs.readFileSync(path.join(ROOT, '.github/workflows/pages.yml'), 'utf8');
  assert.match(wf, /actions\/upload-pages-artifact@/);
  assert.match(wf, /actions\/deploy-pages@/);
  assert.match(wf, /cargo xtask dist .*--public-url/);
});

// Regression (issue 12.2): `hadController` was captured at load, so in a tab opened on a
// first visit, Reload sent SKIP_WAITING and never reloaded; this test timed out waiting
// for the new document. It never calls page.reload().
describe('5. an update seen in the tab of a first visit: Reload reloads it', () => {
  let env;
  let dir;
  before(async () => { dir = copySite(); env = await start({ dir }); });
  after(async () => { await env?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('Reload brings the new build into the same tab', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    await page.evaluate(() => { window.__firstDocument = true; });
    const next = deploy(dir);
    await checkForUpdate(page);
    const notice = page.locator('.sw-update');
    await notice.waitFor({ timeout: 60_000 });
    await notice.getByRole('button', { name: 'Reload' }).click();
    await until(async () => !(await page.evaluate(() => window.__firstDocument)) && (await siteOf(page)) === next.site, 'the reload onto the new build');
    await homeList(page);
    await page.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});

// Regression (issue 12.2): a page of build A, installed under worker B, stayed on A with no
// notice (its later requests for A's files then failed); this test timed out on A.
describe('6. a deploy between the first load and the install: the page moves to the worker build', () => {
  let env;
  let a;
  let b;
  before(async () => {
    a = copySite();
    b = copySite();
    deploy(b);
    env = await start({ dir: a });
  });
  after(async () => {
    await env?.close();
    for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
  });

  test('the page reloads onto build B once B controls it', async () => {
    const siteA = readManifest(a).site;
    const siteB = readManifest(b).site;
    assert.notEqual(siteA, siteB);
    // The worker script is fetched only after the deploy has happened.
    const release = env.server.hold((p) => p.endsWith('/sw.js'));
    const page = await env.page();
    await page.goto(env.url);
    await homeList(page);
    assert.equal(await siteOf(page), siteA);
    env.server.setDir(b);
    release();
    await until(async () => (await siteOf(page)) === siteB, 'the page to run build B');
    await swControlled(page);
    await homeList(page);
    await page.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});

// Regression (issue 12.2): install copied only precached files and activation deleted the
// old cache, so every deploy lost what "Make available offline" saved; `.sw-saved` never
// came back here, and the offline visits failed.
describe('7. files saved for offline use survive a deploy, copied without the network', () => {
  let env;
  let dir;
  before(async () => {
    dir = copySite();
    xtask(['precache', dir, '--corpus-limit', '0']);
    env = await start({ dir });
  });
  after(async () => { await env?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('after the update the whole corpus is still saved, and opens offline', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    await page.locator('.sw-save-button').click();
    await page.locator('.sw-saved').waitFor({ timeout: 60_000 });
    // The reader is shown what the site stores (navigator.storage.estimate()).
    await page.locator('.sw-storage').waitFor();
    assert.match(await page.locator('.sw-storage').innerText(), /^This site uses .+ of the .+ your browser allows it\./);

    const next = deploy(dir, ['--corpus-limit', '0']);
    const from = env.server.requests.length;
    await checkForUpdate(page);
    await page.locator('.sw-update').waitFor({ timeout: 60_000 });
    await page.locator('.sw-update').getByRole('button', { name: 'Reload' }).click();
    await until(async () => (await siteOf(page)) === next.site, 'the new build');
    await page.locator('.sw-saved').waitFor({ timeout: 30_000 });
    const corpusFetched = env.server.requests.slice(from).filter((p) => p.includes('/corpus/'));
    assert.deepEqual(corpusFetched, [], 'unchanged corpus files were fetched again');

    await setOffline(env, true);
    try {
      for (const title of [/water supply/, /digital security/, /CSTO/]) {
        await page.goto(env.url);
        await homeList(page);
        await docLink(page, title).click();
        await page.locator('article.transcript').waitFor();
      }
    } finally {
      await setOffline(env, false);
    }
    await page.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});

// Regression (issue 12.2): a failed cache.put rejected the worker's answer, so with full
// storage a transcript that had arrived intact failed to open, with no word why.
describe('8. full storage: files still open, and the reader is told', () => {
  let env;
  let dir;
  before(async () => {
    dir = copySite();
    xtask(['precache', dir, '--corpus-limit', '0']);
    env = await start({ dir });
  });
  after(async () => { await env?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('a transcript opens when it cannot be stored, and "Make available offline" says storage is full', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await homeList(page);
    await swControlled(page);
    const cdp = await env.context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(env.url).origin, quotaSize: 1 });
    try {
      await docLink(page, /water supply/).click();
      await page.locator('article.transcript .turn .para').first().waitFor();
      await page.locator('.sw-full').waitFor();
      await page.goto(env.url);
      await homeList(page);
      await page.locator('.sw-save-button').click();
      await page.locator('.sw-error').filter({ hasText: /no more room/ }).waitFor({ timeout: 60_000 });
      await shot(page, 'offline-storage-full');
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(env.url).origin });
    }
    await page.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});

// Regression (issue 12.2): every Stenogram site on an origin named its caches
// `stenogram-<version>` and deleted all others on activation, so a second site under the
// same owner.github.io deleted the first one's; this test found one cache, not two.
describe('9. two sites on one origin keep their own caches', () => {
  let env;
  let second;
  before(async () => {
    second = copySite();
    // The same site as if built with --public-url /second/; the xtask re-stamps its CSP.
    const html = fs.readFileSync(path.join(second, 'index.html'), 'utf8').replaceAll(BASE_PATH, '/second/');
    fs.writeFileSync(path.join(second, 'index.html'), html);
    xtask(['precache', second]);
    env = await start({ also: [{ dir: second, base: '/second/' }] });
  });
  after(async () => { await env?.close(); fs.rmSync(second, { recursive: true, force: true }); });

  test('installing the second site leaves the first one working offline', async () => {
    const first = await env.page();
    await first.goto(env.url);
    await homeList(first);
    await swControlled(first);
    const other = await env.page();
    await other.goto(new URL('/second/', env.url).href);
    await homeList(other);
    await swControlled(other);
    const names = await first.evaluate(() => caches.keys());
    assert.ok(names.some((n) => n.startsWith(`stenogram:${BASE_PATH}:`)), names.join(', '));
    assert.ok(names.some((n) => n.startsWith('stenogram:/second/:')), names.join(', '));
    await setOffline(env, true);
    try {
      await first.reload();
      await homeList(first);
      await other.reload();
      await homeList(other);
    } finally {
      await setOffline(env, false);
    }
    await first.close();
    await other.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});
