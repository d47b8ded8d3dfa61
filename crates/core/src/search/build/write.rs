//! Writing the index files: term ids in byte order, the two dictionaries, the
//! positions and postings shards, `meta.bin`, the facet parts and the turns.

use std::collections::BTreeSet;

use super::{BuildOptions, IndexBuilder, IndexFiles};
use crate::search::facet::{Facet, FacetMap, Source};
use crate::search::keyshard;
use crate::search::layout::DICT_SHARD_KEY_BYTES;
use crate::search::meta::{listed, Meta, TurnRange};
use crate::search::postings::post_shard;

impl IndexBuilder {
    /// Writes the files.
    pub fn finish(mut self, opts: BuildOptions) -> IndexFiles {
        let (pairs, pair_stats) = super::pairs::pair_terms(
            &self.terms,
            |k| self.term_ids.contains_key(k),
            &self.docs,
            &opts,
        );
        self.terms.extend(pairs);
        // Term ids follow the stems' byte order, as the fst requires.
        let mut order: Vec<u32> = (0..self.terms.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.terms[a as usize].0.cmp(&self.terms[b as usize].0));
        let mut final_id = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            final_id[old as usize] = new as u32;
        }
        let dict = fst::Map::from_iter(
            order
                .iter()
                .enumerate()
                .map(|(new, &old)| (self.terms[old as usize].0.as_bytes(), new as u64)),
        )
        .map(|m| m.into_fst().into_inner())
        .unwrap_or_default();
        // The same map cut by key range, for a reader that fetches only the shards its
        // query's keys fall in; their first keys go into `meta.bin`.
        let (dict_shards, dict_bounds) = keyshard::cut(
            order
                .iter()
                .enumerate()
                .map(|(new, &old)| (self.terms[old as usize].0.as_bytes(), new as u64)),
            DICT_SHARD_KEY_BYTES,
        );
        let mut words: Vec<(&String, u32)> = self
            .words
            .iter()
            .map(|(w, &id)| (w, final_id[id as usize]))
            .collect();
        words.sort_unstable();
        let (words, words_bounds) = keyshard::cut(
            words.iter().map(|(w, id)| (w.as_bytes(), u64::from(*id))),
            opts.words_shard_bytes,
        );

        // Positions shards first: postings record where each term's positions start.
        let mut pos_shards: Vec<Vec<u8>> = vec![Vec::new()];
        let mut pos_bounds: Vec<u32> = vec![0];
        let mut pos_at: Vec<(u64, u64)> = Vec::with_capacity(order.len());
        for (new, &old) in order.iter().enumerate() {
            let acc = &self.terms[old as usize].1;
            // A term that would take its shard past the size starts a new one: a query
            // fetches a shard whole, so a large term's positions ("security": 137 KB at
            // 18k transcripts) must not come with 64 KB of its neighbours'.
            if pos_shards
                .last()
                .is_some_and(|s| !s.is_empty() && s.len() + acc.pos.len() > opts.pos_shard_bytes)
            {
                pos_shards.push(Vec::new());
                pos_bounds.push(new as u32);
            }
            let cur = pos_shards.last_mut().expect("one shard at least");
            pos_at.push((cur.len() as u64, acc.pos.len() as u64));
            cur.extend_from_slice(&acc.pos);
        }
        let mut post_shards: Vec<Vec<u8>> = Vec::new();
        let mut post_bounds: Vec<u32> = Vec::new();
        let mut start = 0usize;
        while start < order.len() || post_shards.is_empty() {
            let mut data = Vec::new();
            let mut offsets = vec![0u32];
            let mut end = start;
            while end < order.len() && (end == start || data.len() < opts.post_shard_bytes) {
                self.terms[order[end] as usize]
                    .1
                    .put_entry(&mut data, pos_at[end]);
                offsets.push(data.len() as u32);
                end += 1;
            }
            post_bounds.push(start as u32);
            post_shards.push(post_shard(start as u32, &offsets, &data));
            start = end;
        }

        let mut meta = self.meta(order.len() as u32, post_bounds, pos_bounds);
        meta.dict_bounds = dict_bounds;
        meta.words_bounds = words_bounds;
        IndexFiles {
            terms: order.len() as u32,
            pairs: pair_stats,
            meta: meta.encode(),
            facets: listed().map(|f| meta.encode_facet(f)).collect(),
            turns: meta.encode_turns(),
            docs: meta.encode_docs(),
            ids: meta.encode_ids(),
            dict_shards,
            dict,
            words,
            post: post_shards,
            pos: pos_shards,
        }
    }

    /// The columns of `meta.bin`: facet dictionaries (distinct raw values, in byte
    /// order), each document's value ids, its turns.
    fn meta(&self, n_terms: u32, post_bounds: Vec<u32>, pos_bounds: Vec<u32>) -> Meta {
        let mut values: FacetMap<Vec<String>> = FacetMap::default();
        for (f, dict) in values.iter_mut() {
            let set: BTreeSet<&String> = match f.source() {
                Source::Turns => self
                    .docs
                    .iter()
                    .flat_map(|d| d.turns.iter().filter_map(|t| t.speaker.as_ref()))
                    .collect(),
                Source::Values => self.docs.iter().flat_map(|d| &d.values[f]).collect(),
                Source::Date => BTreeSet::new(),
            };
            *dict = set.into_iter().cloned().collect();
        }
        let lookup = |f: Facet, v: &str| -> u32 {
            values[f]
                .binary_search_by(|x| x.as_str().cmp(v))
                .unwrap_or(0) as u32
        };
        let mut doc_values: FacetMap<(Vec<u32>, Vec<u32>)> = FacetMap::default();
        for (f, (offs, ids)) in doc_values.iter_mut() {
            if f.source() != Source::Values {
                continue;
            }
            offs.push(0);
            for d in &self.docs {
                let set: BTreeSet<u32> = d.values[f].iter().map(|v| lookup(f, v)).collect();
                ids.extend(set);
                offs.push(ids.len() as u32);
            }
        }
        let mut turn_offsets = vec![0u32];
        let mut turns = Vec::new();
        let speakers = &mut doc_values[Facet::Speaker];
        speakers.0.push(0);
        for d in &self.docs {
            let start = turns.len();
            turns.extend(d.turns.iter().map(|t| TurnRange {
                first: t.first,
                len: t.len,
                words: t.words,
                speaker: t.speaker.as_deref().map(|sp| lookup(Facet::Speaker, sp)),
                role: t.role,
            }));
            turn_offsets.push(turns.len() as u32);
            // A document's speakers: its turns' distinct speakers, in order of first
            // appearance (what a hit lists).
            let first = speakers.1.len();
            for sp in turns[start..].iter().filter_map(|t| t.speaker) {
                if !speakers.1[first..].contains(&sp) {
                    speakers.1.push(sp);
                }
            }
            speakers.0.push(speakers.1.len() as u32);
        }
        Meta {
            n_docs: self.docs.len(),
            ids: self.docs.iter().map(|d| d.id.clone()).collect(),
            dates: self.docs.iter().map(|d| d.date).collect(),
            lens: self.docs.iter().map(|d| d.len).collect(),
            values,
            doc_values,
            turn_offsets,
            turns,
            n_terms,
            post_bounds,
            pos_bounds,
            ..Meta::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Section, Transcript, Turn};
    use crate::search::meta::Meta;
    use crate::search::{build_index, BuildOptions};

    /// Regression: a positions shard was cut only once it had reached its size, so a
    /// large term's positions came with up to a shard of its neighbours' (at 18k
    /// transcripts the 137 KB of "security" came in a 200 KB shard). A shard over the
    /// size now holds one term.
    #[test]
    fn a_term_that_would_overflow_its_shard_starts_a_new_one() {
        let mut t = Transcript::new("d", "Alpha beta");
        t.sections = vec![Section {
            heading: None,
            turns: vec![Turn {
                paragraphs: vec![
                    "Alpha beta gamma.".into(),
                    "Zebra ".repeat(200),
                    "Delta epsilon.".into(),
                ],
                ..Default::default()
            }],
        }];
        let opts = BuildOptions {
            pos_shard_bytes: 64,
            ..BuildOptions::default()
        };
        let files = build_index(&[t], opts);
        let meta = Meta::decode(&files.meta).unwrap();
        let bounds = &meta.pos_bounds;
        let mut large = 0;
        for (i, shard) in files.pos.iter().enumerate() {
            let end = bounds.get(i + 1).copied().unwrap_or(meta.n_terms);
            if shard.len() > opts.pos_shard_bytes {
                assert_eq!(end - bounds[i], 1, "shard {i} of {} bytes", shard.len());
                large += 1;
            }
        }
        assert_eq!(large, 1, "the test has one large term");
    }
}
