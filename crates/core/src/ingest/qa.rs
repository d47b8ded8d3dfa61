//! Questions and answers in press conferences and interviews: which turns ask, which
//! answer, written at ingest as [`Turn::answers`] (the index of the question's turn among
//! all turns in reading order), and read back as an outline ([`questions`]).
//!
//! The rules (also in `docs/ingest.md`, *Questions and answers*):
//! - **Questions.** A turn asks when its label, notes aside, is a question label
//!   ("Question", "Questions", "Q", "Вопрос", "Question from Perm Territory", "Question by
//!   …"), or names a journalist ("Journalist", "Correspondent", "Reporter", or a role
//!   holding one of them: "Journalist Mikhail Leontyev"). The label's note ("Question
//!   (Reuters)") is the questioner's outlet.
//! - **Moderators** never answer and never end an answer: labels "Moderator", "Host",
//!   "Presenter", "Chair", "Chairman", "Chairperson", "Announcer", and roles holding
//!   "moderator" or "press secretary". Other generic labels (interpreters, "Remark",
//!   voices from the audience) and unlabelled text are passed over the same way.
//! - **Answers.** Every turn by a speaker (a named person, not a generic label) after a
//!   question and before the next question, within the same section, answers it: two
//!   people who answer in turn both pair with the question.
//! - **Roles.** [`roles`] is the one reading of the pairing: a turn is a question by
//!   the rules above, an answer when its `answers` names an earlier question turn, else
//!   neither. The outline ([`questions`]) and the index's `in:answers` / `in:questions`
//!   scope (`search::meta`) both take it from there.
//! - **Follow-ups.** A question by the same questioner (same label and note, where the
//!   label names a person or the note an outlet) as the question just before is a
//!   follow-up: it is a question of its own, with its own answers, and [`questions`]
//!   links it to the first.

use serde::{Deserialize, Serialize};

use crate::model::{Transcript, Turn};

/// Labels that ask.
const QUESTION_LABELS: &[&str] = &["question", "questions", "q", "вопрос", "вопросы"];
/// Words that make a label or role a journalist's (who asks).
const JOURNALIST_WORDS: &[&str] = &[
    "journalist",
    "journalists",
    "correspondent",
    "reporter",
    "журналист",
    "корреспондент",
];
/// Labels that moderate.
const MODERATOR_LABELS: &[&str] = &[
    "moderator",
    "host",
    "presenter",
    "chair",
    "chairman",
    "chairperson",
    "announcer",
    "модератор",
    "ведущий",
];

/// What part a turn plays in a question-and-answer exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Question,
    Moderator,
    /// A person speaking: answers if a question is open.
    Speaker,
    /// Unlabelled text, other generic labels: passed over.
    Other,
}

/// A label's words in lower case, as the lists above compare them
/// ([`super::labels::list_lower`]: exact for these lists, and no case tables in the
/// search worker, which reads labels for its snippets).
fn words_lower(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(super::labels::list_lower)
        .collect()
}

/// The part `turn` plays (see the module docs).
pub fn part(turn: &Turn) -> Part {
    let Some(label) = turn.label.as_deref() else {
        return Part::Other;
    };
    let lw = words_lower(label);
    let rw = turn.role.as_deref().map(words_lower).unwrap_or_default();
    let first = lw.first().map(String::as_str).unwrap_or("");
    if lw.len() == 1 && QUESTION_LABELS.contains(&first)
        || (QUESTION_LABELS.contains(&first)
            && matches!(lw.get(1).map(String::as_str), Some("from" | "by" | "to")))
        || lw
            .iter()
            .chain(&rw)
            .any(|w| JOURNALIST_WORDS.contains(&w.as_str()))
    {
        return Part::Question;
    }
    if MODERATOR_LABELS.contains(&lw.join(" ").as_str())
        || rw.iter().any(|w| w == "moderator")
        || rw
            .windows(2)
            .any(|w| w[0] == "press" && w[1] == "secretary")
        || lw
            .windows(2)
            .any(|w| w[0] == "press" && w[1] == "secretary")
    {
        return Part::Moderator;
    }
    if turn.speaker.is_some() && !super::labels::is_generic(label) {
        Part::Speaker
    } else {
        Part::Other
    }
}

/// The role a turn plays in the exchange, as [`roles`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TurnRole {
    /// Asks (a question label or a journalist).
    Question,
    /// Answers an earlier question turn (its [`Turn::answers`]).
    Answer,
    /// Neither: a speech, a moderator, unlabelled text.
    Other,
}

/// Every turn's role, for all sections' turns in reading order. An `answers` that names
/// no earlier question turn (JSON from elsewhere may say anything) makes no answer.
pub fn roles(t: &Transcript) -> Vec<TurnRole> {
    let mut out: Vec<TurnRole> = Vec::new();
    for turn in t.sections.iter().flat_map(|s| &s.turns) {
        let asks = out.len();
        out.push(if part(turn) == Part::Question {
            TurnRole::Question
        } else if turn
            .answers
            .is_some_and(|q| q < asks && out[q] == TurnRole::Question)
        {
            TurnRole::Answer
        } else {
            TurnRole::Other
        });
    }
    out
}

/// Sets [`Turn::answers`] on every turn of `t` by the rules above (clearing earlier
/// values, so that ingesting twice gives the same JSON).
pub fn pair(t: &mut Transcript) {
    let mut index = 0usize;
    for section in &mut t.sections {
        let mut open: Option<usize> = None;
        for turn in &mut section.turns {
            turn.answers = None;
            match part(turn) {
                Part::Question => open = Some(index),
                Part::Speaker => turn.answers = open,
                Part::Moderator | Part::Other => {}
            }
            index += 1;
        }
    }
}

/// One question of a transcript, for the reading view's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The question's turn index (every section's turns in reading order).
    pub turn: usize,
    /// Reading-order index of its first paragraph (`#p-<index>`), if it has one.
    pub paragraph: Option<usize>,
    /// Who asked, as the label says ("Question", "Journalist Mikhail Leontyev").
    pub asker: String,
    /// The outlet or place the label's note gives ("Reuters"), if any.
    pub outlet: Option<String>,
    /// The question this one follows up (its turn index).
    pub follows: Option<usize>,
    /// Turns that answer it, in order.
    pub answers: Vec<usize>,
    /// Their speakers, distinct, in order.
    pub answerers: Vec<String>,
}

impl Question {
    /// Who asked, as the outline shows it: "asker (outlet)", the outlet alone, the asker
    /// alone, or "Question".
    pub fn asked_by(&self) -> String {
        match (&self.asker, &self.outlet) {
            (a, Some(o)) if !a.is_empty() => format!("{a} ({o})"),
            (_, Some(o)) => o.clone(),
            (a, None) if !a.is_empty() => a.clone(),
            _ => "Question".to_string(),
        }
    }

    /// "answered by A, B", or that the text holds no answer.
    pub fn answered(&self) -> String {
        if self.answerers.is_empty() {
            "no answer in the text".to_string()
        } else {
            format!("answered by {}", self.answerers.join(", "))
        }
    }

    /// The link text of answer `i` (from 0): "answer", "answer 2", ...
    pub fn answer_label(i: usize) -> String {
        if i == 0 {
            "answer".to_string()
        } else {
            format!("answer {}", i + 1)
        }
    }
}

/// An outline of `n` questions starts folded past this many: it would push the text away.
pub const OUTLINE_OPEN_MAX: usize = 12;

/// A label's note as an outlet or place, unless it is about the language ("retranslated",
/// "in English", "via interpreter").
fn outlet(note: &str) -> Option<String> {
    let w = words_lower(note);
    let about_language = w.iter().any(|x| {
        x.contains("translat")
            || x.contains("interpret")
            || matches!(
                x.as_str(),
                "english"
                    | "russian"
                    | "french"
                    | "german"
                    | "spanish"
                    | "chinese"
                    | "arabic"
                    | "speaking"
                    | "inaudible"
                    | "laughter"
            )
    });
    (!about_language && !w.is_empty()).then(|| note.trim().to_string())
}

/// The questions of `t` with their answers, from the turns' `answers` fields.
pub fn questions(t: &Transcript) -> Vec<Question> {
    let turns: Vec<&Turn> = t.sections.iter().flat_map(|s| &s.turns).collect();
    let roles = roles(t);
    let mut first_para = Vec::with_capacity(turns.len());
    let mut p = t.summary.len();
    for u in &turns {
        first_para.push((!u.paragraphs.is_empty()).then_some(p));
        p += u.paragraphs.len();
    }
    let mut out: Vec<Question> = Vec::new();
    for (i, u) in turns.iter().enumerate() {
        if roles[i] != TurnRole::Question {
            continue;
        }
        let asker = u.label.clone().unwrap_or_default();
        let outlet = u.note.as_deref().and_then(outlet);
        // A generic label ("Question", "Q") names nobody: two in a row may be two people.
        let generic = super::labels::is_generic(&asker)
            || QUESTION_LABELS.contains(&super::labels::list_lower(asker.trim()).as_str());
        let named = (u.speaker.is_some() && !generic) || outlet.is_some();
        let follows = out.last().and_then(|prev| {
            let same = named && prev.asker == asker && prev.outlet == outlet;
            same.then(|| prev.follows.unwrap_or(prev.turn))
        });
        let answers: Vec<usize> = (i + 1..turns.len())
            .filter(|&j| turns[j].answers == Some(i))
            .collect();
        let mut answerers: Vec<String> = Vec::new();
        for &j in &answers {
            if let Some(s) = &turns[j].speaker {
                if !answerers.contains(s) {
                    answerers.push(s.clone());
                }
            }
        }
        out.push(Question {
            turn: i,
            paragraph: first_para[i],
            asker,
            outlet,
            follows,
            answers,
            answerers,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Turn;

    #[test]
    fn the_lists_hold_only_what_list_lower_compares_exactly() {
        for w in [QUESTION_LABELS, JOURNALIST_WORDS, MODERATOR_LABELS]
            .iter()
            .flat_map(|l| l.iter())
        {
            // MODERATOR_LABELS hold spaces (they are compared joined by them): ASCII.
            assert!(
                w.chars().all(crate::ingest::labels::is_list_char),
                "{w:?}: list_lower cannot compare it"
            );
        }
    }

    #[test]
    fn a_label_in_capitals_plays_its_part_in_any_script() {
        let turn = |label: &str| Turn {
            label: Some(label.to_string()),
            ..Turn::default()
        };
        assert_eq!(part(&turn("ВОПРОС")), Part::Question);
        assert_eq!(part(&turn("QUESTION")), Part::Question);
        assert_eq!(part(&turn("МОДЕРАТОР")), Part::Moderator);
    }
}
