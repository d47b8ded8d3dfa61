//! `stenogram plan` counts bytes on the wire as GitHub Pages sends them. Regression: it
//! counted every file gzipped, but Pages sends the binary index files (`.bin`, `.fst`) as
//! they are, so a first query's figures read 40 % light at 18k transcripts.

use std::io::Write as _;
use std::path::Path;

use assert_cmd::Command;
use stenogram_core::model::{Section, Transcript, Turn};

fn bundle(dir: &Path) -> std::path::PathBuf {
    let json = dir.join("json");
    std::fs::create_dir_all(&json).unwrap();
    for i in 0..40 {
        let mut t = Transcript::new(format!("t{i}"), format!("Talks number {i}"));
        t.date = Some(format!("20{:02}-03-01", 10 + i % 9));
        t.sections = vec![Section {
            heading: None,
            turns: vec![Turn {
                speaker: Some(format!("Speaker {}", i % 5)),
                paragraphs: vec![format!(
                    "Security and energy were discussed at meeting {i}; security of supply, \
                     negotiations on gas, and the security council."
                )],
                ..Turn::default()
            }],
        }];
        std::fs::write(
            json.join(format!("{}.json", t.id)),
            serde_json::to_string(&t).unwrap(),
        )
        .unwrap();
    }
    let out = dir.join("bundle");
    Command::cargo_bin("stenogram")
        .unwrap()
        .arg("build")
        .arg(&json)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out
}

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap().len() as u64
}

#[test]
fn json_counts_gzipped_and_binary_files_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle(dir.path());
    let out = Command::cargo_bin("stenogram")
        .unwrap()
        .arg("plan")
        .arg(&b)
        .args(["security", "negotiat*", "--files"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let (mut binary, mut json) = (0, 0);
    for line in text.lines() {
        // File lines: right-aligned bytes, two spaces, the path under the bundle root.
        let mut parts = line.split_whitespace();
        let (Some(n), Some(path), None) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(n), true) = (n.parse::<u64>(), line.starts_with(' ')) else {
            continue;
        };
        let bytes = std::fs::read(b.join(path)).unwrap();
        if path.ends_with(".json") {
            assert_eq!(n, gzip_len(&bytes), "{path}: gzipped");
            json += 1;
        } else {
            assert_eq!(n, bytes.len() as u64, "{path}: as it is");
            binary += 1;
        }
    }
    assert!(
        binary >= 3 && json >= 2,
        "{binary} binary, {json} JSON files\n{text}"
    );
    // The prefix reads a word-dictionary shard (index format 10), not a whole dictionary.
    assert!(text.contains("index/words/"), "{text}");
}
