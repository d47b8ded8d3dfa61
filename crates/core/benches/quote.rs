//! Quote finder latency at issue 15's scale: 18k transcripts (the Kremlin corpus and the
//! UN General Debate when `../shared` is present, else a generated corpus of that size),
//! 40-word quotes of every kind from the test set (`tests/quote_cases.rs`). Prints p50/p95
//! of the two steps (candidates from the index; alignment over the fetched transcripts)
//! and of both. Fetching the transcripts' packs is I/O and not counted.
//! `cargo bench -p stenogram-core --bench quote`.

use std::collections::HashMap;
use std::io::BufRead;
use std::time::Instant;

use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::quote::{self, Quote};
use stenogram_core::search::Filters;

#[path = "../tests/common/kremlin.rs"]
mod kremlin;
#[path = "../tests/quote_cases.rs"]
mod quote_cases;

/// The UN General Debate speeches: one turn each, paragraphs split on blank lines.
fn ungdc() -> Vec<Transcript> {
    let p = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/ungdc/ungdc_1946_2024.jsonl.gz");
    let Ok(f) = std::fs::File::open(p) else {
        return Vec::new();
    };
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
    r.lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .map(|d| {
            let mut t = Transcript::new(
                format!("un-{}", d["id"].as_str().unwrap_or("")),
                format!("General Debate {}", d["country"].as_str().unwrap_or("")),
            );
            t.year = d["year"].as_i64().map(|y| y as i32);
            t.sections = vec![Section {
                heading: None,
                turns: vec![Turn {
                    speaker: d["speaker"].as_str().map(str::to_owned),
                    paragraphs: d["text"]
                        .as_str()
                        .unwrap_or("")
                        .split("\n\n")
                        .filter(|p| !p.trim().is_empty())
                        .map(str::to_owned)
                        .collect(),
                    ..Default::default()
                }],
            }];
            t
        })
        .collect()
}

/// CPU time of this process so far, in ms (Linux `/proc/self/stat`, 100 ticks a second):
/// on a busy machine, wall time measures the neighbours too.
fn cpu_ms() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let f: Vec<&str> = s.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 * p) as usize).min(v.len() - 1)]
}

fn main() {
    let (docs, what) = match kremlin::load(1) {
        Some(mut k) => {
            k.extend(ungdc());
            (k, "Kremlin + UN General Debate")
        }
        None => (quote_cases::generated(18_000, 3), "generated corpus"),
    };
    let t0 = Instant::now();
    let ix = quote_cases::index(&docs);
    println!(
        "{what}: {} transcripts, index built and loaded in {:.1} s",
        docs.len(),
        t0.elapsed().as_secs_f64()
    );
    let by_id: HashMap<&str, &Transcript> = docs.iter().map(|t| (t.id.as_str(), t)).collect();
    let cases = quote_cases::cases(&docs, 20, 99);
    let (mut cand, mut align, mut both) = (Vec::new(), Vec::new(), Vec::new());
    let mut per_kind: HashMap<String, Vec<f64>> = HashMap::new();
    let mut words = 0usize;
    let cpu0 = cpu_ms();
    let wall0 = Instant::now();
    for c in &cases {
        // 40 words, as the budget says: the case's own words, repeated from its start.
        let ws: Vec<&str> = c.text.split_whitespace().collect();
        let text: Vec<&str> = ws.iter().copied().cycle().take(40).collect();
        let text = text.join(" ");
        let t = Instant::now();
        let q = Quote::new(&text).unwrap();
        let cands =
            quote::candidates(&ix, &q, &Filters::default(), quote::DEFAULT_CANDIDATES).unwrap();
        let t1 = t.elapsed().as_secs_f64() * 1e3;
        let fetched: Vec<&Transcript> = cands
            .iter()
            .map(|c| by_id[c.id.as_deref().expect("every part is loaded")])
            .collect();
        words += fetched
            .iter()
            .flat_map(|t| t.paragraphs())
            .map(|p| p.text.split_whitespace().count())
            .sum::<usize>();
        let t2 = Instant::now();
        std::hint::black_box(quote::find(&q, &fetched));
        let t2 = t2.elapsed().as_secs_f64() * 1e3;
        cand.push(t1);
        align.push(t2);
        both.push(t1 + t2);
        per_kind
            .entry(format!("{:?}", c.kind))
            .or_default()
            .push(t1 + t2);
    }
    let wall = wall0.elapsed().as_secs_f64() * 1e3 / cases.len() as f64;
    if let (Some(a), Some(b)) = (cpu0, cpu_ms()) {
        let cpu = (b - a) / cases.len() as f64;
        println!(
            "mean per quote: {wall:.1} ms wall, {cpu:.1} ms CPU (on a busy machine, wall time \
             counts the neighbours too: scale the figures below by {:.2} for an idle one)",
            cpu / wall
        );
    }
    println!(
        "{} quotes of 40 words; {} candidate words aligned per quote on average",
        cases.len(),
        words / cases.len()
    );
    println!("{:24} {:>8} {:>8}", "step", "p50 ms", "p95 ms");
    for (name, v) in [
        ("candidates (index)", &mut cand),
        ("alignment", &mut align),
        ("both", &mut both),
    ] {
        println!("{name:24} {:>8.2} {:>8.2}", pct(v, 0.5), pct(v, 0.95));
    }
    let mut kinds: Vec<_> = per_kind.into_iter().collect();
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, mut v) in kinds {
        println!(
            "  {k:22} {:>8.2} {:>8.2}",
            pct(&mut v, 0.5),
            pct(&mut v, 0.95)
        );
    }
}
