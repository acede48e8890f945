//! Names of the patient and of relatives, found next to a cue: a title ("Mr. Lee"), a
//! relation before or after the name ("son Bill", "Hank Ortiz (son)", "his wife, Carol
//! Buckley"), or a first name and surname that are both in the census lists. Clinicians
//! ("Dr. Smith", "J. Chang PA", "Ann RN") are left alone: [`clinicians`] finds them so that
//! no detector flags them.

use super::lexicon::{self, is_function_word, Lexicon};
use super::places::name_like;
use super::text::{Doc, TokKind, Token};
use super::{PhiKind, PhiSpan};

/// Words for the people around a patient, whose names are PHI.
const RELATIONS: &[&str] = &[
    "son",
    "sons",
    "daughter",
    "daughters",
    "dtr",
    "dau",
    "wife",
    "husband",
    "spouse",
    "sister",
    "sisters",
    "brother",
    "brothers",
    "mother",
    "mom",
    "father",
    "dad",
    "niece",
    "nephew",
    "grandson",
    "granddaughter",
    "grandaughter",
    "grandchild",
    "grandchildren",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "cousin",
    "friend",
    "friends",
    "fiance",
    "fiancee",
    "boyfriend",
    "girlfriend",
    "partner",
    "proxy",
    "hcp",
    "guardian",
    "neighbor",
    "neighbour",
    "sibling",
    "siblings",
    "child",
    "children",
    "stepson",
    "stepdaughter",
    "son-in-law",
    "daughter-in-law",
    "sister-in-law",
    "brother-in-law",
    "mother-in-law",
    "father-in-law",
    "roommate",
    "caregiver",
    "companion",
    "pastor",
    "priest",
    "rabbi",
    "minister",
    "chaplain",
    "employer",
    "landlord",
    "relative",
    "relatives",
    "visitor",
    "visitors",
    "grandma",
    "grandpa",
    "stepmother",
    "stepfather",
    "godson",
    "goddaughter",
    "fiance's",
];

/// Titles of a layperson: what follows is a patient's or a relative's name.
const LAY_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mister", "mssr", "messrs", "mrs's",
];

/// Titles and roles of clinicians, before a name.
const CLINICIAN_BEFORE: &[&str] = &[
    "dr",
    "drs",
    "doctor",
    "doctors",
    "dr's",
    "prof",
    "professor",
    "np",
    "pa",
    "rn",
    "md",
    "attending",
    "resident",
    "intern",
    "fellow",
    "nurse",
    "rrt",
    "rt",
    "ho",
    "cardiologist",
    "surgeon",
    "pcp",
    "physician",
    "nephrologist",
    "neurologist",
    "intensivist",
    "sw",
    "therapist",
    "chaplain",
    "pharmacist",
    "dietitian",
    "nutritionist",
    "hospitalist",
    "oncologist",
    "anesthesiologist",
    "anesthesia",
    "charge",
    "rn's",
    "np's",
    "md's",
];

/// Credentials after a clinician's name ("Ann Lee, RN").
const CLINICIAN_AFTER: &[&str] = &[
    "rn",
    "md",
    "np",
    "pa",
    "pa-c",
    "rrt",
    "crt",
    "cns",
    "do",
    "dpm",
    "phd",
    "pharmd",
    "lpn",
    "cna",
    "licsw",
    "lcsw",
    "msw",
    "sw",
    "ot",
    "otr",
    "dpt",
    "slp",
    "ccc",
    "cnm",
    "crna",
    "bsn",
    "msn",
    "arnp",
    "aprn",
    "fnp",
    "acnp",
    "mph",
    "facc",
    "facs",
    "rd",
    "ldn",
    "ms",
    "rph",
    "emt",
    "paramedic",
    "resident",
    "intern",
    "fellow",
    "attending",
];

pub fn find(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let w = t.lower.as_str();
        if LAY_TITLES.contains(&w) {
            // "Mr. Lee", "MRS JONES"; not "MS: alert" (mental status) nor "Mr. and Mrs.".
            let start = i + 1;
            let gap = doc.gap_before(start);
            let gap_ok = matches!(gap, " " | ". " | "." | "  ");
            let strong = toks.get(start).is_some_and(|n| {
                n.kind == TokKind::Word
                    && !is_function_word(&n.lower)
                    && !lx.is_clinical(&n.lower)
                    && !RELATIONS.contains(&n.lower.as_str())
                    && (lx.is_name(&n.lower) || !lx.is_english(&n.lower))
                    && (w != "ms" || gap.starts_with('.') || !lx.is_english(&n.lower))
            });
            if gap_ok && strong {
                take_names(doc, lx, start, false, out);
            }
        } else if RELATIONS.contains(&w) || w.ends_with("-in-law") {
            after_relation(doc, lx, i, out);
            before_relation(doc, lx, i, out);
        } else if let Some((rel, rest)) = w.split_once('-') {
            // "DAUGHTER-KRISSY": a relation and a name joined by a hyphen.
            let name_ok = !rest.contains("law")
                && !is_function_word(rest)
                && !lx.is_clinical(rest)
                && (lx.is_first_name(rest) || !lx.is_english(rest));
            if RELATIONS.contains(&rel) && name_ok {
                out.push(PhiSpan {
                    start: t.start + rel.len() + 1,
                    end: t.end,
                    kind: PhiKind::Name,
                });
            }
        }
    }
    full_names(doc, lx, out);
}

/// Could this token be (part of) a layperson's name? `cued`: a title or relation word is
/// right before it, so a census first name counts even if it is also an English word.
fn lay_name_token(doc: &Doc, lx: &Lexicon, t: &Token, cued: bool) -> bool {
    if t.kind != TokKind::Word || is_function_word(&t.lower) || lx.is_clinical(&t.lower) {
        return false;
    }
    if RELATIONS.contains(&t.lower.as_str())
        || NOT_NAMES.contains(&t.lower.as_str())
        || lx.is_state_or_country(&t.lower)
    {
        return false;
    }
    let single_letter = t.lower.chars().count() == 1;
    if single_letter {
        return (doc.shouting || t.capitalized) && cued;
    }
    let english = lx.is_english(&t.lower);
    if !doc.shouting && !t.capitalized {
        // Lower case in mixed text: only a census first name after a cue ("son bill").
        cued && lx.is_first_name(&t.lower)
    } else if doc.shouting {
        // No help from case: a census name, or a word that is not English and not shaped
        // like one (misspelt words of notes end in "-tion", "-ing", "-ly"...).
        (cued && lx.is_first_name(&t.lower)) || (!english && !word_shaped(&t.lower))
    } else {
        cued || !english || lx.is_name(&t.lower)
    }
}

/// Endings of English words, to tell a misspelt word ("PRAUUATIONS") from a name.
fn word_shaped(w: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "tion", "tions", "sion", "ing", "ings", "ly", "ment", "ness", "ous", "ive", "able", "ible",
        "ated", "ation", "ity", "ized", "ised", "ies", "ful", "less", "ence", "ance",
    ];
    w.contains(['\'', '\u{2019}'])
        || ENDINGS
            .iter()
            .any(|e| w.len() > e.len() + 2 && w.ends_with(e))
}

/// English words that follow relation words in notes and are census names too.
const NOT_NAMES: &[&str] = &[
    "will", "may", "said", "says", "very", "also", "here", "home", "aware", "updated", "in", "law",
    "all", "both", "who", "can", "did", "does", "has", "was", "were", "came", "left", "visiting",
    "present", "patient", "pt", "both", "notified", "involved", "wishes", "wants", "hopes", "hope",
    "feels", "asked", "agreed", "requests", "per", "and", "or", "if",
];

/// Names right after a relation word: "son Bill", "wife, Carol Buckley", "daughter is Ann".
fn after_relation(doc: &Doc, lx: &Lexicon, i: usize, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    let mut k = i + 1;
    // Skip "named", "is", "'s name is" and similar fillers.
    for _ in 0..3 {
        match toks.get(k).map(|t| t.lower.as_str()) {
            Some("named" | "is" | "name" | "called" | "s" | "of" | "mr" | "mrs" | "ms") => k += 1,
            _ => break,
        }
    }
    let gap = doc.gap_before(k);
    let gap_ok = gap.len() <= 4
        && gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, ',' | ':' | '-' | '(' | '\'' | '='));
    if !gap_ok {
        return;
    }
    if toks
        .get(k)
        .is_some_and(|t| lay_name_token(doc, lx, t, true))
    {
        take_names(doc, lx, k, true, out);
    }
}

/// Takes a name of up to four words starting at token `k` and, when `list` is set, further
/// names joined by ",", "and" or "&" ("Sons Smokey, Morris and Roger").
fn take_names(doc: &Doc, lx: &Lexicon, k: usize, list: bool, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    let mut start = k;
    let mut names = 0;
    while names < 5 {
        let Some(first) = toks.get(start) else { return };
        let mut end = first.end;
        let mut m = start + 1;
        while m < start + 4 {
            let Some(n) = toks.get(m) else { break };
            let gap = doc.gap_before(m);
            let joined = matches!(gap, " " | ". " | "." | "-");
            if !joined || !lay_name_token(doc, lx, n, false) {
                break;
            }
            // In lower-case mixed text only census names continue a name.
            if !doc.shouting && !n.capitalized && !lx.is_name(&n.lower) {
                break;
            }
            end = n.end;
            m += 1;
        }
        out.push(PhiSpan {
            start: first.start,
            end,
            kind: PhiKind::Name,
        });
        names += 1;
        if !list {
            return;
        }
        // Another name after ", " / " and " / " & " / "/".
        let gap = doc.gap_before(m);
        let mut next = m;
        if matches!(gap.trim(), "," | "&" | "/") {
        } else if toks.get(m).is_some_and(|t| t.lower == "and") {
            next = m + 1;
        } else {
            return;
        }
        match toks.get(next) {
            Some(n)
                if lay_name_token(doc, lx, n, true)
                    && (lx.is_first_name(&n.lower) || (!doc.shouting && n.capitalized)) =>
            {
                start = next;
            }
            _ => return,
        }
    }
}

/// Names right before a relation in brackets or after a dash: "Hank Ortiz (son)".
fn before_relation(doc: &Doc, lx: &Lexicon, i: usize, out: &mut Vec<PhiSpan>) {
    if i == 0 {
        return;
    }
    let gap = doc.gap_before(i);
    let trimmed = gap.trim();
    if !(trimmed == "(" || trimmed == "-" || trimmed == "--" || trimmed == "," || trimmed == "- ") {
        return;
    }
    let toks = &doc.tokens;
    let mut first = i;
    let mut j = i;
    while j > 0 && i - j < 3 {
        let Some(prev) = toks.get(j - 1) else { break };
        if j < i {
            let g = doc.gap_after(j - 1);
            if !matches!(g, " " | ". " | "." | "-") {
                break;
            }
        }
        let strong = lay_name_token(doc, lx, prev, false)
            && (lx.is_name(&prev.lower) || !lx.is_english(&prev.lower))
            && (doc.shouting || prev.capitalized);
        if !strong {
            break;
        }
        first = j - 1;
        j -= 1;
    }
    if first < i {
        if let (Some(a), Some(b)) = (toks.get(first), toks.get(i - 1)) {
            out.push(PhiSpan {
                start: a.start,
                end: b.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// "Carol Buckley", "John A. Smith": a census first name then a census surname that is not
/// an English word, both capitalized. A census first name that is no English word stands
/// for a person on its own too ("Natalie woke up", "per DAVID").
fn full_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if !name_like(doc, lx, t) || !lx.is_first_name(&t.lower) || t.lower.len() < 2 {
            continue;
        }
        let english = lx.is_english(&t.lower);
        if !english
            && t.lower.chars().count() >= 3
            && !lx.is_place(&t.lower)
            && !lx.is_state_or_country(&t.lower)
            && !NOT_NAMES.contains(&t.lower.as_str())
            && !super::dates::is_day_or_month(&t.lower)
            && (doc.shouting || !t.all_caps)
        {
            out.push(PhiSpan {
                start: t.start,
                end: t.end,
                kind: PhiKind::Name,
            });
        }
        if doc.shouting && english {
            continue;
        }
        let mut j = i + 1;
        // Optional middle initial.
        if toks
            .get(j)
            .is_some_and(|m| m.lower.chars().count() == 1 && m.capitalized)
            && matches!(doc.gap_after(i), " ")
            && matches!(doc.gap_after(j), ". " | " ")
        {
            j += 1;
        } else if doc.gap_after(i) != " " {
            continue;
        }
        let Some(last) = toks.get(j) else { continue };
        let surname = name_like(doc, lx, last)
            && lx.is_surname(&last.lower)
            && !lx.is_english(&last.lower)
            && last.lower.len() >= 2;
        if surname {
            out.push(PhiSpan {
                start: t.start,
                end: last.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// Byte ranges of clinicians' names: after "Dr."/"Doctor"/a role, or before a credential.
pub fn clinicians(doc: &Doc) -> Vec<(usize, usize)> {
    let lx = lexicon::get();
    let toks = &doc.tokens;
    let mut out = Vec::new();
    let is_part = |t: &Token| -> bool {
        t.kind == TokKind::Word
            && !is_function_word(&t.lower)
            && !lx.is_clinical(&t.lower)
            && !RELATIONS.contains(&t.lower.as_str())
    };
    for (i, t) in toks.iter().enumerate() {
        let w = t.lower.as_str();
        if CLINICIAN_BEFORE.contains(&w) {
            // Up to three name words after the title.
            let mut end = None;
            let mut m = i + 1;
            while m <= i + 3 {
                let Some(n) = toks.get(m) else { break };
                let gap = doc.gap_before(m);
                let ok_gap = gap.len() <= 3
                    && gap
                        .chars()
                        .all(|c| c.is_whitespace() || c == '.' || c == ',' || c == ':');
                let ok = ok_gap
                    && is_part(n)
                    && (m == i + 1
                        || n.capitalized
                        || lx.is_name(&n.lower)
                        || !lx.is_english(&n.lower));
                if !ok {
                    break;
                }
                // A credential-like title is only a clinician cue when it is a real title
                // ("Dr", "Doctor") or what follows is name-shaped.
                if m == i + 1
                    && !matches!(w, "dr" | "drs" | "doctor" | "dr's" | "prof" | "professor")
                    && !lx.is_name(&n.lower)
                    && lx.is_english(&n.lower)
                {
                    break;
                }
                end = Some(n.end);
                m += 1;
                // After "Dr." take one name unless the next word is also a name.
                if let Some(nx) = toks.get(m) {
                    let name_next = lx.is_name(&nx.lower) && !lx.is_english(&nx.lower);
                    let capital_next = nx.capitalized && !doc.shouting;
                    if !name_next && !capital_next {
                        break;
                    }
                }
            }
            if let Some(end) = end {
                if let Some(first) = toks.get(i + 1) {
                    out.push((first.start, end));
                }
            }
        }
        if CLINICIAN_AFTER.contains(&w) && i > 0 {
            // "Towson, MD 21204": a state after a town, not a credential after a name.
            let zip_next = toks
                .get(i + 1)
                .is_some_and(|n| n.kind == TokKind::Number && n.lower.len() == 5);
            let town_before = toks
                .get(i - 1)
                .is_some_and(|p| lx.is_place(&p.lower) && !lx.is_name(&p.lower));
            if zip_next || town_before {
                continue;
            }
            let gap = doc.gap_before(i);
            if !(gap.len() <= 3
                && gap
                    .chars()
                    .all(|c| c.is_whitespace() || c == ',' || c == '-'))
            {
                continue;
            }
            let mut first = None;
            let mut j = i;
            while j > 0 && i - j < 3 {
                let Some(p) = toks.get(j - 1) else { break };
                if !is_part(p) || !(p.capitalized || lx.is_name(&p.lower)) {
                    break;
                }
                if j < i && !matches!(doc.gap_after(j - 1), " " | ". " | ".") {
                    break;
                }
                first = Some(p.start);
                j -= 1;
            }
            if let (Some(s), Some(prev)) = (first, toks.get(i - 1)) {
                out.push((s, prev.end));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;

    fn names(text: &str) -> Vec<String> {
        scan(text)
            .into_iter()
            .filter(|s| s.kind == PhiKind::Name)
            .map(|s| text.get(s.start..s.end).unwrap_or("?").to_string())
            .collect()
    }

    #[test]
    fn names_after_cues() {
        assert_eq!(names("Mr. Howard Stein was admitted"), ["Howard Stein"]);
        assert_eq!(
            names("his wife, Carol Buckley (201/324/1423)"),
            ["Carol Buckley"]
        );
        assert_eq!(names("social- son bill in to visit."), ["bill"]);
        assert_eq!(
            names("SONS SMOKEY, MORRIS AND ROGER IN TO VISIT"),
            ["SMOKEY", "MORRIS", "ROGER"]
        );
        assert_eq!(names("Hank Przybylo (son) cell"), ["Hank Przybylo"]);
        assert_eq!(names("DAUGHTER-KRISSY---301 944-5032"), ["KRISSY"]);
        assert_eq!(names("met with Maria Gonzalez today"), ["Maria Gonzalez"]);
    }

    #[test]
    fn relation_words_without_a_name() {
        for t in [
            "son in to visit, wife at bedside",
            "DAUGHTER CALLED AND WAS UPDATED",
            "WIFE VERY SUPPORTIVE",
            "husband present, family aware",
            "Parkinson disease, Foley in place, Swan removed",
        ] {
            assert!(names(t).is_empty(), "{t}: {:?}", names(t));
        }
    }

    #[test]
    fn clinicians_are_left_alone() {
        for t in [
            "Dr. Smith aware",
            "DR GATEMAN AWARE",
            "paged Dr Vasquez re: BP",
            "spoke with Ann Lee, RN",
            "per Dr. John Smith",
        ] {
            assert!(names(t).is_empty(), "{t}: {:?}", names(t));
        }
    }
}
