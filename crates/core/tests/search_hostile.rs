//! A damaged or hostile index (issue 12, item 4): every byte of every file of a real
//! small index flipped, every file cut short and extended with junk; opening it, adding
//! its parts and searching it must give results or an error, never a panic, an abort or
//! an unbounded allocation.
//!
//! On main before this test, a flipped document gap in a postings shard made a search
//! index its scores past the document count (a panic), and a flipped count made a
//! phrase reserve gigabytes; the shard checks of `Index::add_part` now refuse both.

mod common;

use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::search::{parse, Index, IndexFiles, SearchOptions};

fn corpus() -> Vec<Transcript> {
    let texts = [
        "Human rights and the United Nations Security Council.",
        "The security council met on human rights in Syria.",
        "Negotiations on Syria; the united nations negotiators.",
    ];
    (0..6)
        .map(|i| {
            let mut t = Transcript::new(format!("d{i}"), format!("Title {i} on rights"));
            t.date = Some(format!("201{i}-0{}-01", i + 1));
            t.place = Some(["Moscow", "Sochi"][i % 2].into());
            t.kind = Some("transcript".into());
            t.country = Some(["France", "Chile"][i % 2].into());
            t.summary = vec![texts[i % 3].into()];
            t.sections = vec![Section {
                heading: None,
                turns: vec![Turn {
                    speaker: Some(["Vladimir Putin", "Ban Ki-moon"][i % 2].into()),
                    paragraphs: vec![texts[(i + 1) % 3].into(), texts[(i + 2) % 3].into()],
                    ..Default::default()
                }],
            }];
            t
        })
        .collect()
}

const QUERIES: [&str; 7] = [
    "rights",
    "syr*",
    "negotiatoins",
    "\"the united nations\"",
    "\"human rights\" -syria",
    "speaker:\"Vladimir Putin\" council",
    "place:moscow OR country:chile",
];

/// Opens `files` (with the whole stem dictionary, or without it and then its shards),
/// adds every part it can and runs every query: whatever happens must be an `Err` or a
/// result.
fn exercise(files: &IndexFiles) {
    exercise_as(files, false);
}

fn exercise_as(files: &IndexFiles, sharded: bool) {
    let dict = if sharded {
        Vec::new()
    } else {
        files.dict.clone()
    };
    let Ok(mut ix) = Index::open(&files.meta, dict) else {
        return;
    };
    for p in ix.parts() {
        let _ = ix.add_part(p, files.part(p).to_vec());
    }
    search_all(&ix);
}

fn search_all(ix: &Index) {
    for q in QUERIES {
        let q = parse(q).unwrap();
        let _ = ix.plan(&q);
        if let Ok(res) = ix.search(&q, &SearchOptions::default()) {
            assert!(res.total <= ix.doc_count());
        }
        let _ = ix.matcher(&q);
    }
}

/// Every file of `files` by name, to damage one at a time.
fn each_file(
    files: &IndexFiles,
    mut f: impl FnMut(&str, &dyn Fn(&mut IndexFiles) -> &mut Vec<u8>),
) {
    f("meta", &|x| &mut x.meta);
    f("dict", &|x| &mut x.dict);
    for i in 0..files.words.len() {
        f("words", &move |x| &mut x.words[i]);
    }
    for i in 0..files.post.len() {
        f("post", &move |x| &mut x.post[i]);
    }
    for i in 0..files.pos.len() {
        f("pos", &move |x| &mut x.pos[i]);
    }
    for i in 0..files.facets.len() {
        f("facet", &move |x| &mut x.facets[i]);
    }
    f("turns", &|x| &mut x.turns);
    f("docs", &|x| &mut x.docs);
    f("ids", &|x| &mut x.ids);
    for i in 0..files.dict_shards.len() {
        f("dict shard", &move |x| &mut x.dict_shards[i]);
    }
}

#[test]
fn every_flipped_cut_or_extended_byte_is_an_error_or_a_result_never_a_panic() {
    let files = stenogram_core::search::build_index(&corpus(), common::opts(true));
    exercise(&files);
    exercise_as(&files, true);
    let mut cases = 0usize;
    each_file(&files, |name, get| {
        // The whole dictionary's damage is read opened with it; every other file's with
        // the dictionary in shards, as the app opens an index.
        let exercise = |f: &IndexFiles| exercise_as(f, name != "dict");
        let len = get(&mut files.clone()).len();
        for at in 0..len {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut bad = files.clone();
                get(&mut bad)[at] ^= flip;
                exercise(&bad);
                cases += 1;
            }
            let mut cut = files.clone();
            get(&mut cut).truncate(at);
            exercise(&cut);
            cases += 1;
        }
        for junk in [&[0u8; 7][..], &[0xFF; 9], b"STP\0garbage"] {
            let mut long = files.clone();
            get(&mut long).extend_from_slice(junk);
            exercise(&long);
            cases += 1;
        }
    });
    assert!(cases > 1000, "{cases} damaged indexes tried");
}

#[test]
fn a_shard_from_another_index_is_refused_or_harmless() {
    // A stale shard (a deploy between two fetches) has the right magic and header.
    let files = stenogram_core::search::build_index(&corpus(), common::opts(true));
    let other = stenogram_core::search::build_index(&corpus()[..2], common::opts(false));
    for dict in [files.dict.clone(), Vec::new()] {
        let mut ix = Index::open(&files.meta, dict).unwrap();
        for p in ix.parts() {
            let bytes = other.part(p).to_vec();
            let _ = ix.add_part(p, bytes);
        }
        search_all(&ix);
    }
}

#[test]
fn sixty_four_prefixes_of_two_thousand_terms_give_up_at_once() {
    use stenogram_core::search::{SearchError, MAX_PREFIX_TERMS, MAX_QUERY_TERMS};
    // 2,000 distinct words under each of the prefixes b and c, each in every document.
    let words: Vec<String> = (0..MAX_PREFIX_TERMS)
        .flat_map(|i| [format!("b{i:04}"), format!("c{i:04}")])
        .collect();
    let docs: Vec<Transcript> = (0..3)
        .map(|d| {
            let mut t = Transcript::new(format!("d{d}"), "t");
            t.summary = vec![words.join(" ")];
            t
        })
        .collect();
    let ix = common::load(&docs);
    // One prefix at the limit is fine.
    let one = parse("b*").unwrap();
    assert_eq!(ix.search(&one, &SearchOptions::default()).unwrap().total, 3);
    let q = parse(&["b*", "c*"].repeat(32).join(" ")).unwrap();
    let t = std::time::Instant::now();
    for r in [
        ix.plan(&q).map(|_| ()),
        ix.search(&q, &SearchOptions::default()).map(|_| ()),
    ] {
        assert!(
            matches!(r, Err(SearchError::TooBroad { limit, .. }) if limit == MAX_QUERY_TERMS),
            "{r:?}"
        );
    }
    // The refusal comes from the dictionary walk alone (64 × 2,001 words), before any
    // posting is read: well under a second even unoptimised.
    assert!(t.elapsed().as_secs_f64() < 2.0, "{:?}", t.elapsed());
}
