//! `stenogram ingest` round-trips: ingesting a folder of its own output (schema-1 JSON)
//! writes byte-identical files.

use assert_cmd::Command;

fn ingest(input: &std::path::Path, out: &std::path::Path) {
    let o = Command::cargo_bin("stenogram")
        .unwrap()
        .arg("ingest")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
}

#[test]
fn ingest_of_ingest_output_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw");
    std::fs::create_dir(&raw).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../sample/cstu-council-2015.txt"
        ),
        raw.join("cstu-council-2015.txt"),
    )
    .unwrap();
    std::fs::write(
        raw.join("records.jsonl"),
        "{\"id\":\"g1\",\"title\":\"Talks\",\"date\":\"2015-09-15\",\"place\":\"Sochi\",\"text\":\"One.\\n\\nTwo.\"}\n{\"id\":\"g2\",\"speaker\":\"Host\",\"paragraphs\":[\"Hello.\",{\"speaker\":\"Guest\",\"text\":\"Hi.\"}]}\n",
    )
    .unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    ingest(&raw, &one);
    ingest(&one, &two);
    let mut names: Vec<_> = std::fs::read_dir(&one)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    for n in names {
        assert_eq!(
            std::fs::read(one.join(&n)).unwrap(),
            std::fs::read(two.join(&n)).unwrap(),
            "{n:?}"
        );
    }
}
