use super::*;
use crate::model::{Section, Tags, Turn};

const SHELL: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <meta name=\"description\" content=\"Stenogram: read.\" />\n    <title>Stenogram</title>\n    <!-- a comment\n    over lines -->\n    <base href=\"/stenogram/\" />\n<script type=\"module\">\nimport init from '/x.js';\n\n<!-- kept -->\n</script>\n  </head>\n  <body>\n    <noscript>x</noscript>\n    <div id=\"boot\" class=\"boot\" role=\"status\">Loading Stenogram…</div>\n  </body>\n</html>\n";

fn turn(label: &str, paras: &[&str]) -> Turn {
    Turn {
        label: Some(label.into()),
        speaker: Some(label.into()),
        paragraphs: paras.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    }
}

fn sample() -> Transcript {
    let mut t = Transcript::new("56351", "Press conference <b>on</b> \"energy\"");
    t.date = Some("2016-09-02".into());
    t.place = Some("Vladivostok".into());
    t.kind = Some("press conference".into());
    t.tags = Tags {
        topics: vec!["Energy & power".into()],
        persons: vec!["Ivan Sorokin".into()],
        places: vec![],
    };
    t.summary = vec!["The ministers answered questions.".into()];
    t.sections = vec![Section {
        heading: Some("Press statements".into()),
        turns: vec![
            turn(
                "Ivan Sorokin",
                &["We agreed <script>alert(1)</script>.", "Second."],
            ),
            Turn {
                paragraphs: vec!["Unattributed <img src=x onerror=alert(1)>".into()],
                ..Default::default()
            },
        ],
    }];
    t
}

#[test]
fn a_plain_id_has_a_page_and_anything_else_opens_from_the_shell() {
    assert_eq!(page_path("56351").as_deref(), Some("t/56351.html"));
    assert_eq!(
        page_path("1946-ARG_x.y").as_deref(),
        Some("t/1946-ARG_x.y.html")
    );
    for id in ["", "../etc", "a/b", ".hidden", "a b", "é", "a%2Fb", "a?b"] {
        assert_eq!(page_path(id), None, "{id:?}");
    }
}

#[test]
fn the_page_is_the_shell_with_the_transcript_in_place_of_the_notice() {
    let html = render(SHELL, &sample(), None).unwrap();
    assert!(!html.contains("a comment"), "{html}");
    assert!(!html.contains("Loading Stenogram"));
    assert!(html
        .contains("<title>Press conference &lt;b&gt;on&lt;/b&gt; \"energy\" · Stenogram</title>"));
    assert!(html
        .contains("<meta name=\"description\" content=\"The ministers answered questions.\" />"));
    assert!(html.contains("<meta property=\"og:title\" content=\"Press conference &lt;b&gt;on&lt;/b&gt; &quot;energy&quot;\" data-stenogram-head />"));
    // The shell's scripts and base stay as built, byte for byte (the CSP admits an
    // inline script by its hash): the app starts from the page.
    assert!(html.contains("<base href=\"/stenogram/\" />"));
    assert!(html.contains(
        "<script type=\"module\">\nimport init from '/x.js';\n\n<!-- kept -->\n</script>"
    ));
    assert!(html.contains("<div id=\"preview\" data-id=\"56351\"><header class=\"site-header\">"));
    assert!(html.contains("<p class=\"doc-facts\">2016-09-02 · Vladivostok · press conference</p>"));
    assert!(html
        .contains("<a href=\"?topic=Energy%20%26%20power\" class=\"tag\">Energy &amp; power</a>"));
    assert!(html.contains("<a href=\"?q=%22Ivan%20Sorokin%22\" class=\"tag\">Ivan Sorokin</a>"));
    assert!(html.contains("<h2>Press statements</h2>"));
    assert!(html.contains("<a class=\"speaker-name\" href=\"?speaker=Ivan%20Sorokin\" title=\"Search what Ivan Sorokin said\">Ivan Sorokin</a>"));
    assert!(html.contains("<div class=\"turn unattributed\">"));
}

/// A reference manager's connector reads the citation tags as the page loads, before
/// the app could add its own; the app then replaces every tag marked as the page's.
#[test]
fn the_head_carries_citation_tags_and_a_canonical_link_all_marked() {
    let mut t = sample();
    t.source = Some(crate::model::Source {
        url: Some("javascript:alert(1)".into()),
        ..Default::default()
    });
    let html = render(SHELL, &t, Some("Kremlin & co")).unwrap();
    let head = &html[..html.find("</head>").unwrap()];
    for tag in [
        "<meta name=\"citation_title\" content=\"Press conference &lt;b&gt;on&lt;/b&gt; &quot;energy&quot;\" data-stenogram-head />",
        "<meta name=\"citation_author\" content=\"Sorokin, Ivan\" data-stenogram-head />",
        "<meta name=\"citation_date\" content=\"2016/09/02\" data-stenogram-head />",
        "<meta name=\"citation_publisher\" content=\"Kremlin &amp; co\" data-stenogram-head />",
        "<meta name=\"citation_language\" content=\"en\" data-stenogram-head />",
        "<link rel=\"canonical\" href=\"t/56351\" data-stenogram-head />",
    ] {
        assert!(head.contains(tag), "{tag} not in {head}");
    }
    // The build does not know the site's address; an unsafe source URL goes nowhere.
    assert!(!head.contains("citation_public_url"));
    assert!(!head.contains("javascript:"));
    let new_tags = head.matches("<meta ").count() - SHELL.matches("<meta ").count();
    assert_eq!(head.matches(HEAD_MARK).count(), new_tags + 1, "{head}");
    // An id that ends like the page's own extension keeps it in the canonical path.
    let mut t = sample();
    t.id = "speech.html".into();
    let html = render(SHELL, &t, None).unwrap();
    assert!(html.contains("<link rel=\"canonical\" href=\"t/speech.html\""));
}

/// Transcript text is data, never markup: the page holds no element its text names.
#[test]
fn markup_in_the_text_is_inert() {
    let html = render(SHELL, &sample(), None).unwrap();
    let body = &html[html.find("<div id=\"preview\"").unwrap()..];
    for tag in ["<script", "<img", "<b>"] {
        assert!(!body.contains(tag), "{tag} in {body}");
    }
    assert!(body.contains("We agreed &lt;script&gt;alert(1)&lt;/script&gt;."));
    assert!(body.contains("Unattributed &lt;img src=x onerror=alert(1)&gt;"));
}

/// The anchors follow the reading order of the app's `#p-N`: summary first, then turns.
#[test]
fn paragraphs_are_numbered_in_reading_order() {
    let html = render(SHELL, &sample(), None).unwrap();
    let ids: Vec<&str> = html
        .match_indices(" id=\"p-")
        .map(|(i, _)| &html[i + 7..i + 7 + html[i + 7..].find('"').unwrap()])
        .collect();
    assert_eq!(ids, ["0", "1", "2", "3"]);
    // The paragraph is its text: no tools before the app (the stylesheet keeps their room).
    assert!(html.contains("<p class=\"para lead\" id=\"p-2\">Second.</p>"));
}

/// The whole text, so that a link to any paragraph lands there before the app;
/// only the first screen's paragraphs are laid out at once, as in the app.
#[test]
fn the_page_holds_the_whole_text_with_the_first_screen_laid_out_at_once() {
    let mut t = Transcript::new("long", "Long");
    let para = "word ".repeat(40); // 200 characters
    t.sections = vec![
        Section {
            heading: None,
            turns: vec![turn("A", &vec![para.trim(); 30])],
        },
        Section {
            heading: Some("Later".into()),
            turns: vec![turn("B", &vec![para.trim(); 20])],
        },
    ];
    let html = render(SHELL, &t, None).unwrap();
    assert_eq!(
        html.matches("<p class=\"para lead\" id=").count(),
        FIRST_SCREEN_PARAS
    );
    assert_eq!(
        html.matches("<p class=\"para\" id=").count(),
        50 - FIRST_SCREEN_PARAS
    );
    assert!(html.contains("<p class=\"para\" id=\"p-49\">"));
    // Sections carry the app's ids: a link to one lands too.
    assert!(html.contains("<section class=\"section\" id=\"s-1\"><h2>Later</h2>"));
    let body = &html[html.find("<div id=\"preview\"").unwrap()..];
    assert!(!body.contains('…'), "a paragraph was cut");
}

/// A transcript longer than a page ends at a paragraph, within the budget of text and
/// of paragraphs; one paragraph longer than the budget is cut at a word, with "…".
#[test]
fn a_page_stops_within_its_budget() {
    let mut t = Transcript::new("long", "Long");
    let para = "word ".repeat(200); // 1,000 characters
    t.summary = vec![para.trim().to_string(); 100];
    let html = render(SHELL, &t, None).unwrap();
    let shown = html.matches("<p class=\"para").count();
    assert_eq!(
        shown,
        PAGE_TEXT_CHARS / 1_000,
        "whole 1,000-character paragraphs"
    );
    let body = &html[html.find("<div id=\"preview\"").unwrap()..];
    assert!(!body.contains('…'), "a paragraph was cut");
    // Short paragraphs: as many as the page may hold.
    let mut t = Transcript::new("short", "Short");
    t.summary = vec!["Thank you.".to_string(); PAGE_PARAS + 100];
    let html = render(SHELL, &t, None).unwrap();
    assert_eq!(html.matches("<p class=\"para").count(), PAGE_PARAS);
    // One paragraph longer than the budget.
    let mut t = Transcript::new("one", "One");
    t.summary = vec!["abcdefghi ".repeat(PAGE_TEXT_CHARS / 5)];
    let html = render(SHELL, &t, None).unwrap();
    let text = html
        .split("<p class=\"para lead\" id=\"p-0\">")
        .nth(1)
        .unwrap();
    let text = &text[..text.find("</p>").unwrap()];
    assert!(text.ends_with("abcdefghi…"), "{}", &text[text.len() - 20..]);
    assert!(text.chars().count() <= PAGE_TEXT_CHARS + 1);
}

#[test]
fn a_shell_without_its_parts_is_refused() {
    let t = sample();
    assert_eq!(
        render("<html><head></head><body></body></html>", &t, None),
        Err(PreviewError::Shell("<title>"))
    );
    let no_boot = SHELL.replace("<div id=\"boot\"", "<div id=\"other\"");
    assert_eq!(
        render(&no_boot, &t, None),
        Err(PreviewError::Shell("<div id=\"boot\">"))
    );
}

#[test]
fn a_question_shows_in_the_outline_with_its_answer() {
    let raw = include_str!("../../../../e2e/fixtures/energy-press-2016.txt");
    let t = crate::ingest::parse_text("energy-press-2016", raw, None).unwrap();
    let html = render(SHELL, &t, None).unwrap();
    assert!(html.contains(
        "<details class=\"qa-outline\" open><summary>Questions and answers (1)</summary>"
    ));
    assert!(html.contains("class=\"qa-answer\" href=\"t/energy-press-2016#p-"));
}

/// A turn that would start with the text's budget spent is left out whole: no speaker
/// line at the foot of the page without a word of theirs.
#[test]
fn no_speaker_is_shown_without_a_paragraph() {
    let mut t = Transcript::new("x", "X");
    let long = "word ".repeat(PAGE_TEXT_CHARS / 5 - 4);
    t.sections = vec![Section {
        heading: None,
        turns: vec![
            turn("First Speaker", &[long.trim()]),
            turn("Second Speaker", &["Yes."]),
        ],
    }];
    let html = render(SHELL, &t, None).unwrap();
    assert!(html.contains("First Speaker"));
    assert!(
        !html.contains("Second Speaker"),
        "a speaker with no paragraph shown"
    );
}
