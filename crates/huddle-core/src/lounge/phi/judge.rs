//! The judge: a learned second look at each place and date the detectors flagged,
//! asking whether it is a patient's at all.
//!
//! The detectors find words shaped like names, towns and dates; whether one belongs to a
//! patient is told by the rest of the post: "I trained at Mayo" in a teaching thread is no
//! patient's place, "transferred from Mayo" in a handoff is. The judge weighs the span's own
//! words, the words around it, the cues about people nearby, the other identifiers in the
//! post and the style of the post, and drops a span only when it is sure the span is not a
//! patient's. Names, and identifiers of shapes that tell (phones, record numbers, emails…),
//! are never judged (see [`judged`]).
//!
//! A second, smaller model reads the post alone: from its words, does it hold any
//! patient's identifier at all? A career or history thread ("Matched at Mayo Jacksonville!
//! I'm from Lubbock") scores far below a case; the judge weighs that score, and in such a
//! post weighs even the places the rules found after a cue.
//!
//! Both are logistic models over hashed features, trained by `scripts/phi-retrain.sh` on
//! what the guard flags in the project's hand-written posts, read by taggers that never saw
//! those posts (so that it learns the guard's errors on new text, not on its training text;
//! the post's model is learned in parts for the same reason), and stored in
//! `data/judge.bin` like the tagger: quantized `i16` weights after a short header, the
//! span's table then the post's. An empty or malformed file turns the judge off.

use std::sync::{LazyLock, OnceLock};

use super::lexicon;
use super::model_file;
use super::tagger::{cue_of, lex_bits, EPONYM, PROPER, STATE, WORLD};
use super::text::{self, Doc, TokKind};
use super::{PhiKind, PhiSpan};

const BITS: u32 = 16;
const SIZE: usize = 1 << BITS;
const MAGIC: &[u8; 8] = b"HPHIJDG2";

static MODEL_BYTES: &[u8] = include_bytes!("data/judge.bin");

/// A model file given at run time instead of the embedded one (`phi_scan --judge FILE`).
static MODEL_OVERRIDE: OnceLock<Vec<u8>> = OnceLock::new();

static MODEL: LazyLock<Option<Model>> =
    LazyLock::new(|| load(MODEL_OVERRIDE.get().map_or(MODEL_BYTES, Vec::as_slice)));

/// The log-odds below which a span is dropped: the judge must be sure a span is no
/// patient's, since a span wrongly dropped is an identifier published. Chosen by
/// cross-validation over the hand-written training sets, with the development set as a gate:
/// the judge trained on 63 sets at -1.5 cost the development set 33 characters of recall;
/// the judge of 83 sets, four runs averaged, cost it 8 characters (one record) at -2.0 and
/// none at -2.25, for 23 more clean posts flagged in cross-validation.
const DROP_BELOW: f32 = -2.25;

/// A post whose words give it log-odds below this of holding any patient's identifier
/// ("Matched GI at Mayo Jacksonville, my #1. I'm from Lubbock"): its places after a cue
/// are weighed by the judge too (see [`quiet_post`]). Chosen by cross-validation, with the
/// development set as a gate: at -3 the development set lost 18 characters of recall.
const QUIET_POST: f32 = -4.0;

struct Model {
    /// The span's weights, then the post's.
    weights: Vec<i16>,
    /// Weight units per unit of log-odds.
    scale: f32,
}

impl Model {
    /// The log-odds that a span of these features is a patient's.
    fn score(&self, feats: &[usize]) -> f32 {
        self.sum(feats, 0)
    }

    /// The log-odds that a post of these words holds a patient's identifier at all.
    fn post_score(&self, words: &[usize]) -> f32 {
        self.sum(words, SIZE)
    }

    fn sum(&self, feats: &[usize], offset: usize) -> f32 {
        let units: i32 = feats
            .iter()
            .filter_map(|&f| self.weights.get(offset + f))
            .map(|&w| i32::from(w))
            .sum();
        units as f32 / self.scale
    }
}

/// Uses `bytes` as the judge's model instead of the embedded one. Only before the first
/// scan; returns whether it was taken.
pub fn set_model_bytes(bytes: Vec<u8>) -> bool {
    MODEL_OVERRIDE.set(bytes).is_ok()
        && load(MODEL_OVERRIDE.get().map_or(&[], Vec::as_slice)).is_some()
}

fn load(bytes: &[u8]) -> Option<Model> {
    let (scale, weights) = model_file::read(bytes, MAGIC, 2 * SIZE)?;
    Some(Model { weights, scale })
}

/// Is a span judged? Dates written with words, and places whose every word a list of names
/// or places holds, with no cue right before them.
///
/// The judge learnt from posts of a few styles, whose writers packed the posts with
/// identifiers more than a consult of one line does; so it leaves alone what it could not
/// learn well:
/// - names: a patient's name alone in a short consult ("Kwame Diallo, 27M, HbSS") is the
///   commonest leak, and the few other identifiers around it looked like a clean post; but
///   in a post whose words speak of no patient at all (`quiet`) the judge weighs the names
///   that no word of a person comes right before ("Halsted", "in Austin");
/// - a word that no list holds, taken for its shape or by the tagger ("GBMC",
///   "Quartermain");
/// - a place with a cue right before it ("Mr.", "transferred to", "lives in") or a person's
///   verb after it ("Nicholson states"): the rules' evidence; but in a post whose words
///   speak of no patient at all (`quiet`, see [`quiet_post`]) the judge weighs it too.
fn judged(doc: &Doc, s: &PhiSpan, quiet: bool) -> bool {
    // In a post whose words speak of no patient, a place after "from", "in" or "at" is
    // weighed too ("I'm from Lubbock, did residency in Omaha").
    if quiet
        && s.kind == PhiKind::Location
        && super::place_cue_before(doc, s.start)
        && !super::person_cue_before(doc, s.start)
    {
        return true;
    }
    // Nor, there, is a name that no word of a person comes right before ("Halsted gave us
    // the radical mastectomy", "a startup in Austin").
    if quiet && s.kind == PhiKind::Name && !super::person_cue_before(doc, s.start) {
        return true;
    }
    match s.kind {
        // A date of digits alone ("8/23", "2025-03-14") is a patient's in every style of
        // notes the judge could not learn; only dates in words are judged ("in July",
        // "Thanksgiving week", "the 4th").
        PhiKind::Date => doc.slice(s.start, s.end).chars().any(char::is_alphabetic),
        // A famous institution after any word but one of a patient's care ("fellowship at
        // Mayo" and "a talk from Hopkins" are no patient's; "transferred to Mayo", "seen at
        // Hopkins" stay, unjudged).
        PhiKind::Location if super::notable::is_notable_institution(doc, s) => {
            !super::notable::care_before(doc, s.start)
        }
        PhiKind::Location => {
            in_word_lists(doc, s)
                && !super::person_cue_before(doc, s.start)
                && !super::places::after_foreign_preposition(doc, s)
                && !super::places::after_place_key(doc, s.start)
                && !(super::place_cue_before(doc, s.start)
                    && !(super::notable::stay_cue_before(doc, s.start)
                        && says_no_patient(doc, sentence_of(doc, s))))
                && !super::names::is_person_verb(&text::leading_word_lower(
                    doc.after(s.end, 24).trim_start(),
                ))
        }
        _ => false,
    }
}

/// The tokens of the sentence that holds the span: from the last ".", "!", "?" or line
/// break before it to the first after it.
fn sentence_of(doc: &Doc, s: &PhiSpan) -> std::ops::Range<usize> {
    let ends = |gap: &str| gap.contains(['.', '!', '?', '\n']);
    let toks = &doc.tokens;
    let first = toks.partition_point(|t| t.end <= s.start);
    let last = toks.partition_point(|t| t.start < s.end).max(first + 1);
    let start = (1..=first)
        .rev()
        .find(|&k| ends(doc.gap_before(k)))
        .unwrap_or(0);
    let end = (last - 1..toks.len())
        .find(|&k| ends(doc.gap_after(k)))
        .map_or(toks.len(), |k| k + 1);
    start..end
}

/// Does the sentence say nothing of a patient: no word for a patient, a relative, a
/// person's age or care ("pt", "his", "mom", "yo", "admitted")? Then a town after "in" or
/// "at" is weighed by the judge too ("the conference in Las Vegas"); in a sentence that
/// speaks of a patient it is the rules' call ("lives in Fresno").
fn says_no_patient(doc: &Doc, sentence: std::ops::Range<usize>) -> bool {
    const PATIENT_WORDS: &[&str] = &[
        "pt",
        "pts",
        "patient",
        "patients",
        "yo",
        "y/o",
        "yom",
        "yof",
        "he",
        "she",
        "his",
        "her",
        "him",
        "mom",
        "dad",
        "mother",
        "father",
        "wife",
        "husband",
        "son",
        "daughter",
        "grandma",
        "grandpa",
        "grandmother",
        "grandfather",
        "sister",
        "brother",
        "aunt",
        "uncle",
        "baby",
        "admitted",
        "admit",
        "transferred",
        "discharged",
        "dob",
        "mrn",
        "family",
        "resident",
        "client",
        "caller",
        "mama",
        "papa",
        "appointment",
        "appt",
        "live",
        "lives",
        "living",
        "moved",
        "arrived",
        "visiting",
        "works",
        "worked",
        "job",
    ];
    static PATIENT_SET: lexicon::WordSet = lexicon::WordSet::new(&[PATIENT_WORDS]);
    // (Nor an age and a sex: "84F", "a 38M".)
    let toks = &doc.tokens;
    let aged = |k: usize| {
        toks.get(k)
            .is_some_and(|n| n.kind == TokKind::Number && n.lower.len() <= 3)
            && toks
                .get(k + 1)
                .is_some_and(|x| matches!(x.lower(), "m" | "f") && doc.gap_before(k + 1).is_empty())
    };
    !sentence
        .filter_map(|k| toks.get(k).map(|t| (k, t)))
        .any(|(k, t)| PATIENT_SET.contains(t.lower()) || aged(k))
}

/// Lists of people's and places' names (census and world names, US places, states and
/// countries, eponyms).
const LISTED: u16 = PROPER | WORLD | EPONYM | STATE;

/// Does a list of names or places hold every word of the span?
fn in_word_lists(doc: &Doc, s: &PhiSpan) -> bool {
    let lx = lexicon::get();
    let first = doc.tokens.partition_point(|t| t.end <= s.start);
    let mut words = doc
        .tokens
        .iter()
        .skip(first)
        .take_while(|t| t.start < s.end);
    let mut any = false;
    let all = words.all(|t| {
        any = true;
        t.kind == TokKind::Word && lex_bits(lx, t.lower()) & LISTED != 0
    });
    any && all
}

/// Drops the places and dates that the judge is sure are no patient's.
pub fn keep(doc: &Doc, spans: &mut Vec<PhiSpan>) {
    let Some(model) = MODEL.as_ref() else {
        return;
    };
    let words = post_words(doc);
    let post_score = model.post_score(&words);
    let quiet = quiet_post(doc, post_score);
    let asked: Vec<usize> = (0..spans.len())
        .filter(|&k| spans.get(k).is_some_and(|s| judged(doc, s, quiet)))
        .collect();
    if asked.is_empty() {
        return;
    }
    let post = Post::new(doc, post_score);
    let mut feats = Vec::with_capacity(64);
    let mut dropped = vec![false; spans.len()];
    for k in asked {
        feats.clear();
        features(doc, &post, spans, k, &mut feats);
        if let Some(d) = dropped.get_mut(k) {
            *d = model.score(&feats) < DROP_BELOW;
        }
    }
    let mut dropped = dropped.into_iter();
    spans.retain(|_| !dropped.next().unwrap_or(false));
}

/// What the features need of the whole post, computed once.
struct Post<'a> {
    /// How many times each word (lower case) comes in the post.
    said: lexicon::HashMap<&'a str, u8>,
    /// Bits: a question mark, a word in the first person, most letters capitals, case that
    /// tells nothing.
    style: u8,
    /// Length in tokens, on a log scale.
    size: u8,
    /// The cue classes of every word of the post.
    cues: u16,
    /// How sure the post's words are that it holds a patient's identifier, in steps of
    /// log-odds; not said of text whose case tells nothing (notes in capitals are not the
    /// posts the post's model learned from).
    quiet: Option<u8>,
}

/// The hashed words of a post, once each, and a bias: what the post's own model reads.
fn post_words(doc: &Doc) -> Vec<usize> {
    // Once each: a bit per row says it is taken.
    let mut seen = vec![0u64; SIZE / 64];
    let mut words = Vec::with_capacity(doc.tokens.len() + 1);
    let bias = model_file::feature_hash(41, b"", b"", b"");
    let hashes = doc.tokens.iter().map(|t| {
        let w: &[u8] = if t.kind == TokKind::Number {
            b"#"
        } else {
            t.lower().as_bytes()
        };
        model_file::feature_hash(40, w, b"", b"")
    });
    for h in hashes.chain(std::iter::once(bias)) {
        let row = model_file::row(h, BITS);
        if let Some(bits) = seen.get_mut(row / 64) {
            let bit = 1u64 << (row % 64);
            if *bits & bit == 0 {
                *bits |= bit;
                words.push(row);
            }
        }
    }
    words
}

/// Is the post one that speaks of no patient: its words' log-odds below [`QUIET_POST`], its
/// writer speaking of themself ("I", "my", "we") or telling of the past (a year before
/// 1980), in text whose case tells (notes in capitals were not among what the post's model
/// learned from)?
fn quiet_post(doc: &Doc, post_score: f32) -> bool {
    post_score < QUIET_POST
        && !doc.shouting
        && doc
            .tokens
            .iter()
            .enumerate()
            .any(|(k, t)| first_person(t.lower()) || a_year_of_history(doc, k))
}

/// A year standing alone before 1980 ("in 1846", "came to Temple in 1979"): the post
/// tells of the past, as a history or an obituary does.
fn a_year_of_history(doc: &Doc, k: usize) -> bool {
    let Some(t) = doc.tokens.get(k) else {
        return false;
    };
    let joined = |gap: &str| gap.ends_with(['/', '-', '.']) || gap.starts_with(['/', '-']);
    t.kind == TokKind::Number
        && t.lower().len() == 4
        && t.lower()
            .parse::<u16>()
            .is_ok_and(|y| (1500..1980).contains(&y))
        && !(k > 0 && joined(doc.gap_before(k)))
        && !joined(doc.gap_after(k))
}

/// A word by which a writer speaks of themself.
fn first_person(w: &str) -> bool {
    matches!(w, "i" | "we" | "my" | "our" | "me" | "us")
}

/// The step of log-odds a post's score falls in, for the span's features.
fn quiet_step(post_score: f32) -> u8 {
    (post_score.clamp(-5.0, 3.0) + 5.0) as u8
}

impl<'a> Post<'a> {
    fn new(doc: &'a Doc, post_score: f32) -> Post<'a> {
        let mut cues = 0u16;
        let mut speaks_of_self = false;
        let mut said: lexicon::HashMap<&'a str, u8> = lexicon::HashMap::default();
        for t in &doc.tokens {
            let n = said.entry(t.lower()).or_insert(0);
            *n = n.saturating_add(1);
            cues |= 1 << cue_of(t.lower()).min(15);
            speaks_of_self |= first_person(t.lower());
        }
        let style = u8::from(doc.text.contains('?'))
            | u8::from(speaks_of_self) << 1
            | u8::from(doc.upper_heavy) << 2
            | u8::from(doc.shouting) << 3;
        Post {
            said,
            style,
            size: (usize::BITS - doc.tokens.len().leading_zeros()) as u8,
            cues,
            quiet: (!doc.shouting).then(|| quiet_step(post_score)),
        }
    }
}

fn kind_code(kind: PhiKind) -> u8 {
    kind as u8
}

/// The hashed features of span `k` of `spans`.
fn features(doc: &Doc, post: &Post, spans: &[PhiSpan], k: usize, out: &mut Vec<usize>) {
    let Some(s) = spans.get(k) else { return };
    let kb = [kind_code(s.kind)];
    let mut f = |id: u8, a: &[u8], b: &[u8]| {
        out.push(model_file::row(
            model_file::feature_hash(id, &kb, a, b),
            BITS,
        ));
    };
    let tokens = &doc.tokens;
    let first = tokens.partition_point(|t| t.end <= s.start);
    let last = tokens.partition_point(|t| t.start < s.end).max(first + 1);
    let word = |j: Option<usize>| -> &[u8] {
        match j.and_then(|j| tokens.get(j)) {
            Some(t) if t.kind == TokKind::Number => b"#",
            Some(t) => t.lower().as_bytes(),
            None => b"<>",
        }
    };
    let value = doc.slice(s.start, s.end).to_lowercase();
    let value = value.as_bytes();
    f(0, b"", b"");
    f(1, value.get(..32).unwrap_or(value), b"");
    let (mut caps, mut titles, mut lowers, mut digits) = (0usize, 0usize, 0usize, 0usize);
    for t in tokens.get(first..last).unwrap_or(&[]) {
        f(2, t.lower().as_bytes(), b"");
        match t.kind {
            TokKind::Number => digits += 1,
            _ if t.all_caps => caps += 1,
            _ if t.capitalized => titles += 1,
            _ => lowers += 1,
        }
    }
    let words = last - first;
    let case = [
        u8::from(caps > 0),
        u8::from(titles > 0),
        u8::from(lowers > 0),
        u8::from(digits > 0),
        words.min(4) as u8,
        post.style >> 2,
    ];
    f(3, &case, b"");
    let lx = lexicon::get();
    let lex = |j: usize| {
        tokens
            .get(j)
            .filter(|t| t.kind == TokKind::Word)
            .map_or(0, |t| lex_bits(lx, t.lower()))
            .to_le_bytes()
    };
    f(4, &lex(first), &case[..4]);
    f(5, &lex(last - 1), b"");
    // The words around it.
    let before = |d: usize| first.checked_sub(d);
    let after = |d: usize| Some(last - 1 + d);
    for d in 1..=3u8 {
        f(6, &[d], word(before(usize::from(d))));
        f(7, &[d], word(after(usize::from(d))));
    }
    f(8, word(before(2)), word(before(1)));
    f(9, word(after(1)), word(after(2)));
    let squeeze = |gap: &str| -> Vec<u8> {
        gap.chars()
            .filter(|c| !c.is_whitespace() || *c == '\n')
            .take(3)
            .map(|c| if c.is_ascii() { c as u8 } else { b'~' })
            .collect()
    };
    let gap_before = if first == 0 {
        b"^".to_vec()
    } else {
        squeeze(doc.gap_before(first))
    };
    let gap_after = if last >= tokens.len() {
        b"$".to_vec()
    } else {
        squeeze(doc.gap_after(last - 1))
    };
    f(10, &gap_before, b"");
    f(11, &gap_after, b"");
    f(12, &gap_before, &gap_after);
    // The cues about people nearby, and in the whole post.
    let cues = |range: std::ops::Range<usize>| {
        tokens
            .get(range)
            .unwrap_or(&[])
            .iter()
            .fold(0u16, |bits, t| bits | 1 << cue_of(t.lower()).min(15))
            .to_le_bytes()
    };
    f(13, &cues(first.saturating_sub(6)..first), b"");
    f(14, &cues(last..(last + 6).min(tokens.len())), b"");
    f(15, &post.cues.to_le_bytes(), b"");
    // The other identifiers in the post: a teaching post names a city and nothing else.
    let mut others = 0usize;
    for (j, o) in spans.iter().enumerate() {
        if j != k {
            others += 1;
            f(16, &[kind_code(o.kind)], b"");
        }
    }
    f(17, &[others.min(6) as u8], b"");
    f(18, &[post.style, post.size], b"");
    // How often the post says its first word.
    let said = tokens
        .get(first)
        .and_then(|t| post.said.get(t.lower()))
        .copied()
        .unwrap_or(0);
    f(19, &[said.min(3)], b"");
    f(
        21,
        &[u8::from(super::notable::is_notable_institution(doc, s))],
        b"",
    );
    // The words of its sentence: "fellowship", "conference", "moving" tell the writer's own
    // places; "admitted", "lives", "daughter" a patient's.
    for j in sentence_of(doc, s) {
        if (j + 4 < first || (j >= last + 3 && j < last + 10))
            && tokens.get(j).is_some_and(|t| t.kind == TokKind::Word)
        {
            f(22, word(Some(j)), b"");
        }
    }
    // How much the post's words speak of a patient at all.
    if let Some(quiet) = post.quiet {
        f(23, &[quiet], b"");
        f(
            24,
            &[quiet, u8::from(super::place_cue_before(doc, s.start))],
            b"",
        );
    }
    let line_start = first == 0 || doc.gap_before(first).contains('\n');
    f(
        20,
        &[u8::from(line_start), u8::from(doc.sentence_start(first))],
        b"",
    );
}

/// Training: logistic regression by averaged stochastic gradient descent over the same
/// features. Used by `examples/phi_judge_train.rs`; returns the bytes of `data/judge.bin`.
pub mod train {
    use super::model_file::Rng;
    use super::*;

    /// One post, the spans the guard flagged in it before the judge, and for each whether
    /// it is a patient's (`None`: not to be learned from, such as a clinician's name); and
    /// whether the post holds any patient's identifier at all.
    pub struct Example {
        pub text: String,
        pub spans: Vec<PhiSpan>,
        pub labels: Vec<Option<bool>>,
        pub has_phi: bool,
    }

    const RATE: f32 = 0.05;
    const POST_RATE: f32 = 0.1;
    /// The post's model is learned in this many parts, each scored by a model that did not
    /// learn from it, so that the judge learns how far to trust it on new text.
    const PARTS: usize = 4;

    /// Trains for `epochs` passes (examples shuffled with `seed`) and returns the model file.
    pub fn train(examples: &[Example], epochs: usize, seed: u64) -> Vec<u8> {
        let docs: Vec<Doc> = examples.iter().map(|ex| Doc::new(&ex.text)).collect();
        let posts: Vec<(Vec<usize>, bool)> = docs
            .iter()
            .zip(examples)
            .map(|(doc, ex)| (post_words(doc), ex.has_phi))
            .collect();
        let post_schedule = Schedule {
            epochs,
            seed,
            rate: POST_RATE,
            per_size: true,
        };
        // Each post's score by a model that never saw it.
        let mut scores = vec![0f32; posts.len()];
        for part in 0..PARTS {
            let others: Vec<(Vec<usize>, bool)> = posts
                .iter()
                .enumerate()
                .filter(|(i, _)| i % PARTS != part)
                .map(|(_, p)| p.clone())
                .collect();
            let w = averaged(&others, post_schedule);
            for (i, (words, _)) in posts.iter().enumerate() {
                if i % PARTS == part {
                    scores[i] = words.iter().filter_map(|&f| w.get(f)).sum();
                }
            }
        }
        // The features of every judged span, computed once.
        let mut items: Vec<(Vec<usize>, bool)> = Vec::new();
        for ((ex, doc), &score) in examples.iter().zip(&docs).zip(&scores) {
            let post = Post::new(doc, score);
            let quiet = quiet_post(doc, score);
            for (k, (s, label)) in ex.spans.iter().zip(&ex.labels).enumerate() {
                let Some(y) = *label else { continue };
                if !judged(doc, s, quiet) {
                    continue;
                }
                let mut feats = Vec::new();
                features(doc, &post, &ex.spans, k, &mut feats);
                items.push((feats, y));
            }
        }
        let span_schedule = Schedule {
            rate: RATE,
            per_size: false,
            ..post_schedule
        };
        let mut weights = averaged(&items, span_schedule);
        weights.extend(averaged(&posts, post_schedule));
        model_file::write(MAGIC, &weights)
    }

    /// How many models, each visiting the examples in its own order, are averaged into one:
    /// a model learnt by stochastic descent depends on the order it saw its examples in, and
    /// the average of a few depends on it much less.
    const RUNS: u64 = 4;

    /// How a model is learnt: passes over the examples, the seed of their order, the step,
    /// and whether each example's step is shared out over its features (a post's words, many
    /// or few).
    #[derive(Clone, Copy)]
    struct Schedule {
        epochs: usize,
        seed: u64,
        rate: f32,
        per_size: bool,
    }

    /// The mean of [`RUNS`] models of [`logistic`], each with its own seed.
    fn averaged(items: &[(Vec<usize>, bool)], schedule: Schedule) -> Vec<f32> {
        // Each epoch visits the examples in an order drawn from each example's own content,
        // so that adding or removing one example leaves the others' order alone: a small
        // change to the training sets makes a small change to the model.
        let identity: Vec<u64> = items
            .iter()
            .map(|(feats, y)| {
                feats
                    .iter()
                    .fold(u64::from(*y), |h, &f| Rng(h ^ f as u64).next())
            })
            .collect();
        let mut sum = vec![0f32; SIZE];
        for run in 0..RUNS {
            let seed = schedule.seed.wrapping_add(run);
            let w = logistic(items, &identity, Schedule { seed, ..schedule });
            for (s, x) in sum.iter_mut().zip(w) {
                *s += x / RUNS as f32;
            }
        }
        sum
    }

    /// Averaged logistic regression over hashed features, the examples visited in the order
    /// their `identity` and the seed draw.
    fn logistic(items: &[(Vec<usize>, bool)], identity: &[u64], schedule: Schedule) -> Vec<f32> {
        let Schedule {
            epochs,
            seed,
            rate,
            per_size,
        } = schedule;
        let mut w = vec![0f32; SIZE];
        let mut acc = vec![0f32; SIZE];
        let mut stamp = vec![0u64; SIZE];
        let mut step: u64 = 1;
        let mut order: Vec<usize> = (0..items.len()).collect();
        for epoch in 0..epochs {
            let round = Rng(seed ^ (epoch as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)).next();
            order.sort_by_key(|&i| (identity.get(i).map_or(0, |&h| Rng(h ^ round).next()), i));
            let mut loss = 0f64;
            for &i in &order {
                let Some((feats, y)) = items.get(i) else {
                    continue;
                };
                let z: f32 = feats.iter().filter_map(|&f| w.get(f)).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let target = if *y { 1.0 } else { 0.0 };
                loss -= f64::from(if *y { p } else { 1.0 - p }).max(1e-9).ln();
                let share = if per_size {
                    (feats.len().max(1) as f32).sqrt()
                } else {
                    1.0
                };
                let g = rate * (target - p) / share;
                for &f in feats {
                    let since = (step - stamp[f]) as f32;
                    acc[f] += since * w[f];
                    stamp[f] = step;
                    w[f] += g;
                }
                step += 1;
            }
            eprintln!(
                "epoch {}: mean loss {:.4} over {} examples",
                epoch + 1,
                loss / items.len().max(1) as f64,
                items.len()
            );
        }
        (0..SIZE)
            .map(|f| (acc[f] + (step - stamp[f]) as f32 * w[f]) / step as f32)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lounge::phi::{scan, scan_with, Detectors};

    fn flagged(text: &str, judge: bool) -> Vec<(&str, PhiKind)> {
        let which = Detectors {
            judge,
            ..Detectors::ALL
        };
        scan_with(text, which)
            .into_iter()
            .map(|s| (text.get(s.start..s.end).unwrap_or("?"), s.kind))
            .collect()
    }

    #[test]
    fn places_and_dates_of_no_patient_are_dropped() {
        for text in [
            "PSA for Thanksgiving week: our OR is closed Thursday, elective cases move to Friday.",
            "What do you wish you'd known in July as a new intern?",
            "Cleveland Clinic published their protocol for this last year, worth a read.",
        ] {
            // The detectors flag them; the judge, reading the whole post, drops them.
            assert!(!flagged(text, false).is_empty(), "{text}");
            assert_eq!(flagged(text, true), [], "{text}");
        }
    }

    #[test]
    fn a_town_after_in_is_weighed_only_in_a_sentence_that_speaks_of_no_patient() {
        let whole = |doc: &Doc| 0..doc.tokens.len();
        let quiet =
            Doc::new("Anyone going to SHM Converge in Las Vegas next spring? Need a roommate.");
        assert!(says_no_patient(&quiet, whole(&quiet)));
        // A patient's words in the sentence leave "in Fresno" to the rules.
        for text in [
            "we live in Fresno now so the old address is wrong",
            "Case question: 84F, ESRD on PD, in Tonopah, cloudy effluent",
            "my mom is in Fresno this week",
            "Quick question. My patient is in Fresno this week, can't make clinic.",
        ] {
            assert!(
                flagged(text, true)
                    .iter()
                    .any(|(_, k)| *k == PhiKind::Location),
                "{text}"
            );
        }
        // The sentence is the span's: a patient in another sentence says nothing of
        // the writer's own move.
        let text = "Pt is 84F with AF. Unrelated: I'm moving to Spokane in June.";
        let doc = Doc::new(text);
        let start = text.find("Spokane").unwrap_or(0);
        let span = PhiSpan {
            start,
            end: start + "Spokane".len(),
            kind: PhiKind::Location,
        };
        assert!(!says_no_patient(&doc, whole(&doc)));
        assert!(says_no_patient(&doc, sentence_of(&doc, &span)));
        assert_eq!(
            doc.slice(
                doc.tokens[sentence_of(&doc, &span).start].start,
                doc.tokens[sentence_of(&doc, &span).end - 1].end
            ),
            "Unrelated: I'm moving to Spokane in June"
        );
    }

    #[test]
    fn a_patient_s_places_and_dates_stay() {
        for text in [
            "Consult: Mrs. Okafor, 93, Rochester, fell at home on 3/14, daughter Ada at bedside.",
            "Bed 4 - Tran, 82M, aspiration PNA. Lives alone in Rochester. Seen 11/2 by PCP.",
            "TRANSFERRED TO GBMC 7/23 FOR CATH.",
        ] {
            let without = flagged(text, false);
            assert!(without.len() >= 2, "{text}: {without:?}");
            assert_eq!(flagged(text, true), without, "{text}");
        }
    }

    /// Is `value`, flagged as `kind` in `text`, weighed by the judge in a post that is quiet
    /// or not?
    fn judged_in_post(text: &str, value: &str, kind: PhiKind, quiet: bool) -> bool {
        let doc = Doc::new(text);
        let start = text.find(value).unwrap_or(0);
        let span = PhiSpan {
            start,
            end: start + value.len(),
            kind,
        };
        judged(&doc, &span, quiet)
    }

    #[test]
    fn names_words_of_no_list_and_places_after_a_cue_are_never_judged() {
        let judged_in =
            |text: &str, value: &str, kind: PhiKind| judged_in_post(text, value, kind, false);
        assert!(!judged_in(
            "Kwame Diallo, 27M, HbSS",
            "Kwame Diallo",
            PhiKind::Name
        ));
        assert!(!judged_in("to GBMC for cath", "GBMC", PhiKind::Location));
        assert!(!judged_in(
            "she lives in Rochester",
            "Rochester",
            PhiKind::Location
        ));
        assert!(!judged_in(
            "Nicholson states he",
            "Nicholson",
            PhiKind::Location
        ));
        assert!(!judged_in("MRN 00981234", "00981234", PhiKind::Mrn));
        assert!(judged_in(
            "Rochester winters are long",
            "Rochester",
            PhiKind::Location
        ));
        assert!(judged_in("since July", "July", PhiKind::Date));
    }

    #[test]
    fn a_post_that_speaks_of_no_patient_has_its_names_weighed_unless_a_person_word_comes_first() {
        let history = "We read about Osler and Halsted at Hopkins in 1889 today.";
        assert!(judged_in_post(history, "Halsted", PhiKind::Name, true));
        // Not in a post that may speak of a patient.
        assert!(!judged_in_post(history, "Halsted", PhiKind::Name, false));
        // Not after a title or a relation, even in a quiet post.
        let visit = "My locum ended early: I flew home when my daughter Maria got sick.";
        assert!(!judged_in_post(visit, "Maria", PhiKind::Name, true));
        assert!(!judged_in_post(
            "I called Mrs. Okafor",
            "Okafor",
            PhiKind::Name,
            true
        ));
    }

    #[test]
    fn a_post_that_speaks_of_no_patient_has_its_cued_places_weighed() {
        let career = "Career question for the group: I have two offers, one academic with \
            protected research time and one private group with better pay and worse call. I \
            grew up in Tupelo, trained in Jackson, and my spouse wants to stay near family. \
            How did you decide? Did you regret the money or the time more?";
        let case = "Pt is 84F with AF, came in from Tupelo last night with RVR, daughter at \
            bedside, wants her home meds reconciled.";
        let Some(model) = MODEL.as_ref() else {
            panic!("the shipped judge loads")
        };
        let score = |text: &str| model.post_score(&post_words(&Doc::new(text)));
        assert!(score(career) < QUIET_POST, "{}", score(career));
        assert!(score(case) > 0.0, "{}", score(case));
        let tupelo = |text: &str| flagged(text, true).iter().any(|(v, _)| *v == "Tupelo");
        // The rules find the town after "in" in both; only the case's stays.
        assert!(flagged(career, false).iter().any(|(v, _)| *v == "Tupelo"));
        assert!(!tupelo(career));
        assert!(tupelo(case));
        // Nor is a post in capitals, or one whose writer never speaks of themself, quiet.
        let doc = Doc::new("PT FROM TUPELO, STABLE OVERNIGHT, NO EVENTS");
        assert!(!quiet_post(&doc, -10.0));
        let doc = Doc::new("The conference is in Tupelo this year, registration is open.");
        assert!(!quiet_post(&doc, -10.0));
    }

    #[test]
    fn a_model_file_is_read_only_whole() {
        assert!(load(b"").is_none());
        assert!(load(b"HPHIJDG2\0\0\x80\x3f").is_none());
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&1.0f32.to_le_bytes());
        bytes.resize(12 + 2 * SIZE * 2, 0);
        assert!(load(&bytes).is_some());
        bytes.push(0);
        assert!(load(&bytes).is_none());
        // The shipped model is whole, so the guard runs with its judge.
        assert!(MODEL.is_some());
        assert!(!scan("Mrs. Okafor lives in Rochester.").is_empty());
    }

    #[test]
    fn training_learns_from_the_labels() {
        let post = |text: &str, place: &str, patient: bool| {
            let start = text.find(place).unwrap_or(0);
            train::Example {
                text: text.to_string(),
                spans: vec![PhiSpan {
                    start,
                    end: start + place.len(),
                    kind: PhiKind::Location,
                }],
                labels: vec![Some(patient)],
                has_phi: patient,
            }
        };
        let mut examples = Vec::new();
        for _ in 0..20 {
            examples.push(post(
                "Rochester winters are long, any tips?",
                "Rochester",
                false,
            ));
            examples.push(post(
                "Rochester, 93F, fell, daughter called",
                "Rochester",
                true,
            ));
        }
        let model = load(&train::train(&examples, 5, 1)).expect("a model file");
        let score = |ex: &train::Example| {
            let doc = Doc::new(&ex.text);
            let mut feats = Vec::new();
            features(&doc, &Post::new(&doc, 0.0), &ex.spans, 0, &mut feats);
            model.score(&feats)
        };
        assert!(score(&examples[0]) < DROP_BELOW, "{}", score(&examples[0]));
        assert!(score(&examples[1]) > 0.0, "{}", score(&examples[1]));
        // The post's model learns which words speak of a patient.
        let post = |ex: &train::Example| model.post_score(&post_words(&Doc::new(&ex.text)));
        assert!(post(&examples[0]) < post(&examples[1]));
    }
}
