//! A built bundle read from disk, for the commands that search it (`search`, `quote`,
//! `kwic`, `trend`, `collocates`, `keyness`): its rows, its whole index, and its
//! transcripts, each pack read once; or its transcripts alone ([`Texts`], for `pages`).
//! The one place the CLI opens a bundle.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use stenogram_core::bundle::{self, DocMeta, Manifest, PackIndex, Rows, MANIFEST_FILE};
use stenogram_core::model::Transcript;
use stenogram_core::search::Index;

/// A loaded bundle: every row, its whole index, and its transcripts.
pub struct Bundle {
    /// Every document's row, by document number.
    pub rows: Vec<DocMeta>,
    pub index: Index,
    texts: Texts,
}

/// A bundle's transcripts: where each is, and the packs read so far (all of them, or
/// only the last for a pass in document order, whose memory must not grow with the corpus).
pub struct Texts {
    root: PathBuf,
    /// How many documents the bundle holds.
    pub docs: u32,
    locate: PackIndex,
    packs: HashMap<String, String>,
    keep_one: bool,
}

/// The manifest of the bundle at `root`.
pub fn manifest(root: &Path) -> Result<Manifest> {
    let path = root.join(MANIFEST_FILE);
    let json = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{}: cannot read; is it a bundle folder written by `stenogram build`?",
            path.display()
        )
    })?;
    Ok(Manifest::from_json(&json)?)
}

impl Texts {
    /// Reads the table of where each transcript of `manifest` (the bundle's at `root`)
    /// is, for reading every transcript in document order: only the last pack read is
    /// kept.
    pub fn open_in_order(root: &Path, manifest: &Manifest) -> Result<Texts> {
        Ok(Texts {
            keep_one: true,
            ..Texts::of(root, manifest)?
        })
    }

    fn of(root: &Path, manifest: &Manifest) -> Result<Texts> {
        let mut locate = PackIndex::new(&manifest.rows);
        if let Some(table) = locate.missing() {
            let path = root.join(table);
            let b =
                std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
            locate.add(&b)?;
        }
        Ok(Texts {
            root: root.to_path_buf(),
            docs: manifest.rows.docs,
            locate,
            packs: HashMap::new(),
            keep_one: false,
        })
    }

    /// The transcript of document `doc`, its pack read once.
    pub fn transcript(&mut self, doc: u32) -> Result<Transcript> {
        let (file, slot) = self
            .locate
            .locate(doc)
            .with_context(|| format!("the bundle has no document {doc}; rebuild the bundle"))?;
        if !self.packs.contains_key(&file) {
            if self.keep_one {
                self.packs.clear();
            }
            let path = self.root.join(&file);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            self.packs.insert(file.clone(), text);
        }
        Ok(bundle::transcript_from_pack(
            &file,
            &self.packs[&file],
            slot,
        )?)
    }
}

impl Bundle {
    /// Reads the manifest, every row shard and every index file under `root`.
    pub fn open(root: &Path) -> Result<Bundle> {
        let manifest = manifest(root)?;
        let Some(info) = &manifest.index else {
            anyhow::bail!(
                "{}: the bundle has no index; rebuild it with `stenogram build`",
                root.display()
            );
        };
        let index = info
            .load_all(|p| {
                let path = root.join(p);
                std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))
            })
            .map_err(|e| anyhow::anyhow!("{e:#}"))?;
        let rows = read_rows(root, &manifest)?;
        Ok(Bundle {
            rows,
            index,
            texts: Texts::of(root, &manifest)?,
        })
    }

    /// The transcript of document `doc`, its pack read once.
    pub fn transcript(&mut self, doc: u32) -> Result<Transcript> {
        self.texts.transcript(doc)
    }
}

/// Every row of the bundle at `root`, each shard read and checked.
fn read_rows(root: &Path, manifest: &Manifest) -> Result<Vec<DocMeta>> {
    let info = &manifest.rows;
    let mut rows = Rows::new(info);
    for p in info.row_parts() {
        let path = root.join(info.row_path(p));
        let b = std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        rows.add(p, &b)?;
    }
    (0..info.docs)
        .map(|d| {
            rows.get(d)
                .cloned()
                .with_context(|| format!("the rows have no document {d}; rebuild the bundle"))
        })
        .collect()
}
