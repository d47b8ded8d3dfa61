//! The one reader of the index's fst maps (the stem and word dictionaries, whole or by
//! shard): an fst map from bytes a server sent, its checksum checked here.
//!
//! fst's builder ends each map with a masked CRC-32C (Castagnoli) of the bytes before
//! it; `Fst::verify` checks it by slicing-by-16, whose 17 KB of tables are random bytes
//! that no compression shrinks: 7 % of the search worker's gzipped wasm, which every
//! first visit downloads before it can search (issue 13). This computes the same CRC a
//! byte at a time from one 1 KB table built on first use: a dictionary shard (tens of
//! KB) is checked in well under a millisecond, once per shard a query fetches.

use std::sync::OnceLock;

/// CRC-32C's polynomial, bit-reflected.
const CASTAGNOLI: u32 = 0x82F6_3B78;

/// Why a map was refused: fst's own reading error, or a checksum that does not match.
#[derive(Debug)]
pub(crate) enum FstError {
    Fst(fst::Error),
    /// The map's format has no checksum (fst versions before 3): refused, as
    /// `Fst::verify` refuses it.
    NoChecksum,
    Mismatch {
        expected: u32,
        got: u32,
    },
}

impl std::fmt::Display for FstError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FstError::Fst(e) => e.fmt(f),
            FstError::NoChecksum => f.write_str("the fst has no checksum (fst format before 3)"),
            FstError::Mismatch { expected, got } => write!(
                f,
                "checksum mismatch: the fst says {expected:#010x}, its bytes give {got:#010x}"
            ),
        }
    }
}

/// The fst map in `bytes`, refused if its checksum does not match its bytes: a damaged
/// dictionary is an error here, not a wrong answer (or a panic) during a walk.
pub(crate) fn checked_map(bytes: Vec<u8>) -> Result<fst::Map<Vec<u8>>, FstError> {
    let map = fst::Map::new(bytes).map_err(FstError::Fst)?;
    let all = map.as_fst().as_bytes();
    // fst::Map::new has checked the length (its 16-byte header and footer at least); the
    // header starts with the format's version.
    let version = u64::from_le_bytes(all[..8].try_into().expect("eight bytes"));
    if version < 3 {
        return Err(FstError::NoChecksum);
    }
    let (body, tail) = all.split_at(all.len() - 4);
    let expected = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
    let got = masked(crc32c(body));
    if expected != got {
        return Err(FstError::Mismatch { expected, got });
    }
    Ok(map)
}

fn table() -> &'static [u32; 256] {
    static T: OnceLock<[u32; 256]> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ CASTAGNOLI
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    })
}

/// CRC-32C of `bytes`.
fn crc32c(bytes: &[u8]) -> u32 {
    let t = table();
    !bytes
        .iter()
        .fold(!0u32, |crc, &b| t[((crc as u8) ^ b) as usize] ^ (crc >> 8))
}

/// The masking fst applies (Snappy's framing format's), so that a checksum stored inside
/// checked data does not check itself.
fn masked(sum: u32) -> u32 {
    sum.rotate_right(15).wrapping_add(0xA282_EAD8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_of(n: usize) -> Vec<u8> {
        let keys: Vec<(String, u64)> = (0..n).map(|i| (format!("w{i:06}"), i as u64)).collect();
        fst::Map::from_iter(keys).unwrap().into_fst().into_inner()
    }

    #[test]
    fn crc32c_gives_the_standard_check_value() {
        // The CRC catalogue's check value of CRC-32/ISCSI over "123456789".
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(b""), 0);
    }

    #[test]
    fn agrees_with_fst_verify_on_maps_of_every_size() {
        for n in [0, 1, 2, 15, 16, 17, 100, 5_000] {
            let bytes = map_of(n);
            fst::Map::new(bytes.clone())
                .unwrap()
                .as_fst()
                .verify()
                .unwrap();
            let map = checked_map(bytes).unwrap();
            assert_eq!(map.len(), n);
        }
    }

    #[test]
    fn a_changed_byte_anywhere_is_refused() {
        let bytes = map_of(300);
        for at in (0..bytes.len()).step_by(7) {
            let mut bad = bytes.clone();
            bad[at] ^= 0x20;
            // Either fst refuses the layout, or the checksum catches it; fst's verify
            // agrees that it is damaged.
            assert!(
                checked_map(bad.clone()).is_err(),
                "byte {at} changed, yet accepted"
            );
            let theirs = fst::Map::new(bad).map(|m| m.as_fst().verify().is_ok());
            assert_ne!(
                theirs.ok(),
                Some(true),
                "byte {at}: fst's verify accepts it"
            );
        }
    }
}
