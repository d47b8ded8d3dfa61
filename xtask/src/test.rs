//! `cargo xtask test`: every check, in the order that fails fastest.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::Result;

use crate::site;
use crate::tools::{self, run};

/// The sub-path the end-to-end suite serves the site under, as GitHub Pages would.
const E2E_BASE: &str = "/stenogram/";

/// Runs every check; the first failure stops the run with its command.
pub fn run_all(root: &Path) -> Result<()> {
    let started = Instant::now();
    let env = tools::ensure_all(root, true)?;
    let cargo = |args: &[&str]| {
        let mut c = env.cmd("cargo");
        c.args(args).current_dir(root);
        c
    };
    run(&mut cargo(&["fmt", "--all", "--", "--check"]))?;
    run(&mut cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(&mut cargo(&[
        "clippy",
        "-p",
        "stenogram-web",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(&mut cargo(&["test", "--workspace"]))?;
    run(cargo(&[
        "test",
        "-p",
        "stenogram-web",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
    .env("CHROMEDRIVER", "/usr/bin/chromedriver")
    .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))?;
    // The e2e corpus: the sample plus invented fixtures with several speakers, sections,
    // years and kinds, and one with markup in its text.
    let json = root.join("target/e2e-json");
    if json.exists() {
        std::fs::remove_dir_all(&json)?;
    }
    site::stenogram(
        root,
        &[
            "ingest",
            "sample/cstu-council-2015.txt",
            "e2e/fixtures",
            "--out",
            &json.to_string_lossy(),
        ],
    )?;
    let site = site::dist(
        root,
        Some(&json),
        E2E_BASE,
        &root.join("target/e2e-site"),
        crate::precache::CORPUS_PRECACHE_LIMIT,
    )?;
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1", "tests/"])
        .current_dir(root.join("e2e"))
        .env("PATH", &env.path)
        .env("SITE_DIR", &site)
        // The offline suite rebuilds a changed version of the site with these (update test).
        .env("E2E_CORPUS", &json)
        .env("PROJECT_ROOT", root)
        .env("BASE_PATH", E2E_BASE)
        .env("SCREENSHOT_DIR", root.join("target/e2e-screenshots")))?;
    eprintln!(
        "xtask: all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
