//! The messages between the page and the search worker, each a byte string in
//! [postcard](https://docs.rs/postcard) (a `Uint8Array` on the wire). Postcard rather
//! than JSON: a reader's decoder of these types is a fraction of serde_json's (no field
//! names, no number parsing), and that decoder is in the page's first download. A worker's
//! loader that cannot start the wasm says why as a plain string instead, which the page
//! reads as [`Response::Failed`].
//!
//! 1. The worker starts and says [`Response::Ready`] (or [`Response::Failed`], and the
//!    page then runs the worker's wasm on its own thread, through the same messages).
//! 2. The page sends [`Request::Open`] with the bundle's URL; the worker reads the
//!    manifest and the index's entry files and answers [`Response::Opened`] with the
//!    corpus summary.
//! 3. Then any number of [`Request::Search`], each with an id that its answer repeats. A
//!    search supersedes every earlier one: the worker stops an older search at its next
//!    shard fetch ([`crate::SearchFailure::Superseded`]), and the page drops any answer
//!    that is not to its latest search.
//! 4. [`Request::Snippets`] of a hit, [`Request::Document`] (a transcript for the reading
//!    view, with its highlights), [`Request::Highlight`] (the find box) and
//!    [`Request::Quote`]: each answered once, never superseded. [`Request::Warm`],
//!    [`Request::WarmQuote`] and [`Request::QuoteParts`] get no answer.
//!    [`Request::Lane`] (unanswered too) names a channel that each search's answer
//!    takes as well.
//! 5. And [`Request::Bench`], a workbench job ([`Job`]): the worker answers with
//!    [`Response::Progress`] between chunks of a long job, then [`Response::Bench`]. A
//!    newer job (or [`Request::Cancel`]) supersedes a running one: it stops at its next
//!    chunk and answers [`SearchFailure::Superseded`]. Searches and jobs do not supersede
//!    each other: the results and an open view are different lanes.
//!
//! The workbench's jobs and answers and the quote finder's answers travel [`Nested`]: as
//! their own encoding, inside the message. The page reads those answers
//! ([`PageResponse`]) as [`Deferred`] bytes and decodes them where they are shown, in the parts of its code
//! that load on first use (the app's `src/split.rs`): decoders are code, and a first
//! visit should not download theirs.
//!
//! Every answer that fetched bundle files lists their URLs (`fetched`), so that the page
//! can have the service worker keep them (a worker started before the service worker
//! took over is not controlled by it).

use serde::de::{DeserializeOwned, Error as _, Visitor};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use stenogram_core::search::{Filters, SearchOptions, Snippet};

use crate::bench::{Job, Outcome};
use crate::reading::{DocAnswer, DocHighlights, QuoteAnswer};
use crate::{Answer, CorpusSummary, LoadError, SearchFailure};

/// From the page to the worker. `J` is a workbench job as the worker reads it
/// ([`JobField`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request<J = Nested<Job>> {
    /// Opens the bundle. `base` is the bundle folder's absolute URL (ending in `/`).
    Open { base: String },
    /// Runs a query (empty: browse). The worker fetches the transcripts of its first
    /// `snippets` hits with their rows: the page asks for their snippets next
    /// ([`Request::Snippets`]).
    Search {
        id: u32,
        q: String,
        opts: SearchOptions,
        snippets: u32,
    },
    /// The snippets of document `doc` for the query text `q`.
    Snippets { id: u32, q: String, doc: u32 },
    /// The transcript `doc_id`, with the highlights of `q` (may be empty).
    Document { id: u32, doc_id: String, q: String },
    /// The highlights of `q` in document `doc`.
    Highlight { id: u32, doc: u32, q: String },
    /// The sources of a quote (issue 15), under `filters`.
    Quote {
        id: u32,
        text: String,
        filters: Filters,
    },
    /// A workbench job.
    Bench { id: u32, job: J },
    /// Stops the running workbench job (the Cancel button).
    Cancel,
    /// Opens the index now, unanswered: the reader is about to search (the search box
    /// has the focus), so the first query need not wait for it. Home alone never does.
    Warm,
    /// [`Request::Warm`], and what every quote reads besides its own words' postings
    /// (the whole stem dictionary and the documents' lengths), then a first run of the
    /// quote finder's code (issue 15): the reader is on the quote page, about to paste.
    /// Unanswered.
    WarmQuote,
    /// Loads the index parts the quote `text` reads under `filters` (its words'
    /// postings), unanswered: the reader has just pasted it and is about to press Check,
    /// and a [`Request::Quote`] of the same text waits for these instead of asking again.
    QuoteParts { text: String, filters: Filters },
    /// Post each search's answer on the `BroadcastChannel` named `channel` too, from
    /// now on; unanswered (the page sends it once, after [`Response::Ready`], where it has
    /// the channel). Why: after a key press Chromium holds a worker's posted messages
    /// until the next frame is drawn (`DeferRendererTasksAfterInput`), up to a frame
    /// (16 ms) after the answer was ready. A channel's messages are not held, but they
    /// pass through the browser's process, a longer way when nothing is held. So a
    /// search's answer takes both, and the page reads whichever comes first (session 24,
    /// a page with nothing else, Enter to answer: p50 / p95 4.8 / 17.4 ms by the worker's
    /// messages, 1.6 / 3.3 ms by a channel).
    Lane { channel: String },
}

/// From the worker to the page. `B` is a workbench job's answer and `Q` a quote's: the
/// worker sends [`Response`] as is, the page reads it as [`PageResponse`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response<B = Nested<Box<Outcome>>, Q = Nested<Box<QuoteAnswer>>> {
    /// The worker's wasm is running and listens.
    Ready,
    /// The worker could not start (sent by its loader script), or died.
    Failed(String),
    Opened(Result<CorpusSummary, LoadError>),
    Searched {
        id: u32,
        /// Boxed: an answer is far larger than the other messages.
        result: Result<Box<Answer>, SearchFailure>,
        fetched: Vec<String>,
    },
    Snippets {
        id: u32,
        result: Result<Vec<Snippet>, SearchFailure>,
        fetched: Vec<String>,
    },
    Document {
        id: u32,
        result: Result<Box<DocAnswer>, SearchFailure>,
        fetched: Vec<String>,
    },
    Highlighted {
        id: u32,
        result: Result<Option<DocHighlights>, SearchFailure>,
        fetched: Vec<String>,
    },
    Quoted {
        id: u32,
        result: Result<Q, SearchFailure>,
        fetched: Vec<String>,
    },
    /// A long job's progress: `done` of `total` units (transcripts, or index shards).
    Progress {
        id: u32,
        done: usize,
        total: usize,
    },
    Bench {
        id: u32,
        result: Result<B, SearchFailure>,
        fetched: Vec<String>,
    },
}

/// A workbench job as a worker reads it: a [`Job`] in the workbench worker; unread
/// ([`Deferred`]) in the search worker, which runs none (the page sends jobs to the
/// workbench worker) and so links no decoder of the jobs and their options.
pub trait JobField: DeserializeOwned + 'static {
    /// Whether a newer job stops this one ([`Job::supersedable`]).
    fn supersedable(&self) -> bool;
}

impl JobField for Nested<Job> {
    fn supersedable(&self) -> bool {
        self.0.supersedable()
    }
}

impl JobField for Deferred {
    fn supersedable(&self) -> bool {
        false
    }
}

/// The search worker's answer to a workbench job or a quote, which it never runs: its
/// [`Response`]s are `Response<NoAnswer, NoAnswer>`, so that it links no encoder of
/// the workbench's tables either.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum NoAnswer {}

/// A [`Response`] without a job's or a quote's answer: all the search worker sends, and
/// what either worker says of itself (`Ready`, `Failed`, `Progress`).
pub type SearchResponse = Response<NoAnswer, NoAnswer>;

/// A [`Response`] as the page reads it: the workbench's and the quote finder's answers
/// left encoded until the code that shows them decodes them.
pub type PageResponse = Response<Deferred, Deferred>;

/// A value carried as its own encoding, a byte string within the message, so that a
/// reader may keep it unread ([`Deferred`]) and link no decoder of `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Nested<T>(pub T);

impl<T: Serialize> Serialize for Nested<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bytes = postcard::to_allocvec(&self.0).map_err(S::Error::custom)?;
        s.serialize_bytes(&bytes)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Nested<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Deferred(bytes) = Deferred::deserialize(d)?;
        postcard::from_bytes(&bytes)
            .map(Nested)
            .map_err(D::Error::custom)
    }
}

/// A [`Nested`] value's bytes, unread: [`Deferred::decode`] reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred(Vec<u8>);

impl Deferred {
    /// The value as a `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        decode(&self.0)
    }
}

impl Serialize for Deferred {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Deferred {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = Deferred;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte string")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Deferred, E> {
                Ok(Deferred(v.to_vec()))
            }
        }
        d.deserialize_bytes(Bytes)
    }
}

impl<B, Q> Response<B, Q> {
    /// The id of the request this answers (none for the start-up messages and progress).
    pub fn answers(&self) -> Option<u32> {
        match self {
            Response::Searched { id, .. }
            | Response::Snippets { id, .. }
            | Response::Document { id, .. }
            | Response::Highlighted { id, .. }
            | Response::Quoted { id, .. }
            | Response::Bench { id, .. } => Some(*id),
            Response::Ready
            | Response::Failed(_)
            | Response::Opened(_)
            | Response::Progress { .. } => None,
        }
    }

    /// The message's kind, for an error that names an unexpected one: a name, not the
    /// message's `Debug`, which would link every field type's formatter (floats' among
    /// them) into the page.
    pub fn name(&self) -> &'static str {
        match self {
            Response::Ready => "Ready",
            Response::Failed(_) => "Failed",
            Response::Opened(_) => "Opened",
            Response::Searched { .. } => "Searched",
            Response::Snippets { .. } => "Snippets",
            Response::Document { .. } => "Document",
            Response::Highlighted { .. } => "Highlighted",
            Response::Quoted { .. } => "Quoted",
            Response::Progress { .. } => "Progress",
            Response::Bench { .. } => "Bench",
        }
    }

    /// The bundle files fetched to answer.
    pub fn fetched(&self) -> &[String] {
        match self {
            Response::Searched { fetched, .. }
            | Response::Snippets { fetched, .. }
            | Response::Document { fetched, .. }
            | Response::Highlighted { fetched, .. }
            | Response::Quoted { fetched, .. }
            | Response::Bench { fetched, .. } => fetched,
            _ => &[],
        }
    }
}

/// A message as sent.
pub fn encode<T: Serialize>(m: &T) -> Vec<u8> {
    // Every type here serialises (no skipped field, no skipped variant is ever sent);
    // should one not, the other side reads a `Failed` instead.
    postcard::to_allocvec(m)
        .unwrap_or_else(|e| failed_bytes(&format!("unserialisable message: {e}")))
}

/// `Response::Failed(why)` as sent, spelled without `Response`'s serialiser: `encode` of a
/// request must not pull that serialiser into the page's wasm. Postcard writes a variant
/// as its index (`Failed` is the second) and a string as its length and bytes, both
/// lengths as LEB128 varints.
fn failed_bytes(why: &str) -> Vec<u8> {
    let mut out = vec![1];
    let mut n = why.len();
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out.extend_from_slice(why.as_bytes());
    out
}

/// A message as received.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("unreadable message: {e}"))
}

#[cfg(test)]
mod tests;
