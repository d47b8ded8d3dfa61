//! `cargo xtask bench`: the in-browser benchmark. Builds the bench wasm
//! (`crates/bench-web`, release, wasm-bindgen `--target web`, wasm-opt `-O3`), ingests and
//! bundles the chosen corpus with the release CLI (timing `stenogram build`), then runs
//! `bench/run.mjs`, which serves `bench/` and the bundle with `e2e/server.mjs`, drives
//! headless Chromium, prints the table and saves it to `target/bench/<corpus>.txt`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::tools::{self, run};

/// The shared corpus files, relative to the workspace root's parent.
const KREMLIN: &str = "shared/corpus/kremlin_en/kremlin_en_2000-2020.jsonl.gz";
const UN: &str = "shared/corpus/ungdc/ungdc_1946_2024.jsonl.gz";

/// Which documents to benchmark.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Corpus {
    /// The Kremlin transcripts (7,235).
    Kremlin,
    /// Kremlin + UN General Debate speeches (18,187).
    All,
}

impl Corpus {
    fn name(self) -> &'static str {
        match self {
            Corpus::Kremlin => "kremlin",
            Corpus::All => "all",
        }
    }
}

/// Runs the benchmark; `others` adds MiniSearch and FlexSearch.
pub fn run_bench(root: &Path, corpus: Corpus, others: bool) -> Result<()> {
    let env = tools::ensure_all(root, true)?;
    if !root.join("e2e/node_modules/minisearch").exists()
        || !root.join("e2e/node_modules/flexsearch").exists()
    {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root.join("e2e")))?;
    }
    run(env
        .cmd("cargo")
        .args(["build", "--release", "-p", "stenogram-cli"])
        .current_dir(root))?;
    run(env
        .cmd("cargo")
        .args([
            "build",
            "--release",
            "-p",
            "stenogram-bench-web",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .current_dir(root))?;
    let bench = root.join("target/bench");
    let pkg = bench.join("pkg");
    run(env
        .cmd("wasm-bindgen")
        .args(["--target", "web", "--out-dir"])
        .arg(&pkg)
        .arg(root.join("target/wasm32-unknown-unknown/release/stenogram_bench_web.wasm"))
        .current_dir(root))?;
    let wasm = pkg.join("stenogram_bench_web_bg.wasm");
    run(env
        .cmd("wasm-opt")
        .args([
            "-O3",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
        ])
        .arg(&wasm)
        .arg("-o")
        .arg(&wasm))?;

    let shared = root
        .parent()
        .context("the workspace has no parent folder")?
        .to_path_buf();
    let mut sources = vec![("kremlin", shared.join(KREMLIN))];
    if matches!(corpus, Corpus::All) {
        sources.push(("un", shared.join(UN)));
    }
    let cli = root.join("target/release/stenogram");
    let mut json_dirs: Vec<PathBuf> = Vec::new();
    for (name, file) in &sources {
        if !file.exists() {
            bail!("{}: corpus not found", file.display());
        }
        let dir = bench.join("json").join(name);
        let done = dir.join(".ingested");
        if !done.exists() {
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            run(Command::new(&cli)
                .arg("ingest")
                .arg(file)
                .arg("--out")
                .arg(&dir))?;
            std::fs::write(&done, b"")?;
        }
        json_dirs.push(dir);
    }
    let bundle = bench.join(format!("bundle-{}", corpus.name()));
    if bundle.exists() {
        std::fs::remove_dir_all(&bundle)?;
    }
    let started = Instant::now();
    let mut build = Command::new(&cli);
    build
        .arg("build")
        .args(&json_dirs)
        .arg("--out")
        .arg(&bundle);
    run(&mut build)?;
    let build_secs = started.elapsed().as_secs_f64();

    let mut node = Command::new("node");
    node.arg(root.join("bench/run.mjs"))
        .args(["--name", corpus.name(), "--bundle"])
        .arg(&bundle)
        .arg("--pkg")
        .arg(&pkg)
        .args(["--build-secs", &format!("{build_secs:.2}"), "--out"])
        .arg(bench.join(format!("{}.txt", corpus.name())));
    for d in &json_dirs {
        node.arg("--json").arg(d);
    }
    if !others {
        node.arg("--no-others");
    }
    run(node.current_dir(root))
}
