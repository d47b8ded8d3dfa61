//! The quote finder's test set, built from a corpus programmatically: passages sampled
//! with a seeded generator (never picked by hand) and edited in every way a journalist's
//! quote drifts from its source. Shared by `quote_accuracy` (real corpus and generated
//! data) and the `quote` bench.
#![allow(dead_code)]

use std::collections::HashMap;

use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::quote::{Quote, QuoteResult, QuoteSearch, Verdict};
use stenogram_core::search::analysis::{fold_word, tokens};
use stenogram_core::search::{build_index, BuildOptions, Filters, Index};

/// xorshift64: deterministic, dependency-free.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Kinds of edit, with what a right answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The passage as printed, in other case and typographic quotes: verbatim.
    Exact,
    /// Words cut at the start and/or end: verbatim.
    Trim,
    /// Words cut inside and marked with an ellipsis (and maybe the ends trimmed): verbatim.
    TrimEllipsis,
    /// Words cut inside without a mark: altered.
    Cut,
    /// Two adjacent words swapped: altered.
    Swap,
    /// Two or three words misspelt by one letter: altered.
    Misspell,
    /// A few words replaced by synonyms or other words: altered.
    Retranslate,
    /// The first half from one transcript, the rest from another: two parts, never verbatim.
    Splice,
    /// A real passage's words in a random order: no match.
    Shuffle,
    /// Corpus words strung at random: no match.
    Invent,
}

pub const KINDS: [Kind; 10] = [
    Kind::Exact,
    Kind::Trim,
    Kind::TrimEllipsis,
    Kind::Cut,
    Kind::Swap,
    Kind::Misspell,
    Kind::Retranslate,
    Kind::Splice,
    Kind::Shuffle,
    Kind::Invent,
];

/// One test quote and the passages it was made from (transcript number, folded words).
pub struct Case {
    pub kind: Kind,
    pub text: String,
    pub sources: Vec<Vec<String>>,
}

/// A few common words and a synonym each: re-translation changes words like these.
const SYNONYMS: &[(&str, &str)] = &[
    ("important", "significant"),
    ("country", "nation"),
    ("countries", "nations"),
    ("said", "stated"),
    ("big", "large"),
    ("large", "big"),
    ("help", "assist"),
    ("very", "extremely"),
    ("people", "citizens"),
    ("problem", "issue"),
    ("problems", "issues"),
    ("issue", "matter"),
    ("work", "labour"),
    ("new", "novel"),
    ("believe", "think"),
    ("think", "believe"),
    ("great", "considerable"),
    ("need", "require"),
    ("must", "should"),
    ("develop", "expand"),
    ("development", "growth"),
    ("economic", "financial"),
    ("support", "back"),
    ("example", "instance"),
    ("today", "now"),
    ("also", "too"),
    ("main", "principal"),
    ("start", "begin"),
    ("began", "started"),
    ("good", "fine"),
];

/// A paragraph's words as (char start, char end), and its text as chars.
fn spans(text: &str) -> Vec<(usize, usize)> {
    tokens(text).into_iter().map(|t| (t.start, t.end)).collect()
}

fn slice(chars: &[char], a: usize, b: usize) -> String {
    chars[a..b].iter().collect()
}

fn folded(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.folded).collect()
}

/// Samples a window of `len` words from a random long paragraph: (transcript, text).
fn window(docs: &[Transcript], rng: &mut Rng, len: usize) -> (usize, String) {
    loop {
        let d = rng.below(docs.len());
        let ps: Vec<&str> = docs[d].paragraphs().map(|p| p.text).collect();
        if ps.is_empty() {
            continue;
        }
        let p = ps[rng.below(ps.len())];
        let sp = spans(p);
        if sp.len() < len + 2 {
            continue;
        }
        let a = rng.below(sp.len() - len);
        let chars: Vec<char> = p.chars().collect();
        return (d, slice(&chars, sp[a].0, sp[a + len - 1].1));
    }
}

/// Joins words with spaces.
fn words_of(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    spans(text)
        .into_iter()
        .map(|(a, b)| slice(&chars, a, b))
        .collect()
}

fn misspell(w: &str, rng: &mut Rng) -> String {
    let mut c: Vec<char> = w.chars().collect();
    let i = 1 + rng.below(c.len() - 2);
    match rng.below(3) {
        0 => {
            c.remove(i);
        }
        1 => c.insert(i, 'x'),
        _ => c[i] = if c[i] == 'e' { 'a' } else { 'e' },
    }
    c.into_iter().collect()
}

/// `n` cases of every kind from `docs`, deterministic for a seed.
pub fn cases(docs: &[Transcript], n: usize, seed: u64) -> Vec<Case> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for kind in KINDS {
        let mut made = 0;
        while made < n {
            let len = 12 + rng.below(29);
            let (d, w) = window(docs, &mut rng, len);
            let ws = words_of(&w);
            let src = vec![folded(&w)];
            let text = match kind {
                Kind::Exact => {
                    let t = if rng.below(2) == 0 {
                        w.to_uppercase()
                    } else {
                        w.to_lowercase()
                    };
                    format!("“{}”", t.replace('\'', "’"))
                }
                Kind::Trim => {
                    let (a, b) = (rng.below(4), rng.below(4));
                    ws[a..ws.len() - b].join(" ")
                }
                Kind::TrimEllipsis | Kind::Cut => {
                    let a = 3 + rng.below(ws.len() / 2 - 3);
                    let b = (a + 2 + rng.below(4)).min(ws.len() - 3);
                    let mark = if kind == Kind::Cut {
                        " "
                    } else {
                        [" … ", "... ", " [...] "][rng.below(3)]
                    };
                    format!("{}{mark}{}", ws[..a].join(" "), ws[b..].join(" "))
                }
                Kind::Swap => {
                    let i = (0..ws.len() - 1)
                        .map(|k| (k + rng.below(ws.len())) % (ws.len() - 1))
                        .find(|&k| fold_word(&ws[k]) != fold_word(&ws[k + 1]));
                    let Some(i) = i else { continue };
                    let mut v = ws.clone();
                    v.swap(i, i + 1);
                    v.join(" ")
                }
                Kind::Misspell => {
                    let mut v = ws.clone();
                    let long: Vec<usize> = (0..v.len())
                        .filter(|&k| {
                            v[k].chars().count() >= 5 && v[k].chars().all(char::is_alphabetic)
                        })
                        .collect();
                    if long.len() < 2 {
                        continue;
                    }
                    for _ in 0..2 + rng.below(2) {
                        let k = long[rng.below(long.len())];
                        v[k] = misspell(&v[k], &mut rng);
                    }
                    v.join(" ")
                }
                Kind::Retranslate => {
                    let mut v = ws.clone();
                    let mut changed = 0;
                    for x in v.iter_mut() {
                        if let Some((_, s)) = SYNONYMS.iter().find(|(a, _)| fold_word(x) == *a) {
                            *x = s.to_string();
                            changed += 1;
                        }
                    }
                    // Few table words: other words stand for a few of the passage's.
                    while changed < 3 {
                        let k = rng.below(v.len());
                        let (_, other) = window(docs, &mut rng, 1);
                        v[k] = other;
                        changed += 1;
                    }
                    v.join(" ")
                }
                Kind::Splice => {
                    let (d2, w2) = window(docs, &mut rng, len);
                    if d2 == d {
                        continue;
                    }
                    let ws2 = words_of(&w2);
                    let (h1, h2) = (&ws[..ws.len() / 2], &ws2[ws2.len() / 2..]);
                    let s = vec![
                        h1.iter().map(|x| fold_word(x)).collect(),
                        h2.iter().map(|x| fold_word(x)).collect(),
                    ];
                    out.push(Case {
                        kind,
                        text: format!("{} {}", h1.join(" "), h2.join(" ")),
                        sources: s,
                    });
                    made += 1;
                    continue;
                }
                Kind::Shuffle => {
                    let mut v = ws.clone();
                    for i in (1..v.len()).rev() {
                        v.swap(i, rng.below(i + 1));
                    }
                    v.join(" ")
                }
                Kind::Invent => (0..len)
                    .map(|_| window(docs, &mut rng, 1).1)
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            out.push(Case {
                kind,
                text,
                sources: if matches!(kind, Kind::Shuffle | Kind::Invent) {
                    vec![]
                } else {
                    src
                },
            });
            made += 1;
        }
    }
    out
}

/// Whether `hay` holds `needle` as a contiguous run.
fn contains(hay: &[String], needle: &[String]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// Whether the finder's answer is right for the case.
pub fn judge(case: &Case, res: &QuoteResult) -> bool {
    let is_source = |text: &str, src: &[String]| contains(&folded(text), src);
    match case.kind {
        Kind::Shuffle | Kind::Invent => res.matches.is_empty(),
        Kind::Splice => {
            let texts: Vec<&str> = res
                .parts
                .iter()
                .filter_map(|p| {
                    res.matches
                        .iter()
                        .find(|m| m.id == p.id && m.paragraph == p.paragraph)
                        .map(|m| m.text.as_str())
                })
                .collect();
            res.parts.len() >= 2
                && res.matches.iter().all(|m| m.verdict != Verdict::Verbatim)
                && case
                    .sources
                    .iter()
                    .all(|s| texts.iter().any(|t| is_source(t, s)))
        }
        k => {
            let want = if matches!(k, Kind::Exact | Kind::Trim | Kind::TrimEllipsis) {
                Verdict::Verbatim
            } else {
                Verdict::Altered
            };
            res.matches
                .first()
                .is_some_and(|m| m.verdict == want && is_source(&m.text, &case.sources[0]))
        }
    }
}

/// An index of `docs` with every part loaded.
pub fn index(docs: &[Transcript]) -> Index {
    let files = build_index(docs, BuildOptions::default());
    let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
    for p in ix.parts() {
        ix.add_part(p, files.part(p).to_vec()).unwrap();
    }
    ix
}

/// Both steps, as the app runs them: the parts the quote plans (all loaded here), its
/// candidates from the index, then alignment with them round by round.
pub fn run(ix: &Index, by_id: &HashMap<&str, &Transcript>, text: &str) -> QuoteResult {
    let q = Quote::new(text).unwrap();
    assert!(
        q.plan(ix, &Filters::default()).unwrap().is_empty(),
        "every part is loaded"
    );
    QuoteSearch::new(ix, &q, &Filters::default())
        .unwrap()
        .run(|c| Some(by_id[c.id.as_deref().expect("every part is loaded")].clone()))
}

/// Accuracy per kind, printed as a table; returns (kind, right, total).
pub fn evaluate(docs: &[Transcript], per_kind: usize, seed: u64) -> Vec<(Kind, usize, usize)> {
    let ix = index(docs);
    let by_id: HashMap<&str, &Transcript> = docs.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut tally: Vec<(Kind, usize, usize)> = KINDS.iter().map(|&k| (k, 0, 0)).collect();
    for case in cases(docs, per_kind, seed) {
        let res = run(&ix, &by_id, &case.text);
        let ok = judge(&case, &res);
        if !ok && std::env::var("QUOTE_VERBOSE").is_ok() {
            eprintln!(
                "MISS {:?}: {}\n  -> {} parts, {:?}",
                case.kind,
                case.text,
                res.parts.len(),
                res.matches
                    .iter()
                    .take(2)
                    .map(|m| (
                        m.verdict,
                        m.coverage,
                        m.score,
                        &m.text[..m.text.len().min(80)]
                    ))
                    .collect::<Vec<_>>()
            );
        }
        let t = tally.iter_mut().find(|t| t.0 == case.kind).unwrap();
        t.1 += ok as usize;
        t.2 += 1;
    }
    println!(
        "{:<14} {:>6} {:>6} {:>9}",
        "kind", "right", "cases", "accuracy"
    );
    for (k, r, n) in &tally {
        println!(
            "{:<14} {r:>6} {n:>6} {:>8.1}%",
            format!("{k:?}"),
            100.0 * *r as f64 / *n as f64
        );
    }
    tally
}

/// A generated corpus: pseudo-words (syllables, Zipf-like frequencies) in paragraphs.
pub fn generated(n_docs: usize, seed: u64) -> Vec<Transcript> {
    let mut rng = Rng(seed);
    const SYL: [&str; 20] = [
        "ka", "to", "ri", "men", "sa", "lo", "ver", "di", "na", "pol", "te", "gra", "mi", "stu",
        "re", "ban", "co", "li", "fe", "dor",
    ];
    let vocab: Vec<String> = (0..3000)
        .map(|_| {
            (0..1 + rng.below(3))
                .map(|_| SYL[rng.below(SYL.len())])
                .collect()
        })
        .collect();
    (0..n_docs)
        .map(|i| {
            let mut t = Transcript::new(format!("g{i}"), "generated");
            t.sections = vec![Section {
                heading: None,
                turns: (0..3)
                    .map(|_| Turn {
                        paragraphs: (0..4)
                            .map(|_| {
                                (0..30 + rng.below(40))
                                    .map(|_| {
                                        let k = rng.below(vocab.len()) + 1;
                                        vocab[rng.below(k)].as_str()
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" ")
                                    + "."
                            })
                            .collect(),
                        ..Default::default()
                    })
                    .collect(),
            }];
            t
        })
        .collect()
}
