//! Parsing raw transcripts into the [`crate::model`]: plain text in the Kremlin
//! layout ([`text`]), original Kremlin HTML pages ([`html`], behind the `html`
//! feature), JSON-lines records from the Kremlin and UN General Debate corpora, in a
//! generic layout ([`generic`]) or as schema-1 transcripts ([`jsonl`]). [`read`] picks
//! the parser for a named input.
//!
//! Everything here is pure: callers hand in bytes or `&str` and get a [`Transcript`] or
//! an [`IngestError`] back. Reading files, gunzipping, progress and exit codes belong to
//! the command line (`stenogram ingest`), so the very same code can later parse a
//! transcript dropped into the browser.
//!
//! The rules are documented in `docs/ingest.md`; each submodule owns one concern:
//! - [`normalize`]: byte-order marks, line ends, odd whitespace;
//! - [`labels`]: what a speaker label looks like, and speaker/role splitting;
//! - [`noise`]: site chrome and advertisements that go to `dropped`;
//! - [`meta`]: front matter, sidecar metadata, date/place lines;
//! - [`mentions`]: countries and organisations mentioned (gazetteer in [`gazetteer`]);
//! - [`place`]: the country a transcript's place lies in;
//! - [`speakers`]: merging label variants across a corpus;
//! - [`qa`]: pairing answers with questions (press conferences, interviews).

pub mod gazetteer;
pub mod generic;
#[cfg(feature = "html")]
pub mod html;
pub mod jsonl;
pub mod labels;
pub mod mentions;
pub mod meta;
pub mod noise;
pub mod normalize;
pub mod place;
pub mod qa;
pub mod read;
pub mod speakers;
pub mod text;

pub use meta::FrontMatter;
pub use read::{format_of, read, read_with, Format};
pub use text::parse_text;

#[cfg(feature = "html")]
pub use html::parse_html;

use crate::model::Transcript;

/// The largest input one call accepts. Larger inputs are refused with a clear error
/// rather than risking memory exhaustion in the browser; the biggest real transcript
/// (UN General Debate) is about 130 kB, so this leaves a wide margin.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// The deepest element nesting an HTML input may have. Real pages nest a few dozen
/// levels; the HTML tree builder's cost grows with depth times elements, so a
/// pathological page is refused up front instead of taking minutes.
pub const MAX_HTML_DEPTH: usize = 1024;

/// Why an input could not be turned into a transcript. Every variant says what was
/// wrong, where (line numbers are 1-based), and, where useful, what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The input holds no bytes at all.
    #[error("file is empty")]
    Empty,
    /// The input holds only whitespace, separators, or lines that were dropped as noise.
    #[error("no transcript text: the file holds only blank lines, separators or site chrome")]
    NoContent,
    /// The input is still gzip-compressed: the caller decompresses (see [`read`]).
    #[error("the input is gzip-compressed: decompress it first (or name it `*.gz`)")]
    Compressed,
    /// The input is not UTF-8.
    #[error("not UTF-8 text (invalid byte at offset {offset}): convert it to UTF-8 first")]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// An HTML input, but this build has no HTML parser.
    #[error("HTML input needs stenogram-core's `html` feature, which this build leaves out")]
    NoHtml,
    /// The input looks like binary data (NUL or many control characters).
    #[error("looks like a binary file, not text (control characters at byte {offset})")]
    Binary {
        /// Byte offset of the first offending character.
        offset: usize,
    },
    /// The input is larger than [`MAX_INPUT_BYTES`].
    #[error("input is {size} bytes; the limit is {limit} bytes: split it into smaller files")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// Front matter opened with `---` but never closed.
    #[error(
        "line {line}: front matter opened with `---` is never closed: add a closing `---` line"
    )]
    UnclosedFrontMatter {
        /// Line of the opening fence.
        line: usize,
    },
    /// A front-matter or sidecar line is malformed.
    #[error("line {line}: metadata: {message}")]
    Meta {
        /// Line of the offending entry.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A JSON-lines record is not valid JSON.
    #[error("line {line}: malformed JSON: {message}")]
    Json {
        /// Line of the record.
        line: usize,
        /// The JSON parser's message.
        message: String,
    },
    /// A JSON-lines record is valid JSON but matches no known record layout.
    #[error("line {line}: unknown record: {message}")]
    Record {
        /// Line of the record.
        line: usize,
        /// What is missing or wrong.
        message: String,
    },
    /// HTML nested deeper than [`MAX_HTML_DEPTH`] elements.
    #[error("HTML is nested {depth} elements deep; the limit is {limit}: this is not a real page")]
    TooDeep {
        /// The nesting depth found.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// An HTML page has no article body to take the transcript from.
    #[error("HTML page has no article body (looked for itemprop=\"articleBody\", <article>, <main>, <body>)")]
    NoArticle,
}

impl IngestError {
    /// The 1-based line the error refers to, if any (for `file:line: message`).
    pub fn line(&self) -> Option<usize> {
        match self {
            IngestError::UnclosedFrontMatter { line }
            | IngestError::Meta { line, .. }
            | IngestError::Json { line, .. }
            | IngestError::Record { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Checks the size and binary-ness of an input before any parsing.
pub fn check_input(text: &str) -> Result<(), IngestError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(IngestError::TooLarge {
            size: text.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    if text.is_empty() {
        return Err(IngestError::Empty);
    }
    if let Some(offset) = normalize::binary_offset(text) {
        return Err(IngestError::Binary { offset });
    }
    Ok(())
}

/// The source URL to keep: `url` (trimmed) if [`crate::model::safe_url`] accepts it.
/// A rejected URL is noted in `t.dropped` with the reason, never kept as a link.
pub(crate) fn keep_url(t: &mut Transcript, url: Option<String>) -> Option<String> {
    let url = url?;
    let trimmed = url.trim_matches(|c: char| c == ' ' || c == '\n' || c == '\r');
    if trimmed.is_empty() {
        return None;
    }
    match crate::model::safe_url(trimmed) {
        Ok(u) => Some(u.to_string()),
        Err(why) => {
            t.dropped
                .push(format!("source URL {url:?} not kept as a link: {why}"));
            None
        }
    }
}

/// Fills the derived fields every parser shares ([`fill_derived`]), merges short label variants within the transcript, and leaves generic
/// labels without a speaker.
pub(crate) fn finish(mut t: Transcript) -> Transcript {
    speakers::merge_within(&mut t);
    // "Question", "Moderator", "Вопрос" name a part, not a person: the turn keeps its
    // label (the reader shows it) but has no speaker, so it is neither a speaker facet
    // value nor a `speaker:` match ("Question" was the second speaker of the Kremlin
    // corpus, after Vladimir Putin).
    for turn in t.sections.iter_mut().flat_map(|s| &mut s.turns) {
        if turn.label.as_deref().is_some_and(labels::is_generic) {
            turn.speaker = None;
        }
    }
    qa::pair(&mut t);
    fill_derived(&mut t);
    t
}

/// Fills the derived fields no source gave: `lang` (detected from the text),
/// `mentions` (when both lists are empty), and `country`, the country the place lies in
/// ([`place::country_of`]; none when the place names no known city or country).
pub(crate) fn fill_derived(t: &mut Transcript) {
    if t.lang.is_none() {
        t.lang = normalize::detect_lang(
            t.paragraphs()
                .map(|p| p.text)
                .chain(std::iter::once(t.title.as_str())),
        );
    }
    if t.mentions.countries.is_empty() && t.mentions.organisations.is_empty() {
        t.mentions = mentions::extract(t);
    }
    if t.country.is_none() {
        t.country = t
            .place
            .as_deref()
            .and_then(place::country_of)
            .map(|e| e.name.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: "Question" and "Remark" were the Kremlin corpus's second and third
    /// speaker facet values.
    #[test]
    fn generic_labels_keep_their_label_but_name_no_speaker() {
        let t = text::parse_text(
            "qa",
            "Talks\n\nVladimir Putin: Good afternoon.\n\nQuestion: Will there be talks?\n\nVladimir Putin: Yes.\n\nRemark: Thank you.\n",
            None,
        )
        .unwrap();
        let turns: Vec<(Option<&str>, Option<&str>)> = t
            .sections
            .iter()
            .flat_map(|s| &s.turns)
            .filter(|turn| turn.label.is_some())
            .map(|turn| (turn.label.as_deref(), turn.speaker.as_deref()))
            .collect();
        assert!(turns.contains(&(Some("Question"), None)), "{turns:?}");
        assert!(turns.contains(&(Some("Remark"), None)), "{turns:?}");
        assert_eq!(t.speakers(), vec!["Vladimir Putin"]);
    }
}
