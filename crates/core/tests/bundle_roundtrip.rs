//! A bundle built in memory and read back the way the app reads it: the manifest, then
//! only the row shards, id shards and index parts asked for. Rows, ids, the summary and
//! search results must equal a full load (issue 13: a start that does not read whole
//! corpus-sized files).

use std::collections::HashMap;

use stenogram_core::bundle::{
    write_bundle, IdIndex, InOrder, Manifest, Rows, WriteOptions, MANIFEST_FILE, SUMMARY_ROWS,
};
use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::search::{
    parse, Facet, Filters, Index, PartId, Query, SearchError, SearchOptions,
};

fn corpus(n: usize) -> Vec<Transcript> {
    let words = [
        "syria",
        "sanctions",
        "olympic",
        "games",
        "venezuela",
        "council",
        "rights",
        "trade",
    ];
    (0..n)
        .map(|i| {
            let mut t = Transcript::new(format!("doc-{:04}", (i * 7919) % 10_000), format!("T{i}"));
            // Some undated, many sharing a date: the browse order's ties matter.
            if i % 11 != 0 {
                t.date = Some(format!("20{:02}-0{}-1{}", i % 20, 1 + i % 9, i % 3));
            }
            t.place = Some(["Moscow", "Sochi", "Paris"][i % 3].into());
            t.summary = vec![format!("{} and {}.", words[i % 8], words[(i / 3) % 8])];
            t.sections = vec![Section {
                heading: None,
                turns: vec![Turn {
                    speaker: Some(format!("Speaker {}", i % 5)),
                    paragraphs: vec![format!("On {} {}.", words[(i / 2) % 8], words[i % 5])],
                    ..Default::default()
                }],
            }];
            t
        })
        .collect()
}

#[test]
fn a_bundle_read_shard_by_shard_equals_a_full_load() {
    let docs = corpus(700);
    let b = write_bundle(docs.clone(), &WriteOptions::default(), &InOrder).unwrap();
    let files: HashMap<&str, &[u8]> = b
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let m = Manifest::from_json(std::str::from_utf8(files[MANIFEST_FILE]).unwrap()).unwrap();
    assert_eq!(m, b.manifest);
    let info = m.index.as_ref().unwrap();
    let full = info
        .load_all(|p| Ok::<_, String>(files[p].to_vec()))
        .unwrap();
    assert_eq!(m.summary.docs as usize, docs.len());

    // Every row, through the store, shard by shard.
    let mut rows = Rows::new(&m.rows);
    let all: Vec<u32> = (0..m.rows.docs).collect();
    let parts = rows.missing(&all);
    assert_eq!(parts.len(), docs.len().div_ceil(m.rows.per_shard as usize));
    for p in parts {
        rows.add(p, files[m.rows.row_path(p).as_str()]).unwrap();
    }
    assert!(rows.missing(&all).is_empty());
    // Every id finds its document, whose row has that id, loading only its shard.
    for d in (0..m.rows.docs).step_by(37) {
        let id = full.doc_id(d).unwrap();
        let mut ids = IdIndex::new(&m.rows);
        let need = ids.missing(&[id]);
        assert_eq!(need.len(), 1);
        ids.add(need[0], files[m.rows.id_path(need[0]).as_str()])
            .unwrap();
        assert_eq!(ids.get(id), Some(d));
        assert_eq!(rows.get(d).unwrap().id, id);
        assert_eq!(ids.get("no such id"), None);
    }

    // The summary is the browse of a full load.
    let browse = SearchOptions {
        limit: SUMMARY_ROWS,
        facet_limit: Some(stenogram_core::bundle::SUMMARY_FACET_LIMIT),
        ..SearchOptions::default()
    };
    let res = full.search(&Query::default(), &browse).unwrap();
    assert_eq!(res.facets, m.summary.facets);
    let newest: Vec<u32> = m.summary.newest.iter().map(|r| r.doc).collect();
    assert_eq!(newest, res.hits.iter().map(|h| h.doc).collect::<Vec<_>>());
    for r in &m.summary.newest {
        assert_eq!(&r.row, rows.get(r.doc).unwrap());
    }
    // Home's browse (the app's options) is answered from the summary alone, with the
    // index's total, facets, documents and rows.
    for (limit, facet_limit) in [(20, 50), (10, 8), (SUMMARY_ROWS, 50)] {
        let opts = SearchOptions {
            limit,
            facet_limit: Some(facet_limit),
            ..SearchOptions::default()
        };
        let want = full.search(&Query::default(), &opts).unwrap();
        let (got, got_rows) = m.summary.browse(&opts).expect("a plain browse");
        assert_eq!(got.total, want.total);
        assert_eq!(got.facets, want.facets);
        let docs = |r: &stenogram_core::search::SearchResults| {
            r.hits.iter().map(|h| h.doc).collect::<Vec<_>>()
        };
        assert_eq!(docs(&got), docs(&want));
        for (h, r) in got.hits.iter().zip(&got_rows) {
            assert_eq!(
                (r, h.id.as_str()),
                (rows.get(h.doc).unwrap(), r.id.as_str())
            );
        }
    }
    // Anything else asks the index.
    let mut filtered = SearchOptions {
        facet_limit: Some(50),
        ..SearchOptions::default()
    };
    filtered.filters.values[stenogram_core::search::Facet::Year] = vec!["2015".into()];
    assert!(m.summary.browse(&filtered).is_none());
    let second_page = SearchOptions {
        offset: 20,
        facet_limit: Some(50),
        ..SearchOptions::default()
    };
    assert!(m.summary.browse(&second_page).is_none());

    // Searches with only the parts the plan names, the stem dictionary's shards
    // included (opened from meta.bin alone, as the app does), equal the full index's.
    let mut ix = Index::open(files[info.meta.as_str()], Vec::new()).unwrap();
    for q in [
        "syria",
        "olympic games",
        "\"olympic games\"",
        "sanc*",
        "venezuela -trade",
        "speaker:\"Speaker 2\" rights",
    ] {
        let q = parse(q).unwrap();
        let opts = SearchOptions {
            limit: 50,
            facet_limit: Some(50),
            ..SearchOptions::default()
        };
        loop {
            let parts = ix.plan_for(&q, &opts).unwrap();
            if parts.is_empty() {
                break;
            }
            for p in parts {
                ix.add_part(p, files[info.part_path(p).unwrap().as_str()].to_vec())
                    .unwrap();
            }
        }
        let opts = SearchOptions {
            limit: 50,
            facet_limit: Some(50),
            ..SearchOptions::default()
        };
        assert_eq!(
            ix.search(&q, &opts).unwrap(),
            full.search(&q, &opts).unwrap()
        );
    }
}

/// Opening reads `meta.bin` and the stem dictionary only; a plain query without facet
/// counts needs its stems' dictionary shards and postings only (its ranking reads the
/// postings' norms, its year counts `meta.bin`'s runs); facets, filters,
/// `name:` conditions, `speaker:` scopes and hits with ids name their own parts, and a
/// search without them is a `MissingPart`, never a wrong answer.
#[test]
fn facet_and_turn_parts_are_named_only_when_needed() {
    let b = write_bundle(corpus(300), &WriteOptions::default(), &InOrder).unwrap();
    let files: HashMap<&str, &[u8]> = b
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let info = b.manifest.index.as_ref().unwrap();
    let open = || Index::open(files[info.meta.as_str()], Vec::new()).unwrap();
    let plain = SearchOptions {
        facets: false,
        hit_details: false,
        ..SearchOptions::default()
    };
    let is_meta = |p: &PartId| matches!(p, PartId::Facet(_) | PartId::Turns | PartId::Ids);
    let is_dict = |p: &PartId| matches!(p, PartId::Dict(_));
    let ix = open();
    let syria = parse("syria").unwrap();
    let first = ix.plan_for(&syria, &plain).unwrap();
    assert!(first.iter().all(is_dict), "{first:?}");
    let with_facets = ix.plan_for(&syria, &SearchOptions::default()).unwrap();
    let facets: Vec<PartId> = with_facets.iter().copied().filter(is_meta).collect();
    // Every facet but the year (meta.bin's runs), and the ids for the hits; their
    // dates too.
    assert_eq!(facets.len(), 7, "{facets:?}");
    assert!(facets.contains(&PartId::Ids) && !facets.contains(&PartId::Turns));
    assert!(with_facets.contains(&PartId::Docs));
    // Regression (issue 13): the app's first query (the lazy facets not counted, hits
    // without ids, the year counted) names no part that holds something of every
    // document, only its stems' dictionary shards, then their postings shards: its
    // bytes do not grow with the corpus but for its own terms' postings.
    let lazy = SearchOptions {
        skip_facets: stenogram_core::search::LAZY_FACETS.to_vec(),
        hit_details: false,
        ..SearchOptions::default()
    };
    let mut ix = open();
    loop {
        let named = ix.plan_for(&syria, &lazy).unwrap();
        if named.is_empty() {
            break;
        }
        for p in named {
            assert!(matches!(p, PartId::Dict(_) | PartId::Post(_)), "{p:?}");
            ix.add_part(p, files[info.part_path(p).unwrap().as_str()].to_vec())
                .unwrap();
        }
    }
    let found = ix.search(&syria, &lazy).unwrap();
    assert!(found.total > 0 && !found.facets[Facet::Year].values.is_empty());
    let ix = open();
    let filtered = SearchOptions {
        filters: Filters::default().with(Facet::Place, "Sochi"),
        ..plain.clone()
    };
    let named: Vec<PartId> = ix
        .plan_for(&syria, &filtered)
        .unwrap()
        .into_iter()
        .filter(is_meta)
        .collect();
    assert_eq!(named, vec![PartId::Facet(Facet::Place)]);
    let scoped = parse("speaker:\"Speaker 2\" rights").unwrap();
    assert!(ix
        .plan_for(&scoped, &plain)
        .unwrap()
        .contains(&PartId::Turns));
    // A condition's facet comes first: resolving it needs the facet's values.
    let field = parse("place:sochi syria").unwrap();
    let first: Vec<PartId> = ix.plan_for(&field, &plain).unwrap();
    assert!(first.contains(&PartId::Facet(Facet::Place)), "{first:?}");
    assert!(first.iter().all(|p| is_dict(p) || is_meta(p)), "{first:?}");
    assert!(matches!(
        ix.search(&field, &plain),
        Err(SearchError::MissingPart(
            PartId::Dict(_) | PartId::Facet(Facet::Place)
        ))
    ));
    let mut ix = open();
    for p in ix.plan_for(&scoped, &plain).unwrap() {
        if !is_meta(&p) {
            ix.add_part(p, files[info.part_path(p).unwrap().as_str()].to_vec())
                .unwrap();
        }
    }
    assert!(matches!(
        ix.search(&scoped, &plain),
        Err(SearchError::MissingPart(
            PartId::Turns | PartId::Facet(Facet::Speaker)
        ))
    ));
    assert!(matches!(
        ix.search(&syria, &SearchOptions::default()),
        Err(SearchError::MissingPart(
            PartId::Docs | PartId::Facet(_) | PartId::Ids
        ))
    ));
    assert!(ix.search(&Query::default(), &plain).is_ok());
    // Skipped facets and hits without ids change nothing else: same hits, same total,
    // the other facets' counts exact.
    let full = info.load_all(|p| Ok::<_, ()>(files[p].to_vec())).unwrap();
    for q in [syria, parse("rights").unwrap(), Query::default()] {
        let all = full.search(&q, &SearchOptions::default()).unwrap();
        let lean = full.search(&q, &lazy).unwrap();
        assert_eq!(lean.total, all.total);
        let docs = |r: &stenogram_core::search::SearchResults| -> Vec<u32> {
            r.hits.iter().map(|h| h.doc).collect()
        };
        assert_eq!(docs(&lean), docs(&all));
        assert!(lean
            .hits
            .iter()
            .all(|h| h.id.is_empty() && h.speakers.is_empty()));
        for f in Facet::ALL {
            if lazy.skip_facets.contains(&f) {
                assert_eq!(lean.facets[f], Default::default());
            } else {
                assert_eq!(lean.facets[f], all.facets[f], "{f:?}");
            }
        }
    }
}

/// Opened from `meta.bin` alone, the stem dictionary comes in key-range shards: a word
/// needs its stem's shard before anything else, a search without it is a
/// `MissingPart`, and a shard is checked against the key range `meta.bin` gives it.
#[test]
fn the_stem_dictionary_is_read_by_shard() {
    let opts = WriteOptions::default();
    let b = write_bundle(corpus(2000), &opts, &InOrder).unwrap();
    let files: HashMap<&str, &[u8]> = b
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let info = b.manifest.index.as_ref().unwrap();
    let shard = |n: u32| files[info.part_path(PartId::Dict(n)).unwrap().as_str()].to_vec();
    let mut ix = Index::open(files[info.meta.as_str()], Vec::new()).unwrap();
    let plain = SearchOptions {
        facets: false,
        hit_details: false,
        ..SearchOptions::default()
    };
    // A plain search needs no per-document part: the dictionary's shards come first.
    let q = parse("venezuela").unwrap();
    assert!(matches!(
        ix.search(&q, &plain),
        Err(SearchError::MissingPart(PartId::Dict(_)))
    ));
    let first = ix.plan_for(&q, &plain).unwrap();
    let [PartId::Dict(n)] = first[..] else {
        panic!("{first:?}")
    };
    // Another shard's bytes, a truncated shard, junk: refused.
    if info.dict_shards.count > 1 {
        let other = if n == 0 { 1 } else { 0 };
        assert!(ix.add_part(PartId::Dict(n), shard(other)).is_err());
    }
    let good = shard(n);
    assert!(ix
        .add_part(PartId::Dict(n), good[..good.len() - 3].to_vec())
        .is_err());
    assert!(ix.add_part(PartId::Dict(n), b"junk".to_vec()).is_err());
    assert!(ix.add_part(PartId::Dict(999), good.clone()).is_err());
    ix.add_part(PartId::Dict(n), good).unwrap();
    let next = ix.plan_for(&q, &plain).unwrap();
    assert!(
        next.iter().all(|p| matches!(p, PartId::Post(_))),
        "{next:?}"
    );
}
