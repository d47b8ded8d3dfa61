//! `stenogram pages` on a built bundle: a reading page per transcript with a plain-file
//! id, on the site's own shell, and never a file of a folder it did not write.

use std::path::Path;

use assert_cmd::Command;

fn stenogram() -> Command {
    Command::cargo_bin("stenogram").expect("binary builds")
}

const SHELL: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head>\n<meta name=\"description\" content=\"x\" />\n<title>Stenogram</title>\n<base href=\"/s/\" />\n</head><body><div id=\"boot\" class=\"boot\" role=\"status\">Loading Stenogram…</div></body></html>\n";

fn transcript(id: &str, title: &str) -> String {
    format!(
        r#"{{"schema":1,"id":"{id}","title":"{title}","date":"2020-01-0{}","summary":["Talks about Syria."],"sections":[]}}"#,
        id.len() % 9 + 1
    )
}

/// A site folder holding `index.html` and a bundle of `ids` in `corpus/`.
fn site(dir: &Path, ids: &[&str]) {
    site_packed(dir, ids, None)
}

/// [`site`] with transcripts packed `pack_bytes` to a file.
fn site_packed(dir: &Path, ids: &[&str], pack_bytes: Option<&str>) {
    let json = dir.join("json");
    std::fs::create_dir_all(&json).unwrap();
    for (i, id) in ids.iter().enumerate() {
        std::fs::write(
            json.join(format!("{i}.json")),
            transcript(id, &format!("Title {id}")),
        )
        .unwrap();
    }
    let site = dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), SHELL).unwrap();
    let mut build = stenogram();
    let corpus = site.join("corpus");
    build.args([
        "build",
        json.to_str().unwrap(),
        "--out",
        corpus.to_str().unwrap(),
    ]);
    if let Some(n) = pack_bytes {
        build.args(["--pack-bytes", n]);
    }
    build.assert().success();
}

#[test]
fn every_plain_id_gets_its_page_and_a_second_run_replaces_them() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), &["a-1", "b_2.x", "has space"]);
    let s = dir.path().join("site");
    let out = stenogram()
        .args(["pages", "--site", s.to_str().unwrap()])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("2 reading pages"), "{err}");
    assert!(
        err.contains("1 transcripts have ids that are not plain file names"),
        "{err}"
    );
    let page = std::fs::read_to_string(s.join("t/a-1.html")).unwrap();
    assert!(
        page.contains("<title>Title a-1 · Stenogram</title>"),
        "{page}"
    );
    assert!(page.contains("<p class=\"para lead\" id=\"p-0\">Talks about Syria.</p>"));
    assert!(page.contains("<base href=\"/s/\" />"));
    assert!(s.join("t/b_2.x.html").is_file());
    // Again: the same bytes, nothing stale kept.
    std::fs::write(s.join("t/gone.html"), "old").unwrap();
    stenogram()
        .args(["pages", "--site", s.to_str().unwrap()])
        .assert()
        .success();
    assert!(!s.join("t/gone.html").exists());
    assert_eq!(std::fs::read_to_string(s.join("t/a-1.html")).unwrap(), page);
    // A site built without them (`cargo xtask dist --no-pages`): none left.
    stenogram()
        .args(["pages", "--site", s.to_str().unwrap(), "--clear"])
        .assert()
        .success();
    assert!(!s.join("t").exists());
}

#[test]
fn a_t_folder_holding_anything_else_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), &["a-1"]);
    let s = dir.path().join("site");
    std::fs::create_dir_all(s.join("t")).unwrap();
    std::fs::write(s.join("t/notes.txt"), "mine").unwrap();
    let out = stenogram()
        .args(["pages", "--site", s.to_str().unwrap()])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("notes.txt"), "{err}");
    assert_eq!(
        std::fs::read_to_string(s.join("t/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_site_without_its_shell_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), &["a-1"]);
    let s = dir.path().join("site");
    std::fs::write(
        s.join("index.html"),
        "<html><head><title>x</title></head><body></body></html>",
    )
    .unwrap();
    let out = stenogram()
        .args(["pages", "--site", s.to_str().unwrap()])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("cargo xtask dist"), "{err}");
}

#[test]
fn transcripts_packed_together_each_get_their_page() {
    let dir = tempfile::tempdir().unwrap();
    let ids = ["a", "b", "c", "d", "e"];
    site_packed(dir.path(), &ids, Some("300"));
    let s = dir.path().join("site");
    stenogram()
        .args(["pages", "--site", s.to_str().unwrap()])
        .assert()
        .success();
    for id in ids {
        let page = std::fs::read_to_string(s.join(format!("t/{id}.html"))).unwrap();
        assert!(page.contains(&format!("<h1>Title {id}</h1>")), "{page}");
    }
}
