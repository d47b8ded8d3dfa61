//! The workbench on the real Kremlin corpus: concordance totals from the index against
//! counts from the text, and the time of each view, printed (one record in 7 by
//! default so that a debug `cargo test` stays quick; for the figures of
//! docs/workbench.md: `STENOGRAM_KREMLIN_EVERY=1 cargo test --release -p stenogram-core
//! --test workbench_kremlin -- --nocapture`). Skips, saying why, without `../shared`.

mod common;

use std::time::Instant;

use stenogram_core::search::{parse, BuildOptions, Filters, Query};
use stenogram_core::workbench::colloc::{CollocOptions, Collocates};
use stenogram_core::workbench::keyness::{Keyness, KeynessOptions};
use stenogram_core::workbench::kwic::{count_in, Concordance, KwicOptions, KwicSort};
use stenogram_core::workbench::trend::{self, By, TrendQuery};
use stenogram_core::workbench::{doc_set, select};

#[path = "common/kremlin.rs"]
mod kremlin;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
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
        let t = Instant::now();
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
        eprintln!("kwic total {q:24} {total:>8} (index, {plan:.1} ms)");
    }

    let time_kwic = |q: &str, sort: KwicSort| {
        let t = Instant::now();
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
            "kwic first page {q:10} by {sort:?}: {:.1} ms, {needed} transcripts read, total {:?}, {} lines",
            ms(t),
            p.total,
            p.lines.len()
        );
    };
    time_kwic("the", KwicSort::Date);
    time_kwic("russia", KwicSort::Date);
    time_kwic("russia", KwicSort::Left1);
    time_kwic("negotiat*", KwicSort::Date);

    let t = Instant::now();
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
    eprintln!("trend of 5 queries by year: {:.1} ms", ms(t));
    let t = Instant::now();
    let tq = TrendQuery::new(&ix, "the", &parse("the").unwrap(), &none).unwrap();
    trend::series(&ix, &tq, &base, By::Month);
    eprintln!("trend of \"the\" by month: {:.1} ms", ms(t));

    for q in ["security", "russia"] {
        let t = Instant::now();
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
            "collocates of {q}: {:.0} ms over {} transcripts ({} words): {top:?}",
            ms(t),
            table.docs,
            table.words
        );
    }

    let t = Instant::now();
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
        "keyness of Putin's transcripts: {:.0} ms ({} shards): {top:?}",
        ms(t),
        kt.shards
    );
}
