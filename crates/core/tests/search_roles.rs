//! `in:answers` and `in:questions` on a press briefing through ingest: the pairing that
//! ingest writes scopes search, snippets and the concordance to answer or question
//! turns, alone or with a speaker (issue 15 §3). The fixture is the e2e suite's invented
//! briefing: two questioners, a follow-up, an answer by two people, a moderator between.

mod common;

use stenogram_core::ingest;
use stenogram_core::model::Transcript;
use stenogram_core::search::{parse, Filters, Index, SearchOptions};
use stenogram_core::workbench::kwic::{Concordance, KwicOptions};

fn briefing() -> Transcript {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../e2e/fixtures/press-briefing-2018.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    ingest::parse_text("press-briefing-2018", &text, None).unwrap()
}

/// Whether `q` finds the briefing.
fn finds(ix: &Index, q: &str) -> bool {
    let res = ix
        .search(&parse(q).unwrap(), &SearchOptions::default())
        .unwrap();
    res.total == 1
}

/// The text of the paragraphs `q`'s snippets come from.
fn snippet_paragraphs(ix: &Index, t: &Transcript, q: &str) -> Vec<String> {
    let m = ix.matcher(&parse(q).unwrap()).unwrap();
    let texts: Vec<&str> = t.paragraphs().map(|p| p.text).collect();
    m.snippets(t, 10)
        .iter()
        .map(|s| texts[s.paragraph].to_string())
        .collect()
}

#[test]
fn answers_and_questions_scope_search_alone_and_with_a_speaker() {
    let t = briefing();
    let ix = common::load(std::slice::from_ref(&t));
    for (q, want) in [
        ("prices", true),
        ("in:answers prices", true),
        ("in:questions prices", true),
        (r#"speaker:"Anna Lebedeva" in:answers prices"#, true),
        (r#"speaker:"Pavel Orlov" in:answers prices"#, false),
        (r#"speaker:"Pavel Orlov" in:answers discount"#, true),
        // The governor's opening statement answers nothing; the question names ferries.
        ("ferries", true),
        ("in:answers ferries", false),
        ("in:questions ferries", true),
        ("in:answers harbour company", true),
        (r#"in:questions "cargo terminal""#, true),
        (r#"in:answers "cargo terminal""#, true),
        (r#"speaker:"Pavel Orlov" in:questions cargo"#, false),
        // The moderator between asks nothing and answers nothing.
        ("question", true),
        ("in:answers question", false),
        ("in:questions question", false),
        // Exclusions too are looked for in the scope only.
        ("in:answers -prices", false),
        ("in:answers -ferries", true),
        ("in:answers in:questions ferries", true),
        // Titles and summaries are in no turn.
        ("in:answers reconstruction journalists", false),
    ] {
        assert_eq!(finds(&ix, q), want, "{q}");
    }
}

#[test]
fn snippets_and_concordance_keep_to_the_scope() {
    let t = briefing();
    let ix = common::load(std::slice::from_ref(&t));
    let answers = snippet_paragraphs(&ix, &t, "in:answers prices");
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(answers[0].starts_with("No. Prices stay"), "{answers:?}");
    let questions = snippet_paragraphs(&ix, &t, "in:questions prices");
    assert_eq!(questions.len(), 1, "{questions:?}");
    assert!(questions[0].contains("ticket prices"), "{questions:?}");
    let both = snippet_paragraphs(&ix, &t, "prices");
    assert_eq!(both.len(), 2);

    let q = parse("in:answers cargo").unwrap();
    let mut c = Concordance::new(&ix, &q, &Filters::default(), KwicOptions::default()).unwrap();
    for d in c.needs() {
        c.feed(d, &t);
    }
    let page = c.page();
    assert_eq!(
        page.total,
        Some(1),
        "only the answer's cargo, not the question's"
    );
    assert!(page.lines[0].right.contains("terminal opens"));
}
