//! Corpus statistics read from a loaded index, for the research workbench
//! ([`crate::workbench`]): per-document word counts and dates from `meta.bin`, exact
//! per-document occurrence counts of a query from postings and positions, and
//! per-term frequencies over a set of documents.
//!
//! Nothing here changes the index format: every figure comes from what the search
//! already stores. A document's length in `meta.bin` is its number of tokens (title,
//! summary and paragraphs, every word that folds to something): the same words the
//! postings count, so word totals and term frequencies add up.

use std::ops::Range;

use fst::{IntoStreamer, Streamer};

use super::phrase::PhraseWalk;
use super::resolve::phrase_parts;
use super::Index;
use crate::search::docset::DocSet;
use crate::search::layout::{pair_key, pair_pos_key, PartId, PAIR_POS_SEP, PAIR_SEP};
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
    /// stem may hold words the highlighter does not mark), a speaker scope, a phrase
    /// repeating a stem (its matches may overlap), or atoms sharing a stem.
    ///
    /// Needs the parts [`Index::plan`] names for the query `m` came from.
    pub fn occurrence_counts(&self, m: &Matcher) -> Result<Option<Vec<u32>>, SearchError> {
        if m.atoms().is_empty() {
            // Nothing to highlight (a query of filters only): no hits anywhere.
            return Ok(Some(vec![0; self.doc_count()]));
        }
        if m.is_scoped() {
            return Ok(None);
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
    /// byte order): how a stem is shown. Needs [`PartId::Words`]; empty for pair terms.
    pub fn term_forms(&self, max: usize) -> Result<Vec<Vec<String>>, SearchError> {
        let words = self
            .words
            .as_ref()
            .ok_or(SearchError::MissingPart(PartId::Words))?;
        let mut out: Vec<Vec<String>> = vec![Vec::new(); self.term_count() as usize];
        let mut st = words.into_stream();
        while let Some((k, v)) = st.next() {
            if let Some(forms) = out.get_mut(v as usize) {
                let w = String::from_utf8_lossy(k).into_owned();
                // The stream is in byte order: a later word of the same length sorts after.
                let at = forms.partition_point(|f| f.len() <= w.len());
                if at < max {
                    forms.insert(at, w);
                    forms.truncate(max);
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
    /// Per document number, the token numbers of `m`'s matches in the documents of
    /// `set`, ascending, when each match is one word the index places exactly: word
    /// atoms with an exact stem, no two sharing one, no speaker scope. `None`
    /// otherwise (phrases, prefixes, typos, scopes: read the text). Needs the positions
    /// shards of the words' terms.
    pub fn word_positions(
        &self,
        m: &Matcher,
        set: &DocSet,
    ) -> Result<Option<Vec<Vec<u32>>>, SearchError> {
        if m.is_scoped() {
            return Ok(None);
        }
        let mut terms: Vec<u32> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for a in m.atoms() {
            match a {
                TextPattern::Word {
                    stems,
                    surfaces,
                    prefix: None,
                    typo: None,
                    ..
                } if surfaces.is_empty() => {
                    for s in stems {
                        if seen.contains(&s.as_str()) {
                            return Ok(None);
                        }
                        seen.push(s);
                        if let Some(t) = self.term_id(s)? {
                            terms.push(t);
                        }
                    }
                }
                _ => return Ok(None),
            }
        }
        let mut out = vec![Vec::new(); self.doc_count()];
        let mut buf = Vec::new();
        for t in terms {
            let mut c = Cursor::new(self.term_postings(t, true)?);
            while c.next() {
                if set.contains(c.doc) {
                    c.positions(&mut buf);
                    out[c.doc as usize].extend_from_slice(&buf);
                }
            }
        }
        for v in &mut out {
            v.sort_unstable();
        }
        Ok(Some(out))
    }

    /// For each term of `terms` that `wanted` allows (by term id): (its positions that
    /// fall in the bitmap of their document in `windows`, its occurrences in the
    /// documents that have a bitmap); (0, 0) for the others. Needs the postings and
    /// positions shards of `terms`.
    pub fn window_counts(
        &self,
        terms: Range<u32>,
        wanted: &[bool],
        windows: &[Option<Vec<u64>>],
    ) -> Result<Vec<(u64, u64)>, SearchError> {
        let mut out = Vec::with_capacity(terms.len());
        let mut buf = Vec::new();
        for t in terms {
            if !wanted.get(t as usize).copied().unwrap_or(false) {
                out.push((0, 0));
                continue;
            }
            let mut c = Cursor::new(self.term_postings(t, true)?);
            let (mut inside, mut freq) = (0u64, 0u64);
            while c.next() {
                let Some(Some(bits)) = windows.get(c.doc as usize) else {
                    continue;
                };
                freq += u64::from(c.tf + c.title);
                c.positions(&mut buf);
                inside += buf
                    .iter()
                    .filter(|&&p| {
                        bits.get((p >> 6) as usize)
                            .is_some_and(|w| w >> (p & 63) & 1 == 1)
                    })
                    .count() as u64;
            }
            out.push((inside, freq));
        }
        Ok(out)
    }
}
