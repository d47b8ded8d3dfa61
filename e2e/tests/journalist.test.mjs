// Issue 15, done the way a journalist does it: paste a quote, read the diff, open the
// source at the passage, copy a citation, walk a press conference's questions outline.
// The source is the invented fixture e2e/fixtures/press-briefing-2018.txt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, shot } from '../lib.mjs';

let env;
before(async () => { env = await start({ serviceWorkers: 'block' }); });
after(async () => { await env?.close(); });

async function check(page, quote) {
  await page.goto(`${env.url}quote`);
  await page.locator('#quote-text').fill(quote);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.locator('.quote-match, .no-match, .quote-page .error').first().waitFor({ timeout: 20_000 });
}

test('an altered quote: verdict, coverage, diff, source marked, link opens at the span', async () => {
  const page = await env.page();
  await check(page, 'The regional budget paid a third, the rest came from the harbor company itself');
  assert.match(page.url(), /\/quote\?text=The(%20|\+)regional/);
  const first = page.locator('.quote-match').first();
  assert.equal(await first.getAttribute('data-verdict'), 'altered');
  assert.match(await first.locator('.coverage').innerText(), /coverage \d+ %/);
  assert.ok(await first.locator('.diff .d-substituted, .diff .d-inserted').count() > 0);
  assert.ok(await first.locator('.diff .d-omitted').count() > 0, 'the source word "and" is left out');
  assert.match(await first.locator('.quote-source mark').innerText(), /regional budget paid one third/);
  assert.match(await first.locator('.quote-source-link').innerText(), /Briefing on the harbour reconstruction, paragraph \d+/);
  await shot(page, 'journalist-quote-altered');
  const open = await first.locator('a.quote-open').getAttribute('href');
  assert.match(open, /\/t\/press-briefing-2018\?hl=\d+-\d+#p-\d+(:~:text=.+)?$/);
  const para = open.match(/#(p-\d+)/)[1];
  await page.goto(open);
  await page.locator(`#${para}.is-target`).waitFor();
  assert.match(await page.locator(`#${para}`).innerText(), /The regional budget paid one third/);
  // The matched stretch is marked (`?hl=`), whether or not the browser applies the fragment.
  assert.match(await page.locator(`#${para} mark`).first().innerText(), /^The regional budget paid one third/);
  await shot(page, 'journalist-source-at-span');
});

test('a quote checked within the current filters: the scope follows the link and the form', async () => {
  const page = await env.page();
  await page.goto(`${env.url}?q=harbour&from=2018&to=2018`);
  await page.locator('ol.results li.hit').first().waitFor();
  await page.getByRole('link', { name: 'Check a quote in these transcripts' }).click();
  await page.waitForURL(/\/quote\?from=2018&to=2018$/);
  await page.locator('#quote-text').fill('The regional budget paid one third');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.waitForURL(/\/quote\?text=.+&from=2018&to=2018$/);
  assert.match(await page.locator('.quote-scope').innerText(), /years 2018–2018/);
  await page.locator('.quote-match').first().waitFor();
  // Outside the scope, the same passage is not there.
  await page.goto(`${env.url}quote?text=${encodeURIComponent('The regional budget paid one third')}&from=1990&to=1991`);
  await page.locator('.no-match').waitFor();
  await page.close();
});

test('a verbatim quote, and one that is nowhere in the corpus', async () => {
  const page = await env.page();
  await check(page, '“Prices stay where they are this season.”');
  assert.equal(await page.locator('.quote-match').first().getAttribute('data-verdict'), 'verbatim');
  await check(page, 'Purple elephants negotiate quietly with frozen marmalade across seventeen harbours');
  assert.equal(await page.locator('.no-match').innerText(), 'No passage in this corpus matches.');
  await shot(page, 'journalist-quote-none');
});

test('cite the transcript, a turn and a paragraph; Highwire tags while it is open', async () => {
  const page = await env.page();
  await env.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`${env.url}t/press-briefing-2018`);
  await page.locator('article.transcript').waitFor();
  await page.waitForFunction(() => document.querySelector('meta[name="citation_title"]'));
  assert.equal(await page.locator('meta[name="citation_title"]').getAttribute('content'), 'Briefing on the harbour reconstruction');
  assert.equal(await page.locator('meta[name="citation_date"]').getAttribute('content'), '2018/04/11');
  await page.getByRole('button', { name: 'Cite this transcript' }).click();
  const dialog = page.locator('.cite-dialog');
  await dialog.waitFor();
  for (const style of ['apa', 'mla', 'chicago', 'bibtex', 'ris', 'csl-json']) {
    assert.equal(await dialog.locator(`[data-style="${style}"] pre`).count(), 1, style);
  }
  await dialog.locator('[data-style="bibtex"] button').click();
  await page.waitForFunction(() => /Citation copied/.test(document.querySelector('.copy-status').innerText));
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^@\w+\{/);
  const csl = JSON.parse(await dialog.locator('[data-style="csl-json"] pre').innerText());
  assert.equal((Array.isArray(csl) ? csl[0] : csl).type, 'speech');
  await shot(page, 'journalist-cite-transcript');
  await dialog.getByRole('button', { name: 'Close the citations' }).click();
  await page.getByRole('button', { name: /Cite this turn by Pavel Orlov/ }).first().click();
  assert.match(await dialog.locator('h2').innerText(), /Cite this turn/);
  assert.match(await dialog.locator('[data-style="apa"] pre').innerText(), /Orlov/);
  // A selection shorter than the paragraph: the copied quote links with a text fragment.
  const para = page.locator('.para', { hasText: 'students and pensioners' });
  await para.evaluate((p) => {
    const t = p.querySelector('.para-text').firstChild;
    const node = t.nodeType === 3 ? t : document.createTreeWalker(p, NodeFilter.SHOW_TEXT).nextNode();
    const at = node.textContent.indexOf('students and pensioners');
    const r = document.createRange();
    r.setStart(node, at); r.setEnd(node, at + 'students and pensioners keep their discount'.length);
    getSelection().removeAllRanges(); getSelection().addRange(r);
  });
  await para.getByRole('button', { name: /Cite paragraph/ }).click();
  const quote = await dialog.locator('[data-style="quote"] pre').innerText();
  assert.match(quote, /^“students and pensioners keep their discount”\n— Pavel Orlov/);
  assert.match(quote, /#p-\d+:~:text=students%20and%20pensioners/);
  await shot(page, 'journalist-cite-selection');
  await page.goto(`${env.url}`);
  await page.locator('#results-heading').waitFor();
  assert.equal(await page.locator('meta[name^="citation_"]').count(), 0, 'tags leave with the transcript');
});

test('the questions outline: who asked, who answered, links to both', async () => {
  const page = await env.page();
  await page.goto(`${env.url}t/press-briefing-2018`);
  const outline = page.locator('details.qa-outline');
  await outline.waitFor();
  const items = outline.locator('li');
  assert.equal(await items.count(), 3);
  assert.match(await items.nth(0).innerText(), /Coastal Herald.*answered by Anna Lebedeva/s);
  assert.match(await items.nth(1).innerText(), /follow-up.*answered by Anna Lebedeva, Pavel Orlov/s);
  assert.match(await items.nth(2).innerText(), /Radio Volna.*answered by Pavel Orlov/s);
  await shot(page, 'journalist-outline');
  await items.nth(2).locator('a.qa-question').click();
  await page.waitForFunction(() => document.querySelector('.para.is-target')?.innerText.includes('cargo terminal open'));
  await items.nth(2).locator('a.qa-answer').click();
  await page.waitForFunction(() => document.querySelector('.para.is-target')?.innerText.includes('once the cranes have been tested'));
  await shot(page, 'journalist-outline-answer');
});
