//! The static bundle that `stenogram build` writes and the app loads.
//!
//! Layout, relative to the bundle root (documented in `docs/bundle-format.md`):
//!
//! - `manifest.json`: [`Manifest`]: format and schema versions, corpus credits, the
//!   corpus [`Summary`] home shows (counts, dates, the newest page of rows, the browse
//!   facets), where the rows and ids are ([`RowsInfo`]) and the index's files
//!   ([`IndexInfo`]). Its size does not grow with the corpus;
//! - `rows/<hash>/NNNNN.json`: every transcript's [`DocMeta`], [`ROWS_PER_SHARD`] documents
//!   a shard, read through [`Rows`]; `ids/<hash>/NNNNN.json`: ids sorted with their
//!   document numbers, by key range, read through [`IdIndex`];
//! - `docs/<hash>/NNNNN.json`: transcript packs, a JSON array with one schema-1
//!   transcript per line, consecutive documents each; [`PackIndex`] finds a document's
//!   pack and slot from its number (one transcript a pack: no lookup at all), and
//!   [`transcript_from_pack`] extracts it;
//! - `index/...`: the search index ([`IndexInfo`] lists its files).
//!
//! [`write_bundle`] writes all of it, named and hashed; the rest of this module reads it.
//!
//! Every file but `manifest.json` has a content hash in its name (or in its folder's), so
//! it never changes once published: hosts and service workers may cache it forever.
//!
//! The app refuses a manifest or transcript whose versions differ from this crate's,
//! with [`BundleError::Version`], rather than rendering something half-understood.

use serde::{Deserialize, Serialize};

mod packs;
mod rows;
mod write;
pub use packs::{PackIndex, PacksInfo, PACK_TABLE};
pub use rows::{IdIndex, IdPart, IdsInfo, RowPart, Rows, RowsInfo, IDS_PER_SHARD, ROWS_PER_SHARD};
pub use write::{
    duplicate_id, hashed_name, pack_json, pack_ranges, pack_to_json, write_bundle, Bundle,
    BundleFile, InOrder, Step, Workers, WriteError, WriteOptions,
};

use crate::model::{Transcript, SCHEMA_VERSION};
use crate::search::{
    Facet, FacetList, Facets, Hit, Index, IndexError, LoadError, PartId, SearchOptions,
    SearchResults, Sort,
};

/// Version of the bundle layout; bump on any incompatible change to files under the root.
/// 4: the manifest's rows moved to row and id shards; it has a summary instead.
/// 5: the index's `docs` and `ids` parts, and the speaker facet's part among `facets`.
/// 6: packs numbered in a hashed folder (`rows.packs`), found from a document's number;
/// the rows no longer name them.
/// 7: the index's `words` is a folder of key-range shards (`PartId::Words(n)`), and the
/// binary index files may come deflated (`search::squeeze`).
pub const BUNDLE_FORMAT: u32 = 7;
/// The manifest's file name under the bundle root.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Rows in [`Summary::newest`]: the first page of home's browse list.
pub const SUMMARY_ROWS: usize = 20;
/// Values per facet in [`Summary::facets`] (the year's are all listed): the app's
/// facet lists ask the engine for this many (`facet_limit`).
pub const SUMMARY_FACET_LIMIT: usize = 50;

/// What the app reads first: small, whatever the corpus size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`BUNDLE_FORMAT`] of the writer.
    pub format: u32,
    /// [`SCHEMA_VERSION`] of the transcripts in this bundle.
    pub schema: u32,
    pub corpus: CorpusInfo,
    /// What home shows before any query.
    pub summary: Summary,
    /// Where every document's row and the id lookup are.
    pub rows: RowsInfo,
    /// The search index's files, when the bundle has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<IndexInfo>,
}

/// The corpus at a glance: what home shows with no query, computed at build time by
/// the engine itself, so its numbers are exactly what a browse returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Summary {
    /// Number of documents.
    pub docs: u32,
    /// The oldest and the newest date (`YYYY-MM-DD`, or `YYYY`), when any is dated.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The [`SUMMARY_ROWS`] first documents of a browse (the empty query with no
    /// filters: newest first, as [`crate::search::Sort`] says), with their numbers.
    pub newest: Vec<NumberedRow>,
    /// The browse's facet counts, [`SUMMARY_FACET_LIMIT`] values per facet.
    pub facets: Facets,
}

impl Summary {
    /// The stored browse's answer to `opts`, when `opts` asks no more than it holds: the
    /// empty query (the caller's to check), no filter, relevance order (newest first for
    /// a browse), from the first hit, at most [`SUMMARY_ROWS`] hits and at most
    /// [`SUMMARY_FACET_LIMIT`] values per facet. `None`: ask the index. So home needs no
    /// index part at all (issue 13: a start that does not grow with the corpus).
    ///
    /// The hits carry their rows' id, date and speakers, and a score of 0 (a browse ranks
    /// by date, not by score); with the rows, in the hits' order.
    pub fn browse(&self, opts: &SearchOptions) -> Option<(SearchResults, Vec<DocMeta>)> {
        let plain = opts.sort == Sort::Relevance
            && opts.offset == 0
            && opts.filters.date.is_none()
            && opts.filters.values.iter().all(|(_, v)| v.is_empty());
        let limit = opts.facet_limit?;
        let shown = opts.limit.min(self.docs as usize);
        if !plain || shown > self.newest.len() || limit > SUMMARY_FACET_LIMIT {
            return None;
        }
        let rows: Vec<DocMeta> = self.newest[..shown].iter().map(|r| r.row.clone()).collect();
        let hits = self.newest[..shown]
            .iter()
            .map(|r| Hit {
                doc: r.doc,
                id: r.row.id.clone(),
                date: r.row.date.clone(),
                speakers: r.row.speakers.clone(),
                score: 0.0,
            })
            .collect();
        let facets = if opts.facets {
            self.facets
                .map(|f, list| match opts.skip_facets.contains(&f) {
                    // Not counted, as the engine answers.
                    true => FacetList::default(),
                    false => FacetList {
                        // The year is always complete, as the engine lists it.
                        values: if f == Facet::Year {
                            list.values.clone()
                        } else {
                            list.values.iter().take(limit).cloned().collect()
                        },
                        distinct: list.distinct,
                    },
                })
        } else {
            Facets::default()
        };
        let results = SearchResults {
            total: self.docs as usize,
            hits,
            facets,
        };
        Some((results, rows))
    }
}

/// A row with its document number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedRow {
    pub doc: u32,
    #[serde(flatten)]
    pub row: DocMeta,
}

/// Where the search index lives in the bundle, and which format it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// [`crate::search::INDEX_FORMAT`] of the writer; checked on load.
    pub format: u32,
    /// Number of distinct index terms (stems).
    pub terms: u32,
    /// `index/meta.bin`: counts and shard boundaries, what opening the index reads.
    pub meta: String,
    /// `index/dict.fst`: stem → term id.
    pub dict: String,
    /// The word dictionary (folded word → term id: prefixes, typos) by key range:
    /// shard `n` is `PartId::Words(n)`.
    pub words: ShardDir,
    /// Postings shards, in term order: shard `n` is `PartId::Post(n)`.
    pub post: ShardDir,
    /// Positions shards, in term order: shard `n` is `PartId::Pos(n)`.
    pub pos: ShardDir,
    /// Per facet but the year, in `Facet::ALL` order (speaker, place, topic, kind,
    /// mentions, country): the path of its `PartId::Facet`.
    pub facets: Vec<String>,
    /// The speaker turns: `PartId::Turns`.
    pub turns: String,
    /// Every document's date and length: `PartId::Docs`.
    pub docs: String,
    /// Every document's id: `PartId::Ids`.
    pub ids: String,
    /// The stem dictionary by key range: shard `n` is `PartId::Dict(n)`, for an index
    /// opened without `dict` (the app's).
    pub dict_shards: ShardDir,
    /// Total bytes of all index files.
    pub bytes: u64,
}

/// Numbered shards in a folder named by the hash of all of them
/// (`index/post/<hash>/NNNN.bin`): each may be cached forever, and the manifest names
/// one folder, not a list of files that grows with the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ShardDir {
    pub dir: String,
    /// Number of shards.
    pub count: u32,
    /// The files' extension (`bin`, `fst`).
    pub ext: String,
}

impl ShardDir {
    /// The path of shard `n`, if there is one.
    pub fn path(&self, n: u32) -> Option<String> {
        (n < self.count).then(|| format!("{}/{n:04}.{}", self.dir, self.ext))
    }
}

impl IndexInfo {
    /// The path (under the bundle root) of an index part, as [`crate::search::Index::plan`]
    /// names it; `None` for a part this index does not have.
    pub fn part_path(&self, p: PartId) -> Option<String> {
        match p {
            PartId::Words(n) => self.words.path(n),
            PartId::Post(n) => self.post.path(n),
            PartId::Pos(n) => self.pos.path(n),
            PartId::Facet(f) => crate::search::meta::listed()
                .position(|g| g == f)
                .and_then(|i| self.facets.get(i).cloned()),
            PartId::Turns => Some(self.turns.clone()),
            PartId::Docs => Some(self.docs.clone()),
            PartId::Ids => Some(self.ids.clone()),
            PartId::Dict(n) => self.dict_shards.path(n),
        }
    }

    /// Opens the index (with the whole stem dictionary) and adds every part, fetching
    /// files by their path under the bundle root: for the CLI and for small corpora.
    pub fn load_all<E>(
        &self,
        mut fetch: impl FnMut(&str) -> Result<Vec<u8>, E>,
    ) -> Result<Index, LoadError<E>> {
        let meta = fetch(&self.meta).map_err(LoadError::Fetch)?;
        let dict = fetch(&self.dict).map_err(LoadError::Fetch)?;
        let mut ix = Index::open(&meta, dict).map_err(LoadError::Index)?;
        for p in ix.parts() {
            let path = self
                .part_path(p)
                .ok_or(LoadError::Index(IndexError::UnknownPart(p)))?;
            let b = fetch(&path).map_err(LoadError::Fetch)?;
            ix.add_part(p, b).map_err(LoadError::Index)?;
        }
        Ok(ix)
    }
}

/// Credits and a name for the corpus as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CorpusInfo {
    pub name: String,
    /// Distinct attributions of the transcripts (e.g. "President of Russia website (en.kremlin.ru), CC BY 4.0").
    #[serde(default)]
    pub attributions: Vec<String>,
}

/// A transcript's metadata: all that a list, a facet or a citation needs without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    pub id: String,
    pub title: String,
    /// `YYYY-MM-DD`, or `YYYY` when only the year is known.
    pub date: Option<String>,
    pub place: Option<String>,
    pub kind: Option<String>,
    /// Distinct speakers in order of first appearance.
    #[serde(default)]
    pub speakers: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    /// Canonical names of mentioned countries and organisations. `stenogram build` leaves
    /// it empty (the manifest would double them): mention facets come from the index, a
    /// document's mentions from its transcript. Always written, even empty: rows cross to
    /// the page in postcard, which has no field names and so cannot skip one.
    #[serde(default)]
    pub mentions: Vec<String>,
    /// Paragraphs in reading order (summary included).
    pub paragraphs: u32,
}

/// Why a bundle file could not be used. Serialisable: the search worker reads the row
/// and id shards and sends its errors to the page.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone, Serialize, Deserialize)]
pub enum BundleError {
    #[error("{what} is not valid JSON: {message}")]
    Json { what: String, message: String },
    /// A shard that does not fit where it was asked for (another bundle's, damaged).
    #[error("{what} is not the expected shard: {message}")]
    Shard { what: String, message: String },
    #[error("{what} has {field} {found}, but this version of Stenogram reads {expected}; rebuild the bundle with the matching `stenogram build`")]
    Version {
        what: String,
        /// `format`, `schema` or `index.format`.
        field: String,
        found: u32,
        expected: u32,
    },
}

/// A row shard's documents, stored as one array per field.
///
/// A row per document repeats every field name: at 18k documents the columns were
/// 0.44 MB gzip against 0.61 MB for rows. In memory the documents are plain [`DocMeta`]
/// rows.
pub mod doc_columns {
    use super::DocMeta;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Columns {
        id: Vec<String>,
        title: Vec<String>,
        date: Vec<Option<String>>,
        place: Vec<Option<String>>,
        kind: Vec<Option<String>>,
        speakers: Vec<Vec<String>>,
        topics: Vec<Vec<String>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mentions: Vec<Vec<String>>,
        paragraphs: Vec<u32>,
    }

    /// Writes `docs` as columns.
    pub fn serialize<S: Serializer>(docs: &[DocMeta], s: S) -> Result<S::Ok, S::Error> {
        fn col<T>(docs: &[DocMeta], f: impl Fn(&DocMeta) -> T) -> Vec<T> {
            docs.iter().map(f).collect()
        }
        let mentions: Vec<Vec<String>> = if docs.iter().all(|d| d.mentions.is_empty()) {
            Vec::new()
        } else {
            col(docs, |d| d.mentions.clone())
        };
        Columns {
            id: col(docs, |d| d.id.clone()),
            title: col(docs, |d| d.title.clone()),
            date: col(docs, |d| d.date.clone()),
            place: col(docs, |d| d.place.clone()),
            kind: col(docs, |d| d.kind.clone()),
            speakers: col(docs, |d| d.speakers.clone()),
            topics: col(docs, |d| d.topics.clone()),
            mentions,
            paragraphs: col(docs, |d| d.paragraphs),
        }
        .serialize(s)
    }

    /// Reads columns back into rows; columns of different lengths are an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DocMeta>, D::Error> {
        use serde::de::Error;
        let c = Columns::deserialize(d)?;
        let n = c.id.len();
        let lens = [
            c.title.len(),
            c.date.len(),
            c.place.len(),
            c.kind.len(),
            c.speakers.len(),
            c.topics.len(),
            c.paragraphs.len(),
        ];
        if lens.iter().any(|&l| l != n) || !(c.mentions.is_empty() || c.mentions.len() == n) {
            return Err(D::Error::custom(format!(
                "docs columns of different lengths ({n} ids; others {lens:?})"
            )));
        }
        let mut mentions = c.mentions.into_iter();
        let mut out = Vec::with_capacity(n);
        let rows =
            c.id.into_iter()
                .zip(c.title)
                .zip(c.date)
                .zip(c.place)
                .zip(c.kind)
                .zip(c.speakers)
                .zip(c.topics)
                .zip(c.paragraphs);
        for (((((((id, title), date), place), kind), speakers), topics), paragraphs) in rows {
            out.push(DocMeta {
                id,
                title,
                date,
                place,
                kind,
                speakers,
                topics,
                mentions: mentions.next().unwrap_or_default(),
                paragraphs,
            });
        }
        Ok(out)
    }
}

impl Manifest {
    /// Parses `manifest.json` and checks its versions.
    pub fn from_json(json: &str) -> Result<Manifest, BundleError> {
        #[derive(Deserialize)]
        struct Versions {
            format: u32,
            schema: u32,
        }
        let what = MANIFEST_FILE.to_string();
        // Versions first: a future layout may not deserialise as this one at all, and
        // "wrong version" is a far better message than "missing field".
        let v: Versions = serde_json::from_str(json).map_err(|e| BundleError::Json {
            what: what.clone(),
            message: e.to_string(),
        })?;
        check_version(&what, "format", v.format, BUNDLE_FORMAT)?;
        check_version(&what, "schema", v.schema, SCHEMA_VERSION)?;
        let m: Manifest = serde_json::from_str(json).map_err(|e| BundleError::Json {
            what: what.clone(),
            message: e.to_string(),
        })?;
        if let Some(ix) = &m.index {
            check_version(
                &what,
                "index.format",
                ix.format,
                crate::search::INDEX_FORMAT,
            )?;
        }
        Ok(m)
    }
}

/// Parses one transcript's JSON and checks its schema version.
pub fn transcript_from_json(what: &str, json: &str) -> Result<Transcript, BundleError> {
    #[derive(Deserialize)]
    struct Versions {
        schema: u32,
    }
    let json_error = |e: serde_json::Error| BundleError::Json {
        what: what.into(),
        message: e.to_string(),
    };
    // One parse when it reads (a concordance page parses dozens of transcripts); the
    // version alone only to explain a failure: a future schema may not read as this one,
    // and "wrong version" is a far better message than "missing field".
    match serde_json::from_str::<Transcript>(json) {
        Ok(t) => {
            check_version(what, "schema", t.schema, SCHEMA_VERSION)?;
            Ok(t)
        }
        Err(e) => {
            let v: Versions = serde_json::from_str(json).map_err(json_error)?;
            check_version(what, "schema", v.schema, SCHEMA_VERSION)?;
            Err(json_error(e))
        }
    }
}

/// Extracts the transcript at `slot` from a pack (`what` names the pack in errors).
///
/// A pack is a JSON array written one element per line (`[`, then one transcript per
/// line, each but the last followed by `,`, then `]`), so a slot is found by counting
/// lines, and only that transcript is parsed.
pub fn transcript_from_pack(what: &str, pack: &str, slot: u32) -> Result<Transcript, BundleError> {
    let line = pack_entry(what, pack, slot)?;
    transcript_from_json(&format!("{what} (slot {slot})"), line)
}

/// The JSON text of the transcript at `slot` of a pack, unparsed (the search worker hands
/// it to the page, which parses it with [`transcript_from_json`]).
pub fn pack_entry<'a>(what: &str, pack: &'a str, slot: u32) -> Result<&'a str, BundleError> {
    pack.split('\n')
        .nth(slot as usize + 1)
        .map(|l| l.trim_end().trim_end_matches(','))
        .filter(|l| l.starts_with('{'))
        .ok_or_else(|| BundleError::Json {
            what: what.into(),
            message: format!("the pack has no transcript at slot {slot}"),
        })
}

fn check_version(
    what: &str,
    field: &'static str,
    found: u32,
    expected: u32,
) -> Result<(), BundleError> {
    if found == expected {
        Ok(())
    } else {
        Err(BundleError::Version {
            what: what.into(),
            field: field.into(),
            found,
            expected,
        })
    }
}

impl DocMeta {
    /// The metadata of `t`.
    pub fn of(t: &Transcript) -> DocMeta {
        DocMeta {
            id: t.id.clone(),
            title: t.title.clone(),
            // A year alone (UN records) stands as `YYYY`: partial, but it sorts and shows.
            date: t.date.clone().or_else(|| t.year.map(|y| format!("{y:04}"))),
            place: t.place.clone(),
            kind: t.kind.clone(),
            speakers: t.speakers().into_iter().map(str::to_owned).collect(),
            topics: t.tags.topics.clone(),
            mentions: t
                .mentions
                .countries
                .iter()
                .chain(&t.mentions.organisations)
                .map(|m| m.name.clone())
                .collect(),
            paragraphs: t.paragraph_count() as u32,
        }
    }
}

/// A file name for a transcript id that is safe on every file system and in a URL:
/// ASCII letters, digits, `-`, `_` and `.` stay; anything else becomes `~XX` hex bytes.
pub fn file_stem_for_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => out.push(b as char),
            // A leading dot would make a hidden file; elsewhere it is fine.
            b'.' if !out.is_empty() => out.push('.'),
            _ => out.push_str(&format!("~{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests;
