//! Splitting a speaker label into the person's name (`speaker`) and the rest (`role`),
//! and the keys that merge label variants of one person.

use super::gazetteer;
use super::words::*;

/// A label split into the person's name and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerRole {
    /// The person's name, or the whole label for generic speakers and role-only labels.
    pub speaker: String,
    /// The rest of the label, if any.
    pub role: Option<String>,
}

/// Splits a (non-generic) label into name and role.
///
/// The name is the trailing run of words after the last word that belongs to a
/// role: a lowercase word, a role word ("Minister"), an acronym ("CEO", "VEB"), a
/// possessive, or a country or demonym ("of Russia", "Russian"). A name found after
/// a lowercase connective is at most two words (plus particles such as "bin" and
/// initials), since the words before it usually finish the role's object
/// ("Minister of Industry and Trade Denis Manturov").
pub fn split_speaker(label: &str, generic: bool) -> SpeakerRole {
    if generic {
        return SpeakerRole {
            speaker: label.to_string(),
            role: None,
        };
    }
    let words: Vec<&str> = label.split(' ').filter(|w| !w.is_empty()).collect();
    let all_caps = is_acronym(label);
    let n = words.len();
    // Index just after the last role-ish word, and whether it was a lowercase connective.
    let mut boundary = 0;
    let mut after_connective = false;
    let mut i = 0;
    while i < n {
        let w = words[i];
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if let Some(len) = gazetteer::place_len_at(&words[i..]) {
            // Never let a place swallow the whole label's tail (it could be a surname).
            if i + len < n {
                boundary = i + len;
                after_connective = false;
                i += len;
                continue;
            }
        }
        let lower_word = !starts_upper(bare);
        let particle = in_list(NAME_PARTICLES, bare);
        let role_like = in_list(ROLE_WORDS, bare)
            || (!all_caps && is_acronym(bare) && bare.chars().count() <= 8 && !is_roman(bare))
            || w.ends_with("’s")
            || w.ends_with("'s")
            || w.ends_with(',');
        if (lower_word && !particle) || role_like {
            boundary = i + 1;
            after_connective = lower_word;
        }
        i += 1;
    }
    // "King Abdullah II of Jordan": a title, the name, then "of <country>".
    if boundary >= 2 && n - boundary <= 3 && in_list(&["of"], words[boundary - 1]) {
        let tail = &words[boundary..];
        if gazetteer::place_len_at(tail) == Some(tail.len()) {
            let of = boundary - 1;
            let mut s = of;
            while s > 0 && starts_upper(words[s - 1]) && !in_list(ROLE_WORDS, words[s - 1]) {
                s -= 1;
            }
            if s < of && s > 0 {
                let mut role: Vec<&str> = words[..s].to_vec();
                role.extend_from_slice(&words[of..]);
                return SpeakerRole {
                    speaker: words[s..of].join(" "),
                    role: Some(role.join(" ")),
                };
            }
        }
    }
    let mut start = boundary;
    let name_len = n - start;
    let has_particle = words[start..]
        .iter()
        .any(|w| in_list(NAME_PARTICLES, w) && !starts_upper(w));
    if name_len == 0 {
        // A role with no name ("Prime Minister"): the label is all we know.
        return SpeakerRole {
            speaker: label.to_string(),
            role: None,
        };
    }
    let particles = words[start..]
        .iter()
        .filter(|w| in_list(NAME_PARTICLES, w))
        .count();
    if name_len > 4 + particles || (after_connective && name_len >= 3 && !has_particle) {
        start = n - 2;
        // Keep particles and initials attached to the surname.
        while start > boundary {
            let prev = words[start - 1];
            if in_list(NAME_PARTICLES, prev) || is_initial(prev) {
                start -= 1;
                if start > boundary && !in_list(NAME_PARTICLES, words[start - 1]) {
                    start -= 1;
                }
            } else {
                break;
            }
        }
    }
    let speaker = words[start..].join(" ");
    let role = words[..start]
        .join(" ")
        .trim_end_matches([',', ' '])
        .to_string();
    SpeakerRole {
        speaker,
        role: (!role.is_empty()).then_some(role),
    }
}

/// A word with a capital after a lowercase letter ("MaximTopilin"), but not a
/// "Mc"/"Mac" surname.
pub(super) fn is_camel(w: &str) -> bool {
    let cs: Vec<char> = w.chars().collect();
    cs.windows(2).enumerate().any(|(i, p)| {
        p[0].is_lowercase()
            && p[1].is_uppercase()
            && !(i <= 2 && (w.starts_with("Mc") || w.starts_with("Mac")))
    })
}

/// Capitalised, or a name with a lowercase particle prefix ("al-Bashir", "d’Estaing").
pub(super) fn name_capitalised(w: &str) -> bool {
    starts_upper(w)
        || w.split(['-', '’', '\''])
            .skip(1)
            .any(|part| part.chars().next().is_some_and(char::is_uppercase))
}

pub(super) fn is_initial(w: &str) -> bool {
    let t = w.trim_end_matches('.');
    w.ends_with('.') && t.chars().count() == 1
}

pub(super) fn is_roman(w: &str) -> bool {
    w.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

/// The key under which label variants of one person are merged: the surname
/// (last word, after any initials such as "V.Putin"), lowercased.
pub fn surname_key(speaker: &str) -> String {
    let last = speaker.rsplit(' ').next().unwrap_or(speaker);
    let last = last.rsplit('.').next().unwrap_or(last);
    last.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// First letter of the given name, if the speaker has one ("V" for "V.Putin").
pub fn initial(speaker: &str) -> Option<char> {
    let words: Vec<&str> = speaker.split(' ').collect();
    if words.len() >= 2 {
        return words[0]
            .chars()
            .next()
            .map(|c| c.to_lowercase().next().unwrap_or(c));
    }
    let w = words[0];
    if let Some((a, b)) = w.split_once('.') {
        if !b.is_empty() {
            return a
                .chars()
                .next()
                .map(|c| c.to_lowercase().next().unwrap_or(c));
        }
    }
    None
}
