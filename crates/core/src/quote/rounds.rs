//! Which candidate transcripts a quote is aligned with, round by round: the one owner of
//! that schedule, which the app's worker (fetching packs), the CLI and the tests all
//! follow.
//!
//! Fetching and analysing transcripts is most of a quote's time, and the quote's source
//! is nearly always among the first few candidates (they share most of its rare
//! words). So the first round asks for those few; the quote is aligned with them; a
//! further round asks for the next candidates while part of the quote (or all of it) has
//! no plausible source, up to [`DEFAULT_CANDIDATES`] in all, and once when the best
//! source found is not verbatim (a better one may rank lower).

use super::find::{Aligner, Outcome};
use super::{candidates, Candidate, Quote, QuoteResult, Verdict, DEFAULT_CANDIDATES};
use crate::model::Transcript;
use crate::search::{Filters, Index, SearchError};

/// Candidates of the first round: the best on the whole quote and on each half, and more.
const FIRST_ROUND: usize = 4;
/// Candidates of each further round.
const NEXT_ROUND: usize = 8;

/// A quote's search over its candidates, in rounds: ask [`QuoteSearch::wanted`], add
/// those transcripts ([`QuoteSearch::add`], in any order, one failing to load left out),
/// ask again until nothing is wanted, then take the [`QuoteSearch::result`].
pub struct QuoteSearch {
    /// Every candidate, best first.
    order: Vec<Candidate>,
    /// Candidates handed out so far: `order[..asked]`.
    asked: usize,
    aligner: Aligner,
    /// The alignment with the transcripts added so far, once computed.
    outcome: Option<Outcome>,
}

impl QuoteSearch {
    /// The candidates of `quote` under `filters`, from `index` (the parts
    /// [`Quote::plan`] names must be loaded).
    pub fn new(
        index: &Index,
        quote: &Quote,
        filters: &Filters,
    ) -> Result<QuoteSearch, SearchError> {
        Ok(QuoteSearch {
            order: candidates(index, quote, filters, DEFAULT_CANDIDATES)?,
            asked: 0,
            aligner: Aligner::new(quote),
            outcome: None,
        })
    }

    /// The next round's candidates, best first: none once the transcripts added so far
    /// explain the whole quote, or when no candidate is left.
    pub fn wanted(&mut self) -> Vec<Candidate> {
        if self.asked > 0 && self.settled() {
            return Vec::new();
        }
        let round = if self.asked == 0 {
            FIRST_ROUND
        } else {
            NEXT_ROUND
        };
        let end = (self.asked + round).min(self.order.len());
        let out = self.order[self.asked..end].to_vec();
        self.asked = end;
        out
    }

    /// Adds (analyses) a transcript of the round: it may be called as each arrives.
    pub fn add(&mut self, t: &Transcript) {
        self.aligner.add(t);
        self.outcome = None;
    }

    /// Whether the transcripts added so far answer the quote: every stretch of it has a
    /// source, and that source is verbatim or a further round found no better one. (A
    /// formula said at many meetings, with other names, ranks several near-copies of an
    /// altered quote's source among the first candidates.)
    fn settled(&mut self) -> bool {
        let more_seen = self.asked > FIRST_ROUND;
        let o = self.outcome();
        !o.unexplained
            && (more_seen
                || o.result
                    .matches
                    .first()
                    .is_some_and(|m| m.verdict == Verdict::Verbatim))
    }

    fn outcome(&mut self) -> &Outcome {
        self.outcome.get_or_insert_with(|| self.aligner.run())
    }

    /// The quote's sources among the transcripts added.
    pub fn result(mut self) -> QuoteResult {
        self.outcome();
        self.outcome.map(|o| o.result).unwrap_or_default()
    }

    /// Every round at once, for callers that read transcripts synchronously (the CLI,
    /// tests): `fetch` gives a candidate's transcript (`None`: skipped).
    pub fn run(mut self, mut fetch: impl FnMut(&Candidate) -> Option<Transcript>) -> QuoteResult {
        loop {
            let wanted = self.wanted();
            if wanted.is_empty() {
                return self.result();
            }
            for c in &wanted {
                if let Some(t) = fetch(c) {
                    self.add(&t);
                }
            }
        }
    }
}
