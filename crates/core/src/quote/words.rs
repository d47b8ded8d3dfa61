//! The words the quote finder compares: a quote's analysed words with its ellipsis
//! (omission) markers, and a paragraph's, each interned into small integer ids so that the
//! alignment's inner loop compares integers, never strings.
//!
//! Analysis is the search's own ([`crate::search::analysis`]): the same folding (case,
//! diacritics, typographic apostrophes; punctuation is not a word) and the same stems.

use std::collections::HashMap;

use crate::search::analysis::{stem, tokens_stemming_if};
use crate::search::lev::edit_distance_within;

/// One analysed word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    /// Interned folded form.
    pub folded: u32,
    /// Interned stem.
    pub stem: u32,
    /// Character offsets in the text it came from.
    pub start: usize,
    pub end: usize,
}

/// How a quote word relates to a source word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Likeness {
    /// Same folded word.
    Same,
    /// Same stem, another form (`nation` / `nations`).
    Stem,
    /// Within a small edit distance: a misspelling.
    Fuzzy,
    /// Different words.
    Other,
}

/// Interns folded words and stems for one search; stems are computed once per distinct
/// word (stemming is most of the cost of analysing text).
#[derive(Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
    strings: Vec<String>,
    stem_of: HashMap<u32, u32>,
}

impl Vocab {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.ids.insert(s.to_owned(), id);
        self.strings.push(s.to_owned());
        id
    }

    /// The string of an id.
    pub fn str(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }

    /// Analyses `text` into interned words.
    pub fn words(&mut self, text: &str) -> Vec<Word> {
        tokens_stemming_if(text, |_| false)
            .into_iter()
            .map(|t| {
                let folded = self.intern(&t.folded);
                let stem = match self.stem_of.get(&folded) {
                    Some(&s) => s,
                    None => {
                        let s = self.intern(&stem(&t.folded));
                        self.stem_of.insert(folded, s);
                        s
                    }
                };
                Word {
                    folded,
                    stem,
                    start: t.start,
                    end: t.end,
                }
            })
            .collect()
    }

    /// How quote word `q` relates to source word `s`.
    pub fn likeness(&self, q: Word, s: Word) -> Likeness {
        if q.folded == s.folded {
            return Likeness::Same;
        }
        if q.stem == s.stem {
            return Likeness::Stem;
        }
        let (a, b) = (self.str(q.folded), self.str(s.folded));
        let (la, lb) = (a.chars().count(), b.chars().count());
        // A misspelling: one edit in a word of 4 to 7 letters, two from 8; never digits
        // (numbers that differ are different numbers).
        let max = if la.min(lb) >= 8 { 2 } else { 1 };
        // One edit leaves the first or the last letter as it was: a cheap test first.
        let f = la.min(lb) >= 4
            && la.abs_diff(lb) <= max
            && (a.chars().next() == b.chars().next() || a.chars().last() == b.chars().last())
            && !a.chars().any(|c| c.is_ascii_digit())
            && edit_distance_within(a, b, max) <= max;
        if f {
            Likeness::Fuzzy
        } else {
            Likeness::Other
        }
    }
}

/// Character offsets of the ellipses in `text`: `...`, `…`, and either in brackets
/// (`[…]`, `[...]`, `(...)`).
pub(crate) fn ellipses(text: &str) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '…' {
            out.push(i);
        } else if chars[i] == '.'
            && chars.get(i + 1) == Some(&'.')
            && chars.get(i + 2) == Some(&'.')
        {
            out.push(i);
            while chars.get(i + 1) == Some(&'.') {
                i += 1;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_ellipsis_form() {
        assert_eq!(
            ellipses("a ... b … c […] d [...] e...."),
            vec![2, 8, 13, 19, 25]
        );
        assert!(ellipses("a. b.. c").is_empty());
    }

    #[test]
    fn likeness_grades_forms_and_misspellings() {
        let mut v = Vocab::default();
        let w = v.words("Nations nation goverment government 2015 2016 cat cut");
        assert_eq!(v.likeness(w[0], w[0]), Likeness::Same);
        assert_eq!(v.likeness(w[0], w[1]), Likeness::Stem);
        assert_eq!(v.likeness(w[2], w[3]), Likeness::Fuzzy);
        assert_eq!(v.likeness(w[4], w[5]), Likeness::Other);
        assert_eq!(v.likeness(w[6], w[7]), Likeness::Other);
    }

    #[test]
    fn folding_ignores_case_quotes_and_diacritics() {
        let mut v = Vocab::default();
        let a = v.words("“Café” Russia’s");
        let b = v.words("\"cafe\" RUSSIA'S");
        assert_eq!(
            a.iter().map(|w| w.folded).collect::<Vec<_>>(),
            b.iter().map(|w| w.folded).collect::<Vec<_>>()
        );
    }
}
