//! People and institutions everyone knows: "Alexander Fleming's mould plate", "Norman
//! Shumway at Stanford", "I trained at Mayo Clinic". Physicians name them in teaching,
//! history and career talk; they identify no patient.
//!
//! A flagged name is let go when the capitalized words around it spell a notable person
//! in full (`data/notable_people.txt`) and nothing before it says a patient or a relative
//! ("Mr.", "my", "patient"). A flagged place or name that spells a notable institution
//! (`data/notable_institutions.txt`) is read as a place and left to the judge, which asks
//! whether the post speaks of a patient there ("transferred to Mayo") or not ("fellowship
//! at Mayo").

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::{self, Lexicon};
use super::text::{self, Doc, TokKind};
use super::{PhiKind, PhiSpan};

/// The words of the capitalized run the span sits in (at most two more on each side, on
/// one line, single spaces or hyphens between), lower case, possessives dropped, with the
/// index of the first and last word the span covers.
fn run_around(doc: &Doc, s: &PhiSpan) -> Option<(Vec<String>, usize, usize)> {
    let toks = &doc.tokens;
    let first = toks.partition_point(|t| t.end <= s.start);
    let last = toks.partition_point(|t| t.start < s.end).checked_sub(1)?;
    if last < first {
        return None;
    }
    // Most spans hold no word of a notable name: no run to build.
    let lx = lexicon::get();
    let notable = toks.get(first..=last)?.iter().any(|t| {
        let w = t.lower();
        lx.is_notable_word(&w[..w.len() - text::possessive_len(w)])
    });
    if !notable {
        return None;
    }
    let titled = |k: usize| {
        toks.get(k)
            .is_some_and(|t| t.kind == TokKind::Word && (t.capitalized || doc.shouting))
    };
    let joined = |k: usize| matches!(doc.gap_before(k), " " | "-");
    let mut a = first;
    while a > 0 && first - a < 2 && titled(a - 1) && joined(a) {
        a -= 1;
    }
    let mut b = last;
    while b + 1 < toks.len() && b - last < 2 && titled(b + 1) && joined(b + 1) {
        b += 1;
    }
    let words = toks
        .get(a..=b)?
        .iter()
        .map(|t| {
            let w = t.lower();
            w[..w.len() - text::possessive_len(w)].to_string()
        })
        .collect();
    Some((words, first - a, last - a))
}

/// Does a run of words that covers the span spell an entry of `is_listed`?
fn spells(doc: &Doc, s: &PhiSpan, is_listed: impl Fn(&Lexicon, &str) -> bool) -> bool {
    let Some((words, first, last)) = run_around(doc, s) else {
        return false;
    };
    let lx = lexicon::get();
    (0..=first).any(|i| {
        (last..words.len()).any(|j| {
            words
                .get(i..=j)
                .is_some_and(|run| is_listed(lx, &run.join(" ")))
        })
    })
}

/// An age, a sex or a record right after a name: a patient's ("John Snow, 45M", "(DOB").
static PATIENT_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^[ \t]*[,(\-]?[ \t]*(?:\d{1,3}[ \t]?(?:[mf]\b|yo\b|y/o|-?year)|dob\b|mrn\b|age\b|born\b)")
        .ok()
});

/// Does something around the span say it is a patient's name: a title or a relation
/// before it, a field of a patient ("Patient John Snow", "Re: ..."), or an age, a sex or a
/// record after it?
fn said_of_a_patient(doc: &Doc, s: &PhiSpan) -> bool {
    let word_before = super::word_before_lower(doc, s.start, &[':']);
    let field = matches!(
        word_before.as_str(),
        "patient" | "pt" | "name" | "re" | "client" | "resident" | "subject"
    );
    let end = doc
        .tokens
        .iter()
        .skip_while(|t| t.end <= s.end)
        .take_while(|t| t.kind == TokKind::Word && (t.capitalized || doc.shouting))
        .take(2)
        .last()
        .map_or(s.end, |t| t.end);
    field
        || super::person_cue_before(doc, s.start)
        || PATIENT_AFTER
            .as_ref()
            .is_some_and(|r| r.is_match(doc.after(end, 24)))
}

/// Is the span a notable person named in full, with nothing around it that says a patient?
/// (A place too: "George Huntington" is no town of Huntington.)
pub fn is_notable_person(doc: &Doc, s: &PhiSpan) -> bool {
    matches!(s.kind, PhiKind::Name | PhiKind::Location)
        && spells(doc, s, Lexicon::is_notable_person)
        && !said_of_a_patient(doc, s)
}

/// Reads as places the flagged names and places that spell a notable institution ("Mayo",
/// "Johns Hopkins"), so that the judge weighs them.
pub fn institutions_as_places(doc: &Doc, found: &mut [PhiSpan]) {
    for s in found.iter_mut() {
        if matches!(s.kind, PhiKind::Name | PhiKind::Location)
            && !super::person_cue_before(doc, s.start)
            && spells(doc, s, Lexicon::is_notable_institution)
        {
            s.kind = PhiKind::Location;
        }
    }
}

/// Is the span (a place) a notable institution? For the judge.
pub fn is_notable_institution(doc: &Doc, s: &PhiSpan) -> bool {
    s.kind == PhiKind::Location && spells(doc, s, Lexicon::is_notable_institution)
}

/// Words of a patient's care or movement just before an institution: "transferred to",
/// "seen at", "records from", "surgery at", "pt".
pub fn care_before(doc: &Doc, start: usize) -> bool {
    const CARE: &[&str] = &[
        "from",
        "to",
        "into",
        "transferred",
        "transfer",
        "transferring",
        "sent",
        "admitted",
        "seen",
        "followed",
        "follows",
        "referred",
        "referral",
        "accepted",
        "records",
        "outside",
        "discharged",
        "treated",
        "evaluated",
        "eval",
        "surgery",
        "biopsy",
        "appointment",
        "appt",
        "visit",
        "admission",
        "stay",
        "pt",
        "patient",
        "his",
        "her",
        "their",
        "my",
        "went",
        "goes",
        "going",
        "flown",
        "airlifted",
    ];
    doc.before(start, 40)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(4)
        .any(|w| CARE.contains(&w.to_lowercase().as_str()))
}

/// "in", "at" or "near" right before a place: where someone is, not where someone came
/// from or goes ("from", "to" stay the rules' call in every post).
pub fn stay_cue_before(doc: &Doc, start: usize) -> bool {
    matches!(
        super::word_before_lower(doc, start, &[]).as_str(),
        "in" | "at" | "near"
    )
}
