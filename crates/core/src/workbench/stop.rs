//! The stop list: function words that collocate with everything. The workbench lists
//! them flagged (`stop: true`) so that a view can hide them; nothing is dropped.
//!
//! The list is the Snowball project's English stop words (the list that ships with
//! the English stemmer the index uses), folded as the index folds words (apostrophes
//! removed: "don't" is `dont`), plus the bare letters and contractions' remains.
//! A word is a stop word when its folded form or its stem is one of theirs.

use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

use crate::search::analysis::stem;

/// The stop words, folded.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "arent",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "cant",
    "cannot",
    "could",
    "couldnt",
    "did",
    "didnt",
    "do",
    "does",
    "doesnt",
    "doing",
    "dont",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadnt",
    "has",
    "hasnt",
    "have",
    "havent",
    "having",
    "he",
    "hed",
    "hell",
    "hes",
    "her",
    "here",
    "heres",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "hows",
    "i",
    "id",
    "ill",
    "im",
    "ive",
    "if",
    "in",
    "into",
    "is",
    "isnt",
    "it",
    "its",
    "itself",
    "lets",
    "me",
    "more",
    "most",
    "mustnt",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shant",
    "she",
    "shed",
    "shell",
    "shes",
    "should",
    "shouldnt",
    "so",
    "some",
    "such",
    "than",
    "that",
    "thats",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "theres",
    "these",
    "they",
    "theyd",
    "theyll",
    "theyre",
    "theyve",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "wasnt",
    "we",
    "wed",
    "well",
    "were",
    "weve",
    "werent",
    "what",
    "whats",
    "when",
    "whens",
    "where",
    "wheres",
    "which",
    "while",
    "who",
    "whos",
    "whom",
    "why",
    "whys",
    "will",
    "with",
    "wont",
    "would",
    "wouldnt",
    "you",
    "youd",
    "youll",
    "youre",
    "youve",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "s",
    "t",
    "also",
];

fn sets() -> &'static (HashSet<&'static str>, HashSet<String>) {
    static S: OnceLock<(HashSet<&'static str>, HashSet<String>)> = OnceLock::new();
    S.get_or_init(|| {
        (
            STOP_WORDS.iter().copied().collect(),
            STOP_WORDS.iter().map(|w| stem(w)).collect(),
        )
    })
}

/// Whether a folded word is a stop word.
pub fn is_stop_word(folded: &str) -> bool {
    sets().0.contains(folded)
}

/// Whether an index stem is the stem of a stop word ("the", "has" → `has`, "having"
/// → `have`...): how stems from the index (keyness) and windows (collocates) are
/// flagged.
pub fn is_stop_stem(stem: &str) -> bool {
    sets().1.contains(stem) || sets().0.contains(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_are_stop_words_and_content_words_are_not() {
        for w in ["the", "of", "dont", "having"] {
            assert!(is_stop_word(w) && is_stop_stem(&stem(w)), "{w}");
        }
        for w in ["russia", "security", "nations"] {
            assert!(!is_stop_word(w) && !is_stop_stem(&stem(w)), "{w}");
        }
    }
}
