//! Places: street addresses, ZIP codes, named facilities (the name part of "Calvert
//! Hospital"), places after a cue ("transferred to X", "lives in X"), and US cities, towns
//! and counties of the gazetteer. States and countries are not identifiers.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::{self, is_function_word, Lexicon, WordSet};
use super::text::{Doc, TokKind, Token};
use super::{PhiKind, PhiSpan};

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

const STREET_SUFFIX: &str = r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|highway|hwy|parkway|pkwy|square|sq|trail|trl|pike|turnpike|alley|route|rte|plaza|crescent|cres|close|grove|mews|gardens|bend|view|park|row|walk|rise|loop|run|ridge|hill|heights|point|cove|crossing|path|green|vale|quay|parade|esplanade|wynd|hollow|glen|landing|trace|meadows?|commons)";

/// The suffixes of [`STREET_SUFFIX`] that are words too ("2 L walk test", "a 3 point
/// turn"): they end a street only as a name does.
const WORD_SUFFIXES: &[&str] = &[
    "bend",
    "view",
    "park",
    "row",
    "walk",
    "rise",
    "loop",
    "run",
    "ridge",
    "hill",
    "heights",
    "point",
    "cove",
    "crossing",
    "path",
    "green",
    "vale",
    "quay",
    "parade",
    "esplanade",
    "wynd",
    "hollow",
    "glen",
    "landing",
    "trace",
    "meadow",
    "meadows",
    "commons",
];

static ADDRESS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        concat!(
            r"(?i)\b\d{{1,6}}(?:-\d{{1,4}})?[ \t]+(?P<words>(?:(?:\p{{L}}[\p{{L}}'\-]*\.?|\d{{1,3}}(?:st|nd|rd|th))[ \t]+){{1,3}})?",
            // A numbered road with its number ("417 County Rd 9", "21400 Old Highway 99",
            // "6120 Hwy 22"), or the street's suffix after its name.
            r"(?:(?P<road>(?:road|rd|highway|hwy|route|rte)[ \t]+\d{{1,4}}[A-Z]?)\b|(?P<suffix>{suffix})\b)",
            // The unit: "apt 6F", "rear unit", "3rd fl", "garden unit", "basement".
            r"(?:\.?,?[ \t]*(?:(?:apt|apartment|unit|suite|ste|lot|trailer|space|bldg|floor|fl|\#)\.?[ \t]*\#?[ \t]*[A-Za-z0-9\-]+",
            r"|(?:rear|front|upper|lower|garden|basement|back)(?:[ \t]+(?:unit|apt|apartment|house))?\b",
            r"|\d{{1,2}}(?:st|nd|rd|th)[ \t]+(?:fl|floor)\b\.?))?",
            r"|\bp\.?[ \t]*o\.?[ \t]*box[ \t]+\d+",
        ),
        suffix = STREET_SUFFIX
    ))
});

const STATES: &str = r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new[ \t]+hampshire|new[ \t]+jersey|new[ \t]+mexico|new[ \t]+york|north[ \t]+carolina|north[ \t]+dakota|ohio|oklahoma|oregon|pennsylvania|rhode[ \t]+island|south[ \t]+carolina|south[ \t]+dakota|tennessee|texas|utah|vermont|virginia|washington|west[ \t]+virginia|wisconsin|wyoming)";

/// The names of the states alone (for case-insensitive matching).
const STATE_NAMES: &str = r"(?:alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new[ \t]+hampshire|new[ \t]+jersey|new[ \t]+mexico|new[ \t]+york|north[ \t]+carolina|north[ \t]+dakota|ohio|oklahoma|oregon|pennsylvania|rhode[ \t]+island|south[ \t]+carolina|south[ \t]+dakota|tennessee|texas|utah|vermont|virginia|washington|west[ \t]+virginia|wisconsin|wyoming)";

/// A ZIP code after a state (a line break between them too; an abbreviation in any case
/// after a comma), after "zip", "zip code is", "postal code", after "lives in", or in "the
/// 21201 area"; after a territory or a military post ("Carolina, PR 00985", "FPO AP
/// 96672"); a postcode after its key in other countries ("CEP 05435-001", "C.P. 44160",
/// "PLZ 10999", "〒862-0950").
static ZIP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"(?:(?:\b{STATES}|(?i:\b{STATE_NAMES})|,[ \t]*(?i:{STATES}))\.?,?(?:[ \t]+|[ \t]*\n[ \t]*)|(?i:\b(?:zip|zipcode|zip[ \t]*code|zip\+4|postal[ \t]*code|post[ \t]*code|c[óo]digo[ \t]+postal|code[ \t]+postal)(?:[ \t]*(?:is|of|was|:|\#|=|-))*[ \t]*)|(?i:\b(?:lives|living|resides|residing|moved|relocated)[ \t]+(?:to[ \t]+|in[ \t]+)?))(?P<zip>\d{{5}}(?:-\d{{4}})?)\b|(?i:\bthe[ \t]+)(?P<zip2>\d{{5}})[ \t]+(?i:zip|area)\b|(?i:\b(?:pin[ \t]*code|pincode|pin))[ \t]*(?:[:\#=-][ \t]*)?(?P<zip3>\d{{6}}|\d{{3}} \d{{3}})\b|(?:\b(?:PR|GU)|\b[AFD]PO[ \t]+A[AEP])\.?,?[ \t]+(?P<zip4>\d{{5}}(?:-\d{{4}})?)\b|(?:\bCEP|\bC\.P\.|\bPLZ|\x{{3012}})[ \t]*[:\x{{FF1A}}]?[ \t]*(?P<zip5>\d{{5}}-\d{{3}}|\d{{3}}-\d{{4}}|\d{{4,5}})\b"
    ))
});

/// What may stand between a town (or a street address) and its ZIP code: a comma, a
/// state, a line break. Or the six digits of a postcode of India, Singapore, China or Russia
/// ("Pune 411007", "Hyderabad 500 072"), a dash before them too ("Mumbai - 400092").
static ZIP_AFTER_PLACE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"^,?(?:[ \t]*\n?[ \t]*(?:{STATES}|(?i:{STATES}))\.?,?)?[ \t]*\n?[ \t]*(?P<zip>\d{{5}}(?:-\d{{4}})?|\d{{6}}|\d{{3}} \d{{3}})\b|^[ \t]*[\-\x{{2013}}\x{{2014}}][ \t]*(?P<pin>\d{{6}})\b"
    ))
});

/// What may follow a street address before its postal code: a town without a comma, a
/// state or province (of the US, Australia, Canada), then a US ZIP code or a postcode of
/// four or six digits ("418 OLD MILL RD CANTON 28716", "5 Banksia Crescent, Toowoomba QLD
/// 4350", "22 Kowhai Street, Otaki 5512").
static POSTCODE_AFTER_ADDRESS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"^,?[ \t]*(?:(?P<town>\p{{Lu}}[\p{{L}}'\x{{2019}}.-]+(?:[ \t]+\p{{Lu}}[\p{{L}}'\x{{2019}}.-]+){{0,2}}?),?[ \t]+)??(?:(?P<state>{STATES}|QLD|NSW|VIC|TAS|ACT|NT|BC|AB|SK|MB|ON|QC|NB|NS|PE|NL)\.?,?[ \t]+)?(?P<zip>\d{{5}}(?:-\d{{4}})?|\d{{4}}|\d{{6}})\b"
    ))
});

/// Postcodes of the UK, Canada and Ireland, written as they are ("HX7 8AB", "V3W 3A5",
/// "D15 FX84"): shapes no clinical shorthand takes.
static POSTCODE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}|[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d|[AC-FHKNPRTV-Y]\d{2} [AC-FHKNPRTV-Y\d]{4})\b",
    )
});

/// A state right after a place: ", VT", ", Vermont", " NY 10027".
static STATE_AFTER: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(&format!(r"^,?[ \t]*(?:{STATES}|(?i:{STATE_NAMES}))\b")));

/// Does the place that ends at `end` go on with its state ("Barre, VT")?
pub fn state_follows(doc: &Doc, end: usize) -> bool {
    STATE_AFTER
        .as_ref()
        .is_some_and(|r| r.is_match(doc.after(end, 24)))
}

/// ZIP codes right after a town or a street address already found ("Towson 21204",
/// "12 Oak St, Towson, MD 21204").
pub fn zips_after_places(doc: &Doc, found: &[PhiSpan], out: &mut Vec<PhiSpan>) {
    let Some(r) = ZIP_AFTER_PLACE.as_ref() else {
        return;
    };
    for s in found {
        if !matches!(s.kind, PhiKind::Location | PhiKind::Address) {
            continue;
        }
        let after = doc.after(s.end, 40);
        if s.kind == PhiKind::Address {
            if let Some(c) = POSTCODE_AFTER_ADDRESS
                .as_ref()
                .and_then(|r| r.captures(after))
            {
                // A US ZIP code, or a postcode of four or six digits after a town or a
                // state ("12 Oak St 1400 mg" is a dose).
                let us_zip = c
                    .name("zip")
                    .is_some_and(|z| matches!(z.as_str().len(), 5 | 10));
                // A town that is no day or month ("12 Oak St Monday 1400"), nor, before a
                // postcode of digits that could be a count, a common word.
                let town = c.name("town").filter(|t| {
                    t.as_str().split_whitespace().all(|w| {
                        let w = w.to_lowercase();
                        !super::dates::is_day_or_month(&w)
                            && !is_function_word(&w)
                            && (us_zip
                                || c.name("state").is_some()
                                || !lexicon::get().is_english(&w))
                    })
                });
                let placed = town.is_some() || c.name("state").is_some();
                let zip = c.name("zip").filter(|z| {
                    !value_goes_on(after, z.end())
                        && (placed || us_zip)
                        && (c.name("town").is_none() || town.is_some())
                });
                if let Some(z) = zip {
                    out.push(PhiSpan {
                        start: s.end + z.start(),
                        end: s.end + z.end(),
                        kind: PhiKind::Zip,
                    });
                    if let Some(t) = town {
                        out.push(PhiSpan {
                            start: s.end + t.start(),
                            end: s.end + t.end(),
                            kind: PhiKind::Location,
                        });
                    }
                    continue;
                }
            }
        }
        if let Some(z) = r
            .captures(after)
            .and_then(|c| c.name("zip").or_else(|| c.name("pin")))
        {
            // "Towson 21204" but not a count or a value ("Mercy 12345.6", "2/3").
            if value_goes_on(after, z.end()) {
                continue;
            }
            out.push(PhiSpan {
                start: s.end + z.start(),
                end: s.end + z.end(),
                kind: PhiKind::Zip,
            });
        }
    }
}

/// Does a number ending at byte `end` of `text` go on as a fraction or a decimal ("2/3",
/// "12345.6")?
fn value_goes_on(text: &str, end: usize) -> bool {
    let next = text.get(end..).unwrap_or("");
    next.starts_with('/')
        || next
            .strip_prefix('.')
            .is_some_and(|n| n.starts_with(|d: char| d.is_ascii_digit()))
}

/// A town before its state: "Glasgow, KY", "Mountain Home, AR 72653", "Prairie du Chien,
/// Wisconsin". The state's two capitals are matched as written.
static TOWN_STATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        concat!(
            r"(?P<town>[A-Z][a-z'\.\-]+(?:[ \t]+(?:[A-Z][a-z'\.\-]+|du|de|la|of|on)){{0,3}}),[ \t]+",
            r"(?P<state>AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT",
            r"|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|(?i:{names}))\b",
            r"(?P<zip>[ \t]+\d{{5}}(?:-\d{{4}})?)?",
        ),
        names = STATE_NAMES
    ))
});

/// A town before an Australian state, as Australians write it, comma or not: "Toowoomba QLD
/// 4350", "Wellington NSW", "Broome WA 6725" (the states that are words too, "WA", "SA",
/// "NT", "ACT", only with their postcode).
static TOWN_AUSTRALIAN_STATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?P<town>[A-Z][a-z][a-z'\.\-]*(?:[ \t]+[A-Z][a-z][a-z'\.\-]*){0,2}),?[ \t]+",
        r"(?:(?P<state>QLD|NSW|VIC|TAS)|(?P<short>WA|SA|NT|ACT))\b",
        r"(?:,?[ \t]+(?P<zip>\d{4})\b)?",
    ))
});

/// A town abroad said with its country after a word of place: "visiting family in Mbarara,
/// Uganda", "from Hinche, Haiti".
static TOWN_COUNTRY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"\b(?i:in|from|near|outside|to|visiting)[ \t]+",
        r"(?P<town>\p{Lu}[\p{L}'\-]+(?:[ \t]\p{Lu}[\p{L}'\-]+){0,2}),[ \t]+",
        r"(?P<country>\p{Lu}\p{L}+(?:[ \t]\p{Lu}\p{L}+){0,2})",
    ))
});

/// Towns said with their state ("Glasgow, KY") and towns right after a street address
/// ("218 Mill St, Haverhill."), which need no word such as "in" or "from" before them.
pub fn towns_by_state_or_address(doc: &Doc, found: &[PhiSpan], out: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    let clinical = |words: &str| {
        words
            .split([' ', '\t', '-', '.'])
            .filter(|w| !w.is_empty())
            .any(|w| {
                let w = w.to_lowercase();
                lx.is_clinical(&w) || is_function_word(&w)
            })
    };
    if let Some(r) = TOWN_STATE.as_ref() {
        for c in r.captures_iter(doc.text) {
            let (Some(town), Some(state)) = (c.name("town"), c.name("state")) else {
                continue;
            };
            // "Ann Lee, MD", "Kim, PA": credentials, unless a ZIP or the gazetteer says town.
            let credential = matches!(state.as_str(), "MD" | "PA" | "ME" | "DO" | "IN" | "OR");
            let known = lx.is_multi_place(&town.as_str().to_lowercase())
                || lx.is_place(&town.as_str().to_lowercase());
            // A town of the gazetteer with its state and ZIP is one, whatever else the word
            // is ("Barre, VT 05641").
            let certain = known && c.name("zip").is_some();
            // "in Arkansas, Oklahoma": a state before a state is no town.
            if lx.is_state_or_country(&town.as_str().to_lowercase()) {
                continue;
            }
            if (credential && c.name("zip").is_none() && !known)
                || (clinical(town.as_str()) && !certain)
            {
                continue;
            }
            out.push(PhiSpan {
                start: town.start(),
                end: town.end(),
                kind: PhiKind::Location,
            });
        }
    }
    if let Some(r) = TOWN_AUSTRALIAN_STATE.as_ref().filter(|_| !doc.upper_heavy) {
        for c in r.captures_iter(doc.text) {
            let Some(town) = c.name("town") else { continue };
            let zip = c.name("zip").filter(|z| !value_goes_on(doc.text, z.end()));
            if c.name("short").is_some() && zip.is_none() || clinical(town.as_str()) {
                continue;
            }
            out.push(PhiSpan {
                start: town.start(),
                end: town.end(),
                kind: PhiKind::Location,
            });
            if let Some(z) = zip {
                out.push(PhiSpan {
                    start: z.start(),
                    end: z.end(),
                    kind: PhiKind::Zip,
                });
            }
        }
    }
    if let Some(r) = TOWN_COUNTRY.as_ref() {
        for c in r.captures_iter(doc.text) {
            let (Some(town), Some(country)) = (c.name("town"), c.name("country")) else {
                continue;
            };
            // The country's name may run on into the sentence: "Uganda Tuesday" is "Uganda".
            let country_named = (1..=3).any(|n| {
                let words: Vec<&str> = country.as_str().split([' ', '\t']).take(n).collect();
                words.len() == n && lx.is_state_or_country(&words.join(" ").to_lowercase())
            });
            // (A province is no town: "from Guangdong, China".)
            if !country_named
                || lx.is_state_or_country(&town.as_str().to_lowercase())
                || is_foreign_state(town.as_str())
                || clinical(town.as_str())
            {
                continue;
            }
            out.push(PhiSpan {
                start: town.start(),
                end: town.end(),
                kind: PhiKind::Location,
            });
        }
    }
    // The town of an address line, right before its postcode, whatever else its word is:
    // "7 Saxon Way, Cheddar BS27 3PL", "Partick, Glasgow G11 6AA".
    if let Some(r) = POSTCODE.as_ref() {
        for m in r.find_iter(doc.text) {
            // And the lines above a postcode that heads its line, in a letter's address
            // block ("27 Abbeydale Road / Sheffield / S7 1FD").
            for (start, end) in town_lines_above(doc, m.start()) {
                out.push(PhiSpan {
                    start,
                    end,
                    kind: PhiKind::Location,
                });
            }
            if let Some((start, end)) = words_before_on_line(doc, m.start()) {
                // (A word of clinical shorthand too: "Glasgow" of the coma scale.)
                let town = doc.slice(start, end).to_lowercase();
                let little = town.split(' ').any(is_function_word);
                if !little && !lx.is_state_or_country(&town) {
                    out.push(PhiSpan {
                        start,
                        end,
                        kind: PhiKind::Location,
                    });
                }
            }
        }
    }
    for s in found.iter().filter(|s| s.kind == PhiKind::Address) {
        // A postcode and a town after a street, on its line or the next, as much of the
        // world writes them ("Oranienstraße 41, 10999 Berlin", "Storgatan 12 lgh 1102 /
        // 752 20 Uppsala"), whatever else the town's word is.
        if let Some(c) = POSTCODE_TOWN_AFTER_STREET
            .as_ref()
            .and_then(|r| r.captures(doc.after(s.end, 96)))
        {
            if let (Some(zip), Some(town)) = (c.name("zip"), c.name("town")) {
                let word = town.as_str().to_lowercase();
                if !clinical(&word) && !lx.is_medical(&word) {
                    out.push(PhiSpan {
                        start: s.end + zip.start(),
                        end: s.end + zip.end(),
                        kind: PhiKind::Zip,
                    });
                    out.push(PhiSpan {
                        start: s.end + town.start(),
                        end: s.end + town.end(),
                        kind: PhiKind::Location,
                    });
                }
            }
        }
        let after = doc.after(s.end, 48);
        let Some(rest) = after.strip_prefix(", ") else {
            continue;
        };
        let town: String = rest
            .split_inclusive(' ')
            .take(3)
            .take_while(|w| {
                w.trim_end_matches([' ', ',', '.', '\n'])
                    .starts_with(char::is_uppercase)
            })
            .collect();
        let town = town.trim_end();
        let cut = town.find([',', '.', '\n']).unwrap_or(town.len());
        let town = town.get(..cut).unwrap_or(town).trim_end();
        let letters = town.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 3 || clinical(town) || town.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        // Not "Apt", "Unit", "Suite": those belong to the address.
        let first = town.split(' ').next().unwrap_or("").to_lowercase();
        if matches!(
            first.as_str(),
            "apt" | "apartment" | "unit" | "suite" | "ste" | "lot" | "box"
        ) {
            continue;
        }
        let start = s.end + 2;
        out.push(PhiSpan {
            start,
            end: start + town.len(),
            kind: PhiKind::Location,
        });
    }
}

/// The one to three capitalized words that stand between a comma (or the head of a line)
/// and `end`, a comma or a space apart from it: the town of ", Cheddar BS27 3PL". `None`
/// where anything else stands there (a house number, a word in lower case).
fn words_before_on_line(doc: &Doc, end: usize) -> Option<(usize, usize)> {
    let window = 64;
    let before = doc.before(end, window);
    let head = before.trim_end_matches([' ', '\t']);
    let head = head
        .strip_suffix(',')
        .unwrap_or(head)
        .trim_end_matches([' ', '\t']);
    let cut = match head.rfind([',', '\n', '(', ':', ';']) {
        Some(i) => i + 1,
        // The text's own beginning, or nothing said where the window began.
        None if before.len() < window && end == before.len() => 0,
        None => return None,
    };
    let words = head.get(cut..)?;
    let town = words.trim_start();
    let start = end - before.len() + cut + (words.len() - town.len());
    let count = town.split([' ', '\t']).count();
    let shaped = town.split([' ', '\t']).all(|w| {
        w.starts_with(|c: char| c.is_uppercase())
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '.' | '-'))
    });
    let letters = town.chars().filter(|c| c.is_alphabetic()).count();
    (shaped && (1..=3).contains(&count) && letters >= 3).then_some((start, start + town.len()))
}

/// The lines of an address block right above `line_start` (a postcode heading its line)
/// that each hold only a town's or a county's capitalized words ("Small Heath",
/// "Newcastle upon Tyne", "Co. Kerry"), up to three, nearest first; none unless the text at
/// `line_start` heads its line.
fn town_lines_above(doc: &Doc, line_start: usize) -> Vec<(usize, usize)> {
    const JOINS: &[&str] = &[
        "upon", "on", "in", "y", "na", "de", "du", "le", "la", "of", "the",
    ];
    let lx = lexicon::get();
    let mut towns = Vec::new();
    let before = doc.slice(0, line_start);
    let Some(mut end) = before
        .trim_end_matches([' ', '\t'])
        .strip_suffix('\n')
        .map(str::len)
    else {
        return towns;
    };
    while towns.len() < 3 {
        let above = doc.slice(0, end);
        let start = above.rfind('\n').map_or(0, |i| i + 1);
        let line = above.get(start..).unwrap_or("");
        let town = line.trim_matches([' ', '\t', ',']);
        let words: Vec<&str> = town.split(' ').filter(|w| !w.is_empty()).collect();
        let shaped = (1..=4).contains(&words.len())
            && words
                .iter()
                .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
            && words.iter().all(|w| {
                let lower = w.to_lowercase();
                w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
                    && (JOINS.contains(&lower.as_str())
                        || w.starts_with(char::is_uppercase) && !is_function_word(&lower))
            });
        if !shaped {
            break;
        }
        if !lx.is_state_or_country(&town.to_lowercase()) {
            let at = start + (line.len() - line.trim_start_matches([' ', '\t', ',']).len());
            towns.push((at, at + town.len()));
        }
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    towns
}

/// "University of Maryland", "U of MD", "U Maryland".
static UNIVERSITY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:university|univ\.?|u\.?)[ \t]*(?:of[ \t]+)?{STATES}\b"
    ))
});

/// Acronyms of medical centers: "GBMC", "UMMC", "VAMC", "MGH".
static CENTER_ACRONYM: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"\b(?:[A-Z]{1,5}MC|[A-Z]{1,4}H|VAMC|VAH)\b"));

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
    "healthcare",
    "rehab",
    "rehabilitation",
    "manor",
    "campus",
    "university",
    "college",
    "church",
    "academy",
    "center",
    "centre",
    "ctr",
    "house",
    "building",
    "bldg",
    "facility",
    // Where a patient studies or lives: "Lincoln Middle School", "Pike County".
    "school",
    "elementary",
    "correctional",
    "county",
    "parish",
    "township",
    // Tribal lands and homes: "Wind River Reservation", "Maple Court Apartments".
    "reservation",
    "pueblo",
    "rancheria",
    "apartments",
    "shelter",
    "nation",
    "daycare",
    "preschool",
    "neighborhood",
    "neighbourhood",
    // Kinds of facility written short: "the Ridgeview SNF", "Oak Hill ALF".
    "snf",
    "alf",
    "ltac",
    "ltach",
    "irf",
];

/// Words of hospital names that are also English words ("Holy Cross", "Good Samaritan").
/// In shouting text a facility's name needs such a word, a census name, a town, or a word
/// that is not English.
const FACILITY_NAME_WORDS: &[&str] = &[
    "holy",
    "cross",
    "sacred",
    "heart",
    "good",
    "samaritan",
    "mercy",
    "saint",
    "st",
    "mount",
    "mt",
    "union",
    "harbor",
    "harbour",
    "bay",
    "shore",
    "valley",
    "lake",
    "river",
    "hill",
    "hills",
    "park",
    "square",
    "baptist",
    "methodist",
    "presbyterian",
    "lutheran",
    "adventist",
    "episcopal",
    "jewish",
    "providence",
    "trinity",
    "christ",
    "redeemer",
    "angels",
    "lady",
    "our",
    "north",
    "south",
    "east",
    "west",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "general",
    "memorial",
    "regional",
    "university",
    "children's",
    "county",
    "city",
    "community",
    "veterans",
    "shriners",
    "deaconess",
    "infirmary",
    "grace",
    "hope",
    "faith",
    "spring",
    "springs",
    "view",
    "vista",
    "pines",
    "oaks",
    "meadows",
    "gardens",
    "manor",
    "village",
    "point",
    "island",
    "beach",
    "bridge",
    "port",
    "rock",
    "stone",
    "wood",
    "woods",
    "field",
    "fields",
    "green",
    "glen",
    "brook",
];

/// Kinds of business after a business's name, where patients work, shop or were hurt: read
/// only in lower case after a capitalized name ("the JBS plant"), never as the end of a
/// facility's name of their own.
const BUSINESS_HEADS: &[&str] = &[
    "restaurant",
    "bar",
    "diner",
    "cafe",
    "taqueria",
    "bakery",
    "market",
    "supermarket",
    "plant",
    "mill",
    "farm",
    "farms",
    "ranch",
    "warehouse",
    "factory",
    "casino",
    "motel",
    "hotel",
    "salon",
    "gym",
    "laundromat",
    "dealership",
    "garage",
    "brewery",
    "cannery",
    "quarry",
    "mine",
];

/// Does this word end a facility's name ("Hospital", "House", "Rehab")?
pub fn is_facility_head(w: &str) -> bool {
    FACILITY_HEADS.contains(&w)
}

/// Words that belong to a facility's name ("Sacred Heart Memorial", "Laurel Regional").
const FACILITY_NAME_TAILS: &[&str] = &["memorial", "regional", "adventist"];

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
    // A letter's greeting or anybody's: "Dear Clinic,", "anybody's hospital".
    "dear",
    "anybody's",
    "anyone's",
    "everybody's",
    "somebody's",
];

/// Verbs and nouns after which "to/from/at/in" introduces a place.
const MOVE_CUES: &[&str] = &[
    "adm",
    "tranfered",
    "tranferred",
    "trasferred",
    "leave",
    "med-flighted",
    "medflight",
    "life-flighted",
    "accepted",
    "excepted",
    "readmit",
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
    // Travel and home: "recent travel to Ibadan", "flew back from Lagos", "take him home to
    // Shiraz".
    "travel",
    "travels",
    "traveling",
    "travelling",
    "flew",
    "flying",
    "home",
];

const MOVE_PREPS: &[&str] = &["to", "from", "at", "in", "into", "near", "via", "@"];

/// "em", "en", "sa", "à", "в": where a place is said in Portuguese, Spanish, French,
/// Tagalog and Russian (in lower case: "EM" and "SA" are the clinic's).
fn is_foreign_preposition(t: &super::text::Token) -> bool {
    !t.capitalized && matches!(t.lower.as_ref(), "em" | "en" | "sa" | "à" | "в" | "во")
}

/// Is the span right after such a preposition ("Moramos em Framingham")? Then it is the
/// place the rule above found, whatever else its word is.
pub fn after_foreign_preposition(doc: &Doc, s: &PhiSpan) -> bool {
    let k = doc.tokens.partition_point(|t| t.end <= s.start);
    k > 0
        && doc.tokens.get(k).is_some_and(|t| t.start == s.start)
        && doc.gap_before(k) == " "
        && doc.tokens.get(k - 1).is_some_and(is_foreign_preposition)
}

/// Verbs of living, staying and working in the languages patients write in: "moramos",
/// "vivimos", "nakatira", "habite", "живём".
const LIVING_VERBS: &[&str] = &[
    "mora",
    "moro",
    "moramos",
    "moram",
    "vive",
    "vivo",
    "vivimos",
    "viven",
    "vivem",
    "trabaja",
    "trabajo",
    "trabalha",
    "trabalho",
    "estamos",
    "estoy",
    "está",
    "esta",
    "reside",
    "residimos",
    "nakatira",
    "nakatirá",
    "nagtatrabaho",
    "habite",
    "habitons",
    "habitent",
    "travaille",
    "suis",
    "sommes",
    "est",
    "живу",
    "живёт",
    "живет",
    "живём",
    "живем",
    "живут",
    "работает",
];

/// A town after a preposition of another language: "Moramos em Framingham", "Vivimos en
/// Beechview", "Nakatira kami sa Marikina", "Elle habite à Rivière-du-Loup", "живёт в
/// Фэр-Лоне". Patients and families write where they live in their own language; a
/// capitalized word there is a place unless it is a word of English or of the clinic, a
/// month, a day or a language ("en Enero", "en Español"), whatever else it is ("Framingham"
/// is a risk score too).
fn after_foreign_prepositions(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if !is_foreign_preposition(t) {
            continue;
        }
        // A word no list holds only after a verb of living, staying or working ("Vivimos
        // en Beechview"; not "en Medicina Interna").
        let lived = (i.saturating_sub(3)..i).any(|j| {
            toks.get(j)
                .is_some_and(|w| LIVING_VERBS.contains(&w.lower.as_ref()))
        });
        let k = i + 1;
        let place_word = |n: &super::text::Token| {
            n.kind == TokKind::Word
                && n.capitalized
                && n.lower.chars().count() >= 3
                && !is_function_word(&n.lower)
                && !lx.is_clinical(&n.lower)
                && !lx.is_state_or_country(&n.lower)
                && !super::dates::is_day_or_month(&n.lower)
                && !is_language_or_people(&n.lower)
                && !NOT_PLACES.contains(&n.lower())
                && (lx.is_place(&n.lower)
                    || lived && !lx.is_english(&n.lower) && !lx.is_medical(&n.lower))
        };
        if doc.gap_before(k) != " " || !toks.get(k).is_some_and(place_word) {
            continue;
        }
        let mut end = k;
        while end < k + 2
            && doc.gap_after(end) == " "
            && toks
                .get(end + 1)
                .is_some_and(|n| place_word(n) || n.capitalized && lx.is_place(&n.lower))
        {
            end += 1;
        }
        if let (Some(a), Some(b)) = (toks.get(k), toks.get(end)) {
            out.push(PhiSpan {
                start: a.start,
                end: b.end,
                kind: PhiKind::Location,
            });
        }
    }
}

pub fn find(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    addresses(doc, out);
    postcodes_before_towns(doc, lx, out);
    after_foreign_prepositions(doc, lx, out);
    home_streets(doc, lx, out);
    lower_case_towns(doc, lx, out);
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
            let before = super::word_before_lower(doc, m.start(), &[]);
            let gone = is_word_of_going(&before) || before == "via";
            if (gone || w.ends_with("mc"))
                && !lx.is_clinical(&w)
                && !lx.is_english(&w)
                && !NOT_CENTERS.contains(&w.as_str())
            {
                out.push(PhiSpan {
                    start: m.start(),
                    end: m.end(),
                    kind: PhiKind::Location,
                });
            }
        }
    }
    facilities(doc, lx, out);
    buildings(doc, lx, out);
    titled_after_preposition(doc, lx, out);
    employers(doc, lx, out);
    labelled_places(doc, lx, out);
    saints(doc, lx, out);
    cued(doc, lx, out);
    gazetteer(doc, lx, out);
}

/// Words of a hospital's life that a capital after "to" or "at" makes look like a place:
/// meetings, levels of care, record systems ("Grand Rounds", "Wellness Committee",
/// "Comfort Care", "moving to Epic").
const NOT_PLACE_WORDS: &[&str] = &[
    "grand",
    "rounds",
    "committee",
    "conference",
    "meeting",
    "comfort",
    "care",
    "wellness",
    "quality",
    "board",
    "council",
    "huddle",
    "journal",
    "club",
    "epic",
    "cerner",
    "meditech",
    "teams",
    "zoom",
    "hospice",
    // Times of day: "started at Noon".
    "noon",
    "midnight",
    "midday",
];

/// Languages, peoples and faiths: "updated in French", "Han Chinese ancestry", "a Somali
/// interpreter" say nothing of where a patient lives.
const LANGUAGES_AND_PEOPLES: &[&str] = &[
    // As their own speakers write them: "en Español", "em Português".
    "español",
    "espanol",
    "inglés",
    "ingles",
    "inglês",
    "português",
    "portugues",
    "français",
    "francais",
    "anglais",
    "espagnol",
    "kreyòl",
    "wikang",
    "afghan",
    "african",
    "albanian",
    "american",
    "amharic",
    "arabic",
    "argentinian",
    "armenian",
    "ashkenazi",
    "asian",
    "bengali",
    "bosnian",
    "brazilian",
    "british",
    "buddhist",
    "burmese",
    "cantonese",
    "caucasian",
    "catholic",
    "cherokee",
    "chilean",
    "chinese",
    "christian",
    "colombian",
    "creole",
    "croatian",
    "cuban",
    "dari",
    "dominican",
    "ecuadorian",
    "egyptian",
    "english",
    "eritrean",
    "ethiopian",
    "european",
    "farsi",
    "filipino",
    "french",
    "german",
    "ghanaian",
    "greek",
    "guatemalan",
    "gujarati",
    "haitian",
    "hausa",
    "hebrew",
    "hindi",
    "hindu",
    "hispanic",
    "hmong",
    "honduran",
    "igbo",
    "indian",
    "iranian",
    "iraqi",
    "irish",
    "italian",
    "jamaican",
    "japanese",
    "jewish",
    "kannada",
    "kenyan",
    "khmer",
    "korean",
    "kreyol",
    "kurdish",
    "lakota",
    "lao",
    "latina",
    "latino",
    "latinx",
    "lebanese",
    "malayalam",
    "mandarin",
    "marathi",
    "mexican",
    "moroccan",
    "muslim",
    "navajo",
    "nepali",
    "nigerian",
    "ojibwe",
    "oromo",
    "pakistani",
    "pashto",
    "persian",
    "peruvian",
    "polish",
    "portuguese",
    "punjabi",
    "romanian",
    "russian",
    "salvadoran",
    "scottish",
    "serbian",
    "sikh",
    "somali",
    "spanish",
    "swahili",
    "syrian",
    "tagalog",
    "tamil",
    "telugu",
    "thai",
    "tigrinya",
    "turkish",
    "ukrainian",
    "urdu",
    "venezuelan",
    "vietnamese",
    "yoruba",
];

/// Does a facility's head word follow `end` ("Hebrew Home", "Polish National Home")?
pub fn facility_head_after(doc: &Doc, end: usize) -> bool {
    let next = super::text::leading_word_lower(doc.after(end, 24).trim_start());
    is_facility_head(&next) || next == "home"
}

/// Provinces and states of other countries, which Safe Harbor counts as a state does: not
/// identifiers ("Hamilton (Ontario)").
const FOREIGN_STATES: &[&str] = &[
    "alberta",
    "british columbia",
    "manitoba",
    "new brunswick",
    "newfoundland",
    "nova scotia",
    "nunavut",
    "ontario",
    "quebec",
    "saskatchewan",
    "yukon",
    "queensland",
    "tasmania",
    "new south wales",
    "bavaria",
    "punjab",
    "kerala",
    "guangdong",
    "sichuan",
    "oaxaca",
    "jalisco",
    "chiapas",
    "michoacan",
    "sinaloa",
    "sonora",
];

/// Is the span a province or a state of another country?
pub fn is_foreign_state(text: &str) -> bool {
    let lower = text.to_lowercase();
    FOREIGN_STATES.contains(&lower.as_str())
}

/// Is every word of the span a language, a people or a faith ("Haitian Creole")?
pub fn is_language_or_people(text: &str) -> bool {
    static SET: WordSet = WordSet::new(&[LANGUAGES_AND_PEOPLES]);
    let mut any = false;
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        if !SET.contains(w.to_lowercase().as_str()) {
            return false;
        }
        any = true;
    }
    any
}

/// Is every word of a place found a department or service ("Medicine", "Cardiology"), a word
/// of [`NOT_PLACE_WORDS`], a day of the week or a title?
pub fn is_service_phrase(text: &str) -> bool {
    let mut any = false;
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        let lower = w.to_lowercase();
        // "the Tuesday clinic", "from Dr. Hughes's group": a day or a title is no place.
        let day_or_title = super::dates::is_day_or_month(&lower)
            && !matches!(lower.as_str(), "may" | "june" | "august")
            || matches!(lower.as_str(), "dr" | "mr" | "mrs" | "ms");
        if !DEPARTMENTS.contains(&lower.as_str())
            && !NOT_PLACE_WORDS.contains(&lower.as_str())
            && !day_or_title
        {
            return false;
        }
        any = true;
    }
    any
}

/// Upper-case words ending in H or MC that are clinical shorthand, not hospitals.
const NOT_CENTERS: &[&str] = &[
    "bph", "dh", "lh", "fsh", "tsh", "acth", "adh", "pth", "hgh", "ldh", "nph", "hh", "hoh", "ich",
    "ph", "bh", "ch", "oh", "ah", "eh", "uh", "nh", "sh", "th", "wh", "rh", "mh", "kh", "hch",
    "lvh", "rvh", "lah", "rah", "pah", "ith", "sah", "sdh", "edh", "ivh", "avh", "mch", "hmc",
    "cmc", "mmc", "pmc", "dmc", "smc", "amc", "fh", "ih", "jh", "vh", "xh", "yh", "zh", "ph",
];

/// Addresses of other shapes: rural routes and boxes ("RR 2 Box 41", "Rt 3 Box 77", "Route 9,
/// Lot 22", "HC-02 Box 7714", "RR 3, Site 12, Comp 4"), post-office boxes of any country
/// ("PO Box 2291", "Postfach 218", "Caixa Postal 88"; "Box 3" alone is a bay), a flat in a named building ("Pine Grove Apartments, Apt 22"), a
/// number and a capitalized street name after where someone lives ("lives at 1500 Grand
/// Concourse, apt 6F", "2218 Calle Ocho"), and a street named without a number ("lives on
/// Beach Blvd").
static ADDRESS_OTHER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        concat!(
            r"(?P<rural>(?i:\b(?:rr|r\.r\.|rt|rte|rural[ \t]+route|hc|hcr|star[ \t]+route)[ \t\-]*\d{{1,4}},?[ \t]+(?:box|site)[ \t]+\d{{1,5}}[a-z]?\b(?:,?[ \t]+(?:comp|box)[ \t]+\d{{1,5}}[a-z]?\b)?",
            r"|\b(?:p\.?[ \t]?o\.?[ \t]?box|post[ \t]+office[ \t]+box|postbus|postfach|caixa[ \t]+postal|apartado(?:[ \t]+postal)?|private[ \t]+bag|pmb)[ \t]+\d{{1,6}}[a-z]?\b",
            r"|\b(?:route|rte|county[ \t]+road|state[ \t]+road|highway|hwy)[ \t]+\d{{1,4}},?[ \t]+",
            r"(?:lot|box|unit|apt\.?|trailer|space)[ \t]*\#?[ \t]*[a-z0-9\-]+))",
            r"|\b(?i:lives|living|lived|moved|resides|residence|address)(?:[ \t]+(?i:at|to|is|now))*[ \t]+",
            r"(?P<numbered>\d{{1,6}}[ \t]+[A-Z][a-z'\-]+(?:[ \t]+[A-Z][a-z'\-]+){{0,2}}",
            r"(?:,?[ \t]*(?i:apt|apartment|unit|suite|ste|lot|trailer|space|bldg|floor|fl|\#)\.?[ \t]*\#?[ \t]*[A-Za-z0-9\-]+)?)",
            r"|\b(?i:lives|living|lived|house|home|place|apartment|address)(?:[ \t]+(?i:is))?[ \t]+(?i:on|off)[ \t]+",
            r"(?P<street>(?:[A-Z][a-z'\-]+[ \t]+){{1,3}}(?i:{suffix})\b|(?:Route|Rte\.?|Highway|Hwy\.?|County[ \t]+Road|State[ \t]+Road|State[ \t]+Route|Farm[ \t]+Road)[ \t]+\d{{1,4}}[A-Z]?\b)",
            // A street named after where something is ("the Kroger on Ferry St", "a cabin
            // off Old Mammoth Rd", "found off HWY 23"): the suffixes that are not clinical.
            r"|\b(?i:on|off|along|near)[ \t]+(?P<street_at>(?:(?:Old|North|South|East|West|[NSEW]\.?)[ \t]+)?(?:[A-Z][a-z'\-]+[ \t]+){{1,3}}(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|highway|hwy|parkway|pkwy|pike|turnpike|terrace)\b|(?i:old[ \t]+)?(?i:route|rte\.?|highway|hwy\.?|county[ \t]+road|cr|state[ \t]+road|state[ \t]+route|sr|farm[ \t]+road|us|i|fm)[ \t\-]?\d{{1,4}}[A-Z]?\b(?:[ \t]+(?i:north|south|east|west|exit[ \t]+\d{{1,4}}))?(?i:,?[ \t]+(?:lot|box|unit|apt\.?|trailer|space)[ \t]*\#?[ \t]*[a-z0-9\-]+)?)",
            // A corner: "5th and Pike", "corner of Elm and Grove".
            r"|(?P<corner>\b\d{{1,3}}(?:st|nd|rd|th)[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+\b)|\b(?i:corner[ \t]+of)[ \t]+(?P<corner_of>[A-Z][a-z]+[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+\b)",
            // The other way round, after where something is: "the CVS on Halsted and 79th",
            // "THE KROGER ON MAIN AND 3RD".
            r"|\b(?i:on|at|near|off)[ \t]+(?P<corner_at>(?:[A-Z][a-z]+|[A-Z]{{3,}})[ \t]+(?i:and|&)[ \t]+\d{{1,3}}(?i:st|nd|rd|th)\b)",
            r"|\b(?i:on|off)[ \t]+(?P<ordinal_street>\d{{1,3}}(?i:st|nd|rd|th)[ \t]+(?i:street|st|avenue|ave|road|rd|boulevard|blvd|drive|place|pl|terrace|way)\b)",
            // A spot on a highway, by its exit or mile marker: "I-35 southbound at exit 118",
            // "I-71 southbound, mile 33", "Pennsylvania Turnpike near mile 236".
            r"|(?P<marker>\b(?:(?:I|US|SR|M|A|N|Hwy|Highway|Route|Rte|Interstate)[ \t\-]?\d{{1,3}}|(?:[A-Z][a-z]+[ \t]+){{1,2}}(?:Turnpike|Thruway|Parkway|Expressway|Freeway))",
            r"(?:[ \t]+(?i:north|south|east|west)bound)?,?(?:[ \t]+(?:at|near|between))?[ \t]+(?:exits?|mile(?:[ \t]+marker)?|mm|junctions?|salida)[ \t]+\d{{1,4}}\b)",
            // A street named with a suffix that is only a street's, wherever it stands:
            // "the Giant Eagle on McKnight Rd", "przy Milwaukee Ave", "Banksia Cres".
            r"|\b(?P<named_street>(?:Ma?c|De|La|Le|Di|Du|Van|O')?[A-Z][a-z'\-]+(?:[ \t]+[A-Z][a-z'\-]+){{0,2}}[ \t]+(?:Rd|Ave|Blvd|Pkwy|Hwy|Highway|Ter|Terrace|Cres|Crescent|Mews)\b)",
            // A flat in a named building: "Pine Grove Apartments, Apt 22", "Evergreen
            // Terrace Assisted Living, apt 214".
            r"|(?i:apartments|apts|living|manor|village|towers?|residences|estates|commons)[ \t]*,[ \t]*(?P<unit>(?i:apt|apartment|unit|suite)\.?[ \t]*\#?[ \t]*[A-Za-z0-9\-]{{1,5}})\b",
            // In lower case, as patients type it, with the suffix shortened or a number
            // after it: "the kroger on main st", "out on county rd 9", "off old bowling
            // green rd" (not "on wet road").
            r"|\b(?:on|off|along|near)[ \t]+(?P<street_low>(?:[a-z][a-z'\-]+[ \t]+){{1,3}}(?:(?:st|ave|rd|blvd|hwy|pkwy)(?:[ \t]+\d{{1,4}})?|(?:street|avenue|road|boulevard|highway)[ \t]+\d{{1,4}}))\b",
        ),
        suffix = STREET_SUFFIX
    ))
});

/// Where someone lives, named by its streets alone: "lives upstairs at Third and Vine", "a
/// house on Sycamore", "lives alone off Bleecker".
static HOME_STREET: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"\b(?i:lives|living|lived|house|home|apartment|apartments|trailer|cabin|farm",
        // And the store, the pharmacy or the daycare someone goes to: "the Jewel-Osco on
        // Cermak", "Little Sprouts daycare on Elm", "the Rite Aid on Westnedge".
        r"|pharmacy|walgreens|cvs|aid|kroger|walmart|osco|meijer|safeway|publix|aldi|heb",
        r"|general|mart|market|store|grocery|bodega|tienda|daycare|laundromat|motel|shelter)",
        r"(?:[ \t]+(?i:alone|out|still|now|upstairs|downstairs))?[ \t]+",
        r"(?:(?i:at|on|off|near|by)[ \t]+(?P<corner>[A-Z][a-z]+[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+)\b",
        r"|(?i:on|off)[ \t]+(?P<street>[A-Z][a-z'\-]+)\b)",
    ))
});

/// Words that say an address follows, whatever its case: "ADDR: 1142 W LARCH ST", "my new
/// address is 44 orchard st apt 2", "lives at".
static ADDRESS_CUE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:addr|address|adress|addy|lives[ \t]+at|live[ \t]+at|living[ \t]+at|staying[ \t]+at|residence|moved[ \t]+to)[ \t]*(?:is)?[ \t]*[:\-]?[ \t]*$",
    )
});

/// A house on a numbered avenue or street, as western Canada and some US cities number them:
/// "13420 84 Ave", "338124 32 St E" (a street's number alone, no "84th").
static NUMBERED_AVENUE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b\d{2,6}[ \t]+\d{1,3}[ \t]+(?:Ave|Avenue|St|Street)\b(?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W)\b)?",
    )
});

/// Streets as other countries write them, the kind before the name or joined to it: "117 rue
/// Dalhousie", "3307 Avenida del Sol", "Calle Guerrero 2210", "Rua Augusta 1500",
/// "Hauptstraße 14".
static FOREIGN_STREET: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"\b\d{1,6}[ \t]+(?:rue|Rue|avenue|chemin|Chemin|calle|Calle|avenida|Avenida|rua|Rua)[ \t]+",
        r"(?:(?:de|du|des|la|le|del|dos|das|do|da)[ \t]+)?\p{Lu}\p{Ll}[\p{L}'\-]*",
        r"(?:[ \t]+(?:Est|Ouest|Nord|Sud|\p{Lu}[\p{L}'\-]+))?",
        r"|\b(?:Calle|Avenida|Rua|Carrera|Jalan|Jl\.)[ \t]+(?:(?:de|del|la|los|das|dos|do|da)[ \t]+)?",
        r"\p{Lu}[\p{L}'\-]+(?:[ \t]+\p{Lu}[\p{L}'\-]+)?,?[ \t]+(?:No\.?[ \t]*)?\d{1,5}\b",
        r"|\b\p{Lu}[\p{L}\-]*(?:straße|strasse|weg|gasse|platz|allee|straat|gracht|laan|kade|dreef",
        r"|singel|steeg|gade|vej|gatan|gata|vägen|veien|gränd)[ \t]+\d{1,4}[a-z]?\b",
        // Italian, Polish and Spanish, the kind before the name ("viale Monza 12", "ul. Długa
        // 12", "C/ Mayor 23"); "via" only where the number ends the street ("via Roma 42,"),
        // since English says "via Medic 22 at 0310".
        r"|\b(?:[Vv]iale|[Cc]orso|[Pp]iazza|[Uu]l\.|[Uu]lica|C/|Avda\.)[ \t]*",
        r"(?:(?:dei|della|delle|degli|del|di|de|la|le)[ \t]+)?\p{Lu}[\p{L}'\-]+",
        r"(?:[ \t]+\p{Lu}[\p{L}'\-]+)?,?[ \t]+\d{1,4}[a-z]?\b",
        r"|\b[Vv]ia[ \t]+(?:(?:dei|della|delle|degli|del|di)[ \t]+)?\p{Lu}[\p{L}'\-]+",
        r"(?:[ \t]+\p{Lu}[\p{L}'\-]+)?[ \t]+\d{1,4}[a-z]?(?:[ \t]*(?:,|\.|\n|$))",
    ))
});

/// What follows a street address and proves it one, in any case: a ZIP code on the line
/// ("540 Whipple St, Prescott AZ 86301", "1290 e 14th st apt 5c brooklyn ny 11230"), or a town
/// and a state's two capitals (", Bisbee, AZ").
static ADDRESS_GOES_ON: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"^(?:[^\n\d]{0,40}?[ \t,](?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?-u:\b)|,?[ \t]+[A-Za-z][A-Za-z .'\-]{1,28},[ \t]*[A-Z]{2}(?-u:\b))",
    )
});

/// A form's address field, in the languages of the forms patients bring ("Address: Blk 123
/// Ang Mo Kio Ave 3, #08-456", "Domicilio: Calle ...", "Adres: ul. Marszałkowska 84 m. 12,
/// 00-514 Warszawa", "住址：..."): at a line's start, or after a wide gap or a bar as forms
/// set fields side by side.
static ADDRESS_FIELD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?im)(?:^|[ \t]{2}|\|)[ \t]*(?:(?:home|street|mailing|postal|current|new|camp|",
        r"permanent|residential)[ \t]+)?",
        r"(?:address|addr|adres|adresse|adresa|adress|adreça|dirección|direccion|domicilio",
        r"|morada|endereço|endereco|anschrift|alamat|lakcím|indirizzo|residence|residencia",
        r"|διεύθυνση|адрес|адреса|住址|地址|주소|العنوان|عنوان|ที่อยู่|địa[ \t]+chỉ|tirahan|पता)",
        r"[ \t]*[:：][ \t]*(?P<v>[^\n|]{4,120})",
    ))
});

/// What an address field holds when it holds no address.
const NO_ADDRESS: &[&str] = &[
    "see", "same", "unknown", "n/a", "na", "none", "on", "not", "homeless", "pending", "no", "unk",
    "to",
];

/// What an address field's value holds that nothing else found: its value runs to a wide
/// gap (the next field), a bracket, a sentence's end or the line's end, and needs a number
/// or a comma to be an address ("Address: on file" is none). Within each part between
/// commas, what no detector named (a town, a postcode) is an address, unless it is a state
/// or a country.
pub fn address_fields(doc: &Doc, found: &[PhiSpan], out: &mut Vec<PhiSpan>) {
    let Some(r) = ADDRESS_FIELD.as_ref() else {
        return;
    };
    let lx = lexicon::get();
    for c in r.captures_iter(doc.text) {
        let Some(v) = c.name("v") else { continue };
        let value = field_value(v.as_str());
        let first = value
            .split(|ch: char| !ch.is_alphanumeric() && ch != '/' && ch != '.')
            .next()
            .unwrap_or("")
            .to_lowercase();
        let shaped = value.chars().any(char::is_numeric) || value.contains([',', '،', '，']);
        if !shaped || NO_ADDRESS.contains(&first.as_str()) || value.chars().count() < 4 {
            continue;
        }
        let mut at = v.start();
        for part in value.split_inclusive([',', '،', '，']) {
            let part_start = at;
            at += part.len();
            // The stretches of the part that nothing found yet.
            let mut from = part_start;
            let part_end = part_start + part.trim_end_matches([',', '،', '，']).len();
            let mut named: Vec<(usize, usize)> = found
                .iter()
                .filter(|s| s.start < part_end && part_start < s.end)
                .map(|s| (s.start.max(part_start), s.end.min(part_end)))
                .collect();
            named.sort_unstable();
            named.push((part_end, part_end));
            for (a, b) in named {
                if let Some(gap) = doc.text.get(from..a.max(from)) {
                    let text = gap.trim_matches(|ch: char| ch.is_whitespace() || ch == ',');
                    let start = from
                        + (gap.len()
                            - gap
                                .trim_start_matches(|ch: char| ch.is_whitespace() || ch == ',')
                                .len());
                    let useful = text.chars().count() >= 3
                        && text.chars().any(char::is_alphanumeric)
                        && !lx.is_state_or_country(&text.to_lowercase());
                    if useful {
                        out.push(PhiSpan {
                            start,
                            end: start + text.len(),
                            kind: PhiKind::Address,
                        });
                    }
                }
                from = from.max(b);
            }
        }
    }
}

/// An address field's value: up to a wide gap, a tab, a bracket or a sentence's end ("QLD
/// 4350. Ulcer R hallux": a full stop after a number or a long word; "Col. Reforma" goes
/// on).
fn field_value(value: &str) -> &str {
    let mut end = value.len();
    for stop in ["  ", "\t", " ("] {
        if let Some(k) = value.find(stop) {
            end = end.min(k);
        }
    }
    let mut from = 0;
    while let Some(k) = value.get(from..end).and_then(|rest| rest.find(". ")) {
        let dot = from + k;
        let word = value
            .get(..dot)
            .unwrap_or("")
            .rsplit([' ', ','])
            .next()
            .unwrap_or("");
        if word.chars().all(|ch| ch.is_ascii_digit()) || word.chars().count() > 4 {
            end = dot;
            break;
        }
        from = dot + 2;
    }
    value
        .get(..end)
        .unwrap_or(value)
        .trim_end_matches([' ', '.', ',', ';', '\r'])
}

/// The postcodes that much of the world writes before the town: "10122", "3511 AB",
/// "00-514", "602 00", "4050-107" (a macro, so that the regular expressions that read them
/// can be put together with `concat!`).
macro_rules! postcode_before_town {
    () => {
        r"\d{4}[ ]?[A-Z]{2}(?-u:\b)|\d{4}-\d{3}|\d{2}-\d{3}|\d{3}[ ]\d{2}|\d{4,5}"
    };
}

/// What follows a street to its postcode and town: the rest of its line and a comma
/// (", 3. tv, 1620 København V") or a line break ("\n752 20 Uppsala").
static POSTCODE_TOWN_AFTER_STREET: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"^(?:[^\n]{0,24}?,|[^\n]{0,24}\n)[ \t]*",
        r"(?P<zip>",
        postcode_before_town!(),
        r")[ \t]+(?P<town>\p{Lu}[\p{L}\-]+(?:[ \t]\p{Lu}[\p{L}\-]+)?)",
    ))
});

/// A postcode then a town, after a comma and a house number, as much of the world writes
/// the end of an address ("Via Garibaldi 45, int. 6, 10122 Torino", "Kounicova 45, 602 00
/// Brno", "Bakkerstraat 7, 3511 AB Utrecht", "ul. Marszałkowska 84, 00-514 Warszawa").
static POSTCODE_TOWN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r",[ \t]*(?P<zip>",
        postcode_before_town!(),
        r")[ \t]+(?P<town>\p{Lu}[\p{Ll}\-]+(?:[ \t]\p{Lu}[\p{Ll}\-]+)?)\b",
    ))
});

fn postcodes_before_towns(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let Some(r) = POSTCODE_TOWN.as_ref() else {
        return;
    };
    for c in r.captures_iter(doc.text) {
        let (Some(all), Some(zip), Some(town)) = (c.get(0), c.name("zip"), c.name("town")) else {
            continue;
        };
        // The house number on the same line, a few words before; a town that is no word
        // of the clinic ("2200 Cultures sent", "1000 Units" are times and doses).
        let before = doc.before(all.start(), 48);
        let line = before.rsplit('\n').next().unwrap_or("");
        let word = town
            .as_str()
            .split([' ', '\t'])
            .next()
            .unwrap_or("")
            .to_lowercase();
        let town_like = lx.is_place(&word)
            || !(lx.is_english(&word) || lx.is_clinical(&word) || lx.is_medical(&word));
        if !line.chars().any(|ch| ch.is_ascii_digit()) || !town_like {
            continue;
        }
        out.push(PhiSpan {
            start: zip.start(),
            end: zip.end(),
            kind: PhiKind::Zip,
        });
        out.push(PhiSpan {
            start: town.start(),
            end: town.end(),
            kind: PhiKind::Location,
        });
    }
}

fn addresses(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let Some(r) = ADDRESS.as_ref() else { return };
    for c in r.captures_iter(doc.text) {
        let Some(all) = c.get(0) else { continue };
        // A suffix with no name before it is no street ("3 Court", "10 park"); a numbered
        // road right after a number is one after a house's number ("6120 Hwy 22", not "2
        // route 3 doses").
        if c.name("words").is_none()
            && (c.name("road").is_none()
                || all
                    .as_str()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .count()
                    < 2)
        {
            continue;
        }
        let goes_on = ADDRESS_GOES_ON
            .as_ref()
            .is_some_and(|a| a.is_match(doc.after(all.end(), 64)));
        let cued = goes_on
            || ADDRESS_CUE
                .as_ref()
                .is_some_and(|a| a.is_match(doc.before(all.start(), 24)));
        if let Some(words) = c.name("words") {
            // "given 2 units per Dr", "2 mediastinal CT", "3 episodes ST": a count and a
            // word, not a street. Street words are capitalized in mixed text; short
            // suffixes that are also clinical ("St", "Ct", "Dr", "Sq") need mixed text.
            let suffix = c
                .name("suffix")
                .map_or("", |m| m.as_str())
                .to_ascii_lowercase();
            let ambiguous = matches!(
                suffix.as_str(),
                "st" | "ct"
                    | "dr"
                    | "sq"
                    | "pl"
                    | "ter"
                    | "cir"
                    | "way"
                    | "route"
                    | "rte"
                    | "close"
            );
            if ambiguous && doc.shouting && !cued {
                continue;
            }
            // A suffix that is a word too ends a street only as a name does: capitalized in
            // mixed text, and not joined on ("5 South. Hollow-bore needle").
            let suffix_written = c.name("suffix").map_or("", |m| m.as_str());
            if WORD_SUFFIXES.contains(&suffix.as_str())
                && (doc.after(all.end(), 1) == "-"
                    || !cued && (doc.shouting || !suffix_written.starts_with(char::is_uppercase)))
            {
                continue;
            }
            let bad = words.as_str().split_whitespace().any(|w| {
                // "86th Street", "S. Main Street": an ordinal or an initial is a street's.
                if w.starts_with(|c: char| c.is_ascii_digit()) {
                    return false;
                }
                let w = w.trim_end_matches('.');
                let lower = w.to_lowercase();
                // "N. Main St", "SW 8th St": a direction is a street's.
                if matches!(
                    lower.as_str(),
                    "n" | "s" | "e" | "w" | "ne" | "nw" | "se" | "sw"
                ) && w.starts_with(|c: char| c.is_uppercase())
                {
                    return false;
                }
                is_function_word(&lower)
                    // (A street named for a surgeon is a street where a ZIP follows:
                    // "540 Whipple St, Prescott AZ 86301".)
                    || lexicon::get().is_clinical(&lower) && !goes_on
                    || (!doc.shouting && !cued && !w.starts_with(|c: char| c.is_uppercase()))
            });
            if bad || edge_digit_before(doc, all.start()) {
                continue;
            }
        }
        out.push(PhiSpan {
            start: all.start(),
            end: all.end(),
            kind: PhiKind::Address,
        });
    }
    for r in [&NUMBERED_AVENUE, &FOREIGN_STREET] {
        let Some(r) = r.as_ref() else { continue };
        for m in r.find_iter(doc.text) {
            // (Without what ended "via Roma 42,".)
            let street = m.as_str().trim_end_matches([',', '.', '\n', ' ', '\t']);
            out.push(PhiSpan {
                start: m.start(),
                end: m.start() + street.len(),
                kind: PhiKind::Address,
            });
        }
    }
    let Some(r) = ADDRESS_OTHER.as_ref() else {
        return;
    };
    let lx = lexicon::get();
    for c in r.captures_iter(doc.text) {
        let Some(m) = c
            .name("rural")
            .or_else(|| c.name("numbered"))
            .or_else(|| c.name("street"))
            .or_else(|| c.name("street_at"))
            .or_else(|| c.name("corner"))
            .or_else(|| c.name("corner_of"))
            .or_else(|| c.name("corner_at"))
            .or_else(|| c.name("ordinal_street"))
            .or_else(|| c.name("street_low"))
            .or_else(|| c.name("unit"))
            .or_else(|| c.name("marker"))
            .or_else(|| c.name("named_street"))
        else {
            continue;
        };
        // A street in lower case: its words are no little or clinical words ("on the st",
        // "on iv st").
        if c.name("street_low").is_some() {
            let words: Vec<&str> = m.as_str().split_whitespace().collect();
            let name_words = words.get(..words.len().saturating_sub(1)).unwrap_or(&[]);
            let plain = name_words
                .iter()
                .all(|w| !is_function_word(w) && !lx.is_clinical(w));
            if !plain || name_words.is_empty() {
                continue;
            }
        }

        // "on Ferry St. Mary's": a saint, not a street ("on Pine St. Sister Keisha" is one).
        let next =
            super::text::leading_word_lower(doc.after(m.end(), 24).trim_start_matches(['.', ' ']));
        if c.name("street_at").is_some()
            && m.as_str().ends_with("St")
            && doc
                .after(m.end(), 3)
                .trim_start_matches(['.', ' '])
                .starts_with(|ch: char| ch.is_uppercase())
            && lx.is_first_name(next.trim_end_matches("'s"))
        {
            continue;
        }
        // "on Monday and 3rd visit" is no corner.
        if c.name("corner_at").is_some()
            && super::dates::is_day_or_month(&super::text::leading_word_lower(m.as_str()))
        {
            continue;
        }
        // The words of a street are not clinical ("lives at 2 Lasix").
        // (A street's own suffix may be clinical shorthand: "St", "Rd".)
        // A numbered road ("CR 98", "HWY 23", "28th St") has no name to be clinical.
        let suffixed = c.name("street_at").is_some()
            || c.name("street").is_some()
            || c.name("named_street").is_some();
        let named = if c.name("ordinal_street").is_some()
            || c.name("unit").is_some()
            || c.name("marker").is_some()
            || (suffixed && m.as_str().contains(|ch: char| ch.is_ascii_digit()))
        {
            ""
        } else if suffixed {
            m.as_str()
                .rsplit_once([' ', '\t'])
                .map_or("", |(words, _)| words)
        } else {
            m.as_str()
        };
        let clinical = c.name("rural").is_none()
            && named
                .split(|ch: char| !ch.is_alphabetic())
                .any(|w| !w.is_empty() && lx.is_clinical(&w.to_lowercase()));
        // "The Ave": a little word heading a named street is the sentence's ("Then Oak Rd").
        let start = if c.name("named_street").is_some() {
            let name = m.as_str();
            let little = name
                .split([' ', '\t'])
                .take_while(|w| is_function_word(&w.to_lowercase()))
                .map(|w| w.len() + 1)
                .sum::<usize>();
            if little >= name.len() || !name[little..].contains([' ', '\t']) {
                continue;
            }
            m.start() + little
        } else {
            m.start()
        };
        if !clinical && !edge_digit_before(doc, start) {
            out.push(PhiSpan {
                start,
                end: m.end(),
                kind: PhiKind::Address,
            });
        }
    }
    flats(doc, out);
}

/// A flat, a cottage or a casita by its number, where someone lives: "bldg C, apt C-114",
/// "Greenbriar Assisted Living, Apt 14", "cottage 217" (not "apt 3/12", an appointment's
/// day, nor "apt 2 weeks").
static FLAT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:apt|apartment|cottage|casita)\.?[ \t]*\#?[ \t]*(?P<n>(?:[A-Z]-?)?\d{1,4}[A-Z]?)\b",
    )
});

fn flats(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let Some(r) = FLAT.as_ref() else { return };
    for c in r.captures_iter(doc.text) {
        let Some(n) = c.name("n") else { continue };
        let after = doc.after(n.end(), 12);
        let next = super::text::leading_word_lower(after.trim_start());
        let appointment = after.starts_with(['/', ':', '-'])
            || after.starts_with('.') && after[1..].starts_with(|ch: char| ch.is_ascii_digit())
            || TIME_UNITS.contains(&next.as_str());
        if !appointment {
            out.push(PhiSpan {
                start: n.start(),
                end: n.end(),
                kind: PhiKind::Address,
            });
        }
    }
}

/// Words of time after a number: "apt 2 weeks" is an appointment.
const TIME_UNITS: &[&str] = &[
    "am", "pm", "min", "mins", "minutes", "hr", "hrs", "hour", "hours", "day", "days", "wk", "wks",
    "week", "weeks", "mo", "mos", "month", "months", "yr", "yrs", "year", "years",
];

/// Streets named alone where someone lives or shops ([`HOME_STREET`]): a street of one word is no word
/// of the vocabulary that is not a street's ("lives on Social Security", "on oxygen"), nor
/// the first word of a longer name ("a cabin off Old Mammoth Rd" is the suffix rule's).
fn home_streets(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let Some(r) = HOME_STREET.as_ref() else {
        return;
    };
    for c in r.captures_iter(doc.text) {
        if let Some(m) = c.name("corner") {
            out.push(PhiSpan {
                start: m.start(),
                end: m.end(),
                kind: PhiKind::Address,
            });
        } else if let Some(m) = c.name("street") {
            let longer = doc
                .after(m.end(), 2)
                .strip_prefix(' ')
                .is_some_and(|n| n.starts_with(char::is_uppercase));
            if bare_street_name(lx, m.as_str()) && !longer {
                out.push(PhiSpan {
                    start: m.start(),
                    end: m.end(),
                    kind: PhiKind::Address,
                });
            }
        }
    }
}

/// The keys of a field or a phrase that names where a patient fills prescriptions, works,
/// lives, studies or is cared for: "Pharmacy: Kroger", "my pharmacy is the HEB", "Employer:
/// Midwest Tank Lines", "Lives: Kaibeto", "School: Lincoln-Hawthorne".
const PLACE_KEYS: &str = concat!(
    r"(?:preferred[ \t]+pharmacy|pharmacy|employer|place[ \t]+of[ \t]+employment",
    r"|workplace|lives|residence|school|daycare|day[ \t]?care|nursing[ \t]+home|snf",
    r"|home[ \t]+health(?:[ \t]+agency)?|hospice|church|parish|hometown",
    // Where forms from other places put the town: "Village: Kipnuk", "Barangay: Toril".
    r"|village|town|city|suburb|barrio|barangay|district|neighbou?rhood|facility",
    r"|group[ \t]+home|assisted[ \t]+living|place[ \t]+of[ \t]+birth|birthplace)",
);

static LABELLED_PLACE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        concat!(
            r"(?i)\b{}(?:[ \t]*[:=\-][ \t]*|[ \t]+(?:is|was)[ \t]+)(?:the[ \t]+)?",
            r"(?P<v>[\p{{L}}][\p{{L}}'&.\-]*(?:[ \t][\p{{L}}][\p{{L}}'&.\-]*){{0,2}})",
        ),
        PLACE_KEYS
    ))
});

/// A field's key right before: "Town: ", "school = ".
static PLACE_KEY_BEFORE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(&format!(r"(?i)\b{PLACE_KEYS}[ \t]*[:=][ \t]*$")));

/// Is the place at `start` the value of a field that says it is a place ("Town: Pound")?
/// The key says so, whatever the rest of the post is about.
pub fn after_place_key(doc: &Doc, start: usize) -> bool {
    PLACE_KEY_BEFORE
        .as_ref()
        .is_some_and(|r| r.is_match(doc.before(start, 40)))
}

/// Values of such a field that name no place.
const NOT_PLACE_VALUES: &[&str] = &[
    "alone",
    "with",
    "none",
    "n/a",
    "na",
    "unknown",
    "home",
    "self",
    "retired",
    "unemployed",
    "disabled",
    "homeless",
    "same",
    "on",
    "pending",
    "tbd",
    "not",
    "no",
    "yes",
    "local",
    "mail",
    "any",
    "her",
    "his",
    "their",
    "my",
    "our",
    "a",
    "an",
    "in",
    "at",
    "by",
    "near",
    "here",
    "there",
    "closed",
    "open",
    "out",
    "still",
    "now",
    "currently",
    "independently",
];

/// Places named in a field or after "my pharmacy is" ([`LABELLED_PLACE`]): the words of the
/// name that could be a name's (capitalized where case tells), up to a facility's head word.
fn labelled_places(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let Some(r) = LABELLED_PLACE.as_ref() else {
        return;
    };
    for c in r.captures_iter(doc.text) {
        let Some(v) = c.name("v") else { continue };
        let mut end = v.start();
        for word in v.as_str().split([' ', '\t']) {
            let lower = word.trim_end_matches('.').to_lowercase();
            let named = doc.shouting || word.starts_with(char::is_uppercase);
            if !named
                || NOT_PLACE_VALUES.contains(&lower.as_str())
                || is_function_word(&lower)
                || lx.is_clinical(&lower)
                || lx.is_state_or_country(&lower)
                || FACILITY_HEADS.contains(&lower.as_str())
                || super::dates::is_day_or_month(&lower)
            {
                break;
            }
            end = if end == v.start() {
                v.start() + word.len()
            } else {
                end + 1 + word.len()
            };
            // "Town: Pound. Brought by neighbor": a full stop after a word (not "St.")
            // ends the value.
            if word.ends_with('.') && word.chars().count() > 4 {
                break;
            }
        }
        let value = doc.slice(v.start(), end).trim_end_matches('.');
        if !value.is_empty() {
            out.push(PhiSpan {
                start: v.start(),
                end: v.start() + value.len(),
                kind: PhiKind::Location,
            });
        }
    }
}

/// Words that follow "lives on" and name no street.
const NOT_STREETS: &[&str] = &[
    "social",
    "disability",
    "oxygen",
    "hospice",
    "dialysis",
    "medicaid",
    "medicare",
    "welfare",
    "ssi",
    "ssdi",
    "campus",
    "base",
    "post",
    "site",
    "property",
    "premises",
    "island",
    // The systems a pharmacy or a store is on: "our pharmacy on Epic".
    "epic",
    "cerner",
    "meditech",
    "athena",
    "allscripts",
    "call",
    "hold",
    "duty",
    "file",
];

/// May this word, after "lives on" or "the Kroger on", be a street's name alone ("Sycamore",
/// "Cermak", "Main")? Capitalized, no clinical word, no day or month, none of
/// [`NOT_STREETS`].
fn bare_street_name(lx: &Lexicon, word: &str) -> bool {
    let lower = word.to_lowercase();
    word.chars().next().is_some_and(char::is_uppercase)
        && lower.len() >= 3
        && !is_function_word(&lower)
        && !lx.is_clinical(&lower)
        && !lx.is_state_or_country(&lower)
        && !super::dates::is_day_or_month(&lower)
        && !NOT_STREETS.contains(&lower.as_str())
}

/// The street a place found stands on, named alone: "the Kroger on Main", "Hometown Meats on
/// Main", "the Goodwill on Lake". In text whose case tells only.
pub fn streets_after_places(doc: &Doc, found: &[PhiSpan], out: &mut Vec<PhiSpan>) {
    if doc.upper_heavy {
        return;
    }
    let lx = lexicon::get();
    for s in found.iter().filter(|s| s.kind == PhiKind::Location) {
        let after = doc.after(s.end, 32);
        let Some(rest) = after
            .strip_prefix(" on ")
            .or_else(|| after.strip_prefix(" off "))
        else {
            continue;
        };
        let word: &str = rest
            .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '-')
            .next()
            .unwrap_or("");
        // One word, then the phrase ends or goes on with a place or a time ("on Main in
        // Harrodsburg", "on Lake — job coach"), not a second capitalized word ("on Social
        // Security", "on Fire Island").
        let next = rest.get(word.len()..).unwrap_or("");
        let second_capital = next
            .strip_prefix(' ')
            .is_some_and(|n| n.starts_with(char::is_uppercase));
        if bare_street_name(lx, word) && !second_capital {
            let start = s.end + (after.len() - rest.len());
            out.push(PhiSpan {
                start,
                end: start + word.len(),
                kind: PhiKind::Address,
            });
        }
    }
}

/// The store or workplace named by the street it stands on: "the CVS on Main St", "the HEB
/// on Nogalitos St", "Chick-fil-A on Hwy 17", "the Co-op on Market Street". One to three
/// words before "on" or "off" and a street found, after "the", "at", "to" or "from" (or
/// the start of a line), none of them a common or clinical word in lower case.
pub fn places_before_streets(doc: &Doc, found: &[PhiSpan], out: &mut Vec<PhiSpan>) {
    let lx = lexicon::get();
    let toks = &doc.tokens;
    for s in found.iter().filter(|s| s.kind == PhiKind::Address) {
        let k = toks.partition_point(|t| t.end <= s.start);
        let on = k.checked_sub(1);
        if !on
            .and_then(|j| toks.get(j))
            .is_some_and(|t| matches!(t.lower(), "on" | "off"))
            || on.is_none_or(|j| doc.gap_before(j) != " ")
        {
            continue;
        }
        let Some(on) = on else { continue };
        let mut first = on;
        while first > 0 && on - first < 3 {
            let Some(t) = toks.get(first - 1) else { break };
            let gap_ok = first == on || matches!(doc.gap_after(first - 1), " " | "-");
            let word_ok = t.kind == TokKind::Word
                && !is_function_word(&t.lower)
                && !GENERIC.contains(&t.lower())
                && !lx.is_clinical(&t.lower)
                && !super::dates::is_day_or_month(&t.lower)
                && (t.capitalized || t.all_caps || !lx.is_english(&t.lower));
            if !gap_ok || !word_ok {
                break;
            }
            first -= 1;
        }
        let opened = first == 0
            || doc.gap_before(first).contains('\n')
            || toks
                .get(first - 1)
                .is_some_and(|t| matches!(t.lower(), "the" | "at" | "to" | "from" | "by"));
        if first < on && opened {
            if let (Some(a), Some(b)) = (toks.get(first), toks.get(on - 1)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end,
                    kind: PhiKind::Location,
                });
            }
        }
    }
}

/// The town a workplace, school or home found stands in: "Golden Wonder in Corby", "the
/// JBS plant in Greeley", "Cherry County Hospital in Valentine". A capitalized word or two
/// after "in", past the place's own kind ("plant", "Hospital"), whatever else the word is: a
/// town where a patient's place is, is the patient's town. Not after a famous institution
/// ("Mayo in Rochester" is the judge's).
pub fn towns_after_places(doc: &Doc, found: &[PhiSpan], out: &mut Vec<PhiSpan>) {
    if doc.upper_heavy {
        return;
    }
    let lx = lexicon::get();
    let toks = &doc.tokens;
    for s in found.iter().filter(|s| s.kind == PhiKind::Location) {
        if super::notable::is_notable_institution(doc, s) {
            continue;
        }
        let mut k = toks.partition_point(|t| t.start < s.end);
        // Past the kind of place: "plant", "Hospital", "Head Start".
        while toks.get(k).is_some_and(|t| {
            doc.gap_before(k) == " "
                && (is_facility_head(t.lower()) || GENERIC.contains(&t.lower()))
        }) {
            k += 1;
        }
        if toks.get(k).is_none_or(|t| t.lower() != "in") || doc.gap_before(k) != " " {
            continue;
        }
        let first = k + 1;
        let mut end = None;
        for m in first..first + 2 {
            let Some(t) = toks.get(m) else { break };
            let word_ok = doc.gap_before(m) == " "
                && t.kind == TokKind::Word
                && t.capitalized
                && !t.all_caps
                && !is_function_word(&t.lower)
                && !lx.is_clinical(&t.lower)
                && !lx.is_medical(&t.lower)
                && !lx.is_state_or_country(&t.lower)
                && !super::dates::is_day_or_month(&t.lower)
                && (m > first || !GENERIC.contains(&t.lower()));
            if !word_ok {
                break;
            }
            end = Some(t.end);
        }
        if let (Some(end), Some(a)) = (end, toks.get(first)) {
            out.push(PhiSpan {
                start: a.start,
                end,
                kind: PhiKind::Location,
            });
        }
    }
}

/// A county is named with its word: "Yakima County", "Tangipahoa Parish" (the place found
/// is its name part).
pub fn extend_over_county_words(doc: &Doc, found: &mut [PhiSpan]) {
    for s in found.iter_mut().filter(|s| s.kind == PhiKind::Location) {
        let after = doc.after(s.end, 10);
        for word in [" county", " parish", " borough"] {
            let whole_word = after
                .get(word.len()..)
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()));
            if whole_word
                && after
                    .get(..word.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(word))
            {
                s.end += word.len();
                break;
            }
        }
    }
}

/// "10/3 Main St": the number continues a date or a ratio.
fn edge_digit_before(doc: &Doc, start: usize) -> bool {
    doc.before(start, 1)
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
}

fn zips(doc: &Doc, out: &mut Vec<PhiSpan>) {
    if let Some(r) = POSTCODE.as_ref() {
        out.extend(r.find_iter(doc.text).map(|m| PhiSpan {
            start: m.start(),
            end: m.end(),
            kind: PhiKind::Zip,
        }));
    }
    let Some(r) = ZIP.as_ref() else { return };
    for c in r.captures_iter(doc.text) {
        // (India's PIN code: "PIN 563131".)
        if let Some(z) = c
            .name("zip")
            .or_else(|| c.name("zip2"))
            .or_else(|| c.name("zip3"))
            .or_else(|| c.name("zip4"))
            .or_else(|| c.name("zip5"))
        {
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
        // A business named in lower case before its kind, in text whose case tells ("the
        // JBS plant", "Lucky's bar", "El Guero taqueria").
        let business = !doc.shouting && !t.capitalized && BUSINESS_HEADS.contains(&t.lower());
        let head = FACILITY_HEADS.contains(&t.lower()) || business;
        let tail = FACILITY_NAME_TAILS.contains(&t.lower());
        let medical_center = t.lower == "medical"
            && toks
                .get(i + 1)
                .is_some_and(|n| matches!(n.lower(), "center" | "centre" | "ctr"));
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
            let dotted = gap.contains('.')
                && !(prev.lower == "st" || prev.lower == "mt" || prev.lower.chars().count() == 1);
            let fits = name_like(doc, lx, prev)
                && (!doc.shouting
                    || FACILITY_NAME_WORDS.contains(&prev.lower())
                    || lx.is_name(&prev.lower)
                    || lx.is_place(&prev.lower)
                    || !lx.is_english(&prev.lower));
            if !joined || dotted || !fits {
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
                Some(w) if GENERIC.contains(&w.lower()) && w.lower != "st" => k += 1,
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
                .is_some_and(|w| !GENERIC.contains(&w.lower()) || w.lower == "st")
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

/// A word of going to or coming from somewhere: before a saint in lower case, it makes the
/// saint a hospital ("came from st. francis", not "Prayer of st. francis").
pub(super) fn is_word_of_going(w: &str) -> bool {
    matches!(w, "from" | "at" | "to" | "in" | "into")
}

/// "St. Mary's", "ST AGNES", "Saint Joseph": a saint's name is a hospital's name. After
/// "from", "at", "to" or "in" it is one in lower case too, or by its initial ("admit from
/// st. elizabeth's", "slides from St. V's", "transferred from st johns").
fn saints(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if !matches!(t.lower(), "st" | "saint" | "ste") {
            continue;
        }
        let Some(n) = toks.get(i + 1) else { continue };
        let gap = doc.gap_after(i);
        let base = n.lower.trim_end_matches("'s");
        let cued = is_word_of_going(&super::word_before_lower(doc, t.start, &[]));
        let initial = base.chars().count() == 1 && n.lower.ends_with("'s");
        // The possessive without its apostrophe, as phones type it: "from st johns".
        let unmarked = base
            .strip_suffix('s')
            .is_some_and(|b| b.len() >= 3 && lx.is_first_name(b));
        if matches!(gap, ". " | "." | " ")
            && n.kind == TokKind::Word
            && (doc.shouting || n.capitalized || cued)
            && (lx.is_first_name(base) || unmarked || (cued && initial))
            && !is_function_word(base)
        {
            out.push(PhiSpan {
                start: t.start,
                end: n.end,
                kind: PhiKind::Location,
            });
        }
    }
}

/// A place after "transferred to", "lives in", "admitted from"…
fn cued(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let prep = t.lower();
        let cue_word = |cues: &[&str]| {
            (1..=2).any(|d| {
                i.checked_sub(d)
                    .and_then(|j| toks.get(j))
                    .is_some_and(|c| cues.contains(&c.lower()))
            })
        };
        let cued = match prep {
            "for" | "with" => cue_word(EMPLOYMENT_CUES),
            _ if MOVE_PREPS.contains(&prep) => cue_word(MOVE_CUES),
            _ => continue,
        };
        let far_cue = cued
            || i.checked_sub(3)
                .and_then(|j| toks.get(j))
                .is_some_and(|c| MOVE_CUES.contains(&c.lower()));
        let mut k = i + 1;
        if toks.get(k).is_some_and(|n| n.lower == "the") {
            k += 1;
        }
        let Some(first) = toks.get(k) else { continue };
        if !doc.gap_before(k).chars().all(char::is_whitespace) {
            continue;
        }
        // Without a cue word, only an acronym after "at"/"from" in mixed-case text ("seen
        // at KMH") or a numbered building after "from" ("from Westbury 3").
        let bare_acronym = (matches!(prep, "at" | "from") && !doc.shouting)
            || (first.lower.ends_with('h')
                && first.lower.chars().count() <= 4
                && !NOT_CENTERS.contains(&first.lower()));
        let accepted = (cued
            && (place_start(doc, lx, toks, k) || lower_case_home_town(doc, lx, toks, i, k)))
            || ((cued || bare_acronym) && acronym(doc, lx, first))
            || ((far_cue || prep == "from") && numbered_building(doc, lx, toks, k));
        if !accepted {
            continue;
        }
        let mut end = first.end;
        let mut m = k + 1;
        while m < k + 4 {
            let Some(n) = toks.get(m) else { break };
            let gap = doc.gap_before(m);
            if !(gap == " " || gap == "-" || gap == "  ")
                || FACILITY_HEADS.contains(&n.lower())
                || !name_like(doc, lx, n)
            {
                break;
            }
            let extend = if doc.shouting {
                !lx.is_english(&n.lower)
                    || lx.is_place(&n.lower)
                    || FACILITY_NAME_TAILS.contains(&n.lower())
                    || FACILITY_NAME_WORDS.contains(&n.lower())
            } else {
                n.capitalized
            };
            if !extend {
                break;
            }
            end = n.end;
            m += 1;
        }
        if (2..=3).any(|n| joined_is_state(doc, lx, k, n)) {
            continue;
        }
        out.push(PhiSpan {
            start: first.start,
            end,
            kind: PhiKind::Location,
        });
    }
}

/// Where a message written all in lower case says its writer lives: "we live in mobile
/// now", "she lives with me in hazard". Case cannot tell the town from the word here, but
/// where someone lives is a place whenever the gazetteer holds the word.
fn lower_case_home_town(doc: &Doc, lx: &Lexicon, toks: &[Token], i: usize, k: usize) -> bool {
    const HOME_CUES: &[&str] = &[
        "live", "lives", "living", "lived", "reside", "resides", "moved", "moving", "stays",
    ];
    let (Some(prep), Some(t)) = (toks.get(i), toks.get(k)) else {
        return false;
    };
    let home_cue = (1..=4).any(|d| {
        i.checked_sub(d)
            .and_then(|j| toks.get(j))
            .is_some_and(|c| HOME_CUES.contains(&c.lower()))
    });
    doc.shouting
        && !doc.upper_heavy
        && k == i + 1
        && matches!(prep.lower(), "in" | "to")
        && home_cue
        && t.lower.chars().count() >= 3
        && lx.is_place(&t.lower)
        && may_be_a_town(lx, t)
}

/// A word that may be a town's, case aside: no word of grammar or of the clinic, no state
/// or country, nor a word that follows "to" or "from" in notes and names no place.
fn may_be_a_town(lx: &Lexicon, t: &Token) -> bool {
    t.kind == TokKind::Word
        && !is_function_word(&t.lower)
        && !lx.is_clinical(&t.lower)
        && !lx.is_state_or_country(&t.lower)
        && !GENERIC.contains(&t.lower())
        && !NOT_PLACES.contains(&t.lower())
}

/// Towns of the gazetteer written in lower case after "from", "in", "near" or "outside", in a
/// message typed all in lower case: "its ted from bartlesville", "her moms bakery in
/// muskogee", "the cvs in broken arrow". Not a town that is an English or medical word too
/// ("from mobile", "in hazard"): those want a word of living there
/// ([`lower_case_home_town`]).
fn lower_case_towns(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    if !doc.typed_in_lower_case {
        return;
    }
    let town_word = |t: &Token| !t.capitalized && may_be_a_town(lx, t);
    for (i, t) in toks.iter().enumerate() {
        if !matches!(t.lower(), "from" | "in" | "near" | "outside") || doc.gap_after(i) != " " {
            continue;
        }
        let Some(first) = toks
            .get(i + 1)
            .filter(|n| n.kind == TokKind::Word && !n.capitalized)
        else {
            continue;
        };
        // Two words first ("broken arrow"), then one that is no word of the language.
        let second = toks
            .get(i + 2)
            .filter(|n| doc.gap_after(i + 1) == " " && n.kind == TokKind::Word && !n.capitalized);
        let end = match second {
            Some(n) if lx.is_multi_place(&format!("{} {}", first.lower, n.lower)) => n.end,
            _ if town_word(first)
                && first.lower.chars().count() >= 4
                && lx.is_place(&first.lower)
                && !lx.is_english(&first.lower)
                && !lx.is_medical(&first.lower)
                && !lx.is_name(&first.lower) =>
            {
                first.end
            }
            _ => continue,
        };
        out.push(PhiSpan {
            start: first.start,
            end,
            kind: PhiKind::Location,
        });
    }
}

/// The kinds of facility that end a name typed in lower case: "riverside urgent care",
/// "sunrise senior living", "good samaritan hospital".
const LOWER_CASE_HEADS: &[&str] = &[
    "urgent care",
    "senior living",
    "assisted living",
    "memory care",
    "nursing home",
    "nursing and rehab",
    "care home",
    "care center",
    "group home",
    "health center",
    "medical center",
    "surgery center",
    "endoscopy center",
    "family clinic",
    "family medicine",
    "specialty",
    "hospital",
    "clinic",
    "rehab",
    "manor",
    "daycare",
    "preschool",
    "elementary",
    "school",
    "snf",
    "alf",
    "ltach",
];

/// What a practice or an agency is called after its name: "Farnham Road Surgery",
/// "Riverbend Family Medicine", "Roaring Fork Neurology", "Interim Home Health".
const PRACTICE_HEADS: &[&[&str]] = &[
    &["surgery"],
    &["medical", "practice"],
    &["health", "centre"],
    &["family", "medicine"],
    &["family", "practice"],
    &["neurology"],
    &["cardiology"],
    &["pediatrics"],
    &["paediatrics"],
    &["dermatology"],
    &["orthopaedics"],
    &["orthopedics"],
    &["home", "health"],
    &["home", "care"],
];

/// Words before a practice's kind that name no practice: a department ("Plastic Surgery",
/// "Day Surgery"), a greeting ("Dear Neurology"), a benefit or a brand.
const NOT_PRACTICE_NAMES: &[&str] = &[
    "day",
    "same",
    "general",
    "minor",
    "major",
    "ambulatory",
    "elective",
    "emergency",
    "robotic",
    "weight",
    "loss",
    "transplant",
    "vascular",
    "trauma",
    "thoracic",
    "breast",
    "spine",
    "hand",
    "foot",
    "eye",
    "head",
    "neck",
    "brain",
    "heart",
    "child",
    "children",
    "kids",
    "women",
    "men",
    "community",
    "internal",
    "private",
    "local",
    "regional",
    "national",
    "university",
    "adult",
    "dear",
    "hi",
    "hello",
    "medicare",
    "medicaid",
    "littmann",
    "referral",
    "consult",
    "team",
    "colorectal",
    "bariatric",
    "oral",
    "plastic",
    "reconstructive",
    "mohs",
    "cosmetic",
    "laser",
    "our",
    "your",
    "my",
    "new",
    "old",
    "endocrine",
    "surgical",
    "neuro",
    "developmental",
    "behavioral",
    "behavioural",
    "cognitive",
    "sleep",
    "sports",
    "interventional",
    "upper",
    "lower",
    "dental",
    "facial",
    "maxillofacial",
    "urologic",
    "gynecologic",
    "pain",
    "wound",
    "vein",
    "skin",
    "aesthetic",
    "digestive",
    "liver",
    "kidney",
    "lung",
    "cancer",
    "orthopaedic",
    "orthopedic",
    "pediatric",
    "paediatric",
    "neonatal",
    "fetal",
    "maternal",
    "geriatric",
    "group",
    "associates",
    "partners",
    "primary",
    "specialty",
    "speciality",
    "senior",
    "visiting",
    "skilled",
    "certified",
    "licensed",
    "hospital",
    "clinic",
    "the",
    "and",
    "global",
    "rural",
    "academic",
    "travel",
    "tropical",
    "public",
    "military",
    "wilderness",
    "humanitarian",
];

/// A practice or an agency named by its own name before its kind, in text whose case tells
/// ("GP, Farnham Road Surgery", "Referring: Tri-County Family Medicine", "Carer (Bluebird
/// Care)"... with "Home Care"): the name part, kept whatever its words are ("Well Lane").
/// A department ("Plastic Surgery") or a clinical word is none.
pub fn practices(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    if doc.upper_heavy || doc.shouting {
        return;
    }
    let toks = &doc.tokens;
    for i in 0..toks.len() {
        let named = PRACTICE_HEADS.iter().any(|head| {
            head.iter().enumerate().all(|(k, w)| {
                toks.get(i + k).is_some_and(|x| {
                    x.lower() == *w && x.capitalized && (k == 0 || doc.gap_before(i + k) == " ")
                })
            })
        });
        if !named {
            continue;
        }
        let mut first = i;
        while first > 0 && i - first < 3 {
            let Some(prev) = toks.get(first - 1) else {
                break;
            };
            let gap = doc.gap_before(first);
            let word = prev.lower();
            let fits = matches!(gap, " " | "-")
                && prev.kind == TokKind::Word
                && prev.capitalized
                && !prev.all_caps
                && !is_function_word(word)
                // (Not a word of medicine alone; an English word the dictionary holds too
                // may name one: "Roaring Fork", "Interim".)
                && !lx.is_clinical(word)
                && (!lx.is_medical(word) || lx.is_english(word))
                && !NOT_PRACTICE_NAMES.contains(&word)
                && !GENERIC.contains(&word)
                && !lx.is_state_or_country(word);
            if !fits {
                break;
            }
            first -= 1;
        }
        if first == i {
            continue;
        }
        if let (Some(a), Some(b)) = (toks.get(first), toks.get(i - 1)) {
            out.push(PhiSpan {
                start: a.start,
                end: b.end,
                kind: PhiKind::Location,
            });
        }
    }
}

/// A facility named in lower case after "from", "at", "to" or "in", in a message typed all
/// in lower case: "urine cx on summer fields from riverside urgent care", "back at good
/// samaritan hospital", "goes to sunrise senior living". Each word of its name must be one
/// a name is made of (a town, a word of hospitals' names, or no word of the language), so
/// that "the local urgent care", "a big hospital" and "the pain clinic" stay words.
pub fn lower_case_facilities(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    if !doc.typed_in_lower_case {
        return;
    }
    let toks = &doc.tokens;
    let name_word = |t: &Token| {
        !t.capitalized
            && may_be_a_town(lx, t)
            && t.lower.chars().count() >= 3
            && (lx.is_place(&t.lower)
                || FACILITY_NAME_WORDS.contains(&t.lower())
                || !lx.is_english(&t.lower) && !lx.is_medical(&t.lower))
    };
    for (i, t) in toks.iter().enumerate() {
        if !matches!(t.lower(), "from" | "at" | "to" | "in" | "@") {
            continue;
        }
        let mut k = i + 1;
        if toks.get(k).is_some_and(|n| n.lower == "the") {
            k += 1;
        }
        // One or two words of a name, then the kind of facility.
        for len in [1, 2] {
            let words = k..k + len;
            let spaced = (k..k + len).all(|j| doc.gap_before(j) == " ");
            if !spaced || !words.clone().all(|j| toks.get(j).is_some_and(name_word)) {
                break;
            }
            let rest = doc.after(toks[k + len - 1].end, 40);
            let rest = rest.strip_prefix(' ').unwrap_or("");
            let headed = LOWER_CASE_HEADS.iter().any(|h| {
                rest.strip_prefix(h)
                    .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric()))
            });
            if headed {
                out.push(PhiSpan {
                    start: toks[k].start,
                    end: toks[k + len - 1].end,
                    kind: PhiKind::Location,
                });
                break;
            }
        }
    }
}

/// Verbs of work: "works for X", "retired from X" (an employer is an identifier too).
const EMPLOYMENT_CUES: &[&str] = &["works", "worked", "working", "employed", "retired", "ceo"];

/// A short upper-case name after "to/at/from/in": "to KMH", "at GH" (not "to CT").
fn acronym(doc: &Doc, lx: &Lexicon, t: &Token) -> bool {
    let n = t.lower.chars().count();
    t.kind == TokKind::Word
        && (2..=5).contains(&n)
        && (t.all_caps || doc.shouting)
        && (n <= 4 || !doc.shouting)
        && !lx.is_english(&t.lower)
        && !lx.is_clinical(&t.lower)
        && !lx.is_state_or_country(&t.lower)
        && !NOT_PLACES.contains(&t.lower())
}

/// A building and its floor: "to Westbury 2", "on WESTBURY 6", "from westbury3".
fn numbered_building(doc: &Doc, lx: &Lexicon, toks: &[Token], k: usize) -> bool {
    let (Some(t), Some(n)) = (toks.get(k), toks.get(k + 1)) else {
        return false;
    };
    let gap = doc.gap_after(k);
    t.kind == TokKind::Word
        && n.kind == TokKind::Number
        && n.lower.len() == 1
        && (gap.is_empty() || gap == " " || gap == "  ")
        && t.lower.chars().count() >= 3
        && !lx.is_english(&t.lower)
        && !lx.is_clinical(&t.lower)
        && !is_function_word(&t.lower)
        && !NOT_PLACES.contains(&t.lower())
}

/// A long unknown word and a floor number that no unit follows: "on Westbury 6 at noon".
fn building_without_cue(doc: &Doc, lx: &Lexicon, toks: &[Token], k: usize) -> bool {
    // Cheap tests first: a long word, then a one-digit number.
    let floor = toks
        .get(k + 1)
        .is_some_and(|n| n.kind == TokKind::Number && n.lower.len() == 1);
    // (A word of the Latin script: "заболела 5 декабря" is a verb and a date.)
    if !floor
        || toks
            .get(k)
            .is_none_or(|t| t.lower.len() < 6 || !t.lower.is_ascii())
    {
        return false;
    }
    let unit_after = toks.get(k + 2).is_some_and(|u| {
        matches!(
            u.lower(),
            "mg" | "mcg"
                | "g"
                | "gm"
                | "units"
                | "u"
                | "l"
                | "lpm"
                | "cc"
                | "ml"
                | "x"
                | "hr"
                | "mcgs"
                | "mcq"
                | "meq"
                | "liters"
                | "lit"
        ) && doc.gap_after(k + 1).len() <= 1
    }) || doc.gap_after(k + 1).starts_with(['%', '/'])
        // "2.5" is a dose, and "2,8" a value written with a decimal comma ("Laktat 2,8");
        // "WESTBURY 6." ends a sentence.
        || matches!(doc.gap_after(k + 1), "." | ",") && toks.get(k + 2).is_some_and(|n| n.kind == TokKind::Number)
        // "2tabs", "1pm", "x2": the number is a count or a time.
        || doc.gap_after(k + 1).is_empty() && toks.get(k + 2).is_some()
        || toks.get(k + 2).is_some_and(|u| {
            DOSE_WORDS.contains(&u.lower()) && doc.gap_after(k + 1).trim().is_empty()
        });
    // Verbs ("recieved 2", "extubated 1"), counts ("stoolsx2") and salts ("gluconate 2").
    let verb_like = toks.get(k).is_some_and(|t| {
        ["ed", "ing", "ate", "ion", "ions"]
            .iter()
            .any(|e| t.lower.ends_with(e))
            || (t.lower.ends_with('x') && doc.gap_after(k).is_empty())
    });
    !verb_like
        && toks.get(k).is_some_and(|t| t.lower.chars().count() >= 6)
        && numbered_building(doc, lx, toks, k)
        && !unit_after
}

/// "Elmsworth 6", "PLAN: ELMSWORTH 4 ONCE BED OPEN", "to elmsworth3": a long word that is no
/// English word, no clinical term and no drug, then a floor number that no unit follows,
/// wherever it stands.
fn buildings(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (k, t) in toks.iter().enumerate() {
        if t.kind != TokKind::Word || !building_without_cue(doc, lx, toks, k) {
            continue;
        }
        // "WESTBURY2": the floor is part of the name when nothing separates them.
        let end = match toks.get(k + 1) {
            Some(n) if doc.gap_after(k).is_empty() => n.end,
            _ => t.end,
        };
        out.push(PhiSpan {
            start: t.start,
            end,
            kind: PhiKind::Location,
        });
    }
}

/// "surgeon from Riverside", "visiting at the Blue Ridge", "lives near Fallowfield": in
/// text where case tells, capitalized words inside a sentence right after a preposition of
/// place are a place, even when they are English words. Units, departments and times of
/// the hospital are left out.
fn titled_after_preposition(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        let mut k = i + 1;
        let the = toks.get(k).is_some_and(|n| n.lower == "the");
        if the {
            k += 1;
        }
        // "FROM THE SOUTHERN PINES", "at the Holy Cross chapel": two words of place names
        // after a preposition and "the", whatever the case.
        if the && matches!(t.lower(), "from" | "at" | "near" | "on" | "to" | "in") {
            let pair = (k..k + 2).all(|m| {
                toks.get(m).is_some_and(|n| {
                    FACILITY_NAME_WORDS.contains(&n.lower())
                        && !GENERIC.contains(&n.lower())
                        && (doc.shouting || n.capitalized)
                })
            }) && doc.gap_after(k) == " ";
            if let (true, Some(a), Some(b)) = (pair, toks.get(k), toks.get(k + 1)) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end,
                    kind: PhiKind::Location,
                });
                continue;
            }
        }
        // Not "on" ("on Zestril"), "to" ("to Dr.") nor "in" ("in Green chart").
        if doc.upper_heavy || !matches!(t.lower(), "from" | "at" | "near") {
            continue;
        }
        let mut end = None;
        let mut m = k;
        while m < k + 3 {
            let Some(n) = toks.get(m) else { break };
            let lower = n.lower();
            let ok = doc.gap_before(m) == " "
                && doc.title_case(m)
                && n.lower.len() >= 4
                && proper_word(doc.slice(n.start, n.end))
                && !lexicon::drug_shaped(lower)
                && !is_function_word(lower)
                && !lx.is_clinical(lower)
                && !lx.is_state_or_country(lower)
                && !GENERIC.contains(&lower)
                && !NOT_PLACES.contains(&lower)
                && !DEPARTMENTS.contains(&lower)
                && !super::dates::is_day_or_month(lower);
            if !ok {
                break;
            }
            end = Some(n.end);
            m += 1;
        }
        // "Westbury Hospital" is the facility rule's; "to Dr" never reaches here.
        let head_next = toks
            .get(m)
            .is_some_and(|n| FACILITY_HEADS.contains(&n.lower()));
        if let (Some(end), Some(first)) = (end, toks.get(k)) {
            if head_next && m == k + 1 && lx.is_english(first.lower()) {
                continue;
            }
            out.push(PhiSpan {
                start: first.start,
                end,
                kind: PhiKind::Location,
            });
        }
    }
}

/// A capital then lower-case letters only ("Riverside", not "A-line", "TF's", "CareVue").
fn proper_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
}

/// Departments and services of a hospital: "sent to Radiology", "seen by Cardiology".
const DEPARTMENTS: &[&str] = &[
    "radiology",
    "cardiology",
    "neurology",
    "neurosurgery",
    "surgery",
    "medicine",
    "oncology",
    "nephrology",
    "pulmonary",
    "pulmonology",
    "hematology",
    "gastroenterology",
    "psychiatry",
    "pharmacy",
    "dietary",
    "nutrition",
    "rehab",
    "physical",
    "occupational",
    "speech",
    "social",
    "case",
    "pathology",
    "lab",
    "laboratory",
    "admitting",
    "emergency",
    "urology",
    "orthopedics",
    "ortho",
    "dermatology",
    "infectious",
    "endocrine",
    "endocrinology",
    "anesthesia",
    "transplant",
    "trauma",
    "critical",
    "intensive",
    "respiratory",
    "security",
    "chaplaincy",
    "pastoral",
    "interventional",
    "nuclear",
    "vascular",
    "echo",
    "bedside",
    "unit",
    "floor",
    "progress",
    "note",
    "notes",
    "plan",
    "impression",
    "assessment",
    "english",
    "spanish",
];

/// Verbs and nouns of work after which an employer is named: "works for X", "CEO of X",
/// "drives for X", "my job at X".
const EMPLOYER_CUES: &[&str] = &[
    "work",
    "works",
    "drives",
    "drove",
    "driver",
    "job",
    "worked",
    "working",
    "employed",
    "retired",
    "ceo",
    "owner",
    "owns",
    "president",
    "employee",
];

/// Verbs of work that may take a few words before their "at" or "for".
const WORK_VERBS: &[&str] = &["work", "works", "worked", "working", "drives", "drove"];

/// Is the span right after a verb of work or a job and its "for", "at" or "by" ("works for
/// UPS", "employed by Tyson", "works at the Tyson plant", "meat cutter at JBS", "cashier @
/// Kroger")? Then it is the employer the rules below found, though its word is a word of
/// the dictionary or an acronym too.
pub fn after_work_cue(doc: &Doc, start: usize) -> bool {
    let toks = &doc.tokens;
    let k = toks.partition_point(|t| t.end <= start);
    // (Written as a name is, in text whose case tells: "social work for emotional
    // support" names no employer.)
    let named = !doc.shouting
        && toks
            .get(k)
            .is_some_and(|t| t.start == start && (t.capitalized || t.all_caps));
    if !named || k == 0 {
        return false;
    }
    let word = |j: usize| toks.get(j).map_or("", |t| t.lower());
    if JOBS.contains(&word(k - 1)) && doc.gap_after(k - 1).trim() == "@" {
        return true;
    }
    let p = if word(k - 1) == "the" { k - 1 } else { k };
    p >= 2
        && matches!(word(p - 1), "for" | "at" | "by")
        && (WORK_VERBS.contains(&word(p - 2))
            || word(p - 2) == "employed"
            || JOBS.contains(&word(p - 2)))
}

/// The employer after "works for", "works at", "employed by", "retired from", "CEO of":
/// up to three words up to the next punctuation, whatever their case.
fn employers(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if matches!(
            t.lower(),
            "driver" | "employee" | "worker" | "warehouse" | "cashier"
        ) {
            // "a Consolidated Freightways driver", "an Acmetron employee": the employer's
            // name in capitals mid-sentence right before the job.
            let mut first = i;
            while first > 0 && i - first < 3 && doc.gap_before(first) == " " {
                let Some(p) = toks.get(first - 1) else { break };
                let plain = doc.title_case(first - 1)
                    && !is_function_word(&p.lower)
                    && !lx.is_clinical(&p.lower)
                    && !lx.is_medical(&p.lower)
                    && !lx.is_state_or_country(&p.lower)
                    && !super::dates::is_day_or_month(&p.lower);
                if !plain {
                    break;
                }
                first -= 1;
            }
            // (The job may head the text: no word before it.)
            let before = i.checked_sub(1).and_then(|k| toks.get(k));
            if let (true, Some(a), Some(b)) = (first < i, toks.get(first), before) {
                out.push(PhiSpan {
                    start: a.start,
                    end: b.end,
                    kind: PhiKind::Location,
                });
            }
        }
        if matches!(t.lower(), "business" | "company" | "firm" | "employer") {
            // "his business Acmetron", "employer: Zentrix": a capitalized unknown word.
            if let Some(n) = toks.get(i + 1) {
                let gap = doc.gap_after(i).trim();
                let named = (doc.title_case(i + 1) || (!doc.shouting && n.all_caps))
                    && (gap.is_empty() || gap == ":" || gap == "-" || gap == "is")
                    && !lx.is_english(n.lower())
                    && !lx.is_clinical(n.lower());
                if named {
                    out.push(PhiSpan {
                        start: n.start,
                        end: n.end,
                        kind: PhiKind::Location,
                    });
                }
            }
            continue;
        }
        if !EMPLOYER_CUES.contains(&t.lower()) {
            continue;
        }
        // A verb of work may take a few words before its "at" or "for": "works line shifts
        // at the JBS plant", "i work 7-3 at costco", "drives a school bus for Twin Valley".
        let verb = WORK_VERBS.contains(&t.lower());
        let mut p = i + 1;
        while verb
            && p < i + 4
            && matches!(doc.gap_before(p), " " | "-")
            && toks.get(p).is_some_and(|w| {
                !matches!(w.lower(), "at" | "for")
                    && (!is_function_word(&w.lower)
                        || matches!(
                            w.lower(),
                            "a" | "an" | "the" | "his" | "her" | "my" | "their" | "as"
                        ))
                    && !lx.is_clinical(&w.lower)
            })
        {
            p += 1;
        }
        if p > i + 1
            && !toks
                .get(p)
                .is_some_and(|w| matches!(w.lower(), "at" | "for"))
        {
            p = i + 1;
        }
        let Some(prep) = toks.get(p) else {
            continue;
        };
        // "work of breathing", "work with PT": the nouns and verbs of driving and plain
        // work name an employer only after "for" or "at".
        let plain_work = matches!(t.lower(), "work" | "drives" | "drove" | "driver" | "job");
        let prep_ok = if plain_work || p > i + 1 {
            matches!(prep.lower(), "for" | "at")
        } else {
            matches!(prep.lower(), "for" | "at" | "by" | "from" | "of" | "with")
        };
        if !prep_ok || doc.gap_before(p) != " " {
            continue;
        }
        let mut k = p + 1;
        if toks.get(k).is_some_and(|n| n.lower == "the") {
            k += 1;
        }
        // "social work for emotional support": after plain work, a name as names are
        // written, unless the whole text is in one case.
        if plain_work && !doc.shouting && !toks.get(k).is_some_and(|n| n.capitalized) {
            continue;
        }
        if matches!(doc.gap_before(k), " " | "-" | "&" | " & ") {
            out.extend(employer_from(doc, lx, k));
        }
    }
    jobs_at(doc, lx, out);
}

/// The employer's name from token `k`: up to three words up to the next punctuation, but
/// not a common noun alone ("works for years"). (Whatever comes before `k` is the caller's
/// to check: "cashier @ Kroger".)
fn employer_from(doc: &Doc, lx: &Lexicon, k: usize) -> Option<PhiSpan> {
    let toks = &doc.tokens;
    let mut end = None;
    let mut m = k;
    while m < k + 3 {
        let Some(n) = toks.get(m) else { break };
        let gap = doc.gap_before(m);
        if (m > k && !matches!(gap, " " | "-" | "&" | " & "))
            || n.kind != TokKind::Word
            || is_function_word(&n.lower)
            || lx.is_clinical(&n.lower)
            || (m == k && (GENERIC.contains(&n.lower()) || NOT_PLACES.contains(&n.lower())))
            || super::dates::is_day_or_month(&n.lower)
        {
            break;
        }
        end = Some(n.end);
        m += 1;
    }
    let (end, first) = (end?, toks.get(k)?);
    if m == k + 1
        && lx.is_english(&first.lower)
        && !first.capitalized
        && !(doc.shouting && first.all_caps)
    {
        return None;
    }
    Some(PhiSpan {
        start: first.start,
        end,
        kind: PhiKind::Location,
    })
}

/// Jobs whose "at" or "for" names where a patient or a relative works or studies.
pub(super) const JOBS: &[&str] = &[
    "cashier",
    "cook",
    "clerk",
    "teacher",
    "student",
    "freshman",
    "sophomore",
    "janitor",
    "custodian",
    "mechanic",
    "welder",
    "machinist",
    "electrician",
    "plumber",
    "carpenter",
    "roofer",
    "assembler",
    "packer",
    "picker",
    "loader",
    "stocker",
    "server",
    "waiter",
    "waitress",
    "bartender",
    "barista",
    "dishwasher",
    "housekeeper",
    "cna",
    "attendant",
    "guard",
    "manager",
    "supervisor",
    "foreman",
    "accountant",
    "secretary",
    "receptionist",
    "pastor",
    "coach",
    "wrestler",
    "volunteer",
    "apprentice",
    "laborer",
    "miner",
    "trucker",
    "courier",
    "chef",
    "baker",
    "butcher",
    "cutter",
    "operator",
    "firefighter",
    "lineman",
    "mover",
    "landscaper",
    "lifeguard",
    "nanny",
    "caregiver",
    "associate",
    "employee",
    "worker",
    "driver",
    "engineer",
    "technician",
    "contractor",
    "pilot",
    "dispatcher",
    "analyst",
    "programmer",
    "developer",
    "lawyer",
    "attorney",
    "paralegal",
    "teller",
    "stylist",
    "hairdresser",
    "barber",
    "painter",
    "farmhand",
];

/// "cashier @ kroger", "meat cutter at JBS", "freshman at Ohio State", "flight attendant for
/// Delta": a job, then "at", "for" or "@", then a name written as names are (or, in lower
/// case, a word of no dictionary); not a clinician's training ("medical student at UCSF").
fn jobs_at(doc: &Doc, lx: &Lexicon, out: &mut Vec<PhiSpan>) {
    let toks = &doc.tokens;
    for (i, t) in toks.iter().enumerate() {
        if !JOBS.contains(&t.lower()) {
            continue;
        }
        let trained = i
            .checked_sub(1)
            .and_then(|p| toks.get(p))
            .is_some_and(|p| matches!(p.lower(), "medical" | "med" | "pa" | "np" | "dental"));
        if trained {
            continue;
        }
        let gap = doc.gap_after(i).trim();
        let k = if gap == "@" {
            i + 1
        } else if gap.is_empty()
            && toks
                .get(i + 1)
                .is_some_and(|n| matches!(n.lower(), "at" | "for"))
            && doc.gap_after(i + 1) == " "
        {
            i + 2 + usize::from(toks.get(i + 2).is_some_and(|n| n.lower == "the"))
        } else {
            continue;
        };
        let named = toks.get(k).is_some_and(|n| {
            doc.shouting
                || n.capitalized
                || n.all_caps
                || (!lx.is_english(&n.lower) && n.lower.chars().count() >= 3)
        });
        if named {
            out.extend(employer_from(doc, lx, k));
        }
    }
}

/// Words of doses and counts after a number: "2 gms", "1 pkt", "2 hours".
const DOSE_WORDS: &[&str] = &[
    "gms", "gm", "grams", "pkt", "pkts", "packet", "packets", "tab", "tabs", "tablet", "tablets",
    "cap", "caps", "capsule", "capsules", "hours", "hour", "hrs", "dose", "doses", "bag", "bags",
    "amp", "amps", "amps", "times", "time", "puffs", "puff", "drops", "mg", "vial", "vials",
    "days", "day", "liter", "inch", "inches", "pm", "am", "mins", "min", "minutes", "episodes",
    "episode", "prn", "po", "iv", "sl", "pr", "im", "sc", "sq", "tsp", "tbsp", "oz", "cm", "mm",
];

/// Is token `k` the start of a place name, right after a cue?
fn place_start(doc: &Doc, lx: &Lexicon, toks: &[Token], k: usize) -> bool {
    let Some(t) = toks.get(k) else { return false };
    // Lower-case words in mixed text count when they are not English ("to kernan").
    let lower_ok = t.kind == TokKind::Word
        && !t.capitalized
        && !lx.is_english(&t.lower)
        && !lx.is_clinical(&t.lower);
    if !(name_like(doc, lx, t) || lower_ok)
        || t.lower.chars().count() < 2
        || GENERIC.contains(&t.lower())
        || lx.is_state_or_country(&t.lower)
    {
        return false;
    }
    if NOT_PLACES.contains(&t.lower()) {
        return false;
    }
    if !lx.is_english(&t.lower) {
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
        FACILITY_HEADS.contains(&n.lower()) || FACILITY_NAME_TAILS.contains(&n.lower())
    });
    // "Holy Cross", "Sacred Heart": words of hospital names in pairs.
    let pair = FACILITY_NAME_WORDS.contains(&t.lower())
        && next.is_some_and(|n| {
            FACILITY_NAME_WORDS.contains(&n.lower()) && next_gap == " "
                || lx.is_name(&n.lower) && !lx.is_english(&n.lower)
        });
    numbered || facility || pair || (!doc.shouting && t.capitalized && !t.all_caps)
}

/// Words that follow "to/at/from" in notes and are neither places nor names.
const NOT_PLACES: &[&str] = &[
    // Regions larger than a state: "lives in the Southeast".
    "southeast",
    "southwest",
    "northeast",
    "northwest",
    "midwest",
    // Times after "in the": "home in the next few days", "in the morning".
    "next",
    "future",
    "meantime",
    "interim",
    "morning",
    "afternoon",
    "evening",
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
        // A state or country of several words ("New Hampshire") is skipped whole.
        let state_words = (2..=3).find(|&n| joined_is_state(doc, lx, i, n));
        if let Some(n) = state_words {
            i += n;
            continue;
        }
        // Several words first ("San Diego", "Ellicott City").
        let multi = lx.starts_multi_word_place(&toks[i].lower);
        for n in (2..=lx.max_place_words).rev() {
            if !multi || i + n > toks.len() {
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

/// Do tokens `i..i + n` spell a state or a country ("new york", "dominican republic")?
fn joined_is_state(doc: &Doc, lx: &Lexicon, i: usize, n: usize) -> bool {
    let toks = &doc.tokens;
    if i + n > toks.len() || !lx.starts_multi_word_place(&toks[i].lower) {
        return false;
    }
    let mut key = String::new();
    for (x, t) in toks.iter().enumerate().skip(i).take(n) {
        if x > i {
            if doc.gap_before(x) != " " {
                return false;
            }
            key.push(' ');
        }
        key.push_str(&t.lower);
    }
    lx.is_state_or_country(&key)
}

fn single_place(doc: &Doc, lx: &Lexicon, t: &Token) -> bool {
    t.kind == TokKind::Word
        && (doc.shouting || (t.capitalized && !t.all_caps))
        && t.lower.len() >= 4
        && lx.is_place(&t.lower)
        && !lx.is_english(&t.lower)
        && !lx.is_clinical(&t.lower)
        && !lx.is_first_name(&t.lower)
        && !NOT_PLACES.contains(&t.lower())
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
        // Corners after where something is, either way round; units written after a comma;
        // numbered roads with their number.
        for (t, want) in [
            (
                "the pharmacy is the CVS on Halsted and 79th... thanks",
                "Halsted and 79th",
            ),
            (
                "THE PHARMACY IS THE KROGER ON MAIN AND 3RD THANK YOU",
                "MAIN AND 3RD",
            ),
            (
                "Lives at 3318 N. 21st St, rear unit, with her son.",
                "3318 N. 21st St, rear unit",
            ),
            (
                "Address 88 Nostrand Ave, 3rd fl, Brooklyn.",
                "88 Nostrand Ave, 3rd fl",
            ),
            ("Home is 417 County Rd 9 outside town.", "417 County Rd 9"),
            (
                "He lives at 21400 Old Highway 99 in a trailer.",
                "21400 Old Highway 99",
            ),
            (
                "Dispatched to 2211 Hwy 83, Selden for a fall.",
                "2211 Hwy 83",
            ),
        ] {
            let got = places(t);
            assert!(
                got.contains(&(want.to_string(), PhiKind::Address)),
                "{t}: {got:?}"
            );
        }
        assert!(places("Tel 604-555-0171 · 12840 72 Ave, Surrey V3W 2M9")
            .contains(&("12840 72 Ave".to_string(), PhiKind::Address)));
        // A day is no street, nor a count before a numbered road's word.
        assert!(places("Seen on Monday and 3rd visit was Friday.").is_empty());
        assert!(places("gave 2 route 3 doses").is_empty());
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
        for (t, want) in [
            ("zip code is 21204, thanks", "21204"),
            ("Her ZIP is 90210 now", "90210"),
            ("lives in the 21201 area", "21201"),
            ("Towson, md 21204", "21204"),
            ("Towson, MD\n21204", "21204"),
            ("Lives at 227 N. Dalova Rd, Shamrock 15757.", "15757"),
        ] {
            assert!(
                places(t).contains(&(want.to_string(), PhiKind::Zip)),
                "{t}: {:?}",
                places(t)
            );
        }
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
            places("Pt came from st. francis with a PICC in place."),
            [loc("st. francis")]
        );
        assert_eq!(
            places("Outside slides received from St. V's for a second opinion."),
            [loc("St. V's")]
        );
        // A saint of no cue, in lower case in mixed text, is no hospital.
        assert!(
            !places("Prayer of st. francis, said at the Sunday service.")
                .iter()
                .any(|(v, _)| v.contains("francis"))
        );
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
    fn numbered_buildings_without_a_cue() {
        assert_eq!(
            places("PLAN: ELMSWORTH 4 ONCE BED OPEN."),
            [loc("ELMSWORTH")]
        );
        assert_eq!(places("pt to Elmsworth 3 later"), [loc("Elmsworth")]);
        assert_eq!(places("SENT TO ELMSWORTH7 W/ CHF"), [loc("ELMSWORTH7")]);
        for t in [
            "recieved 2 units of prbc",
            "percocett 2tabs given",
            "stoolsx2 today",
            "synthroid 2 hours later",
            "extubated 1pm",
        ] {
            assert!(places(t).is_empty(), "{t}: {:?}", places(t));
        }
    }

    #[test]
    fn two_letter_hospital_acronyms_and_employers() {
        assert_eq!(places("old records from GH reviewed"), [loc("GH")]);
        assert!(places("FH: CAD. SH: no etoh. PH 7.35").is_empty());
        // An acronym that ends in H is a hospital only where one goes ("from", "to", "at",
        // "via"): alone it is as often a finding or a hormone ("GH stim testing", "to exclude
        // FHH", "we're a busy DGH"); one that ends in MC is a medical center anywhere.
        assert!(places("GH stim testing, or watch 6 more months?").is_empty());
        assert!(places("24-h urine Ca to exclude FHH.").is_empty());
        assert!(places("we're a busy DGH in the north-west.").is_empty());
        assert_eq!(places("records: UMMC cardiology"), [loc("UMMC")]);
        assert_eq!(
            places("she works for delmarva power."),
            [loc("delmarva power")]
        );
        assert_eq!(
            places("SON IS CEO OF ACMETRON. NONSMOKER"),
            [loc("ACMETRON")]
        );
        assert!(places("she works for years as a nurse").is_empty());
        assert_eq!(
            places("owns the business Brightlane with his son"),
            [loc("Brightlane")]
        );
        assert!(places("family business Plan discussed; business as usual").is_empty());
        // The home's name stays flagged (a place, or for the tagger the name it is made
        // of), not taken for a clinician's before "resident".
        let got = places("a Zabrowski House NH resident for 2 yrs");
        assert!(
            got.len() == 1 && got.iter().all(|(s, _)| s.starts_with("Zabrowski")),
            "{got:?}"
        );
    }

    #[test]
    fn pairs_of_place_words_after_the() {
        assert_eq!(
            places("FAMILY DROVE IN FROM THE SOUTHERN PINES AT NOON"),
            [loc("SOUTHERN PINES")]
        );
        assert_eq!(places("was at the Holy Cross chapel"), [loc("Holy Cross")]);
    }

    #[test]
    fn capitalized_words_after_from_at_near() {
        assert_eq!(
            places("Seen by a surgeon from Riverside this eve."),
            [loc("Riverside")]
        );
        assert_eq!(
            places("was visiting at the Blue Ridge when pain began"),
            [loc("Blue Ridge")]
        );
        for t in [
            "Pt seen by a consult from Cardiology today.",
            "started on Zestril at Noon",
            "OOB at Lib. Started on Levofloxacin from A-line",
            "SURGEON FROM RIVERSIDE IN TODAY, SEEN AT BAY",
            "PAIN ON THE LEFT SIDE, FROM THE NORTH WING",
        ] {
            assert!(places(t).is_empty(), "{t}: {:?}", places(t));
        }
    }

    #[test]
    fn gazetteer_cities_but_not_states() {
        assert_eq!(places("her sister in Baltimore called"), [loc("Baltimore")]);
        assert_eq!(places("FAMILY FROM SAN DIEGO"), [loc("SAN DIEGO")]);
        assert!(places("moved here from Maryland and Canada").is_empty());
    }
}
