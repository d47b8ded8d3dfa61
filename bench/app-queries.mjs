// What app.mjs types into the real app: the first query, the further new queries, the
// workbench jobs and the quotes (taken from the corpus itself, so any corpus works).
import fs from 'node:fs';
import path from 'node:path';

/** Typed into a cold page (issue 13's "first highlighted result"). */
export const firstQuery = 'Syria';

/** 30 further new queries, each typed after the previous one's snippets showed: places,
 * topics, two-word queries, a phrase, a prefix, a typo, a field and a date range (issue
 * 13 names "Venezuela" and "Olympic Games" as the heaviest). */
export const FURTHER = [
  'Venezuela', 'Olympic Games', 'climate change', 'nuclear weapons', 'human rights', 'oil prices',
  'terrorism', 'sanctions', 'Ukraine', 'China', 'gas pipeline', 'agriculture', 'education',
  'healthcare', 'space exploration', 'Arctic', 'Crimea', '"collective security"', 'negotiat*',
  'goverment', 'speaker:"Vladimir Putin" economy', 'investment date:2010..2012', 'football',
  'Chechnya', 'small business', 'inflation', 'tsunami', 'Afghanistan', 'Iran', 'World War',
];

/**
 * The workbench jobs (issue 14's budgets): each opens its view by URL (`open`, not
 * timed), then types its samples into the search box; `sel` is what changes when the view
 * shows a new answer (the tables e2e/tests/workbench.test.mjs waits for); `measure` is the
 * app's performance.measure name. Keyness is of a speaker against the rest: the speaker
 * is the query's `speaker:` field, over the corpus's most frequent speakers.
 */
export function WORKBENCH(speakers) {
  return [
    { kind: 'trend', open: 'q=peace&view=trend', sel: '#trend-chart-title, .trend-table', measure: 'stenogram:bench:trend',
      samples: ['economy', 'security', 'president', 'terrorism', 'energy', 'oil', 'development', 'cooperation', 'nuclear', 'women'] },
    { kind: 'kwic', open: 'q=peace&view=kwic', sel: 'table.kwic tbody, .bench-total', measure: 'stenogram:bench:kwic',
      samples: ['russia', 'government', 'people', 'world', 'country'] },
    { kind: 'colloc', open: 'q=peace&view=colloc', sel: 'table.colloc-table tbody, .bench-total', measure: 'stenogram:bench:collocates',
      samples: ['security', 'economy', 'development'] },
    { kind: 'keyness', open: 'q=peace&view=keyness', sel: '.keyness table, .bench-total', measure: 'stenogram:bench:keyness',
      samples: speakers.map((s) => `speaker:"${s}"`) },
  ];
}

/** Every transcript JSON of `dirs`, sorted. */
export function walkJson(dirs) {
  return dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => path.join(d, f))).sort();
}

/** Up to 2,000 files spread evenly over `files`. */
function spread(files, n = 2000) {
  const step = Math.max(1, Math.floor(files.length / n));
  return files.filter((_, i) => i % step === 0);
}

function* paragraphs(t) {
  for (const s of t.sections || []) for (const turn of s.turns || []) for (const p of turn.paragraphs || []) yield p;
}

/** The `n` speakers in most transcripts (counted over a spread sample of the files). */
export function topSpeakers(files, n) {
  const count = new Map();
  for (const f of spread(files)) {
    const t = JSON.parse(fs.readFileSync(f, 'utf8'));
    const seen = new Set();
    for (const s of t.sections || []) for (const turn of s.turns || []) if (turn.speaker) seen.add(turn.speaker);
    for (const s of seen) count.set(s, (count.get(s) || 0) + 1);
  }
  return [...count].sort((a, b) => b[1] - a[1]).slice(0, n).map(([s]) => s);
}

/**
 * `n` quotes of 40 words from paragraphs of different transcripts spread over the corpus:
 * half verbatim, half altered as a journalist would (two words cut, one marked by "…").
 */
export function pickQuotes(files, n) {
  const out = [];
  for (const f of spread(files, n * 4)) {
    if (out.length === n) break;
    const t = JSON.parse(fs.readFileSync(f, 'utf8'));
    for (const p of paragraphs(t)) {
      const words = p.split(/\s+/).filter(Boolean);
      if (words.length < 50) continue;
      const q = words.slice(5, 45);
      if (out.length % 2 === 1) q.splice(18, 2, '…');
      out.push(q.join(' '));
      break;
    }
  }
  return out;
}
