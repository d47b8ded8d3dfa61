//! Where each index file lives and how it announces itself: the format version, magic
//! bytes, part paths, and the keys of pair terms in the stem dictionary.
//!
//! The one owner of the part-to-path mapping: the builder names its files with it
//! ([`super::IndexFiles::files`]) and the engine its errors. A built bundle renames every
//! file by content hash and lists the names in its manifest
//! (`bundle::IndexInfo::part_path`); byte layouts are in `docs/bundle-format.md`.

use serde::{Deserialize, Serialize};

use super::facet::Facet;

/// Version of the index files; bump on any incompatible change (a new facet is one: it
/// adds a value dictionary and value lists to `meta.bin`). Checked on load.
/// 7: the country facet.
/// 8: `meta.bin` keeps what every query needs; each listed facet's values and the speaker
/// turns are parts of their own ([`PartId::Facet`], [`PartId::Turns`]). Each turn has its
/// role (question, answer, other) for `in:answers` / `in:questions`, question turns without
/// a named speaker are kept, and each turn its words (a speaker's words, the denominator of
/// a trend split by speaker). The stem dictionary is also
/// written in key-range shards ([`PartId::Dict`]).
/// 9: `meta.bin` holds nothing per document, so opening costs the same at any corpus
/// size: the dates and lengths ([`PartId::Docs`], dates delta-coded), the ids
/// ([`PartId::Ids`]) and the speakers ([`PartId::Facet`] of the speaker facet, like the
/// listed facets) are parts of their own.
/// 10: the word dictionary is cut by key range like the stem dictionary
/// ([`PartId::Words`] of a shard; `meta.bin` lists each shard's first key), so a prefix
/// reads the shards its words lie in, not the whole dictionary.
/// 11: the turns part is written column by column, names each turn's speaker by its
/// place in the document's speaker list, and keeps paragraph breaks instead of words
/// (125 KB deflated at 18k transcripts before, 65 KB after).
/// 12: each posting carries its document's length as a one-byte norm, and `meta.bin`
/// the years as runs of document numbers, so a plain search reads no per-document part
/// (the documents part was 35 KB at 18k transcripts, 190 KB at 100k, on every first
/// query).
/// 13: the listed facets but the speakers list every value's documents rather than
/// every document's values (the mentions' part: 141 KB deflated at 18k transcripts
/// before, 90 KB after).
pub const INDEX_FORMAT: u32 = 13;
/// First bytes of `meta.bin`, before [`INDEX_FORMAT`].
pub(crate) const META_MAGIC: &[u8; 8] = b"STNGIDX\0";
/// First bytes of a postings shard.
pub(crate) const POST_MAGIC: &[u8; 4] = b"STP\0";
/// First bytes of a facet part, before [`INDEX_FORMAT`].
pub(crate) const FACET_MAGIC: &[u8; 4] = b"STF\0";
/// First bytes of the turns part, before [`INDEX_FORMAT`].
pub(crate) const TURNS_MAGIC: &[u8; 4] = b"STT\0";
/// First bytes of the documents part (dates and lengths), before [`INDEX_FORMAT`].
pub(crate) const DOCS_MAGIC: &[u8; 4] = b"STD\0";
/// First bytes of the ids part, before [`INDEX_FORMAT`].
pub(crate) const IDS_MAGIC: &[u8; 4] = b"STI\0";

/// Path of the meta file under the bundle root.
pub const META_PATH: &str = "index/meta.bin";
/// Path of the stem dictionary under the bundle root.
pub const DICT_PATH: &str = "index/dict.fst";

/// Raw key bytes per stem-dictionary shard: about 2,000 stems, 10 KB gzip as an fst, so
/// a query reads a few small shards instead of the whole dictionary.
pub const DICT_SHARD_KEY_BYTES: usize = 16 * 1024;

/// Path of stem-dictionary shard `i`.
pub fn dict_path(i: usize) -> String {
    format!("index/dict-{i:04}.fst")
}

/// Raw key bytes per word-dictionary shard: a prefix usually falls in one shard of
/// about 15 KB gzip (at 18k transcripts the whole dictionary is 315 KB gzip).
pub const WORDS_SHARD_KEY_BYTES: usize = 48 * 1024;

/// Path of word-dictionary shard `i`.
pub fn words_path(i: usize) -> String {
    format!("index/words-{i:04}.fst")
}

/// Path of the speaker turns under the bundle root.
pub const TURNS_PATH: &str = "index/turns.bin";
/// Path of the documents' dates and lengths under the bundle root.
pub const DOCS_PATH: &str = "index/docs.bin";
/// Path of the documents' ids under the bundle root.
pub const IDS_PATH: &str = "index/ids.bin";

/// Path of facet `f`'s part.
pub fn facet_path(f: Facet) -> String {
    format!("index/facet-{}.bin", f.name())
}

/// Path of postings shard `i`.
pub fn post_path(i: usize) -> String {
    format!("index/post-{i:04}.bin")
}

/// Path of positions shard `i`.
pub fn pos_path(i: usize) -> String {
    format!("index/pos-{i:04}.bin")
}

/// A loadable part of the index beyond `meta.bin` and the stem dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PartId {
    /// Every document's date and length (`index/docs.bin`): for date conditions and
    /// date range filters, hits with details, and the workbench's statistics (ranking
    /// reads the postings' norms, the year facet `meta.bin`'s runs).
    Docs,
    /// Every document's id (`index/ids.bin`): for hits that carry their ids.
    Ids,
    /// Word-dictionary shard `n` (`index/words-NNNN.fst`), folded word → stem id, cut by
    /// key range: only prefixes and typos need it, so a
    /// first plain query does without its bytes.
    Words(u32),
    /// Document-level postings shard `n` (`index/post-NNNN.bin`).
    Post(u32),
    /// Positions shard `n` (`index/pos-NNNN.bin`).
    Pos(u32),
    /// A facet's value dictionary and every document's value ids
    /// (`index/facet-<name>.bin`), for every facet but the year: a filter on it, a
    /// `name:` condition, its counts or (the speaker's) hits' speakers need it.
    Facet(Facet),
    /// Every document's speaker turns (`index/turns.bin`): only `speaker:` scopes.
    Turns,
    /// Stem-dictionary shard `n` (`index/dict-NNNN.fst`): the stems (and pair keys) from
    /// the `n`-th first key of `meta.bin` to the next, for an index opened without the
    /// whole dictionary.
    Dict(u32),
}

impl PartId {
    /// The part's logical name (`index/post-NNNN.bin`), as in [`super::IndexFiles::files`].
    /// A built bundle's files carry content hashes: fetch
    /// `manifest.index.part_path(part)` ([`crate::bundle::IndexInfo::part_path`]) instead.
    pub fn path(self) -> String {
        match self {
            PartId::Docs => DOCS_PATH.to_string(),
            PartId::Ids => IDS_PATH.to_string(),
            PartId::Words(i) => words_path(i as usize),
            PartId::Post(i) => post_path(i as usize),
            PartId::Pos(i) => pos_path(i as usize),
            PartId::Facet(f) => facet_path(f),
            PartId::Turns => TURNS_PATH.to_string(),
            PartId::Dict(i) => dict_path(i as usize),
        }
    }
}

/// Separates the two stems of a pair term's key when the term has document postings
/// only. A control character is never part of a word, so no stem holds it; a space
/// would not do, since folding decomposes some ligatures into words (U+FDFB is
/// "جل جلاله"), and a phrase of those words would then have read the ligature's
/// postings. The key sorts just after its first stem, in the same shard neighbourhood.
pub const PAIR_SEP: char = '\u{1}';

/// Separates the stems of a pair term that has positions too. The key says which kind a
/// term is, so the engine knows before fetching its postings whether it may place a
/// phrase with it.
pub const PAIR_POS_SEP: char = '\u{2}';

/// The stem-dictionary key of the pair `a b` with document postings only.
pub fn pair_key(a: &str, b: &str) -> String {
    key(a, PAIR_SEP, b)
}

/// The stem-dictionary key of the pair `a b` with positions.
pub fn pair_pos_key(a: &str, b: &str) -> String {
    key(a, PAIR_POS_SEP, b)
}

fn key(a: &str, sep: char, b: &str) -> String {
    let mut k = String::with_capacity(a.len() + b.len() + 1);
    k.push_str(a);
    k.push(sep);
    k.push_str(b);
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_keys_sort_after_their_first_stem() {
        let k = pair_key("human", "right");
        assert_eq!(k, "human\u{1}right");
        assert!("human" < k.as_str() && k.as_str() < "humane");
    }

    #[test]
    fn part_paths() {
        assert_eq!(PartId::Words(3).path(), "index/words-0003.fst");
        assert_eq!(PartId::Post(3).path(), "index/post-0003.bin");
        assert_eq!(PartId::Pos(12).path(), "index/pos-0012.bin");
        assert_eq!(PartId::Facet(Facet::Place).path(), "index/facet-place.bin");
        assert_eq!(PartId::Turns.path(), TURNS_PATH);
    }
}
