//! Placing a phrase in documents by its parts' positions (its words', or its pairs'
//! where the next-word index has them): a leapfrog over their postings, then a bitmap
//! test of each candidate start.

use super::exec::{Exec, TITLE_BOOST};
use super::Index;
use crate::search::postings::Cursor;
use crate::search::SearchError;

/// Scratch space for finding a phrase's starts in one document.
#[derive(Default)]
struct PhraseScratch {
    /// Candidate starts, then the phrase's starts.
    starts: Vec<u32>,
    /// One bit per token number: one later word's positions at a time.
    bits: Vec<u64>,
}

impl PhraseScratch {
    /// The starts (token numbers of the first word, ascending) of the phrase placed by
    /// `cursors[i]` at `offsets[i]` from its start, all of them on the same document;
    /// returns the last start that lies in the title (0 when none can).
    ///
    /// The word with the fewest positions here gives the candidates; every other word's
    /// positions become a bitmap that each candidate tests at its offset. That is one
    /// pass over each word's positions with no data-dependent branch, where merging
    /// sorted lists mispredicts at every step (the merge was half of a frequent
    /// phrase's time). A paragraph never ends between two adjacent token numbers (the
    /// build leaves a gap), so adjacency is the phrase test.
    fn find(&mut self, cursors: &mut [Cursor], offsets: &[u32]) -> u32 {
        self.starts.clear();
        let Some(anchor) = (0..cursors.len()).min_by_key(|&i| cursors[i].tf + cursors[i].title)
        else {
            return 0;
        };
        cursors[anchor].positions(&mut self.starts);
        let off = offsets[anchor];
        let title = cursors[anchor].title as usize;
        let title_last = match title {
            0 => 0,
            k => self.starts.get(k - 1).map_or(0, |&p| p.saturating_sub(off)),
        };
        // Token numbers start at 1: an anchor at or before its offset starts nothing.
        self.starts.retain(|&p| p > off);
        for s in &mut self.starts {
            *s -= off;
        }
        for (i, c) in cursors.iter_mut().enumerate() {
            if i == anchor {
                continue;
            }
            if self.starts.is_empty() {
                // The other cursors skip these positions by counting, unread.
                break;
            }
            let used = c.positions_bits(&mut self.bits);
            let shift = offsets[i];
            let mut k = 0;
            for r in 0..self.starts.len() {
                let s = self.starts[r];
                let q = s.wrapping_add(shift);
                let word = self.bits.get((q >> 6) as usize).copied().unwrap_or(0);
                self.starts[k] = s;
                k += ((word >> (q & 63)) & 1) as usize;
            }
            self.starts.truncate(k);
            self.bits[..used].fill(0);
        }
        title_last
    }
}

/// A phrase's candidate documents in order, and its starts in each: the one leapfrog
/// over the parts' postings (the engine's phrase search and the workbench's counts
/// both walk it). Only documents holding every part have positions decoded; the
/// rest are skipped by counting.
pub(super) struct PhraseWalk<'a> {
    cursors: Vec<Cursor<'a>>,
    offsets: Vec<u32>,
    scratch: PhraseScratch,
    next: u32,
}

impl<'a> PhraseWalk<'a> {
    /// A walk over the phrase placed by `parts` ((term, offset), see
    /// `resolve::phrase_parts`).
    pub(super) fn new(ix: &'a Index, parts: &[(u32, u32)]) -> Result<Self, SearchError> {
        Ok(PhraseWalk {
            cursors: parts
                .iter()
                .map(|&(t, _)| ix.term_postings(t, true).map(Cursor::new))
                .collect::<Result<_, _>>()?,
            offsets: parts.iter().map(|&(_, o)| o).collect(),
            scratch: PhraseScratch::default(),
            next: 0,
        })
    }

    /// The next document that holds every part (not yet the phrase: see
    /// [`PhraseWalk::place`]), `None` once a part's postings end.
    pub(super) fn next_candidate(&mut self) -> Option<u32> {
        let cursors = &mut self.cursors;
        let mut d = self.next;
        let mut i = 0;
        let mut agreed = 0;
        while agreed < cursors.len() {
            let c = &mut cursors[i];
            if !c.advance_to(d) {
                return None;
            }
            if c.doc == d {
                agreed += 1;
            } else {
                d = c.doc;
                agreed = 1;
            }
            i += 1;
            if i == cursors.len() {
                i = 0;
            }
        }
        self.next = d + 1;
        Some(d)
    }

    /// Places the phrase in the current candidate: its starts are then
    /// [`PhraseWalk::starts`]; returns the last start that lies in the title
    /// ([`PhraseScratch::find`]). A candidate never placed is skipped unread.
    pub(super) fn place(&mut self) -> u32 {
        self.scratch.find(&mut self.cursors, &self.offsets)
    }

    /// The current candidate's norm ([`Cursor::norm`]: every part's postings carry it).
    pub(super) fn norm(&self) -> u8 {
        self.cursors.first().map_or(0, |c| c.norm)
    }

    /// The current candidate's starts, after [`PhraseWalk::place`].
    pub(super) fn starts(&mut self) -> &mut Vec<u32> {
        &mut self.scratch.starts
    }
}

impl Exec<'_> {
    /// The documents where the phrase placed by `parts` ((term, offset), see
    /// `resolve::phrase_parts`) occurs within the scope, with its weighted count, read from
    /// positions.
    pub(super) fn phrase_docs(
        &mut self,
        parts: &[(u32, u32)],
        found: &mut Vec<(u32, f32, u8)>,
    ) -> Result<(), SearchError> {
        let ix = self.ix;
        let mut walk = PhraseWalk::new(ix, parts)?;
        while let Some(d) = walk.next_candidate() {
            if let Some((_, docs)) = &self.scope {
                if !docs.contains(d) {
                    continue;
                }
            }
            let title_last = walk.place();
            let starts = walk.starts();
            if let Some((scope, _)) = &self.scope {
                let turns = ix.doc_turns(d);
                starts.retain(|&p| scope.contains(turns, p));
            }
            if starts.is_empty() {
                continue;
            }
            // A phrase never runs from the title into the text.
            let title = starts.iter().filter(|&&p| p <= title_last).count();
            let tfw = starts.len() as f32 + TITLE_BOOST * title as f32;
            found.push((d, tfw, walk.norm()));
        }
        Ok(())
    }
}
