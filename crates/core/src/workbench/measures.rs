//! Association and keyness measures over 2 × 2 contingency tables.
//!
//! Rows: the focus (a collocation window, or the selected transcripts) and the rest;
//! columns: the word and every other word. `o11` is the word in the focus, `o12` other
//! words in the focus, `o21` the word elsewhere, `o22` other words elsewhere.

/// Dunning's log-likelihood G² = 2 Σ O ln(O / E) over the four cells, with expected
/// values from the margins; a cell with O = 0 adds nothing. 0 for an empty table.
pub fn g2(o11: f64, o12: f64, o21: f64, o22: f64) -> f64 {
    let n = o11 + o12 + o21 + o22;
    if n <= 0.0 {
        return 0.0;
    }
    let (r1, r2) = (o11 + o12, o21 + o22);
    let (c1, c2) = (o11 + o21, o12 + o22);
    let cell = |o: f64, r: f64, c: f64| {
        if o > 0.0 {
            o * (o / (r * c / n)).ln()
        } else {
            0.0
        }
    };
    (2.0 * (cell(o11, r1, c1) + cell(o12, r1, c2) + cell(o21, r2, c1) + cell(o22, r2, c2))).max(0.0)
}

/// Pointwise mutual information log₂(O11 / E11), E11 = R1 · C1 / N. `None` when
/// O11 is 0 (minus infinity) or the table is empty.
pub fn mi(o11: f64, o12: f64, o21: f64, o22: f64) -> Option<f64> {
    let n = o11 + o12 + o21 + o22;
    let e11 = (o11 + o12) * (o11 + o21) / n;
    (o11 > 0.0 && n > 0.0).then(|| (o11 / e11).log2())
}

/// Hardie's log ratio: log₂ of the word's relative frequency in the focus over that
/// in the rest, a zero frequency counted as 0.5 so that the ratio stays finite.
/// `a`, `b`: the word's frequency in the focus and the rest; `na`, `nb`: their sizes.
pub fn log_ratio(a: f64, na: f64, b: f64, nb: f64) -> f64 {
    if na <= 0.0 || nb <= 0.0 {
        return 0.0;
    }
    let a = if a > 0.0 { a } else { 0.5 };
    let b = if b > 0.0 { b } else { 0.5 };
    ((a / na) / (b / nb)).log2()
}

/// Occurrences per million words (0 when there are no words).
pub fn per_million(hits: u64, words: u64) -> f64 {
    if words == 0 {
        0.0
    } else {
        hits as f64 * 1e6 / words as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g2_of_a_hand_computed_table() {
        // O = [[10, 90], [20, 880]]; N = 1000; E11 = 100·30/1000 = 3, E12 = 97,
        // E21 = 27, E22 = 873.
        let want = 2.0
            * (10.0 * (10.0f64 / 3.0).ln()
                + 90.0 * (90.0f64 / 97.0).ln()
                + 20.0 * (20.0f64 / 27.0).ln()
                + 880.0 * (880.0f64 / 873.0).ln());
        assert!((g2(10.0, 90.0, 20.0, 880.0) - want).abs() < 1e-9);
        // Worked by hand (and by a calculator): 12.649.
        assert!((want - 12.649).abs() < 0.001, "{want}");
        // Independence: observed equals expected.
        assert!(g2(10.0, 90.0, 100.0, 900.0).abs() < 1e-9);
        assert_eq!(g2(0.0, 0.0, 0.0, 0.0), 0.0);
    }

    #[test]
    fn mi_and_log_ratio_of_hand_computed_tables() {
        // E11 = 3, so MI = log2(10 / 3).
        let m = mi(10.0, 90.0, 20.0, 880.0).unwrap();
        assert!((m - (10.0f64 / 3.0).log2()).abs() < 1e-12);
        assert_eq!(mi(0.0, 5.0, 5.0, 5.0), None);
        // 8 per 1000 against 2 per 1000: a ratio of 4, log2 = 2.
        assert!((log_ratio(8.0, 1000.0, 2.0, 1000.0) - 2.0).abs() < 1e-12);
        assert!((log_ratio(2.0, 1000.0, 8.0, 1000.0) + 2.0).abs() < 1e-12);
        // Zero in the rest counts as 0.5: 4 / 0.5 = 8, log2 = 3.
        assert!((log_ratio(4.0, 100.0, 0.0, 100.0) - 3.0).abs() < 1e-12);
        assert_eq!(per_million(3, 1_500_000), 2.0);
    }
}
