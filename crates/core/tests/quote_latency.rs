//! Where a quote's time goes, step by step, on a built bundle on disk (the app's own
//! files): the index parts its candidate query needs (count, bytes, decoding), the
//! candidates, the candidates' transcripts (bytes, parsing) and the alignment. Native, so
//! only a guide to the app's (wasm, in a worker) figures; it also says at which rank the
//! quote's source came among the candidates. Ignored by default:
//! `STENOGRAM_BUNDLE=DIR QUOTES=quotes.json cargo test --release -p stenogram-core --test quote_latency -- --ignored --nocapture`
//! (`QUOTES`: a JSON array of strings, e.g. the bench's `quotes`).

use std::path::PathBuf;
use std::time::Instant;

use stenogram_core::bundle::{self, Manifest, PackIndex, MANIFEST_FILE};
use stenogram_core::model::Transcript;
use stenogram_core::quote::{Quote, QuoteSearch};
use stenogram_core::search::{Filters, Index};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

#[test]
#[ignore = "needs a built bundle: STENOGRAM_BUNDLE=DIR QUOTES=FILE"]
fn quote_latency_by_step() {
    let (Ok(root), Ok(qf)) = (std::env::var("STENOGRAM_BUNDLE"), std::env::var("QUOTES")) else {
        eprintln!("skipped: set STENOGRAM_BUNDLE and QUOTES");
        return;
    };
    let root = PathBuf::from(root);
    let quotes: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(qf).expect("QUOTES: cannot read"))
            .expect("QUOTES: a JSON array of strings");
    let manifest =
        Manifest::from_json(&std::fs::read_to_string(root.join(MANIFEST_FILE)).unwrap()).unwrap();
    let info = manifest.index.clone().expect("the bundle has an index");
    let read = |p: &str| std::fs::read(root.join(p)).unwrap();
    let mut packs = PackIndex::new(&manifest.rows);
    if let Some(t) = packs.missing().map(str::to_string) {
        packs.add(&read(&t)).unwrap();
    }
    let mut ix = Index::open(&read(&info.meta), read(&info.dict)).unwrap();
    for text in &quotes {
        let t0 = Instant::now();
        let q = Quote::new(text).unwrap();
        let t_new = ms(t0);
        let t0 = Instant::now();
        let (mut n_parts, mut bytes) = (0, 0);
        loop {
            let parts = q.plan(&ix, &Filters::default()).unwrap();
            if parts.is_empty() {
                break;
            }
            for p in parts {
                let b = read(&info.part_path(p).unwrap());
                n_parts += 1;
                bytes += b.len();
                ix.add_part(p, b).unwrap();
            }
        }
        let t_parts = ms(t0);
        let t0 = Instant::now();
        let mut search = QuoteSearch::new(&ix, &q, &Filters::default()).unwrap();
        let t_cands = ms(t0);
        let (mut t_docs, mut t_find, mut pack_bytes, mut rounds) = (0.0, 0.0, 0, 0);
        let mut docs: Vec<Transcript> = Vec::new();
        let mut cands = Vec::new();
        loop {
            let t0 = Instant::now();
            let wanted = search.wanted();
            t_find += ms(t0);
            if wanted.is_empty() {
                break;
            }
            rounds += 1;
            for c in wanted {
                let t0 = Instant::now();
                let (file, slot) = packs.locate(c.doc).unwrap();
                let text = std::fs::read_to_string(root.join(&file)).unwrap();
                pack_bytes += text.len();
                let t = bundle::transcript_from_pack(&file, &text, slot).unwrap();
                t_docs += ms(t0);
                let t0 = Instant::now();
                search.add(&t);
                t_find += ms(t0);
                docs.push(t);
                cands.push(c);
            }
        }
        let t0 = Instant::now();
        let res = search.result();
        t_find += ms(t0);
        let paras: usize = docs.iter().map(|t| t.paragraphs().count()).sum();
        let rank: Vec<String> = res
            .parts
            .iter()
            .map(|p| {
                cands
                    .iter()
                    .position(|c| c.id.as_deref() == Some(p.id.as_str()))
                    .map_or("-".into(), |r| r.to_string())
            })
            .collect();
        let verdict = res
            .matches
            .first()
            .map(|m| format!("{:?} {:.2}", m.verdict, m.coverage));
        println!(
            "new {t_new:.1} | parts {n_parts} {:.0} KB {t_parts:.1} ms | cands {t_cands:.1} ms | \
             {rounds} rounds, {} docs {:.0} KB {paras} paras {t_docs:.1} ms | align {t_find:.1} ms | \
             source rank {} | {}",
            bytes as f64 / 1e3,
            cands.len(),
            pack_bytes as f64 / 1e3,
            rank.join(","),
            verdict.unwrap_or_else(|| "no match".into()),
        );
    }
}
