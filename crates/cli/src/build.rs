//! `stenogram build`: a folder of transcript JSON into the static bundle the app loads.
//!
//! The bundle itself (document order, packs, content-hash names, index, manifest) is
//! `stenogram_core::bundle::write_bundle`; this file reads the inputs, runs the
//! writer's steps on every core (rayon: each step keeps its items' order, so the output
//! is byte-identical whatever the thread count) and writes the files into a fresh
//! folder that replaces the output folder only once it is complete.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use stenogram_core::bundle::{self, Step, Workers, WriteError, WriteOptions};
use stenogram_core::search::BuildOptions;
use stenogram_core::Transcript;

use crate::fsio::{
    check_replaceable, expand_inputs, read_file, replace_dir, sync_dir, write_atomic,
};

/// Arguments of `stenogram build`.
#[derive(clap::Args)]
pub struct Args {
    /// Folders or files of schema-1 transcript JSON (as written by `stenogram ingest`).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The bundle folder to write: missing, empty, or a previous bundle, which is
    /// replaced whole once the new one is complete (any other folder is refused).
    #[arg(long)]
    out: PathBuf,
    /// The corpus name shown in the app.
    #[arg(long, default_value = "Stenogram corpus")]
    name: String,
    /// Start a new transcript pack once the current one holds this many bytes of JSON
    /// (default: the core's `WriteOptions`, one transcript a pack).
    #[arg(long)]
    pack_bytes: Option<usize>,
    /// Pair terms (the next-word index) may add this share of the words' index bytes in
    /// postings, besides the costly pairs (default: the core's `BuildOptions`; 0 turns
    /// the next-word index off, costly pairs too).
    #[arg(long)]
    pair_budget: Option<f64>,
    /// And this share in positions, for the pairs in most transcripts.
    #[arg(long)]
    pair_positions_budget: Option<f64>,
    /// Refuse an input file larger than this (checked before reading it).
    #[arg(long, default_value_t = crate::ingest::DEFAULT_MAX_FILE_BYTES)]
    max_file_bytes: u64,
    /// Follow symbolic links to folders outside an input folder.
    #[arg(long)]
    follow_links: bool,
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
    // Before any work: a folder that is not a bundle is never replaced.
    check_replaceable(&args.out)?;
    let found = expand_inputs(&args.inputs, &["json"], args.follow_links)?;
    for msg in &found.skipped {
        eprintln!("stenogram: {msg}");
    }
    let files = found.files;
    let bar = progress(files.len(), "reading");
    let docs: Vec<Transcript> = files
        .par_iter()
        .map(|f| {
            let bytes = read_file(f, args.max_file_bytes)
                .with_context(|| format!("{}: cannot read", f.display()))?;
            let text = String::from_utf8(bytes)
                .with_context(|| format!("{}: not UTF-8 text", f.display()))?;
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
        pack_bytes: args
            .pack_bytes
            .unwrap_or(WriteOptions::default().pack_bytes),
        index: BuildOptions {
            pair_budget: args.pair_budget.unwrap_or(defaults.pair_budget),
            pair_pos_budget: args
                .pair_positions_budget
                .unwrap_or(defaults.pair_pos_budget),
            // `--pair-budget 0` turns the next-word index off, costly pairs included.
            pair_costly_budget: match args.pair_budget {
                Some(b) if b <= 0.0 => 0.0,
                _ => defaults.pair_costly_budget,
            },
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
    // A fresh folder swapped in whole: no file of an earlier build lingers, a failure
    // leaves the earlier build as it was, and a folder that is not a bundle is refused.
    replace_dir(&args.out, |dir| {
        built
            .files
            .par_iter()
            .try_for_each(|f| write_atomic(&dir.join(&f.path), &f.bytes))?;
        for sub in ["docs", "index", "."] {
            if dir.join(sub).is_dir() {
                sync_dir(&dir.join(sub))?;
            }
        }
        Ok(())
    })?;
    let pairs = built.pairs;
    if pairs.pairs > 0 {
        eprintln!(
            "next-word index: {} pairs of adjacent words, each in {} or more transcripts ({} of them costly; {} bytes of postings); {} of them with positions ({} bytes)",
            pairs.pairs, pairs.min_docs, pairs.costly, pairs.bytes, pairs.with_positions, pairs.pos_bytes
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
