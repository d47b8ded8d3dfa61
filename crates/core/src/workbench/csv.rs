//! CSV export of the workbench's tables: RFC 4180 (comma-separated, CRLF line ends,
//! fields holding a comma, quote or line break in double quotes with quotes doubled),
//! with a guard against formula injection: a spreadsheet runs a cell that starts with
//! `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula, so such
//! a text cell gets a leading `'`. Numbers are written by the callers, never guarded.

/// One field, quoted and guarded as needed.
pub fn field(s: &str) -> String {
    let guarded = matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let s = if guarded {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A numeric field: written as is (a negative number is a number, not a formula).
pub fn number(v: impl std::fmt::Display) -> String {
    v.to_string()
}

/// Appends one record (fields already made with [`field`] or [`number`]).
pub fn record(out: &mut String, fields: &[String]) {
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// A header and rows of text cells, as one CSV document.
pub fn text_table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    record(
        &mut out,
        &header.iter().map(|h| field(h)).collect::<Vec<_>>(),
    );
    for r in rows {
        record(&mut out, &r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_per_rfc_4180_and_formulas_are_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-minus"), "'-minus");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(number(-2.5), "-2.5");
        let mut s = String::new();
        record(&mut s, &[field("a"), number(1)]);
        assert_eq!(s, "a,1\r\n");
    }
}
