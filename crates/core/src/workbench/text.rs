//! Text analysis for the views that read whole transcripts: the same tokens as
//! [`crate::search::analysis::tokens`], with every distinct surface word folded and
//! stemmed once (folding and stemming are most of the cost) and interned as numbers;
//! and a quick test of whether a paragraph may hold a match at all, so that the
//! highlighter (the owner of matching) runs only where it can find something.

use rustc_hash::FxHashMap;
use unicode_segmentation::UnicodeSegmentation;

use crate::search::analysis::{fold_word, stem};
use crate::search::snippet::TextPattern;
use crate::search::Matcher;

/// One word: character range, folded form id and stem id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    pub folded: u32,
    pub stem: u32,
}

/// Surface word → (folded id, stem id); the folded forms; the stems with their
/// shortest folded form.
#[derive(Default)]
pub(crate) struct Analyzer {
    surfaces: FxHashMap<String, Option<(u32, u32)>>,
    folded_ids: FxHashMap<String, u32>,
    pub folded: Vec<String>,
    stem_ids: FxHashMap<String, u32>,
    /// Per stem id: (stem, shortest folded form seen).
    pub stems: Vec<(String, String)>,
}

impl Analyzer {
    fn id(&mut self, w: &str) -> Option<(u32, u32)> {
        if let Some(&v) = self.surfaces.get(w) {
            return v;
        }
        let folded = fold_word(w);
        let v = (!folded.is_empty()).then(|| {
            let s = stem(&folded);
            let next = self.stems.len() as u32;
            let id = *self.stem_ids.entry(s.clone()).or_insert(next);
            if id == next {
                self.stems.push((s, folded.clone()));
            } else if folded.len() < self.stems[id as usize].1.len() {
                self.stems[id as usize].1 = folded.clone();
            }
            let next = self.folded.len() as u32;
            let fid = *self.folded_ids.entry(folded.clone()).or_insert(next);
            if fid == next {
                self.folded.push(folded);
            }
            (fid, id)
        });
        self.surfaces.insert(w.to_string(), v);
        v
    }

    /// Whether `m` may highlight something among `ws` (never false when it does):
    /// a word atom's stem, typo surface or prefix, or a phrase's first stem, is there.
    pub fn may_match(&self, m: &Matcher, ws: &[Word]) -> bool {
        m.atoms().iter().any(|a| match a {
            TextPattern::Word {
                stems,
                surfaces,
                prefix,
                typo,
                ..
            } => {
                typo.is_some()
                    || ws.iter().any(|w| {
                        let f = &self.folded[w.folded as usize];
                        stems.contains(&self.stems[w.stem as usize].0)
                            || surfaces.contains(f)
                            || prefix.as_ref().is_some_and(|p| f.starts_with(p.as_str()))
                    })
            }
            TextPattern::Phrase { stems, .. } => stems
                .first()
                .is_some_and(|s| ws.iter().any(|w| self.stems[w.stem as usize].0 == *s)),
        })
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
            if let Some((folded, stem)) = self.id(w) {
                out.push(Word {
                    start,
                    end: start + len,
                    folded,
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
            assert_eq!(a.folded[w.folded as usize], t.folded);
        }
    }
}
