//! `cargo xtask bench`: the in-browser benchmark. Builds the bench wasm
//! (`crates/bench-web`, release, wasm-bindgen `--target web`, wasm-opt `-O3`), ingests and
//! bundles the chosen corpus with the release CLI (timing `stenogram build`), then runs
//! `bench/run.mjs`, which serves `bench/` and the bundle with `e2e/server.mjs`, drives
//! headless Chromium, prints the table and saves it to `target/bench/<corpus>.txt`. Unless
//! `--no-pagefind`, `run.mjs` also renders the same transcripts as HTML pages, indexes them
//! with Pagefind and measures it in the same browser. Each run adds a line to
//! `target/bench/growth.txt`, printed at the end.
//!
//! `--corpus grow100k` synthesises 100,000 transcripts from the ingested Kremlin and UN
//! JSON (repetitions with new ids and dates shifted by whole years) into
//! `target/bench/json/grow100k`, once.

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
    /// 100,000 transcripts: Kremlin + UN repeated with new ids and shifted dates.
    Grow100k,
}

/// What to run besides our engine.
pub struct Options {
    /// MiniSearch and FlexSearch.
    pub others: bool,
    /// Pagefind.
    pub pagefind: bool,
    /// Latency samples per query; `None`: run.mjs's default (10 for grow100k).
    pub samples: Option<u32>,
}

/// Documents in the synthetic growth corpus.
const GROW_DOCS: usize = 100_000;

impl Corpus {
    fn name(self) -> &'static str {
        match self {
            Corpus::Kremlin => "kremlin",
            Corpus::All => "all",
            Corpus::Grow100k => "grow100k",
        }
    }
}

/// Runs the benchmark.
pub fn run_bench(root: &Path, corpus: Corpus, opts: Options) -> Result<()> {
    let others = opts.others;
    let env = tools::ensure_all(root, true)?;
    if !root.join("e2e/node_modules/minisearch").exists()
        || !root.join("e2e/node_modules/flexsearch").exists()
        || !root.join("e2e/node_modules/.bin/pagefind").exists()
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
    if !matches!(corpus, Corpus::Kremlin) {
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
    if matches!(corpus, Corpus::Grow100k) {
        let dir = bench.join("json/grow100k");
        grow(&json_dirs, &dir, GROW_DOCS)?;
        json_dirs = vec![dir];
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
    // MiniSearch and FlexSearch index in the page from one JSON of every text: too big at
    // 100,000 transcripts.
    if !others || matches!(corpus, Corpus::Grow100k) {
        node.arg("--no-others");
    }
    if !opts.pagefind {
        node.arg("--no-pagefind");
    }
    let samples = opts
        .samples
        .or(matches!(corpus, Corpus::Grow100k).then_some(10));
    if let Some(n) = samples {
        node.args(["--samples", &n.to_string()]);
    }
    node.arg("--growth").arg(bench.join("growth.txt"));
    run(node.current_dir(root))
}

/// Writes `n` transcripts into `out` (once: a `.ingested` marker): those of `dirs`, then
/// again and again with the id `<id>-r<k>` and the date (or, for UN records dated by year
/// alone, the `year`) `k - 1` years later, repetition `k` counting from 1.
fn grow(dirs: &[PathBuf], out: &Path, n: usize) -> Result<()> {
    let done = out.join(".ingested");
    if done.exists() {
        return Ok(());
    }
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    std::fs::create_dir_all(out)?;
    let mut files = Vec::new();
    for d in dirs {
        for e in std::fs::read_dir(d)? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("no transcript JSON to grow from");
    }
    eprintln!("xtask: writing {n} transcripts into {}", out.display());
    let mut written = 0;
    'reps: for rep in 1usize.. {
        let shift = rep as i32 - 1;
        for f in &files {
            if written == n {
                break 'reps;
            }
            let text = std::fs::read_to_string(f)?;
            let mut t: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("{}", f.display()))?;
            let id = t["id"]
                .as_str()
                .context("transcript without id")?
                .to_string();
            let id = if rep == 1 { id } else { format!("{id}-r{rep}") };
            if let Some(date) = t["date"].as_str() {
                t["date"] = serde_json::Value::String(shift_date(date, shift));
            }
            if let Some(year) = t["year"].as_i64() {
                t["year"] = (year + i64::from(shift)).into();
            }
            t["id"] = serde_json::Value::String(id.clone());
            std::fs::write(out.join(format!("{id}.json")), t.to_string())?;
            written += 1;
        }
    }
    std::fs::write(&done, b"")?;
    Ok(())
}

/// `YYYY-MM-DD…` moved by `years` (29 February becomes 28 February off leap years).
fn shift_date(date: &str, years: i32) -> String {
    let Some(y) = date.get(..4).and_then(|y| y.parse::<i32>().ok()) else {
        return date.to_string();
    };
    let y = y + years;
    let rest = &date[4..];
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if rest.starts_with("-02-29") && !leap {
        format!("{y:04}-02-28{}", &rest[6..])
    } else {
        format!("{y:04}{rest}")
    }
}
