//! The word dictionary in key-range shards (index format 10): a prefix reads only the
//! shards its words lie in, a typo every shard, a plain word none, and each finds the
//! same documents as with the dictionary in one shard.

mod common;

use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::search::{build_index, parse, BuildOptions, IndexFiles, PartId, SearchOptions};

/// Documents whose words spread over the alphabet: "alpha0 … zulu9" and one "negotiate",
/// "negotiations", "negotiator" each.
fn corpus() -> Vec<Transcript> {
    let names = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra",
        "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
    ];
    let neg = ["negotiate", "negotiations", "negotiator"];
    (0..30)
        .map(|d| {
            let mut words: Vec<String> = names
                .iter()
                .map(|n| format!("{n}{}", (d * 7) % 10))
                .collect();
            if d < neg.len() {
                words.push(neg[d].to_string());
            }
            let mut t = Transcript::new(format!("d{d}"), "Talks");
            t.sections = vec![Section {
                heading: None,
                turns: vec![Turn {
                    speaker: Some("Speaker".into()),
                    paragraphs: vec![words.join(" ")],
                    ..Turn::default()
                }],
            }];
            t
        })
        .collect()
}

/// The parts a cold index fetches for `q`, asking the plan until it names none, and the
/// documents found.
fn run(files: &IndexFiles, q: &str) -> (Vec<PartId>, Vec<u32>) {
    let q = parse(q).unwrap();
    let (ix, all) = common::planned(files, &q);
    let opts = SearchOptions {
        limit: usize::MAX,
        ..SearchOptions::default()
    };
    let mut docs: Vec<u32> = ix
        .search(&q, &opts)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.doc)
        .collect();
    docs.sort_unstable();
    (all, docs)
}

fn words(parts: &[PartId]) -> Vec<u32> {
    parts
        .iter()
        .filter_map(|p| match p {
            PartId::Words(i) => Some(*i),
            _ => None,
        })
        .collect()
}

#[test]
fn a_prefix_reads_its_shards_a_typo_all_a_word_none_with_the_same_hits() {
    let docs = corpus();
    let small = build_index(&docs, common::opts(false));
    let whole = build_index(
        &docs,
        BuildOptions {
            words_shard_bytes: usize::MAX,
            ..common::opts(false)
        },
    );
    let n = small.words.len() as u32;
    assert!(n > 8, "{n} word shards");
    assert_eq!(whole.words.len(), 1);

    let (parts, hits) = run(&small, "negotiat*");
    assert!(
        !words(&parts).is_empty() && words(&parts).len() <= 2,
        "{parts:?}"
    );
    assert_eq!(hits, vec![0, 1, 2]);
    assert_eq!(run(&whole, "negotiat*").1, hits);

    // A prefix across several shards: every word of "a…" to "z…" starting with a letter.
    for p in ["al*", "m*", "zulu*", "x*"] {
        let (parts, hits) = run(&small, p);
        assert!((words(&parts).len() as u32) < n, "{p}: {parts:?}");
        assert_eq!(run(&whole, p).1, hits, "{p}");
        assert_eq!(hits.len(), 30, "{p}");
    }

    // A misspelt word may differ in its first letter: every shard, the same hits.
    let (parts, hits) = run(&small, "negotiatr");
    assert_eq!(words(&parts), (0..n).collect::<Vec<_>>());
    assert_eq!(run(&whole, "negotiatr").1, hits);
    assert!(hits.contains(&2), "{hits:?}");

    // A word the index has reads no word shard.
    let (parts, hits) = run(&small, "kilo7");
    assert!(words(&parts).is_empty(), "{parts:?}");
    assert_eq!(hits, vec![1, 11, 21]);
}
