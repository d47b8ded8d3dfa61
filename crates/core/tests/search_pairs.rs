//! The next-word index: a two-word phrase with a pair term is answered from that term's
//! postings, without positions; longer or scoped phrases read the pairs' positions. Both
//! give the same hits and scores as the words' positions.

mod common;

use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::search::{
    build_index, parse, BuildOptions, Index, IndexFiles, PartId, SearchOptions,
};

fn doc(id: &str, title: &str, speaker: &str, paragraphs: &[&str]) -> Transcript {
    let mut t = Transcript::new(id, title);
    t.summary = vec!["Human rights were discussed; rights, human and other.".into()];
    t.sections = vec![Section {
        heading: None,
        turns: vec![Turn {
            label: Some(speaker.into()),
            speaker: Some(speaker.into()),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Turn::default()
        }],
    }];
    t
}

fn corpus() -> Vec<Transcript> {
    vec![
        doc(
            "a",
            "Human rights council",
            "Vladimir Putin",
            &["We spoke of human rights.", "Rights of every human being."],
        ),
        doc(
            "b",
            "Talks",
            "Angela Merkel",
            &["Human rights, human rights and again human rights."],
        ),
        doc(
            "c",
            "Other",
            "Vladimir Putin",
            &["Human beings have rights."],
        ),
        doc("d", "Rights", "Sergei Lavrov", &["The human. Rights."]),
    ]
}

/// Opens `files` and loads only what the plan names, as the browser does.
fn planned(files: &IndexFiles, q: &str) -> (Index, Vec<PartId>) {
    common::planned(files, &parse(q).unwrap())
}

fn hits(ix: &Index, q: &str) -> Vec<(String, f32)> {
    let res = ix
        .search(
            &parse(q).unwrap(),
            &SearchOptions {
                limit: usize::MAX,
                ..SearchOptions::default()
            },
        )
        .unwrap();
    res.hits.into_iter().map(|h| (h.id, h.score)).collect()
}

#[test]
fn a_two_word_phrase_with_a_pair_term_reads_no_positions_and_ranks_the_same() {
    let docs = corpus();
    let with = common::build(&docs, true);
    let without = common::build(&docs, false);
    assert!(with.pairs.pairs > 0 && without.pairs.pairs == 0);
    for q in [
        "\"human rights\"",
        "\"rights human\"",
        "\"human rights\" council",
        "talks OR \"human rights\"",
        "-\"human rights\" human",
    ] {
        let (ix_with, parts) = planned(&with, q);
        assert!(
            !parts.iter().any(|p| matches!(p, PartId::Pos(_))),
            "{q}: a pair term needs no positions, the plan named {parts:?}"
        );
        let (ix_without, parts) = planned(&without, q);
        assert!(parts.iter().any(|p| matches!(p, PartId::Pos(_))), "{q}");
        assert_eq!(hits(&ix_with, q), hits(&ix_without, q), "{q}");
    }
}

#[test]
fn a_speaker_scope_reads_positions_even_with_a_pair_term() {
    let files = common::build(&corpus(), true);
    let q = "speaker:\"Vladimir Putin\" \"human rights\"";
    let (ix, parts) = planned(&files, q);
    assert!(parts.iter().any(|p| matches!(p, PartId::Pos(_))));
    let got: Vec<String> = hits(&ix, q).into_iter().map(|h| h.0).collect();
    assert_eq!(got, vec!["a".to_string()]);
}

#[test]
fn longer_and_scoped_phrases_read_pair_positions_and_rank_the_same() {
    let docs = corpus();
    let with = common::build(&docs, true);
    let without = common::build(&docs, false);
    for q in [
        "\"human rights human rights\"",
        "\"of human rights\"",
        "\"spoke of human rights\"",
        "\"rights human rights and\"",
        "\"human rights council\"",
        "\"rights of every human being\"",
        "speaker:\"Angela Merkel\" \"human rights\"",
        "speaker:\"Vladimir Putin\" \"we spoke of human\"",
        "-\"again human rights\" human",
    ] {
        let (ix_with, _) = planned(&with, q);
        let (ix_without, _) = planned(&without, q);
        assert_eq!(hits(&ix_with, q), hits(&ix_without, q), "{q}");
    }
}

#[test]
fn the_budget_keeps_the_pairs_in_most_documents_first() {
    let docs = corpus();
    let all = build_index(&docs, common::opts(true));
    // The smallest budget that keeps at least one pair.
    let some = (1..100)
        .map(|i| {
            build_index(
                &docs,
                BuildOptions {
                    pair_budget: f64::from(i) / 100.0,
                    ..common::opts(true)
                },
            )
        })
        .find(|f| f.pairs.pairs > 0)
        .unwrap();
    assert!(some.pairs.pairs > 0 && some.pairs.pairs < all.pairs.pairs);
    assert!(some.pairs.min_docs >= all.pairs.min_docs);
    // "human right" is in every document (the summary has it): it is kept first.
    let (ix, parts) = planned(&some, "\"human rights\"");
    assert!(!parts.iter().any(|p| matches!(p, PartId::Pos(_))));
    assert_eq!(hits(&ix, "\"human rights\"").len(), 4);
    // Pairs in fewer documents than `pair_min_docs` are left out.
    let none = build_index(
        &docs,
        BuildOptions {
            pair_min_docs: 5,
            ..common::opts(true)
        },
    );
    assert_eq!(none.pairs.pairs, 0);
}

/// Regression: folding decomposes the ligature U+FDFB into two words with a space, and
/// pair keys used a space: the stem and the pair had one key, which made the dictionary
/// unbuildable, and a phrase of the two words would have read the ligature's postings.
#[test]
fn a_stem_that_holds_a_space_is_not_taken_for_a_pair() {
    let docs = vec![
        doc("l", "Ligature", "Speaker", &["\u{FDFB} only. Peace."]),
        doc("w", "Words", "Speaker", &["جل جلاله, again جل جلاله. Peace."]),
    ];
    let ix = common::load(&docs);
    assert_eq!(hits(&ix, "peace").len(), 2);
    let got: Vec<String> = hits(&ix, "\"جل جلاله\"").into_iter().map(|h| h.0).collect();
    assert_eq!(got, vec!["w".to_string()]);
    let oracle = common::Oracle::new(&docs);
    assert_eq!(oracle.search(&parse("\"جل جلاله\"").unwrap()), vec![1]);
}

/// Costly pairs: at 18k transcripts "collective security" was in 1,173 transcripts, below
/// the pairs the budget keeps, and its phrase fetched the 137 KB of positions of
/// "security". A pair whose words' positions add up to `pair_costly_bytes` is kept beyond
/// the budget when in `pair_costly_min_docs` documents; one with a word in more than
/// `pair_function_share` of the documents is not. Hits are the same either way.
#[test]
fn a_costly_pair_is_kept_beyond_the_budget_but_not_one_with_a_function_word() {
    let docs: Vec<Transcript> = (0..10)
        .map(|i| {
            let text = match i {
                0..3 => "Collective security matters. The security of all.",
                3..5 => "Security first. The collective farm.",
                _ => "The weather.",
            };
            doc(&format!("d{i}"), "Talk", "Speaker", &[text])
        })
        .collect();
    let costly = BuildOptions {
        pair_min_docs: 1,
        pair_budget: 0.0,
        pair_pos_budget: 0.0,
        pair_costly_bytes: 1,
        pair_costly_min_docs: 2,
        pair_costly_budget: f64::INFINITY,
        pair_function_share: 0.7,
        ..common::opts(false)
    };
    let files = build_index(&docs, costly);
    let without = build_index(&docs, common::opts(false));
    assert!(files.pairs.costly > 0);
    assert_eq!(
        files.pairs.costly, files.pairs.pairs,
        "the budget kept none"
    );
    // "collective" and "security" are in half the documents: the pair is kept, and the
    // phrase reads no positions.
    let (ix, parts) = planned(&files, "\"collective security\"");
    assert!(
        !parts.iter().any(|p| matches!(p, PartId::Pos(_))),
        "{parts:?}"
    );
    let (ix_without, _) = planned(&without, "\"collective security\"");
    assert_eq!(hits(&ix, "\"collective security\"").len(), 3);
    assert_eq!(
        hits(&ix, "\"collective security\""),
        hits(&ix_without, "\"collective security\"")
    );
    // "the" is in every document: "the security" is read from positions.
    let (ix, parts) = planned(&files, "\"the security\"");
    assert!(
        parts.iter().any(|p| matches!(p, PartId::Pos(_))),
        "{parts:?}"
    );
    let (ix_without, _) = planned(&without, "\"the security\"");
    assert_eq!(hits(&ix, "\"the security\"").len(), 3);
    assert_eq!(
        hits(&ix, "\"the security\""),
        hits(&ix_without, "\"the security\"")
    );
    // Rarer than `pair_costly_min_docs`, or not costly: not kept.
    let rare = build_index(
        &docs,
        BuildOptions {
            pair_costly_min_docs: 4,
            ..costly
        },
    );
    assert_eq!(rare.pairs.pairs, 0);
    let cheap = build_index(
        &docs,
        BuildOptions {
            pair_costly_bytes: usize::MAX,
            ..costly
        },
    );
    assert_eq!(cheap.pairs.pairs, 0);
}

/// Regression: the first pair that did not fit the budget was taken off the candidates
/// and dropped, so it could not be kept as a costly pair either.
#[test]
fn the_pair_the_budget_stops_at_may_still_be_kept_as_costly() {
    let docs = corpus();
    // Every pair is costly here, and no word is a function word.
    let costly_only = BuildOptions {
        pair_min_docs: 1,
        pair_budget: 0.0,
        pair_pos_budget: 0.0,
        pair_costly_bytes: 1,
        pair_costly_min_docs: 2,
        pair_costly_budget: f64::INFINITY,
        pair_function_share: 1.0,
        ..common::opts(false)
    };
    // Every pair in two documents or more, kept by the budget alone.
    let by_budget = build_index(
        &docs,
        BuildOptions {
            pair_min_docs: 2,
            pair_budget: f64::INFINITY,
            pair_costly_budget: 0.0,
            ..costly_only
        },
    );
    assert!(by_budget.pairs.pairs > 1 && by_budget.pairs.costly == 0);
    // No budget, or one too small for any pair: the pair it stops at is kept as costly.
    for pair_budget in [0.0, 1e-12] {
        let costly = build_index(
            &docs,
            BuildOptions {
                pair_budget,
                ..costly_only
            },
        );
        assert_eq!(costly.pairs.costly, by_budget.pairs.pairs, "{pair_budget}");
        assert_eq!(costly.pairs.pairs, by_budget.pairs.pairs, "{pair_budget}");
    }
}
