// Issue 5: what a journalist or researcher does all day, done the way a user does it:
// typing, clicking, pressing keys, the back button, reloads, deep links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, shot, packOf, SITE_DIR, axe, loadAxe } from '../lib.mjs';

let env;
// The offline suite covers the service worker; here it would hide requests from `page.route`.
before(async () => { env = await start({ serviceWorkers: 'block' }); });
after(async () => { await env?.close(); });

async function results(page) {
  await page.locator('#results-heading').waitFor();
  return page.locator('#results-heading').innerText();
}

/** Asserts the results heading once it reads `want`: the URL follows the box or a filter
 * at once, the results when the search answers, so reading the heading right after the
 * URL changed could see the previous answer (a CI run did: "All transcripts, newest
 * first" after `q=pipeline`). A heading that never gets there fails with what it shows. */
async function expectResults(page, want) {
  await page.waitForFunction((w) => document.querySelector('#results-heading')?.innerText === w, want, { timeout: 10_000 })
    .catch(() => {});
  assert.equal(await results(page), want);
}

test('home: corpus at a glance, browse newest first with paging, / focuses the box', async () => {
  const page = await env.page();
  await page.goto(env.url);
  await page.locator('.overview').waitFor();
  const stats = await page.locator('.corpus-stats').innerText();
  assert.match(stats, /^3\d transcripts, 1994-06-01 to 2023-/);
  assert.match(await page.locator('.top-speakers').innerText(), /Olga Fedorova/);
  await expectResults(page, 'All transcripts, newest first');
  const dates = await page.locator('ol.results li.hit .doc-facts').allInnerTexts();
  assert.equal(dates.length, 20);
  const sorted = [...dates].sort().reverse();
  assert.deepEqual(dates.map((d) => d.slice(0, 10)), sorted.map((d) => d.slice(0, 10)));
  await page.getByRole('button', { name: 'Show more' }).click();
  await page.waitForFunction(() => document.querySelectorAll('ol.results li.hit').length > 20);
  assert.match(page.url(), /pages=2/);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await axe(page, 'home');
  await shot(page, 'reader-home');
  await page.close();
});

test('results as you type: total, snippets with highlights, URL follows the box', async () => {
  const page = await env.page();
  await page.goto(env.url);
  await page.locator('#q').pressSequentially('pipeline', { delay: 40 });
  await page.waitForURL(/q=pipeline/);
  await expectResults(page, '1 transcript found');
  const hit = page.locator('ol.results li.hit').first();
  assert.match(await hit.innerText(), /Press conference on energy cooperation/);
  assert.match(await hit.innerText(), /2016-09-02 · Vladivostok/);
  await hit.locator('mark').first().waitFor();
  assert.equal((await hit.locator('mark').first().innerText()).toLowerCase(), 'pipeline');
  await axe(page, 'results');
  await shot(page, 'reader-results');
  await page.close();
});

test('a query that does not parse shows the parser message next to the box', async () => {
  const page = await env.page();
  await page.goto(`${env.url}?q=${encodeURIComponent('"unclosed phrase')}`);
  const err = page.locator('#q-error');
  await err.waitFor();
  await page.waitForFunction(() => document.getElementById('q-error').innerText.length > 0);
  assert.match(await err.innerText(), /quote|"/i);
  assert.ok((await page.locator('main').innerText()).length > 100, 'page must not be empty');
  await page.close();
});

test('facets: OR within a facet, AND across, chips remove, counts stay right', async () => {
  const page = await env.page();
  await page.goto(`${env.url}?q=harvest`);
  await expectResults(page, '30 transcripts found');
  // Every facet but the year is counted on first use: its panel opens first.
  await page.locator('details[data-facet="place"] summary').click();
  await page.locator('input[data-facet="place"] + label', { hasText: 'Sochi' }).click();
  await page.waitForURL(/place=Sochi/);
  await expectResults(page, '6 transcripts found');
  // Counts of the same facet ignore its own selection: Kazan still shows its 6.
  const kazan = page.locator('input[data-facet="place"] + label', { hasText: 'Kazan' });
  assert.match(await kazan.innerText(), /Kazan\s*6/);
  await kazan.click();
  await page.waitForURL(/place=Kazan/);
  await expectResults(page, '12 transcripts found');
  await page.locator('details[data-facet="kind"] summary').click();
  await page.locator('input[data-facet="kind"] + label', { hasText: 'briefing' }).click();
  await page.waitForURL(/kind=briefing/);
  await expectResults(page, '12 transcripts found');
  assert.equal(await page.locator('ul.chips .chip').count(), 4); // 3 filters + clear all
  await page.getByRole('button', { name: 'Remove filter Place: Sochi' }).click();
  await page.waitForURL((u) => !u.toString().includes('Sochi'));
  await expectResults(page, '6 transcripts found');
  await shot(page, 'reader-facets');
  await page.close();
});

test('year histogram: click a year, shift-click a range, drag, and the same by the year selects', async () => {
  const page = await env.page();
  await page.goto(`${env.url}?q=harvest`);
  const bar = (y) => page.locator(`.histogram .bar[data-year="${y}"]`);
  await bar(2000).click();
  await page.waitForURL(/from=2000&to=2000/);
  await expectResults(page, '1 transcript found');
  await bar(2004).click({ modifiers: ['Shift'] });
  await page.waitForURL(/from=2000&to=2004/);
  await expectResults(page, '5 transcripts found');
  await page.locator('#sort').selectOption('oldest');
  await page.waitForURL(/sort=oldest/);
  // The heading reads the same for both sorts: wait for the re-sorted list itself (the
  // first hits' snippets now come with it, so it lands a little after the URL changes).
  const first = await page.waitForFunction(() => {
    const t = document.querySelector('ol.results li.hit .doc-facts')?.textContent || '';
    return t.startsWith('2000-') && t;
  }, null, { timeout: 10_000 }).then((h) => h.jsonValue()).catch(() => page.locator('ol.results li.hit .doc-facts').first().innerText());
  assert.match(first, /^2000-/);
  // Brushing: press on one bar, release on another.
  const from = await bar(2010).boundingBox();
  const to = await bar(2012).boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height - 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForURL(/from=2010&to=2012/);
  await expectResults(page, '3 transcripts found');
  // Keyboard and screen readers: the labelled selects (the chart itself is a picture).
  await page.getByLabel('From', { exact: true }).selectOption('2001');
  await page.waitForURL(/from=2001&to=2012/);
  await page.getByLabel('to', { exact: true }).selectOption('2003');
  await page.waitForURL(/from=2001&to=2003/);
  await expectResults(page, '3 transcripts found');
  // Target size (WCAG 2.5.8, axe's rule as Lighthouse runs it): the histogram was a row
  // of 11 px buttons; now the chart is one target beside two selects.
  await loadAxe(page);
  const sizes = await page.evaluate(async () => (await window.axe.run(document, { runOnly: ['target-size'], resultTypes: ['violations'] })).violations);
  assert.deepEqual(sizes.map((v) => v.nodes.map((n) => n.target.join(' '))), []);
  await page.close();
});

test('reading view from a search: highlights, opens at best paragraph, n/N, find, back', async () => {
  const page = await env.page();
  await page.goto(`${env.url}?q=pipeline`);
  // Every in-app URL keeps the site's prefix with its slash (`/stenogram/?q=`), which the
  // service worker's scope and static hosts require.
  await page.locator('#q').fill('pipelines');
  await page.waitForURL(/\/stenogram\/\?q=pipelines$/);
  await page.locator('#q').fill('pipeline');
  await page.waitForURL(/\/stenogram\/\?q=pipeline$/);
  await page.locator('ol.results li.hit h3 a').first().click();
  await page.locator('article.transcript').waitFor();
  assert.match(page.url(), /\/t\/energy-press-2016\?q=pipeline#p-\d+/);
  await page.locator('.para.is-target').waitFor();
  assert.ok(await page.locator('article mark').count() >= 3);
  assert.match(await page.locator('.hit-counter').innerText(), /3 matches/);
  await page.keyboard.press('n');
  assert.equal(await page.locator('.hit-counter').innerText(), '1 of 3');
  await page.keyboard.press('n');
  await page.keyboard.press('N');
  assert.equal(await page.locator('.hit-counter').innerText(), '1 of 3');
  assert.equal(await page.locator('mark.current-hit').count(), 1);
  // Speaker and role shown once per turn; the name links to a filtered search.
  const speaker = page.locator('.turn .speaker').first();
  assert.match(await speaker.innerText(), /Ivan Sorokin\s*Minister of Energy/);
  // Find within the transcript.
  await page.locator('#find').fill('gas');
  await page.waitForFunction(() => /match/.test(document.querySelector('.hit-counter').innerText));
  assert.match(await page.locator('.hit-counter').innerText(), /^[2-9] matches/);
  await axe(page, 'reader');
  await shot(page, 'reader-transcript');
  // Back to the results, with the query intact; forward again.
  await page.goBack();
  await page.waitForURL(/\?q=pipeline$/);
  assert.equal(await page.locator('#q').inputValue(), 'pipeline');
  await expectResults(page, '1 transcript found');
  await page.goForward();
  await page.locator('article.transcript').waitFor();
  await page.reload();
  await page.locator('article mark').first().waitFor();
  assert.match(page.url(), /energy-press-2016\?q=pipeline#p-/);
  await page.close();
});

test('speaker link, contents, copy link and cite, provenance', async () => {
  const page = await env.page();
  await env.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`${env.url}t/water-forum-2012`);
  await page.locator('article.transcript').waitFor();
  assert.equal(await page.locator('nav.contents li').count(), 2);
  const para = page.locator('#p-2');
  await para.hover();
  await para.getByRole('button', { name: /Copy link/ }).click();
  await page.waitForFunction(() => /copied/.test(document.querySelector('.copy-status').innerText));
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /\/stenogram\/t\/water-forum-2012#p-2$/);
  // "cite" opens the citation dialog (issue 15); its quote entry carries the short citation.
  await para.getByRole('button', { name: /Cite paragraph/ }).click();
  await page.locator('.cite-dialog [data-style="quote"] button').click();
  await page.waitForFunction(() => /Quote copied/.test(document.querySelector('.copy-status').innerText));
  const cite = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(cite, /^— Anna Petrova \(Minister of Natural Resources\), “Meeting with regional governors on water supply”, 14 March 2012, Kazan, paragraph 3\. .*#p-2$/m);
  await page.goto(`${env.url}t/cstu-council-2015`);
  const details = page.locator('details.provenance');
  await details.waitFor();
  assert.ok(!(await page.getByText('The Essential Saker IV', { exact: false }).isVisible()));
  await details.locator('summary').click();
  assert.ok(await page.getByText('The Essential Saker IV', { exact: false }).isVisible());
  await page.locator('.speaker-name').first().click();
  await page.waitForURL(/\?speaker=Vladimir%20Putin/);
  await expectResults(page, '1 transcript found');
  await page.close();
});

test('deep link with filters restores the view from a cold start', async () => {
  const page = await env.page();
  await page.goto(`${env.url}?q=harvest&place=Sochi&sort=newest&from=1995&to=2010`);
  await expectResults(page, '4 transcripts found');
  assert.ok(await page.locator('input[data-facet="place"]:checked').count() === 1);
  assert.equal(await page.locator('#sort').inputValue(), 'newest');
  await page.close();
});

test('markup in transcript text renders as inert text', async () => {
  const page = await env.page();
  await page.goto(`${env.url}t/markup-2019`);
  await page.locator('article.transcript').waitFor();
  // The reading view reveals its paragraphs a slice a frame after the article shows:
  // wait for both with markup (read at once, the text flaked in CI).
  await page.waitForFunction(() => ['<img src=x onerror=alert(1)>', "<script>alert('xss')</script>"]
    .every((m) => document.querySelector('article')?.innerText.includes(m)));
  assert.equal(await page.locator('article script, article img, article b').count(), 0);
  const text = await page.locator('article').innerText();
  assert.ok(text.includes("<script>alert('xss')</script>"));
  assert.ok(text.includes('<img src=x onerror=alert(1)>'));
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.close();
});

test('a transcript that fails to load shows an error with retry; the app keeps working', async () => {
  const page = await env.page();
  let block = true;
  const pack = packOf(SITE_DIR, 'water-forum-2012');
  await page.route(`**/corpus/${pack}`, (route) => (block ? route.abort() : route.continue()));
  await page.goto(`${env.url}t/water-forum-2012`);
  const alert = page.locator('.error-view[role="alert"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /could not be loaded/);
  block = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.locator('article.transcript').waitFor();
  await page.locator('.brand').click();
  await page.locator('.overview').waitFor();
  // The aborted request is a console error by design; it is this test's, not a bug.
  env.consoleErrors.splice(0, env.consoleErrors.length, ...env.consoleErrors.filter((e) => !e.includes(pack) && !/ERR_FAILED/.test(e)));
  await page.close();
});

test('comfort: dark mode, text size, print stylesheet, a 360 px phone', async () => {
  const page = await env.page();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${env.url}t/energy-press-2016`);
  await page.locator('article.transcript').waitFor();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(21, 23, 26)');
  await shot(page, 'reader-dark');
  await page.getByRole('button', { name: /colour theme/ }).click(); // auto -> dark (explicit)
  await page.getByRole('button', { name: /colour theme/ }).click(); // dark -> light
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await page.getByRole('button', { name: /larger text/ }).click();
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(after > before, `text size ${before} -> ${after}`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.reader-tools').isVisible(), false);
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${env.url}?q=harvest`);
  await results(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page overflows a 360 px screen by ${overflow}px`);
  await shot(page, 'reader-phone');
  await page.close();
});

test('the longest speech (127k characters) opens and scrolls smoothly; figures printed', async () => {
  const page = await env.page();
  await page.goto(env.url);
  await page.locator('.overview').waitFor();
  const t0 = await page.evaluate(() => performance.now());
  await page.evaluate((to) => { history.pushState({}, '', to); dispatchEvent(new PopStateEvent('popstate')); }, `${new URL(env.url).pathname}t/long-address-1999`);
  await page.locator('article.transcript .turn .para').nth(400).waitFor();
  const rendered = await page.evaluate(() => performance.now());
  const chars = await page.evaluate(() => [...document.querySelectorAll('article.transcript .para-text')].reduce((n, p) => n + p.textContent.length, 0));
  assert.ok(chars >= 127000, `only ${chars} characters of text rendered`);
  // Scroll to the end in steps, timing animation frames.
  const frames = await page.evaluate(async () => {
    const gaps = [];
    let last = performance.now();
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y);
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
    gaps.sort((a, b) => a - b);
    return { n: gaps.length, p95: gaps[Math.floor(gaps.length * 0.95)], max: gaps[gaps.length - 1] };
  });
  console.log(`long transcript: ${chars} characters, time-to-render ${(rendered - t0).toFixed(0)} ms; scrolling ${frames.n} steps, frame gap p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms`);
  await page.close();
});

test('a long transcript is revealed a slice a frame, and a link deep into it still lands', async () => {
  // Regression (issue 13): the 401-paragraph speech was built in one task (700 ms and more
  // on a phone at 4x), every paragraph with its tools. It now comes a slice a frame; a
  // cold deep link to a late paragraph reveals the slices up to it first, and stepping
  // through the matches reveals the rest, so `n` never lands on the wrong mark.
  const page = await env.page();
  // Records in `window.firstParas` how many paragraphs the first render that shows any holds.
  const watchFirstParas = () => {
    window.firstParas = undefined;
    new MutationObserver((_, obs) => {
      // The app's, not those of the transcript's page (#preview) it replaces.
      const n = document.querySelectorAll('#main article.transcript .para').length;
      if (n > 0 && window.firstParas === undefined) { window.firstParas = n; obs.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  };
  await page.addInitScript(watchFirstParas);
  const base = new URL(env.url).pathname;
  await page.goto(`${env.url}t/long-address-1999#p-350`);
  await page.locator('#p-350.is-target').waitFor();
  const first = await page.evaluate(() => window.firstParas);
  assert.ok(first >= 351 && first < 401, `the first render held ${first} paragraphs: it must reach the link's paragraph 350, not the whole speech`);
  await page.waitForFunction(() => document.querySelectorAll('article.transcript .para').length === 401);
  const top = await page.locator('#p-350').evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 400, `paragraph 350 is in view (top ${top})`);
  // From a search: the first frame holds a slice, not the speech.
  await page.goto(`${env.url}?q=water`);
  await page.evaluate(watchFirstParas);
  await page.evaluate((to) => { history.pushState({}, '', to); dispatchEvent(new PopStateEvent('popstate')); }, `${base}t/long-address-1999?q=water`);
  await page.locator('article mark').first().waitFor();
  const sliced = await page.evaluate(() => window.firstParas);
  assert.ok(sliced < 401, `the first render held all ${sliced} paragraphs`);
  await page.keyboard.press('N');
  await page.locator('mark.current-hit').waitFor();
  const counter = await page.locator('.hit-counter').innerText();
  const [, at, of] = counter.match(/^(\d+) of (\d+)/);
  assert.equal(at, of, `N goes to the last match: ${counter}`);
  const marks = await page.locator('article.transcript mark').count();
  assert.equal(marks, Number(of), 'every match is on the page once stepping starts');
  const last = await page.locator('article.transcript mark').last().evaluate((m) => m.classList.contains('current-hit'));
  assert.ok(last, 'the current match is the last mark of the transcript');
  await page.close();
});

test('no console errors on the way', () => {
  assert.deepEqual(env.consoleErrors, []);
});

test('a results URL and a reading URL on a phone move nothing in view as they load (layout shift ≤ 0.05)', async () => {
  // Lighthouse measured CLS 0.46 on a results URL: the footer sat in view below a short
  // page and moved as the results came, and snippets pushed the hits down as they arrived.
  const page = await env.page();
  await page.setViewportSize({ width: 412, height: 823 });
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  for (const [url, ready] of [['?q=water', 'ol.results li.hit .snippet'], ['t/water-forum-2012?q=water', '.dispersion-mark']]) {
    await page.goto(`${env.url}${url}`);
    await page.locator(ready).first().waitFor();
    await page.waitForTimeout(500);
    const shift = await page.evaluate(() => window.__shift);
    assert.ok(shift <= 0.05, `${url}: layout shift ${shift.toFixed(3)}`);
  }
  await page.close();
});

test('a lazily counted facet opened from the keyboard keeps the focus in its panel', async () => {
  // Opening the speaker panel asks the search again and the panel comes back as a list,
  // a new element: the focus had gone to the page's start.
  const page = await env.page();
  await page.goto(`${env.url}?q=water`);
  const summary = page.locator('details[data-facet="speaker"] summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  await page.locator('input[type=checkbox][data-facet="speaker"]').first().waitFor();
  await page.waitForFunction(() => document.activeElement?.matches('input[data-facet="speaker"]'), null, { timeout: 5000 });
  await page.close();
});
