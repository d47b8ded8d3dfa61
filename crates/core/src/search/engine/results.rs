//! What a search is asked ([`SearchOptions`]: sort, page, [`Filters`]) and what it
//! answers ([`SearchResults`]: total, hits, [`Facets`]). All serialisable: they cross
//! the search worker's boundary as JSON, and the CLI prints them.

use serde::{Deserialize, Serialize};

use crate::search::facet::{Facet, FacetMap};
use crate::search::query::DateRange;

/// How to order hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Sort {
    /// BM25 score, best first (ties: newer first). A query without words sorts newest.
    #[default]
    Relevance,
    /// Date descending (undated last), ties by document number descending.
    Newest,
    /// Date ascending (undated first), ties by document number ascending.
    Oldest,
}

impl Sort {
    /// Every order.
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Newest, Sort::Oldest];

    /// The name in URLs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }
}

impl std::str::FromStr for Sort {
    type Err = String;

    /// The order called `s` ([`Sort::name`]).
    fn from_str(s: &str) -> Result<Sort, String> {
        Sort::ALL
            .into_iter()
            .find(|o| o.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Sort::ALL.iter().map(|o| o.name()).collect();
                format!("unknown order {s:?}; use one of {}", names.join(", "))
            })
    }
}

impl std::fmt::Display for Sort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Facet selections, as the app's facet panel makes them: values within one facet are
/// OR-ed, facets are AND-ed, and every facet's counts apply all *other* facets' selections.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Per facet, the selected values, exactly as the facet lists them (years as
    /// `"2015"`).
    pub values: FacetMap<Vec<String>>,
    /// A date range, AND-ed with the selected years (both belong to the year facet).
    pub date: Option<DateRange>,
}

impl Filters {
    /// These filters with `value` of `facet` selected too.
    pub fn with(mut self, facet: Facet, value: impl Into<String>) -> Filters {
        self.values[facet].push(value.into());
        self
    }
}

/// The facets counted on first use: every facet with a part of its own, which holds
/// every document's values and so grows with the corpus (the speakers' and mentions'
/// fastest, many values a document). Counting them with every results page made a
/// first query fetch about 57 KB of them at 18k transcripts and five times that at
/// 100k (issue 13). The app counts one once its panel is opened
/// ([`SearchOptions::skip_facets`] until then). The year alone is counted with every
/// search: its counts come from `meta.bin`'s runs, at no cost in bytes.
pub const LAZY_FACETS: [Facet; 6] = [
    Facet::Speaker,
    Facet::Place,
    Facet::Topic,
    Facet::Kind,
    Facet::Mentions,
    Facet::Country,
];

/// What to return besides the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchOptions {
    pub sort: Sort,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
    pub filters: Filters,
    /// Whether to count facets.
    pub facets: bool,
    /// List at most this many values per facet (the most frequent; selected values are
    /// always listed besides). Counting is exact either way; this bounds the work of
    /// naming values, which a corpus with thousands of speakers makes the costly part.
    /// The year facet is always complete. `None`: every value.
    pub facet_limit: Option<usize>,
    /// Facets not to count, e.g. a panel the reader has not opened: their lists come
    /// back empty and their parts are not fetched for counting. The other facets' counts
    /// do not change.
    #[serde(default)]
    pub skip_facets: Vec<Facet>,
    /// Whether hits carry their ids and speakers, which need the ids part and the
    /// speaker facet's: the app shows each hit's row, which holds both, and does without
    /// those bytes (`false`: [`Hit::id`] empty, [`Hit::speakers`] empty).
    #[serde(default = "yes")]
    pub hit_details: bool,
}

fn yes() -> bool {
    true
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            sort: Sort::Relevance,
            offset: 0,
            limit: 10,
            filters: Filters::default(),
            facets: true,
            facet_limit: None,
            skip_facets: Vec::new(),
            hit_details: true,
        }
    }
}

/// One matching transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Document number: the position in the manifest's `docs`.
    pub doc: u32,
    /// Empty without [`SearchOptions::hit_details`].
    pub id: String,
    /// `None` when undated, and while the documents part is not loaded (a search with
    /// [`SearchOptions::hit_details`] loads it).
    pub date: Option<String>,
    /// Distinct speakers in order of first appearance (none without
    /// [`SearchOptions::hit_details`]).
    pub speakers: Vec<String>,
    pub score: f32,
}

/// A facet value and its number of matching transcripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u32,
}

/// One facet's counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FacetList {
    /// Sorted by count descending, then value.
    pub values: Vec<FacetCount>,
    /// How many values have a nonzero count: more than listed when
    /// [`SearchOptions::facet_limit`] cut the list.
    pub distinct: usize,
}

/// Every facet's counts (in JSON: `{"speaker": {"values": [...], "distinct": n}, ...}`).
pub type Facets = FacetMap<FacetList>;

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Exact number of matching transcripts (after filters).
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_names_round_trip() {
        for s in Sort::ALL {
            assert_eq!(s.name().parse::<Sort>(), Ok(s));
        }
        assert!("sideways".parse::<Sort>().is_err());
    }
}
