//! `stenogram build`: a folder of transcript JSON into the static bundle the app loads.
//!
//! Reading, analysis, hashing and writing run on every core (rayon); the index is
//! assembled in document order, so the output is byte-identical for the same input
//! whatever the thread count. Every file but `manifest.json` is named by its content's
//! hash (`<name>-<16 hex digits of SHA-256>.<ext>`): published files never change.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use stenogram_core::bundle::{
    self, CorpusInfo, DocMeta, IndexInfo, Manifest, BUNDLE_FORMAT, MANIFEST_FILE,
};
use stenogram_core::search::{BuildOptions, DocAnalyzer, IndexBuilder, INDEX_FORMAT};
use stenogram_core::{Transcript, SCHEMA_VERSION};

use crate::fsio::{expand_inputs, write_atomic};

/// Arguments of `stenogram build`.
#[derive(clap::Args)]
pub struct Args {
    /// Folders or files of schema-1 transcript JSON (as written by `stenogram ingest`).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The bundle folder to write.
    #[arg(long)]
    out: PathBuf,
    /// The corpus name shown in the app.
    #[arg(long, default_value = "Stenogram corpus")]
    name: String,
    /// Start a new transcript pack once the current one holds this many bytes of JSON.
    #[arg(long, default_value_t = 64 * 1024)]
    pack_bytes: usize,
    /// Pair terms (the next-word index) may add this share of the words' index bytes in
    /// postings (default: the core's `BuildOptions`; 0 turns the next-word index off).
    #[arg(long)]
    pair_budget: Option<f64>,
    /// And this share in positions, for the pairs in most transcripts.
    #[arg(long)]
    pair_positions_budget: Option<f64>,
}

/// Documents analysed per batch: bounds memory, keeps every core busy.
const BATCH: usize = 512;

thread_local! {
    /// One analyzer per worker thread: its word cache lives as long as the thread.
    static ANALYZER: RefCell<DocAnalyzer> = RefCell::new(DocAnalyzer::new());
}

/// `<stem>-<first 16 hex digits of the SHA-256 of bytes>.<ext>`.
fn hashed_name(stem: &str, ext: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{stem}-{hex}.{ext}")
}

fn progress(len: usize, msg: &'static str) -> indicatif::ProgressBar {
    // The progress bar is for people; logs and pipes get the one summary line.
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(len as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:10} {wide_bar} {pos}/{len} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(msg);
    bar
}

/// Runs `stenogram build`.
pub fn run(args: Args) -> Result<ExitCode> {
    let started = Instant::now();
    let files = expand_inputs(&args.inputs, &["json"])?;
    let bar = progress(files.len(), "reading");
    let mut docs: Vec<Transcript> = files
        .par_iter()
        .map(|f| {
            let text = std::fs::read_to_string(f)
                .with_context(|| format!("{}: cannot read (is it UTF-8?)", f.display()))?;
            let t = bundle::transcript_from_json(&f.display().to_string(), &text)?;
            bar.inc(1);
            Ok(t)
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    if docs.is_empty() {
        anyhow::bail!("no transcripts found in the inputs; run `stenogram ingest` first");
    }
    // Oldest first, ties by id: a stable document numbering makes the output deterministic.
    docs.par_sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    if let Some(w) = docs.windows(2).find(|w| w[0].id == w[1].id) {
        anyhow::bail!(
            "two transcripts share the id {:?}; ids must be unique",
            w[0].id
        );
    }
    // Files of an earlier build must not linger beside the new ones.
    for dir in ["index", "docs"] {
        let d = args.out.join(dir);
        if d.exists() {
            std::fs::remove_dir_all(&d)
                .with_context(|| format!("{}: cannot remove the old files", d.display()))?;
        }
    }

    // Transcript packs: consecutive documents (date order) until `pack_bytes`.
    let bar = progress(docs.len(), "packing");
    let json: Vec<Vec<u8>> = docs
        .par_iter()
        .map(serde_json::to_vec)
        .collect::<Result<_, _>>()?;
    let mut packs: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, j) in json.iter().enumerate() {
        size += j.len() + 2;
        if size >= args.pack_bytes || i + 1 == json.len() {
            packs.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    let pack_names: Vec<String> = packs
        .par_iter()
        .enumerate()
        .map(|(n, r)| {
            // Same layout as `bundle::pack_to_json`: one transcript per line.
            let mut out = b"[\n".to_vec();
            for i in r.clone() {
                out.extend_from_slice(&json[i]);
                out.extend_from_slice(if i + 1 < r.end { b",\n" } else { b"\n" });
            }
            out.extend_from_slice(b"]\n");
            let name = format!(
                "docs/{}",
                hashed_name(&format!("pack-{n:05}"), "json", &out)
            );
            write_atomic(&args.out.join(&name), &out)?;
            bar.inc(r.len() as u64);
            Ok(name)
        })
        .collect::<Result<_>>()?;
    drop(json);
    bar.finish_and_clear();
    let mut metas = Vec::with_capacity(docs.len());
    let mut attributions: Vec<String> = Vec::new();
    for (r, name) in packs.iter().zip(&pack_names) {
        for (slot, t) in docs[r.clone()].iter().enumerate() {
            if let Some(a) = t.source.as_ref().and_then(|s| s.attribution.clone()) {
                if !attributions.contains(&a) {
                    attributions.push(a);
                }
            }
            let mut m = DocMeta::in_pack(t, name.clone(), slot as u32);
            // In the index already; in the manifest they would make up a third of it.
            m.mentions.clear();
            metas.push(m);
        }
    }

    // The index: analysis in parallel batches, assembly in document order.
    let bar = progress(docs.len(), "indexing");
    let mut index = IndexBuilder::new();
    for batch in docs.chunks(BATCH) {
        let analysed: Vec<_> = batch
            .par_iter()
            .map(|t| ANALYZER.with(|a| a.borrow_mut().analyze(t)))
            .collect();
        for a in analysed {
            index.add_analyzed(a);
        }
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    let defaults = BuildOptions::default();
    let files = index.finish(BuildOptions {
        pair_budget: args.pair_budget.unwrap_or(defaults.pair_budget),
        pair_pos_budget: args
            .pair_positions_budget
            .unwrap_or(defaults.pair_pos_budget),
        ..defaults
    });
    let named: Vec<(String, &[u8])> = files
        .files()
        .into_par_iter()
        .map(|(path, b)| {
            let (stem, ext) = path.rsplit_once('.').unwrap_or((path.as_str(), "bin"));
            (hashed_name(stem, ext, b), b)
        })
        .collect();
    named
        .par_iter()
        .try_for_each(|(path, b)| write_atomic(&args.out.join(path), b))?;
    let bytes: u64 = named.iter().map(|(_, b)| b.len() as u64).sum();
    // `files()` lists meta, dict, words, then the postings and the positions shards.
    let mut paths = named.iter().map(|(p, _)| p.clone());
    let mut next = || paths.next().unwrap_or_default();
    let (meta, dict, words) = (next(), next(), next());
    let post = (0..files.post.len()).map(|_| next()).collect();
    let pos = (0..files.pos.len()).map(|_| next()).collect();
    let info = IndexInfo {
        format: INDEX_FORMAT,
        terms: files.terms,
        meta,
        dict,
        words,
        post,
        pos,
        bytes,
    };
    let manifest = Manifest {
        format: BUNDLE_FORMAT,
        schema: SCHEMA_VERSION,
        corpus: CorpusInfo {
            name: args.name,
            attributions,
        },
        docs: metas,
        index: Some(info),
    };
    write_atomic(
        &args.out.join(MANIFEST_FILE),
        &serde_json::to_vec(&manifest)?,
    )?;
    if files.pairs.pairs > 0 {
        eprintln!(
            "next-word index: {} pairs of adjacent words, each in {} or more transcripts ({} bytes of postings); {} of them with positions ({} bytes)",
            files.pairs.pairs, files.pairs.min_docs, files.pairs.bytes, files.pairs.with_positions, files.pairs.pos_bytes
        );
    }
    eprintln!(
        "built {} transcripts into {} ({} packs; index: {} terms, {} files, {} bytes) in {:.2} s",
        docs.len(),
        args.out.display(),
        pack_names.len(),
        manifest.index.as_ref().map_or(0, |i| i.terms),
        named.len(),
        bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
