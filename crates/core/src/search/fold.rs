//! Diacritic, compatibility and case folding of single characters: NFKD with the
//! combining marks dropped, then lower case, from a table of our own (`fold.bin`)
//! rather than the unicode-normalization crate and the standard library's case tables
//! at run time.
//!
//! Why: the crate's tables (canonical and compatibility decompositions, combining
//! classes, marks, in perfect hashes) were about 55 KB of the search worker's gzipped
//! wasm, a sixth of what a first visit downloads before it can search (issue 13). What
//! the analyser needs of them is smaller: what each character becomes once decomposed
//! and stripped of marks. That is 5,742 characters besides the Hangul syllables (whose
//! decomposition is arithmetic), 11 KB gzipped. Lower case is in the same table: the
//! standard library's lower-case table and its `to_lowercase` were another 6 KB of that
//! wasm, gzipped, and the folded characters they would change are a further 1,204
//! entries here, 2 KB.
//!
//! Folding a word character by character is exact, not an approximation of NFKD
//! followed by lower case (as the analyser did before, with `char::to_lowercase`): NFKD
//! is each character's decomposition followed by the canonical reordering of runs of
//! characters with a non-zero combining class, and every such character is a combining
//! mark, which folding drops, so the reordering never shows. The tests check this, and
//! the table itself, against unicode-normalization (a dev-dependency) for every
//! character; the table is regenerated with `STENOGRAM_WRITE_FOLD_TABLE=1 cargo test -p
//! stenogram-core fold` when that crate's Unicode version moves.
//!
//! `fold.bin` is varints (`codec`): the number of mark ranges, then each range as its
//! start's distance from the previous range's end and its length minus one; then, to the
//! end, the folded characters in code point order, each as its distance from the
//! previous one, the byte length of what it folds to, and those UTF-8 bytes. A
//! character not listed folds to itself, or to nothing if it is a mark.

use std::sync::OnceLock;

use super::codec::get_varint;

static TABLE_BYTES: &[u8] = include_bytes!("fold.bin");

/// The Hangul syllables, which decompose by arithmetic (Unicode §3.12).
const HANGUL: std::ops::RangeInclusive<u32> = 0xAC00..=0xD7A3;

struct Table {
    /// Inclusive ranges of combining marks, sorted.
    marks: Vec<(u32, u32)>,
    /// Folded characters, sorted, with the end of what each folds to in `to`.
    from: Vec<(u32, u32)>,
    to: String,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| decode(TABLE_BYTES))
}

fn decode(b: &[u8]) -> Table {
    let mut pos = 0;
    let next = |pos: &mut usize| get_varint(b, pos) as u32;
    let n = next(&mut pos);
    let mut marks = Vec::with_capacity(n as usize);
    let mut end = 0u32;
    for _ in 0..n {
        let start = end + next(&mut pos);
        end = start + next(&mut pos);
        marks.push((start, end));
    }
    let (mut from, mut to) = (Vec::new(), String::new());
    let mut cp = 0u32;
    while pos < b.len() {
        cp += next(&mut pos);
        let len = next(&mut pos) as usize;
        // The table is ours and checked by the tests; a bad slice would be a build bug.
        let s = std::str::from_utf8(&b[pos..pos + len]).expect("fold.bin holds UTF-8");
        pos += len;
        to.push_str(s);
        from.push((cp, to.len() as u32));
    }
    Table { marks, from, to }
}

/// Whether `c` is a combining mark (General Category M), which folding drops.
fn is_mark(c: char) -> bool {
    let c = c as u32;
    let marks = &table().marks;
    let i = marks.partition_point(|&(start, _)| start <= c);
    i > 0 && c <= marks[i - 1].1
}

/// Calls `out` with each character `c` folds to: its NFKD decomposition without the
/// combining marks, each in lower case (none for a mark, `c` itself for most
/// characters).
pub fn fold_char(c: char, mut out: impl FnMut(char)) {
    let cp = c as u32;
    if cp < 0x80 {
        return out(c.to_ascii_lowercase());
    }
    if HANGUL.contains(&cp) {
        let s = cp - HANGUL.start();
        let jamo = [0x1100 + s / 588, 0x1161 + (s % 588) / 28, 0x11A7 + s % 28];
        let n = 2 + usize::from(!s.is_multiple_of(28));
        // Jamo are letters without case, and valid scalars by construction.
        jamo[..n]
            .iter()
            .filter_map(|&j| char::from_u32(j))
            .for_each(out);
        return;
    }
    let t = table();
    match t.from.binary_search_by_key(&cp, |&(from, _)| from) {
        Ok(i) => {
            let start = if i == 0 { 0 } else { t.from[i - 1].1 as usize };
            t.to[start..t.from[i].1 as usize].chars().for_each(out);
        }
        Err(_) if is_mark(c) => {}
        Err(_) => out(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::codec::put_varint;
    use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
    use unicode_normalization::UnicodeNormalization;

    fn all_chars() -> impl Iterator<Item = char> {
        (0..=0x10FFFF).filter_map(char::from_u32)
    }

    /// What NFKD without marks, then lower case, makes of `c`, by the crate and the
    /// standard library.
    fn oracle(c: char) -> String {
        c.to_string()
            .nfkd()
            .filter(|&d| !is_combining_mark(d))
            .flat_map(char::to_lowercase)
            .collect()
    }

    /// `fold.bin` as unicode-normalization's tables make it.
    fn generate() -> Vec<u8> {
        let mut marks: Vec<(u32, u32)> = Vec::new();
        for c in all_chars().filter(|&c| is_combining_mark(c)) {
            match marks.last_mut() {
                Some((_, end)) if *end + 1 == c as u32 => *end = c as u32,
                _ => marks.push((c as u32, c as u32)),
            }
        }
        let mut b = Vec::new();
        put_varint(&mut b, marks.len() as u64);
        let mut end = 0;
        for &(s, e) in &marks {
            put_varint(&mut b, u64::from(s - end));
            put_varint(&mut b, u64::from(e - s));
            end = e;
        }
        let mut prev = 0;
        for c in all_chars() {
            if is_combining_mark(c) || HANGUL.contains(&(c as u32)) {
                continue;
            }
            let folded = oracle(c);
            if folded != c.to_string() {
                put_varint(&mut b, u64::from(c as u32 - prev));
                put_varint(&mut b, folded.len() as u64);
                b.extend_from_slice(folded.as_bytes());
                prev = c as u32;
            }
        }
        b
    }

    #[test]
    fn the_table_is_what_unicode_normalization_makes() {
        let want = generate();
        if std::env::var_os("STENOGRAM_WRITE_FOLD_TABLE").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/search/fold.bin");
            std::fs::write(path, &want).unwrap();
            eprintln!("wrote {path} ({} bytes)", want.len());
            return;
        }
        assert!(
            TABLE_BYTES == want.as_slice(),
            "src/search/fold.bin is stale (unicode-normalization changed?): rerun this \
             test with STENOGRAM_WRITE_FOLD_TABLE=1 to regenerate it"
        );
    }

    #[test]
    fn every_character_folds_as_nfkd_without_marks_in_lower_case() {
        for c in all_chars() {
            let mut got = String::new();
            fold_char(c, |d| got.push(d));
            assert_eq!(got, oracle(c), "U+{:04X}", c as u32);
            assert_eq!(is_mark(c), is_combining_mark(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn folding_character_by_character_is_folding_the_word() {
        // NFKD reorders only characters of a non-zero combining class, and folding drops
        // them all; were one not a mark, reordering could move a kept character.
        for c in all_chars() {
            for d in c.to_string().nfkd() {
                assert!(
                    canonical_combining_class(d) == 0 || is_combining_mark(d),
                    "U+{:04X} decomposes to U+{:04X}, reorderable and kept",
                    c as u32,
                    d as u32
                );
            }
        }
        let word = "Ä\u{0328}\u{0301}ﬁ각\u{1E9B}\u{0323}ǅ";
        let mut got = String::new();
        word.chars().for_each(|c| fold_char(c, |d| got.push(d)));
        let want: String = word
            .nfkd()
            .filter(|&d| !is_combining_mark(d))
            .flat_map(char::to_lowercase)
            .collect();
        assert_eq!(got, want);
    }
}
