//! APA (7th), MLA (9th) and Chicago (17th, notes and bibliography) references for a
//! speech, as plain text (titles are not italicised: the text is pasted anywhere).
//!
//! Hand-written rather than a CSL processor: see `docs/quote.md` for the measure of what
//! `hayagriva` would cost the wasm budget.

use super::reference::{Date, Reference};

use super::MONTHS;
/// MLA's abbreviations (May, June and July are not abbreviated).
const MLA_MONTHS: [&str; 12] = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
];

/// A citation style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    Apa,
    Mla,
    Chicago,
}

/// `r` in `style`.
pub fn format(r: &Reference, style: Style) -> String {
    match style {
        Style::Apa => apa(r),
        Style::Mla => mla(r),
        Style::Chicago => chicago(r),
    }
}

/// Ends `s` with a period unless it ends with sentence punctuation already.
fn period(s: &str) -> String {
    if s.ends_with(['.', '?', '!']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

fn apa(r: &Reference) -> String {
    let date = match r.date {
        Some(Date {
            year,
            month: Some(m),
            day: Some(d),
        }) => {
            format!("({year}, {} {d})", MONTHS[m as usize - 1])
        }
        Some(Date {
            year,
            month: Some(m),
            ..
        }) => format!("({year}, {})", MONTHS[m as usize - 1]),
        Some(Date { year, .. }) => format!("({year})"),
        None => "(n.d.)".into(),
    };
    let what = format!("{} [Speech transcript]", r.title.trim_end_matches('.'));
    let mut out = match &r.author {
        Some(a) => format!("{} {date}. {what}.", a.initials()),
        None => format!("{what}. {date}."),
    };
    if let Some(c) = &r.container {
        out.push_str(&format!(" {}", period(c)));
    }
    out.push_str(&format!(" {}", r.url));
    out
}

fn mla(r: &Reference) -> String {
    let mut out = String::new();
    if let Some(a) = &r.author {
        out.push_str(&period(&a.inverted()));
        out.push(' ');
    }
    out.push_str(&format!("“{}.”", r.title.trim_end_matches('.')));
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = &r.container {
        parts.push(c.clone());
    }
    if let Some(d) = r.date {
        parts.push(match (d.month, d.day) {
            (Some(m), Some(day)) => format!("{day} {} {}", MLA_MONTHS[m as usize - 1], d.year),
            (Some(m), None) => format!("{} {}", MLA_MONTHS[m as usize - 1], d.year),
            _ => d.year.to_string(),
        });
    }
    if let Some(p) = &r.place {
        parts.push(p.clone());
    }
    if let Some(p) = r.paragraph {
        parts.push(format!("par. {p}"));
    }
    // MLA 9 drops the scheme of a URL.
    parts.push(
        r.url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .to_string(),
    );
    out.push(' ');
    out.push_str(&period(&parts.join(", ")));
    out
}

fn chicago(r: &Reference) -> String {
    let mut out = String::new();
    if let Some(a) = &r.author {
        out.push_str(&period(&a.inverted()));
        out.push(' ');
    }
    out.push_str(&format!("“{}.” Speech", r.title.trim_end_matches('.')));
    if let Some(p) = &r.place {
        out.push_str(&format!(", {p}"));
    }
    if let Some(d) = r.date {
        out.push_str(&match (d.month, d.day) {
            (Some(m), Some(day)) => format!(", {} {day}, {}", MONTHS[m as usize - 1], d.year),
            (Some(m), None) => format!(", {} {}", MONTHS[m as usize - 1], d.year),
            _ => format!(", {}", d.year),
        });
    }
    out.push('.');
    if let Some(c) = &r.container {
        out.push_str(&format!(" {}", period(c)));
    }
    if let Some(p) = r.paragraph {
        out.push_str(&format!(" Para. {p}."));
    }
    out.push_str(&format!(" {}.", r.url));
    out
}
