//! `stenogram build`: a folder of transcript JSON into the static bundle the app loads.
//!
//! The bundle itself (document order, packs, content-hash names, index, manifest) is
//! `stenogram_core::bundle::write_bundle`; this file reads the inputs, runs the
//! writer's steps on every core (rayon: each step keeps its items' order, so the output
//! is byte-identical whatever the thread count) and writes the files.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use stenogram_core::bundle::{self, Step, Workers, WriteError, WriteOptions};
use stenogram_core::search::BuildOptions;
use stenogram_core::Transcript;

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

/// The writer's steps on every core, with a progress bar per step.
struct Rayon {
    bar: std::sync::Mutex<Option<(Step, indicatif::ProgressBar)>>,
}

impl Workers for Rayon {
    fn map<T: Sync, U: Send>(&self, step: Step, items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
        let bar = {
            let mut cur = self.bar.lock().expect("poisoned");
            if cur.as_ref().is_none_or(|(s, _)| *s != step) {
                if let Some((_, b)) = cur.take() {
                    b.finish_and_clear();
                }
                *cur = Some((step, progress(step.total, step.name)));
            }
            cur.as_ref().map(|(_, b)| b.clone())
        };
        let out = items.par_iter().map(&f).collect();
        if let Some(b) = bar {
            b.inc(items.len() as u64);
        }
        out
    }
}

/// Runs `stenogram build`.
pub fn run(args: Args) -> Result<ExitCode> {
    let started = Instant::now();
    let files = expand_inputs(&args.inputs, &["json"])?;
    let bar = progress(files.len(), "reading");
    let docs: Vec<Transcript> = files
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
    let n = docs.len();
    let defaults = BuildOptions::default();
    let opts = WriteOptions {
        name: args.name,
        pack_bytes: args.pack_bytes,
        index: BuildOptions {
            pair_budget: args.pair_budget.unwrap_or(defaults.pair_budget),
            pair_pos_budget: args
                .pair_positions_budget
                .unwrap_or(defaults.pair_pos_budget),
            ..defaults
        },
    };
    let workers = Rayon {
        bar: std::sync::Mutex::new(None),
    };
    let built = bundle::write_bundle(docs, &opts, &workers).map_err(|e| match e {
        WriteError::DuplicateId { id, first, second } => anyhow::anyhow!(
            "{} and {} share the id {id:?}; ids must be unique: give one of them another id",
            files[first].display(),
            files[second].display()
        ),
        e => e.into(),
    })?;
    if let Some((_, b)) = workers.bar.lock().expect("poisoned").take() {
        b.finish_and_clear();
    }
    // Files of an earlier build must not linger beside the new ones.
    for dir in ["index", "docs"] {
        let d = args.out.join(dir);
        if d.exists() {
            std::fs::remove_dir_all(&d)
                .with_context(|| format!("{}: cannot remove the old files", d.display()))?;
        }
    }
    built
        .files
        .par_iter()
        .try_for_each(|f| write_atomic(&args.out.join(&f.path), &f.bytes))?;
    let pairs = built.pairs;
    if pairs.pairs > 0 {
        eprintln!(
            "next-word index: {} pairs of adjacent words, each in {} or more transcripts ({} bytes of postings); {} of them with positions ({} bytes)",
            pairs.pairs, pairs.min_docs, pairs.bytes, pairs.with_positions, pairs.pos_bytes
        );
    }
    let index = built.manifest.index.as_ref();
    eprintln!(
        "built {n} transcripts into {} ({} packs; index: {} terms, {} files, {} bytes) in {:.2} s",
        args.out.display(),
        built.packs,
        index.map_or(0, |i| i.terms),
        built.files.len() - built.packs - 1,
        index.map_or(0, |i| i.bytes),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
