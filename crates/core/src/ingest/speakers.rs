//! Merging label variants of one person: within a transcript ("President of Russia
//! Vladimir Putin", later "Vladimir Putin", "Putin", "V.Putin" all get the speaker
//! "Vladimir Putin") and across a corpus ([`CorpusSpeakers`]).
//!
//! Variants are keyed by surname (the last word of the name, after initials). A
//! short variant joins a fuller name with the same surname when its given name, if
//! any, is compatible (same word or same initial). Two different people with the
//! same surname in one transcript keep their own names, and a bare surname that
//! could be either of them is left as printed.

use std::collections::{BTreeMap, HashMap};

use super::labels::{initial, surname_key};
use crate::model::Transcript;

fn words(s: &str) -> usize {
    s.split(' ').count()
}

fn compatible(short: &str, full: &str) -> bool {
    if surname_key(short) != surname_key(full) || surname_key(short).is_empty() {
        return false;
    }
    match (initial(short), initial(full)) {
        (Some(a), Some(b)) => {
            // Same initial, and if the short form spells out a given name, it must match.
            a == b && {
                let sw: Vec<&str> = short.split(' ').collect();
                let fw: Vec<&str> = full.split(' ').collect();
                sw.len() < 2 || sw[0].contains('.') || sw[0].eq_ignore_ascii_case(fw[0])
            }
        }
        (None, _) => true,
        (Some(_), None) => false,
    }
}

/// Gives every label variant of one person in `t` the same `speaker`: the fullest
/// name (most words, then first seen) among compatible variants.
pub fn merge_within(t: &mut Transcript) {
    // Candidate full names by surname, in order of first appearance.
    let mut by_surname: HashMap<String, Vec<String>> = HashMap::new();
    let generic: Vec<bool> = t
        .sections
        .iter()
        .flat_map(|s| &s.turns)
        .map(|turn| turn.label.as_deref().is_some_and(super::labels::is_generic))
        .collect();
    for (turn, g) in t.sections.iter().flat_map(|s| &s.turns).zip(&generic) {
        if *g {
            continue;
        }
        if let Some(sp) = &turn.speaker {
            let v = by_surname.entry(surname_key(sp)).or_default();
            if !v.contains(sp) {
                v.push(sp.clone());
            }
        }
    }
    let mut canon: HashMap<String, String> = HashMap::new();
    for names in by_surname.values() {
        for n in names {
            let fuller: Vec<&String> = names
                .iter()
                .filter(|f| words(f) > words(n) || (words(f) == words(n) && f.len() > n.len()))
                .filter(|f| compatible(n, f))
                .collect();
            // Join the fullest compatible name, but only if all candidates agree.
            if let Some(best) = fuller.iter().max_by_key(|f| (words(f), f.len())) {
                if fuller.iter().all(|f| compatible(f, best) || *f == *best) {
                    canon.insert(n.clone(), (*best).clone());
                }
            }
        }
    }
    let mut i = 0;
    for s in &mut t.sections {
        for turn in &mut s.turns {
            if !generic[i] {
                if let Some(sp) = &turn.speaker {
                    if let Some(c) = canon.get(sp) {
                        turn.speaker = Some(c.clone());
                    }
                }
            }
            i += 1;
        }
    }
}

/// A corpus-wide speaker list: one entry per person, with the label variants and
/// spellings seen across transcripts and how many transcripts each appears in.
#[derive(Debug, Default, Clone)]
pub struct CorpusSpeakers {
    /// Surname key -> entries with that surname (distinct people by given name).
    people: BTreeMap<String, Vec<SpeakerEntry>>,
}

/// One person in the corpus-wide list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpeakerEntry {
    /// The canonical name: the fullest spelling seen most often.
    pub name: String,
    /// Every `speaker` spelling merged into this entry, with transcript counts.
    pub variants: BTreeMap<String, u32>,
    /// Every role seen with this person.
    pub roles: BTreeMap<String, u32>,
    /// Number of transcripts the person speaks in.
    pub transcripts: u32,
}

impl CorpusSpeakers {
    /// Adds the speakers of one transcript (generic speakers are skipped).
    pub fn add(&mut self, t: &Transcript) {
        let mut seen: Vec<(String, Option<String>)> = Vec::new();
        for turn in t.sections.iter().flat_map(|s| &s.turns) {
            let (Some(sp), Some(label)) = (&turn.speaker, &turn.label) else {
                continue;
            };
            if super::labels::is_generic(label) {
                continue;
            }
            if !seen.iter().any(|(s, r)| s == sp && *r == turn.role) {
                seen.push((sp.clone(), turn.role.clone()));
            }
        }
        let mut counted: Vec<(String, usize)> = Vec::new();
        for (sp, role) in seen {
            let list = self.people.entry(surname_key(&sp)).or_default();
            let idx = match list
                .iter()
                .position(|e| compatible(&sp, &e.name) || compatible(&e.name, &sp))
            {
                Some(i) => i,
                None => {
                    list.push(SpeakerEntry {
                        name: sp.clone(),
                        variants: BTreeMap::new(),
                        roles: BTreeMap::new(),
                        transcripts: 0,
                    });
                    list.len() - 1
                }
            };
            let e = &mut list[idx];
            let key = (surname_key(&sp), idx);
            if !counted.contains(&key) {
                e.transcripts += 1;
                counted.push(key);
                *e.variants.entry(sp.clone()).or_default() += 1;
            }
            if let Some(r) = role {
                *e.roles.entry(r).or_default() += 1;
            }
            // The canonical name is the fullest variant, most frequent among equals.
            let best = e
                .variants
                .iter()
                .max_by_key(|(n, c)| (words(n), **c, std::cmp::Reverse((*n).clone())))
                .map(|(n, _)| n.clone());
            if let Some(b) = best {
                e.name = b;
            }
        }
    }

    /// The entries, sorted by transcripts (descending) then name.
    pub fn entries(&self) -> Vec<SpeakerEntry> {
        let mut v: Vec<SpeakerEntry> = self.people.values().flatten().cloned().collect();
        v.sort_by(|a, b| {
            b.transcripts
                .cmp(&a.transcripts)
                .then_with(|| a.name.cmp(&b.name))
        });
        v
    }

    /// The canonical name for a speaker spelling, if it is in the list.
    pub fn canonical(&self, speaker: &str) -> Option<&str> {
        self.people
            .get(&surname_key(speaker))?
            .iter()
            .find(|e| e.variants.contains_key(speaker))
            .map(|e| e.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Section, Turn};

    fn turn(label: &str, speaker: &str) -> Turn {
        Turn {
            label: Some(label.into()),
            speaker: Some(speaker.into()),
            ..Default::default()
        }
    }

    #[test]
    fn variants_merge_within() {
        let mut t = Transcript::new("x", "X");
        t.sections = vec![Section {
            heading: None,
            turns: vec![
                turn("President of Russia Vladimir Putin", "Vladimir Putin"),
                turn("Putin", "Putin"),
                turn("V.Putin", "V.Putin"),
                turn("Sergei Ivanov", "Sergei Ivanov"),
                turn("Viktor Ivanov", "Viktor Ivanov"),
                turn("Ivanov", "Ivanov"),
            ],
        }];
        merge_within(&mut t);
        let sp: Vec<_> = t.sections[0]
            .turns
            .iter()
            .map(|t| t.speaker.clone().unwrap())
            .collect();
        assert_eq!(
            sp,
            vec![
                "Vladimir Putin",
                "Vladimir Putin",
                "Vladimir Putin",
                "Sergei Ivanov",
                "Viktor Ivanov",
                "Ivanov"
            ]
        );
        let mut c = CorpusSpeakers::default();
        c.add(&t);
        assert_eq!(c.canonical("Vladimir Putin"), Some("Vladimir Putin"));
    }
}
