//! Snippets and highlights: which words of a loaded transcript match a query.
//!
//! Snippets are computed from the transcript's own text with the same analysis as the
//! index, so a page of hits needs only those hits' transcripts, never positions.
//! Offsets are in characters (Unicode scalar values) of the returned text; nothing here
//! produces HTML.

use serde::{Deserialize, Serialize};

use super::analysis::{fold_value, tokens_stemming_if, Token};
use super::lev::{typo_distance, Levenshtein};
use super::query::{Node, Query};
use crate::ingest::qa::{self, TurnRole};
use crate::model::{Location, Transcript};

/// Words in a snippet, about.
pub const SNIPPET_WORDS: usize = 30;
/// Words kept before the first highlight of a snippet, when the paragraph is cut.
const LEAD_WORDS: usize = 6;

/// A piece of a paragraph around the best matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The paragraph's index in reading order.
    pub paragraph: usize,
    /// The text, with `…` where the paragraph was cut.
    pub text: String,
    /// `[start, end)` character offsets into `text` of the matching words (a phrase is
    /// one range).
    pub highlights: Vec<(usize, usize)>,
}

/// What one positive word or phrase of a query highlights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TextPattern {
    /// A word: matches tokens with one of `stems`, a folded form in `surfaces` (typo
    /// expansions), a folded form starting with `prefix`, or (index-free highlighting)
    /// within `typo` edits of a folded form.
    Word {
        stems: Vec<String>,
        surfaces: Vec<String>,
        prefix: Option<String>,
        typo: Option<(String, u8)>,
        idf: f32,
    },
    /// Adjacent tokens with these stems.
    Phrase { stems: Vec<String>, idf: f32 },
}

impl TextPattern {
    pub(crate) fn set_idf(&mut self, v: f32) {
        match self {
            TextPattern::Word { idf, .. } | TextPattern::Phrase { idf, .. } => *idf = v,
        }
    }
    pub(crate) fn idf(&self) -> f32 {
        match self {
            TextPattern::Word { idf, .. } | TextPattern::Phrase { idf, .. } => *idf,
        }
    }
    /// Whether token `t` matches this word pattern; `typo` is the automaton of its
    /// `typo` field.
    fn word_matches(&self, t: &Token, typo: Option<&Levenshtein>) -> bool {
        match self {
            TextPattern::Word {
                stems,
                surfaces,
                prefix,
                ..
            } => {
                stems.contains(&t.term)
                    || surfaces.contains(&t.folded)
                    || prefix
                        .as_ref()
                        .is_some_and(|p| t.folded.starts_with(p.as_str()))
                    || typo.is_some_and(|lev| lev.matches(&t.folded))
            }
            TextPattern::Phrase { .. } => false,
        }
    }
}

/// What a query highlights: its positive words and phrases, and its scope (speakers,
/// roles). Serialisable, so that the app's search worker can hand it to the page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Matcher {
    atoms: Vec<TextPattern>,
    scope: Vec<Vec<String>>,
    /// `in:` roles ([`Query::roles`]).
    #[serde(default)]
    roles: Vec<TurnRole>,
}

/// A match in a token list: token range and atom.
struct Span {
    first: usize,
    last: usize,
    atom: usize,
}

impl Matcher {
    /// A matcher of `atoms` with the scope of `q`.
    pub(crate) fn new(atoms: Vec<TextPattern>, q: &Query) -> Matcher {
        Matcher {
            atoms,
            scope: q.speakers.iter().map(|s| s.folded.clone()).collect(),
            roles: q.roles.clone(),
        }
    }

    /// A matcher without an index: words match by stem, prefixes by folded prefix, and
    /// words eligible for typo tolerance also match tokens within the allowed edits
    /// (without an index it cannot know whether an exact match exists elsewhere).
    pub fn from_query(q: &Query) -> Matcher {
        fn walk(n: &Node, positive: bool, out: &mut Vec<TextPattern>) {
            match n {
                Node::Word(w) if positive => out.push(TextPattern::Word {
                    stems: if w.prefix {
                        vec![]
                    } else {
                        vec![w.term.clone()]
                    },
                    surfaces: vec![],
                    prefix: w.prefix.then(|| w.folded.clone()),
                    typo: (!w.prefix)
                        .then(|| typo_distance(&w.folded).map(|d| (w.folded.clone(), d)))
                        .flatten(),
                    idf: 1.0,
                }),
                Node::Phrase(ws) if positive => out.push(TextPattern::Phrase {
                    stems: ws.iter().map(|w| w.term.clone()).collect(),
                    idf: 1.0,
                }),
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, positive, out)),
                Node::Not(c) => walk(c, !positive, out),
                _ => {}
            }
        }
        let mut atoms = Vec::new();
        if let Some(r) = &q.root {
            walk(r, true, &mut atoms);
        }
        Matcher::new(atoms, q)
    }

    /// This matcher ready to match tokens: its analysis and its typo automata.
    fn prepare(&self) -> Prepared<'_> {
        // A word is stemmed only when some stem of the query starts with its first
        // letter: no other stem could equal its own.
        let mut initials: Vec<char> = self
            .atoms
            .iter()
            .flat_map(|a| match a {
                TextPattern::Word { stems, .. } | TextPattern::Phrase { stems, .. } => stems.iter(),
            })
            .filter_map(|s| s.chars().next())
            .collect();
        super::heapsort::sort(&mut initials);
        initials.dedup();
        let typos = self
            .atoms
            .iter()
            .map(|a| match a {
                TextPattern::Word {
                    typo: Some((folded, d)),
                    ..
                } => Some(Levenshtein::new(folded, *d)),
                _ => None,
            })
            .collect();
        Prepared {
            atoms: &self.atoms,
            initials,
            typos,
        }
    }

    /// Character ranges of `text` that match, sorted and non-overlapping.
    pub fn highlight(&self, text: &str) -> Vec<(usize, usize)> {
        let p = self.prepare();
        let toks = p.tokens(text);
        merge(
            p.spans(&toks)
                .iter()
                .map(|s| (toks[s.first].start, toks[s.last].end))
                .collect(),
        )
    }

    /// Up to `max` snippets of `t`'s best-matching paragraphs, best first. Under a
    /// scope only the paragraphs in scope are considered.
    pub fn snippets(&self, t: &Transcript, max: usize) -> Vec<Snippet> {
        let allowed = self.allowed_paragraphs(t);
        type Scored<'t> = (f32, usize, Vec<Token>, Vec<Span>, &'t str);
        let mut scored: Vec<Scored> = Vec::new();
        let prepared = self.prepare();
        for p in t.paragraphs() {
            if !allowed.as_ref().is_none_or(|a| a[p.index]) {
                continue;
            }
            let toks = prepared.tokens(p.text);
            let spans = prepared.spans(&toks);
            if spans.is_empty() {
                continue;
            }
            let mut per_atom = vec![0usize; self.atoms.len()];
            for s in &spans {
                per_atom[s.atom] += 1;
            }
            let score: f32 = per_atom
                .iter()
                .enumerate()
                .filter(|(_, &k)| k > 0)
                .map(|(a, &k)| self.atoms[a].idf() * (1.0 + (k as f32).ln()))
                .sum();
            scored.push((score, p.index, toks, spans, p.text));
        }
        super::heapsort::sort_by(&mut scored, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .take(max)
            .map(|(_, index, toks, spans, text)| cut(index, text, &toks, &spans))
            .collect()
    }

    /// The positive words and phrases it highlights (the workbench counts them).
    pub fn atoms(&self) -> &[TextPattern] {
        &self.atoms
    }

    /// The scope's speakers, as folded words, and its roles.
    pub(crate) fn scope(&self) -> (&[Vec<String>], &[TurnRole]) {
        (&self.scope, &self.roles)
    }

    /// Whether the query has a scope (matches only in those speakers' turns, or in
    /// question or answer turns).
    pub fn is_scoped(&self) -> bool {
        !self.scope.is_empty() || !self.roles.is_empty()
    }

    /// Per reading-order paragraph, whether the scope allows it (`None`: no scope).
    pub fn allowed_paragraphs(&self, t: &Transcript) -> Option<Vec<bool>> {
        if !self.is_scoped() {
            return None;
        }
        let mut roles = qa::roles(t).into_iter();
        // Once per turn, not per paragraph: folding a name is the costly part.
        let allowed: Vec<Vec<bool>> = t
            .sections
            .iter()
            .map(|s| {
                s.turns
                    .iter()
                    .map(|turn| {
                        let role = roles.next().unwrap_or(TurnRole::Other);
                        let speaker = self.scope.is_empty()
                            || turn.speaker.as_deref().is_some_and(|sp| {
                                let f = fold_value(sp);
                                self.scope.iter().any(|s| s.join(" ") == f)
                            });
                        speaker && (self.roles.is_empty() || self.roles.contains(&role))
                    })
                    .collect()
            })
            .collect();
        Some(
            t.paragraphs()
                .map(|p| match p.location {
                    Location::Summary => false,
                    Location::Body { section, turn } => allowed[section][turn],
                })
                .collect(),
        )
    }
}

/// A [`Matcher`] ready to match a text's tokens.
struct Prepared<'m> {
    atoms: &'m [TextPattern],
    /// First letters of the query's stems, sorted.
    initials: Vec<char>,
    /// Per atom, the automaton of its typo tolerance.
    typos: Vec<Option<Levenshtein>>,
}

impl Prepared<'_> {
    /// The tokens of `text`, stemmed only where a query stem could match.
    fn tokens(&self, text: &str) -> Vec<Token> {
        tokens_stemming_if(text, |folded| {
            folded
                .chars()
                .next()
                .is_some_and(|c| self.initials.binary_search(&c).is_ok())
        })
    }

    fn spans(&self, toks: &[Token]) -> Vec<Span> {
        let mut out = Vec::new();
        for (ai, a) in self.atoms.iter().enumerate() {
            match a {
                TextPattern::Word { .. } => {
                    for (i, t) in toks.iter().enumerate() {
                        if a.word_matches(t, self.typos[ai].as_ref()) {
                            out.push(Span {
                                first: i,
                                last: i,
                                atom: ai,
                            });
                        }
                    }
                }
                TextPattern::Phrase { stems, .. } => {
                    if stems.is_empty() || toks.len() < stems.len() {
                        continue;
                    }
                    for i in 0..=toks.len() - stems.len() {
                        if stems
                            .iter()
                            .enumerate()
                            .all(|(k, s)| toks[i + k].term == *s)
                        {
                            out.push(Span {
                                first: i,
                                last: i + stems.len() - 1,
                                atom: ai,
                            });
                        }
                    }
                }
            }
        }
        super::heapsort::sort_by_key(&mut out, |s| (s.first, s.last, s.atom));
        out
    }
}

/// Sorts and merges overlapping ranges.
fn merge(mut v: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    super::heapsort::sort(&mut v);
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(l) if r.0 <= l.1 => l.1 = l.1.max(r.1),
            _ => out.push(r),
        }
    }
    out
}

/// The snippet of one paragraph: the ~30-word window holding the most matches.
fn cut(paragraph: usize, text: &str, toks: &[Token], spans: &[Span]) -> Snippet {
    let (ws, we) = if toks.len() <= SNIPPET_WORDS {
        (0, toks.len())
    } else {
        let mut best = (0usize, 0usize, 0usize);
        for s in spans {
            let start = s
                .first
                .saturating_sub(LEAD_WORDS)
                .min(toks.len() - SNIPPET_WORDS);
            let end = start + SNIPPET_WORDS;
            let n = spans
                .iter()
                .filter(|x| x.first >= start && x.last < end)
                .count();
            if n > best.0 {
                best = (n, start, end);
            }
        }
        (best.1, best.2)
    };
    let chars: Vec<char> = text.chars().collect();
    let from = if ws == 0 { 0 } else { toks[ws].start };
    let to = if we == toks.len() {
        chars.len()
    } else {
        toks[we - 1].end
    };
    let lead = usize::from(from > 0);
    let mut s: String = if from > 0 {
        "…".into()
    } else {
        String::new()
    };
    s.extend(&chars[from..to]);
    if to < chars.len() {
        s.push('…');
    }
    let highlights = merge(
        spans
            .iter()
            .filter(|x| x.first >= ws && x.last < we)
            .map(|x| {
                (
                    toks[x.first].start - from + lead,
                    toks[x.last].end - from + lead,
                )
            })
            .collect(),
    );
    Snippet {
        paragraph,
        text: s,
        highlights,
    }
}

/// Character ranges of `text` that `q` matches, without an index (see
/// [`Matcher::from_query`]); for the reading view. With an index at hand,
/// [`super::Index::matcher`] gives the exact expansions.
pub fn highlight(text: &str, q: &Query) -> Vec<(usize, usize)> {
    Matcher::from_query(q).highlight(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysis::tokens;
    use crate::search::query::parse;

    #[test]
    fn highlights_are_character_offsets() {
        let q = parse(r#"Syria "collective security" negot*"#).unwrap();
        let text = "Путин: Syria’s collective security and negotiations.";
        let h = highlight(text, &q);
        let c: Vec<char> = text.chars().collect();
        let got: Vec<String> = h.iter().map(|&(a, b)| c[a..b].iter().collect()).collect();
        assert_eq!(got, vec!["Syria’s", "collective security", "negotiations"]);
    }

    #[test]
    fn stemming_only_words_with_a_query_initial_finds_the_same_spans() {
        let sample = include_str!("../../../../sample/cstu-council-2015.txt");
        for qs in [
            "security council",
            r#""collective security" -russia"#,
            "member* state",
            r#""the united nations" organisation"#,
            "Путин россия",
        ] {
            let m = Matcher::from_query(&parse(qs).unwrap());
            let prepared = m.prepare();
            for p in sample.lines() {
                let key = |v: Vec<Span>| -> Vec<_> {
                    v.into_iter().map(|s| (s.first, s.last, s.atom)).collect()
                };
                assert_eq!(
                    key(prepared.spans(&prepared.tokens(p))),
                    key(prepared.spans(&tokens(p))),
                    "{qs}: {p}"
                );
            }
        }
    }

    #[test]
    fn long_paragraphs_are_cut_around_matches() {
        let mut t = Transcript::new("a", "A");
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        t.summary = vec![format!(
            "{} Syria {}",
            words[..60].join(" "),
            words[60..].join(" ")
        )];
        let q = parse("syria").unwrap();
        let s = Matcher::from_query(&q).snippets(&t, 3);
        assert_eq!(s.len(), 1);
        assert!(s[0].text.starts_with('…') && s[0].text.ends_with('…'));
        let c: Vec<char> = s[0].text.chars().collect();
        let (a, b) = s[0].highlights[0];
        assert_eq!(c[a..b].iter().collect::<String>(), "Syria");
        assert_eq!(s[0].text.split_whitespace().count(), SNIPPET_WORDS);
    }
}
