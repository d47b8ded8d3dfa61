//! Local sequence alignment of a quote against a paragraph (Smith–Waterman with affine
//! gaps, Gotoh's three states), over analysed words.
//!
//! Why local on both sides: a quote is usually a stretch of a paragraph, and a quote that
//! was spliced or partly invented matches only on a stretch of its own; the unaligned
//! rest is then reported (and, for a splice, looked for elsewhere). A source gap right
//! after an ellipsis in the quote costs nothing: the ellipsis says words were left out.

use super::words::Likeness;

/// Score of a word pair, by how alike they are.
fn pair_score(l: Likeness) -> f32 {
    match l {
        Likeness::Same => SAME,
        Likeness::Stem => 2.0,
        Likeness::Fuzzy => 1.5,
        Likeness::Other => -2.0,
    }
}

/// Score of an identical word: the best a quote word can earn.
pub(crate) const SAME: f32 = 3.0;
const GAP_OPEN: f32 = -3.0;
const GAP_EXTEND: f32 = -1.0;

/// One step of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Quote word `q` aligned with source word `s`.
    Pair { q: usize, s: usize, like: Likeness },
    /// Quote word `q` has no counterpart in the source.
    Inserted { q: usize },
    /// Source word `s` was left out by the quote; `marked` when at an ellipsis.
    Omitted { s: usize, marked: bool },
}

/// The best local alignment of a quote with a source text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alignment {
    pub score: f32,
    /// Quote words aligned: `q.0..q.1`.
    pub q: (usize, usize),
    /// Source words aligned: `s.0..s.1`.
    pub s: (usize, usize),
    pub steps: Vec<Step>,
}

const STOP: u8 = 0;
const DIAG: u8 = 1;
const FROM_E: u8 = 2;
const FROM_F: u8 = 3;

/// Aligns a quote of `n` words (with `free[i]`: a gap in the source before quote word `i`
/// is free) against a source of `m` words; `like(i, j)` says how quote word `i` relates to
/// source word `j`. `None` when nothing scores above zero.
pub(crate) fn align(
    n: usize,
    free: &[bool],
    m: usize,
    like: impl Fn(usize, usize) -> Likeness,
) -> Option<Alignment> {
    if n == 0 || m == 0 {
        return None;
    }
    let w = m + 1;
    // Traceback: low 2 bits H's origin, bit 2 E came from E, bit 3 F came from F.
    let mut tb = vec![0u8; (n + 1) * w];
    let mut h_prev = vec![0f32; w];
    let mut h_cur = vec![0f32; w];
    let mut f_col = vec![f32::NEG_INFINITY; w];
    let mut best = (0f32, 0usize, 0usize);
    for i in 1..=n {
        let (open, extend) = if free.get(i).copied().unwrap_or(false) && i < n {
            (0.0, 0.0)
        } else {
            (GAP_OPEN, GAP_EXTEND)
        };
        let mut e = f32::NEG_INFINITY;
        h_cur[0] = 0.0;
        for j in 1..=m {
            let mut t = 0u8;
            // E: source word j-1 omitted, staying on quote row i.
            let (eo, ee) = (h_cur[j - 1] + open, e + extend);
            e = if ee > eo {
                t |= 4;
                ee
            } else {
                eo
            };
            // F: quote word i-1 inserted, staying on source column j.
            let (fo, fe) = (h_prev[j] + GAP_OPEN, f_col[j] + GAP_EXTEND);
            f_col[j] = if fe > fo {
                t |= 8;
                fe
            } else {
                fo
            };
            let d = h_prev[j - 1] + pair_score(like(i - 1, j - 1));
            let mut h = 0.0;
            let mut from = STOP;
            if d > h {
                h = d;
                from = DIAG;
            }
            if e > h {
                h = e;
                from = FROM_E;
            }
            if f_col[j] > h {
                h = f_col[j];
                from = FROM_F;
            }
            h_cur[j] = h;
            tb[i * w + j] = t | from;
            if h > best.0 {
                best = (h, i, j);
            }
        }
        std::mem::swap(&mut h_prev, &mut h_cur);
    }
    let (score, mut i, mut j) = best;
    if score <= 0.0 {
        return None;
    }
    let end = (i, j);
    let mut steps = Vec::new();
    let mut state = 0u8; // 0 H, 1 E, 2 F
    loop {
        let t = tb[i * w + j];
        match state {
            0 => match t & 3 {
                DIAG => {
                    steps.push(Step::Pair {
                        q: i - 1,
                        s: j - 1,
                        like: like(i - 1, j - 1),
                    });
                    i -= 1;
                    j -= 1;
                }
                FROM_E => state = 1,
                FROM_F => state = 2,
                _ => break,
            },
            1 => {
                steps.push(Step::Omitted {
                    s: j - 1,
                    marked: free.get(i).copied().unwrap_or(false) && i < n,
                });
                state = if t & 4 != 0 { 1 } else { 0 };
                j -= 1;
            }
            _ => {
                steps.push(Step::Inserted { q: i - 1 });
                state = if t & 8 != 0 { 2 } else { 0 };
                i -= 1;
            }
        }
    }
    steps.reverse();
    Some(Alignment {
        score,
        q: (i, end.0),
        s: (j, end.1),
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::words::Vocab;

    fn run(q: &str, s: &str) -> Alignment {
        let mut v = Vocab::default();
        let qw = v.words(q);
        let sw = v.words(s);
        let mut free = vec![false; qw.len() + 1];
        for e in super::super::words::ellipses(q) {
            if let Some(i) = qw.iter().position(|w| w.start > e) {
                free[i] = true;
            }
        }
        let likes: Vec<Vec<Likeness>> = qw
            .iter()
            .map(|&a| sw.iter().map(|&b| v.likeness(a, b)).collect())
            .collect();
        align(qw.len(), &free, sw.len(), |i, j| likes[i][j]).unwrap()
    }

    #[test]
    fn finds_a_stretch_inside_a_paragraph() {
        let a = run("the quick brown fox", "so the quick brown fox jumped");
        assert_eq!((a.q, a.s), ((0, 4), (1, 5)));
        assert_eq!(a.score, 12.0);
    }

    #[test]
    fn an_ellipsis_omits_for_free_and_is_marked() {
        let a = run("one two … six seven", "one two three four five six seven");
        assert_eq!(a.score, 12.0);
        assert!(a
            .steps
            .iter()
            .all(|s| !matches!(s, Step::Omitted { marked: false, .. })));
        let b = run("one two six seven", "one two three four five six seven");
        assert!(b.score < 12.0);
    }

    #[test]
    fn order_matters() {
        let a = run("alpha beta gamma delta", "alpha beta gamma delta");
        let b = run("delta gamma beta alpha", "alpha beta gamma delta");
        assert!(b.score < a.score / 3.0);
    }
}
