//! Decimal figures for styles and labels, written with integer formatting.
//!
//! Why not `format!("{x:.2}")`: core's float formatting (Grisu with a Dragon4 fallback,
//! and their tables) is about 11 KB of wasm code, and a part that formats one float
//! carries it. The reading view's dispersion strip and the quote finder were the only
//! float formatting on a reading URL's path, which is bound by the bytes before its text
//! (issue 13); the workbench's tables, loaded on use, keep core's formatting.

/// `x` with `decimals` digits after the point (at most 9), rounded half away from
/// zero; a non-finite `x` reads as 0. `-0.00` is written `0.00`.
pub fn fixed(x: f64, decimals: u32) -> String {
    let decimals = decimals.min(9);
    let scale = 10u64.pow(decimals);
    let scaled = if x.is_finite() {
        (x * scale as f64).round()
    } else {
        0.0
    };
    // Past 2^63 an `as` cast saturates; no style or label needs such a figure.
    let n = scaled.abs().min(i64::MAX as f64) as u64;
    let sign = if scaled < 0.0 && n != 0 { "-" } else { "" };
    let (whole, frac) = (n / scale, n % scale);
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac:0width$}", width = decimals as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_writes_what_the_float_formatter_writes_away_from_ties() {
        for (x, d, want) in [
            (0.0, 2, "0.00"),
            (12.345_678, 2, "12.35"),
            (12.345_678, 4, "12.3457"),
            (99.999_9, 2, "100.00"),
            (0.35, 2, "0.35"),
            (1.0, 0, "1"),
            (0.4, 0, "0"),
            (57.8, 0, "58"),
            (-3.25, 1, "-3.3"),
            (-0.001, 2, "0.00"),
            (100.0, 4, "100.0000"),
            (f64::NAN, 2, "0.00"),
            (f64::INFINITY, 1, "0.0"),
        ] {
            assert_eq!(fixed(x, d), want, "fixed({x}, {d})");
        }
    }

    /// Against core's formatter over a sweep of percentages: equal wherever `x` is not
    /// within a rounding step of a tie (there core rounds the exact binary value half to
    /// even, this the scaled product half away from zero: a last digit apart at most).
    #[test]
    fn it_agrees_with_core_within_the_last_digit() {
        for i in 0..=200_000u32 {
            let x = f64::from(i) * 0.000_731;
            for d in [0u32, 1, 2, 4] {
                let ours: f64 = fixed(x, d).parse().unwrap();
                let core: f64 = format!("{x:.*}", d as usize).parse().unwrap();
                let step = 10f64.powi(-(d as i32));
                assert!(
                    (ours - core).abs() <= step * 1.000_001,
                    "{x} at {d}: {ours} vs {core}"
                );
                assert!((ours - x).abs() <= step / 2.0 + 1e-9, "{x} at {d}: {ours}");
            }
        }
    }
}
