//! The deflate envelope of the index files a bundle ships.
//!
//! Why: static hosts compress text, not binary files. GitHub Pages sends `.bin` and
//! `.fst` as they are, so at 18k transcripts a first query moved 268 KB of index files
//! that deflate to about 100 KB (postings to 0.43 of their size, facets to 0.42, the
//! documents part to 0.46). The bundle writer wraps each index file in this envelope when
//! that saves at least a sixteenth; [`crate::search::Index::open`] and
//! [`crate::search::Index::add_part`] take a file either way, so the in-memory
//! [`crate::search::IndexFiles`] of the tests and the CLI stay raw.
//!
//! Layout: [`MAGIC`], the raw length as a little-endian `u32`, then raw deflate. The
//! length is checked before inflating (at most [`MAX_RAW`]) and after (exactly), so a
//! hostile file costs no more memory than it says and cannot pass for another.

use super::IndexError;

/// First bytes of an enveloped file: no raw index file starts with them (parts start
/// with their own magic, fst maps with their version number).
pub const MAGIC: &[u8; 4] = b"STZ\x01";

/// The largest raw file an envelope may hold (a positions shard is 64 KiB by default).
pub const MAX_RAW: usize = 256 << 20;

/// `bytes` in the envelope when that makes it at least a sixteenth smaller; otherwise
/// `bytes` as they are. Deterministic (the build's output is).
pub fn squeeze(bytes: &[u8]) -> Vec<u8> {
    if bytes.len() > MAX_RAW {
        return bytes.to_vec();
    }
    let packed = miniz_oxide::deflate::compress_to_vec(bytes, 9);
    if packed.len() + 8 > bytes.len() - bytes.len() / 16 {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(packed.len() + 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(&packed);
    out
}

/// The raw bytes of index file `what`: inflated when enveloped, else `bytes` unchanged.
pub fn unsqueeze(what: &str, bytes: Vec<u8>) -> Result<Vec<u8>, IndexError> {
    if !bytes.starts_with(MAGIC) {
        return Ok(bytes);
    }
    let corrupt = |offset| IndexError::Corrupt {
        what: format!("{what} (its compressed envelope)"),
        offset,
    };
    let len = bytes
        .get(4..8)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or(corrupt(4))?;
    if len > MAX_RAW {
        return Err(corrupt(4));
    }
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes[8..], len)
        .map_err(|_| corrupt(8))?;
    if raw.len() != len {
        return Err(corrupt(8));
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_what_does_not_shrink() {
        let text: Vec<u8> = (0..5000u32).flat_map(|i| (i % 97).to_le_bytes()).collect();
        let s = squeeze(&text);
        assert!(
            s.starts_with(MAGIC) && s.len() < text.len() / 4,
            "{}",
            s.len()
        );
        assert_eq!(unsqueeze("x", s).unwrap(), text);
        // Noise does not shrink: kept as it is, and read back as it is.
        let mut x = 0x9E37_79B9u32;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        assert_eq!(squeeze(&noise), noise);
        assert_eq!(unsqueeze("x", noise.clone()).unwrap(), noise);
        assert_eq!(squeeze(&[]), Vec::<u8>::new());
    }

    #[test]
    fn a_damaged_envelope_is_an_error_never_a_panic_or_a_wrong_length() {
        let text: Vec<u8> = b"the quick brown fox ".repeat(300);
        let s = squeeze(&text);
        for at in 0..s.len() {
            for flip in [0x01u8, 0x80] {
                let mut bad = s.clone();
                bad[at] ^= flip;
                let stated = bad
                    .get(4..8)
                    .map(|b| u32::from_le_bytes(b.try_into().unwrap()));
                match unsqueeze("x", bad.clone()) {
                    // Raw deflate has no checksum: a flip may inflate to other bytes (the
                    // part's own checks catch those), but never to another length.
                    Ok(raw) if bad.starts_with(MAGIC) => {
                        assert_eq!(Some(raw.len() as u32), stated, "flip at {at}")
                    }
                    Ok(raw) => assert_eq!(raw, bad, "no envelope: as it is"),
                    Err(_) => {}
                }
            }
        }
        // Cut anywhere after the magic: an error.
        for at in 4..s.len() {
            assert!(unsqueeze("x", s[..at].to_vec()).is_err(), "cut at {at}");
        }
        // A length over the cap is refused before inflating.
        let mut big = s.clone();
        big[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(unsqueeze("x", big).is_err());
    }
}
