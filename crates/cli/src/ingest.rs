//! `stenogram ingest`. (Placeholder: owned by the ingest work.)

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

/// Arguments of `stenogram ingest`.
#[derive(clap::Args)]
pub struct Args {
    /// Files or folders of raw transcripts.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Folder to write `<id>.json` files into.
    #[arg(long)]
    out: PathBuf,
}

/// Runs `stenogram ingest`.
pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
