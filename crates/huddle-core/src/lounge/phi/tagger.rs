//! A small learned sequence tagger for the identifiers that have no shape of their own:
//! the names of patients and relatives, and places (towns, facilities, employers).
//!
//! An averaged perceptron over hand-made features of each word (its case and shape, its
//! affixes, which word lists hold it: census names, US places, English, the medical
//! dictionary, eponyms), of its neighbours, and of the tags already given to the words
//! before it (greedy, left to right). It is trained on the project's synthetic corpus
//! (`examples/phi_gen.rs`) and on posts written by hand for the project (`bench/phi-train*`
//! and the hand-written sets that are no longer holdouts), never on a clinical corpus, by
//! `scripts/phi-retrain.sh`, which writes `data/tagger.bin` (see `data/README.md`).
//!
//! Weights live in a hashed table of `2^BITS` rows (feature collisions are allowed), stored
//! as little-endian `i16` after a short header; an empty or malformed file turns the tagger
//! off (the rules still run).

use std::sync::{LazyLock, OnceLock};

use super::lexicon::{self, Lexicon};
use super::model_file;
use super::text::{Doc, TokKind, Token};
use super::{PhiKind, PhiSpan};

/// Tags: outside, a patient's (or relative's) name, a place.
pub const CLASSES: usize = 3;
pub const TAG_O: u8 = 0;
pub const TAG_NAME: u8 = 1;
pub const TAG_LOC: u8 = 2;

const BITS: u32 = 18;
const SIZE: usize = 1 << BITS;
const MAGIC: &[u8; 8] = b"HPHITAG1";

static MODEL_BYTES: &[u8] = include_bytes!("data/tagger.bin");

/// Quantized weights, one row of `CLASSES` per hashed feature.
struct Model {
    rows: Vec<[i16; CLASSES]>,
    /// Weight units per unit of score.
    scale: f32,
}

/// A model file given at run time instead of the embedded one (for measuring a freshly
/// trained model with `examples/phi_scan.rs --model FILE` without rebuilding).
static MODEL_OVERRIDE: OnceLock<Vec<u8>> = OnceLock::new();

static MODEL: LazyLock<Option<Model>> =
    LazyLock::new(|| load(MODEL_OVERRIDE.get().map_or(MODEL_BYTES, Vec::as_slice)));

/// Uses `bytes` as the model file instead of the embedded one. Only before the first scan;
/// returns whether it was taken.
pub fn set_model_bytes(bytes: Vec<u8>) -> bool {
    MODEL_OVERRIDE.set(bytes).is_ok()
        && load(MODEL_OVERRIDE.get().map_or(&[], Vec::as_slice)).is_some()
}

fn load(bytes: &[u8]) -> Option<Model> {
    let (scale, weights) = model_file::read(bytes, MAGIC, SIZE * CLASSES)?;
    let rows = weights
        .chunks_exact(CLASSES)
        .map(|row| std::array::from_fn(|k| row[k]))
        .collect();
    Some(Model { rows, scale })
}

/// How sure the tagger is, word by word, that a word is neither a name nor a place: the
/// score of "outside" above the best other tag (NaN where it did not read the word).
pub struct Doubts(Vec<f32>);

/// The doubt at which the tagger overrules a name found by the rules: high, since a rule's
/// cue ("spoke with Grace") is evidence the tagger weighs too.
const OVERRULE_MARGIN: f32 = 60.0;

impl Doubts {
    /// Is the tagger sure that no word of `start..end` is a name? Every word of the span it
    /// read (at least one) has a doubt of [`OVERRULE_MARGIN`] or more.
    pub fn rules_out(&self, doc: &Doc, start: usize, end: usize) -> bool {
        // Tokens are in order: start at the first that ends after `start`.
        let first = doc.tokens.partition_point(|t| t.end <= start);
        let mut read = false;
        for (t, &d) in doc.tokens.iter().zip(&self.0).skip(first) {
            if t.start >= end {
                break;
            }
            if !d.is_nan() {
                if d < OVERRULE_MARGIN {
                    return false;
                }
                read = true;
            }
        }
        read
    }
}

/// Tags the names and places of `doc` and adds them to `out`; returns its doubts.
/// `known` holds what the rules found already: a name of theirs counts as a trusted name
/// next to which a surname is taken.
pub fn find(doc: &Doc, known: &[PhiSpan], out: &mut Vec<PhiSpan>) -> Doubts {
    let mut doubt = vec![f32::NAN; doc.tokens.len()];
    let Some(model) = MODEL.as_ref() else {
        return Doubts(doubt);
    };
    let lx = lexicon::get();
    let info = TokInfo::all(doc, lx);
    let mut feats = Vec::with_capacity(48);
    let mut tags: Vec<u8> = Vec::with_capacity(doc.tokens.len());
    // Per token: the tag, and whether it is trusted on its own.
    let mut calls: Vec<(u8, bool)> = Vec::with_capacity(doc.tokens.len());
    for i in 0..doc.tokens.len() {
        if !candidate(info.get(i)) {
            tags.push(TAG_O);
            calls.push((TAG_O, false));
            continue;
        }
        feats.clear();
        features(doc, &info, i, &tags, &mut feats);
        let mut score = [0i32; CLASSES];
        for &f in &feats {
            if let Some(row) = model.rows.get(f) {
                for (s, w) in score.iter_mut().zip(row) {
                    *s += i32::from(*w);
                }
            }
        }
        let s = |k: usize| score[k] as f32 / model.scale;
        let (o, name, loc) = (s(0), s(1), s(2));
        let tag = if name > o && name >= loc {
            TAG_NAME
        } else if loc > o && loc > name {
            TAG_LOC
        } else {
            TAG_O
        };
        tags.push(tag);
        let margin = name.max(loc) - o;
        if let Some(d) = doubt.get_mut(i) {
            *d = -margin;
        }
        let trusted = tag != TAG_O && accept(doc, &info, i, margin);
        calls.push((tag, trusted));
    }
    // A word written in lower case elsewhere in a text whose case tells is a common word or
    // an abbreviation there, not a name ("Neuro: ... neuro checks"): names keep their capital.
    if !doc.shouting {
        let lower_words: std::collections::HashSet<&str> = info
            .iter()
            .filter(|t| t.case == 0)
            .map(|t| t.word)
            .collect();
        for (call, t) in calls.iter_mut().zip(&info) {
            if call.0 != TAG_O && t.case != 0 && lower_words.contains(t.word) {
                *call = (TAG_O, false);
            }
        }
    }
    // A saint written in lower case in a text whose case tells is a hospital only where a
    // word of going says so, as the rules read saints ("came from st. francis", not "Prayer
    // of st. francis").
    if !doc.shouting && !doc.typed_in_lower_case {
        for i in 2..calls.len() {
            let saint = info
                .get(i - 1)
                .is_some_and(|p| matches!(p.word, "st" | "saint" | "ste"));
            let lower = info.get(i).is_some_and(|t| t.case == 0);
            let went = info
                .get(i - 2)
                .is_some_and(|w| super::places::is_word_of_going(w.word));
            if saint && lower && !went {
                if let Some(call) = calls.get_mut(i) {
                    *call = (TAG_O, false);
                }
            }
        }
    }
    // A tagged word next to a trusted one of the same tag is part of the same name
    // ("Ngozi Okonkwo-Eze"), unless it is a word of the vocabulary.
    for i in 0..calls.len() {
        let (tag, trusted) = calls[i];
        let word_of_vocabulary = info.get(i).is_some_and(|t| t.lex & (VOCAB | STATE) != 0);
        if tag == TAG_O || trusted || word_of_vocabulary {
            continue;
        }
        let joined = |j: usize, gap: &str| {
            calls.get(j).is_some_and(|&(t, ok)| t == tag && ok)
                && gap.len() <= 3
                && !gap.contains('\n')
                && gap.chars().all(|c| c == ' ' || c == '.' || c == ',')
        };
        let before = i > 0 && joined(i - 1, doc.gap_before(i));
        let after = joined(i + 1, doc.gap_after(i));
        if before || after {
            calls[i].1 = true;
        }
    }
    // A capitalized word that no list holds, right after a trusted name in mixed-case text,
    // is its surname whatever the tagger said ("Oluwaseun Adeyemi").
    for i in 1..calls.len() {
        let unknown_capital = info
            .get(i)
            .is_some_and(|t| t.lex & !WORLD == 0 && t.case == 1);
        if !unknown_capital || doc.upper_heavy || doc.gap_before(i) != " " {
            continue;
        }
        let prev_known = doc.tokens.get(i - 1).is_some_and(|t| {
            known
                .iter()
                .any(|s| s.kind == PhiKind::Name && s.start <= t.start && t.end <= s.end)
        });
        if calls.get(i - 1) == Some(&(TAG_NAME, true)) || prev_known {
            calls[i] = (TAG_NAME, true);
        }
    }
    // Words of one name (or place) make one span: "John Smith", "J. Smith", "Glen Burnie".
    let mut open: Option<(usize, usize, u8)> = None;
    let kind = |tag: u8| {
        if tag == TAG_NAME {
            PhiKind::Name
        } else {
            PhiKind::Location
        }
    };
    for (i, &(tag, trusted)) in calls.iter().enumerate() {
        let (Some(t), Some(ti)) = (doc.tokens.get(i), info.get(i)) else {
            continue;
        };
        let continues = open.is_some_and(|(_, end, open_tag)| {
            let gap = doc.slice(end, t.start);
            open_tag == tag
                && !gap.is_empty()
                && gap.trim_start_matches('.').trim() == ""
                && !gap.contains('\n')
        });
        match open {
            Some((start, _, open_tag)) if trusted && continues => {
                open = Some((start, t.end - ti.possessive, open_tag));
                continue;
            }
            Some((start, end, open_tag)) => {
                out.push(PhiSpan {
                    start,
                    end,
                    kind: kind(open_tag),
                });
                open = None;
            }
            None => {}
        }
        if trusted {
            open = Some((t.start, t.end - ti.possessive, tag));
        }
    }
    if let Some((start, end, open_tag)) = open {
        out.push(PhiSpan {
            start,
            end,
            kind: kind(open_tag),
        });
    }
    Doubts(doubt)
}

pub(super) const VOCAB: u16 =
    (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 9) | (1 << 10);
pub(super) const PROPER: u16 = (1 << 0) | (1 << 1) | (1 << 7);
pub(super) const WORLD: u16 = 1 << 11;
/// Eponyms of the medical dictionary, and states and countries.
pub(super) const EPONYM: u16 = 1 << 6;
pub(super) const STATE: u16 = 1 << 8;
/// The everyday vocabulary: English of the common list and its inflections, the medical
/// dictionary, function words, drug stems. The large English list and the eponyms are left
/// out: they hold many people's names of the world ("Obi", "Hamza", "Volkov").
const CORE_VOCAB: u16 = (1 << 2) | (1 << 3) | (1 << 5) | (1 << 9) | (1 << 10);

/// Can this token be a name or a place at all? Not a number, and not a word of the
/// vocabulary that no name or place list holds (those are never taken, see [`accept`]):
/// they are tagged outside without being scored.
fn candidate(info: Option<&TokInfo>) -> bool {
    info.is_some_and(|t| t.case != 3 && !vocabulary_only(t.lex))
}

/// A word of the English or medical vocabulary that no name or place list holds.
fn vocabulary_only(lex: u16) -> bool {
    lex & CORE_VOCAB != 0 && lex & PROPER == 0
}

/// Margins (score units) a tag needs: any tag, a tag on a word that no list holds, and a
/// tag trusted whatever the case. Round numbers, chosen by cross-validation over the
/// hand-written training sets (each set scored by a tagger trained without it), with the
/// development set as a gate: the tagger is far surer of itself on generated text than on
/// real notes in shorthand (whose words no list holds are mostly abbreviations), so these
/// keep its calls to words with a second piece of evidence.
const LOW_MARGIN: f32 = 10.0;
const UNKNOWN_MARGIN: f32 = 10.0;
const HIGH_MARGIN: f32 = 30.0;
const SHOUTING_MARGIN: f32 = 20.0;

/// Is a tag trusted? The tagger learnt from synthetic text, where a word that no list
/// holds is often an invented name; in real notes such words are mostly abbreviations and
/// misspellings. So a tag needs a second piece of evidence: the word is in a name or place
/// list and is not a common word, or it is capitalized inside a sentence of mixed-case text,
/// or the tagger is very sure. A word of the English or medical vocabulary that no name or
/// place list holds is never taken.
fn accept(doc: &Doc, info: &[TokInfo], i: usize, margin: f32) -> bool {
    let Some(ti) = info.get(i) else {
        return false;
    };
    let vocab = ti.lex & CORE_VOCAB != 0;
    // A name of the world lists is only a feature the tagger weighs, not a second piece of
    // evidence: it is taken like a word that no list holds.
    let proper = ti.lex & PROPER != 0;
    // States and countries are not identifiers ("Georgia" the person is left to the rules).
    let state = ti.lex & STATE != 0;
    if margin < LOW_MARGIN
        || (vocab && !proper)
        || state
        || super::places::is_facility_head(ti.word)
        || super::dates::is_day_or_month(ti.word)
    {
        return false;
    }
    // A word of another script written in lower case ("заболела") is none: the tagger
    // learnt little of those scripts, and where they have case, names take a capital.
    let lower_foreign = ti.case == 0
        && ti
            .word
            .chars()
            .any(|c| c.is_alphabetic() && c.to_lowercase().ne(c.to_uppercase()) && !c.is_ascii())
        && !ti.word.chars().any(|c| c.is_ascii_alphabetic());
    if lower_foreign && !proper {
        return false;
    }
    match (proper, vocab) {
        // Where case tells nothing (notes in capitals or without any), a listed name needs
        // a surer call.
        (true, false) => !doc.shouting || margin >= SHOUTING_MARGIN,
        // "Rose", "Hall", "Later": a common word that is also a name needs the case of a name.
        (true, true) => doc.title_case(i),
        _ => (mixed_capital(doc, i) && margin >= UNKNOWN_MARGIN) || margin >= HIGH_MARGIN,
    }
}

/// A capitalized word (not all capitals) in text whose case tells, at the start of a
/// sentence too.
fn mixed_capital(doc: &Doc, i: usize) -> bool {
    !doc.upper_heavy
        && doc
            .tokens
            .get(i)
            .is_some_and(|t| t.capitalized && !t.all_caps)
}

/// What the features need of each token, computed once.
pub struct TokInfo<'a> {
    /// Lower case, without a possessive "'s".
    word: &'a str,
    /// Bytes of a possessive ending ("'s") to leave out of a span.
    possessive: usize,
    /// Which word lists hold the word (bits, see `lex_bits`).
    lex: u16,
    /// Case class: 0 lower, 1 capitalized, 2 all capitals, 3 number, 4 other.
    case: u8,
    /// The punctuation before the token, squeezed (at most 3 characters).
    gap: [u8; 3],
    shape: [u8; 6],
    /// What kind of cue about people the word is (see [`cue_of`]).
    cue: u8,
}

impl<'a> TokInfo<'a> {
    pub fn all(doc: &'a Doc, lx: &Lexicon) -> Vec<TokInfo<'a>> {
        let mut v = Vec::with_capacity(doc.tokens.len());
        for (i, t) in doc.tokens.iter().enumerate() {
            v.push(TokInfo::new(doc, lx, i, t));
        }
        v
    }

    fn new(doc: &'a Doc, lx: &Lexicon, i: usize, t: &'a Token) -> TokInfo<'a> {
        let lower: &str = t.lower();
        let (word, possessive) = match lower
            .strip_suffix("'s")
            .or_else(|| lower.strip_suffix("\u{2019}s"))
        {
            Some(stem) if !stem.is_empty() => (stem, lower.len() - stem.len()),
            _ => (lower, 0),
        };
        let case = if t.kind == TokKind::Number {
            3
        } else if t.all_caps {
            2
        } else if t.capitalized {
            let src = doc.slice(t.start, t.end);
            if src.chars().skip(1).any(char::is_uppercase) && !src.contains(['-', '\'']) {
                4
            } else {
                1
            }
        } else {
            0
        };
        let lex = if t.kind == TokKind::Word {
            lex_bits(lx, word)
        } else {
            0
        };
        let mut gap = [b' '; 3];
        let mut n = 0;
        for c in doc.gap_before(i).chars() {
            if n >= 3 {
                break;
            }
            if !c.is_whitespace() || c == '\n' {
                gap[n] = if c.is_ascii() { c as u8 } else { b'~' };
                n += 1;
            }
        }
        let mut shape = [b' '; 6];
        let mut n = 0;
        let mut last = 0u8;
        for c in doc.slice(t.start, t.end).chars() {
            let k = if c.is_uppercase() {
                b'X'
            } else if c.is_alphabetic() {
                b'x'
            } else if c.is_ascii_digit() {
                b'd'
            } else {
                b'-'
            };
            if k != last && n < 6 {
                shape[n] = k;
                n += 1;
                last = k;
            }
        }
        let cue = if t.kind == TokKind::Number {
            CUE_NUMBER
        } else {
            cue_of(word)
        };
        TokInfo {
            word,
            possessive,
            lex,
            case,
            gap,
            shape,
            cue,
        }
    }
}

const CUE_NONE: u8 = 0;
const CUE_RELATION: u8 = 1;
const CUE_LAY_TITLE: u8 = 2;
const CUE_CLINICIAN: u8 = 3;
const CUE_PATIENT: u8 = 4;
const CUE_PERSON_VERB: u8 = 5;
const CUE_AGE: u8 = 6;
const CUE_CALENDAR: u8 = 7;
const CUE_NUMBER: u8 = 8;

/// Words about people, in classes: the tagger weighs what class of word stands around a
/// word as well as the words themselves, so that a name is told by the kind of company it
/// keeps ("her nephew X", "X (57 y/o)", "X called") and not only by the exact words that
/// came with names in the training text.
pub(super) fn cue_of(w: &str) -> u8 {
    if let Some(&c) = CUES.get(w) {
        c
    } else if w.ends_with("-in-law") {
        CUE_RELATION
    } else if w.ends_with("-year-old") {
        CUE_AGE
    } else {
        CUE_NONE
    }
}

/// The cue class of each cue word, built once (earlier classes win).
static CUES: LazyLock<lexicon::HashMap<&'static str, u8>> = LazyLock::new(|| {
    use super::names;
    const PATIENT: &[&str] = &["patient", "patients", "pt", "pts", "client", "resident's"];
    const AGE: &[&str] = &[
        "yo",
        "y",
        "yof",
        "yom",
        "yr",
        "yrs",
        "year",
        "years",
        "year-old",
        "years-old",
        "aged",
        "age",
        "old",
    ];
    let mut m: lexicon::HashMap<&'static str, u8> = lexicon::HashMap::default();
    let classes: [(&[&'static str], u8); 7] = [
        (names::RELATIONS, CUE_RELATION),
        (names::LAY_TITLES, CUE_LAY_TITLE),
        (names::CLINICIAN_BEFORE, CUE_CLINICIAN),
        (names::CLINICIAN_AFTER, CUE_CLINICIAN),
        (PATIENT, CUE_PATIENT),
        (names::PERSON_VERBS, CUE_PERSON_VERB),
        (names::CONTACT_CUES, CUE_PERSON_VERB),
    ];
    for (words, class) in classes {
        for &w in words {
            m.entry(w).or_insert(class);
        }
    }
    for &w in AGE {
        m.entry(w).or_insert(CUE_AGE);
    }
    for w in super::dates::DAYS_AND_MONTHS {
        m.entry(w).or_insert(CUE_CALENDAR);
    }
    m
});

/// Which word lists hold a word: one look-up in a table built once from the lists.
static WORD_BITS: LazyLock<lexicon::HashMap<&'static str, u16>> = LazyLock::new(|| {
    let lx = lexicon::get();
    let mut m: lexicon::HashMap<&'static str, u16> = lexicon::HashMap::default();
    let mut add = |words: &mut dyn Iterator<Item = &'static str>, bit: u16| {
        for w in words {
            *m.entry(w).or_insert(0) |= 1 << bit;
        }
    };
    add(&mut lx.first_names(), 0);
    add(&mut lx.surnames(), 1);
    add(&mut lx.english_words(), 2);
    add(&mut lx.english_extra_words(), 4);
    add(&mut lx.medical_words(), 5);
    add(&mut lx.eponym_words(), 6);
    add(&mut lx.place_words(), 7);
    add(&mut lx.state_words(), 8);
    add(&mut lx.world_names(), 11);
    add(&mut lexicon::function_words(), 9);
    add(&mut lexicon::function_words(), 2);
    m
});

pub(super) fn lex_bits(lx: &Lexicon, w: &str) -> u16 {
    let mut b = WORD_BITS.get(w).copied().unwrap_or(0);
    // An inflection of an English word ("tolerating"), and drug stems.
    if b & (1 << 2) == 0 && lx.is_english(w) {
        b |= 1 << 3;
    }
    if lexicon::drug_shaped(w) {
        b |= 1 << 10;
    }
    b
}

/// A feature's row in the tagger's table.
#[inline]
fn feat(id: u8, a: &[u8], b: &[u8], c: &[u8]) -> usize {
    model_file::row(model_file::feature_hash(id, a, b, c), BITS)
}

const BOS: &[u8] = b"<s>";
const EOS: &[u8] = b"</s>";

fn word_of<'a>(info: &'a [TokInfo], i: Option<usize>, end: &'static [u8]) -> &'a [u8] {
    match i.and_then(|i| info.get(i)) {
        Some(t) if t.case == 3 => b"#",
        Some(t) => t.word.as_bytes().get(..24).unwrap_or(t.word.as_bytes()),
        None => end,
    }
}

/// The hashed features of token `i`, given the tags of the tokens before it.
pub fn features(doc: &Doc, info: &[TokInfo], i: usize, tags: &[u8], out: &mut Vec<usize>) {
    let Some(t) = info.get(i) else { return };
    let prev = i.checked_sub(1);
    let prev2 = i.checked_sub(2);
    let next = (i + 1 < info.len()).then_some(i + 1);
    let next2 = (i + 2 < info.len()).then_some(i + 2);
    let w = word_of(info, Some(i), EOS);
    let pw = word_of(info, prev, BOS);
    let pw2 = word_of(info, prev2, BOS);
    let nw = word_of(info, next, EOS);
    let nw2 = word_of(info, next2, EOS);
    let doc_case = [
        u8::from(doc.upper_heavy) + 2 * u8::from(doc.shouting),
        u8::from(doc.sentence_start(i)),
    ];
    let case = [t.case, doc_case[0], doc_case[1]];
    let lex = t.lex.to_le_bytes();
    let info_at = |j: Option<usize>| j.and_then(|j| info.get(j));
    let plex = info_at(prev).map_or([0xff, 0xff], |p| p.lex.to_le_bytes());
    let nlex = info_at(next).map_or([0xff, 0xff], |p| p.lex.to_le_bytes());
    let pcase = info_at(prev).map_or(9, |p| p.case);
    let ncase = info_at(next).map_or(9, |p| p.case);
    let ngap = info_at(next).map_or(*b"$$$", |p| p.gap);
    let bytes = w;
    let n = bytes.len();
    let suf3 = bytes.get(n.saturating_sub(3)..).unwrap_or(b"");
    let suf2 = bytes.get(n.saturating_sub(2)..).unwrap_or(b"");
    let pre3 = bytes.get(..3.min(n)).unwrap_or(b"");
    let len = [(n.min(12)) as u8, t.case];
    let ptag = prev.and_then(|p| tags.get(p)).copied().unwrap_or(9);
    let ptag2 = prev2.and_then(|p| tags.get(p)).copied().unwrap_or(9);
    let vocab = (
        t.lex & 0b10_0011_1100 != 0,
        t.lex & 0b11 != 0,
        t.lex & (1 << 7) != 0,
    );
    let coarse = [
        u8::from(vocab.0),
        u8::from(vocab.1) + 2 * u8::from(t.lex & WORLD != 0),
        u8::from(vocab.2),
        t.case,
    ];

    out.push(feat(0, b"", b"", b""));
    out.push(feat(1, w, b"", b""));
    out.push(feat(2, &case, b"", b""));
    out.push(feat(3, suf3, &[t.case], b""));
    out.push(feat(4, suf2, b"", b""));
    out.push(feat(5, pre3, b"", b""));
    out.push(feat(6, &lex, b"", b""));
    out.push(feat(7, &lex, &case, b""));
    out.push(feat(8, pw, b"", b""));
    out.push(feat(9, nw, b"", b""));
    out.push(feat(10, pw2, b"", b""));
    out.push(feat(11, nw2, b"", b""));
    out.push(feat(12, pw, &case, b""));
    out.push(feat(13, nw, &case, b""));
    out.push(feat(14, &plex, &coarse, b""));
    out.push(feat(15, &nlex, &coarse, b""));
    out.push(feat(16, &[pcase, t.case, ncase, doc_case[0]], b"", b""));
    out.push(feat(17, &t.gap, &coarse, b""));
    out.push(feat(18, &ngap, &coarse, b""));
    out.push(feat(19, &len, b"", b""));
    out.push(feat(20, &coarse, pw, b""));
    out.push(feat(21, &t.shape, b"", b""));
    out.push(feat(22, &coarse, nw, b""));
    out.push(feat(23, pw2, pw, &coarse));
    out.push(feat(24, nw, nw2, &coarse));
    out.push(feat(25, &[u8::from(t.possessive > 0)], &coarse, b""));
    out.push(feat(26, &t.gap, pw, b""));
    out.push(feat(27, &ngap, nw, b""));
    out.push(feat(28, w, &case, b""));
    // How the word is spelt inside: letter trigrams tell a name of any origin ("-ski",
    // "ngu", "-ova") from a misspelt English word, where no list holds either.
    if t.lex & (VOCAB | PROPER) == 0 && n >= 4 {
        // The word between start and end marks, on the stack (a word is at most 24 bytes).
        let mut buf = [b'^'; 26];
        let inner = n.min(24);
        buf[1..=inner].copy_from_slice(&bytes[..inner]);
        buf[inner + 1] = b'$';
        for g in buf[..inner + 2].windows(3) {
            out.push(feat(37, g, b"", b""));
        }
        let suf4 = bytes.get(n.saturating_sub(4)..).unwrap_or(b"");
        out.push(feat(38, suf4, b"", b""));
    }
    // The company the word keeps, by class.
    let cue = |j: Option<usize>| info_at(j).map_or(9, |p| p.cue);
    let (pcue, pcue2, ncue, ncue2) = (cue(prev), cue(prev2), cue(next), cue(next2));
    let window = |range: std::ops::Range<usize>| {
        range
            .filter_map(|j| info.get(j))
            .fold(0u16, |bits, p| bits | 1 << p.cue)
            .to_le_bytes()
    };
    let left = window(i.saturating_sub(3)..i);
    let right = window(i + 1..(i + 5).min(info.len()));
    out.push(feat(30, &[pcue, ncue], &coarse, b""));
    out.push(feat(31, &[pcue2, pcue], &coarse, b""));
    out.push(feat(32, &[ncue, ncue2], &coarse, b""));
    out.push(feat(33, &left, &coarse, b""));
    out.push(feat(34, &right, &coarse, b""));
    out.push(feat(35, &[pcue], &t.gap, &coarse));
    out.push(feat(36, &[ncue], &ngap, &coarse));
    // The tags already given.
    out.push(feat(40, &[ptag], b"", b""));
    out.push(feat(41, &[ptag, ptag2], b"", b""));
    out.push(feat(42, &[ptag], &coarse, b""));
    out.push(feat(43, &[ptag], &lex, b""));
    out.push(feat(44, &[ptag], &t.gap, b""));
    out.push(feat(45, &[ptag], pw, b""));
}

/// Training: an averaged perceptron over the same features. Used by
/// `examples/phi_train.rs`; returns the bytes of `data/tagger.bin`.
pub mod train {
    use super::model_file::Rng;
    use super::*;

    /// One training text and the tag of each of its tokens' bytes: `(start, end, tag)`
    /// spans, UTF-8 byte offsets (tokens overlapping a span take its tag).
    #[derive(Clone)]
    pub struct Example {
        pub text: String,
        pub spans: Vec<(usize, usize, u8)>,
    }

    /// Percent of features dropped from each training update.
    const DROPOUT: u64 = 30;

    /// Trains for `epochs` passes (examples shuffled with `seed`) and returns the model file.
    pub fn train(examples: &[Example], epochs: usize, seed: u64) -> Vec<u8> {
        let lx = lexicon::get();
        let mut w = vec![[0f32; CLASSES]; SIZE];
        let mut acc = vec![[0f32; CLASSES]; SIZE];
        let mut stamp = vec![0u64; SIZE];
        let mut step: u64 = 1;
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = Rng(seed);
        let mut feats = Vec::with_capacity(48);
        for epoch in 0..epochs {
            for k in (1..order.len()).rev() {
                let j = (rng.next() % (k as u64 + 1)) as usize;
                order.swap(k, j);
            }
            let (mut errors, mut total) = (0usize, 0usize);
            for &e in &order {
                let Some(ex) = examples.get(e) else { continue };
                let doc = Doc::new(&ex.text);
                let info = TokInfo::all(&doc, lx);
                let gold: Vec<u8> = doc
                    .tokens
                    .iter()
                    .map(|t| {
                        ex.spans
                            .iter()
                            .find(|s| s.0 < t.end && t.start < s.1)
                            .map_or(TAG_O, |s| s.2)
                    })
                    .collect();
                let mut tags: Vec<u8> = Vec::with_capacity(gold.len());
                for (i, &g) in gold.iter().enumerate() {
                    if !candidate(info.get(i)) {
                        tags.push(TAG_O);
                        continue;
                    }
                    feats.clear();
                    features(&doc, &info, i, &tags, &mut feats);
                    // Feature dropout: each feature is left out of this update now and then,
                    // so that no single cue (a template's neighbour word) carries a decision.
                    feats.retain(|_| rng.next() % 100 >= DROPOUT);
                    let mut score = [0f32; CLASSES];
                    for &f in &feats {
                        if let Some(row) = w.get(f) {
                            for (s, x) in score.iter_mut().zip(row) {
                                *s += x;
                            }
                        }
                    }
                    let mut best = 0usize;
                    for k in 1..CLASSES {
                        if score[k] > score[best] {
                            best = k;
                        }
                    }
                    let g = usize::from(g).min(CLASSES - 1);
                    total += 1;
                    if best != g {
                        errors += 1;
                        for &f in &feats {
                            // Bring the running sum up to date before changing the weight.
                            let since = (step - stamp[f]) as f32;
                            for k in 0..CLASSES {
                                acc[f][k] += since * w[f][k];
                            }
                            stamp[f] = step;
                            w[f][g] += 1.0;
                            w[f][best] -= 1.0;
                        }
                    }
                    step += 1;
                    // Train on the gold history half of the time, on the predicted one
                    // otherwise, so that the tagger learns to recover from its own errors.
                    tags.push(if rng.next() & 1 == 0 {
                        g as u8
                    } else {
                        best as u8
                    });
                }
            }
            eprintln!(
                "epoch {}: {} of {} tokens wrong ({:.2}%)",
                epoch + 1,
                errors,
                total,
                100.0 * errors as f64 / total.max(1) as f64
            );
        }
        // Averaged weights.
        let mut avg = Vec::with_capacity(SIZE * CLASSES);
        for f in 0..SIZE {
            let since = (step - stamp[f]) as f32;
            for k in 0..CLASSES {
                avg.push((acc[f][k] + since * w[f][k]) / step as f32);
            }
        }
        model_file::write(MAGIC, &avg)
    }
}

#[cfg(test)]
mod tests {
    use super::{Doubts, OVERRULE_MARGIN};
    use crate::lounge::phi::text::Doc;

    #[test]
    fn a_name_is_overruled_only_where_the_tagger_is_sure_of_every_word_it_read() {
        let doc = Doc::new("BED 8 WHITE COUNT");
        let sure = OVERRULE_MARGIN + 1.0;
        // "WHITE" (bytes 6..11) is the third token.
        let doubts = Doubts(vec![f32::NAN, f32::NAN, sure, 0.0]);
        assert!(doubts.rules_out(&doc, 6, 11));
        // A word it is unsure of keeps the name; a span of words it did not read too.
        assert!(!doubts.rules_out(&doc, 6, 17));
        assert!(!doubts.rules_out(&doc, 0, 5));
        assert!(!Doubts(vec![f32::NAN; 4]).rules_out(&doc, 6, 11));
    }
}
