//! `cargo xtask`: the project's chores, so that two commands do everything on a fresh
//! machine: `cargo xtask serve` and `cargo xtask test`.
#![forbid(unsafe_code)]

mod bench;
mod precache;
mod shell;
mod site;
mod split;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Stenogram's chores")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install missing tools, bundle the corpus and serve the app at http://127.0.0.1:8080.
    Serve {
        /// A folder of transcript JSON (from `stenogram ingest`) to serve instead of the sample.
        #[arg(long)]
        corpus: Option<PathBuf>,
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Write the release site (with 404.html and .nojekyll for GitHub Pages).
    Dist {
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// The URL path the site is served under, e.g. `/stenogram/` on GitHub Pages.
        #[arg(long, default_value = "/")]
        public_url: String,
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// Precache the corpus for offline use when it totals at most this many bytes.
        #[arg(long, default_value_t = precache::CORPUS_PRECACHE_LIMIT)]
        corpus_limit: u64,
        /// Transcript pack size in bytes (default: the build's, one transcript a pack).
        #[arg(long)]
        pack_bytes: Option<usize>,
        /// Leave out the transcripts' reading pages (`t/<id>.html`, about 20 KiB each, with the text), for a
        /// host that limits a site's size; a reading URL then opens from 404.html.
        #[arg(long)]
        no_pages: bool,
    },
    /// Rewrite the service worker's precache manifest and the reading pages of an already
    /// built site, e.g. after replacing its `corpus/` folder by hand.
    Precache {
        /// The built site (the output of `dist`).
        dir: PathBuf,
        #[arg(long, default_value_t = precache::CORPUS_PRECACHE_LIMIT)]
        corpus_limit: u64,
        /// Remove the reading pages instead of writing them again (as `dist --no-pages`).
        #[arg(long)]
        no_pages: bool,
    },
    /// Install what is missing and run every check: fmt, clippy, native tests, wasm tests,
    /// the release build and the end-to-end tests in headless Chromium.
    Test,
    /// Build the e2e site (as `test` does) and run only the given e2e files.
    E2e {
        /// Files relative to `e2e/`, e.g. `tests/offline.test.mjs`; all of `tests/` if none.
        files: Vec<String>,
        /// Reuse target/e2e-site when it exists instead of building it again.
        #[arg(long)]
        no_build: bool,
    },
    /// Install every tool the checks need, and nothing else.
    Setup,
    /// The benchmark of the real app (bytes, first result, latency, workbench and quote
    /// budgets, memory, Lighthouse) beside Pagefind's default UI; saves it to
    /// target/bench/<corpus>.txt; with --engines, the engine comparison (ours, MiniSearch,
    /// FlexSearch, Pagefind's API) to target/bench/<corpus>-engines.txt.
    Bench {
        #[arg(long, value_enum, default_value = "kremlin")]
        corpus: bench::Corpus,
        /// Also run the engine comparison (ours in the page thread, Pagefind's API,
        /// MiniSearch, FlexSearch): minutes more at 18k, mostly indexing in the browser.
        #[arg(long)]
        engines: bool,
        /// No effect: the engine comparison runs only with --engines (kept for old scripts).
        #[arg(long, hide = true)]
        no_others: bool,
        /// Skip Pagefind (its HTML pages, index build and measurements).
        #[arg(long)]
        no_pagefind: bool,
        /// Skip Lighthouse.
        #[arg(long)]
        no_lighthouse: bool,
        /// Reuse the site built by an earlier run (target/bench/app-<corpus>) if there is one.
        #[arg(long)]
        no_build: bool,
        /// Latency samples per query in the engine comparison (default 40).
        #[arg(long)]
        samples: Option<u32>,
        /// Run one part of the app's bench alone and print its rows: `cold` (load, first
        /// and further queries, warm search) or `workbench` (workbench views and quotes).
        #[arg(long, value_parser = ["cold", "workbench"])]
        only: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = project_root();
    let result = match cli.command {
        Command::Serve { corpus, port } => site::serve(&root, corpus.as_deref(), port),
        Command::Dist {
            corpus,
            public_url,
            out,
            corpus_limit,
            pack_bytes,
            no_pages,
        } => site::dist(
            &root,
            corpus.as_deref(),
            &public_url,
            &out,
            corpus_limit,
            pack_bytes,
            !no_pages,
        )
        .map(|_| ()),
        Command::Precache {
            dir,
            corpus_limit,
            no_pages,
        } => site::finish(&root, &dir, corpus_limit, !no_pages),
        Command::Test => test::run_all(&root),
        Command::E2e { files, no_build } => test::run_e2e_only(&root, &files, no_build),
        Command::Setup => tools::ensure_all(&root, true).map(|_| ()),
        Command::Bench {
            corpus,
            engines,
            no_others: _,
            no_pagefind,
            no_lighthouse,
            no_build,
            samples,
            only,
        } => bench::run_bench(
            &root,
            corpus,
            bench::Options {
                others: engines,
                pagefind: !no_pagefind,
                lighthouse: !no_lighthouse,
                build: !no_build,
                samples,
                only,
            },
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}
