//! Unit tests of `bundle`.
//!
//! Kept beside the module in a file of their own, so that each reads in one sitting.

use super::*;

#[test]
fn ids_become_safe_file_stems() {
    assert_eq!(file_stem_for_id("cstu-council-2015"), "cstu-council-2015");
    assert_eq!(file_stem_for_id("../x y"), "~2E.~2Fx~20y");
    assert_eq!(file_stem_for_id("Путин"), "~D0~9F~D1~83~D1~82~D0~B8~D0~BD");
}

#[test]
fn rows_are_stored_by_column_and_read_back_as_rows() {
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Shard {
        #[serde(with = "doc_columns")]
        docs: Vec<DocMeta>,
    }
    let mut a = Transcript::new("a", "First");
    a.date = Some("2015-09-01".into());
    let b = Transcript::new("b", "Second");
    let m = Shard {
        docs: vec![DocMeta::of(&a), DocMeta::of(&b), DocMeta::of(&b)],
    };
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains(r#""id":["a","b","b"],"title":["First","Second","Second"]"#));
    assert_eq!(serde_json::from_str::<Shard>(&json).unwrap(), m);
    let bad = json.replace(r#""paragraphs":[0,0,0]"#, r#""paragraphs":[0,0]"#);
    let err = serde_json::from_str::<Shard>(&bad).unwrap_err();
    assert!(err.to_string().contains("different lengths"), "{err}");
}

#[test]
fn wrong_versions_are_named() {
    let err = Manifest::from_json(r#"{"format":7,"schema":2,"corpus":{"name":"x"}}"#).unwrap_err();
    assert!(
        matches!(
            err,
            BundleError::Version {
                ref field,
                found: 2,
                expected: 1,
                ..
            } if field == "schema"
        ),
        "{err}"
    );
    assert!(err.to_string().contains("rebuild"));
    let err = Manifest::from_json(r#"{"format":3,"schema":1,"corpus":{"name":"x"},"docs":[]}"#)
        .unwrap_err();
    assert!(
        matches!(
            err,
            BundleError::Version {
                ref field,
                found: 3,
                ..
            } if field == "format"
        ),
        "{err}"
    );
    let mut m = Manifest {
        format: BUNDLE_FORMAT,
        schema: SCHEMA_VERSION,
        corpus: CorpusInfo::default(),
        summary: Summary::default(),
        rows: RowsInfo::default(),
        index: Some(IndexInfo {
            format: 99,
            terms: 0,
            meta: "m".into(),
            dict: "d".into(),
            words: ShardDir::default(),
            post: ShardDir::default(),
            pos: ShardDir::default(),
            facets: vec![],
            turns: "t".into(),
            docs: "D".into(),
            ids: "i".into(),
            dict_shards: ShardDir::default(),
            bytes: 0,
        }),
    };
    let err = Manifest::from_json(&serde_json::to_string(&m).unwrap()).unwrap_err();
    assert!(
        matches!(
            err,
            BundleError::Version {
                ref field,
                found: 99,
                ..
            } if field == "index.format"
        ),
        "{err}"
    );
    m.index = None;
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(Manifest::from_json(&json).unwrap(), m);
    let err = transcript_from_json("docs/a.json", r#"{"schema":7}"#).unwrap_err();
    assert!(
        err.to_string().contains("docs/a.json has schema 7"),
        "{err}"
    );
}

#[test]
fn packs_round_trip() {
    let a = Transcript::new("a", "First");
    let mut b = Transcript::new("b", "Second, with a \"quote\"");
    b.summary = vec!["line one\nline two".into()];
    let pack = pack_to_json(&[&a, &b]).unwrap();
    let text = std::str::from_utf8(&pack).unwrap();
    let all: Vec<Transcript> = serde_json::from_str(text).unwrap();
    assert_eq!(all, vec![a.clone(), b.clone()]);
    assert_eq!(transcript_from_pack("p", text, 0).unwrap(), a);
    assert_eq!(transcript_from_pack("p", text, 1).unwrap(), b);
    assert!(transcript_from_pack("p", text, 2).is_err());
}

#[test]
fn garbage_is_a_json_error() {
    assert!(matches!(
        Manifest::from_json("<html>"),
        Err(BundleError::Json { .. })
    ));
}
