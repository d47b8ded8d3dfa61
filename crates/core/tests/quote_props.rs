//! Properties of the quote finder against what a quote is by construction: any stretch of
//! a paragraph is found verbatim at its own characters, whatever its case and
//! punctuation; its words in reverse order never are.

use proptest::prelude::*;
use stenogram_core::model::{Section, Transcript, Turn};
use stenogram_core::quote::{self, Quote, Verdict};

const WORDS: [&str; 12] = [
    "state",
    "treaty",
    "the",
    "of",
    "border",
    "nuclear",
    "talks",
    "we",
    "Moscow",
    "security",
    "café",
    "agreement",
];

fn transcript(paras: &[Vec<usize>]) -> Transcript {
    let mut t = Transcript::new("t", "T");
    t.sections = vec![Section {
        heading: None,
        turns: vec![Turn {
            paragraphs: paras
                .iter()
                .map(|p| p.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(", "))
                .collect(),
            ..Default::default()
        }],
    }];
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_stretch_is_found_verbatim_at_its_span(
        paras in prop::collection::vec(prop::collection::vec(0..WORDS.len(), 8..40), 1..4),
        pick in 0usize..4, a in 0usize..40, len in 5usize..20,
    ) {
        let t = transcript(&paras);
        let pi = pick % paras.len();
        let words = &paras[pi];
        let a = a % (words.len() - 4);
        let b = (a + len).min(words.len());
        prop_assume!(b - a >= 5);
        let quote: Vec<String> = words[a..b].iter().map(|&w| WORDS[w].to_uppercase()).collect();
        let q = Quote::new(&format!("“{}”", quote.join(" "))).unwrap();
        let res = quote::find(&q, &[&t]);
        let m = res.matches.iter().find(|m| m.paragraph == pi).expect("its paragraph matches");
        prop_assert_eq!(m.verdict, Verdict::Verbatim);
        prop_assert_eq!(m.coverage, 1.0);
        let text: Vec<char> = m.text.chars().collect();
        let span: String = text[m.span.0..m.span.1].iter().collect();
        let want: Vec<&str> = words[a..b].iter().map(|&w| WORDS[w]).collect();
        prop_assert_eq!(span, want.join(", "));
    }

    #[test]
    fn reversed_words_are_never_verbatim(
        words in prop::collection::vec(0..WORDS.len(), 6..30),
    ) {
        let t = transcript(std::slice::from_ref(&words));
        let mut rev: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
        let fwd = rev.clone();
        rev.reverse();
        prop_assume!(rev != fwd);
        let q = Quote::new(&rev.join(" ")).unwrap();
        let res = quote::find(&q, &[&t]);
        prop_assert!(res.matches.iter().all(|m| m.verdict != Verdict::Verbatim));
    }
}
