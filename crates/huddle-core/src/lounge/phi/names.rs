//! Names of the patient and of relatives, found next to a cue: a title ("Mr. Lee"), a
//! relation before or after the name ("son Bill", "Hank Ortiz (son)", "his wife, Carol
//! Buckley"), or a first name and surname that are both in the census lists. Clinicians
//! ("Dr. Smith", "J. Chang PA", "Ann RN") are left alone: [`clinicians`] finds them so that
//! no detector flags them.

use std::sync::LazyLock;

use super::lexicon::{self, is_function_word, Lexicon, WordSet};
use super::places::name_like;
use super::text::{Doc, TokKind, Token};
use super::{PhiKind, PhiSpan};

/// Words for the people around a patient, whose names are PHI.
pub(super) const RELATIONS: &[&str] = &[
    "parent",
    "parents",
    "kid",
    "kids",
    "auntie",
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
    "lawyer",
    "attorney",
    "poa",
    "spokesperson",
    "conservator",
    // The same relations in the languages patients and relatives write in ("su hija
    // Yarelis", "mon mari Ronel", "anak ni Ambrosio", "walaalkiis Cali").
    "esposo",
    "esposa",
    "hijo",
    "hija",
    "nieto",
    "nieta",
    "hermano",
    "hermana",
    "abuela",
    "abuelo",
    "suegra",
    "suegro",
    "sobrino",
    "sobrina",
    "marido",
    "filho",
    "filha",
    "neto",
    "neta",
    "irm\u{e3}o",
    "irm\u{e3}",
    "av\u{f3}",
    "av\u{f4}",
    "m\u{e3}e",
    "sogra",
    "sogro",
    "mari",
    "\u{e9}pouse",
    "\u{e9}poux",
    "fille",
    "fils",
    "fr\u{e8}re",
    "s\u{153}ur",
    "soeur",
    "maman",
    "madanm",
    "pitit",
    "manman",
    "asawa",
    "anak",
    "lola",
    "lolo",
    "nanay",
    "tatay",
    "kapatid",
    "c\u{f3}rka",
    "m\u{105}\u{17c}",
    "\u{17c}ona",
    "wnuczka",
    "wnuk",
    "siostra",
    "tochter",
    "sohn",
    "ehemann",
    "ehefrau",
    "enkelin",
    "figlio",
    "figlia",
    "moglie",
    "marito",
    "walaalkiis",
    "walaasheed",
    "hooyadeed",
    "aabbihiis",
    "gabadhiisa",
    "wiilkiisa",
    "ninkeeda",
    "xaaskiisa",
];

/// Titles of a layperson: what follows is a patient's or a relative's name.
pub(super) const LAY_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mister", "mssr", "messrs", "mrs's",
];

/// Titles and roles of clinicians, before a name.
pub(super) const CLINICIAN_BEFORE: &[&str] = &[
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
pub(super) const CLINICIAN_AFTER: &[&str] = &[
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

/// Set look-ups of the word lists above (each word is asked about many times a post).
fn is_relation(w: &str) -> bool {
    static SET: WordSet = WordSet::new(&[RELATIONS]);
    SET.contains(w)
}

/// A title of a layperson or a relation: the word after it is a person.
pub(super) fn is_person_cue(w: &str) -> bool {
    is_lay_title(w) || is_relation(w)
}

fn is_not_name(w: &str) -> bool {
    static SET: WordSet = WordSet::new(&[NOT_NAMES]);
    SET.contains(w)
}

fn is_clinician_before(w: &str) -> bool {
    static SET: WordSet = WordSet::new(&[CLINICIAN_BEFORE]);
    SET.contains(w)
}

fn is_clinician_after(w: &str) -> bool {
    static SET: WordSet = WordSet::new(&[CLINICIAN_AFTER]);
    SET.contains(w)
}

/// A clinician's title written short, which a full stop may follow ("Dr.", "Prof.").
fn is_abbreviated_title(w: &str) -> bool {
    is_clinician_before(w) && w.len() <= 4 && w != "doc"
}

fn is_lay_title(w: &str) -> bool {
    static SET: WordSet = WordSet::new(&[LAY_TITLES]);
    SET.contains(w)
}

pub(super) fn is_person_verb(w: &str) -> bool {
    static SET: WordSet = WordSet::new(&[PERSON_VERBS]);
    SET.contains(w)
}

fn is_contact_cue(w: &str) -> bool {
    static SET: WordSet = WordSet::new(&[CONTACT_CUES]);
    SET.contains(w)
}

/// Does a word of reaching someone come right before `start`, with its "with" or "to" ("Spoke
/// with Grace", "told Nancy", "unable to reach Mark")?
pub(super) fn contact_cue_before(doc: &Doc, start: usize) -> bool {
    let toks = &doc.tokens;
    let k = toks.partition_point(|t| t.end <= start);
    let mut j = k;
    if j > 0
        && toks
            .get(j - 1)
            .is_some_and(|t| matches!(t.lower(), "with" | "to"))
    {
        j -= 1;
    }
    j > 0 && toks.get(j - 1).is_some_and(|t| is_contact_cue(t.lower()))
}

/// Military ranks and the titles of police and corrections before a person's name: "SPC
/// Kowalczyk", "SSG Ortiz-Bermudez", "Officer Kreske", "Deputy Haynes".
const RANKS: &[&str] = &[
    "officer",
    "ofc",
    "deputy",
    "detective",
    "det",
    "trooper",
    "warden",
    "spc",
    "pfc",
    "pvt",
    "cpl",
    "lcpl",
    "sgt",
    "ssg",
    "sfc",
    "1sg",
    "sgm",
    "csm",
    "ssgt",
    "tsgt",
    "msgt",
    "sra",
    "ltc",
    "maj",
    "capt",
    "cpt",
    "2lt",
    "1lt",
    "sergeant",
    "corporal",
    "lieutenant",
    "colonel",
];

fn is_rank(w: &str) -> bool {
    static SET: WordSet = WordSet::new(&[RANKS]);
    SET.contains(w)
}

/// Initials standing for a person: "P: J.W., DOB", "Case: M.J.K., ninety-nine". Not the
/// letters of a country, a time, a degree or a dose.
static INITIALS: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(r"(?-u:\b)[A-Z]\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?(?:-[A-Z]\.)?").ok()
});
const NOT_INITIALS: &[&str] = &[
    "U.S.", "U.K.", "A.M.", "P.M.", "D.C.", "M.D.", "R.N.", "D.O.", "P.A.", "N.P.", "E.G.", "I.E.",
    "N.B.", "P.O.", "I.V.", "I.M.", "S.Q.", "O.D.", "O.S.", "O.U.", "B.I.D.", "T.I.D.", "Q.I.D.",
    "P.R.N.", "B.S.", "B.A.", "M.S.", "M.A.", "L.A.", "N.Y.", "E.R.", "O.R.", "U.N.", "A.D.",
    "B.C.", "S.F.", "T.V.",
];

/// What says that initials stand for a patient whatever their letters: an age and sex, a
/// room or a bed after them ("R.T., 58F", "J.M. RM 311", "L.G.  405", "R.T. (rm 11)", "J.T.
/// (18M)"), or "pt" before them.
static INITIALS_CUED_AFTER: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:,? ?\(?\d{1,3} ?(?:[MF]|yo|y/o|yo[mf])\b|,? +\(?(?i:rm|room|bed|bay)\b| +\d{1,2}[A-Z]{1,2}-\d{1,3}\b| {2,}\d{3,4}\b)",
    )
    .ok()
});

/// The head of a board's line before initials: a room or a bed, a table's numbered cell ("Rm
/// 2 — R.T., CHF", "| 1 | J.A.W. |", "5S-01 J.P."); not a list's number ("1. B.P. stable").
static INITIALS_CUED_BEFORE: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?:^|\n|\|)[ \t]*(?:(?i:rm|room|bed|bay|ch|cot|ldr)[ \t]*\d{1,4}[A-Z]?|\d{3,4}[A-Z]?|\d{1,2}[A-Z]{1,2}-\d{1,3})[ \t]*(?:[\x{2014}\x{2013}\-|][ \t]*)?$|\|[ \t]*\d{1,3}[ \t]*\|[ \t]*$",
    )
    .ok()
});

fn initials(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let Some(r) = INITIALS.as_ref() else { return };
    for m in r.find_iter(doc.text) {
        let compact: String = m.as_str().chars().filter(|c| *c != ' ').collect();
        let letters: String = compact
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_lowercase();
        let pt_before = doc
            .before(m.start(), 12)
            .to_lowercase()
            .trim_end()
            .rsplit([' ', '\n', '\t', '('])
            .next()
            .is_some_and(|w| matches!(w, "pt" | "pt:" | "pt." | "patient" | "patient:"));
        let cued_after = INITIALS_CUED_AFTER
            .as_ref()
            .is_some_and(|c| c.is_match(doc.after(m.end(), 16)))
            || INITIALS_CUED_BEFORE
                .as_ref()
                .is_some_and(|c| c.is_match(doc.before(m.start(), 24)));
        let shorthand =
            lx.is_clinical(&letters) || lx.is_medical(&letters) || is_function_word(&letters);
        // In capitals, letters with dots are shorthand ("P.T.", "S.W."), unless an age or a
        // bed follows, or "pt" comes before letters that spell nothing ("pt J.W.").
        if !(cued_after || (pt_before && !shorthand)) && (doc.upper_heavy || shorthand) {
            continue;
        }
        // A letter after the last dot belongs to a word ("U.S.A"), a title before it is a
        // clinician's ("Dr. J.W.").
        let glued = doc
            .after(m.end(), 1)
            .starts_with(|c: char| c.is_alphanumeric());
        let before = doc.before(m.start(), 5).to_lowercase();
        let clinician = before.ends_with("dr. ") || before.ends_with("dr ");
        if NOT_INITIALS.contains(&compact.as_str()) || glued || clinician {
            continue;
        }
        out.push(PhiSpan {
            start: m.start(),
            end: m.end(),
            kind: PhiKind::Name,
        });
    }
}

/// Names of patients and of the people around them, by their cues; `signature` is the name
/// the message is signed with ([`signature`]), found once for the whole scan.
pub fn find(doc: &Doc, signature: Option<&PhiSpan>, out: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let w = t.lower();
        if is_rank(w) {
            // "SPC Kowalczyk", "SSG Ortiz-Bermudez, Hector".
            if let Some(n) = toks.get(i + 1) {
                let named = doc.gap_after(i) == " "
                    && (n.capitalized || doc.shouting)
                    && (name_word(doc, lx, n) || hyphenated_name(lx, &n.lower));
                if named {
                    take_names(doc, lx, i + 1, false, out);
                    out.push(PhiSpan {
                        start: n.start,
                        end: n.end - possessive_len(n),
                        kind: PhiKind::Name,
                    });
                }
            }
            continue;
        }
        if matches!(w, "mr" | "mrs" | "ms") {
            if let Some(n) = toks.get(i + 1) {
                let gap = doc.gap_after(i);
                // "Mr. O in bed 8", "Mr. Q (bed 11)": an initial alone after a title; in
                // lower-case text too after "mr" and "mrs" ("mrs b on 8", "bed 4 mr t -").
                let after = doc.gap_after(i + 1);
                let initial = n.lower.chars().count() == 1
                    && n.lower.chars().all(char::is_alphabetic)
                    && (n.capitalized || w != "ms" && !doc.upper_heavy && after.starts_with(' '))
                    && matches!(gap, " " | ". ")
                    && !after.starts_with('.');
                // "mrs okafor-bell": lower case after a title, a hyphenated or listed
                // surname that is no English word.
                let lower = !n.capitalized
                    && !doc.upper_heavy
                    && matches!(gap, " " | ". ")
                    && (hyphenated_name(lx, &n.lower)
                        || (lx.is_surname(&n.lower) && !lx.is_english(&n.lower)))
                    && name_word(doc, lx, n);
                if initial || lower {
                    out.push(PhiSpan {
                        start: n.start,
                        end: n.end,
                        kind: PhiKind::Name,
                    });
                }
            }
        }
        if is_lay_title(w) {
            // "Mr. Lee", "MRS JONES"; not "MS: alert" (mental status) nor "Mr. and Mrs.".
            let start = i + 1;
            let gap = doc.gap_before(start);
            let gap_ok = matches!(gap, " " | ". " | "." | "  ");
            // "Mr. Foley", "Mrs. Parkinson": a word of the clinic written as a name after a
            // title that is never shorthand (not "MR moderate", "MS Contin").
            let surely_titled = |n: &Token| {
                (w == "mrs" || w == "mr" && gap.starts_with('.'))
                    && n.capitalized
                    && !n.all_caps
                    && !doc.upper_heavy
            };
            let strong = toks.get(start).is_some_and(|n| {
                n.kind == TokKind::Word
                    && !is_function_word(&n.lower)
                    && (!lx.is_clinical(&n.lower) || surely_titled(n))
                    && !is_relation(n.lower())
                    // A capitalized word after a title in mixed text is a name whatever
                    // else it is ("Mrs. Ha", "Mr. Bell").
                    && (lx.is_name(&n.lower)
                        || !lx.is_english(&n.lower)
                        || matches!(w, "mr" | "mrs")
                            && n.capitalized
                            && !n.all_caps
                            && !doc.upper_heavy)
                    && (w != "ms" || gap.starts_with('.') || !lx.is_english(&n.lower))
            });
            if gap_ok && strong {
                take_names(doc, lx, start, false, out);
            }
        } else if is_relation(w)
            || w.ends_with("-in-law")
            || w.strip_prefix("great-")
                .or_else(|| w.strip_prefix("step"))
                .is_some_and(is_relation)
        {
            after_relation(doc, lx, i, out);
            before_relation(doc, lx, i, out);
        } else if let Some((rel, rest)) = w.split_once('-') {
            // "DAUGHTER-KRISSY": a relation and a name joined by a hyphen.
            let name_ok = !rest.contains("law")
                && !is_function_word(rest)
                && !lx.is_clinical(rest)
                && (lx.is_first_name(rest) || !lx.is_english(rest));
            if is_relation(rel) && name_ok {
                out.push(PhiSpan {
                    start: t.start + rel.len() + 1,
                    end: t.end,
                    kind: PhiKind::Name,
                });
            }
        }
    }
    full_names(doc, lx, out);
    opening_full_names(doc, lx, out);
    initials(doc, lx, out);
    joined_names(doc, lx, out);
    surname_comma_first(doc, lx, out);
    surname_and_initial(doc, lx, out);
    hl7_names(doc, out);
    initial_then_surname(doc, lx, out);
    self_introduced(doc, lx, out);
    handoff_entries(doc, lx, out);
    names_before_beds(doc, lx, out);
    names_before_unit_beds(doc, lx, out);
    entry_heads(doc, lx, out);
    aged_names(doc, lx, out);
    after_patient_word(doc, lx, out);
    newborns(doc, lx, out);
    bracketed_names(doc, lx, out);
    table_cells(doc, lx, out);
    header_names(doc, lx, out);
    names_after_ages(doc, lx, out);
    quoted_names(doc, lx, out);
    given_nicknames(doc, out);
    out.extend(signature.cloned());
    owner_of_relation(doc, lx, out);
    names_before_records(doc, lx, out);
    names_before_bare_ages(doc, lx, out);
}

/// A name set off by the age that follows it between commas, as a case opens: "Georgia
/// Tsereteli, 29, from Kutaisi", "DESHAWN MILLER, 38, forklift driver", "Chela, 88,
/// metastatic". One to three words as names are written, from the start of a line or a
/// sentence, a dash or a bracket; words that are words too only when a name list holds them.
fn names_before_bare_ages(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    if doc.upper_heavy {
        return;
    }
    let toks = &doc.tokens;
    for (j, n) in toks.iter().enumerate() {
        let bare_age = n.kind == TokKind::Number
            && n.lower.parse::<u32>().is_ok_and(|v| (1..=110).contains(&v))
            && doc.gap_before(j) == ", "
            && doc.gap_after(j).starts_with(", ")
            && toks.get(j + 1).is_some_and(|w| w.kind == TokKind::Word);
        if !bare_age || j == 0 {
            continue;
        }
        let mut first = j;
        for k in (j.saturating_sub(3)..j).rev() {
            let Some(t) = toks.get(k) else { break };
            if k + 1 < j && !matches!(doc.gap_after(k), " " | "-") {
                break;
            }
            let w = t.lower();
            let word_ok = t.kind == TokKind::Word
                && (t.capitalized || t.all_caps)
                && w.chars().count() >= 2
                && !says_who_or_when(w)
                && !lx.is_clinical(w)
                && (lx.is_name(w) || lx.is_world_name(w) || !lx.is_english(w) && !lx.is_medical(w));
            if !word_ok {
                break;
            }
            first = k;
        }
        if first == j {
            continue;
        }
        // Where a case opens: a line, a sentence, a dash, a colon or a bracket before it.
        let opens = first == 0
            || doc
                .gap_before(first)
                .contains(['\n', '.', ':', '\u{2014}', '\u{2013}', '-', '(', '!', '?']);
        // One word alone must be a listed name or no word at all, and not a place.
        let lone = first + 1 == j;
        let lone_ok = !lone
            || toks.get(first).is_some_and(|t| {
                (lx.is_first_name(t.lower()) || !lx.is_english(t.lower()))
                    && !lx.is_place(t.lower())
                    && !lx.is_state_or_country(t.lower())
            });
        if opens && lone_ok {
            if let (Some(a), Some(b)) = (toks.get(first), toks.get(j - 1)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end,
                    kind: PhiKind::Name,
                });
            }
        }
    }
}

/// The name right before a birth date or a record number: "Harold Ebersole, DOB 7/7/1930",
/// "PT: WHITE, BILL  MRN: 00418823", "PARKS, ELLIS (MRN 5510289)", "dawn k., DOB 2/9/1961".
/// Only a patient's name is written so, so words that are names and words too ("White",
/// "Rose", "Parks") are taken here as nowhere else; the number must follow ("Name, DOB, MRN"
/// in a template is no one's).
fn names_before_records(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    const RECORDS: &[&str] = &[
        "dob", "mrn", "ssn", "acct", "fin", "csn", "nhs", "hcn", "mbi", "medicare", "born",
    ];
    static NUMBER_AFTER: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(r"^[ \t:#.\-]*(?:(?i:no)\.?|(?i:number)|#)?[ \t:#]*\d").ok()
    });
    let Some(number_after) = NUMBER_AFTER.as_ref() else {
        return;
    };
    let toks = &doc.tokens;
    for (j, cue) in toks.iter().enumerate() {
        if j == 0
            || !RECORDS.contains(&cue.lower())
            || !number_after.is_match(doc.after(cue.end, 24))
        {
            continue;
        }
        // (A full stop only after an initial: "dawn k., DOB".)
        let gap = doc.gap_before(j);
        let after_initial = toks
            .get(j - 1)
            .is_some_and(|t| t.lower.chars().count() == 1);
        let mark = |c: char| {
            matches!(
                c,
                ' ' | '\t' | ',' | '(' | '-' | '\u{2013}' | '\u{2014}' | '/'
            ) || c == '.' && after_initial
        };
        if gap.is_empty() || !gap.chars().all(mark) {
            continue;
        }
        // Back over the words of the name: spaces between them, one comma ("WHITE, BILL"),
        // a full stop after an initial ("Rose A. White").
        let (mut first, mut commas, mut named) = (j, 0, false);
        for k in (j.saturating_sub(4)..j).rev() {
            let Some(t) = toks.get(k) else { break };
            if k + 1 < j {
                match doc.gap_after(k) {
                    " " => {}
                    ", " if commas == 0 => commas += 1,
                    ". " | "." if t.lower.chars().count() == 1 => {}
                    _ => break,
                }
            }
            let w = t.lower();
            let initial = w.chars().count() == 1 && t.kind == TokKind::Word;
            let listed = lx.is_name(w) || lx.is_world_name(w) || hyphenated_name(lx, w);
            // (A census name that is shorthand elsewhere is a name here: "Quentin".)
            let word_ok = t.kind == TokKind::Word
                && (initial
                    || !(says_who_or_when(w)
                        || is_not_name(w)
                        || lx.is_state_or_country(w)
                        || (lx.is_clinical(w) || lx.is_medical(w)) && !lx.is_name(w))
                        && (t.capitalized || t.all_caps || listed)
                        && (listed || !lx.is_english(w)));
            if !word_ok {
                break;
            }
            named |= !initial;
            first = k;
        }
        // One word alone that is a word too needs its capital ("bill, DOB" is not a name).
        let lone_word = first + 1 == j
            && toks
                .get(first)
                .is_some_and(|t| !t.capitalized && !t.all_caps && lx.is_english(t.lower()));
        if named && first < j && !lone_word {
            if let (Some(a), Some(b)) = (toks.get(first), toks.get(j - 1)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end,
                    kind: PhiKind::Name,
                });
            }
        }
    }
}

/// Could this word be a surname or given name where the place it stands says "a person
/// goes here"? Not a word of the vocabulary, a function word, a relation, a day or a month,
/// a state; an English word only when a name list holds it.
fn name_shaped(doc: &Doc, lx: &Lexicon, t: &Token) -> bool {
    name_shaped_case(doc, t) && name_word(doc, lx, t)
}

/// The case [`name_shaped`] asks of a word.
fn name_shaped_case(doc: &Doc, t: &Token) -> bool {
    (t.capitalized || doc.shouting) && (!t.all_caps || doc.upper_heavy)
}

/// [`name_shaped`] whatever the case.
fn name_word(doc: &Doc, lx: &Lexicon, t: &Token) -> bool {
    let w = t.lower();
    t.kind == TokKind::Word
        && w.chars().count() >= 2
        && !inner_capitals(doc, t)
        && !never_a_name(lx, w)
        && !is_not_name(w)
        && !lx.all_vocabulary(w, true)
        // An eponym no name list holds is a disease's ("Marfan", "Kawasaki").
        && (!lx.is_eponym(w) || lx.is_name(w))
        && (lx.is_name(w) || lx.is_world_name(w) || !lx.is_english(w) || hyphenated_name(lx, w))
}

/// Words that say something else wherever they stand: function words, clinical shorthand,
/// states and countries, relations, titles, days and months.
fn never_a_name(lx: &Lexicon, w: &str) -> bool {
    says_who_or_when(w) || lx.is_clinical(w) || lx.is_state_or_country(w)
}

/// Function words, relations, titles, days and months: the words around a name, never one.
fn says_who_or_when(w: &str) -> bool {
    is_function_word(w)
        || is_relation(w)
        || is_lay_title(w)
        || is_clinician_before(w)
        || super::dates::is_day_or_month(w)
}

/// A capitalized word that a census list holds as a name though it is a word too ("Otis",
/// "Fairweather", "Price"); never a word of the clinic.
fn listed_name_word(doc: &Doc, lx: &Lexicon, t: &Token) -> bool {
    let w = t.lower();
    name_shaped_case(doc, t)
        && t.kind == TokKind::Word
        && lx.is_name(w)
        && !lx.is_medical(w)
        && !never_a_name(lx, w)
}

/// A capitalized word of the medical dictionary that is no common English word, no clinical
/// shorthand and no drug: given names of the world are among them ("Amara", "Ignatius",
/// "Hemi").
fn medical_name_word(lx: &Lexicon, t: &Token) -> bool {
    t.kind == TokKind::Word
        && t.capitalized
        && t.lower.chars().count() >= 3
        && lx.is_medical(&t.lower)
        && !lx.is_english(&t.lower)
        && !lx.is_clinical(&t.lower)
        && !is_function_word(&t.lower)
}

/// "Lily-Rose", "Whitcombe-Hale": every part a listed name or no English word.
fn hyphenated_name(lx: &Lexicon, w: &str) -> bool {
    // "Wolff-Parkinson-White", "Guillain-Barre": eponyms joined are a disease.
    let eponyms = w.split('-').all(|p| lx.is_eponym(p));
    !eponyms
        && w.contains('-')
        && w.split('-').all(|p| {
            p.chars().count() >= 2 && (lx.is_name(p) || lx.is_world_name(p) || !lx.is_english(p))
        })
}

/// Two capitals side by side in a word not all in capitals: an abbreviation ("HFpEF",
/// "eGFR"), not a name ("McKay", "DeShawn", "O'Neil").
fn inner_capitals(doc: &Doc, t: &Token) -> bool {
    !t.all_caps
        && doc
            .slice(t.start, t.end)
            .chars()
            .zip(doc.slice(t.start, t.end).chars().skip(1))
            .any(|(a, b)| a.is_uppercase() && b.is_uppercase())
}

/// A full name in brackets: "7N-14 (Byung-ho Lee) SBP 84", "New admit from ED (Jaylen
/// Moss)": two or three words that could be names, one at least a listed name.
fn bracketed_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    if doc.shouting {
        return;
    }
    let toks = &doc.tokens;
    for i in 0..toks.len() {
        if !doc.gap_before(i).ends_with('(') {
            continue;
        }
        let mut end = i;
        while end + 1 < toks.len() && end - i < 2 && doc.gap_after(end) == " " {
            end += 1;
        }
        // Shrink to where the bracket closes or a comma follows.
        let closes = |j: usize| doc.gap_after(j).starts_with([')', ',']);
        let Some(last) = (i + 1..=end).rev().find(|&j| closes(j)) else {
            continue;
        };
        let words = i..=last;
        let all = words
            .clone()
            .all(|j| toks.get(j).is_some_and(|t| name_shaped(doc, lx, t)));
        let listed = words.clone().any(|j| {
            toks.get(j)
                .is_some_and(|t| lx.is_name(&t.lower) || lx.is_world_name(&t.lower))
        });
        if all && listed {
            if let (Some(a), Some(b)) = (toks.get(i), toks.get(last)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end - possessive_len(b),
                    kind: PhiKind::Name,
                });
            }
        }
    }
}

/// A newborn named by the family name: "Baby Girl Dukes", "baby boy Okonjo".
fn newborns(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for i in 0..toks.len() {
        // "Baby Girl Dukes", "Twin B Rosenthal".
        let baby = toks
            .get(i)
            .is_some_and(|t| matches!(t.lower(), "baby" | "twin"))
            && toks
                .get(i + 1)
                .is_some_and(|t| matches!(t.lower(), "boy" | "girl" | "a" | "b" | "c"))
            && doc.gap_after(i) == " "
            && doc.gap_after(i + 1) == " ";
        if let Some(n) = toks.get(i + 2).filter(|n| baby && name_shaped(doc, lx, n)) {
            out.push(PhiSpan {
                start: n.start,
                end: n.end - possessive_len(n),
                kind: PhiKind::Name,
            });
        }
    }
}

/// The patient named after the word for one: "Pt Garrison Holt notified", "Patient:
/// Bertram Lindqvist, 90", "Pt: Gorman, Wade 66M".
fn after_patient_word(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if !matches!(t.lower(), "pt" | "patient" | "pts" | "patients") {
            continue;
        }
        if !matches!(doc.gap_after(i), " " | ": " | " - " | ", ") {
            continue;
        }
        let mut end = i;
        for j in i + 1..i + 5 {
            let Some(n) = toks.get(j) else { break };
            // A nickname in quotes inside the name: 'Bertram "Bert" Lindqvist'.
            let quoted = doc.gap_before(j).ends_with('"') && doc.gap_after(j).starts_with('"');
            if j > i + 1 && !matches!(doc.gap_before(j), " " | ", " | " \"" | "\" ") {
                break;
            }
            if quoted && j > i + 1 {
                end = j;
                continue;
            }
            // A comma only between a surname and its given name ("Gorman, Wade").
            if doc.gap_before(j) == ", " && j != i + 2 {
                break;
            }
            // "SMITH, JOHN" as lists write it; otherwise a capitalized word that could be a
            // name (lower case only where case tells nothing, and then a listed name).
            let listed = lx.is_name(&n.lower) || lx.is_world_name(&n.lower);
            let ok = if doc.shouting {
                // Case tells nothing: only listed names that are no English word ("PT
                // AMBULATED", "pt oob" are shorthand).
                listed && !lx.is_english(&n.lower) && name_word(doc, lx, n)
            } else {
                name_shaped(doc, lx, n) || (n.all_caps && listed && name_word(doc, lx, n))
            };
            if !ok {
                break;
            }
            end = j;
        }
        // One word alone needs a list that holds it ("Pt Sats" is shorthand).
        let single_unlisted = end == i + 1
            && toks
                .get(end)
                .is_some_and(|n| !lx.is_name(&n.lower) && !lx.is_world_name(&n.lower));
        if end > i && !single_unlisted {
            if let (Some(a), Some(b)) = (toks.get(i + 1), toks.get(end)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end - possessive_len(b),
                    kind: PhiKind::Name,
                });
            }
        }
    }
}

/// A full name in the slot a header opens: "RN to RN handoff: Folasade Oyelowo, rm 9",
/// "Psych unit sign out: Sky Whitehorse (prefers they/them)", "Patient: Sebastian
/// Ortiz-Quinones, SSN". Right after a colon near the start of a line, two or three words
/// that could be names where they stand, then a comma, a bracket, "on", "in" or the line's
/// end; one of them at least a listed name, or none an English word.
fn header_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    if doc.upper_heavy {
        return;
    }
    let toks = &doc.tokens;
    for i in 1..toks.len() {
        // After a lab value or a request: "lactate 6.2 on Oluwaseun Adebayo-Clarke (ED bed
        // 14)", "referral for PRUDENCE ABERCROMBIE-WATTS, SSN"; then two words at least.
        let on_for = doc.gap_before(i) == " "
            && toks
                .get(i - 1)
                .is_some_and(|p| matches!(p.lower(), "on" | "for") && !p.capitalized);
        if !on_for {
            if !doc.gap_before(i).starts_with(':') || !doc.gap_before(i).ends_with(' ') {
                continue;
            }
            // The colon closes a header: few words since the line began.
            let line_words = (0..i)
                .rev()
                .take(7)
                .take_while(|&k| !doc.gap_after(k).contains('\n'))
                .count();
            if line_words == 0 || line_words > 6 {
                continue;
            }
        }
        let mut j = i;
        while j < i + 3 && j + 1 < toks.len() && doc.gap_after(j) == " " {
            j += 1;
        }
        // A field that says a name comes ("Name: TAN AH KOW", "Paciente: ..."): forms write
        // the name in capitals too.
        let name_key = !on_for
            && toks
                .get(i - 1)
                .is_some_and(|k| NAME_KEYS.contains(&k.lower()))
            && doc.gap_before(i).trim() == ":";
        // Shrink to where the words stop being name-shaped.
        let mut end = i;
        let mut word_like = 0;
        for k in i..=j {
            let Some(t) = toks.get(k) else { break };
            let medical = medical_name_word(lx, t);
            let listed = listed_name_word(doc, lx, t);
            let in_capitals = name_key
                && t.all_caps
                && t.kind == TokKind::Word
                && !never_a_name(lx, t.lower())
                && !is_not_name(t.lower())
                // (The syllables of Chinese and Malay names are words too: "TAN AH KOW".)
                && (lx.is_name(t.lower())
                    || lx.is_world_name(t.lower())
                    || !lx.is_english(t.lower())
                    || t.lower.chars().count() <= 3);
            if !(name_shaped(doc, lx, t)
                || hyphenated_name(lx, &t.lower)
                || medical
                || listed
                || in_capitals)
                || !(t.capitalized || in_capitals)
            {
                break;
            }
            word_like += usize::from((medical || listed) && !name_shaped(doc, lx, t));
            end = k;
        }
        // A word of the medical dictionary, or a census name that is a word too, is a name
        // only beside another ("Patient: Amara Okonjo-Bell", "Resident: Clementine
        // Boudreaux", not "Patient: Hemiparesis" or "Plan: Rose Hill").
        let word_count = end - i + 1;
        let lone_listed = name_key
            && toks
                .get(i)
                .is_some_and(|t| lx.is_name(&t.lower) || lx.is_world_name(&t.lower));
        if (end == i && !lone_listed) || word_like == word_count {
            continue;
        }
        let after = doc.gap_after(end);
        let next = toks.get(end + 1).map(|t| t.lower());
        // (Or the field's end on a form: "Resident: Clarence Ebbesen | Facility", "Resident:
        // Irmgard Hoffmeister     DOB".)
        let closes = after.starts_with([',', '(', '\n'])
            || after.starts_with(" (")
            || after.trim_start_matches(' ').starts_with('|')
            || (after.starts_with("  ") && !on_for)
            || (after == " " && matches!(next, Some("on" | "in")) && !on_for)
            || end + 1 == toks.len();
        if on_for && (end == i || !after.starts_with([',', '(', ' '])) {
            continue;
        }
        let words = i..=end;
        // (A double-barrelled name counts as listed: "Amara Okonjo-Bell".)
        let listed = words.clone().any(|k| {
            toks.get(k).is_some_and(|t| {
                lx.is_name(&t.lower) || lx.is_world_name(&t.lower) || hyphenated_name(lx, &t.lower)
            })
        });
        let none_english = words
            .clone()
            .all(|k| toks.get(k).is_some_and(|t| !lx.is_english(&t.lower)));
        if closes && (listed || none_english || (name_key && end > i)) {
            if let (Some(a), Some(b)) = (toks.get(i), toks.get(end)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end - possessive_len(b),
                    kind: PhiKind::Name,
                });
            }
        }
    }
}

/// The keys of a form's field that holds a patient's name, in the languages of the forms
/// patients bring.
const NAME_KEYS: &[&str] = &[
    "name",
    "patient",
    "pt",
    "paciente",
    "nombre",
    "nom",
    "nome",
    "naam",
    "patiente",
    "patientin",
    "pasien",
    "pasyan",
    "pacjent",
    "pacjentka",
    "hasta",
    "mgonjwa",
    "bukaaga",
    "resident",
    "client",
    // Cards, claims and forms: "Insured: DANG VAN TRUNG", "Name on card: …" (not "Member:",
    // which a plan's name may follow).
    "beneficiary",
    "recipient",
    "insured",
    "subscriber",
    "claimant",
    "enrollee",
    "guarantor",
    "card",
    "applicant",
    "inmate",
    "detainee",
    "decedent",
];

/// Names in the cells of a table written with pipes ("| 3 | Lily-Rose Tanaka | 9 | DKA |",
/// "|401|Hoang Van Thanh|PNA|"): a cell of one to four words that could all be names, one
/// of them at least a listed name or none of them an English word.
fn table_cells(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    if !doc.text.contains('|') {
        return;
    }
    let toks = &doc.tokens;
    let mut i = 0;
    while i < toks.len() {
        // The first cell of a row has no pipe before it: "BRADSHAW | 71 | CP |".
        let row_start = (i == 0 || doc.gap_before(i).contains('\n'))
            && doc.gap_after(i).trim_start().starts_with('|');
        let opens = doc.gap_before(i).trim_end().ends_with('|') || row_start;
        if !opens {
            i += 1;
            continue;
        }
        // The cell runs to the next pipe.
        let mut j = i;
        while j + 1 < toks.len() && !doc.gap_after(j).contains(['|', '\n']) && j - i < 5 {
            j += 1;
        }
        let closes = doc.gap_after(j).trim_start().starts_with('|');
        let words = i..=j;
        let all_names = words.clone().all(|k| {
            toks.get(k).is_some_and(|t| {
                let initial = t.lower.chars().count() == 1 && t.capitalized;
                // "BRADSHAW" in capitals in mixed text: a listed surname.
                let caps_listed = t.all_caps && lx.is_name(&t.lower) && name_word(doc, lx, t);
                initial
                    || name_shaped(doc, lx, t)
                    || caps_listed
                    || (doc.shouting && name_word(doc, lx, t))
            })
        });
        let listed = words.clone().any(|k| {
            toks.get(k).is_some_and(|t| {
                t.lower.chars().count() > 1 && (lx.is_name(&t.lower) || lx.is_world_name(&t.lower))
            })
        });
        let none_english = words.clone().all(|k| {
            toks.get(k)
                .is_some_and(|t| t.lower.chars().count() == 1 || !lx.is_english(&t.lower))
        });
        // A header cell of one English word: "| Test | Result |".
        let header_word = i == j && toks.get(i).is_some_and(|t| lx.is_english_exact(&t.lower));
        if closes && j - i < 4 && all_names && (listed || none_english) && !header_word {
            if let (Some(a), Some(b)) = (toks.get(i), toks.get(j)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end,
                    kind: PhiKind::Name,
                });
            }
        }
        i = j + 1;
    }
}

/// The heads of a table's column that hold a patient's or a relative's name.
const NAME_COLUMNS: &[&str] = &[
    "pt",
    "patient",
    "pt name",
    "patient name",
    "name",
    "last",
    "first",
    "last name",
    "first name",
    "surname",
    "given name",
    "resident",
    "client",
];

/// The names in a table's name column, whatever the words are: a header row of cells split
/// by pipes, tabs or commas names the column ("mrn,last,first,dob", "| Bed | Patient |
/// Age |"), and the rows below it hold names there ("20418876,ACHTERBERG,Willem,…",
/// "| 4 | Ng, Wai-Man | 67 |"). A cell is taken when it has no digit, one to five words,
/// and a word that is a listed name or no word of English or of the clinic ("open", "dc"
/// are no one).
fn named_columns(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let lines: Vec<&str> = doc.text.split('\n').collect();
    let mut i = 0;
    while let Some(header) = lines.get(i) {
        i += 1;
        let Some(delim) = ['|', '\t', ',']
            .into_iter()
            .find(|&d| header.matches(d).count() >= 2)
        else {
            continue;
        };
        let heads: Vec<String> = header
            .split(delim)
            .map(|c| c.trim().trim_matches(['*', ':', '#', ' ']).to_lowercase())
            .collect();
        let columns: Vec<usize> = (0..heads.len())
            .filter(|&k| {
                heads
                    .get(k)
                    .is_some_and(|h| NAME_COLUMNS.contains(&h.as_str()))
            })
            .collect();
        // A header is a row of short cells ("name, a case, and" is a sentence).
        let short = heads.iter().all(|h| h.split_whitespace().count() <= 3);
        if columns.is_empty() || !short {
            continue;
        }
        while let Some(row) = lines.get(i).filter(|row| row.matches(delim).count() >= 2) {
            i += 1;
            for (k, cell) in row.split(delim).enumerate() {
                if columns.contains(&k) {
                    name_cell(doc, lx, cell, out);
                }
            }
        }
    }
}

/// A name in a cell of a name column (see [`named_columns`]); the cell is a slice of the
/// post's text.
fn name_cell(doc: &Doc, lx: &Lexicon, cell: &str, out: &mut Vec<PhiSpan>) {
    let value = cell.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '*' | '\''));
    let words: Vec<String> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('.').to_lowercase())
        .collect();
    let someone = words.iter().any(|w| {
        w.chars().count() > 1
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\''))
            && w.chars().any(char::is_alphabetic)
            && (lx.is_name(w)
                || lx.is_world_name(w)
                || !lx.is_english(w) && !lx.is_clinical(w) && !lx.is_medical(w))
    });
    // (Nor a note in brackets: "(empty)", "(blocked - isolation clean)".)
    if value.starts_with('(')
        || value.chars().any(|c| c.is_ascii_digit())
        || !(1..=5).contains(&words.len())
        || !someone
    {
        return;
    }
    // (The value is a slice of the cell, and so of the text: its place is its address.)
    let start = value.as_ptr() as usize - doc.text.as_ptr() as usize;
    out.push(PhiSpan {
        start,
        end: start + value.len(),
        kind: PhiKind::Name,
    });
}

/// A name right after an age: "17yo Damarion Keys", "8yo Paisley from Twin Falls", "6yo
/// (Mason)".
fn names_after_ages(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for j in 0..toks.len() {
        let Some(unit) = toks.get(j + 1) else { break };
        let age = toks
            .get(j)
            .is_some_and(|n| n.kind == TokKind::Number && n.lower.len() <= 3)
            && matches!(doc.gap_after(j), "" | " " | "-")
            && matches!(
                unit.lower(),
                "yo" | "y/o" | "yof" | "yom" | "mo" | "mos" | "year-old"
            );
        if !age || !matches!(doc.gap_after(j + 1), " " | " (") || doc.shouting {
            continue;
        }
        let mut end = j + 1;
        for k in j + 2..j + 5 {
            let Some(t) = toks.get(k) else { break };
            if k > j + 2 && doc.gap_before(k) != " " {
                break;
            }
            if !name_shaped(doc, lx, t) {
                break;
            }
            end = k;
        }
        if end > j + 1 {
            if let (Some(a), Some(b)) = (toks.get(j + 2), toks.get(end)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end - possessive_len(b),
                    kind: PhiKind::Name,
                });
            }
        }
    }
}

/// A nickname or first name in quotes: '"Bud" Tillman', 'Tattoo "LORETTA"'. Only names the
/// lists hold.
fn quoted_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let quoted = doc.gap_before(i).ends_with(['"', '\u{201c}'])
            && doc.gap_after(i).starts_with(['"', '\u{201d}']);
        if quoted
            && t.kind == TokKind::Word
            && (t.capitalized || doc.shouting)
            && lx.is_first_name(&t.lower)
            && name_word(doc, lx, t)
        {
            out.push(PhiSpan {
                start: t.start,
                end: t.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// Is token `j` an age with a sex ("59M", "40 F", "66yo")?
fn age_sex_at(doc: &Doc, j: usize) -> bool {
    let toks = &doc.tokens;
    let (Some(n), Some(x)) = (toks.get(j), toks.get(j + 1)) else {
        return false;
    };
    n.kind == TokKind::Number
        && n.lower.len() <= 3
        && matches!(doc.gap_after(j), "" | " ")
        && matches!(x.lower(), "m" | "f" | "yo" | "yom" | "yof" | "y")
}

/// A surname heading a patient's entry in a hand-off written in sentences: first on its
/// line, then a comma, a bracket or a dash, and later on the line the patient's age and sex
/// or a bed ("Kowalski, TICU 3, 24M, motorcycle vs deer", "Adebayo (8-16) — compartment
/// checks", "Holloway, SICU 8, POD 0"). A word of the clinic or of the language heads a
/// line as often ("Overnight, 45M came in", "Cardiology (8-16)"): the surname is one no
/// dictionary holds, or a listed surname before an age and sex.
fn entry_heads(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    static BED: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(
            r"^[^\n]{0,40}?(?:\b\d{1,2}[A-Z]{0,2}-\d{1,3}[A-Z]?\b|\b(?:[A-Z]{0,2}ICU|CCU|PACU|rm|room|bed|bay)\s+\d{1,4}\b)",
        )
        .ok()
    });
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if !heads_its_line(doc, i)
            || t.kind != TokKind::Word
            || !t.capitalized
            || t.all_caps
            || t.lower.chars().count() < 3
            || is_function_word(&t.lower)
            || lx.is_clinical(&t.lower)
            || lx.is_medical(&t.lower)
            || lx.is_state_or_country(&t.lower)
            || super::dates::is_day_or_month(&t.lower)
            || GREETINGS.contains(&t.lower())
            || is_closing(&t.lower)
        {
            continue;
        }
        let gap = doc.gap_after(i);
        let trimmed = gap.trim_start_matches(' ');
        if !(gap.starts_with(',') || trimmed.starts_with(['(', '\u{2014}', '\u{2013}', '-']))
            || gap.contains('\n')
        {
            continue;
        }
        // What the rest of its line says: a bed, or an age and sex.
        let line_end = doc.text[t.end..]
            .find('\n')
            .map_or(doc.text.len(), |k| t.end + k);
        let last = toks.partition_point(|x| x.start < line_end);
        let aged = (i + 1..last.min(i + 8)).any(|j| age_sex_at(doc, j));
        let bed = BED
            .as_ref()
            .is_some_and(|r| r.is_match(&doc.text[t.end..line_end]));
        let unlisted = !lx.is_english(&t.lower) && !lx.is_place(&t.lower);
        let surname = lx.is_surname(&t.lower) || lx.is_world_name(&t.lower);
        if (unlisted && (aged || bed)) || (surname && aged) {
            out.push(PhiSpan {
                start: t.start,
                end: t.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// Does an age start at token `j`: "27M", "27 y/o", "27-year-old", "27 yo"?
fn age_at(doc: &Doc, j: usize) -> bool {
    let toks = &doc.tokens;
    age_sex_at(doc, j)
        || toks.get(j).is_some_and(|n| {
            n.kind == TokKind::Number
                && n.lower.len() <= 3
                && toks.get(j + 1).is_some_and(|x| {
                    matches!(doc.gap_after(j), "" | " " | "-")
                        && (matches!(x.lower(), "year" | "years" | "yr" | "yrs" | "yo" | "y")
                            || x.lower().starts_with("year-old"))
                })
        })
}

/// A name right before the person's age: "Amadou Diallo, 27M", "Celeste Montgomery-Ward,
/// 38F", "- PAULSEN 44M", "Okafor (91 y/o)", "Opal Deering, ninety-five". An age says a
/// person was just named.
fn aged_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    // Ages over 89 found already, spelt out too ("Opal Deering, ninety-five").
    let mut found_ages: Vec<usize> = out
        .iter()
        .filter(|s| s.kind == PhiKind::Age)
        .map(|s| s.start)
        .collect();
    found_ages.sort_unstable();
    for j in 1..toks.len() {
        let found_age = || {
            toks.get(j)
                .is_some_and(|t| found_ages.binary_search(&t.start).is_ok())
                && matches!(doc.gap_before(j), ", " | " (")
        };
        let age = age_at(doc, j) || found_age();
        if !age
            || !matches!(
                doc.gap_before(j),
                " " | ", " | " (" | ", a " | " - " | " \u{2014} " | " \u{2013} "
            )
        {
            continue;
        }
        let mut first = j;
        while first > 0 && j - first < 3 {
            let Some(t) = toks.get(first - 1) else { break };
            if first < j && !matches!(doc.gap_after(first - 1), " " | "-") {
                break;
            }
            // In capitals inside mixed text, only names the lists hold ("PAULSEN").
            let caps_name = t.all_caps
                && !doc.upper_heavy
                && name_word(doc, lx, t)
                && (lx.is_name(&t.lower) || lx.is_world_name(&t.lower));
            // Where case tells nothing, an English word is not taken ("75 yo man, 70 y/o").
            let case_blind_english = doc.shouting && lx.is_english(&t.lower);
            let listed = listed_name_word(doc, lx, t);
            if !(name_shaped(doc, lx, t) || caps_name || listed) || case_blind_english {
                break;
            }
            first -= 1;
        }
        if first == j {
            continue;
        }
        // A census name that is also a word ("Otis Fairweather, 84M", "Grace Price, 90F")
        // only as a whole name: two words or more, each capitalized, one a given name, and
        // a comma before the age.
        let words = toks.get(first..j).unwrap_or(&[]);
        let plain = words.iter().all(|t| name_shaped(doc, lx, t));
        let whole_name = words.len() >= 2
            && doc.gap_before(j) == ", "
            && words.iter().all(|t| t.capitalized && !t.all_caps)
            && words.iter().any(|t| lx.is_first_name(t.lower()));
        // In capitals as lists write them, a given name then a surname of the lists ("611
        // HOPE BROWN 42F", "SUMMER HUNTER 3y"), neither a word of the clinic.
        let listed_caps = words.len() >= 2
            && words.iter().all(|t| {
                t.all_caps
                    && t.lower.chars().count() >= 2
                    && lx.is_name(t.lower())
                    && !never_a_name(lx, t.lower())
                    && !lx.is_medical(t.lower())
            })
            && words.first().is_some_and(|t| lx.is_first_name(t.lower()))
            && words.last().is_some_and(|t| lx.is_surname(t.lower()));
        if !plain && !whole_name && !listed_caps {
            // Keep the plain words nearest the age ("Mr. Hope Okafor, 61M" keeps "Okafor").
            let Some(k) = words.iter().rposition(|t| !name_shaped(doc, lx, t)) else {
                continue;
            };
            first += k + 1;
            if first == j {
                continue;
            }
        }
        if let (Some(a), Some(b)) = (toks.get(first), toks.get(j - 1)) {
            out.push(PhiSpan {
                start: a.start,
                end: b.end - possessive_len(b),
                kind: PhiKind::Name,
            });
        }
    }
}

/// Entries of a handoff or sign-out list: the patient's name right after the bed or room
/// that starts the line ("Rm 1106 Chowdhury COPD", "bed 7: Ruiz 66F", "412B — Delacroix,
/// SVT", "R1 Fujimoto, Kenta 58M"), or after a list number or bullet when an age and sex
/// follow ("21 - Chukwu 40F", "1. SMITH, JOHN 59M").
fn handoff_entries(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    const BEDS: &[&str] = &[
        "rm",
        "room",
        "bed",
        "crib",
        "bay",
        "cubicle",
        "r",
        "rm#",
        "bed#",
        // Where else a list puts its patients: dialysis chairs, hallway stretchers,
        // operating rooms, labour rooms, cots.
        "chair",
        "ch",
        "stretcher",
        "hall",
        "hallway",
        "hw",
        "cot",
        "or",
        "ldr",
        "pod",
    ];
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let gap = doc.gap_before(i);
        let line_start = i == 0 || gap.contains('\n');
        // "... fine. Bed 22: Igwe — wants to leave": a bed named inside a line too.
        let bed_inside = doc.sentence_start(i)
            && BEDS.contains(&t.lower())
            && doc
                .gap_after(i + 1)
                .trim_start()
                .starts_with([':', '-', '\u{2014}', '\u{2013}']);
        if !(line_start || bed_inside) {
            continue;
        }
        let bullet = gap.contains(['-', '\u{2022}', '*', '\u{2013}', '\u{2014}', '\u{b7}']);
        // The bed or room, or the list number.
        // "T1", "B12": a bed or bay written as a letter and its number.
        let lettered = t.kind == TokKind::Word
            && t.lower.chars().count() == 1
            && t.capitalized
            && doc.gap_after(i).is_empty();
        // "8W-5", "4S-02", "11E-09", "Tr3": a unit and bed code, letters and numbers
        // joined without a space.
        let mut run = i;
        while run + 1 < toks.len() && run - i < 4 && matches!(doc.gap_after(run), "" | "-") {
            run += 1;
        }
        let code = run > i
            && (i..=run).any(|j| toks.get(j).is_some_and(|x| x.kind == TokKind::Number))
            && (i..=run).all(|j| {
                toks.get(j)
                    .is_some_and(|x| x.kind == TokKind::Number || x.lower.chars().count() <= 3)
            });
        let (mut k, strong) = if (BEDS.contains(&t.lower()) || lettered)
            && toks.get(i + 1).is_some_and(|n| n.kind == TokKind::Number)
        {
            (i + 2, true)
        } else if code && !lettered {
            (run + 1, true)
        } else if t.kind == TokKind::Number && t.lower.len() >= 3 {
            (i + 1, true)
        } else if t.kind == TokKind::Number {
            (i + 1, false)
        } else {
            // A bullet, or nothing: then an age and sex must follow ("PARK, MIN-JI 56F").
            (i, false)
        };
        let marked = k > i || bullet;
        // "412B", "12A": the bed's letter.
        if k > i
            && doc.gap_before(k).is_empty()
            && toks.get(k).is_some_and(|x| x.lower.chars().count() == 1)
        {
            k += 1;
        }
        // A room number is a single number on the line start: "2110 Kapoor".
        if k > i {
            let g = doc.gap_before(k);
            // "Rm 9-North-14" is a room, not a name.
            let spaced = g.contains([' ', ':']);
            if !spaced || g.contains('\n') || g.chars().count() > 4 {
                continue;
            }
        }
        // "Baby Boy Okonjo".
        if toks.get(k).is_some_and(|x| x.lower() == "baby")
            && toks
                .get(k + 1)
                .is_some_and(|x| matches!(x.lower(), "boy" | "girl"))
        {
            k += 2;
        }
        // "RM 520 J. TRAN", "304 J. Bird": an initial before the surname.
        let initial = toks
            .get(k)
            .filter(|x| x.lower.chars().count() == 1 && x.capitalized && doc.gap_after(k) == ". ")
            .filter(|_| toks.get(k + 1).is_some_and(|x| x.capitalized));
        if initial.is_some() {
            k += 1;
        }
        let Some(first) = toks.get(k) else { continue };
        // "SMITH, JOHN", "Fujimoto, Kenta": surname, comma, given name (in capitals too,
        // as lists write them).
        // An age and sex right after the given name make any given name one ("PARK, MIN-JI
        // 56F").
        let aged_after_given = age_sex_at(doc, k + 2);
        let comma_given = doc.gap_after(k) == ", "
            && toks.get(k + 1).is_some_and(|g| {
                let caps = first.all_caps && g.all_caps;
                (caps || name_shaped(doc, lx, g))
                    && name_word(doc, lx, g)
                    && (lx.is_first_name(&g.lower)
                        || lx.is_world_name(&g.lower)
                        || !lx.is_english(&g.lower)
                        || aged_after_given)
            });
        // The surname of "SURNAME, GIVEN" may be a state's name too ("WASHINGTON, TERRENCE").
        let surname_ok = name_word(doc, lx, first)
            || (comma_given
                && lx.is_state_or_country(&first.lower)
                && toks.get(k + 1).is_some_and(|g| lx.is_first_name(&g.lower)));
        let listed_caps = comma_given && first.all_caps && surname_ok;
        // "rm 14 - tran, afib", "1) harold peabody": lower case after a bed or a list
        // number, when a name list holds the word and no English list does.
        let lower_listed = marked
            && !first.capitalized
            && (lx.is_name(&first.lower) || lx.is_world_name(&first.lower))
            && !lx.is_english_exact(&first.lower)
            && name_word(doc, lx, first);
        if !(listed_caps || lower_listed || (surname_ok && name_shaped_case(doc, first))) {
            continue;
        }
        // A given name and surname: "Rm 4 Maria Lopez".
        let two_words = doc.gap_after(k) == " "
            && toks.get(k + 1).is_some_and(|g| {
                let listed = lx.is_name(&g.lower) || lx.is_world_name(&g.lower);
                let lower_ok = lower_listed && listed && !lx.is_english_exact(&g.lower);
                (name_shaped(doc, lx, g) || lower_ok) && listed
            });
        let end_tok = if comma_given || two_words { k + 1 } else { k };
        // "Nakamura 40F", "Chukwu, 40F": the age right after the name, not after a label
        // ("Case: 35F").
        let aged = age_sex_at(doc, end_tok + 1) && !doc.gap_after(end_tok).contains(':');
        // After a list number or a bullet, a given name and surname are a patient's too
        // ("- Amara Osei, 6, status asthmaticus", "1) harold peabody"), and so is a
        // surname of two names joined ("2  SIMMONS-ODUYA   ABD PAIN") or one after an
        // initial.
        let joined = first.capitalized
            && hyphenated_name(lx, &first.lower)
            && !first.lower.split('-').any(|p| lx.is_eponym(p));
        if !(strong
            || aged
            || (marked && (comma_given || two_words || joined || initial.is_some())))
        {
            continue;
        }
        if let Some(last) = toks.get(end_tok) {
            out.push(PhiSpan {
                start: initial.unwrap_or(first).start,
                end: last.end - possessive_len(last),
                kind: PhiKind::Name,
            });
        }
    }
}

/// The bed, the room and the bay in the other languages clinicians write their lists in
/// (German, Dutch, the Nordic languages, Spanish, Portuguese, French, Italian, Polish,
/// Turkish): "Bett 2 – Hr. Becker", "Sal 1: 58-årig man", "Stue 1 – Ellen".
const BEDS_IN_OTHER_LANGUAGES: &[&str] = &[
    "bett",
    "zimmer",
    "raum",
    "koje",
    "platz",
    "kamer",
    "zaal",
    "säng",
    "sal",
    "rum",
    "plats",
    "seng",
    "rom",
    "stue",
    "sengestue",
    "cama",
    "habitación",
    "cuarto",
    "leito",
    "quarto",
    "lit",
    "chambre",
    "salle",
    "letto",
    "stanza",
    "camera",
    "łóżko",
    "sala",
    "pokój",
    "yatak",
    "oda",
];

/// Entries of a handoff list that give the name before the bed or room: "lopez 4b - fever",
/// "Herschel 14 - K 5.9 recheck", "2) Ortiz 12: septic". The line starts with the name (after
/// a list number, if any), a room number of up to four digits follows (with a bed letter a
/// to f), then a dash, a colon or a bracket. After a list number a listed name and a dash
/// are enough ("1) Bhattacharya - cardiogenic shock").
fn names_before_beds(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if !(i == 0 || doc.gap_before(i).contains('\n')) {
            continue;
        }
        // "2) Ortiz 12", "1. Ortiz 12": a list number first.
        let k = if t.kind == TokKind::Number && matches!(doc.gap_after(i), ") " | ". ") {
            i + 1
        } else {
            i
        };
        let name_ok = |n: &Token| {
            let listed = lx.is_name(&n.lower) || lx.is_world_name(&n.lower);
            name_word(doc, lx, n)
                && n.lower.chars().count() >= 3
                && if doc.shouting || n.all_caps {
                    // Case tells nothing: a listed name that is no English word.
                    listed && !lx.is_english(&n.lower) && name_shaped_case(doc, n)
                } else if n.capitalized {
                    // "Hall 3 — 24F", "Bay 2 -": a word of the hospital is no name.
                    !lx.is_english_exact(&n.lower)
                } else {
                    listed && !lx.is_english_exact(&n.lower)
                }
        };
        let Some(first) = toks
            .get(k)
            .filter(|n| name_ok(n) && !BEDS_IN_OTHER_LANGUAGES.contains(&n.lower()))
        else {
            continue;
        };
        let mut last = k;
        if doc.gap_after(k) == " " && toks.get(k + 1).is_some_and(name_ok) {
            last = k + 1;
        }
        let room = last + 1;
        let is_room = doc.gap_after(last) == " "
            && toks
                .get(room)
                .is_some_and(|n| n.kind == TokKind::Number && n.lower.len() <= 4);
        // "1) Bhattacharya - cardiogenic shock": after a list number, a listed name and a
        // dash need no room.
        let numbered = k > i
            && doc.gap_after(last).starts_with([' '])
            && doc
                .gap_after(last)
                .trim_start()
                .starts_with(['-', '\u{2013}', '\u{2014}'])
            && toks.get(k..=last).is_some_and(|words| {
                words
                    .iter()
                    .any(|w| lx.is_name(&w.lower) || lx.is_world_name(&w.lower))
            });
        if numbered {
            out.push(PhiSpan {
                start: first.start,
                end: toks.get(last).map_or(first.end, |l| l.end),
                kind: PhiKind::Name,
            });
            continue;
        }
        if !is_room {
            continue;
        }
        // The bed's letter glued to the room: "4b".
        let mut end = room;
        if doc.gap_after(room).is_empty()
            && toks.get(room + 1).is_some_and(|x| {
                x.lower.chars().count() == 1
                    && matches!(x.lower(), "a" | "b" | "c" | "d" | "e" | "f")
            })
        {
            end = room + 1;
        }
        let after = doc.gap_after(end).trim_start();
        // Something said of the patient follows on the same line ("Trackboard 2315:" then a
        // line break is a heading).
        if !after.starts_with(['-', ':', '(', '\u{2013}', '\u{2014}']) || after.contains('\n') {
            continue;
        }
        out.push(PhiSpan {
            start: first.start,
            end: toks.get(last).map_or(first.end, |l| l.end),
            kind: PhiKind::Name,
        });
    }
}

/// A unit's bed written as units write them: "6N-10", "12W-9", "L&D 4" aside.
static UNIT_BED: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?P<name>\p{Lu}[\p{L}'\-]+(?:,?[ \t]\p{Lu}[\p{L}'\-]+)?)[ \t]+\(?\d{1,2}[A-Z]{1,3}-\d{1,3}\b",
    )
    .ok()
});

/// A patient named right before their bed on a unit ("Gustafson 6N-10", "- Alvarado 7W-08:",
/// "*ODUYA-BELL 9W-03"): one or two words that could be a name where they stand, no word
/// of the hospital ("Bed 6N-10", "moved to 5W-12").
fn names_before_unit_beds(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let Some(r) = UNIT_BED.as_ref() else { return };
    for c in r.captures_iter(doc.text) {
        let Some(m) = c.name("name") else { continue };
        let words: Vec<&str> = m
            .as_str()
            .split([' ', '\t', ','])
            .filter(|w| !w.is_empty())
            .collect();
        let ok = words.iter().all(|w| {
            let lower = w.to_lowercase();
            let listed = lx.is_name(&lower) || lx.is_world_name(&lower);
            lower.chars().count() >= 2
                && !is_function_word(&lower)
                && !lx.is_clinical(&lower)
                && !is_relation(&lower)
                && !is_lay_title(&lower)
                && !is_clinician_before(&lower)
                && !super::places::is_facility_head(&lower)
                && !super::dates::is_day_or_month(&lower)
                && (listed || !lx.is_english(&lower) || hyphenated_name(lx, &lower))
        });
        if ok {
            out.push(PhiSpan {
                start: m.start(),
                end: m.end(),
                kind: PhiKind::Name,
            });
        }
    }
}

/// Bytes of a possessive "'s" at the end of a token.
fn possessive_len(t: &Token) -> usize {
    super::text::possessive_len(t.lower())
}

/// The words that close a message before its signature ("Thanks", "Gracias", "Salamat po").
const CLOSINGS: &[&str] = &[
    "thanks",
    "thank",
    "you",
    "regards",
    "sincerely",
    "best",
    "cheers",
    "love",
    "gratitude",
    "thx",
    "ty",
    "respectfully",
    "warmly",
    // In the languages patients write in.
    "gracias",
    "saludos",
    "atentamente",
    "merci",
    "cordialement",
    "obrigada",
    "obrigado",
    "grazie",
    "danke",
    "salamat",
    "po",
    "mèsi",
    "asante",
    "mahadsanid",
    "dziękuję",
    "kasih",
    "ơn",
];

pub fn is_closing(w: &str) -> bool {
    CLOSINGS.contains(&w)
}

/// The name a message is signed with: the last words of the text, on a line of their own
/// or after a closing ("Thanks, Jun", "- Rukayat", "With gratitude, Agnieszka", "Salamat po,
/// Marites").
pub fn signature(doc: &Doc, lx: &Lexicon) -> Option<PhiSpan> {
    let toks = &doc.tokens;
    // A phone number after the name is part of the signature ("Kenji Mori 808-555-0131").
    let mut n = toks.len();
    let mut digits = 0;
    while n > 0 && toks.get(n - 1).is_some_and(|t| t.kind == TokKind::Number) {
        digits += toks.get(n - 1).map_or(0, |t| t.lower.len());
        n -= 1;
    }
    if (digits > 0 && !(7..=15).contains(&digits)) || n == 0 {
        return None;
    }
    let ending = doc.gap_after(n - 1).trim();
    let ending_ok = if digits > 0 {
        matches!(ending, "" | "," | "-" | "(" | ", (")
    } else {
        ending.chars().all(|c| matches!(c, '.' | '!'))
    };
    if !ending_ok {
        return None;
    }
    for words in (1..=3).rev() {
        let Some(first) = n.checked_sub(words) else {
            continue;
        };
        let run = first..n;
        let joined = run
            .clone()
            .skip(1)
            .all(|j| matches!(doc.gap_before(j), " " | ". "));
        let gap = doc.gap_before(first);
        let closing = first
            .checked_sub(1)
            .and_then(|p| toks.get(p))
            .is_some_and(|p| is_closing(p.lower()));
        let dashed = gap.trim_end().ends_with(['-', '\u{2013}', '\u{2014}']);
        // After the last sentence on the same line ("is it dangerous? Sevda Karimi"): only
        // names the lists hold.
        let after_sentence = gap.contains(['.', '?', '!']);
        let set_apart = first > 0
            && (gap.contains('\n')
                || dashed
                || after_sentence
                || (closing && gap.contains([',', ' '])));
        if !joined || !set_apart {
            continue;
        }
        let strong = gap.contains('\n') || dashed || closing;
        // Lower-case signatures of patients' messages: names of the lists only.
        let all_names = run.clone().all(|j| {
            toks.get(j).is_some_and(|t| {
                let listed = lx.is_name(&t.lower) || lx.is_world_name(&t.lower);
                // "Thanks, Jun": a month's name after a closing is a person's.
                let month_named = closing
                    && t.capitalized
                    && super::dates::is_day_or_month(&t.lower)
                    && !is_function_word(&t.lower);
                if month_named {
                    true
                } else if t.capitalized || doc.shouting {
                    name_shaped(doc, lx, t) && (strong || listed)
                } else {
                    listed && closing && name_word(doc, lx, t)
                }
            })
        });
        if all_names {
            let (a, b) = (toks.get(first)?, toks.get(n - 1)?);
            return Some(PhiSpan {
                start: a.start,
                end: b.end,
                kind: PhiKind::Name,
            });
        }
    }
    None
}

/// Who owns a relation by a role, not a name: "the Patient's son", "Recipient's sister".
const OWNERS_BY_ROLE: &[&str] = &[
    "patient",
    "pt",
    "member",
    "recipient",
    "donor",
    "baby",
    "client",
    "resident",
    "child",
    "infant",
    "veteran",
    "inmate",
    "student",
    "employee",
    "everyone",
    "nobody",
    "someone",
    "somebody",
    "today",
    "yesterday",
    "god",
    "president",
    "doctor",
    "nurse",
];

/// "I'm Duc's wife", "Mary's daughter called": a name owning a relation.
fn owner_of_relation(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let p = possessive_len(t);
        if p == 0 || !t.capitalized || doc.shouting {
            continue;
        }
        let related = toks
            .get(i + 1)
            .is_some_and(|r| is_relation(r.lower()) || r.lower().ends_with("-in-law"));
        let Some(stem) = t.lower.get(..t.lower.len() - p) else {
            continue;
        };
        // A word of the vocabulary too where its capital is a name's, inside a sentence of
        // text whose case tells ("Col's wife", "Sky's mom", "Jordan's dad"); never the
        // roles a post owns relations by ("the patient's son", "Resident's daughter").
        let capital_of_a_name = !doc.upper_heavy && !doc.sentence_start(i);
        let shaped = !is_function_word(stem)
            && !lx.is_clinical(stem)
            && !is_relation(stem)
            && !OWNERS_BY_ROLE.contains(&stem)
            && (capital_of_a_name
                || !lx.all_vocabulary(stem, true)
                    && !lx.is_state_or_country(stem)
                    && (lx.is_name(stem) || lx.is_world_name(stem) || !lx.is_english(stem)));
        if related && shaped && doc.gap_after(i) == " " && stem.chars().count() >= 2 {
            out.push(PhiSpan {
                start: t.start,
                end: t.end - p,
                kind: PhiKind::Name,
            });
        }
    }
}

/// A person named by the words that give a name: "a patient named Patience", "goes by
/// Buck", "he'll only answer to Pop", "the boss is called Florin", "his first name is
/// August", "pt named mark". One or two words, whatever else they are (the cue says they are
/// a name); in lower case only a name of the lists or no English word ("a guy called
/// oksana"), never a title, a drug ("is called Entresto") nor a word of grammar.
pub fn named_by_their_cue(doc: &Doc, lx: &Lexicon) -> Vec<PhiSpan> {
    let toks = &doc.tokens;
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let prev = |d: usize| {
            i.checked_sub(d)
                .and_then(|j| toks.get(j))
                .map_or("", |t| t.lower())
        };
        let cue = match t.lower() {
            "named" => true,
            // Not the verb of a call ("called Sarah back"): the name given ("is called").
            "called" => matches!(
                prev(1),
                "is" | "was"
                    | "be"
                    | "are"
                    | "were"
                    | "also"
                    | "man"
                    | "woman"
                    | "guy"
                    | "lady"
                    | "kid"
                    | "boy"
                    | "girl"
                    | "patient"
                    | "pt"
            ),
            "by" => matches!(prev(1), "goes" | "go" | "going"),
            "to" => prev(1) == "answer" || prev(1) == "answers",
            "is" => prev(1) == "name" || prev(1) == "surname",
            _ => false,
        };
        let gap = doc.gap_after(i);
        if !cue || !matches!(gap, " " | " \"" | " \u{201c}") {
            continue;
        }
        let word_ok = |n: &Token| {
            n.kind == TokKind::Word
                && !is_function_word(&n.lower)
                && !is_clinician_before(n.lower())
                && !is_lay_title(n.lower())
                && !is_relation(n.lower())
                // "the drug is called Entresto".
                && !lx.is_clinical(&n.lower)
                && if n.capitalized && !doc.upper_heavy {
                    !(n.all_caps && n.lower.chars().count() <= 4 && !lx.is_name(&n.lower))
                } else {
                    !n.capitalized
                        && doc.shouting
                        && (lx.is_name(&n.lower) || !lx.is_english(&n.lower))
                }
        };
        let Some(first) = toks.get(i + 1).filter(|n| word_ok(n)) else {
            continue;
        };
        let mut last = first;
        if let Some(n) = toks.get(i + 2) {
            let same_case = n.capitalized == first.capitalized;
            if doc.gap_after(i + 1) == " " && same_case && word_ok(n) && !lx.is_english(&n.lower) {
                last = n;
            }
        }
        out.push(PhiSpan {
            start: first.start,
            end: last.end - possessive_len(last),
            kind: PhiKind::Name,
        });
    }
    // A table's header names its column as a cue names a person.
    named_columns(doc, lx, &mut out);
    out
}

/// A person naming themselves, as patients' messages start: "this is Linda Park", "my name
/// is Chidi", "hi, it's linda park". A given name of the lists that is not an English word,
/// and the surname after it when it is one of the lists or no English word.
fn self_introduced(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate().skip(1) {
        let cue = matches!(
            (toks.get(i - 1).map(|p| p.lower()), t.lower()),
            (Some("this"), "is")
                | (Some("name"), "is")
                | (Some("i"), "am")
                | (_, "im" | "i'm" | "i\u{2019}m" | "it's" | "its")
        );
        if !cue {
            continue;
        }
        let Some(first) = toks.get(i + 1) else { break };
        if first.kind != TokKind::Word || doc.gap_after(i) != " " {
            continue;
        }
        let listed = lx.is_first_name(&first.lower) || lx.is_world_name(&first.lower);
        let word_ok = !lx.is_clinical(&first.lower)
            && !is_function_word(&first.lower)
            && !lx.is_state_or_country(&first.lower)
            && !super::dates::is_day_or_month(&first.lower);
        let listed_given = listed && word_ok && !lx.is_english(&first.lower);
        // "my name is Ade", "it's Kalani": a capitalized word of mixed text that could be a
        // name is one after these cues even when no list holds it.
        let capital = !doc.shouting && first.capitalized && name_shaped(doc, lx, first);
        // "hi dr patel its maria again", "hi, this is ravi (your patient w the back)": as a
        // message opens, a given name of the lists though it is an English word too, or a
        // word that no vocabulary holds, when the phrase ends after it.
        // The months that are given names too ("hi its june, bill's wife").
        let month_name = matches!(first.lower(), "april" | "may" | "june" | "august")
            && lx.is_first_name(&first.lower);
        // "hi this is hope rice mom of mason", "hey its pat bushs daughter": a surname of the
        // lists may follow, when the phrase ends after it.
        let surname_then_end = toks.get(i + 2).is_some_and(|last| {
            last.kind == TokKind::Word
                && doc.gap_after(i + 1) == " "
                && last.capitalized == first.capitalized
                && (lx.is_surname(&last.lower) || lx.is_surname(last.lower.trim_end_matches('s')))
                && !is_function_word(&last.lower)
                && !lx.is_clinical(&last.lower)
                && phrase_ends_after(doc, i + 2)
        });
        let opening = opens_message(doc, i)
            && (word_ok || month_name)
            && first.lower.chars().all(char::is_alphabetic)
            && (phrase_ends_after(doc, i + 1) || surname_then_end)
            && (listed || !lx.is_english(&first.lower));
        let given = listed_given || capital || opening;
        if !given {
            continue;
        }
        let mut end = first.end;
        if let Some(last) = toks.get(i + 2) {
            let listed = lx.is_surname(&last.lower)
                || lx.is_world_name(&last.lower)
                || (opening && surname_then_end);
            let plain = !is_function_word(&last.lower)
                && !is_contraction(&last.lower)
                && !lx.is_clinical(&last.lower)
                && !is_relation(last.lower())
                && !is_not_name(last.lower())
                && !lx.all_vocabulary(&last.lower, true);
            let cased = last.capitalized == first.capitalized;
            if last.kind == TokKind::Word
                && doc.gap_after(i + 1) == " "
                && plain
                && cased
                && (listed || !lx.is_english(&last.lower))
            {
                end = last.end;
            }
        }
        out.push(PhiSpan {
            start: first.start,
            end,
            kind: PhiKind::Name,
        });
    }
}

/// Words with which messages open before the writer names themself: "hi dr patel", "good
/// morning doctor", "hey doc".
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "heya",
    "hiya",
    "yo",
    "dear",
    "good",
    "morning",
    "afternoon",
    "evening",
    "dr",
    "doc",
    "doctor",
    "ok",
    "okay",
    "so",
    "sorry",
    "again",
    "there",
    "all",
];

/// Does the cue of a self-introduction ending at token `i` ("this is", "its", "i'm") open
/// the message or its line, after a greeting at most ("hi dr patel, its ...")?
fn opens_message(doc: &Doc, i: usize) -> bool {
    let toks = &doc.tokens;
    let two_words = toks
        .get(i)
        .is_some_and(|t| matches!(t.lower(), "is" | "am"));
    let Some(mut k) = i.checked_sub(usize::from(two_words)) else {
        return false;
    };
    // Back to the line's start over greetings, and the name after a title.
    for _ in 0..6 {
        if k == 0 || doc.gap_before(k).contains('\n') {
            return true;
        }
        let Some(prev) = toks.get(k - 1) else {
            return false;
        };
        let after_title = k >= 2
            && toks
                .get(k - 2)
                .is_some_and(|t| matches!(t.lower(), "dr" | "doctor" | "doc"));
        if !(GREETINGS.contains(&prev.lower()) || after_title) {
            return false;
        }
        k -= 1;
    }
    false
}

/// Does the phrase end after token `j`: punctuation, a bracket, the line's end, or a word
/// that goes on the message ("its maria again", "this is rose, will's wife", "its june bills
/// wife")?
fn phrase_ends_after(doc: &Doc, j: usize) -> bool {
    let gap = doc.gap_after(j);
    if gap
        .trim_start()
        .starts_with(['.', ',', '!', '(', '-', ':', ';', '\u{2014}'])
        || gap.contains('\n')
        || j + 1 >= doc.tokens.len()
    {
        return true;
    }
    doc.tokens.get(j + 1).is_some_and(|n| {
        matches!(
            n.lower(),
            "again" | "here" | "from" | "and" | "i" | "im" | "i'm" | "my" | "your" | "ur" | "lol"
        ) || is_relation(n.lower())
    })
}

/// "J. Okafor", "J.W. Okonkwo" in mixed text: one or two initials with their dots, then a
/// capitalized surname of the lists that is not English or medical ("E. coli", "H. pylori" are not people). Clinicians ("Dr. J. Smith") are taken
/// out later with every other name that sits on one.
fn initial_then_surname(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    if doc.shouting {
        return;
    }
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate().skip(1) {
        if t.kind != TokKind::Word || !t.capitalized || t.all_caps || t.lower.chars().count() < 3 {
            continue;
        }
        let gap = doc.gap_before(i);
        if gap != ". " && gap != "." {
            continue;
        }
        let initial = toks
            .get(i - 1)
            .is_some_and(|p| p.kind == TokKind::Word && p.all_caps && p.lower.chars().count() == 1);
        // The initial stands alone: not "St." nor the end of a word.
        let alone = i < 2 || !doc.gap_before(i - 1).is_empty();
        let known = lx.is_surname(&t.lower) || lx.is_world_name(&t.lower);
        let word = is_function_word(&t.lower)
            || lx.is_clinical(&t.lower)
            || lx.is_english(&t.lower)
            || lx.all_vocabulary(&t.lower, true)
            || lx.is_eponym(&t.lower)
            || lx.is_state_or_country(&t.lower)
            || super::dates::is_day_or_month(&t.lower);
        if initial && alone && known && !word {
            out.push(PhiSpan {
                start: t.start,
                end: t.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// Is "SURNAME, GIVEN" at token `i` on a board or a list: a bed or room number before it at
/// the start of a line or cell ("712 BELL, RUBY", "Bed 2 PAGET, CORA", "1 | PAGET, L."), or
/// an age and sex after it ("PARKINSON, GLEN 67M")? Then it is a name whatever its words.
fn boarded(doc: &Doc, i: usize) -> bool {
    let toks = &doc.tokens;
    let mut after = i + 2;
    if toks
        .get(after)
        .is_some_and(|x| x.lower.chars().count() == 1 && x.capitalized)
        && doc.gap_before(after) == " "
    {
        after += 1;
    }
    let aged = doc.gap_before(after).trim_matches([' ', ',']).is_empty() && age_sex_at(doc, after);
    let bed = i.checked_sub(1).is_some_and(|b| {
        let cell = doc.gap_before(i).trim_matches(' ');
        toks.get(b)
            .is_some_and(|n| n.kind == TokKind::Number && n.lower.len() <= 4)
            && matches!(cell, "" | "|" | "-" | "\u{2014}" | "\u{2013}")
            && (b == 0
                || doc.gap_before(b).contains(['\n', ')', '|'])
                || b.checked_sub(1)
                    .and_then(|w| toks.get(w))
                    .is_some_and(|w| matches!(w.lower(), "bed" | "rm" | "room")))
    });
    aged || bed
}

/// Is token `i` first on its line, after a bullet at most?
fn heads_its_line(doc: &Doc, i: usize) -> bool {
    let before = doc.gap_before(i);
    (i == 0 || before.contains('\n'))
        && before
            .rsplit('\n')
            .next()
            .is_some_and(|b| b.chars().all(|c| c.is_whitespace() || "-•*·".contains(c)))
}

/// Is the name of tokens `i` to `last` the head of a list's entry: first on its line (after
/// a bullet at most), then the entry's separator ("–", "-", ":", "(", "|", a tab or a wider
/// gap)?
fn listed_at_line_start(doc: &Doc, i: usize, last: usize) -> bool {
    let line_start = heads_its_line(doc, i);
    let after = doc.gap_after(last);
    // (After an initial's full stop: "CROSS, W. – 3.0".)
    let trimmed = after.trim_start_matches(['.', ' ']);
    line_start
        && last + 1 < doc.tokens.len()
        && (trimmed.starts_with(['\u{2013}', '\u{2014}', '-', ':', '(', '|', '\t'])
            || after.trim_start_matches('.').starts_with("  "))
}

/// Is the span a "SURNAME, GIVEN" on a board or a list (see [`boarded`])? The filters that
/// take words of the dictionary and eponyms for no name spare it ("KING, HOPE 58F").
pub fn on_a_board(doc: &Doc, s: &PhiSpan) -> bool {
    let i = doc.tokens.partition_point(|t| t.end <= s.start);
    s.kind == PhiKind::Name
        && doc.tokens.get(i).is_some_and(|t| t.start == s.start)
        && doc.gap_after(i).trim_end_matches(' ') == ","
        && boarded(doc, i)
}

/// "Okafor, Chidi", "SMITH, MARTA" at the start of a line, a sentence or after a label
/// ("Bed 7: Okafor, Chidi", "Pt Lee, Nkechi"): a surname, a comma and a listed given name
/// that is not an English word, as lists, handoffs and consults write a patient.
fn surname_comma_first(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    const BEFORE: &[&str] = &[
        "pt", "patient", "on", "for", "see", "re", "cover", "admit", "admitted", "name", "called",
        "saw",
    ];
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let Some(u) = toks.get(i + 1) else { break };
        if doc.gap_after(i).trim_end_matches(' ') != "," || doc.gap_after(i) == "," {
            continue;
        }
        // "OKAFOR-BELL, CHIDINMA" in mixed text: both in capitals, as records print names.
        let record = t.all_caps && u.all_caps && !doc.upper_heavy;
        let cased = |x: &Token| {
            doc.shouting || record || (x.capitalized && (!x.all_caps || doc.upper_heavy))
        };
        let plain = |x: &Token| {
            x.kind == TokKind::Word
                && x.lower.chars().count() >= 2
                && !is_function_word(&x.lower)
                && !lx.is_state_or_country(&x.lower)
                && !is_relation(x.lower())
                && !super::dates::is_day_or_month(&x.lower)
                // ("Gracias, Lupita" is a signature.)
                && !is_closing(&x.lower)
        };
        let word = |x: &Token| plain(x) && !lx.is_clinical(&x.lower) && !is_not_name(x.lower());
        // On a board, a listed name that is a medical word too ("CUSHING, D", "KING, HOPE").
        let board_word = |x: &Token| {
            word(x) || (plain(x) && (lx.is_name(&x.lower) || lx.is_world_name(&x.lower)))
        };
        if !(cased(t) && cased(u)) {
            continue;
        }
        let initial = u.lower.chars().count() == 1 && u.capitalized;
        // (One of them a name, or a word of no dictionary: not "BED 8 EMPTY, CLEANED".)
        let name_like = |x: &Token| {
            lx.is_name(&x.lower) || lx.is_world_name(&x.lower) || !lx.is_english(&x.lower)
        };
        // Or an entry of a list: at the head of its line, a surname of the lists and a given
        // name or an initial, then the entry's separator ("MOSS, ELI – 1.8 – on rifampin",
        // "CROSS, W. – 3.0").
        let given = |x: &Token| initial || lx.is_first_name(&x.lower) || lx.is_world_name(&x.lower);
        let listed = || {
            listed_at_line_start(doc, i, i + 1)
                && (lx.is_surname(&t.lower) || lx.is_world_name(&t.lower))
                && given(u)
                && !GREETINGS.contains(&t.lower())
        };
        if board_word(t)
            && (board_word(u) || initial)
            && (name_like(t) || (name_like(u) && !initial))
            && (boarded(doc, i) || listed())
        {
            out.push(PhiSpan {
                start: t.start,
                end: u.end,
                kind: PhiKind::Name,
            });
            continue;
        }
        if !(word(t) && word(u)) {
            continue;
        }
        let given =
            (lx.is_first_name(&u.lower) || lx.is_world_name(&u.lower)) && !lx.is_english(&u.lower);
        // An English word ("Man", "Hall") only as a capitalized surname of mixed text.
        let surname = !lx.all_vocabulary(&t.lower, true)
            && if lx.is_english(&t.lower) && !hyphenated_name(lx, &t.lower) {
                lx.is_surname(&t.lower) && !doc.shouting && t.capitalized && !t.all_caps
            } else {
                true
            };
        let placed = doc.sentence_start(i)
            || doc.gap_before(i).contains(['(', '-'])
            || i.checked_sub(1)
                .and_then(|p| toks.get(p))
                .is_some_and(|p| BEFORE.contains(&p.lower()));
        if given && surname && placed {
            out.push(PhiSpan {
                start: t.start,
                end: u.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// "Both Imelda and Hank are proxies": a census first name joined by "and", "or" or "&"
/// to a name already found.
fn joined_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    let mut ends: Vec<usize> = out
        .iter()
        .filter(|s| s.kind == PhiKind::Name)
        .map(|s| s.end)
        .collect();
    if ends.is_empty() {
        return;
    }
    ends.sort_unstable();
    for (i, t) in toks.iter().enumerate().skip(1) {
        if !matches!(t.lower(), "and" | "or") && doc.gap_before(i).trim() != "&" {
            continue;
        }
        let joiner = if matches!(t.lower(), "and" | "or") {
            i
        } else {
            i - 1
        };
        let Some(prev) = toks.get(joiner.wrapping_sub(1)) else {
            continue;
        };
        if ends.binary_search(&prev.end).is_err() {
            continue;
        }
        let k = if joiner == i { i + 1 } else { i };
        if let Some(n) = toks.get(k) {
            if lx.is_first_name(n.lower())
                && name_like(doc, lx, n)
                && lay_name_token(doc, lx, n, true)
                && !super::dates::is_day_or_month(n.lower())
            {
                out.push(PhiSpan {
                    start: n.start,
                    end: n.end,
                    kind: PhiKind::Name,
                });
            }
        }
    }
}

/// Could this token be (part of) a layperson's name? `cued`: a title or relation word is
/// right before it, so a census first name counts even if it is also an English word.
fn lay_name_token(doc: &Doc, lx: &Lexicon, t: &Token, cued: bool) -> bool {
    if t.kind != TokKind::Word || is_function_word(&t.lower) || lx.is_clinical(&t.lower) {
        return false;
    }
    if is_relation(t.lower()) || is_not_name(t.lower()) || lx.is_state_or_country(&t.lower) {
        return false;
    }
    let single_letter = t.lower.chars().count() == 1;
    if single_letter {
        return (doc.shouting || t.capitalized) && cued;
    }
    let english = lx.is_english(&t.lower);
    // A capitalized word in lower-case notes is read as in mixed text.
    let titled = t.capitalized && !t.all_caps && !doc.upper_heavy;
    if !doc.shouting && !t.capitalized {
        // Lower case in mixed text: only a census first name after a cue ("son bill").
        cued && lx.is_first_name(&t.lower)
    } else if doc.shouting && !titled {
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

/// English words that follow relation words in notes, stand for a patient's status in a
/// handoff list ("R2: ok") or name a field ("Patient Class:"), and are names of some list
/// too.
const NOT_NAMES: &[&str] = &[
    "will", "may", "said", "says", "very", "also", "here", "home", "aware", "updated", "in", "law",
    "all", "both", "who", "can", "did", "does", "has", "was", "were", "came", "left", "visiting",
    "present", "patient", "pt", "both", "notified", "involved", "wishes", "wants", "hopes", "hope",
    "feels", "asked", "agreed", "requests", "per", "and", "or", "if", "ceo", "owner", "ok", "rm",
    "okay", "class", "status", "type", "lol",
];

/// Names right after a relation word: "son Bill", "wife, Carol Buckley", "daughter is Ann".
fn after_relation(doc: &Doc, lx: &Lexicon, i: usize, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    let mut k = i + 1;
    // Skip "named", "is", "'s name is" and similar fillers.
    for _ in 0..3 {
        match toks.get(k).map(|t| t.lower()) {
            Some(
                "named" | "is" | "name" | "called" | "s" | "of" | "mr" | "mrs" | "ms" | "person"
                | "was",
            ) => k += 1,
            // "my mother in law rose": the relation goes on.
            Some("in") if toks.get(k + 1).is_some_and(|t| t.lower() == "law") => k += 2,
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
            // Where case tells nothing, a surname of the census after a given name goes on
            // the name though it is a word too ("my father in law gene price").
            let surname_after_given = doc.shouting
                && !doc.upper_heavy
                && m == start + 1
                && lx.is_first_name(&first.lower)
                && lx.is_surname(&n.lower)
                && n.kind == TokKind::Word
                && !never_a_name(lx, n.lower())
                && !is_not_name(n.lower())
                && !is_person_verb(n.lower())
                && !lx.is_medical(n.lower());
            if !joined || !(lay_name_token(doc, lx, n, false) || surname_after_given) {
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

/// Verbs that a person does: a census first name right before one is a person, even when
/// it is also an English word ("rose called", "ROSE VISITED", "Mark states").
pub(super) const PERSON_VERBS: &[&str] = &[
    "called",
    "calls",
    "phoned",
    "visited",
    "visits",
    "states",
    "stated",
    "said",
    "says",
    "wishes",
    "wished",
    "wants",
    "wanted",
    "agrees",
    "agreed",
    "asked",
    "asks",
    "spoke",
    "arrived",
    "verbalizes",
    "verbalized",
    "understands",
    "understood",
    "feels",
    "felt",
    "reports",
    "reported",
    "declined",
    "declines",
    "requested",
    "requests",
    "expressed",
    "expresses",
    "decided",
    "consented",
    "signed",
    "aware",
    "notified",
    "informed",
    "telephoned",
    "inquired",
];

/// Words after which a person is named: "spoke with X", "unable to reach X".
pub(super) const CONTACT_CUES: &[&str] = &[
    "reach",
    "reached",
    "told",
    "informed",
    "notified",
    "contacted",
    "updated",
    "phoned",
    "telephoned",
    "explained",
    "met",
    "meeting",
    "spoke",
    "speak",
    "talked",
    "talk",
    "discussed",
    "called",
    "call",
];

/// "Carol Buckley", "John A. Smith": a census first name then a census surname that is not
/// an English word, both capitalized. A census first name that is no English word stands
/// for a person on its own too ("Natalie woke up", "per DAVID"), and so does a first name
/// before a verb of a person ("rose called") or after a verb of contact ("reached Mark").
/// In text where case tells, a capitalized word inside a sentence that is no English word,
/// no clinical term and no place is taken as a name ("explained to Zorvek").
fn full_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    let push = |out: &mut Vec<PhiSpan>, a: &Token, b: &Token| {
        out.push(PhiSpan {
            start: a.start,
            end: b.end,
            kind: PhiKind::Name,
        })
    };
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokKind::Word || t.lower.len() < 2 || !(doc.shouting || t.capitalized) {
            continue;
        }
        // Every rule below needs a census first name or a capitalized word inside a
        // sentence: most tokens leave here after one look-up.
        let first = lx.is_first_name(&t.lower);
        let titled = doc.title_case(i);
        if !(first || titled) || !name_like(doc, lx, t) {
            continue;
        }
        let english = lx.is_english(&t.lower);
        if !first && english {
            // A capitalized English word: only the rules for unknown words could take it.
            continue;
        }
        let chars = t.lower.chars().count();
        let plain = !lx.is_state_or_country(&t.lower)
            && !is_not_name(t.lower())
            && !is_relation(t.lower())
            && !super::dates::is_day_or_month(&t.lower);
        let strong_first =
            first && !english && chars >= 3 && plain && (doc.shouting || !t.all_caps);
        if strong_first {
            push(out, t, t);
        }
        // An unknown capitalized word ("Zorvek") or a census first name that is also an
        // English word ("bill", "ROSE") where a person is spoken of.
        let unknown = titled
            && !english
            && chars >= 3
            && !lx.is_surname(&t.lower)
            && !lexicon::drug_shaped(&t.lower)
            && proper_shaped(doc.slice(t.start, t.end));
        let census = first && chars >= 2 && (titled || doc.shouting || t.all_caps);
        if plain && (unknown || census) {
            let verb_after = doc.gap_after(i) == " "
                && toks.get(i + 1).is_some_and(|n| is_person_verb(n.lower()));
            let contact_before =
                doc.gap_before(i).trim().is_empty() && contact_cue_before(doc, t.start);
            // "Zorvek Pennington": an unknown capitalized word before a census surname.
            let surname_after = unknown
                && doc.gap_after(i) == " "
                && doc.title_case(i + 1)
                && toks
                    .get(i + 1)
                    .is_some_and(|n| lx.is_surname(&n.lower) && !lx.is_english(&n.lower));
            if verb_after || contact_before {
                push(out, t, t);
            }
            if surname_after {
                if let Some(n) = toks.get(i + 1) {
                    push(out, t, n);
                }
            }
        }
        if !first || (doc.shouting && english && !titled) {
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
        if !name_like(doc, lx, last) || last.lower.len() < 2 || is_relation(last.lower()) {
            continue;
        }
        let last_english = lx.is_english(&last.lower);
        let last_exact_english = lx.is_english_exact(&last.lower);
        let last_surname = lx.is_surname(&last.lower);
        let surname = (last_surname && !last_english)
            || (strong_first
                && !is_not_name(last.lower())
                && !super::dates::is_day_or_month(&last.lower)
                && ((doc.title_case(j) && (last_surname || !last_english))
                    || (last_surname && !last_exact_english)
                    || (!last_english
                        && last.lower.chars().count() >= 4
                        && !word_shaped(&last.lower)
                        && !lexicon::drug_shaped(&last.lower))));
        if surname {
            push(out, t, last);
        }
    }
    family_names(doc, lx, out);
}

/// "Kipchoge Rotich, working on a contract in Aberdeen, developed a DVT": a sentence opened
/// by a word of no dictionary and a listed name, then a comma or a person's verb. (Inside a
/// sentence [`full_names`] reads such pairs; at its start any word is capitalized.)
fn opening_full_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    if doc.upper_heavy {
        return;
    }
    let toks = &doc.tokens;
    let plain = |t: &Token| {
        proper_shaped(doc.slice(t.start, t.end))
            && t.lower.chars().count() >= 3
            && !lx.is_english(&t.lower)
            && !lx.is_clinical(&t.lower)
            && !lx.is_state_or_country(&t.lower)
    };
    for (i, t) in toks.iter().enumerate() {
        if !doc.sentence_start(i) || !plain(t) || lx.is_place(&t.lower) {
            continue;
        }
        let Some(n) = toks.get(i + 1) else { continue };
        let named = doc.gap_after(i) == " "
            && plain(n)
            && (lx.is_name(&n.lower) || lx.is_world_name(&n.lower));
        let then_person = doc.gap_after(i + 1).starts_with(',')
            || (doc.gap_after(i + 1) == " "
                && toks.get(i + 2).is_some_and(|v| is_person_verb(v.lower())));
        // (Asked last: it builds a string.)
        if named && then_person && !lx.is_multi_place(&format!("{} {}", t.lower, n.lower)) {
            out.push(PhiSpan {
                start: t.start,
                end: n.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// "Zorvek", "Acmetron": letters only, a capital then lower case (not "CareVue", "Pt's",
/// "GU-foley").
fn proper_shaped(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
}

/// "UPDATED THE OKONKWO FAMILY", "the Lopez family": a surname before "family" (not a
/// practice's name: "Hanover Family Health Team", "Oakdale Family Medicine").
fn family_names(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate().skip(1) {
        if !matches!(t.lower(), "family" | "families") || doc.gap_before(i) != " " {
            continue;
        }
        let practice = toks.get(i + 1).is_some_and(|n| {
            matches!(
                n.lower(),
                "health"
                    | "practice"
                    | "medicine"
                    | "medical"
                    | "clinic"
                    | "physicians"
                    | "care"
                    | "center"
                    | "centre"
                    | "doctors"
                    | "dental"
                    | "pharmacy"
                    | "services"
                    | "team"
            )
        });
        if practice {
            continue;
        }
        let Some(p) = toks.get(i - 1) else { continue };
        if lay_name_token(doc, lx, p, false)
            && name_like(doc, lx, p)
            && (lx.is_surname(&p.lower) || !lx.is_english(&p.lower))
            && !lx.is_english_exact(&p.lower)
            && p.lower.chars().count() >= 3
        {
            out.push(PhiSpan {
                start: p.start,
                end: p.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// Names listed with a name already found: "Juarez, Yellowhorse and Nakashima", "tran,
/// okonkwo, delacroix". Each word next to a name across ", ", " and ", " & " or "/" is taken
/// when it could be a name where it stands (capitalized in mixed text; where case tells
/// nothing, a listed name that is no English word).
pub fn coordinated(doc: &Doc, found: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    let toks = &doc.tokens;
    let joins = |gap: &str| matches!(gap, ", " | "," | " & " | "/" | " / ");
    let candidate = |t: &Token| {
        let listed = lx.is_name(&t.lower) || lx.is_world_name(&t.lower);
        t.lower.chars().count() >= 3
            // (Nor a possessive: "Okafor's".)
            && !is_contraction(&t.lower)
            && possessive_len(t) == 0
            && name_word(doc, lx, t)
            && if doc.shouting || t.all_caps {
                listed && !lx.is_english(&t.lower)
            } else {
                t.capitalized
            }
    };
    let mut added = Vec::new();
    for s in found.iter().filter(|s| s.kind == PhiKind::Name) {
        let first = toks.partition_point(|t| t.start < s.start);
        let last = toks.partition_point(|t| t.end <= s.end);
        // Forwards: "NAME, X and Y".
        let mut j = last;
        for _ in 0..5 {
            let Some(prev) = j.checked_sub(1) else { break };
            let (gap, mut k) = (doc.gap_after(prev), j);
            let and = toks.get(k).is_some_and(|t| t.lower == "and") && gap == " ";
            if and {
                k += 1;
                if doc.gap_before(k) != " " {
                    break;
                }
            } else if !joins(gap) {
                break;
            }
            match toks.get(k) {
                Some(t) if candidate(t) => {
                    added.push((t.start, t.end));
                    j = k + 1;
                }
                _ => break,
            }
        }
        // Backwards: "X, Y and NAME".
        let mut i = first;
        for _ in 0..5 {
            let Some(mut k) = i.checked_sub(1) else { break };
            let gap = doc.gap_before(i);
            if toks.get(k).is_some_and(|t| t.lower == "and") && gap == " " {
                let Some(before_and) = k.checked_sub(1) else {
                    break;
                };
                if doc.gap_after(before_and) != " " {
                    break;
                }
                k = before_and;
            } else if !joins(gap) {
                break;
            }
            match toks.get(k) {
                Some(t) if candidate(t) => {
                    added.push((t.start, t.end));
                    i = k;
                }
                _ => break,
            }
        }
    }
    found.extend(added.into_iter().map(|(start, end)| PhiSpan {
        start,
        end,
        kind: PhiKind::Name,
    }));
}

/// A nickname in quotes right by a name found: 'Isabella Moreau ("Izzy")', '"Tiny" (Marcus
/// Bell)', 'Walter "Buzz" Aldridge' (a nickname inside a full name is the rules' already).
/// One to three words, the first capitalized where case tells; quotes around anything
/// else ("the 'Whipple'") are left alone.
pub fn nicknames(doc: &Doc, found: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    let toks = &doc.tokens;
    let opens = |c: char| matches!(c, '"' | '\u{201c}');
    let closes = |c: char| matches!(c, '"' | '\u{201d}');
    // The words between quotes from token `a` on: their span, if they may be a nickname.
    let quoted_from = |a: usize| -> Option<(usize, usize, usize)> {
        let first = toks.get(a)?;
        if first.kind != TokKind::Word
            || !(first.capitalized || doc.shouting)
            || is_function_word(&first.lower)
            || lx.is_clinical(&first.lower)
        {
            return None;
        }
        let mut b = a;
        loop {
            let gap = doc.gap_after(b);
            if gap.starts_with(closes) {
                break;
            }
            if gap != " " || b >= a + 2 {
                return None;
            }
            b += 1;
            if toks.get(b).is_none_or(|t| t.kind != TokKind::Word) {
                return None;
            }
        }
        Some((first.start, toks.get(b)?.end, b))
    };
    let mut added = Vec::new();
    for s in found.iter().filter(|s| s.kind == PhiKind::Name) {
        let first = toks.partition_point(|t| t.start < s.start);
        let last = toks.partition_point(|t| t.end <= s.end);
        // After: 'Moreau ("Izzy")', 'Moreau "Izzy"'.
        let gap = doc.gap_before(last);
        let inner = gap.trim_start_matches([' ', '(']);
        if last < toks.len()
            && gap.len() <= 4
            && !gap.contains('\n')
            && inner.chars().count() == 1
            && inner.starts_with(opens)
        {
            if let Some((a, b, _)) = quoted_from(last) {
                added.push((a, b));
            }
        }
        // Before, right by the name or in brackets: '"Pops" Kessler', '"Tiny" (Marcus Bell)'.
        let gap = doc.gap_before(first);
        let close = gap.trim_end_matches([' ', '(']);
        if first > 0
            && !gap.contains('\n')
            && close.chars().count() == 1
            && close.starts_with(closes)
        {
            // The quoted words end at token first - 1; find where they open.
            let open_at =
                (first.saturating_sub(3)..first).find(|&a| doc.gap_before(a).ends_with(opens));
            if let Some((x, y, b)) = open_at.and_then(quoted_from) {
                if b + 1 == first {
                    added.push((x, y));
                }
            }
        }
    }
    found.extend(added.into_iter().map(|(start, end)| PhiSpan {
        start,
        end,
        kind: PhiKind::Name,
    }));
}

/// A nickname in quotes after the words that give one: 'goes by "Tank"', 'answers to
/// "Bartie"', 'his sister calls him "Bubba"', 'says his name is "Bud"'. One to three words,
/// the first capitalized ("known as "the widow maker"" is left alone: "known as" names
/// things too).
static GIVEN_NICKNAME: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(concat!(
        r#"(?i:\b(?:goes|go|going)\s+by|\banswers\s+to|\bcalls\s+(?:him|her)(?:self)?|\bcall\s+(?:him|her)"#,
        r#"|\bnicknamed|\ba\.?k\.?a\.?|\b(?:his|her)\s+name\s+is|\bprefers)\s*[:,]?\s*["\u{201c}]"#,
        r#"(?P<n>\p{Lu}[\p{L}'\-]*(?:\s\p{L}[\p{L}'\-]*){0,2})[,.]?["\u{201d}]"#,
    ))
    .ok()
});

/// Nicknames given by the words of [`GIVEN_NICKNAME`].
fn given_nicknames(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let Some(r) = GIVEN_NICKNAME.as_ref() else {
        return;
    };
    for c in r.captures_iter(doc.text) {
        if let Some(n) = c.name("n") {
            out.push(PhiSpan {
                start: n.start(),
                end: n.end(),
                kind: PhiKind::Name,
            });
        }
    }
}

/// Words already flagged as a name or a place that come back elsewhere in the same text
/// ("Zorvek" named after "spoke with", then "Zorvek wishes..."; "ELMSWORTH 4", then
/// "ELMSWORTH/CCU"). Only words that are no English word, no clinical term, no name of a
/// clinician and at least four letters long are carried.
pub fn propagate(doc: &Doc, clinicians: &[(usize, usize)], found: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    let toks = &doc.tokens;
    let mut flagged: Vec<(usize, usize, PhiKind)> = found
        .iter()
        .filter(|f| matches!(f.kind, PhiKind::Name | PhiKind::Location))
        .map(|f| (f.start, f.end, f.kind))
        .collect();
    if flagged.is_empty() {
        return;
    }
    flagged.sort_unstable_by_key(|f| f.0);
    let mut words: Vec<(&str, PhiKind)> = Vec::new();
    let mut s = 0;
    for t in toks {
        if t.kind != TokKind::Word || t.lower.len() < 4 {
            continue;
        }
        while flagged.get(s).is_some_and(|f| f.1 <= t.start) {
            s += 1;
        }
        let kind = flagged
            .get(s.saturating_sub(4)..)
            .unwrap_or(&[])
            .iter()
            .take_while(|f| f.0 <= t.start)
            .find(|f| t.end <= f.1)
            .map(|f| f.2);
        let Some(kind) = kind else { continue };
        if !lx.is_english(&t.lower)
            && !lx.is_clinical(&t.lower)
            && !words.iter().any(|(w, _)| *w == t.lower)
        {
            words.push((t.lower(), kind));
        }
    }
    if words.is_empty() {
        return;
    }
    words.sort_unstable_by_key(|w| w.0);
    for t in toks {
        if t.kind != TokKind::Word || t.lower.len() < 4 {
            continue;
        }
        let Some(kind) = words
            .binary_search_by(|w| w.0.cmp(t.lower()))
            .ok()
            .and_then(|at| words.get(at))
            .map(|w| w.1)
        else {
            continue;
        };
        if clinicians.iter().any(|&(a, b)| t.start < b && a < t.end) {
            continue;
        }
        found.push(PhiSpan {
            start: t.start,
            end: t.end,
            kind,
        });
    }
}

/// "I'm", "it's", "we'll": a pronoun and its verb, never part of a name ("Dr. Abiodun, I'm
/// Marcus"); "im" and "its" as messages write them.
fn is_contraction(w: &str) -> bool {
    if matches!(w, "im" | "its") {
        return true;
    }
    // The word before the apostrophe (straight or curly) and the verb after it; "n't" keeps
    // its "n" on the word ("don't").
    let Some((head, tail)) = w.split_once(['\'', '\u{2019}']) else {
        return false;
    };
    let ending = match tail {
        "m" | "s" | "d" | "ll" | "re" | "ve" => true,
        "t" => head.ends_with('n'),
        _ => false,
    };
    ending && is_function_word(head)
}

/// "Resident:" as a nursing home's form names its resident, the patient: the field's name
/// is followed by an age, a birth date or a room ("Resident: Otis Fairweather, 84M"), as a
/// resident physician's is not ("Resident: Priya Shah (PGY-2)").
fn resident_field(doc: &Doc, i: usize) -> bool {
    // Later on the line: an age, a birth date, a record, a room or the facility.
    static PATIENT_AFTER: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(
            r"^[^\n(]{2,40}?(?:,|\s)\s*(?:\d{1,3} ?(?:[MF]|yo|y/o)\b|\d{2,3}\s*[,;)]|(?i:dob|d\.o\.b|mrn|rm|room|facility)\b)",
        )
        .ok()
    });
    // "S: Resident Mabel Orcutt, 96 y/o", "resident Mildred Ostrowski, 96, DNR", "Resident
    // HALVERSON, MILDRED, DOB 05/30/1929": without a colon, an age or a birth date must
    // follow the name (no one writes a resident physician's).
    static AGED_AFTER: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(
            r"^[^\n(,]{2,40}?(?:,\s*[A-Z][A-Za-z'\-]+)?,\s*(?:\d{1,3} ?(?:[MF]|yo|y/o|years?)\b|\d{2,3}\s*[,;)]|(?i:dob|d\.o\.b)\b)",
        )
        .ok()
    });
    let colon = doc.gap_after(i).starts_with(':');
    doc.tokens.get(i).is_some_and(|t| t.lower() == "resident")
        && doc.tokens.get(i + 1).is_some_and(|n| {
            let after = doc.after(n.start, 64);
            if colon {
                PATIENT_AFTER.as_ref().is_some_and(|r| r.is_match(after))
            } else {
                AGED_AFTER.as_ref().is_some_and(|r| r.is_match(after))
            }
        })
}

/// Names in an HL7 message: the patient's field of a PID segment, family name, given name
/// and initial between carets ("PID|1||88412077^^^MAIN||CHAUDHRY^IMRAN^A||19740305|M").
fn hl7_names(doc: &Doc, out: &mut Vec<PhiSpan>) {
    static CARETED: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(r"\|([A-Z][A-Za-z'\-]+\^[A-Z][A-Za-z'\-]+(?:\^[A-Z][A-Za-z'\-]*)?)\|")
            .ok()
    });
    if !doc.text.contains('^') {
        return;
    }
    let Some(r) = CARETED.as_ref() else { return };
    for c in r.captures_iter(doc.text) {
        if let Some(m) = c.get(1) {
            out.push(PhiSpan {
                start: m.start(),
                end: m.end(),
                kind: PhiKind::Name,
            });
        }
    }
}

/// A surname and the initial of a given name, as lists print them ("PRICE, L. 83M",
/// "ROSS-KAHALE, L | 19F", "4. HUDSON-PIKE, A 16 F", "DIALLO, A, RN Brett"): at the start
/// of a field, a word of three letters or more that says nothing clinical, a comma, one
/// capital and the field's end. Not a lab pair ("BMP, K 3.4").
fn surname_and_initial(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let Some(u) = toks.get(i + 1) else { break };
        let initial = u.kind == TokKind::Word && u.lower.chars().count() == 1 && u.capitalized;
        if !initial || doc.gap_after(i) != ", " || !t.capitalized {
            continue;
        }
        let w = t.lower();
        let surname = t.kind == TokKind::Word
            && w.chars().count() >= 3
            && !never_a_name(lx, w)
            && !is_not_name(w)
            && !lx.is_medical(w)
            && !super::places::is_facility_head(w);
        // The field starts before it and ends after the initial.
        let opens = i == 0
            || doc.gap_before(i).contains(['\n', '|', '\t', ':'])
            || doc.gap_before(i).ends_with("  ")
            || doc.gap_before(i).contains(['\u{2014}', '\u{2013}'])
            || toks.get(i - 1).is_some_and(|p| {
                p.kind == TokKind::Number || matches!(p.lower(), "for" | "pt" | "re" | "on")
            });
        let rest = doc.after(u.end, 8);
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        let closes = rest.is_empty()
            || rest.starts_with(['\n', '|', ',', '(', ')', ';', ':'])
            || rest.starts_with("  ")
            || rest.starts_with(" \u{2014}")
            || rest.starts_with(" -")
            || rest.starts_with(" |")
            || (rest.starts_with(' ')
                && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
                && age_like(rest.trim_start()));
        if surname && opens && closes {
            out.push(PhiSpan {
                start: t.start,
                end: u.end,
                kind: PhiKind::Name,
            });
        }
    }
}

/// "83M", "16 F", "19F": an age and a sex.
pub(super) fn age_like(text: &str) -> bool {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let rest = text.get(digits..).unwrap_or("").trim_start_matches(' ');
    (1..=3).contains(&digits)
        && rest.starts_with(['M', 'F'])
        && !rest
            .get(1..)
            .unwrap_or("")
            .starts_with(|c: char| c.is_alphanumeric())
}

/// Byte ranges of clinicians' names: after "Dr."/"Doctor"/a role, or before a credential.
pub fn clinicians(doc: &Doc) -> Vec<(usize, usize)> {
    let lx = lexicon::get();
    let toks = &doc.tokens;
    let mut out = Vec::new();
    let is_part = |t: &Token| -> bool {
        t.kind == TokKind::Word
            && !is_function_word(&t.lower)
            && !is_contraction(&t.lower)
            && !lx.is_clinical(&t.lower)
            && !is_relation(t.lower())
    };
    for (i, t) in toks.iter().enumerate() {
        let w = t.lower();
        if is_clinician_before(w) && !resident_field(doc, i) {
            // Up to three name words after the title.
            let mut end = None;
            let mut m = i + 1;
            while m <= i + 3 {
                let Some(n) = toks.get(m) else { break };
                let gap = doc.gap_before(m);
                // "Hi Doctor, it's Kalani": a comma right after the title says who is
                // spoken to, not whose name follows.
                // After the name's first word a comma ends it: what follows is the practice
                // ("Dr Nóra Fitzgerald, Annascaul Medical Centre") or the writer ("Hi Dr.
                // Forsyth, Caleb's teacher"); so does a colon ("Dear Dr. Cole,\n\nRE:
                // Solomon Tesfaye"). A role's colon leads to the name ("Resident: Priya").
                let mark_ok = if m == i + 1 {
                    !gap.contains(',')
                } else {
                    !gap.contains([',', ':'])
                };
                // A full stop after a whole word ends the sentence ("Buenos días, doctor. Soy
                // Guadalupe"); only a title's abbreviation or an initial takes one ("Dr.
                // J. Okafor").
                let stop_ok = !gap.contains('.')
                    || toks.get(m - 1).is_some_and(|p| {
                        p.lower.chars().count() == 1 || (m == i + 1 && is_abbreviated_title(w))
                    });
                let ok_gap = gap.len() <= 3
                    && mark_ok
                    && stop_ok
                    && !gap.contains('\n')
                    && gap
                        .chars()
                        .all(|c| c.is_whitespace() || c == '.' || c == ',' || c == ':');
                // "RN re HAMMOND, DORIS": what the nurse called about, not the nurse's name.
                let subject = matches!(n.lower(), "re" | "regarding" | "ref");
                let ok = ok_gap
                    && is_part(n)
                    && !subject
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
        if is_clinician_after(w) && i > 0 {
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
                // "Zabrowski House NH resident": a facility, not a clinician's name.
                if !is_part(p)
                    || !(p.capitalized || lx.is_name(&p.lower))
                    || super::places::is_facility_head(p.lower())
                {
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

/// A surname right after a given name found, in mixed text: "Dmitri Volkov", "Judith
/// Whitcombe-Hale". The rules find a given name by its list and the tagger may not trust a
/// surname that no list holds; a capitalized word that could be a name, right after one on
/// the same line, is its surname. A possessive "'s" is left out of every name.
/// "WELLS, BENJAMIN", "Lundqvist, Per": a surname and a given name around a comma are one
/// name where one of them was found. The other is taken when it is written like it (both
/// in capitals, or both capitalized) and, for a given name, a list of given names holds it;
/// a surname before the comma only at the start of an entry (a line, a bullet, a cell) and
/// when it is a surname or no common word ("Thanks, Marisa" is no name). A half found on its
/// own already stays its own span.
pub fn extend_across_comma(doc: &Doc, found: &mut [PhiSpan]) {
    let lx = lexicon::get();
    let taken: Vec<(usize, usize)> = found.iter().map(|s| (s.start, s.end)).collect();
    let is_taken = |t: &Token| taken.iter().any(|&(a, b)| a < t.end && t.start < b);
    let token_at = |start: usize| {
        doc.tokens
            .binary_search_by_key(&start, |t| t.start)
            .ok()
            .and_then(|k| doc.tokens.get(k))
    };
    let alike = |a: &Token, b: &Token| {
        a.kind == TokKind::Word
            && b.kind == TokKind::Word
            && a.capitalized
            && b.capitalized
            && a.all_caps == b.all_caps
    };
    let plain = |t: &Token| {
        !is_function_word(&t.lower)
            && !lx.is_clinical(&t.lower)
            && !lx.is_state_or_country(&t.lower)
            && !is_relation(&t.lower)
            && !is_not_name(&t.lower)
            && !super::dates::is_day_or_month(&t.lower)
    };
    for s in found.iter_mut().filter(|s| s.kind == PhiKind::Name) {
        let Some(name) = token_at(s.start).filter(|t| t.end == s.end) else {
            continue;
        };
        // The given name after: "WHITLOCK, ROSE".
        if doc.after(s.end, 2) == ", " {
            if let Some(t) = token_at(s.end + 2) {
                let entry_ends = doc
                    .after(t.end, 2)
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '-' && c != '\'');
                if alike(name, t)
                    && plain(t)
                    && !is_taken(t)
                    && (lx.is_first_name(&t.lower) || lx.is_world_name(&t.lower))
                    && entry_ends
                {
                    s.end = t.end;
                    continue;
                }
            }
        }
        // The surname before, at the start of an entry: "WELLS, BENJAMIN".
        if doc.before(s.start, 2) == ", " && lx.is_first_name(&name.lower) {
            let k = doc.tokens.partition_point(|t| t.end <= s.start - 2);
            let Some(t) = k.checked_sub(1).and_then(|k| doc.tokens.get(k)) else {
                continue;
            };
            let surname = lx.is_surname(&t.lower)
                || lx.is_world_name(&t.lower)
                || (t.lower.len() >= 4 && !lx.is_english(&t.lower));
            if t.end != s.start - 2 || !alike(t, name) || !plain(t) || !surname || is_taken(t) {
                continue;
            }
            let line_before = doc.before(t.start, 40);
            let line_before = line_before.rsplit('\n').next().unwrap_or("");
            let entry_starts = line_before.chars().all(|c| {
                c.is_ascii_digit()
                    || c.is_whitespace()
                    || "-*.)|:#\u{2013}\u{2014}\u{2022}".contains(c)
            });
            if entry_starts {
                s.start = t.start;
            }
        }
    }
}

/// Particles of a surname between two parts of a name found: "Cornelius Van der Merwe",
/// "Maria de la Cruz". The name is taken across them.
pub fn join_over_particles(doc: &Doc, found: &mut [PhiSpan]) {
    const PARTICLES: &[&str] = &[
        "van", "der", "den", "de", "del", "della", "la", "le", "da", "di", "du", "von", "bin",
        "ibn", "al", "el", "dos", "das", "ter", "ten", "y",
    ];
    let names: Vec<(usize, usize)> = found
        .iter()
        .filter(|s| s.kind == PhiKind::Name)
        .map(|s| (s.start, s.end))
        .collect();
    for s in found.iter_mut().filter(|s| s.kind == PhiKind::Name) {
        let after = doc.after(s.end, 16);
        let mut gap = 0;
        let mut particles = 0;
        for word in after.split_inclusive(' ') {
            let w = word.trim_end_matches(' ');
            if word == " " && gap == 0 {
                gap += 1;
                continue;
            }
            if !PARTICLES.contains(&w.to_lowercase().as_str()) || !word.ends_with(' ') {
                break;
            }
            gap += word.len();
            particles += 1;
        }
        let next = names.iter().find(|&&(start, _)| start == s.end + gap);
        if let Some(&(_, end)) = next.filter(|_| particles > 0) {
            s.end = end;
        }
    }
}

pub fn extend_over_surnames(doc: &Doc, found: &mut [PhiSpan]) {
    let lx = lexicon::get();
    for s in found.iter_mut().filter(|s| s.kind == PhiKind::Name) {
        let possessive = doc.slice(s.start, s.end);
        if let Some(stem) = possessive
            .strip_suffix("'s")
            .or_else(|| possessive.strip_suffix("\u{2019}s"))
        {
            s.end = s.start + stem.len();
            continue;
        }
        if doc.shouting || doc.after(s.end, 1) != " " {
            continue;
        }
        let Ok(k) = doc.tokens.binary_search_by_key(&(s.end + 1), |t| t.start) else {
            continue;
        };
        let Some(t) = doc.tokens.get(k) else { continue };
        let parts_ok = doc.slice(t.start, t.end).split('-').all(|part| {
            part.chars().next().is_some_and(char::is_uppercase)
                && !part.chars().skip(1).any(char::is_uppercase)
                && !lx.all_vocabulary(part, true)
        });
        let word_ok = t.kind == TokKind::Word
            && t.capitalized
            && !t.all_caps
            && parts_ok
            && !is_function_word(&t.lower)
            && !lx.is_clinical(&t.lower)
            && !lx.is_state_or_country(&t.lower)
            && !is_relation(&t.lower)
            && !is_not_name(&t.lower)
            && !is_clinician_after(&t.lower)
            && !super::dates::is_day_or_month(&t.lower)
            && (!lx.is_eponym(&t.lower) || lx.is_name(&t.lower))
            && (lx.is_name(&t.lower)
                || lx.is_world_name(&t.lower)
                || !lx.is_english_exact(&t.lower));
        if word_ok {
            s.end = t.end - possessive_len(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{scan, scan_with, Detectors};
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
    fn first_name_then_surname_that_is_a_word_or_unknown() {
        // A strong first name carries the next capitalized word, even an English surname.
        assert_eq!(
            names("pt is widowed. dtr Nancy Cooper came by"),
            ["Nancy Cooper"]
        );
        assert_eq!(
            names("CONTACT PERSON DOLORES KEYES AT HOME"),
            ["DOLORES KEYES"]
        );
        assert_eq!(
            names("spokesperson is Nancy Quibbleton, niece"),
            ["Nancy Quibbleton"]
        );
        // Not after a weak first name, and not across a clinical word.
        assert!(names("Pt has Rose Bengal staining").is_empty());
        assert_eq!(names("PT TOLD NANCY LASIX GIVEN"), ["NANCY"]);
    }

    #[test]
    fn first_names_that_are_words_need_a_person_context() {
        assert_eq!(names("update: rose called twice overnight"), ["rose"]);
        assert_eq!(names("unable to reach Mark tonight"), ["Mark"]);
        assert_eq!(names("Spoke with Grace about plan"), ["Grace"]);
        assert!(names("the bill was paid; will mark the site").is_empty());
        assert!(names("ROSE TO 38.5 OVERNIGHT").is_empty());
    }

    #[test]
    fn unknown_capitalized_words_near_a_person_cue() {
        // The rule's find; the tagger, reading the words around it, may overrule it.
        let by_rules = |text: &str| -> Vec<String> {
            let which = super::super::Detectors {
                tagger: false,
                ..super::super::Detectors::ALL
            };
            super::super::scan_with(text, which)
                .into_iter()
                .filter(|s| s.kind == PhiKind::Name)
                .map(|s| text.get(s.start..s.end).unwrap_or("?").to_string())
                .collect()
        };
        assert_eq!(
            by_rules("plan explained to Zorvek by the team."),
            ["Zorvek"]
        );
        assert_eq!(names("At this time, Zorvek wishes to go home"), ["Zorvek"]);
        assert_eq!(
            names("we met with Zorvek Pennington today"),
            ["Zorvek Pennington"]
        );
        // A drug or a sentence start is no name.
        assert!(names("Started on Zosyn today. Afebrile overnight.").is_empty());
        assert!(names("Carevue reviewed, plan discussed").is_empty());
    }

    #[test]
    fn surnames_before_family_and_proxies_after_lawyer() {
        assert_eq!(names("UPDATED THE OKONKWO FAMILY AT BEDSIDE"), ["OKONKWO"]);
        assert_eq!(
            names("her attorney (Hal Vandermolen) called"),
            ["Hal Vandermolen"]
        );
        assert!(names("KEEP THE FAMILY AWARE; PT FAMILY MEETING").is_empty());
    }

    #[test]
    fn first_names_joined_to_a_found_name() {
        assert_eq!(
            names("Both Imelda and Hank are proxies."),
            ["Imelda", "Hank"]
        );
        // The rule joins no word after "and" that is no name there. (The tagger, a separate
        // call, takes "Rose" before "rash" on its own.)
        let rules = Detectors {
            tagger: false,
            ..Detectors::ALL
        };
        let text = "Imelda and will call back; pain and Rose rash";
        let joined = scan_with(text, rules)
            .into_iter()
            .filter(|s| s.kind == PhiKind::Name)
            .count();
        assert!(joined <= 1, "{text}");
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
