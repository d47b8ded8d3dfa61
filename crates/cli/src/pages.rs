//! `stenogram pages`: a built site's static reading pages, `t/<id>.html` for every
//! transcript whose id is a plain file name, each the site's own `index.html` with the
//! transcript's text in it (`stenogram_core::preview`, which says why). Run after
//! the site is finished (`cargo xtask dist` does), since every page carries its shell.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use stenogram_core::preview;
use stenogram_core::site::{BUNDLE_DIR, PAGE_DIR};

use crate::bundle_dir::Texts;

/// Arguments of `stenogram pages`.
#[derive(clap::Args)]
pub struct Args {
    /// The built site: its `index.html` is every page's shell, its bundle the text.
    #[arg(long)]
    site: PathBuf,
    /// The bundle's folder inside the site.
    #[arg(long, default_value = BUNDLE_DIR)]
    corpus: PathBuf,
    /// Only remove the pages a previous run wrote (a site built without them).
    #[arg(long)]
    clear: bool,
}

/// Removes the pages a previous run wrote, refusing a folder that holds anything else.
fn clear(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if !path.is_file() || path.extension().is_none_or(|e| e != "html") {
            bail!(
                "{} holds {}, which is not a page this command writes; move it, or remove the folder",
                dir.display(),
                path.display()
            );
        }
    }
    std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))
}

pub fn run(args: Args) -> Result<ExitCode> {
    let shell_path = args.site.join("index.html");
    let shell = std::fs::read_to_string(&shell_path).with_context(|| {
        format!(
            "{}: cannot read; build the site first (`cargo xtask dist`)",
            shell_path.display()
        )
    })?;
    let out = args.site.join(PAGE_DIR);
    if args.clear {
        clear(&out)?;
        eprintln!("stenogram pages: no reading pages in {}", out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let root = args.site.join(&args.corpus);
    let manifest = crate::bundle_dir::manifest(&root)?;
    // The citations' publisher, as the reading view names it.
    let site = manifest.corpus.name.as_str();
    let mut texts = Texts::open_in_order(&root, &manifest)?;
    clear(&out)?;
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let (mut pages, mut bytes, mut skipped) = (0usize, 0u64, Vec::new());
    for doc in 0..texts.docs {
        let t = texts.transcript(doc)?;
        let Some(rel) = preview::page_path(&t.id) else {
            skipped.push(t.id);
            continue;
        };
        let html = preview::render(&shell, &t, Some(site))?;
        let path = args.site.join(&rel);
        std::fs::write(&path, &html).with_context(|| format!("cannot write {}", path.display()))?;
        pages += 1;
        bytes += html.len() as u64;
    }
    eprintln!(
        "stenogram pages: {pages} reading pages in {} ({:.1} MiB, {:.1} KiB each)",
        out.display(),
        bytes as f64 / 1048576.0,
        bytes as f64 / 1024.0 / pages.max(1) as f64
    );
    if !skipped.is_empty() {
        eprintln!(
            "stenogram pages: {} transcripts have ids that are not plain file names and open from the app's shell (first: {:?})",
            skipped.len(),
            skipped[0]
        );
    }
    Ok(ExitCode::SUCCESS)
}
