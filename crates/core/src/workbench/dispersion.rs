//! The dispersion strip of the reading view: where a query's hits fall in one open
//! transcript, paragraph by paragraph, counted as the concordance counts them.

use serde::{Deserialize, Serialize};

use super::kwic::{match_spans, pieces};
use super::text::Analyzer;
use crate::model::Transcript;
use crate::search::Matcher;

/// Where a query's hits fall in one transcript: the reading view's strip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispersion {
    /// Paragraphs in reading order.
    pub paragraphs: usize,
    /// One mark per paragraph (or title) with hits, in reading order.
    pub marks: Vec<DispersionMark>,
}

/// The hits of one paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispersionMark {
    /// Reading-order index; `None` for the title.
    pub paragraph: Option<usize>,
    /// Where it sits, 0 (start) to 1 (end): (index + 0.5) / paragraphs; the title is 0.
    pub position: f64,
    pub hits: u32,
}

/// One stretch of the strip a reader can point at, with the marks it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Stretch {
    /// Where it starts and ends on the strip, 0 to 1.
    pub from: f64,
    pub to: f64,
    /// The first and last paragraphs with hits in it (reading-order indices).
    pub first: usize,
    pub last: usize,
    /// Hits in its paragraphs.
    pub hits: u32,
}

impl Dispersion {
    /// The paragraph marks (the title's aside) in `n` equal stretches of the strip, the
    /// empty ones left out. A strip of one link per paragraph fails WCAG 2.5.8 (targets of
    /// 24 CSS px): a phone's strip holds about a dozen such targets, each standing for the
    /// marks it covers.
    pub fn stretches(&self, n: usize) -> Vec<Stretch> {
        let n = n.max(1);
        let mut out: Vec<Stretch> = Vec::new();
        for m in &self.marks {
            let Some(p) = m.paragraph else { continue };
            let i = ((m.position * n as f64) as usize).min(n - 1);
            let (from, to) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
            match out.last_mut() {
                Some(s) if s.from == from => {
                    s.last = p;
                    s.hits += m.hits;
                }
                _ => out.push(Stretch {
                    from,
                    to,
                    first: p,
                    last: p,
                    hits: m.hits,
                }),
            }
        }
        out
    }

    /// The paragraph of the mark nearest to `at` (0 to 1 along the strip) among those
    /// from paragraph `first` to `last`: where a pointer lands in a stretch.
    pub fn nearest(&self, at: f64, first: usize, last: usize) -> Option<usize> {
        self.marks
            .iter()
            .filter_map(|m| Some((m.paragraph?, m.position)))
            .filter(|&(p, _)| (first..=last).contains(&p))
            .min_by(|a, b| (a.1 - at).abs().total_cmp(&(b.1 - at).abs()))
            .map(|(p, _)| p)
    }
}

/// The dispersion of `m`'s hits over `t`.
pub fn dispersion(m: &Matcher, t: &Transcript) -> Dispersion {
    let n = t.paragraph_count();
    let mut an = Analyzer::default();
    let mut toks = Vec::new();
    let marks = pieces(m, t)
        .into_iter()
        .filter_map(|(paragraph, _, text)| {
            an.words(text, &mut toks);
            let hits = match_spans(&an, m, text, &toks).len() as u32;
            (hits > 0).then(|| DispersionMark {
                paragraph,
                position: paragraph.map_or(0.0, |i| (i as f64 + 0.5) / n.max(1) as f64),
                hits,
            })
        })
        .collect();
    Dispersion {
        paragraphs: n,
        marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(paragraphs: usize, marks: &[(Option<usize>, u32)]) -> Dispersion {
        Dispersion {
            paragraphs,
            marks: marks
                .iter()
                .map(|&(paragraph, hits)| DispersionMark {
                    paragraph,
                    position: paragraph.map_or(0.0, |i| (i as f64 + 0.5) / paragraphs as f64),
                    hits,
                })
                .collect(),
        }
    }

    #[test]
    fn stretches_group_marks_and_skip_the_title_and_empty_ones() {
        let d = strip(
            100,
            &[
                (None, 1),
                (Some(0), 2),
                (Some(5), 1),
                (Some(50), 3),
                (Some(99), 1),
            ],
        );
        let s = d.stretches(10);
        assert_eq!(
            s.iter()
                .map(|s| (s.first, s.last, s.hits))
                .collect::<Vec<_>>(),
            vec![(0, 5, 3), (50, 50, 3), (99, 99, 1)]
        );
        assert_eq!((s[1].from, s[1].to), (0.5, 0.6));
        // Every paragraph mark is in exactly one stretch.
        let d = strip(7, &(0..7).map(|p| (Some(p), 1)).collect::<Vec<_>>());
        let s = d.stretches(12);
        assert_eq!(s.iter().map(|s| s.hits).sum::<u32>(), 7);
        assert!(s.windows(2).all(|w| w[0].last < w[1].first));
    }

    #[test]
    fn nearest_keeps_to_the_stretch() {
        let d = strip(10, &[(Some(1), 1), (Some(2), 1), (Some(8), 1)]);
        assert_eq!(d.nearest(0.26, 1, 2), Some(2));
        assert_eq!(d.nearest(0.9, 1, 2), Some(2));
        assert_eq!(d.nearest(0.9, 0, 9), Some(8));
        assert_eq!(d.nearest(0.5, 3, 7), None);
    }
}
