// Shared set-up for the e2e tests: the Pages-like server, headless Chromium, a page
// that fails the test on any console error, any Content-Security-Policy violation (in the
// page or its workers) and any dialog (alert, confirm, prompt: what an injected script
// would open), screenshots under target/.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const SITE_DIR = process.env.SITE_DIR || path.resolve('../target/e2e-site');
export const BASE_PATH = process.env.BASE_PATH || '/stenogram/';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.resolve('../target/e2e-screenshots');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Starts the server and the browser; returns helpers and a `close`. */
/** `serviceWorkers: 'block'` keeps the worker out, so that `page.route` sees every request. */
/**
 * The bundle file (a transcript pack) that holds transcript `id` in the site `dir`: its
 * document number from the row shards (rows stored by column), then its pack from that
 * number, through the pack table when packs hold several transcripts
 * (docs/bundle-format.md, format 6).
 */
export function packOf(dir, id) {
  const corpus = path.join(dir, 'corpus');
  const { rows } = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
  const folder = path.join(corpus, rows.dir);
  for (const f of fs.readdirSync(folder).sort()) {
    const { first, docs } = JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8'));
    const i = docs.id.indexOf(id);
    if (i < 0) continue;
    const doc = first + i;
    let pack = doc;
    if (rows.packs.table) {
      const table = JSON.parse(fs.readFileSync(path.join(corpus, rows.packs.table), 'utf8')).first;
      pack = table.findLastIndex((d) => d <= doc);
    }
    return `${rows.packs.dir}/${String(pack).padStart(5, '0')}.json`;
  }
  throw new Error(`no row of ${id} in ${folder}`);
}

export async function start({ dir = SITE_DIR, base = BASE_PATH, serviceWorkers = 'allow', also = [] } = {}) {
  const server = await serve({ dir, base, also });
  const userDataDir = fs.mkdtempSync('/tmp/stenogram-e2e-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
    viewport: { width: 1280, height: 900 }, serviceWorkers,
  });
  const consoleErrors = [];
  // Every violation, reported as a console error whatever Chromium itself logs for it.
  await context.addInitScript(reportViolations);
  context.on('page', (page) => watch(page, consoleErrors));
  for (const p of context.pages()) watch(p, consoleErrors);
  return {
    url: server.url, server, context, consoleErrors,
    async page() { const p = await context.newPage(); return p; },
    async close() { await context.close(); await server.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); },
  };
}

/** In a page or a worker: every CSP violation becomes a console error. */
function reportViolations() {
  self.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} refused ${e.blockedURI || 'an inline script'} (${e.sourceFile || '?'}:${e.lineNumber})`);
  });
}

// "Refused to …" is how Chromium reports a CSP block, whatever the message's level.
const CSP = /Refused to|CSP violation|Content Security Policy/;

function watch(page, errors) {
  // A dialog is a script doing what no code of ours does: an error, then dismissed so
  // the page goes on (Playwright would dismiss it silently without a listener).
  page.on('dialog', (d) => {
    errors.push(`${page.url()}: a ${d.type()} dialog opened ("${d.message()}")`);
    d.dismiss().catch(() => {});
  });
  page.on('worker', (w) => {
    w.evaluate(reportViolations).catch(() => {});
    // Only violations: the suites already see what workers log through their pages.
    if (typeof w.on === 'function') w.on('console', (m) => { if (CSP.test(m.text())) errors.push(`${w.url()}: ${m.text()}`); });
  });
  page.on('console', (m) => {
    if (m.type() !== 'error' && CSP.test(m.text())) { errors.push(`${page.url()}: ${m.text()}`); return; }
    if (m.type() !== 'error') return;
    // A deep link on GitHub Pages is answered by 404.html with status 404, by design; Chromium
    // logs that for the document itself. Only that exact case is exempt.
    const doc = page.url().split('#')[0];
    if (/status of 404/.test(m.text()) && m.location().url.split('#')[0] === doc) return;
    errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
}

/** Saves a full-page screenshot as target/e2e-screenshots/<name>.png. */
export async function shot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Copies the built site to a fresh temporary folder (for tests that change it). */
export function copySite(dir = SITE_DIR) {
  const to = fs.mkdtempSync('/tmp/stenogram-site-');
  fs.cpSync(dir, to, { recursive: true });
  return to;
}

/** Waits until the service worker controls `page` (its precache is then complete). */
export async function swControlled(page) {
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60_000 });
}

/** Network off (or back on) for the browser and the server alike: Chromium's offline
 * emulation, plus a server that drops every connection, so nothing can slip through. */
export async function setOffline(env, offline) {
  env.server.setReachable(!offline);
  await env.context.setOffline(offline);
}

const axeSource = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** Puts axe-core in the page (`window.axe`), through the debugger protocol: the site's
 * Content-Security-Policy (rightly) refuses an inline script tag. */
export async function loadAxe(page) {
  await page.evaluate(`${axeSource};0`);
}

/** Runs axe-core on the page; fails on any serious or critical violation. Evaluated
 * through the debugger protocol: the site's Content-Security-Policy (rightly) refuses an
 * inline script tag. */
export async function axe(page, name) {
  await loadAxe(page);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${name}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), []);
}
