//! Places: street addresses, ZIP codes, named facilities (the name part of "Calvert
//! Hospital"), places after a cue ("transferred to X", "lives in X"), and US cities, towns
//! and counties of the gazetteer. States and countries are not identifiers.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::{self, is_function_word, Lexicon};
use super::text::{Doc, TokKind, Token};
use super::{PhiKind, PhiSpan};

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

const STREET_SUFFIX: &str = r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|highway|hwy|parkway|pkwy|square|sq|trail|trl|pike|turnpike|alley|route|rte|plaza|crescent)";

static ADDRESS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b\d{{1,6}}(?:-\d{{1,4}})?[A-Za-z]?[ \t]+(?P<words>(?:[A-Za-z][A-Za-z'.\-]*[ \t]+){{1,3}}){STREET_SUFFIX}\b(?:,?[ \t]*(?:apt|apartment|unit|suite|ste|\#)\.?[ \t]*\#?[ \t]*[A-Za-z0-9\-]+)?|\bp\.?[ \t]*o\.?[ \t]*box[ \t]+\d+"
    ))
});

const STATES: &str = r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new[ \t]+hampshire|new[ \t]+jersey|new[ \t]+mexico|new[ \t]+york|north[ \t]+carolina|north[ \t]+dakota|ohio|oklahoma|oregon|pennsylvania|rhode[ \t]+island|south[ \t]+carolina|south[ \t]+dakota|tennessee|texas|utah|vermont|virginia|washington|west[ \t]+virginia|wisconsin|wyoming)";

/// A ZIP code after a state or after "zip".
static ZIP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"(?:\b{STATES}\.?,?[ \t]+|(?i:\bzip(?:[ \t]*code)?[ \t]*[:\#]?[ \t]*))(?P<zip>\d{{5}}(?:-\d{{4}})?)\b"
    ))
});

/// "University of Maryland", "U of MD", "U Maryland".
static UNIVERSITY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:university|univ\.?|u\.?)[ \t]*(?:of[ \t]+)?{STATES}\b(?:[ \t]+(?:medical[ \t]+(?:center|system)|hospital|hosp))?"
    ))
});

/// Acronyms of medical centers: "GBMC", "UMMC", "VAMC", "MGH".
static CENTER_ACRONYM: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"\b(?:[A-Z]{1,5}MC|[A-Z]{2,4}H|VA|VAMC|VAH)\b"));

/// Words that end a facility's name and are not part of the name itself.
const FACILITY_HEADS: &[&str] = &[
    "hospital",
    "hospitals",
    "hosp",
    "clinic",
    "infirmary",
    "hospice",
    "sanitarium",
    "sanatorium",
    "nursing",
    "healthcare",
    "rehab",
    "rehabilitation",
    "manor",
    "campus",
    "university",
    "college",
    "church",
    "school",
    "academy",
    "center",
    "centre",
    "ctr",
];

/// Words that belong to a facility's name ("Sacred Heart Memorial", "Laurel Regional").
const FACILITY_NAME_TAILS: &[&str] = &["memorial", "regional", "general", "adventist", "mercy"];

/// Words that make a facility generic ("outside hospital", "community hospital").
const GENERIC: &[&str] = &[
    "outside",
    "local",
    "another",
    "other",
    "nearby",
    "area",
    "community",
    "county",
    "city",
    "state",
    "private",
    "public",
    "psychiatric",
    "psych",
    "children's",
    "childrens",
    "women's",
    "rehab",
    "acute",
    "subacute",
    "chronic",
    "cardiac",
    "pulmonary",
    "inpatient",
    "outpatient",
    "teaching",
    "receiving",
    "referring",
    "sending",
    "transferring",
    "same",
    "previous",
    "prior",
    "current",
    "new",
    "old",
    "mental",
    "medical",
    "general",
    "regional",
    "memorial",
    "health",
    "care",
    "day",
    "dialysis",
    "cancer",
    "heart",
    "eye",
    "veterans",
    "university",
    "nursing",
    "long",
    "term",
    "short",
    "home",
    "skilled",
    "assisted",
    "living",
    "facility",
    "his",
    "her",
    "their",
    "our",
    "your",
    "my",
    "pt's",
    "patient's",
    "st",
    "the",
    "a",
    "an",
    "this",
    "that",
    "hospital",
    "rehabilitation",
    "physical",
    "therapy",
    "primary",
    "surgical",
    "surgery",
    "trauma",
    "burn",
    "stroke",
    "dental",
    "family",
    "senior",
    "elderly",
    "adult",
    "main",
    "north",
    "south",
    "east",
    "west",
];

/// Verbs and nouns after which "to/from/at/in" introduces a place.
const MOVE_CUES: &[&str] = &[
    "transfer",
    "transferred",
    "transfered",
    "transfering",
    "transferring",
    "xfer",
    "xfered",
    "xferred",
    "trans",
    "tx",
    "txd",
    "tx'd",
    "txed",
    "admitted",
    "admit",
    "readmitted",
    "sent",
    "taken",
    "went",
    "go",
    "going",
    "goes",
    "brought",
    "presented",
    "returned",
    "return",
    "returning",
    "discharged",
    "dc'd",
    "referred",
    "flown",
    "flighted",
    "flight",
    "moved",
    "ambulance",
    "enroute",
    "route",
    "arrived",
    "came",
    "come",
    "comes",
    "coming",
    "followed",
    "transplant",
    "lives",
    "living",
    "live",
    "resides",
    "residing",
    "reside",
    "born",
    "works",
    "worked",
    "employed",
    "hospitalized",
    "stay",
    "stayed",
    "staying",
    "church",
    "visiting",
    "driven",
    "driving",
    "drove",
    "transported",
    "medflighted",
    "evaluated",
    "seen",
    "treated",
    "intubated",
    "cathed",
    "cath'd",
    "surgery",
    "admission",
    "stent",
    "stented",
    "cabg",
    "procedure",
    "rehab",
    "house",
    "apartment",
    "farm",
    "cabin",
    "vacation",
    "vacationing",
    "trip",
    "travelled",
    "traveled",
    "visit",
    "visited",
    "visits",
    "moving",
    "flown",
    "d/c",
    "dc",
    "dc'ed",
    "discharge",
    "discharging",
    "screened",
];

const MOVE_PREPS: &[&str] = &["to", "from", "at", "in", "into", "near", "by", "via", "@"];

pub fn find(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    addresses(doc, out);
    zips(doc, out);
    if let Some(r) = UNIVERSITY.as_ref() {
        for m in r.find_iter(doc.text) {
            out.push(PhiSpan {
                start: m.start(),
                end: m.end(),
                kind: PhiKind::Location,
            });
        }
    }
    if let Some(r) = CENTER_ACRONYM.as_ref() {
        for m in r.find_iter(doc.text) {
            let w = m.as_str().to_ascii_lowercase();
            if !lx.is_clinical(&w) && !lx.is_english(&w) && !NOT_CENTERS.contains(&w.as_str()) {
                out.push(PhiSpan {
                    start: m.start(),
                    end: m.end(),
                    kind: PhiKind::Location,
                });
            }
        }
    }
    facilities(doc, lx, out);
    cued(doc, lx, out);
    gazetteer(doc, lx, out);
}

/// Upper-case words ending in H or MC that are clinical shorthand, not hospitals.
const NOT_CENTERS: &[&str] = &[
    "bph", "dh", "lh", "fsh", "tsh", "acth", "adh", "pth", "hgh", "ldh", "nph", "hh", "hoh", "ich",
    "ph", "bh", "ch", "oh", "ah", "eh", "uh", "nh", "sh", "th", "wh", "rh", "mh", "gh", "kh",
    "hch", "lvh", "rvh", "lah", "rah", "pah", "ith", "sah", "sdh", "edh", "ivh", "avh", "mch",
    "hmc", "cmc", "mmc", "pmc", "dmc", "smc", "amc",
];

fn addresses(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let Some(r) = ADDRESS.as_ref() else { return };
    for c in r.captures_iter(doc.text) {
        let Some(all) = c.get(0) else { continue };
        if let Some(words) = c.name("words") {
            // "given 2 units per Dr", "10 mg by ct": a dose and a word, not a street.
            let bad = words.as_str().split_whitespace().any(|w| {
                let w = w.trim_end_matches('.').to_lowercase();
                is_function_word(&w)
                    || lexicon::get().is_clinical(&w)
                    || matches!(
                        w.as_str(),
                        "units" | "unit" | "mg" | "times" | "days" | "hours"
                    )
            });
            if bad {
                continue;
            }
        }
        out.push(PhiSpan {
            start: all.start(),
            end: all.end(),
            kind: PhiKind::Address,
        });
    }
}

fn zips(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let Some(r) = ZIP.as_ref() else { return };
    for c in r.captures_iter(doc.text) {
        if let Some(z) = c.name("zip") {
            out.push(PhiSpan {
                start: z.start(),
                end: z.end(),
                kind: PhiKind::Zip,
            });
        }
    }
}

/// May this token be part of a proper name (of a place or a person)? Capitalized in mixed
/// text; any word in shouting text. Never a function word or clinical shorthand.
pub fn name_like(doc: &Doc, lx: &Lexicon, t: &Token) -> bool {
    t.kind == TokKind::Word
        && (doc.shouting || t.capitalized)
        && !is_function_word(&t.lower)
        && !lx.is_clinical(&t.lower)
}

/// "Calvert Hospital", "Sacred Heart Memorial", "St. Agnes": the name before a facility word.
fn facilities(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let head = FACILITY_HEADS.contains(&t.lower.as_str());
        let tail = FACILITY_NAME_TAILS.contains(&t.lower.as_str());
        let medical_center = t.lower == "medical"
            && toks
                .get(i + 1)
                .is_some_and(|n| matches!(n.lower.as_str(), "center" | "centre" | "ctr"));
        if !(head || tail || medical_center) {
            continue;
        }
        if t.lower == "center" || t.lower == "centre" || t.lower == "ctr" {
            // Only "... Medical Center" or "... Health Center" (handled via "medical") and
            // capitalized names followed by Center in mixed text.
            if doc.shouting || !t.capitalized {
                continue;
            }
        }
        // Walk back over name-like words joined by spaces (or "St.").
        let mut first = i;
        let mut j = i;
        while j > 0 && i - j < 4 {
            let gap = doc.gap_before(j);
            let Some(prev) = toks.get(j - 1) else { break };
            let joined = gap
                .chars()
                .all(|c| c == ' ' || c == '\t' || c == '.' || c == '-')
                && !gap.is_empty()
                && gap.len() <= 3;
            if !joined || !name_like(doc, lx, prev) {
                if joined && prev.lower == "st" {
                    first = j - 1;
                }
                break;
            }
            first = j - 1;
            j -= 1;
        }
        // Drop generic words at the front ("outside", "the", "community").
        let mut k = first;
        while k < i {
            match toks.get(k) {
                Some(w) if GENERIC.contains(&w.lower.as_str()) && w.lower != "st" => k += 1,
                _ => break,
            }
        }
        let end_idx = if tail { i + 1 } else { i };
        if k >= end_idx {
            continue;
        }
        // The name must have a word that is not generic.
        let specific = (k..end_idx).any(|x| {
            toks.get(x)
                .is_some_and(|w| !GENERIC.contains(&w.lower.as_str()) || w.lower == "st")
        });
        if !specific {
            continue;
        }
        if tail && k == i {
            continue;
        }
        if let (Some(a), Some(b)) = (toks.get(k), toks.get(end_idx - 1)) {
            out.push(PhiSpan {
                start: a.start,
                end: b.end,
                kind: PhiKind::Location,
            });
        }
    }
}

/// A place after "transferred to", "lives in", "admitted from"…
fn cued(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if !MOVE_PREPS.contains(&t.lower.as_str()) {
            continue;
        }
        // The cue word is within two words before the preposition ("transferred back to").
        let cued = (1..=3).any(|d| {
            i.checked_sub(d)
                .and_then(|j| toks.get(j))
                .is_some_and(|c| MOVE_CUES.contains(&c.lower.as_str()))
        });
        if !cued {
            continue;
        }
        let mut k = i + 1;
        if toks.get(k).is_some_and(|n| n.lower == "the") {
            k += 1;
        }
        let Some(first) = toks.get(k) else { continue };
        if !doc.gap_before(k).chars().all(char::is_whitespace) {
            continue;
        }
        if !place_start(doc, lx, toks, k) {
            continue;
        }
        let mut end = first.end;
        let mut m = k + 1;
        while m < k + 4 {
            let Some(n) = toks.get(m) else { break };
            let gap = doc.gap_before(m);
            if !(gap == " " || gap == "-" || gap == ". " || gap == "  ")
                || FACILITY_HEADS.contains(&n.lower.as_str())
                || !name_like(doc, lx, n)
            {
                break;
            }
            let extend = if doc.shouting {
                !lx.is_english(&n.lower)
                    || lx.is_place(&n.lower)
                    || FACILITY_NAME_TAILS.contains(&n.lower.as_str())
            } else {
                n.capitalized
            };
            if !extend {
                break;
            }
            end = n.end;
            m += 1;
        }
        out.push(PhiSpan {
            start: first.start,
            end,
            kind: PhiKind::Location,
        });
    }
}

/// Is token `k` the start of a place name, right after a cue?
fn place_start(doc: &Doc, lx: &Lexicon, toks: &[Token], k: usize) -> bool {
    let Some(t) = toks.get(k) else { return false };
    if !name_like(doc, lx, t)
        || t.lower.chars().count() < 2
        || GENERIC.contains(&t.lower.as_str())
        || lx.is_state_or_country(&t.lower)
    {
        return false;
    }
    if NOT_PLACES.contains(&t.lower.as_str()) {
        return false;
    }
    if lx.is_place(&t.lower) || !lx.is_english(&t.lower) {
        return true;
    }
    // An English word starts a place when a building number or facility word follows
    // ("Quartermain 2", "Harbor Hospital") or, in mixed text, when it is capitalized.
    let next = toks.get(k + 1);
    let next_gap = doc.gap_after(k);
    let numbered = next.is_some_and(|n| {
        n.kind == TokKind::Number && n.lower.len() <= 2 && next_gap.trim().is_empty()
    });
    let facility = next.is_some_and(|n| {
        FACILITY_HEADS.contains(&n.lower.as_str())
            || FACILITY_NAME_TAILS.contains(&n.lower.as_str())
    });
    numbered || facility || (!doc.shouting && t.capitalized && !t.all_caps)
}

/// Words that follow "to/at/from" in notes and are neither places nor names.
const NOT_PLACES: &[&str] = &[
    "bed",
    "bedside",
    "chair",
    "commode",
    "bathroom",
    "room",
    "floor",
    "unit",
    "work",
    "school",
    "church",
    "bed's",
    "scan",
    "ct",
    "mri",
    "xray",
    "x-ray",
    "surgery",
    "cath",
    "recovery",
    "sleep",
    "rest",
    "baseline",
    "touch",
    "pain",
    "voice",
    "stimuli",
    "sound",
    "command",
    "commands",
    "name",
    "family",
    "wife",
    "husband",
    "son",
    "daughter",
    "mother",
    "father",
    "friends",
    "friend",
    "sister",
    "brother",
    "patient",
    "pt",
    "nurse",
    "md",
    "team",
    "resident",
    "attending",
    "intern",
    "fellow",
    "nursing",
    "morning",
    "evening",
    "night",
    "noon",
    "midnight",
    "am",
    "pm",
    "dinner",
    "lunch",
    "breakfast",
    "hospital",
    "er",
    "ed",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "cxr",
    "ekg",
    "echo",
    "dialysis",
    "rehab",
    "hospice",
    "vent",
    "trach",
    "nc",
    "fm",
    "nrb",
    "ra",
    "rest",
    "least",
    "risk",
    "times",
    "present",
];

/// US cities, towns and counties of the gazetteer, wherever they appear.
fn gazetteer(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    let mut i = 0;
    let mut key = String::new();
    while i < toks.len() {
        let mut matched = 0;
        // Several words first ("San Diego", "Ellicott City").
        for n in (2..=lx.max_place_words).rev() {
            if i + n > toks.len() {
                continue;
            }
            key.clear();
            let mut ok = true;
            for (x, t) in toks.iter().enumerate().skip(i).take(n) {
                if t.kind != TokKind::Word || !(doc.shouting || t.capitalized) {
                    ok = false;
                    break;
                }
                if x > i {
                    if doc.gap_before(x) != " " {
                        ok = false;
                        break;
                    }
                    key.push(' ');
                }
                key.push_str(&t.lower);
            }
            if ok && lx.is_multi_place(&key) {
                matched = n;
                break;
            }
        }
        if matched == 0 {
            if let Some(t) = toks.get(i) {
                if single_place(doc, lx, t) {
                    matched = 1;
                }
            }
        }
        if matched > 0 {
            if let (Some(a), Some(b)) = (toks.get(i), toks.get(i + matched - 1)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end,
                    kind: PhiKind::Location,
                });
            }
            i += matched;
        } else {
            i += 1;
        }
    }
}

fn single_place(doc: &Doc, lx: &Lexicon, t: &Token) -> bool {
    t.kind == TokKind::Word
        && (doc.shouting || (t.capitalized && !t.all_caps))
        && t.lower.len() >= 4
        && lx.is_place(&t.lower)
        && !lx.is_english(&t.lower)
        && !lx.is_clinical(&t.lower)
        && !lx.is_first_name(&t.lower)
        && !NOT_PLACES.contains(&t.lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;

    fn places(text: &str) -> Vec<(String, PhiKind)> {
        scan(text)
            .into_iter()
            .map(|s| (text.get(s.start..s.end).unwrap_or("?").to_string(), s.kind))
            .collect()
    }

    fn loc(s: &str) -> (String, PhiKind) {
        (s.to_string(), PhiKind::Location)
    }

    #[test]
    fn street_addresses_and_zip_codes() {
        assert_eq!(
            places("lives at 1428 Elm Street, Apt 3B with son"),
            [("1428 Elm Street, Apt 3B".to_string(), PhiKind::Address)]
        );
        assert_eq!(
            places("send to PO Box 1190"),
            [("PO Box 1190".to_string(), PhiKind::Address)]
        );
        let got = places("mail: 12 Oak Ave, Towson, MD 21204-1100");
        assert!(
            got.contains(&("12 Oak Ave".to_string(), PhiKind::Address)),
            "{got:?}"
        );
        assert!(got.contains(&loc("Towson")), "{got:?}");
        assert!(
            got.contains(&("21204-1100".to_string(), PhiKind::Zip)),
            "{got:?}"
        );
        assert_eq!(
            places("zip code 90210"),
            [("90210".to_string(), PhiKind::Zip)]
        );
        assert!(places("given 2 units per Dr. Ames")
            .iter()
            .all(|(_, k)| *k != PhiKind::Address));
    }

    #[test]
    fn facilities_keep_the_name_part() {
        assert_eq!(
            places("ADMITTED IN TRANSFER FROM CALVERT HOSPITAL FOR MENTAL STATUS"),
            [loc("CALVERT")]
        );
        assert_eq!(
            places("had a cath at Sacred Heart Memorial."),
            [loc("Sacred Heart Memorial")]
        );
        assert_eq!(places("was at St. Agnes Hospital"), [loc("St. Agnes")]);
        assert_eq!(
            places("to the University of Maryland"),
            [loc("University of Maryland")]
        );
        assert!(places("transferred from an outside hospital").is_empty());
        assert!(places("ADMITTED TO COMMUNITY HOSPITAL").is_empty());
    }

    #[test]
    fn places_after_cues() {
        assert_eq!(places("TRANSFER TO WESTBURY 2 IN AM."), [loc("WESTBURY")]);
        assert_eq!(places("transferred to KMH for cath"), [loc("KMH")]);
        assert_eq!(
            places("pt lives in Glen Burnie with wife"),
            [loc("Glen Burnie")]
        );
        assert!(places("transfer to CCU today, then to floor").is_empty());
        assert!(places("PT TRANSFERRED TO MICU FROM ED").is_empty());
    }

    #[test]
    fn gazetteer_cities_but_not_states() {
        assert_eq!(places("her sister in Baltimore called"), [loc("Baltimore")]);
        assert_eq!(places("FAMILY FROM SAN DIEGO"), [loc("SAN DIEGO")]);
        assert!(places("moved here from Maryland and Canada").is_empty());
    }
}
