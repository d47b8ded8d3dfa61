//! The service worker's precache manifest: every file of a built site with its SHA-256,
//! written as `precache-manifest.json`, and what the worker needs of it injected into
//! `sw.js` (from `web/sw.js`).
//!
//! `sw.js` is fetched on every first visit, so what it carries must not grow with the
//! corpus: the shell and the corpus files every view needs, with their hashes, and of a
//! corpus too large to precache only its totals and the name of its file list
//! (`sw-corpus-<hash>.json`, fetched by the worker only to save the corpus for offline use
//! or to keep saved files across a deploy). Every corpus file but the bundle's
//! `manifest.json` is named by its content (`stenogram_core::bundle`), so its path is
//! enough to know its bytes. At 100,000 transcripts the whole list inlined made `sw.js`
//! 17 MB (5.1 MB gzip), registered on every first visit.
//!
//! Before hashing, it finishes the shell (`crate::shell`): the worker's hashed names, the
//! CSP and the site id in `index.html` and `404.html`, so the hashes are of the files as
//! served.
//!
//! Injecting it is what makes updates work: any change to any file (the wasm after
//! wasm-opt included) changes the manifest, so `sw.js` gets new bytes, the browser sees a
//! new worker, and the worker's cache name (the version) is new too.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::json;
use sha2::{Digest, Sha256};

use stenogram_core::bundle::MANIFEST_FILE;

use crate::shell;

/// The corpus bundle is precached with the app shell only up to this many bytes in
/// total (the sample is a few hundred KiB). Larger corpora are cached as they are used,
/// plus "Make available offline". Documented in the README ("Offline and installing").
pub const CORPUS_PRECACHE_LIMIT: u64 = 5 * 1024 * 1024;

/// The worker's source; its manifest placeholder is replaced at build time.
const SW_TEMPLATE: &str = "web/sw.js";
const PLACEHOLDER_START: &str = "/*PRECACHE_MANIFEST*/";
const PLACEHOLDER_END: &str = "/*END_PRECACHE_MANIFEST*/";
/// Where the corpus bundle sits in the site.
const CORPUS_DIR: &str = stenogram_core::site::BUNDLE_DIR;

/// Files of the site that are not precached: the worker itself (the browser manages it),
/// the full manifest (the worker carries what it needs of it inline), GitHub Pages' files (404.html is a copy
/// of index.html, which the worker serves for every in-app path).
const NOT_PRECACHED: &[&str] = &["sw.js", "precache-manifest.json", "404.html", ".nojekyll"];
/// The corpus file list's name: `sw-corpus-<hash>.json` at the site's root, beside `sw.js`
/// (not under `corpus/`: it is the worker's, not the bundle's). Never precached.
const CORPUS_LIST: (&str, &str) = ("sw-corpus-", ".json");
/// Whether site file `url` is a static reading page (`stenogram pages`), one a transcript:
/// a first visit's navigation, which the worker answers with the shell.
fn is_page(url: &str) -> bool {
    url.strip_prefix(stenogram_core::site::PAGE_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// What [`write`] decided, for the build log.
pub struct Summary {
    pub version: String,
    pub site: String,
    pub files: usize,
    pub corpus_bytes: u64,
    pub corpus_precached: bool,
}

/// Which files the worker precaches: `Shell` and `CorpusCore` always, `Corpus` only when
/// the corpus is under the limit.
#[derive(Clone, Copy, PartialEq)]
enum Group {
    Shell,
    /// What any view needs before a single transcript: the manifest (the home view), the
    /// index's entry files (`Index::open` needs meta and dict) and the word dictionary
    /// (every prefix and misspelt word needs it; the page fetches it only then, but
    /// offline it must already be here). Without them a large corpus would show nothing
    /// offline.
    CorpusCore,
    /// Transcripts and index shards: fetched as they are used.
    Corpus,
}

impl Group {
    /// The group of the site file `url`; `core` lists the corpus files every view needs.
    fn of(url: &str, core: &[String]) -> Group {
        match url.strip_prefix(CORPUS_DIR) {
            None => Group::Shell,
            Some(rel) if core.iter().any(|c| c == rel) => Group::CorpusCore,
            Some(_) => Group::Corpus,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Group::Shell => "shell",
            Group::CorpusCore => "corpus-core",
            Group::Corpus => "corpus",
        }
    }
}

struct File {
    url: String,
    sha256: String,
    bytes: u64,
    group: Group,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
fn list(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in
            std::fs::read_dir(&d).with_context(|| format!("cannot list {}", d.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir)?.to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The corpus files (relative to the corpus folder) that every view needs: the bundle
/// manifest and the index entry files it names. The names are read from the manifest,
/// never guessed, because the build gives them content hashes. Also what the search
/// worker reads as it starts, relative to the site: the manifest and the index's meta.
fn core_files(site: &Path) -> Result<(Vec<String>, shell::WorkerStart)> {
    let path = site.join(CORPUS_DIR).join(MANIFEST_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Default::default());
    };
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not JSON; rebuild the bundle", path.display()))?;
    let mut core = vec![MANIFEST_FILE.to_string()];
    let mut start = shell::WorkerStart {
        fresh: vec![format!("{CORPUS_DIR}{MANIFEST_FILE}")],
        early: Vec::new(),
    };
    // The word dictionary is a folder of shards, fetched as prefixes and typos need them.
    for key in ["meta", "dict"] {
        if let Some(file) = manifest["index"][key].as_str() {
            core.push(file.to_string());
            if key == "meta" {
                start.early.push(format!("{CORPUS_DIR}{file}"));
            }
        }
    }
    Ok((core, start))
}

/// Writes `precache-manifest.json` and `sw.js` into the built site `site`.
///
/// `corpus_limit`: precache the corpus when its files total at most this many bytes.
pub fn write(root: &Path, site: &Path, corpus_limit: u64) -> Result<Summary> {
    let template_path = root.join(SW_TEMPLATE);
    let template = std::fs::read_to_string(&template_path)
        .with_context(|| format!("cannot read {}", template_path.display()))?;
    let (Some(start), Some(end)) = (
        template.find(PLACEHOLDER_START),
        template.find(PLACEHOLDER_END),
    ) else {
        bail!("{SW_TEMPLATE} lacks the {PLACEHOLDER_START} … {PLACEHOLDER_END} placeholder");
    };

    let loader = shell::hash_worker_files(site)?;
    let (core, worker_start) = core_files(site)?;
    let mut files = Vec::new();
    for rel in list(site)? {
        let url = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if NOT_PRECACHED.contains(&url.as_str()) || is_page(&url) || is_corpus_list(&url) {
            continue;
        }
        let data = std::fs::read(site.join(&rel))?;
        files.push(File {
            group: Group::of(&url, &core),
            sha256: sha256(&data),
            bytes: data.len() as u64,
            url,
        });
    }
    let Some(shell_at) = files.iter().position(|f| f.url == "index.html") else {
        bail!("{} has no index.html; build the site first", site.display());
    };
    // The site id: every file but the page itself, which then names it. A page compares it
    // with its service worker's (web/sw-client.js) to find it runs another build's code.
    let mut ids = Sha256::new();
    for f in files.iter().filter(|f| f.url != "index.html") {
        ids.update(format!("{}\0{}\n", f.url, f.sha256));
    }
    let site_id = hex(&ids.finalize()[..8]);
    shell::stamp_html(site, &site_id, &loader, &worker_start)?;
    let page = std::fs::read(site.join("index.html"))?;
    files[shell_at].sha256 = sha256(&page);
    files[shell_at].bytes = page.len() as u64;
    // The limit applies to the whole bundle, the always-precached core included.
    let corpus_bytes: u64 = files
        .iter()
        .filter(|f| f.group != Group::Shell)
        .map(|f| f.bytes)
        .sum();
    let corpus_precached = corpus_bytes <= corpus_limit;

    // The version covers every file and the worker's own code: a change to either is a
    // new version with a cache of its own.
    let mut all = Sha256::new();
    all.update(sha256(template.as_bytes()));
    for f in &files {
        all.update(format!("{}\0{}\n", f.url, f.sha256));
    }
    let version = hex(&all.finalize()[..8]);

    let entry = |f: &File| {
        json!({
            "url": f.url,
            "sha256": f.sha256,
            "bytes": f.bytes,
            "group": f.group.name(),
        })
    };
    let mut manifest = json!({
        "version": version,
        "site": site_id,
        "build": std::env::var("STENOGRAM_BUILD_ID").ok(),
        "corpusLimit": corpus_limit,
        "corpusPrecached": corpus_precached,
        "files": files.iter().map(entry).collect::<Vec<_>>(),
    });
    // The whole list, for the tests and whoever checks a deploy; the site never fetches it.
    std::fs::write(
        site.join("precache-manifest.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )
    .context("cannot write precache-manifest.json")?;
    // The worker's own: the corpus as a list file when it is not precached.
    let corpus = write_corpus_list(site, &files, corpus_precached)?;
    manifest["files"] = files
        .iter()
        .filter(|f| corpus_precached || f.group != Group::Corpus)
        .map(entry)
        .collect();
    manifest["corpus"] = corpus;
    let sw = format!(
        "{}{}{}",
        &template[..start],
        serde_json::to_string(&manifest)?,
        &template[end + PLACEHOLDER_END.len()..]
    );
    std::fs::write(site.join("sw.js"), sw).context("cannot write sw.js")?;
    Ok(Summary {
        version,
        site: site_id,
        files: files.len(),
        corpus_bytes,
        corpus_precached,
    })
}

fn is_corpus_list(url: &str) -> bool {
    url.starts_with(CORPUS_LIST.0) && url.ends_with(CORPUS_LIST.1) && !url.contains('/')
}

/// Writes the list of the corpus files the worker does not precache (`[[url, bytes], …]`,
/// by url) as `sw-corpus-<hash>.json`, removing any list an earlier run left; returns what
/// `sw.js` says of it (`null` when the corpus is precached: then `files` lists it).
fn write_corpus_list(site: &Path, files: &[File], precached: bool) -> Result<serde_json::Value> {
    for entry in
        std::fs::read_dir(site).with_context(|| format!("cannot list {}", site.display()))?
    {
        let entry = entry?;
        if is_corpus_list(&entry.file_name().to_string_lossy()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    if precached {
        return Ok(serde_json::Value::Null);
    }
    let corpus: Vec<&File> = files.iter().filter(|f| f.group == Group::Corpus).collect();
    let rows: Vec<_> = corpus.iter().map(|f| json!([f.url, f.bytes])).collect();
    let text = serde_json::to_string(&rows)? + "\n";
    let hash = sha256(text.as_bytes());
    let url = format!("{}{}{}", CORPUS_LIST.0, &hash[..16], CORPUS_LIST.1);
    std::fs::write(site.join(&url), &text).with_context(|| format!("cannot write {url}"))?;
    Ok(json!({
        "list": url,
        "sha256": hash,
        "files": corpus.len(),
        "bytes": corpus.iter().map(|f| f.bytes).sum::<u64>(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, wasm: &[u8]) {
        std::fs::create_dir_all(dir.join("corpus/docs")).unwrap();
        std::fs::write(dir.join("index.html"), "<html><head></head></html>").unwrap();
        std::fs::write(dir.join("app_bg.wasm"), wasm).unwrap();
        std::fs::copy(
            root().join("web/search-worker-loader.js"),
            dir.join("search-worker-loader.js"),
        )
        .unwrap();
        for w in ["search-worker", "workbench-worker"] {
            std::fs::write(dir.join(format!("{w}.js")), format!("glue {w}")).unwrap();
            std::fs::write(dir.join(format!("{w}_bg.wasm")), format!("\0asm {w}")).unwrap();
        }
        std::fs::write(dir.join("404.html"), "<html></html>").unwrap();
        std::fs::create_dir_all(dir.join("corpus/index")).unwrap();
        std::fs::write(
            dir.join("corpus/manifest.json"),
            r#"{"index":{"meta":"index/meta-1a.bin","dict":"index/dict-2b.fst","words":{"dir":"index/words/3c","count":1,"ext":"fst"}}}"#,
        )
        .unwrap();
        std::fs::write(dir.join("corpus/docs/a.json"), "0123456789").unwrap();
        for f in [
            "meta-1a.bin",
            "dict-2b.fst",
            "words-3c.fst",
            "post-0000-4d.bin",
        ] {
            std::fs::write(dir.join("corpus/index").join(f), "x").unwrap();
        }
    }

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn manifest(dir: &Path) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("precache-manifest.json")).unwrap())
            .unwrap()
    }

    #[test]
    fn any_asset_change_is_a_new_version_and_new_worker_bytes() {
        let tmp = std::env::temp_dir().join(format!("stenogram-precache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        site(&tmp, b"\0asm one");
        let a = write(&root(), &tmp, CORPUS_PRECACHE_LIMIT).unwrap();
        let sw_a = std::fs::read(tmp.join("sw.js")).unwrap();
        let m = manifest(&tmp);
        let urls: Vec<&str> = m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["url"].as_str().unwrap())
            .collect();
        assert_eq!(
            urls[..8],
            [
                "app_bg.wasm",
                "corpus/docs/a.json",
                "corpus/index/dict-2b.fst",
                "corpus/index/meta-1a.bin",
                "corpus/index/post-0000-4d.bin",
                "corpus/index/words-3c.fst",
                "corpus/manifest.json",
                "index.html"
            ]
        );
        // The workers' five files (two glue scripts, two wasm, the loader), by
        // content-hashed names only: offline, the workbench works too.
        assert_eq!(urls.len(), 13, "{urls:?}");
        assert!(urls[8..11].iter().all(|u| u.starts_with("search-worker-")));
        assert!(urls[11..]
            .iter()
            .all(|u| u.starts_with("workbench-worker-")));
        // Checked against `sha256sum`, not against this module's own function.
        assert_eq!(
            m["files"][0]["sha256"],
            "89471d9d14ac5f3c924ebc80f2b2b8a1a53069f3f089c802df8e391c555f8918"
        );
        // The page names the site id the manifest holds, hashed as stamped.
        let page = std::fs::read_to_string(tmp.join("index.html")).unwrap();
        assert!(page.contains(&format!("content=\"{}\"", a.site)), "{page}");
        assert_eq!(m["site"], a.site);
        assert_eq!(m["files"][7]["sha256"], sha256(page.as_bytes()));
        assert!(a.corpus_precached);
        let manifest_bytes = std::fs::metadata(tmp.join("corpus/manifest.json"))
            .unwrap()
            .len();
        assert_eq!(a.corpus_bytes, 10 + 4 + manifest_bytes);
        let sw_text = String::from_utf8(sw_a.clone()).unwrap();
        assert!(sw_text.contains(&format!("\"version\":\"{}\"", a.version)));
        assert!(!sw_text.contains(PLACEHOLDER_START));

        // Same bytes: same version. One changed byte in the wasm: a new one.
        assert_eq!(
            write(&root(), &tmp, CORPUS_PRECACHE_LIMIT).unwrap().version,
            a.version
        );
        std::fs::write(tmp.join("app_bg.wasm"), b"\0asm two").unwrap();
        let b = write(&root(), &tmp, CORPUS_PRECACHE_LIMIT).unwrap();
        assert_ne!(b.version, a.version);
        assert_ne!(b.site, a.site);
        assert_ne!(std::fs::read(tmp.join("sw.js")).unwrap(), sw_a);

        // Over the limit, the corpus is listed but not precached; its manifest and the
        // index entry files always are. Regression: once the build gave the entry files
        // content-hashed names, matching fixed names classed them as plain corpus, so a
        // large corpus showed nothing offline unless the first visit happened to keep them.
        let c = write(&root(), &tmp, 11).unwrap();
        assert!(!c.corpus_precached);
        let m = manifest(&tmp);
        assert_eq!(m["corpusPrecached"], false);
        let group = |i: usize| m["files"][i]["group"].as_str().unwrap().to_string();
        assert_eq!(
            (0..8).map(group).collect::<Vec<_>>(),
            [
                "shell",
                "corpus",
                "corpus-core",
                "corpus-core",
                "corpus",
                "corpus",
                "corpus-core",
                "shell"
            ]
        );
        // The worker's script lists the corpus no more: its files are in the list file,
        // which names them with their sizes.
        let sw_text = std::fs::read_to_string(tmp.join("sw.js")).unwrap();
        assert!(!sw_text.contains("corpus/docs/a.json"), "{sw_text}");
        assert!(sw_text.contains("corpus/manifest.json"));
        let list_name = std::fs::read_dir(&tmp)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| is_corpus_list(n))
            .expect("a corpus list beside sw.js");
        assert!(
            sw_text.contains(&format!("\"list\":\"{list_name}\"")),
            "{sw_text}"
        );
        let list: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(tmp.join(&list_name)).unwrap()).unwrap();
        assert_eq!(list[0], json!(["corpus/docs/a.json", 10]));
        assert_eq!(list.as_array().unwrap().len(), 3);
        // Precached again: no list is left behind.
        write(&root(), &tmp, CORPUS_PRECACHE_LIMIT).unwrap();
        assert!(!tmp.join(&list_name).exists());
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    /// Regression (issue 13): `sw.js` listed every corpus file with its SHA-256, so a first
    /// visit's worker script grew with the corpus: 3.2 MB at 18,187 transcripts, 17 MB
    /// (5.1 MB gzip) at 100,000. Now it is the same size at any corpus size.
    #[test]
    fn the_worker_script_does_not_grow_with_the_corpus() {
        let sw_bytes = |docs: usize| {
            let tmp = std::env::temp_dir().join(format!(
                "stenogram-precache-grow-{}-{docs}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&tmp);
            site(&tmp, b"\0asm");
            let shards = tmp.join("corpus/docs/0123456789abcdef");
            std::fs::create_dir_all(&shards).unwrap();
            for n in 0..docs {
                std::fs::write(shards.join(format!("{n:05}.json")), "[]").unwrap();
            }
            let s = write(&root(), &tmp, 0).unwrap();
            assert!(!s.corpus_precached);
            let bytes = std::fs::metadata(tmp.join("sw.js")).unwrap().len();
            std::fs::remove_dir_all(&tmp).unwrap();
            bytes
        };
        let (small, large) = (sw_bytes(10), sw_bytes(2_000));
        // Only the totals' digits may differ.
        assert!(
            large.abs_diff(small) < 8,
            "{small} bytes with 10 files, {large} with 2,000"
        );
    }
}
