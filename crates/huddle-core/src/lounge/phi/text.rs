//! The text as the detectors see it: words and numbers with their byte offsets, and safe
//! ways to look around an offset without ever slicing off a char boundary.

use std::borrow::Cow;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters, possibly joined by inner apostrophes or hyphens ("O'Brien", "Forman-Lyons").
    Word,
    /// ASCII digits.
    Number,
}

/// One word or number.
#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// Lower-cased text, for dictionary look-ups (borrowed from the text when it is
    /// lower case already, as most words of mixed text are).
    pub lower: Cow<'a, str>,
    /// First letter upper case ("Carol", "CAROL").
    pub capitalized: bool,
    /// Every letter upper case ("CAROL").
    pub all_caps: bool,
}

/// A text prepared for the detectors.
pub struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token<'a>>,
    /// Case tells nothing about names in this text: most letters are capitals ("PT SEEN
    /// BY DR LEE"), or almost none are ("pt seen by dr lee").
    pub shouting: bool,
    /// Most letters are capitals: even a capitalized word tells nothing.
    pub upper_heavy: bool,
    /// Typed in lower case: the first word too, and hardly a word capitalized (a serial
    /// number in capitals may stand in it: "the number on the back says PJN448210S").
    pub typed_in_lower_case: bool,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let tokens = tokenize(text);
        let (mut upper, mut letters) = (0usize, 0usize);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
            }
        }
        let upper_heavy = letters > 0 && upper * 10 >= letters * 6;
        let shouting = upper_heavy || (letters > 0 && upper * 100 <= letters * 3);
        let words = tokens.iter().filter(|t| t.kind == TokKind::Word);
        let titled = words
            .clone()
            .filter(|t| t.capitalized && !t.all_caps)
            .count();
        let lower_start = words.clone().next().is_some_and(|t| !t.capitalized);
        let typed_in_lower_case =
            !upper_heavy && (shouting || lower_start && titled * 10 <= words.count());
        Doc {
            text,
            tokens,
            shouting,
            upper_heavy,
            typed_in_lower_case,
        }
    }

    /// Does this token's capital say it is a proper name? In mixed text, a capitalized
    /// word that is not all capitals and does not start a sentence or a line; in lower-case
    /// notes too ("pt seen, dtr Nancy in"), but never in notes written in capitals.
    pub fn title_case(&self, i: usize) -> bool {
        let Some(t) = self.tokens.get(i) else {
            return false;
        };
        if !t.capitalized || t.all_caps || self.upper_heavy {
            return false;
        }
        !self.sentence_start(i)
    }

    /// Is token `i` the first of a sentence or a line (or of the text)?
    pub fn sentence_start(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let gap = self.gap_before(i);
        gap.contains(['.', '!', '?', '\n', ':', ';', '"', '*', '>'])
            || self
                .tokens
                .get(i - 1)
                .is_some_and(|p| p.kind == TokKind::Number)
    }

    /// The text between two byte offsets, or "" if they are not valid boundaries.
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The text between the end of token `i` and the start of token `i + 1`.
    pub fn gap_after(&self, i: usize) -> &'a str {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => self.slice(a.end, b.start),
            (Some(a), None) => self.slice(a.end, self.text.len()),
            _ => "",
        }
    }

    /// The text between the end of token `i - 1` (or the text's start) and token `i`.
    pub fn gap_before(&self, i: usize) -> &'a str {
        match self.tokens.get(i) {
            Some(t) => {
                let from = if i == 0 {
                    0
                } else {
                    self.tokens.get(i - 1).map_or(0, |p| p.end)
                };
                self.slice(from, t.start)
            }
            None => "",
        }
    }

    /// Up to `n` bytes of text before `offset` (widened to a char boundary).
    pub fn before(&self, offset: usize, n: usize) -> &'a str {
        let from = floor_boundary(self.text, offset.saturating_sub(n));
        self.slice(from, offset.min(self.text.len()))
    }

    /// The word right before `offset` across a single space ("San" before "Diego").
    pub fn word_before(&self, offset: usize) -> Option<&'a str> {
        self.before(offset, 16)
            .strip_suffix(' ')
            .and_then(|b| b.rsplit(' ').next())
    }

    /// Up to `n` bytes of text after `offset` (widened to a char boundary).
    pub fn after(&self, offset: usize, n: usize) -> &'a str {
        let to = ceil_boundary(self.text, offset.saturating_add(n));
        self.slice(offset.min(self.text.len()), to)
    }
}

/// The letters that begin `text`, in lower case ("" when it begins otherwise).
pub fn leading_word_lower(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase()
}

/// Bytes of a possessive "'s" (or "’s") at the end of a word: a name ends before it.
pub fn possessive_len(word: &str) -> usize {
    ["'s", "\u{2019}s"]
        .iter()
        .find(|p| word.ends_with(*p))
        .map_or(0, |p| p.len())
}

/// The largest char boundary at or below `i` (clamped to the text).
pub fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or above `i` (clamped to the text).
pub fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl Token<'_> {
    /// The lower-cased text.
    pub fn lower(&self) -> &str {
        &self.lower
    }
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if c.is_ascii_digit() {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = iter.peek() {
                if d.is_ascii_digit() {
                    end = i + d.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            tokens.push(Token {
                start,
                end,
                kind: TokKind::Number,
                lower: Cow::Borrowed(text.get(start..end).unwrap_or("")),
                capitalized: false,
                all_caps: false,
            });
        } else if c.is_alphabetic() {
            let mut end = start + c.len_utf8();
            loop {
                match iter.peek() {
                    Some(&(i, d)) if d.is_alphabetic() => {
                        end = i + d.len_utf8();
                        iter.next();
                    }
                    Some(&(i, d)) if d == '\'' || d == '-' || d == '\u{2019}' => {
                        // Joiner only when a letter follows it.
                        let next = text.get(i + d.len_utf8()..).and_then(|r| r.chars().next());
                        match next {
                            Some(n) if n.is_alphabetic() => {
                                iter.next();
                                end = i + d.len_utf8();
                            }
                            _ => break,
                        }
                    }
                    _ => break,
                }
            }
            let word = text.get(start..end).unwrap_or("");
            let capitalized = c.is_uppercase();
            let all_caps = word
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase());
            let lower = if word.chars().all(|c| c.is_lowercase() || !c.is_alphabetic()) {
                Cow::Borrowed(word)
            } else if word.is_ascii() {
                Cow::Owned(word.to_ascii_lowercase())
            } else {
                Cow::Owned(word.to_lowercase())
            };
            tokens.push(Token {
                start,
                end,
                kind: TokKind::Word,
                lower,
                capitalized,
                all_caps,
            });
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_byte_offsets_on_multibyte_text() {
        let doc = Doc::new("Café Müller née 😀 O'Brien 12");
        let words: Vec<&str> = doc
            .tokens
            .iter()
            .map(|t| doc.slice(t.start, t.end))
            .collect();
        assert_eq!(words, ["Café", "Müller", "née", "O'Brien", "12"]);
        assert_eq!(doc.tokens[1].lower, "müller");
    }

    #[test]
    fn boundaries_are_snapped() {
        let s = "a😀b";
        assert_eq!(floor_boundary(s, 3), 1);
        assert_eq!(ceil_boundary(s, 3), 5);
        assert_eq!(ceil_boundary(s, 99), s.len());
    }

    #[test]
    fn shouting_text_is_recognised() {
        assert!(Doc::new("PT ADMITTED FROM HOME, son visited").shouting);
        assert!(!Doc::new("Pt admitted from home").shouting);
        assert!(Doc::new("pt admitted from home, son visited, lives in rome").shouting);
    }
}
