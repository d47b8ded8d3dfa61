//! Unit tests of `meta`.
//!
//! Kept beside the module in a file of their own, so that each reads in one sitting.

use super::*;
use crate::model::{Section, Transcript, Turn};
use crate::search::build_index;

fn files() -> crate::search::IndexFiles {
    let docs: Vec<Transcript> = (0..3)
        .map(|i| {
            let mut t = Transcript::new(format!("d{i}"), "T");
            t.place = Some(["Moscow", "Sochi"][i % 2].into());
            t.sections = vec![Section {
                heading: None,
                turns: vec![Turn {
                    speaker: Some(["A", "B", "C"][i].into()),
                    paragraphs: vec!["Words here.".into()],
                    ..Default::default()
                }],
            }];
            t
        })
        .collect();
    build_index(&docs, Default::default())
}

#[test]
fn the_parts_read_back_and_are_checked() {
    let f = files();
    let mut m = Meta::decode(&f.meta).unwrap();
    assert!(!m.facet_loaded[Facet::Place] && !m.turns_loaded);
    assert!(!m.docs_loaded && !m.ids_loaded && !m.facet_loaded[Facet::Speaker]);
    assert_eq!(m.n_docs, 3);
    // Turns name speakers by the speaker facet's ids: checked against its count.
    let speakers = f.part(PartId::Facet(Facet::Speaker)).to_vec();
    m.add_facet(Facet::Speaker, &speakers).unwrap();
    assert_eq!(m.values[Facet::Speaker], ["A", "B", "C"]);
    assert_eq!(m.doc_values[Facet::Speaker].1, [0, 1, 2]);
    // Documents: another part's bytes, truncated, a length changed, a date that is
    // not one.
    let docs = f.part(PartId::Docs).to_vec();
    assert!(m.add_docs(&speakers).is_err());
    assert!(m.add_docs(&docs[..docs.len() - 1]).is_err());
    let mut bad = docs.clone();
    *bad.last_mut().unwrap() += 1;
    assert!(m.add_docs(&bad).is_err());
    let mut bad = docs.clone();
    bad[13] = 0x7f;
    assert!(m.add_docs(&bad).is_err());
    assert!(!m.docs_loaded);
    m.add_docs(&docs).unwrap();
    assert_eq!(m.lens.len(), 3);
    assert_eq!(m.values[Facet::Year], Vec::<String>::new());
    // Dates that disagree with meta.bin's years (another index's documents part).
    let dated = |dates: [&str; 3]| {
        let docs: Vec<Transcript> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut t = Transcript::new(format!("d{i}"), "T");
                t.date = Some(d.to_string());
                t
            })
            .collect();
        build_index(&docs, Default::default())
    };
    let a = dated(["2001-01-02", "2001-05-06", "2003"]);
    let b = dated(["2001-01-02", "2002-05-06", "2003"]);
    let mut ma = Meta::decode(&a.meta).unwrap();
    assert_eq!(ma.values[Facet::Year], ["2001", "2003"]);
    let run = |first, len, year| YearRun { first, len, year };
    assert_eq!(ma.year_runs, [run(0, 2, 0), run(2, 1, 1)]);
    assert!(ma.add_docs(b.part(PartId::Docs)).is_err());
    ma.add_docs(a.part(PartId::Docs)).unwrap();
    let ids = f.part(PartId::Ids).to_vec();
    assert!(m.add_ids(&ids[..ids.len() - 1]).is_err());
    assert!(m.add_ids(&docs).is_err());
    m.add_ids(&ids).unwrap();
    assert_eq!(m.ids, ["d0", "d1", "d2"]);
    let place = f.part(PartId::Facet(Facet::Place)).to_vec();
    let topic = f.part(PartId::Facet(Facet::Topic)).to_vec();
    // Another facet's part, truncated, an id past the dictionary, junk.
    assert!(m.add_facet(Facet::Place, &topic).is_err());
    assert!(m
        .add_facet(Facet::Place, &place[..place.len() - 1])
        .is_err());
    let mut bad = place.clone();
    *bad.last_mut().unwrap() = 9;
    assert!(m.add_facet(Facet::Place, &bad).is_err());
    assert!(m.add_facet(Facet::Place, b"STF\0junk").is_err());
    assert!(m.add_facet(Facet::Speaker, &place).is_err());
    assert!(!m.facet_loaded[Facet::Place]);
    m.add_facet(Facet::Place, &place).unwrap();
    assert_eq!(m.values[Facet::Place], ["Moscow", "Sochi"]);
    assert_eq!(m.doc_values[Facet::Place].1, [0, 1, 0]);
    // Turns: another part's bytes, truncated, more paragraph breaks than tokens, a
    // speaker past its document's list. Three documents of one turn each, every
    // number one byte: the document count at 8, turn counts at 9, gaps at 12, lengths at
    // 15, speakers at 18.
    assert!(m.add_turns(&place).is_err());
    assert!(m.add_turns(&f.turns[..f.turns.len() - 1]).is_err());
    assert_eq!(f.turns.len(), 8 + 1 + 3 + 3 * 5);
    assert_eq!(&f.turns[18..21], [1, 1, 1], "each document's first speaker");
    let mut bad = f.turns.clone();
    *bad.last_mut().unwrap() = 9;
    assert!(m.add_turns(&bad).is_err());
    let mut bad = f.turns.clone();
    bad[19] = 2;
    assert!(m.add_turns(&bad).is_err());
    assert!(!m.turns_loaded);
    m.add_turns(&f.turns).unwrap();
    assert_eq!(m.turns.len(), 3);
    let speakers_of = |m: &Meta| m.turns.iter().map(|t| t.speaker).collect::<Vec<_>>();
    assert_eq!(speakers_of(&m), [Some(0), Some(1), Some(2)]);
    // In the other order, the turns' speakers become ids when the facet comes.
    let mut late = Meta::decode(&f.meta).unwrap();
    late.add_turns(&f.turns).unwrap();
    assert!(late.turns_loaded && !late.turns_linked);
    late.add_facet(Facet::Speaker, &speakers).unwrap();
    assert_eq!(speakers_of(&late), [Some(0), Some(1), Some(2)]);
    let mut late = Meta::decode(&f.meta).unwrap();
    late.add_turns(&bad).unwrap();
    assert!(late.add_facet(Facet::Speaker, &speakers).is_err());
    assert!(!late.turns_loaded);
    // Another index's parts: a different document count.
    let other =
        Meta::decode(&build_index(&[Transcript::new("x", "X")], Default::default()).meta).unwrap();
    let mut other = other;
    assert!(other.add_turns(&f.turns).is_err());
    assert!(other.add_facet(Facet::Place, &place).is_err());
}

/// Format 13: the listed facets but the speakers are written value by value, and read
/// back as every document's value ids, ascending; a damaged list is an error.
#[test]
fn a_facet_written_by_value_reads_back_as_each_documents_values() {
    let docs: Vec<Transcript> = (0..5)
        .map(|i| {
            let mut t = Transcript::new(format!("d{i}"), "T");
            // d0: China and India; d1: none; d2: India; d3: all three; d4: China.
            let names: &[&str] = match i {
                0 => &["India", "China"],
                2 => &["India"],
                3 => &["Brazil", "India", "China"],
                4 => &["China"],
                _ => &[],
            };
            t.mentions.countries = names
                .iter()
                .map(|n| crate::model::Mention {
                    name: n.to_string(),
                    code: None,
                    count: 1,
                })
                .collect();
            t
        })
        .collect();
    let f = build_index(&docs, Default::default());
    let part = f.part(PartId::Facet(Facet::Mentions)).to_vec();
    let mut m = Meta::decode(&f.meta).unwrap();
    m.add_facet(Facet::Mentions, &part).unwrap();
    assert_eq!(m.values[Facet::Mentions], ["Brazil", "China", "India"]);
    let (offs, ids) = &m.doc_values[Facet::Mentions];
    assert_eq!(offs, &[0, 2, 2, 3, 6, 7]);
    assert_eq!(ids, &[1, 2, 2, 0, 1, 2, 1]);
    // The values' document counts, then the gaps: Brazil [3], China [0, 3, 4], India
    // [0, 2, 3]. The tail is `1 3 | 0 3 1 | 0 2 1` as single bytes.
    let tail = part.len() - 7;
    assert_eq!(&part[tail..], &[3, 0, 3, 1, 0, 2, 1]);
    for (at, byte, why) in [
        (tail + 1, 5, "a document past the last"),
        (tail + 2, 0, "a document not after its predecessor"),
        (tail - 3, 9, "more entries than bytes"),
    ] {
        let mut bad = part.clone();
        bad[at] = byte;
        let mut m = Meta::decode(&f.meta).unwrap();
        assert!(m.add_facet(Facet::Mentions, &bad).is_err(), "{why}");
        assert!(!m.facet_loaded[Facet::Mentions], "{why}");
    }
    let mut longer = part.clone();
    longer.push(0);
    let mut m = Meta::decode(&f.meta).unwrap();
    assert!(
        m.add_facet(Facet::Mentions, &longer).is_err(),
        "bytes after the lists"
    );
    // Regression (format 13): a part with no value for any document is shorter than a
    // byte a document, and the document count was bounded by the bytes left.
    let bare: Vec<Transcript> = (0..40)
        .map(|i| Transcript::new(format!("b{i}"), "T"))
        .collect();
    let f = build_index(&bare, Default::default());
    let mut m = Meta::decode(&f.meta).unwrap();
    m.add_facet(Facet::Mentions, f.part(PartId::Facet(Facet::Mentions)))
        .unwrap();
    assert_eq!(m.doc_values[Facet::Mentions].0, vec![0; 41]);
}
