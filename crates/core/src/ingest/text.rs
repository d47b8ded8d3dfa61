//! Plain-text transcripts in the Kremlin layout (the seed's): optional front matter,
//! optional title/date/place lines, lead paragraphs, `* * *` separators, section
//! headings, and paragraphs that open with a speaker label ("Name: ...") or continue
//! the previous speaker's turn. Noise at either end goes to `dropped`.
//!
//! Each non-empty line is one paragraph (the layout puts a blank line between
//! paragraphs, but scraped text often has single line breaks, and a paragraph never
//! spans lines in it).

use super::labels::{self, Label};
use super::meta::{self, FrontMatter};
use super::{noise, normalize, IngestError};
use crate::model::{Section, Source, Tags, Transcript, Turn};

/// Parses a plain-text transcript. `meta` is sidecar metadata, if any; front matter
/// in the text wins over it field by field.
pub fn parse_text(
    id: &str,
    text: &str,
    meta: Option<&FrontMatter>,
) -> Result<Transcript, IngestError> {
    super::check_input(text)?;
    let (inline, offset, _) = meta::split_front_matter(text)?;
    let fm = match (inline, meta) {
        (Some(a), Some(b)) => a.or(b),
        (Some(a), None) => a,
        (None, Some(b)) => b.clone(),
        (None, None) => FrontMatter::default(),
    };
    let lines = normalize::lines(&text[offset..]);
    let items: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect();
    if items.iter().all(|l| noise::is_separator(l)) {
        return Err(IngestError::NoContent);
    }
    let lead = noise::leading_noise(&items);
    let trail = noise::trailing_noise(&items[lead..]);
    let body = &items[lead..items.len() - trail];
    let mut dropped: Vec<String> = items[..lead].iter().map(|s| s.to_string()).collect();
    dropped.extend(items[items.len() - trail..].iter().map(|s| s.to_string()));
    if body.iter().all(|l| noise::is_separator(l)) {
        return Err(IngestError::NoContent);
    }

    let mut t = Transcript::new(fm.id.clone().unwrap_or_else(|| id.to_string()), "");
    let (pos, inferred) = infer_header(body);
    let body = &body[pos..];
    t.title = fm.title.clone().or(inferred.title).unwrap_or_default();
    t.date = fm.date.clone().or(inferred.date);
    t.time = fm.time.clone().or(inferred.time);
    t.place = fm.place.clone().or(inferred.place);
    t.kind = fm.kind.clone();
    t.lang = fm.lang.clone();
    t.country = fm.country.clone();
    let url = super::keep_url(&mut t, fm.url.clone());
    if url.is_some() || fm.license.is_some() || fm.attribution.is_some() {
        t.source = Some(Source {
            url,
            license: fm.license.clone(),
            attribution: fm.attribution.clone(),
        });
    }
    t.tags = Tags {
        topics: fm.topics.clone(),
        persons: fm.persons.clone(),
        places: fm.places.clone(),
    };
    t.dropped.splice(0..0, dropped);

    let found = find_labels(body);
    build_body(&mut t, body, &found);
    if t.title.is_empty() {
        t.title = t
            .sections
            .iter()
            .find_map(|s| s.heading.clone())
            .unwrap_or_else(|| t.id.clone());
    }
    if t.summary.is_empty() && t.sections.iter().all(|s| s.turns.is_empty()) {
        return Err(IngestError::NoContent);
    }
    Ok(super::finish(t))
}

#[derive(Default)]
struct Header {
    title: Option<String>,
    date: Option<String>,
    time: Option<String>,
    place: Option<String>,
}

/// Recognises a "title / date / place" block at the top: a date line first, or a
/// title line directly followed by a date line; then an optional short place line.
/// Without a date line nothing is taken, because a lone first line could as well be
/// a section heading or a lead paragraph.
fn infer_header(body: &[&str]) -> (usize, Header) {
    let mut h = Header::default();
    let mut pos = 0;
    let is_plain =
        |l: &str| labels::find_label(l).is_none() && !noise::is_separator(l) && !ends_sentence(l);
    if let Some((d, tm)) = body.first().and_then(|l| meta::parse_date_line(l)) {
        (h.date, h.time, pos) = (Some(d), tm, 1);
    } else if body.len() > 2 && is_plain(body[0]) {
        if let Some((d, tm)) = meta::parse_date_line(body[1]) {
            (h.title, h.date, h.time, pos) = (Some(body[0].to_string()), Some(d), tm, 2);
        }
    }
    if pos > 0 && body.len() > pos + 1 && is_place_line(body[pos]) && is_plain(body[pos]) {
        h.place = Some(body[pos].to_string());
        pos += 1;
    }
    (pos, h)
}

/// A place line: a few capitalised words, no sentence punctuation ("The Kremlin, Moscow").
fn is_place_line(l: &str) -> bool {
    let words: Vec<&str> = l.split(' ').collect();
    words.len() <= 6
        && l.chars().count() <= 60
        && words.iter().all(|w| {
            let b = w.trim_matches(|c: char| !c.is_alphanumeric());
            b.is_empty()
                || b.chars().next().is_some_and(char::is_uppercase)
                || matches!(b, "of" | "the" | "on" | "upon" | "de" | "am" | "na")
        })
}

/// `true` when a line ends like a sentence or a clause (so it is not a heading).
fn ends_sentence(l: &str) -> bool {
    l.chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | '…' | ';' | ',' | ':' | '"' | '”' | '»' | '’'
        )
    })
}

/// A stage direction or omission mark on its own line: "(Video plays.)", "[…]",
/// "<…>". It is not anyone's speech, so it ends the current turn.
fn is_stage_direction(l: &str) -> bool {
    let t = l.trim_end_matches('.');
    (t.starts_with('(') && t.ends_with(')') && t.matches('(').count() == 1)
        || (t.starts_with('[') && t.ends_with(']') && t.matches('[').count() == 1)
}

/// A section heading: short, starts with a capital, has no sentence punctuation at
/// its end and no speaker label. Only lines at the start of a section qualify.
fn is_heading(l: &str) -> bool {
    let words = l.split(' ').count();
    (2..=40).contains(&words)
        && !ends_sentence(l)
        && l.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// The accepted label of every body line. A one-word label ("Putin:") is accepted
/// only if it is the surname of a fuller label in the same text, since one
/// capitalised word before a colon is as often a heading ("Agenda:").
fn find_labels(body: &[&str]) -> Vec<Option<Label>> {
    let mut found: Vec<Option<Label>> = body.iter().map(|l| labels::find_label(l)).collect();
    let surnames: Vec<String> = found
        .iter()
        .flatten()
        .filter(|l| !l.generic && !l.single_word)
        .map(|l| labels::surname_key(&labels::split_speaker(&l.label, false).speaker))
        .collect();
    // ... or if it opens two or more paragraphs in a dialogue (a first name: "Alina:"),
    // unless it is an enumeration word ("Second:").
    let count = |label: &str| found.iter().flatten().filter(|l| l.label == label).count();
    let dialogue = found.iter().flatten().filter(|l| !l.single_word).count() >= 2;
    let keep: Vec<bool> = found
        .iter()
        .map(|f| {
            f.as_ref().is_none_or(|l| {
                !l.single_word
                    || surnames.contains(&labels::surname_key(&l.label))
                    || (dialogue && count(&l.label) >= 2 && !labels::is_enumeration(&l.label))
            })
        })
        .collect();
    for (f, k) in found.iter_mut().zip(keep) {
        if !k {
            *f = None;
        }
    }
    // A run of three or more "Title: Name." lines is a list (of appointments, say),
    // not a dialogue: in a dialogue people say more than a name, and turns alternate.
    let list_item = |found: &[Option<Label>], i: usize| {
        found[i]
            .as_ref()
            .is_some_and(|l| is_bare_name(body[i][l.rest..].trim()))
    };
    let mut i = 0;
    while i < body.len() {
        let mut j = i;
        while j < body.len() && list_item(&found, j) {
            j += 1;
        }
        // Distinct titles make a list; repeated speakers make a dialogue of short replies.
        let mut titles: Vec<&str> = found[i..j]
            .iter()
            .flatten()
            .map(|l| l.label.as_str())
            .collect();
        titles.sort_unstable();
        titles.dedup();
        if j - i >= 3 && titles.len() == j - i {
            for f in &mut found[i..j] {
                *f = None;
            }
        }
        i = j.max(i + 1);
    }
    found
}

/// Two to four capitalised words and an optional full stop: "Sergei Lavrov."
/// (One word is a reply such as "Yes.", not a name.)
fn is_bare_name(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    let words: Vec<&str> = s.split(' ').collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '’' | '\''))
        })
}

fn build_body(t: &mut Transcript, body: &[&str], found: &[Option<Label>]) {
    // Lead paragraphs: everything before the first separator, if no speaker speaks there.
    let mut start = 0;
    if let Some(sep) = body.iter().position(|l| noise::is_separator(l)) {
        if found[..sep].iter().all(Option::is_none) {
            t.summary = body[..sep].iter().map(|s| s.to_string()).collect();
            start = sep;
        }
    }
    let mut sections: Vec<Section> = Vec::new();
    let mut section = Section::default();
    let mut turn: Option<Turn> = None;
    let mut at_start = true;
    for (i, line) in body.iter().enumerate().skip(start) {
        if noise::is_separator(line) {
            flush_turn(&mut section, &mut turn);
            flush_section(&mut sections, &mut section);
            at_start = true;
            continue;
        }
        if let Some(lab) = &found[i] {
            flush_turn(&mut section, &mut turn);
            let sr = labels::split_speaker(&lab.label, lab.generic);
            let rest = line[lab.rest..].trim();
            turn = Some(Turn {
                label: Some(lab.label.clone()),
                speaker: Some(sr.speaker),
                role: sr.role,
                note: lab.note.clone(),
                paragraphs: if rest.is_empty() {
                    Vec::new()
                } else {
                    vec![rest.to_string()]
                },
                answers: None,
            });
            at_start = false;
            continue;
        }
        if at_start && is_heading(line) && !is_stage_direction(line) {
            flush_turn(&mut section, &mut turn);
            if section.heading.is_some() || !section.turns.is_empty() {
                flush_section(&mut sections, &mut section);
            }
            section.heading = Some(line.to_string());
            at_start = false;
            continue;
        }
        at_start = false;
        if is_stage_direction(line) && turn.as_ref().is_some_and(|t| t.label.is_some()) {
            flush_turn(&mut section, &mut turn);
        }
        turn.get_or_insert_with(Turn::default)
            .paragraphs
            .push(line.to_string());
    }
    flush_turn(&mut section, &mut turn);
    flush_section(&mut sections, &mut section);
    t.sections = sections;
}

/// Closes the open turn, if any, into `section` (shared with the JSON-lines builder).
pub(super) fn flush_turn(section: &mut Section, turn: &mut Option<Turn>) {
    if let Some(t) = turn.take() {
        // A label with no words after it and no following paragraph still marks a
        // turn (it shows who spoke); keep it.
        section.turns.push(t);
    }
}

/// Closes `section` into `sections` unless it is empty (shared with the JSON-lines builder).
pub(super) fn flush_section(sections: &mut Vec<Section>, section: &mut Section) {
    if section.heading.is_some() || !section.turns.is_empty() {
        sections.push(std::mem::take(section));
    }
}
