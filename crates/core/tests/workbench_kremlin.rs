//! The workbench on the real Kremlin corpus: concordance totals from the index against
//! counts from the text, and the time of each view, printed (one record in 7 by
//! default so that a debug `cargo test` stays quick; for the figures of
//! docs/workbench.md: `STENOGRAM_KREMLIN_EVERY=1 cargo test --release -p stenogram-core
//! --test workbench_kremlin -- --nocapture`). Skips, saying why, without `../shared`.

mod common;

use std::time::Instant;

use stenogram_core::search::{parse, BuildOptions, Filters, Query};
use stenogram_core::workbench::colloc::{CollocOptions, Collocates};
use stenogram_core::workbench::colloc_index::IndexCollocates;
use stenogram_core::workbench::keyness::{Keyness, KeynessOptions};
use stenogram_core::workbench::kwic::{count_in, Concordance, KwicOptions, KwicSort};
use stenogram_core::workbench::trend::{self, By, TrendQuery};
use stenogram_core::workbench::{doc_set, select};

#[path = "common/kremlin.rs"]
mod kremlin;

/// A start mark: wall clock and this process's CPU time.
#[derive(Clone, Copy)]
struct Mark(Instant, Option<f64>);

/// User + system CPU time of this process in ms, from `/proc/self/stat` (Linux; 10 ms
/// ticks): on a loaded machine, wall time says more about the neighbours than the code.
fn cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

fn now() -> Mark {
    Mark(Instant::now(), cpu())
}

/// "wall ms (cpu ms)".
fn ms(t: Mark) -> String {
    let wall = t.0.elapsed().as_secs_f64() * 1e3;
    match (t.1, cpu()) {
        (Some(a), Some(b)) => format!("{wall:.1} ms wall, {:.0} ms cpu", b - a),
        _ => format!("{wall:.1} ms wall"),
    }
}

#[test]
fn workbench_views_on_the_kremlin_corpus() {
    let every = std::env::var("STENOGRAM_KREMLIN_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let Some(docs) = kremlin::load(every) else {
        eprintln!("skipped: ../shared/corpus/kremlin_en is not present");
        return;
    };
    let ix = common::load_with(&docs, BuildOptions::default());
    let none = Filters::default();
    eprintln!("{} transcripts (one in {every})", docs.len());

    // Exact totals: the index's count against the text's, for words and phrases.
    for q in [
        "russia",
        "\"human rights\"",
        "\"the united states\"",
        "crimea",
    ] {
        let query = parse(q).unwrap();
        let t = now();
        let c = Concordance::new(&ix, &query, &none, KwicOptions::default()).unwrap();
        let total = c.page().total.expect("the index counts words and phrases");
        let plan = ms(t);
        let m = ix.matcher(&query).unwrap();
        let text: u64 = select(&ix, &query, &none)
            .unwrap()
            .iter()
            .map(|h| u64::from(count_in(&m, &docs[h.doc as usize])))
            .sum();
        assert_eq!(total, text, "{q}");
        eprintln!("kwic total {q:24} {total:>8} (index: {plan})");
    }

    let time_kwic = |q: &str, sort: KwicSort| {
        let t = now();
        let query = parse(q).unwrap();
        let opts = KwicOptions {
            sort,
            ..KwicOptions::default()
        };
        let mut c = Concordance::new(&ix, &query, &none, opts).unwrap();
        let needed = c.needs().len();
        for d in c.needs() {
            c.feed(d, &docs[d as usize]);
        }
        let p = c.page();
        eprintln!(
            "kwic first page {q:10} by {sort:?}: {}, {needed} transcripts read, total {:?}, {} lines",
            ms(t),
            p.total,
            p.lines.len()
        );
    };
    time_kwic("the", KwicSort::Date);
    time_kwic("russia", KwicSort::Date);
    time_kwic("russia", KwicSort::Left1);
    time_kwic("negotiat*", KwicSort::Date);

    let t = now();
    let everything = select(&ix, &Query::default(), &none).unwrap();
    let base = trend::base(&ix, &everything, By::Year);
    let qs = [
        "russia",
        "\"human rights\"",
        "economy",
        "terrorism",
        "crimea",
    ];
    for q in qs {
        let tq = TrendQuery::new(&ix, q, &parse(q).unwrap(), &none).unwrap();
        assert!(tq.needs_text().is_empty());
        trend::series(&ix, &tq, &base, By::Year);
    }
    eprintln!("trend of 5 queries by year: {}", ms(t));
    let t = now();
    let tq = TrendQuery::new(&ix, "the", &parse("the").unwrap(), &none).unwrap();
    trend::series(&ix, &tq, &base, By::Month);
    eprintln!("trend of \"the\" by month: {}", ms(t));

    for q in ["security", "russia"] {
        let t = now();
        let mut c = Collocates::new(&ix, &parse(q).unwrap(), &none, 5).unwrap();
        for d in c.needs() {
            c.feed(d, &docs[d as usize]);
        }
        let table = c.table(&CollocOptions::default());
        let top: Vec<&str> = table
            .rows
            .iter()
            .filter(|r| !r.stop)
            .take(8)
            .map(|r| r.word.as_str())
            .collect();
        eprintln!(
            "collocates of {q}: {} over {} transcripts ({} words): {top:?}",
            ms(t),
            table.docs,
            table.words
        );
    }

    for q in [
        "security",
        "russia",
        "the",
        "\"human rights\"",
        "\"united nations\"",
    ] {
        let t = now();
        let mut c = IndexCollocates::new(&ix, &parse(q).unwrap(), &none, 5)
            .unwrap()
            .expect("a word or a phrase is placed from the index");
        for p in c.needs() {
            if let stenogram_core::search::PartId::Post(s) = p {
                c.feed(&ix, s).unwrap();
            }
        }
        let table = c.table(&ix, &CollocOptions::default());
        eprintln!(
            "collocates of {q} from the index: {} over {} transcripts ({} words)",
            ms(t),
            table.docs,
            table.words
        );
    }

    let t = now();
    let q = parse("speaker:\"Vladimir Putin\"").unwrap();
    let set = doc_set(&ix, &select(&ix, &q, &none).unwrap());
    let mut k = Keyness::new(&ix, set);
    for p in k.needs() {
        if let stenogram_core::search::PartId::Post(s) = p {
            k.feed(&ix, s).unwrap();
        }
    }
    let kt = k.table(&ix, &KeynessOptions::default());
    let top: Vec<&str> = kt
        .over
        .iter()
        .filter(|r| !r.stop)
        .take(8)
        .map(|r| r.word.as_str())
        .collect();
    eprintln!(
        "keyness of Putin's transcripts: {} ({} shards): {top:?}",
        ms(t),
        kt.shards
    );
}
