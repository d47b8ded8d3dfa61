// A static server that behaves like GitHub Pages: files only under the base path,
// `404.html` (with status 404) for anything else. Used by the e2e suite and benches.
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

/** Serves `dir` under `base` (e.g. "/stenogram/") on 127.0.0.1, and each of `also`
 * ([{dir, base}], other sites on the same origin, as on one owner.github.io); resolves to
 * {url, close, requests, sent, setReachable, setDir, hold}. With `pages: true` it also
 * answers as GitHub Pages does: gzip for the types above when accepted, `max-age=600`
 * (the e2e suite keeps `no-cache` and plain bodies). `sent` lists every answered request
 * as {path, status, bytes}: the body bytes that went on the wire (compressed when gzipped),
 * which is what the benchmark counts. `setReachable(false)` makes every
 * request fail at the network level (the connection is dropped), as a real outage would.
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
    const entry = { path: url.pathname, status: 0, bytes: 0 };
    const write = res.write.bind(res);
    res.write = (chunk, ...rest) => { entry.bytes += chunk.length; return write(chunk, ...rest); };
    // 'close' too: a request the browser aborts never finishes, and must not count as in flight.
    const done = () => { if (!entry.done) { entry.done = true; entry.status = res.statusCode; sent.push(entry); } };
    res.on('finish', done);
    res.on('close', done);
    // Streams pipe through write(); `end(chunk)` alone (the plain 'not found') is counted here.
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
      }
    }
    const gzipped = (type) => pages && GZIP.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    const send = (status, f, type, headers) => {
      const gzip = gzipped(type);
      res.writeHead(status, { 'content-type': type, ...headers, ...(gzip ? { 'content-encoding': 'gzip', vary: 'Accept-Encoding' } : {}) });
      const body = fs.createReadStream(f);
      if (gzip) body.pipe(zlib.createGzip({ level: 6 })).pipe(res);
      else body.pipe(res);
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
