//! The bundle writer: transcripts in, the bundle's named files and its [`Manifest`] out.
//!
//! This is the one owner of the bundle's write side: document order, transcript packs
//! (their layout is read back by [`super::transcript_from_pack`]), content-hash naming,
//! the index files' names and the manifest. It does no I/O: the caller writes the
//! returned [`BundleFile`]s wherever it likes (the CLI into a folder).
//!
//! The per-item steps (serialising, packing, analysing, hashing) go through a
//! [`Workers`], so the CLI runs them on every core while the output stays
//! byte-identical to a run in order ([`InOrder`]): every step keeps its items' order.

use std::cell::RefCell;

use sha2::{Digest, Sha256};

use super::{CorpusInfo, DocMeta, IndexInfo, Manifest, BUNDLE_FORMAT, MANIFEST_FILE};
use crate::model::{Transcript, SCHEMA_VERSION};
use crate::search::{BuildOptions, DocAnalyzer, IndexBuilder, INDEX_FORMAT};

/// Documents analysed per batch: bounds the memory of analysed documents waiting to be
/// added to the index, while keeping every worker busy.
const ANALYSIS_BATCH: usize = 512;

/// What to write besides the transcripts themselves.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// The corpus name shown in the app.
    pub name: String,
    /// Start a new transcript pack once the current one holds this many bytes of JSON.
    pub pack_bytes: usize,
    /// Index tuning (shard sizes, next-word budgets).
    pub index: BuildOptions,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            name: "Stenogram corpus".into(),
            // About one reader's fetch: a pack is fetched whole to open one transcript.
            pack_bytes: 64 * 1024,
            index: BuildOptions::default(),
        }
    }
}

/// One step of the writer, for a caller's progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// `packing`, `indexing` or `hashing`.
    pub name: &'static str,
    /// Items the whole step handles (one [`Workers::map`] call may get a part of them).
    pub total: usize,
}

/// Runs a step's items: in order, or on many threads. `map` must return one output per
/// item, in the items' order.
pub trait Workers: Sync {
    /// `items.iter().map(f).collect()`, in whatever way the caller likes.
    fn map<T: Sync, U: Send>(&self, step: Step, items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U>;
}

/// Runs every step in order on the calling thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct InOrder;

impl Workers for InOrder {
    fn map<T: Sync, U: Send>(
        &self,
        _step: Step,
        items: &[T],
        f: impl Fn(&T) -> U + Sync,
    ) -> Vec<U> {
        items.iter().map(f).collect()
    }
}

/// A file of the bundle: its path under the bundle root and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A written bundle: every file (packs, index, then `manifest.json`) and the manifest.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub files: Vec<BundleFile>,
    pub manifest: Manifest,
    /// Transcript packs written.
    pub packs: usize,
    /// What the next-word index holds (for the build's summary line).
    pub pairs: crate::search::PairStats,
}

/// Why the transcripts cannot make a bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("no transcripts to bundle; run `stenogram ingest` first")]
    Empty,
    /// Two inputs share an id: one of them would be unreachable by its URL.
    #[error("inputs {first} and {second} share the id {id:?}; ids must be unique: give one of them another id")]
    DuplicateId {
        id: String,
        /// Positions of the two transcripts in the input, first one first.
        first: usize,
        second: usize,
    },
    #[error("transcript {id:?} cannot be serialised: {message}")]
    Json { id: String, message: String },
}

thread_local! {
    /// One analyzer per thread: its word cache lives as long as the thread.
    static ANALYZER: RefCell<DocAnalyzer> = RefCell::new(DocAnalyzer::new());
}

/// `<stem>-<first 16 hex digits of the SHA-256 of bytes>.<ext>`: a published file's
/// name changes whenever its content does, so it may be cached forever.
pub fn hashed_name(stem: &str, ext: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{stem}-{hex}.{ext}")
}

/// The id shared by two transcripts, as positions in `docs` (first one first).
pub fn duplicate_id(docs: &[Transcript]) -> Option<(usize, usize)> {
    let mut seen = std::collections::HashMap::with_capacity(docs.len());
    docs.iter()
        .enumerate()
        .find_map(|(i, t)| seen.insert(t.id.as_str(), i).map(|first| (first, i)))
}

/// Builds the bundle of `docs` (in any order: documents are numbered oldest first, ties
/// by id, so the same transcripts always give the same bytes).
pub fn write_bundle(
    mut docs: Vec<Transcript>,
    opts: &WriteOptions,
    workers: &impl Workers,
) -> Result<Bundle, WriteError> {
    if docs.is_empty() {
        return Err(WriteError::Empty);
    }
    // Across all documents, not only neighbours after the sort: the same id with two
    // dates would sort apart.
    if let Some((first, second)) = duplicate_id(&docs) {
        return Err(WriteError::DuplicateId {
            id: docs[first].id.clone(),
            first,
            second,
        });
    }
    docs.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));

    let (mut files, metas) = packs(&docs, opts, workers)?;
    let packs = files.len();
    let mut attributions: Vec<String> = Vec::new();
    for a in docs
        .iter()
        .filter_map(|t| t.source.as_ref()?.attribution.as_ref())
    {
        if !attributions.contains(a) {
            attributions.push(a.clone());
        }
    }

    // The index: analysis by the workers, assembly in document order.
    let mut index = IndexBuilder::new();
    let step = Step {
        name: "indexing",
        total: docs.len(),
    };
    for batch in docs.chunks(ANALYSIS_BATCH) {
        let analysed = workers.map(step, batch, |t| {
            ANALYZER.with(|a| a.borrow_mut().analyze(t))
        });
        for a in analysed {
            index.add_analyzed(a);
        }
    }
    drop(docs);
    let ix = index.finish(opts.index);
    let parts = ix.files();
    let step = Step {
        name: "hashing",
        total: parts.len(),
    };
    let named: Vec<BundleFile> = workers.map(step, &parts, |(path, b)| {
        let (stem, ext) = path.rsplit_once('.').unwrap_or((path.as_str(), "bin"));
        BundleFile {
            path: hashed_name(stem, ext, b),
            bytes: b.to_vec(),
        }
    });
    drop(parts);
    let bytes: u64 = named.iter().map(|f| f.bytes.len() as u64).sum();
    // `files()` lists meta, dict, words, then the postings and the positions shards.
    let mut paths = named.iter().map(|f| f.path.clone());
    let mut next = || paths.next().unwrap_or_default();
    let (meta, dict, words) = (next(), next(), next());
    let post = (0..ix.post.len()).map(|_| next()).collect();
    let pos = (0..ix.pos.len()).map(|_| next()).collect();
    let manifest = Manifest {
        format: BUNDLE_FORMAT,
        schema: SCHEMA_VERSION,
        corpus: CorpusInfo {
            name: opts.name.clone(),
            attributions,
        },
        docs: metas,
        index: Some(IndexInfo {
            format: INDEX_FORMAT,
            terms: ix.terms,
            meta,
            dict,
            words,
            post,
            pos,
            bytes,
        }),
    };
    files.extend(named);
    files.push(BundleFile {
        path: MANIFEST_FILE.into(),
        bytes: serde_json::to_vec(&manifest).map_err(|e| WriteError::Json {
            id: MANIFEST_FILE.into(),
            message: e.to_string(),
        })?,
    });
    Ok(Bundle {
        files,
        manifest,
        packs,
        pairs: ix.pairs,
    })
}

/// The transcript packs (consecutive documents until `pack_bytes`) and every
/// document's metadata, which names its pack and slot.
fn packs(
    docs: &[Transcript],
    opts: &WriteOptions,
    workers: &impl Workers,
) -> Result<(Vec<BundleFile>, Vec<DocMeta>), WriteError> {
    let step = Step {
        name: "packing",
        total: docs.len(),
    };
    let json: Vec<Vec<u8>> = workers
        .map(step, docs, |t| {
            serde_json::to_vec(t).map_err(|e| WriteError::Json {
                id: t.id.clone(),
                message: e.to_string(),
            })
        })
        .into_iter()
        .collect::<Result<_, _>>()?;
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, j) in json.iter().enumerate() {
        size += j.len() + 2;
        if size >= opts.pack_bytes || i + 1 == json.len() {
            ranges.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    let numbered: Vec<(usize, std::ops::Range<usize>)> = ranges.into_iter().enumerate().collect();
    let step = Step {
        name: "packing",
        total: numbered.len(),
    };
    let files = workers.map(step, &numbered, |(n, r)| {
        let out = pack(&json[r.clone()]);
        BundleFile {
            path: format!(
                "docs/{}",
                hashed_name(&format!("pack-{n:05}"), "json", &out)
            ),
            bytes: out,
        }
    });
    let mut metas = Vec::with_capacity(docs.len());
    for ((_, r), file) in numbered.iter().zip(&files) {
        for (slot, t) in docs[r.clone()].iter().enumerate() {
            let mut m = DocMeta::in_pack(t, file.path.clone(), slot as u32);
            // In the index already; in the manifest they would make up a third of it.
            m.mentions.clear();
            metas.push(m);
        }
    }
    Ok((files, metas))
}

/// A pack of transcripts already serialised: a JSON array, one transcript per line
/// (the layout [`super::transcript_from_pack`] reads).
fn pack(json: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"[\n".to_vec();
    for (i, j) in json.iter().enumerate() {
        out.extend_from_slice(j);
        out.extend_from_slice(if i + 1 < json.len() { b",\n" } else { b"\n" });
    }
    out.extend_from_slice(b"]\n");
    out
}

/// Writes transcripts as one pack (see [`super::transcript_from_pack`]).
pub fn pack_to_json(docs: &[&Transcript]) -> Result<Vec<u8>, serde_json::Error> {
    let json = docs
        .iter()
        .map(serde_json::to_vec)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(pack(&json))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, date: &str, text: &str) -> Transcript {
        let mut t = Transcript::new(id, id.to_uppercase());
        t.date = Some(date.into());
        t.summary = vec![text.into()];
        t
    }

    #[test]
    fn files_are_hashed_and_the_manifest_names_them() {
        let docs = vec![
            doc("b", "2015-02-01", "Talks about Syria."),
            doc("a", "2015-01-01", "Talks about Iran."),
        ];
        let opts = WriteOptions {
            pack_bytes: 1,
            ..WriteOptions::default()
        };
        let b = write_bundle(docs.clone(), &opts, &InOrder).unwrap();
        assert_eq!(b.packs, 2);
        let paths: Vec<&str> = b.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths.last(), Some(&MANIFEST_FILE));
        // Oldest first: `a` is document 0, alone in the first pack.
        assert_eq!(b.manifest.docs[0].id, "a");
        assert!(b.manifest.docs[0].file.starts_with("docs/pack-00000-"));
        let ix = b.manifest.index.as_ref().unwrap();
        for p in [&ix.meta, &ix.dict, &ix.words] {
            assert!(paths.contains(&p.as_str()), "{p}");
        }
        let f = &b.files[0];
        assert_eq!(
            f.path,
            format!("docs/{}", hashed_name("pack-00000", "json", &f.bytes))
        );
        let text = std::str::from_utf8(&f.bytes).unwrap();
        assert_eq!(
            super::super::transcript_from_pack("p", text, 0).unwrap(),
            docs[1]
        );
        let manifest = &b.files.last().unwrap().bytes;
        let read = Manifest::from_json(std::str::from_utf8(manifest).unwrap()).unwrap();
        assert_eq!(read, b.manifest);
        // Deterministic whatever the input order.
        let again = write_bundle(docs.into_iter().rev().collect(), &opts, &InOrder).unwrap();
        assert_eq!(again.files, b.files);
    }

    /// Regression: the same id with two dates sorted apart, so the neighbour check
    /// missed it and one transcript became unreachable.
    #[test]
    fn duplicate_ids_are_found_whatever_their_dates() {
        let docs = vec![
            doc("x", "2001-01-01", "One."),
            doc("y", "2010-01-01", "Two."),
            doc("x", "2020-01-01", "Three."),
        ];
        let err = write_bundle(docs, &WriteOptions::default(), &InOrder).unwrap_err();
        assert_eq!(
            err,
            WriteError::DuplicateId {
                id: "x".into(),
                first: 0,
                second: 2
            }
        );
        assert_eq!(
            write_bundle(vec![], &WriteOptions::default(), &InOrder).unwrap_err(),
            WriteError::Empty
        );
    }
}
