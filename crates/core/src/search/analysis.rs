//! Text analysis, applied alike to the index, to queries, to snippets and to highlights.
//!
//! A text becomes a list of [`Token`]s:
//!
//! 1. Unicode word segmentation (UAX #29): words are segments holding a letter or digit,
//!    so "Russia’s" and "12.5" are one word each and "e-mail" is two.
//! 2. Folding: NFKD, drop combining marks (diacritics), lower case; typographic
//!    apostrophes (’ ‘ ʼ ′ ` ´) count as `'`. A trailing possessive `'s` is dropped and
//!    any other apostrophe is removed, so "Russia’s" folds to `russia` and "don't" to `dont`.
//! 3. Stemming (Snowball, rust-stemmers), chosen per word by script: a word with a
//!    Cyrillic letter is stemmed as Russian, any other word as English. Choosing by the
//!    word rather than by the document keeps queries (which have no language) and
//!    mixed-language transcripts consistent with the index.
//!
//! The folded, unstemmed form ([`Token::folded`]) is what typo tolerance, prefixes and
//! field values compare; the stem ([`Token::term`]) is what the index stores. Offsets
//! point back into the original text, so display and quoting keep the original characters.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use super::fold::fold_char;

/// One analysed word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Character (Unicode scalar value) offset of the word's start in the text.
    pub start: usize,
    /// Character offset just past the word's end.
    pub end: usize,
    /// Case-, diacritic- and apostrophe-folded form, not stemmed.
    pub folded: String,
    /// The stem of `folded`: the index term.
    pub term: String,
}

struct Stemmers {
    en: Stemmer,
    ru: Stemmer,
}

fn stemmers() -> &'static Stemmers {
    // Building a stemmer is cheap but not free; one pair serves the whole process.
    static S: OnceLock<Stemmers> = OnceLock::new();
    S.get_or_init(|| Stemmers {
        en: Stemmer::create(Algorithm::English),
        ru: Stemmer::create(Algorithm::Russian),
    })
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}'
    )
}

/// Folds one word: NFKD, no combining marks, lower case, possessive and apostrophes removed.
///
/// Returns an empty string when nothing but apostrophes was left.
pub fn fold_word(word: &str) -> String {
    let mut s = String::with_capacity(word.len());
    if word.is_ascii() {
        // NFKD leaves ASCII as it is and it holds no combining mark: only case and the
        // backtick apostrophe remain to fold. Most words of English text take this path.
        s.extend(word.bytes().map(|b| match b {
            b'`' => '\'',
            _ => char::from(b.to_ascii_lowercase()),
        }));
    } else {
        fold_chars(word, &mut s);
    }
    drop_apostrophes(&mut s);
    s
}

/// Drops a trailing possessive `'s`, then every other apostrophe.
fn drop_apostrophes(s: &mut String) {
    if s.len() > 2 && s.ends_with("'s") {
        s.truncate(s.len() - 2);
    }
    s.retain(|c| c != '\'');
}

/// Folds any word's characters into `s` (NFKD, marks dropped, lower case, apostrophes
/// as `'`). NFKD character by character is NFKD of the word once marks are dropped
/// (`fold`), and `fold`'s table holds the lower case too.
fn fold_chars(word: &str, s: &mut String) {
    for c in word.chars() {
        fold_char(c, |d| s.push(if is_apostrophe(d) { '\'' } else { d }));
    }
}

/// Stems a folded word with the stemmer of its script.
pub fn stem(folded: &str) -> String {
    let st = stemmers();
    if folded
        .chars()
        .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    {
        st.ru.stem(folded).into_owned()
    } else if folded.chars().any(|c| c.is_alphabetic()) {
        st.en.stem(folded).into_owned()
    } else {
        folded.to_owned()
    }
}

/// Analyses `text` into tokens, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    tokens_stemming_if(text, |_| true)
}

/// [`tokens`], but only the words whose folded form passes `stem_if` are stemmed; the
/// others get an empty [`Token::term`]. Stemming is most of the cost of analysing a
/// text, and a caller looking for a few stems can rule out most words by their first
/// letter, which stemming never changes (Snowball rewrites endings only; see
/// [`tests::stemming_keeps_the_first_letter`]).
pub fn tokens_stemming_if(text: &str, stem_if: impl Fn(&str) -> bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut char_pos = 0usize;
    let mut byte_pos = 0usize;
    for (b, w) in text.unicode_word_indices() {
        char_pos += text[byte_pos..b].chars().count();
        let len = w.chars().count();
        byte_pos = b + w.len();
        let start = char_pos;
        char_pos += len;
        let folded = fold_word(w);
        if folded.is_empty() {
            continue;
        }
        let term = if stem_if(&folded) {
            stem(&folded)
        } else {
            String::new()
        };
        out.push(Token {
            start,
            end: start + len,
            folded,
            term,
        });
    }
    out
}

/// The folded words of `text` without stemming: how field values (speaker, place,
/// topic, kind, mentions) are compared.
pub fn folded_words(text: &str) -> Vec<String> {
    text.unicode_words()
        .map(fold_word)
        .filter(|w| !w.is_empty())
        .collect()
}

/// `folded_words` joined by single spaces: the canonical form of a field value.
pub fn fold_value(text: &str) -> String {
    folded_words(text).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn ascii_words_fold_as_any_word() {
        let mut words: Vec<String> = (0x20u8..0x7F)
            .map(|b| format!("Ab{}c'S", b as char))
            .collect();
        words.extend(
            [
                "`Tis", "DON'T", "O'Neil's", "x's", "'s", "USA", "e-mail", "12.5",
            ]
            .map(String::from),
        );
        for w in &words {
            let mut general = String::new();
            fold_chars(w, &mut general);
            drop_apostrophes(&mut general);
            assert_eq!(fold_word(w), general, "{w}");
        }
    }

    #[test]
    fn stemming_keeps_the_first_letter() {
        // Porter2's exceptional forms, its y/i rewrites, Russian endings, and every word
        // of the bundled sample transcript.
        let sample = include_str!("../../../../sample/cstu-council-2015.txt");
        let listed = "dying lying tying skis skies idly gently ugly early only singly news \
                      yesterday youth yelling happily generously ieee россия россии путина \
                      ёлка этого являются 12.5 1990s";
        for w in listed.split_whitespace().chain(sample.split_whitespace()) {
            for t in tokens(w) {
                assert_eq!(
                    t.term.chars().next(),
                    t.folded.chars().next(),
                    "{} stems to {}",
                    t.folded,
                    t.term
                );
            }
        }
    }

    #[test]
    fn apostrophes_and_possessives_fold() {
        assert_eq!(terms("Russia’s"), terms("Russia"));
        assert_eq!(terms("Russia's"), terms("russia"));
        assert_eq!(fold_word("don’t"), "dont");
        assert_eq!(fold_word("leaders'"), "leaders");
    }

    #[test]
    fn case_and_diacritics_fold() {
        assert_eq!(fold_word("Café"), "cafe");
        assert_eq!(fold_word("ÉLYSÉE"), "elysee");
        assert_eq!(fold_word("Ёлка"), "елка");
    }

    #[test]
    fn stems_by_script() {
        assert_eq!(terms("negotiations negotiating"), vec!["negoti", "negoti"]);
        assert_eq!(
            terms("переговоры переговоров"),
            vec!["переговор", "переговор"]
        );
    }

    #[test]
    fn offsets_are_characters() {
        let t = tokens("Путин said: “Syria’s”");
        assert_eq!((t[0].start, t[0].end), (0, 5));
        assert_eq!((t[2].start, t[2].end), (13, 20));
        assert_eq!(t[2].folded, "syria");
    }
}
