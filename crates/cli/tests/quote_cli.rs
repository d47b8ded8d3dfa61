//! `stenogram quote` end to end on the bundled sample: ingest, build, then a verbatim
//! quote, an altered one (ellipsis, misspelling) and an invented one, as text and JSON.

use assert_cmd::Command;

fn stenogram() -> Command {
    Command::cargo_bin("stenogram").unwrap()
}

#[test]
fn quote_finds_verbatim_altered_and_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../sample");
    let json = dir.path().join("json");
    let bundle = dir.path().join("bundle");
    stenogram()
        .args(["ingest", sample, "--out"])
        .arg(&json)
        .assert()
        .success();
    stenogram()
        .arg("build")
        .arg(&json)
        .arg("--out")
        .arg(&bundle)
        .assert()
        .success();
    // A paragraph of the sample, from its own JSON: no text copied into the test.
    let file = std::fs::read_dir(&json)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let t: stenogram_core::Transcript =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let (index, para) = t
        .paragraphs()
        .map(|p| (p.index, p.text.to_string()))
        .find(|(_, p)| p.split_whitespace().count() > 30)
        .unwrap();
    let words: Vec<&str> = para.split_whitespace().collect();
    let verbatim = words[2..22].join(" ").to_uppercase();
    let run = |q: &str| -> serde_json::Value {
        let out = stenogram()
            .arg("quote")
            .arg(&bundle)
            .arg(q)
            .arg("--json")
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = run(&verbatim);
    let m = &v["matches"][0];
    assert_eq!(m["verdict"], "verbatim");
    assert_eq!(m["paragraph"], index);
    assert_eq!(m["id"], t.id);
    assert_eq!(m["coverage"], 1.0);
    assert_eq!(m["text"], para);
    let altered =
        format!("{} … {}", words[2..10].join(" "), words[14..24].join(" ")).replacen("e", "a", 1);
    let v = run(&altered);
    assert_eq!(v["matches"][0]["verdict"], "altered", "{v}");
    let diff = v["matches"][0]["diff"].as_array().unwrap();
    assert!(
        diff.iter()
            .any(|d| d["op"] == "omitted" && d["ellipsis"] == true),
        "{v}"
    );
    let v = run("Purple elephants negotiate quietly beneath frozen lighthouses every Tuesday");
    assert_eq!(v["matches"], serde_json::json!([]));
    let text = stenogram()
        .arg("quote")
        .arg(&bundle)
        .arg("Purple elephants negotiate quietly beneath frozen lighthouses every Tuesday")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("No passage in this corpus matches"));
}
