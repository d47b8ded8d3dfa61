//! Speaker labels: deciding whether a paragraph opens with one ("President of Russia
//! Vladimir Putin: ..."), and splitting a label into the person's name (`speaker`)
//! and the rest (`role`).
//!
//! The rules are shape rules, not lists of people (see `docs/ingest.md`):
//! a label is the text before a paragraph's first colon; it is short, has no sentence
//! punctuation, ends in a capitalised word, contains no lowercase words other than
//! connectives and a few role words, does not start like prose ("We", "As", "In"), and
//! is followed by text that starts a sentence. A small list of *generic* speakers
//! (Question, Remark, Moderator, Вопрос, ...) is accepted on its own.

use super::gazetteer;

mod split;
mod words;

use split::*;
pub use split::{initial, split_speaker, surname_key, SpeakerRole};
#[cfg(test)]
pub(crate) use words::is_list_char;
pub(crate) use words::list_lower;
use words::*;
pub use words::{is_enumeration, is_generic};

/// Longest label (in characters, before the colon) that is considered at all. Real
/// role-and-name labels reach about 200 characters; anything longer is prose.
pub const MAX_LABEL_CHARS: usize = 240;
/// Most words a label may have.
pub const MAX_LABEL_WORDS: usize = 32;

/// A speaker label found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label as printed, without the colon and without parenthetical notes.
    pub label: String,
    /// Parentheticals from the label ("retranslated"), joined with "; ".
    pub note: Option<String>,
    /// A generic speaker (Question, Moderator, ...) rather than a person.
    pub generic: bool,
    /// Only one word and no initials ("Putin"): accepted by the text parser only if
    /// it matches the surname of a fuller label in the same transcript.
    pub single_word: bool,
    /// Byte offset in the paragraph where the speech after the colon starts.
    pub rest: usize,
}

/// Characters that may start the speech after a label's colon: a sentence start.
fn starts_sentence(rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(c) => {
            c.is_uppercase()
                || c.is_numeric()
                || matches!(
                    c,
                    '"' | '“'
                        | '”'
                        | '«'
                        | '„'
                        | '\''
                        | '‘'
                        | '’'
                        | '('
                        | '['
                        | '<'
                        | '…'
                        | '.'
                        | '-'
                        | '–'
                        | '—'
                        | '¡'
                        | '¿'
                )
        }
    }
}

/// Removes parentheticals from a label, returning the label without them and the
/// notes. `None` when brackets are unbalanced or nested (not a label).
pub fn strip_notes(raw: &str) -> Option<(String, Vec<String>)> {
    let mut label = String::with_capacity(raw.len());
    let mut notes = Vec::new();
    let mut depth = 0usize;
    let mut note = String::new();
    for c in raw.chars() {
        match c {
            '(' => {
                if depth > 0 {
                    return None;
                }
                depth = 1;
            }
            ')' => {
                if depth == 0 {
                    return None;
                }
                depth = 0;
                let n = note.trim().to_string();
                if !n.is_empty() {
                    notes.push(n);
                }
                note.clear();
                label.push(' ');
            }
            _ if depth > 0 => note.push(c),
            _ => label.push(c),
        }
    }
    if depth > 0 {
        return None;
    }
    Some((super::normalize::clean_line(&label), notes))
}

/// `true` if every dot in `label` is an abbreviation or initial dot ("Mr.",
/// "V.Putin", "Adnan Z. Amin") rather than the end of a sentence.
fn dots_are_abbreviations(label: &str) -> bool {
    for word in label.split(' ') {
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() == 1 {
            continue;
        }
        for (i, part) in parts.iter().enumerate() {
            // A dot inside a word ("V.Putin", "VEB.RF") never ends a sentence; only a
            // word-final dot must follow an initial or an abbreviation ("Mr.").
            if i != parts.len() - 2 || !parts[parts.len() - 1].is_empty() {
                continue;
            }
            let letters = part.chars().count();
            let ok = (letters == 1 && part.chars().all(char::is_alphabetic))
                || (letters <= 5 && in_list(ABBREVIATIONS, part));
            if !ok {
                return false;
            }
        }
    }
    true
}

/// Looks for a speaker label at the start of `paragraph`. Returns `None` when the
/// paragraph does not open with a label (a colon in prose, a time, a URL, a title).
pub fn find_label(paragraph: &str) -> Option<Label> {
    // Only the first colon counts, and only near the start.
    let mut colon = None;
    for (n, (i, c)) in paragraph.char_indices().enumerate() {
        if n > MAX_LABEL_CHARS + 40 {
            return None;
        }
        if c == ':' || c == '：' {
            colon = Some((i, c.len_utf8()));
            break;
        }
    }
    let (ci, clen) = colon?;
    let raw = paragraph[..ci].trim();
    let after = &paragraph[ci + clen..];
    // "15:30", "http://", "3:2", "mailto:x": a colon glued to a digit, a slash or a
    // lowercase letter is not a label's. (Glued to a capital it is a typo'd label:
    // "Mikhail Murashko:Good afternoon.")
    if after
        .chars()
        .next()
        .is_some_and(|c| c.is_numeric() || c == '/' || c.is_lowercase())
    {
        return None;
    }
    let rest_trim = after.trim_start();
    let rest = paragraph.len() - rest_trim.len();
    if raw.is_empty() || raw.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let (label, notes) = strip_notes(raw)?;
    if label.is_empty() {
        return None;
    }
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    // Speech starts a sentence; "Question: at what expense?" inside a speech is prose.
    // Only a label that is unmistakably role-and-name may be followed by a broken
    // start (lost superscripts: "Commander of the 2Combined Arms Army ...: nd Guards").
    if !starts_sentence(rest_trim) && !is_role_and_name(&label) {
        return None;
    }
    if is_generic(&label) {
        return Some(Label {
            label,
            note,
            generic: true,
            single_word: false,
            rest,
        });
    }
    if !label_shape_ok(&label) {
        return None;
    }
    // A country is not a speaker: "France: “It does not forbid ...”" introduces a
    // quotation, and "The same applies to Britain:" is prose.
    let name = split_speaker(&label, false).speaker;
    let name_words: Vec<&str> = name
        .split(' ')
        .skip_while(|w| w.eq_ignore_ascii_case("the"))
        .collect();
    let has_role = label.split(' ').any(|w| in_list(ROLE_WORDS, w));
    if gazetteer::place_len_at(&name_words) == Some(name_words.len()) && !has_role {
        return None;
    }
    // Nor is a place: "Perm Territory: “Why are ...”" cites a message from there.
    let last = label.rsplit(' ').next().unwrap_or("");
    let first_generic = label.split(' ').next().is_some_and(is_generic);
    if !has_role && !first_generic && in_list(PLACE_NOUNS, last) {
        return None;
    }
    let words = label.split(' ').count();
    // "V.Putin" (initials) and "MaximTopilin" (a lost space) are full names.
    let single_word = words == 1 && !label.contains('.') && !is_camel(&label);
    Some(Label {
        label,
        note,
        generic: false,
        single_word,
        rest,
    })
}

/// A label that starts with a capital, holds a role word, ends in a name of two or
/// more capitalised words, and has no verb of saying: "Defence Minister Sergei Shoigu".
fn is_role_and_name(label: &str) -> bool {
    let words: Vec<&str> = label.split(' ').collect();
    let n = words.len();
    n >= 3
        && starts_upper(words[0])
        && name_capitalised(words[n - 1])
        && name_capitalised(words[n - 2])
        && !in_list(ROLE_WORDS, words[n - 1])
        && !in_list(ROLE_WORDS, words[n - 2])
        && words[..n - 2].iter().any(|w| in_list(ROLE_WORDS, w))
        && !words.iter().any(|w| in_list(SAYING, w) || in_list(PROSE_START, w) && starts_upper(w))
        // Lowercase words only as connectives: "of the", never "applies to".
        && words
            .iter()
            .all(|w| name_capitalised(w) || in_list(CONNECTIVES, w) || w.starts_with(char::is_numeric))
        && label_shape_ok(label)
}

/// The shape rules for a non-generic label (see the module docs).
fn label_shape_ok(label: &str) -> bool {
    if label.chars().any(|c| {
        matches!(
            c,
            '?' | '!'
                | ';'
                | '"'
                | '“'
                | '”'
                | '«'
                | '»'
                | '„'
                | '/'
                | '\\'
                | '@'
                | '#'
                | '='
                | '*'
                | '<'
                | '>'
                | '|'
                | '{'
                | '}'
                | '…'
                | '+'
                | '%'
                | '$'
                | '€'
                | '£'
        )
    }) {
        return false;
    }
    if !dots_are_abbreviations(label) {
        return false;
    }
    let words: Vec<&str> = label.split(' ').collect();
    if words.len() > MAX_LABEL_WORDS {
        return false;
    }
    let first = words[0].trim_matches(|c: char| !c.is_alphanumeric());
    if in_list(PROSE_START, first) || in_list(PROSE_START, words[0]) {
        return false;
    }
    // "Geoff Cutmore, moderator of the plenary session": a name, then a role after a
    // comma. The name part must pass the rules, and the tail must hold a role word.
    // "Konstantin Fokin, ship cutter, special structures shop": a name first, then a
    // description of the person however long.
    if let Some((head, tail)) = label.split_once(", ") {
        let head_words: Vec<&str> = head.split(' ').collect();
        let tail_words: Vec<&str> = tail.split(' ').collect();
        if (2..=4).contains(&head_words.len())
            && head_words
                .iter()
                .all(|w| name_capitalised(w) || in_list(NAME_PARTICLES, w))
            && !name_capitalised(tail_words[0])
            && tail_words.len() <= 12
            && !in_list(PROSE_START, tail_words[0])
            && !tail_words.iter().any(|w| in_list(SAYING, w))
            && label_shape_ok(head)
        {
            return true;
        }
    }
    if let Some((head, tail)) = label.rsplit_once(", ") {
        let tail_words: Vec<&str> = tail.split(' ').collect();
        let last = words[words.len() - 1];
        let head_words: Vec<&str> = head.split(' ').collect();
        let head_is_name = (2..=4).contains(&head_words.len())
            && head_words
                .iter()
                .all(|w| name_capitalised(w) || in_list(NAME_PARTICLES, w));
        if !name_capitalised(last)
            && head.contains(' ')
            && tail_words.len() <= 12
            && (head_is_name || tail_words.iter().any(|w| in_list(ROLE_WORDS, w)))
            && !in_list(PROSE_START, tail_words[0])
            && !tail_words.iter().any(|w| in_list(SAYING, w))
        {
            return label_shape_ok(head);
        }
    }
    if label.matches('[').count() != label.matches(']').count() {
        return false;
    }
    let last = words[words.len() - 1];
    // A name ends the label, and names are capitalised; digits end times and counts.
    if !name_capitalised(last) || last.chars().last().is_some_and(|c| c.is_numeric()) {
        return false;
    }
    if !words.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        return false;
    }
    let mut free_lower = 0;
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        if bare.is_empty() {
            // A lone dash or comma between words is punctuation, not a word.
            if !matches!(*w, "-" | "–" | "—" | "&") {
                return false;
            }
            continue;
        }
        if name_capitalised(bare) || bare.chars().next().is_some_and(|c| c.is_numeric()) {
            continue;
        }
        if in_list(SAYING, bare) {
            return false;
        }
        if in_list(CONNECTIVES, bare) {
            continue;
        }
        // A lowercase first word is allowed only as a role word ("chairman of ...").
        if i == 0 && !in_list(ROLE_WORDS, bare) {
            return false;
        }
        free_lower += 1;
    }
    // Role descriptions carry a few lowercase words ("news presenter"); prose many.
    // A label that ends in a two-word name may describe the person at length
    // ("Olympic figure skating silver medallist Yevgenia Medvedeva").
    let ends_in_name =
        words.len() >= 2 && name_capitalised(words[words.len() - 2]) && starts_upper(words[0]);
    free_lower <= 5 && (free_lower * 2 <= words.len() || ends_in_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(p: &str) -> Option<String> {
        find_label(p).map(|l| l.label)
    }

    #[test]
    fn labels_are_found() {
        assert_eq!(
            lab("President of Russia Vladimir Putin: Thank you.").as_deref(),
            Some("President of Russia Vladimir Putin")
        );
        assert_eq!(lab("Question: Hello.").as_deref(), Some("Question"));
        let q = find_label("Question (retranslated): Mr President,").unwrap();
        assert_eq!(
            (q.label.as_str(), q.note.as_deref()),
            ("Question", Some("retranslated"))
        );
        assert_eq!(lab("В.Путин: Добрый день.").as_deref(), Some("В.Путин"));
        assert_eq!(
            lab("chairman of Vnesheconombank (VEB) Vladimir Dmitriev: Mr President").as_deref(),
            Some("chairman of Vnesheconombank Vladimir Dmitriev")
        );
    }

    #[test]
    fn prose_colons_are_not_labels() {
        for p in [
            "Our task is simple: we must work.",
            "The meeting starts at 15:30 today.",
            "Priority one: growth.",
            "As Churchill said: \"Never give in.\"",
            "See http://en.kremlin.ru/d/1 for details.",
            "Putin said to Merkel: Thank you.",
            "We discussed three things with Russia: Energy.",
            "The Essential Saker IV: messianic narcissism",
        ] {
            assert_eq!(lab(p), None, "{p}");
        }
    }

    #[test]
    fn speaker_and_role() {
        let s = |l: &str| split_speaker(l, false);
        assert_eq!(
            s("President of Russia Vladimir Putin").speaker,
            "Vladimir Putin"
        );
        assert_eq!(
            s("President of Russia Vladimir Putin").role.as_deref(),
            Some("President of Russia")
        );
        assert_eq!(
            s("President of Turkey Recep Tayyip Erdogan").speaker,
            "Recep Tayyip Erdogan"
        );
        assert_eq!(s("Defence Minister Sergei Shoigu").speaker, "Sergei Shoigu");
        assert_eq!(
            s("Minister of Industry and Trade Denis Manturov").speaker,
            "Denis Manturov"
        );
        assert_eq!(
            s("Emir of Qatar Tamim bin Hamad Al Thani").speaker,
            "Tamim bin Hamad Al Thani"
        );
        assert_eq!(s("Vladimir Putin").speaker, "Vladimir Putin");
        assert_eq!(s("Vladimir Putin").role, None);
        assert_eq!(s("CEO of CIFAL Gilles Remy").speaker, "Gilles Remy");
        let k = s("King Abdullah II of Jordan");
        assert_eq!(
            (k.speaker.as_str(), k.role.as_deref()),
            ("Abdullah II", Some("King of Jordan"))
        );
        assert_eq!(surname_key("V.Putin"), "putin");
        assert_eq!(initial("V.Putin"), Some('v'));
    }
}
