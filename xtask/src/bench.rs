//! `cargo xtask bench`: the benchmark of the real app (issue 13's figures, issue 14's and
//! 15's budgets), beside Pagefind, MiniSearch and FlexSearch.
//!
//! It ingests the chosen corpus once (`target/bench/json/<name>`, `.ingested` marks it
//! done), builds the site exactly as `cargo xtask dist` does (`site::dist`: the bundle,
//! Trunk's release build with wasm-opt, the shell's finishing and the precache manifest)
//! under `/stenogram/` into `target/bench/app-<corpus>`, and runs `bench/app.mjs`, which
//! serves it as GitHub Pages does and drives headless Chromium through the app's UI and
//! URLs: wasm and shell bytes, the cold first highlighted result, bytes per query, warm
//! latency, the workbench and quote budgets, long tasks, memory, Pagefind's default UI
//! and Lighthouse (installed into `bench/node_modules` from `bench/package.json`, by this
//! command only). The table goes to `target/bench/<corpus>.txt`; each run adds its line
//! to `target/bench/growth.txt`, printed at the end.
//!
//! With `--engines`, `bench/run.mjs` first compares engines alone on a bench page
//! (`crates/bench-web`: our engine in the page thread, Pagefind's API, MiniSearch and
//! FlexSearch), into `target/bench/<corpus>-engines.txt`.
//!
//! `--corpus grow100k` synthesises 100,000 transcripts from the ingested Kremlin and UN
//! JSON (repetitions with new ids and dates shifted by whole years) into
//! `target/bench/json/grow100k`, once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::precache::CORPUS_PRECACHE_LIMIT;
use crate::site;
use crate::tools::{self, run};

/// The URL path the app is served under, as on GitHub Pages.
const PUBLIC_URL: &str = "/stenogram/";

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

/// What to run besides the app itself.
pub struct Options {
    /// The engine comparison on the bench page (ours in the page thread, MiniSearch,
    /// FlexSearch and Pagefind's API).
    pub others: bool,
    /// Pagefind.
    pub pagefind: bool,
    /// Lighthouse on home, a results URL and a reading URL.
    pub lighthouse: bool,
    /// Build the site; otherwise reuse `target/bench/app-<corpus>` when it holds one.
    pub build: bool,
    /// Latency samples per query of the engine comparison; `None`: run.mjs's default.
    pub samples: Option<u32>,
    /// One part of the app's bench alone (`cold` or `workbench`), for a quick figure.
    pub only: Option<String>,
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
    let env = tools::ensure_all(root, true)?;
    if !root.join("e2e/node_modules/minisearch").exists()
        || !root.join("e2e/node_modules/flexsearch").exists()
        || !root.join("e2e/node_modules/.bin/pagefind").exists()
    {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root.join("e2e")))?;
    }
    if opts.lighthouse && !root.join("bench/node_modules/lighthouse").exists() {
        // Its own package.json: CI's `npm ci` in e2e/ never installs Lighthouse.
        let how = if root.join("bench/package-lock.json").exists() {
            "ci"
        } else {
            "install"
        };
        run(Command::new("npm")
            .args([how, "--no-audit", "--no-fund"])
            .current_dir(root.join("bench")))?;
    }
    run(env
        .cmd("cargo")
        .args(["build", "--release", "-p", "stenogram-cli"])
        .current_dir(root))?;
    let bench = root.join("target/bench");
    let json_dirs = corpus_json(root, &bench, corpus)?;
    let site = bench.join(format!("app-{}", corpus.name()));
    if opts.build || !site.join("index.html").exists() {
        // `dist` takes one folder of transcripts: several are joined by hard links.
        let one = match json_dirs.as_slice() {
            [one] => one.clone(),
            _ => join_dirs(&json_dirs, &bench.join("json").join(corpus.name()))?,
        };
        let started = Instant::now();
        site::dist(
            root,
            Some(&one),
            PUBLIC_URL,
            &site,
            CORPUS_PRECACHE_LIMIT,
            None,
            true,
        )?;
        eprintln!(
            "xtask: site with the {} corpus built in {:.0} s",
            corpus.name(),
            started.elapsed().as_secs_f64()
        );
    } else {
        eprintln!(
            "xtask: reusing {} (--no-build); drop the flag to build it again",
            site.display()
        );
    }

    // MiniSearch and FlexSearch index in the page from one JSON of every text: too big at
    // 100,000 transcripts. The comparison runs first: it builds Pagefind's index, which
    // app.mjs then reuses.
    if opts.others && !matches!(corpus, Corpus::Grow100k) {
        run_engines(root, &env, corpus, &opts, &json_dirs, &site.join("corpus"))?;
    }
    let mut node = Command::new("node");
    node.arg(root.join("bench/app.mjs"))
        .args(["--name", corpus.name(), "--site"])
        .arg(&site)
        .arg("--out")
        .arg(bench.join(format!("{}.txt", corpus.name())))
        .arg("--growth")
        .arg(bench.join("growth.txt"));
    for d in &json_dirs {
        node.arg("--json").arg(d);
    }
    if !opts.pagefind {
        node.arg("--no-pagefind");
    }
    if !opts.lighthouse {
        node.arg("--no-lighthouse");
    }
    if let Some(part) = &opts.only {
        node.args(["--only", part]);
    }
    run(node
        .current_dir(root)
        .env("CHROME_PATH", "/usr/bin/chromium"))
}

/// The transcript JSON folders of `corpus`, ingested from the shared corpus once.
fn corpus_json(root: &Path, bench: &Path, corpus: Corpus) -> Result<Vec<PathBuf>> {
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
            bail!(
                "{}: corpus not found; the bench reads the shared corpora beside the workspace",
                file.display()
            );
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
    Ok(json_dirs)
}

/// One folder holding hard links to every transcript of `dirs` (made once; `.ingested`
/// marks it done). Two transcripts with one file name are an error.
fn join_dirs(dirs: &[PathBuf], out: &Path) -> Result<PathBuf> {
    let done = out.join(".ingested");
    if done.exists() {
        return Ok(out.to_path_buf());
    }
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    std::fs::create_dir_all(out)?;
    for d in dirs {
        for e in std::fs::read_dir(d)? {
            let p = e?.path();
            if p.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let to = out.join(p.file_name().context("a file without a name")?);
            std::fs::hard_link(&p, &to).with_context(|| {
                format!(
                    "cannot link {} as {} (two corpora with one transcript id?)",
                    p.display(),
                    to.display()
                )
            })?;
        }
    }
    std::fs::write(&done, b"")?;
    Ok(out.to_path_buf())
}

/// The engine comparison (`bench/run.mjs` on the bench page of `crates/bench-web`) over
/// `bundle`, the bundle the app's site was built with.
fn run_engines(
    root: &Path,
    env: &tools::Env,
    corpus: Corpus,
    opts: &Options,
    json_dirs: &[PathBuf],
    bundle: &Path,
) -> Result<()> {
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
    let mut node = Command::new("node");
    node.arg(root.join("bench/run.mjs"))
        .args(["--name", corpus.name(), "--bundle"])
        .arg(bundle)
        .arg("--pkg")
        .arg(&pkg)
        .arg("--out")
        .arg(bench.join(format!("{}-engines.txt", corpus.name())));
    for d in json_dirs {
        node.arg("--json").arg(d);
    }
    if !opts.pagefind {
        node.arg("--no-pagefind");
    }
    if let Some(n) = opts.samples {
        node.args(["--samples", &n.to_string()]);
    }
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
