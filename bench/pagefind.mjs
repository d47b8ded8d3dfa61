// Pagefind for the in-browser benchmark (run.mjs): the transcripts rendered as plain HTML
// pages, indexed with the `pagefind` binary of e2e/node_modules, and the Pagefind
// equivalent of each benchmark query.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A value for Pagefind's inline `key:value` attributes, where commas separate pairs. */
const val = (s) => esc(String(s).replace(/,/g, ' '));

/** The year of a transcript: its date's, or the `year` of those dated by year alone. */
export function yearOf(t) {
  if (t.date) return t.date.slice(0, 4);
  return t.year ? String(t.year) : null;
}

/**
 * One transcript as an HTML page: the body (`data-pagefind-body`) holds the title as h1,
 * the summary and every paragraph; speaker labels are shown but not indexed (as in our
 * index and the JS engines' documents); year and speakers are filters, date and speakers
 * metadata.
 */
export function transcriptHtml(t) {
  const speakers = [];
  for (const s of t.sections || []) for (const turn of s.turns || []) {
    if (turn.speaker && !speakers.includes(turn.speaker)) speakers.push(turn.speaker);
  }
  const year = yearOf(t);
  const out = [`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(t.title)}</title></head><body>`,
    '<main data-pagefind-body>'];
  if (year) out.push(`<span data-pagefind-filter="year:${val(year)}"></span>`);
  for (const sp of speakers) out.push(`<span data-pagefind-filter="speaker:${val(sp)}"></span>`);
  out.push(`<span data-pagefind-meta="date:${val(t.date || year || '')}"></span>`);
  if (speakers.length) out.push(`<span data-pagefind-meta="speaker:${val(speakers.slice(0, 3).join(' / '))}"></span>`);
  out.push(`<h1>${esc(t.title)}</h1>`);
  out.push(`<p data-pagefind-ignore>${esc([t.date || year, t.place].filter(Boolean).join(', '))}</p>`);
  for (const p of t.summary || []) out.push(`<p class="summary">${esc(p)}</p>`);
  for (const s of t.sections || []) {
    if (s.heading) out.push(`<h2>${esc(s.heading)}</h2>`);
    for (const turn of s.turns || []) {
      if (turn.label || turn.speaker) out.push(`<h3 data-pagefind-ignore>${esc(turn.label || turn.speaker)}</h3>`);
      for (const p of turn.paragraphs) out.push(`<p>${esc(p)}</p>`);
    }
  }
  out.push('</main></body></html>');
  return out.join('\n');
}

/** Where run.mjs puts the pages of a corpus (written once; `.rendered` holds their sizes). */
export function renderSite(dir) {
  const done = path.join(dir, '.rendered');
  return {
    dir,
    pages: path.join(dir, 't'),
    // {count, raw, gzip} of the pages, or null when not written yet.
    done: () => (fs.existsSync(done) ? JSON.parse(fs.readFileSync(done, 'utf8')) : null),
    finish: (sizes) => fs.writeFileSync(done, JSON.stringify(sizes)),
    /** Writes the page of `t`; returns its raw and gzip (level 6) size. */
    write: (t) => {
      const b = Buffer.from(transcriptHtml(t));
      fs.writeFileSync(path.join(dir, 't', `${t.id}.html`), b);
      return { raw: b.length, gzip: zlib.gzipSync(b, { level: 6 }).length };
    },
    start: () => { fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(path.join(dir, 't'), { recursive: true }); },
  };
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** Served size of a Pagefind file: its `.pf_*` and `.pagefind` files are gzipped already,
 * the rest (JS, JSON) as gzip level 6 would serve it. */
export function pagefindServedBytes(file) {
  const b = fs.readFileSync(file);
  if (b[0] === 0x1f && b[1] === 0x8b) return b.length;
  return Math.min(b.length, zlib.gzipSync(b, { level: 6 }).length);
}

/**
 * Runs the Pagefind binary over `dir`; returns the build time and its output's size, or
 * `{failed}` when it fails. A failure is remembered in `dir/.failed` and not retried (at
 * 100,000 transcripts the kernel OOM-killed it at 23 GB, which hits everything else on the
 * machine too); delete that file to try again.
 */
export function buildPagefind(root, dir) {
  const failedMarker = path.join(dir, '.failed');
  if (fs.existsSync(failedMarker)) return { failed: fs.readFileSync(failedMarker, 'utf8').trim(), remembered: true };
  const out = path.join(dir, 'pagefind');
  fs.rmSync(out, { recursive: true, force: true });
  const bin = path.join(root, 'e2e/node_modules/.bin/pagefind');
  const t0 = performance.now();
  const r = spawnSync(bin, ['--site', dir, '--output-subdir', 'pagefind'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    const last = `${r.stdout || ''}\n${r.stderr || ''}`.trim().split('\n').filter(Boolean).slice(-1)[0] || '';
    const failed = `pagefind exited with ${r.status ?? r.signal} after ${secs.toFixed(0)} s, on ${new Date().toISOString().slice(0, 10)} (last output: "${last.trim()}")`;
    fs.writeFileSync(failedMarker, failed);
    fs.rmSync(out, { recursive: true, force: true });
    return { failed };
  }
  const files = walk(out);
  let raw = 0; let served = 0;
  for (const f of files) { raw += fs.statSync(f).size; served += pagefindServedBytes(f); }
  const ui = files.filter((f) => /pagefind-(component-|modular-)?ui|pagefind-highlight/.test(path.basename(f)));
  let uiRaw = 0;
  for (const f of ui) uiRaw += fs.statSync(f).size;
  const summary = (r.stdout.match(/Indexed \d+ (page|word|filter)s?/g) || []).join(', ');
  const built = { secs, files: files.length, raw, served, uiFiles: ui.length, uiRaw, summary };
  fs.writeFileSync(path.join(dir, '.built'), JSON.stringify(built));
  return built;
}

/**
 * Pagefind's index of `dir`: the one an earlier run built (its figures in `dir/.built`,
 * with `reused: true`), or a new build (`buildPagefind`). At 18,000 transcripts a build
 * takes minutes; delete `dir/.built` to build and time it again.
 */
export function pagefindIndex(root, dir) {
  const marker = path.join(dir, '.built');
  if (fs.existsSync(marker) && fs.existsSync(path.join(dir, 'pagefind/pagefind.js'))) {
    return { ...JSON.parse(fs.readFileSync(marker, 'utf8')), reused: true };
  }
  return buildPagefind(root, dir);
}

/** The Pagefind equivalent of a benchmark query: its words (a phrase quoted, Pagefind's
 * exact-phrase syntax; prefixes without the star, as Pagefind matches the last word as a
 * prefix anyway; typos as typed) and speaker/year filters. */
export function pagefindQuery(q) {
  const term = q.kind.endsWith('phrase') ? `"${q.words.join(' ')}"` : q.words.join(' ');
  let filters = null;
  if (q.filter) {
    filters = {};
    if (q.filter.speaker) filters.speaker = q.filter.speaker;
    if (q.filter.from) {
      const years = [];
      for (let y = q.filter.from; y <= q.filter.to; y++) years.push(String(y));
      filters.year = { any: years };
    }
  }
  return { term, filters };
}
