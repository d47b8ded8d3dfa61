//! Maps cut by key range: the one owner of how the stem dictionary ([`PartId::Dict`]) and
//! the word dictionary ([`PartId::Words`]) are split into shards, which shard a key or a
//! prefix falls in, and how a fetched shard is checked against the first keys that
//! `meta.bin` lists.
//!
//! Why: both dictionaries grow with the corpus (the word dictionary was 315 KB gzip at
//! 18k transcripts, fetched whole by any prefix query). Cut into shards of a fixed key
//! budget, a query fetches the few shards its keys fall in; a typo, which may change the
//! first letter, still needs every word shard.

use std::ops::Range;

use fst::Streamer;

use super::layout::PartId;
use super::IndexError;

/// Cuts `entries` (keys in byte order, each with its value) into fst maps of about
/// `budget` raw key bytes each (4 bytes counted per key for its value). Returns the maps
/// and each one's first key; the first shard's is `""`, below every key, so that every
/// key has a shard.
pub(crate) fn cut<'a>(
    entries: impl IntoIterator<Item = (&'a [u8], u64)>,
    budget: usize,
) -> (Vec<Vec<u8>>, Vec<String>) {
    let (mut shards, mut bounds) = (Vec::new(), Vec::new());
    let mut cur: Vec<(&[u8], u64)> = Vec::new();
    let mut bytes = 0usize;
    let mut flush = |cur: &mut Vec<(&[u8], u64)>, shards: &mut Vec<Vec<u8>>| {
        bounds.push(match shards.is_empty() {
            true => String::new(),
            false => String::from_utf8_lossy(cur[0].0).into_owned(),
        });
        shards.push(
            fst::Map::from_iter(cur.drain(..))
                .map(|m| m.into_fst().into_inner())
                .unwrap_or_default(),
        );
    };
    for (k, v) in entries {
        if !cur.is_empty() && bytes >= budget {
            flush(&mut cur, &mut shards);
            bytes = 0;
        }
        bytes += k.len() + 4;
        cur.push((k, v));
    }
    if !cur.is_empty() {
        flush(&mut cur, &mut shards);
    }
    (shards, bounds)
}

/// The shard whose key range holds `key`, given the shards' first keys (`None` when
/// there are no shards).
pub(crate) fn shard_for(bounds: &[String], key: &[u8]) -> Option<usize> {
    (!bounds.is_empty()).then(|| bounds.partition_point(|k| k.as_bytes() <= key).max(1) - 1)
}

/// The shards that may hold a key starting with `prefix`: the one `prefix` falls in,
/// and every later one whose first key starts with it.
pub(crate) fn prefix_shards(bounds: &[String], prefix: &[u8]) -> Range<usize> {
    let Some(lo) = shard_for(bounds, prefix) else {
        return 0..0;
    };
    let more = bounds[lo + 1..]
        .iter()
        .take_while(|b| b.as_bytes().starts_with(prefix))
        .count();
    lo..lo + 1 + more
}

/// Opens shard `i` of a map cut by [`cut`] and checks it against `bounds`: its first key
/// is its bound (shard 0 excepted: it starts at `""`), no key reaches the next shard's
/// bound, no value reaches `values`, and it is not empty. A stale or damaged shard is
/// refused rather than answering for keys it does not hold.
pub(crate) fn open_shard(
    part: PartId,
    bytes: Vec<u8>,
    i: usize,
    bounds: &[String],
    values: u64,
) -> Result<fst::Map<Vec<u8>>, IndexError> {
    let corrupt = || IndexError::Corrupt {
        what: part.path(),
        offset: 0,
    };
    if i >= bounds.len() {
        return Err(IndexError::UnknownPart(part));
    }
    let map = super::fstcheck::checked_map(bytes).map_err(|_| corrupt())?;
    let (lo, hi) = (&bounds[i], bounds.get(i + 1));
    let mut st = map.stream();
    let mut first = true;
    while let Some((k, v)) = st.next() {
        let bad = (first && i > 0 && k != lo.as_bytes())
            || hi.is_some_and(|h| k >= h.as_bytes())
            || v >= values;
        if bad {
            return Err(corrupt());
        }
        first = false;
    }
    if first {
        return Err(corrupt());
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{Automaton, IntoStreamer};

    fn keys(n: usize) -> Vec<String> {
        let mut v: Vec<String> = (0..n).map(|i| format!("w{:05}", i * 7 % n)).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn every_key_is_in_the_shard_its_bound_names() {
        let ks = keys(500);
        let (shards, bounds) = cut(
            ks.iter().enumerate().map(|(i, k)| (k.as_bytes(), i as u64)),
            200,
        );
        assert!(shards.len() > 5, "{} shards", shards.len());
        assert_eq!(bounds[0], "");
        let maps: Vec<_> = (0..shards.len())
            .map(|i| {
                open_shard(PartId::Words(i as u32), shards[i].clone(), i, &bounds, 500).unwrap()
            })
            .collect();
        for (i, k) in ks.iter().enumerate() {
            let s = shard_for(&bounds, k.as_bytes()).unwrap();
            assert_eq!(maps[s].get(k), Some(i as u64), "{k}");
        }
        // A shard under another number, or with values out of range, is refused.
        assert!(open_shard(PartId::Words(1), shards[2].clone(), 1, &bounds, 500).is_err());
        assert!(open_shard(PartId::Words(1), shards[1].clone(), 1, &bounds, 3).is_err());
        assert!(open_shard(PartId::Words(9), shards[1].clone(), 99, &bounds, 500).is_err());
    }

    #[test]
    fn a_prefix_names_exactly_the_shards_its_keys_lie_in() {
        let ks = keys(2000);
        let (shards, bounds) = cut(ks.iter().map(|k| (k.as_bytes(), 0)), 300);
        let maps: Vec<fst::Map<Vec<u8>>> = shards
            .into_iter()
            .map(|b| fst::Map::new(b).unwrap())
            .collect();
        for p in ["w", "w00", "w012", "w0199", "w01999", "x", "a", ""] {
            let r = prefix_shards(&bounds, p.as_bytes());
            let want: Vec<&String> = ks.iter().filter(|k| k.starts_with(p)).collect();
            let mut got = Vec::new();
            for m in &maps[r.clone()] {
                let aut = fst::automaton::Str::new(p).starts_with();
                let mut st = m.search(aut).into_stream();
                while let Some((k, _)) = st.next() {
                    got.push(String::from_utf8(k.to_vec()).unwrap());
                }
            }
            assert_eq!(got.iter().collect::<Vec<_>>(), want, "{p}");
            // No shard outside the range holds one, and the range is tight at its end.
            if let Some(last) = r.clone().last() {
                if last > r.start {
                    assert!(bounds[last].starts_with(p));
                }
            }
        }
    }

    #[test]
    fn no_entries_no_shards() {
        let (s, b) = cut(std::iter::empty(), 100);
        assert!(s.is_empty() && b.is_empty());
        assert_eq!(shard_for(&b, b"a"), None);
        assert_eq!(prefix_shards(&b, b"a"), 0..0);
    }
}
