//! Question and answer pairing at ingest (`ingest::qa`): fixtures of our own with several
//! questioners, outlets, a follow-up, an answer by two people and a moderator between
//! (snapshots), and a sanity check on the Kremlin corpus's transcripts with questions
//! (printed stats; skipped, saying why, without `../shared`).

use std::io::BufRead;

use stenogram_core::ingest::{self, jsonl, qa};
use stenogram_core::model::Transcript;

fn fixture(name: &str) -> Transcript {
    let path = format!("{}/tests/fixtures/qa/{name}", env!("CARGO_MANIFEST_DIR"));
    ingest::parse_text(name, &std::fs::read_to_string(path).unwrap(), None).unwrap()
}

/// (turn index, label, answers) per turn: the pairing at a glance.
fn pairs(t: &Transcript) -> Vec<String> {
    t.sections
        .iter()
        .flat_map(|s| &s.turns)
        .enumerate()
        .map(|(i, u)| {
            format!(
                "{i} {} -> {}",
                u.label.as_deref().unwrap_or("(no label)"),
                u.answers.map_or("-".into(), |a| a.to_string())
            )
        })
        .collect()
}

#[test]
fn press_conference_pairs_questions_and_answers() {
    let t = fixture("press_conference.txt");
    insta::assert_yaml_snapshot!("press_conference_turns", pairs(&t));
    let qs = qa::questions(&t);
    insta::assert_yaml_snapshot!("press_conference_questions", qs);
    // The moderator between the first question and its answer is skipped.
    assert_eq!(qs[0].answerers, vec!["Vladimir Putin"]);
    // The follow-up by the same outlet links to the first question.
    assert_eq!(qs[1].follows, Some(qs[0].turn));
    assert_eq!(qs[1].outlet.as_deref(), Some("Reuters"));
    // Two people answer the journalist's question; the "Remark" after is no answer.
    assert_eq!(qs[2].answerers, vec!["Vladimir Putin", "Yevgeny Ditrikh"]);
    assert_eq!(qs[2].answers.len(), 3);
    assert_eq!(qs[3].asker, "Question from Perm Territory");
    assert_eq!(qs[3].follows, None);
}

#[test]
fn interview_with_q_labels_and_an_interpreter() {
    let t = fixture("interview.txt");
    insta::assert_yaml_snapshot!("interview_turns", pairs(&t));
    let qs = qa::questions(&t);
    assert_eq!(qs.len(), 2);
    assert_eq!(
        qs[0].answers.len(),
        2,
        "the interpreter between is passed over"
    );
    assert_eq!(qs[1].follows, None, "a generic label names no questioner");
}

#[test]
fn json_without_answers_is_unchanged() {
    let t = fixture("interview.txt");
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(json.matches("\"answers\"").count(), 3);
    let back: Transcript = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    let mut plain = t.clone();
    for u in plain.sections.iter_mut().flat_map(|s| &mut s.turns) {
        u.answers = None;
    }
    assert!(!serde_json::to_string(&plain).unwrap().contains("answers"));
}

#[test]
fn kremlin_press_conferences_sanity() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/kremlin_en/kremlin_en_2000-2020.jsonl.gz");
    let Ok(f) = std::fs::File::open(&path) else {
        eprintln!("skipped: ../shared/corpus/kremlin_en is not present");
        return;
    };
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
    let (mut docs, mut with_q, mut questions, mut answered, mut two) = (0, 0, 0, 0, 0);
    let mut conferences = 0;
    let mut shown = 0;
    for (i, line) in r.lines().enumerate() {
        let line = line.unwrap();
        // One record in 5 keeps a debug-mode run quick.
        if i % 5 != 0 {
            continue;
        }
        let Ok(t) = jsonl::parse_record(&line, i + 1) else {
            continue;
        };
        docs += 1;
        let qs = qa::questions(&t);
        if qs.is_empty() {
            continue;
        }
        with_q += 1;
        let title = t.title.to_lowercase();
        if title.contains("press conference") || title.contains("news conference") {
            conferences += 1;
        }
        questions += qs.len();
        answered += qs.iter().filter(|q| !q.answers.is_empty()).count();
        two += qs.iter().filter(|q| q.answerers.len() > 1).count();
        if shown < 3 && qs.len() >= 5 {
            shown += 1;
            let un = qs.iter().filter(|q| q.answers.is_empty()).count();
            println!(
                "{}: {} questions, {} unanswered; answerers of the first: {:?}",
                t.title,
                qs.len(),
                un,
                qs[0].answerers
            );
        }
    }
    let share = answered as f64 / questions.max(1) as f64;
    println!(
        "Kremlin sample: {docs} transcripts, {with_q} with questions ({conferences} press/news conferences), \
         {questions} questions, {:.1}% answered, {two} answered by two or more",
        share * 100.0
    );
    assert!(with_q > 0 && share > 0.8, "answered share {share}");
}
