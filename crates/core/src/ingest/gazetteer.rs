//! The country and organisation gazetteer behind [`super::mentions`] and the
//! role/name split in [`super::labels`].
//!
//! The data are hand-written tables compiled into the crate:
//! `countries.tsv` (ISO 3166-1 alpha-3 code, canonical English name, aliases,
//! demonyms), `organisations.tsv` (acronym, canonical name, aliases) and `cities.tsv`
//! (city, its country's code, aliases; used only by [`super::place`]). Matching is
//! case-sensitive on word sequences, longest match first, so that "turkey" the bird,
//! "china" the porcelain and "chad" do not count, "Papua New Guinea" is not "Guinea",
//! and "Latin America" is not the United States (a few such phrases are *blockers*
//! that match and count as nothing).

use std::collections::HashMap;
use std::sync::OnceLock;

const COUNTRIES: &str = include_str!("countries.tsv");
const ORGANISATIONS: &str = include_str!("organisations.tsv");
const CITIES: &str = include_str!("cities.tsv");

/// Phrases that contain a country's alias or demonym but do not mean the country.
const BLOCKERS: &[&str] = &[
    "Latin America",
    "South America",
    "North America",
    "Central America",
    "Latin American",
    "South American",
    "North American",
    "Central American",
    "Americas",
    "Indian Ocean",
    "American Indian",
    "New Mexico",
    "New England",
    "British Columbia",
    "British Virgin Islands",
    "Irish Sea",
    "Korean Peninsula",
    "Dominican Order",
    "Greek Orthodox",
    "Turkish Stream",
    "TurkStream",
];

/// What a matched phrase refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// Index into [`countries`].
    Country(usize),
    /// Index into [`organisations`].
    Organisation(usize),
    /// A phrase that means neither (see [`BLOCKERS`]).
    Nothing,
}

/// One gazetteer entry: its code and canonical name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// ISO 3166-1 alpha-3 (countries) or acronym (organisations).
    pub code: String,
    /// Canonical English name.
    pub name: String,
}

struct Gazetteer {
    countries: Vec<Entry>,
    organisations: Vec<Entry>,
    /// First token -> (token sequence, entity), longest sequence first.
    phrases: HashMap<String, Vec<(Vec<String>, Entity)>>,
    /// City name or alias -> index into `countries` (for [`super::place`] only: a
    /// city is not a mention of its country).
    cities: HashMap<String, usize>,
}

/// The columns of a table's rows (comments and blank lines skipped).
fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(build)
}

fn build() -> Gazetteer {
    let mut g = Gazetteer {
        countries: Vec::new(),
        organisations: Vec::new(),
        phrases: HashMap::new(),
        cities: HashMap::new(),
    };
    let add = |phrases: &mut HashMap<String, Vec<(Vec<String>, Entity)>>, s: &str, e| {
        let toks: Vec<String> = tokens(s).map(|(_, t)| t.to_string()).collect();
        if let Some(first) = toks.first() {
            phrases.entry(first.clone()).or_default().push((toks, e));
        }
    };
    // One loader for both tables: code, canonical name, then `;`-separated aliases
    // (countries have a demonym column too). An organisation's acronym is an alias.
    for (table, is_country) in [(COUNTRIES, true), (ORGANISATIONS, false)] {
        for cols in rows(table) {
            let entry = Entry {
                code: cols[0].to_string(),
                name: cols[1].to_string(),
            };
            let e = if is_country {
                g.countries.push(entry);
                Entity::Country(g.countries.len() - 1)
            } else {
                g.organisations.push(entry);
                Entity::Organisation(g.organisations.len() - 1)
            };
            add(&mut g.phrases, cols[1], e);
            if !is_country {
                add(&mut g.phrases, cols[0], e);
            }
            for alias in cols[2..].iter().flat_map(|c| c.split(';')) {
                if !alias.is_empty() {
                    add(&mut g.phrases, alias, e);
                }
            }
        }
    }
    for cols in rows(CITIES) {
        let country = g.countries.iter().position(|c| c.code == cols[1]);
        // A typo in the table is a test failure (`tables_load`), not a silent miss.
        debug_assert!(country.is_some(), "cities.tsv: unknown code {}", cols[1]);
        let Some(country) = country else { continue };
        let aliases = cols.get(2).into_iter().flat_map(|c| c.split(';'));
        for name in std::iter::once(cols[0]).chain(aliases) {
            if !name.is_empty() {
                g.cities.insert(name.to_string(), country);
            }
        }
    }
    for b in BLOCKERS {
        add(&mut g.phrases, b, Entity::Nothing);
    }
    for v in g.phrases.values_mut() {
        v.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        v.dedup_by(|a, b| a.0 == b.0);
    }
    g
}

/// All countries in table order.
pub fn countries() -> &'static [Entry] {
    &gazetteer().countries
}

/// The country whose ISO 3166-1 alpha-3 code (ISO 3166-3 for historical states) is
/// `code`, any case.
pub fn country_by_code(code: &str) -> Option<&'static Entry> {
    countries()
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// The country a known city (name or alias, exactly as in `cities.tsv`) lies in.
pub fn city_country(name: &str) -> Option<&'static Entry> {
    let g = gazetteer();
    g.cities.get(name).map(|&i| &g.countries[i])
}

/// All organisations in table order.
pub fn organisations() -> &'static [Entry] {
    &gazetteer().organisations
}

/// Splits text into word tokens with their byte offsets: runs of letters and digits,
/// keeping inner dots and apostrophes ("U.S", "Côte d’Ivoire") and dropping a
/// possessive "’s". Hyphens split ("Russian-Belarusian" is two words).
pub fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '’'))
        .filter_map(move |raw| {
            let t = raw.trim_matches(|c: char| c == '.' || c == '\'' || c == '’');
            let t = t
                .strip_suffix("’s")
                .or_else(|| t.strip_suffix("'s"))
                .unwrap_or(t);
            if t.is_empty() {
                return None;
            }
            // Offsets are only used for ordering; compute from the slice pointers.
            let off = t.as_ptr() as usize - text.as_ptr() as usize;
            Some((off, t))
        })
}

/// The longest gazetteer phrase starting at `toks[0]`, as (length in tokens, entity).
pub fn match_at(toks: &[&str]) -> Option<(usize, Entity)> {
    let cands = gazetteer().phrases.get(toks[0])?;
    cands
        .iter()
        .find(|(seq, _)| seq.len() <= toks.len() && seq.iter().zip(toks).all(|(a, b)| a == b))
        .map(|(seq, e)| (seq.len(), *e))
}

/// If the label words starting at `words[0]` name a country (or its demonym), the
/// number of words the name takes. Used to find where a person's name starts in
/// "President of Russia Vladimir Putin".
pub fn place_len_at(words: &[&str]) -> Option<usize> {
    // Label words may carry punctuation ("Russia’s,"); match on their bare tokens but
    // only when each word is exactly one token, so offsets stay aligned.
    let mut bare = Vec::with_capacity(words.len().min(8));
    for w in words.iter().take(8) {
        let mut it = tokens(w);
        match (it.next(), it.next()) {
            (Some((_, t)), None) => bare.push(t),
            _ => break,
        }
    }
    if bare.is_empty() {
        return None;
    }
    match match_at(&bare) {
        Some((n, Entity::Country(_))) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert!(countries().len() > 190);
        assert!(organisations().iter().any(|o| o.code == "CSTO"));
        let toks: Vec<&str> = tokens("Papua New Guinea and the U.S.")
            .map(|t| t.1)
            .collect();
        assert_eq!(toks, vec!["Papua", "New", "Guinea", "and", "the", "U.S"]);
        let (n, e) = match_at(&toks).unwrap();
        assert_eq!(n, 3);
        assert!(matches!(e, Entity::Country(i) if countries()[i].code == "PNG"));
        assert_eq!(place_len_at(&["Russian", "Federation", "X"]), Some(2));
        assert_eq!(city_country("Sochi").map(|e| e.code.as_str()), Some("RUS"));
        assert!(gazetteer().cities.len() > 150);
    }
}
