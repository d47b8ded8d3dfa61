// Cold loads on a throttled network: Chromium's own throttling (CDP), set as Lighthouse's
// mobile preset simulates slow 4G, for the page and its workers alike. Lighthouse models
// the page's requests, not the chain of round trips the search worker makes one after
// another (its wasm, then the bundle's files), and a reading URL waits for that chain:
// this row times it as a phone would live it, from navigation to the first highlighted
// word on screen. CPU is not throttled here (Lighthouse's rows cover that).

/** Lighthouse 12's slow 4G: 150 ms round trip, 1.6 Mbps down, 750 kbps up. */
export const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };

/** Cold runs per URL; a row is their median. */
export const RUNS = 3;

/**
 * Loads each of `urls` ({name, url, mark}: `mark` a CSS selector of the highlighted word
 * that ends the load) `runs` times, each in a fresh profile from `freshContext` (the
 * bench's), and resolves to one row each: {name, url, ms: [each run], median}. A run that
 * times out counts as missing.
 */
export async function throttledLoads(freshContext, urls, runs = RUNS) {
  const rows = [];
  for (const { name, url, mark } of urls) {
    const ms = [];
    for (let i = 0; i < runs; i++) {
      const { context, close } = await freshContext();
      try {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
        await page.goto(url, { waitUntil: 'commit' });
        const t = await page.waitForFunction((sel) => {
          const m = document.querySelector(sel);
          return m && m.getClientRects().length ? performance.now() : 0;
        }, mark, { timeout: 60_000, polling: 'raf' }).then((h) => h.jsonValue());
        ms.push(t);
      } catch (e) {
        console.error(`bench: throttled ${name} run ${i + 1} failed: ${e.message.split('\n')[0]}`);
      } finally { await close(); }
    }
    const sorted = [...ms].sort((a, b) => a - b);
    rows.push({ name, url, ms, median: sorted.length ? sorted[Math.floor(sorted.length / 2)] : null });
  }
  return rows;
}
