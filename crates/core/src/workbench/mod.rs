//! The research workbench: statistics over the transcripts a query and its filters
//! select, as pure functions the CLI and the search worker share.
//!
//! - [`kwic`]: the concordance (keyword in context), its exact total, paging and sorts;
//! - [`dispersion`]: where a query's hits fall in one transcript;
//! - [`trend`]: occurrences and matching transcripts per year or month, over the words
//!   of the transcripts dated there (no text needed);
//! - [`colloc`]: words associated with a query within a window (G², MI), fed
//!   transcripts incrementally;
//! - [`keyness`]: words distinctive of a set against the rest of the corpus (G², log
//!   ratio), fed postings shards incrementally;
//! - [`measures`]: the association formulas; [`stop`]: the stop list;
//!   [`csv`]: CSV export.
//!
//! The views that read text ([`kwic::Concordance`], [`colloc::Collocates`]) name the
//! documents they need and take transcripts as the caller loads them, so that the
//! worker fetches packs, reports progress and stops between chunks; the CLI feeds them
//! from disk. Matching is the engine's: a concordance line is a range that
//! [`crate::search::Matcher::highlight`] marks, so it agrees with search highlights.

pub mod colloc;
pub mod colloc_index;
pub mod csv;
pub mod dispersion;
pub mod keyness;
pub mod kwic;
pub mod measures;
pub mod stop;
mod text;
pub mod trend;

use crate::search::{Filters, Hit, Index, Query, SearchError, SearchOptions, Sort};

/// Every transcript matching `q` and `filters`, oldest first (the engine's
/// [`Sort::Oldest`]: date ascending, undated first, ties by document number).
///
/// The hits carry document number, date and score only: a view asks the index for the
/// ids ([`Index::doc_id`]) and speakers ([`Index::doc_speakers`]) of the few it shows.
/// Copying them for every hit (twelve thousand for a common word) was most of the time
/// a concordance page took before its first transcript was fetched.
pub fn select(ix: &Index, q: &Query, filters: &Filters) -> Result<Vec<Hit>, SearchError> {
    let opts = SearchOptions {
        sort: Sort::Oldest,
        offset: 0,
        limit: usize::MAX,
        filters: filters.clone(),
        facets: false,
        facet_limit: None,
        hit_details: false,
        ..SearchOptions::default()
    };
    Ok(ix.search(q, &opts)?.hits)
}

/// The documents of `hits` as a set.
pub fn doc_set(ix: &Index, hits: &[Hit]) -> crate::search::docset::DocSet {
    let mut s = crate::search::docset::DocSet::empty(ix.doc_count());
    for h in hits {
        s.insert(h.doc);
    }
    s
}
