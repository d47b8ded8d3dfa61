// Lighthouse 12.2.3 (bench/package.json, installed by `cargo xtask bench` only) over the
// built app: its default mobile preset (simulated slow 4G, 4× CPU slowdown, a phone
// viewport), Performance and Accessibility, each URL in a fresh Chromium profile. It runs
// offline: Chromium is Debian's (chrome-launcher's `chromePath`), never a download, and
// the categories run need no network beyond the served site.
import fs from 'node:fs';

/** Chromium flags for every run (those of e2e/lib.mjs), plus headless for chrome-launcher. */
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Lighthouse runs per URL (five, as its docs/variability.md advises): one run's TBT
 * varied from 17 to 131 ms on this two-core machine for the same build. */
export const RUNS = 5;

/** The median of `xs` (the middle value; of an even count, the upper middle). */
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};

/**
 * Runs Lighthouse `runs` times on each of `urls` ({name, url}); resolves to one row each:
 * {name, url, performance, accessibility, lcpMs, tbtMs, cls, runtimeError, a11yFailures,
 * runs, perfRuns, tbtRuns, medianRun}. Each figure is the median of its own runs:
 * Lighthouse's `computeMedianRun` picks the run nearest the median FCP and TTI, whose TBT
 * was the highest of the five in one run (58–185 ms, median run 185), so it is given
 * beside (`medianRun`), not as the figure. Accessibility is the lowest run's, and its
 * failures that run's. A URL whose every run fails gives a row with `failed` set instead
 * of throwing.
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
    const audit = (l, id) => l.audits[id]?.numericValue;
    const sorted = (f) => lhrs.map(f).filter((x) => x != null).sort((a, b) => a - b);
    // A run that errored (no FCP or TTI) cannot be the median run; then there is none.
    let mr = null;
    try { mr = computeMedianRun(lhrs); } catch { /* no median run */ }
    const worstA11y = lhrs.reduce((w, l) => ((l.categories.accessibility.score ?? 0) < (w.categories.accessibility.score ?? 0) ? l : w));
    const a11yFailures = Object.values(worstA11y.audits)
      .filter((a) => a.score === 0 && worstA11y.categories.accessibility.auditRefs.some((ref) => ref.id === a.id && ref.weight > 0))
      .map((a) => a.id);
    rows.push({
      name, url,
      performance: median(lhrs.map((l) => l.categories.performance.score)),
      accessibility: worstA11y.categories.accessibility.score,
      lcpMs: median(lhrs.map((l) => audit(l, 'largest-contentful-paint'))),
      tbtMs: median(lhrs.map((l) => audit(l, 'total-blocking-time'))),
      cls: median(lhrs.map((l) => audit(l, 'cumulative-layout-shift'))),
      runtimeError: lhrs.map((l) => l.runtimeError?.message).find(Boolean) || null,
      a11yFailures,
      runs: lhrs.length,
      perfRuns: sorted((l) => l.categories.performance.score),
      tbtRuns: sorted((l) => audit(l, 'total-blocking-time')),
      medianRun: mr && {
        performance: mr.categories.performance.score,
        lcpMs: audit(mr, 'largest-contentful-paint'),
        tbtMs: audit(mr, 'total-blocking-time'),
      },
    });
  }
  return rows;
}
