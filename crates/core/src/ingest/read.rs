//! Ingest dispatch: which parser an input goes to, and the one call that turns a named
//! input's bytes into transcripts ([`read`]). The command line and the browser both
//! start here, so a file is understood the same way wherever it is dropped.
//!
//! The format comes from the name's extension when it is a known one ([`EXTENSIONS`]),
//! else from the content (an HTML tag, a JSON object, or plain text). A trailing `.gz`
//! is ignored in the name but not undone here: decompressing is the caller's job (the
//! CLI inflates with a size bound; a browser has `DecompressionStream`), which keeps
//! this crate free of a compression library and of an unbounded inflate.

use super::{jsonl, FrontMatter, IngestError};
use crate::model::Transcript;

/// File-name extensions of inputs, each also gzipped, looked for in folders.
pub const EXTENSIONS: &[&str] = &[
    "txt",
    "text",
    "html",
    "htm",
    "jsonl",
    "ndjson",
    "json",
    "txt.gz",
    "html.gz",
    "htm.gz",
    "jsonl.gz",
    "ndjson.gz",
    "json.gz",
];

/// What an input holds, and so which parser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text in the Kremlin layout, with optional front matter ([`super::text`]).
    Text,
    /// An HTML page ([`super::html`]).
    Html,
    /// One JSON record per line ([`super::jsonl`]).
    JsonLines,
    /// One JSON record in the whole file: a schema-1 transcript or any JSON-lines record.
    Json,
}

/// The name without a trailing `.gz`, lowercased.
fn bare_name(name: &str) -> String {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_lowercase();
    match base.strip_suffix(".gz") {
        Some(b) => b.to_string(),
        None => base,
    }
}

/// The format of an input called `name` (a file name or path) holding `text`.
pub fn format_of(name: &str, text: &str) -> Format {
    let name = bare_name(name);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" | "htm" => Format::Html,
        "jsonl" | "ndjson" => Format::JsonLines,
        "json" => Format::Json,
        "txt" | "text" => Format::Text,
        _ => sniff(text),
    }
}

/// The format told by content alone: markup, JSON object(s), else text.
fn sniff(text: &str) -> Format {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let lower: String = head.chars().take(64).collect::<String>().to_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Format::Html;
    }
    if head.starts_with('{') {
        // One object per line makes JSON lines; one object over many lines, JSON.
        let first = head.lines().next().unwrap_or("").trim_end();
        let one_line_object = first.ends_with('}')
            && serde_json::from_str::<serde_json::Value>(first).is_ok_and(|v| v.is_object());
        return if one_line_object {
            Format::JsonLines
        } else {
            Format::Json
        };
    }
    Format::Text
}

/// The id a file's single transcript gets by default: its name without extensions.
pub fn stem_of(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base.strip_suffix(".gz").unwrap_or(base);
    match base.rfind('.') {
        Some(i) if i > 0 => base[..i].to_string(),
        _ => base.to_string(),
    }
}

/// Checks raw bytes and returns them as text: not empty, not compressed, no NUL byte,
/// UTF-8.
pub fn decode(bytes: &[u8]) -> Result<&str, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(IngestError::Compressed);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(IngestError::Binary { offset });
    }
    std::str::from_utf8(bytes).map_err(|e| IngestError::NotUtf8 {
        offset: e.valid_up_to(),
    })
}

/// The non-blank lines of a JSON-lines input, with their 1-based line numbers.
pub fn json_lines(text: &str) -> Result<Vec<(usize, &str)>, IngestError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(IngestError::NoContent);
    }
    Ok(lines)
}

/// Parses a whole input of a single-transcript format (not [`Format::JsonLines`], whose
/// records go one by one to [`jsonl::parse_record`]). `name` gives the default id;
/// `sidecar` is metadata given beside a plain-text file.
pub fn parse_one(
    format: Format,
    name: &str,
    text: &str,
    sidecar: Option<&FrontMatter>,
) -> Result<Transcript, IngestError> {
    match format {
        Format::Text => super::parse_text(&stem_of(name), text, sidecar),
        #[cfg(feature = "html")]
        Format::Html => super::parse_html(&stem_of(name), text),
        #[cfg(not(feature = "html"))]
        Format::Html => Err(IngestError::NoHtml),
        Format::Json => jsonl::parse_document(text),
        Format::JsonLines => {
            let lines = json_lines(text)?;
            match lines.as_slice() {
                [(n, l)] => jsonl::parse_record(l, *n),
                _ => Err(IngestError::Record {
                    line: lines[1].0,
                    message: "a JSON-lines input holds several records: read it with `read`".into(),
                }),
            }
        }
    }
}

/// Reads one named input into its transcripts: one for a text, HTML or JSON file, one
/// per record of a JSON-lines file. An error for the whole input comes alone; a bad
/// record does not lose the others.
pub fn read(name: &str, bytes: &[u8]) -> Vec<Result<Transcript, IngestError>> {
    read_with(name, bytes, None)
}

/// [`read`], with sidecar metadata for a plain-text input.
pub fn read_with(
    name: &str,
    bytes: &[u8],
    sidecar: Option<&FrontMatter>,
) -> Vec<Result<Transcript, IngestError>> {
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(e) => return vec![Err(e)],
    };
    match format_of(name, text) {
        Format::JsonLines => match json_lines(text) {
            Ok(lines) => lines
                .into_iter()
                .map(|(n, l)| jsonl::parse_record(l, n))
                .collect(),
            Err(e) => vec![Err(e)],
        },
        f => vec![parse_one(f, name, text, sidecar)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names_then_content() {
        assert_eq!(format_of("a/b/x.HTML.gz", ""), Format::Html);
        assert_eq!(format_of("x.ndjson", ""), Format::JsonLines);
        assert_eq!(format_of("x.json", "{}"), Format::Json);
        assert_eq!(format_of("x.txt", "<html>"), Format::Text);
        assert_eq!(format_of("x", "\u{feff} <!DOCTYPE html><p>"), Format::Html);
        assert_eq!(format_of("x", "{\"id\":1}\n{\"id\":2}"), Format::JsonLines);
        assert_eq!(format_of("x", "{\n  \"id\": 1\n}"), Format::Json);
        assert_eq!(format_of("notes.md", "Putin: Hello."), Format::Text);
        assert_eq!(stem_of("dir/talks.2015.txt.gz"), "talks.2015");
        assert_eq!(stem_of(".hidden"), ".hidden");
    }

    #[test]
    fn bytes_are_checked_before_parsing() {
        assert_eq!(decode(b""), Err(IngestError::Empty));
        assert_eq!(decode(&[0x1f, 0x8b, 8]), Err(IngestError::Compressed));
        assert_eq!(decode(b"ab\0"), Err(IngestError::Binary { offset: 2 }));
        assert_eq!(decode(b"ab\xff"), Err(IngestError::NotUtf8 { offset: 2 }));
    }

    #[test]
    fn read_gives_one_result_per_record() {
        let r = read(
            "x.jsonl",
            b"{\"id\":\"a\",\"text\":\"One.\"}\n\n{oops\n{\"id\":\"b\",\"text\":\"Two.\"}\n",
        );
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].as_ref().unwrap().id, "a");
        assert!(matches!(r[1], Err(IngestError::Json { line: 3, .. })));
        assert_eq!(r[2].as_ref().unwrap().id, "b");
        let r = read("talk.txt", b"Vladimir Putin: Good afternoon.\n");
        assert_eq!(r[0].as_ref().unwrap().id, "talk");
    }
}
