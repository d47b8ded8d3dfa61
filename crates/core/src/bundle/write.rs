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

use super::packs::PackTable;
use super::rows::{shard_path, IdShard, RowShard, IDS_PER_SHARD, ROWS_PER_SHARD};
use super::{
    CorpusInfo, DocMeta, IdsInfo, IndexInfo, Manifest, NumberedRow, PacksInfo, RowsInfo, ShardDir,
    Summary, BUNDLE_FORMAT, MANIFEST_FILE, PACK_TABLE, SUMMARY_FACET_LIMIT, SUMMARY_ROWS,
};
use crate::model::{Transcript, SCHEMA_VERSION};
use crate::search::squeeze::squeeze;
use crate::search::{
    BuildOptions, DocAnalyzer, Index, IndexBuilder, IndexFiles, Query, SearchOptions, INDEX_FORMAT,
};

/// Documents analysed per batch: bounds the memory of analysed documents waiting to be
/// added to the index, while keeping every worker busy.
const ANALYSIS_BATCH: usize = 512;

/// What to write besides the transcripts themselves.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// The corpus name shown in the app.
    pub name: String,
    /// Start a new transcript pack once the current one holds this many bytes of JSON
    /// (1: one transcript a pack).
    pub pack_bytes: usize,
    /// Index tuning (shard sizes, next-word budgets).
    pub index: BuildOptions,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            name: "Stenogram corpus".into(),
            // One transcript a pack: a page of hits then costs what it shows. 20 random
            // hits of a common word over the Kremlin and UN corpus (18k) fetch, p95, 517 KB
            // gzip of packs at 64 KiB, 222 KB at 16 KiB, 162 KB at 8 KiB and 135 KB one
            // transcript a pack (`examples/pack_sizes.rs`); with the index shards and the
            // rows a new query needs (about 50 KB), only the last keeps a query with its
            // first page's snippets under 200 KB. Opening a transcript fetches it alone.
            pack_bytes: 1,
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

/// A written bundle: every file (packs, rows, ids, index, then `manifest.json`) and the
/// manifest.
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

    let (mut files, metas, packs_info) = packs(&docs, opts, workers)?;
    let packs = packs_info.count as usize;
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
    let summary = summary(&ix, &metas)?;
    let (row_files, rows) = rows(&metas, packs_info)?;
    files.extend(row_files);
    // Single files by their own hash; numbered shards in a folder named by the hash of
    // them all, so the manifest names the folder, not every file.
    let parts = ix.files();
    let step = Step {
        name: "compressing and hashing",
        total: parts.len(),
    };
    let shard_dir = |stem: &str, ext: &str, shards: &[Vec<u8>]| ShardDir {
        dir: hashed_dir(stem, shards),
        count: shards.len() as u32,
        ext: ext.into(),
    };
    let post = shard_dir("index/post", "bin", &ix.post);
    let pos = shard_dir("index/pos", "bin", &ix.pos);
    let dict_shards = shard_dir("index/dict", "fst", &ix.dict_shards);
    let words = shard_dir("index/words", "fst", &ix.words);
    // `files()` lists meta, dict, the postings and the positions shards, the facets, the
    // turns, the documents, the ids, the stem-dictionary shards, the word shards.
    let (np, nq, nf, nd) = (
        ix.post.len(),
        ix.pos.len(),
        ix.facets.len(),
        ix.dict_shards.len(),
    );
    let shard_of = |i: usize| -> Option<String> {
        let j = i.checked_sub(2)?;
        if j < np {
            post.path(j as u32)
        } else if j < np + nq {
            pos.path((j - np) as u32)
        } else if j < np + nq + nf + 3 {
            None
        } else if j < np + nq + nf + 3 + nd {
            dict_shards.path((j - np - nq - nf - 3) as u32)
        } else {
            words.path((j - np - nq - nf - 3 - nd) as u32)
        }
    };
    let numbered: Vec<(usize, &(String, &[u8]))> = parts.iter().enumerate().collect();
    let named: Vec<BundleFile> = workers.map(step, &numbered, |(i, (path, b))| {
        let path = shard_of(*i).unwrap_or_else(|| {
            let (stem, ext) = path.rsplit_once('.').unwrap_or((path.as_str(), "bin"));
            hashed_name(stem, ext, b)
        });
        // Static hosts send binary files uncompressed: each goes in a deflate envelope
        // when that saves (`search::squeeze`; the index reads either).
        BundleFile {
            path,
            bytes: squeeze(b),
        }
    });
    drop(numbered);
    drop(parts);
    let bytes: u64 = named.iter().map(|f| f.bytes.len() as u64).sum();
    let (meta, dict) = (named[0].path.clone(), named[1].path.clone());
    let facets = named[2 + np + nq..2 + np + nq + nf]
        .iter()
        .map(|f| f.path.clone())
        .collect();
    let turns = named[2 + np + nq + nf].path.clone();
    let docs = named[3 + np + nq + nf].path.clone();
    let ids = named[4 + np + nq + nf].path.clone();
    let manifest = Manifest {
        format: BUNDLE_FORMAT,
        schema: SCHEMA_VERSION,
        corpus: CorpusInfo {
            name: opts.name.clone(),
            attributions,
        },
        summary,
        rows,
        index: Some(IndexInfo {
            format: INDEX_FORMAT,
            terms: ix.terms,
            meta,
            dict,
            words,
            post,
            pos,
            facets,
            turns,
            docs,
            ids,
            dict_shards,
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

/// What home shows: a browse (the empty query, no filters) run by the engine over the
/// index just built, so its rows and counts are exactly what the app's browse returns.
fn summary(ix: &IndexFiles, metas: &[DocMeta]) -> Result<Summary, WriteError> {
    let broken = |e: String| WriteError::Json {
        id: MANIFEST_FILE.into(),
        message: format!("the index just built cannot be searched: {e}"),
    };
    let mut index = Index::open(&ix.meta, ix.dict.clone()).map_err(|e| broken(e.to_string()))?;
    let q = Query::default();
    loop {
        let parts = index.plan(&q).map_err(|e| broken(e.to_string()))?;
        if parts.is_empty() {
            break;
        }
        for p in parts {
            index
                .add_part(p, ix.part(p).to_vec())
                .map_err(|e| broken(e.to_string()))?;
        }
    }
    let opts = SearchOptions {
        limit: SUMMARY_ROWS,
        facet_limit: Some(SUMMARY_FACET_LIMIT),
        ..SearchOptions::default()
    };
    let res = index.search(&q, &opts).map_err(|e| broken(e.to_string()))?;
    let dated = || metas.iter().filter_map(|m| m.date.as_ref());
    Ok(Summary {
        docs: metas.len() as u32,
        // Documents are numbered by date: the first and the last dated ones bound them.
        first_date: dated().next().cloned(),
        last_date: dated().next_back().cloned(),
        newest: res
            .hits
            .iter()
            .map(|h| NumberedRow {
                doc: h.doc,
                row: metas[h.doc as usize].clone(),
            })
            .collect(),
        facets: res.facets,
    })
}

/// `<stem>/<first 16 hex digits of the SHA-256 of every file>`: a folder of shards whose
/// name changes whenever any of them does, so each may be cached forever while the
/// manifest names the folder only.
fn hashed_dir(stem: &str, files: &[Vec<u8>]) -> String {
    let mut h = Sha256::new();
    for f in files {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f);
    }
    let hex: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{stem}/{hex}")
}

fn to_json<T: serde::Serialize>(what: &str, v: &T) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(v).map_err(|e| WriteError::Json {
        id: what.into(),
        message: e.to_string(),
    })
}

/// The row shards and the id shards (read by [`super::Rows`] and [`super::IdIndex`]).
fn rows(metas: &[DocMeta], packs: PacksInfo) -> Result<(Vec<BundleFile>, RowsInfo), WriteError> {
    let per = ROWS_PER_SHARD as usize;
    let row_bytes = metas
        .chunks(per)
        .enumerate()
        .map(|(n, c)| {
            let shard = RowShard {
                first: (n * per) as u32,
                docs: c.to_vec(),
            };
            to_json("rows", &shard)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut ids: Vec<(&str, u32)> = metas
        .iter()
        .enumerate()
        .map(|(d, m)| (m.id.as_str(), d as u32))
        .collect();
    ids.sort_unstable();
    let mut first = Vec::new();
    let id_bytes = ids
        .chunks(IDS_PER_SHARD)
        .map(|c| {
            first.push(c[0].0.to_string());
            let shard = IdShard {
                ids: c.iter().map(|p| p.0.to_string()).collect(),
                docs: c.iter().map(|p| p.1).collect(),
            };
            to_json("ids", &shard)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let info = RowsInfo {
        docs: metas.len() as u32,
        per_shard: ROWS_PER_SHARD,
        dir: hashed_dir("rows", &row_bytes),
        ids: IdsInfo {
            dir: hashed_dir("ids", &id_bytes),
            first,
        },
        packs,
    };
    let mut files = Vec::with_capacity(row_bytes.len() + id_bytes.len());
    for (dir, all) in [(&info.dir, row_bytes), (&info.ids.dir, id_bytes)] {
        for (n, bytes) in all.into_iter().enumerate() {
            files.push(BundleFile {
                path: shard_path(dir, n as u32),
                bytes,
            });
        }
    }
    Ok((files, info))
}

/// The transcript packs (consecutive documents until `pack_bytes`), numbered in a folder
/// named by the hash of them all, with their table when a pack holds more than one
/// transcript (read by [`super::PackIndex`]); and every document's metadata.
fn packs(
    docs: &[Transcript],
    opts: &WriteOptions,
    workers: &impl Workers,
) -> Result<(Vec<BundleFile>, Vec<DocMeta>, PacksInfo), WriteError> {
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
    let sizes: Vec<usize> = json.iter().map(Vec::len).collect();
    let ranges = pack_ranges(&sizes, opts.pack_bytes);
    let step = Step {
        name: "packing",
        total: ranges.len(),
    };
    let bytes = workers.map(step, &ranges, |r| pack(&json[r.clone()]));
    drop(json);
    let dir = hashed_dir("docs", &bytes);
    let table = ranges.iter().any(|r| r.len() > 1).then(|| PackTable {
        first: ranges.iter().map(|r| r.start as u32).collect(),
    });
    let info = PacksInfo {
        count: bytes.len() as u32,
        table: table.as_ref().map(|_| format!("{dir}/{PACK_TABLE}")),
        dir,
    };
    let mut files: Vec<BundleFile> = bytes
        .into_iter()
        .enumerate()
        .map(|(n, bytes)| BundleFile {
            path: info.pack_path(n as u32),
            bytes,
        })
        .collect();
    if let (Some(t), Some(path)) = (table, &info.table) {
        files.push(BundleFile {
            path: path.clone(),
            bytes: to_json(PACK_TABLE, &t)?,
        });
    }
    let metas = docs
        .iter()
        .map(|t| {
            let mut m = DocMeta::of(t);
            // In the index already; in the manifest they would make up a third of it.
            m.mentions.clear();
            m
        })
        .collect();
    Ok((files, metas, info))
}

/// Which consecutive documents share a pack, given each one's JSON size: a pack closes
/// once it holds `pack_bytes` (so `1` gives a pack per transcript).
pub fn pack_ranges(sizes: &[usize], pack_bytes: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, j) in sizes.iter().enumerate() {
        size += j + 2;
        if size >= pack_bytes || i + 1 == sizes.len() {
            ranges.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    ranges
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

/// Writes transcripts already serialised as one pack.
pub fn pack_json(json: &[Vec<u8>]) -> Vec<u8> {
    pack(json)
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
mod tests;
