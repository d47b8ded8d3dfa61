//! Property tests of the workbench against brute-force oracles on generated corpora:
//! concordance totals and lines (from the index and from the text), trend counts and
//! word totals, collocation windows and keyness frequencies. The oracles tokenize
//! every transcript with the analyzer and compare stems directly; they share nothing
//! with the workbench but the analysis.

mod common;

use std::collections::BTreeMap;

use proptest::prelude::*;
use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::search::analysis::{fold_word, stem, tokens};
use stenogram_core::search::{parse, Filters, Index};
use stenogram_core::workbench::colloc::{CollocOptions, Collocates};
use stenogram_core::workbench::colloc_index::IndexCollocates;
use stenogram_core::workbench::keyness::{Keyness, KeynessOptions};
use stenogram_core::workbench::kwic::{self, Concordance, KwicOptions, KwicSort};
use stenogram_core::workbench::trend::{self, By, TrendQuery};
use stenogram_core::workbench::{doc_set, select};

const WORDS: &[&str] = &[
    "Russia",
    "Russia’s",
    "Russian",
    "security",
    "secure",
    "peace",
    "war",
    "wars",
    "the",
    "of",
    "talks",
    "talk",
    "oil",
    "gas",
    "Syria",
    "collective",
    "don't",
    "café",
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![3 => prop::sample::select(&WORDS[..6]), 1 => prop::sample::select(WORDS)],
        1..max,
    )
    .prop_map(|w| w.join(" "))
}

fn transcript() -> impl Strategy<Value = Transcript> {
    (
        text(4),
        prop::collection::vec(text(8), 0..3),
        prop::collection::vec(
            (
                prop::option::of(prop::sample::select(&["Putin", "Merkel"][..])),
                prop::collection::vec(text(14), 1..3),
            ),
            0..4,
        ),
        prop::option::of((2013u32..2017, 0u32..13, 1u32..29)),
    )
        .prop_map(|(title, summary, turns, date)| {
            let mut t = Transcript::new("x", title);
            t.summary = summary;
            t.sections = vec![Section {
                heading: None,
                turns: turns
                    .into_iter()
                    .map(|(sp, paragraphs)| Turn {
                        label: sp.map(str::to_owned),
                        speaker: sp.map(str::to_owned),
                        paragraphs,
                        ..Default::default()
                    })
                    .collect(),
            }];
            match date {
                // Month 0: the year alone, as UN General Debate records.
                Some((y, 0, _)) => t.year = Some(y as i32),
                Some((y, m, d)) => t.date = Some(format!("{y:04}-{m:02}-{d:02}")),
                None => {}
            }
            t
        })
}

fn corpus() -> impl Strategy<Value = Vec<Transcript>> {
    prop::collection::vec(transcript(), 1..14).prop_map(|mut v| {
        for (i, t) in v.iter_mut().enumerate() {
            t.id = format!("t{:02}", (i * 7) % 23);
        }
        v
    })
}

/// Title, then every paragraph: the pieces a concordance reads.
fn pieces(t: &Transcript) -> Vec<&str> {
    std::iter::once(t.title.as_str())
        .chain(t.paragraphs().map(|p| p.text))
        .collect()
}

/// Occurrences of a phrase of stems (one word: a word) in `t`, by brute force.
fn oracle_count(t: &Transcript, stems: &[String]) -> u64 {
    pieces(t)
        .iter()
        .map(|p| {
            let toks = tokens(p);
            toks.windows(stems.len())
                .filter(|w| w.iter().zip(stems).all(|(t, s)| &t.term == s))
                .count() as u64
        })
        .sum()
}

/// Whether every stem of a query occurs in the corpus. The oracles model exact
/// matching; a query word the index lacks is typo-expanded by design (a corpus with
/// "Russian" but no "Russia" matches `russia` within one edit), which they do not model.
fn all_indexed(docs: &[Transcript], stems: &[String]) -> bool {
    stems.iter().all(|s| {
        docs.iter().any(|t| {
            pieces(t)
                .iter()
                .any(|p| tokens(p).iter().any(|k| &k.term == s))
        })
    })
}

fn oracle_prefix(t: &Transcript, prefix: &str) -> u64 {
    pieces(t)
        .iter()
        .map(|p| {
            tokens(p)
                .iter()
                .filter(|t| t.folded.starts_with(prefix))
                .count() as u64
        })
        .sum()
}

fn oracle_words(t: &Transcript) -> u64 {
    pieces(t).iter().map(|p| tokens(p).len() as u64).sum()
}

fn stems_of(q: &str) -> Vec<String> {
    q.split_whitespace()
        .map(|w| stem(&fold_word(w.trim_matches('"'))))
        .collect()
}

/// Every line of a concordance, feeding what it needs.
fn run_kwic(
    ix: &Index,
    docs: &[Transcript],
    q: &str,
    opts: KwicOptions,
) -> (Option<u64>, Vec<String>) {
    let query = parse(q).unwrap();
    let mut c = Concordance::new(ix, &query, &Filters::default(), opts).unwrap();
    for d in c.needs() {
        c.feed(d, &docs[d as usize]);
    }
    assert!(c.done());
    let p = c.page();
    let lines = p
        .lines
        .iter()
        .map(|l| {
            format!(
                "{}|{:?}|{}|{}|{}",
                l.id, l.paragraph, l.left, l.matched, l.right
            )
        })
        .collect();
    (p.total, lines)
}

const QUERIES: &[&str] = &[
    "russia",
    "security",
    "\"collective security\"",
    "\"the russia\"",
    "\"russia security peace\"",
    "war",
    "talk",
];

/// Collocates queries whose tables from the index and from the text must agree.
const COLLOC_QUERIES: &[&str] = &[
    "russia",
    "russia OR security",
    "\"collective security\"",
    "\"the russia\"",
    "\"russia security peace\"",
    "peace \"collective security\"",
    "\"of the\" OR war",
    "\"the the\"",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn concordance_totals_and_lines_agree_with_the_oracle(docs in corpus(), pairs in any::<bool>()) {
        let ix = common::load_with(&docs, common::opts(pairs));
        for q in QUERIES {
            let stems = stems_of(q);
            if !all_indexed(&docs, &stems) {
                continue;
            }
            let want: u64 = docs.iter().map(|t| oracle_count(t, &stems)).sum();
            let all = KwicOptions { limit: 10_000, ..KwicOptions::default() };
            let (total, lines) = run_kwic(&ix, &docs, q, all.clone());
            prop_assert_eq!(total, Some(want), "{}", q);
            prop_assert_eq!(lines.len() as u64, want, "{}", q);
            // The same lines when the index pages them as when every text is read.
            for sort in [KwicSort::Date, KwicSort::Transcript] {
                let full = run_kwic(&ix, &docs, q, KwicOptions { sort, ..all.clone() }).1;
                let mut paged = Vec::new();
                let mut offset = 0;
                while offset < want as usize {
                    let o = KwicOptions { sort, offset, limit: 3, ..all.clone() };
                    paged.extend(run_kwic(&ix, &docs, q, o).1);
                    offset += 3;
                }
                prop_assert_eq!(&paged, &full, "{} {:?}", q, sort);
            }
            // Sorted by context: every text read, the same lines in another order.
            let (t2, mut by_left) = run_kwic(&ix, &docs, q, KwicOptions { sort: KwicSort::Left1, ..all.clone() });
            prop_assert_eq!(t2, Some(want));
            let mut l2 = lines.clone();
            by_left.sort();
            l2.sort();
            prop_assert_eq!(by_left, l2);
            let (_, first) = run_kwic(&ix, &docs, q, KwicOptions { sort: KwicSort::Right1, limit: 2, ..all.clone() });
            prop_assert!(first.len() as u64 == want.min(2));
        }
        // Under a speaker scope the index counts what the highlighter marks in their turns.
        for q in ["speaker:Putin russia", "speaker:Putin \"collective security\"", "speaker:Merkel war OR peace"] {
            let query = parse(q).unwrap();
            let words: Vec<String> = stems_of(q).into_iter().skip(1).filter(|s| s != "or").collect();
            if !all_indexed(&docs, &words) {
                continue;
            }
            let m = ix.matcher(&query).unwrap();
            let counts = ix.occurrence_counts(&m).unwrap().expect("counted from the index");
            for (d, t) in docs.iter().enumerate() {
                prop_assert_eq!(counts[d], kwic::count_in(&m, t), "{} in {}", q, d);
            }
        }
        // A prefix is counted from the text (the index stores stems).
        let want: u64 = docs.iter().map(|t| oracle_prefix(t, "secur")).sum();
        let (total, _) = run_kwic(&ix, &docs, "secur*", KwicOptions::default());
        prop_assert_eq!(total, Some(want));
    }

    #[test]
    fn trend_counts_and_word_totals_agree_with_the_oracle(docs in corpus(), by_month in any::<bool>()) {
        let ix = common::load_with(&docs, common::opts(true));
        let by = if by_month { By::Month } else { By::Year };
        let everything = select(&ix, &parse("").unwrap(), &Filters::default()).unwrap();
        let base = trend::base(&ix, &everything, by);
        let key = |t: &Transcript| -> Option<String> {
            match (by, t.date.as_deref(), t.year) {
                (By::Year, Some(d), _) => Some(d[..4].to_string()),
                (By::Year, None, Some(y)) => Some(format!("{y:04}")),
                (By::Month, Some(d), _) => Some(d[..7].to_string()),
                _ => None,
            }
        };
        let mut want_base: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for t in &docs {
            if let Some(k) = key(t) {
                let e = want_base.entry(k).or_default();
                e.0 += 1;
                e.1 += oracle_words(t);
            }
        }
        prop_assert_eq!(&base, &want_base);
        for (d, t) in docs.iter().enumerate() {
            prop_assert_eq!(u64::from(ix.doc_words(d as u32)), oracle_words(t));
        }
        for q in QUERIES {
            let stems = stems_of(q);
            if !all_indexed(&docs, &stems) {
                continue;
            }
            let tq = TrendQuery::new(&ix, q, &parse(q).unwrap(), &Filters::default()).unwrap();
            prop_assert!(tq.needs_text().is_empty());
            let s = trend::series(&ix, &tq, &base, by);
            let matched: Vec<u32> = tq.hits.iter().map(|h| h.doc).collect();
            let mut want: BTreeMap<String, (u64, u64)> = want_base.keys().map(|k| (k.clone(), (0, 0))).collect();
            for &d in &matched {
                let t = &docs[d as usize];
                if let Some(k) = key(t) {
                    let e = want.get_mut(&k).unwrap();
                    e.0 += 1;
                    e.1 += oracle_count(t, &stems);
                }
            }
            let got: BTreeMap<String, (u64, u64)> =
                s.buckets.iter().map(|b| (b.key.clone(), (b.docs, b.hits))).collect();
            prop_assert_eq!(got, want, "{}", q);
        }
    }

    #[test]
    fn collocation_windows_and_keyness_frequencies_agree_with_the_oracle(docs in corpus(), pairs in any::<bool>()) {
        let ix = common::load_with(&docs, common::opts(pairs));
        let q = parse("russia").unwrap();
        let node = stem("russia");
        if !all_indexed(&docs, std::slice::from_ref(&node)) {
            return Ok(());
        }
        let mut c = Collocates::new(&ix, &q, &Filters::default(), 2).unwrap();
        for d in c.needs() {
            c.feed(d, &docs[d as usize]);
        }
        let table = c.table(&CollocOptions { min_freq: 1, limit: 1000 });
        // Oracle: token numbers as the index gives them (title from 1, one unused
        // number between pieces); tokens within 2 numbers of a node token, not node
        // tokens, once each.
        let mut cooc: BTreeMap<String, u64> = BTreeMap::new();
        let mut hits = 0;
        for t in &docs {
            let mut toks: Vec<(u32, String)> = Vec::new();
            let mut next = 0u32;
            for p in pieces(t) {
                next += 1;
                for tk in tokens(p) {
                    toks.push((next, tk.term));
                    next += 1;
                }
            }
            let nodes: Vec<u32> = toks.iter().filter(|t| t.1 == node).map(|t| t.0).collect();
            hits += nodes.len() as u64;
            for (p, term) in &toks {
                if *term != node && nodes.iter().any(|&n| n.abs_diff(*p) <= 2) {
                    *cooc.entry(term.clone()).or_default() += 1;
                }
            }
        }
        prop_assert_eq!(table.node_hits, hits);
        for (s, &n) in &cooc {
            prop_assert_eq!(c.cooc_of(s), n, "{}", s);
        }
        // From the index: the same table, for words and phrases (from pairs or words).
        for qs in COLLOC_QUERIES {
            if !all_indexed(&docs, &stems_of(&qs.replace(" OR ", " "))) {
                continue;
            }
            let q = parse(qs).unwrap();
            let mut text = Collocates::new(&ix, &q, &Filters::default(), 2).unwrap();
            for d in text.needs() {
                text.feed(d, &docs[d as usize]);
            }
            let from_ix = IndexCollocates::new(&ix, &q, &Filters::default(), 2).unwrap();
            // A stem twice: two matches may overlap, which only the text can merge.
            let Some(mut from_ix) = from_ix else {
                prop_assert!(qs.contains("the the"), "{}", qs);
                continue;
            };
            for p in from_ix.needs() {
                if let stenogram_core::search::PartId::Post(s) = p {
                    from_ix.feed(&ix, s).unwrap();
                }
            }
            let opts = CollocOptions { min_freq: 1, limit: 10_000 };
            let (a, b) = (text.table(&opts), from_ix.table(&ix, &opts));
            prop_assert_eq!((a.node_hits, a.window_words, a.words, a.docs), (b.node_hits, b.window_words, b.words, b.docs), "{}", qs);
            let key = |t: &stenogram_core::workbench::colloc::CollocTable| {
                let mut v: Vec<(String, u64, u64)> = t.rows.iter().map(|r| (r.stem.clone(), r.cooc, r.freq)).collect();
                v.sort();
                v
            };
            prop_assert_eq!(key(&a), key(&b), "{}", qs);
        }
        // Keyness frequencies: the set is the transcripts with a speaker turn by Putin.
        let set_q = parse("speaker:Putin").unwrap();
        let set = doc_set(&ix, &select(&ix, &set_q, &Filters::default()).unwrap());
        let mut k = Keyness::new(&ix, set.clone());
        for p in k.needs() {
            if let stenogram_core::search::PartId::Post(s) = p {
                k.feed(&ix, s).unwrap();
            }
        }
        let kt = k.table(&ix, &KeynessOptions { min_freq: 1, limit: 10_000 });
        let mut want: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        let (mut wa, mut wb) = (0, 0);
        for (d, t) in docs.iter().enumerate() {
            let inside = set.contains(d as u32);
            for p in pieces(t) {
                for tk in tokens(p) {
                    let e = want.entry(tk.term).or_default();
                    if inside { e.0 += 1; wa += 1 } else { e.1 += 1; wb += 1 }
                }
            }
        }
        prop_assert_eq!((kt.set_words, kt.rest_words), (wa, wb));
        for r in kt.over.iter().chain(&kt.under) {
            prop_assert_eq!(Some(&(r.set, r.rest)), want.get(&r.stem), "{}", r.stem);
        }
    }
}
