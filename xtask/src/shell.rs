//! Finishing the shell Trunk built, before the precache step hashes it:
//! - the two workers' files get content-hashed names (Trunk keeps plain names for
//!   `data-type="worker"`), so a page never pairs with another build's worker glue or wasm;
//! - `index.html` gets its Content-Security-Policy, which lists the SHA-256 of every inline
//!   script Trunk emitted (the wasm loader), and the two facts the page reads at run time:
//!   the site id (`stenogram-site`, compared with the service worker's by `web/sw-client.js`)
//!   and the worker loader's hashed name (`stenogram-worker`, read by `web/worker-boot.js`
//!   and `src/data/client.rs`), with the bundle files the worker reads as it starts
//!   ([`WorkerStart`]), which its loader requests during the worker's wasm download;
//! - `404.html` is written as a copy of it (GitHub Pages answers unknown paths with it).
//!
//! Every step is idempotent, so `cargo xtask precache` can run it again on a built site.

use std::path::Path;

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Trunk's plain names for the two workers (`data-bin="search-worker"` and
/// `data-bin="workbench-worker"` in index.html): each a glue script and a wasm, named by
/// the loader copied from `web/search-worker-loader.js`.
const WORKERS: [&str; 2] = ["search-worker", "workbench-worker"];
const WORKER_LOADER: &str = "search-worker-loader.js";
/// The hashed loader's prefix: `search-worker-loader-<hash>.js`. A worker's hashed files
/// are `<worker>-<hash>.js` and `<worker>-<hash>_bg.wasm`.
const LOADER_STEM: &str = "search-worker-loader-";

/// The `<meta>` names written into index.html (read by web/sw-client.js and src/data.rs).
pub const META_SITE: &str = "stenogram-site";
pub const META_WORKER: &str = "stenogram-worker";
const META_CSP: &str = "Content-Security-Policy";

fn short_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Renames each worker's glue and wasm to content-hashed names, rewrites the loader to
/// name them, and renames the loader by its own hash. Older hashed copies in `site` (a
/// build into a folder that held one) are removed. Returns the loader's file name; on a
/// site already finished, returns the one loader there.
pub fn hash_worker_files(site: &Path) -> Result<String> {
    let loader_path = site.join(WORKER_LOADER);
    if !loader_path.exists() {
        return find_loader(site);
    }
    let read = |name: &str| {
        std::fs::read(site.join(name)).with_context(|| {
            format!(
                "cannot read {name} in {}; the workers are built by Trunk (index.html)",
                site.display()
            )
        })
    };
    let loader = String::from_utf8(read(WORKER_LOADER)?).context("the loader is not UTF-8")?;
    let mut rewritten = loader.clone();
    let mut renames = Vec::new();
    for worker in WORKERS {
        let (glue, wasm) = (format!("{worker}.js"), format!("{worker}_bg.wasm"));
        let h = short_hash(&[&read(&glue)?, &[0], &read(&wasm)?]);
        for (plain, hashed) in [
            (glue, format!("{worker}-{h}.js")),
            (wasm, format!("{worker}-{h}_bg.wasm")),
        ] {
            let quoted = format!("'./{plain}'");
            if !rewritten.contains(&quoted) {
                bail!(
                    "web/{WORKER_LOADER} no longer names {quoted}; update xtask/src/shell.rs with it"
                );
            }
            rewritten = rewritten.replace(&quoted, &format!("'./{hashed}'"));
            renames.push((plain, hashed));
        }
    }
    let loader_name = format!("{LOADER_STEM}{}.js", short_hash(&[rewritten.as_bytes()]));
    let mut keep: Vec<&str> = renames.iter().map(|(_, h)| h.as_str()).collect();
    keep.push(&loader_name);
    remove_stale_worker_files(site, &keep)?;
    for (plain, hashed) in &renames {
        std::fs::rename(site.join(plain), site.join(hashed))?;
    }
    std::fs::write(site.join(&loader_name), rewritten)?;
    std::fs::remove_file(loader_path)?;
    Ok(loader_name)
}

/// `<worker>-<16 hex>.js`, `<worker>-<16 hex>_bg.wasm` or the hashed loader.
fn is_hashed_worker_file(name: &str) -> bool {
    let hex = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(h) = name
        .strip_prefix(LOADER_STEM)
        .and_then(|r| r.strip_suffix(".js"))
    {
        return hex(h);
    }
    WORKERS.iter().any(|w| {
        name.strip_prefix(w)
            .and_then(|r| r.strip_prefix('-'))
            .is_some_and(|rest| {
                rest.strip_suffix("_bg.wasm").is_some_and(hex)
                    || rest.strip_suffix(".js").is_some_and(hex)
            })
    })
}

fn remove_stale_worker_files(site: &Path, keep: &[&str]) -> Result<()> {
    for entry in std::fs::read_dir(site)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if is_hashed_worker_file(&name) && !keep.contains(&name.as_str()) {
            std::fs::remove_file(site.join(&name))?;
        }
    }
    Ok(())
}

/// The one hashed loader in a finished site.
fn find_loader(site: &Path) -> Result<String> {
    let mut found = Vec::new();
    for entry in
        std::fs::read_dir(site).with_context(|| format!("cannot list {}", site.display()))?
    {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.starts_with(LOADER_STEM) && is_hashed_worker_file(&name) {
            found.push(name);
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(
            "{} has no {WORKER_LOADER} nor a hashed copy of it; build it with `cargo xtask dist`",
            site.display()
        ),
        _ => bail!(
            "{} has several worker loaders ({}); rebuild it with `cargo xtask dist`",
            site.display(),
            found.join(", ")
        ),
    }
}

/// The text of every inline `<script>` (one without `src`), exactly as written.
fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find("<script") {
        let open = at + i;
        let Some(gt) = lower[open..].find('>') else {
            break;
        };
        let body = open + gt + 1;
        let Some(close) = lower[body..].find("</script") else {
            break;
        };
        let tag = &lower[open..body];
        if !tag.contains(" src=") && !tag.contains("\tsrc=") && !tag.contains("\nsrc=") {
            out.push(&html[body..body + close]);
        }
        at = body + close;
    }
    out
}

/// The policy for `html`: scripts only from the site itself, plus the inline scripts it
/// holds (by hash), wasm compilation, no plugins, no `<base>` elsewhere, and every fetch,
/// worker and form back to the site. Inline `style` attributes stay allowed (Leptos sets
/// the histogram bars' heights that way); `<style>` elements do not.
pub fn policy(html: &str) -> String {
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    for s in inline_scripts(html) {
        let digest = Sha256::digest(s.as_bytes());
        let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
        script.push_str(&format!(" 'sha256-{b64}'"));
    }
    [
        "default-src 'self'".to_string(),
        format!("script-src {script}"),
        "style-src 'self'".into(),
        "style-src-attr 'unsafe-inline'".into(),
        "img-src 'self' data:".into(),
        "connect-src 'self'".into(),
        "worker-src 'self'".into(),
        "manifest-src 'self'".into(),
        "object-src 'none'".into(),
        "base-uri 'self'".into(),
        "form-action 'self'".into(),
    ]
    .join("; ")
}

/// Removes every `<meta …>` tag that contains `marker` (what an earlier run wrote).
fn strip_meta(html: &mut String, marker: &str) {
    while let Some(m) = html.find(marker) {
        let Some(mut start) = html[..m].rfind("<meta") else {
            return;
        };
        let Some(len) = html[start..].find('>') else {
            return;
        };
        let end = start + len + 1;
        // The line break and indent written before it, so that reruns leave the same bytes.
        let indent = html[..start].len() - html[..start].trim_end_matches(' ').len();
        if html[..start - indent].ends_with('\n') {
            start -= indent + 1;
        }
        html.replace_range(start..end, "");
    }
}

/// The bundle files the search worker reads as it starts, as paths relative to the site:
/// `web/worker-boot.js` hands them to the worker's loader, which requests them while the
/// worker's wasm downloads. `fresh` ones are revalidated (the manifest: a fixed name),
/// `early` ones come as the HTTP cache allows (content-hashed names).
#[derive(Debug, Default, PartialEq)]
pub struct WorkerStart {
    pub fresh: Vec<String>,
    pub early: Vec<String>,
}

impl WorkerStart {
    /// The `data-fresh` and `data-early` attributes of the worker's `<meta>`: each a
    /// space-separated list. A name that would need escaping in HTML or splits in two
    /// is refused: bundle names are ASCII words, slashes, dots and dashes.
    fn attributes(&self) -> Result<String> {
        let mut out = String::new();
        for (key, names) in [("fresh", &self.fresh), ("early", &self.early)] {
            if names.is_empty() {
                continue;
            }
            if let Some(bad) = names.iter().find(|n| {
                n.is_empty()
                    || !n
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b))
            }) {
                bail!("the bundle file name {bad:?} cannot be written into index.html; rebuild the bundle with `stenogram build`");
            }
            out.push_str(&format!(" data-{key}=\"{}\"", names.join(" ")));
        }
        Ok(out)
    }
}

/// Writes the CSP, the site id, the worker loader's name and the files its worker reads
/// as it starts into `index.html`, then copies it to `404.html`.
pub fn stamp_html(site: &Path, site_id: &str, loader: &str, start: &WorkerStart) -> Result<()> {
    let path = site.join("index.html");
    let mut html = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}; build the site first", path.display()))?;
    strip_meta(&mut html, &format!("http-equiv=\"{META_CSP}\""));
    strip_meta(&mut html, &format!("name=\"{META_SITE}\""));
    strip_meta(&mut html, &format!("name=\"{META_WORKER}\""));
    // Right after the charset (or the <head> tag), before any script it governs.
    let anchor = [
        "<meta charset=\"utf-8\" />",
        "<meta charset=\"utf-8\">",
        "<head>",
    ]
    .iter()
    .find_map(|a| html.find(a).map(|i| i + a.len()))
    .with_context(|| format!("{} has no <head>", path.display()))?;
    let tags = format!(
        "\n    <meta http-equiv=\"{META_CSP}\" content=\"{}\" />\n    <meta name=\"{META_SITE}\" content=\"{site_id}\" />\n    <meta name=\"{META_WORKER}\" content=\"{loader}\"{} />",
        policy(&html),
        start.attributes()?
    );
    html.insert_str(anchor, &tags);
    std::fs::write(&path, &html).with_context(|| format!("cannot write {}", path.display()))?;
    std::fs::write(site.join("404.html"), &html).context("cannot write 404.html")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_LIKE: &str = "<!DOCTYPE html><html><head>\n    <meta charset=\"utf-8\" />\n    <script src=\"sw-client.js\"></script>\n<script type=\"module\">\nimport init from '/x.js';\nawait init();\n</script></head><body></body></html>";

    #[test]
    fn the_policy_hashes_each_inline_script_and_nothing_else() {
        let scripts = inline_scripts(TRUNK_LIKE);
        assert_eq!(scripts, ["\nimport init from '/x.js';\nawait init();\n"]);
        let p = policy(TRUNK_LIKE);
        // From `printf … | openssl dgst -sha256 -binary | base64`, not from this module.
        let want = "8o3U7PPkQbOBuYlbf7YuJrY7AE+Ei9GyHBeE2+UFPnM=";
        assert!(p.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{want}';"
        )));
        for part in ["object-src 'none'", "base-uri 'self'", "connect-src 'self'"] {
            assert!(p.contains(part), "{p}");
        }
        let script_src = p.split("; ").find(|d| d.starts_with("script-src")).unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{p}");
    }

    #[test]
    fn stamping_twice_gives_the_same_bytes_and_404_is_a_copy() {
        let dir = std::env::temp_dir().join(format!("stenogram-shell-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), TRUNK_LIKE).unwrap();
        let start = WorkerStart {
            fresh: vec!["corpus/manifest.json".into()],
            early: vec!["corpus/index/meta-0123.bin".into()],
        };
        let loader = "search-worker-loader-0123456789abcdef.js";
        stamp_html(&dir, "abc", loader, &start).unwrap();
        let once = std::fs::read_to_string(dir.join("index.html")).unwrap();
        stamp_html(&dir, "abc", loader, &start).unwrap();
        let twice = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert_eq!(once, twice);
        assert_eq!(std::fs::read_to_string(dir.join("404.html")).unwrap(), once);
        assert_eq!(once.matches("Content-Security-Policy").count(), 1);
        // Before any script, so that it governs them all.
        assert!(once.find("Content-Security-Policy").unwrap() < once.find("<script").unwrap());
        assert!(once.contains("<meta name=\"stenogram-site\" content=\"abc\" />"));
        assert!(once.contains(&format!("<meta name=\"stenogram-worker\" content=\"{loader}\" data-fresh=\"corpus/manifest.json\" data-early=\"corpus/index/meta-0123.bin\" />")), "{once}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A bundle is data from outside: a file name that would end the attribute (or split
    /// in two on the page) is refused rather than written into the page.
    #[test]
    fn a_start_file_name_that_needs_escaping_is_refused() {
        for bad in [
            "corpus/a\" onload=\"x.bin",
            "corpus/a b.bin",
            "corpus/<x>.bin",
            "",
        ] {
            let start = WorkerStart {
                fresh: vec![bad.into()],
                early: Vec::new(),
            };
            assert!(start.attributes().is_err(), "{bad:?}");
        }
        let none = WorkerStart::default();
        assert_eq!(none.attributes().unwrap(), "");
    }

    /// Regression (issue 12/13): the worker kept Trunk's plain names, so a page could pair
    /// with another build's `search-worker.js` or `_bg.wasm` from a cache or a deploy.
    #[test]
    fn worker_files_get_hashed_names_and_the_loader_names_them() {
        let dir = std::env::temp_dir().join(format!("stenogram-worker-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::copy(
            root.join("web").join(WORKER_LOADER),
            dir.join(WORKER_LOADER),
        )
        .unwrap();
        for w in WORKERS {
            std::fs::write(dir.join(format!("{w}.js")), format!("glue {w}")).unwrap();
            std::fs::write(dir.join(format!("{w}_bg.wasm")), format!("\0asm {w}")).unwrap();
        }
        std::fs::write(dir.join("search-worker-00000000deadbeef.js"), "old").unwrap();
        std::fs::write(dir.join("workbench-worker-00000000deadbeef_bg.wasm"), "old").unwrap();
        let loader = hash_worker_files(&dir).unwrap();
        assert!(loader.starts_with(LOADER_STEM) && is_hashed_worker_file(&loader));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 5, "{names:?}");
        for w in WORKERS {
            let of_w = |n: &&String| **n != loader && n.starts_with(&format!("{w}-"));
            assert_eq!(names.iter().filter(of_w).count(), 2, "{names:?}");
        }
        assert!(names.iter().all(|n| is_hashed_worker_file(n)), "{names:?}");
        let text = std::fs::read_to_string(dir.join(&loader)).unwrap();
        for n in names.iter().filter(|n| **n != loader) {
            assert!(text.contains(&format!("'./{n}'")), "{text}");
        }
        // Finished already: the same loader, nothing renamed.
        assert_eq!(hash_worker_files(&dir).unwrap(), loader);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    use std::path::PathBuf;
}
