//! The jobs run natively on an engine whose parts and packs are all at hand (nothing to
//! fetch), against the core's own accumulators fed directly, as the CLI feeds them.
//!
//! Kept beside the module in a file of their own, so that each reads in one sitting.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::*;
use stenogram_core::bundle::{DocMeta, IndexInfo};
use stenogram_core::search::{build_index, BuildOptions, Index};
use stenogram_core::workbench::kwic::KwicSort;

/// Runs a future that never waits on anything outside (every part is loaded).
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

fn corpus() -> Vec<Transcript> {
    let texts = [
        (
            "2015-09-01",
            "Water is shared, and peace talks on water go on.",
        ),
        ("2016-03-02", "Talks on trade; peace is far, water is near."),
        (
            "2016-05-02",
            "Nothing about it, only trade and more trade and water.",
        ),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, (date, text))| {
            let mut t = Transcript::new(format!("d{i}"), "Talks");
            t.date = Some(date.to_string());
            t.summary = vec![text.to_string(), format!("More water in {date}.")];
            t
        })
        .collect()
}

/// An engine over `docs`: two packs (documents 0 and 1 in one, 2 in the other), found
/// through their table.
fn engine(docs: &[Transcript]) -> (Engine, Index) {
    let files = build_index(docs, BuildOptions::default());
    let open = || {
        let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
        for p in ix.parts() {
            ix.add_part(p, files.part(p).to_vec()).unwrap();
        }
        ix
    };
    let ix = open();
    let a = String::from_utf8(bundle::pack_to_json(&[&docs[0], &docs[1]]).unwrap()).unwrap();
    let b = String::from_utf8(bundle::pack_to_json(&[&docs[2]]).unwrap()).unwrap();
    let rows_info = bundle::RowsInfo {
        docs: 3,
        packs: bundle::PacksInfo {
            dir: "docs/x".into(),
            count: 2,
            table: Some("docs/x/packs.json".into()),
        },
        ..Default::default()
    };
    let locate = bundle::PackIndex::with_table(&rows_info, vec![0, 2]);
    let engine = Engine {
        base: "http://localhost/corpus/".into(),
        info: IndexInfo {
            format: 0,
            terms: 0,
            meta: String::new(),
            dict: String::new(),
            words: Default::default(),
            post: Default::default(),
            pos: Default::default(),
            facets: Vec::new(),
            turns: String::new(),
            docs: String::new(),
            ids: String::new(),
            dict_shards: Default::default(),
            bytes: 0,
        },
        loaded: RefCell::new(ix.parts().into_iter().collect()),
        index: RefCell::new(open()),
        rows_info,
        summary: Default::default(),
        rows: RefCell::new(bundle::Rows::preloaded(
            docs.iter().map(DocMeta::of).collect(),
        )),
        ids: RefCell::new(bundle::IdIndex::new(&Default::default())),
        matcher: RefCell::new(None),
        packs: crate::docs::Packs::preloaded(
            locate,
            vec![
                ("docs/x/00000.json".into(), Rc::new(a)),
                ("docs/x/00001.json".into(), Rc::new(b)),
            ],
        ),
    };
    (engine, ix)
}

fn run(e: &Engine, job: Job, wanted: &dyn Fn() -> bool) -> Result<Outcome, SearchFailure> {
    let progress = |_, _| {};
    let pause = || -> futures_util::future::LocalBoxFuture<'static, ()> { Box::pin(async {}) };
    let hooks = Hooks {
        wanted,
        progress: &progress,
        pause: &pause,
    };
    block_on(e.run(&job, &hooks, &mut Vec::new()))
}

/// Regression: a reading view's dispersion fetched the whole stem dictionary (36
/// shards at 18k transcripts, beside the transcript it opens); the workbench's views
/// still load it with their first job.
#[test]
fn a_dispersion_reads_only_its_query_shards() {
    let f = Filters::default;
    let jobs = [
        (
            Job::Dispersion {
                doc: 0,
                q: "a".into(),
            },
            false,
        ),
        (
            Job::Concordance {
                q: "a".into(),
                filters: f(),
                opts: KwicOptions::default(),
            },
            true,
        ),
        (
            Job::Trend {
                queries: vec!["a".into()],
                filters: f(),
                by: By::Year,
                speakers: 0,
            },
            true,
        ),
        (
            Job::Keyness {
                q: String::new(),
                filters: f(),
                opts: KeynessOptions::default(),
            },
            true,
        ),
        (
            Job::Collocates {
                q: "a".into(),
                filters: f(),
                window: 5,
                opts: CollocOptions::default(),
            },
            true,
        ),
    ];
    for (job, whole) in jobs {
        assert_eq!(job.needs_dictionary(), whole, "{job:?}");
    }
}

#[test]
fn jobs_give_the_core_figures() {
    let docs = corpus();
    let (e, ix) = engine(&docs);
    let filters = Filters::default();
    let q = stenogram_core::search::parse("water").unwrap();

    let opts = KwicOptions {
        sort: KwicSort::Right1,
        limit: 3,
        offset: 1,
        ..Default::default()
    };
    let mut c = Concordance::new(&ix, &q, &filters, opts.clone()).unwrap();
    for d in c.needs() {
        c.feed(d, &docs[d as usize]);
    }
    let job = Job::Concordance {
        q: "water".into(),
        filters: filters.clone(),
        opts,
    };
    let Ok(Outcome::Concordance(page)) = run(&e, job, &|| true) else {
        panic!("no concordance")
    };
    assert_eq!(page, c.page());
    assert_eq!(page.total, Some(7));

    let mut co = Collocates::new(&ix, &q, &filters, 5).unwrap();
    for d in co.needs() {
        co.feed(d, &docs[d as usize]);
    }
    let job = Job::Collocates {
        q: "water".into(),
        filters: filters.clone(),
        window: 5,
        opts: CollocOptions::default(),
    };
    let Ok(Outcome::Collocates(t)) = run(&e, job, &|| true) else {
        panic!("no collocates")
    };
    let want = co.table(&CollocOptions::default());
    assert_eq!(
        t.rows
            .iter()
            .map(|r| (&r.stem, r.cooc, r.freq))
            .collect::<Vec<_>>(),
        want.rows
            .iter()
            .map(|r| (&r.stem, r.cooc, r.freq))
            .collect::<Vec<_>>()
    );

    let job = Job::Trend {
        queries: vec!["water".into(), "\"peace talks\"".into()],
        filters: filters.clone(),
        by: By::Year,
        speakers: 0,
    };
    let Ok(Outcome::Trend(a)) = run(&e, job, &|| true) else {
        panic!("no trend")
    };
    assert_eq!(a.series.len(), 2);
    let hits: Vec<u64> = a.series[0].buckets.iter().map(|b| b.hits).collect();
    assert_eq!(hits, vec![3, 4]);

    let job = Job::Dispersion {
        doc: 2,
        q: "trade".into(),
    };
    let Ok(Outcome::Dispersion(d)) = run(&e, job, &|| true) else {
        panic!("no dispersion")
    };
    assert_eq!(
        d,
        dispersion(
            &ix.matcher(&stenogram_core::search::parse("trade").unwrap())
                .unwrap(),
            &docs[2]
        )
    );
}

/// A job that a newer one superseded stops at its next chunk, with no answer.
#[test]
fn a_superseded_job_stops() {
    let docs = corpus();
    let (e, _) = engine(&docs);
    // A phrase's collocates read every index shard, chunk by chunk.
    let job = Job::Collocates {
        q: "\"peace talks\"".into(),
        filters: Filters::default(),
        window: 5,
        opts: CollocOptions::default(),
    };
    assert!(matches!(
        run(&e, job.clone(), &|| true),
        Ok(Outcome::Collocates(_))
    ));
    assert!(matches!(
        run(&e, job, &|| false),
        Err(SearchFailure::Superseded)
    ));
    let job = Job::Keyness {
        q: "trade".into(),
        filters: Filters::default(),
        opts: KeynessOptions::default(),
    };
    assert!(matches!(
        run(&e, job, &|| false),
        Err(SearchFailure::Superseded)
    ));
}

/// Bug (issue 14): a trend split by speaker divided each speaker's row by every word
/// of the bucket; a row is their occurrences over their words.
#[test]
fn trend_split_rows_count_the_speakers_own_words() {
    use stenogram_core::model::{Section, Turn};
    let mut docs = corpus();
    let turn = |who: &str, text: &str| Turn {
        label: Some(who.into()),
        speaker: Some(who.into()),
        paragraphs: vec![text.into()],
        ..Default::default()
    };
    docs[0].sections = vec![Section {
        heading: None,
        turns: vec![
            turn("Anna Lebedeva", "Water, water and bread."),
            turn("Pavel Orlov", "No water here."),
        ],
    }];
    docs[1].sections = vec![Section {
        heading: None,
        turns: vec![turn("Anna Lebedeva", "Only bread.")],
    }];
    let (e, _) = engine(&docs);
    let job = Job::Trend {
        queries: vec!["water".into()],
        filters: Filters::default(),
        by: By::Year,
        speakers: 2,
    };
    let Ok(Outcome::Trend(a)) = run(&e, job, &|| true) else {
        panic!("no trend")
    };
    let rows: Vec<(&str, &str, u64, u64, u64, u64)> = a
        .by_speaker
        .iter()
        .flat_map(|(who, s)| {
            s.buckets.iter().map(move |b| {
                (
                    who.as_str(),
                    b.key.as_str(),
                    b.docs,
                    b.hits,
                    b.words,
                    b.transcripts,
                )
            })
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Anna Lebedeva", "2015", 1, 2, 4, 1),
            ("Anna Lebedeva", "2016", 0, 0, 2, 1),
            ("Pavel Orlov", "2015", 1, 1, 3, 1),
        ]
    );
}
