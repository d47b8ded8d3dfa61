//! The research workbench's jobs, as the worker runs them (docs/workbench.md): a
//! concordance, a trend, collocates, distinctive words (keyness) and the dispersion of
//! a query in one transcript, over the transcripts a query and its filters select.
//!
//! The figures are `stenogram_core::workbench`'s; this module only gets them their
//! input. A job that reads text fetches the transcripts' packs through [`crate::docs`]
//! (their rows say which pack); a keyness job fetches every postings shard. Jobs
//! feed their accumulator in chunks of packs or shards (collocates of words come from
//! the index's positions, as `stenogram collocates` does; of other queries, from the
//! text); between chunks they report progress, give the worker's event loop a turn (so
//! that a newer request is heard) and stop once a newer job superseded them.

use serde::{Deserialize, Serialize};

use stenogram_core::bundle;
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

    /// Whether the job loads the whole stem dictionary first. Collocates and keyness
    /// list words by stem (`Index::term_texts`); the other views do not, but load it with
    /// their first job too, so that each next word typed into a view finds its shard at
    /// hand (a word's own shard is otherwise a round of requests before its postings, on
    /// every new concordance page). A dispersion, asked for by the reading view beside
    /// its transcript, reads only its query's shards.
    fn needs_dictionary(&self) -> bool {
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

/// Packs asked for at once: the browser queues what its connections cannot carry
/// (six per host over HTTP/1.1), and a pack that comes early is read while the others
/// are on their way.
const IN_FLIGHT: usize = 16;
/// Index parts per chunk, fetched together; supersession is checked between chunks.
const CHUNK: usize = 32;
/// Least time between two turns given to the event loop. A zero timeout waits 4 ms
/// once nested (the HTML timer rules), so a pause per chunk cost a collocates job of
/// 1,500 parts half a second; a turn every 30 ms still hears a newer request at once
/// to a reader and keeps progress smooth.
const PAUSE_EVERY_MS: f64 = 30.0;

thread_local! {
    /// When a job last gave the event loop a turn ([`now_ms`]).
    static LAST_PAUSE: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NEG_INFINITY) };
}

/// Milliseconds on a monotonic clock: the worker's `performance.now()`-like `Date.now`
/// in the browser, `Instant` natively (tests).
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64()
            * 1000.0
    }
}

/// What a running job is told and tells: whether it is still wanted, its progress.
pub struct Hooks<'a> {
    pub wanted: &'a dyn Fn() -> bool,
    /// (done, total) units of work (transcripts or shards).
    pub progress: &'a dyn Fn(usize, usize),
    /// Gives the event loop a turn (the worker: a zero timeout; elsewhere nothing).
    pub pause: &'a dyn Fn() -> futures_util::future::LocalBoxFuture<'static, ()>,
}

impl Hooks<'_> {
    /// Between two chunks of work: reports progress and gives the event loop a turn
    /// when [`PAUSE_EVERY_MS`] passed since the last, then stops if a newer job came.
    async fn checkpoint(&self, done: usize, total: usize) -> Result<(), SearchFailure> {
        let now = now_ms();
        if now - LAST_PAUSE.get() >= PAUSE_EVERY_MS {
            (self.progress)(done, total);
            (self.pause)().await;
            LAST_PAUSE.set(now_ms());
        }
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
        if job.needs_dictionary() {
            self.load_for_jobs(&hooks.wanted, fetched).await?;
        } else {
            // The default search's parts; the stem dictionary only as far as the query
            // needs it (a reader's dispersion fetched all its shards, 36 at 18k).
            self.load_parts(&Query::default(), &hooks.wanted, fetched)
                .await?;
        }
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
                    // Words and phrases: from the positions, no text. A postings shard's terms need
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
                let mut parts = self.index.borrow().words_missing();
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
                let top = {
                    let ix = self.index.borrow();
                    trend::top_speakers(&ix, &select(&ix, &q, filters)?, speakers)
                };
                for (name, _) in top {
                    // Their occurrences over their words: the query in their turns
                    // (positions), in the transcripts where they speak.
                    let mut f = filters.clone();
                    f.values[Facet::Speaker] = vec![name.clone()];
                    let sq = trend::speaker_query(&q, &name);
                    self.load_parts(&sq, &hooks.wanted, fetched).await?;
                    let base = {
                        let ix = self.index.borrow();
                        let set = select(&ix, &Query::default(), &f)?;
                        trend::speaker_base(&ix, &set, &name, by)
                    };
                    let s = self
                        .series(text, &sq, &f, &base, by, hooks, fetched)
                        .await?;
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

    /// Loads the transcripts of `docs` pack by pack, [`IN_FLIGHT`] packs on their way
    /// at a time, and hands each to `feed` as its pack comes.
    async fn feed_docs(
        &self,
        docs: &[u32],
        hooks: &Hooks<'_>,
        fetched: &mut Vec<String>,
        mut feed: impl FnMut(u32, &Transcript),
    ) -> Result<(), SearchFailure> {
        use futures_util::stream::{self, StreamExt};
        // Pack by pack: each pack is read once, whatever order the job named. Their
        // paths follow from the documents' numbers: no row to fetch first.
        let mut located = Vec::with_capacity(docs.len());
        for &d in docs {
            located.push(self.locate(d).await?);
        }
        let mut files: Vec<&str> = located.iter().map(|(f, _)| f.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let mut by_pack: Vec<(u32, u32, u32)> = docs
            .iter()
            .zip(&located)
            .map(|(&d, (f, slot))| {
                let p = files.binary_search(&f.as_str()).unwrap_or_default();
                (p as u32, *slot, d)
            })
            .collect();
        by_pack.sort_unstable();
        let total = docs.len();
        let mut done = 0;
        let mut at = 0;
        let files = &files;
        let mut packs = stream::iter(0..files.len())
            .map(|p| async move { (p as u32, self.pack(files[p]).await) })
            .buffered(IN_FLIGHT);
        while let Some((p, got)) = packs.next().await {
            let (text, url) = got?;
            fetched.extend(url);
            let file = files[p as usize];
            while at < by_pack.len() && by_pack[at].0 == p {
                let (_, slot, d) = by_pack[at];
                let t = bundle::transcript_from_pack(file, &text, slot).map_err(LoadError::from)?;
                feed(d, &t);
                at += 1;
                done += 1;
            }
            hooks.checkpoint(done, total).await?;
        }
        Ok(())
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
            // A chunk's missing parts in one round.
            let missing: Vec<PartId> = {
                let loaded = self.loaded.borrow();
                chunk
                    .iter()
                    .copied()
                    .filter(|p| !loaded.contains(p))
                    .collect()
            };
            if !missing.is_empty() {
                self.add_parts(missing, fetched).await?;
            }
            for &p in chunk {
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
        self.add_parts(vec![p], fetched).await
    }
}

#[cfg(test)]
mod engine_tests;
