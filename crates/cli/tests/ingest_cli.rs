//! `stenogram ingest` end to end: the seed, and bad inputs that must fail with a
//! one-line error naming the file, a non-zero exit, and no half-written output.

use std::path::Path;

use assert_cmd::Command;

fn stenogram() -> Command {
    Command::cargo_bin("stenogram").expect("binary builds")
}

fn sample() -> &'static str {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../sample/cstu-council-2015.txt"
    )
}

fn json_files(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<String> = rd
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        }
        Err(_) => Vec::new(),
    }
}

/// Runs ingest on `input`, expects failure, and returns stderr.
fn fails(input: &Path, out: &Path) -> String {
    let o = stenogram()
        .args(["ingest"])
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(!o.status.success(), "must exit non-zero");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let first = err.lines().next().unwrap_or("");
    assert!(
        first.contains(&input.display().to_string()),
        "error names the file: {err}"
    );
    // Nothing but finished files (here: none at all) in the output folder.
    assert!(
        json_files(out).iter().all(|f| !f.starts_with(".tmp")),
        "{:?}",
        json_files(out)
    );
    assert!(json_files(out).is_empty(), "no output for a bad input");
    err
}

#[test]
fn seed_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = stenogram()
        .args(["ingest", sample(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("MB/s"));
    assert_eq!(json_files(&out), vec!["cstu-council-2015.json"]);
    let t: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("cstu-council-2015.json")).unwrap())
            .unwrap();
    assert_eq!(t["schema"], 1);
    assert_eq!(t["sections"][0]["turns"][0]["speaker"], "Vladimir Putin");
    assert_eq!(t["dropped"].as_array().unwrap().len(), 2);
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(&dir.path().join("nope.txt"), &dir.path().join("out"));
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn folder_without_transcripts() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("notes.pdf"), b"%PDF").unwrap();
    let err = fails(&empty, &dir.path().join("out"));
    assert!(err.contains("no transcripts"), "{err}");
}

#[test]
fn not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("latin1.txt");
    std::fs::write(&f, b"Vladimir Putin: Gr\xfc\xdfe.\n").unwrap();
    let err = fails(&f, &dir.path().join("out"));
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("empty.txt");
    std::fs::write(&f, b"").unwrap();
    let err = fails(&f, &dir.path().join("out"));
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn whitespace_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("blank.txt");
    std::fs::write(&f, b"\n \r\n\t\n* * *\n").unwrap();
    let err = fails(&f, &dir.path().join("out"));
    assert!(err.contains("no transcript text"), "{err}");
}

#[test]
fn bad_json_line_keeps_the_good_records() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("records.jsonl");
    let good = r#"{"id":"ARG_01_1946","country_iso":"ARG","country":"Argentina","session":1,"year":1946,"speaker":"Mr. Arce","post":"","text":"One.\n\nTwo."}"#;
    std::fs::write(&f, format!("{good}\n{{broken\n")).unwrap();
    let out = dir.path().join("out");
    let o = stenogram()
        .arg("ingest")
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        !o.status.success(),
        "a skipped line makes the exit status non-zero"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("{}:2: malformed JSON", f.display())),
        "{err}"
    );
    assert_eq!(json_files(&out), vec!["ARG_01_1946.json"]);
}

#[test]
fn binary_file_is_skipped_and_others_written() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("image.txt");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let out = dir.path().join("out");
    let o = stenogram()
        .arg("ingest")
        .arg(&bin)
        .arg(sample())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("binary"), "{err}");
    assert_eq!(json_files(&out), vec!["cstu-council-2015.json"]);
}
