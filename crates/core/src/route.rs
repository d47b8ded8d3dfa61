//! The app's URL paths that more than the page's router reads. A reading URL,
//! `<site>/t/<id>`, is also read by the search worker, which starts that transcript's
//! download as it starts, before the page has asked for it (web/worker-boot.js passes
//! it the page's URL).

use percent_encoding::percent_decode_str;

/// What a reading view's path starts with, after the site's prefix.
pub const READING: &str = "/t/";

/// The transcript id that `path` (a URL's path after the site's prefix) names as a
/// reading view, `/t/<id>` with or without a final slash, percent-decoded; `None` for
/// any other path. An id that does not decode to UTF-8 is taken as written.
pub fn reading_id(path: &str) -> Option<String> {
    let id = path
        .strip_suffix('/')
        .unwrap_or(path)
        .strip_prefix(READING)?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    Some(
        percent_decode_str(id)
            .decode_utf8()
            .map_or_else(|_| id.to_string(), |s| s.into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_path_names_its_id_decoded() {
        assert_eq!(reading_id("/t/56351").as_deref(), Some("56351"));
        assert_eq!(reading_id("/t/56351/").as_deref(), Some("56351"));
        assert_eq!(
            reading_id("/t/un%20gd%2F1990").as_deref(),
            Some("un gd/1990")
        );
        assert_eq!(reading_id("/t/%FF").as_deref(), Some("%FF"));
        for other in [
            "/t/",
            "/t",
            "/t/a/b",
            "/",
            "",
            "/quote",
            "/corpus/manifest.json",
        ] {
            assert_eq!(reading_id(other), None, "{other}");
        }
    }
}
