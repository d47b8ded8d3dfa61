//! Snapshot tests of the ingest rules on small hand-written fixtures
//! (`tests/fixtures/ingest/`). Each fixture exercises a group of rules; the accepted
//! JSON is in `tests/snapshots/`. Review changes with `cargo insta review`.

use stenogram_core::ingest::{self, jsonl, FrontMatter};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/ingest/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    String::from_utf8(std::fs::read(&path).expect("fixture exists")).expect("fixture is UTF-8")
}

/// Front matter, BOM, CRLF, NBSP and tabs; lead; two sections with headings; role and
/// name labels with later short labels; Question/Remark/Reply/Moderator; a label
/// note; colons in prose (a saying, "Priority one:", a time, a URL); a stage
/// direction; leading navigation and trailing chrome and a book advert in `dropped`;
/// mentions of countries (by name, demonym) and organisations.
#[test]
fn qa_with_front_matter_and_noise() {
    let t = ingest::parse_text("qa", &fixture("qa.txt"), None).unwrap();
    insta::assert_json_snapshot!("qa", t);
}

/// Cyrillic labels (initial plus surname), Russian generic speakers, `lang: ru`.
#[test]
fn russian_labels() {
    let t = ingest::parse_text("russian", &fixture("russian.txt"), None).unwrap();
    insta::assert_json_snapshot!("russian", t);
}

/// No front matter: title, date/time and place inferred from the first lines;
/// "Medvedev:" and "D.Medvedev:" share the speaker of "Dmitry Medvedev:".
#[test]
fn header_lines_and_short_labels() {
    let t = ingest::parse_text("header", &fixture("header.txt"), None).unwrap();
    insta::assert_json_snapshot!("header", t);
}

/// Markup in paragraph text is text: it survives verbatim, never interpreted.
#[test]
fn markup_is_plain_text() {
    let t = ingest::parse_text("markup", &fixture("markup.txt"), None).unwrap();
    let all: Vec<&str> = t.paragraphs().map(|p| p.text).collect();
    assert!(all.iter().any(|p| p.contains("<script>alert(1)</script>")));
    assert!(all
        .iter()
        .any(|p| p.contains("<img src=x onerror=alert(1)>")));
    insta::assert_json_snapshot!("markup", t);
}

/// A sidecar file's metadata fills what the text does not give.
#[test]
fn sidecar_metadata() {
    let meta = FrontMatter::parse(
        "title: From the sidecar\ndate: 15 September 2015\nkind: speech\n",
        1,
    )
    .unwrap();
    let t = ingest::parse_text("markup", &fixture("markup.txt"), Some(&meta)).unwrap();
    assert_eq!(t.title, "From the sidecar");
    assert_eq!(t.date.as_deref(), Some("2015-09-15"));
    assert_eq!(t.kind.as_deref(), Some("speech"));
}

/// A Kremlin page: metadata, lead, tags, bold labels (also with an italic note between
/// bold runs), tooltips and sliders skipped, pull quote dropped, escaped markup kept
/// as text, and scripts never read.
#[cfg(feature = "html")]
#[test]
fn kremlin_html_page() {
    let t = ingest::parse_html("page", &fixture("page.html")).unwrap();
    let all: Vec<&str> = t.paragraphs().map(|p| p.text).collect();
    assert!(all
        .iter()
        .all(|p| !p.contains("Tooltip") && !p.contains("Fake")));
    assert!(all.iter().any(|p| p.contains("<script>alert(1)</script>")));
    insta::assert_json_snapshot!("page_html", t);
}

/// JSON lines: a Kremlin record, a malformed line, a UN record, an unknown record.
/// Bad lines give errors with their line numbers; good ones still parse.
#[test]
fn json_lines_records() {
    let text = fixture("records.jsonl");
    let out: Vec<serde_json::Value> = text
        .lines()
        .enumerate()
        .map(|(i, l)| match jsonl::parse_record(l, i + 1) {
            Ok(t) => serde_json::to_value(t).unwrap(),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        })
        .collect();
    insta::assert_json_snapshot!("records", out);
}
