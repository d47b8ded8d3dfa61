//! The engine against the brute-force oracle on the real Kremlin corpus (one record in 7,
//! so that a debug-mode `cargo test` stays quick; `STENOGRAM_KREMLIN_EVERY=1 cargo test
//! --release -p stenogram-core --test search_kremlin -- --nocapture` checks all 7,235).
//! Skips, saying why, without `../shared`.

mod common;

use stenogram_core::search::{parse, BuildOptions, SearchOptions, Sort};

#[path = "common/kremlin.rs"]
mod kremlin;

const QUERIES: &[&str] = &[
    "syria",
    "Russia’s economy",
    "\"collective security\"",
    "\"United Nations\" -syria",
    "negotiat*",
    "terorism",
    "econommic",
    "sanctions OR embargo",
    "speaker:\"Vladimir Putin\" syria",
    "speaker:\"Dmitry Medvedev\" -russia",
    "place:moscow date:2016..2018",
    "topic:\"foreign policy\" kind:transcript",
    "mentions:ukraine gas",
    "date:2016-05..2016-12 (medvedev OR president)",
    "-the",
    "\"prime minister\" OR \"foreign minister\" date:2019",
    "\"president of the russian federation\"",
    "\"of the\" -russia",
    "speaker:\"Vladimir Putin\" \"united states\"",
    "goverment",
    "terror* -\"terrorist attack\"",
    // Longer phrases of frequent words: placed by pair positions (index format 6).
    "\"the united states\"",
    "\"one of the most\" -\"in the world\"",
    "speaker:\"Vladimir Putin\" \"of the\"",
];

#[test]
fn engine_matches_oracle_on_kremlin_sample() {
    let every = std::env::var("STENOGRAM_KREMLIN_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let Some(docs) = kremlin::load(every) else {
        skip("../shared/corpus/kremlin_en is not present");
        return;
    };
    // Every pair a pair term with positions, and the shipped settings (the pairs in most
    // documents, some with positions; the document threshold scaled to the sample).
    let every_pair = common::load(&docs);
    let shipped = common::load_with(
        &docs,
        BuildOptions {
            pair_min_docs: (BuildOptions::default().pair_min_docs / every as u32).max(1),
            ..BuildOptions::default()
        },
    );
    let oracle = common::Oracle::new(&docs);
    let opts = SearchOptions {
        sort: Sort::Oldest,
        limit: usize::MAX,
        ..SearchOptions::default()
    };
    for qs in QUERIES {
        let q = parse(qs).unwrap();
        let want = oracle.search(&q);
        for (settings, ix) in [("every pair", &every_pair), ("shipped", &shipped)] {
            let res = ix.search(&q, &opts).unwrap();
            let got: Vec<u32> = res.hits.iter().map(|h| h.doc).collect();
            assert_eq!(got, want, "{qs} ({settings})");
        }
        eprintln!("{qs:50} {} of {} docs", want.len(), docs.len());
    }
}

/// Says why the test is skipped where the run's log shows it: the harness captures
/// `println!`, not a direct write to the stderr handle.
fn skip(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}
