//! The language a post is written in, told by its little words, for the languages whose
//! posts capitalize their little words at the head of a sentence or a line ("Han er
//! postoperativ dag 1", "Und wie schnell korrigiert Ihr?", "Hur lång väntetid"): there such
//! a word is no name, though a list of names may hold it ("Han" is a surname too).

use std::sync::LazyLock;

use super::lexicon::{self, HashMap, Lexicon};
use super::text::{Doc, TokKind};

/// For each little word, the languages (bits, in the order of [`CODES`]) it belongs to.
static WORDS: LazyLock<HashMap<&'static str, u16>> = LazyLock::new(|| {
    let mut words: HashMap<&'static str, u16> = HashMap::default();
    for (code, word) in lexicon::stop_words() {
        if let Some(bit) = CODES.iter().position(|c| *c == code) {
            *words.entry(word).or_insert(0) |= 1 << bit;
        }
    }
    words
});

const CODES: &[&str] = &[
    "da", "de", "es", "fi", "fr", "it", "nl", "no", "pl", "pt", "sv",
];

/// The language of a post: the one whose little words, those that are no English word,
/// make up a tenth of its words and at least three of them.
#[derive(Clone, Copy)]
pub struct Language(u16);

impl Language {
    pub fn of(doc: &Doc, lx: &Lexicon) -> Option<Language> {
        let mut counts = [0usize; CODES.len()];
        let mut words = 0usize;
        for t in doc.tokens.iter().filter(|t| t.kind == TokKind::Word) {
            words += 1;
            let Some(&bits) = WORDS.get(t.lower()) else {
                continue;
            };
            if lx.is_english(&t.lower) || lexicon::is_function_word(&t.lower) {
                continue;
            }
            for (k, count) in counts.iter_mut().enumerate() {
                *count += usize::from(bits & (1 << k) != 0);
            }
        }
        let (best, &count) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
        (count >= 3 && count * 10 >= words).then_some(Language(1 << best))
    }

    /// Is every word of `value` a little word of this language ("Han", "Und", "Hur lång")?
    pub fn little_words(self, value: &str) -> bool {
        little_words_of(value, self.0)
    }
}

/// Is every word of `value` a little word of one of these languages? Asked first, so that a
/// post with no such span is not read for its language.
pub fn little_words_of_any(value: &str) -> bool {
    little_words_of(value, u16::MAX)
}

fn little_words_of(value: &str, languages: u16) -> bool {
    let mut any = false;
    value
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .all(|w| {
            any = true;
            WORDS
                .get(w.to_lowercase().as_str())
                .is_some_and(|bits| bits & languages != 0)
        })
        && any
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(text: &str) -> Option<&'static str> {
        let lx = lexicon::get();
        Language::of(&Doc::new(text), lx).map(|l| CODES[l.0.trailing_zeros() as usize])
    }

    #[test]
    fn a_post_is_told_by_its_little_words() {
        // (Danish and Norwegian share most of their little words.)
        assert!(matches!(
            language(
                "Stue 4 seng 1: Han er postoperativ dag 1 etter hemikolektomi. Hun sov etter det."
            ),
            Some("no" | "da")
        ));
        assert_eq!(
            language(
                "Und wie schnell korrigiert Ihr bei chronischer Hyponatriämie? Wir haben es nicht."
            ),
            Some("de")
        );
        assert_eq!(
            language("Han är motiverad och vill gärna opereras, men han har inga tider."),
            Some("sv")
        );
        // English, with a name that is a little word elsewhere.
        assert_eq!(
            language("Mr. Han is 72 and was admitted with pneumonia last night."),
            None
        );
    }

    #[test]
    fn little_words_of_the_language_only() {
        let lx = lexicon::get();
        let german = Language::of(
            &Doc::new(
                "Und wie schnell korrigiert Ihr bei chronischer Hyponatriämie? Wir haben es nicht.",
            ),
            lx,
        );
        let Some(german) = german else {
            panic!("no language");
        };
        assert!(german.little_words("Und"));
        assert!(!german.little_words("Yilmaz"));
        assert!(!german.little_words(""));
    }
}
