// Issue 14: the research workbench's views as tabs of a search (Concordance, Trends,
// Collocates, Distinctive words) and the reading view's dispersion strip: each opened
// from a search, sorted, paged, exported, clicked through, restored from its URL; the
// phone layout (the open view first, the filters behind a button); offline.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start, shot, swControlled, setOffline, axe } from '../lib.mjs';

/** Clicks `what` and returns the download it starts: its file name and text. */
async function download(page, what) {
  const [dl] = await Promise.all([page.waitForEvent('download'), what.click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** The first word of a context, as the concordance sorts it (folded, empty at an edge). */
const firstWord = (s) => (s.toLowerCase().match(/[\p{L}\p{N}]+/u) || [''])[0];

async function total(page) {
  const text = await page.locator('.bench-total').innerText();
  return Number(text.match(/^(\d+) occurrence/)[1]);
}

describe('the workbench views', () => {
  let env;
  before(async () => { env = await start({ serviceWorkers: 'block' }); });
  after(async () => { await env?.close(); });

  test('concordance: from a search, sorted, paged, exported, restored, clicked through to its paragraph', async () => {
    const page = await env.page();
    await page.goto(`${env.url}?q=water`);
    await page.locator('ol.results li.hit').first().waitFor();
    await page.getByRole('link', { name: 'Concordance' }).click();
    await page.waitForURL(/view=kwic/);
    await page.locator('table.kwic tbody tr').first().waitFor();
    const n = await total(page);
    assert.ok(n > 50, `water occurs ${n} times`);
    // A page holds 20 lines by default.
    await page.waitForFunction(() => document.querySelectorAll('table.kwic tbody tr').length >= 20);
    assert.equal(await page.locator('table.kwic tbody tr').count(), 20);
    // Fifty per page: the URL keeps it. Rows render 20 per animation frame: wait for
    // the whole page of lines.
    await page.selectOption('#kwic-per', '50');
    await page.waitForURL(/per=50/);
    await page.waitForFunction(() => document.querySelectorAll('table.kwic tbody tr').length >= 50);
    assert.equal(await page.locator('table.kwic tbody tr').count(), 50);
    for (const m of await page.locator('.kwic-match mark').allInnerTexts()) assert.match(m, /^water/i);

    await page.selectOption('#kwic-sort', 'right1');
    await page.waitForURL(/order=right1/);
    await page.waitForFunction(() => document.querySelector('table.kwic tbody tr'));
    // The page updates when the worker answers; wait for a sorted one.
    await page.waitForFunction(() => {
      const w = [...document.querySelectorAll('td.kwic-right')].map((td) => (td.innerText.toLowerCase().match(/[\p{L}\p{N}]+/u) || [''])[0]);
      return w.length === 50 && w.every((x, i) => i === 0 || w[i - 1] <= x);
    }, null, { timeout: 10_000 });
    const right = (await page.locator('td.kwic-right').allInnerTexts()).map(firstWord);
    assert.deepEqual(right, [...right].sort());

    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/page=2/);
    await page.locator('nav.paging', { hasText: 'Page 2 of' }).waitFor();
    assert.equal(await total(page), n, 'the total does not change with the page');

    const csv = await download(page, page.getByRole('button', { name: 'Export CSV' }));
    assert.match(csv.name, /^stenogram-concordance-water\.csv$/);
    const rows = csv.text.trim().split('\r\n');
    assert.match(rows[0], /^id,paragraph,speaker,date,left,match,right/);
    assert.equal(rows.length, 51);

    const url = page.url();
    await page.reload();
    await page.locator('nav.paging', { hasText: 'Page 2 of' }).waitFor();
    assert.equal(page.url(), url);
    assert.equal(await page.locator('#kwic-sort').inputValue(), 'right1');
    assert.equal(await page.locator('#kwic-per').inputValue(), '50');
    assert.equal(await page.locator('.bench-tab[aria-current="page"]').innerText(), 'Concordance');
    await shot(page, 'workbench-kwic');
    await axe(page, 'concordance');

    const link = page.locator('.kwic-match a').first();
    const href = await link.getAttribute('href');
    const para = href.match(/#(p-\d+)$/)[1];
    await link.click();
    await page.locator(`#${para}.is-target`).waitFor();
    assert.match(page.url(), /\/t\/[^?]+\?q=water#p-\d+$/);
    assert.ok(await page.locator(`#${para} mark`).count() > 0, 'the paragraph opens highlighted');
    await page.close();
  });

  test('dispersion: the reading view shows where the hits are, and a mark jumps to its paragraph', async () => {
    const page = await env.page();
    await page.goto(`${env.url}t/water-forum-2012?q=water`);
    await page.locator('.dispersion-mark').first().waitFor();
    // Regression: the view names the paragraph it opens at in the URL, which kept the
    // transcript's path (a bare "#p-0" resolved against <base href> and the address bar
    // said home, where the strip's links then led).
    await page.waitForURL(/\/t\/water-forum-2012\?q=water#p-\d+$/);
    const ticks = await page.locator('.dispersion-tick').count();
    const marks = page.locator('.dispersion-mark');
    const count = await marks.count();
    assert.ok(count >= 2 && count <= 12 && ticks >= count, `${count} stretches, ${ticks} ticks`);
    // A pointer goes to the tick nearest to where it lands, within the clicked stretch.
    const last = marks.nth(count - 1);
    const [first, lastP] = [Number(await last.getAttribute('data-first')), Number(await last.getAttribute('data-last'))];
    await last.click();
    await page.waitForURL(/#p-\d+$/);
    const para = Number(page.url().match(/#p-(\d+)$/)[1]);
    assert.ok(para >= first && para <= lastP, `paragraph ${para} in ${first}..${lastP}`);
    await page.locator(`#p-${para}.is-target`).waitFor();
    assert.ok(await page.locator(`#p-${para} mark`).count() > 0);
    // A keyboard goes to the stretch's first paragraph with hits.
    await marks.first().focus();
    const firstHref = await marks.first().getAttribute('href');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.href.endsWith(firstHref.match(/#p-\d+$/)[0]));
    await page.locator(`${firstHref.match(/#p-\d+$/)[0]}.is-target`).waitFor();
    await shot(page, 'workbench-dispersion');
    await axe(page, 'dispersion');
    // Target size (WCAG 2.5.8, as Lighthouse runs it): one 4 px link per paragraph failed it.
    const sizes = await page.evaluate(async () => (await window.axe.run(document, { runOnly: ['target-size'], resultTypes: ['violations'] })).violations);
    assert.deepEqual(sizes.map((v) => v.nodes.map((n) => n.target.join(' '))), []);
    await page.close();
  });

  test('trends: chart and table, several queries, split by speaker, exports, a year opens its results', async () => {
    const page = await env.page();
    await page.goto(`${env.url}?q=harvest`);
    await page.locator('ol.results li.hit').first().waitFor();
    await page.getByRole('link', { name: 'Trends' }).click();
    await page.waitForURL(/view=trend/);
    const chart = page.locator('svg#trend-chart[role="img"]');
    await chart.waitFor();
    assert.match(await page.locator('#trend-chart-title').textContent(), /harvest/);
    const years = await page.locator('.trend-table tbody th').allInnerTexts();
    assert.ok(years.length >= 30 && years[0] === '1994', years.join());

    await page.locator('#vs-0').fill('grain');
    await page.locator('#vs-0').dispatchEvent('change');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/vs=grain/);
    await page.locator('.chart-legend li', { hasText: 'grain' }).waitFor();
    await page.getByLabel('Split by top speakers').check();
    await page.waitForURL(/split=speakers/);
    await page.locator('.chart-legend li', { hasText: 'Olga Fedorova' }).waitFor();
    assert.ok(await page.locator('.chart-legend li').count() >= 3, 'two queries and at least one speaker');

    const csv = await download(page, page.getByRole('button', { name: 'Export CSV' }));
    assert.match(csv.name, /\.csv$/);
    assert.match(csv.text, /harvest/);
    assert.match(csv.text, /grain/);
    const svg = await download(page, page.getByRole('button', { name: 'Export SVG' }));
    assert.match(svg.name, /\.svg$/);
    assert.match(svg.text, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg.text, /<polyline/);

    const url = page.url();
    await page.goto(url);
    await page.locator('.chart-legend li', { hasText: 'Olga Fedorova' }).waitFor();
    assert.equal(await page.locator('#vs-0').inputValue(), 'grain');
    await shot(page, 'workbench-trend');
    await axe(page, 'trend');

    await page.locator('.trend-table tbody th a', { hasText: '2000' }).click();
    await page.waitForURL(/from=2000&to=2000/);
    assert.doesNotMatch(page.url(), /view=/);
    await page.waitForFunction(() => document.querySelector('#results-heading')?.innerText === '1 transcript found');
    await page.close();
  });

  test('collocates: table, minimum frequency, stop words hidden, export, a collocate opens the pair', async () => {
    const page = await env.page();
    await page.goto(`${env.url}?q=water`);
    await page.locator('ol.results li.hit').first().waitFor();
    await page.getByRole('link', { name: 'Collocates' }).click();
    await page.waitForURL(/view=colloc/);
    await page.locator('table.colloc-table tbody tr').first().waitFor();
    await page.locator('#min-freq').fill('20');
    await page.locator('#min-freq').dispatchEvent('change');
    await page.waitForURL(/min=20/);
    await page.waitForFunction(() => [...document.querySelectorAll('table.colloc-table tbody tr td:nth-of-type(3)')]
      .every((td) => Number(td.innerText) >= 20));
    await page.getByLabel('Hide stop words').check();
    await page.waitForURL(/stop=hide/);
    await page.waitForFunction(() => !document.body.innerText.includes('(stop word)'));
    const rows = await page.locator('table.colloc-table tbody tr').count();
    assert.ok(rows > 0);
    const csv = await download(page, page.getByRole('button', { name: 'Export CSV' }));
    assert.match(csv.name, /^stenogram-collocates-water\.csv$/);

    const url = page.url();
    await page.reload();
    await page.locator('table.colloc-table tbody tr').first().waitFor();
    assert.equal(page.url(), url);
    assert.equal(await page.locator('#min-freq').inputValue(), '20');
    await shot(page, 'workbench-colloc');
    await axe(page, 'collocates');

    const first = page.locator('table.colloc-table tbody th a').first();
    const word = await first.innerText();
    await first.click();
    await page.waitForURL(/view=kwic.*near=/);
    await page.locator('table.kwic tbody tr').first().waitFor();
    assert.match(await page.locator('.bench-total').innerText(), /within 5 words/);
    const lines = await page.locator('table.kwic tbody tr').allInnerTexts();
    assert.ok(lines.every((l) => l.toLowerCase().includes(word.toLowerCase().slice(0, 4))), `${word}: ${lines[0]}`);
    await page.close();
  });

  test('collocates: Cancel stops the job, says so and shows no table; running it again finishes', async () => {
    const page = await env.page();
    await page.goto(`${env.url}?q=water`);
    await page.locator('ol.results li.hit').first().waitFor();
    // Collocates read every index shard; the server holds them, so the job is still
    // running (its progress and Cancel shown) when the button is pressed.
    const release = env.server.hold((p) => /\/index\/(post|pos)\//.test(p));
    try {
      await page.getByRole('link', { name: 'Collocates' }).click();
      await page.waitForURL(/view=colloc/);
      const cancel = page.locator('.bench-progress').getByRole('button', { name: 'Cancel' });
      await cancel.waitFor();
      await cancel.click();
      await page.locator('.bench-progress', { hasText: 'Cancelled.' }).waitFor();
      await page.getByRole('button', { name: 'Run again' }).waitFor();
    } finally {
      release();
    }
    // The held shards now arrive, for a job that no longer wants them: still no table.
    await page.waitForTimeout(500);
    assert.equal(await page.locator('table.colloc-table').count(), 0);
    assert.match(await page.locator('.bench-progress').innerText(), /Cancelled\./);
    await shot(page, 'workbench-colloc-cancelled');

    await page.getByRole('button', { name: 'Run again' }).click();
    await page.locator('table.colloc-table tbody tr').first().waitFor({ timeout: 30_000 });
    assert.ok(await page.locator('table.colloc-table tbody tr').count() > 0);
    assert.equal(await page.locator('.bench-progress').count(), 0, 'no status once it finished');
    await page.close();
  });

  test('distinctive words: one speaker against the rest, both directions, export, a word opens its concordance', async () => {
    const page = await env.page();
    await page.goto(`${env.url}?speaker=Olga%20Fedorova`);
    await page.locator('ol.results li.hit').first().waitFor();
    await page.getByRole('link', { name: 'Distinctive words' }).click();
    await page.waitForURL(/view=keyness/);
    await page.locator('#keyness-over').waitFor();
    await page.locator('.keyness table').first().waitFor();
    const over = (await page.locator('.keyness').first().locator('tbody th a').allInnerTexts()).slice(0, 10);
    assert.ok(over.some((w) => /^(harvest|grain|briefing|wheat|tonnes)/.test(w)), over.join());
    const csv = await download(page, page.getByRole('button', { name: 'Export CSV' }));
    assert.match(csv.text, /^direction,|over|under/m);
    await page.reload();
    await page.locator('.keyness table').first().waitFor();
    await shot(page, 'workbench-keyness');
    await axe(page, 'keyness');
    await page.locator('.keyness').first().locator('tbody th a').first().click();
    await page.waitForURL(/view=kwic/);
    assert.match(page.url(), /speaker=Olga%20Fedorova/);
    await page.locator('table.kwic tbody tr').first().waitFor();
    await page.close();
  });

  test('phone: the first hit is on the first screen, the filters open from a button and close again', async () => {
    const page = await env.page();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${env.url}?q=harvest&kind=briefing`);
    const hit = page.locator('ol.results li.hit h3').first();
    await hit.waitFor();
    const box = await hit.boundingBox();
    assert.ok(box && box.y + box.height <= 844, `first hit at ${JSON.stringify(box)}`);
    const toggle = page.locator('button.filters-toggle');
    assert.equal(await toggle.innerText(), 'Filters (1 active)');
    assert.equal(await page.locator('#facets').isVisible(), false);
    await toggle.click();
    await page.locator('#facets').waitFor({ state: 'visible' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await shot(page, 'workbench-phone-filters');
    await toggle.click();
    await page.locator('#facets').waitFor({ state: 'hidden' });
    await shot(page, 'workbench-phone-results');

    await page.goto(`${env.url}?q=water&view=kwic`);
    const line = page.locator('table.kwic tbody tr').first();
    await line.waitFor();
    const lb = await line.boundingBox();
    assert.ok(lb.y + lb.height <= 844, `first line at ${JSON.stringify(lb)}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page is ${width}px wide`);
    await shot(page, 'workbench-phone-kwic');
    await axe(page, 'phone-kwic');
    await page.close();
  });

  test('figures: time to a view answer and the longest main-thread task while it renders', async (t) => {
    const page = await env.page();
    await page.goto(`${env.url}?q=water`);
    await page.locator('ol.results li.hit').first().waitFor();
    const views = [
      ['Concordance', 'table.kwic tbody tr'],
      ['Trends', 'svg#trend-chart'],
      ['Collocates', 'table.colloc-table tbody tr'],
      ['Distinctive words', '.keyness table'],
    ];
    for (const [tab, ready] of views) {
      await page.getByRole('link', { name: 'Results' }).click();
      await page.locator('ol.results li.hit').first().waitFor();
      await page.evaluate(() => {
        window.__long = 0;
        new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long = Math.max(window.__long, e.duration); })
          .observe({ type: 'longtask' });
        window.__t0 = performance.now();
      });
      await page.getByRole('link', { name: tab }).click();
      await page.locator(ready).first().waitFor();
      const [ms, long] = await page.evaluate(() => [performance.now() - window.__t0, window.__long]);
      t.diagnostic(`${tab}: answer shown after ${ms.toFixed(0)} ms; longest main-thread task ${long.toFixed(0)} ms (0: none over 50 ms)`);
    }
    await page.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});

describe('the workbench offline', () => {
  let env;
  before(async () => { env = await start(); });
  after(async () => { await env?.close(); });

  test('concordance, trends and collocates work with the network off after one visit', async () => {
    const page = await env.page();
    await page.goto(env.url);
    await page.locator('ol.results li.hit').first().waitFor();
    await swControlled(page);
    await setOffline(env, true);
    try {
      await page.goto(`${env.url}?q=energy&view=kwic`);
      await page.locator('table.kwic tbody tr').first().waitFor();
      await page.goto(`${env.url}?q=harvest&view=trend`);
      await page.locator('svg#trend-chart').waitFor();
      await page.goto(`${env.url}?q=pipeline&view=colloc&min=1`);
      await page.locator('table.colloc-table tbody tr').first().waitFor();
      await page.goto(`${env.url}?kind=briefing&view=keyness`);
      await page.locator('.keyness table').first().waitFor();
    } finally {
      await setOffline(env, false);
    }
    await page.close();
  });

  test('no console errors on the way', () => {
    assert.deepEqual(env.consoleErrors, []);
  });
});
