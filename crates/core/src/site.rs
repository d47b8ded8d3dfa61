//! Where things sit in a built site, for every part that writes or reads one: the corpus
//! bundle's folder, the reading pages' folder and the app's path of a transcript.
//!
//! The CLI writes the pages, the xtask lists the files for the service worker, the
//! workers fetch the bundle and the app routes and links: each reads the layout from here,
//! so that renaming a folder cannot leave one of them behind.

use crate::url::encode;

/// The corpus bundle's folder, relative to the site's root (the page's `<base href>` and
/// the workers' scripts' folder), as a URL folder.
pub const BUNDLE_DIR: &str = "corpus/";

/// The folder of the transcripts' static reading pages (`t/<id>.html`, written by
/// `stenogram pages`, `crate::preview`), relative to the site's root. The app's reading
/// path of a transcript ([`reading_path`]) is in it too, so that on a static host the page
/// answers the app's own URL.
pub const PAGE_DIR: &str = "t";

/// The app's path of transcript `id`'s reading view, under the site's prefix:
/// `/t/<id>`, the id percent-encoded.
pub fn reading_path(id: &str) -> String {
    format!("/{PAGE_DIR}/{}", encode(id))
}

/// The transcript id (still percent-encoded) of app path `path` (without the site's
/// prefix or a trailing slash), if it is a reading path: `/t/<id>`, the id non-empty and
/// one path segment.
pub fn reading_id(path: &str) -> Option<&str> {
    let id = path
        .strip_prefix('/')?
        .strip_prefix(PAGE_DIR)?
        .strip_prefix('/')?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_path_reads_back_as_its_id() {
        for id in ["56351", "a b/c", "ünï?#&", "-"] {
            let path = reading_path(id);
            assert!(path.starts_with("/t/"), "{path}");
            assert_eq!(reading_id(&path), Some(encode(id).as_str()), "{path}");
        }
        for other in [
            "/t/",
            "/t",
            "/t/a/b",
            "/ta/b",
            "t/a",
            "/corpus/manifest.json",
            "",
        ] {
            assert_eq!(reading_id(other), None, "{other}");
        }
    }
}
