//! Parsing raw transcripts into the [`crate::model`]: plain text in the Kremlin
//! layout ([`text`]), original Kremlin HTML pages ([`html`], behind the `html`
//! feature), and JSON-lines records from the Kremlin and UN General Debate corpora
//! ([`jsonl`]).
//!
//! Everything here is pure: callers hand in `&str` and get a [`Transcript`] or an
//! [`IngestError`] back. Reading files, gunzipping, progress and exit codes belong to
//! the command line (`stenogram ingest`), so the very same code can later parse a
//! transcript dropped into the browser.
//!
//! The rules are documented in `docs/ingest.md`; each submodule owns one concern:
//! - [`normalize`]: byte-order marks, line ends, odd whitespace;
//! - [`labels`]: what a speaker label looks like, and speaker/role splitting;
//! - [`noise`]: site chrome and advertisements that go to `dropped`;
//! - [`meta`]: front matter, sidecar metadata, date/place lines;
//! - [`mentions`]: countries and organisations mentioned (gazetteer in [`gazetteer`]);
//! - [`speakers`]: merging label variants across a corpus;
//! - [`qa`]: pairing answers with questions (press conferences, interviews).

pub mod gazetteer;
#[cfg(feature = "html")]
pub mod html;
pub mod jsonl;
pub mod labels;
pub mod mentions;
pub mod meta;
pub mod noise;
pub mod normalize;
pub mod qa;
pub mod speakers;
pub mod text;

pub use meta::FrontMatter;
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

/// Fills the derived fields every parser shares: `lang` (when not declared) and
/// `mentions`, merges short label variants within the transcript, and leaves generic
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
    if t.lang.is_none() {
        t.lang = normalize::detect_lang(
            t.paragraphs()
                .map(|p| p.text)
                .chain(std::iter::once(t.title.as_str())),
        );
    }
    t.mentions = mentions::extract(&t);
    t
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
