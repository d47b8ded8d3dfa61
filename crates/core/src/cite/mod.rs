//! Citations: of a paragraph, a turn or a whole transcript, in APA, MLA and Chicago
//! ([`styles`]), BibTeX, RIS and CSL-JSON ([`export`]), all rendered from one
//! [`Reference`] ([`reference`]); text-fragment links, the copied-quote text and the
//! Highwire meta tags ([`link`]); and the reader's short plain-text [`citation`] of a
//! paragraph: who said it, where and when, the source, and a permalink back to it.

pub mod export;
pub mod link;
pub mod reference;
pub mod styles;

pub use export::{bibtex, csl_item, csl_json, ris, CslItem};
pub use link::{copied_quote, highwire, text_fragment};
pub use reference::{reference, Date, Name, Reference, Scope};
pub use styles::{format, Style};

use crate::model::{Location, Transcript};

/// English month names, for the long dates of every style.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2015-09-15` as "15 September 2015"; partial or odd dates are returned as given.
pub fn long_date(date: &str) -> String {
    let mut it = date.splitn(3, '-');
    let (y, m, d) = (
        it.next(),
        it.next().and_then(|m| m.parse::<usize>().ok()),
        it.next().and_then(|d| d.parse::<u32>().ok()),
    );
    match (y, m, d) {
        (Some(y), Some(m @ 1..=12), Some(d @ 1..=31)) => format!("{d} {} {y}", MONTHS[m - 1]),
        (Some(y), Some(m @ 1..=12), None) => format!("{} {y}", MONTHS[m - 1]),
        _ => date.to_string(),
    }
}

/// A plain-text citation of paragraph `index` (reading order) of `t`, ending with
/// `permalink`. `None` if there is no such paragraph.
pub fn citation(t: &Transcript, index: usize, permalink: &str) -> Option<String> {
    let p = t.paragraphs().nth(index)?;
    let mut who = String::new();
    if let Location::Body { section, turn } = p.location {
        let turn = &t.sections[section].turns[turn];
        if let Some(name) = turn.speaker.as_deref().or(turn.label.as_deref()) {
            who.push_str(name);
            if let Some(role) = &turn.role {
                who.push_str(&format!(" ({role})"));
            }
            who.push_str(", ");
        }
    }
    let mut out = format!("{who}“{}”", t.title);
    for part in [t.date.as_deref().map(long_date), t.place.clone()]
        .into_iter()
        .flatten()
    {
        out.push_str(", ");
        out.push_str(&part);
    }
    out.push_str(&format!(", paragraph {}.", index + 1));
    if let Some(src) = &t.source {
        if let Some(url) = src.link() {
            out.push_str(&format!(" Source: {url}."));
        }
        if let Some(a) = src.attribution.as_deref().or(src.license.as_deref()) {
            out.push_str(&format!(" {a}."));
        }
    }
    out.push_str(&format!(" {permalink}"));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Section, Source, Turn};

    #[test]
    fn cites_speaker_title_date_source_and_link() {
        let mut t = Transcript::new("x", "Speech at CSTO session");
        t.date = Some("2015-09-15".into());
        t.place = Some("Dushanbe".into());
        t.source = Some(Source {
            url: Some("http://en.kremlin.ru/events/president/news/50306".into()),
            license: Some("CC BY 4.0".into()),
            attribution: Some("President of Russia website (en.kremlin.ru), CC BY 4.0".into()),
        });
        t.summary = vec!["Lead.".into()];
        t.sections = vec![Section {
            heading: None,
            turns: vec![Turn {
                label: Some("President of Russia Vladimir Putin".into()),
                speaker: Some("Vladimir Putin".into()),
                role: Some("President of Russia".into()),
                paragraphs: vec!["Thank you.".into()],
                ..Default::default()
            }],
        }];
        assert_eq!(
            citation(&t, 1, "https://example.org/t/x#p-1").unwrap(),
            "Vladimir Putin (President of Russia), “Speech at CSTO session”, 15 September 2015, Dushanbe, paragraph 2. \
             Source: http://en.kremlin.ru/events/president/news/50306. President of Russia website (en.kremlin.ru), CC BY 4.0. https://example.org/t/x#p-1"
        );
        assert!(citation(&t, 0, "L")
            .unwrap()
            .starts_with("“Speech at CSTO session”"));
        assert_eq!(citation(&t, 2, "L"), None);
    }

    #[test]
    fn odd_dates_pass_through() {
        assert_eq!(long_date("2015"), "2015");
        assert_eq!(long_date("2015-09"), "September 2015");
        assert_eq!(long_date("2015-13-01"), "2015-13-01");
    }
}
