// Issue 2: the seed transcript read in a real browser, from a cold start, under a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, shot } from '../lib.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test('home lists the sample transcript with its credit', async () => {
  const page = await env.page();
  await page.goto(env.url);
  await page.getByRole('link', { name: /CSTO Collective Security Council/ }).first().waitFor();
  assert.match(await page.locator('footer').innerText(), /President of Russia website \(en\.kremlin\.ru\), CC BY 4\.0/);
  await shot(page, 'foundation-home');
  await page.close();
});

test('reading view shows heading, speaker once, 21 paragraphs and no adverts', async () => {
  const page = await env.page();
  await page.goto(env.url);
  await page.getByRole('link', { name: /CSTO Collective Security Council/ }).first().click();
  await page.locator('article.transcript').waitFor();
  assert.equal(await page.locator('.section h2').innerText(), 'Speech at CSTO Collective Security Council session');
  assert.equal(await page.locator('.speaker').count(), 1);
  assert.equal(await page.locator('.speaker-name').innerText(), 'Vladimir Putin');
  assert.equal(await page.locator('.speaker-role').innerText(), 'President of Russia');
  assert.equal(await page.locator('.turn .para').count(), 21);
  assert.equal(await page.locator('.summary .para').count(), 3);
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes('Essential Saker'), 'advertisement text leaked into the reading view');
  await shot(page, 'foundation-reader');
  await page.close();
});

test('a paragraph link opens at that paragraph from a cold start', async () => {
  const page = await env.page();
  await page.goto(`${env.url}t/cstu-council-2015#p-22`);
  const para = page.locator('#p-22');
  await para.waitFor();
  await page.waitForFunction(() => {
    const r = document.getElementById('p-22').getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  });
  assert.match(await para.getAttribute('class'), /is-target/);
  assert.match(await para.innerText(), /Euro-Atlantic/);
  await shot(page, 'foundation-deeplink');
  await page.close();
});

test('a missing transcript shows an error in place, not a blank page', async () => {
  const page = await env.page();
  await page.goto(`${env.url}t/no-such-transcript`);
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /No transcript has the id/);
  await page.close();
});

test('no console errors on the way', () => {
  assert.deepEqual(env.consoleErrors, []);
});
