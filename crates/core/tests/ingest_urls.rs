//! Regression (issue 12, item 1): a source URL with a script scheme was kept and the
//! reading view rendered it as a live link. Every route that takes a URL now keeps it
//! only when it is http or https, and notes a rejected one in `dropped`.

use stenogram_core::ingest;
use stenogram_core::Transcript;

const HOSTILE: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "\u{1}javascript:alert(1)",
    "\tjavascript:alert(1)",
    " \u{0}javascript:alert(1)",
    "java\u{b}script:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
];

fn one(name: &str, text: &str) -> Transcript {
    ingest::read(name, text.as_bytes())
        .into_iter()
        .next()
        .unwrap()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_rejected(t: &Transcript, url: &str) {
    assert_eq!(
        t.source.as_ref().and_then(|s| s.url.as_deref()),
        None,
        "{url:?} was kept"
    );
    assert!(
        t.dropped.iter().any(|d| d.contains("not kept as a link")),
        "{url:?}: {:?}",
        t.dropped
    );
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn json_lines_records_keep_only_web_urls() {
    for url in HOSTILE {
        let kremlin = format!(
            r#"{{"id":1,"url":{},"title":"T","paragraphs":[{{"kind":"p","text":"Hello there."}}]}}"#,
            json_str(url)
        );
        let generic = format!(
            r#"{{"id":2,"url":{},"text":"Hello there."}}"#,
            json_str(url)
        );
        for (name, line) in [("k.jsonl", kremlin), ("g.jsonl", generic)] {
            assert_rejected(&one(name, &line), url);
        }
    }
    let ok = one(
        "g.jsonl",
        r#"{"id":2,"url":"https://example.org/a","text":"Hello."}"#,
    );
    assert_eq!(
        ok.source.unwrap().url.as_deref(),
        Some("https://example.org/a")
    );
}

#[cfg(feature = "html")]
#[test]
fn html_canonical_and_og_urls_keep_only_web_urls() {
    for url in HOSTILE {
        // Control characters as character references: raw, the page is refused as binary.
        let attr: String = url
            .chars()
            .map(|c| match c {
                '"' => "&quot;".to_string(),
                '<' => "&lt;".to_string(),
                c if c.is_control() => format!("&#{};", c as u32),
                c => c.to_string(),
            })
            .collect();
        for head in [
            format!(r#"<link rel="canonical" href="{attr}">"#),
            format!(r#"<meta property="og:url" content="{attr}">"#),
        ] {
            let page = format!(
                "<html><head>{head}</head><body><article><h1>T</h1><p>Hello there.</p></article></body></html>"
            );
            assert_rejected(&one("p.html", &page), url);
        }
    }
}

#[test]
fn front_matter_and_transcript_json_keep_only_web_urls() {
    for url in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:,x",
        "vbscript:x",
    ] {
        let text = format!("---\nurl: {url}\n---\nVladimir Putin: Good afternoon.\n");
        assert_rejected(&one("t.txt", &text), url);
        let mut t = Transcript::new("a", "A");
        t.summary = vec!["Text.".into()];
        t.source = Some(stenogram_core::model::Source {
            url: Some((*url).into()),
            ..Default::default()
        });
        assert_rejected(&one("a.json", &serde_json::to_string(&t).unwrap()), url);
    }
}
