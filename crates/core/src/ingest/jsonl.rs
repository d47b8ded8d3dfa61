//! JSON-lines records: one JSON object per line, as in the corpora's
//! `kremlin_en_2000-2020.jsonl.gz` and `ungdc_1946_2024.jsonl.gz`. The record type is
//! told by its fields; `docs/ingest.md` documents the field mapping.
//!
//! - **Kremlin** records (`paragraphs`, `sections`, ...) carry the structure taken from
//!   the HTML: a `speech` paragraph opens a turn with its `speaker` and
//!   `speaker_note`, `p` paragraphs continue it, a `separator` starts a section, an
//!   entirely bold `heading` or an `italic` line at a section start is its heading,
//!   elsewhere an italic line is a stage direction that ends the turn. Labels are used
//!   as given, not re-parsed.
//! - **UN General Debate** records (`country_iso`, `session`, `year`, `speaker`,
//!   `post`, `text`) become one-speaker addresses.
//! - **Schema-1 transcripts** (`schema`), as `stenogram ingest` writes them, are kept
//!   as they are, so ingest round-trips.
//! - Any other record with `text` or `paragraphs` is a **generic** record
//!   ([`super::generic`]).

use serde::Deserialize;

use super::{generic, labels, normalize, IngestError};
use crate::model::{Section, Source, Tags, Transcript, Turn, SCHEMA_VERSION};

/// Credit line required by the Kremlin site's CC BY 4.0 licence.
pub const KREMLIN_ATTRIBUTION: &str = "President of Russia website (en.kremlin.ru), CC BY 4.0";
/// Credit line for the UN General Debate Corpus.
pub const UNGDC_ATTRIBUTION: &str = "United Nations General Debate Corpus 1946-2024 (Jankin, Baturo & Dasandi), Harvard Dataverse, doi:10.7910/DVN/0TJX8Y";

#[derive(Deserialize)]
struct KremlinRecord {
    id: serde_json::Value,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    sections: Vec<String>,
    #[serde(default)]
    tags: KremlinTags,
    paragraphs: Vec<KremlinParagraph>,
}

#[derive(Deserialize, Default)]
struct KremlinTags {
    #[serde(default, rename = "Topics")]
    topics: Vec<String>,
    #[serde(default, rename = "Persons")]
    persons: Vec<String>,
    #[serde(default, rename = "Geography")]
    geography: Vec<String>,
}

/// One body paragraph of a Kremlin page, as the corpus's extractor (and
/// [`super::html`]) classify it.
#[derive(Deserialize, Debug, Clone)]
pub(crate) struct KremlinParagraph {
    /// `p`, `speech`, `separator`, `italic`, `heading` or `pullquote`.
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) text: String,
    /// For `speech`: the bold label without colon and note.
    #[serde(default)]
    pub(crate) speaker: Option<String>,
    /// For `speech`: a parenthetical from the label ("retranslated").
    #[serde(default)]
    pub(crate) speaker_note: Option<String>,
}

#[derive(Deserialize)]
struct UnRecord {
    id: serde_json::Value,
    #[serde(default)]
    country_iso: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    session: Option<u32>,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    post: Option<String>,
    text: String,
}

pub(crate) fn id_string(v: &serde_json::Value, line: usize) -> Result<String, IngestError> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        _ => Err(IngestError::Record {
            line,
            message: "`id` must be a non-empty string or a number".into(),
        }),
    }
}

pub(crate) fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| normalize::clean_line(&s))
        .filter(|s| !s.is_empty())
}

/// Parses one JSON line (`lineno` is 1-based, for errors) into a transcript.
pub fn parse_record(line: &str, lineno: usize) -> Result<Transcript, IngestError> {
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        // serde_json counts lines within the record (always 1 here); say the column.
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        IngestError::Json {
            line: lineno,
            message: format!("{msg} (column {})", e.column()),
        }
    })?;
    parse_value(v, lineno)
}

/// Parses a whole JSON document holding one record (a `.json` file), such as a
/// schema-1 transcript written by `stenogram ingest`.
pub fn parse_document(text: &str) -> Result<Transcript, IngestError> {
    super::check_input(text)?;
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        IngestError::Json {
            line: e.line(),
            message: format!("{msg} (column {})", e.column()),
        }
    })?;
    parse_value(v, 1)
}

/// Tells the record layout by its fields and parses it.
fn parse_value(v: serde_json::Value, lineno: usize) -> Result<Transcript, IngestError> {
    let obj = v.as_object().ok_or_else(|| IngestError::Record {
        line: lineno,
        message: "a record must be a JSON object".into(),
    })?;
    let wrap = |e: serde_json::Error| IngestError::Record {
        line: lineno,
        message: e.to_string(),
    };
    if obj.contains_key("schema") {
        transcript(v, lineno)
    } else if generic::has_generic_paragraphs(obj) {
        generic::generic(serde_json::from_value(v).map_err(wrap)?, lineno)
    } else if obj.contains_key("paragraphs") {
        let r: KremlinRecord = serde_json::from_value(v).map_err(wrap)?;
        kremlin(r, lineno)
    } else if obj.contains_key("country_iso") || obj.contains_key("session") {
        let r: UnRecord = serde_json::from_value(v).map_err(wrap)?;
        un(r, lineno)
    } else if obj.contains_key("text") {
        generic::generic(serde_json::from_value(v).map_err(wrap)?, lineno)
    } else {
        Err(IngestError::Record {
            line: lineno,
            message: "no `text` or `paragraphs`: neither a generic record, a Kremlin record (`paragraphs` with `kind`), a UN General Debate record (`country_iso` or `session`, and `text`) nor a schema-1 transcript (`schema`); see docs/ingest.md".into(),
        })
    }
}

/// A schema-1 transcript (as `stenogram ingest` writes): taken as it is, so ingesting
/// ingest's output gives the same JSON; only derived fields it lacks are filled.
fn transcript(v: serde_json::Value, line: usize) -> Result<Transcript, IngestError> {
    let schema = v.get("schema").and_then(|s| s.as_u64());
    if schema != Some(u64::from(SCHEMA_VERSION)) {
        return Err(IngestError::Record {
            line,
            message: format!(
                "a transcript of schema {}, but this version of Stenogram reads schema {SCHEMA_VERSION}",
                v.get("schema").map_or("?".into(), |s| s.to_string())
            ),
        });
    }
    let mut t: Transcript = serde_json::from_value(v).map_err(|e| IngestError::Record {
        line,
        message: format!("not a schema-1 transcript: {e}"),
    })?;
    id_string(&serde_json::Value::String(t.id.clone()), line)?;
    if t.paragraph_count() == 0 {
        return Err(IngestError::Record {
            line,
            message: "the transcript has no paragraphs".into(),
        });
    }
    // Written by another tool, or edited: its URL is data from outside like any other.
    let url = t.source.as_mut().and_then(|s| s.url.take());
    let kept = super::keep_url(&mut t, url);
    if let Some(s) = t.source.as_mut() {
        s.url = kept;
    }
    super::fill_derived(&mut t);
    Ok(t)
}

fn kremlin(r: KremlinRecord, line: usize) -> Result<Transcript, IngestError> {
    let mut t = Transcript::new(id_string(&r.id, line)?, "");
    t.title = nonempty(r.title).unwrap_or_else(|| t.id.clone());
    t.date = nonempty(r.date);
    t.time = nonempty(r.time);
    t.place = nonempty(r.location);
    t.kind = if r.sections.iter().any(|s| s == "Transcripts") {
        Some("transcript".into())
    } else {
        r.sections.first().map(|s| s.to_lowercase())
    };
    t.source = Some(Source {
        url: super::keep_url(&mut t, nonempty(r.url)),
        license: Some("CC BY 4.0".into()),
        attribution: Some(KREMLIN_ATTRIBUTION.into()),
    });
    t.tags = Tags {
        topics: r.tags.topics,
        persons: r.tags.persons,
        places: r.tags.geography,
    };
    if let Some(lead) = r.lead {
        t.summary.extend(
            normalize::lines(&lead)
                .into_iter()
                .filter(|l| !l.is_empty()),
        );
    }
    build_kremlin_body(&mut t, &r.paragraphs);
    Ok(super::finish(t))
}

/// Builds summary, sections and turns from classified Kremlin paragraphs.
pub(crate) fn build_kremlin_body(t: &mut Transcript, paras: &[KremlinParagraph]) {
    // Body paragraphs before the first separator are lead, unless someone speaks there.
    let first_sep = paras.iter().position(|p| p.kind == "separator");
    let mut start = 0;
    if let Some(sep) = first_sep {
        if paras[..sep]
            .iter()
            .all(|p| p.kind == "p" || p.kind == "pullquote")
        {
            for p in &paras[..sep] {
                let text = normalize::clean_line(&p.text);
                if p.kind == "pullquote" {
                    t.dropped.push(text);
                } else if !text.is_empty() {
                    t.summary.push(text);
                }
            }
            start = sep;
        }
    }
    let mut sections: Vec<Section> = Vec::new();
    let mut section = Section::default();
    let mut turn: Option<Turn> = None;
    let mut at_start = true;
    for p in &paras[start..] {
        let text = normalize::clean_line(&p.text);
        match p.kind.as_str() {
            "separator" => {
                super::text::flush_turn(&mut section, &mut turn);
                super::text::flush_section(&mut sections, &mut section);
                at_start = true;
            }
            "pullquote" => t.dropped.push(text),
            "speech" => {
                super::text::flush_turn(&mut section, &mut turn);
                let label = p
                    .speaker
                    .as_deref()
                    .map(normalize::clean_line)
                    .filter(|s| !s.is_empty());
                let rest = match text.find(':') {
                    Some(i) if label.is_some() => text[i + 1..].trim().to_string(),
                    _ => text.clone(),
                };
                let (speaker, role) = match &label {
                    Some(l) => {
                        let sr = labels::split_speaker(l, labels::is_generic(l));
                        (Some(sr.speaker), sr.role)
                    }
                    None => (None, None),
                };
                turn = Some(Turn {
                    label,
                    speaker,
                    role,
                    note: nonempty(p.speaker_note.clone()),
                    paragraphs: if rest.is_empty() { vec![] } else { vec![rest] },
                    answers: None,
                });
                at_start = false;
            }
            "heading" | "italic" if at_start || p.kind == "heading" => {
                super::text::flush_turn(&mut section, &mut turn);
                if section.heading.is_some() || !section.turns.is_empty() {
                    super::text::flush_section(&mut sections, &mut section);
                }
                section.heading = Some(text);
                at_start = false;
            }
            "italic" => {
                // A stage direction: nobody's speech, so it ends the turn.
                if turn.as_ref().is_some_and(|t| t.label.is_some()) {
                    super::text::flush_turn(&mut section, &mut turn);
                }
                turn.get_or_insert_with(Turn::default).paragraphs.push(text);
                at_start = false;
            }
            _ => {
                if !text.is_empty() {
                    turn.get_or_insert_with(Turn::default).paragraphs.push(text);
                }
                at_start = false;
            }
        }
    }
    super::text::flush_turn(&mut section, &mut turn);
    super::text::flush_section(&mut sections, &mut section);
    t.sections = sections;
}

/// Honorifics the UN speaker list puts before names; they are not part of the name.
const HONORIFICS: &[&str] = &[
    "mr.",
    "mr",
    "mrs.",
    "mrs",
    "ms.",
    "ms",
    "miss",
    "dr.",
    "dr",
    "h.e.",
    "he",
    "sir",
    "dame",
    "prof.",
    "prof",
    "sr.",
    "sra.",
    "m.",
    "mme",
    "mme.",
    "his",
    "her",
    "excellency",
    "majesty",
    "highness",
    "royal",
    "sheikh",
    "general",
    "gen.",
];

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn un(r: UnRecord, line: usize) -> Result<Transcript, IngestError> {
    let id = id_string(&r.id, line)?;
    let country = nonempty(r.country).or_else(|| nonempty(r.country_iso.clone()));
    let mut title = country.clone().unwrap_or_else(|| id.clone());
    match r.session {
        Some(s) => title.push_str(&format!(
            " at the {} session of the UN General Assembly",
            ordinal(s)
        )),
        None => title.push_str(" at the UN General Assembly"),
    }
    if let Some(y) = r.year {
        title.push_str(&format!(" ({y})"));
    }
    let mut t = Transcript::new(id, title);
    t.kind = Some("address".into());
    t.year = r.year;
    // One name per delegation for the country facet: the dataset spells one code many
    // ways ("Russian Federation", "USSR", "Republic of Russia"; "Iran, Islamic Republic
    // of"), so the code's canonical name wins; the title keeps the record's own name.
    t.country = r
        .country_iso
        .as_deref()
        .and_then(super::gazetteer::country_by_code)
        .map(|c| c.name.clone())
        .or(country);
    t.source = Some(Source {
        url: Some("https://doi.org/10.7910/DVN/0TJX8Y".into()),
        license: Some("CC0 1.0".into()),
        attribution: Some(UNGDC_ATTRIBUTION.into()),
    });
    let label = nonempty(r.speaker);
    let speaker = label.as_ref().map(|l| {
        let words: Vec<&str> = l.split(' ').collect();
        let skip = words
            .iter()
            .take_while(|w| HONORIFICS.contains(&w.to_lowercase().as_str()))
            .count();
        if skip < words.len() {
            words[skip..].join(" ")
        } else {
            l.clone()
        }
    });
    let paragraphs: Vec<String> = r
        .text
        .split("\n\n")
        .map(normalize::clean_line)
        .filter(|p| !p.is_empty())
        .collect();
    if paragraphs.is_empty() {
        return Err(IngestError::Record {
            line,
            message: "`text` is empty".into(),
        });
    }
    t.sections = vec![Section {
        heading: None,
        turns: vec![Turn {
            label,
            speaker,
            role: nonempty(r.post),
            note: None,
            paragraphs,
            answers: None,
        }],
    }];
    Ok(super::finish(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_record() {
        let l = r#"{"id":"BRA_70_2015","country_iso":"BRA","country":"Brazil","session":70,"year":2015,"speaker":"Ms. Dilma Rousseff","post":"President","text":"First.\n\nSecond about Syria."}"#;
        let t = parse_record(l, 3).unwrap();
        assert_eq!(
            t.title,
            "Brazil at the 70th session of the UN General Assembly (2015)"
        );
        assert_eq!(t.year(), Some(2015));
        assert_eq!(t.date, None);
        let turn = &t.sections[0].turns[0];
        assert_eq!(turn.speaker.as_deref(), Some("Dilma Rousseff"));
        assert_eq!(turn.role.as_deref(), Some("President"));
        assert_eq!(t.mentions.countries[0].code.as_deref(), Some("SYR"));
    }

    #[test]
    fn bad_lines() {
        assert!(matches!(
            parse_record("{oops", 7),
            Err(IngestError::Json { line: 7, .. })
        ));
        assert!(matches!(
            parse_record("{\"a\":1}", 8),
            Err(IngestError::Record { line: 8, .. })
        ));
    }

    /// The country facet had one delegation under many names ("Russian Federation",
    /// "USSR", "Republic of Russia" are all `RUS`); the code's canonical name wins, and
    /// a code the gazetteer lacks keeps the record's name.
    #[test]
    fn un_country_is_named_by_its_code() {
        for (iso, name) in [
            ("RUS", "Union of Soviet Socialist Republics"),
            ("rus", "Russian Federation"),
            ("RUS", ""),
        ] {
            let l = format!(
                r#"{{"id":"x","country_iso":"{iso}","country":"{name}","session":1,"year":1950,"text":"A."}}"#
            );
            assert_eq!(
                parse_record(&l, 1).unwrap().country.as_deref(),
                Some("Russia"),
                "{name}"
            );
        }
        let l = r#"{"id":"x","country_iso":"EU","country":"European Union","session":66,"year":2011,"text":"A."}"#;
        assert_eq!(
            parse_record(l, 1).unwrap().country.as_deref(),
            Some("European Union")
        );
        let l = r#"{"id":"x","country_iso":"RUS","country":"USSR","session":1,"year":1950,"text":"A."}"#;
        assert!(parse_record(l, 1)
            .unwrap()
            .title
            .starts_with("USSR at the 1st session"));
    }
}
