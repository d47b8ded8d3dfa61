//! The page's wasm cut into modules loaded on first use (issue 13), after Trunk built
//! the site.
//!
//! `src/split.rs` marks the split points (the reading view, the quote checker, the
//! workbench's views). Trunk 0.21 cannot run the splitter (trunk-rs/trunk#1022), so the
//! release build does what cargo-leptos does, here:
//! 1. `cargo rustc --features split` with `--emit-relocs` for the page's crate alone
//!    (its dependencies stay as Trunk built them);
//! 2. `wasm-split-cli` cuts it into the main module, one module per split point and
//!    the chunks they share, and writes the loader script that fetches them;
//! 3. `wasm-bindgen --keep-lld-exports` (the modules import the main module's table)
//!    and `wasm-opt -Oz` on each module, as Trunk does for the others;
//! 4. every file gets the same content hash, since the glue imports the loader and the
//!    loader imports the glue; Trunk's own copy is removed and `index.html` names the
//!    new glue, with its `integrity` recomputed.
//!
//! `cargo xtask serve` and the tests build without the feature: one wasm, no splitting.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384};

use crate::tools::{run, Env};

/// The page's binary (`data-bin` of index.html's first Rust link).
const PAGE: &str = "stenogram-web";
/// The cargo profile of what a first visit downloads, the page and the search worker
/// (root `Cargo.toml`; index.html's `data-cargo-profile-release` names it for Trunk).
pub const LEAN_PROFILE: &str = "wasm-lean";

/// Where cargo writes the wasm of `bin` built with [`LEAN_PROFILE`].
pub fn lean_wasm(root: &Path, bin: &str) -> PathBuf {
    root.join(format!(
        "target/wasm32-unknown-unknown/{LEAN_PROFILE}/{bin}.wasm"
    ))
}
/// What wasm-split-cli names the loader script.
const SPLIT_LOADER: &str = "__wasm_split.js";
/// The features wasm-opt may use: the ones rustc's wasm32 target enables.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// What the split wrote into the site.
pub struct Split {
    /// The main module (gzip is what a first visit pays; this is raw).
    pub main_bytes: u64,
    /// The modules fetched on first use, by file name.
    pub parts: Vec<(String, u64)>,
}

/// The page's main module as the last split cut it, before wasm-bindgen (which demangles
/// its names) and wasm-opt (which drops them).
pub fn main_module(root: &Path) -> PathBuf {
    root.join(format!("target/page-split/cut/{PAGE}.wasm"))
}

/// Builds the split page and puts it in place of Trunk's page files in `site`.
pub fn split_page(root: &Path, env: &Env, site: &Path) -> Result<Split> {
    run(env
        .cmd("cargo")
        .args([
            "rustc",
            "--profile",
            LEAN_PROFILE,
            "--target",
            "wasm32-unknown-unknown",
        ])
        .args(["--bin", PAGE, "--features", "split", "--"])
        .args(["-C", "link-args=--emit-relocs"])
        .current_dir(root))?;
    let input = lean_wasm(root, PAGE);
    let work = root.join("target/page-split");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    let (cut, bound) = (work.join("cut"), work.join("bound"));
    run(env
        .cmd("wasm-split-cli")
        .arg(&input)
        .arg(&cut)
        .args(["--out-name", PAGE]))?;
    run(env
        .cmd("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--weak-refs"])
        .arg("--keep-lld-exports")
        .arg("--out-dir")
        .arg(&bound)
        .args(["--out-name", PAGE])
        .arg(cut.join(format!("{PAGE}.wasm"))))?;

    // The files as they will be served, under their plain names.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    files.push((
        format!("{PAGE}.js"),
        read(&bound.join(format!("{PAGE}.js")))?,
    ));
    let main_wasm = format!("{PAGE}_bg.wasm");
    files.push((
        main_wasm.clone(),
        optimise(env, &bound.join(&main_wasm), &work)?,
    ));
    files.push((SPLIT_LOADER.into(), read(&cut.join(SPLIT_LOADER))?));
    for part in wasm_files(&cut)? {
        if part == format!("{PAGE}.wasm") {
            continue;
        }
        files.push((part.clone(), optimise(env, &cut.join(&part), &work)?));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));

    let mut h = Sha256::new();
    for (name, bytes) in &files {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(bytes);
    }
    let hash: String = h.finalize()[..7]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let stem = format!("{PAGE}-{hash}");
    let rename = |plain: &str| -> String {
        if plain == SPLIT_LOADER {
            format!("{stem}-parts.js")
        } else if let Some(rest) = plain.strip_prefix(PAGE) {
            format!("{stem}{rest}")
        } else {
            // `split_reader.wasm` (a split point's module) or `chunk_4.wasm` (shared).
            let part = plain.strip_prefix("split_").unwrap_or(plain);
            format!("{stem}-part-{part}")
        }
    };

    let old_stem = trunk_stem(site)?;
    let mut split = Split {
        main_bytes: 0,
        parts: Vec::new(),
    };
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    for (plain, bytes) in files {
        let bytes = if plain.ends_with(".js") {
            let text = String::from_utf8(bytes).context("a script of the split is not UTF-8")?;
            rewrite(&plain, text, &names, &rename)?.into_bytes()
        } else {
            bytes
        };
        let name = rename(&plain);
        if plain == main_wasm {
            split.main_bytes = bytes.len() as u64;
        } else if plain.ends_with(".wasm") {
            split.parts.push((name.clone(), bytes.len() as u64));
        }
        std::fs::write(site.join(&name), bytes)
            .with_context(|| format!("cannot write {name} in {}", site.display()))?;
    }
    remove_page_files(site, &stem)?;
    let index = site.join("index.html");
    let html = std::fs::read_to_string(&index)?.replace(&old_stem, &stem);
    std::fs::write(&index, with_integrity(&html, site)?)?;
    Ok(split)
}

fn read(p: &Path) -> Result<Vec<u8>> {
    std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))
}

/// `wasm-opt -Oz` of `path` (what Trunk runs for the other wasm files), into `work`.
fn optimise(env: &Env, path: &Path, work: &Path) -> Result<Vec<u8>> {
    let out = work.join(format!(
        "opt-{}",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    run(env
        .cmd("wasm-opt")
        .arg("-Oz")
        .args(WASM_FEATURES)
        .arg("-o")
        .arg(&out)
        .arg(path))?;
    read(&out)
}

fn wasm_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") {
            out.push(name);
        }
    }
    Ok(out)
}

/// `text` of `script` with the files it fetches renamed.
///
/// Each script fetches the others as `from "./<name>"` (an import) or `new URL("./<name>"`
/// (a part's wasm). The glue's imports object keeps the plain name as a key: that is
/// the module name the wasm itself imports.
fn rewrite(
    script: &str,
    mut text: String,
    names: &[String],
    rename: &impl Fn(&str) -> String,
) -> Result<String> {
    for other in names.iter().filter(|n| *n != script) {
        for fetch in fetches(other) {
            text = text.replace(&fetch, &fetch.replace(other.as_str(), &rename(other)));
        }
        // The glue's default path to its wasm (the inline loader passes its own).
        if other.ends_with("_bg.wasm") {
            text = text.replace(&format!("'{other}'"), &format!("'{}'", rename(other)));
        }
    }
    expect_names(script, &text, names, rename)?;
    Ok(text)
}

/// The ways a script fetches `name`, as written.
fn fetches(name: &str) -> [String; 4] {
    [
        format!("from \"./{name}\""),
        format!("from './{name}'"),
        format!("new URL(\"./{name}\""),
        format!("new URL('./{name}'"),
    ]
}

/// Fails if `script` still fetches a file by its plain name: a new wasm-split or
/// wasm-bindgen writes its imports differently, and the page would fetch missing files.
fn expect_names(
    script: &str,
    text: &str,
    names: &[String],
    rename: &impl Fn(&str) -> String,
) -> Result<()> {
    for other in names.iter().filter(|n| *n != script) {
        for fetch in fetches(other) {
            if text.contains(&fetch) {
                bail!(
                    "{script} still fetches ./{other} (expected ./{}); update xtask/src/split.rs",
                    rename(other)
                );
            }
        }
    }
    Ok(())
}

/// Trunk's hashed stem of the page's files (`stenogram-web-<hex>`), from its glue.
fn trunk_stem(site: &Path) -> Result<String> {
    for entry in std::fs::read_dir(site)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix("_bg.wasm") {
            if stem.starts_with(&format!("{PAGE}-")) && site.join(format!("{stem}.js")).exists() {
                return Ok(stem.to_string());
            }
        }
    }
    bail!(
        "{} holds no {PAGE}-<hash>.js and _bg.wasm; Trunk builds them (index.html)",
        site.display()
    )
}

/// Removes the page's files of any other build (Trunk's, or an earlier split).
fn remove_page_files(site: &Path, keep: &str) -> Result<()> {
    for entry in std::fs::read_dir(site)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.starts_with(&format!("{PAGE}-")) && !name.starts_with(keep) {
            std::fs::remove_file(site.join(&name))?;
        }
    }
    Ok(())
}

/// `html` with every `integrity="sha384-…"` recomputed from the file its tag names.
fn with_integrity(html: &str, site: &Path) -> Result<String> {
    const ATTR: &str = "integrity=\"sha384-";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(ATTR) {
        let tag_start = rest[..at].rfind('<').unwrap_or(0);
        let tag = &rest[tag_start..at];
        let file = tag
            .split("href=\"")
            .nth(1)
            .and_then(|h| h.split('"').next())
            .and_then(|h| h.rsplit('/').next())
            .context("an integrity attribute without an href before it in index.html")?;
        let path: PathBuf = site.join(file);
        let digest = Sha384::digest(read(&path)?);
        let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
        let value_end = rest[at + ATTR.len()..]
            .find('"')
            .context("an unterminated integrity attribute in index.html")?;
        out.push_str(&rest[..at]);
        out.push_str(&format!("{ATTR}{b64}\""));
        rest = &rest[at + ATTR.len() + value_end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: renaming every "./__wasm_split.js" in the glue also renamed the key of
    /// its imports object, and the page died with "Import #197 "./__wasm_split.js":
    /// module is not an object or function".
    #[test]
    fn the_imports_object_keeps_the_module_name_the_wasm_imports() {
        let names: Vec<String> = ["__wasm_split.js", "p.js", "p_bg.wasm", "split_a.wasm"]
            .map(String::from)
            .to_vec();
        let rename = |n: &str| format!("H-{n}");
        let glue = "import * as import1 from \"./__wasm_split.js\"\n\
                    imports[\"./__wasm_split.js\"] = import1;\n\
                    module_or_path = new URL('p_bg.wasm', import.meta.url);";
        let got = rewrite("p.js", glue.into(), &names, &rename).unwrap();
        assert!(got.contains("from \"./H-__wasm_split.js\""), "{got}");
        assert!(got.contains("imports[\"./__wasm_split.js\"]"), "{got}");
        assert!(got.contains("new URL('H-p_bg.wasm'"), "{got}");
        let loader = "import { initSync } from \"./p.js\";\n\
                      fetch(new URL(\"./split_a.wasm\", import.meta.url));";
        let got = rewrite("__wasm_split.js", loader.into(), &names, &rename).unwrap();
        assert!(got.contains("from \"./H-p.js\""), "{got}");
        assert!(got.contains("new URL(\"./H-split_a.wasm\""), "{got}");
    }

    #[test]
    fn integrity_follows_the_file_its_tag_names() {
        let dir = std::env::temp_dir().join(format!("xtask-integrity-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.js"), b"new").unwrap();
        let html = r#"<link rel="modulepreload" href="/s/a.js" integrity="sha384-old"><p>"#;
        let got = with_integrity(html, &dir).unwrap();
        let want = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(b"new"));
        assert_eq!(
            got,
            format!(r#"<link rel="modulepreload" href="/s/a.js" integrity="sha384-{want}"><p>"#)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
