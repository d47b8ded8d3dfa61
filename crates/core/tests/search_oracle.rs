//! Property test: on generated corpora, the engine finds exactly the documents a
//! brute-force oracle finds, for every operator and their combinations, and its
//! totals and facet counts agree with that set.

mod common;

use proptest::prelude::*;
use stenogram_core::model::{Mention, Section, Transcript, Turn};
use stenogram_core::search::{parse, Facet, Filters, PartId, SearchError, SearchOptions, Sort};

const WORDS: &[&str] = &[
    "Russia",
    "Russia’s",
    "Russian",
    "Syria",
    "Syrian",
    "security",
    "secure",
    "securities",
    "president",
    "presidents",
    "peace",
    "piece",
    "war",
    "wars",
    "café",
    "cafe",
    "Путин",
    "переговоры",
    "переговоров",
    "negotiation",
    "negotiations",
    "NATO",
    "talks",
    "talk",
    "economy",
    "economic",
    "2015",
    "oil",
    "gas",
    "the",
    "of",
    "cooperation",
    "co-operation",
    "don't",
    "Élysée",
    "collective",
];
const SPEAKERS: &[&str] = &[
    "Vladimir Putin",
    "Dmitry Medvedev",
    "Sergei Lavrov",
    "Angela Merkel",
];
/// Who a generated turn is: a speaker, or (labelled "Question", no speaker) a questioner.
const LABELS: &[&str] = &[
    "Vladimir Putin",
    "Dmitry Medvedev",
    "Sergei Lavrov",
    "Angela Merkel",
    "Question",
    "Question",
];
const PLACES: &[&str] = &[
    "The Kremlin, Moscow",
    "Sochi",
    "Novo-Ogaryovo, Moscow Region",
    "Berlin",
];
const TOPICS: &[&str] = &["Foreign policy", "Economy and finance", "National security"];
const KINDS: &[&str] = &["transcript", "news"];
/// Speaking delegations (the country facet), as UN General Debate records give them.
const COUNTRIES: &[&str] = &["France", "Russian Federation", "United States of America"];
const MENTIONS: &[&str] = &["Syria", "Germany", "NATO", "United States"];

/// Words drawn mostly from a small head of `WORDS`, so that phrases and scoped
/// words often occur in some paragraphs and not in others.
fn some_word() -> impl Strategy<Value = &'static str> {
    prop_oneof![3 => prop::sample::select(&WORDS[..8]), 1 => prop::sample::select(WORDS)]
}

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(some_word(), 1..max).prop_map(|w| w.join(" "))
}

fn transcript() -> impl Strategy<Value = Transcript> {
    (
        text(4),
        prop::collection::vec(text(10), 0..3),
        prop::collection::vec(
            (
                prop::option::of(prop::sample::select(LABELS)),
                prop::collection::vec(text(12), 1..3),
                // What the turn's `answers` says when not paired at ingest: anything.
                prop::option::of(0usize..6),
            ),
            0..6,
        ),
        prop::option::of((2013u32..2017, 1u32..13, 1u32..29)),
        prop::option::of(prop::sample::select(PLACES)),
        prop::collection::vec(prop::sample::select(TOPICS), 0..2),
        prop::option::of(prop::sample::select(KINDS)),
        prop::collection::vec(prop::sample::select(MENTIONS), 0..2),
        prop::option::of(prop::sample::select(COUNTRIES)),
        // Questions paired by ingest's rules, or `answers` as generated.
        any::<bool>(),
    )
        .prop_map(
            |(title, summary, turns, date, place, topics, kind, mentions, country, pair)| {
                let mut t = Transcript::new("x", title);
                t.summary = summary;
                t.sections = vec![Section {
                    heading: None,
                    turns: turns
                        .into_iter()
                        .map(|(label, paragraphs, answers)| Turn {
                            label: label.map(str::to_owned),
                            speaker: label.filter(|l| *l != "Question").map(str::to_owned),
                            paragraphs,
                            answers,
                            ..Default::default()
                        })
                        .collect(),
                }];
                if pair {
                    stenogram_core::ingest::qa::pair(&mut t);
                }
                match date {
                    // Some documents know only their year, as UN General Debate records do.
                    Some((y, m, _)) if m % 4 == 0 => t.year = Some(y as i32),
                    Some((y, m, d)) => t.date = Some(format!("{y:04}-{m:02}-{d:02}")),
                    None => {}
                }
                t.place = place.map(str::to_owned);
                t.tags.topics = topics.into_iter().map(str::to_owned).collect();
                t.kind = kind.map(str::to_owned);
                t.mentions.countries = mentions
                    .into_iter()
                    .map(|m| Mention {
                        name: m.into(),
                        code: None,
                        count: 1,
                    })
                    .collect();
                t.country = country.map(str::to_owned);
                t
            },
        )
}

/// A word as a reader might type it: as is, misspelt, or as a prefix.
fn word() -> impl Strategy<Value = String> {
    (
        prop::sample::select(WORDS),
        0u8..6,
        any::<prop::sample::Index>(),
    )
        .prop_map(|(w, how, i)| {
            let chars: Vec<char> = w.chars().collect();
            let k = i.index(chars.len());
            match how {
                // A typo: substitute, delete or insert one or two characters.
                0 => {
                    let mut c = chars.clone();
                    c[k] = 'x';
                    c.into_iter().collect()
                }
                1 => {
                    let mut c = chars.clone();
                    c.remove(k);
                    if c.len() > 8 {
                        c.insert(0, 'q');
                    }
                    c.into_iter().collect()
                }
                2 => format!("{}*", chars[..=k].iter().collect::<String>()),
                _ => w.to_lowercase(),
            }
        })
}

fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => word(),
        // Two to four words: longer phrases are placed by overlapping pair terms.
        2 => prop::collection::vec(some_word(), 2..5).prop_map(|w| format!("\"{}\"", w.join(" "))),
        1 => prop::sample::select(SPEAKERS).prop_map(|s| format!("speaker:\"{s}\"")),
        1 => prop::sample::select(&["place:moscow", "place:\"moscow region\"", "place:Sochi", "topic:policy",
            "topic:\"national security\"", "kind:news", "KIND:Transcript", "mentions:syria",
            "mentions:\"united states\"", "country:france", "country:\"russian federation\"",
            "country:states"][..]).prop_map(str::to_owned),
        1 => prop::sample::select(&["date:2014", "date:2015-03", "date:2015-03-01..2016-06-30",
            "date:2016..", "date:..2014-06", "date:2013-05-07"][..]).prop_map(str::to_owned),
    ]
}

fn query() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => atom(),
        1 => atom().prop_map(|a| format!("-{a}")),
        // Speaker scope: a top-level speaker: with words, phrases or negations.
        2 => (prop::sample::select(SPEAKERS), atom(), prop::bool::ANY)
            .prop_map(|(s, a, neg)| format!("speaker:\"{s}\" {}{a}", if neg { "-" } else { "" })),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.join(" ")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(" OR ")),
            inner.clone().prop_map(|q| format!("({q})")),
            inner.prop_map(|q| format!("-({q})")),
        ]
    })
}

/// Role scopes put in front of generated queries (the scope is top-level only).
const IN_SCOPES: &[&str] = &[
    "in:answers",
    "in:questions",
    "in:answers in:questions",
    "",
    "",
    "",
];

fn all_hits(opts: SearchOptions) -> SearchOptions {
    SearchOptions {
        sort: Sort::Oldest,
        limit: usize::MAX,
        ..opts
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn engine_matches_oracle(
        docs in prop::collection::vec(transcript(), 1..40),
        queries in prop::collection::vec(
            (prop::sample::select(IN_SCOPES), query()),
            1..8,
        ),
        pairs in any::<bool>(),
        // Pair positions for none, some (the pairs in most documents) or all of them.
        pair_pos_budget in prop::sample::select(vec![0.0, 0.02, f64::INFINITY]),
    ) {
        let files = stenogram_core::search::build_index(
            &docs,
            stenogram_core::search::BuildOptions { pair_pos_budget, ..common::opts(pairs) },
        );
        let oracle = common::Oracle::new(&docs);
        for (scope, qs) in &queries {
            // A role scope in front of a third of the queries.
            let qs = &format!("{scope} {qs}");
            // Some generated strings are rightly refused (a * after "co-operation" covers
            // two words); the parser's own tests cover its messages.
            let Ok(q) = parse(qs) else { continue };
            // Only the parts the plan names, as the browser loads them (asking again until
            // it names none): enough, always.
            let mut ix = common::open(&files);
            let mut rounds = 0;
            loop {
                let parts = ix.plan(&q).unwrap();
                if parts.is_empty() {
                    break;
                }
                rounds += 1;
                prop_assert!(rounds <= 2, "{} needs more than two rounds", qs);
                for part in parts {
                    common::add(&mut ix, &files, part);
                }
            }
            let res = match ix.search(&q, &all_hits(SearchOptions::default())) {
                Ok(r) => r,
                Err(SearchError::TooBroad { .. }) => continue,
                Err(e) => panic!("{qs}: {e}"),
            };
            let got: Vec<u32> = res.hits.iter().map(|h| h.doc).collect();
            let want = oracle.search(&q);
            prop_assert_eq!(&got, &want, "query {:?} parsed as {:?}", qs, q);
            prop_assert_eq!(res.total, want.len());
            // Speaker facet counts over the whole result set.
            for fc in &res.facets[Facet::Speaker].values {
                let n = want.iter().filter(|&&d| oracle.speakers(d).contains(&fc.value)).count();
                prop_assert_eq!(fc.count as usize, n, "speaker facet {}", fc.value);
            }
        }
    }

    /// Issue 13: a reading view's highlights load the dictionaries and conditions'
    /// facets their query needs (`Index::plan_for_matcher`), never a postings or
    /// positions shard, and highlight exactly what the fully loaded index does.
    #[test]
    fn a_highlighter_needs_no_postings_and_matches_the_fully_loaded_one(
        docs in prop::collection::vec(transcript(), 1..30),
        queries in prop::collection::vec(
            (prop::sample::select(IN_SCOPES), query()),
            1..8,
        ),
    ) {
        let files = common::build(&docs, false);
        let mut full = common::open(&files);
        for part in full.parts() {
            common::add(&mut full, &files, part);
        }
        for (scope, qs) in &queries {
            let qs = &format!("{scope} {qs}");
            let Ok(q) = parse(qs) else { continue };
            let (ix, parts, rounds) =
                common::planned_by(&files, &q, |ix, q| ix.plan_for_matcher(q).unwrap());
            prop_assert!(rounds <= 2, "{} needs more than two rounds", qs);
            prop_assert!(
                !parts.iter().any(|p| matches!(p, PartId::Post(_) | PartId::Pos(_))),
                "{} planned {:?} for its highlighter", qs, parts
            );
            prop_assert_eq!(ix.matcher(&q), full.matcher(&q), "query {:?}", qs);
        }
    }

    #[test]
    fn disjunctive_facets_keep_other_facets_counts(
        docs in prop::collection::vec(transcript(), 1..40),
        qs in query(),
        sp in prop::sample::select(SPEAKERS),
    ) {
        let ix = common::load(&docs);
        let Ok(q) = parse(&qs) else { return Ok(()) };
        let filtered = SearchOptions {
            filters: Filters::default().with(Facet::Speaker, sp),
            ..all_hits(SearchOptions::default())
        };
        let (Ok(base), Ok(f)) = (ix.search(&q, &all_hits(SearchOptions::default())), ix.search(&q, &filtered)) else {
            return Ok(());
        };
        // The filtered hits are the base hits by that speaker.
        let want: Vec<u32> = base.hits.iter().filter(|h| h.speakers.iter().any(|s| s == sp)).map(|h| h.doc).collect();
        let got: Vec<u32> = f.hits.iter().map(|h| h.doc).collect();
        prop_assert_eq!(got, want);
        // The speaker facet ignores its own selection; the others count filtered hits.
        prop_assert_eq!(&f.facets[Facet::Speaker], &base.facets[Facet::Speaker]);
        let kinds = f.hits.iter().filter(|h| docs[h.doc as usize].kind.as_deref() == Some("news")).count();
        let fc = f.facets[Facet::Kind].values.iter().find(|c| c.value == "news").map_or(0, |c| c.count as usize);
        prop_assert_eq!(fc, kinds);
    }

    #[test]
    fn a_facet_limit_lists_the_top_values_and_the_selected_ones_with_the_same_counts(
        docs in prop::collection::vec(transcript(), 1..40),
        qs in query(),
        sp in prop::sample::select(SPEAKERS),
        k in 0usize..4,
    ) {
        let ix = common::load(&docs);
        let Ok(q) = parse(&qs) else { return Ok(()) };
        let filters = Filters::default().with(Facet::Speaker, sp);
        let full = SearchOptions { filters: filters.clone(), ..SearchOptions::default() };
        let cut = SearchOptions { facet_limit: Some(k), ..full.clone() };
        let (Ok(full), Ok(cut)) = (ix.search(&q, &full), ix.search(&q, &cut)) else {
            return Ok(());
        };
        for f in Facet::ALL {
            prop_assert_eq!(cut.facets[f].distinct, full.facets[f].distinct);
        }
        prop_assert_eq!(&cut.facets[Facet::Year], &full.facets[Facet::Year]);
        for f in Facet::ALL.into_iter().filter(|&f| f != Facet::Speaker && f != Facet::Year) {
            let (a, b) = (&cut.facets[f].values, &full.facets[f].values);
            prop_assert_eq!(a.as_slice(), &b[..b.len().min(k)]);
        }
        // The selected speaker is listed (with its count) even beyond the limit.
        let speakers = &full.facets[Facet::Speaker].values;
        let want: Vec<_> = speakers.iter().take(k)
            .chain(speakers.iter().skip(k).filter(|c| c.value == sp))
            .cloned().collect();
        prop_assert_eq!(&cut.facets[Facet::Speaker].values, &want);
    }
}

#[test]
fn parser_never_panics_on_hostile_input() {
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&".{0,300}", |s| {
            let _ = parse(&s);
            Ok(())
        })
        .unwrap();
    runner
        .run(&r#"[a-z"():*\- ]{0,200}"#, |s| {
            let _ = parse(&s);
            Ok(())
        })
        .unwrap();
}

#[test]
fn empty_query_with_filters_browses_newest_first() {
    let mut a = Transcript::new("a", "A");
    a.date = Some("2015-01-01".into());
    a.kind = Some("news".into());
    let mut b = a.clone();
    b.id = "b".into();
    b.date = Some("2016-01-01".into());
    let mut c = a.clone();
    c.id = "c".into();
    c.kind = Some("transcript".into());
    let ix = common::load(&[a, b, c]);
    let res = ix
        .search(
            &parse("").unwrap(),
            &SearchOptions {
                filters: Filters::default().with(Facet::Kind, "news"),
                ..SearchOptions::default()
            },
        )
        .unwrap();
    assert_eq!(res.total, 2);
    assert_eq!(
        res.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        vec!["b", "a"]
    );
    let kinds = &res.facets[Facet::Kind].values;
    assert_eq!(kinds.len(), 2, "{kinds:?}");
}
