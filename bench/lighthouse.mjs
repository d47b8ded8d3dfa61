// Lighthouse 12.2.3 (bench/package.json, installed by `cargo xtask bench` only) over the
// built app: its default mobile preset (simulated slow 4G, 4× CPU slowdown, a phone
// viewport), Performance and Accessibility, each URL in a fresh Chromium profile. It runs
// offline: Chromium is Debian's (chrome-launcher's `chromePath`), never a download, and
// the categories run need no network beyond the served site.
import fs from 'node:fs';

/** Chromium flags for every run (those of e2e/lib.mjs), plus headless for chrome-launcher. */
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * Runs Lighthouse on each of `urls` ({name, url}); resolves to one row each:
 * {name, url, performance, accessibility, lcpMs, tbtMs, cls, failed, a11yFailures}.
 * A run that fails gives a row with `failed` set instead of throwing.
 */
export async function lighthouseRows(urls, chromePath = process.env.CHROMIUM || '/usr/bin/chromium') {
  const { default: lighthouse } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const rows = [];
  for (const { name, url } of urls) {
    const userDataDir = fs.mkdtempSync('/tmp/stenogram-lh-');
    let chrome = null;
    try {
      chrome = await chromeLauncher.launch({ chromePath, chromeFlags: FLAGS, userDataDir, logLevel: 'silent' });
      const r = await lighthouse(url, {
        port: chrome.port, output: 'json', logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
      });
      const lhr = r.lhr;
      const audit = (id) => lhr.audits[id]?.numericValue;
      const a11yFailures = Object.values(lhr.audits)
        .filter((a) => a.score === 0 && lhr.categories.accessibility.auditRefs.some((ref) => ref.id === a.id && ref.weight > 0))
        .map((a) => a.id);
      rows.push({
        name, url,
        performance: lhr.categories.performance.score,
        accessibility: lhr.categories.accessibility.score,
        lcpMs: audit('largest-contentful-paint'), tbtMs: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
        runtimeError: lhr.runtimeError?.message || null,
        a11yFailures,
      });
    } catch (e) {
      rows.push({ name, url, failed: e.message.split('\n')[0] });
    } finally {
      if (chrome) await chrome.kill();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  }
  return rows;
}
