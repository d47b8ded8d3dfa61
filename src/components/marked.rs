//! Text with highlighted ranges, rendered as text nodes and `<mark>` elements: never
//! as HTML, whatever the text holds.

use leptos::prelude::*;

/// Splits `text` at the character ranges `marks` (sorted, non-overlapping) into
/// `(piece, marked)` runs. Out-of-range or overlapping marks are clipped, not trusted.
pub fn segments<'a>(text: &'a str, marks: &[(usize, usize)]) -> Vec<(&'a str, bool)> {
    // Character offsets to byte offsets, once.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let nchars = bytes.len() - 1;
    let mut out = Vec::new();
    let mut at = 0;
    for &(s, e) in marks {
        let (s, e) = (s.max(at).min(nchars), e.min(nchars));
        if s >= e {
            continue;
        }
        if s > at {
            out.push((&text[bytes[at]..bytes[s]], false));
        }
        out.push((&text[bytes[s]..bytes[e]], true));
        at = e;
    }
    if at < nchars {
        out.push((&text[bytes[at]..], false));
    }
    out
}

/// `text` with the character ranges `marks` in `<mark>`.
#[component]
pub fn Marked(text: String, marks: Vec<(usize, usize)>) -> impl IntoView {
    segments(&text, &marks)
        .into_iter()
        .map(|(piece, marked)| {
            let piece = piece.to_string();
            if marked {
                view! { <mark>{piece}</mark> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn splits_on_character_offsets() {
        assert_eq!(
            segments("Syria’s future", &[(0, 5)]),
            vec![("Syria", true), ("’s future", false)]
        );
        assert_eq!(
            segments("В.Путин: да", &[(2, 7)]),
            vec![("В.", false), ("Путин", true), (": да", false)]
        );
        assert_eq!(segments("abc", &[]), vec![("abc", false)]);
    }

    #[test]
    fn bad_ranges_are_clipped() {
        assert_eq!(
            segments("abcdef", &[(1, 3), (2, 4), (5, 99)]),
            vec![
                ("a", false),
                ("bc", true),
                ("d", true),
                ("e", false),
                ("f", true)
            ]
        );
        assert_eq!(segments("ab", &[(3, 1)]), vec![("ab", false)]);
    }
}
