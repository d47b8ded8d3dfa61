//! The dispersion strip of the reading view: where a query's hits fall in one open
//! transcript, paragraph by paragraph, counted as the concordance counts them.

use serde::{Deserialize, Serialize};

use super::kwic::{match_spans, pieces};
use super::text::Analyzer;
use crate::model::Transcript;
use crate::search::Matcher;

/// Where a query's hits fall in one transcript: the reading view's strip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispersion {
    /// Paragraphs in reading order.
    pub paragraphs: usize,
    /// One mark per paragraph (or title) with hits, in reading order.
    pub marks: Vec<DispersionMark>,
}

/// The hits of one paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispersionMark {
    /// Reading-order index; `None` for the title.
    pub paragraph: Option<usize>,
    /// Where it sits, 0 (start) to 1 (end): (index + 0.5) / paragraphs; the title is 0.
    pub position: f64,
    pub hits: u32,
}

/// The dispersion of `m`'s hits over `t`.
pub fn dispersion(m: &Matcher, t: &Transcript) -> Dispersion {
    let n = t.paragraph_count();
    let mut an = Analyzer::default();
    let mut toks = Vec::new();
    let marks = pieces(m, t)
        .into_iter()
        .filter_map(|(paragraph, _, text)| {
            an.words(text, &mut toks);
            let hits = match_spans(&an, m, text, &toks).len() as u32;
            (hits > 0).then(|| DispersionMark {
                paragraph,
                position: paragraph.map_or(0.0, |i| (i as f64 + 0.5) / n.max(1) as f64),
                hits,
            })
        })
        .collect();
    Dispersion {
        paragraphs: n,
        marks,
    }
}
