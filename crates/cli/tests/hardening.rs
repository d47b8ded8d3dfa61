//! Bad input to the CLI (issue 12, item 3). Each test names the defect it pins; each
//! fails on the code before the fix.

use std::io::Write;
use std::path::Path;

use assert_cmd::Command;

fn stenogram() -> Command {
    Command::cargo_bin("stenogram").expect("binary builds")
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn transcript(id: &str, date: &str) -> String {
    format!(
        r#"{{"schema":1,"id":"{id}","title":"T {id}","date":"{date}","time":null,"place":null,"kind":null,"source":null,"summary":["Talks about Syria."],"sections":[]}}"#
    )
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Regression: a small `.gz` inflating past any sane size was read whole into memory
/// (a gzip bomb). Now: a clear error naming the limit, other files still written.
#[test]
fn a_gzip_bomb_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.txt.gz");
    std::fs::write(&bomb, gz(&vec![b'a'; 8 << 20])).unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 64 << 10);
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "Vladimir Putin: Good afternoon.\n").unwrap();
    let out = dir.path().join("out");
    let o = stenogram()
        .args(["ingest", "--max-file-bytes", "1000000"])
        .arg(&bomb)
        .arg(&good)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bomb.txt.gz") && err.contains("--max-file-bytes"),
        "{err}"
    );
    assert_eq!(names(&out), vec!["good.json"]);
}

/// Regression: one huge file was read whole before any check.
#[test]
fn a_huge_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, vec![b'a'; 2 << 20]).unwrap();
    let o = stenogram()
        .args(["ingest", "--max-file-bytes", "1000000"])
        .arg(&big)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("big.txt") && err.contains("--max-file-bytes"),
        "{err}"
    );
}

/// Regression: a gzipped JSON-lines file with one endless line was inflated whole.
/// Lines are read one at a time within `--max-line-bytes`; the records around it
/// are still written.
#[test]
fn an_overlong_json_line_is_skipped_and_the_others_written() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("records.jsonl.gz");
    let mut text = r#"{"id":"a","text":"One."}"#.to_string() + "\n";
    text.push_str(&"x".repeat(4 << 20));
    text.push_str("\n{\"id\":\"b\",\"text\":\"Two.\"}\n");
    std::fs::write(&f, gz(text.as_bytes())).unwrap();
    let out = dir.path().join("out");
    let o = stenogram()
        .args(["ingest", "--max-line-bytes", "100000"])
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "{}:2: record longer than 100000 bytes",
            f.display()
        )),
        "{err}"
    );
    assert_eq!(names(&out), vec!["a.json", "b.json"]);
}

/// Regression: ids were compared only between neighbours after a sort by date, so the
/// same id with two dates got through and one transcript was unreachable. Build now
/// refuses, naming both files.
#[test]
fn build_refuses_one_id_with_two_dates() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("json");
    std::fs::create_dir(&json).unwrap();
    std::fs::write(json.join("a.json"), transcript("x", "2001-01-01")).unwrap();
    std::fs::write(json.join("b.json"), transcript("y", "2010-01-01")).unwrap();
    std::fs::write(json.join("c.json"), transcript("x", "2020-01-01")).unwrap();
    let o = stenogram()
        .arg("build")
        .arg(&json)
        .arg("--out")
        .arg(dir.path().join("bundle"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("a.json") && err.contains("c.json") && err.contains("\"x\""),
        "{err}"
    );
    assert!(!dir.path().join("bundle").exists());
}

/// Ingest: the second record with an id already written is skipped, naming the first.
#[test]
fn ingest_skips_a_repeated_id_naming_both_sources() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.jsonl");
    std::fs::write(
        &f,
        "{\"id\":\"x\",\"date\":\"2001-01-01\",\"text\":\"One.\"}\n{\"id\":\"x\",\"date\":\"2020-01-01\",\"text\":\"Two.\"}\n",
    )
    .unwrap();
    let o = stenogram()
        .arg("ingest")
        .arg(&f)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("already written from"), "{err}");
}

fn build(input: &Path, out: &Path) -> std::process::Output {
    stenogram()
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Regression: `stenogram build --out .` in a repository deleted its `docs/` folder.
/// A non-empty folder that is not a bundle is refused and left untouched.
#[test]
fn build_never_deletes_a_folder_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("json");
    std::fs::create_dir(&json).unwrap();
    std::fs::write(json.join("a.json"), transcript("a", "2001-01-01")).unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join("docs")).unwrap();
    std::fs::write(repo.join("docs/guide.md"), "keep me").unwrap();
    std::fs::write(repo.join("README.md"), "keep me").unwrap();
    let o = build(&json, &repo);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(repo.join("docs/guide.md")).unwrap(),
        "keep me"
    );
    assert_eq!(names(&repo), vec!["README.md", "docs"]);
}

/// A rebuild replaces the previous bundle whole (no stale file lingers), files are
/// 0644, and a failed build leaves the previous bundle as it was.
#[test]
fn build_swaps_the_bundle_in_whole() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("json");
    std::fs::create_dir(&json).unwrap();
    std::fs::write(json.join("a.json"), transcript("a", "2001-01-01")).unwrap();
    let out = dir.path().join("bundle");
    assert!(build(&json, &out).status.success());
    let before = std::fs::read(out.join("manifest.json")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("manifest.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    // A failed build (a broken input) leaves the previous bundle intact.
    std::fs::write(json.join("b.json"), "{not json").unwrap();
    assert!(!build(&json, &out).status.success());
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), before);
    // A good rebuild replaces it: the old pack is gone, nothing is left beside it.
    std::fs::write(json.join("b.json"), transcript("b", "2002-01-01")).unwrap();
    let old_packs = names(&out.join("docs"));
    assert!(build(&json, &out).status.success());
    assert_ne!(std::fs::read(out.join("manifest.json")).unwrap(), before);
    assert_ne!(names(&out.join("docs")), old_packs);
    assert_eq!(
        names(&out),
        vec!["docs", "ids", "index", "manifest.json", "rows"]
    );
    assert_eq!(names(dir.path()), vec!["bundle", "json"]);
}

/// Regression: a symbolic link to a folder outside the input was followed, and a
/// loop was walked until the path was too long. Now: neither is entered, each is
/// reported once, and the files inside the input are still read.
#[cfg(unix)]
#[test]
fn links_out_of_the_input_and_loops_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(input.join("sub/a.txt"), "Vladimir Putin: Good afternoon.\n").unwrap();
    std::fs::write(outside.join("secret.txt"), "Vladimir Putin: Secret.\n").unwrap();
    std::os::unix::fs::symlink(&outside, input.join("escape")).unwrap();
    std::os::unix::fs::symlink(&input, input.join("sub/loop")).unwrap();
    let out = dir.path().join("out");
    let o = stenogram()
        .arg("ingest")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(names(&out), vec!["a.json"], "{err}");
    assert_eq!(err.matches("not followed").count(), 1, "{err}");
    assert_eq!(err.matches("symbolic link loop").count(), 1, "{err}");
    assert!(
        !o.status.success(),
        "skipped links are reported in the status"
    );
    // Asked to, it follows the link out.
    let o = stenogram()
        .args(["ingest", "--follow-links"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(names(&out).contains(&"secret.json".to_string()), "{o:?}");
}

/// Regression: a panic while parsing one record ended the whole run. Now it is
/// reported for that record, the others are written, and the exit status is non-zero.
/// (`STENOGRAM_TEST_PANIC_ID` makes a debug build panic on that transcript.)
#[test]
fn a_panic_in_one_record_does_not_end_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.jsonl");
    std::fs::write(
        &f,
        "{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"boom\",\"text\":\"Two.\"}\n{\"id\":\"c\",\"text\":\"Three.\"}\n",
    )
    .unwrap();
    let t = dir.path().join("boom.txt");
    std::fs::write(&t, "---\nid: boom2\n---\nVladimir Putin: Hello.\n").unwrap();
    let out = dir.path().join("out");
    for id in ["boom", "boom2"] {
        let o = stenogram()
            .env("STENOGRAM_TEST_PANIC_ID", id)
            .arg("ingest")
            .arg(&f)
            .arg(&t)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("internal error"), "{err}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("1 skipped"),
            "{o:?}"
        );
    }
    let all = names(&out);
    for f in ["a.json", "c.json"] {
        assert!(all.contains(&f.to_string()), "{all:?}");
    }
}
