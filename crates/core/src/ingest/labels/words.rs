//! The word lists behind the label rules (generic speakers, connectives, prose
//! openers, verbs of saying, abbreviations, role words, name particles, place nouns)
//! and the small word tests built on them. Lists, not rules: the rules are in
//! [`super`] (finding a label) and [`super::split`] (name and role).

/// Generic speakers: roles that stand for whoever holds them at that moment.
/// Compared case-insensitively against the whole label (without notes).
pub(super) const GENERIC: &[&str] = &[
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
pub(super) const CONNECTIVES: &[&str] = &[
    "of", "the", "and", "for", "at", "on", "in", "to", "with", "under", "de", "del", "della",
    "der", "den", "van", "von", "da", "das", "do", "dos", "du", "des", "di", "bin", "bint", "ibn",
    "al", "el", "le", "la", "y", "e", "und", "и", "по", "в", "во", "на", "при", "из", "для", "с",
    "со", "об", "о",
];

/// Words a paragraph of prose often starts with and a label never does.
pub(super) const PROSE_START: &[&str] = &[
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
pub(super) const SAYING: &[&str] = &[
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
pub(super) const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "jr", "sr", "st", "prof", "gen", "col", "lt", "sgt", "capt", "adm",
    "no", "inc", "ltd", "co", "corp", "gov", "sen", "rep", "hon", "rev", "messrs", "mme", "mlle",
    "г", "им", "тов",
];

/// Role words: capitalised (or lowercase) words that belong to a role, never to a
/// name. Used only to find where the name starts in a role-and-name label.
pub(super) const ROLE_WORDS: &[&str] = &[
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
pub(super) const NAME_PARTICLES: &[&str] = &[
    "bin", "bint", "ibn", "al", "el", "de", "del", "della", "der", "den", "van", "von", "da",
    "das", "dos", "du", "des", "di", "la", "le", "y", "abu",
];

pub(super) fn in_list(list: &[&str], word: &str) -> bool {
    let w = list_lower(word);
    list.contains(&w.as_str())
}

/// `word` in lower case for comparing with word lists whose letters are ASCII and
/// Cyrillic from U+0430 to U+045F, as this module's and `qa`'s are (the tests check).
/// Exact for that comparison: every character whose lower case is such a letter is
/// lowered here, and any other is left as it is, so that a word holding one matches no
/// list word, as it would not once lowered either (tested for every character).
///
/// Why not `to_lowercase`: the search worker reads turn labels (is this turn a
/// question?), and `to_lowercase` brings the standard library's case tables, 6 KB of
/// gzipped wasm, into what a first visit downloads (issue 13).
pub(crate) fn list_lower(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'A'..='Z' | '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
            '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
            // KELVIN SIGN, whose lower case is the ASCII k.
            '\u{212A}' => 'k',
            _ => c,
        })
        .collect()
}

pub(super) fn starts_upper(word: &str) -> bool {
    word.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase())
}

pub(super) fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Words that end place names, never personal names.
pub(super) const PLACE_NOUNS: &[&str] = &[
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

/// Whether `c` may appear in a word list compared through [`list_lower`].
#[cfg(test)]
pub(crate) fn is_list_char(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_uppercase()) || ('\u{0430}'..='\u{045F}').contains(&c) || c == '’'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_hold_only_what_list_lower_compares_exactly() {
        let lists = [
            GENERIC,
            CONNECTIVES,
            PROSE_START,
            SAYING,
            ABBREVIATIONS,
            ROLE_WORDS,
            NAME_PARTICLES,
            PLACE_NOUNS,
        ];
        for w in lists.iter().flat_map(|l| l.iter()) {
            assert!(
                w.chars().all(is_list_char),
                "{w:?}: list_lower cannot compare it"
            );
        }
    }

    #[test]
    fn list_lower_compares_as_to_lowercase_for_every_character() {
        // Either both lower `c` alike, or both leave something no list word holds: then
        // a word with `c` matches no list word either way.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let (want, got) = (c.to_lowercase().to_string(), list_lower(&c.to_string()));
            let outside = |s: &str| s.chars().any(|x| !is_list_char(x));
            assert!(
                want == got || (outside(&want) && outside(&got)),
                "U+{:04X}: to_lowercase {want:?}, list_lower {got:?}",
                c as u32
            );
        }
        assert_eq!(list_lower("ВОПРОС от ЁЛКИ"), "вопрос от ёлки");
        assert_eq!(list_lower("Question"), "question");
    }
}
