// Lighthouse 12.2.3 (bench/package.json, installed by `cargo xtask bench` only) over the
// built app: its default mobile preset (simulated slow 4G, 4× CPU slowdown, a phone
// viewport), Performance and Accessibility, each URL in a fresh Chromium profile. It runs
// offline: Chromium is Debian's (chrome-launcher's `chromePath`), never a download, and
// the categories run need no network beyond the served site.
import fs from 'node:fs';

/** Chromium flags for every run (those of e2e/lib.mjs), plus headless for chrome-launcher. */
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Lighthouse runs per URL: one run's TBT varied from 17 to 131 ms on this two-core
 * machine for the same build, so a row is the median run of these (Lighthouse's own
 * `computeMedianRun`; five runs, as its docs/variability.md advises), with the spread
 * beside it. */
export const RUNS = 5;

/**
 * Runs Lighthouse `runs` times on each of `urls` ({name, url}); resolves to one row each,
 * from the median run: {name, url, performance, accessibility, lcpMs, tbtMs, cls,
 * runtimeError, a11yFailures, runs, perfRange, tbtRange}. A URL whose every run fails
 * gives a row with `failed` set instead of throwing.
 */
export async function lighthouseRows(urls, chromePath = process.env.CHROMIUM || '/usr/bin/chromium', runs = RUNS) {
  const { default: lighthouse } = await import('lighthouse');
  const { computeMedianRun } = await import('lighthouse/core/lib/median-run.js');
  const chromeLauncher = await import('chrome-launcher');
  const rows = [];
  for (const { name, url } of urls) {
    const lhrs = [];
    let failed = null;
    for (let i = 0; i < runs; i++) {
      const userDataDir = fs.mkdtempSync('/tmp/stenogram-lh-');
      let chrome = null;
      try {
        chrome = await chromeLauncher.launch({ chromePath, chromeFlags: FLAGS, userDataDir, logLevel: 'silent' });
        const r = await lighthouse(url, {
          port: chrome.port, output: 'json', logLevel: 'error',
          onlyCategories: ['performance', 'accessibility'],
        });
        lhrs.push(r.lhr);
      } catch (e) {
        failed = e.message.split('\n')[0];
      } finally {
        if (chrome) await chrome.kill();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    }
    if (!lhrs.length) { rows.push({ name, url, failed }); continue; }
    // A run that errored (no FCP or TTI) cannot be the median; then the first stands.
    let lhr;
    try { lhr = computeMedianRun(lhrs); } catch { lhr = lhrs[0]; }
    const audit = (l, id) => l.audits[id]?.numericValue;
    const range = (f) => { const v = lhrs.map(f).filter((x) => x != null); return v.length ? [Math.min(...v), Math.max(...v)] : null; };
    const a11yFailures = Object.values(lhr.audits)
      .filter((a) => a.score === 0 && lhr.categories.accessibility.auditRefs.some((ref) => ref.id === a.id && ref.weight > 0))
      .map((a) => a.id);
    rows.push({
      name, url,
      performance: lhr.categories.performance.score,
      accessibility: lhr.categories.accessibility.score,
      lcpMs: audit(lhr, 'largest-contentful-paint'), tbtMs: audit(lhr, 'total-blocking-time'),
      cls: audit(lhr, 'cumulative-layout-shift'),
      runtimeError: lhr.runtimeError?.message || null,
      a11yFailures,
      runs: lhrs.length,
      perfRange: range((l) => l.categories.performance.score),
      tbtRange: range((l) => audit(l, 'total-blocking-time')),
    });
  }
  return rows;
}
