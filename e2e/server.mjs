// A static server that behaves like GitHub Pages: files only under the base path,
// `name.html` for `/name`, `404.html` (with status 404) for anything else. Used by the e2e suite and benches.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.bin': 'application/octet-stream', '.fst': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8',
};

// What GitHub Pages compresses when the browser accepts gzip: text and wasm, never the
// bundle's binary files (octet-stream), which it sends as they are.
const GZIP = /^(text\/|application\/(json|javascript|wasm|manifest\+json)|image\/svg)/;

/**
 * The body of file `f`, gzipped (level 6) or as it is, from memory while the file is
 * unchanged (same size and mtime). GitHub Pages answers from its CDN's cache, compressed
 * once, so the time a request takes is the network's; compressing each answer again here
 * cost 5 to 30 ms of server time per request on a two-core machine, which a page of 35
 * transcripts paid in turn (issue 14's first concordance page).
 */
const bodies = new Map();
function bodyOf(f, gzip) {
  const st = fs.statSync(f);
  const key = `${gzip ? 'gz' : 'id'}:${f}`;
  const hit = bodies.get(key);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.body;
  const raw = fs.readFileSync(f);
  const body = gzip ? zlib.gzipSync(raw, { level: 6 }) : raw;
  bodies.set(key, { size: st.size, mtimeMs: st.mtimeMs, body });
  return body;
}

/** Serves `dir` under `base` (e.g. "/stenogram/") on 127.0.0.1, and each of `also`
 * ([{dir, base}], other sites on the same origin, as on one owner.github.io); resolves to
 * {url, close, requests, sent, setReachable, setDir, hold}. With `pages: true` it also
 * answers as GitHub Pages does: gzip for the types above when accepted, `max-age=600`
 * (the e2e suite keeps `no-cache` and plain bodies). `sent` lists every answered request
 * as {path, status, bytes, t0, t1}: the body bytes that went on the wire (compressed when
 * gzipped), which is what the benchmark counts, and `Date.now()` at its arrival and end.
 * `setReachable(false)` makes every request fail at the network level (the connection is
 * dropped), as a real outage would.
 * `setDir(dir)` serves another folder under `base` from then on (a deploy, at once).
 * `hold(test)` delays every request whose path passes `test` until the returned function
 * is called (to order a deploy against what the browser fetches). */
export function serve({ dir, base = '/', port = 0, also = [], pages = false }) {
  const mounts = [{ dir: path.resolve(dir), base }, ...also.map((m) => ({ dir: path.resolve(m.dir), base: m.base }))];
  const requests = [];
  const sent = [];
  let reachable = true;
  const holds = [];
  const server = http.createServer(async (req, res) => {
    if (!reachable) { req.socket.destroy(); return; }
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    const entry = { path: url.pathname, status: 0, bytes: 0, t0: Date.now(), t1: 0 };
    // 'close' too: a request the browser aborts never finishes, and must not count as in flight.
    const done = () => { if (!entry.done) { entry.done = true; entry.t1 = Date.now(); entry.status = res.statusCode; sent.push(entry); } };
    res.on('finish', done);
    res.on('close', done);
    // Every body goes out whole through `end(body)`, and is counted here.
    const end = res.end.bind(res);
    res.end = (chunk, ...rest) => { if (chunk && typeof chunk !== 'function') entry.bytes += Buffer.byteLength(chunk); return end(chunk, ...rest); };
    for (const h of holds) if (h.test(url.pathname)) await h.until;
    let file = null;
    const mount = mounts.find((m) => url.pathname.startsWith(m.base)) || mounts[0];
    const dir = mount.dir;
    if (url.pathname.startsWith(mount.base)) {
      const rel = decodeURIComponent(url.pathname.slice(mount.base.length));
      const candidate = path.join(dir, rel);
      if (candidate === dir || candidate.startsWith(dir + path.sep)) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) file = candidate;
        else if (fs.existsSync(path.join(candidate, 'index.html'))) file = path.join(candidate, 'index.html');
        // As Pages does: `/t/42` is `t/42.html` when there is one (the reading pages).
        else if (!rel.endsWith('/') && fs.existsSync(`${candidate}.html`)) file = `${candidate}.html`;
      }
    }
    const gzipped = (type) => pages && GZIP.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    const send = (status, f, type, headers) => {
      const gzip = gzipped(type);
      const body = bodyOf(f, gzip);
      res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...headers, ...(gzip ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {}) });
      res.end(body);
    };
    if (file) {
      send(200, file, TYPES[path.extname(file)] || 'application/octet-stream', { 'cache-control': pages ? 'max-age=600' : 'no-cache' });
      return;
    }
    const notFound = path.join(dir, '404.html');
    if (fs.existsSync(notFound)) send(404, notFound, 'text/html; charset=utf-8', {});
    else { res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }); res.end('not found'); }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}${base}`, requests, sent,
        close: () => new Promise((r) => server.close(r)),
        setReachable: (on) => { reachable = on; if (!on) server.closeAllConnections(); },
        setDir: (d) => { mounts[0].dir = path.resolve(d); },
        hold: (test) => {
          let release;
          const h = { test, until: new Promise((r) => { release = r; }) };
          holds.push(h);
          return () => { holds.splice(holds.indexOf(h), 1); release(); };
        },
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = '../dist', base = '/', port = '8080'] = process.argv.slice(2);
  serve({ dir, base, port: Number(port) }).then(({ url }) => console.log(`serving ${dir} at ${url}`));
}
