//! Citations in every style and format: snapshots per style, and round trips through real
//! parsers (the `biblatex` crate for BibTeX, `serde_json` into a typed CSL item, and a
//! strict RIS reader written here).

use stenogram_core::cite::{self, Reference, Scope, Style};
use stenogram_core::model::{Section, Source, Transcript, Turn};

fn transcript() -> Transcript {
    let mut t = Transcript::new("50306", "Session of the CSTO Collective Security Council");
    t.date = Some("2015-09-15".into());
    t.place = Some("Dushanbe".into());
    t.source = Some(Source {
        url: Some("http://en.kremlin.ru/events/president/news/50306".into()),
        license: Some("CC BY 4.0".into()),
        attribution: Some("President of Russia website (en.kremlin.ru), CC BY 4.0".into()),
    });
    t.summary = vec!["The leaders met in Dushanbe.".into()];
    t.sections = vec![Section {
        heading: None,
        turns: vec![
            Turn {
                label: Some("President of Russia Vladimir Putin".into()),
                speaker: Some("Vladimir Putin".into()),
                role: Some("President of Russia".into()),
                paragraphs: vec![
                    "Colleagues, we agreed on a joint statement & a plan {for 2016}.".into(),
                    "Thank you.".into(),
                ],
                ..Default::default()
            },
            Turn {
                label: Some("President of Tajikistan Emomali Rahmon".into()),
                speaker: Some("Emomali Rahmon".into()),
                paragraphs: vec!["Thank you, Mr President.".into()],
                ..Default::default()
            },
        ],
    }];
    t
}

fn refs() -> Vec<(&'static str, Reference)> {
    let t = transcript();
    let base = "https://stenogram.example/t/50306";
    vec![
        (
            "paragraph",
            cite::reference(&t, Scope::Paragraph(1), &format!("{base}#p-1"), None).unwrap(),
        ),
        (
            "turn",
            cite::reference(
                &t,
                Scope::Turn {
                    section: 0,
                    turn: 1,
                },
                &format!("{base}#p-3"),
                None,
            )
            .unwrap(),
        ),
        (
            "transcript",
            cite::reference(
                &t,
                Scope::Transcript,
                base,
                Some("President of Russia website"),
            )
            .unwrap(),
        ),
    ]
}

#[test]
fn styles_snapshot() {
    for (what, r) in refs() {
        for style in [Style::Apa, Style::Mla, Style::Chicago] {
            insta::assert_snapshot!(format!("{what}_{style:?}"), cite::format(&r, style));
        }
    }
}

#[test]
fn exports_snapshot() {
    let (_, r) = refs().remove(0);
    insta::assert_snapshot!("bibtex", cite::bibtex(&r));
    insta::assert_snapshot!("ris", cite::ris(&r).replace("\r\n", "\n"));
    insta::assert_snapshot!("csl_json", cite::csl_json(&r));
}

#[test]
fn bibtex_round_trips_through_biblatex() {
    for (what, r) in refs() {
        let src = cite::bibtex(&r);
        let bib =
            biblatex::Bibliography::parse(&src).unwrap_or_else(|e| panic!("{what}: {e}\n{src}"));
        let e = bib.iter().next().unwrap();
        let a = e.author().unwrap();
        assert_eq!(a[0].name, r.author.as_ref().unwrap().family, "{what}");
        assert_eq!(
            a[0].given_name,
            r.author.as_ref().unwrap().given.clone().unwrap()
        );
        let title: String = e.title().unwrap().iter().map(|c| c.v.get()).collect();
        assert_eq!(title, r.title);
        assert_eq!(e.url().unwrap(), r.url);
        match e.date().unwrap() {
            biblatex::PermissiveType::Typed(d) => match d.value {
                biblatex::DateValue::At(dt) => {
                    assert_eq!(
                        (dt.year, dt.month, dt.day),
                        (2015, Some(8), Some(14)),
                        "zero-based month and day"
                    )
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        let loc: String = e.location().unwrap().iter().map(|c| c.v.get()).collect();
        assert_eq!(loc, "Dushanbe");
    }
}

#[test]
fn csl_json_round_trips_as_a_speech() {
    for (what, r) in refs() {
        let items: Vec<cite::CslItem> = serde_json::from_str(&cite::csl_json(&r)).unwrap();
        assert_eq!(items, vec![cite::csl_item(&r)], "{what}");
        let v: serde_json::Value = serde_json::from_str(&cite::csl_json(&r)).unwrap();
        let i = &v[0];
        assert_eq!(i["type"], "speech");
        assert_eq!(i["event-place"], "Dushanbe");
        assert_eq!(
            i["event-date"]["date-parts"],
            serde_json::json!([[2015, 9, 15]])
        );
        assert_eq!(i["container-title"], "President of Russia website");
        assert_eq!(i["URL"], r.url);
        assert!(i["author"][0]["family"].is_string());
    }
}

/// A strict RIS reader: every line `XX  - value` with CRLF, `TY` first, `ER` last.
fn parse_ris(s: &str) -> Vec<(String, String)> {
    assert!(s.ends_with("\r\n"), "CRLF line ends");
    let lines: Vec<&str> = s.strip_suffix("\r\n").unwrap().split("\r\n").collect();
    let mut out = Vec::new();
    for l in &lines {
        assert!(!l.contains('\n'), "a bare LF in {l:?}");
        let (tag, rest) = l.split_at(2);
        assert!(
            tag.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            "tag {tag:?}"
        );
        let v = rest
            .strip_prefix("  - ")
            .unwrap_or_else(|| panic!("separator in {l:?}"));
        out.push((tag.to_string(), v.to_string()));
    }
    assert_eq!(out.first().map(|f| f.0.as_str()), Some("TY"));
    assert_eq!(
        out.last().map(|f| (f.0.as_str(), f.1.as_str())),
        Some(("ER", ""))
    );
    out
}

#[test]
fn ris_round_trips_through_a_strict_reader() {
    for (what, r) in refs() {
        let f = parse_ris(&cite::ris(&r));
        let get = |k: &str| f.iter().find(|x| x.0 == k).map(|x| x.1.clone());
        assert_eq!(get("AU"), r.author.as_ref().map(|a| a.inverted()), "{what}");
        assert_eq!(get("TI").as_deref(), Some(r.title.as_str()));
        assert_eq!(get("DA").as_deref(), Some("2015/09/15/"));
        assert_eq!(get("CY").as_deref(), Some("Dushanbe"));
        assert_eq!(get("UR").as_deref(), Some(r.url.as_str()));
    }
}

#[test]
fn highwire_tags_and_copied_quote() {
    let t = transcript();
    let tags = cite::highwire(&t, Some("https://stenogram.example/t/50306"), None);
    insta::assert_debug_snapshot!("highwire", tags);
    let q = cite::copied_quote(
        "“we agreed on a joint statement”",
        &t,
        1,
        "https://s.example/t/50306#p-1",
    )
    .unwrap();
    insta::assert_snapshot!("copied_quote", q);
}
