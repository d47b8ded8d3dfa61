//! The static bundle that `stenogram build` writes and the app loads.
//!
//! Layout, relative to the bundle root (documented in the README):
//!
//! - `manifest.json`: [`Manifest`]: format and schema versions, corpus credits and one
//!   [`DocMeta`] per transcript: enough to show home and to browse without any text;
//! - `docs/<file>.json`: each transcript as schema-1 JSON, fetched one by one;
//! - `index/...`: the search index ([`IndexInfo`] lists its files; the byte layout is in
//!   `docs/bundle-format.md`).
//!
//! The app refuses a manifest or transcript whose versions differ from this crate's,
//! with [`BundleError::Version`], rather than rendering something half-understood.

use serde::{Deserialize, Serialize};

use crate::model::{Transcript, SCHEMA_VERSION};

/// Version of the bundle layout; bump on any incompatible change to files under the root.
pub const BUNDLE_FORMAT: u32 = 1;
/// The manifest's file name under the bundle root.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What the app reads first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`BUNDLE_FORMAT`] of the writer.
    pub format: u32,
    /// [`SCHEMA_VERSION`] of the transcripts in this bundle.
    pub schema: u32,
    pub corpus: CorpusInfo,
    /// One entry per transcript; a document's number is its position here.
    pub docs: Vec<DocMeta>,
    /// The search index's files, when the bundle has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<IndexInfo>,
}

/// Where the search index lives in the bundle, and which format it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// [`crate::search::INDEX_FORMAT`] of the writer; checked on load.
    pub format: u32,
    /// Number of distinct index terms (stems).
    pub terms: u32,
    /// `index/meta.bin`: per-document columns, facet values, shard boundaries.
    pub meta: String,
    /// `index/dict.fst`: stem → term id.
    pub dict: String,
    /// `index/words.fst`: folded word → term id (prefixes, typos).
    pub words: String,
    /// Postings shards, in term order.
    pub post: Vec<String>,
    /// Positions shards, in term order.
    pub pos: Vec<String>,
    /// Total bytes of all index files.
    pub bytes: u64,
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
    pub date: Option<String>,
    pub place: Option<String>,
    pub kind: Option<String>,
    /// Distinct speakers in order of first appearance.
    #[serde(default)]
    pub speakers: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    /// Canonical names of mentioned countries and organisations.
    #[serde(default)]
    pub mentions: Vec<String>,
    /// Paragraphs in reading order (summary included).
    pub paragraphs: u32,
    /// Path of the transcript's JSON, relative to the bundle root.
    pub file: String,
}

/// Why a bundle file could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum BundleError {
    #[error("{what} is not valid JSON: {message}")]
    Json { what: String, message: String },
    #[error("{what} has {field} {found}, but this version of Stenogram reads {expected}; rebuild the bundle with the matching `stenogram build`")]
    Version {
        what: String,
        field: &'static str,
        found: u32,
        expected: u32,
    },
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
    let v: Versions = serde_json::from_str(json).map_err(|e| BundleError::Json {
        what: what.into(),
        message: e.to_string(),
    })?;
    check_version(what, "schema", v.schema, SCHEMA_VERSION)?;
    serde_json::from_str(json).map_err(|e| BundleError::Json {
        what: what.into(),
        message: e.to_string(),
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
            field,
            found,
            expected,
        })
    }
}

impl DocMeta {
    /// The metadata of `t`, stored at `file`.
    pub fn of(t: &Transcript, file: String) -> DocMeta {
        DocMeta {
            id: t.id.clone(),
            title: t.title.clone(),
            date: t.date.clone(),
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
            file,
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
mod tests {
    use super::*;

    #[test]
    fn ids_become_safe_file_stems() {
        assert_eq!(file_stem_for_id("cstu-council-2015"), "cstu-council-2015");
        assert_eq!(file_stem_for_id("../x y"), "~2E.~2Fx~20y");
        assert_eq!(file_stem_for_id("Путин"), "~D0~9F~D1~83~D1~82~D0~B8~D0~BD");
    }

    #[test]
    fn wrong_versions_are_named() {
        let err = Manifest::from_json(r#"{"format":1,"schema":2,"corpus":{"name":"x"},"docs":[]}"#)
            .unwrap_err();
        assert!(
            matches!(
                err,
                BundleError::Version {
                    field: "schema",
                    found: 2,
                    expected: 1,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("rebuild"));
        let err = Manifest::from_json(
            r#"{"format":1,"schema":1,"corpus":{"name":"x"},"docs":[],"index":{"format":99,
            "terms":0,"meta":"m","dict":"d","words":"w","post":[],"pos":[],"bytes":0}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                BundleError::Version {
                    field: "index.format",
                    found: 99,
                    ..
                }
            ),
            "{err}"
        );
        let err = transcript_from_json("docs/a.json", r#"{"schema":7}"#).unwrap_err();
        assert!(
            err.to_string().contains("docs/a.json has schema 7"),
            "{err}"
        );
    }

    #[test]
    fn garbage_is_a_json_error() {
        assert!(matches!(
            Manifest::from_json("<html>"),
            Err(BundleError::Json { .. })
        ));
    }
}
