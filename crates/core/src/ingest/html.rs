//! Original Kremlin HTML pages (en.kremlin.ru article pages), parsed with a real HTML
//! parser (html5ever through `scraper`), never with regular expressions.
//!
//! Taken from the page: title (`h1`), date (`time[datetime]`), time (`.read__time`),
//! place (`.read__place`), lead (`.read__lead`), tags (`.read__tagscol`: Topics,
//! Persons, Geography) and the article body (`[itemprop=articleBody]`, else
//! `<article>`, `<main>`, `<body>`). Body paragraphs are classified like the corpus's
//! JSON lines and then share their structure builder ([`super::jsonl`]):
//! a paragraph opening with a bold run that ends at a colon is a speech turn (the
//! bold text is the label), `* * *` a separator, an all-bold paragraph a heading, an
//! all-italic one a stage direction or heading, a `<blockquote>` a pull quote (it
//! repeats a body sentence, so it goes to `dropped`).
//!
//! Tooltips (`.masha-ignore`), photo sliders, scripts and styles are skipped. Text is
//! always taken as text: markup inside a paragraph never reaches the output as markup.
//! The tree walk is iterative, so deeply nested input cannot overflow the stack.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::jsonl::{build_kremlin_body, KremlinParagraph, KREMLIN_ATTRIBUTION};
use super::{labels, normalize, IngestError};
use crate::model::{Source, Tags, Transcript};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// Elements whose content is never text of the page.
fn skipped(el: &scraper::node::Element) -> bool {
    matches!(
        el.name(),
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "head"
            | "button"
            | "form"
    ) || el.classes().any(|c| {
        c == "masha-ignore" || c == "slider" || c == "hidden-copy" || c.starts_with("read__tooltip")
    })
}

/// The visible text of `node`, iteratively, skipping [`skipped`] subtrees; `<br>`
/// becomes a space. The result is normalised by [`normalize::clean_line`].
fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                if skipped(e) && n != node {
                    continue;
                }
                if e.name() == "br" {
                    out.push(' ');
                }
                // Push children in reverse so they pop in document order.
                let mut kids: Vec<_> = n.children().collect();
                kids.reverse();
                stack.extend(kids);
            }
            _ => {}
        }
    }
    normalize::clean_line(&out)
}

fn is_bold(name: &str) -> bool {
    matches!(name, "b" | "strong")
}

fn is_italic(name: &str) -> bool {
    matches!(name, "i" | "em")
}

/// Classifies one `<p>` of the body.
fn classify(p: ElementRef<'_>, in_quote: bool) -> Option<KremlinParagraph> {
    let text = text_of(*p);
    if text.is_empty() {
        return None;
    }
    let para = |kind: &str| KremlinParagraph {
        kind: kind.into(),
        text: text.clone(),
        speaker: None,
        speaker_note: None,
    };
    if in_quote {
        return Some(para("pullquote"));
    }
    if super::noise::is_separator(&text) {
        return Some(para("separator"));
    }
    // Meaningful children: elements, and text that is not just whitespace.
    let kids: Vec<NodeRef<'_, Node>> = p
        .children()
        .filter(|c| match c.value() {
            Node::Text(t) => !t.trim().is_empty(),
            Node::Element(e) => !skipped(e),
            _ => false,
        })
        .collect();
    let first_el = kids.first().and_then(|k| k.value().as_element());
    if let Some(e) = first_el {
        if is_bold(e.name()) {
            // The label run: leading bold runs, with an italic note between them
            // ("<b>Name </b><i>(retranslated)</i><b>:</b>").
            let mut run = String::new();
            for k in &kids {
                match k.value() {
                    Node::Element(e) if is_bold(e.name()) || is_italic(e.name()) => {
                        run.push_str(&text_of(*k));
                        run.push(' ');
                    }
                    _ => break,
                }
            }
            let bold = normalize::clean_line(&run);
            // Label: bold run ending in a colon, or followed by one ("<b>Name</b>: ...").
            if let Some(colon) = text.find(':') {
                if colon <= bold.len() + 1 && !bold.is_empty() {
                    let raw = text[..colon].trim();
                    if let Some((label, notes)) = labels::strip_notes(raw) {
                        if !label.is_empty() {
                            return Some(KremlinParagraph {
                                kind: "speech".into(),
                                text: text.clone(),
                                speaker: Some(label),
                                speaker_note: (!notes.is_empty()).then(|| notes.join("; ")),
                            });
                        }
                    }
                }
            }
            if kids.len() == 1 {
                return Some(para("heading"));
            }
        }
        if is_italic(e.name()) && kids.len() == 1 {
            return Some(para("italic"));
        }
    }
    Some(para("p"))
}

/// Elements that never have content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "!doctype",
];

/// An upper-bound estimate of element nesting, from a single pass over the tags
/// (this is a guard against pathological input, not parsing: the page itself is
/// parsed by html5ever). Comments and raw-text elements are skipped roughly.
fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            match html[i..].find("-->") {
                Some(e) => i += e + 3,
                None => break,
            }
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let start = if close { i + 1 } else { i };
        let name_len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'!')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = html[start..start + name_len].to_ascii_lowercase();
        let end = b[start..]
            .iter()
            .position(|&c| c == b'>')
            .map(|e| start + e);
        let self_closing = end.is_some_and(|e| e > 0 && b[e - 1] == b'/');
        if close {
            depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) && !self_closing {
            depth += 1;
            max = max.max(depth);
            if name == "script" || name == "style" {
                let tag = format!("</{name}");
                match b[i..]
                    .windows(tag.len())
                    .position(|w| w.eq_ignore_ascii_case(tag.as_bytes()))
                {
                    Some(e) => i += e,
                    None => break,
                }
            }
        }
    }
    max
}

/// Parses a Kremlin HTML page. `id` is used when the page does not give its own
/// (the `data-href`/`id="event-N"` of the article).
pub fn parse_html(id: &str, html: &str) -> Result<Transcript, IngestError> {
    super::check_input(html)?;
    let depth = nesting_depth(html);
    if depth > super::MAX_HTML_DEPTH {
        return Err(IngestError::TooDeep {
            depth,
            limit: super::MAX_HTML_DEPTH,
        });
    }
    let doc = Html::parse_document(html);
    let body = ["[itemprop=articleBody]", "article", "main", "body"]
        .iter()
        .find_map(|s| doc.select(&sel(s)).next())
        .ok_or(IngestError::NoArticle)?;

    let first_text = |s: &str| {
        doc.select(&sel(s))
            .map(|e| text_of(*e))
            .find(|t| !t.is_empty())
    };
    let page_id = doc
        .select(&sel("article[id^=event-]"))
        .next()
        .and_then(|a| a.value().attr("id"))
        .and_then(|v| v.strip_prefix("event-"))
        .map(String::from);
    let mut t = Transcript::new(page_id.unwrap_or_else(|| id.to_string()), "");
    t.title = first_text("h1")
        .or_else(|| first_text("title"))
        .unwrap_or_else(|| t.id.clone());
    t.date = doc
        .select(&sel("time[datetime]"))
        .filter_map(|e| e.value().attr("datetime"))
        .find_map(|d| super::meta::parse_date_line(d.get(..10).unwrap_or(d)))
        .map(|(d, _)| d);
    t.time = first_text(".read__time").and_then(|s| super::meta::parse_time(&s));
    t.place = first_text(".read__place");
    let url = doc
        .select(&sel(
            "link[rel=canonical], .read[data-href], meta[property=\"og:url\"]",
        ))
        .find_map(|e| {
            e.value()
                .attr("href")
                .or_else(|| e.value().attr("data-href"))
                .or_else(|| e.value().attr("content"))
        })
        .map(String::from);
    let url = super::keep_url(&mut t, url);
    let kremlin = url.as_deref().is_some_and(|u| u.contains("kremlin.ru"));
    if url.is_some() || kremlin {
        t.source = Some(Source {
            url,
            license: kremlin.then(|| "CC BY 4.0".into()),
            attribution: kremlin.then(|| KREMLIN_ATTRIBUTION.into()),
        });
    }
    // The site section the page is published in ("Transcripts", "News").
    let sections: Vec<String> = doc
        .select(&sel(".read__status a"))
        .map(|e| text_of(*e))
        .filter(|s| !s.is_empty())
        .collect();
    t.kind = if sections.iter().any(|s| s == "Transcripts") {
        Some("transcript".into())
    } else {
        sections
            .first()
            .cloned()
            .or_else(|| first_text(".read__categ"))
            .map(|s| s.to_lowercase())
    };
    let mut tags = Tags::default();
    for col in doc.select(&sel(".read__tagscol")) {
        let head = col.select(&sel("h3")).next().map(|h| text_of(*h));
        let items: Vec<String> = col
            .select(&sel("li"))
            .map(|li| text_of(*li))
            .filter(|s| !s.is_empty())
            .collect();
        match head.as_deref() {
            Some("Topics") => tags.topics = items,
            Some("Persons") => tags.persons = items,
            Some("Geography") => tags.places = items,
            _ => {}
        }
    }
    t.tags = tags;
    for lead in doc.select(&sel(".read__lead")) {
        let ps: Vec<String> = lead
            .select(&sel("p"))
            .map(|p| text_of(*p))
            .filter(|s| !s.is_empty())
            .collect();
        if ps.is_empty() {
            let s = text_of(*lead);
            if !s.is_empty() {
                t.summary.push(s);
            }
        } else {
            t.summary.extend(ps);
        }
    }

    // Body paragraphs in document order, iteratively, noting blockquote ancestry.
    let mut paras = Vec::new();
    let mut stack: Vec<(NodeRef<'_, Node>, bool)> = vec![(*body, false)];
    while let Some((n, in_quote)) = stack.pop() {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        if skipped(e) {
            continue;
        }
        if e.name() == "p" {
            if let Some(k) = ElementRef::wrap(n).and_then(|p| classify(p, in_quote)) {
                paras.push(k);
            }
            continue;
        }
        let q = in_quote || e.name() == "blockquote";
        let mut kids: Vec<_> = n.children().map(|c| (c, q)).collect();
        kids.reverse();
        stack.extend(kids);
    }
    build_kremlin_body(&mut t, &paras);
    if t.summary.is_empty() && t.sections.is_empty() {
        return Err(IngestError::NoContent);
    }
    Ok(super::finish(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_labels_and_markup() {
        let html = r#"<html><body><article itemprop="articleBody">
            <p>Lead <script>alert(1)</script>text.</p><p>* * *</p>
            <p><i>Beginning of meeting</i></p>
            <p><b>President of Russia Vladimir Putin</b>: Hello &lt;img src=x onerror=alert(1)&gt;.</p>
            <p>More.</p><blockquote><p>Quote.</p></blockquote>
            <p><b>Question (retranslated):</b> Why?</p></article></body></html>"#;
        let t = parse_html("x", html).unwrap();
        assert_eq!(t.summary, vec!["Lead text."]);
        assert_eq!(
            t.sections[0].heading.as_deref(),
            Some("Beginning of meeting")
        );
        let turns = &t.sections[0].turns;
        assert_eq!(
            turns[0].label.as_deref(),
            Some("President of Russia Vladimir Putin")
        );
        assert_eq!(
            turns[0].paragraphs,
            vec!["Hello <img src=x onerror=alert(1)>.", "More."]
        );
        assert_eq!(turns[1].note.as_deref(), Some("retranslated"));
        assert_eq!(t.dropped, vec!["Quote."]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!(
            "{}<p>x</p>{}",
            "<div>".repeat(3_000),
            "</div>".repeat(3_000)
        );
        let _ = parse_html("x", &html);
    }
}
