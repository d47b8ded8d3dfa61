//! `stenogram`: the command line. It does the I/O (files, progress, exit codes) around
//! the pure core in `stenogram-core`.
#![forbid(unsafe_code)]

// `stenogram ingest` catches a panic per record so one bad input never ends the run;
// with `panic = "abort"` that would silently stop working.
#[cfg(panic = "abort")]
compile_error!(
    "stenogram-cli must be built with panic = \"unwind\" (see the release profile in Cargo.toml)"
);

mod build;
mod bundle_dir;
mod fsio;
mod ingest;
mod pages;
mod plan;
mod quote;
mod search;
mod workbench;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Ingest raw transcripts, build the static bundle the web app loads, and search it.
#[derive(Parser)]
#[command(name = "stenogram", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse raw transcripts (plain text, HTML, JSON lines) into schema-1 JSON, one file per transcript.
    Ingest(ingest::Args),
    /// Build the static bundle (manifest, transcripts, index) from a folder of transcript JSON.
    Build(build::Args),
    /// Search a built bundle.
    Search(search::Args),
    /// The files a cold start and each query fetch, with their sizes on the wire.
    Plan(plan::Args),
    /// Write a built site's static reading pages (t/<id>.html): each transcript's text.
    Pages(pages::Args),
    /// Find the source passages of a quote in a built bundle.
    Quote(quote::Args),
    /// Concordance: every occurrence of a query with its context (docs/workbench.md).
    Kwic(workbench::KwicArgs),
    /// Occurrences of up to five queries per year or month, per million words.
    Trend(workbench::TrendArgs),
    /// Words found near a query more often than chance (log-likelihood, MI).
    Collocates(workbench::CollocArgs),
    /// Words distinctive of the transcripts a query selects, against the rest.
    Keyness(workbench::KeynessArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(a) => ingest::run(a),
        Command::Build(a) => build::run(a),
        Command::Search(a) => search::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Pages(a) => pages::run(a),
        Command::Quote(a) => quote::run(a),
        Command::Kwic(a) => workbench::run_kwic(a),
        Command::Trend(a) => workbench::run_trend(a),
        Command::Collocates(a) => workbench::run_collocates(a),
        Command::Keyness(a) => workbench::run_keyness(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("stenogram: {e:#}");
            ExitCode::FAILURE
        }
    }
}
