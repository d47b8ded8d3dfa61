//! File-system helpers shared by the subcommands: durable atomic writes, a folder
//! swapped in whole, bounded reads, and input discovery that stays inside its roots.

use std::collections::HashSet;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes `bytes` to `path` through a temporary file in the same folder, synced to disk
/// before the rename, so that a reader (or a crash) never sees a half-written file. The
/// file gets mode 0644 (a temporary file is 0600, which static hosts may refuse to
/// serve). The folder itself is synced by [`sync_dir`], once, after a run's writes.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create folder", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("{}: write failed", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("{}: cannot set its mode", path.display()))?;
    }
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("{}: cannot sync to disk", path.display()))?;
    tmp.persist(path).map_err(|e| e.error).with_context(|| {
        format!(
            "{}: cannot rename temporary file into place",
            path.display()
        )
    })?;
    Ok(())
}

/// Syncs a folder's entries (the renames into it) to disk. Folders cannot be opened
/// for syncing on Windows; there the rename is as durable as the system makes it.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("{}: cannot sync folder", dir.display()))?;
    let _ = dir;
    Ok(())
}

/// `true` if `dir` holds a bundle written by `stenogram build` and nothing else: a
/// `manifest.json` and at most the `docs`, `rows`, `ids` and `index` folders beside it.
fn is_bundle(dir: &Path) -> Result<bool> {
    let mut manifest = false;
    for e in std::fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))? {
        let name = e?.file_name();
        match name.to_str() {
            Some("manifest.json") => manifest = true,
            Some("docs" | "rows" | "ids" | "index") => {}
            _ => return Ok(false),
        }
    }
    Ok(manifest)
}

/// Whether `out` exists; an error if it may not be replaced by [`replace_dir`]: a
/// non-empty folder that is not a previous bundle.
pub fn check_replaceable(out: &Path) -> Result<bool> {
    if !out.exists() {
        return Ok(false);
    }
    let empty = std::fs::read_dir(out)
        .with_context(|| format!("{}: cannot list", out.display()))?
        .next()
        .is_none();
    if !empty && !is_bundle(out)? {
        anyhow::bail!(
            "{}: folder is not empty and holds more than a bundle (manifest.json, docs/, rows/, ids/, index/); refusing to replace it: choose a new or empty folder",
            out.display()
        );
    }
    Ok(true)
}

/// Fills `out` with what `write` puts into a fresh folder, all or nothing: `write` runs
/// in a temporary sibling folder, which then replaces `out`. A failure leaves `out` as
/// it was. `out` must be missing, empty, or a previous bundle (see [`is_bundle`]): a
/// folder this command did not write is never deleted.
pub fn replace_dir(out: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let exists = check_replaceable(out)?;
    let abs =
        std::path::absolute(out).with_context(|| format!("{}: cannot resolve", out.display()))?;
    let parent = abs.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = abs
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("bundle")
        .to_string();
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("{}: cannot create folder", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)
        .with_context(|| format!("{}: cannot create a temporary folder", parent.display()))?;
    write(tmp.path())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))?;
    }
    let new = tmp.keep();
    let swap = || -> Result<()> {
        if exists {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            std::fs::rename(&abs, &old)
                .with_context(|| format!("{}: cannot move the old bundle aside", abs.display()))?;
            if let Err(e) = std::fs::rename(&new, &abs) {
                // Put the old bundle back rather than leave nothing.
                let _ = std::fs::rename(&old, &abs);
                return Err(e)
                    .with_context(|| format!("{}: cannot move into place", abs.display()));
            }
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("{}: cannot remove the old bundle", old.display()))?;
        } else {
            std::fs::rename(&new, &abs)
                .with_context(|| format!("{}: cannot move into place", abs.display()))?;
        }
        sync_dir(&parent)
    };
    let r = swap();
    if r.is_err() && new.exists() {
        let _ = std::fs::remove_dir_all(&new);
    }
    r
}

/// Input files found under the given roots, and what was passed over on the way.
#[derive(Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    /// One message per skipped link or loop.
    pub skipped: Vec<String>,
}

/// Expands files and folders (recursively, sorted) into a list of files whose
/// extension is one of `exts` (files named explicitly are always kept). A symbolic link
/// to a folder is followed only when its target is inside the input folder, unless
/// `follow_links`; a folder reached twice (a loop) is reported once and not entered.
pub fn expand_inputs(inputs: &[PathBuf], exts: &[&str], follow_links: bool) -> Result<Found> {
    let mut found = Found::default();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .with_context(|| format!("{}: no such file or folder", input.display()))?;
        if meta.is_dir() {
            let before = found.files.len();
            let root = std::fs::canonicalize(input)
                .with_context(|| format!("{}: cannot resolve", input.display()))?;
            let mut walk = Walk {
                root: &root,
                exts,
                follow_links,
                seen: HashSet::from([root.clone()]),
                found: &mut found,
            };
            walk.dir(input)?;
            if found.files.len() == before {
                anyhow::bail!(
                    "{}: folder holds no transcripts (looked for *.{})",
                    input.display(),
                    exts.join(", *.")
                );
            }
        } else {
            found.files.push(input.clone());
        }
    }
    Ok(found)
}

struct Walk<'a> {
    root: &'a Path,
    exts: &'a [&'a str],
    follow_links: bool,
    /// Canonical folders entered so far.
    seen: HashSet<PathBuf>,
    found: &'a mut Found,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path) -> Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("{}: cannot list folder", dir.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("{}: cannot list folder", dir.display()))?;
        entries.sort();
        for p in entries {
            let link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
            if link {
                let Ok(target) = std::fs::canonicalize(&p) else {
                    // Dangling: `read_file` reports it if it names an input.
                    if has_ext(&p, self.exts) {
                        self.found.files.push(p);
                    }
                    continue;
                };
                // A link to a file is read wherever it points: a folder of links to
                // chosen files is how a corpus is put together (the shared
                // `eval_kremlin.py` does so). A link to a folder outside the root
                // would take the walk anywhere, so it is not followed by default.
                if target.is_dir() && !self.follow_links && !target.starts_with(self.root) {
                    self.found.skipped.push(format!(
                        "{}: symbolic link to {} outside {} not followed (pass --follow-links to follow it)",
                        p.display(),
                        target.display(),
                        self.root.display()
                    ));
                    continue;
                }
            }
            if p.is_dir() {
                let canon = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
                if !self.seen.insert(canon.clone()) {
                    if link {
                        self.found.skipped.push(format!(
                            "{}: symbolic link loop (back to {}); not entered again",
                            p.display(),
                            canon.display()
                        ));
                    }
                    continue;
                }
                self.dir(&p)?;
            } else if has_ext(&p, self.exts) {
                self.found.files.push(p);
            }
        }
        Ok(())
    }
}

fn has_ext(p: &Path, exts: &[&str]) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    exts.iter().any(|e| name.ends_with(&format!(".{e}")))
}

/// The path to open for `path`: itself, or for a dangling symbolic link whose relative
/// target exists relative to the current folder, that target (scripts often create
/// links with a path relative to where they run, `ln -s ../data/x.txt tmp/`, not to
/// the link's own folder).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    if path.exists() {
        return Ok(path.to_path_buf());
    }
    let missing = || std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
    let target = std::fs::read_link(path).map_err(|_| missing())?;
    if target.is_relative() && target.exists() {
        Ok(target)
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("dangling symbolic link to {}", target.display()),
        ))
    }
}

/// Reads a whole file of at most `limit` bytes; its size is checked before reading.
pub fn read_file(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let path = resolve(path)?;
    let size = std::fs::metadata(&path)?.len();
    if size > limit {
        return Err(too_big(size, limit, "--max-file-bytes"));
    }
    let mut out = Vec::with_capacity(size as usize);
    std::fs::File::open(&path)?
        .take(limit + 1)
        .read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(too_big(out.len() as u64, limit, "--max-file-bytes"));
    }
    Ok(out)
}

/// An open input: a reader over its bytes, gunzipped if it is named `*.gz`.
pub fn open_input(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let file = std::fs::File::open(resolve(path)?)?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    Ok(if gz {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            std::io::BufReader::new(file),
        )))
    } else {
        Box::new(std::io::BufReader::new(file))
    })
}

/// Reads all of `r`, refusing more than `limit` bytes (a small `.gz` may inflate to
/// gigabytes: the limit holds on what comes out, not on the file's size).
pub fn read_bounded(r: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    r.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(too_big(out.len() as u64, limit, "--max-file-bytes"));
    }
    Ok(out)
}

/// Reads one line (without its `\n`) of at most `limit` bytes into `buf`. Returns
/// `Ok(None)` at the end; `Ok(Some(false))` for a longer line, whose rest is skipped
/// without being held in memory.
pub fn read_line_bounded(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let n = r.by_ref().take(limit as u64 + 1).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        return Ok(Some(true));
    }
    if buf.len() <= limit {
        return Ok(Some(true)); // the last line, without a line end
    }
    // Too long: skip to the line's end in bounded chunks.
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                r.consume(i + 1);
                break;
            }
            None => {
                let n = chunk.len();
                r.consume(n);
            }
        }
    }
    buf.clear();
    Ok(Some(false))
}

fn too_big(size: u64, limit: u64, flag: &str) -> std::io::Error {
    std::io::Error::other(format!(
        "more than {limit} bytes ({size} or more); the limit is set by {flag}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `eval_kremlin.py` given a relative corpus path symlinks every file with
    /// a cwd-relative target; ingest read none of them.
    #[cfg(unix)]
    #[test]
    fn follows_cwd_relative_dangling_links() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = std::env::current_dir().unwrap();
        let real = tempfile::NamedTempFile::new_in(&cwd).unwrap();
        std::fs::write(real.path(), b"hello").unwrap();
        let rel = real.path().strip_prefix(&cwd).unwrap().to_path_buf();
        let link = dir.path().join("x.txt");
        std::os::unix::fs::symlink(&rel, &link).unwrap();
        assert_eq!(read_file(&link, 100).unwrap(), b"hello");
        assert!(read_file(&link, 4)
            .unwrap_err()
            .to_string()
            .contains("--max-file-bytes"));
        let gone = dir.path().join("y.txt");
        std::os::unix::fs::symlink("no/such/file.txt", &gone).unwrap();
        assert!(read_file(&gone, 100)
            .unwrap_err()
            .to_string()
            .contains("dangling"));
    }

    #[test]
    fn long_lines_are_skipped_without_being_held() {
        let text = format!("short\n{}\nnext\nlast", "x".repeat(100));
        let mut r = std::io::BufReader::with_capacity(8, text.as_bytes());
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(ok) = read_line_bounded(&mut r, &mut buf, 10).unwrap() {
            got.push(ok.then(|| String::from_utf8(buf.clone()).unwrap()));
        }
        assert_eq!(
            got,
            vec![
                Some("short".into()),
                None,
                Some("next".into()),
                Some("last".into())
            ]
        );
    }
}
