//! `stenogram build`: a folder of transcript JSON into the static bundle the app loads.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use stenogram_core::bundle::{self, CorpusInfo, DocMeta, Manifest, BUNDLE_FORMAT, MANIFEST_FILE};
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
    }
    let manifest = Manifest {
        format: BUNDLE_FORMAT,
        schema: SCHEMA_VERSION,
        corpus: CorpusInfo {
            name: args.name,
            attributions,
        },
        docs: metas,
    };
    write_atomic(
        &args.out.join(MANIFEST_FILE),
        &serde_json::to_vec(&manifest)?,
    )?;
    eprintln!(
        "built {} transcripts into {}",
        docs.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
