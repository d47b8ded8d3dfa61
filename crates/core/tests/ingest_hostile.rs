//! Hostile input for the text, HTML and JSON-lines parsers: property tests that
//! generate random and adversarial input and check that nothing panics and that the
//! structural invariants hold, plus the size extremes the issue names (a 10 MB
//! paragraph, a 10,000-character label, deeply nested HTML).
//!
//! This is the repository's fuzz target. `PROPTEST_CASES=20000 cargo test --release
//! -p stenogram-core --test ingest_hostile` runs a longer campaign.

use proptest::prelude::*;
use stenogram_core::ingest::{self, jsonl};
use stenogram_core::Transcript;

/// Pieces that real and broken transcripts are made of.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("President of Russia Vladimir Putin: ".to_string()),
        Just("Question (retranslated): ".to_string()),
        Just("В.Путин: ".to_string()),
        Just("* * *".to_string()),
        Just("---".to_string()),
        Just("title: x".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{a0}".to_string()),
        Just("\t".to_string()),
        Just(":".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[".to_string()),
        Just("<…>".to_string()),
        Just("<p><b>".to_string()),
        Just("</b>".to_string()),
        Just("<i>".to_string()),
        Just("<blockquote>".to_string()),
        Just("<script>".to_string()),
        Just("&amp;".to_string()),
        Just("{\"id\":".to_string()),
        Just("\"paragraphs\":[".to_string()),
        Just("September 15, 2015, 14:30".to_string()),
        Just("The Essential Saker IV: Agony".to_string()),
        Just("Share".to_string()),
        "[A-Za-zА-я .,:;!?()\\-]{0,40}",
        any::<String>(),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

fn check(t: &Transcript) {
    for p in t.paragraphs() {
        assert!(!p.text.contains('\n'), "paragraphs are single lines");
        assert!(!p.text.trim().is_empty(), "no empty paragraphs");
    }
    let json = serde_json::to_string(t).expect("serialises");
    let back: Transcript = serde_json::from_str(&json).expect("round-trips");
    assert_eq!(&back, t);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn text_parser_never_panics(doc in document()) {
        if let Ok(t) = ingest::parse_text("x", &doc, None) {
            check(&t);
        }
    }

    #[test]
    fn text_parser_on_arbitrary_strings(doc in any::<String>()) {
        if let Ok(t) = ingest::parse_text("x", &doc, None) {
            check(&t);
        }
    }

    #[cfg(feature = "html")]
    #[test]
    fn html_parser_never_panics(doc in document()) {
        if let Ok(t) = ingest::parse_html("x", &doc) {
            check(&t);
        }
    }

    #[test]
    fn record_parser_never_panics(doc in document()) {
        if let Ok(t) = jsonl::parse_record(&doc, 1) {
            check(&t);
        }
    }
}

#[test]
fn ten_megabyte_paragraph() {
    let big = format!("Vladimir Putin: Now {}.", "word ".repeat(2_000_000));
    let t = ingest::parse_text("big", &big, None).unwrap();
    assert_eq!(
        t.sections[0].turns[0].speaker.as_deref(),
        Some("Vladimir Putin")
    );
}

#[test]
fn ten_thousand_character_label() {
    let label = "Very Long Title ".repeat(625);
    let text = format!("{label}: Hello.\n\nSecond paragraph.");
    let t = ingest::parse_text("label", &text, None).unwrap();
    // Far too long to be a label: kept as text, nobody speaks.
    assert!(t
        .sections
        .iter()
        .flat_map(|s| &s.turns)
        .all(|t| t.label.is_none()));
}

#[cfg(feature = "html")]
#[test]
fn deeply_nested_html() {
    let html = format!(
        "<html><body>{}<p><b>A B:</b> text</p>{}</body></html>",
        "<div><span>".repeat(100_000),
        "</span></div>".repeat(100_000)
    );
    // Either parsed or a clear error; never a crash or a hang.
    match ingest::parse_html("deep", &html) {
        Ok(t) => check(&t),
        Err(e) => assert!(e.to_string().contains("nest"), "{e}"),
    }
}
