//! `cargo xtask test`: every check, in the order that fails fastest.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::site;
use crate::tools::{self, run};

/// The sub-path the end-to-end suite serves the site under, as GitHub Pages would.
const E2E_BASE: &str = "/stenogram/";
/// Small transcript packs, so that the e2e corpus spreads over many of them and the
/// offline tests can tell a pack that was read from one that was not.
const E2E_PACK_BYTES: usize = 2048;

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
        "-p",
        "stenogram-search-worker",
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
    let site = build_e2e_site(root)?;
    wasm_shapes_hold(root)?;
    run_e2e(root, &env, &site, &[])?;
    eprintln!(
        "xtask: all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `cargo xtask e2e [FILES]`: the e2e site (unless `reuse` and it exists), then the chosen
/// e2e files (paths relative to `e2e/`, e.g. `tests/offline.test.mjs`), or all of them.
pub fn run_e2e_only(root: &Path, files: &[String], reuse: bool) -> Result<()> {
    let env = tools::ensure_all(root, true)?;
    let built = root.join("target/e2e-site");
    let site = if reuse && built.join("index.html").exists() {
        built
    } else {
        build_e2e_site(root)?
    };
    run_e2e(root, &env, &site, files)
}

/// Code that belongs in the workers' wasm only (issue 13): the analyser's stemmers and
/// folding table, the dictionaries, the typo automata. Paths of crate-and-module segments.
const ENGINE_CODE: [&[&str]; 4] = [
    &["rust_stemmers"],
    &["levenshtein_automata"],
    &["stenogram_core", "search", "fold"],
    &["fst"],
];

/// Code a first visit should not download, which the page's main module once carried
/// (issue 13): a JSON parser (the workers' messages are postcard; the offline panel reads
/// the service worker client's state as an object), the float printer (an unexpected
/// message is named, not `Debug`-printed; sizes are formatted from integers), and Leptos's
/// resources with their suspense and transitions (the main module waits for answers
/// through `components::latest`; the parts keep resources).
const MAIN_MODULE_FREE: [&[&str]; 4] = [
    &["serde_json"],
    &["core", "num", "flt2dec"],
    &["reactive_graph", "computed", "async_derived"],
    &["reactive_graph", "transition"],
];

/// Modules whose code belongs in the workbench worker's wasm only (issue 13): the quote
/// finder, and the selection every workbench job starts from. Paths of crate-and-module
/// segments.
const WORKBENCH_MODULES: [&[&str]; 2] = [
    &["stenogram_core", "quote"],
    &["stenogram_core", "workbench", "select"],
];

/// Code the search worker, which every first visit downloads, should not carry (issue 13):
/// fst's CRC-32C, whose slicing-by-16 tables are 17 KB of incompressible bytes
/// (`stenogram_core::search::fstcheck` checks the same checksum from a 1 KB table): its
/// module, and `Fst::verify`, into which it is inlined; and the standard library's case
/// conversions, whose lower-case table is 6 KB gzipped (`search::fold`'s table lowers,
/// and `ingest::labels::list_lower` compares labels with the word lists).
const SEARCH_WORKER_FREE: [&[&str]; 3] = [
    &["fst", "raw", "crc32"],
    &["fst", "raw", "Fst$LT$D$GT$", "verify"],
    &["core", "unicode", "unicode_data", "conversions"],
];

/// Code of the page that belongs in its parts loaded on first use, not in the main module
/// a first visit downloads (`src/split.rs`): the reading view, the workbench's views,
/// the quote checker, the filters' panel.
const PAGE_PARTS: [&[&str]; 10] = [
    &[
        "stenogram_web",
        "pages",
        "reader",
        "__component_transcript_view",
    ],
    &["stenogram_web", "pages", "reader", "blocks"],
    &["stenogram_web", "pages", "reader", "cite"],
    &["stenogram_web", "pages", "workbench", "kwic"],
    &["stenogram_web", "pages", "workbench", "trend"],
    &["stenogram_web", "pages", "workbench", "colloc"],
    &["stenogram_web", "pages", "workbench", "keyness"],
    &["stenogram_web", "pages", "quote"],
    &[
        "stenogram_web",
        "pages",
        "home",
        "facets",
        "__component_facet_list",
    ],
    &[
        "stenogram_web",
        "pages",
        "home",
        "facets",
        "__component_year_histogram",
    ],
];

/// Checks the shape of the wasm built for the site (before wasm-opt strips its names):
/// the page's holds none of [`ENGINE_CODE`], so it never downloads the engine that the
/// workers carry; the search worker's holds none of [`WORKBENCH_MODULES`], so a first
/// visit never downloads the workbench, nor [`SEARCH_WORKER_FREE`]; the page's main module holds none of
/// [`PAGE_PARTS`], so the split happened, and none of [`MAIN_MODULE_FREE`].
fn wasm_shapes_hold(root: &Path) -> Result<()> {
    let lean = |bin: &str| crate::split::lean_wasm(root, bin);
    let engine: Vec<Vec<&str>> = ENGINE_CODE.iter().map(|m| m.to_vec()).collect();
    wasm_holds_none(
        &lean("stenogram-web"),
        "stenogram-web's wasm",
        &engine,
        "only the workers may carry the engine",
    )?;
    let modules: Vec<Vec<&str>> = WORKBENCH_MODULES.iter().map(|m| m.to_vec()).collect();
    wasm_holds_none(
        &lean("search-worker"),
        "search-worker's wasm",
        &modules,
        "only the workbench worker may carry the workbench's jobs and the quote finder",
    )?;
    let free: Vec<Vec<&str>> = SEARCH_WORKER_FREE.iter().map(|m| m.to_vec()).collect();
    wasm_holds_none(
        &lean("search-worker"),
        "search-worker's wasm",
        &free,
        "a first visit downloads neither fst's checksum tables nor the case tables",
    )?;
    let parts: Vec<Vec<&str>> = PAGE_PARTS.iter().map(|m| m.to_vec()).collect();
    wasm_holds_none(
        &crate::split::main_module(root),
        "the page's main module",
        &parts,
        "those load on first use (src/split.rs)",
    )?;
    let free: Vec<Vec<&str>> = MAIN_MODULE_FREE.iter().map(|m| m.to_vec()).collect();
    wasm_holds_none(
        &crate::split::main_module(root),
        "the page's main module",
        &free,
        "a first visit downloads neither a JSON parser, a float printer nor Leptos's resources",
    )?;
    float_printer_only_in_the_workbench(root)
}

/// The float printer's module, which [`MAIN_MODULE_FREE`] keeps out of the main module.
const FLOAT_PRINTER: &[&str] = &["core", "num", "flt2dec"];
/// The page's part that may carry it: the workbench's views, whose tables print
/// statistics (`split_<name>.wasm` as wasm-split-cli names a split point's module).
const FLOAT_PART: &str = "split_bench.wasm";

/// Every module the page's split wrote but the workbench's holds no float printer: the
/// reading view's part and the chunks it shares were a reading URL's only float code (the
/// dispersion strip's styles), about 7 KB gzip of the bytes before its text. Figures
/// there are written from integers (`src/components/number.rs`).
fn float_printer_only_in_the_workbench(root: &Path) -> Result<()> {
    let main = crate::split::main_module(root);
    let cut = main
        .parent()
        .context("the split's main module has no folder")?;
    let mut modules: Vec<PathBuf> = std::fs::read_dir(cut)
        .with_context(|| format!("cannot list {}; build the site first", cut.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    modules.retain(|p| {
        p.extension().is_some_and(|x| x == "wasm")
            && *p != main
            && p.file_name().is_some_and(|n| n != FLOAT_PART)
    });
    modules.sort();
    for m in modules {
        let name = m.file_name().unwrap_or_default().to_string_lossy();
        wasm_holds_none(
            &m,
            &format!("the page's module {name}"),
            &[FLOAT_PRINTER.to_vec()],
            "only the workbench's part prints floats; format with components::number::fixed",
        )?;
    }
    Ok(())
}

/// Fails if the wasm at `path` (`what`) holds code under any of `paths`.
fn wasm_holds_none(path: &Path, what: &str, paths: &[Vec<&str>], rule: &str) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|e| {
        anyhow::anyhow!("cannot read {}: {e}; build the site first", path.display())
    })?;
    let found: Vec<String> = paths
        .iter()
        .filter(|segments| {
            // Legacy mangling spells a path segment as its length then its name, and the
            // next segment's length follows.
            let needle: String = segments.iter().map(|s| format!("{}{s}", s.len())).collect();
            bytes
                .windows(needle.len() + 1)
                .any(|w| w.starts_with(needle.as_bytes()) && w[needle.len()].is_ascii_digit())
        })
        .map(|segments| segments.join("::"))
        .collect();
    let names: Vec<String> = paths.iter().map(|s| s.join("::")).collect();
    if !found.is_empty() {
        anyhow::bail!(
            "{what} ({}) holds code of {}: {rule} (issue 13); find the call with `twiggy paths`",
            path.display(),
            found.join(", ")
        );
    }
    eprintln!("xtask: {what} holds none of {}", names.join(", "));
    Ok(())
}

/// Builds the e2e site into target/e2e-site and returns its path.
fn build_e2e_site(root: &Path) -> Result<PathBuf> {
    // The e2e corpus: the sample plus invented fixtures with several speakers, sections,
    // years and kinds, and one with markup in its text.
    let json = root.join("target/e2e-json");
    if json.exists() {
        std::fs::remove_dir_all(&json)?;
    }
    let generated = root.join("target/e2e-generated");
    write_generated_fixtures(&generated)?;
    site::stenogram(
        root,
        &[
            "ingest",
            "sample",
            "e2e/fixtures",
            &generated.to_string_lossy(),
            "--out",
            &json.to_string_lossy(),
        ],
    )?;
    site::dist(
        root,
        Some(&json),
        E2E_BASE,
        &root.join("target/e2e-site"),
        crate::precache::CORPUS_PRECACHE_LIMIT,
        Some(E2E_PACK_BYTES),
        true,
    )
}

/// Runs the e2e `files` (all of `tests/` when empty) against `site`.
fn run_e2e(root: &Path, env: &tools::Env, site: &Path, files: &[String]) -> Result<()> {
    let json = root.join("target/e2e-json");
    let mut args = vec!["--test".to_string(), "--test-concurrency=1".to_string()];
    if files.is_empty() {
        args.push("tests/".into());
    } else {
        args.extend(files.iter().cloned());
    }
    run(Command::new("node")
        .args(&args)
        .current_dir(root.join("e2e"))
        .env("PATH", &env.path)
        .env("SITE_DIR", site)
        // The offline suite rebuilds a changed version of the site with these (update test).
        .env("E2E_CORPUS", &json)
        .env("E2E_PACK_BYTES", E2E_PACK_BYTES.to_string())
        .env("PROJECT_ROOT", root)
        .env("BASE_PATH", E2E_BASE)
        .env("SCREENSHOT_DIR", root.join("target/e2e-screenshots")))
}

/// Writes 30 small invented transcripts, one a year from 1994, so that the e2e corpus
/// pages (more than one page of results), spans decades and has a speaker in common.
fn write_generated_fixtures(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let places = ["Moscow", "Sochi", "Kazan", "Novosibirsk", "Vladivostok"];
    for i in 0..30 {
        let year = 1994 + i;
        let text = format!(
            "---\ntitle: Annual briefing on the harvest, {year}\ndate: {year}-06-{day:02}\nplace: {place}\nkind: briefing\ntopics: Agriculture\n---\n\
             The annual briefing reviewed the grain harvest of {year}.\n\n* * *\n\nBriefing\n\n\
             Minister of Agriculture Olga Fedorova: The harvest this year reached {tons} million tonnes of grain.\n\n\
             Exports of wheat continue to grow.\n\nQuestion: What about the weather next season?\n\n\
             Olga Fedorova: Forecasters expect a dry spring, so irrigation comes first.\n",
            day = 1 + i % 28,
            place = places[i as usize % places.len()],
            tons = 60 + i * 3,
        );
        std::fs::write(dir.join(format!("harvest-{year}.txt")), text)?;
    }
    // As long as the longest UN General Debate speech (127k characters): one speaker,
    // 400 paragraphs, to measure time-to-render and scrolling in the reading view.
    let mut long = String::from(
        "---\ntitle: Address to the General Assembly on water and development\ndate: 1999-09-21\nplace: New York\nkind: address\n---\n\n\
         President Maria Alvarez: Mr President, distinguished delegates.\n\n",
    );
    for i in 0..400 {
        long.push_str(&format!(
            "Paragraph {i}: our delegation returns to the question of rivers shared by several nations, \
             of the treaties that govern them and of the farmers, towns and industries that depend on them, \
             because development without water is a promise that no government can keep for long. \
             Water is shared, and so must be the care for it.\n\n"
        ));
    }
    std::fs::write(dir.join("long-address-1999.txt"), long)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: the dispersion strip's `format!("{:.2}")` put core's float printer in a
    /// chunk the reading view's part loads (with the quote finder's and the workbench's),
    /// 7 KB gzip of a reading URL's bytes before its text.
    #[test]
    fn the_float_printer_is_allowed_in_the_workbench_part_alone() {
        let root = std::env::temp_dir().join(format!("xtask-floats-{}", std::process::id()));
        let cut = root.join("target/page-split/cut");
        std::fs::create_dir_all(&cut).unwrap();
        // How legacy mangling spells a function of core::num::flt2dec.
        let printer = b"_ZN4core3num7flt2dec8strategy5grisu19format_shortest_opt17h0E";
        for name in ["stenogram-web.wasm", FLOAT_PART] {
            std::fs::write(cut.join(name), printer).unwrap();
        }
        std::fs::write(
            cut.join("chunk_1.wasm"),
            b"_ZN4core3fmt3num3imp7fmt_u6417h0E",
        )
        .unwrap();
        std::fs::write(cut.join("__wasm_split.js"), printer).unwrap();
        float_printer_only_in_the_workbench(&root).unwrap();

        std::fs::write(cut.join("chunk_9.wasm"), printer).unwrap();
        let err = float_printer_only_in_the_workbench(&root)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("chunk_9.wasm") && err.contains("core::num::flt2dec"),
            "{err}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
