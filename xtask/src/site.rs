//! Building the site: the corpus bundle first (ingest + build with the project's own
//! CLI), then Trunk, then the files GitHub Pages needs, then the transcripts' reading
//! pages (`stenogram pages`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::precache;
use crate::tools::{self, run};

/// Where the bundle is written for Trunk's `copy-dir` (see index.html).
const BUNDLE_DIR: &str = "target/site-bundle/corpus";

/// Runs the `stenogram` CLI (release build) with `args`.
pub fn stenogram(root: &Path, args: &[&str]) -> Result<()> {
    let mut c = Command::new("cargo");
    c.args(["run", "--quiet", "--release", "-p", "stenogram-cli", "--"])
        .args(args)
        .current_dir(root);
    run(&mut c)
}

/// Writes the corpus bundle: `corpus`, a folder of transcript JSON, or the bundled sample;
/// `pack_bytes` overrides the build's transcript pack size.
pub fn prepare_bundle(
    root: &Path,
    corpus: Option<&Path>,
    pack_bytes: Option<usize>,
) -> Result<PathBuf> {
    let out = root.join(BUNDLE_DIR);
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    let (json_dir, name) = match corpus {
        Some(dir) => (std::path::absolute(dir)?, "Stenogram"),
        None => {
            let json = root.join("target/sample-json");
            if json.exists() {
                std::fs::remove_dir_all(&json)?;
            }
            stenogram(
                root,
                &["ingest", "sample", "--out", &json.to_string_lossy()],
            )?;
            (json, "Sample transcripts")
        }
    };
    let (json_dir, out_dir) = (json_dir.to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["build", &json_dir, "--out", &out_dir, "--name", name];
    let pack = pack_bytes.map(|n| n.to_string());
    if let Some(n) = &pack {
        args.extend(["--pack-bytes", n]);
    }
    stenogram(root, &args)?;
    Ok(out)
}

/// `cargo xtask serve`.
pub fn serve(root: &Path, corpus: Option<&Path>, port: u16) -> Result<()> {
    let env = tools::ensure_all(root, false)?;
    prepare_bundle(root, corpus, None)?;
    run(env
        .cmd("trunk")
        .args(["serve", "--port", &port.to_string()])
        .current_dir(root))
}

/// `cargo xtask dist`: the release site in `out`, ready for any static host.
pub fn dist(
    root: &Path,
    corpus: Option<&Path>,
    public_url: &str,
    out: &Path,
    corpus_limit: u64,
    pack_bytes: Option<usize>,
    pages: bool,
) -> Result<PathBuf> {
    let env = tools::ensure_all(root, false)?;
    prepare_bundle(root, corpus, pack_bytes)?;
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    let public_url = format!("/{}/", public_url.trim_matches('/')).replace("//", "/");
    run(env
        .cmd("trunk")
        .args(["build", "--release", "--public-url", &public_url, "--dist"])
        .arg(&out)
        .current_dir(root))?;
    let split = crate::split::split_page(root, &env, &out)?;
    eprintln!(
        "xtask: the page's wasm split: main module {} KiB, {} parts loaded on first use ({} KiB)",
        split.main_bytes / 1024,
        split.parts.len(),
        split.parts.iter().map(|(_, b)| b).sum::<u64>() / 1024
    );
    std::fs::write(out.join(".nojekyll"), b"").context("cannot write .nojekyll")?;
    // Last, so that it hashes the files exactly as they will be served. It first finishes
    // the shell (xtask/src/shell.rs): the worker's hashed names, the Content-Security-Policy
    // and 404.html, the app itself, which GitHub Pages answers unknown paths with.
    finish(root, &out, corpus_limit, pages)?;
    eprintln!(
        "xtask: site written to {} (public URL {public_url})",
        out.display()
    );
    Ok(out)
}

/// Finishes a built site: the shell stamped and the precache manifest written
/// (`precache::write`), then every transcript's text as a page of its own, on
/// that finished shell (crates/core/src/preview.rs says why; the service worker does not
/// precache them), or none with `pages` false. `cargo xtask precache` runs it again on a
/// built site.
pub fn finish(root: &Path, site: &Path, corpus_limit: u64, pages: bool) -> Result<()> {
    report(&precache::write(root, site, corpus_limit)?);
    let site = std::path::absolute(site)?.to_string_lossy().into_owned();
    let mut args = vec!["pages", "--site", &site];
    if !pages {
        args.push("--clear");
    }
    stenogram(root, &args)
}

/// Logs what the precache manifest holds.
pub fn report(s: &precache::Summary) {
    eprintln!(
        "xtask: service worker version {} (site {}): {} files; corpus {} KiB, {}",
        s.version,
        s.site,
        s.files,
        s.corpus_bytes / 1024,
        if s.corpus_precached {
            "precached"
        } else {
            "cached on use (over the precache limit)"
        }
    );
}
