//! `stenogram search`. (Placeholder: owned by the search work.)

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

/// Arguments of `stenogram search`.
#[derive(clap::Args)]
pub struct Args {
    /// The bundle folder written by `stenogram build`.
    bundle: PathBuf,
    /// The query.
    query: String,
}

/// Runs `stenogram search`.
pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
