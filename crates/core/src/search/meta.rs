//! `index/meta.bin`: what the engine keeps in memory for every document. Its one
//! writer ([`Meta::encode`], which the build calls) and its one reader ([`Meta::decode`],
//! which checks every count and id, so that a damaged file is an error, never a panic).
//!
//! Layout (varints unless said; see `docs/bundle-format.md`): magic and
//! [`INDEX_FORMAT`] (u32); the document count, then per document its id, date key,
//! length in tokens and paragraph count; the value dictionary of every facet but the
//! year ([`Facet::ALL`] order), each a count and strings in byte order; per facet of
//! [`Source::Values`], per document its value ids; per document its turns (gap from the
//! previous turn's end, token count, speaker id + 1 or 0 for none, role code, words); the
//! term count; the postings
//! and the positions shards' first terms.

use std::collections::BTreeSet;

use super::codec::{Reader, Writer};
use super::facet::{Facet, FacetMap, Source};
use super::layout::{INDEX_FORMAT, META_MAGIC, META_PATH};
use super::IndexError;
use crate::ingest::qa::TurnRole;

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

/// Per document, a list of ids, as offsets (one more than the documents) and the ids.
pub(crate) type Csr = (Vec<u32>, Vec<u32>);

/// The decoded `meta.bin`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta {
    pub ids: Vec<String>,
    /// `yyyymmdd` keys, 0 when undated.
    pub dates: Vec<u32>,
    /// Tokens per document.
    pub lens: Vec<u32>,
    /// Paragraphs per document (kept for the app; searching does not need it).
    pub paragraphs: Vec<u32>,
    pub avg_len: f32,
    /// Per facet, its values: raw, in byte order (value ids follow it). The year's are
    /// derived on decoding: the years of dated documents, ascending.
    pub values: FacetMap<Vec<String>>,
    /// Per facet, each document's value ids. Speaker: the distinct speakers of its turns
    /// in order of first appearance; year: its year (none when undated). Both derived.
    pub doc_values: FacetMap<Csr>,
    pub turn_offsets: Vec<u32>,
    pub turns: Vec<TurnRange>,
    pub n_terms: u32,
    pub post_bounds: Vec<u32>,
    pub pos_bounds: Vec<u32>,
}

/// The facets whose value dictionaries the file holds, in order.
fn stored() -> impl Iterator<Item = Facet> {
    Facet::ALL
        .into_iter()
        .filter(|f| f.source() != Source::Date)
}

/// The facets whose per-document value lists the file holds, in order.
fn listed() -> impl Iterator<Item = Facet> {
    Facet::ALL
        .into_iter()
        .filter(|f| f.source() == Source::Values)
}

impl Meta {
    /// The file's bytes. Reads every field but `avg_len` and the derived facet columns.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(META_MAGIC);
        w.u32(INDEX_FORMAT);
        w.varint(self.ids.len() as u64);
        for (d, id) in self.ids.iter().enumerate() {
            w.str(id);
            w.varint(u64::from(self.dates[d]));
            w.varint(u64::from(self.lens[d]));
            w.varint(u64::from(self.paragraphs[d]));
        }
        for f in stored() {
            w.varint(self.values[f].len() as u64);
            for v in &self.values[f] {
                w.str(v);
            }
        }
        for f in listed() {
            let (offs, ids) = &self.doc_values[f];
            for d in 0..self.ids.len() {
                let list = &ids[offs[d] as usize..offs[d + 1] as usize];
                w.varint(list.len() as u64);
                for &id in list {
                    w.varint(u64::from(id));
                }
            }
        }
        for d in 0..self.ids.len() {
            let turns =
                &self.turns[self.turn_offsets[d] as usize..self.turn_offsets[d + 1] as usize];
            w.varint(turns.len() as u64);
            // Turns are in text order: each starts at or after the previous one's end.
            let mut end = 0u32;
            for t in turns {
                w.varint(u64::from(t.first - end));
                w.varint(u64::from(t.len));
                w.varint(t.speaker.map_or(0, |s| u64::from(s) + 1));
                w.varint(role_code(t.role));
                w.varint(u64::from(t.words));
                end = t.first + t.len;
            }
        }
        w.varint(u64::from(self.n_terms));
        for bounds in [&self.post_bounds, &self.pos_bounds] {
            w.varint(bounds.len() as u64);
            for &b in bounds {
                w.varint(u64::from(b));
            }
        }
        w.buf
    }

    /// Reads and checks the file.
    pub fn decode(b: &[u8]) -> Result<Meta, IndexError> {
        if b.len() < 12 || &b[..8] != META_MAGIC {
            return Err(IndexError::NotAnIndex {
                what: META_PATH.into(),
            });
        }
        let found = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
        if found != INDEX_FORMAT {
            return Err(IndexError::Version {
                found,
                expected: INDEX_FORMAT,
            });
        }
        let mut r = Reader::new(b, META_PATH);
        r.pos = 12;
        let corrupt = |r: &Reader| IndexError::Corrupt {
            what: META_PATH.into(),
            offset: r.pos,
        };
        let n = r.count()?;
        let mut m = Meta {
            ids: Vec::with_capacity(n),
            dates: Vec::with_capacity(n),
            lens: Vec::with_capacity(n),
            paragraphs: Vec::with_capacity(n),
            ..Meta::default()
        };
        for _ in 0..n {
            m.ids.push(r.str()?);
            m.dates.push(r.u32v()?);
            m.lens.push(r.u32v()?);
            m.paragraphs.push(r.u32v()?);
        }
        for f in stored() {
            let k = r.count()?;
            let mut v = Vec::with_capacity(k);
            for _ in 0..k {
                v.push(r.str()?);
            }
            m.values[f] = v;
        }
        for f in listed() {
            let mut offs = Vec::with_capacity(n + 1);
            let mut ids = Vec::new();
            offs.push(0);
            for _ in 0..n {
                let k = r.count()?;
                for _ in 0..k {
                    let v = r.u32v()?;
                    if v as usize >= m.values[f].len() {
                        return Err(corrupt(&r));
                    }
                    ids.push(v);
                }
                offs.push(ids.len() as u32);
            }
            m.doc_values[f] = (offs, ids);
        }
        let speakers = m.values[Facet::Speaker].len();
        let (mut sp_offs, mut sp_ids) = (vec![0u32], Vec::new());
        m.turn_offsets.reserve(n + 1);
        m.turn_offsets.push(0);
        for _ in 0..n {
            let k = r.count()?;
            let start = sp_ids.len();
            let mut end = 0u32;
            for _ in 0..k {
                let first = end.saturating_add(r.u32v()?);
                let len = r.u32v()?;
                let speaker = r.u32v()?.checked_sub(1);
                let role = match r.u32v()? {
                    0 => TurnRole::Other,
                    1 => TurnRole::Question,
                    2 => TurnRole::Answer,
                    _ => return Err(corrupt(&r)),
                };
                let t = TurnRange {
                    first,
                    len,
                    words: r.u32v()?,
                    speaker,
                    role,
                };
                end = first.saturating_add(len);
                // The engine adds them: a sum past u32 is damage, not a long turn.
                if speaker.is_some_and(|s| s as usize >= speakers)
                    || first.checked_add(len).is_none()
                    || t.words > len
                {
                    return Err(corrupt(&r));
                }
                if let Some(s) = speaker.filter(|s| !sp_ids[start..].contains(s)) {
                    sp_ids.push(s);
                }
                m.turns.push(t);
            }
            m.turn_offsets.push(m.turns.len() as u32);
            sp_offs.push(sp_ids.len() as u32);
        }
        m.doc_values[Facet::Speaker] = (sp_offs, sp_ids);
        m.n_terms = r.u32v()?;
        let mut bounds = Vec::new();
        for _ in 0..2 {
            let k = r.count()?;
            let mut v = Vec::with_capacity(k);
            for _ in 0..k {
                v.push(r.u32v()?);
            }
            if v.first() != Some(&0) || v.windows(2).any(|w| w[0] >= w[1]) {
                return Err(corrupt(&r));
            }
            bounds.push(v);
        }
        m.pos_bounds = bounds.pop().unwrap_or_default();
        m.post_bounds = bounds.pop().unwrap_or_default();
        m.avg_len = if n == 0 {
            1.0
        } else {
            (m.lens.iter().map(|&l| f64::from(l)).sum::<f64>() / n as f64).max(1.0) as f32
        };
        m.derive_years();
        Ok(m)
    }

    /// The year facet's values and per-document ids, from the dates.
    fn derive_years(&mut self) {
        let years: Vec<u32> = self
            .dates
            .iter()
            .filter(|&&k| k != 0)
            .map(|&k| k / 10000)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut csr = (vec![0u32], Vec::new());
        for &k in &self.dates {
            if k != 0 {
                let y = years.binary_search(&(k / 10000)).unwrap_or(0);
                csr.1.push(y as u32);
            }
            csr.0.push(csr.1.len() as u32);
        }
        self.values[Facet::Year] = years.iter().map(u32::to_string).collect();
        self.doc_values[Facet::Year] = csr;
    }
}
