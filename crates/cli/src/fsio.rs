//! File-system helpers shared by the subcommands: atomic writes and input discovery.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename,
/// so that a reader (or a crash) never sees a half-written file.
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
    tmp.persist(path).map_err(|e| e.error).with_context(|| {
        format!(
            "{}: cannot rename temporary file into place",
            path.display()
        )
    })?;
    Ok(())
}

/// Expands files and folders (recursively, sorted) into a list of files whose
/// extension is one of `exts` (files named explicitly are always kept).
pub fn expand_inputs(inputs: &[PathBuf], exts: &[&str]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .with_context(|| format!("{}: no such file or folder", input.display()))?;
        if meta.is_dir() {
            let before = out.len();
            walk(input, exts, &mut out)?;
            if out.len() == before {
                anyhow::bail!(
                    "{}: folder holds no transcripts (looked for *.{})",
                    input.display(),
                    exts.join(", *.")
                );
            }
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot list folder", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("{}: cannot list folder", dir.display()))?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, exts, out)?;
        } else if has_ext(&p, exts) {
            out.push(p);
        }
    }
    Ok(())
}

fn has_ext(p: &Path, exts: &[&str]) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    exts.iter().any(|e| name.ends_with(&format!(".{e}")))
}

/// Reads a whole file. A dangling symbolic link whose relative target exists relative to
/// the current folder is followed there: scripts often create links with a path relative
/// to where they run (`ln -s ../data/x.txt tmp/`), not to the link's own folder.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let target = std::fs::read_link(path).map_err(|_| e)?;
            if target.is_relative() && target.exists() {
                std::fs::read(&target)
            } else {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("dangling symbolic link to {}", target.display()),
                ))
            }
        }
        other => other,
    }
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
        assert_eq!(read_file(&link).unwrap(), b"hello");
        let gone = dir.path().join("y.txt");
        std::os::unix::fs::symlink("no/such/file.txt", &gone).unwrap();
        assert!(read_file(&gone)
            .unwrap_err()
            .to_string()
            .contains("dangling"));
    }
}
