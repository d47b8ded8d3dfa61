//! The app's URL paths that more than the page's router reads. A reading URL,
//! `<site>/t/<id>`, is also read by the search worker, which starts that transcript's
//! download as it starts, before the page has asked for it (web/worker-boot.js passes
//! it the page's URL).

/// What a reading view's path starts with, after the site's prefix.
pub const READING: &str = "/t/";

/// The transcript id that `path` (a URL's path after the site's prefix) names as a
/// reading view, `/t/<id>` with or without a final slash; `None` for any other path.
/// The id is `decode`d with the platform's `decodeURIComponent`, which the page and the
/// worker both have, rather than a decoder compiled into each one's wasm; an id that
/// does not decode is taken as written.
pub fn reading_id(path: &str, decode: impl Fn(&str) -> Option<String>) -> Option<String> {
    let id = path
        .strip_suffix('/')
        .unwrap_or(path)
        .strip_prefix(READING)?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    Some(decode(id).unwrap_or_else(|| id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_path_names_its_id_decoded() {
        // A stand-in for decodeURIComponent: enough for these ids.
        let decode =
            |s: &str| (!s.contains("%FF")).then(|| s.replace("%20", " ").replace("%2F", "/"));
        let id = |p| reading_id(p, decode);
        assert_eq!(id("/t/56351").as_deref(), Some("56351"));
        assert_eq!(id("/t/56351/").as_deref(), Some("56351"));
        assert_eq!(id("/t/un%20gd%2F1990").as_deref(), Some("un gd/1990"));
        assert_eq!(id("/t/%FF").as_deref(), Some("%FF"));
        for other in [
            "/t/",
            "/t",
            "/t/a/b",
            "/",
            "",
            "/quote",
            "/corpus/manifest.json",
        ] {
            assert_eq!(id(other), None, "{other}");
        }
    }
}
