//! A [`Reference`] for reference managers: BibTeX (biblatex-compatible), RIS and
//! CSL-JSON (type `speech`).

use serde::{Deserialize, Serialize};

use super::reference::Reference;

/// A CSL-JSON name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CslName {
    pub family: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
}

/// A CSL-JSON date: `{"date-parts": [[2015, 9, 15]]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CslDate {
    #[serde(rename = "date-parts")]
    pub date_parts: Vec<Vec<i32>>,
}

/// A CSL-JSON item (the subset a speech uses), as Zotero, Mendeley and citeproc read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CslItem {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<CslName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_date: Option<CslDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    pub genre: String,
    #[serde(rename = "URL")]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The CSL-JSON item of `r`.
pub fn csl_item(r: &Reference) -> CslItem {
    let date = r.date.map(|d| CslDate {
        date_parts: vec![[
            Some(d.year),
            d.month.map(|m| m as i32),
            d.day.map(|x| x as i32),
        ]
        .into_iter()
        .map_while(|x| x)
        .collect()],
    });
    CslItem {
        id: r.id.clone(),
        kind: "speech".into(),
        title: r.title.clone(),
        author: r
            .author
            .iter()
            .map(|a| CslName {
                family: a.family.clone(),
                given: a.given.clone(),
            })
            .collect(),
        issued: date.clone(),
        event_date: date,
        event_place: r.place.clone(),
        container_title: r.container.clone(),
        publisher: r.container.clone(),
        genre: "Speech".into(),
        url: r.url.clone(),
        locator: r.paragraph.map(|p| p.to_string()),
        note: note(r),
    }
}

/// CSL-JSON: an array of one item, as reference managers import it.
pub fn csl_json(r: &Reference) -> String {
    serde_json::to_string_pretty(&[csl_item(r)]).unwrap_or_default()
}

/// Paragraph, source page and licence, for the formats' free-text note.
fn note(r: &Reference) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(p) = r.paragraph {
        parts.push(format!("Paragraph {p}"));
    }
    if let Some(u) = &r.source_url {
        parts.push(format!("Source: {u}"));
    }
    if let Some(l) = &r.license {
        parts.push(format!("Licence: {l}"));
    }
    (!parts.is_empty()).then(|| parts.join(". "))
}

/// Escapes TeX's special characters in a field value.
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A citation key: family name, year and the title's first word, ASCII letters and digits.
fn key(r: &Reference) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let mut k = r
        .author
        .as_ref()
        .map(|a| clean(&a.family))
        .unwrap_or_default();
    if let Some(d) = r.date {
        k.push_str(&d.year.to_string());
    }
    k.push_str(
        &r.title
            .split_whitespace()
            .map(clean)
            .find(|w| w.len() > 3)
            .unwrap_or_default(),
    );
    if let Some(p) = r.paragraph {
        k.push_str(&format!("p{p}"));
    }
    if k.is_empty() {
        k = format!("speech{}", clean(&r.id));
    }
    k
}

/// A BibTeX `@misc` entry that biblatex reads as well (`date`, `location`, `type`).
pub fn bibtex(r: &Reference) -> String {
    let mut f: Vec<(&str, String)> = Vec::new();
    if let Some(a) = &r.author {
        f.push(("author", tex(&a.inverted())));
    }
    // Double braces keep the title's capitals.
    f.push(("title", format!("{{{}}}", tex(&r.title))));
    if let Some(d) = r.date {
        f.push(("year", d.year.to_string()));
        if let Some(m) = d.month {
            f.push(("month", m.to_string()));
        }
        let mut iso = format!("{:04}", d.year);
        if let Some(m) = d.month {
            iso.push_str(&format!("-{m:02}"));
            if let Some(day) = d.day {
                iso.push_str(&format!("-{day:02}"));
            }
        }
        f.push(("date", iso));
    }
    f.push(("type", "Speech".into()));
    f.push(("howpublished", "Speech".into()));
    if let Some(p) = &r.place {
        f.push(("address", tex(p)));
        f.push(("location", tex(p)));
    }
    if let Some(c) = &r.container {
        f.push(("organization", tex(c)));
    }
    f.push(("url", r.url.replace(['{', '}'], "")));
    if let Some(n) = note(r) {
        f.push(("note", tex(&n)));
    }
    let mut out = format!("@misc{{{},\n", key(r));
    for (k, v) in f {
        out.push_str(&format!("  {k} = {{{v}}},\n"));
    }
    out.push_str("}\n");
    out
}

/// One RIS record (type `GEN`, `M3` Speech: RIS has no speech type), CRLF line ends as the
/// format asks.
pub fn ris(r: &Reference) -> String {
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut f: Vec<(&str, String)> = vec![("TY", "GEN".into())];
    if let Some(a) = &r.author {
        f.push(("AU", a.inverted()));
    }
    f.push(("TI", r.title.clone()));
    if let Some(c) = &r.container {
        f.push(("T2", c.clone()));
        f.push(("PB", c.clone()));
    }
    if let Some(d) = r.date {
        f.push(("PY", d.year.to_string()));
        let two = |x: Option<u32>| x.map(|v| format!("{v:02}")).unwrap_or_default();
        f.push((
            "DA",
            format!("{:04}/{}/{}/", d.year, two(d.month), two(d.day)),
        ));
    }
    if let Some(p) = &r.place {
        f.push(("CY", p.clone()));
    }
    f.push(("M3", "Speech".into()));
    f.push(("UR", r.url.clone()));
    if let Some(n) = note(r) {
        f.push(("N1", n));
    }
    let mut out = String::new();
    for (k, v) in f {
        out.push_str(&format!("{k}  - {}\r\n", one_line(&v)));
    }
    out.push_str("ER  - \r\n");
    out
}
