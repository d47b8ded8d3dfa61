//! The research workbench's jobs, as the worker runs them (docs/workbench.md): a
//! concordance, a trend, collocates, distinctive words (keyness) and the dispersion of
//! a query in one transcript, over the transcripts a query and its filters select.
//!
//! The figures are `stenogram_core::workbench`'s; this module only gets them their
//! input. A job that reads text fetches the transcripts' packs itself, from the bundle
//! (the page sends the document → pack map, [`DocFiles`], with
//! [`crate::protocol::Request::Open`]); a keyness job fetches every postings shard. Jobs
//! feed their accumulator in chunks of packs or shards (collocates of words come from
//! the index's positions, as `stenogram collocates` does; of other queries, from the
//! text); between chunks they report progress, give the worker's event loop a turn (so
//! that a newer request is heard) and stop once a newer job superseded them.

use std::collections::BTreeSet;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use stenogram_core::bundle::{self, DocMeta};
use stenogram_core::model::Transcript;
use stenogram_core::search::{Facet, Filters, ParseError, PartId, Query, SearchError};
use stenogram_core::workbench::colloc::{CollocOptions, CollocTable, Collocates};
use stenogram_core::workbench::colloc_index::IndexCollocates;
use stenogram_core::workbench::dispersion::{dispersion, Dispersion};
use stenogram_core::workbench::keyness::{KeyTable, Keyness, KeynessOptions};
use stenogram_core::workbench::kwic::{self, Concordance, KwicOptions, KwicPage};
use stenogram_core::workbench::trend::{self, By, Series, TrendQuery};
use stenogram_core::workbench::{doc_set, select};

use crate::{parse, Engine, LoadError, SearchFailure};

/// Where every transcript is: per document number (the manifest's order, which is the
/// index's), its pack (an entry of `packs`) and its slot there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocFiles {
    /// Pack paths, relative to the bundle folder.
    pub packs: Vec<String>,
    /// Per document: (entry of `packs`, slot).
    pub docs: Vec<(u32, u32)>,
}

impl DocFiles {
    /// The map of the manifest's documents, in their order.
    pub fn from_docs(docs: &[DocMeta]) -> DocFiles {
        let mut out = DocFiles::default();
        for d in docs {
            // Documents of one pack are consecutive, so the last entry is nearly always it.
            let p = match out.packs.iter().rposition(|p| *p == d.file) {
                Some(p) => p,
                None => {
                    out.packs.push(d.file.clone());
                    out.packs.len() - 1
                }
            };
            out.docs.push((p as u32, d.slot));
        }
        out
    }

    /// The pack path and slot of document `doc`.
    pub fn locate(&self, doc: u32) -> Option<(&str, u32)> {
        let &(p, slot) = self.docs.get(doc as usize)?;
        Some((self.packs.get(p as usize)?.as_str(), slot))
    }
}

/// One workbench request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// A page of concordance lines of `q` (`opts`: sort, offset, limit, context, near).
    Concordance {
        q: String,
        filters: Filters,
        opts: KwicOptions,
    },
    /// Up to [`trend::MAX_QUERIES`] queries per year or month; with `speakers > 0`, the
    /// first query also split by that many top speakers.
    Trend {
        queries: Vec<String>,
        filters: Filters,
        by: By,
        speakers: usize,
    },
    Collocates {
        q: String,
        filters: Filters,
        window: usize,
        opts: CollocOptions,
    },
    /// Words distinctive of the transcripts `q` (often only filters) selects.
    Keyness {
        q: String,
        filters: Filters,
        opts: KeynessOptions,
    },
    /// Where `q`'s hits fall in document `doc`.
    Dispersion { doc: u32, q: String },
}

impl Job {
    /// Whether a newer job stops this one: every job but a dispersion (which the reading
    /// view asks for beside whatever view runs) belongs to the one open view.
    pub fn supersedable(&self) -> bool {
        !matches!(self, Job::Dispersion { .. })
    }
}

/// A trend's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendAnswer {
    /// One series per query, in the order asked.
    pub series: Vec<Series>,
    /// The first query split by its top speakers: (speaker, series over the transcripts
    /// where they speak).
    pub by_speaker: Vec<(String, Series)>,
}

/// A job's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    Concordance(KwicPage),
    Trend(TrendAnswer),
    Collocates(CollocTable),
    Keyness(KeyTable),
    Dispersion(Dispersion),
}

/// Packs fetched at once.
const CONCURRENT: usize = 6;
/// Packs (or shards) per chunk: progress and supersession are checked between chunks.
const CHUNK: usize = 12;
/// Packs kept in the worker's memory between jobs.
const PACK_CACHE: usize = 64;

/// What a running job is told and tells: whether it is still wanted, its progress.
pub struct Hooks<'a> {
    pub wanted: &'a dyn Fn() -> bool,
    /// (done, total) units of work (transcripts or shards).
    pub progress: &'a dyn Fn(usize, usize),
    /// Gives the event loop a turn (the worker: a zero timeout; elsewhere nothing).
    pub pause: &'a dyn Fn() -> futures_util::future::LocalBoxFuture<'static, ()>,
}

impl Hooks<'_> {
    async fn checkpoint(&self, done: usize, total: usize) -> Result<(), SearchFailure> {
        (self.progress)(done, total);
        (self.pause)().await;
        if (self.wanted)() {
            Ok(())
        } else {
            Err(SearchFailure::Superseded)
        }
    }
}

impl Engine {
    /// Runs `job`; every URL fetched is pushed onto `fetched`.
    pub async fn run(
        &self,
        job: &Job,
        hooks: &Hooks<'_>,
        fetched: &mut Vec<String>,
    ) -> Result<Outcome, SearchFailure> {
        self.load_for_jobs(&hooks.wanted, fetched).await?;
        match job {
            Job::Concordance { q, filters, opts } => {
                let q = self.query(q, hooks, fetched).await?;
                let mut c = {
                    let ix = self.index.borrow();
                    Concordance::new(&ix, &q, filters, opts.clone())?
                };
                let needs = c.needs();
                self.feed_docs(&needs, hooks, fetched, |d, t| c.feed(d, t))
                    .await?;
                Ok(Outcome::Concordance(c.page()))
            }
            Job::Trend {
                queries,
                filters,
                by,
                speakers,
            } => self
                .trend(queries, filters, *by, *speakers, hooks, fetched)
                .await
                .map(Outcome::Trend),
            Job::Collocates {
                q,
                filters,
                window,
                opts,
            } => {
                let q = self.query(q, hooks, fetched).await?;
                // The windows need the query's positions, which a search of a plain word
                // does not load: add each part it misses and ask again.
                let from_index = loop {
                    let r = IndexCollocates::new(&self.index.borrow(), &q, filters, *window);
                    match r {
                        Err(SearchError::MissingPart(p)) if !self.loaded.borrow().contains(&p) => {
                            self.load_part(p, fetched).await?
                        }
                        r => break r?,
                    }
                };
                if let Some(mut c) = from_index {
                    // Words: from the positions, no text. A postings shard's terms need
                    // their positions, so every positions shard comes first.
                    let ix_parts = self.index.borrow().parts();
                    let mut parts: Vec<PartId> = ix_parts
                        .iter()
                        .copied()
                        .filter(|p| !matches!(p, PartId::Post(_)))
                        .collect();
                    parts.extend(c.needs());
                    self.load_and_feed(&parts, hooks, fetched, |ix, s| c.feed(ix, s))
                        .await?;
                    return Ok(Outcome::Collocates(c.table(&self.index.borrow(), opts)));
                }
                let mut c = {
                    let ix = self.index.borrow();
                    Collocates::new(&ix, &q, filters, *window)?
                };
                let needs = c.needs();
                self.feed_docs(&needs, hooks, fetched, |d, t| c.feed(d, t))
                    .await?;
                Ok(Outcome::Collocates(c.table(opts)))
            }
            Job::Keyness { q, filters, opts } => {
                let q = match parse(q).map_err(SearchFailure::Parse)? {
                    Some(q) => {
                        self.load_parts(&q, &hooks.wanted, fetched).await?;
                        q
                    }
                    None => Query::default(),
                };
                let mut k = {
                    let ix = self.index.borrow();
                    Keyness::new(&ix, doc_set(&ix, &select(&ix, &q, filters)?))
                };
                // Display forms come from the word dictionary.
                let mut parts = vec![PartId::Words];
                parts.extend(k.needs());
                self.load_and_feed(&parts, hooks, fetched, |ix, s| k.feed(ix, s))
                    .await?;
                Ok(Outcome::Keyness(k.table(&self.index.borrow(), opts)))
            }
            Job::Dispersion { doc, q } => {
                let q = self.query(q, hooks, fetched).await?;
                let t = self.transcript(*doc, fetched).await?;
                let m = self.index.borrow().matcher(&q)?;
                Ok(Outcome::Dispersion(dispersion(&m, &t)))
            }
        }
    }

    /// Parses a view's query (which must name something) and loads its parts.
    async fn query(
        &self,
        q: &str,
        hooks: &Hooks<'_>,
        fetched: &mut Vec<String>,
    ) -> Result<Query, SearchFailure> {
        let q = parse(q).map_err(SearchFailure::Parse)?.ok_or_else(|| {
            SearchFailure::Parse(ParseError {
                message: "Type a word or phrase to see this view.".into(),
                span: (0, 0),
            })
        })?;
        self.load_parts(&q, &hooks.wanted, fetched).await?;
        Ok(q)
    }

    async fn trend(
        &self,
        queries: &[String],
        filters: &Filters,
        by: By,
        speakers: usize,
        hooks: &Hooks<'_>,
        fetched: &mut Vec<String>,
    ) -> Result<TrendAnswer, SearchFailure> {
        let base = {
            let ix = self.index.borrow();
            trend::base(&ix, &select(&ix, &Query::default(), filters)?, by)
        };
        let mut out = TrendAnswer {
            series: Vec::new(),
            by_speaker: Vec::new(),
        };
        for text in queries.iter().take(trend::MAX_QUERIES) {
            let q = self.query(text, hooks, fetched).await?;
            let s = self
                .series(text, &q, filters, &base, by, hooks, fetched)
                .await?;
            if out.series.is_empty() && speakers > 0 {
                let hits = select(&self.index.borrow(), &q, filters)?;
                for (name, _) in trend::top_speakers(&hits, speakers) {
                    let mut f = filters.clone();
                    f.values[Facet::Speaker] = vec![name.clone()];
                    let base = {
                        let ix = self.index.borrow();
                        trend::base(&ix, &select(&ix, &Query::default(), &f)?, by)
                    };
                    let s = self.series(text, &q, &f, &base, by, hooks, fetched).await?;
                    out.by_speaker.push((name, s));
                }
            }
            out.series.push(s);
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    async fn series(
        &self,
        text: &str,
        q: &Query,
        filters: &Filters,
        base: &std::collections::BTreeMap<String, (u64, u64)>,
        by: By,
        hooks: &Hooks<'_>,
        fetched: &mut Vec<String>,
    ) -> Result<Series, SearchFailure> {
        let mut tq = TrendQuery::new(&self.index.borrow(), text, q, filters)?;
        let needs = tq.needs_text();
        if !needs.is_empty() {
            let m = self.index.borrow().matcher(q)?;
            let mut counts = Vec::with_capacity(needs.len());
            self.feed_docs(&needs, hooks, fetched, |d, t| {
                counts.push((d, kwic::count_in(&m, t)))
            })
            .await?;
            let ix = self.index.borrow();
            for (d, n) in counts {
                tq.set_count(&ix, d, n);
            }
        }
        Ok(trend::series(&self.index.borrow(), &tq, base, by))
    }

    /// Loads the transcripts of `docs` pack by pack, a chunk of packs at a time (fetched
    /// together), and hands each to `feed`.
    async fn feed_docs(
        &self,
        docs: &[u32],
        hooks: &Hooks<'_>,
        fetched: &mut Vec<String>,
        mut feed: impl FnMut(u32, &Transcript),
    ) -> Result<(), SearchFailure> {
        // Pack by pack: each pack is read once, whatever order the job named.
        let mut by_pack: Vec<(u32, u32, u32)> = Vec::with_capacity(docs.len());
        for &d in docs {
            let &(p, slot) = self
                .docs
                .docs
                .get(d as usize)
                .ok_or_else(|| LoadError::Worker(format!("no pack for document {d}")))?;
            by_pack.push((p, slot, d));
        }
        by_pack.sort_unstable();
        let packs: Vec<u32> = by_pack
            .iter()
            .map(|x| x.0)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let total = docs.len();
        let mut done = 0;
        let mut at = 0;
        for chunk in packs.chunks(CHUNK) {
            let mut texts = Vec::with_capacity(chunk.len());
            for group in chunk.chunks(CONCURRENT) {
                let got = futures_util::future::join_all(
                    group
                        .iter()
                        .map(|&p| self.pack(&self.docs.packs[p as usize])),
                )
                .await;
                for (&p, r) in group.iter().zip(got) {
                    let (text, url) = r?;
                    fetched.extend(url);
                    texts.push((p, text));
                }
            }
            for (p, text) in texts {
                let file = &self.docs.packs[p as usize];
                while at < by_pack.len() && by_pack[at].0 == p {
                    let (_, slot, d) = by_pack[at];
                    let t =
                        bundle::transcript_from_pack(file, &text, slot).map_err(LoadError::from)?;
                    feed(d, &t);
                    at += 1;
                    done += 1;
                }
            }
            hooks.checkpoint(done, total).await?;
        }
        Ok(())
    }

    /// The transcript of document `doc`.
    async fn transcript(
        &self,
        doc: u32,
        fetched: &mut Vec<String>,
    ) -> Result<Transcript, SearchFailure> {
        let (file, slot) = self
            .docs
            .locate(doc)
            .ok_or_else(|| LoadError::Worker(format!("no pack for document {doc}")))?;
        let (text, url) = self.pack(file).await?;
        fetched.extend(url);
        Ok(bundle::transcript_from_pack(file, &text, slot).map_err(LoadError::from)?)
    }

    /// The text of pack `file` (and its URL when it was fetched now), from the cache or
    /// the network.
    async fn pack(&self, file: &str) -> Result<(Rc<String>, Option<String>), LoadError> {
        if let Some((_, t)) = self.packs.borrow().iter().find(|(f, _)| f == file) {
            return Ok((t.clone(), None));
        }
        let url = format!("{}{file}", self.base);
        let bytes = crate::fetch_bytes(&url).await?;
        let text = Rc::new(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        );
        let mut packs = self.packs.borrow_mut();
        if packs.len() >= PACK_CACHE {
            packs.remove(0);
        }
        packs.push((file.to_string(), text.clone()));
        Ok((text, Some(url)))
    }

    /// Loads `parts` in chunks, handing each postings shard to `feed` once loaded, with
    /// progress and supersession between chunks.
    async fn load_and_feed(
        &self,
        parts: &[PartId],
        hooks: &Hooks<'_>,
        fetched: &mut Vec<String>,
        mut feed: impl FnMut(&stenogram_core::search::Index, u32) -> Result<(), SearchError>,
    ) -> Result<(), SearchFailure> {
        let total = parts.len();
        for (i, chunk) in parts.chunks(CHUNK).enumerate() {
            for &p in chunk {
                self.load_part(p, fetched).await?;
                if let PartId::Post(s) = p {
                    feed(&self.index.borrow(), s)?;
                }
            }
            hooks
                .checkpoint((i * CHUNK + chunk.len()).min(total), total)
                .await?;
        }
        Ok(())
    }

    /// Loads part `p` unless it is loaded.
    async fn load_part(&self, p: PartId, fetched: &mut Vec<String>) -> Result<(), SearchFailure> {
        if self.loaded.borrow().contains(&p) {
            return Ok(());
        }
        let url = self.part_url(p)?;
        let bytes = crate::fetch_bytes(&url).await?;
        fetched.push(url);
        self.index
            .borrow_mut()
            .add_part(p, bytes)
            .map_err(LoadError::from)?;
        self.loaded.borrow_mut().insert(p);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_files_list_each_pack_once() {
        let mut docs = Vec::new();
        for (i, (file, slot)) in [("a.json", 0), ("a.json", 1), ("b.json", 0), ("a.json", 2)]
            .into_iter()
            .enumerate()
        {
            let t = Transcript::new(format!("d{i}"), "T");
            docs.push(DocMeta::in_pack(&t, file.into(), slot));
        }
        let f = DocFiles::from_docs(&docs);
        assert_eq!(f.packs, vec!["a.json", "b.json"]);
        assert_eq!(f.docs, vec![(0, 0), (0, 1), (1, 0), (0, 2)]);
        assert_eq!(f.locate(3), Some(("a.json", 2)));
        assert_eq!(f.locate(4), None);
    }
}

/// The jobs run natively on an engine whose parts and packs are all at hand (nothing to
/// fetch), against the core's own accumulators fed directly, as the CLI feeds them.
#[cfg(test)]
mod engine_tests {
    use std::cell::RefCell;
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    use super::*;
    use stenogram_core::bundle::IndexInfo;
    use stenogram_core::search::{build_index, BuildOptions, Index};
    use stenogram_core::workbench::kwic::KwicSort;

    /// Runs a future that never waits on anything outside (every part is loaded).
    fn block_on<F: Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    fn corpus() -> Vec<Transcript> {
        let texts = [
            (
                "2015-09-01",
                "Water is shared, and peace talks on water go on.",
            ),
            ("2016-03-02", "Talks on trade; peace is far, water is near."),
            (
                "2016-05-02",
                "Nothing about it, only trade and more trade and water.",
            ),
        ];
        texts
            .iter()
            .enumerate()
            .map(|(i, (date, text))| {
                let mut t = Transcript::new(format!("d{i}"), "Talks");
                t.date = Some(date.to_string());
                t.summary = vec![text.to_string(), format!("More water in {date}.")];
                t
            })
            .collect()
    }

    /// An engine over `docs`: two packs (documents 0 and 2 in one, 1 in the other, so
    /// that a job reads packs out of document order).
    fn engine(docs: &[Transcript]) -> (Engine, Index) {
        let files = build_index(docs, BuildOptions::default());
        let open = || {
            let mut ix = Index::open(&files.meta, files.dict.clone()).unwrap();
            for p in ix.parts() {
                ix.add_part(p, files.part(p).to_vec()).unwrap();
            }
            ix
        };
        let ix = open();
        let a = String::from_utf8(bundle::pack_to_json(&[&docs[0], &docs[2]]).unwrap()).unwrap();
        let b = String::from_utf8(bundle::pack_to_json(&[&docs[1]]).unwrap()).unwrap();
        let engine = Engine {
            base: "http://localhost/corpus/".into(),
            info: IndexInfo {
                format: 0,
                terms: 0,
                meta: String::new(),
                dict: String::new(),
                words: String::new(),
                post: Default::default(),
                pos: Default::default(),
                facets: Vec::new(),
                turns: String::new(),
                dict_shards: Default::default(),
                bytes: 0,
            },
            loaded: RefCell::new(ix.parts().into_iter().collect()),
            index: RefCell::new(open()),
            rows_info: Default::default(),
            summary: Default::default(),
            rows: RefCell::new(bundle::Rows::new(&Default::default())),
            ids: RefCell::new(bundle::IdIndex::new(&Default::default())),
            docs: DocFiles {
                packs: vec!["a.json".into(), "b.json".into()],
                docs: vec![(0, 0), (1, 0), (0, 1)],
            },
            packs: RefCell::new(vec![
                ("a.json".into(), Rc::new(a)),
                ("b.json".into(), Rc::new(b)),
            ]),
        };
        (engine, ix)
    }

    fn run(e: &Engine, job: Job, wanted: &dyn Fn() -> bool) -> Result<Outcome, SearchFailure> {
        let progress = |_, _| {};
        let pause = || -> futures_util::future::LocalBoxFuture<'static, ()> { Box::pin(async {}) };
        let hooks = Hooks {
            wanted,
            progress: &progress,
            pause: &pause,
        };
        block_on(e.run(&job, &hooks, &mut Vec::new()))
    }

    #[test]
    fn jobs_give_the_core_figures() {
        let docs = corpus();
        let (e, ix) = engine(&docs);
        let filters = Filters::default();
        let q = stenogram_core::search::parse("water").unwrap();

        let opts = KwicOptions {
            sort: KwicSort::Right1,
            limit: 3,
            offset: 1,
            ..Default::default()
        };
        let mut c = Concordance::new(&ix, &q, &filters, opts.clone()).unwrap();
        for d in c.needs() {
            c.feed(d, &docs[d as usize]);
        }
        let job = Job::Concordance {
            q: "water".into(),
            filters: filters.clone(),
            opts,
        };
        let Ok(Outcome::Concordance(page)) = run(&e, job, &|| true) else {
            panic!("no concordance")
        };
        assert_eq!(page, c.page());
        assert_eq!(page.total, Some(7));

        let mut co = Collocates::new(&ix, &q, &filters, 5).unwrap();
        for d in co.needs() {
            co.feed(d, &docs[d as usize]);
        }
        let job = Job::Collocates {
            q: "water".into(),
            filters: filters.clone(),
            window: 5,
            opts: CollocOptions::default(),
        };
        let Ok(Outcome::Collocates(t)) = run(&e, job, &|| true) else {
            panic!("no collocates")
        };
        let want = co.table(&CollocOptions::default());
        assert_eq!(
            t.rows
                .iter()
                .map(|r| (&r.stem, r.cooc, r.freq))
                .collect::<Vec<_>>(),
            want.rows
                .iter()
                .map(|r| (&r.stem, r.cooc, r.freq))
                .collect::<Vec<_>>()
        );

        let job = Job::Trend {
            queries: vec!["water".into(), "\"peace talks\"".into()],
            filters: filters.clone(),
            by: By::Year,
            speakers: 0,
        };
        let Ok(Outcome::Trend(a)) = run(&e, job, &|| true) else {
            panic!("no trend")
        };
        assert_eq!(a.series.len(), 2);
        let hits: Vec<u64> = a.series[0].buckets.iter().map(|b| b.hits).collect();
        assert_eq!(hits, vec![3, 4]);

        let job = Job::Dispersion {
            doc: 2,
            q: "trade".into(),
        };
        let Ok(Outcome::Dispersion(d)) = run(&e, job, &|| true) else {
            panic!("no dispersion")
        };
        assert_eq!(
            d,
            dispersion(
                &ix.matcher(&stenogram_core::search::parse("trade").unwrap())
                    .unwrap(),
                &docs[2]
            )
        );
    }

    /// A job that a newer one superseded stops at its next chunk, with no answer.
    #[test]
    fn a_superseded_job_stops() {
        let docs = corpus();
        let (e, _) = engine(&docs);
        // A phrase is read from the text, pack by pack.
        let job = Job::Collocates {
            q: "\"peace talks\"".into(),
            filters: Filters::default(),
            window: 5,
            opts: CollocOptions::default(),
        };
        assert!(matches!(
            run(&e, job.clone(), &|| true),
            Ok(Outcome::Collocates(_))
        ));
        assert!(matches!(
            run(&e, job, &|| false),
            Err(SearchFailure::Superseded)
        ));
        let job = Job::Keyness {
            q: "trade".into(),
            filters: Filters::default(),
            opts: KeynessOptions::default(),
        };
        assert!(matches!(
            run(&e, job, &|| false),
            Err(SearchFailure::Superseded)
        ));
    }
}
