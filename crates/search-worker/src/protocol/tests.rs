//! Unit tests of `protocol`.
//!
//! Kept beside the module in a file of their own, so that each reads in one sitting.

use super::*;
use stenogram_core::model::Transcript;
use stenogram_core::search::{build_index, parse, BuildOptions, Facet, Index, PartId};

#[test]
fn the_failure_text_reads_as_a_failed_response() {
    // A why of over 127 bytes takes a two-byte length.
    for why in ["a \"quoted\" why\n", &"é long why ".repeat(40)] {
        let bytes = failed_bytes(why);
        let sent: Response = Response::Failed(why.into());
        assert_eq!(bytes, encode(&sent));
        let Ok(PageResponse::Failed(back)) = decode::<PageResponse>(&bytes) else {
            panic!("not a Failed response: {bytes:?}")
        };
        assert_eq!(back, why);
    }
}

#[test]
fn an_answer_crosses_the_boundary_intact() {
    let mut t = Transcript::new("a", "On Syria");
    t.date = Some("2015-09-01".into());
    t.summary = vec!["Talks about Syria’s future and negotiations.".into()];
    let files = build_index(&[t.clone()], BuildOptions::default());
    let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
    for p in ix.parts() {
        ix.add_part(p, files.part(p).to_vec()).unwrap();
    }
    let q = parse("syria negotiatoins").unwrap();
    let mut opts = SearchOptions::default();
    opts.filters.values[Facet::Year] = vec!["2015".into()];
    opts.facet_limit = Some(50);
    let back: SearchOptions = decode(&encode(&opts)).unwrap();
    assert_eq!(back, opts);

    let results = ix.search(&q, &opts).unwrap();
    assert_eq!(results.total, 1);
    let rows = vec![stenogram_core::bundle::DocMeta::of(&t)];
    let msg: Response = Response::Searched {
        id: 7,
        result: Ok(Box::new(Answer {
            results: results.clone(),
            rows: rows.clone(),
        })),
        fetched: vec![],
    };
    let back: Response = decode::<Response>(&encode(&msg)).unwrap();
    assert_eq!(back.answers(), Some(7));
    let Response::Searched { result: Ok(a), .. } = back else {
        panic!("not an answer")
    };
    assert_eq!(a.results, results);
    assert_eq!(a.rows, rows);

    // The reading view's highlights are the core's, intact.
    let m = ix.matcher(&q).unwrap();
    let h = crate::reading::doc_highlights(&m, &t);
    assert!(h.marks.iter().any(|p| !p.is_empty()));
    let msg: Response = Response::Highlighted {
        id: 8,
        result: Ok(Some(h.clone())),
        fetched: vec!["u".into()],
    };
    let back: Response = decode::<Response>(&encode(&msg)).unwrap();
    assert_eq!(back.fetched(), ["u".to_string()]);
    let Response::Highlighted {
        result: Ok(Some(b)),
        ..
    } = back
    else {
        panic!("not highlights")
    };
    assert_eq!(b, h);
    let snips = m.snippets(&t, 3);
    let msg: Response = Response::Snippets {
        id: 9,
        result: Ok(snips.clone()),
        fetched: vec![],
    };
    let Response::Snippets { result: Ok(b), .. } = decode::<Response>(&encode(&msg)).unwrap()
    else {
        panic!("not snippets")
    };
    assert_eq!(b, snips);
}

#[test]
fn workbench_jobs_and_answers_cross_the_boundary_intact() {
    use stenogram_core::workbench::colloc::{CollocOptions, Collocates};
    use stenogram_core::workbench::keyness::{Keyness, KeynessOptions};
    use stenogram_core::workbench::kwic::{Concordance, KwicOptions, KwicSort, Near};
    use stenogram_core::workbench::trend::{self, By, TrendQuery};
    use stenogram_core::workbench::{dispersion, doc_set, select};

    let mut docs = Vec::new();
    for (i, (date, text)) in [
        ("2015-09-01", "Syria and peace talks, peace in Syria."),
        ("2016-03-02", "Talks on trade; peace is far."),
        ("2016-05-02", "Nothing about it, only trade and more trade."),
    ]
    .into_iter()
    .enumerate()
    {
        let mut t = Transcript::new(format!("d{i}"), "Talks");
        t.date = Some(date.into());
        t.summary = vec![text.into()];
        docs.push(t);
    }
    let files = build_index(&docs, BuildOptions::default());
    let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
    for p in ix.parts() {
        ix.add_part(p, files.part(p).to_vec()).unwrap();
    }
    let q = parse("peace").unwrap();
    let mut filters = stenogram_core::search::Filters::default();
    filters.values[stenogram_core::search::Facet::Year] = vec!["2015".into(), "2016".into()];

    let jobs = [
        Job::Concordance {
            q: "peace".into(),
            filters: filters.clone(),
            opts: KwicOptions {
                sort: KwicSort::Right1,
                offset: 1,
                limit: 2,
                near: Some(Near {
                    stem: "talk".into(),
                    window: 5,
                }),
                ..Default::default()
            },
        },
        Job::Trend {
            queries: vec!["peace".into(), "\"peace talks\"".into()],
            filters: filters.clone(),
            by: By::Month,
            speakers: 3,
        },
        Job::Collocates {
            q: "peace".into(),
            filters: filters.clone(),
            window: 4,
            opts: CollocOptions {
                min_freq: 1,
                limit: 9,
            },
        },
        Job::Keyness {
            q: String::new(),
            filters: filters.clone(),
            opts: KeynessOptions::default(),
        },
        Job::Dispersion {
            doc: 2,
            q: "trade".into(),
        },
    ];
    for (i, job) in jobs.into_iter().enumerate() {
        let r = Request::Bench {
            id: i as u32,
            job: Nested(job),
        };
        // The search worker reads the job unread, and answers it without a table,
        // in a message the page reads as a failed job.
        let Request::<Deferred>::Bench { id, .. } = decode(&encode(&r)).unwrap() else {
            panic!("the search worker did not read a job")
        };
        let wrong = SearchResponse::Bench {
            id,
            result: Err(LoadError::Worker("misrouted".into()).into()),
            fetched: vec![],
        };
        assert!(matches!(
            decode::<PageResponse>(&encode(&wrong)).unwrap(),
            PageResponse::Bench { id: read, result: Err(_), .. } if read == id
        ));
        let Request::Bench { id, job } = decode(&encode(&r)).unwrap() else {
            panic!("not a job")
        };
        let Request::Bench { job: sent, .. } = r else {
            unreachable!()
        };
        assert_eq!((id, &job), (i as u32, &sent));
    }
    let back: Request = decode(&encode(&Request::<Nested<Job>>::Cancel)).unwrap();
    assert!(matches!(back, Request::Cancel));

    let mut c = Concordance::new(&ix, &q, &filters, KwicOptions::default()).unwrap();
    for d in c.needs() {
        c.feed(d, &docs[d as usize]);
    }
    let mut co = Collocates::new(&ix, &q, &filters, 5).unwrap();
    for d in co.needs() {
        co.feed(d, &docs[d as usize]);
    }
    let mut k = Keyness::new(
        &ix,
        doc_set(&ix, &select(&ix, &q, &Default::default()).unwrap()),
    );
    for p in k.needs() {
        if let PartId::Post(s) = p {
            k.feed(&ix, s).unwrap();
        }
    }
    let everything = select(&ix, &Default::default(), &filters).unwrap();
    let base = trend::base(&ix, &everything, By::Year);
    let tq = TrendQuery::new(&ix, "peace", &q, &filters).unwrap();
    let s = trend::series(&ix, &tq, &base, By::Year);
    let outcomes = [
        Outcome::Concordance(c.page()),
        Outcome::Trend(crate::bench::TrendAnswer {
            series: vec![s.clone()],
            by_speaker: vec![("A".into(), s)],
        }),
        Outcome::Collocates(co.table(&CollocOptions::default())),
        Outcome::Keyness(k.table(&ix, &KeynessOptions::default())),
        Outcome::Dispersion(dispersion::dispersion(&ix.matcher(&q).unwrap(), &docs[0])),
    ];
    assert!(matches!(&outcomes[0], Outcome::Concordance(p) if p.total == Some(3)));
    for o in outcomes {
        let msg: Response = Response::Bench {
            id: 3,
            result: Ok(Nested(Box::new(o.clone()))),
            fetched: vec!["corpus/docs/pack-00000.json".into()],
        };
        let Response::Bench {
            id,
            result: Ok(back),
            fetched,
        } = decode::<Response>(&encode(&msg)).unwrap()
        else {
            panic!("not an answer")
        };
        assert_eq!((id, fetched.len()), (3, 1));
        // The page reads it as bytes kept whole, and decodes the same outcome later:
        // floats and all, exactly.
        let Ok(PageResponse::Bench {
            result: Ok(kept), ..
        }) = decode::<PageResponse>(&encode(&msg))
        else {
            panic!("the page cannot read the answer")
        };
        let json = |o: &Outcome| serde_json::to_value(o).unwrap();
        assert_eq!(json(&kept.decode::<Outcome>().unwrap()), json(&o));
        assert_eq!(json(&back.0), json(&o));
    }
    let p: Response = decode(&encode::<Response>(&Response::Progress {
        id: 4,
        done: 5,
        total: 9,
    }))
    .unwrap();
    assert!(matches!(
        p,
        Response::Progress {
            id: 4,
            done: 5,
            total: 9
        }
    ));
    let e: Response = decode(&encode::<Response>(&Response::Bench {
        id: 5,
        result: Err(SearchFailure::Superseded),
        fetched: vec![],
    }))
    .unwrap();
    assert!(matches!(
        e,
        Response::Bench {
            result: Err(SearchFailure::Superseded),
            ..
        }
    ));
}

#[test]
fn errors_stay_typed() {
    let e = SearchFailure::Parse(parse("\"open").unwrap_err());
    let back: SearchFailure = decode(&encode(&e)).unwrap();
    assert!(
        matches!(back, SearchFailure::Parse(ref p) if p.span == (0, 5)),
        "{back:?}"
    );
    let e = SearchFailure::Load(LoadError::Status {
        url: "corpus/index/post-1.bin".into(),
        status: 404,
    });
    let back: SearchFailure = decode(&encode(&e)).unwrap();
    assert_eq!(back.to_string(), e.to_string());
    let e = SearchFailure::Search(stenogram_core::search::SearchError::MissingPart(
        PartId::Pos(3),
    ));
    let back: SearchFailure = decode(&encode(&e)).unwrap();
    assert!(matches!(back, SearchFailure::Search(_)));
    assert_eq!(back.to_string(), e.to_string());
}

/// Postcard has no field names: a field skipped when written shifts every later one.
/// Regression: the page read a quote's diff (`DiffOp::ellipsis` was skipped when
/// false) and the rows (`DocMeta::mentions`, skipped when empty) as garbage. Every
/// answer the page reads, with those fields at their defaults, comes back equal.
#[test]
fn answers_with_default_fields_cross_intact() {
    let mut t = Transcript::new("q1", "On grain");
    t.summary = vec!["We will not give up the harvest of grain this year at all.".into()];
    let q = stenogram_core::quote::Quote::new("we will give up the harvest this year").unwrap();
    let result = stenogram_core::quote::find(&q, &[&t]);
    assert!(
        result
            .matches
            .iter()
            .any(|m| m.diff.iter().any(|d| !d.ellipsis)),
        "{result:?}"
    );
    let answer = crate::reading::QuoteAnswer {
        result: result.clone(),
        titles: vec![("q1".into(), "On grain".into())],
    };
    let msg: Response = Response::Quoted {
        id: 2,
        result: Ok(Nested(Box::new(answer))),
        fetched: vec![],
    };
    let Ok(PageResponse::Quoted {
        result: Ok(kept), ..
    }) = decode::<PageResponse>(&encode(&msg))
    else {
        panic!("the page cannot read the quote's answer")
    };
    let back: crate::reading::QuoteAnswer = kept.decode().unwrap();
    assert_eq!(back.result, result);

    let row = stenogram_core::bundle::DocMeta::of(&t);
    assert!(row.mentions.is_empty());
    let msg: Response = Response::Document {
        id: 3,
        result: Ok(Box::new(crate::reading::DocAnswer {
            doc: 0,
            json: "{}".into(),
            highlights: None,
        })),
        fetched: vec!["a".into()],
    };
    let Ok(PageResponse::Document {
        result: Ok(d),
        fetched,
        ..
    }) = decode::<PageResponse>(&encode(&msg))
    else {
        panic!("the page cannot read the document")
    };
    assert_eq!((d.json.as_str(), fetched.len()), ("{}", 1));
    let rows: Vec<stenogram_core::bundle::DocMeta> = decode(&encode(&vec![row.clone()])).unwrap();
    assert_eq!(rows, [row]);
}

/// Issue 15: the quote finder's messages cross the boundary intact, its refusal of a
/// too-long quote included.
#[test]
fn quote_round_trip() {
    let req: Request = Request::Quote {
        id: 7,
        text: "we will not give up".into(),
        filters: stenogram_core::search::Filters::default().with(Facet::Year, "2015"),
    };
    let back: Request = decode(&encode(&req)).unwrap();
    assert!(
        matches!(back, Request::Quote { id: 7, ref text, .. } if text == "we will not give up")
    );
    let parts: Request = Request::QuoteParts {
        text: "we will not give up".into(),
        filters: Default::default(),
    };
    let back: Request = decode(&encode(&parts)).unwrap();
    assert!(matches!(back, Request::QuoteParts { ref text, .. } if text == "we will not give up"));
    assert!(matches!(
        decode::<Request>(&encode(&Request::<Nested<Job>>::WarmQuote)).unwrap(),
        Request::WarmQuote
    ));
    let e = SearchFailure::Quote(stenogram_core::quote::QuoteError::TooLong {
        words: 300,
        max: 200,
    });
    let r: Response = Response::Quoted {
        id: 7,
        result: Err(e.clone()),
        fetched: vec![],
    };
    match decode::<Response>(&encode(&r)).unwrap() {
        Response::Quoted {
            id: 7,
            result: Err(back),
            ..
        } => {
            assert_eq!(back.to_string(), e.to_string())
        }
        other => panic!("{other:?}"),
    }
}
