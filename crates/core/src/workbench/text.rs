//! Text analysis for the views that read whole transcripts: the same tokens as
//! [`crate::search::analysis::tokens`], with every distinct surface word folded and
//! stemmed once (stemming is most of the cost) and stems interned as numbers.

use rustc_hash::FxHashMap;
use unicode_segmentation::UnicodeSegmentation;

use crate::search::analysis::{fold_word, stem};

/// One word: character range and stem id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    pub stem: u32,
}

/// Surface word → stem id, and the stems with their shortest folded form.
#[derive(Default)]
pub(crate) struct Analyzer {
    surfaces: FxHashMap<String, Option<u32>>,
    stem_ids: FxHashMap<String, u32>,
    /// Per stem id: (stem, shortest folded form seen).
    pub stems: Vec<(String, String)>,
}

impl Analyzer {
    fn id(&mut self, w: &str) -> Option<u32> {
        if let Some(&v) = self.surfaces.get(w) {
            return v;
        }
        let folded = fold_word(w);
        let v = (!folded.is_empty()).then(|| {
            let s = stem(&folded);
            let next = self.stems.len() as u32;
            let id = *self.stem_ids.entry(s.clone()).or_insert(next);
            if id == next {
                self.stems.push((s, folded));
            } else if folded.len() < self.stems[id as usize].1.len() {
                self.stems[id as usize].1 = folded;
            }
            id
        });
        self.surfaces.insert(w.to_string(), v);
        v
    }

    /// The words of `text`, in order, as [`crate::search::analysis::tokens`] finds them.
    pub fn words(&mut self, text: &str, out: &mut Vec<Word>) {
        out.clear();
        let mut char_pos = 0usize;
        let mut byte_pos = 0usize;
        for (b, w) in text.unicode_word_indices() {
            char_pos += text[byte_pos..b].chars().count();
            let len = w.chars().count();
            byte_pos = b + w.len();
            let start = char_pos;
            char_pos += len;
            if let Some(stem) = self.id(w) {
                out.push(Word {
                    start,
                    end: start + len,
                    stem,
                });
            }
        }
    }

    /// The id of a stem, if seen.
    pub fn stem_id(&self, stem: &str) -> Option<u32> {
        self.stem_ids.get(stem).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysis::tokens;

    #[test]
    fn words_are_the_analysis_tokens() {
        let text = "Путин: Syria’s collective security, 12.5 per cent — don't e-mail ''.";
        let mut a = Analyzer::default();
        let mut w = Vec::new();
        a.words(text, &mut w);
        let t = tokens(text);
        assert_eq!(w.len(), t.len());
        for (w, t) in w.iter().zip(&t) {
            assert_eq!((w.start, w.end), (t.start, t.end));
            assert_eq!(a.stems[w.stem as usize].0, t.term);
        }
    }
}
