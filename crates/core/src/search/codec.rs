//! Little-endian varints and length-prefixed strings: the byte encoding of index files.

use super::IndexError;

/// Appends values to a byte buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn varint(&mut self, v: u64) {
        put_varint(&mut self.buf, v);
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
}

/// Appends a varint to `buf`.
#[inline]
pub(crate) fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Bytes of `v` as a varint (`v` at least 1).
pub(crate) fn varint_len(v: u32) -> usize {
    (32 - v.max(1).leading_zeros() as usize).div_ceil(7)
}

/// Reads values from a byte slice; every read is bounds-checked so that a corrupt or
/// truncated file gives an error, never a panic.
pub(crate) struct Reader<'a> {
    pub b: &'a [u8],
    pub pos: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8], what: &'static str) -> Reader<'a> {
        Reader { b, pos: 0, what }
    }
    fn corrupt(&self) -> IndexError {
        IndexError::Corrupt {
            what: self.what.to_string(),
            offset: self.pos,
        }
    }
    pub fn varint(&mut self) -> Result<u64, IndexError> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let byte = *self.b.get(self.pos).ok_or_else(|| self.corrupt())?;
            self.pos += 1;
            if shift > 63 {
                return Err(self.corrupt());
            }
            v |= u64::from(byte & 0x7F) << shift;
            if byte < 0x80 {
                return Ok(v);
            }
            shift += 7;
        }
    }
    pub fn u32v(&mut self) -> Result<u32, IndexError> {
        u32::try_from(self.varint()?).map_err(|_| self.corrupt())
    }
    pub fn u32(&mut self) -> Result<u32, IndexError> {
        let s = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.corrupt())?;
        self.pos += 4;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], IndexError> {
        let s = self
            .b
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or_else(|| self.corrupt())?;
        self.pos += n;
        Ok(s)
    }
    pub fn str(&mut self) -> Result<String, IndexError> {
        let n = self.varint()? as usize;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| self.corrupt())
    }
    /// A count that must fit in the remaining bytes (each item takes at least one byte),
    /// so that a corrupt count cannot make us allocate gigabytes.
    pub fn count(&mut self) -> Result<usize, IndexError> {
        let n = self.varint()? as usize;
        if n > self.b.len().saturating_sub(self.pos) {
            return Err(self.corrupt());
        }
        Ok(n)
    }
}

/// Reads a varint at `*pos` from `b` without bounds errors: a truncated buffer reads as 0.
/// Only used on shard bytes whose structure was checked when the shard was added.
#[inline]
pub(crate) fn get_varint(b: &[u8], pos: &mut usize) -> u64 {
    // Most varints in postings and positions are one byte.
    if let Some(&byte) = b.get(*pos) {
        if byte < 0x80 {
            *pos += 1;
            return u64::from(byte);
        }
    }
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&byte) = b.get(*pos) {
        *pos += 1;
        v |= u64::from(byte & 0x7F) << (shift & 63);
        if byte < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_lengths_match_the_encoding() {
        for v in [
            0u32,
            1,
            127,
            128,
            16_383,
            16_384,
            2_097_151,
            2_097_152,
            u32::MAX,
        ] {
            let mut b = Vec::new();
            put_varint(&mut b, u64::from(v.max(1)));
            assert_eq!(varint_len(v), b.len(), "{v}");
        }
    }
}
