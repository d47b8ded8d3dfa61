//! A reading URL's text as static HTML, written by the build: `t/<id>.html`, which
//! GitHub Pages serves for `/t/<id>` (status 200, where the app's shell alone came as
//! `404.html`).
//!
//! A link to a transcript is what a journalist shares. Without this page its text waited
//! for the app's wasm, the search worker's, the reading view's part and three rounds of
//! corpus files: about 575 KB before a word, 3.3 s of Lighthouse's slow 4G. The page is
//! the app's own shell (its `index.html`, scripts and styles as built) with the
//! transcript's title, facts, tags and text in place of the loading notice, in the
//! reading view's markup and classes. The page holds the whole text, up to
//! [`PAGE_TEXT_CHARS`]: a link to a paragraph (`#p-40`, and a search result's link to
//! its best one) paints first there (`index.html`'s script jumps to it), and the page
//! reads whole without its script. The text paints with the stylesheet; the app starts
//! as before behind it (hidden by the stylesheet while `#preview` is in the page) and
//! removes it once its own view shows the text, in one frame: every node of the page is
//! replaced, none moves, so the swap is no layout shift. The page is also what link
//! previews, search engines and reference managers read: the title, a description, a
//! canonical link and the citation tags ([`HEAD_MARK`]).
//!
//! This module owns what the reading view and the page must agree on: the facts line
//! ([`facts`]), the tags' links ([`tag_links`]), the contents ([`contents_entries`]), the
//! window title ([`page_title`]), the page's path ([`page_path`]), the first screen's
//! paragraphs ([`FIRST_SCREEN_PARAS`]). The markup is spelt twice, here and in the app's
//! `src/pages/reader`, and `e2e/tests/preview.test.mjs` checks that the text sits where
//! the app then shows it.

use crate::ingest::qa;
use crate::model::Transcript;
use crate::site::PAGE_DIR;
use crate::url::encode;

/// The element the page's text is in (the app's stylesheet hides the app while
/// it is there; the app removes it).
pub const PREVIEW_ID: &str = "preview";
/// Characters of paragraph text a page holds at most: a whole transcript of 98 % of the
/// UN General Debate's speeches and 96 % of the Kremlin's transcripts. A longer one's
/// page ends at a paragraph (a link past it opens at the top until the app shows the
/// rest); a paragraph longer than what is left is cut at a word with "…".
pub const PAGE_TEXT_CHARS: usize = 40_000;
/// Paragraphs a page holds at most, so that a transcript of thousands of one-line
/// paragraphs stays a page of tens of KB.
pub const PAGE_PARAS: usize = 600;
/// Paragraphs laid out at once, a first screen's, each at least a line high: the app's
/// and the page's first as many are `.lead` (the stylesheet defers the others' layout
/// until they near the screen).
pub const FIRST_SCREEN_PARAS: usize = 12;
/// The attribute that marks the `<head>` tags describing the transcript on screen: the
/// page's Open Graph, canonical and citation tags, and those the reading view puts there.
/// Whoever then shows something else removes exactly them (a reference manager's
/// connector must not save the previous transcript's).
pub const HEAD_MARK: &str = "data-stenogram-head";
/// The window's title of every other view: the shell's `<title>` (index.html).
pub const SHELL_TITLE: &str = "Stenogram";
/// The least of a paragraph a page shows; with fewer characters left it stops.
const MIN_PARA_CHARS: usize = 80;
/// The description's length for link previews and search engines.
const DESCRIPTION_CHARS: usize = 200;

/// Why a page could not be written.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PreviewError {
    #[error("the app's index.html has no {0}; build the site with `cargo xtask dist`, whose index.html is the pages' template")]
    Shell(&'static str),
}

/// The page of transcript `id` relative to the site (`t/<id>.html`), or `None` when the
/// id is not a plain file name (letters, digits, `-`, `_`, `.`, not starting with a
/// dot): such a transcript opens from the app's shell, as before.
pub fn page_path(id: &str) -> Option<String> {
    let plain = !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then(|| format!("{PAGE_DIR}/{id}.html"))
}

/// The window's title while a transcript is read.
pub fn page_title(t: &Transcript) -> String {
    format!("{} · {SHELL_TITLE}", t.title)
}

/// The reading view's line of facts: date, time, place and kind, as known.
pub fn facts(t: &Transcript) -> String {
    [&t.date, &t.time, &t.place, &t.kind]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The table of contents: each headed section's number and heading, when two or more
/// sections have one (else none: one heading is no table).
pub fn contents_entries(t: &Transcript) -> Vec<(usize, &String)> {
    let headed: Vec<(usize, &String)> = t
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.heading.as_ref()?)))
        .collect();
    if headed.len() < 2 {
        return Vec::new();
    }
    headed
}

/// The publisher's tags as (query string without `?`, shown text): topics and places
/// filter, persons search their name as a phrase.
pub fn tag_links(t: &Transcript) -> Vec<(String, String)> {
    let topics = t
        .tags
        .topics
        .iter()
        .map(|v| (format!("topic={}", encode(v)), v));
    let places = t
        .tags
        .places
        .iter()
        .map(|v| (format!("place={}", encode(v)), v));
    let persons = t
        .tags
        .persons
        .iter()
        .map(|v| (format!("q={}", encode(&format!("\"{v}\""))), v));
    topics
        .chain(places)
        .chain(persons)
        .map(|(q, v)| (q, v.clone()))
        .collect()
}

/// The page of `t`: `shell` (the built `index.html`) with its comments dropped, the
/// title and description of `t`, its head tags ([`head_tags`]), and its text in
/// place of its `#boot` notice. `site` is the corpus's name, the citations' publisher.
pub fn render(shell: &str, t: &Transcript, site: Option<&str>) -> Result<String, PreviewError> {
    let html = strip_comments(shell);
    let mut html = replace_between(&html, "<title>", "</title>", &text(&page_title(t)))
        .ok_or(PreviewError::Shell("<title>"))?;
    let desc = description(t);
    let meta = "<meta name=\"description\" content=\"";
    html = replace_between(&html, meta, "\"", &attr(&desc))
        .ok_or(PreviewError::Shell("<meta name=\"description\">"))?;
    let at = html.find("</head>").ok_or(PreviewError::Shell("</head>"))?;
    html.insert_str(at, &head_tags(t, &desc, site));
    let start = html
        .find("<div id=\"boot\"")
        .ok_or(PreviewError::Shell("<div id=\"boot\">"))?;
    let end = html[start..]
        .find("</div>")
        .map(|i| start + i + "</div>".len())
        .ok_or(PreviewError::Shell("</div> after #boot"))?;
    html.replace_range(start..end, &preview(t));
    Ok(html)
}

/// The page's own `<head>` tags, each marked with [`HEAD_MARK`]:
/// - Open Graph's type, title and description, for link previews;
/// - the canonical link, the reading URL without a query (relative: the shell's
///   `<base href>` resolves it, and the build does not know the site's address);
/// - the Highwire `citation_*` tags ([`crate::cite::highwire`]), which a reference
///   manager's connector reads as the page loads, before any app could add them.
fn head_tags(t: &Transcript, desc: &str, site: Option<&str>) -> String {
    let mut h = String::new();
    let mut tag = |key: &str, name: &str, content: &str| {
        h.push_str(&format!(
            "<meta {key}=\"{}\" content=\"{}\" {HEAD_MARK} />",
            attr(name),
            attr(content)
        ));
    };
    tag("property", "og:type", "article");
    tag("property", "og:title", &t.title);
    tag("property", "og:description", desc);
    for (name, content) in crate::cite::highwire(t, None, site) {
        tag("name", name, &content);
    }
    if let Some(path) = page_path(&t.id) {
        let canonical = path.strip_suffix(".html").unwrap_or(&path);
        h.push_str(&format!(
            "<link rel=\"canonical\" href=\"{}\" {HEAD_MARK} />",
            attr(canonical)
        ));
    }
    h
}

/// `s` without its `<!-- … -->` comments. Scripts are copied byte for byte: the
/// Content-Security-Policy admits an inline script by the hash of its text.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let comment = rest.find("<!--");
        let script = rest.find("<script");
        match (comment, script) {
            (Some(c), s) if s.is_none_or(|s| c < s) => {
                out.push_str(&rest[..c]);
                rest = rest[c..].find("-->").map_or("", |j| &rest[c + j + 3..]);
            }
            (_, Some(s)) => {
                let end = rest[s..]
                    .find("</script>")
                    .map_or(rest.len(), |j| s + j + 9);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            // No comment nor script left (a comment alone is the first arm's).
            _ => break,
        }
    }
    out.push_str(rest);
    out
}

/// `html` with what lies between the first `open` and the next `close` replaced.
fn replace_between(html: &str, open: &str, close: &str, with: &str) -> Option<String> {
    let a = html.find(open)? + open.len();
    let b = a + html[a..].find(close)?;
    Some(format!("{}{with}{}", &html[..a], &html[b..]))
}

/// Text as HTML character data.
fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text as a double-quoted attribute value.
fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;")
}

/// The first paragraph's opening, whole words, for link previews.
fn description(t: &Transcript) -> String {
    let first = t
        .paragraphs()
        .map(|p| p.text)
        .find(|p| !p.trim().is_empty());
    match first {
        Some(p) => cut(p, DESCRIPTION_CHARS).0,
        None => facts(t),
    }
}

/// `s` cut to at most `max` characters at a word, with "…" when cut, and whether it was.
fn cut(s: &str, max: usize) -> (String, bool) {
    if s.chars().count() <= max {
        return (s.to_string(), false);
    }
    let end = s.char_indices().nth(max).map_or(s.len(), |(i, _)| i);
    let head = &s[..end];
    let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
    (format!("{}…", head.trim_end()), true)
}

/// The preview element: the site's header and the reading view with the text.
fn preview(t: &Transcript) -> String {
    let mut h = String::with_capacity(4096);
    h.push_str(&format!(
        "<div id=\"{PREVIEW_ID}\" data-id=\"{}\">",
        attr(&t.id)
    ));
    h.push_str(concat!(
        "<header class=\"site-header\"><a href=\"./\" class=\"brand\">Stenogram</a>",
        "<span class=\"tagline\">Official transcripts, read and searched in your browser</span>",
        "<a href=\"quote\" class=\"nav-quote\">Check a quote</a>",
        "<div class=\"prefs\" role=\"group\" aria-label=\"Reading preferences\">",
        "<button type=\"button\" aria-label=\"A− (smaller text)\">A−</button>",
        "<button type=\"button\" aria-label=\"A+ (larger text)\">A+</button>",
        "<button type=\"button\" aria-label=\"Auto colour theme: change\">Auto</button>",
        "</div></header>",
    ));
    h.push_str("<main><article class=\"transcript\"><header class=\"transcript-head\">");
    h.push_str("<p class=\"back\"><a href=\"./\">← Back to results</a></p>");
    h.push_str(&format!(
        "<h1>{}</h1><p class=\"doc-facts\">{}</p>",
        text(&t.title),
        text(&facts(t))
    ));
    h.push_str("<ul class=\"tags inline-list\" aria-label=\"Tags\">");
    for (q, v) in tag_links(t) {
        h.push_str(&format!(
            "<li><a href=\"?{}\" class=\"tag\">{}</a></li>",
            attr(&q),
            text(&v)
        ));
    }
    h.push_str("</ul><p class=\"cite-all\"><button type=\"button\" class=\"tool\">Cite this transcript</button></p></header>");
    h.push_str(concat!(
        "<div class=\"reader-tools\" role=\"search\" aria-label=\"Find in this transcript\">",
        "<label for=\"preview-find\">Find in transcript</label>",
        "<input id=\"preview-find\" type=\"search\" autocomplete=\"off\" placeholder=\"Words or &quot;a phrase&quot;\" disabled />",
        "<span class=\"hit-counter\"></span>",
        "<button type=\"button\" disabled aria-label=\"Previous match (N)\">↑</button>",
        "<button type=\"button\" disabled aria-label=\"Next match (n)\">↓</button></div>",
        "<p class=\"copy-status\"></p>",
    ));
    // Relative to the page's `<base href>`, as the app's links are to the site's prefix.
    let path = crate::site::reading_path(&t.id);
    let path = path.trim_start_matches('/');
    contents(&mut h, t, path);
    outline(&mut h, t, path);
    Body::new().write(&mut h, t);
    h.push_str("</article></main></div>");
    h
}

/// The table of contents, as the reading view's `Contents`: with two headed sections
/// or more.
fn contents(h: &mut String, t: &Transcript, path: &str) {
    let headed = contents_entries(t);
    if headed.is_empty() {
        return;
    }
    h.push_str("<nav class=\"contents\" aria-label=\"Contents\"><h2>Contents</h2><ol>");
    for (i, head) in headed {
        h.push_str(&format!(
            "<li><a href=\"{path}#s-{i}\">{}</a></li>",
            text(head)
        ));
    }
    h.push_str("</ol></nav>");
}

/// The questions' outline, as the reading view's `QaOutline`.
fn outline(h: &mut String, t: &Transcript, path: &str) {
    let questions = qa::questions(t);
    if questions.is_empty() {
        return;
    }
    let turn_para: Vec<usize> = t.turn_starts().concat();
    let n = questions.len();
    let summary = format!("<summary>Questions and answers ({n})</summary>");
    // A long outline starts folded in the app; folded, its list is not on screen.
    if n > qa::OUTLINE_OPEN_MAX {
        h.push_str(&format!(
            "<details class=\"qa-outline\">{summary}</details>"
        ));
        return;
    }
    h.push_str(&format!("<details class=\"qa-outline\" open>{summary}<nav aria-label=\"Questions and answers\"><ol>"));
    for (k, q) in questions.iter().enumerate() {
        h.push_str("<li>");
        match q.paragraph {
            Some(p) => h.push_str(&format!(
                "<a class=\"qa-question\" href=\"{path}#p-{p}\">Question {}</a>",
                k + 1
            )),
            None => h.push_str(&format!("<span>Question {}</span>", k + 1)),
        }
        if q.follows.is_some() {
            h.push_str("<span class=\"qa-follow\"> (follow-up)</span>");
        }
        h.push_str(&format!(
            "<span class=\"qa-who\"> — {}; {}</span>",
            text(&q.asked_by()),
            text(&q.answered())
        ));
        let answers = q.answers.iter().filter_map(|&u| turn_para.get(u).copied());
        for (i, p) in answers.enumerate() {
            h.push_str(&format!(
                " <a class=\"qa-answer\" href=\"{path}#p-{p}\">{}</a>",
                qa::Question::answer_label(i)
            ));
        }
        h.push_str("</li>");
    }
    h.push_str("</ol></nav></details>");
}

/// The summary and the sections' turns, paragraph by paragraph, until
/// [`PAGE_TEXT_CHARS`] of text or [`PAGE_PARAS`] paragraphs are written.
struct Body {
    /// Characters and paragraphs still to write.
    left: usize,
    paras: usize,
    next: usize,
}

impl Body {
    fn new() -> Self {
        Body {
            left: PAGE_TEXT_CHARS,
            paras: PAGE_PARAS,
            next: 0,
        }
    }

    fn write(mut self, h: &mut String, t: &Transcript) {
        if !t.summary.is_empty() {
            h.push_str("<section class=\"summary\" aria-label=\"Summary\">");
            self.paras(h, &t.summary);
            h.push_str("</section>");
        }
        for (number, s) in t.sections.iter().enumerate() {
            if self.exhausted() {
                return;
            }
            // The id as the app's, so that a link to a section lands by the browser's jump.
            h.push_str(&format!("<section class=\"section\" id=\"s-{number}\">"));
            if let Some(head) = &s.heading {
                h.push_str(&format!("<h2>{}</h2>", text(head)));
            }
            for turn in &s.turns {
                if self.exhausted() {
                    break;
                }
                let who = turn.speaker.as_ref().or(turn.label.as_ref());
                let class = if who.is_none() {
                    "turn unattributed"
                } else {
                    "turn"
                };
                h.push_str(&format!("<div class=\"{class}\">"));
                if let Some(name) = who {
                    h.push_str(&format!(
                        "<p class=\"speaker\"><a class=\"speaker-name\" href=\"?speaker={}\" title=\"Search what {} said\">{}</a>",
                        attr(&encode(name)),
                        attr(name),
                        text(name)
                    ));
                    if let Some(r) = &turn.role {
                        h.push_str(&format!("<span class=\"speaker-role\">{}</span>", text(r)));
                    }
                    if let Some(n) = &turn.note {
                        h.push_str(&format!(
                            "<span class=\"speaker-note\">({})</span>",
                            text(n)
                        ));
                    }
                    h.push_str(&format!("<button type=\"button\" class=\"tool cite-turn\" aria-label=\"Cite this turn by {}\">cite turn</button></p>", attr(name)));
                }
                self.paras(h, &turn.paragraphs);
                h.push_str("</div>");
            }
            h.push_str("</section>");
        }
    }

    /// Whether the page holds all the text it may: a few characters left would show as
    /// a stub of a paragraph (or a speaker with none).
    fn exhausted(&self) -> bool {
        self.left < MIN_PARA_CHARS || self.paras == 0
    }

    /// Paragraphs as the reading view's `Paras` (one slice), each with its tools.
    fn paras(&mut self, h: &mut String, texts: &[String]) {
        if texts.is_empty() || self.exhausted() {
            self.next += texts.len();
            return;
        }
        h.push_str("<div class=\"para-slice\">");
        for p in texts {
            let i = self.next;
            self.next += 1;
            if self.exhausted() {
                continue;
            }
            self.paras -= 1;
            let (shown, was_cut) = cut(p, self.left);
            self.left = if was_cut {
                0
            } else {
                self.left.saturating_sub(p.chars().count())
            };
            // The anchor as the app's (a link to a paragraph lands at first paint, marked by
            // `:target`) and the first screen's class as the app's (laid out at once, the
            // rest when near the screen). No tools: they would not work before the app, and
            // their markup was two thirds of a page. Their room at the end of the text is
            // the stylesheet's (`#preview .para::after`, as wide as the app's `.para-tools`),
            // so the lines break where the app's do.
            let class = if i < FIRST_SCREEN_PARAS {
                "para lead"
            } else {
                "para"
            };
            h.push_str(&format!(
                "<p class=\"{class}\" id=\"p-{i}\">{}</p>",
                text(&shown)
            ));
        }
        h.push_str("</div>");
    }
}

#[cfg(test)]
mod tests;
