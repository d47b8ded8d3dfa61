//! Unit tests of `query`.
//!
//! Kept beside the module in a file of their own, so that each reads in one sitting.

use super::*;

fn w(s: &str) -> Node {
    match parse(s).unwrap().root.unwrap() {
        n @ Node::Word(_) => n,
        other => panic!("{other:?}"),
    }
}

#[test]
fn or_binds_tighter_than_and() {
    let q = parse("a b OR c d").unwrap();
    match q.root.unwrap() {
        Node::And(v) => {
            assert_eq!(v.len(), 3);
            assert!(matches!(&v[1], Node::Or(o) if o.len() == 2));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(parse("x or y").unwrap(), parse("x OR y").unwrap());
}

#[test]
fn negation_phrase_prefix_field() {
    let q =
        parse(r#"-"collective security" negotiat* Speaker:"Vladimir Putin" date:2015-09"#).unwrap();
    assert_eq!(q.speakers.len(), 1);
    assert_eq!(q.speakers[0].folded, vec!["vladimir", "putin"]);
    match q.root.unwrap() {
        Node::And(v) => {
            assert!(matches!(&v[0], Node::Not(b) if matches!(**b, Node::Phrase(_))));
            assert!(matches!(&v[1], Node::Word(Word { prefix: true, .. })));
            assert_eq!(
                v[2],
                Node::Date(DateRange {
                    lo: 20150900,
                    hi: 20150999
                })
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(w("Russia’s"), Node::Word(Word { ref term, .. }) if term == "russia"));
}

#[test]
fn date_ranges() {
    let d = |s: &str| parse_date(s, (0, 0));
    assert_eq!(
        d("2015-09-01..2016-03-31").unwrap(),
        DateRange {
            lo: 20150901,
            hi: 20160331
        }
    );
    assert_eq!(
        d("2015..").unwrap(),
        DateRange {
            lo: 20150000,
            hi: 99_999_999
        }
    );
    assert!(d("2015-13").is_err());
    assert!(d("2016..2015").is_err());
    assert!(d("..").is_err());
    assert!(d("15").is_err());
}

#[test]
fn malformed_input_is_an_error_with_a_span() {
    for (q, span) in [
        ("\"open", (0, 5)),
        ("a OR", (2, 4)),
        ("OR a", (0, 2)),
        ("(a", (0, 1)),
        ("a)", (1, 2)),
        ("foo:bar", (0, 4)),
        ("date:soon", (0, 9)),
        ("speaker:", (8, 8)),
        ("a b*c*", (2, 6)),
    ] {
        let e = parse(q).unwrap_err();
        assert_eq!(e.span, span, "{q}: {e}");
    }
    assert!(parse(&"a ".repeat(600)).is_err());
    assert!(parse(&"w ".repeat(65)).is_err());
    assert!(parse(&"(".repeat(40)).is_err());
}

#[test]
fn empty_and_punctuation_only_queries_browse() {
    assert_eq!(parse("").unwrap(), Query::default());
    assert_eq!(parse("  & — ").unwrap(), Query::default());
    assert!(parse("12:00").unwrap().root.is_some());
}

#[test]
fn every_query_facet_is_a_field_and_year_is_not() {
    for f in Facet::ALL {
        let q = parse(&format!("{}:x", f.name()));
        if f.in_query() {
            let q = q.unwrap();
            assert!(
                matches!(&q.root, Some(Node::Field(g, _)) if *g == f) || q.speakers.len() == 1,
                "{f}"
            );
        } else {
            assert!(
                q.unwrap_err().message.contains("fields are speaker:"),
                "{f}"
            );
        }
    }
    let e = parse("foo:bar").unwrap_err();
    assert_eq!(
        e.message,
        "unknown field foo: (fields are speaker:, place:, topic:, kind:, mentions:, country:, date:, in:)"
    );
}

#[test]
fn in_answers_and_in_questions_scope_the_query() {
    let q = parse(r#"speaker:"Vladimir Putin" in:answers sanctions"#).unwrap();
    assert_eq!(q.roles, vec![TurnRole::Answer]);
    assert_eq!(q.speakers.len(), 1);
    assert!(matches!(q.root, Some(Node::Word(_))));
    let q = parse("IN:Questions in:answers in:questions").unwrap();
    assert_eq!(q.roles, vec![TurnRole::Question, TurnRole::Answer]);
    assert_eq!(q.root, None);
    assert_eq!(parse("in:answers").unwrap().roles, vec![TurnRole::Answer]);
    assert!(parse("answers").unwrap().roles.is_empty());
}

#[test]
fn a_bad_or_nested_in_is_an_error_naming_the_valid_ones() {
    let e = parse("war in:speeches").unwrap_err();
    assert_eq!(e.span, (4, 15));
    assert!(
        e.message.contains("in:answers or in:questions"),
        "{}",
        e.message
    );
    assert!(parse("in:").unwrap_err().message.contains("in:answers"));
    for (q, span) in [
        ("-in:answers", (1, 11)),
        ("(war in:answers)", (5, 15)),
        ("war OR in:answers", (7, 17)),
        ("in:answers OR war", (0, 10)),
        ("a OR b OR in:questions", (10, 22)),
    ] {
        let e = parse(q).unwrap_err();
        assert_eq!(e.span, span, "{q}: {e}");
        assert!(e.message.contains("whole query"), "{q}: {e}");
    }
}
