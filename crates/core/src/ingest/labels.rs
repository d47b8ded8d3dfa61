//! Speaker labels: deciding whether a paragraph opens with one ("President of Russia
//! Vladimir Putin: ..."), and splitting a label into the person's name (`speaker`)
//! and the rest (`role`).
//!
//! The rules are shape rules, not lists of people (see `docs/ingest.md`):
//! a label is the text before a paragraph's first colon; it is short, has no sentence
//! punctuation, ends in a capitalised word, contains no lowercase words other than
//! connectives and a few role words, does not start like prose ("We", "As", "In"), and
//! is followed by text that starts a sentence. A small list of *generic* speakers
//! (Question, Remark, Moderator, Вопрос, ...) is accepted on its own.

use super::gazetteer;

/// Longest label (in characters, before the colon) that is considered at all. Real
/// role-and-name labels reach about 200 characters; anything longer is prose.
pub const MAX_LABEL_CHARS: usize = 240;
/// Most words a label may have.
pub const MAX_LABEL_WORDS: usize = 32;

/// A speaker label found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label as printed, without the colon and without parenthetical notes.
    pub label: String,
    /// Parentheticals from the label ("retranslated"), joined with "; ".
    pub note: Option<String>,
    /// A generic speaker (Question, Moderator, ...) rather than a person.
    pub generic: bool,
    /// Only one word and no initials ("Putin"): accepted by the text parser only if
    /// it matches the surname of a fuller label in the same transcript.
    pub single_word: bool,
    /// Byte offset in the paragraph where the speech after the colon starts.
    pub rest: usize,
}

/// Generic speakers: roles that stand for whoever holds them at that moment.
/// Compared case-insensitively against the whole label (without notes).
const GENERIC: &[&str] = &[
    "question",
    "questions",
    "remark",
    "remarks",
    "reply",
    "replies",
    "answer",
    "response",
    "comment",
    "moderator",
    "host",
    "presenter",
    "interpreter",
    "translator",
    "voice",
    "voices",
    "voice from the audience",
    "voices from the audience",
    "participant",
    "participants",
    "audience member",
    "audience",
    "from the audience",
    "journalist",
    "correspondent",
    "speaker",
    "unidentified speaker",
    "chairman",
    "chair",
    "chairperson",
    "narrator",
    "announcer",
    "operator",
    "call centre operator",
    "call center operator",
    "volunteer",
    "volunteers",
    "response from the hall",
    "remark from the audience",
    "question from the audience",
    "students",
    "pupils",
    "children",
    "all",
    "together",
    "вопрос",
    "реплика",
    "ответ",
    "ведущий",
    "ведущая",
    "голос",
    "голоса",
    "голос из зала",
    "голоса из зала",
    "участник",
    "журналист",
    "председательствующий",
];

/// Lowercase words that may sit inside a role or a name ("Minister *of* Foreign
/// Affairs", "Tamim *bin* Hamad", "Министр иностранных дел").
const CONNECTIVES: &[&str] = &[
    "of", "the", "and", "for", "at", "on", "in", "to", "with", "under", "de", "del", "della",
    "der", "den", "van", "von", "da", "das", "do", "dos", "du", "des", "di", "bin", "bint", "ibn",
    "al", "el", "le", "la", "y", "e", "und", "и", "по", "в", "во", "на", "при", "из", "для", "с",
    "со", "об", "о",
];

/// Words a paragraph of prose often starts with and a label never does.
const PROSE_START: &[&str] = &[
    "i",
    "we",
    "he",
    "she",
    "it",
    "they",
    "you",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "our",
    "my",
    "his",
    "her",
    "their",
    "its",
    "your",
    "as",
    "if",
    "when",
    "while",
    "and",
    "but",
    "so",
    "or",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "to",
    "after",
    "before",
    "since",
    "because",
    "what",
    "why",
    "how",
    "where",
    "who",
    "which",
    "all",
    "some",
    "one",
    "two",
    "three",
    "finally",
    "following",
    "note",
    "please",
    "let",
    "today",
    "yesterday",
    "now",
    "then",
    "also",
    "however",
    "moreover",
    "example",
    "such",
    "thus",
    "therefore",
    "again",
    "it’s",
    "it's",
    "there’s",
    "there's",
    "let’s",
    "let's",
    "yes",
    "no",
    "well",
    "quote",
    "read",
    "see",
    "source",
    "result",
    "results",
    "answer:",
    "я",
    "мы",
    "он",
    "она",
    "они",
    "вы",
    "это",
    "как",
    "и",
    "но",
    "в",
    "на",
    "что",
    "так",
    "когда",
    "если",
];

/// Lowercase verbs of saying: "Putin said to Merkel:" introduces a quotation.
const SAYING: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "asked",
    "asks",
    "noted",
    "notes",
    "added",
    "adds",
    "stressed",
    "stated",
    "states",
    "wrote",
    "writes",
    "declared",
    "replied",
    "answered",
    "explained",
    "recalled",
    "remarked",
    "continued",
    "concluded",
    "announced",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "must",
    "may",
    "сказал",
    "заявил",
    "отметил",
];

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "jr", "sr", "st", "prof", "gen", "col", "lt", "sgt", "capt", "adm",
    "no", "inc", "ltd", "co", "corp", "gov", "sen", "rep", "hon", "rev", "messrs", "mme", "mlle",
    "г", "им", "тов",
];

/// Role words: capitalised (or lowercase) words that belong to a role, never to a
/// name. Used only to find where the name starts in a role-and-name label.
const ROLE_WORDS: &[&str] = &[
    "president",
    "vice-president",
    "prime",
    "minister",
    "chairman",
    "chairwoman",
    "chairperson",
    "chair",
    "co-chair",
    "governor",
    "mayor",
    "director",
    "director-general",
    "general",
    "head",
    "deputy",
    "secretary",
    "secretary-general",
    "chief",
    "ambassador",
    "chancellor",
    "king",
    "queen",
    "emir",
    "prince",
    "princess",
    "sheikh",
    "sultan",
    "senator",
    "professor",
    "rector",
    "commander",
    "commander-in-chief",
    "officer",
    "ceo",
    "member",
    "presenter",
    "anchor",
    "correspondent",
    "editor",
    "editor-in-chief",
    "executive",
    "founder",
    "partner",
    "patriarch",
    "metropolitan",
    "archbishop",
    "bishop",
    "mufti",
    "rabbi",
    "captain",
    "colonel",
    "sergeant",
    "corporal",
    "lieutenant",
    "admiral",
    "marshal",
    "commissioner",
    "representative",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "adviser",
    "advisor",
    "aide",
    "manager",
    "coach",
    "trainer",
    "student",
    "teacher",
    "worker",
    "pilot",
    "vice",
    "acting",
    "former",
    "ombudsman",
    "ombudsperson",
    "prosecutor",
    "judge",
    "auditor",
    "inspector",
    "leader",
    "host",
    "moderator",
    "journalist",
    "scientist",
    "engineer",
    "graduate",
    "cosmonaut",
    "astronaut",
    "speaker",
    "premier",
    "foreign",
    "defence",
    "defense",
    "finance",
    "economic",
    "federal",
    "state",
    "chairman’s",
    "cardinal",
    "pope",
    "mp",
    "deputy-chairman",
    "first",
    "presidential",
    "press",
    "nurse",
    "doctor",
    "farmer",
    "businessman",
    "businesswoman",
    "entrepreneur",
    "veteran",
    "resident",
    "volunteer",
    "participant",
    "winner",
    "champion",
    "coordinator",
    "consul",
    "emperor",
    "президент",
    "министр",
    "председатель",
    "губернатор",
    "глава",
    "директор",
    "мэр",
    "помощник",
    "пресс-секретарь",
    "руководитель",
    "заместитель",
    "генеральный",
    "секретарь",
    "посол",
];

/// Particles that join parts of a personal name ("Tamim bin Hamad Al Thani").
const NAME_PARTICLES: &[&str] = &[
    "bin", "bint", "ibn", "al", "el", "de", "del", "della", "der", "den", "van", "von", "da",
    "das", "dos", "du", "des", "di", "la", "le", "y", "abu",
];

fn lower(s: &str) -> String {
    s.to_lowercase()
}

fn in_list(list: &[&str], word: &str) -> bool {
    let w = lower(word);
    list.contains(&w.as_str())
}

fn starts_upper(word: &str) -> bool {
    word.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase())
}

fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Words that end place names, never personal names.
const PLACE_NOUNS: &[&str] = &[
    "region",
    "territory",
    "republic",
    "oblast",
    "krai",
    "district",
    "province",
    "county",
    "city",
    "town",
    "village",
    "area",
    "область",
    "край",
    "район",
    "республика",
];

/// Words that enumerate points in prose ("Second: ...", "Next: ..."), never names.
pub fn is_enumeration(word: &str) -> bool {
    in_list(
        &[
            "first", "firstly", "second", "secondly", "third", "thirdly", "fourth", "fourthly",
            "fifth", "fifthly", "sixth", "next", "then", "finally", "lastly", "last", "also",
            "listen", "look", "email", "e-mail", "phone", "tel", "fax", "address", "website",
        ],
        word,
    ) || PROSE_START.contains(&word.to_lowercase().as_str())
}

/// `true` for a generic speaker label ("Question", "Moderator", "Вопрос").
pub fn is_generic(label: &str) -> bool {
    in_list(GENERIC, label.trim())
}

/// Characters that may start the speech after a label's colon: a sentence start.
fn starts_sentence(rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(c) => {
            c.is_uppercase()
                || c.is_numeric()
                || matches!(
                    c,
                    '"' | '“'
                        | '”'
                        | '«'
                        | '„'
                        | '\''
                        | '‘'
                        | '’'
                        | '('
                        | '['
                        | '<'
                        | '…'
                        | '.'
                        | '-'
                        | '–'
                        | '—'
                        | '¡'
                        | '¿'
                )
        }
    }
}

/// Removes parentheticals from a label, returning the label without them and the
/// notes. `None` when brackets are unbalanced or nested (not a label).
pub fn strip_notes(raw: &str) -> Option<(String, Vec<String>)> {
    let mut label = String::with_capacity(raw.len());
    let mut notes = Vec::new();
    let mut depth = 0usize;
    let mut note = String::new();
    for c in raw.chars() {
        match c {
            '(' => {
                if depth > 0 {
                    return None;
                }
                depth = 1;
            }
            ')' => {
                if depth == 0 {
                    return None;
                }
                depth = 0;
                let n = note.trim().to_string();
                if !n.is_empty() {
                    notes.push(n);
                }
                note.clear();
                label.push(' ');
            }
            _ if depth > 0 => note.push(c),
            _ => label.push(c),
        }
    }
    if depth > 0 {
        return None;
    }
    Some((super::normalize::clean_line(&label), notes))
}

/// `true` if every dot in `label` is an abbreviation or initial dot ("Mr.",
/// "V.Putin", "Adnan Z. Amin") rather than the end of a sentence.
fn dots_are_abbreviations(label: &str) -> bool {
    for word in label.split(' ') {
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() == 1 {
            continue;
        }
        for (i, part) in parts.iter().enumerate() {
            // A dot inside a word ("V.Putin", "VEB.RF") never ends a sentence; only a
            // word-final dot must follow an initial or an abbreviation ("Mr.").
            if i != parts.len() - 2 || !parts[parts.len() - 1].is_empty() {
                continue;
            }
            let letters = part.chars().count();
            let ok = (letters == 1 && part.chars().all(char::is_alphabetic))
                || (letters <= 5 && in_list(ABBREVIATIONS, part));
            if !ok {
                return false;
            }
        }
    }
    true
}

/// Looks for a speaker label at the start of `paragraph`. Returns `None` when the
/// paragraph does not open with a label (a colon in prose, a time, a URL, a title).
pub fn find_label(paragraph: &str) -> Option<Label> {
    // Only the first colon counts, and only near the start.
    let mut colon = None;
    for (n, (i, c)) in paragraph.char_indices().enumerate() {
        if n > MAX_LABEL_CHARS + 40 {
            return None;
        }
        if c == ':' || c == '：' {
            colon = Some((i, c.len_utf8()));
            break;
        }
    }
    let (ci, clen) = colon?;
    let raw = paragraph[..ci].trim();
    let after = &paragraph[ci + clen..];
    // "15:30", "http://", "3:2", "mailto:x": a colon glued to a digit, a slash or a
    // lowercase letter is not a label's. (Glued to a capital it is a typo'd label:
    // "Mikhail Murashko:Good afternoon.")
    if after
        .chars()
        .next()
        .is_some_and(|c| c.is_numeric() || c == '/' || c.is_lowercase())
    {
        return None;
    }
    let rest_trim = after.trim_start();
    let rest = paragraph.len() - rest_trim.len();
    if raw.is_empty() || raw.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let (label, notes) = strip_notes(raw)?;
    if label.is_empty() {
        return None;
    }
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    // Speech starts a sentence; "Question: at what expense?" inside a speech is prose.
    // Only a label that is unmistakably role-and-name may be followed by a broken
    // start (lost superscripts: "Commander of the 2Combined Arms Army ...: nd Guards").
    if !starts_sentence(rest_trim) && !is_role_and_name(&label) {
        return None;
    }
    if is_generic(&label) {
        return Some(Label {
            label,
            note,
            generic: true,
            single_word: false,
            rest,
        });
    }
    if !label_shape_ok(&label) {
        return None;
    }
    // A country is not a speaker: "France: “It does not forbid ...”" introduces a
    // quotation, and "The same applies to Britain:" is prose.
    let name = split_speaker(&label, false).speaker;
    let name_words: Vec<&str> = name
        .split(' ')
        .skip_while(|w| w.eq_ignore_ascii_case("the"))
        .collect();
    let has_role = label.split(' ').any(|w| in_list(ROLE_WORDS, w));
    if gazetteer::place_len_at(&name_words) == Some(name_words.len()) && !has_role {
        return None;
    }
    // Nor is a place: "Perm Territory: “Why are ...”" cites a message from there.
    let last = label.rsplit(' ').next().unwrap_or("");
    let first_generic = label.split(' ').next().is_some_and(is_generic);
    if !has_role && !first_generic && in_list(PLACE_NOUNS, last) {
        return None;
    }
    let words = label.split(' ').count();
    // "V.Putin" (initials) and "MaximTopilin" (a lost space) are full names.
    let single_word = words == 1 && !label.contains('.') && !is_camel(&label);
    Some(Label {
        label,
        note,
        generic: false,
        single_word,
        rest,
    })
}

/// A label that starts with a capital, holds a role word, ends in a name of two or
/// more capitalised words, and has no verb of saying: "Defence Minister Sergei Shoigu".
fn is_role_and_name(label: &str) -> bool {
    let words: Vec<&str> = label.split(' ').collect();
    let n = words.len();
    n >= 3
        && starts_upper(words[0])
        && name_capitalised(words[n - 1])
        && name_capitalised(words[n - 2])
        && !in_list(ROLE_WORDS, words[n - 1])
        && !in_list(ROLE_WORDS, words[n - 2])
        && words[..n - 2].iter().any(|w| in_list(ROLE_WORDS, w))
        && !words.iter().any(|w| in_list(SAYING, w) || in_list(PROSE_START, w) && starts_upper(w))
        // Lowercase words only as connectives: "of the", never "applies to".
        && words
            .iter()
            .all(|w| name_capitalised(w) || in_list(CONNECTIVES, w) || w.starts_with(char::is_numeric))
        && label_shape_ok(label)
}

/// The shape rules for a non-generic label (see the module docs).
fn label_shape_ok(label: &str) -> bool {
    if label.chars().any(|c| {
        matches!(
            c,
            '?' | '!'
                | ';'
                | '"'
                | '“'
                | '”'
                | '«'
                | '»'
                | '„'
                | '/'
                | '\\'
                | '@'
                | '#'
                | '='
                | '*'
                | '<'
                | '>'
                | '|'
                | '{'
                | '}'
                | '…'
                | '+'
                | '%'
                | '$'
                | '€'
                | '£'
        )
    }) {
        return false;
    }
    if !dots_are_abbreviations(label) {
        return false;
    }
    let words: Vec<&str> = label.split(' ').collect();
    if words.len() > MAX_LABEL_WORDS {
        return false;
    }
    let first = words[0].trim_matches(|c: char| !c.is_alphanumeric());
    if in_list(PROSE_START, first) || in_list(PROSE_START, words[0]) {
        return false;
    }
    // "Geoff Cutmore, moderator of the plenary session": a name, then a role after a
    // comma. The name part must pass the rules, and the tail must hold a role word.
    // "Konstantin Fokin, ship cutter, special structures shop": a name first, then a
    // description of the person however long.
    if let Some((head, tail)) = label.split_once(", ") {
        let head_words: Vec<&str> = head.split(' ').collect();
        let tail_words: Vec<&str> = tail.split(' ').collect();
        if (2..=4).contains(&head_words.len())
            && head_words
                .iter()
                .all(|w| name_capitalised(w) || in_list(NAME_PARTICLES, w))
            && !name_capitalised(tail_words[0])
            && tail_words.len() <= 12
            && !in_list(PROSE_START, tail_words[0])
            && !tail_words.iter().any(|w| in_list(SAYING, w))
            && label_shape_ok(head)
        {
            return true;
        }
    }
    if let Some((head, tail)) = label.rsplit_once(", ") {
        let tail_words: Vec<&str> = tail.split(' ').collect();
        let last = words[words.len() - 1];
        let head_words: Vec<&str> = head.split(' ').collect();
        let head_is_name = (2..=4).contains(&head_words.len())
            && head_words
                .iter()
                .all(|w| name_capitalised(w) || in_list(NAME_PARTICLES, w));
        if !name_capitalised(last)
            && head.contains(' ')
            && tail_words.len() <= 12
            && (head_is_name || tail_words.iter().any(|w| in_list(ROLE_WORDS, w)))
            && !in_list(PROSE_START, tail_words[0])
            && !tail_words.iter().any(|w| in_list(SAYING, w))
        {
            return label_shape_ok(head);
        }
    }
    if label.matches('[').count() != label.matches(']').count() {
        return false;
    }
    let last = words[words.len() - 1];
    // A name ends the label, and names are capitalised; digits end times and counts.
    if !name_capitalised(last) || last.chars().last().is_some_and(|c| c.is_numeric()) {
        return false;
    }
    if !words.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        return false;
    }
    let mut free_lower = 0;
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        if bare.is_empty() {
            // A lone dash or comma between words is punctuation, not a word.
            if !matches!(*w, "-" | "–" | "—" | "&") {
                return false;
            }
            continue;
        }
        if name_capitalised(bare) || bare.chars().next().is_some_and(|c| c.is_numeric()) {
            continue;
        }
        if in_list(SAYING, bare) {
            return false;
        }
        if in_list(CONNECTIVES, bare) {
            continue;
        }
        // A lowercase first word is allowed only as a role word ("chairman of ...").
        if i == 0 && !in_list(ROLE_WORDS, bare) {
            return false;
        }
        free_lower += 1;
    }
    // Role descriptions carry a few lowercase words ("news presenter"); prose many.
    // A label that ends in a two-word name may describe the person at length
    // ("Olympic figure skating silver medallist Yevgenia Medvedeva").
    let ends_in_name =
        words.len() >= 2 && name_capitalised(words[words.len() - 2]) && starts_upper(words[0]);
    free_lower <= 5 && (free_lower * 2 <= words.len() || ends_in_name)
}

/// A label split into the person's name and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerRole {
    /// The person's name, or the whole label for generic speakers and role-only labels.
    pub speaker: String,
    /// The rest of the label, if any.
    pub role: Option<String>,
}

/// Splits a (non-generic) label into name and role.
///
/// The name is the trailing run of words after the last word that belongs to a
/// role: a lowercase word, a role word ("Minister"), an acronym ("CEO", "VEB"), a
/// possessive, or a country or demonym ("of Russia", "Russian"). A name found after
/// a lowercase connective is at most two words (plus particles such as "bin" and
/// initials), since the words before it usually finish the role's object
/// ("Minister of Industry and Trade Denis Manturov").
pub fn split_speaker(label: &str, generic: bool) -> SpeakerRole {
    if generic {
        return SpeakerRole {
            speaker: label.to_string(),
            role: None,
        };
    }
    let words: Vec<&str> = label.split(' ').filter(|w| !w.is_empty()).collect();
    let all_caps = is_acronym(label);
    let n = words.len();
    // Index just after the last role-ish word, and whether it was a lowercase connective.
    let mut boundary = 0;
    let mut after_connective = false;
    let mut i = 0;
    while i < n {
        let w = words[i];
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        if let Some(len) = gazetteer::place_len_at(&words[i..]) {
            // Never let a place swallow the whole label's tail (it could be a surname).
            if i + len < n {
                boundary = i + len;
                after_connective = false;
                i += len;
                continue;
            }
        }
        let lower_word = !starts_upper(bare);
        let particle = in_list(NAME_PARTICLES, bare);
        let role_like = in_list(ROLE_WORDS, bare)
            || (!all_caps && is_acronym(bare) && bare.chars().count() <= 8 && !is_roman(bare))
            || w.ends_with("’s")
            || w.ends_with("'s")
            || w.ends_with(',');
        if (lower_word && !particle) || role_like {
            boundary = i + 1;
            after_connective = lower_word;
        }
        i += 1;
    }
    // "King Abdullah II of Jordan": a title, the name, then "of <country>".
    if boundary >= 2 && n - boundary <= 3 && in_list(&["of"], words[boundary - 1]) {
        let tail = &words[boundary..];
        if gazetteer::place_len_at(tail) == Some(tail.len()) {
            let of = boundary - 1;
            let mut s = of;
            while s > 0 && starts_upper(words[s - 1]) && !in_list(ROLE_WORDS, words[s - 1]) {
                s -= 1;
            }
            if s < of && s > 0 {
                let mut role: Vec<&str> = words[..s].to_vec();
                role.extend_from_slice(&words[of..]);
                return SpeakerRole {
                    speaker: words[s..of].join(" "),
                    role: Some(role.join(" ")),
                };
            }
        }
    }
    let mut start = boundary;
    let name_len = n - start;
    let has_particle = words[start..]
        .iter()
        .any(|w| in_list(NAME_PARTICLES, w) && !starts_upper(w));
    if name_len == 0 {
        // A role with no name ("Prime Minister"): the label is all we know.
        return SpeakerRole {
            speaker: label.to_string(),
            role: None,
        };
    }
    let particles = words[start..]
        .iter()
        .filter(|w| in_list(NAME_PARTICLES, w))
        .count();
    if name_len > 4 + particles || (after_connective && name_len >= 3 && !has_particle) {
        start = n - 2;
        // Keep particles and initials attached to the surname.
        while start > boundary {
            let prev = words[start - 1];
            if in_list(NAME_PARTICLES, prev) || is_initial(prev) {
                start -= 1;
                if start > boundary && !in_list(NAME_PARTICLES, words[start - 1]) {
                    start -= 1;
                }
            } else {
                break;
            }
        }
    }
    let speaker = words[start..].join(" ");
    let role = words[..start]
        .join(" ")
        .trim_end_matches([',', ' '])
        .to_string();
    SpeakerRole {
        speaker,
        role: (!role.is_empty()).then_some(role),
    }
}

/// A word with a capital after a lowercase letter ("MaximTopilin"), but not a
/// "Mc"/"Mac" surname.
fn is_camel(w: &str) -> bool {
    let cs: Vec<char> = w.chars().collect();
    cs.windows(2).enumerate().any(|(i, p)| {
        p[0].is_lowercase()
            && p[1].is_uppercase()
            && !(i <= 2 && (w.starts_with("Mc") || w.starts_with("Mac")))
    })
}

/// Capitalised, or a name with a lowercase particle prefix ("al-Bashir", "d’Estaing").
fn name_capitalised(w: &str) -> bool {
    starts_upper(w)
        || w.split(['-', '’', '\''])
            .skip(1)
            .any(|part| part.chars().next().is_some_and(char::is_uppercase))
}

fn is_initial(w: &str) -> bool {
    let t = w.trim_end_matches('.');
    w.ends_with('.') && t.chars().count() == 1
}

fn is_roman(w: &str) -> bool {
    w.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
}

/// The key under which label variants of one person are merged: the surname
/// (last word, after any initials such as "V.Putin"), lowercased.
pub fn surname_key(speaker: &str) -> String {
    let last = speaker.rsplit(' ').next().unwrap_or(speaker);
    let last = last.rsplit('.').next().unwrap_or(last);
    last.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// First letter of the given name, if the speaker has one ("V" for "V.Putin").
pub fn initial(speaker: &str) -> Option<char> {
    let words: Vec<&str> = speaker.split(' ').collect();
    if words.len() >= 2 {
        return words[0]
            .chars()
            .next()
            .map(|c| c.to_lowercase().next().unwrap_or(c));
    }
    let w = words[0];
    if let Some((a, b)) = w.split_once('.') {
        if !b.is_empty() {
            return a
                .chars()
                .next()
                .map(|c| c.to_lowercase().next().unwrap_or(c));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(p: &str) -> Option<String> {
        find_label(p).map(|l| l.label)
    }

    #[test]
    fn labels_are_found() {
        assert_eq!(
            lab("President of Russia Vladimir Putin: Thank you.").as_deref(),
            Some("President of Russia Vladimir Putin")
        );
        assert_eq!(lab("Question: Hello.").as_deref(), Some("Question"));
        let q = find_label("Question (retranslated): Mr President,").unwrap();
        assert_eq!(
            (q.label.as_str(), q.note.as_deref()),
            ("Question", Some("retranslated"))
        );
        assert_eq!(lab("В.Путин: Добрый день.").as_deref(), Some("В.Путин"));
        assert_eq!(
            lab("chairman of Vnesheconombank (VEB) Vladimir Dmitriev: Mr President").as_deref(),
            Some("chairman of Vnesheconombank Vladimir Dmitriev")
        );
    }

    #[test]
    fn prose_colons_are_not_labels() {
        for p in [
            "Our task is simple: we must work.",
            "The meeting starts at 15:30 today.",
            "Priority one: growth.",
            "As Churchill said: \"Never give in.\"",
            "See http://en.kremlin.ru/d/1 for details.",
            "Putin said to Merkel: Thank you.",
            "We discussed three things with Russia: Energy.",
            "The Essential Saker IV: messianic narcissism",
        ] {
            assert_eq!(lab(p), None, "{p}");
        }
    }

    #[test]
    fn speaker_and_role() {
        let s = |l: &str| split_speaker(l, false);
        assert_eq!(
            s("President of Russia Vladimir Putin").speaker,
            "Vladimir Putin"
        );
        assert_eq!(
            s("President of Russia Vladimir Putin").role.as_deref(),
            Some("President of Russia")
        );
        assert_eq!(
            s("President of Turkey Recep Tayyip Erdogan").speaker,
            "Recep Tayyip Erdogan"
        );
        assert_eq!(s("Defence Minister Sergei Shoigu").speaker, "Sergei Shoigu");
        assert_eq!(
            s("Minister of Industry and Trade Denis Manturov").speaker,
            "Denis Manturov"
        );
        assert_eq!(
            s("Emir of Qatar Tamim bin Hamad Al Thani").speaker,
            "Tamim bin Hamad Al Thani"
        );
        assert_eq!(s("Vladimir Putin").speaker, "Vladimir Putin");
        assert_eq!(s("Vladimir Putin").role, None);
        assert_eq!(s("CEO of CIFAL Gilles Remy").speaker, "Gilles Remy");
        let k = s("King Abdullah II of Jordan");
        assert_eq!(
            (k.speaker.as_str(), k.role.as_deref()),
            ("Abdullah II", Some("King of Jordan"))
        );
        assert_eq!(surname_key("V.Putin"), "putin");
        assert_eq!(initial("V.Putin"), Some('v'));
    }
}
