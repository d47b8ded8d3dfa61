//! The seed transcript (`sample/cstu-council-2015.txt`) parses into exactly the
//! structure a reader relies on.

use stenogram_core::ingest::parse_text;

#[test]
fn seed_transcript_structure() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../sample/cstu-council-2015.txt"
    );
    let text = std::fs::read_to_string(path).expect("sample is in the repo");
    let t = parse_text("cstu-council-2015", &text, None).expect("parses");

    assert_eq!(t.id, "cstu-council-2015");
    assert_eq!(t.summary.len(), 3, "three lead paragraphs");
    assert_eq!(t.sections.len(), 1);
    let s = &t.sections[0];
    assert_eq!(
        s.heading.as_deref(),
        Some("Speech at CSTO Collective Security Council session")
    );
    assert_eq!(s.turns.len(), 1);
    let turn = &s.turns[0];
    assert_eq!(
        turn.label.as_deref(),
        Some("President of Russia Vladimir Putin")
    );
    assert_eq!(turn.speaker.as_deref(), Some("Vladimir Putin"));
    assert_eq!(turn.role.as_deref(), Some("President of Russia"));
    assert_eq!(turn.note, None);
    assert_eq!(turn.paragraphs.len(), 21);
    assert_eq!(turn.paragraphs[0], "Thank you, Mr Rahmon!");

    // The two trailing book adverts are dropped, and appear in no paragraph.
    assert_eq!(t.dropped.len(), 2);
    assert!(t
        .dropped
        .iter()
        .all(|d| d.starts_with("The Essential Saker")));
    assert!(t.paragraphs().all(|p| !p.text.contains("Essential Saker")));
    // No metadata in the file: nothing is invented.
    assert_eq!(t.source, None);
    assert_eq!(t.date, None);
    assert_eq!(t.lang.as_deref(), Some("en"));
    assert!(t.mentions.countries.iter().any(|m| m.name == "Syria"));
}
