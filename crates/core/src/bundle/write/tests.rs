//! Unit tests of `write`.
//!
//! Kept beside the module in a file of their own, so that each reads in one sitting.

use super::*;

fn doc(id: &str, date: &str, text: &str) -> Transcript {
    let mut t = Transcript::new(id, id.to_uppercase());
    t.date = Some(date.into());
    t.summary = vec![text.into()];
    t
}

#[test]
fn files_are_hashed_and_the_manifest_names_them() {
    let docs = vec![
        doc("b", "2015-02-01", "Talks about Syria."),
        doc("a", "2015-01-01", "Talks about Iran."),
    ];
    let opts = WriteOptions {
        pack_bytes: 1,
        ..WriteOptions::default()
    };
    let b = write_bundle(docs.clone(), &opts, &InOrder).unwrap();
    assert_eq!(b.packs, 2);
    let paths: Vec<&str> = b.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.last(), Some(&MANIFEST_FILE));
    // Oldest first: `a` is document 0, alone in the first pack; home lists `b` first.
    let s = &b.manifest.summary;
    assert_eq!((s.docs, s.newest.len()), (2, 2));
    assert_eq!((s.newest[0].doc, s.newest[1].row.id.as_str()), (1, "a"));
    assert_eq!(s.first_date.as_deref(), Some("2015-01-01"));
    assert_eq!(s.last_date.as_deref(), Some("2015-02-01"));
    assert!(paths.contains(&format!("{}/00000.json", b.manifest.rows.dir).as_str()));
    assert_eq!(b.manifest.rows.ids.first, vec!["a"]);
    let ix = b.manifest.index.as_ref().unwrap();
    for p in [&ix.meta, &ix.dict] {
        assert!(paths.contains(&p.as_str()), "{p}");
    }
    let words = ix.part_path(crate::search::PartId::Words(0)).unwrap();
    assert!(
        words.starts_with("index/words/") && words.ends_with("/0000.fst"),
        "{words}"
    );
    assert!(paths.contains(&words.as_str()), "{words}");
    // Numbered shards live in a folder named by their hash.
    let post = ix.part_path(crate::search::PartId::Post(0)).unwrap();
    assert!(
        post.starts_with("index/post/") && post.ends_with("/0000.bin"),
        "{post}"
    );
    assert!(paths.contains(&post.as_str()), "{post}");
    let shard = ix.part_path(crate::search::PartId::Dict(0)).unwrap();
    assert!(paths.contains(&shard.as_str()), "{shard}");
    // Pack `d` holds document `d` alone: no table.
    let packs = &b.manifest.rows.packs;
    assert_eq!((packs.count, packs.table.as_deref()), (2, None));
    let f = &b.files[0];
    assert!(
        f.path.starts_with("docs/") && f.path.ends_with("/00000.json"),
        "{}",
        f.path
    );
    let at = super::super::PackIndex::new(&b.manifest.rows).locate(0);
    assert_eq!(at, Some((f.path.clone(), 0)));
    let text = std::str::from_utf8(&f.bytes).unwrap();
    assert_eq!(
        super::super::transcript_from_pack("p", text, 0).unwrap(),
        docs[1]
    );
    let manifest = &b.files.last().unwrap().bytes;
    let read = Manifest::from_json(std::str::from_utf8(manifest).unwrap()).unwrap();
    assert_eq!(read, b.manifest);
    // Deterministic whatever the input order.
    let again = write_bundle(docs.into_iter().rev().collect(), &opts, &InOrder).unwrap();
    assert_eq!(again.files, b.files);
}

/// Packs of several transcripts (`--pack-bytes`): their table says where each
/// document is, and every transcript reads back from the pack and slot it names.
#[test]
fn packs_of_several_transcripts_have_a_table() {
    let docs: Vec<Transcript> = (0..5)
        .map(|i| doc(&format!("d{i}"), &format!("2015-01-0{}", i + 1), "Talks."))
        .collect();
    let size = serde_json::to_vec(&docs[0]).unwrap().len();
    let opts = WriteOptions {
        pack_bytes: 2 * size + 4,
        ..WriteOptions::default()
    };
    let b = write_bundle(docs.clone(), &opts, &InOrder).unwrap();
    let info = &b.manifest.rows.packs;
    assert_eq!((b.packs, info.count), (3, 3));
    let table = info.table.clone().unwrap();
    let file = |p: &str| &b.files.iter().find(|f| f.path == p).unwrap().bytes;
    let mut ix = super::super::PackIndex::new(&b.manifest.rows);
    assert_eq!(ix.missing(), Some(table.as_str()));
    ix.add(file(&table)).unwrap();
    for (d, t) in docs.iter().enumerate() {
        let (path, slot) = ix.locate(d as u32).unwrap();
        let text = std::str::from_utf8(file(&path)).unwrap();
        assert_eq!(
            &super::super::transcript_from_pack(&path, text, slot).unwrap(),
            t
        );
    }
    assert_eq!(ix.locate(1).unwrap().1, 1);
}

/// Regression: the same id with two dates sorted apart, so the neighbour check
/// missed it and one transcript became unreachable.
#[test]
fn duplicate_ids_are_found_whatever_their_dates() {
    let docs = vec![
        doc("x", "2001-01-01", "One."),
        doc("y", "2010-01-01", "Two."),
        doc("x", "2020-01-01", "Three."),
    ];
    let err = write_bundle(docs, &WriteOptions::default(), &InOrder).unwrap_err();
    assert_eq!(
        err,
        WriteError::DuplicateId {
            id: "x".into(),
            first: 0,
            second: 2
        }
    );
    assert_eq!(
        write_bundle(vec![], &WriteOptions::default(), &InOrder).unwrap_err(),
        WriteError::Empty
    );
}
