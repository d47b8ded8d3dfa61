//! `stenogram kwic | trend | collocates | keyness` on a small built bundle whose
//! figures are counted by hand in the comments.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use stenogram_core::model::{Section, Transcript, Turn};

fn stenogram() -> Command {
    Command::cargo_bin("stenogram").expect("binary builds")
}

fn turn(speaker: Option<&str>, paragraphs: &[&str]) -> Turn {
    Turn {
        label: speaker.map(str::to_owned),
        speaker: speaker.map(str::to_owned),
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    }
}

fn doc(id: &str, date: &str, title: &str, summary: &[&str], turns: Vec<Turn>) -> Transcript {
    let mut t = Transcript::new(id, title);
    t.date = Some(date.into());
    t.summary = summary.iter().map(|s| s.to_string()).collect();
    t.sections = vec![Section {
        heading: None,
        turns,
    }];
    t
}

/// Four transcripts. "security": t1 has 5 (title 1, summary 1, paragraph 3), t2 1,
/// t4 1. Words: t1 3 + 2 + 7 = 12; t2 3 + 6 = 9; t3 1 + 2 = 3; t4 1 + 4 = 5.
fn bundle(dir: &Path) -> std::path::PathBuf {
    let docs = [
        doc(
            "t1",
            "2015-03-01",
            "Talks on security",
            &["Security matters."],
            vec![turn(
                Some("Vladimir Putin"),
                &["Collective security is the goal. Security, security."],
            )],
        ),
        doc(
            "t2",
            "2016-05-02",
            "Oil and gas",
            &[],
            vec![turn(
                Some("Angela Merkel"),
                &["Gas prices and security of supply."],
            )],
        ),
        doc(
            "t3",
            "2016-07-09",
            "Peace",
            &[],
            vec![turn(Some("Vladimir Putin"), &["Peace talks."])],
        ),
        doc(
            "t4",
            "2017-01-01",
            "Risk",
            &[],
            vec![turn(Some("@evil"), &["=SUM(A1) security risk"])],
        ),
    ];
    let json = dir.join("json");
    std::fs::create_dir_all(&json).unwrap();
    for d in &docs {
        std::fs::write(
            json.join(format!("{}.json", d.id)),
            serde_json::to_string(d).unwrap(),
        )
        .unwrap();
    }
    let out = dir.join("bundle");
    stenogram()
        .arg("build")
        .arg(&json)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out
}

fn json_of(args: &[&str], b: &Path) -> Value {
    let out = stenogram()
        .arg(args[0])
        .arg(b)
        .args(&args[1..])
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_workbench_commands_give_the_hand_counted_figures() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle(dir.path());

    let k = json_of(&["kwic", "security", "--limit", "3"], &b);
    assert_eq!(k["total"], 7);
    let lines = k["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    // Date order, then reading order: t1's title, its summary, its first paragraph.
    assert_eq!(lines[0]["id"], "t1");
    assert_eq!(lines[0]["paragraph"], Value::Null);
    assert_eq!(lines[0]["left"], "Talks on");
    assert_eq!(lines[0]["match"], "security");
    assert_eq!(lines[1]["paragraph"], 0);
    assert_eq!(lines[1]["right"], "matters");
    assert_eq!(lines[2]["paragraph"], 1);
    assert_eq!(lines[2]["speaker"], "Vladimir Putin");
    assert_eq!(lines[2]["date"], "2015-03-01");
    assert_eq!(lines[2]["left"], "Collective");

    let k = json_of(&["kwic", "\"collective security\"", "--sort", "right1"], &b);
    assert_eq!(k["total"], 1);
    assert_eq!(k["lines"][0]["match"], "Collective security");
    assert_eq!(k["lines"][0]["right"], "is the goal. Security, security");
    let k = json_of(&["kwic", "secur*", "--sort", "left1", "--limit", "1"], &b);
    assert_eq!(k["total"], 7);
    // By the word to the left: the summary's "Security" has none, so it leads.
    assert_eq!(k["lines"][0]["paragraph"], 0);

    let t = json_of(&["trend", "security"], &b);
    let keys: Vec<(String, u64, u64, u64)> = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap().to_string(),
                b["docs"].as_u64().unwrap(),
                b["hits"].as_u64().unwrap(),
                b["words"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        vec![
            ("2015".into(), 1, 5, 12),
            ("2016".into(), 1, 1, 12),
            ("2017".into(), 1, 1, 5)
        ]
    );
    let t = json_of(&["trend", "security", "peace", "--by", "month"], &b);
    let series = t.as_array().unwrap();
    assert_eq!(series.len(), 2);
    assert_eq!(series[1]["query"], "peace");
    let july = series[1]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == "2016-07")
        .unwrap()
        .clone();
    assert_eq!(
        (
            july["docs"].as_u64(),
            july["hits"].as_u64(),
            july["words"].as_u64()
        ),
        (Some(1), Some(2), Some(3))
    );

    let c = json_of(
        &["collocates", "security", "--window", "2", "--min-freq", "1"],
        &b,
    );
    let rows = c["rows"].as_array().unwrap();
    let collective = rows.iter().find(|r| r["word"] == "collective").unwrap();
    assert_eq!(collective["cooc"], 1);
    assert_eq!(collective["stop"], false);
    assert_eq!(c["node_hits"], 7);

    let k = json_of(
        &["keyness", "speaker:\"Vladimir Putin\"", "--min-freq", "1"],
        &b,
    );
    // The set is t1 and t3: 15 words, against 14.
    assert_eq!(
        (k["set_words"].as_u64(), k["rest_words"].as_u64()),
        (Some(15), Some(14))
    );
    let over: Vec<&str> = k["over"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["word"].as_str().unwrap())
        .collect();
    assert!(over.contains(&"peace"), "{over:?}");
}

#[test]
fn csv_is_quoted_and_formula_safe_and_bad_input_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle(dir.path());
    let out = stenogram()
        .args(["kwic"])
        .arg(&b)
        .args(["security OR risk", "--csv", "--sort", "date"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("id,paragraph,speaker,date,left,match,right\r\n"),
        "{csv}"
    );
    // t4's speaker starts with "@", which a spreadsheet would run as a formula.
    assert!(
        csv.contains("t4,0,'@evil,2017-01-01,SUM(A1),security,risk\r\n"),
        "{csv}"
    );
    assert!(csv.contains("\"is the goal. Security, security\""), "{csv}");

    let out = stenogram()
        .args(["kwic"])
        .arg(&b)
        .arg("\"unclosed")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = stenogram()
        .args(["trend"])
        .arg(dir.path().join("nowhere"))
        .arg("x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("stenogram build"));
}
