// Issue 13: a reading URL is its transcript's page (`t/<id>.html`, written by
// `stenogram pages`): the text paints from the HTML, before any wasm, and the app then
// takes its place where it stands.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, shot, axe } from '../lib.mjs';

let env;
before(async () => { env = await start({ serviceWorkers: 'block' }); });
after(async () => { await env?.close(); });

test('a reading URL answers 200 with the title, a description and the first paragraphs in its HTML', async () => {
  const res = await fetch(`${env.url}t/energy-press-2016`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<title>Press conference on energy cooperation · Stenogram<\/title>/);
  assert.match(html, /<meta property="og:title" content="Press conference on energy cooperation" data-stenogram-head \/>/);
  // What a reference manager's connector reads as the page loads, before the app runs.
  const head = html.slice(0, html.indexOf('</head>'));
  assert.match(head, /<meta name="citation_title" content="Press conference on energy cooperation" data-stenogram-head \/>/);
  assert.match(head, /<meta name="citation_date" content="\d{4}\/\d{2}\/\d{2}" data-stenogram-head \/>/);
  assert.match(head, /<link rel="canonical" href="t\/energy-press-2016" data-stenogram-head \/>/);
  assert.match(html, /<meta name="description" content="The ministers answered questions from journalists/);
  assert.match(html, /<p class="para lead" id="p-\d+">We have agreed on three new projects in liquefied natural gas\.<\/p>/);
  // The app's own shell: its scripts and the CSP that admits them.
  assert.match(html, /Content-Security-Policy/);
  assert.match(html, /<script type="module">/);
});

test('markup in a transcript is text on its page too', async () => {
  const html = await (await fetch(`${env.url}t/markup-2019`)).text();
  const body = html.slice(html.indexOf('<div id="preview"'));
  assert.ok(!/<script|<img/i.test(body), 'markup from the transcript became elements');
  assert.match(body, /&lt;script&gt;alert\('title'\)&lt;\/script&gt;/);
  assert.match(html, /<title>Round table on digital security &lt;script&gt;/);
});

/** Where the reading view's landmarks sit, inside `root` (a selector). */
const boxes = (page, root) => page.evaluate((root) => {
  const r = document.querySelector(root);
  const box = (sel) => {
    const el = r.querySelector(sel);
    if (!el) return null;
    const b = el.getBoundingClientRect();
    return [b.x, b.y, b.width, b.height].map(Math.round);
  };
  const text = (sel) => r.querySelector(sel)?.innerText;
  return {
    header: box('.site-header'), brand: box('.brand'), prefs: box('.prefs'),
    h1: box('h1'), facts: box('.doc-facts'), tags: box('.tags'), find: box('.reader-tools'),
    outline: box('.qa-outline'), summary: box('.summary .para'), speaker: box('.speaker'), para: box('.turn .para'),
    // Every paragraph's box: the page keeps the tools' room in the line, so lines break
    // where the app's do.
    paras: [...r.querySelectorAll('.para')].map((p) => { const b = p.getBoundingClientRect(); return [b.x, b.y, b.width, b.height].map(Math.round); }),
    // The wording too: the page spells the app's header and reading view a second time.
    headerText: text('.site-header'), headText: text('.transcript-head'), findText: text('.reader-tools'),
    outlineText: text('.qa-outline'), speakerText: text('.speaker'),
  };
}, root);

for (const [name, viewport] of [['laptop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`on a ${name}, the page shows the text before any wasm and the app takes over in place`, async () => {
    const release = env.server.hold((p) => p.endsWith('.wasm'));
    const page = await env.page();
    try {
      await page.setViewportSize(viewport);
      await countShifts(page);
      await page.goto(`${env.url}t/energy-press-2016`, { waitUntil: 'commit' });
      await page.locator('#preview h1').waitFor();
      await page.waitForFunction(() => document.fonts.status === 'loaded');
      const before = await boxes(page, '#preview');
      assert.ok(before.para && before.outline && before.summary, JSON.stringify(before));
      assert.equal(await page.locator('#main').count(), 0, 'the app started while its wasm was held');
      await shot(page, `preview-${name}-before-app`);
      await axe(page, `the page of a transcript on a ${name}`);
      release();
      await page.waitForFunction(() => !document.getElementById('preview') && document.querySelector('article.transcript .turn .para'));
      const after = await boxes(page, 'body');
      assert.deepEqual(after, before, 'the app shows the transcript where the page had it');
      assert.ok(await page.evaluate(() => self.__shift) < 0.001, await shifts(page));
      assert.equal(await page.title(), 'Press conference on energy cooperation · Stenogram');
      // The reading view's citation tags replace the page's: one set, now with the
      // transcript's absolute address.
      await page.waitForFunction(() => document.querySelector('meta[name="citation_public_url"]'));
      assert.equal(await page.locator('meta[name="citation_title"]').count(), 1);
      assert.equal(await page.locator('meta[name="citation_public_url"]').getAttribute('content'), `${env.url}t/energy-press-2016`);
      await shot(page, `preview-${name}-app`);
    } finally {
      release();
      await page.close();
    }
  });
}

test('from a search link, the app opens at the best paragraph, unless the reader has scrolled the page by then', async () => {
  const open = async (scrollBy) => {
    const release = env.server.hold((p) => p.endsWith('.wasm'));
    const page = await env.page();
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${env.url}t/energy-press-2016?q=exports`, { waitUntil: 'commit' });
      await page.locator('#preview h1').waitFor();
      if (scrollBy) {
        await page.mouse.move(200, 400);
        await page.mouse.wheel(0, scrollBy);
        await page.waitForFunction((y) => scrollY >= y - 1, scrollBy);
      }
      // The first paragraph on screen, and where it stands.
      const first = () => page.evaluate(() => {
        const p = [...document.querySelectorAll('.para')].find((el) => el.getBoundingClientRect().bottom > 0);
        return { id: p.id, top: p.getBoundingClientRect().top };
      });
      const p0 = await first();
      release();
      await page.locator('#main article.transcript mark').first().waitFor();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
      const p1 = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, p0.id);
      return { p0, p1, y: await page.evaluate(() => scrollY), hash: await page.evaluate(() => location.hash), page };
    } finally {
      release();
    }
  };
  // Untouched: the view moves to the query's best paragraph, as from the results.
  const moved = await open(0);
  assert.match(moved.hash, /^#p-\d+$/);
  assert.ok(moved.y > 200, `the view stayed at the top (${moved.y})`);
  await moved.page.close();
  // Scrolled: the reader is reading; the app highlights, and the text they read stands
  // where it stood (the app's strip of where the words occur comes above it).
  const stayed = await open(150);
  assert.equal(stayed.hash, '');
  assert.ok(Math.abs(stayed.p1 - stayed.p0.top) <= 1, `${stayed.p0.id} moved from ${stayed.p0.top} to ${stayed.p1}`);
  await stayed.page.close();
});

test('a link to an early paragraph lands there at first paint, and the app marks it in place', async () => {
  const release = env.server.hold((p) => p.endsWith('.wasm'));
  const page = await env.page();
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.url}t/energy-press-2016#p-6`, { waitUntil: 'commit' });
    await page.locator('#preview #p-6').waitFor();
    await page.waitForFunction(() => scrollY > 0);
    // In view (at the top, or as near as the page's length lets it come), and marked.
    const before = await page.evaluate(() => {
      const r = document.getElementById('p-6').getBoundingClientRect();
      return { y: scrollY, top: r.top, bottom: r.bottom, target: document.querySelector('#preview .para:target')?.id };
    });
    assert.equal(before.target, 'p-6');
    assert.ok(before.top >= 0 && before.bottom <= 844, `paragraph 6 at ${before.top}–${before.bottom}`);
    release();
    await page.locator('#main #p-6.is-target').waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
    assert.equal(await page.locator('#preview').count(), 0);
    const y = await page.evaluate(() => scrollY);
    assert.ok(Math.abs(y - before.y) <= 1, `the view moved from ${before.y} to ${y}`);
  } finally {
    release();
    await page.close();
  }
});

/** Paragraph `id`'s top in the window, and the scroll offset. */
const at = (page, id) => page.evaluate((id) => ({ top: document.getElementById(id)?.getBoundingClientRect().top, y: scrollY }), id);
/** Counts layout shifts not caused by input, from the page's start. */
const countShifts = (page) => page.addInitScript(() => {
  self.__shift = 0;
  self.__shifts = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      if (e.hadRecentInput) continue;
      self.__shift += e.value;
      // What moved, for the failure's message.
      self.__shifts.push(`${e.value.toFixed(4)} at ${e.startTime.toFixed(0)} ms: ${e.sources.map((s) => `${s.node?.id || s.node?.className || s.node?.nodeName} ${s.previousRect.y}→${s.currentRect.y}`).join(', ')}`);
    }
  }).observe({ type: 'layout-shift', buffered: true });
});
/** The layout shifts so far, as a failure's message. */
const shifts = (page) => page.evaluate(() => `layout shifted: ${(self.__shifts || []).join('; ')}`);
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));

// The page holds the whole text (up to `PAGE_TEXT_CHARS`), not a first screen: a link to
// any paragraph, a search result's to its best one included, lands there before any wasm
// (it waited for the app, 3.5 s of Lighthouse's slow 4G).
test('a link to a paragraph far down lands there at first paint, and it stands there when the app takes over', async () => {
  const release = env.server.hold((p) => p.endsWith('.wasm'));
  const page = await env.page();
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await countShifts(page);
    await page.goto(`${env.url}t/long-address-1999?q=rivers#p-60`, { waitUntil: 'commit' });
    await page.locator('#preview #p-60').waitFor();
    await page.waitForFunction(() => scrollY > 0);
    const before = await at(page, 'p-60');
    assert.ok(before.top >= 0 && before.top < 200, `paragraph 60 at ${before.top}`);
    const heights = () => page.evaluate(() => [...document.querySelectorAll('.para')].slice(55, 70).map((p) => `${p.id} ${Math.round(p.getBoundingClientRect().height)}`));
    const h0 = await heights();
    assert.equal(await page.evaluate(() => document.querySelector('#preview .para:target')?.id), 'p-60');
    await shot(page, 'preview-far-link-before-app');
    release();
    await page.locator('#main #p-60.is-target mark').first().waitFor();
    await frames(page);
    assert.equal(await page.locator('#preview').count(), 0);
    const after = await at(page, 'p-60');
    assert.ok(Math.abs(after.top - before.top) <= 1, `paragraph 60 moved from ${before.top} to ${after.top}`);
    assert.deepEqual(await heights(), h0, 'the paragraphs around it are as high as on the page');
    assert.equal(await page.evaluate(() => location.hash), '#p-60');
    assert.ok(await page.evaluate(() => self.__shift) < 0.001, await shifts(page));
    await shot(page, 'preview-far-link-app');
  } finally {
    release();
    await page.close();
  }
});

// Regression (session 25): Chromium's own jump to a fragment waits for the load event, so
// the page painted first at its top; a paragraph then half on screen was painted whole
// by the app later, a Largest Contentful Paint 3.6 s into Lighthouse's slow 4G.
test('a link to the paragraph at the foot of the first screen paints it first, and the app paints nothing larger', async () => {
  const page = await env.page();
  // Held while the page is measured: on a busy machine the app had taken over by then.
  const release = env.server.hold((p) => p.endsWith('.wasm'));
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    // The paragraph that the first screen cuts at its foot.
    await page.goto(`${env.url}t/long-address-1999`, { waitUntil: 'commit' });
    await page.locator('#preview #p-20').waitFor();
    const cut = await page.evaluate(() => [...document.querySelectorAll('#preview .para')]
      .find((p) => { const r = p.getBoundingClientRect(); return r.top < innerHeight && r.bottom > innerHeight; })?.id);
    assert.ok(cut, 'no paragraph at the foot of the first screen');
    release();
    await page.addInitScript(() => {
      self.__lcp = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) self.__lcp.push({ id: e.element?.id, page: !!e.element?.closest('#preview') }); })
        .observe({ type: 'largest-contentful-paint', buffered: true });
    });
    await page.goto(`${env.url}t/long-address-1999?q=rivers#${cut}`);
    await page.locator(`#main #${cut} mark`).first().waitFor();
    await frames(page);
    const lcp = await page.evaluate(() => self.__lcp);
    // Painted first at the paragraph (none above it was ever the largest), and only by the page.
    const n = (id) => Number(id?.slice(2));
    assert.ok(lcp.length > 0 && lcp.every((e) => e.page && n(e.id) >= n(cut)), `${cut}: ${JSON.stringify(lcp)}`);
  } finally {
    release();
    await page.close();
  }
});

test('a reader who has read far down the page when the app comes keeps their place', async () => {
  const release = env.server.hold((p) => p.endsWith('.wasm'));
  const page = await env.page();
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.url}t/long-address-1999`, { waitUntil: 'commit' });
    await page.locator('#preview #p-80').waitFor();
    await page.mouse.move(200, 400);
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, 1500);
    await page.waitForFunction(() => scrollY > 8000);
    await frames(page);
    // The first paragraph on screen, past what the app reveals at first (a screen).
    const id = await page.evaluate(() => [...document.querySelectorAll('#preview .para')].find((p) => p.getBoundingClientRect().bottom > 0)?.id);
    assert.ok(Number(id?.slice(2)) > 24, `the reader is at ${id}`);
    const before = await at(page, id);
    release();
    await page.locator('#main article.transcript .para').first().waitFor();
    await page.waitForFunction(() => !document.getElementById('preview'));
    await frames(page);
    const after = await at(page, id);
    assert.ok(Math.abs(after.top - before.top) <= 1, `${id} moved from ${before.top} to ${after.top}`);
  } finally {
    release();
    await page.close();
  }
});

test('a transcript longer than its page: a link past the text it holds opens at the top, then the app takes it there', async () => {
  const html = await (await fetch(`${env.url}t/long-address-1999`)).text();
  const last = Math.max(...[...html.matchAll(/<p class="para(?: lead)?" id="p-(\d+)"/g)].map((m) => Number(m[1])));
  assert.ok(last > 60 && last < 300, `the page holds paragraphs to ${last}`);
  const page = await env.page();
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.url}t/long-address-1999#p-350`);
    await page.locator('#main #p-350.is-target').waitFor();
    await frames(page);
    const p = await at(page, 'p-350');
    assert.ok(p.top >= 0 && p.top < 844, `paragraph 350 at ${p.top}`);
  } finally {
    await page.close();
  }
});

test('leaving before the text arrives takes the page away: the app shows where the reader went', async () => {
  // The app starts, but the transcript's file is held: the page stays on screen.
  const release = env.server.hold((p) => p.includes('/corpus/docs/'));
  const page = await env.page();
  try {
    await page.goto(`${env.url}t/energy-press-2016`);
    await page.locator('#main').waitFor({ state: 'attached' });
    await page.evaluate(() => { self.__samePage = true; });
    assert.equal(await page.locator('#preview').count(), 1);
    await page.locator('#preview').getByRole('link', { name: 'Check a quote' }).click();
    await page.locator('.quote-page').waitFor();
    assert.equal(await page.evaluate(() => self.__samePage), true, 'the router did not take the click');
    assert.equal(await page.locator('#preview').count(), 0);
    assert.equal(await page.title(), 'Stenogram');
    // Nor does the page's transcript stay in the head for a reference manager to save.
    assert.equal(await page.locator('[data-stenogram-head]').count(), 0);
  } finally {
    release();
    await page.close();
  }
});

// Regression (session 27): the stored text size and theme were applied by the app alone,
// so a returning reader's page painted at the default size and light, and when the app
// came the whole text reflowed at their size (and the page turned dark).
test('a returning reader\'s text size and theme: the page paints with them, and the app takes over in place', async () => {
  const page = await env.page();
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    // An earlier visit: larger text, dark theme (from Auto: Dark), through the app's own controls.
    await page.goto(env.url);
    await page.locator('.overview').waitFor();
    await page.getByRole('button', { name: /larger text/ }).click();
    await page.getByRole('button', { name: /colour theme/ }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const chosen = await page.evaluate(() => getComputedStyle(document.body).fontSize);
    assert.notEqual(chosen, '17px', 'the larger size is not the default');
    const release = env.server.hold((p) => p.endsWith('.wasm'));
    try {
      await countShifts(page);
      await page.goto(`${env.url}t/energy-press-2016`, { waitUntil: 'commit' });
      await page.locator('#preview h1').waitFor();
      await page.waitForFunction(() => document.fonts.status === 'loaded');
      assert.equal(await page.locator('#main').count(), 0, 'the app started while its wasm was held');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).fontSize), chosen, 'the page paints at the reader\'s size');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(21, 23, 26)', 'the page paints dark');
      const before = await boxes(page, '#preview');
      await shot(page, 'preview-returning-reader-before-app');
      release();
      await page.waitForFunction(() => !document.getElementById('preview') && document.querySelector('article.transcript .turn .para'));
      await frames(page);
      const after = await boxes(page, 'body');
      // The header's theme button says Dark in the app, Auto on the page: its words alone differ.
      assert.deepEqual({ ...after, prefs: null, headerText: null }, { ...before, prefs: null, headerText: null }, 'the app shows the transcript where the page had it');
      assert.ok(await page.evaluate(() => self.__shift) < 0.001, await shifts(page));
      await shot(page, 'preview-returning-reader-app');
    } finally {
      release();
    }
  } finally {
    // The context is shared with the other tests: they start from the defaults.
    await page.evaluate(() => localStorage.clear()).catch(() => {});
    await page.close();
  }
});

test('no console errors on the way', () => {
  assert.deepEqual(env.consoleErrors, []);
});
