//! `index/meta.bin` and the parts split off it: what the engine keeps in memory for
//! every document. Their one writer ([`Meta::encode`], [`Meta::encode_docs`],
//! [`Meta::encode_ids`], [`Meta::encode_facet`], [`Meta::encode_turns`], which the build
//! calls) and their one reader ([`Meta::decode`] and the `add_` methods, which check every
//! count and id, so that a damaged file is an error, never a panic).
//!
//! `meta.bin` is what opening the index reads, and its size does not grow with the
//! corpus's document count: the document count and total length (BM25's average), every
//! listed facet's value count, the years as runs of document numbers (documents are
//! numbered in date order, so a year is one run: the year facet and year filters need
//! no dates), the term count, the shards' first terms and the
//! stem-dictionary shards' first keys. Everything per document is a part of its own,
//! loaded when a query needs it: the dates and lengths ([`PartId::Docs`]: date
//! conditions, hits with details, the workbench's statistics; ranking reads each
//! document's length from its postings' norms), the ids ([`PartId::Ids`]: only hits that carry their ids),
//! each listed facet's values and per-document value ids ([`PartId::Facet`], the
//! speakers' included: the distinct speakers of a document's turns) and the speaker turns
//! ([`PartId::Turns`]: per turn its start, length, speaker, role and words). Layouts are
//! in `docs/bundle-format.md`.

use std::collections::BTreeSet;

use super::codec::{Reader, Writer};
use super::facet::{Facet, FacetMap, Source};
use super::layout::{
    PartId, DOCS_MAGIC, DOCS_PATH, FACET_MAGIC, IDS_MAGIC, IDS_PATH, INDEX_FORMAT, META_MAGIC,
    META_PATH,
};
use super::IndexError;

mod turns;
pub(crate) use turns::TurnRange;

/// Per document, a list of ids, as offsets (one more than the documents) and the ids.
pub(crate) type Csr = (Vec<u32>, Vec<u32>);

/// Consecutive documents dated in one year: the year facet's value `year` (an index
/// into its values) for documents `first..first + len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct YearRun {
    pub first: u32,
    pub len: u32,
    pub year: u32,
}

/// The distinct years of `dates` (`yyyymmdd` keys, 0 undated), ascending, and the runs
/// of consecutive documents dated in one of them: one run a year when the documents are
/// in date order, as a bundle numbers them.
fn year_runs(dates: &[u32]) -> (Vec<u32>, Vec<YearRun>) {
    // Extended, not collected: collecting into a BTreeSet sorts a Vec first, 3 KB of
    // the search worker's wasm for each element type (see `search::heapsort`).
    let mut years = BTreeSet::new();
    years.extend(dates.iter().filter(|&&k| k != 0).map(|&k| k / 10000));
    let years: Vec<u32> = years.into_iter().collect();
    let mut runs: Vec<YearRun> = Vec::new();
    for (d, &k) in dates.iter().enumerate() {
        if k == 0 {
            continue;
        }
        let year = years.binary_search(&(k / 10000)).unwrap_or(0) as u32;
        match runs.last_mut() {
            Some(r) if r.year == year && (r.first + r.len) as usize == d => r.len += 1,
            _ => runs.push(YearRun {
                first: d as u32,
                len: 1,
                year,
            }),
        }
    }
    (years, runs)
}

/// The decoded `meta.bin`, and the parts added to it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta {
    /// Number of documents.
    pub n_docs: usize,
    /// Tokens in all documents (what the lengths add up to).
    pub total_len: u64,
    /// Per document its id (empty until the ids part is added).
    pub ids: Vec<String>,
    pub ids_loaded: bool,
    /// `yyyymmdd` keys, 0 when undated (empty until the documents part is added).
    pub dates: Vec<u32>,
    /// Tokens per document (empty until the documents part is added).
    pub lens: Vec<u32>,
    pub docs_loaded: bool,
    pub avg_len: f32,
    /// Per facet, its values: raw, in byte order (value ids follow it). The year's are
    /// the years of dated documents, ascending, from `meta.bin`. A listed facet's
    /// are empty until its part is added.
    pub values: FacetMap<Vec<String>>,
    /// Per listed facet, each document's value ids. Speaker: the distinct speakers of
    /// its turns in order of first appearance. (The year's are `year_runs`.)
    pub doc_values: FacetMap<Csr>,
    /// The dated documents' years, as runs of document numbers, ascending.
    pub year_runs: Vec<YearRun>,
    /// Per listed facet, its number of values (checked against its part).
    pub value_counts: FacetMap<u32>,
    /// Whether each facet's values and value ids are here: a listed facet's once its
    /// part is added, the year's always.
    pub facet_loaded: FacetMap<bool>,
    pub turn_offsets: Vec<u32>,
    pub turns: Vec<TurnRange>,
    /// Whether the turns part is added.
    pub turns_loaded: bool,
    /// Whether the turns' speakers are speaker ids yet ([`Meta::link_turns`]).
    pub turns_linked: bool,
    pub n_terms: u32,
    pub post_bounds: Vec<u32>,
    pub pos_bounds: Vec<u32>,
    /// The first key of every stem-dictionary shard, ascending (the first is "").
    pub dict_bounds: Vec<String>,
    /// The first key of every word-dictionary shard, ascending (the first is "").
    pub words_bounds: Vec<String>,
}

/// The facets stored as values and per-document value ids (all but the year, which
/// comes from the dates), each a part of its own, in [`Facet::ALL`] order.
pub(crate) fn listed() -> impl Iterator<Item = Facet> {
    Facet::ALL
        .into_iter()
        .filter(|f| f.source() != Source::Date)
}

fn facet_what(f: Facet) -> &'static str {
    match f {
        Facet::Speaker => "index/facet-speaker.bin",
        Facet::Year => "index/facet-year.bin",
        Facet::Place => "index/facet-place.bin",
        Facet::Topic => "index/facet-topic.bin",
        Facet::Kind => "index/facet-kind.bin",
        Facet::Mentions => "index/facet-mentions.bin",
        Facet::Country => "index/facet-country.bin",
    }
}

fn write_csr(w: &mut Writer, (offs, ids): &Csr, n: usize) {
    for d in 0..n {
        let list = &ids[offs[d] as usize..offs[d + 1] as usize];
        w.varint(list.len() as u64);
        for &id in list {
            w.varint(u64::from(id));
        }
    }
}

/// Reads `n` documents' id lists; `None` when damaged (an id of `values` or more, a
/// truncated list): the caller names the file.
fn read_csr(r: &mut Reader, n: usize, values: usize) -> Option<Csr> {
    let mut offs = Vec::with_capacity(n + 1);
    let mut ids = Vec::new();
    offs.push(0);
    for _ in 0..n {
        let k = r.count().ok()?;
        for _ in 0..k {
            let v = r.u32v().ok()?;
            if v as usize >= values {
                return None;
            }
            ids.push(v);
        }
        offs.push(ids.len() as u32);
    }
    Some((offs, ids))
}

/// Whether facet `f`'s part lists every value's documents ([`write_by_value`]) rather
/// than every document's values: all but the speakers', whose per-document order the
/// turns part numbers speakers by. The one place the writer and the reader both ask.
fn by_value(f: Facet) -> bool {
    f != Facet::Speaker
}

/// The documents of each of `values` values, from per-document lists whose ids are
/// ascending (a set, as the build writes them): all the lists' lengths, then each list
/// as gaps between its document numbers (the first from 0), columns that deflate
/// better than the lists one after another.
fn write_by_value(w: &mut Writer, (offs, ids): &Csr, values: usize) {
    let mut docs: Vec<Vec<u32>> = vec![Vec::new(); values];
    for d in 0..offs.len().saturating_sub(1) {
        for &v in &ids[offs[d] as usize..offs[d + 1] as usize] {
            docs[v as usize].push(d as u32);
        }
    }
    for list in &docs {
        w.varint(list.len() as u64);
    }
    for list in &docs {
        let mut prev = 0u32;
        for &d in list {
            w.varint(u64::from(d - prev));
            prev = d;
        }
    }
}

/// [`write_by_value`]'s lists read back as every document's value ids, ascending; `None`
/// when damaged: more entries than bytes, a document number past `n` or not after the
/// previous one of its value. Two passes over the gaps (count, then place), so that
/// nothing but the result is allocated per entry.
fn read_by_value(r: &mut Reader, n: usize, values: usize) -> Option<Csr> {
    let mut lens = Vec::with_capacity(values);
    let mut total = 0usize;
    for _ in 0..values {
        let k = r.count().ok()?;
        total = total.checked_add(k)?;
        lens.push(k);
    }
    // Each entry takes a byte at least.
    if total > r.b.len().saturating_sub(r.pos) {
        return None;
    }
    let gaps = r.pos;
    let mut offs = vec![0u32; n + 1];
    for &k in &lens {
        let mut d = 0u32;
        for i in 0..k {
            let gap = r.u32v().ok()?;
            if i > 0 && gap == 0 {
                return None;
            }
            d = d.checked_add(gap)?;
            if d as usize >= n {
                return None;
            }
            offs[d as usize + 1] += 1;
        }
    }
    let end = r.pos;
    for d in 0..n {
        offs[d + 1] += offs[d];
    }
    // Values in ascending order: each document's slots fill ascending, as the build has
    // them.
    let mut at: Vec<u32> = offs[..n].to_vec();
    let mut ids = vec![0u32; total];
    r.pos = gaps;
    for (v, &k) in lens.iter().enumerate() {
        let mut d = 0usize;
        for _ in 0..k {
            d += r.u32v().ok()? as usize;
            ids[at[d] as usize] = v as u32;
            at[d] += 1;
        }
    }
    debug_assert_eq!(r.pos, end);
    Some((offs, ids))
}

/// Checks a part's magic bytes and format; the reader is then past them.
fn header<'a>(b: &'a [u8], magic: &[u8; 4], what: &'static str) -> Result<Reader<'a>, IndexError> {
    if b.len() < 8 || &b[..4] != magic {
        return Err(IndexError::NotAnIndex { what: what.into() });
    }
    let found = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
    if found != INDEX_FORMAT {
        return Err(IndexError::Version {
            found,
            expected: INDEX_FORMAT,
        });
    }
    let mut r = Reader::new(b, what);
    r.pos = 8;
    Ok(r)
}

impl Meta {
    /// `meta.bin`'s bytes: the counts and shard tables, nothing per document.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(META_MAGIC);
        w.u32(INDEX_FORMAT);
        w.varint(self.n_docs as u64);
        w.varint(self.lens.iter().map(|&l| u64::from(l)).sum());
        for f in listed() {
            w.varint(self.values[f].len() as u64);
        }
        // Every document's year as runs: (0 undated, else 1 + the year's index; length).
        let (years, runs) = year_runs(&self.dates);
        w.varint(years.len() as u64);
        for &y in &years {
            w.varint(u64::from(y));
        }
        let mut all = Vec::new();
        let mut at = 0u32;
        for r in &runs {
            if r.first > at {
                all.push((0, r.first - at));
            }
            all.push((r.year + 1, r.len));
            at = r.first + r.len;
        }
        if (at as usize) < self.n_docs {
            all.push((0, self.n_docs as u32 - at));
        }
        w.varint(all.len() as u64);
        for (v, len) in all {
            w.varint(u64::from(v));
            w.varint(u64::from(len));
        }
        w.varint(u64::from(self.n_terms));
        for bounds in [&self.post_bounds, &self.pos_bounds] {
            w.varint(bounds.len() as u64);
            for &b in bounds {
                w.varint(u64::from(b));
            }
        }
        for bounds in [&self.dict_bounds, &self.words_bounds] {
            w.varint(bounds.len() as u64);
            for k in bounds {
                w.str(k);
            }
        }
        w.buf
    }

    /// The bytes of the documents part: every date key (the difference from the
    /// previous one, zigzag-coded: documents are in date order, so most are 0 or small),
    /// then every length.
    pub fn encode_docs(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(DOCS_MAGIC);
        w.u32(INDEX_FORMAT);
        w.varint(self.n_docs as u64);
        let mut prev = 0i64;
        for &k in &self.dates {
            let d = i64::from(k) - prev;
            w.varint(((d << 1) ^ (d >> 63)) as u64);
            prev = i64::from(k);
        }
        for &l in &self.lens {
            w.varint(u64::from(l));
        }
        w.buf
    }

    /// The bytes of the ids part: every document's id, in document order.
    pub fn encode_ids(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(IDS_MAGIC);
        w.u32(INDEX_FORMAT);
        w.varint(self.n_docs as u64);
        for id in &self.ids {
            w.str(id);
        }
        w.buf
    }

    /// The bytes of facet `f`'s part (a listed facet): its values, then which documents
    /// have which. The speakers' part lists every document's speakers, in the order the
    /// turns part numbers them ([`Meta::encode_turns`]). Every other facet's lists every
    /// value's documents instead ([`write_by_value`]): a document's values are a set, and
    /// the mentions' part deflated to 90 KB that way where per document it was 141 KB
    /// at 18k transcripts (a `mentions:` filter reads the whole part).
    pub fn encode_facet(&self, f: Facet) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(FACET_MAGIC);
        w.u32(INDEX_FORMAT);
        w.varint(f.slot() as u64);
        w.varint(self.n_docs as u64);
        w.varint(self.values[f].len() as u64);
        for v in &self.values[f] {
            w.str(v);
        }
        if by_value(f) {
            write_by_value(&mut w, &self.doc_values[f], self.values[f].len());
        } else {
            write_csr(&mut w, &self.doc_values[f], self.n_docs);
        }
        w.buf
    }

    /// Reads and checks `meta.bin`.
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
        // Nothing is allocated per document here: each part checks that the count fits
        // its own bytes before it allocates.
        let n = r.u32v()? as usize;
        let total_len = r.varint()?;
        let mut m = Meta {
            n_docs: n,
            total_len,
            ..Meta::default()
        };
        for f in listed() {
            m.value_counts[f] = r.u32v()?;
        }
        m.read_years(&mut r)?;
        m.n_terms = r.u32v()?;
        let mut bounds = Vec::new();
        for _ in 0..2 {
            let k = r.count()?;
            let mut v = Vec::with_capacity(k);
            for _ in 0..k {
                v.push(r.u32v()?);
            }
            if v.first() != Some(&0) || v.windows(2).any(|w| w[0] >= w[1]) {
                return Err(IndexError::Corrupt {
                    what: META_PATH.into(),
                    offset: r.pos,
                });
            }
            bounds.push(v);
        }
        m.pos_bounds = bounds.pop().unwrap_or_default();
        m.post_bounds = bounds.pop().unwrap_or_default();
        for bounds in [&mut m.dict_bounds, &mut m.words_bounds] {
            let k = r.count()?;
            for _ in 0..k {
                bounds.push(r.str()?);
            }
            // Shard 0 starts at "" and each next one above: a shard for every key.
            if bounds.first().is_some_and(|b| !b.is_empty())
                || bounds.windows(2).any(|w| w[0] >= w[1])
            {
                return Err(IndexError::Corrupt {
                    what: META_PATH.into(),
                    offset: r.pos,
                });
            }
        }
        // The same average the lengths give once loaded: BM25 needs it before them.
        m.avg_len = if n == 0 {
            1.0
        } else {
            (total_len as f64 / n as f64).max(1.0) as f32
        };
        Ok(m)
    }

    /// Reads `meta.bin`'s years and their runs, checked: years ascending, each run
    /// naming one of them (or none) and not empty, the runs covering every document.
    fn read_years(&mut self, r: &mut Reader) -> Result<(), IndexError> {
        let corrupt = |r: &Reader| IndexError::Corrupt {
            what: META_PATH.into(),
            offset: r.pos,
        };
        let k = r.count()?;
        let mut years: Vec<u32> = Vec::with_capacity(k);
        for _ in 0..k {
            let y = r.u32v()?;
            if y > 9999 || years.last().is_some_and(|&p| p >= y) {
                return Err(corrupt(r));
            }
            years.push(y);
        }
        let k = r.count()?;
        let mut at = 0u64;
        for _ in 0..k {
            let (v, len) = (r.u32v()?, r.u32v()?);
            if len == 0 || v as usize > years.len() || at + u64::from(len) > self.n_docs as u64 {
                return Err(corrupt(r));
            }
            if v > 0 {
                self.year_runs.push(YearRun {
                    first: at as u32,
                    len,
                    year: v - 1,
                });
            }
            at += u64::from(len);
        }
        if at != self.n_docs as u64 {
            return Err(corrupt(r));
        }
        self.values[Facet::Year] = years.iter().map(u32::to_string).collect();
        self.facet_loaded[Facet::Year] = true;
        Ok(())
    }

    /// Adds the documents part, checked: the document count, every date key a date
    /// (`yyyymmdd`, month and day may be 00) or 0 and in the year `meta.bin`'s runs
    /// give it, the lengths adding up to `meta.bin`'s total.
    pub fn add_docs(&mut self, b: &[u8]) -> Result<(), IndexError> {
        let mut r = header(b, DOCS_MAGIC, DOCS_PATH)?;
        let corrupt = |r: &Reader| IndexError::Corrupt {
            what: DOCS_PATH.into(),
            offset: r.pos,
        };
        let n = self.n_docs;
        if r.count()? != n {
            return Err(corrupt(&r));
        }
        let mut dates = Vec::with_capacity(n);
        let mut prev = 0i64;
        for _ in 0..n {
            let z = r.varint()?;
            let d = (z >> 1) as i64 ^ -((z & 1) as i64);
            let k = prev.checked_add(d).ok_or_else(|| corrupt(&r))?;
            let ok = k == 0
                || (10_000..=99_991_231).contains(&k) && k % 100 <= 31 && k / 100 % 100 <= 12;
            if !ok {
                return Err(corrupt(&r));
            }
            dates.push(k as u32);
            prev = k;
        }
        let mut lens = Vec::with_capacity(n);
        let mut total = 0u64;
        for _ in 0..n {
            let l = r.u32v()?;
            total += u64::from(l);
            lens.push(l);
        }
        if total != self.total_len || r.pos != b.len() {
            return Err(corrupt(&r));
        }
        let (years, runs) = year_runs(&dates);
        let years: Vec<String> = years.iter().map(u32::to_string).collect();
        if years != self.values[Facet::Year] || runs != self.year_runs {
            return Err(corrupt(&r));
        }
        self.dates = dates;
        self.lens = lens;
        self.docs_loaded = true;
        Ok(())
    }

    /// Adds the ids part, checked: the document count.
    pub fn add_ids(&mut self, b: &[u8]) -> Result<(), IndexError> {
        let mut r = header(b, IDS_MAGIC, IDS_PATH)?;
        if r.count()? != self.n_docs {
            return Err(IndexError::Corrupt {
                what: IDS_PATH.into(),
                offset: r.pos,
            });
        }
        let mut ids = Vec::with_capacity(self.n_docs);
        for _ in 0..self.n_docs {
            ids.push(r.str()?);
        }
        self.ids = ids;
        self.ids_loaded = true;
        Ok(())
    }

    /// Adds facet `f`'s part, checked: the facet, the document and value counts `meta.bin`
    /// gives, every value id.
    pub fn add_facet(&mut self, f: Facet, b: &[u8]) -> Result<(), IndexError> {
        let what = facet_what(f);
        let mut r = header(b, FACET_MAGIC, what)?;
        let corrupt = |r: &Reader| IndexError::Corrupt {
            what: PartId::Facet(f).path(),
            offset: r.pos,
        };
        // The document count is compared, not bounded by the bytes left: a part written
        // by value may be shorter than one byte a document.
        if f.source() == Source::Date
            || r.varint()? != f.slot() as u64
            || r.varint()? != self.n_docs as u64
        {
            return Err(corrupt(&r));
        }
        let k = r.count()?;
        if k != self.value_counts[f] as usize {
            return Err(corrupt(&r));
        }
        let mut values = Vec::with_capacity(k);
        for _ in 0..k {
            values.push(r.str()?);
        }
        let csr = if by_value(f) {
            read_by_value(&mut r, self.n_docs, k)
        } else {
            read_csr(&mut r, self.n_docs, k)
        }
        .ok_or_else(|| corrupt(&r))?;
        if r.pos != b.len() {
            return Err(corrupt(&r));
        }
        self.values[f] = values;
        self.doc_values[f] = csr;
        self.facet_loaded[f] = true;
        if f == Facet::Speaker {
            self.link_turns()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
