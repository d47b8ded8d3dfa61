//! Shared by the search tests: a brute-force oracle that evaluates a parsed query by
//! scanning every transcript, written independently of the engine (it shares only the
//! analyzer and the query parser), and helpers to build and load an index in memory.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use stenogram_core::ingest::qa::TurnRole;
use stenogram_core::model::Transcript;
use stenogram_core::search::analysis::{fold_value, tokens};
use stenogram_core::search::query::{DateRange, Node, Query, Word};
use stenogram_core::search::{build_index, BuildOptions, Facet, Index, IndexFiles, PartId};

/// Builds an index of `docs` with small shards (to exercise sharding) and a pair term for
/// every pair of adjacent words, and loads every part.
pub fn load(docs: &[Transcript]) -> Index {
    load_with(docs, opts(true))
}

/// Builds an index of `docs` with `opts` and loads every part.
pub fn load_with(docs: &[Transcript], opts: BuildOptions) -> Index {
    let files = build_index(docs, opts);
    let mut ix = open(&files);
    for part in ix.parts() {
        add(&mut ix, &files, part);
    }
    ix
}

/// Small shards, so that queries span several; with `pairs`, a pair term for every pair
/// of adjacent words (two-word phrases are then answered by pair terms), else none
/// (every phrase is read from positions).
pub fn opts(pairs: bool) -> BuildOptions {
    BuildOptions {
        post_shard_bytes: 512,
        pos_shard_bytes: 2048,
        // A few dozen words a shard: prefixes and typos span several.
        words_shard_bytes: 256,
        pair_min_docs: 1,
        pair_budget: if pairs { f64::INFINITY } else { 0.0 },
        pair_pos_budget: if pairs { f64::INFINITY } else { 0.0 },
        pair_costly_budget: if pairs { f64::INFINITY } else { 0.0 },
        ..BuildOptions::default()
    }
}

/// The index files of `docs`, with [`opts`]`(pairs)`.
pub fn build(docs: &[Transcript], pairs: bool) -> IndexFiles {
    build_index(docs, opts(pairs))
}

/// The index of `files` with no shard loaded.
pub fn open(files: &IndexFiles) -> Index {
    Index::open(&files.meta, files.dict.clone()).unwrap()
}

/// Adds shard `part` of `files` to `ix`.
pub fn add(ix: &mut Index, files: &IndexFiles, part: PartId) {
    ix.add_part(part, files.part(part).to_vec()).unwrap();
}

/// Opens `files` and loads only what the plan of `q` names, asking again until it names
/// none, as the browser does; returns the index and every part it loaded, in order.
pub fn planned(files: &IndexFiles, q: &Query) -> (Index, Vec<PartId>) {
    let (ix, all, _) = planned_by(files, q, |ix, q| ix.plan(q).unwrap());
    (ix, all)
}

/// [`planned`] with `plan` asked (e.g. `Index::plan_for_matcher`); also returns the
/// number of rounds of fetches it took.
pub fn planned_by(
    files: &IndexFiles,
    q: &Query,
    plan: impl Fn(&Index, &Query) -> Vec<PartId>,
) -> (Index, Vec<PartId>, usize) {
    let mut ix = open(files);
    let mut all = Vec::new();
    let mut rounds = 0;
    loop {
        let parts = plan(&ix, q);
        if parts.is_empty() {
            break;
        }
        rounds += 1;
        for p in parts {
            add(&mut ix, files, p);
            all.push(p);
        }
    }
    (ix, all, rounds)
}

/// The role of a turn as the oracle reads it: a question is a turn labelled
/// "Question" (the generators' only question label); an answer, a turn whose `answers`
/// names an earlier question turn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ORole {
    Question,
    Answer,
    Other,
}

/// One analysed text unit of a document: the title or a paragraph.
struct Unit {
    speaker: Option<String>,
    role: ORole,
    title: bool,
    folded: Vec<String>,
    stems: Vec<String>,
}

struct ODoc {
    units: Vec<Unit>,
    date: Option<u32>,
    speakers: Vec<String>,
    places: Vec<String>,
    topics: Vec<String>,
    kind: Vec<String>,
    mentions: Vec<String>,
    country: Vec<String>,
}

/// The brute-force oracle over a corpus.
pub struct Oracle {
    docs: Vec<ODoc>,
    /// Every folded word of the corpus.
    vocab: BTreeSet<String>,
    stems: BTreeSet<String>,
    /// Expansions per (folded, prefix) within one run, so a typo scan happens once.
    cache: RefCell<HashMap<(String, bool), BTreeSet<String>>>,
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, v) in d[0].iter_mut().enumerate() {
        *v = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let c = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j - 1] + c)
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
        }
    }
    d[a.len()][b.len()]
}

fn key(date: &str) -> Option<u32> {
    let p: Vec<u32> = date
        .split('-')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    Some(p[0] * 10000 + p.get(1).copied().unwrap_or(0) * 100 + p.get(2).copied().unwrap_or(0))
}

impl Oracle {
    pub fn new(docs: &[Transcript]) -> Oracle {
        let mut vocab = BTreeSet::new();
        let mut stems = BTreeSet::new();
        let mut out = Vec::new();
        for t in docs {
            let mut units = Vec::new();
            let mut add = |text: &str, speaker: Option<String>, role: ORole, title: bool| {
                let toks = tokens(text);
                for tk in &toks {
                    vocab.insert(tk.folded.clone());
                    stems.insert(tk.term.clone());
                }
                units.push(Unit {
                    speaker,
                    role,
                    title,
                    folded: toks.iter().map(|t| t.folded.clone()).collect(),
                    stems: toks.into_iter().map(|t| t.term).collect(),
                });
            };
            add(&t.title, None, ORole::Other, true);
            for s in &t.summary {
                add(s, None, ORole::Other, false);
            }
            let turns: Vec<_> = t.sections.iter().flat_map(|s| &s.turns).collect();
            let asks = |i: usize| turns[i].label.as_deref() == Some("Question");
            for (i, turn) in turns.iter().enumerate() {
                let role = if asks(i) {
                    ORole::Question
                } else if turn.answers.is_some_and(|q| q < i && asks(q)) {
                    ORole::Answer
                } else {
                    ORole::Other
                };
                for p in &turn.paragraphs {
                    add(p, turn.speaker.clone(), role, false);
                }
            }
            let mut places: Vec<String> = t.place.iter().cloned().collect();
            places.extend(t.tags.places.iter().cloned());
            out.push(ODoc {
                units,
                // A document with only a year (UN records) is dated to that year.
                date: t.date.as_deref().and_then(key).or_else(|| {
                    t.year
                        .and_then(|y| u32::try_from(y).ok())
                        .map(|y| y * 10000)
                }),
                speakers: t.speakers().into_iter().map(str::to_owned).collect(),
                places,
                topics: t.tags.topics.clone(),
                kind: t.kind.iter().cloned().collect(),
                mentions: t
                    .mentions
                    .countries
                    .iter()
                    .chain(&t.mentions.organisations)
                    .map(|m| m.name.clone())
                    .collect(),
                country: t.country.iter().cloned().collect(),
            });
        }
        Oracle {
            docs: out,
            vocab,
            stems,
            cache: RefCell::default(),
        }
    }

    /// The stems a query word stands for.
    fn word_stems(&self, w: &Word) -> BTreeSet<String> {
        let k = (w.folded.clone(), w.prefix);
        if let Some(s) = self.cache.borrow().get(&k) {
            return s.clone();
        }
        let s = self.word_stems_uncached(w);
        self.cache.borrow_mut().insert(k, s.clone());
        s
    }

    fn word_stems_uncached(&self, w: &Word) -> BTreeSet<String> {
        if w.prefix {
            return self
                .vocab
                .iter()
                .filter(|v| v.starts_with(&w.folded))
                .map(|v| stenogram_core::search::analysis::stem(v))
                .collect();
        }
        if self.stems.contains(&w.term) {
            return [w.term.clone()].into();
        }
        let n = w.folded.chars().count();
        if !(3..=31).contains(&n) || w.folded.chars().any(char::is_numeric) {
            return BTreeSet::new();
        }
        let d = if n >= 8 { 2 } else { 1 };
        self.vocab
            .iter()
            .filter(|v| levenshtein(v, &w.folded) <= d)
            .map(|v| stenogram_core::search::analysis::stem(v))
            .collect()
    }

    /// Document numbers matching `q`, ascending.
    pub fn search(&self, q: &Query) -> Vec<u32> {
        let scope: Vec<String> = q.speakers.iter().map(|s| s.folded.join(" ")).collect();
        let roles: Vec<ORole> = q
            .roles
            .iter()
            .map(|r| match r {
                TurnRole::Question => ORole::Question,
                TurnRole::Answer => ORole::Answer,
                TurnRole::Other => ORole::Other,
            })
            .collect();
        let scoped = !scope.is_empty() || !roles.is_empty();
        (0..self.docs.len())
            .filter(|&d| {
                let doc = &self.docs[d];
                let units: Vec<&Unit> = if !scoped {
                    doc.units.iter().collect()
                } else {
                    doc.units
                        .iter()
                        .filter(|u| {
                            !u.title
                                && (scope.is_empty()
                                    || u.speaker
                                        .as_deref()
                                        .is_some_and(|s| scope.contains(&fold_value(s))))
                                && (roles.is_empty() || roles.contains(&u.role))
                        })
                        .collect()
                };
                if scoped && units.is_empty() {
                    return false;
                }
                q.root.as_ref().is_none_or(|r| self.eval(r, doc, &units))
            })
            .map(|d| d as u32)
            .collect()
    }

    fn eval(&self, n: &Node, doc: &ODoc, units: &[&Unit]) -> bool {
        match n {
            Node::Word(w) => {
                let set = self.word_stems(w);
                units
                    .iter()
                    .any(|u| u.stems.iter().any(|s| set.contains(s)))
            }
            Node::Phrase(ws) => units.iter().any(|u| {
                u.stems.len() >= ws.len()
                    && u.stems
                        .windows(ws.len())
                        .any(|win| win.iter().zip(ws).all(|(s, w)| *s == w.term))
            }),
            Node::Field(f, v) => {
                let want = v.folded.join(" ");
                let contains = |vals: &[String]| {
                    vals.iter().any(|x| {
                        let fx = format!(" {} ", fold_value(x));
                        fx.contains(&format!(" {want} "))
                    })
                };
                match f {
                    Facet::Speaker => doc.speakers.iter().any(|s| fold_value(s) == want),
                    Facet::Place => contains(&doc.places),
                    Facet::Topic => contains(&doc.topics),
                    Facet::Kind => contains(&doc.kind),
                    Facet::Mentions => contains(&doc.mentions),
                    Facet::Country => contains(&doc.country),
                    // The parser has no year: field (dates are date:).
                    Facet::Year => false,
                }
            }
            Node::Date(DateRange { lo, hi }) => doc.date.is_some_and(|k| *lo <= k && k <= *hi),
            Node::And(v) => v.iter().all(|c| self.eval(c, doc, units)),
            Node::Or(v) => v.iter().any(|c| self.eval(c, doc, units)),
            Node::Not(c) => !self.eval(c, doc, units),
        }
    }

    /// Speakers of document `d` (for facet checks).
    pub fn speakers(&self, d: u32) -> &[String] {
        &self.docs[d as usize].speakers
    }
}
