//! Links and page metadata around a citation: the text-fragment link that opens a page at
//! a quoted stretch, the text a "copy quote" action puts on the clipboard, and the
//! Highwire `citation_*` meta tags of a transcript's reading view.

use super::reference::{container_from_attribution, reference, Scope};
use crate::model::Transcript;

/// Percent-encodes a text-fragment term: everything but ASCII letters, digits and
/// `._~` (the directive's own `-`, `&` and `,` above all).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Words of a text fragment's start or end term when a span is long: browsers match
/// `start,end` as the stretch from one to the other.
const EDGE_WORDS: usize = 4;

/// `url` with a text fragment (`#:~:text=`) selecting characters `span` of `paragraph`
/// (char offsets, as a quote match's span), or `None` when the span is the whole
/// paragraph (the plain permalink shows it) or not in it. A permalink's own fragment
/// (`#p-3`) is kept: `…#p-3:~:text=…`.
pub fn text_fragment(url: &str, paragraph: &str, span: (usize, usize)) -> Option<String> {
    let chars: Vec<char> = paragraph.chars().collect();
    let (a, b) = span;
    if a >= b || b > chars.len() {
        return None;
    }
    let text: String = chars[a..b].iter().collect();
    let text = text.split_whitespace().collect::<Vec<_>>();
    let whole: Vec<&str> = paragraph.split_whitespace().collect();
    if text.is_empty() || text == whole {
        return None;
    }
    let directive = if text.len() > 2 * EDGE_WORDS {
        format!(
            "text={},{}",
            encode(&text[..EDGE_WORDS].join(" ")),
            encode(&text[text.len() - EDGE_WORDS..].join(" "))
        )
    } else {
        format!("text={}", encode(&text.join(" ")))
    };
    let sep = if url.contains('#') { ":~:" } else { "#:~:" };
    Some(format!("{url}{sep}{directive}"))
}

/// What "copy quote" puts on the clipboard: the quote in typographic quotes, then the
/// paragraph's citation, which ends with `link` (a permalink or a text-fragment link).
/// `None` if `t` has no paragraph `index`.
pub fn copied_quote(quote: &str, t: &Transcript, index: usize, link: &str) -> Option<String> {
    let q = quote
        .trim()
        .trim_matches(|c| matches!(c, '"' | '“' | '”' | '«' | '»' | '„'))
        .trim();
    Some(format!("“{q}”\n— {}", super::citation(t, index, link)?))
}

/// Highwire Press `citation_*` meta tags for a transcript's reading view, as (name,
/// content) pairs: what Zotero's and Mendeley's browser connectors read. `public_url` is
/// the transcript's permalink, when known (the build writing a transcript's page does not
/// know the site's address; the app does), `site` the publisher's name (else the
/// attribution's).
pub fn highwire(
    t: &Transcript,
    public_url: Option<&str>,
    site: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out = vec![("citation_title", t.title.clone())];
    if let Some(r) = reference(t, Scope::Transcript, public_url.unwrap_or_default(), site) {
        if let Some(a) = &r.author {
            out.push(("citation_author", a.inverted()));
        }
        if let Some(d) = r.date {
            let mut s = format!("{:04}", d.year);
            if let Some(m) = d.month {
                s.push_str(&format!("/{m:02}"));
                if let Some(day) = d.day {
                    s.push_str(&format!("/{day:02}"));
                }
            }
            out.push(("citation_date", s.clone()));
            out.push(("citation_publication_date", s));
        }
        if let Some(c) = r.container.or_else(|| {
            t.source
                .as_ref()?
                .attribution
                .as_deref()
                .and_then(container_from_attribution)
        }) {
            out.push(("citation_publisher", c));
        }
    }
    if let Some(u) = public_url {
        out.push(("citation_public_url", u.to_string()));
    }
    if let Some(u) = t.source.as_ref().and_then(|s| s.link()) {
        out.push(("citation_abstract_html_url", u.to_string()));
    }
    out.push((
        "citation_language",
        t.lang.clone().unwrap_or_else(|| "en".into()),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_encode_directive_characters() {
        let p = "Well, co-operation & trust, they said.";
        let url = text_fragment("https://x.org/t/a#p-3", p, (6, 27)).unwrap();
        assert_eq!(
            url,
            "https://x.org/t/a#p-3:~:text=co%2Doperation%20%26%20trust%2C"
        );
        assert_eq!(
            text_fragment("https://x.org/t/a", p, (0, p.chars().count())),
            None
        );
        let long = "one two three four five six seven eight nine ten";
        assert_eq!(
            text_fragment("u", &format!("x {long} y"), (2, 2 + long.len())).unwrap(),
            "u#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten"
        );
    }

    /// Regression: a bundle's `javascript:` source URL (ingest drops one, a bundle
    /// written otherwise may still hold it) went out as a citation's URL fields and text.
    #[test]
    fn an_unsafe_source_url_leaves_in_no_citation() {
        let mut t = Transcript::new("a", "A speech");
        t.sections = vec![crate::model::Section {
            heading: None,
            turns: vec![crate::model::Turn {
                paragraphs: vec!["Words.".into()],
                ..Default::default()
            }],
        }];
        for (url, kept) in [
            ("javascript:alert(1)", false),
            ("java\tscript:alert(1)", false),
            ("https://example.org/a", true),
        ] {
            t.source = Some(crate::model::Source {
                url: Some(url.into()),
                ..Default::default()
            });
            let tags = highwire(&t, None, None);
            let in_tags = tags.iter().any(|(_, v)| v == url);
            let r = super::reference(&t, Scope::Paragraph(0), "https://s.example/t/a", None);
            let in_ref = r.unwrap().source_url.as_deref() == Some(url);
            let text = super::super::citation(&t, 0, "https://s.example/t/a#p-0").unwrap();
            assert_eq!(
                (in_tags, in_ref, text.contains(url)),
                (kept, kept, kept),
                "{url}"
            );
        }
        assert!(!highwire(&t, None, None)
            .iter()
            .any(|(k, _)| *k == "citation_public_url"));
    }
}
