//! The query language: a small, total parser from text to a syntax tree.
//!
//! The syntax is documented in `docs/query-syntax.md`. In short: words (all must
//! match), `"exact phrases"`, `OR` (binds tighter than the implicit AND), `-` to
//! exclude, `prefix*`, parentheses, a `name:` condition for every facet of the query
//! language ([`Facet::in_query`]: `speaker:`, `place:`, ...), `date:` and `in:answers` /
//! `in:questions` (a scope, like a top-level `speaker:`). Every input either parses or gives a [`ParseError`] with a
//! message and a character span; nothing panics, and the input size is bounded.

use super::analysis::{fold_value, tokens};
use super::facet::Facet;
use crate::ingest::qa::TurnRole;

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most words (after analysis) a query may hold.
pub const MAX_QUERY_WORDS: usize = 64;
/// Deepest nesting of parentheses and negations.
pub const MAX_DEPTH: usize = 16;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The boolean tree; `None` when the query has no conditions beyond `speakers`
    /// (or none at all: an empty query browses every document).
    pub root: Option<Node>,
    /// Speaker scope: the values of `speaker:` conditions that are direct parts of the
    /// top-level AND. When non-empty, a document must have a paragraph by one of them,
    /// and every word, phrase and prefix is looked for only in such paragraphs.
    pub speakers: Vec<FieldValue>,
    /// Role scope: the `in:answers` / `in:questions` conditions (top level only), sorted
    /// and distinct. When non-empty, words are looked for only in turns of one of these
    /// roles ([`crate::ingest::qa::roles`]), and with a speaker scope in that speaker's.
    pub roles: Vec<TurnRole>,
}

/// The values `in:` takes, and the roles they scope to.
pub const IN_VALUES: [(&str, TurnRole); 2] = [
    ("answers", TurnRole::Answer),
    ("questions", TurnRole::Question),
];

/// A node of the syntax tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// One word, maybe with typo tolerance (no exact match) or as a prefix.
    Word(Word),
    /// Words that must be adjacent, in order, within one paragraph (or the title).
    Phrase(Vec<Word>),
    /// A facet condition (never on [`Facet::Year`]: dates are `date:`).
    Field(Facet, FieldValue),
    /// The document's date lies in the range.
    Date(DateRange),
    /// Every child must match.
    And(Vec<Node>),
    /// At least one child must match.
    Or(Vec<Node>),
    /// The child must not match.
    Not(Box<Node>),
}

/// A query word after analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Folded, unstemmed form (what typos and prefixes compare).
    pub folded: String,
    /// Stem (the index term).
    pub term: String,
    /// `word*`: matches every indexed word whose folded form starts with `folded`.
    pub prefix: bool,
}

/// A field condition's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValue {
    /// As typed.
    pub raw: String,
    /// Folded words (see [`super::analysis::fold_value`]).
    pub folded: Vec<String>,
}

impl FieldValue {
    /// A value as typed, with its folded words.
    pub fn new(raw: &str) -> FieldValue {
        FieldValue {
            raw: raw.to_string(),
            folded: fold_value(raw)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// An inclusive range of dates encoded as `yyyymmdd` numbers; a missing month or day
/// is 00 at the low end and 99 at the high end, so `2015` is `20150000..=20159999`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DateRange {
    pub lo: u32,
    pub hi: u32,
}

/// Why a query could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{message} (at characters {}..{})", span.0, span.1)]
pub struct ParseError {
    /// A sentence for the reader.
    pub message: String,
    /// Character offsets `[start, end)` in the query of the offending part.
    pub span: (usize, usize),
}

fn err<T>(message: impl Into<String>, span: (usize, usize)) -> Result<T, ParseError> {
    Err(ParseError {
        message: message.into(),
        span,
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Open,
    Close,
    Minus,
    /// A quoted string (without its quotes).
    Quoted(String),
    /// A run of other characters.
    Bare(String),
    /// `name:` directly followed by its value.
    Field(String),
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '„' | '«')
}
fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '”' | '“' | '»')
}

/// A lexeme with its character span.
type Spanned = (Lex, (usize, usize));

fn lex(chars: &[char]) -> Result<Vec<Spanned>, ParseError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((Lex::Open, (i, i + 1)));
            i += 1;
        } else if c == ')' {
            out.push((Lex::Close, (i, i + 1)));
            i += 1;
        } else if c == '-'
            && chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != ')')
            && (i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(')
        {
            out.push((Lex::Minus, (i, i + 1)));
            i += 1;
        } else if is_open_quote(c) {
            let start = i;
            i += 1;
            let s = i;
            while i < chars.len() && !is_close_quote(chars[i]) {
                i += 1;
            }
            if i == chars.len() {
                return err("this quote is never closed", (start, chars.len()));
            }
            out.push((Lex::Quoted(chars[s..i].iter().collect()), (start, i + 1)));
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')')
                && !is_open_quote(chars[i])
            {
                // A field name ends at its colon; the value is lexed next.
                if chars[i] == ':'
                    && i > start
                    && chars[start..i].iter().all(|c| c.is_ascii_alphabetic())
                {
                    break;
                }
                i += 1;
            }
            if i < chars.len() && chars[i] == ':' {
                out.push((Lex::Field(chars[start..i].iter().collect()), (start, i + 1)));
                i += 1;
            } else {
                out.push((Lex::Bare(chars[start..i].iter().collect()), (start, i)));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Spanned>,
    at: usize,
    words: usize,
    end: usize,
    /// How many parentheses and negations enclose the current atom.
    nest: usize,
    /// `in:` conditions met, with their spans.
    roles: Vec<(TurnRole, (usize, usize))>,
}

/// Parses a query.
pub fn parse(input: &str) -> Result<Query, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return err(
            format!("the query is longer than {MAX_QUERY_CHARS} characters"),
            (MAX_QUERY_CHARS, chars.len()),
        );
    }
    let mut p = Parser {
        toks: lex(&chars)?,
        at: 0,
        words: 0,
        end: chars.len(),
        nest: 0,
        roles: Vec::new(),
    };
    let nodes = p.and(0)?;
    if let Some((_, span)) = p.toks.get(p.at) {
        return err("this closing parenthesis has no opening one", *span);
    }
    // Top-level speaker: conditions scope the whole query (see `Query::speakers`).
    let mut speakers = Vec::new();
    let mut rest = Vec::new();
    for n in nodes {
        match n {
            Node::Field(Facet::Speaker, v) => speakers.push(v),
            other => rest.push(other),
        }
    }
    let root = match rest.len() {
        0 => None,
        1 => rest.pop(),
        _ => Some(Node::And(rest)),
    };
    let mut roles: Vec<TurnRole> = p.roles.iter().map(|r| r.0).collect();
    super::heapsort::sort(&mut roles);
    roles.dedup();
    Ok(Query {
        root,
        speakers,
        roles,
    })
}

impl Parser {
    fn peek(&self) -> Option<&Lex> {
        self.toks.get(self.at).map(|t| &t.0)
    }
    fn span(&self) -> (usize, usize) {
        self.toks.get(self.at).map_or((self.end, self.end), |t| t.1)
    }
    fn is_or(&self) -> bool {
        matches!(self.peek(), Some(Lex::Bare(s)) if s.eq_ignore_ascii_case("or"))
    }

    /// A sequence of OR-groups up to `)` or the end: the implicit AND.
    fn and(&mut self, depth: usize) -> Result<Vec<Node>, ParseError> {
        let mut nodes = Vec::new();
        while let Some(t) = self.peek() {
            if *t == Lex::Close {
                break;
            }
            if self.is_or() {
                return err("OR needs a condition on each side", self.span());
            }
            if let Some(n) = self.or(depth)? {
                nodes.push(n);
            }
        }
        Ok(nodes)
    }

    fn or(&mut self, depth: usize) -> Result<Option<Node>, ParseError> {
        let mut alts = Vec::new();
        let roles_before = self.roles.len();
        if let Some(n) = self.unary(depth)? {
            alts.push(n);
        }
        if self.is_or() {
            if let Some(&(_, span)) = self.roles.get(roles_before) {
                return err(IN_NESTED, span);
            }
        }
        while self.is_or() {
            let span = self.span();
            self.at += 1;
            match self.peek() {
                None | Some(Lex::Close) => return err("OR needs a condition on each side", span),
                _ if self.is_or() => return err("OR needs a condition on each side", span),
                _ => {}
            }
            let before = self.roles.len();
            if let Some(n) = self.unary(depth)? {
                alts.push(n);
            }
            if let Some(&(_, span)) = self.roles.get(before) {
                return err(IN_NESTED, span);
            }
        }
        Ok(match alts.len() {
            0 => None,
            1 => alts.pop(),
            _ => Some(Node::Or(alts)),
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Option<Node>, ParseError> {
        if depth > MAX_DEPTH {
            return err("the query nests too deeply", self.span());
        }
        if self.peek() == Some(&Lex::Minus) {
            self.at += 1;
            self.nest += 1;
            let n = self.atom(depth + 1)?;
            self.nest -= 1;
            return Ok(n.map(|n| Node::Not(Box::new(n))));
        }
        self.atom(depth)
    }

    fn count_words(&mut self, n: usize, span: (usize, usize)) -> Result<(), ParseError> {
        self.words += n;
        if self.words > MAX_QUERY_WORDS {
            return err(
                format!("the query has more than {MAX_QUERY_WORDS} words"),
                span,
            );
        }
        Ok(())
    }

    fn atom(&mut self, depth: usize) -> Result<Option<Node>, ParseError> {
        let Some((tok, span)) = self.toks.get(self.at).cloned() else {
            return err("a condition is missing at the end", (self.end, self.end));
        };
        self.at += 1;
        match tok {
            Lex::Open => {
                self.nest += 1;
                let nodes = self.and(depth + 1)?;
                self.nest -= 1;
                if self.peek() != Some(&Lex::Close) {
                    return err("this parenthesis is never closed", span);
                }
                self.at += 1;
                Ok(match nodes.len() {
                    0 => None,
                    1 => nodes.into_iter().next(),
                    _ => Some(Node::And(nodes)),
                })
            }
            Lex::Close => err("this closing parenthesis has no opening one", span),
            Lex::Minus => err("a minus must be followed by what to exclude", span),
            Lex::Quoted(s) => {
                let words = phrase_words(&s);
                self.count_words(words.len(), span)?;
                // A quoted single word is that word exactly: no typo tolerance.
                Ok((!words.is_empty()).then_some(Node::Phrase(words)))
            }
            Lex::Bare(s) => self.bare(&s, span),
            Lex::Field(name) => self.field(&name, span),
        }
    }

    fn bare(&mut self, s: &str, span: (usize, usize)) -> Result<Option<Node>, ParseError> {
        let prefix = s.ends_with('*');
        let body = s.trim_end_matches('*');
        let mut words = phrase_words(body);
        self.count_words(words.len(), span)?;
        if prefix {
            if words.len() != 1 {
                return err("a * must follow a single word, as in negotiat*", span);
            }
            let mut w = words.remove(0);
            w.prefix = true;
            return Ok(Some(Node::Word(w)));
        }
        Ok(match words.len() {
            0 => None,
            1 => Some(Node::Word(words.remove(0))),
            // "e-mail", "U.S.-led": several words typed as one are a phrase.
            _ => Some(Node::Phrase(words)),
        })
    }

    /// `in:` and its value, directly after the colon.
    fn scope_role(&mut self, name: &str, span: (usize, usize)) -> Result<Option<Node>, ParseError> {
        let valid = || {
            IN_VALUES
                .iter()
                .map(|(v, _)| format!("{name}:{v}"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let (raw, vspan) = match self.toks.get(self.at).cloned() {
            Some((Lex::Quoted(v), vs)) | Some((Lex::Bare(v), vs)) if vs.0 == span.1 => {
                self.at += 1;
                (v, vs)
            }
            _ => {
                return err(
                    format!("{name}: needs a value right after the colon: {}", valid()),
                    (span.1, span.1),
                )
            }
        };
        let full = (span.0, vspan.1);
        let Some(&(_, role)) = IN_VALUES
            .iter()
            .find(|(v, _)| v.eq_ignore_ascii_case(raw.trim()))
        else {
            return err(
                format!("{name}:{raw} is not a scope; write {}", valid()),
                full,
            );
        };
        if self.nest > 0 {
            return err(IN_NESTED, full);
        }
        self.roles.push((role, full));
        Ok(None)
    }

    fn field(&mut self, name: &str, span: (usize, usize)) -> Result<Option<Node>, ParseError> {
        let lower = name.to_ascii_lowercase();
        if lower == "in" {
            return self.scope_role(name, span);
        }
        let field = match Facet::from_name(&lower).filter(|f| f.in_query()) {
            Some(f) => Some(f),
            None if lower == "date" => None,
            None => {
                let names: Vec<String> = Facet::ALL
                    .into_iter()
                    .filter(|f| f.in_query())
                    .map(|f| format!("{}:", f.name()))
                    .chain(["date:".to_string(), "in:".to_string()])
                    .collect();
                return err(
                    format!("unknown field {name}: (fields are {})", names.join(", ")),
                    span,
                );
            }
        };
        let (raw, vspan) = match self.toks.get(self.at).cloned() {
            Some((Lex::Quoted(v), vs)) | Some((Lex::Bare(v), vs)) if vs.0 == span.1 => {
                self.at += 1;
                (v, vs)
            }
            _ => {
                return err(
                    format!("{name}: needs a value right after the colon"),
                    (span.1, span.1),
                )
            }
        };
        let full = (span.0, vspan.1);
        let Some(field) = field else {
            return parse_date(&raw, full).map(|d| Some(Node::Date(d)));
        };
        let value = FieldValue::new(&raw);
        if value.folded.is_empty() {
            return err(
                format!("{name}: needs a value with letters or digits"),
                full,
            );
        }
        self.count_words(value.folded.len(), full)?;
        Ok(Some(Node::Field(field, value)))
    }
}

/// Why an `in:` inside OR, `-` or parentheses is refused.
const IN_NESTED: &str =
    "in: scopes the whole query: write it beside the other conditions, not inside OR, - or parentheses";

fn phrase_words(s: &str) -> Vec<Word> {
    tokens(s)
        .into_iter()
        .map(|t| Word {
            folded: t.folded,
            term: t.term,
            prefix: false,
        })
        .collect()
}

/// Parses `2015`, `2015-09`, `2015-09-01` and ranges `a..b`, `a..`, `..b` of those.
pub fn parse_date(s: &str, span: (usize, usize)) -> Result<DateRange, ParseError> {
    let bad = || {
        err(
            format!("{s:?} is not a date; write 2015, 2015-09, 2015-09-01 or a range such as 2015-09-01..2016-03-31"),
            span,
        )
    };
    let (lo, hi) = match s.split_once("..") {
        Some((a, b)) => {
            let lo = if a.is_empty() {
                Some(0)
            } else {
                date_bound(a, false)
            };
            let hi = if b.is_empty() {
                Some(99_999_999)
            } else {
                date_bound(b, true)
            };
            if a.is_empty() && b.is_empty() {
                return bad();
            }
            (lo, hi)
        }
        None => (date_bound(s, false), date_bound(s, true)),
    };
    match (lo, hi) {
        (Some(lo), Some(hi)) if lo <= hi => Ok(DateRange { lo, hi }),
        (Some(_), Some(_)) => err("the date range ends before it starts", span),
        _ => bad(),
    }
}

/// `yyyy[-mm[-dd]]` as `yyyymmdd`, missing parts 00 (low end) or 99 (high end).
fn date_bound(s: &str, high: bool) -> Option<u32> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok())?
    };
    let fill = if high { 99 } else { 0 };
    let y = num(parts.first()?, 4)?;
    let m = match parts.get(1) {
        Some(p) => Some(num(p, 2).filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let d = match parts.get(2) {
        Some(p) => Some(num(p, 2).filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    if parts.len() > 3 {
        return None;
    }
    Some(y * 10000 + m.unwrap_or(fill) * 100 + d.unwrap_or(fill))
}

/// A document date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) as `yyyymmdd` (missing parts 00).
pub fn date_key(date: &str) -> Option<u32> {
    date_bound(date, false)
}

#[cfg(test)]
mod tests;
