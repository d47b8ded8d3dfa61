//! Query latency per query kind at the Kremlin corpus's scale (7,235 transcripts; the
//! real corpus when `../shared` is present, else a generated one of the same size),
//! with exact totals and facets computed. Prints p50/p95 per kind, index open time
//! and sizes, then runs the criterion measurements.

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::search::{build_index, parse, BuildOptions, Index, IndexFiles, SearchOptions};

#[path = "../tests/common/kremlin.rs"]
mod kremlin;

/// The in-browser benchmark's queries (`bench/run.mjs`), plus a browse query.
const KINDS: &[(&str, &str)] = &[
    ("common word", "russia"),
    ("common word", "government"),
    ("rare word", "skolkovo"),
    ("rare word", "tsunami"),
    ("two words", "economic cooperation"),
    ("two words", "nuclear weapons"),
    ("phrase", "\"collective security\""),
    ("phrase", "\"human rights\""),
    ("long phrase", "\"the united nations\""),
    ("long phrase", "\"one of the most\""),
    ("prefix", "negotiat*"),
    ("prefix", "terror*"),
    ("typo", "negotiatoins"),
    ("typo", "goverment"),
    (
        "field + date",
        "speaker:\"Vladimir Putin\" syria date:2015..2017",
    ),
    ("field + date", "economy date:2010..2012"),
    ("browse + date", "kind:transcript date:2019"),
];

fn corpus() -> (Vec<Transcript>, &'static str) {
    if let Some(d) = kremlin::load(1) {
        return (d, "Kremlin corpus");
    }
    // A generated stand-in: Zipf-like words, speakers, dates.
    let words: Vec<String> = (0..20000).map(|i| format!("w{i}")).collect();
    let mut x = 12345u64;
    let mut rnd = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let docs = (0..7235)
        .map(|i| {
            let mut t = Transcript::new(format!("d{i}"), "title words");
            t.date = Some(format!("{}-01-01", 2000 + i % 20));
            let para = |r: &mut dyn FnMut(usize) -> usize| {
                (0..60)
                    .map(|_| {
                        let k = r(20000) + 1;
                        words[r(k)].as_str()
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            t.sections = vec![Section {
                heading: None,
                turns: (0..6)
                    .map(|k| Turn {
                        speaker: Some(format!("Speaker {}", k % 3)),
                        paragraphs: (0..7).map(|_| para(&mut rnd)).collect(),
                        ..Default::default()
                    })
                    .collect(),
            }];
            t
        })
        .collect();
    (docs, "generated corpus")
}

fn open(files: &IndexFiles) -> Index {
    let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
    for p in ix.parts() {
        ix.add_part(p, files.part(p).to_vec()).unwrap();
    }
    ix
}

/// `BENCH_BUNDLE=<dir>`: time the queries over a built bundle (e.g. the 18k one that
/// `cargo xtask bench --corpus all` leaves in `target/bench/bundle-all`), no criterion.
fn bench_bundle(dir: &str) {
    let root = std::path::Path::new(dir);
    let manifest = std::fs::read_to_string(root.join("manifest.json")).unwrap();
    let m = stenogram_core::bundle::Manifest::from_json(&manifest).unwrap();
    let ix = m
        .index
        .expect("manifest without index")
        .load_all(|p| std::fs::read(root.join(p)))
        .unwrap();
    println!("bundle {dir}: {} docs", ix.doc_count());
    time_queries(&ix);
}

fn bench(c: &mut Criterion) {
    if let Ok(dir) = std::env::var("BENCH_BUNDLE") {
        bench_bundle(&dir);
        return;
    }
    let (docs, what) = corpus();
    let t0 = Instant::now();
    let files = build_index(&docs, BuildOptions::default());
    let build = t0.elapsed();
    let total: usize = files.files().iter().map(|f| f.1.len()).sum();
    let mut opens = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        std::hint::black_box(open(&files));
        opens.push(t.elapsed().as_secs_f64() * 1e3);
    }
    opens.sort_by(f64::total_cmp);
    println!(
        "{what}: {} docs, index built in {:.2} s, {} bytes in {} files; open p50 {:.1} ms",
        docs.len(),
        build.as_secs_f64(),
        total,
        files.files().len(),
        opens[10]
    );
    let ix = open(&files);
    time_queries(&ix);
    let opts = SearchOptions::default();
    let mut g = c.benchmark_group("search");
    for (kind, qs) in KINDS {
        let q = parse(qs).unwrap();
        g.bench_function(format!("{kind}: {qs}"), |b| {
            b.iter(|| ix.search(&q, &opts).unwrap())
        });
    }
    g.finish();
    // The app builds a results page's snippets on the main thread, one hit per task: the
    // time of the 20 hits of a page, with the highlighter the worker hands over.
    let q = parse("economic cooperation").unwrap();
    let matcher = ix.matcher(&q).unwrap();
    let page = ix
        .search(
            &q,
            &SearchOptions {
                limit: 20,
                ..SearchOptions::default()
            },
        )
        .unwrap();
    let hits: Vec<&Transcript> = page.hits.iter().map(|h| &docs[h.doc as usize]).collect();
    let words: usize = hits
        .iter()
        .flat_map(|t| t.paragraphs())
        .map(|p| p.text.split_whitespace().count())
        .sum();
    let mut g = c.benchmark_group("snippets");
    g.bench_function(
        format!("a results page: 20 hits, {words} words, 3 snippets each"),
        |b| {
            b.iter(|| {
                for t in &hits {
                    std::hint::black_box(matcher.snippets(t, 3));
                }
            })
        },
    );
    g.finish();
}

/// Prints p50/p95 per query of [`KINDS`].
fn time_queries(ix: &Index) {
    let opts = SearchOptions::default();
    println!(
        "{:14} {:>8} {:>9} {:>9}",
        "kind", "total", "p50 ms", "p95 ms"
    );
    // `BENCH_QUERY=<query>` times only that query, `BENCH_ITERS` times (for a profiler).
    let only = std::env::var("BENCH_QUERY").ok();
    let iters: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
        .max(200);
    for (kind, qs) in KINDS {
        if only.as_deref().is_some_and(|o| o != *qs) {
            continue;
        }
        let q = parse(qs).unwrap();
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..iters {
            let t = Instant::now();
            let r = ix.search(&q, &opts).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            total = r.total;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{kind:14} {total:>8} {:>9.3} {:>9.3}   {qs}",
            times[iters / 2],
            times[iters * 95 / 100 - 1]
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
