//! Site chrome and advertisements at the start or end of a text: share and print
//! links, tag lists, newsletter prompts, book promotions, navigation. They move to
//! `dropped` (never deleted silently) and are never taken for speakers, headings or
//! paragraphs.
//!
//! Two general signals are used, and only at the edges of a text:
//! - *chrome*: short lines of the kind every site prints around an article
//!   ("Share", "Print", "Tags: ...", "Subscribe to our newsletter", a bare URL);
//! - *trailing titles*: at the end of a text, lines written in title case with no
//!   sentence punctuation. A transcript's last paragraph is a sentence; a heading
//!   with nothing under it is not a heading. This is what book adverts look like
//!   ("The Essential Saker IV: Messianic Narcissism's Agony by a Thousand Cuts").

use super::labels;

/// Whole lines (lowercased) that are navigation or sharing widgets.
const CHROME_LINES: &[&str] = &[
    "share",
    "share this",
    "print",
    "print version",
    "printable version",
    "text version",
    "tweet",
    "email",
    "e-mail",
    "facebook",
    "twitter",
    "telegram",
    "vk",
    "vkontakte",
    "whatsapp",
    "linkedin",
    "reddit",
    "home",
    "menu",
    "search",
    "back",
    "next",
    "previous",
    "top",
    "back to top",
    "up",
    "read more",
    "more",
    "comments",
    "related",
    "related articles",
    "see also",
    "subscribe",
    "advertisement",
    "sponsored",
    "copy link",
    "permalink",
    "news",
    "events",
    "transcripts",
];

/// Line starts (lowercased) that mark chrome.
const CHROME_PREFIXES: &[&str] = &[
    "share this",
    "share on ",
    "share:",
    "print this",
    "tags:",
    "topics:",
    "persons:",
    "geography:",
    "keywords:",
    "categories:",
    "category:",
    "filed under",
    "subscribe to",
    "sign up",
    "follow us",
    "related:",
    "see also:",
    "read also",
    "published in section",
    "publication date",
    "direct link",
    "copyright",
    "©",
    "(c) ",
    "all content on this site",
    "all rights reserved",
    "buy now",
    "buy the book",
    "order now",
    "order the book",
    "available on amazon",
    "available at amazon",
    "now available",
    "click here",
    "download the",
    "download pdf",
];

/// Substrings (lowercased) that only chrome and adverts contain.
const CHROME_PARTS: &[&str] = &[
    "newsletter",
    "isbn",
    "amazon.com",
    "paperback",
    "hardcover",
    "kindle edition",
    "all rights reserved",
    "cookie",
];

/// `true` for a line of site chrome (see the module docs). Long lines never are:
/// chrome is short, and a paragraph that merely mentions a newsletter is prose.
pub fn is_chrome(line: &str) -> bool {
    if line.len() > 640 {
        return false;
    }
    let l = line.trim().to_lowercase();
    if l.is_empty() || l.chars().count() > 160 {
        return false;
    }
    let l = l.trim_end_matches([':', '.', '»', '›', '>']).trim();
    if CHROME_LINES.contains(&l) {
        return true;
    }
    if CHROME_PREFIXES.iter().any(|p| l.starts_with(p)) {
        return true;
    }
    if CHROME_PARTS.iter().any(|p| l.contains(p)) {
        return true;
    }
    // A bare URL or a "Home | News | About" navigation bar.
    let no_space = !l.contains(' ');
    if no_space && (l.starts_with("http://") || l.starts_with("https://") || l.starts_with("www."))
    {
        return true;
    }
    l.matches(" | ").count() >= 2 || l.matches(" · ").count() >= 2
}

/// Small words that title case leaves in lowercase.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "by", "for", "and", "or", "to", "with", "from", "as",
    "vs", "via", "de", "la", "и", "в", "на", "о", "с",
];

/// `true` for a line that reads as a title: no sentence punctuation at its end, at
/// least three words, and (small words aside) at least three in four capitalised.
pub fn is_title_like(line: &str) -> bool {
    let t = line.trim();
    let Some(last) = t.chars().last() else {
        return false;
    };
    if matches!(
        last,
        '.' | '!' | '?' | '…' | ';' | ',' | ':' | '"' | '”' | '»' | '\'' | '’' | ')' | ']'
    ) {
        return false;
    }
    let words: Vec<&str> = t.split(' ').collect();
    if words.len() < 3 {
        return false;
    }
    let mut big = 0usize;
    let mut counted = 0usize;
    for w in &words {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        if bare.is_empty() || SMALL_WORDS.contains(&bare.to_lowercase().as_str()) {
            continue;
        }
        counted += 1;
        if bare
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        {
            big += 1;
        }
    }
    counted >= 2 && big * 4 >= counted * 3
}

/// How many lines at the start of `lines` (non-empty lines, in order) are chrome.
pub fn leading_noise(lines: &[&str]) -> usize {
    lines.iter().take_while(|l| is_chrome(l)).count()
}

/// How many lines at the end of `lines` are chrome or trailing titles. Stops at a
/// line that opens with a speaker label or reads as a sentence, and never takes
/// every line (a text that is only a title is left for the caller to judge).
pub fn trailing_noise(lines: &[&str]) -> usize {
    let mut n = 0;
    for l in lines.iter().rev() {
        let chrome = is_chrome(l);
        let title = is_title_like(l) && !is_separator(l);
        if !(chrome || title) {
            break;
        }
        // A label followed by speech is transcript; a "label" followed by more title
        // words is a title with a subtitle ("Book Title: The Subtitle").
        if !chrome
            && labels::find_label(l)
                .is_some_and(|lab| !lab.single_word && !is_title_like(&l[lab.rest..]))
        {
            break;
        }
        n += 1;
    }
    if n >= lines.len() {
        // Keep at least the first line: it is the text's only content.
        n = lines.len().saturating_sub(1);
    }
    n
}

/// `true` for a section separator line such as `* * *`, `***` or `———`.
pub fn is_separator(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().count() >= 3
        && (t.chars().all(|c| c == '*')
            || t.chars().all(|c| c == '⁂')
            || t.chars()
                .all(|c| matches!(c, '—' | '–' | '-' | '_' | '=' | '~' | '#')))
        || t == "⁂"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_and_titles() {
        assert!(is_chrome("Share"));
        assert!(is_chrome("Tags: Foreign policy, CSTO"));
        assert!(is_chrome("Subscribe to our newsletter"));
        assert!(!is_chrome("We shared our views on the newsletter industry and much more besides, which took the whole afternoon and then some further time after that, in fact the whole of the evening too, so long it was indeed."));
        assert!(is_title_like(
            "The Essential Saker IV: Messianic Narcissism's Agony by a Thousand Cuts"
        ));
        assert!(!is_title_like("Thank you very much for your attention."));
        assert!(!is_title_like("Colleagues,"));
        let lines = [
            "A paragraph.",
            "The Essential Saker IV: Agony by a Thousand Cuts",
            "Share",
        ];
        assert_eq!(trailing_noise(&lines), 2);
        assert!(is_separator("* * *"));
        assert!(!is_separator("*"));
    }
}
