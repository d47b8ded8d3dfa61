//! Filters and facets: the documents each facet's selection allows, and every facet's
//! counts over the matches under all *other* facets' selections (disjunctive faceting).

use super::results::{FacetCount, FacetList, Facets, Filters, SearchOptions};
use super::Index;
use crate::search::docset::DocSet;
use crate::search::facet::{Facet, FacetMap};

impl Index {
    /// Per facet, the documents its selection allows, or `None` without a selection.
    // Out of line so that profiles show the time of each search stage apart.
    #[inline(never)]
    pub(super) fn filter_sets(&self, f: &Filters) -> FacetMap<Option<DocSet>> {
        let n = self.doc_count();
        let by_values = |facet: Facet, sel: &[String]| -> Option<DocSet> {
            if sel.is_empty() {
                return None;
            }
            let vals = &self.meta.values[facet];
            let mut mask = vec![false; vals.len()];
            for s in sel {
                if let Ok(i) = vals.binary_search(s) {
                    mask[i] = true;
                }
            }
            let mut set = DocSet::empty(n);
            for d in 0..n as u32 {
                if self.doc_values(facet, d).iter().any(|&v| mask[v as usize]) {
                    set.insert(d);
                }
            }
            Some(set)
        };
        FacetMap::from_fn(|facet| match facet {
            Facet::Year => self.year_set(&f.values[facet], f),
            _ => by_values(facet, &f.values[facet]),
        })
    }

    /// The documents dated in one of the `selected` years (their runs of document
    /// numbers) and in the filters' date range (the dates: the plan loads them for a
    /// range).
    fn year_set(&self, selected: &[String], f: &Filters) -> Option<DocSet> {
        if selected.is_empty() && f.date.is_none() {
            return None;
        }
        let n = self.doc_count();
        let mut set = if selected.is_empty() {
            DocSet::full(n)
        } else {
            // A value that is not a year selects nothing, as an unknown value of any facet.
            let years = &self.meta.values[Facet::Year];
            let mut set = DocSet::empty(n);
            for r in &self.meta.year_runs {
                if selected.contains(&years[r.year as usize]) {
                    set.insert_range(r.first, r.first + r.len);
                }
            }
            set
        };
        if let Some(r) = f.date {
            let mut dated = DocSet::empty(n);
            for (d, &k) in self.meta.dates.iter().enumerate() {
                if k != 0 && r.lo <= k && k <= r.hi {
                    dated.insert(d as u32);
                }
            }
            set.and(&dated);
        }
        Some(set)
    }

    // Out of line so that profiles show the time of each search stage apart.
    #[inline(never)]
    pub(super) fn facets(
        &self,
        base: &DocSet,
        groups: &FacetMap<Option<DocSet>>,
        opts: &SearchOptions,
    ) -> Facets {
        // Facet f counts over base ∩ every other facet's selection (disjunctive faceting):
        // facets without a selection share one set (base ∩ all selections) and are counted
        // in one pass; only a facet with a selection needs a set (and a pass) of its own.
        // A skipped facet is not counted (its list stays empty); its selection still
        // applies to the others.
        let counted = |f: Facet| !opts.skip_facets.contains(&f);
        let mut all = base.clone();
        for g in groups.iter().filter_map(|(_, g)| g.as_ref()) {
            all.and(g);
        }
        let shared: Vec<Facet> = Facet::ALL
            .into_iter()
            .filter(|&f| groups[f].is_none() && counted(f))
            .collect();
        let mut counts: FacetMap<Vec<u32>> = self
            .meta
            .values
            .map(|f, v| vec![0; if counted(f) { v.len() } else { 0 }]);
        self.count_facets(&shared, &all, &mut counts);
        for f in Facet::ALL {
            if groups[f].is_some() && counted(f) {
                let mut s = base.clone();
                for (g, set) in groups.iter() {
                    if let (true, Some(set)) = (g != f, set) {
                        s.and(set);
                    }
                }
                self.count_facets(&[f], &s, &mut counts);
            }
        }
        counts.map(|f, c| FacetList {
            values: self.facet_list(f, c, opts.facet_limit, &opts.filters.values[f]),
            distinct: c.iter().filter(|&&c| c > 0).count(),
        })
    }

    /// Adds to `counts[f]`, for every facet `f` of `which`, the documents of `set`
    /// holding each value. A set larger than half the corpus is counted through its
    /// complement, subtracted from the whole corpus's counts (precomputed at open).
    fn count_facets(&self, which: &[Facet], set: &DocSet, counts: &mut FacetMap<Vec<u32>>) {
        let n = self.doc_count();
        let size = set.count();
        let complement = size > n / 2;
        let mut tmp;
        let docs = if complement {
            tmp = set.clone();
            tmp.not();
            &tmp
        } else {
            set
        };
        // The documents once as a list: walking the bitset per facet costs more than
        // the counting itself for the smaller facets.
        let list: Vec<u32> = docs.iter().collect();
        for &f in which {
            let c = &mut counts[f];
            if f == Facet::Year {
                for r in &self.meta.year_runs {
                    c[r.year as usize] += docs.count_range(r.first, r.first + r.len) as u32;
                }
            } else {
                let (offs, ids) = &self.meta.doc_values[f];
                for &d in &list {
                    let d = d as usize;
                    for &v in &ids[offs[d] as usize..offs[d + 1] as usize] {
                        c[v as usize] += 1;
                    }
                }
            }
            if complement {
                for (c, &t) in c.iter_mut().zip(&self.facet_totals[f]) {
                    *c = t - *c;
                }
            }
        }
    }

    /// Facet `f`'s nonzero counts, sorted by count descending, then value: the first
    /// `limit` of them, then any `selected` value not among those.
    fn facet_list(
        &self,
        f: Facet,
        counts: &[u32],
        limit: Option<usize>,
        selected: &[String],
    ) -> Vec<FacetCount> {
        let values = &self.meta.values[f];
        if f == Facet::Year {
            // Always complete, and sorted by the year's text, not its id.
            let mut out: Vec<FacetCount> = counts
                .iter()
                .zip(values)
                .filter(|(&c, _)| c > 0)
                .map(|(&c, y)| FacetCount {
                    value: y.clone(),
                    count: c,
                })
                .collect();
            crate::search::heapsort::sort_by(&mut out, |a, b| {
                b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value))
            });
            return out;
        }
        // Value ids follow the values' byte order, so sorting (count desc, id asc) as
        // one integer key is the (count desc, value asc) order without comparing strings.
        let mut keys: Vec<u64> = counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(v, &c)| (u64::from(!c) << 32) | v as u64)
            .collect();
        let mut rest = Vec::new();
        if let Some(k) = limit.filter(|&k| k < keys.len()) {
            keys.select_nth_unstable(k);
            rest = keys.split_off(k);
        }
        keys.sort_unstable();
        for s in selected {
            if let Ok(v) = values.binary_search(s) {
                if let Some(&key) = rest.iter().find(|&&k| k & 0xFFFF_FFFF == v as u64) {
                    keys.push(key);
                }
            }
        }
        keys.into_iter()
            .map(|k| FacetCount {
                value: values[(k & 0xFFFF_FFFF) as usize].clone(),
                count: !((k >> 32) as u32),
            })
            .collect()
    }
}
