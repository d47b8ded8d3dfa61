//! The transcript data model, schema 1: the one JSON format that `stenogram ingest`
//! writes, `stenogram build` reads, and the app renders.
//!
//! Field names are fixed by the schema (other tools read them). Fields beyond the
//! schema's minimum (`lang`, `country`, `mentions`, `ingest`) are extras that are
//! `#[serde(default)]` so that any schema-1 file from another tool still loads.

use serde::{Deserialize, Serialize};

/// The schema version written into every transcript file and checked on load.
pub const SCHEMA_VERSION: u32 = 1;

/// One transcript: a speech, a meeting, a press conference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// Always [`SCHEMA_VERSION`] when written by this crate.
    pub schema: u32,
    /// Stable identifier; defaults to the input file's stem.
    pub id: String,
    pub title: String,
    /// `YYYY-MM-DD` when known.
    pub date: Option<String>,
    /// `HH:MM` (24 h) when known.
    pub time: Option<String>,
    pub place: Option<String>,
    /// What sort of event: `transcript`, `speech`, `address`, `news`, ...
    pub kind: Option<String>,
    pub source: Option<Source>,
    #[serde(default)]
    pub tags: Tags,
    /// Lead paragraphs that precede the transcript proper.
    #[serde(default)]
    pub summary: Vec<String>,
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Lines removed as not part of the transcript (site chrome, adverts), kept for provenance.
    #[serde(default)]
    pub dropped: Vec<String>,
    /// ISO 639-1 language of the text (`en`, `ru`), declared or detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// For addresses by a country's representative (UN General Debate): the country's name.
    /// For other transcripts: the country their place lies in, when the place names a
    /// known city or country (`ingest::place`), else what metadata says, else none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Countries and organisations mentioned in the text, for filtering and counting.
    #[serde(default)]
    pub mentions: Mentions,
    /// The year, for sources that give only a year (UN General Debate speeches):
    /// `date` stays `None` rather than inventing a day. [`Transcript::year`] falls
    /// back to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// Where a transcript came from and under which terms it may be reused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    pub url: Option<String>,
    pub license: Option<String>,
    pub attribution: Option<String>,
}

impl Source {
    /// The source URL if it may leave the app as a link or a URL field (a citation's,
    /// a reference manager's): [`safe_url`] accepts it. A bundle is data from outside,
    /// checked again wherever it is used, whatever ingest kept.
    pub fn link(&self) -> Option<&str> {
        self.url.as_deref().and_then(|u| safe_url(u).ok())
    }
}

/// The publisher's own tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Tags {
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub persons: Vec<String>,
    #[serde(default)]
    pub places: Vec<String>,
}

/// A run of turns under one heading (or none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Section {
    pub heading: Option<String>,
    #[serde(default)]
    pub turns: Vec<Turn>,
}

/// Consecutive paragraphs by one speaker; `label == None` holds unattributed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Turn {
    /// The speaker label verbatim as printed, without the colon and note.
    pub label: Option<String>,
    /// The person's name without the role ("Vladimir Putin"); `None` for unattributed
    /// text and for a generic label ("Question", "Moderator"), which names no person.
    pub speaker: Option<String>,
    /// The rest of the label ("President of Russia").
    pub role: Option<String>,
    /// A parenthetical from the label, e.g. "retranslated".
    pub note: Option<String>,
    #[serde(default)]
    pub paragraphs: Vec<String>,
    /// For a turn that answers a question (press conferences, interviews): the index of
    /// the question's turn, counting every turn of every section in reading order from 0.
    /// Set at ingest by [`crate::ingest::qa`] (rules in `docs/ingest.md`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<usize>,
}

/// Entities mentioned in a transcript's text.
///
/// Each list is sorted by descending count, then name. `name` is the canonical
/// English name (what facets show and `mentions:` matches); `code` is ISO 3166-1
/// alpha-3 for countries and the acronym for organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Mentions {
    #[serde(default)]
    pub countries: Vec<Mention>,
    #[serde(default)]
    pub organisations: Vec<Mention>,
}

/// One mentioned entity and how many paragraphs mention it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub count: u32,
}

/// Where a paragraph sits in a transcript's reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The `n`th summary (lead) paragraph.
    Summary,
    /// A body paragraph in `sections[section].turns[turn]`.
    Body { section: usize, turn: usize },
}

/// A paragraph with its global index in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParagraphRef<'a> {
    /// Index in reading order: summary paragraphs first, then every section's
    /// turns' paragraphs in order. URLs (`#p-<index>`) and search hits use it.
    pub index: usize,
    pub location: Location,
    pub text: &'a str,
}

impl Transcript {
    /// An empty transcript with the current schema version.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Transcript {
            schema: SCHEMA_VERSION,
            id: id.into(),
            title: title.into(),
            date: None,
            time: None,
            place: None,
            kind: None,
            source: None,
            tags: Tags::default(),
            summary: Vec::new(),
            sections: Vec::new(),
            dropped: Vec::new(),
            lang: None,
            country: None,
            mentions: Mentions::default(),
            year: None,
        }
    }

    /// Every paragraph in reading order, with its global index.
    pub fn paragraphs(&self) -> impl Iterator<Item = ParagraphRef<'_>> {
        let summary = self.summary.iter().map(|t| (Location::Summary, t.as_str()));
        let body = self.sections.iter().enumerate().flat_map(|(s, sec)| {
            sec.turns.iter().enumerate().flat_map(move |(t, turn)| {
                turn.paragraphs.iter().map(move |p| {
                    (
                        Location::Body {
                            section: s,
                            turn: t,
                        },
                        p.as_str(),
                    )
                })
            })
        });
        summary
            .chain(body)
            .enumerate()
            .map(|(index, (location, text))| ParagraphRef {
                index,
                location,
                text,
            })
    }

    /// The reading-order index of each turn's first paragraph, `[section][turn]`: the
    /// numbering of [`Transcript::paragraphs`] for views that render turn by turn (the
    /// reading view's `#p-<index>` anchors), so that nobody counts paragraphs again.
    pub fn turn_starts(&self) -> Vec<Vec<usize>> {
        let mut next = self.summary.len();
        self.sections
            .iter()
            .map(|s| {
                s.turns
                    .iter()
                    .map(|t| {
                        let start = next;
                        next += t.paragraphs.len();
                        start
                    })
                    .collect()
            })
            .collect()
    }

    /// Number of paragraphs in reading order (summary plus body).
    pub fn paragraph_count(&self) -> usize {
        self.summary.len()
            + self
                .sections
                .iter()
                .flat_map(|s| &s.turns)
                .map(|t| t.paragraphs.len())
                .sum::<usize>()
    }

    /// Distinct speakers in order of first appearance.
    pub fn speakers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for sp in self
            .sections
            .iter()
            .flat_map(|s| &s.turns)
            .filter_map(|t| t.speaker.as_deref())
        {
            if !out.contains(&sp) {
                out.push(sp);
            }
        }
        out
    }

    /// The year of `date`, if any, else the year-only `year` field.
    pub fn year(&self) -> Option<i32> {
        self.date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
            .or(self.year)
    }
}

/// Why a source URL is not kept: only `http` and `https` may become a link, since a
/// `javascript:`, `data:` or `vbscript:` link would run or show whatever a data file
/// says when a reader clicks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlRejected {
    #[error("it starts with whitespace or a control character")]
    LeadingJunk,
    #[error("it holds whitespace or a control character")]
    Junk,
    #[error("its scheme is not http or https")]
    Scheme,
    #[error("it names no host")]
    NoHost,
}

/// `url` if it may be rendered as a link: it starts with `http://` or `https://` (any
/// case) followed by a host, and holds no whitespace or control character (browsers
/// drop those, so `java\tscript:` would be `javascript:`). The one check of a source
/// URL: ingest applies it to every URL it takes, the app again before rendering a link.
pub fn safe_url(url: &str) -> Result<&str, UrlRejected> {
    let junk = |c: char| c.is_whitespace() || c.is_control();
    if url.starts_with(junk) {
        return Err(UrlRejected::LeadingJunk);
    }
    if url.contains(junk) {
        return Err(UrlRejected::Junk);
    }
    let rest = [("https://", 8), ("http://", 7)]
        .iter()
        .find(|(p, n)| url.get(..*n).is_some_and(|h| h.eq_ignore_ascii_case(p)))
        .map(|(_, n)| &url[*n..])
        .ok_or(UrlRejected::Scheme)?;
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return Err(UrlRejected::NoHost);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_order_puts_summary_first() {
        let mut t = Transcript::new("x", "X");
        t.summary = vec!["lead".into()];
        t.sections = vec![Section {
            heading: Some("H".into()),
            turns: vec![
                Turn {
                    label: Some("A".into()),
                    speaker: Some("A".into()),
                    paragraphs: vec!["a1".into(), "a2".into()],
                    ..Default::default()
                },
                Turn {
                    label: None,
                    paragraphs: vec!["n".into()],
                    ..Default::default()
                },
            ],
        }];
        let ps: Vec<_> = t.paragraphs().map(|p| (p.index, p.text)).collect();
        assert_eq!(ps, vec![(0, "lead"), (1, "a1"), (2, "a2"), (3, "n")]);
        assert_eq!(t.paragraph_count(), 4);
        assert_eq!(t.turn_starts(), vec![vec![1, 3]]);
        // The starts agree with the paragraphs' own numbering.
        for p in t.paragraphs() {
            if let Location::Body { section, turn } = p.location {
                assert!(p.index >= t.turn_starts()[section][turn]);
            }
        }
        assert_eq!(t.speakers(), vec!["A"]);
    }

    /// Regression (issue 12): a `javascript:` source URL became a live link.
    #[test]
    fn only_http_and_https_urls_are_links() {
        for ok in ["https://en.kremlin.ru/events/1", "HTTP://x.org", "http://a"] {
            assert_eq!(safe_url(ok), Ok(ok));
        }
        for (bad, why) in [
            ("javascript:alert(1)", UrlRejected::Scheme),
            ("JaVaScRiPt:alert(1)", UrlRejected::Scheme),
            (" javascript:alert(1)", UrlRejected::LeadingJunk),
            ("\u{1}javascript:alert(1)", UrlRejected::LeadingJunk),
            ("java\tscript:alert(1)", UrlRejected::Junk),
            (
                "data:text/html,<script>alert(1)</script>",
                UrlRejected::Scheme,
            ),
            ("vbscript:msgbox(1)", UrlRejected::Scheme),
            ("//evil.example/x", UrlRejected::Scheme),
            ("https:///x", UrlRejected::NoHost),
            ("", UrlRejected::Scheme),
        ] {
            assert_eq!(safe_url(bad), Err(why), "{bad:?}");
        }
    }

    #[test]
    fn extras_are_optional_on_load() {
        let json = r#"{"schema":1,"id":"a","title":"T","date":"2015-09-15","time":null,"place":null,
            "kind":null,"source":null,"tags":{"topics":[],"persons":[],"places":[]},
            "summary":[],"sections":[],"dropped":[]}"#;
        let t: Transcript = serde_json::from_str(json).unwrap();
        assert_eq!(t.year(), Some(2015));
        assert!(t.mentions.countries.is_empty());
    }
}
