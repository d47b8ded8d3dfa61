//! Serialisable forms of the core's search types, for the messages between the page and
//! the worker. The core's types stay as they are (its engine is being reworked); these
//! convert to and from them field by field, with exhaustive patterns, so any change there
//! fails to compile here instead of losing a field on the way.

use serde::{Deserialize, Serialize};

use stenogram_core::search::query::DateRange;
use stenogram_core::search::{
    FacetCount, Facets, Filters, Hit, IndexError, ParseError, PartId, SearchError, SearchOptions,
    SearchResults, Sort,
};

#[derive(Serialize, Deserialize)]
#[serde(remote = "PartId")]
pub enum PartIdDef {
    Post(u32),
    Pos(u32),
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "IndexError")]
pub enum IndexErrorDef {
    NotAnIndex { what: String },
    Version { found: u32, expected: u32 },
    Corrupt { what: String, offset: usize },
    UnknownPart(#[serde(with = "PartIdDef")] PartId),
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "SearchError")]
pub enum SearchErrorDef {
    MissingPart(#[serde(with = "PartIdDef")] PartId),
    TooBroad { word: String, limit: usize },
    Index(#[serde(with = "IndexErrorDef")] IndexError),
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "ParseError")]
pub struct ParseErrorDef {
    pub message: String,
    pub span: (usize, usize),
}

/// [`SearchOptions`] on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// 0 relevance, 1 newest, 2 oldest.
    sort: u8,
    offset: usize,
    limit: usize,
    speaker: Vec<String>,
    year: Vec<i32>,
    date: Option<(u32, u32)>,
    place: Vec<String>,
    topic: Vec<String>,
    kind: Vec<String>,
    mentions: Vec<String>,
    facets: bool,
    paragraphs: usize,
}

impl From<&SearchOptions> for Options {
    fn from(o: &SearchOptions) -> Options {
        let SearchOptions {
            sort,
            offset,
            limit,
            filters,
            facets,
            paragraphs,
        } = o.clone();
        let Filters {
            speaker,
            year,
            date,
            place,
            topic,
            kind,
            mentions,
        } = filters;
        Options {
            sort: match sort {
                Sort::Relevance => 0,
                Sort::Newest => 1,
                Sort::Oldest => 2,
            },
            offset,
            limit,
            speaker,
            year,
            date: date.map(|DateRange { lo, hi }| (lo, hi)),
            place,
            topic,
            kind,
            mentions,
            facets,
            paragraphs,
        }
    }
}

impl From<Options> for SearchOptions {
    fn from(o: Options) -> SearchOptions {
        let Options {
            sort,
            offset,
            limit,
            speaker,
            year,
            date,
            place,
            topic,
            kind,
            mentions,
            facets,
            paragraphs,
        } = o;
        SearchOptions {
            sort: match sort {
                1 => Sort::Newest,
                2 => Sort::Oldest,
                _ => Sort::Relevance,
            },
            offset,
            limit,
            filters: Filters {
                speaker,
                year,
                date: date.map(|(lo, hi)| DateRange { lo, hi }),
                place,
                topic,
                kind,
                mentions,
            },
            facets,
            paragraphs,
        }
    }
}

/// [`SearchResults`] on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    total: usize,
    hits: Vec<WireHit>,
    facets: [Vec<(String, u32)>; 6],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WireHit {
    doc: u32,
    id: String,
    date: Option<String>,
    speakers: Vec<String>,
    score: f32,
    paragraphs: Vec<(u32, f32)>,
}

fn counts_out(v: Vec<FacetCount>) -> Vec<(String, u32)> {
    v.into_iter()
        .map(|FacetCount { value, count }| (value, count))
        .collect()
}

fn counts_in(v: Vec<(String, u32)>) -> Vec<FacetCount> {
    v.into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect()
}

impl From<SearchResults> for Results {
    fn from(r: SearchResults) -> Results {
        let SearchResults {
            total,
            hits,
            facets,
        } = r;
        let Facets {
            speaker,
            year,
            place,
            topic,
            kind,
            mentions,
        } = facets;
        Results {
            total,
            hits: hits
                .into_iter()
                .map(
                    |Hit {
                         doc,
                         id,
                         date,
                         speakers,
                         score,
                         paragraphs,
                     }| WireHit {
                        doc,
                        id,
                        date,
                        speakers,
                        score,
                        paragraphs,
                    },
                )
                .collect(),
            facets: [speaker, year, place, topic, kind, mentions].map(counts_out),
        }
    }
}

impl From<Results> for SearchResults {
    fn from(r: Results) -> SearchResults {
        let Results {
            total,
            hits,
            facets,
        } = r;
        let [speaker, year, place, topic, kind, mentions] = facets.map(counts_in);
        SearchResults {
            total,
            hits: hits
                .into_iter()
                .map(
                    |WireHit {
                         doc,
                         id,
                         date,
                         speakers,
                         score,
                         paragraphs,
                     }| Hit {
                        doc,
                        id,
                        date,
                        speakers,
                        score,
                        paragraphs,
                    },
                )
                .collect(),
            facets: Facets {
                speaker,
                year,
                place,
                topic,
                kind,
                mentions,
            },
        }
    }
}
