//! The country a transcript's place lies in (`Transcript.country` for transcripts that
//! are not a country's address): "Sochi" → Russia, "The Kremlin, Moscow" → Russia,
//! "Kuala Lumpur, Malaysia" → Malaysia.
//!
//! Only a place that names a known country ([`super::gazetteer`]'s `countries.tsv`)
//! or a known city (`cities.tsv`, each with its country) gives one; anything else
//! gives none. The country is never guessed: not from the text, not from a partial
//! name, and not for places whose country is disputed (left out of `cities.tsv`).

use super::gazetteer::{self, Entity, Entry};

/// Words after a place name that leave the name's country unchanged ("Moscow Region",
/// "Novo-Ogaryovo Residence").
const SUFFIXES: &[&str] = &[" Region", " Residence", " Territory", " Oblast"];

/// The country `place` lies in, if a part of it (comma-separated, the last part first)
/// is a known country or city.
pub fn country_of(place: &str) -> Option<&'static Entry> {
    place.rsplit(',').find_map(|part| {
        let mut part = part.trim();
        part = part.strip_prefix("The ").unwrap_or(part);
        for s in SUFFIXES {
            part = part.strip_suffix(s).unwrap_or(part);
        }
        country_named(part).or_else(|| gazetteer::city_country(part))
    })
}

/// The country whose name, alias or demonym is all of `name`.
fn country_named(name: &str) -> Option<&'static Entry> {
    let toks: Vec<&str> = gazetteer::tokens(name).map(|(_, t)| t).collect();
    if toks.is_empty() {
        return None;
    }
    match gazetteer::match_at(&toks) {
        Some((n, Entity::Country(i))) if n == toks.len() => gazetteer::countries().get(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(place: &str) -> Option<&'static str> {
        country_of(place).map(|e| e.name.as_str())
    }

    #[test]
    fn known_cities_and_countries_give_their_country() {
        assert_eq!(name("Sochi"), Some("Russia"));
        assert_eq!(name("Moscow, the Kremlin"), Some("Russia"));
        assert_eq!(name("The Kremlin, Moscow"), Some("Russia"));
        assert_eq!(name("Novo-Ogaryovo, Moscow Region"), Some("Russia"));
        assert_eq!(name("Beijing"), Some("China"));
        assert_eq!(name("Kuala Lumpur, Malaysia"), Some("Malaysia"));
        assert_eq!(name("Bandar Seri Begawan, Brunei"), Some("Brunei"));
        assert_eq!(name("New York"), Some("United States"));
    }

    /// Issue 11, item 7: a non-UN transcript's `country` is its place's country; a
    /// country given by the source (UN record, front matter) is kept.
    #[test]
    fn ingest_fills_country_from_the_place() {
        use super::super::{jsonl::parse_record, parse_text};
        let k = |loc: &str| {
            let l = format!(
                r#"{{"id":1,"title":"T","location":"{loc}","paragraphs":[{{"kind":"p","text":"Hello."}}]}}"#
            );
            parse_record(&l, 1).unwrap().country
        };
        assert_eq!(k("Bocharov Ruchei, Sochi").as_deref(), Some("Russia"));
        assert_eq!(k("Beijing").as_deref(), Some("China"));
        assert_eq!(k("Gleneagles"), None);
        let un = r#"{"id":"BRA_70_2015","country_iso":"BRA","country":"Brazil","session":70,"year":2015,"speaker":"Ms. Dilma Rousseff","text":"In New York."}"#;
        assert_eq!(
            parse_record(un, 1).unwrap().country.as_deref(),
            Some("Brazil")
        );
        let t = parse_text(
            "x",
            "---\nplace: Moscow\ncountry: Elsewhere\n---\nVladimir Putin: Hello.\n",
            None,
        )
        .unwrap();
        assert_eq!(t.country.as_deref(), Some("Elsewhere"));
    }

    #[test]
    fn anything_else_gives_none() {
        for p in [
            "",
            "Gleneagles",
            "Porto Rotondo, Sardinia",
            "Sevastopol",
            "Tuzla Island",
            "somewhere in Moscow",
            "Pristina, Kosovo",
        ] {
            assert_eq!(name(p), None, "{p:?}");
        }
    }
}
