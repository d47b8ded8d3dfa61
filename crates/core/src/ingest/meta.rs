//! Metadata for plain-text transcripts: the front-matter block (`key: value` lines
//! between `---` fences at the top of the file), the sidecar file (`<stem>.meta`
//! next to the text, same `key: value` format, read by the command line), and the
//! inference of title, date, time and place from the text's first lines.

use super::IngestError;

/// Metadata given alongside a plain-text transcript. Every field is optional; keys
/// are case-insensitive. Known keys: `id`, `title`, `date` (YYYY-MM-DD or e.g.
/// "September 15, 2015"), `time` (HH:MM), `place` (alias `location`), `kind`,
/// `lang`, `country`, `url`, `license`, `attribution`, `topics`, `persons`,
/// `places` (the last three comma-separated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub id: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub time: Option<String>,
    pub place: Option<String>,
    pub kind: Option<String>,
    pub lang: Option<String>,
    pub country: Option<String>,
    pub url: Option<String>,
    pub license: Option<String>,
    pub attribution: Option<String>,
    pub topics: Vec<String>,
    pub persons: Vec<String>,
    pub places: Vec<String>,
}

impl FrontMatter {
    /// Parses `key: value` lines. `first_line` is the 1-based line number of the
    /// first line in the original file, for error messages. Blank lines and lines
    /// starting with `#` are skipped; unknown keys are an error so typos show.
    pub fn parse(block: &str, first_line: usize) -> Result<FrontMatter, IngestError> {
        let mut fm = FrontMatter::default();
        for (i, raw) in super::normalize::lines(block).iter().enumerate() {
            let line = first_line + i;
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let Some((k, v)) = raw.split_once(':') else {
                return Err(IngestError::Meta {
                    line,
                    message: format!("expected `key: value`, found {:?}", clip(raw)),
                });
            };
            let key = k.trim().to_lowercase();
            let v = v.trim().trim_matches('"').trim();
            let val = (!v.is_empty()).then(|| v.to_string());
            let list = || {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect::<Vec<_>>()
            };
            match key.as_str() {
                "id" => fm.id = val,
                "title" => fm.title = val,
                "date" => {
                    fm.date = match val {
                        None => None,
                        Some(d) => match parse_date_line(&d) {
                            Some((date, time)) => {
                                if fm.time.is_none() {
                                    fm.time = time;
                                }
                                Some(date)
                            }
                            None => {
                                return Err(IngestError::Meta {
                                    line,
                                    message: format!(
                                        "date {:?} is not a date: write YYYY-MM-DD",
                                        clip(&d)
                                    ),
                                })
                            }
                        },
                    }
                }
                "time" => {
                    fm.time = match val {
                        None => None,
                        Some(t) => Some(parse_time(&t).ok_or_else(|| IngestError::Meta {
                            line,
                            message: format!("time {:?} is not a time: write HH:MM", clip(&t)),
                        })?),
                    }
                }
                "place" | "location" => fm.place = val,
                "kind" => fm.kind = val,
                "lang" | "language" => fm.lang = val,
                "country" => fm.country = val,
                "url" | "source" => fm.url = val,
                "license" | "licence" => fm.license = val,
                "attribution" | "credit" => fm.attribution = val,
                "topics" | "tags" => fm.topics = list(),
                "persons" | "people" => fm.persons = list(),
                "places" | "geography" => fm.places = list(),
                _ => {
                    return Err(IngestError::Meta {
                        line,
                        message: format!(
                            "unknown key {:?} (known: id, title, date, time, place, kind, lang, country, url, license, attribution, topics, persons, places)",
                            clip(&key)
                        ),
                    })
                }
            }
        }
        Ok(fm)
    }

    /// Fills fields missing here from `other` (front matter wins over the sidecar).
    pub fn or(mut self, other: &FrontMatter) -> FrontMatter {
        macro_rules! fill {
            ($($f:ident),*) => {$( if self.$f.is_none() { self.$f = other.$f.clone(); } )*};
        }
        fill!(
            id,
            title,
            date,
            time,
            place,
            kind,
            lang,
            country,
            url,
            license,
            attribution
        );
        for (a, b) in [
            (&mut self.topics, &other.topics),
            (&mut self.persons, &other.persons),
            (&mut self.places, &other.places),
        ] {
            if a.is_empty() {
                a.clone_from(b);
            }
        }
        self
    }
}

fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Splits off a front-matter block: returns the metadata and the byte offset where
/// the text proper starts (0 when there is no front matter). Line ends are any of
/// `\n`, `\r\n`; a byte-order mark before the fence is allowed.
pub fn split_front_matter(text: &str) -> Result<(Option<FrontMatter>, usize, usize), IngestError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let first_end = body.find('\n').unwrap_or(body.len());
    if body[..first_end].trim() != "---" {
        return Ok((None, 0, 0));
    }
    let mut pos = first_end + 1;
    let mut line = 2;
    while pos <= body.len() {
        let end = body[pos..].find('\n').map_or(body.len(), |e| pos + e);
        if body[pos..end].trim() == "---" {
            let fm = FrontMatter::parse(&body[first_end + 1..pos], 2)?;
            let next = (end + 1).min(body.len());
            return Ok((Some(fm), bom + next, line));
        }
        if end >= body.len() {
            break;
        }
        pos = end + 1;
        line += 1;
    }
    Err(IngestError::UnclosedFrontMatter { line: 1 })
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

fn month(word: &str) -> Option<u32> {
    let w = word
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .or_else(|| MONTHS_RU.iter().position(|m| *m == w))
        .map(|i| i as u32 + 1)
}

/// Parses `HH:MM` (also `H.MM`), returning it zero-padded.
pub fn parse_time(s: &str) -> Option<String> {
    let s = s.trim();
    let (h, m) = s.split_once(':').or_else(|| s.split_once('.'))?;
    let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().get(..2)?.parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// Recognises a line that is only a date, optionally with a time:
/// "September 15, 2015, 14:30", "15 September 2015", "2015-09-15 14:30",
/// "15 сентября 2015 года". Returns `(YYYY-MM-DD, Some(HH:MM))`.
pub fn parse_date_line(line: &str) -> Option<(String, Option<String>)> {
    let line = line.trim();
    if line.chars().count() > 60 {
        return None;
    }
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut year = None;
    let mut mon = None;
    let mut day = None;
    let mut time = None;
    for w in &words {
        if let Some((y, rest)) = iso_date(w) {
            year = Some(y.0);
            mon = Some(y.1);
            day = Some(y.2);
            if let Some(t) = rest {
                time = Some(t);
            }
            continue;
        }
        if w.contains(':') {
            time = Some(parse_time(w)?);
            continue;
        }
        if let Some(m) = month(w) {
            if mon.is_some() {
                return None;
            }
            mon = Some(m);
            continue;
        }
        let digits = w.trim_end_matches('.');
        if let Ok(n) = digits.parse::<u32>() {
            if digits.len() == 4 && year.is_none() {
                year = Some(n as i32);
            } else if digits.len() <= 2 && day.is_none() && (1..=31).contains(&n) {
                day = Some(n);
            } else {
                return None;
            }
            continue;
        }
        // Allow the words a date line carries around the date itself.
        let lw = w.to_lowercase();
        if matches!(
            lw.as_str(),
            "года" | "г" | "г." | "at" | "in" | "on" | "the"
        ) {
            continue;
        }
        return None;
    }
    let (y, m, d) = (year?, mon?, day?);
    if !(1000..=2999).contains(&y) || d > days_in(y, m) {
        return None;
    }
    Some((format!("{y:04}-{m:02}-{d:02}"), time))
}

fn iso_date(w: &str) -> Option<((i32, u32, u32), Option<String>)> {
    let (date, time) = match w.split_once('T') {
        Some((d, t)) => (d, parse_time(t)),
        None => (w, None),
    };
    let mut it = date.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && d >= 1).then_some(((y, m, d), time))
}

fn days_in(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date_line("September 15, 2015, 14:30"),
            Some(("2015-09-15".into(), Some("14:30".into())))
        );
        assert_eq!(
            parse_date_line("15 September 2015"),
            Some(("2015-09-15".into(), None))
        );
        assert_eq!(
            parse_date_line("2015-09-15"),
            Some(("2015-09-15".into(), None))
        );
        assert_eq!(
            parse_date_line("15 сентября 2015 года"),
            Some(("2015-09-15".into(), None))
        );
        assert_eq!(parse_date_line("February 30, 2015"), None);
        assert_eq!(parse_date_line("We met on September 15, 2015."), None);
    }

    #[test]
    fn front_matter() {
        let t = "---\ntitle: X\ndate: 2015-09-15\n---\nBody";
        let (fm, off, _) = split_front_matter(t).unwrap();
        assert_eq!(fm.unwrap().title.as_deref(), Some("X"));
        assert_eq!(&t[off..], "Body");
        assert!(split_front_matter("---\ntitle: X\n").is_err());
        assert!(matches!(
            FrontMatter::parse("titel: X", 2),
            Err(IngestError::Meta { line: 2, .. })
        ));
    }
}
