//! The workbench's views on a hand-made transcript: line layout, the title marker,
//! speaker scopes, the `near` filter of a collocation, dispersion, trends' empty
//! buckets, and CSV.

mod common;

use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::search::{parse, Filters, Index};
use stenogram_core::workbench::colloc::{CollocOptions, Collocates};
use stenogram_core::workbench::dispersion::dispersion;
use stenogram_core::workbench::kwic::{self, Concordance, KwicOptions, KwicPage, Near};

fn corpus() -> Vec<Transcript> {
    let mut t = Transcript::new("a", "Gas and oil");
    t.date = Some("2015-09-15".into());
    t.summary = vec!["Talks on gas prices.".into()];
    t.sections = vec![Section {
        heading: None,
        turns: vec![
            Turn {
                speaker: Some("Vladimir Putin".into()),
                paragraphs: vec![
                    "We discussed gas supplies to Europe and the price of gas.".into(),
                    "Nothing else.".into(),
                ],
                ..Default::default()
            },
            Turn {
                speaker: Some("Angela Merkel".into()),
                paragraphs: vec!["Gas transit matters to us.".into()],
                ..Default::default()
            },
        ],
    }];
    let mut u = Transcript::new("b", "Peace");
    u.date = Some("2017-01-02".into());
    u.summary = vec!["No fuel here.".into()];
    vec![t, u]
}

/// (paragraph, speaker, left, match, right).
type Row<'a> = (Option<usize>, Option<&'a str>, &'a str, &'a str, &'a str);

fn page(ix: &Index, docs: &[Transcript], q: &str, opts: KwicOptions) -> KwicPage {
    let mut c = Concordance::new(ix, &parse(q).unwrap(), &Filters::default(), opts).unwrap();
    for d in c.needs() {
        c.feed(d, &docs[d as usize]);
    }
    c.page()
}

#[test]
fn lines_carry_paragraph_speaker_and_aligned_context() {
    let docs = corpus();
    let ix = common::load(&docs);
    let p = page(&ix, &docs, "gas", KwicOptions::default());
    assert_eq!(p.total, Some(5));
    let got: Vec<Row> = p
        .lines
        .iter()
        .map(|l| {
            (
                l.paragraph,
                l.speaker.as_deref(),
                l.left.as_str(),
                l.matched.as_str(),
                l.right.as_str(),
            )
        })
        .collect();
    let putin = Some("Vladimir Putin");
    assert_eq!(
        got,
        vec![
            (None, None, "", "Gas", "and oil"),
            (Some(0), None, "Talks on", "gas", "prices"),
            (
                Some(1),
                putin,
                "We discussed",
                "gas",
                "supplies to Europe and the price of gas"
            ),
            (
                Some(1),
                putin,
                "gas supplies to Europe and the price of",
                "gas",
                ""
            ),
            (
                Some(3),
                Some("Angela Merkel"),
                "",
                "Gas",
                "transit matters to us"
            ),
        ]
    );
    // Paged: the second line alone.
    let o = KwicOptions {
        offset: 1,
        limit: 1,
        ..KwicOptions::default()
    };
    assert_eq!(page(&ix, &docs, "gas", o).lines[0].paragraph, Some(0));
}

#[test]
fn a_speaker_scope_keeps_their_paragraphs_only_and_near_keeps_pairs() {
    let docs = corpus();
    let ix = common::load(&docs);
    let p = page(
        &ix,
        &docs,
        "speaker:\"Angela Merkel\" gas",
        KwicOptions::default(),
    );
    assert_eq!(p.total, Some(1));
    assert_eq!(p.lines[0].speaker.as_deref(), Some("Angela Merkel"));
    let near = KwicOptions {
        near: Some(Near {
            stem: kwic::near_stem("prices"),
            window: 2,
        }),
        ..KwicOptions::default()
    };
    let p = page(&ix, &docs, "gas", near);
    // "gas prices" (summary), and "price of gas" in Putin's paragraph.
    assert_eq!(p.total, Some(2));
    assert_eq!(p.lines[0].paragraph, Some(0));
    assert_eq!(p.lines[1].paragraph, Some(1));

    let mut c = Collocates::new(&ix, &parse("gas").unwrap(), &Filters::default(), 2).unwrap();
    for d in c.needs() {
        c.feed(d, &docs[d as usize]);
    }
    let t = c.table(&CollocOptions {
        min_freq: 1,
        limit: 100,
    });
    let price = t.rows.iter().find(|r| r.stem == "price").unwrap();
    assert_eq!((price.cooc, price.near.window), (2, 2));
    assert_eq!(t.node_hits, 5);
}

#[test]
fn dispersion_marks_paragraphs_with_hits() {
    let docs = corpus();
    let ix = common::load(&docs);
    let m = ix.matcher(&parse("gas").unwrap()).unwrap();
    let d = dispersion(&m, &docs[0]);
    assert_eq!(d.paragraphs, 4);
    let marks: Vec<(Option<usize>, u32)> = d.marks.iter().map(|m| (m.paragraph, m.hits)).collect();
    assert_eq!(
        marks,
        vec![(None, 1), (Some(0), 1), (Some(1), 2), (Some(3), 1)]
    );
    assert_eq!(d.marks[0].position, 0.0);
    assert_eq!(d.marks[3].position, 3.5 / 4.0);
    assert!(dispersion(&m, &docs[1]).marks.is_empty());
}

#[test]
fn kwic_csv_marks_the_title_and_quotes_fields() {
    let docs = corpus();
    let ix = common::load(&docs);
    let p = page(&ix, &docs, "gas", KwicOptions::default());
    let csv = kwic::to_csv(&p.lines);
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(rows[0], "id,paragraph,speaker,date,left,match,right");
    assert_eq!(rows[1], "a,title,,2015-09-15,,Gas,and oil");
    assert_eq!(rows.len(), 7, "{csv}");
}

/// Bug (issue 14): in the trend split by the top speakers, each speaker's row divided
/// by every word of the bucket's transcripts instead of that speaker's own words (and
/// counted everyone's occurrences). A row is now the speaker's hits over their words.
#[test]
fn trend_split_by_speaker_divides_by_the_speakers_words_not_the_buckets() {
    use stenogram_core::search::Facet;
    use stenogram_core::workbench::select;
    use stenogram_core::workbench::trend::{self, By, TrendQuery};
    let docs = corpus();
    let ix = common::load(&docs);
    let q = parse("gas").unwrap();
    let mut f = Filters::default();
    f.values[Facet::Speaker] = vec!["Vladimir Putin".into()];
    let set = select(&ix, &parse("").unwrap(), &f).unwrap();
    let base = trend::speaker_base(&ix, &set, "Vladimir Putin", By::Year);
    // Putin's two paragraphs: 11 words and 2; the transcript has 25.
    assert_eq!(base["2015"], (1, 13));
    assert_eq!(u64::from(ix.doc_words(0)), 25);
    let sq = trend::speaker_query(&q, "Vladimir Putin");
    let tq = TrendQuery::new(&ix, "gas", &sq, &f).unwrap();
    assert!(tq.needs_text().is_empty(), "counted from the index");
    let s = trend::series(&ix, &tq, &base, By::Year);
    let b = &s.buckets[0];
    // His two "gas", not the title's, the summary's or Merkel's.
    assert_eq!(
        (b.key.as_str(), b.docs, b.hits, b.words),
        ("2015", 1, 2, 13)
    );
    assert!((b.per_million - 2e6 / 13.0).abs() < 1e-6);
    assert_eq!(ix.speaker_words(0, "Angela Merkel"), 5);
    assert_eq!(ix.speaker_words(0, "Nobody"), 0);
    assert_eq!(ix.speaker_words(1, "Vladimir Putin"), 0);
}
