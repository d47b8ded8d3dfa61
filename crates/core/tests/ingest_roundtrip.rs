//! The generic JSON record and the round trip: ingest's own output (schema-1 JSON) read
//! back by `ingest::read` gives the same JSON, byte for byte.

use stenogram_core::ingest::{self, IngestError};
use stenogram_core::Transcript;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/ingest/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    String::from_utf8(std::fs::read(&path).expect("fixture exists")).expect("fixture is UTF-8")
}

/// Generic records: labelled paragraphs split into speaker and role and grouped into
/// turns, a record-level speaker over `text` split at blank lines, a date with a time,
/// a numeric id, a record with nothing but an id and text.
#[test]
fn generic_records() {
    let out: Vec<Transcript> = ingest::read("generic.jsonl", fixture("generic.jsonl").as_bytes())
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    insta::assert_json_snapshot!("generic", out);
}

/// What `stenogram ingest` writes for each transcript (`serde_json::to_vec_pretty`).
fn written(t: &Transcript) -> Vec<u8> {
    serde_json::to_vec_pretty(t).unwrap()
}

/// Every fixture's transcripts, written as ingest writes them, read back as `.json`
/// files and as one-line JSON-lines records, give the same bytes.
#[test]
fn ingest_output_round_trips() {
    let mut all: Vec<Transcript> = Vec::new();
    for name in [
        "qa.txt",
        "russian.txt",
        "header.txt",
        "markup.txt",
        "generic.jsonl",
    ] {
        all.extend(
            ingest::read(name, fixture(name).as_bytes())
                .into_iter()
                .map(Result::unwrap),
        );
    }
    #[cfg(feature = "html")]
    all.extend(
        ingest::read("page.html", fixture("page.html").as_bytes())
            .into_iter()
            .map(Result::unwrap),
    );
    all.extend(
        ingest::read("records.jsonl", fixture("records.jsonl").as_bytes())
            .into_iter()
            .filter_map(Result::ok),
    );
    assert!(all.len() >= 9, "{}", all.len());
    let mut lines = Vec::new();
    for t in &all {
        let bytes = written(t);
        let back = ingest::read(&format!("{}.json", t.id), &bytes);
        assert_eq!(back.len(), 1);
        let back = back.into_iter().next().unwrap().unwrap();
        assert_eq!(written(&back), bytes, "{}", t.id);
        lines.push(serde_json::to_string(t).unwrap());
    }
    let back = ingest::read("all.jsonl", lines.join("\n").as_bytes());
    let back: Vec<Transcript> = back.into_iter().map(Result::unwrap).collect();
    assert_eq!(back, all);
}

#[test]
fn other_schemas_and_empty_transcripts_are_refused() {
    let mut t = Transcript::new("a", "A");
    let json = serde_json::to_string(&t).unwrap();
    let e = ingest::read("a.json", json.as_bytes())
        .remove(0)
        .unwrap_err();
    assert!(e.to_string().contains("no paragraphs"), "{e}");
    t.summary = vec!["Text.".into()];
    t.schema = 2;
    let json = serde_json::to_string(&t).unwrap();
    let e = ingest::read("a.json", json.as_bytes())
        .remove(0)
        .unwrap_err();
    assert!(matches!(e, IngestError::Record { .. }), "{e}");
    assert!(e.to_string().contains("schema 2"), "{e}");
}
