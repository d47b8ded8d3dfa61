//! Countries and organisations mentioned in a transcript, for the `mentions` field
//! that search filters and counts on.
//!
//! A mention's `count` is the number of paragraphs (summary and body, in reading
//! order; not the title) that mention the entity at least once, by name, alias or
//! demonym ("Syrian" counts for Syria). Lists are sorted by descending count, then
//! name. Matching rules live in [`super::gazetteer`].

use std::collections::HashMap;

use super::gazetteer::{self, Entity};
use crate::model::{Mention, Mentions, Transcript};

/// Computes the mentions of a transcript from its paragraphs.
pub fn extract(t: &Transcript) -> Mentions {
    let mut countries: HashMap<usize, u32> = HashMap::new();
    let mut orgs: HashMap<usize, u32> = HashMap::new();
    for p in t.paragraphs() {
        let (cs, os) = in_paragraph(p.text);
        for c in cs {
            *countries.entry(c).or_default() += 1;
        }
        for o in os {
            *orgs.entry(o).or_default() += 1;
        }
    }
    Mentions {
        countries: to_list(countries, gazetteer::countries()),
        organisations: to_list(orgs, gazetteer::organisations()),
    }
}

/// The distinct countries and organisations (gazetteer indices) one paragraph mentions.
pub fn in_paragraph(text: &str) -> (Vec<usize>, Vec<usize>) {
    let toks: Vec<&str> = gazetteer::tokens(text).map(|(_, t)| t).collect();
    // In a shouting (all-caps) paragraph, "US" and "WHO" are ordinary words.
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let upper = text.chars().filter(|c| c.is_uppercase()).count();
    let shouting = letters > 20 && upper * 10 > letters * 7;
    let (mut cs, mut os) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < toks.len() {
        match gazetteer::match_at(&toks[i..]) {
            Some((n, e)) => {
                let acronym_only = n == 1 && toks[i].chars().all(|c| !c.is_lowercase());
                if !(shouting && acronym_only) {
                    match e {
                        Entity::Country(c) if !cs.contains(&c) => cs.push(c),
                        Entity::Organisation(o) if !os.contains(&o) => os.push(o),
                        _ => {}
                    }
                }
                i += n;
            }
            None => i += 1,
        }
    }
    (cs, os)
}

fn to_list(counts: HashMap<usize, u32>, table: &[gazetteer::Entry]) -> Vec<Mention> {
    let mut v: Vec<Mention> = counts
        .into_iter()
        .map(|(i, count)| Mention {
            name: table[i].name.clone(),
            code: Some(table[i].code.clone()),
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> (Vec<String>, Vec<String>) {
        let (c, o) = in_paragraph(text);
        (
            c.iter()
                .map(|&i| gazetteer::countries()[i].code.clone())
                .collect(),
            o.iter()
                .map(|&i| gazetteer::organisations()[i].code.clone())
                .collect(),
        )
    }

    #[test]
    fn countries_and_orgs() {
        let (c, o) = names(
            "We support the Syrian government, the CSTO and Russia’s partners in Latin America.",
        );
        assert_eq!(c, vec!["SYR", "RUS"]);
        assert_eq!(o, vec!["CSTO"]);
        assert_eq!(names("We ate turkey in china.").0, Vec::<String>::new());
        assert_eq!(names("Papua New Guinea").0, vec!["PNG"]);
        assert_eq!(names("the United States and the USA").0, vec!["USA"]);
    }
}
