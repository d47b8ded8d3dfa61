//! Corpus statistics read from a loaded index, for the research workbench
//! ([`crate::workbench`]): per-document word counts and dates from the documents part
//! (`docs.bin`), exact per-document occurrence counts of a query from postings and
//! positions, and per-term frequencies over a set of documents.
//!
//! Nothing here changes the index format: every figure comes from what the search
//! already stores. A document's length in `docs.bin` is its number of tokens (title,
//! summary and paragraphs, every word that folds to something): the same words the
//! postings count, so word totals and term frequencies add up.

use std::ops::Range;

use fst::{IntoStreamer, Streamer};

use super::phrase::PhraseWalk;
use super::resolve::phrase_parts;
use super::Index;
use crate::search::docset::DocSet;
use crate::search::facet::Facet;
use crate::search::layout::{pair_key, pair_pos_key, PAIR_POS_SEP, PAIR_SEP};
use crate::search::postings::Cursor;
use crate::search::snippet::{Matcher, TextPattern};
use crate::search::SearchError;

impl Index {
    /// Number of words of document `doc` (title, summary and paragraphs): the
    /// denominator of frequencies. 0 for an unknown document.
    pub fn doc_words(&self, doc: u32) -> u32 {
        self.meta.lens.get(doc as usize).copied().unwrap_or(0)
    }

    /// Date key of document `doc`: `YYYYMMDD` as a number, month and day 00 when only
    /// the year is known, 0 when undated.
    pub fn doc_date_key(&self, doc: u32) -> u32 {
        self.meta.dates.get(doc as usize).copied().unwrap_or(0)
    }

    /// Per document number, how many ranges `m` (from [`Index::matcher`]) highlights in
    /// its title, summary and paragraphs, read from postings (and positions for a
    /// phrase without a pair term), when the index can tell exactly; `None` when only
    /// the text can: a prefix or a typo-expanded word (the index stores stems, and a
    /// stem may hold words the highlighter does not mark), a phrase repeating a stem
    /// (its matches may overlap), or atoms sharing a stem. Under a scope (`speaker:`,
    /// `in:`) the matches are placed by positions and kept where they lie in a turn in
    /// scope, as the highlighter keeps the paragraphs in scope.
    ///
    /// Needs the parts [`Index::plan`] names for the query `m` came from.
    pub fn occurrence_counts(&self, m: &Matcher) -> Result<Option<Vec<u32>>, SearchError> {
        if m.atoms().is_empty() {
            // Nothing to highlight (a query of filters only): no hits anywhere.
            return Ok(Some(vec![0; self.doc_count()]));
        }
        if m.is_scoped() {
            return self.scoped_counts(m);
        }
        let mut seen: Vec<&str> = Vec::new();
        for a in m.atoms() {
            let stems: &[String] = match a {
                TextPattern::Word {
                    stems,
                    surfaces,
                    prefix,
                    typo,
                    ..
                } => {
                    if !surfaces.is_empty() || prefix.is_some() || typo.is_some() {
                        return Ok(None);
                    }
                    stems
                }
                TextPattern::Phrase { stems, .. } => stems,
            };
            for s in stems {
                if seen.contains(&s.as_str()) {
                    return Ok(None);
                }
                seen.push(s);
            }
        }
        let mut counts = vec![0u32; self.doc_count()];
        for a in m.atoms() {
            match a {
                TextPattern::Word { stems, .. } => {
                    for s in stems {
                        if let Some(t) = self.term_id(s)? {
                            self.add_term_counts(t, &mut counts)?;
                        }
                    }
                }
                TextPattern::Phrase { stems, .. } => self.add_phrase_counts(stems, &mut counts)?,
            }
        }
        Ok(Some(counts))
    }

    /// [`Index::occurrence_counts`] under a scope: every match placed by
    /// [`Index::spans`] in the documents with a turn in scope, counted where its first
    /// word lies in such a turn (a match never leaves its paragraph, nor a paragraph
    /// its turn).
    fn scoped_counts(&self, m: &Matcher) -> Result<Option<Vec<u32>>, SearchError> {
        let (speakers, roles) = m.scope();
        let Some(scope) = self.scope_of(speakers, roles) else {
            return Ok(None);
        };
        let n = self.doc_count();
        let mut set = DocSet::empty(n);
        for d in 0..n as u32 {
            if self.doc_turns(d).iter().any(|t| scope.turn(t)) {
                set.insert(d);
            }
        }
        let mut counts = vec![0u32; n];
        let placed = self.spans(m, &set, |d, first, _| {
            if scope.contains(self.doc_turns(d), first) {
                counts[d as usize] += 1;
            }
        })?;
        Ok(placed.then_some(counts))
    }

    /// Words spoken by `speaker` (a speaker facet value, exactly) in document `doc`:
    /// the words of their turns, from the index's turn ranges. 0 for an unknown one.
    pub fn speaker_words(&self, doc: u32, speaker: &str) -> u32 {
        let Ok(id) = self.meta.values[Facet::Speaker].binary_search_by(|v| v.as_str().cmp(speaker))
        else {
            return 0;
        };
        if doc as usize >= self.doc_count() {
            return 0;
        }
        self.doc_turns(doc)
            .iter()
            .filter(|t| t.speaker == Some(id as u32))
            .fold(0u32, |a, t| a.saturating_add(t.words))
    }

    /// Adds a term's occurrences (outside and inside the title) to `counts`.
    fn add_term_counts(&self, term: u32, counts: &mut [u32]) -> Result<(), SearchError> {
        let mut c = Cursor::new(self.term_postings(term, false)?);
        while c.next() {
            if let Some(x) = counts.get_mut(c.doc as usize) {
                *x += c.tf + c.title;
            }
        }
        Ok(())
    }

    /// Adds a phrase's occurrences to `counts`, placed the way the engine places it
    /// (so it needs the same parts): a two-word phrase with a pair term reads the
    /// pair's postings, any other phrase the positions of its parts.
    fn add_phrase_counts(&self, stems: &[String], counts: &mut [u32]) -> Result<(), SearchError> {
        let Some(terms) = stems
            .iter()
            .map(|s| self.term_id(s))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .collect::<Option<Vec<u32>>>()
        else {
            return Ok(());
        };
        if let [t] = terms[..] {
            return self.add_term_counts(t, counts);
        }
        let pairs: Vec<Option<u32>> = stems
            .windows(2)
            .map(|w| self.term_id(&pair_pos_key(&w[0], &w[1])))
            .collect::<Result<_, _>>()?;
        if let [a, b] = stems {
            let pair = match pairs[0] {
                Some(p) => Some(p),
                None => self.term_id(&pair_key(a, b))?,
            };
            if let Some(p) = pair {
                return self.add_term_counts(p, counts);
            }
        }
        let parts = phrase_parts(&terms, &pairs);
        let mut walk = PhraseWalk::new(self, &parts)?;
        while let Some(d) = walk.next_candidate() {
            walk.place();
            if let Some(x) = counts.get_mut(d as usize) {
                *x += walk.starts().len() as u32;
            }
        }
        Ok(())
    }

    /// Every index term's text by term id: a stem, or `None` for a pair term (the
    /// next-word index), which is no word of its own. Reads the stem dictionary: with
    /// shards, only those loaded ([`Index::dict_missing`] names the others).
    pub fn term_texts(&self) -> Vec<Option<String>> {
        let mut out = vec![None; self.term_count() as usize];
        let mut read = |m: &fst::Map<Vec<u8>>| {
            let mut st = m.stream();
            while let Some((k, v)) = st.next() {
                let s = String::from_utf8_lossy(k);
                if let Some(slot) = out.get_mut(v as usize) {
                    if !s.contains(PAIR_SEP) && !s.contains(PAIR_POS_SEP) {
                        *slot = Some(s.into_owned());
                    }
                }
            }
        };
        for m in self.dict_maps() {
            read(m);
        }
        out
    }

    /// Per term id, up to `max` folded words whose stem it is, shortest first (then in
    /// byte order): how a stem is shown. Needs every [`PartId::Words`] shard
    /// ([`Index::words_missing`]); empty for pair terms.
    pub fn term_forms(&self, max: usize) -> Result<Vec<Vec<String>>, SearchError> {
        if let Some(&p) = self.words_missing().first() {
            return Err(SearchError::MissingPart(p));
        }
        let mut out: Vec<Vec<String>> = vec![Vec::new(); self.term_count() as usize];
        // The shards in key order: the stream is in byte order across them.
        for words in self.words.iter().flatten() {
            let mut st = words.into_stream();
            while let Some((k, v)) = st.next() {
                if let Some(forms) = out.get_mut(v as usize) {
                    let w = String::from_utf8_lossy(k).into_owned();
                    // A later word of the same length sorts after.
                    let at = forms.partition_point(|f| f.len() <= w.len());
                    if at < max {
                        forms.insert(at, w);
                        forms.truncate(max);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Number of postings shards: [`Index::shard_terms`] of `0..post_shards()` cover
    /// every term once, so a pass over every term can be fed shard by shard.
    pub fn post_shards(&self) -> u32 {
        self.meta.post_bounds.len() as u32
    }

    /// The term ids of postings shard `shard` (empty past the last).
    pub fn shard_terms(&self, shard: u32) -> Range<u32> {
        let b = &self.meta.post_bounds;
        let s = shard as usize;
        match b.get(s) {
            Some(&lo) => lo..b.get(s + 1).copied().unwrap_or(self.meta.n_terms),
            None => 0..0,
        }
    }

    /// For each term of `terms`: (occurrences in the documents of `set`, occurrences
    /// in the whole corpus), titles included. Needs the postings shards of `terms`.
    pub fn term_frequencies(
        &self,
        terms: Range<u32>,
        set: &DocSet,
    ) -> Result<Vec<(u64, u64)>, SearchError> {
        let mut out = Vec::with_capacity(terms.len());
        for t in terms {
            let mut c = Cursor::new(self.term_postings(t, false)?);
            let (mut inside, mut all) = (0u64, 0u64);
            while c.next() {
                let k = u64::from(c.tf + c.title);
                all += k;
                if set.contains(c.doc) {
                    inside += k;
                }
            }
            out.push((inside, all));
        }
        Ok(out)
    }
}

impl Index {
    /// Calls `f(doc, first, last)` with the token numbers of the first and last word of
    /// every match of `m` in the documents of `set`, when the index places each match
    /// exactly as the highlighter marks it: words with an exact stem and phrases of
    /// exact stems, no stem twice in the query (two matches could then overlap, which
    /// the highlighter merges into one), no scope. Returns `false`, calling nothing,
    /// otherwise (prefixes, typos, scopes: read the text). Matches come word by word,
    /// each in document order. Needs the postings and positions shards of the words'
    /// terms and of the phrases' parts (`resolve::phrase_parts`).
    pub fn match_spans(
        &self,
        m: &Matcher,
        set: &DocSet,
        f: impl FnMut(u32, u32, u32),
    ) -> Result<bool, SearchError> {
        if m.is_scoped() {
            return Ok(false);
        }
        self.spans(m, set, f)
    }

    /// [`Index::match_spans`], the scope aside.
    fn spans(
        &self,
        m: &Matcher,
        set: &DocSet,
        mut f: impl FnMut(u32, u32, u32),
    ) -> Result<bool, SearchError> {
        let mut seen: Vec<&str> = Vec::new();
        for a in m.atoms() {
            let stems = match a {
                TextPattern::Word {
                    stems,
                    surfaces,
                    prefix: None,
                    typo: None,
                    ..
                } if surfaces.is_empty() => stems,
                TextPattern::Phrase { stems, .. } => stems,
                _ => return Ok(false),
            };
            for s in stems {
                if seen.contains(&s.as_str()) {
                    return Ok(false);
                }
                seen.push(s);
            }
        }
        // Dictionary lookups: a shard that is not loaded is a `MissingPart`.
        let get = |k: &str| self.term_id(k);
        let mut buf = Vec::new();
        for a in m.atoms() {
            let (TextPattern::Word { stems, .. } | TextPattern::Phrase { stems, .. }) = a;
            let found = stems
                .iter()
                .map(|s| get(s))
                .collect::<Result<Vec<Option<u32>>, SearchError>>()?;
            // A word's stems (one) or a phrase's words: a phrase with a word the index
            // lacks occurs nowhere.
            let words: Vec<u32> = match a {
                TextPattern::Word { .. } => found.into_iter().flatten().collect(),
                TextPattern::Phrase { .. } => match found.into_iter().collect() {
                    Some(t) => t,
                    None => continue,
                },
            };
            if matches!(a, TextPattern::Word { .. }) || words.len() == 1 {
                for t in words {
                    let mut c = Cursor::new(self.term_postings(t, true)?);
                    while c.next() {
                        if set.contains(c.doc) {
                            c.positions(&mut buf);
                            for &p in &buf {
                                f(c.doc, p, p);
                            }
                        }
                    }
                }
                continue;
            }
            let pairs = stems
                .windows(2)
                .map(|w| get(&pair_pos_key(&w[0], &w[1])))
                .collect::<Result<Vec<Option<u32>>, SearchError>>()?;
            let last = words.len() as u32 - 1;
            let mut walk = PhraseWalk::new(self, &phrase_parts(&words, &pairs))?;
            while let Some(d) = walk.next_candidate() {
                if set.contains(d) {
                    walk.place();
                    for &p in walk.starts().iter() {
                        f(d, p, p + last);
                    }
                }
            }
        }
        Ok(true)
    }

    /// For each term of `terms` that `wanted` allows (by term id): (its positions that
    /// fall in the bitmap `windows(doc)` of their document, its occurrences in the
    /// documents that have a bitmap); (0, 0) for the others. Needs the postings and
    /// positions shards of `terms`.
    pub fn window_counts<'w>(
        &self,
        terms: Range<u32>,
        wanted: &[bool],
        windows: impl Fn(u32) -> Option<&'w [u64]>,
    ) -> Result<Vec<(u64, u64)>, SearchError> {
        let mut out = Vec::with_capacity(terms.len());
        for t in terms {
            if !wanted.get(t as usize).copied().unwrap_or(false) {
                out.push((0, 0));
                continue;
            }
            let mut c = Cursor::new(self.term_postings(t, true)?);
            let (mut inside, mut freq) = (0u64, 0u64);
            while c.next() {
                let Some(bits) = windows(c.doc) else {
                    continue;
                };
                freq += u64::from(c.tf + c.title);
                inside += u64::from(c.positions_in(bits));
            }
            out.push((inside, freq));
        }
        Ok(out)
    }
}
