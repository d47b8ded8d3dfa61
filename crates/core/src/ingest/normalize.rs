//! Text normalisation shared by every input format: byte-order marks, CRLF/CR line
//! ends, non-breaking and other Unicode spaces, tabs, zero-width characters and runs
//! of whitespace. Also binary detection and the language guess.

/// Splits `text` into lines with every line normalised by [`clean_line`]. Handles
/// `\r\n`, lone `\r` and `\n` line ends and drops byte-order marks anywhere.
pub fn lines(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(clean_line(&text[start..i]));
                start = i + 1;
            }
            b'\r' => {
                out.push(clean_line(&text[start..i]));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        out.push(clean_line(&text[start..]));
    }
    out
}

/// Normalises one line: every kind of space (tab, NBSP, thin space, ...) becomes a
/// plain space, runs collapse to one, zero-width and control characters go, and the
/// ends are trimmed. Paragraph text is compared and searched, so it must be canonical.
pub fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Characters that carry no text: byte-order marks and C0/C1 controls (line ends
/// are handled before this is called).
fn is_invisible(c: char) -> bool {
    // Zero-width spaces and soft hyphens are kept: they are part of the publisher's
    // text, and dropping them would make paragraphs differ from the source.
    c == '\u{feff}' || c.is_control()
}

/// Byte offset of the first sign that `text` is binary rather than text: a NUL, or
/// (within the first 8 kB) a high share of other control characters.
pub fn binary_offset(text: &str) -> Option<usize> {
    if let Some(i) = text.bytes().position(|b| b == 0) {
        return Some(i);
    }
    let head = &text.as_bytes()[..text.len().min(8192)];
    let mut controls = 0usize;
    let mut first = None;
    for (i, &b) in head.iter().enumerate() {
        if b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c) {
            controls += 1;
            first.get_or_insert(i);
        }
    }
    // Real text has essentially none; a few stray ones (e.g. a form feed) are tolerated.
    if controls * 100 > head.len().max(1) && controls > 8 {
        return first;
    }
    None
}

/// Guesses the language from the share of Cyrillic among letters: `ru` when
/// Cyrillic letters outnumber Latin ones, `en` otherwise, `None` without letters.
/// Enough for the two languages the corpora hold; declared `lang` always wins.
pub fn detect_lang<'a>(texts: impl Iterator<Item = &'a str>) -> Option<String> {
    let (mut cyr, mut lat) = (0usize, 0usize);
    for t in texts {
        for c in t.chars() {
            if ('\u{0400}'..='\u{04ff}').contains(&c) {
                cyr += 1;
            } else if c.is_ascii_alphabetic() || ('\u{00c0}'..='\u{024f}').contains(&c) {
                lat += 1;
            }
        }
        // Enough evidence: stop early on long texts.
        if cyr + lat > 20_000 {
            break;
        }
    }
    if cyr + lat == 0 {
        None
    } else if cyr > lat {
        Some("ru".into())
    } else {
        Some("en".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_spaces() {
        let t = "\u{feff}a\u{a0}\tb\r\nc  d\re\n\n";
        assert_eq!(lines(t), vec!["a b", "c d", "e", ""]);
    }

    #[test]
    fn binary_is_detected() {
        assert_eq!(binary_offset("ab\0c"), Some(2));
        assert_eq!(binary_offset("plain text\n"), None);
    }

    #[test]
    fn lang_guess() {
        assert_eq!(
            detect_lang(["В.Путин: Добрый день."].into_iter()).as_deref(),
            Some("ru")
        );
        assert_eq!(
            detect_lang(["Good afternoon."].into_iter()).as_deref(),
            Some("en")
        );
    }
}
