//! The turns part (`index/turns.bin`, [`crate::search::layout::PartId::Turns`]): every
//! document's speaker turns, written and read here, column by column (layout in
//! `docs/bundle-format.md`). A turn names its speaker by its place in the document's
//! speaker list, which the speaker facet's part holds; [`Meta::link_turns`] makes those
//! places speaker ids once both parts are here, in either order.

use super::{header, Meta};
use crate::ingest::qa::TurnRole;
use crate::search::codec::{Reader, Writer};
use crate::search::facet::Facet;
use crate::search::layout::{INDEX_FORMAT, TURNS_MAGIC, TURNS_PATH};
use crate::search::IndexError;

/// One turn: tokens `first..first + len` (the document's token numbers) by `speaker`
/// (`None`: a question under a generic label), playing `role`. Stored for turns with a
/// speaker or a question or answer role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TurnRange {
    pub first: u32,
    pub len: u32,
    /// Its words: `len` less the numbers between paragraphs.
    pub words: u32,
    pub speaker: Option<u32>,
    pub role: TurnRole,
}

/// A role's code in the file.
fn role_code(r: TurnRole) -> u64 {
    match r {
        TurnRole::Other => 0,
        TurnRole::Question => 1,
        TurnRole::Answer => 2,
    }
}

impl Meta {
    /// The bytes of the turns part, column by column so that alike numbers sit together
    /// for deflate: every document's turn count, then per turn its gap (first token less
    /// the previous turn's end), its length, its speaker as a number in its document's
    /// speaker list (the speaker facet's, in order of first appearance; 0: none), its
    /// role, and its paragraph breaks (`len - words`). At 18k transcripts this is 65 KB
    /// deflated where one row per turn with global speaker ids was 125 KB: most
    /// documents are one speech by one speaker, whose speaker is then always 1.
    pub fn encode_turns(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(TURNS_MAGIC);
        w.u32(INDEX_FORMAT);
        w.varint(self.n_docs as u64);
        let doc = |d: usize| {
            &self.turns[self.turn_offsets[d] as usize..self.turn_offsets[d + 1] as usize]
        };
        for d in 0..self.n_docs {
            w.varint(doc(d).len() as u64);
        }
        for d in 0..self.n_docs {
            // Turns are in text order: each starts at or after the previous one's end.
            let mut end = 0u32;
            for t in doc(d) {
                w.varint(u64::from(t.first - end));
                end = t.first + t.len;
            }
        }
        for t in &self.turns {
            w.varint(u64::from(t.len));
        }
        let (offs, ids) = &self.doc_values[Facet::Speaker];
        for d in 0..self.n_docs {
            let own = &ids[offs[d] as usize..offs[d + 1] as usize];
            for t in doc(d) {
                let local = t.speaker.map_or(0, |s| {
                    own.iter()
                        .position(|&x| x == s)
                        .expect("a turn's speaker is its document's")
                        + 1
                });
                w.varint(local as u64);
            }
        }
        for t in &self.turns {
            w.varint(role_code(t.role));
        }
        for t in &self.turns {
            w.varint(u64::from(t.len - t.words));
        }
        w.buf
    }

    /// Adds the turns part, checked: the document count, the column lengths, every
    /// role, no token number past `u32`. Its speakers are numbers in each document's
    /// speaker list: they become speaker ids once the speaker facet is here too
    /// ([`Meta::link_turns`]), which checks them.
    pub fn add_turns(&mut self, b: &[u8]) -> Result<(), IndexError> {
        let mut r = header(b, TURNS_MAGIC, TURNS_PATH)?;
        let corrupt = |r: &Reader| IndexError::Corrupt {
            what: TURNS_PATH.into(),
            offset: r.pos,
        };
        let n = self.n_docs;
        if r.count()? != n {
            return Err(corrupt(&r));
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u32);
        for _ in 0..n {
            // Each turn takes at least five bytes below: the count is checked to fit.
            let k = r.count()?;
            let total = offsets[offsets.len() - 1] as usize + k;
            if total.saturating_mul(5) > b.len() {
                return Err(corrupt(&r));
            }
            offsets.push(total as u32);
        }
        let total = offsets[n] as usize;
        let mut turns = vec![
            TurnRange {
                first: 0,
                len: 0,
                words: 0,
                speaker: None,
                role: TurnRole::Other,
            };
            total
        ];
        // The gaps first (kept in `first` until the lengths are read), then the lengths.
        for t in &mut turns {
            t.first = r.u32v()?;
        }
        for t in &mut turns {
            t.len = r.u32v()?;
        }
        // The engine adds them: a sum past u32 is damage, not a long turn.
        for d in 0..n {
            let mut end = 0u32;
            for t in &mut turns[offsets[d] as usize..offsets[d + 1] as usize] {
                t.first = end.checked_add(t.first).ok_or_else(|| corrupt(&r))?;
                end = t.first.checked_add(t.len).ok_or_else(|| corrupt(&r))?;
            }
        }
        for t in &mut turns {
            t.speaker = r.u32v()?.checked_sub(1);
        }
        for t in &mut turns {
            t.role = match r.u32v()? {
                0 => TurnRole::Other,
                1 => TurnRole::Question,
                2 => TurnRole::Answer,
                _ => return Err(corrupt(&r)),
            };
        }
        for t in &mut turns {
            t.words = t.len.checked_sub(r.u32v()?).ok_or_else(|| corrupt(&r))?;
        }
        if r.pos != b.len() {
            return Err(corrupt(&r));
        }
        self.turn_offsets = offsets;
        self.turns = turns;
        self.turns_loaded = true;
        self.turns_linked = false;
        self.link_turns()
    }

    /// Turns' speakers from numbers in their document's speaker list to speaker ids,
    /// once both the turns and the speaker facet are here; a number past the list is
    /// damage, and unloads the turns. Nothing reads a turn's speaker before: a scope
    /// needs the speaker facet as well as the turns ([`crate::search::Index::plan_for`]).
    pub(crate) fn link_turns(&mut self) -> Result<(), IndexError> {
        if !self.turns_loaded || self.turns_linked || !self.facet_loaded[Facet::Speaker] {
            return Ok(());
        }
        let (offs, ids) = &self.doc_values[Facet::Speaker];
        let mut linked = self.turns.clone();
        for d in 0..self.n_docs {
            let own = &ids[offs[d] as usize..offs[d + 1] as usize];
            let turns = self.turn_offsets[d] as usize..self.turn_offsets[d + 1] as usize;
            for t in &mut linked[turns] {
                if let Some(local) = t.speaker {
                    match own.get(local as usize) {
                        Some(&id) => t.speaker = Some(id),
                        None => {
                            self.turns = Vec::new();
                            self.turn_offsets = Vec::new();
                            self.turns_loaded = false;
                            return Err(IndexError::Corrupt {
                                what: TURNS_PATH.into(),
                                offset: 0,
                            });
                        }
                    }
                }
            }
        }
        self.turns = linked;
        self.turns_linked = true;
        Ok(())
    }
}
