//! The postings format: its one writer ([`TermAcc`]) and its one reader ([`Cursor`]),
//! used by the engine and by the build's pair pass, and the postings shard that holds
//! many terms' postings ([`post_shard`], [`check_post_shard`], [`term_entry`]).
//!
//! A term's postings are, per document in ascending order: the gap from the previous
//! document, `tf << 1 | x` where `tf` counts outside the title, the document's length
//! as one byte ([`norm_byte`]), and when `x` is set the title and summary counts. The
//! length rides with each posting (Lucene's norms, with Lucene's one-byte coding) so that
//! ranking reads no file of every document's length: the first query at 100,000
//! transcripts costs what it costs at 7,000 (issue 13). Its positions (in a positions shard) are, per document, one
//! varint gap per occurrence (`tf + title` of them): a reader skips a document's
//! positions by counting varint ends, so no length is stored.

use super::codec::{get_varint, put_varint, Reader, Writer};
use super::layout::POST_MAGIC;
use super::IndexError;

/// One term's postings and positions, as the builder accumulates them.
#[derive(Default)]
pub(crate) struct TermAcc {
    pub df: u32,
    pub last_doc: u32,
    pub post: Vec<u8>,
    pub pos: Vec<u8>,
}

impl TermAcc {
    /// Appends the posting of document `doc` (after every earlier one), `len` tokens
    /// long: the gap from the last document, `tf << 1 | x` where `tf` counts outside
    /// the title, the length's [`norm_byte`], and when `x` is set, the title and summary
    /// counts. The one writer of the postings format.
    pub fn push_doc(&mut self, doc: u32, len: u32, tf: u64, title: u64, summary: u64) {
        let delta = if self.df == 0 {
            doc
        } else {
            doc - self.last_doc
        };
        put_varint(&mut self.post, u64::from(delta));
        let extra = title > 0 || summary > 0;
        put_varint(&mut self.post, (tf << 1) | u64::from(extra));
        self.post.push(norm_byte(len));
        if extra {
            put_varint(&mut self.post, title);
            put_varint(&mut self.post, summary);
        }
        self.df += 1;
        self.last_doc = doc;
    }

    /// Appends this term's entry to a shard's data: document frequency, where its
    /// positions lie in their shard (`pos_at`: offset, length), then its postings.
    pub fn put_entry(&self, data: &mut Vec<u8>, pos_at: (u64, u64)) {
        put_varint(data, u64::from(self.df));
        put_varint(data, pos_at.0);
        put_varint(data, pos_at.1);
        data.extend_from_slice(&self.post);
    }
}

/// A postings shard: magic, first term, term count, the entries' end offsets (the
/// first is 0) as little-endian u32s, then the entries ([`TermAcc::put_entry`]).
pub(crate) fn post_shard(first: u32, offsets: &[u32], data: &[u8]) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes(POST_MAGIC);
    w.u32(first);
    w.u32(offsets.len().saturating_sub(1) as u32);
    for &o in offsets {
        w.u32(o);
    }
    w.bytes(data);
    w.buf
}

/// Checks a postings shard's header; returns (first term, term count).
pub(crate) fn check_post_shard(b: &[u8]) -> Result<(u32, u32), IndexError> {
    let corrupt = |offset| IndexError::Corrupt {
        what: "postings shard".into(),
        offset,
    };
    if b.len() < 12 || &b[..4] != POST_MAGIC {
        return Err(corrupt(0));
    }
    let mut r = Reader::new(b, "postings shard");
    r.pos = 4;
    let first = r.u32()?;
    let n = r.u32()?;
    let header = 12usize + 4 * (n as usize + 1);
    if b.len() < header {
        return Err(corrupt(12));
    }
    let data_len = b.len() - header;
    let mut prev = 0u32;
    for i in 0..=n as usize {
        let o = r.u32()?;
        if o < prev || o as usize > data_len || (i == 0 && o != 0) {
            return Err(corrupt(r.pos));
        }
        prev = o;
    }
    Ok((first, n))
}

/// The entry of the `local`th term of a shard that passed [`check_post_shard`]: its
/// document frequency, its positions' (offset, length) in their shard, and its postings.
/// `None` when the shard has no such term.
pub(crate) fn term_entry(shard: &[u8], local: usize) -> Option<(u32, (usize, usize), &[u8])> {
    let n = u32::from_le_bytes([shard[8], shard[9], shard[10], shard[11]]) as usize;
    if local >= n {
        return None;
    }
    let header = 12 + 4 * (n + 1);
    let off = |i: usize| {
        let p = 12 + 4 * i;
        u32::from_le_bytes([shard[p], shard[p + 1], shard[p + 2], shard[p + 3]]) as usize
    };
    let data = &shard[header + off(local)..header + off(local + 1)];
    let mut at = 0;
    let df = get_varint(data, &mut at) as u32;
    let pos_off = get_varint(data, &mut at) as usize;
    let pos_len = get_varint(data, &mut at) as usize;
    Some((df, (pos_off, pos_len), &data[at..]))
}

/// The postings of one term, as slices of its shards (or of the builder's buffers).
#[derive(Clone, Copy)]
pub(crate) struct TermPostings<'a> {
    pub df: u32,
    pub data: &'a [u8],
    pub pos: Option<&'a [u8]>,
}

/// Walks a term's postings; positions are decoded only when asked for. The one reader
/// of the postings format: the engine's, and the build's pair pass.
pub(crate) struct Cursor<'a> {
    data: &'a [u8],
    at: usize,
    left: u32,
    pub doc: u32,
    /// Occurrences outside the title.
    pub tf: u32,
    /// Occurrences in the title.
    pub title: u32,
    /// Occurrences in the summary (counted in `tf` too).
    pub summary: u32,
    /// The document's length, coded ([`norm_len`] decodes it).
    pub norm: u8,
    pos: Option<&'a [u8]>,
    /// Start of the first posting's positions not yet read or skipped.
    pos_at: usize,
    /// Positions (one varint each) of earlier documents not yet skipped.
    pos_skip: usize,
    /// Whether the current document's positions block was read.
    consumed: bool,
    started: bool,
}

impl<'a> Cursor<'a> {
    pub fn new(tp: TermPostings<'a>) -> Cursor<'a> {
        Cursor {
            data: tp.data,
            at: 0,
            left: tp.df,
            doc: 0,
            tf: 0,
            title: 0,
            summary: 0,
            norm: 0,
            pos: tp.pos,
            pos_at: 0,
            pos_skip: 0,
            consumed: false,
            started: false,
        }
    }

    #[inline]
    pub fn next(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        if self.started && !self.consumed {
            self.pos_skip += (self.tf + self.title) as usize;
        }
        self.consumed = false;
        self.left -= 1;
        let delta = get_varint(self.data, &mut self.at) as u32;
        self.doc = if self.started {
            self.doc.saturating_add(delta)
        } else {
            delta
        };
        self.started = true;
        let v = get_varint(self.data, &mut self.at);
        self.tf = (v >> 1) as u32;
        // Past the end only in a damaged file: a wrong length, never a panic.
        self.norm = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        if v & 1 == 1 {
            self.title = get_varint(self.data, &mut self.at) as u32;
            self.summary = get_varint(self.data, &mut self.at) as u32;
        } else {
            self.title = 0;
            self.summary = 0;
        }
        true
    }

    /// Advances to the first posting at or after `doc`; false at the end.
    pub fn advance_to(&mut self, doc: u32) -> bool {
        if self.started && self.doc >= doc {
            return true;
        }
        while self.next() {
            if self.doc >= doc {
                return true;
            }
        }
        false
    }

    /// The current document's token numbers, ascending; the first `title` are the
    /// title's. Empty when the cursor has no positions or they were read already.
    pub fn positions(&mut self, out: &mut Vec<u32>) {
        out.clear();
        out.reserve(self.pos_count(self.pos.map_or(0, <[u8]>::len)));
        self.each_position(|p| out.push(p));
    }

    /// Sets the bit of each of the current document's token numbers in `bits`, growing
    /// it as needed; returns the number of leading words of `bits` that may now be
    /// non-zero (the caller clears them). Nothing when the positions were read already.
    pub fn positions_bits(&mut self, bits: &mut Vec<u64>) -> usize {
        let mut top = 0usize;
        self.each_position(|p| {
            let w = (p >> 6) as usize;
            if w >= bits.len() {
                // Only a damaged file has token numbers this large: skip, never
                // allocate hundreds of megabytes.
                if w >= MAX_BIT_WORDS {
                    return;
                }
                bits.resize(w + 1, 0);
            }
            bits[w] |= 1u64 << (p & 63);
            top = top.max(w + 1);
        });
        top
    }

    /// How many of the current document's token numbers have their bit set in `bits`
    /// (a number past its end counts as clear), decoded and tested in one pass with no
    /// buffer: collocates test every position of every term against their windows.
    /// The numbers past the bitmap's end are skipped undecoded (a bitmap ends with the
    /// document's last window). 0 when the positions were read already.
    pub fn positions_in(&mut self, bits: &[u64]) -> u32 {
        let Some(pos) = self.pos else { return 0 };
        if self.consumed {
            return 0;
        }
        let mut at = skip_varints(pos, self.pos_at, self.pos_skip);
        self.pos_skip = 0;
        let count = self.pos_count(pos.len().saturating_sub(at));
        let end = (bits.len() as u64) << 6;
        let (mut p, mut n, mut read) = (0u32, 0u32, 0usize);
        while read < count {
            // Wrapping, as in `each_position`: a damaged file gives wrong counts only.
            p = p.wrapping_add(gap_at(pos, &mut at));
            read += 1;
            if u64::from(p) >= end {
                break;
            }
            n += ((bits[(p >> 6) as usize] >> (p & 63)) & 1) as u32;
        }
        self.pos_at = skip_varints(pos, at, count - read);
        self.consumed = true;
        n
    }

    /// Calls `f` with each of the current document's token numbers, ascending, once:
    /// nothing when the cursor has no positions or they were read already.
    #[inline(always)]
    fn each_position(&mut self, mut f: impl FnMut(u32)) {
        let Some(pos) = self.pos else { return };
        if self.consumed {
            return;
        }
        // A local offset, not the field: the loop then keeps it in a register.
        let mut at = skip_varints(pos, self.pos_at, self.pos_skip);
        self.pos_skip = 0;
        let mut p = 0u32;
        for _ in 0..self.pos_count(pos.len().saturating_sub(at)) {
            // Wrapping, not saturating: a damaged file gives wrong numbers, never a
            // panic, and this is the hottest loop of a phrase.
            p = p.wrapping_add(gap_at(pos, &mut at));
            f(p);
        }
        self.pos_at = at;
        self.consumed = true;
    }
}

impl Cursor<'_> {
    /// How many positions the current document has: `tf + title`, but never more than
    /// `bytes` (each takes one at least), so that a damaged count can make a reader
    /// neither loop nor allocate without bound.
    #[inline(always)]
    fn pos_count(&self, bytes: usize) -> usize {
        (self.tf.saturating_add(self.title) as usize).min(bytes)
    }
}

/// Checks every term's postings in a shard that passed [`check_post_shard`] against the
/// index's document count `n_docs`: documents ascending and below it, each document's
/// occurrences within the length its norm allows and, for a term with positions,
/// within its positions' bytes, and each entry read exactly to its end. A shard that
/// passes cannot make the engine index out of bounds. Returns the first bad term's
/// index in the shard.
pub(crate) fn check_post_terms(shard: &[u8], n_docs: usize) -> Result<(), usize> {
    let n = u32::from_le_bytes([shard[8], shard[9], shard[10], shard[11]]) as usize;
    for local in 0..n {
        let (df, (_, pos_len), data) = term_entry(shard, local).ok_or(local)?;
        if df as usize > n_docs {
            return Err(local);
        }
        let mut c = Cursor::new(TermPostings {
            df,
            data,
            pos: None,
        });
        let mut prev: Option<u32> = None;
        let mut positions = 0u64;
        while c.next() {
            let occ = u64::from(c.tf) + u64::from(c.title);
            let ok = prev.is_none_or(|p| c.doc > p)
                && (c.doc as usize) < n_docs
                && occ <= u64::from(norm_max(c.norm));
            positions += occ;
            if !ok || (pos_len > 0 && positions > pos_len as u64) {
                return Err(local);
            }
            prev = Some(c.doc);
        }
        if c.at != data.len() {
            return Err(local);
        }
    }
    Ok(())
}

/// Lengths below this are coded exactly, each as its own byte (Lucene's
/// `SmallFloat.NUM_FREE_VALUES`).
const FREE_NORMS: u32 = 24;

/// A document length as one byte: exact below 40 tokens, above that a 4-bit float of
/// `len - 24` (three mantissa bits: within 1/8 below the true length), as Lucene's
/// `SmallFloat.intToByte4` codes its norms. Monotone: a longer document never gets a
/// smaller byte. Lengths beyond `i32::MAX` are coded as that.
pub(crate) fn norm_byte(len: u32) -> u8 {
    let len = len.min(i32::MAX as u32);
    if len < FREE_NORMS {
        return len as u8;
    }
    let i = len - FREE_NORMS;
    let bits = 32 - i.leading_zeros();
    let int4 = if bits < 4 {
        i
    } else {
        let shift = bits - 4;
        ((i >> shift) & 7) | ((shift + 1) << 3)
    };
    (FREE_NORMS + int4) as u8
}

/// The least length [`norm_byte`] codes as `b` (what ranking takes the length to be).
pub(crate) fn norm_len(b: u8) -> u32 {
    let b = u32::from(b);
    if b < FREE_NORMS {
        return b;
    }
    let i = b - FREE_NORMS;
    let (bits, shift) = (i & 7, i >> 3);
    FREE_NORMS
        + match shift {
            0 => bits,
            s => (bits | 8) << (s - 1),
        }
}

/// The greatest length [`norm_byte`] codes as `b`.
pub(crate) fn norm_max(b: u8) -> u32 {
    match b {
        255 => i32::MAX as u32,
        b => norm_len(b + 1) - 1,
    }
}

/// The position gap (a varint) at `*at`. Gaps of frequent words fit one byte, of
/// rarer ones mostly two: both are decoded here without the general loop.
#[inline(always)]
fn gap_at(pos: &[u8], at: &mut usize) -> u32 {
    match pos.get(*at..*at + 2) {
        Some(&[b, _]) if b < 0x80 => {
            *at += 1;
            u32::from(b)
        }
        Some(&[b, c]) if c < 0x80 => {
            *at += 2;
            u32::from(b & 0x7F) | (u32::from(c) << 7)
        }
        _ => get_varint(pos, at) as u32,
    }
}

/// Largest token-number bitmap a phrase check builds, in 64-bit words (2^26 tokens, far
/// beyond any transcript).
const MAX_BIT_WORDS: usize = 1 << 20;

/// The offset `n` varints after `at` in `data` (its end if shorter): a varint ends at
/// each byte below 0x80, so skipping is counting such bytes, without decoding. Eight
/// bytes are counted at a time (a frequent word skips most of its positions).
#[inline]
fn skip_varints(data: &[u8], at: usize, mut n: usize) -> usize {
    if n == 0 {
        return at;
    }
    let rest = data.get(at..).unwrap_or_default();
    let mut i = 0;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = rest.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let ends = 8 - (w & HIGH).count_ones() as usize;
        if ends >= n {
            break;
        }
        n -= ends;
        i += 8;
    }
    for (k, &b) in rest[i..].iter().enumerate() {
        if b < 0x80 {
            n -= 1;
            if n == 0 {
                return at + i + k + 1;
            }
        }
    }
    data.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipping_varints_eight_bytes_at_a_time_agrees_with_decoding() {
        let mut data = Vec::new();
        let values: Vec<u64> = (0..300u64).map(|i| (i * 7919) % 40_000).collect();
        for &v in &values {
            put_varint(&mut data, v);
        }
        for start in [0usize, 1, 5, 17, 150] {
            let mut at = 0;
            for _ in 0..start {
                get_varint(&data, &mut at);
            }
            for n in 0..=values.len() - start {
                let mut want = at;
                for _ in 0..n {
                    get_varint(&data, &mut want);
                }
                assert_eq!(skip_varints(&data, at, n), want, "start {start}, n {n}");
            }
            assert_eq!(skip_varints(&data, at, values.len() + 9), data.len());
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        let mut acc = TermAcc::default();
        acc.push_doc(3, 10, 2, 0, 0);
        acc.push_doc(9, 1000, 0, 1, 0);
        acc.push_doc(200, 7, 5, 2, 1);
        let mut data = Vec::new();
        acc.put_entry(&mut data, (7, 0));
        let shard = post_shard(4, &[0, data.len() as u32], &data);
        assert_eq!(check_post_shard(&shard).unwrap(), (4, 1));
        let (df, pos_at, post) = term_entry(&shard, 0).unwrap();
        assert_eq!((df, pos_at), (3, (7, 0)));
        assert!(term_entry(&shard, 1).is_none());
        let mut c = Cursor::new(TermPostings {
            df,
            data: post,
            pos: None,
        });
        let mut got = Vec::new();
        while c.next() {
            got.push((c.doc, c.tf, c.title, c.summary, norm_len(c.norm)));
        }
        assert_eq!(
            got,
            vec![(3, 2, 0, 0, 10), (9, 0, 1, 0, 984), (200, 5, 2, 1, 7)]
        );
        assert_eq!(check_post_terms(&shard, 201), Ok(()));
        // Regression (issue 13): postings are checked against the document count, not
        // against a file of every document's length.
        assert_eq!(check_post_terms(&shard, 200), Err(0));
    }

    #[test]
    fn norms_bound_every_length_and_keep_its_order() {
        let mut last = 0u8;
        let lens = (0..5000u32).chain((5000..2_000_000).step_by(997)).chain([
            i32::MAX as u32 - 1,
            i32::MAX as u32,
            u32::MAX,
        ]);
        for len in lens {
            let b = norm_byte(len);
            assert!(b >= last, "{len}");
            last = b;
            let l = len.min(i32::MAX as u32);
            assert!(norm_len(b) <= l && l <= norm_max(b), "{len}: {b}");
            if len < 40 {
                assert_eq!(norm_len(b), len);
            } else {
                // Within an eighth of the length above the free values.
                assert!(
                    u64::from(l - norm_len(b)) * 8 <= u64::from(l - FREE_NORMS),
                    "{len}"
                );
            }
        }
        for b in 0..=255u8 {
            assert_eq!(norm_byte(norm_len(b)), b);
            assert_eq!(norm_byte(norm_max(b)), b);
        }
    }
}
