//! Per-kind accuracy of the quote finder on its own test set (`quote_cases.rs`): the
//! Kremlin corpus (a sample, so that a debug-mode `cargo test` stays quick; skipped, saying
//! why, without `../shared`) and a generated corpus that always runs.

#[path = "common/kremlin.rs"]
mod kremlin;
mod quote_cases;

use quote_cases::{evaluate, generated, Kind};

/// Lowest acceptable accuracy per kind.
fn floor(k: Kind) -> f64 {
    match k {
        Kind::Exact | Kind::Trim | Kind::TrimEllipsis => 0.95,
        Kind::Shuffle | Kind::Invent => 0.95,
        Kind::Cut | Kind::Swap | Kind::Misspell => 0.9,
        Kind::Retranslate => 0.85,
        Kind::Splice => 0.8,
    }
}

fn check(tally: &[(Kind, usize, usize)]) {
    for &(k, r, n) in tally {
        let acc = r as f64 / n as f64;
        assert!(
            acc >= floor(k),
            "{k:?}: {r}/{n} right, below {:.0}%",
            floor(k) * 100.0
        );
    }
}

#[test]
fn quote_accuracy_on_generated_corpus() {
    let docs = generated(300, 7);
    check(&evaluate(&docs, 15, 11));
}

#[test]
fn quote_accuracy_on_kremlin_sample() {
    let every = std::env::var("STENOGRAM_KREMLIN_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let Some(docs) = kremlin::load(every) else {
        eprintln!("skipped: ../shared/corpus/kremlin_en is not present");
        return;
    };
    let per_kind = std::env::var("QUOTE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    check(&evaluate(&docs, per_kind, 2026));
}
