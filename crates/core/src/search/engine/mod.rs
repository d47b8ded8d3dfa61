//! The search engine over a loaded index.
//!
//! - this module: [`Index`], opening it and adding parts, and planning which parts a
//!   query needs;
//! - [`resolve`]: a parsed query into term ids and facet value ids;
//! - [`exec`]: boolean evaluation and BM25 ranking, the page of hits;
//! - [`phrase`]: placing a phrase by its words' (or pairs') positions;
//! - [`facets`]: filters and disjunctive facet counts;
//! - [`results`]: what a search is asked and answers.

use std::collections::BTreeSet;

use crate::search::facet::{Facet, FacetMap};
use crate::search::keyshard;
use crate::search::layout::{PartId, DICT_PATH, META_PATH};
use crate::search::meta::{listed, Meta, TurnRange};
use crate::search::postings::{check_post_shard, check_post_terms, term_entry, TermPostings};
use crate::search::query::Node;
use crate::search::query::Query;
use crate::search::snippet::Matcher;
use crate::search::squeeze;
use crate::search::{IndexError, SearchError};

mod exec;
mod facets;
mod phrase;
mod resolve;
mod results;
mod stats;

pub use resolve::{MAX_PREFIX_TERMS, MAX_QUERY_TERMS, MAX_TYPO_TERMS};
pub use results::{
    FacetCount, FacetList, Facets, Filters, Hit, SearchOptions, SearchResults, Sort, LAZY_FACETS,
};

/// A loaded index. Open it with `meta.bin` and the stem dictionary, then add the parts
/// that [`Index::plan`] (or [`Index::plan_for`]) names until it names none (or all of
/// [`Index::parts`]).
pub struct Index {
    meta: Meta,
    dict: Dict,
    /// The word dictionary's shards, loaded as prefixes and typos need them.
    words: Vec<Option<fst::Map<Vec<u8>>>>,
    post: Vec<Option<Vec<u8>>>,
    pos: Vec<Option<Vec<u8>>>,
    /// Folded words of every facet value, for `field:` conditions.
    folded_values: FacetMap<Vec<Vec<String>>>,
    /// Per facet, every value's count over the whole corpus.
    facet_totals: FacetMap<Vec<u32>>,
}

/// The fst map in `bytes`, its checksum verified: a damaged dictionary is an error here,
/// not a wrong answer (or a panic) during a walk.
fn fst_map(what: &str, bytes: Vec<u8>) -> Result<fst::Map<Vec<u8>>, IndexError> {
    super::fstcheck::checked_map(bytes).map_err(|e| IndexError::Corrupt {
        what: format!("{what}: {e}"),
        offset: 0,
    })
}

/// The stem dictionary: whole, or by key-range shards added as a query needs them.
enum Dict {
    Whole(fst::Map<Vec<u8>>),
    Shards(Vec<Option<fst::Map<Vec<u8>>>>),
}

/// The shard holding `term`, given the shards' first terms.
fn shard_of(bounds: &[u32], term: u32) -> u32 {
    (bounds.partition_point(|&b| b <= term).max(1) - 1) as u32
}

impl Index {
    /// Opens an index from `meta.bin` and `dict.fst`; every other part (the documents'
    /// dates and lengths, their ids, the word dictionary, postings, positions, facets,
    /// turns) is added with [`Index::add_part`]
    /// as [`Index::plan`] asks for it, or all at once ([`Index::parts`]). With an empty
    /// `dict`, the stem dictionary comes in shards too ([`PartId::Dict`]): opening then
    /// reads `meta.bin` alone.
    ///
    /// Every file may come in the bundle's deflate envelope ([`crate::search::squeeze`]).
    pub fn open(meta: &[u8], dict: Vec<u8>) -> Result<Index, IndexError> {
        let meta = match meta.starts_with(squeeze::MAGIC) {
            true => Meta::decode(&squeeze::unsqueeze(META_PATH, meta.to_vec())?)?,
            false => Meta::decode(meta)?,
        };
        let dict = squeeze::unsqueeze(DICT_PATH, dict)?;
        let dict = if dict.is_empty() {
            Dict::Shards(vec![None; meta.dict_bounds.len()])
        } else {
            Dict::Whole(fst_map(DICT_PATH, dict)?)
        };
        let mut ix = Index {
            words: vec![None; meta.words_bounds.len()],
            post: vec![None; meta.post_bounds.len()],
            pos: vec![None; meta.pos_bounds.len()],
            meta,
            dict,
            folded_values: FacetMap::default(),
            facet_totals: FacetMap::default(),
        };
        for f in Facet::ALL {
            if ix.meta.facet_loaded[f] {
                ix.derive_facet(f);
            }
        }
        Ok(ix)
    }

    /// A loaded facet's folded values and corpus-wide counts.
    fn derive_facet(&mut self, f: Facet) {
        let meta = &self.meta;
        self.folded_values[f] = meta.values[f]
            .iter()
            .map(|v| crate::search::analysis::folded_words(v))
            .collect();
        let mut t = vec![0u32; meta.values[f].len()];
        if f == Facet::Year {
            for r in &meta.year_runs {
                t[r.year as usize] += r.len;
            }
        } else {
            let (offs, ids) = &meta.doc_values[f];
            for d in 0..meta.n_docs {
                for &v in &ids[offs[d] as usize..offs[d + 1] as usize] {
                    t[v as usize] += 1;
                }
            }
        }
        self.facet_totals[f] = t;
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        self.meta.n_docs
    }

    /// The id of document `doc` (`None` too while the ids part, [`PartId::Ids`], is not
    /// loaded).
    pub fn doc_id(&self, doc: u32) -> Option<&str> {
        self.meta.ids.get(doc as usize).map(String::as_str)
    }

    /// Number of distinct index terms (stems).
    pub fn term_count(&self) -> u32 {
        self.meta.n_terms
    }

    /// Every part: the documents' dates and lengths, their ids, the stem-dictionary
    /// shards (when opened without the whole dictionary), the word dictionary, the
    /// facets, the turns, the postings shards, the positions shards.
    pub fn parts(&self) -> Vec<PartId> {
        let dict = match &self.dict {
            Dict::Whole(_) => 0,
            Dict::Shards(v) => v.len() as u32,
        };
        [PartId::Docs, PartId::Ids]
            .into_iter()
            .chain((0..dict).map(PartId::Dict))
            .chain((0..self.words.len() as u32).map(PartId::Words))
            .chain(listed().map(PartId::Facet))
            .chain(std::iter::once(PartId::Turns))
            .chain((0..self.post.len() as u32).map(PartId::Post))
            .chain((0..self.pos.len() as u32).map(PartId::Pos))
            .collect()
    }

    /// Adds a shard's bytes (raw, or in the bundle's deflate envelope).
    pub fn add_part(&mut self, id: PartId, bytes: Vec<u8>) -> Result<(), IndexError> {
        let bytes = squeeze::unsqueeze(&id.path(), bytes)?;
        match id {
            PartId::Docs => self.meta.add_docs(&bytes)?,
            PartId::Ids => self.meta.add_ids(&bytes)?,
            PartId::Words(i) => {
                let n = u64::from(self.meta.n_terms);
                let map = keyshard::open_shard(id, bytes, i as usize, &self.meta.words_bounds, n)?;
                self.words[i as usize] = Some(map);
            }
            PartId::Post(i) => {
                let slot = self
                    .post
                    .get_mut(i as usize)
                    .ok_or(IndexError::UnknownPart(id))?;
                let (first, _) = check_post_shard(&bytes)?;
                if first != self.meta.post_bounds[i as usize] {
                    return Err(IndexError::Corrupt {
                        what: id.path(),
                        offset: 4,
                    });
                }
                check_post_terms(&bytes, self.meta.n_docs).map_err(|term| IndexError::Corrupt {
                    what: format!("{} (its term {term})", id.path()),
                    offset: 12,
                })?;
                *slot = Some(bytes);
            }
            PartId::Pos(i) => {
                let slot = self
                    .pos
                    .get_mut(i as usize)
                    .ok_or(IndexError::UnknownPart(id))?;
                *slot = Some(bytes);
            }
            PartId::Facet(f) => {
                if !listed().any(|g| g == f) {
                    return Err(IndexError::UnknownPart(id));
                }
                self.meta.add_facet(f, &bytes)?;
                self.derive_facet(f);
            }
            PartId::Turns => self.meta.add_turns(&bytes)?,
            PartId::Dict(i) => {
                let i = i as usize;
                let Dict::Shards(shards) = &mut self.dict else {
                    // Opened with the whole dictionary: it has every shard's keys.
                    return Ok(());
                };
                let n = u64::from(self.meta.n_terms);
                let map = keyshard::open_shard(id, bytes, i, &self.meta.dict_bounds, n)?;
                shards[i] = Some(map);
            }
        }
        Ok(())
    }

    /// Whether `stem` is an index term, so that a query word with that stem resolves to
    /// it exactly (no typo expansion, no word dictionary); `MissingPart` when its
    /// stem-dictionary shard is not loaded.
    pub fn has_stem(&self, stem: &str) -> Result<bool, SearchError> {
        Ok(self.term_id(stem)?.is_some())
    }

    /// The term id of a stem-dictionary key (a stem or a pair key); `MissingPart` when
    /// its shard is not loaded.
    pub(super) fn term_id(&self, key: &str) -> Result<Option<u32>, SearchError> {
        match &self.dict {
            Dict::Whole(m) => Ok(m.get(key).map(|v| v as u32)),
            Dict::Shards(shards) => {
                let Some(i) = self.dict_shard(key) else {
                    return Ok(None);
                };
                shards[i]
                    .as_ref()
                    .map(|m| m.get(key).map(|v| v as u32))
                    .ok_or(SearchError::MissingPart(PartId::Dict(i as u32)))
            }
        }
    }

    /// The stem-dictionary shard whose key range holds `key` (`None` when the index
    /// has no terms).
    fn dict_shard(&self, key: &str) -> Option<usize> {
        keyshard::shard_for(&self.meta.dict_bounds, key.as_bytes())
    }

    /// The stem-dictionary shards that resolving `q` reads and that are not loaded: its
    /// words' stems (but a prefix's) and its phrases' stems and pair keys.
    fn dict_needs(&self, q: &Query) -> Vec<PartId> {
        let Dict::Shards(shards) = &self.dict else {
            return Vec::new();
        };
        fn keys(n: &Node, out: &mut Vec<String>) {
            match n {
                Node::Word(w) if !w.prefix => out.push(w.term.clone()),
                Node::Phrase(ws) => {
                    out.extend(ws.iter().map(|w| w.term.clone()));
                    for p in ws.windows(2) {
                        out.push(crate::search::layout::pair_key(&p[0].term, &p[1].term));
                        out.push(crate::search::layout::pair_pos_key(&p[0].term, &p[1].term));
                    }
                }
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| keys(c, out)),
                Node::Not(c) => keys(c, out),
                Node::Word(_) | Node::Field(..) | Node::Date(_) => {}
            }
        }
        let mut ks = Vec::new();
        if let Some(r) = &q.root {
            keys(r, &mut ks);
        }
        // Extended, not collected: collecting into a BTreeSet sorts a Vec first, 3 KB of
        // wasm for each element type (see `search::heapsort`).
        let mut set = BTreeSet::new();
        set.extend(
            ks.iter()
                .filter_map(|k| self.dict_shard(k))
                .filter(|&i| shards[i].is_none())
                .map(|i| PartId::Dict(i as u32)),
        );
        set.into_iter().collect()
    }

    /// The stem dictionary's loaded maps, in key order.
    pub(super) fn dict_maps(&self) -> Vec<&fst::Map<Vec<u8>>> {
        match &self.dict {
            Dict::Whole(m) => vec![m],
            Dict::Shards(v) => v.iter().flatten().collect(),
        }
    }

    /// Every word-dictionary shard not loaded: what [`Index::term_forms`] reads.
    pub fn words_missing(&self) -> Vec<PartId> {
        (0..self.words.len())
            .filter(|&i| self.words[i].is_none())
            .map(|i| PartId::Words(i as u32))
            .collect()
    }

    /// Every stem-dictionary shard not loaded: what [`Index::term_texts`] reads.
    pub fn dict_missing(&self) -> Vec<PartId> {
        match &self.dict {
            Dict::Whole(_) => Vec::new(),
            Dict::Shards(v) => (0..v.len())
                .filter(|&i| v[i].is_none())
                .map(|i| PartId::Dict(i as u32))
                .collect(),
        }
    }

    /// The per-document parts that `q` (and, when given, the options it runs with)
    /// needs and that are not loaded, in a fixed order. `q`'s own: its `name:`
    /// conditions' facets, the dates for a date condition, the turns and the speakers
    /// for a `speaker:` or `in:` scope. `opts`': the counted facets', a filtered
    /// facet's, the dates for a date range filter, the ids, dates and speakers of hits
    /// that carry them ([`SearchOptions::hit_details`]). Ranking reads lengths from
    /// the postings, sorting by date is by document number, and the year facet and
    /// year filters read `meta.bin`'s runs: a plain search needs no per-document part.
    fn meta_needs(&self, q: &Query, opts: Option<&SearchOptions>) -> Vec<PartId> {
        fn fields(n: &Node, out: &mut BTreeSet<Facet>, dates: &mut bool) {
            match n {
                Node::Field(f, _) => {
                    out.insert(*f);
                }
                Node::Date(_) => *dates = true,
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| fields(c, out, dates)),
                Node::Not(c) => fields(c, out, dates),
                Node::Word(_) | Node::Phrase(_) => {}
            }
        }
        let mut facets = BTreeSet::new();
        let mut docs = false;
        if let Some(r) = &q.root {
            fields(r, &mut facets, &mut docs);
        }
        let scoped = !q.speakers.is_empty() || !q.roles.is_empty();
        if scoped {
            // A scope names speakers by the speaker facet's values.
            facets.insert(Facet::Speaker);
        }
        let mut ids = false;
        if let Some(o) = opts {
            if o.facets {
                facets.extend(
                    Facet::ALL
                        .into_iter()
                        .filter(|f| !o.skip_facets.contains(f)),
                );
            }
            facets.extend(
                Facet::ALL
                    .into_iter()
                    .filter(|&f| !o.filters.values[f].is_empty()),
            );
            if o.hit_details && o.limit > 0 {
                ids = true;
                docs = true;
                facets.insert(Facet::Speaker);
            }
            docs |= o.filters.date.is_some();
        }
        // The years are in meta.bin.
        facets.remove(&Facet::Year);
        let mut out = Vec::new();
        if docs && !self.meta.docs_loaded {
            out.push(PartId::Docs);
        }
        if ids && !self.meta.ids_loaded {
            out.push(PartId::Ids);
        }
        out.extend(
            facets
                .into_iter()
                .filter(|&f| !self.meta.facet_loaded[f])
                .map(PartId::Facet),
        );
        if scoped && !self.meta.turns_loaded {
            out.push(PartId::Turns);
        }
        out
    }

    /// [`SearchError::MissingPart`] for the first facet or turns part that a search of
    /// `q` with `opts` (or a highlighter, without) needs and is not loaded.
    fn require(&self, q: &Query, opts: Option<&SearchOptions>) -> Result<(), SearchError> {
        match self.meta_needs(q, opts).first() {
            Some(&p) => Err(SearchError::MissingPart(p)),
            None => Ok(()),
        }
    }

    /// The parts a search of `q` with the default options (facet counts included) needs
    /// that are not loaded yet: [`Index::plan_for`] with [`SearchOptions::default`].
    pub fn plan(&self, q: &Query) -> Result<Vec<PartId>, SearchError> {
        self.plan_for(q, &SearchOptions::default())
    }

    /// The parts a search of `q` with `opts` needs that are not loaded yet, in a fixed
    /// order. Add them and ask again until the answer is empty: a prefix or a misspelt
    /// word first needs the word dictionary, and a `name:` condition its facet's part,
    /// and only then can the query's shards be named. With an empty plan,
    /// [`Index::search`] with `opts` and [`Index::matcher`] will not fail for lack of a
    /// part. Facet parts are named only for facet counts (`opts.facets`), filters and
    /// `name:` conditions; the turns only for a `speaker:` or `in:` scope.
    pub fn plan_for(&self, q: &Query, opts: &SearchOptions) -> Result<Vec<PartId>, SearchError> {
        self.plan_parts(q, Some(opts))
    }

    /// The parts [`Index::matcher`] needs for `q` that are not loaded yet, asked as
    /// [`Index::plan_for`] is: the dictionaries that resolve its words (typo and prefix
    /// expansions included) and the facets of its conditions, never a postings or
    /// positions shard. A reading view's highlights need no more: the postings of a common
    /// word are the largest file a search fetches (issue 13).
    pub fn plan_for_matcher(&self, q: &Query) -> Result<Vec<PartId>, SearchError> {
        self.plan_parts(q, None)
    }

    /// [`Index::plan_for`] with `opts`, or [`Index::plan_for_matcher`] without.
    fn plan_parts(
        &self,
        q: &Query,
        opts: Option<&SearchOptions>,
    ) -> Result<Vec<PartId>, SearchError> {
        // Extended, not collected (see `dict_needs`).
        let mut parts = BTreeSet::new();
        parts.extend(self.meta_needs(q, opts));
        // Whether a word needs the word dictionary (no exact stem) reads the stem
        // dictionary: its shards come first.
        let dict = self.dict_needs(q);
        if !dict.is_empty() {
            parts.extend(dict);
            return Ok(parts.into_iter().collect());
        }
        let mut words = BTreeSet::new();
        if let Some(r) = &q.root {
            self.words_needed(r, &mut words);
        }
        let words: Vec<PartId> = words
            .into_iter()
            .filter(|&i| self.words[i].is_none())
            .map(|i| PartId::Words(i as u32))
            .collect();
        // Resolving reads the word dictionary and the conditions' facets: fetch them first.
        if !words.is_empty()
            || self
                .meta_needs(q, None)
                .iter()
                .any(|p| matches!(p, PartId::Facet(_)))
        {
            parts.extend(words);
            return Ok(parts.into_iter().collect());
        }
        if opts.is_none() {
            // A highlighter resolves its words with what is loaded now.
            return Ok(parts.into_iter().collect());
        }
        let res = self.resolve(q)?;
        for a in &res.atoms {
            let needs_pos = res.scope.is_some() || a.positions;
            for &t in &a.terms {
                let p = PartId::Post(shard_of(&self.meta.post_bounds, t));
                if self.post[shard_of(&self.meta.post_bounds, t) as usize].is_none() {
                    parts.insert(p);
                }
                let ps = shard_of(&self.meta.pos_bounds, t);
                if needs_pos && self.pos[ps as usize].is_none() {
                    parts.insert(PartId::Pos(ps));
                }
            }
        }
        Ok(parts.into_iter().collect())
    }

    /// What to highlight for `q`, with typo and prefix expansions resolved against this index.
    pub fn matcher(&self, q: &Query) -> Result<Matcher, SearchError> {
        self.require(q, None)?;
        let res = self.resolve(q)?;
        Ok(Matcher::new(
            res.atoms
                .into_iter()
                .filter(|a| a.positive)
                .map(|a| a.pattern)
                .collect(),
            q,
        ))
    }

    fn term_postings(&self, term: u32, with_pos: bool) -> Result<TermPostings<'_>, SearchError> {
        let s = shard_of(&self.meta.post_bounds, term);
        let bytes = self.post[s as usize]
            .as_deref()
            .ok_or(SearchError::MissingPart(PartId::Post(s)))?;
        let local = (term - self.meta.post_bounds[s as usize]) as usize;
        let (df, (pos_off, pos_len), data) =
            term_entry(bytes, local).ok_or(SearchError::Index(IndexError::Corrupt {
                what: PartId::Post(s).path(),
                offset: 8,
            }))?;
        let pos = if with_pos {
            let ps = shard_of(&self.meta.pos_bounds, term);
            let pb = self.pos[ps as usize]
                .as_deref()
                .ok_or(SearchError::MissingPart(PartId::Pos(ps)))?;
            Some(
                pb.get(pos_off..pos_off.saturating_add(pos_len))
                    .ok_or(SearchError::Index(IndexError::Corrupt {
                        what: PartId::Pos(ps).path(),
                        offset: pos_off,
                    }))?,
            )
        } else {
            None
        };
        Ok(TermPostings { df, data, pos })
    }

    fn idf(&self, df: u32) -> f32 {
        let n = self.doc_count() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// Document `d`'s speaker turns (none while the turns part is not loaded: a scoped
    /// search [`Index::require`]s it first).
    fn doc_turns(&self, d: u32) -> &[TurnRange] {
        let o = &self.meta.turn_offsets;
        match (o.get(d as usize), o.get(d as usize + 1)) {
            (Some(&a), Some(&b)) => &self.meta.turns[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The value ids of facet `f` that document `d` has (none while its part is not
    /// loaded: callers [`Index::require`] it first).
    fn doc_values(&self, f: Facet, d: u32) -> &[u32] {
        let (offs, ids) = &self.meta.doc_values[f];
        match (offs.get(d as usize), offs.get(d as usize + 1)) {
            (Some(&a), Some(&b)) => &ids[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Distinct speakers of document `doc`, in order of first appearance.
    pub fn doc_speakers(&self, doc: u32) -> Vec<String> {
        self.doc_values(Facet::Speaker, doc)
            .iter()
            .map(|&i| self.meta.values[Facet::Speaker][i as usize].clone())
            .collect()
    }
}
