//! What a page of hits costs in transcript packs, per pack size (issue 13, item 3).
//!
//! `cargo run --release -p stenogram-core --example pack_sizes -- DIR...` reads transcript
//! JSON (as `stenogram ingest` writes it), packs it as `write_bundle` does at 64, 16 and
//! 8 KiB and one transcript a pack, and prints the gzip bytes of the distinct packs that
//! `HITS` random documents (a page of hits of a common word, which nearly every transcript
//! has) fall in: p50, p95 and max over `TRIALS` pages.

use std::io::Write as _;

use stenogram_core::bundle::{pack_json, pack_ranges};
use stenogram_core::model::Transcript;

const HITS: usize = 20;
const TRIALS: usize = 500;

fn gz(b: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap().len()
}

fn main() {
    let mut docs: Vec<Transcript> = Vec::new();
    for dir in std::env::args().skip(1) {
        for e in std::fs::read_dir(&dir).expect("a folder of transcript JSON") {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&p).unwrap();
                docs.push(serde_json::from_str(&text).unwrap());
            }
        }
    }
    // The writer's document order.
    docs.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    let json: Vec<Vec<u8>> = docs
        .iter()
        .map(|t| serde_json::to_vec(t).unwrap())
        .collect();
    let sizes: Vec<usize> = json.iter().map(Vec::len).collect();
    println!(
        "{} transcripts; {HITS} random hits, {TRIALS} pages",
        docs.len()
    );
    println!(
        "{:>12} {:>7} {:>10} {:>10} {:>10} {:>10}",
        "pack", "packs", "mean pack", "p50 page", "p95 page", "max page"
    );
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for (name, bytes) in [
        ("64 KiB", 64 << 10),
        ("16 KiB", 16 << 10),
        ("8 KiB", 8 << 10),
        ("transcript", 1),
    ] {
        let ranges = pack_ranges(&sizes, bytes);
        let mut pack_of = vec![0usize; docs.len()];
        let gzs: Vec<usize> = ranges
            .iter()
            .enumerate()
            .map(|(n, r)| {
                for d in r.clone() {
                    pack_of[d] = n;
                }
                gz(&pack_json(&json[r.clone()]))
            })
            .collect();
        let mut pages: Vec<usize> = (0..TRIALS)
            .map(|_| {
                let mut packs: Vec<usize> = (0..HITS)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        pack_of[(seed % docs.len() as u64) as usize]
                    })
                    .collect();
                packs.sort_unstable();
                packs.dedup();
                packs.iter().map(|&p| gzs[p]).sum()
            })
            .collect();
        pages.sort_unstable();
        let at = |q: f64| pages[((pages.len() as f64 * q) as usize).min(pages.len() - 1)];
        println!(
            "{name:>12} {:>7} {:>10} {:>10} {:>10} {:>10}",
            gzs.len(),
            gzs.iter().sum::<usize>() / gzs.len(),
            at(0.5),
            at(0.95),
            pages[pages.len() - 1]
        );
    }
}
