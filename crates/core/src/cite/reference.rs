//! What a citation says, gathered once from a transcript: the [`Reference`] that every
//! style and export format ([`super::styles`], [`super::export`]) renders. A paragraph,
//! a turn or a whole transcript can be cited ([`Scope`]).

use serde::{Deserialize, Serialize};

use crate::model::{Location, Transcript};

/// What is cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// The whole transcript; its author is its main speaker (most paragraphs).
    Transcript,
    /// One turn: `sections[section].turns[turn]`.
    Turn { section: usize, turn: usize },
    /// One paragraph, by its index in reading order.
    Paragraph(usize),
}

/// A person's name, split for styles that invert it ("Putin, Vladimir").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// Everything but the last word; `None` for a one-word name.
    pub given: Option<String>,
    pub family: String,
}

impl Name {
    /// Splits a name as printed ("Vladimir Putin") at its last word.
    pub fn parse(name: &str) -> Option<Name> {
        let words: Vec<&str> = name.split_whitespace().collect();
        let (family, given) = words.split_last()?;
        Some(Name {
            given: (!given.is_empty()).then(|| given.join(" ")),
            family: family.to_string(),
        })
    }

    /// "Putin, Vladimir".
    pub fn inverted(&self) -> String {
        match &self.given {
            Some(g) => format!("{}, {g}", self.family),
            None => self.family.clone(),
        }
    }

    /// "Vladimir Putin".
    pub fn natural(&self) -> String {
        match &self.given {
            Some(g) => format!("{g} {}", self.family),
            None => self.family.clone(),
        }
    }

    /// "Putin, V." (APA): initials of the given names.
    pub fn initials(&self) -> String {
        match &self.given {
            Some(g) => {
                let i: Vec<String> = g
                    .split([' ', '-'])
                    .filter_map(|p| p.chars().next())
                    .map(|c| format!("{c}."))
                    .collect();
                format!("{}, {}", self.family, i.join(" "))
            }
            None => self.family.clone(),
        }
    }
}

/// A date as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl Date {
    /// From `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.splitn(3, '-');
        let year = it.next()?.parse().ok()?;
        let month = it
            .next()
            .and_then(|m| m.parse().ok())
            .filter(|m| (1..=12).contains(m));
        let day = month
            .and(it.next())
            .and_then(|d| d.parse().ok())
            .filter(|d| (1..=31).contains(d));
        Some(Date { year, month, day })
    }
}

/// Everything a citation of a transcript (or of part of it) says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Transcript id.
    pub id: String,
    pub title: String,
    /// The speaker: of the paragraph or turn, or the transcript's main speaker.
    pub author: Option<Name>,
    /// The speaker's role as printed ("President of Russia").
    pub role: Option<String>,
    pub date: Option<Date>,
    /// Where the event took place.
    pub place: Option<String>,
    /// The publishing site or corpus ("President of Russia website").
    pub container: Option<String>,
    /// The permalink to what is cited (paragraph, turn or transcript).
    pub url: String,
    /// The original page.
    pub source_url: Option<String>,
    pub license: Option<String>,
    /// 1-based paragraph number, when a paragraph is cited.
    pub paragraph: Option<usize>,
}

/// The site's name from an attribution such as "President of Russia website
/// (en.kremlin.ru), CC BY 4.0": the text before a parenthesis or comma.
pub fn container_from_attribution(a: &str) -> Option<String> {
    let end = a.find([',', '(']).unwrap_or(a.len());
    let s = a[..end].trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The reference for `scope` of `t`. `url` is the permalink of what is cited; `site` the
/// publisher's or corpus's name (the manifest's), else taken from the source attribution.
/// `None` when the scope is not in the transcript.
pub fn reference(t: &Transcript, scope: Scope, url: &str, site: Option<&str>) -> Option<Reference> {
    let turn_of = |section: usize, turn: usize| t.sections.get(section)?.turns.get(turn);
    let (turn, paragraph) = match scope {
        Scope::Transcript => (main_turn(t), None),
        Scope::Turn { section, turn } => (Some(turn_of(section, turn)?), None),
        Scope::Paragraph(i) => {
            let p = t.paragraphs().nth(i)?;
            let turn = match p.location {
                Location::Body { section, turn } => turn_of(section, turn),
                Location::Summary => None,
            };
            (turn, Some(i + 1))
        }
    };
    let src = t.source.as_ref();
    Some(Reference {
        id: t.id.clone(),
        title: t.title.clone(),
        author: turn
            .and_then(|u| u.speaker.as_deref())
            .and_then(Name::parse),
        role: turn.and_then(|u| u.speaker.as_ref().and(u.role.clone())),
        date: t
            .date
            .as_deref()
            .and_then(Date::parse)
            .or(t.year.map(|year| Date {
                year,
                month: None,
                day: None,
            })),
        place: t.place.clone(),
        container: site.map(str::to_owned).or_else(|| {
            src?.attribution
                .as_deref()
                .and_then(container_from_attribution)
        }),
        url: url.to_string(),
        source_url: src.and_then(|s| s.link()).map(str::to_owned),
        license: src.and_then(|s| s.license.clone()),
        paragraph,
    })
}

/// A turn of the speaker with the most paragraphs: who a whole transcript is by.
fn main_turn(t: &Transcript) -> Option<&crate::model::Turn> {
    let turns: Vec<_> = t.sections.iter().flat_map(|s| &s.turns).collect();
    let mut best: Option<(&str, usize)> = None;
    for sp in t.speakers() {
        let n: usize = turns
            .iter()
            .filter(|u| u.speaker.as_deref() == Some(sp))
            .map(|u| u.paragraphs.len())
            .sum();
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((sp, n));
        }
    }
    let (sp, _) = best?;
    turns.into_iter().find(|u| u.speaker.as_deref() == Some(sp))
}
