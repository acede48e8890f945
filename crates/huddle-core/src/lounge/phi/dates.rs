//! Dates more specific than a year ("8/29", "10/17/2019", "March 3rd", "nov. 2016",
//! "Christmas Eve"), told apart from the slashed numbers of clinical shorthand: blood and
//! pulmonary pressures ("BP 120/80", "PAP 12/8"), strengths ("5/5"), murmur grades
//! ("2/6"), pain scores ("3/10"), fractions ("1/2 tab"), lab series ("7.35/45/80") and
//! shift times ("11p-7a"). A year alone ("MI in 1992") is never flagged.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon;
use super::text::Doc;
use super::{PhiKind, PhiSpan};

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

/// m/d, m/d/yy, m/d/yyyy, m-d-yy, d.m.yyyy.
static NUMERIC: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"\b(\d{1,2})([/\-.])(\d{1,2})(?:([/\-.])(\d{4}|\d{2}))?\b"));

/// yyyy-mm-dd, yyyy/mm/dd; in the Gregorian years, and in the years of the calendars that
/// patients from Iran and Afghanistan (13xx, 14xx) and Thailand (25xx) write their dates in
/// ("۱۴۰۲/۱۱/۰۸" is 1402/11/08).
static ISO: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"\b(?:1[34]|19|20|25)\d{2}([\-/.])(\d{1,2})([\-/.])(\d{1,2})(?:\b|T\d)"));

/// "March 3", "Mar. 3rd, 2019", "3 March", "3rd of March 2019", "March of 1993", "nov. 2016".
static WORDY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?P<m1>{MONTH})\.?[ \t]*(?P<d1>\d{{1,2}})(?P<o1>st|nd|rd|th)?\b(?P<y1>,?[ \t]*(?:\d{{4}}|'\d{{2}})\b)?|\b(?P<d2>\d{{1,2}})(?P<o2>st|nd|rd|th)?(?:[ \t]*|-)(?P<of>of[ \t]+)?(?P<m2>{MONTH})\b\.?(?P<y2>(?:,?[ \t]*|-)(?:\d{{4}}|'?\d{{2}})\b)?|\b(?P<m3>{MONTH})\.?,?[ \t]*(?:of[ \t]+)?(?P<y3>(?:19|20)\d{{2}})\b"
    ))
});

const HOLIDAY_PAT: &str = concat!(
    r"(?i)\b(?:christmas(?:\s+(?:eve|day))?|xmas|thanksgiving(?:\s+day)?|new\s+year'?s(?:\s+(?:eve|day))?",
    r"|easter(?:\s+sunday)?|halloween|independence\s+day|labor\s+day|valentine'?s\s+day",
    r"|fourth\s+of\s+july|4th\s+of\s+july|memorial\s+day|mother'?s\s+day|father'?s\s+day",
    r"|veterans'?\s+day|juneteenth|emancipation\s+day|presidents'?\s+day|mlk\s+day",
    r"|martin\s+luther\s+king(?:\s+jr\.?)?\s+day|good\s+friday|mardi\s+gras|lunar\s+new\s+year",
    r"|chinese\s+new\s+year|rosh\s+hashanah|yom\s+kippur|passover|hanukkah|chanukah|kwanzaa",
    r"|diwali|nowruz|eid(?:\s+(?:al|ul)[\s-](?:fitr|adha))?",
    // The holidays of other English-speaking countries: "on Labour Day", "since Boxing Day".
    r"|labour\s+day|boxing\s+day|anzac\s+day|waitangi\s+day|australia\s+day|canada\s+day",
    r"|victoria\s+day|remembrance\s+day|st\.?\s+patrick'?s\s+day|hogmanay|bonfire\s+night",
    // As families write them in their languages: "Nochebuena", "Pasko", "Wigilia", "fèt
    // Nwèl", "Tết", "中秋节", "추석", "عيد الفطر".
    r"|d\x{ed}a\s+de\s+(?:los\s+)?muertos|dia\s+de\s+los\s+muertos|nochebuena|navidad",
    r"|a\x{f1}o\s+nuevo|semana\s+santa|pasko|wigili[aię]|bo\x{17c}ego\s+narodzenia",
    r"|wielkanoc|no\x{eb}l|nw\x{e8}l|t\x{1ebf}t)\b",
    r"|中秋节|中秋節|春节|春節|除夕|추석|설날|عيد\s+الفطر|عيد\s+الأضحى|نوروز"
);

/// "Saturday the 14th from Tulsa": after a day of the week, a day of the month whatever
/// follows.
const WEEKDAY_ORDINAL_PAT: &str = concat!(
    r"(?i)\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)day[ \t]+the|on[ \t]+the)",
    r"[ \t]+(?P<day>\d{1,2}(?:st|nd|rd|th))\b",
    // "desde el lunes 2", "martes 3", "da domenica 9": a weekday and its day.
    r"|(?i:\b(?:el|desde\s+el|hasta\s+el|da|dal|le|depuis\s+le|na|desde\s+a)[ \t]+",
    r"(?:lunes|martes|mi\x{e9}rcoles|miercoles|jueves|viernes|s\x{e1}bado|sabado|domingo",
    r"|luned\x{ec}|marted\x{ec}|mercoled\x{ec}|gioved\x{ec}|venerd\x{ec}|sabato|domenica",
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|segunda|ter\x{e7}a|quarta|quinta",
    r"|sexta)[ \t]+(?P<wday>\d{1,2})\b)"
);

/// "on the 15th", "friday the 13th", "Monday 3rd", "tues 4th": a day of the month after a
/// cue or a day of the week.
static ORDINAL_DAY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r#"(?i)\b(?:(?:(?:on|since|until|till|til|by|from|before|after|is|it's|its|today|of|for)\s+"#,
        r#"(?:(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)[a-z]*\.?\s+)?"#,
        r#"|(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)[a-z]*\.?\s+)the\s+"#,
        r#"|(?:monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)\.?\s+)"#,
        r#"(?P<day>\d{1,2}(?:st|nd|rd|th))\b"#,
        r#"(?:\s*[.,;:!?)("]|\s*$|\s+(?:of|so|and|but|at|when|or|not|for|in|because|works|is|then|please|if|as|too|instead)\b)"#,
    ))
});

/// Words just before a slashed pair that make it a measurement, not a date.
static MEASURE_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:bp|b/p|abp|nbp|nibp|sbp|dbp|art|a-?line|pap|pa|pas|pad|cvp|map|cuff|pressures?|ratio|i:e|ie|peep|ps|psv|vt|tv|rate|rr|hr|sats?|spo2|o2|strength|grade|murmur|gcs|score|pain|scale|tabs?|hrs?|ml|mg|fio2|settings?|vent|cpap|bipap|simv|ac|prvc|ventilator|abg|vbg|gas|lytes|chem\s*\d*|cbc|hct|k|mg|ca|phos|glucose|fs|bs|bpp|fraction|tof|apgars?|mini-?cog|moca|mmse|slums|abcde|ehl|edl|fhl|dtrs?|reflexes|pulses|bottles?|sets|gnr|gpcs?|centor|qsofa)\b|/|\^)\s*[:=]?\s*(?:of|at|is|was|were|now|still|-|~|>|<)?\s*$",
    )
});

/// Words before a slashed pair that make it a share of something only when it reads as one
/// ("given 1/2", "cycle 2/6", "x 3/4", "POD 2/3"); "given 3/18" and "last dose 12/1" are days.
static SHARE_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:gets?|given|x|q|dose|cycle|pod|session|attempt|stage)\s*[:=]?\s*(?:of|at|is|was|were|now|still|-|~|>|<)?\s*$",
    )
});

/// Words right after a slashed pair that make it a fraction or a measurement.
static MEASURE_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:\+[\s/,.)]|\+$|%|mm\b|mmhg\b|mg\b|mcg\b|ml\b|cc\b|units?\b|u\b|tabs?\b|tablets?\b|strength\b|ns\b|amps?\b|doses?\b|hrs?\b|hours?\b|min\b|minutes?\b|way\b|of\b|liters?\b|l\b|lpm\b|nc\b|times\b|x\b|murmur\b|sem\b|hsm\b|sm\b|systolic\b|diastolic\b|pain\b|scale\b|mae\b|bil\b|bilat\b|grips?\b|strong\b|equal\b|in\s+all\b|all\s+ext|ext\b|extremities\b|ue\b|le\b|bue\b|ble\b|rue\b|lue\b|rle\b|lle\b|score\b|breaths?\b|bpm\b|reg\b|nodes?\b|bands?\b|cores?\b|match(?:ed)?\b|criteria\b|points?\b|samples?\b|bottles?\b|sets?\b|specimens?\b|vessels?\b|positive\b|negative\b|cycles?\b|sessions?\b|questions?\b|items?\b)",
    )
});

/// Strength, motor and murmur words near "5/5", "2/6", "3/10".
static SCALE_NEARBY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:strength|strong|motor|grips?|mae|moves|movement|extrem\w*|ue|le|bue|ble|rue|lue|rle|lle|flex\w*|ext|push|pull|weak\w*|murmur|sem|hsm|pain|scale|score|rates?|gcs|cp|discomfort|ache|headache|ha)\b|\#\s*$",
    )
});

static VENT_NEARBY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:peep|cpap|bipap|ps|psv|simv|imv|fio2|flow-?by|pcv|prvc|ac|vent|vented|ventilation|ventilator|settings?|mask|pressure\s+support|trach\s+mask|tv|vt|ipap|epap)\b",
    )
});

/// Names of weekdays and months (and their short forms): a census list has some of them.
pub fn is_day_or_month(w: &str) -> bool {
    DAYS_AND_MONTHS.contains(&w)
}

/// The weekdays and months of [`is_day_or_month`].
pub const DAYS_AND_MONTHS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const AMBIGUOUS_MONTHS: &[&str] = &["may", "mar", "dec", "jan", "jun", "sep", "june", "march"];

pub fn find(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let text = doc.text;
    let mut push = |start: usize, end: usize| {
        if start < end {
            out.push(PhiSpan {
                start,
                end,
                kind: PhiKind::Date,
            });
        }
    };
    if let Some(r) = NUMERIC.as_ref() {
        for c in r.captures_iter(text) {
            let (Some(all), Some(a), Some(sep), Some(b)) = (c.get(0), c.get(1), c.get(2), c.get(3))
            else {
                continue;
            };
            let mut year = c.get(5);
            let mut end = all.end();
            let same_sep = c.get(4).is_none_or(|s| s.as_str() == sep.as_str());
            if !same_sep {
                // "11/2-11/5": "11/2" then a range, not a date with a year.
                if sep.as_str() != "/" || c.get(4).is_none_or(|s| s.as_str() != "-") {
                    continue;
                }
                year = None;
                end = b.end();
            }
            let (Ok(a), Ok(b)) = (a.as_str().parse::<u32>(), b.as_str().parse::<u32>()) else {
                continue;
            };
            if edge_is_numeric(doc, all.start(), end) {
                continue;
            }
            let plausible = match year {
                // With a year: m/d/y, or d/m/y when the first number cannot be a month.
                Some(y) => {
                    let m_d = (1..=12).contains(&a) && (1..=31).contains(&b);
                    let d_m = (13..=31).contains(&a) && (1..=12).contains(&b);
                    (m_d || d_m) && (sep.as_str() != "." || y.as_str().len() == 4)
                }
                // Without one, only m/d or m/yy ("CABG 8/87") with a slash; or d/m where the
                // first number cannot be a month and the month is written with its zero
                // ("appt 23/08") or after "on", "since", "until" ("on 19/10").
                None => {
                    let two_digit_year = c.get(3).is_some_and(|m| m.as_str().len() == 2) && b >= 32;
                    let d_m = (13..=31).contains(&a)
                        && (1..=12).contains(&b)
                        && (c.get(3).is_some_and(|m| m.as_str().starts_with('0'))
                            || WEAK_DATE_CUE
                                .as_ref()
                                .is_some_and(|r| r.is_match(doc.before(all.start(), 24))));
                    sep.as_str() == "/"
                        && ((1..=12).contains(&a) && ((1..=31).contains(&b) || two_digit_year)
                            || d_m)
                        && !is_measurement(doc, all.start(), end, a, b)
                }
            };
            if plausible {
                // "3/2 - 3/9": the dash of a range goes with its dates.
                let range = DATE_AFTER_DASH
                    .as_ref()
                    .and_then(|r| r.find(doc.after(end, 12)))
                    .map_or(0, |m| m.end());
                push(all.start(), end + range);
            }
        }
    }
    if let Some(r) = ISO.as_ref() {
        for c in r.captures_iter(text) {
            let (Some(all), Some(m), Some(d)) = (c.get(0), c.get(2), c.get(4)) else {
                continue;
            };
            let ok = m
                .as_str()
                .parse::<u32>()
                .is_ok_and(|m| (1..=12).contains(&m))
                && d.as_str()
                    .parse::<u32>()
                    .is_ok_and(|d| (1..=31).contains(&d));
            // "VERSION 2026.1.4", "v2025.10.2": a release, not a day.
            let version = doc
                .before(all.start(), 12)
                .trim_end()
                .to_ascii_lowercase()
                .rsplit(|c: char| !c.is_ascii_alphabetic())
                .next()
                .is_some_and(|w| matches!(w, "version" | "ver" | "v" | "release" | "build"));
            // (A time may follow, as records print it: "2025-11-05T03:58"; the day ends the
            // date.)
            if ok && !version && !edge_is_numeric(doc, all.start(), d.end()) {
                push(all.start(), d.end());
            }
        }
    }
    if let Some(r) = WORDY.as_ref() {
        for c in r.captures_iter(text) {
            let Some(all) = c.get(0) else { continue };
            if let Some(y) = c.name("y3") {
                // Month and year: more specific than a year.
                let _ = y;
                push(all.start(), all.end());
                continue;
            }
            let month = c.name("m1").or_else(|| c.name("m2"));
            let day = c.name("d1").or_else(|| c.name("d2"));
            let (Some(month), Some(day)) = (month, day) else {
                continue;
            };
            if !day
                .as_str()
                .parse::<u32>()
                .is_ok_and(|d| (1..=31).contains(&d))
            {
                continue;
            }
            let strong = c.name("o1").is_some()
                || c.name("o2").is_some()
                || c.name("y1").is_some()
                || c.name("y2").is_some()
                || c.name("of").is_some();
            let m = month.as_str().to_ascii_lowercase();
            if !strong && AMBIGUOUS_MONTHS.contains(&m.as_str()) {
                // "dec 2 L", "may 2 units", "MAR 3": shorthand, not a date.
                let after = doc.after(all.end(), 16);
                if MEASURE_AFTER.as_ref().is_some_and(|r| r.is_match(after))
                    || after.trim_start().starts_with(|c: char| c.is_ascii_digit())
                    || (!doc.shouting && month.as_str() == m && m != "jan" && m != "june")
                {
                    continue;
                }
            }
            if c.name("d2").is_some() && !strong {
                // "5 dec", "2 may": too weak without an ordinal, "of" or a year, unless the
                // month is spelled out in full, or capitalized as a month in mixed text
                // ("on 4 Mar", "12 March") and no measure or number follows.
                let month_cased = !doc.shouting
                    && month
                        .as_str()
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
                    && month.as_str().chars().skip(1).all(char::is_lowercase);
                let after = doc.after(all.end(), 16);
                let measured = MEASURE_AFTER.as_ref().is_some_and(|r| r.is_match(after))
                    || after.trim_start().starts_with(|c: char| c.is_ascii_digit());
                if AMBIGUOUS_MONTHS.contains(&m.as_str()) && (measured || !month_cased) {
                    continue;
                }
            }
            if edge_is_numeric(doc, all.start(), all.end()) {
                continue;
            }
            push(all.start(), all.end());
        }
    }
    short_years(doc, &mut push);
    if let Some(r) = GLUED.as_ref() {
        // "on3/12/91", "fx6/88": a date glued to the word before it.
        for c in r.captures_iter(text) {
            let (Some(d), Some(a), Some(b)) = (c.get(1), c.get(2), c.get(3)) else {
                continue;
            };
            let (Ok(a), Ok(b)) = (a.as_str().parse::<u32>(), b.as_str().parse::<u32>()) else {
                continue;
            };
            let year = c.get(4).is_some();
            let ok = (1..=12).contains(&a)
                && if year {
                    (1..=31).contains(&b)
                } else {
                    (32..=99).contains(&b)
                };
            if ok && !edge_is_numeric(doc, d.start(), d.end()) {
                push(d.start(), d.end());
            }
        }
    }
    if let Some(r) = MONTH_YEAR.as_ref() {
        for m in r.find_iter(text) {
            let after = doc.after(m.end(), 16);
            let measured = MEASURE_AFTER.as_ref().is_some_and(|r| r.is_match(after))
                || MEASURE_BEFORE
                    .as_ref()
                    .is_some_and(|r| r.is_match(doc.before(m.start(), 24)));
            let expiry = EXPIRY_BEFORE
                .as_ref()
                .is_some_and(|r| r.is_match(doc.before(m.start(), 64)));
            if !measured && !expiry && !edge_is_numeric(doc, m.start(), m.end()) {
                push(m.start(), m.end());
            }
        }
    }
    if let Some(r) = ORDINAL_DAY.as_ref() {
        for c in r.captures_iter(text) {
            let Some(m) = c.name("day") else { continue };
            // "the 5th and 6th ribs": a series of ordinals counts things, not days.
            let series = doc
                .after(m.end(), 12)
                .trim_start()
                .strip_prefix("and")
                .or_else(|| doc.after(m.end(), 12).trim_start().strip_prefix("or"))
                .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()));
            if !series {
                push(m.start(), m.end());
            }
        }
    }
    // Holidays, months alone, spelt days, run-together and foreign dates: one pass over the
    // text for all of them (each alone costs a pass).
    if let Some(r) = OTHER_FORMS.as_ref() {
        for c in r.captures_iter(text) {
            if let Some(m) = c
                .name("day")
                .or_else(|| c.name("wday"))
                .or_else(|| c.name("month"))
                .or_else(|| c.get(0))
            {
                // "on the 3rd day", "the 2nd dose": an ordinal of something, not a day.
                let counted = c.name("day").is_some()
                    && COUNTED_AFTER_ORDINAL.contains(
                        &super::text::leading_word_lower(doc.after(m.end(), 16).trim_start())
                            .as_str(),
                    );
                if !counted {
                    push(m.start(), m.end());
                }
            }
        }
    }
    months_of_other_scripts(doc, out);
}

/// A date with a month named in another script, its day before or after it: "12 মার্চ
/// 2025", "14 มีนาคม 2568", "9 ਮਾਰਚ", "3 במרץ", "մարտի 3", "მარტი 2025", "မတ်လ ၂၀".
static MONTHS_OF_OTHER_SCRIPTS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let mut names: Vec<&str> = lexicon::month_names().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let months = names
        .into_iter()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join("|");
    re(&format!(
        concat!(
            r"(?:^|[^\d\p{{L}}\p{{M}}])(?P<date>\d{{1,2}}[ \t]*(?:ב|ל)?(?:{m})\p{{M}}*",
            r"(?:[ \t,]+\d{{4}})?|(?:{m})[\p{{L}}\p{{M}}]{{0,2}}[ \t]+(?:\d{{4}}|\d{{1,2}}",
            r"(?:[ \t,]+\d{{4}})?))(?:[^\d\p{{L}}\p{{M}}]|-|$)",
        ),
        m = months
    ))
});

fn months_of_other_scripts(doc: &Doc, out: &mut Vec<PhiSpan>) {
    // ASCII text holds none of these names: no pass over it.
    if doc.text.is_ascii() {
        return;
    }
    let Some(r) = MONTHS_OF_OTHER_SCRIPTS.as_ref() else {
        return;
    };
    for c in r.captures_iter(doc.text) {
        if let Some(m) = c.name("date") {
            out.push(PhiSpan {
                start: m.start(),
                end: m.end(),
                kind: PhiKind::Date,
            });
        }
    }
}

/// Words an ordinal counts ("the 3rd day", "the 2nd dose", "the 4th floor").
const COUNTED_AFTER_ORDINAL: &[&str] = &[
    "day",
    "days",
    "dose",
    "doses",
    "time",
    "times",
    "week",
    "weeks",
    "month",
    "floor",
    "attempt",
    "try",
    "cycle",
    "round",
    "visit",
    "shift",
    "line",
    "page",
    "session",
    "trimester",
    "grade",
    "percentile",
    "degree",
    "of",
    "pod",
    "hour",
    "hr",
];

/// Holidays, spelt days, a weekday's day (as `day`), a month alone (as `month`),
/// run-together and foreign dates: the patterns below as one.
static OTHER_FORMS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let parts = [
        HOLIDAY_PAT.to_string(),
        spelt_day_pat(),
        WEEKDAY_ORDINAL_PAT.to_string(),
        MONTH_ALONE_PAT.to_string(),
        compact_pat(),
        FOREIGN_PAT.concat(),
    ];
    // ASCII word boundaries: with Unicode ones the fast engine gives up on any text that is
    // not ASCII, and these words and digits are ASCII.
    let joined = parts.map(|p| format!("(?:{p})")).join("|");
    re(&joined.replace(r"\b", r"(?-u:\b)"))
});

/// m/d/yy or m/yy right after a letter ("on3/12/91", "fx6/88").
static GLUED: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"[A-Za-z]((\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?)\b"));

/// "in oct.", "since October", "from November", "since March": a month named alone after a
/// cue ("March" and "May" only with their capital: "since may be" is no date).
const MONTH_ALONE_PAT: &str = concat!(
    r"(?i)(?:\b(?:in|since|until|till|from|by|before|after|through|thru|around|early|late|mid",
    r"|end\s+of|beginning\s+of|last|next|this\s+past",
    // And in Spanish, Portuguese, French, Russian and Ukrainian: "en julio", "desde março",
    // "depuis février", "в марте", "у березні".
    r"|en|desde|hasta|em|depuis)\s+|\bmid-|(?:^|\s)[вуВУ]\s+)(?P<month>(?-i:March|May|MARCH|MAY)",
    r"|january|february|april|june|july|august|september",
    r"|sept|october|november|december|feb|apr|aug|sep|oct|nov|enero|febrero|marzo|abril|junio|julio",
    r"|janeiro|fevereiro|mar\x{e7}o|maio|junho|julho|setembro|outubro|novembro|dezembro",
    r"|janvier|f\x{e9}vrier|avril|juillet|ao\x{fb}t|septembre|octobre|d\x{e9}cembre",
    r"|agosto|septiembre|octubre|noviembre|diciembre|январе|феврале|марте|апреле|июне|июле|августе",
    r"|сентябре|октябре|ноябре|декабре|січні|лютому|березні|квітні|травні|червні|липні|серпні",
    r"|вересні|жовтні|листопаді|грудні)(?:\b|$|[\s.,;!?)])"
);

/// Days spelt out, as dictation writes them: "the twelfth of March", "March twelfth".
fn spelt_day_pat() -> String {
    let day = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[\- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[\- ]first)";
    format!(
        r"(?i)\b{day}[ \t]+of[ \t]+{MONTH}\b|\b(?:january|february|march|april|june|july|august|september|october|november|december)[ \t]+{day}\b"
    )
}

/// "05DEC2026", "5dec26": day, month and year run together, as lab systems print them.
fn compact_pat() -> String {
    format!(r"(?i)\b\d{{1,2}}{MONTH}(?:\d{{4}}|\d{{2}})\b")
}

/// "01/2027", "3/2019", "2023-11": a month and a year, more specific than a year (titres
/// and dilutions such as "1/2560" fall outside the years taken).
static MONTH_YEAR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?-u:\b)(?:(?:0?[1-9]|1[0-2])[/\-](?:19[2-9]\d|20[0-3]\d)",
        r"|(?:19[2-9]\d|20[0-3]\d)-(?:0[1-9]|1[0-2]))(?-u:\b)",
    ))
});

/// "lot 2031B (exp 2027-09)", "lot 2511B, EXP: 11/2026": the expiry of a lot, not a
/// patient's date (a licence's expiry is the patient's: "CDL expires 03/2028").
static EXPIRY_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?i)\blots?\b[^\n]{0,40}\b(?:exp|expiry|expiration|use[ \t]+by)\.?[ \t]*[:(]?[ \t]*$")
});

/// Dates in other languages, as patients and relatives write them: "1 de diciembre", "el 3
/// de marzo de 2025", "março de 2023", "3 novembre", "14. März", "5 декабря", "20 tháng 3",
/// "12月5日", "4월 3일", "۱۲ اسفند", "6 Julai", "15 Mart", "2 Αυγούστου".
const FOREIGN_PAT: &[&str] = &[
    r"(?i)\b\d{1,2}[ \t]+de[ \t]+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto",
    r"|septiembre|setiembre|octubre|noviembre|diciembre",
    // Portuguese: "3 de março de 2023", "março de 2023".
    r"|janeiro|fevereiro|mar\x{e7}o|maio|junho|julho|setembro|outubro|novembro|dezembro)",
    r"(?:[ \t]+(?:de[ \t]+)?\d{4})?\b",
    // French: "le 3 décembre", "3 mars 2024".
    r"|\b\d{1,2}[ \t]+(?:janvier|f\x{e9}vrier|mars|avril|mai|juin|juillet|ao\x{fb}t|septembre",
    r"|octobre|novembre|d\x{e9}cembre)(?:[ \t]+\d{4})?\b",
    r"|(?i:\b(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre",
    r"|janeiro|fevereiro|mar\x{e7}o|maio|junho|julho|setembro|outubro|novembro|dezembro)",
    r"[ \t]+de[ \t]+\d{4}\b)",
    // Italian, German, Dutch, Polish, Romanian and Afrikaans, day first: "3 marzo", "14. März
    // 2024", "4 mei", "17 stycznia", "3 martie", "24 Februarie".
    r"|(?i:\b\d{1,2}\.?[ \t]+(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre",
    r"|ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie",
    r"|januarie|desember",
    r"|dicembre|januar|februar|m\x{e4}rz|juni|juli|oktober|dezember|januari|februari|maart|mei",
    r"|augustus|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrze\x{15b}nia",
    r"|pa\x{17a}dziernika|listopada|grudnia)(?:[ \t]+\d{4})?\b)",
    // German months written as English ones, after the day's dot: "am 14. November".
    r"|(?i:\b\d{1,2}\.[ \t]+(?:april|mai|august|september|november)(?:[ \t]+\d{4})?\b)",
    // Tagalog, month first: "Hunyo 4" (not "Mayo", the clinic).
    r"|(?i:\b(?:enero|pebrero|marso|hunyo|hulyo|setyembre|oktubre|nobyembre|disyembre)[ \t]+\d{1,2}\b)",
    // Russian and Ukrainian: "5 декабря 2025", "14 березня".
    r"|\b\d{1,2}[ \t]+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября",
    r"|ноября|декабря|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня",
    r"|листопада|грудня)(?:[ \t]+\d{4})?",
    // Vietnamese: "20 tháng 3", "5 tháng 12 năm 2025".
    r"|\b\d{1,2}[ \t]+th\x{e1}ng[ \t]+\d{1,2}(?:[ \t]+n\x{103}m[ \t]+\d{4})?\b",
    // Chinese and Japanese, Korean: "2025年12月5日", "12月5号", "1952년 4월 3일".
    r"|(?:\d{4}年[ \t]*)?\d{1,2}月[ \t]*\d{1,2}[日号號]|\d{4}年[ \t]*\d{1,2}月",
    r"|(?:\d{4}년[ \t]*)?\d{1,2}월[ \t]*\d{1,2}일|\d{4}년[ \t]*\d{1,2}월",
    // Arabic, Persian and Hindi months after the day: "3 مارس", "۱۲ اسفند", "5 मार्च".
    r"|\d{1,2}[ \t]+(?:يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر",
    r"|أكتوبر|اكتوبر|نوفمبر|ديسمبر|فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی",
    r"|بهمن|اسفند|जनवरी|फ़रवरी|फरवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर",
    r"|नवंबर|नवम्बर|दिसंबर|दिसम्बर|شباط|آذار|نيسان|أيار|حزيران|تموز|أيلول",
    r"|تشرين[ \t]+(?:الأول|الثاني)|كانون[ \t]+(?:الأول|الثاني))(?:[ \t]+\d{4})?",
    // Haitian Creole and Somali, day first: "15 oktòb", "16 mas", "12 Maarso".
    r"|(?i:\b\d{1,2}[ \t]+(?:janvye|fevriye|mas|jen|jiy\x{e8}|septanm|okt\x{f2}b|novanm|desanm|janaayo",
    r"|febraayo|maarso|abriil|maajo|luulyo|agoosto|sebtembar|oktoobar|nofembar|desembar",
    // Swahili and Turkish: "6 Julai", "3 Machi", "15 Mart", "2 Ağustos".
    r"|januari|machi|aprili|julai|agosti|septemba|oktoba|novemba|desemba|ocak|\x{15f}ubat|mart",
    r"|nisan|may\x{131}s|haziran|temmuz|a\x{11f}ustos|eyl\x{fc}l|ekim|kas\x{131}m|aral\x{131}k)\b)",
    // Greek, the month after its day: "2 Αυγούστου".
    r"|\b\d{1,2}[ \t]+(?:Ιανουαρίου|Φεβρουαρίου|Μαρτίου|Απριλίου|Μαΐου|Ιουνίου|Ιουλίου|Αυγούστου",
    r"|Σεπτεμβρίου|Οκτωβρίου|Νοεμβρίου|Δεκεμβρίου)(?:[ \t]+\d{4})?",
];

/// Years of two digits with an apostrophe ("PTCA '83", "TIA 81'"): the notes write the
/// year of an event this way, and the corpus counts it as a date. Not "90's", "5'10\"".
fn short_years(doc: &Doc, push: &mut impl FnMut(usize, usize)) {
    let bytes = doc.text.as_bytes();
    for t in &doc.tokens {
        if t.kind != super::text::TokKind::Number || t.end - t.start != 2 {
            continue;
        }
        let before = t.start.checked_sub(1).and_then(|i| bytes.get(i)).copied();
        let before2 = t.start.checked_sub(2).and_then(|i| bytes.get(i)).copied();
        let after = bytes.get(t.end).copied();
        let after2 = bytes.get(t.end + 1).copied();
        let quote = |b: Option<u8>| matches!(b, Some(b'\''));
        let open = |b: Option<u8>| b.is_none_or(|c| !c.is_ascii_alphanumeric() && c != b'\'');
        let leading = quote(before) && open(before2) && open(after) && !quote(after);
        // "HOB 30'", "x 30'" are degrees and minutes: a trailing apostrophe only after
        // years that cannot be those (32 to 99), or after "in".
        let late = t.lower.parse::<u32>().is_ok_and(|n| n >= 32)
            || doc.before(t.start, 4).eq_ignore_ascii_case("in ");
        let trailing = quote(after)
            && late
            && open(before)
            && !quote(before)
            && after2.is_none_or(|c| !c.is_ascii_alphanumeric() && c != b'"' && c != b'\'');
        if leading || trailing {
            push(t.start, t.end);
        }
    }
}

/// The match continues a longer number: "7.35/45/80", "120/80/60", "1.5/2", "3/4/5".
fn edge_is_numeric(doc: &Doc, start: usize, end: usize) -> bool {
    let before = doc.before(start, 2);
    let after = doc.after(end, 2);
    let b1 = before.chars().last();
    let b2 = before.chars().rev().nth(1);
    let a1 = after.chars().next();
    let a2 = after.chars().nth(1);
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    // "5/28-6/1": the second date of a range.
    let range_before = b1 == Some('-')
        && DATE_BEFORE_DASH
            .as_ref()
            .is_some_and(|r| r.is_match(doc.before(start, 12)));
    // "TOXICITY-9/2/92" and "HX:8/30" are dates; "5-6/10" and "10:30/..." are not.
    let numeric_before = digit(b1)
        || matches!(b1, Some('/' | '+'))
        || (matches!(b1, Some('-' | ':' | '.')) && digit(b2) && !range_before);
    // "8/2-8/10" is a range of dates; "8/2-3" and "7.35/45.2" are not.
    let range_after = DATE_AFTER_DASH
        .as_ref()
        .is_some_and(|r| r.is_match(doc.after(end, 12)));
    let numeric_after = digit(a1)
        || matches!(a1, Some('/' | '%'))
        || (a1 == Some(':') && digit(a2))
        || (matches!(a1, Some('.' | '-')) && digit(a2) && !range_after);
    numeric_before || numeric_after
}

/// "-8/10", " - 10/16": the second date of a range.
static DATE_AFTER_DASH: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^\s*-\s*\d{1,2}/\d{1,2}\b"));

/// "8/2-", "8/2 - ": the first date of a range, before a dash.
static DATE_BEFORE_DASH: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?:^|[^\d/.])\d{1,2}/\d{1,2}\s*-\s*$"));

/// Words right before a slashed pair that make it a date whatever follows: "placed 4/22",
/// "on 2/6", "since 10/2".
static DATE_CUE_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:placed|inserted|started|stopped|began|admitted|adm|discharged|dated|due|d/c'?d|dc'?d|changed|removed|drawn|sent|born|died|expired)\s*[(:]?\s*$",
    )
});

/// "on", "since", "until" right before a slashed pair.
static WEAK_DATE_CUE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)\b(?:on|since|until|till|from|thru|through)\s*$"));

/// A slashed pair without a year that reads as a measurement in its context.
fn is_measurement(doc: &Doc, start: usize, end: usize, a: u32, b: u32) -> bool {
    let before = doc.before(start, 24);
    let word_before = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    // "Sat 3/21" is Saturday, as "sat 3/21" or "SAT" may be a saturation.
    if word_before == "Sat" && before.ends_with(' ') {
        return false;
    }
    if MEASURE_BEFORE.as_ref().is_some_and(|r| r.is_match(before)) {
        return true;
    }
    if a <= b && b <= 6 && SHARE_BEFORE.as_ref().is_some_and(|r| r.is_match(before)) {
        return true;
    }
    let after = doc.after(end, 24);
    let unit_after = MEASURE_AFTER.as_ref().is_some_and(|r| r.is_match(after));
    if !unit_after && DATE_CUE_BEFORE.as_ref().is_some_and(|r| r.is_match(before)) {
        return false;
    }
    if unit_after {
        return true;
    }
    // "IVIG day 1/5", "steroids day 3/5": a day of a short course ("in day 8/14" may be a
    // date).
    if a <= b && b <= 10 && word_before.eq_ignore_ascii_case("day") {
        return true;
    }
    // "CCU LIST 2/2", "page 1/3": a page of a list ("Callback list 12/05" is a date).
    let paged = ["page", "pg", "list", "part"]
        .iter()
        .any(|w| word_before.eq_ignore_ascii_case(w));
    if paged && a <= b && b <= 20 {
        return true;
    }
    // "septic shock 2/2 cholangitis": "2/2" is shorthand for "secondary to".
    if (a, b) == (2, 2)
        && after.starts_with(' ')
        && after.trim_start().starts_with(char::is_lowercase)
    {
        return true;
    }
    // Fractions of a dose: "1/2", "1/3", "2/3", "3/4" (not after "on", "since": "on 3/4
    // with her third fracture" is a day).
    let weak_cue = WEAK_DATE_CUE.as_ref().is_some_and(|r| r.is_match(before));
    if matches!((a, b), (1, 2) | (1, 3) | (2, 3) | (1, 4) | (3, 4))
        && !weak_cue
        && after.trim_start().starts_with(|c: char| c.is_alphabetic())
        && !after.trim_start().to_ascii_lowercase().starts_with("at")
    {
        let next = after.trim_start().to_ascii_lowercase();
        if !(next.starts_with("to ") || next.starts_with("and ") || next.starts_with("pt")) {
            return true;
        }
    }
    // Ventilator settings ("CPAP 5/5", "PS 10/5 PEEP", "flowby 6/3").
    if a <= 30 && b <= 30 {
        let around = format!("{} {}", doc.before(start, 12), doc.after(end, 10));
        if VENT_NEARBY.as_ref().is_some_and(|r| r.is_match(&around)) {
            return true;
        }
    }
    // Strengths (x/5), murmur grades (x/6), pain scores (x/10) with such words nearby;
    // "on 2/6" names a day whatever is said around it.
    if (b == 5 && a <= 5)
        || (b == 10 && a <= 10)
        || (!weak_cue && ((b == 6 && a <= 6) || (b == 4 && a <= 4)))
    {
        let around = format!("{} {}", doc.before(start, 40), doc.after(end, 40));
        if SCALE_NEARBY.as_ref().is_some_and(|r| r.is_match(&around)) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        scan(text)
            .into_iter()
            .filter(|s| s.kind == PhiKind::Date)
            .map(|s| text.get(s.start..s.end).unwrap_or("?").to_string())
            .collect()
    }

    #[test]
    fn dates_with_months_of_other_scripts() {
        for (text, want) in [
            ("নমুনা ১২ মার্চ ২০২৫ সকাল", "১২ মার্চ ২০২৫"),
            ("ตรวจวันที่ 14 มีนาคม 2568 เวลา 05:40 น.", "14 มีนาคม 2568"),
            ("ਦਾਖਲਾ: 9 ਮਾਰਚ 2025 / ਮਰੀਜ਼", "9 ਮਾਰਚ 2025"),
            ("Ընդունվել է մարտի 3-ին՝", "մարտի 3"),
            ("ביקור ב-3 במרץ", "3 במרץ"),
        ] {
            let got = dates(text);
            assert!(got.iter().any(|d| d == want), "{text}: {got:?}");
        }
        // A month's name with no day or year beside it is no date, nor a dose after it.
        for text in [
            "ในเดือนมีนาคมอากาศร้อน",
            "মার্চ মাসে অনেক রোগী",
            "մարտին շատ հիվանդներ",
        ] {
            assert_eq!(dates(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn slashed_and_worded_dates() {
        assert_eq!(dates("pt admitted 10/3 for stent"), ["10/3"]);
        assert_eq!(dates("s/p arrest on 8/19/20 who"), ["8/19/20"]);
        assert_eq!(
            dates("seen 12-07-2019 and 2019-12-08."),
            ["12-07-2019", "2019-12-08"]
        );
        assert_eq!(dates("extub 4/1, levo weaned 4/2."), ["4/1", "4/2"]);
        assert_eq!(dates("born March 3rd, 1931 at home"), ["March 3rd, 1931"]);
        assert_eq!(dates("on Jan. 5 she fell"), ["Jan. 5"]);
        assert_eq!(dates("surgery in March of 1993"), ["March of 1993"]);
        assert_eq!(dates("since nov. 2016"), ["nov. 2016"]);
        assert_eq!(dates("pt fell the 5th of July at home"), ["5th of July"]);
        assert_eq!(dates("home by Christmas Eve"), ["Christmas Eve"]);
        assert_eq!(dates("she fell on Boxing Day at home"), ["Boxing Day"]);
        assert_eq!(dates("seen on the 15th"), ["15th"]);
    }

    #[test]
    fn a_day_after_given_or_a_dose_is_a_day_and_a_share_stays_a_share() {
        assert_eq!(dates("clopidogrel held (last dose 12/1). EF 45%"), ["12/1"]);
        assert_eq!(
            dates("zoledronic acid given 1/15, denosumab next"),
            ["1/15"]
        );
        assert_eq!(dates("Her chemo cycle 12/8 is delayed."), ["12/8"]);
        assert!(dates("given 1/2 tab, cycle 2/6 of FOLFOX, x 3/4 doses, POD 2/3 ok").is_empty());
    }

    #[test]
    fn days_before_months_and_ordinals_after_weekdays() {
        assert_eq!(
            dates("Returned from Lagos on 19/10 after a visit"),
            ["19/10"]
        );
        assert_eq!(dates("(appt 23/08 at 10.40am)"), ["23/08"]);
        assert_eq!(dates("catarrh since Monday 3rd, she be 4"), ["3rd"]);
        assert_eq!(dates("bloods done on tues 4th and"), ["4th"]);
        // A score or a ratio with no zero and no cue, and a weekday's dose, are no days.
        assert!(dates("GCS 14/15, ICE 13/10 overnight").is_empty());
        assert!(dates("Mon 2nd dose of vanc given.").is_empty());
    }

    #[test]
    fn ranges_cues_glued_dates_and_short_years() {
        assert_eq!(dates("abx course 3/2 - 3/9, then stopped"), ["3/2 - 3/9"]);
        assert_eq!(dates("ventilated 5/28-6/1 for ARDS"), ["5/28-6/1"]);
        assert_eq!(
            dates("follow cultures from 11/2-11/5. recheck"),
            ["11/2-11/5"]
        );
        assert!(dates("ratio 10/15-10 today").len() <= 1);
        assert_eq!(dates("ON VENT VIA TRACH (PLACED 4/22). AC 60%"), ["4/22"]);
        assert_eq!(dates("seen at clinic on 2/6 for chest pain"), ["2/6"]);
        assert_eq!(dates("sent to the floor.9/12. back in unit"), ["9/12"]);
        assert_eq!(dates("labs on3/12/91 show"), ["3/12/91"]);
        assert_eq!(dates("s/p wrist fx6/88, hip fx"), ["6/88"]);
        assert_eq!(dates("PMH: PTCA '83, TIA 81'. GERD"), ["83", "81"]);
        assert_eq!(dates("first admitted in oct. and sent home"), ["oct"]);
        assert_eq!(dates("loss of words since March, per mother"), ["March"]);
        assert_eq!(dates("She winters in Mesa from November."), ["November"]);
        assert_eq!(dates("Il prend du Kayexalate depuis février."), ["février"]);
        // "may" and "march" in lower case are words, and "May I" has no cue.
        assert!(dates("since may be nothing; march of dimes. May I ask").is_empty());
    }

    #[test]
    fn apostrophes_and_cues_that_are_not_dates() {
        for t in [
            "HOB 30' at all times",
            "HR 90's, SBP 100's",
            "ht 5'10\" wt 80 kg",
            "vent weaned to 10/5, on PS 5/5 this am",
            "pain on 3/10 scale",
            "intubated 6/30-7 days ago",
        ] {
            assert!(dates(t).is_empty(), "{t}: {:?}", dates(t));
        }
    }

    #[test]
    fn clinical_shorthand_is_not_a_date() {
        for t in [
            "MI in 1992, CABG 2001",
            "BP 120/80, HR 88",
            "PAP 12/8 CVP 9",
            "strength 5/5 bilat, grips 4/5",
            "MAE, strength 5/5",
            "2/6 SEM at LSB",
            "pain 3/10 after morphine",
            "given 1/2 tab",
            "ABG 7.35/45/80/24",
            "vent 5/10 peep",
            "works 11p-7a shift",
            "Temp 37.5, K 3.5",
            "dec 2 L NC",
            "may 2 units",
            "at 10:30 pm",
        ] {
            assert!(dates(t).is_empty(), "{t}: {:?}", dates(t));
        }
    }
}
