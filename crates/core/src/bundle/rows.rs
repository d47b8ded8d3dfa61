//! The transcripts' rows ([`DocMeta`]) and the id → document number lookup, sharded so
//! that no file the app reads grows with the corpus.
//!
//! - Rows: shard `n` holds the rows of documents `n * per_shard ..`, stored by column
//!   ([`super::doc_columns`]). [`Rows`] is the reader: it names the shards some documents
//!   need ([`Rows::missing`]), checks a shard's bytes ([`Rows::add`]) and answers
//!   [`Rows::get`].
//! - Ids: every id with its document number, sorted by id (byte order) and cut into
//!   key ranges; [`IdsInfo::first`] holds each shard's first id, so an id's shard is found
//!   without fetching anything. [`IdIndex`] is the reader, with the same pattern.
//!
//! Both follow the index's plan/add pattern and do no I/O: the caller fetches
//! [`RowsInfo::row_path`] / [`RowsInfo::id_path`] and hands the bytes over. Every shard is
//! hostile until checked: a wrong, truncated or foreign shard is a [`BundleError`].
//!
//! The shards of one kind share a folder named by the hash of all of them
//! (`rows/<hash>/NNNNN.json`), so a shard never changes once published (it may be cached
//! forever) while the manifest names one folder, not one file per shard: a list of
//! hashed names would grow with the corpus.

use serde::{Deserialize, Serialize};

use super::{BundleError, DocMeta};

/// Rows per row shard. A page of 20 hits spread over the corpus touches up to 20
/// shards, so small shards win: on the Kremlin and UN rows (18k), 20 random hits cost
/// 78 KB gzip of row shards at 128 rows a shard (4.2 KB each), 47 KB at 64, 27 KB at 32
/// (1.4 KB each) and 17 KB at 16, where each request's own overhead starts to weigh.
pub const ROWS_PER_SHARD: u32 = 32;
/// Ids per id shard: 2,048 ids are about 10 KB gzip (100,000 transcripts of the growth
/// corpus), and the first keys in the manifest stay few (49 keys, 0.4 KB gzip, at 100k).
pub const IDS_PER_SHARD: usize = 2048;

/// Where the rows and the id shards are (part of the manifest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RowsInfo {
    /// Documents in the bundle.
    pub docs: u32,
    /// Rows per shard: shard `n` holds documents `n * per_shard ..`.
    pub per_shard: u32,
    /// The folder of the row shards (`rows/<hash>`), under the bundle root.
    pub dir: String,
    /// The id shards.
    pub ids: IdsInfo,
    /// The transcripts' packs ([`super::PackIndex`] finds a document's).
    pub packs: super::PacksInfo,
}

/// Where the id shards are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IdsInfo {
    /// The folder of the id shards (`ids/<hash>`), under the bundle root.
    pub dir: String,
    /// Each shard's first id, ascending (byte order).
    pub first: Vec<String>,
}

/// A row shard's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RowPart(pub u32);

/// An id shard's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IdPart(pub u32);

/// A row shard as stored.
#[derive(Serialize, Deserialize)]
pub(crate) struct RowShard {
    /// The first document's number.
    pub first: u32,
    #[serde(with = "super::doc_columns")]
    pub docs: Vec<DocMeta>,
}

/// An id shard as stored: ids ascending, each with its document number.
#[derive(Serialize, Deserialize)]
pub(crate) struct IdShard {
    pub ids: Vec<String>,
    pub docs: Vec<u32>,
}

/// Path of shard `n` in the folder `dir`.
pub(crate) fn shard_path(dir: &str, n: u32) -> String {
    format!("{dir}/{n:05}.json")
}

impl RowsInfo {
    /// Number of row shards.
    pub fn row_shards(&self) -> u32 {
        self.docs.div_ceil(self.per_shard.max(1))
    }

    /// The path (under the bundle root) of a row shard.
    pub fn row_path(&self, p: RowPart) -> String {
        shard_path(&self.dir, p.0)
    }

    /// The path (under the bundle root) of an id shard.
    pub fn id_path(&self, p: IdPart) -> String {
        shard_path(&self.ids.dir, p.0)
    }

    /// Every row shard, for a caller that reads them all (the CLI).
    pub fn row_parts(&self) -> impl Iterator<Item = RowPart> {
        (0..self.row_shards()).map(RowPart)
    }
}

fn bad(what: String, message: impl Into<String>) -> BundleError {
    BundleError::Shard {
        what,
        message: message.into(),
    }
}

fn json<'a, T: Deserialize<'a>>(what: &str, bytes: &'a [u8]) -> Result<T, BundleError> {
    serde_json::from_slice(bytes).map_err(|e| BundleError::Json {
        what: what.into(),
        message: e.to_string(),
    })
}

/// The rows loaded so far.
#[derive(Debug, Clone)]
pub struct Rows {
    info: RowsInfo,
    shards: Vec<Option<Vec<DocMeta>>>,
}

impl Rows {
    /// No rows loaded yet.
    pub fn new(info: &RowsInfo) -> Rows {
        Rows {
            info: info.clone(),
            shards: vec![None; info.row_shards() as usize],
        }
    }

    /// A store that holds every row already, as one shard (jobs run natively, tests).
    pub fn preloaded(docs: Vec<DocMeta>) -> Rows {
        let n = docs.len() as u32;
        Rows {
            info: RowsInfo {
                docs: n,
                per_shard: n.max(1),
                ..Default::default()
            },
            shards: vec![Some(docs)],
        }
    }

    fn shard_of(&self, doc: u32) -> Option<u32> {
        (doc < self.info.docs).then(|| doc / self.info.per_shard.max(1))
    }

    /// The shards that `docs` need and that are not loaded, ascending, each once.
    /// Numbers past the corpus need none ([`Rows::get`] answers `None` for them).
    pub fn missing(&self, docs: &[u32]) -> Vec<RowPart> {
        let wanted = docs.iter().filter_map(|&d| self.shard_of(d));
        unloaded(self.shards.len(), wanted, |s| self.shards[s].is_some())
            .map(RowPart)
            .collect()
    }

    /// Adds a shard's bytes, checked: its JSON, its first document and its row count.
    pub fn add(&mut self, part: RowPart, bytes: &[u8]) -> Result<(), BundleError> {
        let what = self.info.row_path(part);
        let slot = self
            .shards
            .get(part.0 as usize)
            .ok_or_else(|| bad(what.clone(), "the bundle has no such row shard"))?;
        if slot.is_some() {
            return Ok(());
        }
        let shard: RowShard = json(&what, bytes)?;
        let per = self.info.per_shard.max(1);
        let first = part.0 * per;
        let want = (self.info.docs - first).min(per) as usize;
        if shard.first != first || shard.docs.len() != want {
            return Err(bad(
                what,
                format!(
                    "it holds {} rows from document {}, not {want} from {first}; it belongs to another bundle: reload the page or rebuild the bundle",
                    shard.docs.len(),
                    shard.first
                ),
            ));
        }
        self.shards[part.0 as usize] = Some(shard.docs);
        Ok(())
    }

    /// The row of document `doc`, once its shard is added.
    pub fn get(&self, doc: u32) -> Option<&DocMeta> {
        let s = self.shard_of(doc)?;
        let per = self.info.per_shard.max(1);
        self.shards[s as usize].as_ref()?.get((doc % per) as usize)
    }
}

/// The id → document number lookup, loaded shard by shard.
#[derive(Debug, Clone)]
pub struct IdIndex {
    info: RowsInfo,
    shards: Vec<Option<rustc_hash::FxHashMap<String, u32>>>,
}

impl IdIndex {
    /// No shard loaded yet.
    pub fn new(info: &RowsInfo) -> IdIndex {
        IdIndex {
            info: info.clone(),
            shards: vec![None; info.ids.first.len()],
        }
    }

    /// The shard whose key range holds `id` (the first one for an id below every key).
    fn shard_of(&self, id: &str) -> Option<u32> {
        if self.shards.is_empty() {
            return None;
        }
        let n = self.info.ids.first.partition_point(|f| f.as_str() <= id);
        Some(n.max(1) as u32 - 1)
    }

    /// The shards that `ids` need and that are not loaded, ascending, each once.
    pub fn missing(&self, ids: &[&str]) -> Vec<IdPart> {
        let wanted = ids.iter().filter_map(|id| self.shard_of(id));
        unloaded(self.shards.len(), wanted, |s| self.shards[s].is_some())
            .map(IdPart)
            .collect()
    }

    /// Adds a shard's bytes, checked: its JSON, ids ascending within the shard's key
    /// range (from its first key to the next shard's), document numbers in the corpus.
    pub fn add(&mut self, part: IdPart, bytes: &[u8]) -> Result<(), BundleError> {
        let what = self.info.id_path(part);
        let i = part.0 as usize;
        if i >= self.shards.len() {
            return Err(bad(what, "the bundle has no such id shard"));
        }
        if self.shards[i].is_some() {
            return Ok(());
        }
        let shard: IdShard = json(&what, bytes)?;
        let first = &self.info.ids.first[i];
        let next = self.info.ids.first.get(i + 1);
        let foreign = |m: String| {
            bad(
                what.clone(),
                format!("{m}; it belongs to another bundle: reload the page or rebuild the bundle"),
            )
        };
        if shard.ids.len() != shard.docs.len() || shard.ids.is_empty() {
            return Err(foreign(format!(
                "it has {} ids and {} document numbers",
                shard.ids.len(),
                shard.docs.len()
            )));
        }
        if shard.ids[0] != *first
            || shard.ids.windows(2).any(|w| w[0] >= w[1])
            || next.is_some_and(|n| shard.ids.last().is_some_and(|l| l >= n))
        {
            return Err(foreign(format!(
                "its ids are not the sorted range starting at {first:?}"
            )));
        }
        if let Some(d) = shard.docs.iter().find(|&&d| d >= self.info.docs) {
            return Err(foreign(format!(
                "it names document {d}, past the {} documents",
                self.info.docs
            )));
        }
        self.shards[i] = Some(shard.ids.into_iter().zip(shard.docs).collect());
        Ok(())
    }

    /// The document number of `id`: `None` when no document has it, or when its shard
    /// ([`IdIndex::missing`]) is not added yet.
    pub fn get(&self, id: &str) -> Option<u32> {
        let s = self.shard_of(id)?;
        self.shards[s as usize].as_ref()?.get(id).copied()
    }
}

/// The shards among `wanted` (numbers below `n`) not `loaded`, ascending, each once:
/// marked in a table rather than sorted and deduplicated, which costs the search worker
/// no sort code (see `search::heapsort`).
fn unloaded(
    n: usize,
    wanted: impl Iterator<Item = u32>,
    loaded: impl Fn(usize) -> bool,
) -> impl Iterator<Item = u32> {
    let mut want = vec![false; n];
    for s in wanted {
        if let Some(w) = want.get_mut(s as usize) {
            *w = true;
        }
    }
    want.into_iter()
        .enumerate()
        .filter(move |&(s, w)| w && !loaded(s))
        .map(|(s, _)| s as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Transcript;

    fn info(docs: u32, per: u32, first: &[&str]) -> RowsInfo {
        RowsInfo {
            docs,
            per_shard: per,
            dir: "rows/x".into(),
            ids: IdsInfo {
                dir: "ids/y".into(),
                first: first.iter().map(|s| s.to_string()).collect(),
            },
            ..Default::default()
        }
    }

    fn row_shard(first: u32, n: u32) -> Vec<u8> {
        let docs = (first..first + n)
            .map(|d| DocMeta::of(&Transcript::new(format!("d{d}"), "T")))
            .collect();
        serde_json::to_vec(&RowShard { first, docs }).unwrap()
    }

    #[test]
    fn rows_are_named_added_and_read() {
        let mut rows = Rows::new(&info(5, 2, &[]));
        assert_eq!(rows.missing(&[4, 0, 1, 9]), vec![RowPart(0), RowPart(2)]);
        assert_eq!(rows.get(0), None);
        rows.add(RowPart(0), &row_shard(0, 2)).unwrap();
        rows.add(RowPart(2), &row_shard(4, 1)).unwrap();
        assert_eq!(rows.missing(&[4, 0, 1, 9]), vec![]);
        assert_eq!(rows.get(1).unwrap().id, "d1");
        assert_eq!(rows.get(4).unwrap().id, "d4");
        assert_eq!(rows.get(2), None);
        assert_eq!(rows.get(5), None);
        assert_eq!(rows.missing(&[2, 3]), vec![RowPart(1)]);
    }

    #[test]
    fn hostile_row_shards_are_errors() {
        let mut rows = Rows::new(&info(5, 2, &[]));
        // Another shard's bytes, a short last shard, truncation, garbage, no such shard.
        assert!(rows.add(RowPart(1), &row_shard(0, 2)).is_err());
        assert!(rows.add(RowPart(1), &row_shard(2, 1)).is_err());
        assert!(rows.add(RowPart(2), &row_shard(4, 2)).is_err());
        let good = row_shard(2, 2);
        let err = rows.add(RowPart(1), &good[..good.len() - 5]).unwrap_err();
        assert!(matches!(err, BundleError::Json { .. }), "{err}");
        assert!(err.to_string().contains("rows/x/00001.json"), "{err}");
        assert!(rows.add(RowPart(1), b"\xff\x00").is_err());
        assert!(rows.add(RowPart(3), &row_shard(6, 1)).is_err());
        assert_eq!(rows.get(2), None);
        rows.add(RowPart(1), &good).unwrap();
        assert_eq!(rows.get(3).unwrap().id, "d3");
    }

    fn id_shard(pairs: &[(&str, u32)]) -> Vec<u8> {
        serde_json::to_vec(&IdShard {
            ids: pairs.iter().map(|p| p.0.to_string()).collect(),
            docs: pairs.iter().map(|p| p.1).collect(),
        })
        .unwrap()
    }

    #[test]
    fn ids_are_found_by_key_range() {
        let mut ids = IdIndex::new(&info(4, 2, &["a", "m"]));
        assert_eq!(ids.missing(&["zz", "b", "0"]), vec![IdPart(0), IdPart(1)]);
        ids.add(IdPart(1), &id_shard(&[("m", 3), ("q", 0)]))
            .unwrap();
        assert_eq!(ids.get("q"), Some(0));
        assert_eq!(ids.get("b"), None);
        assert_eq!(ids.get("zz"), None);
        ids.add(IdPart(0), &id_shard(&[("a", 2), ("b", 1)]))
            .unwrap();
        assert_eq!(ids.get("b"), Some(1));
        assert_eq!(ids.get("0"), None);
        assert_eq!(ids.missing(&["x"]), vec![]);
        assert_eq!(IdIndex::new(&info(0, 2, &[])).missing(&["a"]), vec![]);
    }

    #[test]
    fn hostile_id_shards_are_errors() {
        let mut ids = IdIndex::new(&info(4, 2, &["a", "m"]));
        // Wrong shard, out of range, unsorted, past the corpus, mismatched, truncated.
        assert!(ids.add(IdPart(0), &id_shard(&[("m", 3)])).is_err());
        assert!(ids
            .add(IdPart(0), &id_shard(&[("a", 3), ("n", 1)]))
            .is_err());
        assert!(ids
            .add(IdPart(0), &id_shard(&[("a", 3), ("a", 1)]))
            .is_err());
        let err = ids.add(IdPart(0), &id_shard(&[("a", 4)])).unwrap_err();
        assert!(err.to_string().contains("past the 4 documents"), "{err}");
        assert!(ids
            .add(IdPart(0), br#"{"ids":["a","b"],"docs":[1]}"#)
            .is_err());
        assert!(ids.add(IdPart(0), br#"{"ids":[],"docs":[]}"#).is_err());
        assert!(ids.add(IdPart(0), br#"{"ids":["a"],"do"#).is_err());
        assert!(ids.add(IdPart(2), &id_shard(&[("z", 1)])).is_err());
        assert_eq!(ids.get("a"), None);
    }
}
