//! The generic JSON record: anyone's transcripts as one JSON object each (a line of a
//! JSON-lines file, or a `.json` file), documented in `docs/ingest.md`:
//!
//! ```json
//! {"id": "2015-talks", "title": "Talks", "date": "2015-09-15", "place": "Moscow",
//!  "speaker": "Vladimir Putin", "text": "First paragraph.\n\nSecond paragraph."}
//! {"id": 7, "paragraphs": ["Unattributed.", {"speaker": "Question", "text": "Why?"}]}
//! ```
//!
//! `text` is split into paragraphs at blank lines, all spoken by `speaker` (if given).
//! `paragraphs` items are strings (spoken by `speaker`) or objects with a `text` and an
//! optional `speaker` label; consecutive paragraphs with the same label make one turn,
//! and a label is split into name and role as in any transcript. Fields other than the
//! documented ones are ignored, since other tools' records carry their own extras.

use serde::Deserialize;

use super::jsonl::{id_string, nonempty};
use super::{labels, meta, normalize, IngestError};
use crate::model::{Section, Source, Tags, Transcript, Turn};

#[derive(Deserialize)]
pub(crate) struct GenericRecord {
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    attribution: Option<String>,
    /// The label of whoever speaks the paragraphs that name nobody.
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    persons: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    paragraphs: Option<Vec<Paragraph>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Paragraph {
    Plain(String),
    Labelled {
        text: String,
        #[serde(default)]
        speaker: Option<String>,
    },
}

/// `true` when a record with `paragraphs` is generic rather than Kremlin: its
/// paragraphs are strings or objects without the Kremlin extractor's `kind`.
pub(crate) fn has_generic_paragraphs(obj: &serde_json::Map<String, serde_json::Value>) -> bool {
    match obj.get("paragraphs").and_then(|p| p.as_array()) {
        Some(ps) => ps.first().is_some_and(|p| match p {
            serde_json::Value::String(_) => true,
            serde_json::Value::Object(o) => !o.contains_key("kind"),
            _ => false,
        }),
        None => false,
    }
}

fn record_err(line: usize, message: impl Into<String>) -> IngestError {
    IngestError::Record {
        line,
        message: message.into(),
    }
}

/// Builds the transcript of a generic record (`line` is 1-based, for errors).
pub(crate) fn generic(r: GenericRecord, line: usize) -> Result<Transcript, IngestError> {
    let mut t = Transcript::new(id_string(&r.id, line)?, "");
    t.title = nonempty(r.title).unwrap_or_else(|| t.id.clone());
    if let Some(d) = nonempty(r.date) {
        let (date, time) = meta::parse_date_line(&d).ok_or_else(|| {
            record_err(
                line,
                format!("`date` {d:?} is not a date: write YYYY-MM-DD"),
            )
        })?;
        t.date = Some(date);
        t.time = time;
    }
    if let Some(tm) = nonempty(r.time) {
        t.time = Some(meta::parse_time(&tm).ok_or_else(|| {
            record_err(line, format!("`time` {tm:?} is not a time: write HH:MM"))
        })?);
    }
    t.place = nonempty(r.place);
    t.kind = nonempty(r.kind);
    t.lang = nonempty(r.lang);
    t.country = nonempty(r.country);
    let (url, license, attribution) = (
        super::keep_url(&mut t, nonempty(r.url)),
        nonempty(r.license),
        nonempty(r.attribution),
    );
    if url.is_some() || license.is_some() || attribution.is_some() {
        t.source = Some(Source {
            url,
            license,
            attribution,
        });
    }
    t.tags = Tags {
        topics: r.topics,
        persons: r.persons,
        places: r.places,
    };
    let speaker = nonempty(r.speaker);
    let paras: Vec<(Option<String>, String)> = match (r.paragraphs, r.text) {
        (Some(ps), _) => ps
            .into_iter()
            .map(|p| match p {
                Paragraph::Plain(text) => (speaker.clone(), text),
                Paragraph::Labelled { text, speaker: s } => {
                    (nonempty(s).or_else(|| speaker.clone()), text)
                }
            })
            .collect(),
        (None, Some(text)) => blocks(&text)
            .into_iter()
            .map(|p| (speaker.clone(), p))
            .collect(),
        (None, None) => return Err(record_err(line, "needs `text` or `paragraphs`")),
    };
    let mut turns: Vec<Turn> = Vec::new();
    for (label, text) in paras {
        let text = normalize::clean_line(&text);
        if text.is_empty() {
            continue;
        }
        match turns.last_mut() {
            Some(turn) if turn.label == label => turn.paragraphs.push(text),
            _ => turns.push(turn_of(label, text)),
        }
    }
    if turns.is_empty() {
        return Err(record_err(line, "`text` or `paragraphs` holds no text"));
    }
    t.sections = vec![Section {
        heading: None,
        turns,
    }];
    Ok(super::finish(t))
}

/// A turn opened by `label` (split into name and role) with its first paragraph.
fn turn_of(label: Option<String>, text: String) -> Turn {
    let (speaker, role) = match &label {
        Some(l) => {
            let sr = labels::split_speaker(l, labels::is_generic(l));
            (Some(sr.speaker), sr.role)
        }
        None => (None, None),
    };
    Turn {
        label,
        speaker,
        role,
        note: None,
        answers: None,
        paragraphs: vec![text],
    }
}

/// Paragraphs of a text: runs of non-blank lines, each run joined by spaces.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for l in normalize::lines(text) {
        if l.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(&l);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::jsonl::parse_record;

    /// Regression: `{"id","title","date","text"}` was refused as "unknown record".
    #[test]
    fn the_plain_record_is_read() {
        let t = parse_record(
            r#"{"id":"a","title":"Talks","date":"2015-09-15","text":"One\nline.\n\nTwo."}"#,
            4,
        )
        .unwrap();
        assert_eq!(t.title, "Talks");
        assert_eq!(t.date.as_deref(), Some("2015-09-15"));
        assert_eq!(t.sections[0].turns[0].paragraphs, vec!["One line.", "Two."]);
        assert_eq!(t.sections[0].turns[0].label, None);
    }

    #[test]
    fn paragraphs_with_labels_make_turns() {
        let t = parse_record(
            r#"{"id":7,"speaker":"Host","paragraphs":["Welcome.",{"speaker":"President of Russia Vladimir Putin","text":"Thank you."},{"speaker":"President of Russia Vladimir Putin","text":"Next."},{"text":"Back to the host."}]}"#,
            1,
        )
        .unwrap();
        assert_eq!(t.id, "7");
        let turns = &t.sections[0].turns;
        assert_eq!(turns.len(), 3);
        assert_eq!(turns[1].speaker.as_deref(), Some("Vladimir Putin"));
        assert_eq!(turns[1].role.as_deref(), Some("President of Russia"));
        assert_eq!(turns[1].paragraphs.len(), 2);
        assert_eq!(turns[2].label.as_deref(), Some("Host"));
    }

    #[test]
    fn bad_generic_records_say_why() {
        for (l, want) in [
            (r#"{"id":"a","date":"someday","text":"x"}"#, "not a date"),
            (r#"{"id":"a","text":"  "}"#, "holds no text"),
            (r#"{"id":"","text":"x"}"#, "`id`"),
        ] {
            let e = parse_record(l, 2).unwrap_err().to_string();
            assert!(e.contains(want), "{l}: {e}");
        }
    }
}
