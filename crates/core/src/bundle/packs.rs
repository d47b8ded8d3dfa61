//! Where each transcript is stored: its pack and its slot, found from its document
//! number alone.
//!
//! Packs are numbered files in a folder named by the hash of all of them
//! (`docs/<hash>/NNNNN.json`, as the row shards), holding consecutive documents. With one
//! transcript a pack (the default), document `d` is pack `d`, slot 0: reading a
//! transcript needs nothing but its number, so a concordance page or a snippet fetches
//! its packs at once, with no row shard first (they were a round of requests before the
//! packs could even be named). Packs of several transcripts (`--pack-bytes`) add a
//! small table, `docs/<hash>/packs.json` (each pack's first document), fetched once:
//! [`PackIndex`] is the reader, with the rows' pattern (name what is missing, add
//! checked bytes, answer).

use serde::{Deserialize, Serialize};

use super::rows::shard_path;
use super::{BundleError, RowsInfo};

/// The pack table's file name in the packs' folder.
pub const PACK_TABLE: &str = "packs.json";

/// Where the packs are (part of the manifest's rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PacksInfo {
    /// The folder of the packs (`docs/<hash>`), under the bundle root: pack `n` is
    /// `NNNNN.json` in it.
    pub dir: String,
    /// Number of packs.
    pub count: u32,
    /// The pack table's path, when a pack holds more than one transcript; `None`:
    /// pack `d` holds document `d` alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

/// The pack table as stored: each pack's first document, ascending, the first 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PackTable {
    pub first: Vec<u32>,
}

impl PacksInfo {
    /// The path (under the bundle root) of pack `n`.
    pub fn pack_path(&self, n: u32) -> String {
        shard_path(&self.dir, n)
    }
}

/// Finds a document's pack and slot; with packs of several transcripts, once its
/// table is added.
#[derive(Debug, Clone)]
pub struct PackIndex {
    info: PacksInfo,
    docs: u32,
    /// Each pack's first document, once the table is added.
    first: Option<Vec<u32>>,
}

impl PackIndex {
    /// Nothing added yet.
    pub fn new(rows: &RowsInfo) -> PackIndex {
        PackIndex {
            info: rows.packs.clone(),
            docs: rows.docs,
            first: None,
        }
    }

    /// A locator whose table is at hand (tests, natively run jobs).
    pub fn with_table(rows: &RowsInfo, first: Vec<u32>) -> PackIndex {
        PackIndex {
            info: rows.packs.clone(),
            docs: rows.docs,
            first: Some(first),
        }
    }

    /// The table's path, when locating needs it and it is not added yet.
    pub fn missing(&self) -> Option<&str> {
        self.info.table.as_deref().filter(|_| self.first.is_none())
    }

    /// Adds the table's bytes, checked: its JSON, one first document per pack, the first
    /// 0, strictly ascending, within the corpus.
    pub fn add(&mut self, bytes: &[u8]) -> Result<(), BundleError> {
        let what = self.info.table.clone().unwrap_or_else(|| PACK_TABLE.into());
        let t: PackTable = serde_json::from_slice(bytes).map_err(|e| BundleError::Json {
            what: what.clone(),
            message: e.to_string(),
        })?;
        let fits = t.first.len() == self.info.count as usize
            && t.first.first().is_none_or(|&f| f == 0)
            && t.first.windows(2).all(|w| w[0] < w[1])
            && t.first.last().is_none_or(|&l| l < self.docs);
        if !fits {
            return Err(BundleError::Shard {
                what,
                message: format!(
                    "it does not list the first documents of {} packs over {} documents; it belongs to another bundle: reload the page or rebuild the bundle",
                    self.info.count, self.docs
                ),
            });
        }
        self.first = Some(t.first);
        Ok(())
    }

    /// The pack path and slot of document `doc`: `None` past the corpus, or while the
    /// table ([`PackIndex::missing`]) is not added.
    pub fn locate(&self, doc: u32) -> Option<(String, u32)> {
        if doc >= self.docs {
            return None;
        }
        let (pack, slot) = match (&self.info.table, &self.first) {
            (None, _) => (doc, 0),
            (Some(_), None) => return None,
            (Some(_), Some(first)) => {
                let p = first.partition_point(|&f| f <= doc).checked_sub(1)?;
                (p as u32, doc - first[p])
            }
        };
        (pack < self.info.count).then(|| (self.info.pack_path(pack), slot))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(docs: u32, count: u32, table: bool) -> RowsInfo {
        RowsInfo {
            docs,
            packs: PacksInfo {
                dir: "docs/h".into(),
                count,
                table: table.then(|| format!("docs/h/{PACK_TABLE}")),
            },
            ..Default::default()
        }
    }

    #[test]
    fn one_transcript_a_pack_needs_no_table() {
        let ix = PackIndex::new(&rows(3, 3, false));
        assert_eq!(ix.missing(), None);
        assert_eq!(ix.locate(2), Some(("docs/h/00002.json".into(), 0)));
        assert_eq!(ix.locate(3), None);
    }

    #[test]
    fn packs_of_several_transcripts_use_the_table() {
        let mut ix = PackIndex::new(&rows(5, 2, true));
        assert_eq!(ix.missing(), Some("docs/h/packs.json"));
        assert_eq!(ix.locate(0), None);
        ix.add(br#"{"first":[0,3]}"#).unwrap();
        assert_eq!(ix.missing(), None);
        assert_eq!(ix.locate(0), Some(("docs/h/00000.json".into(), 0)));
        assert_eq!(ix.locate(2), Some(("docs/h/00000.json".into(), 2)));
        assert_eq!(ix.locate(3), Some(("docs/h/00001.json".into(), 0)));
        assert_eq!(ix.locate(4), Some(("docs/h/00001.json".into(), 1)));
        assert_eq!(ix.locate(5), None);
    }

    #[test]
    fn hostile_tables_are_errors() {
        let mut ix = PackIndex::new(&rows(5, 2, true));
        for bad in [
            &br#"{"first":[0]}"#[..],
            br#"{"first":[1,3]}"#,
            br#"{"first":[0,0]}"#,
            br#"{"first":[0,5]}"#,
            br#"{"first":[0,"#,
            b"\xff",
        ] {
            assert!(ix.add(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(ix.missing(), Some("docs/h/packs.json"));
    }
}
