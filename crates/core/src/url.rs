//! Percent-encoding of a query-string value or a path segment: the one spelling of it
//! for the app's links and the build's static reading pages ([`crate::preview`]).

/// Percent-encodes `s` for a query-string value or a path segment (RFC 3986 unreserved
/// characters stay; every other byte of its UTF-8 is escaped).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn unreserved_characters_stay_and_everything_else_is_escaped() {
        assert_eq!(encode("Syria-2015_a.b~"), "Syria-2015_a.b~");
        assert_eq!(encode("\"a b\"&c=d/é"), "%22a%20b%22%26c%3Dd%2F%C3%A9");
    }
}
