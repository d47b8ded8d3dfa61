//! `stenogram build`: a folder of transcript JSON into the static bundle the app loads.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use stenogram_core::bundle::{
    self, CorpusInfo, DocMeta, IndexInfo, Manifest, BUNDLE_FORMAT, MANIFEST_FILE,
};
use stenogram_core::search::{BuildOptions, IndexBuilder, INDEX_FORMAT};
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
}

/// Runs `stenogram build`.
pub fn run(args: Args) -> Result<ExitCode> {
    let started = Instant::now();
    let files = expand_inputs(&args.inputs, &["json"])?;
    let mut docs: Vec<Transcript> = Vec::with_capacity(files.len());
    for f in &files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("{}: cannot read (is it UTF-8?)", f.display()))?;
        let t = bundle::transcript_from_json(&f.display().to_string(), &text)?;
        docs.push(t);
    }
    if docs.is_empty() {
        anyhow::bail!("no transcripts found in the inputs; run `stenogram ingest` first");
    }
    // Oldest first, ties by id: a stable document numbering makes the output deterministic.
    docs.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    if let Some(w) = docs.windows(2).find(|w| w[0].id == w[1].id) {
        anyhow::bail!(
            "two transcripts share the id {:?}; ids must be unique",
            w[0].id
        );
    }
    // The progress bar is for people; logs and pipes get the one summary line.
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(docs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("indexing");
    let mut index = IndexBuilder::new();
    let mut metas = Vec::with_capacity(docs.len());
    let mut attributions: Vec<String> = Vec::new();
    for t in &docs {
        let file = format!("docs/{}.json", bundle::file_stem_for_id(&t.id));
        write_atomic(&args.out.join(&file), &serde_json::to_vec(t)?)?;
        if let Some(a) = t.source.as_ref().and_then(|s| s.attribution.clone()) {
            if !attributions.contains(&a) {
                attributions.push(a);
            }
        }
        metas.push(DocMeta::of(t, file));
        index.add(t);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let files = index.finish(BuildOptions::default());
    // Shards of an earlier build must not linger beside the new ones.
    let index_dir = args.out.join("index");
    if index_dir.exists() {
        std::fs::remove_dir_all(&index_dir)
            .with_context(|| format!("{}: cannot remove the old index", index_dir.display()))?;
    }
    let mut bytes = 0u64;
    for (path, b) in files.files() {
        write_atomic(&args.out.join(&path), b)?;
        bytes += b.len() as u64;
    }
    let info = IndexInfo {
        format: INDEX_FORMAT,
        terms: files.terms,
        meta: stenogram_core::search::format::META_PATH.into(),
        dict: stenogram_core::search::format::DICT_PATH.into(),
        words: stenogram_core::search::format::WORDS_PATH.into(),
        post: (0..files.post.len())
            .map(stenogram_core::search::format::post_path)
            .collect(),
        pos: (0..files.pos.len())
            .map(stenogram_core::search::format::pos_path)
            .collect(),
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
    eprintln!(
        "built {} transcripts into {} (index: {} terms, {} files, {} bytes) in {:.2} s",
        docs.len(),
        args.out.display(),
        manifest.index.as_ref().map_or(0, |i| i.terms),
        files.files().len(),
        bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
