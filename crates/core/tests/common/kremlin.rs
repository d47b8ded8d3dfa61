//! Loads the real Kremlin corpus (`../shared/corpus/kremlin_en/...jsonl.gz`) as schema-1
//! transcripts: lead → summary, one section, turns from `paragraphs[].speaker`, tags →
//! topics/persons/places, Geography → mentioned countries, kind transcript/news.
#![allow(dead_code)]

use std::io::BufRead;
use std::path::PathBuf;

use stenogram_core::model::{Mention, Section, Source, Transcript, Turn};

/// The corpus file, if present.
pub fn path() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/kremlin_en/kremlin_en_2000-2020.jsonl.gz");
    p.exists().then_some(p)
}

fn strs(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every `step`th record, converted; sorted by (date, id) like `stenogram build`.
pub fn load(step: usize) -> Option<Vec<Transcript>> {
    let f = std::fs::File::open(path()?).ok()?;
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
    let mut out = Vec::new();
    for (i, line) in r.lines().enumerate() {
        let line = line.ok()?;
        if i % step != 0 {
            continue;
        }
        let d: serde_json::Value = serde_json::from_str(&line).ok()?;
        let s = |k: &str| d[k].as_str().filter(|x| !x.is_empty()).map(str::to_owned);
        let mut t = Transcript::new(d["id"].to_string(), s("title").unwrap_or_default());
        t.date = s("date");
        t.time = s("time");
        t.place = s("location");
        t.kind = Some(
            if strs(&d["sections"]).iter().any(|x| x == "Transcripts") {
                "transcript"
            } else {
                "news"
            }
            .into(),
        );
        t.source = Some(Source {
            url: s("url"),
            license: Some("CC BY 4.0".into()),
            attribution: Some("President of Russia website (en.kremlin.ru), CC BY 4.0".into()),
        });
        t.tags.topics = strs(&d["tags"]["Topics"]);
        t.tags.persons = strs(&d["tags"]["Persons"]);
        t.tags.places = strs(&d["tags"]["Geography"]);
        t.mentions.countries = t
            .tags
            .places
            .iter()
            .map(|p| Mention {
                name: p.clone(),
                code: None,
                count: 1,
            })
            .collect();
        t.summary = s("lead")
            .map(|l| {
                l.lines()
                    .filter(|x| !x.trim().is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let mut turns: Vec<Turn> = Vec::new();
        for p in d["paragraphs"].as_array().into_iter().flatten() {
            let kind = p["kind"].as_str().unwrap_or("p");
            if kind == "separator" || kind == "pullquote" {
                continue;
            }
            let mut text = p["text"].as_str().unwrap_or("").to_owned();
            if let (true, Some(label)) = (kind == "speech", p["speaker"].as_str()) {
                if let Some(i) = text.find(':') {
                    text = text[i + 1..].trim().to_owned();
                }
                let w: Vec<&str> = label.split_whitespace().collect();
                let name = if w.len() <= 2 {
                    label.to_owned()
                } else {
                    w[w.len() - 2..].join(" ")
                };
                turns.push(Turn {
                    label: Some(label.into()),
                    speaker: Some(name),
                    ..Default::default()
                });
            } else if (kind == "heading" || kind == "italic" || turns.is_empty())
                && turns.last().is_none_or(|t| t.label.is_some())
            {
                turns.push(Turn::default());
            }
            if !text.trim().is_empty() {
                if let Some(t) = turns.last_mut() {
                    t.paragraphs.push(text);
                }
            }
        }
        t.sections = vec![Section {
            heading: None,
            turns,
        }];
        out.push(t);
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    Some(out)
}
