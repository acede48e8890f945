//! Chain stores, restaurants and large employers named as the place a patient works or
//! shops: "works nights at the Amazon warehouse", "im boeing and they moved me", "shes at
//! target til 10", "send it to the CVS in Lafayette". A chain's name is no identifier by
//! itself ("some tylenol from walgreens", "a Medtronic pump"); it is one where the words
//! around it say it is someone's workplace or one branch.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::{self, Lexicon};
use super::places;
use super::text::Doc;
use super::{PhiKind, PhiSpan};

/// The chains of `data/chains.txt`, longest first, as whole words in any case.
static CHAINS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let mut names: Vec<&str> = lexicon::chain_names().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let names: Vec<String> = names.into_iter().map(regex::escape).collect();
    Regex::new(&format!(r"(?i)\b(?:{})\b", names.join("|"))).ok()
});

/// Words before a chain that make it someone's workplace: "works nights at the", "my
/// employer is", "his boss at", "retired from", "trabaja en la", "pracuje w".
static WORK_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        // "works walmart nights": the verb of work alone may come right before.
        r"(?i)(?:\b(?:works?|working|worked)",
        r"(?:[ \t]+(?:nights|days|overnights?|weekends|full[- ]time|part[- ]time|there|now|still))?",
        r"(?:[ \t]+(?:at|for|from|with|in))?[ \t]+",
        // "works the line at", "worked the 4am sort at", "works as a cashier at": what
        // someone does there, after an article (not "works well at target").
        r"|\b(?:works?|working|worked)[ \t]+(?:the|a|an|as[ \t]+an?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)?",
        r"[ \t]+(?:at|for)[ \t]+",
        // The other words of work want their preposition or a field's colon: "shift at",
        // "employer is", "Employer:" (not "day shift BP").
        r"|\b(?:job|employer|employed|employee|shift|boss|hired|retired|trabaja|trabajo|trabalho",
        r"|trabalha|pracuje|arbeitet)(?:[ \t]+(?:nights|days|there|now))?",
        r"(?:[ \t]+(?:at|for|from|with|is|by|en|em|na|no|w|bei|para)[ \t]+|[ \t]*[:(][ \t]*)",
        // "a note for my employer amazon", "a work note for Tesla".
        r"|\bemployer[ \t]+|\b(?:work|school)[ \t]+note[ \t]+for[ \t]+)",
        r"(?:(?:the|a|an|el|la)[ \t]+)?$",
    ))
    .ok()
});

/// A job right before a chain: "seasonal picker at amazon", "store manager at the Target",
/// "package car driver at ups", "cashier @ walmart" (the jobs of [`places::JOBS`]).
static JOB_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{})s?[ \t]*(?:@|[ \t](?:at|for))[ \t]+(?:the[ \t]+)?$",
        places::JOBS.join("|")
    ))
    .ok()
});

/// A person said to be a chain, or at it until a time: "im boeing and", "hes ups so", "shes
/// at target til 10", "she's Amazon nights".
static PERSON_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:i'?m|i[ \t]+am|he'?s|he[ \t]+is|she'?s|she[ \t]+is|they'?re)[ \t]+(?P<at>at[ \t]+(?:the[ \t]+)?)?$")
        .ok()
});
static PERSON_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[ \t]*[,.;]|[ \t]+(?:and|so|but|now|nights|days|since|til|till|until|all[ \t]+day)\b)").ok()
});
static UNTIL_AFTER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^[ \t]+(?:til|till|until|nights|all[ \t]+day)\b").ok());

/// What follows "target" the word, not the store: a dose, a range, a level.
static MEASURE_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^[ \t]+(?:doses?|range|weight|levels?|inr|bp|hr|heart|glucose|a1c|ldl|goals?|values?|sats?|organs?|lesions?|zones?|trough|map|of)\b").ok()
});

/// What comes after a chain that is a workplace or one site: "Amazon warehouse", "the Target
/// distribution center", "a UPS driver", "the Tyson plant".
static SITE_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:'s)?[ \t]+(?:warehouse|distribution|fulfil?lment|plant|hub|dc|sort|stockroom|deli",
        r"|bakery|kitchen|factory|refinery|terminal|yard|mill|rig|platform|employee|driver",
        r"|worker|contractor|cashier|associate|parking[ \t]+(?:lot|garage)|lot|garage|station|truck[ \t]+stop",
        r"|restroom)\b",
    ))
    .ok()
});

/// What pins a branch: the town, street or spot after the chain ("the CVS in Lafayette",
/// "Walgreens on Hwy 92", "H-E-B de la Culebra", "the Kroger by my school").
static BRANCH_AFTER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:'s)?(?:[ \t]+(?i:pharmacy|store|supercenter|market))?[ \t]+",
        r"(?i:in|on|off|near|by|de|da|do|del|en|em|sa|ya|w|na|ee|на|в)[ \t]+(?:(?i:the|la|el)[ \t]+)?",
        r"(?:\p{Lu}|\d|(?i:my|his|her|our|their|us|me)\b)",
    ))
    .ok()
});

/// Words before a chain that make it the patient's pharmacy, store or supplier: "send it to
/// the", "call it into the", "pharmacy is", "farmacia", "nhà thuốc", "DME (Apria)", "oxygen
/// company is", "delivered by".
static PHARMACY_BEFORE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:\b(?:send|sent|call|called|fax|faxed|transfer|move)\b[^.\n]{0,25}\b(?:in)?to[ \t]+",
        r"|\bdelivered[ \t]+by[ \t]+",
        r"|\b(?:pharmacy|farmacia|farmácia|pharmacie|apteka|аптеке|thuốc|botika|dme|supplier",
        r"|oxygen[ \t]+company|equipment[ \t]+company)(?:[ \t]+(?:is|es|é|de|da))?",
        r"(?:[ \t]*[:(][ \t]*|[ \t]+))(?:(?:the|a|that|my|la|el)[ \t]+)?$",
    ))
    .ok()
});

pub fn find(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let Some(chains) = CHAINS.as_ref() else {
        return;
    };
    let lx = lexicon::get();
    for m in chains.find_iter(doc.text) {
        // A whole name: not the head of a word joined by a hyphen or an apostrophe
        // ("ups-and-downs", "Target's").
        if doc.before(m.start(), 1).ends_with(['-', '\'']) || doc.after(m.end(), 1) == "-" {
            continue;
        }
        let before = line_before(doc, m.start());
        let after = doc.after(m.end(), 40);
        let common = is_common_word(lx, m.as_str());
        // "at target dose", "works the same at target range": the word, not the store.
        if common && matches(&MEASURE_AFTER, after) {
            continue;
        }
        let person = PERSON_BEFORE
            .as_ref()
            .and_then(|r| r.captures(before))
            .is_some_and(|c| {
                let wants = if c.name("at").is_some() {
                    &UNTIL_AFTER
                } else {
                    &PERSON_AFTER
                };
                matches(wants, after)
            });
        let workplace = matches(&WORK_BEFORE, before)
            || matches(&JOB_BEFORE, before)
            || matches(&SITE_AFTER, after)
            || person;
        let branch =
            !common && (matches(&BRANCH_AFTER, after) || matches(&PHARMACY_BEFORE, before));
        if workplace || branch {
            out.push(PhiSpan {
                start: m.start(),
                end: m.end(),
                kind: PhiKind::Location,
            });
        }
    }
}

fn matches(r: &LazyLock<Option<Regex>>, text: &str) -> bool {
    r.as_ref().is_some_and(|r| r.is_match(text))
}

/// The text before `at` on its line, at most 60 bytes of it.
fn line_before<'a>(doc: &Doc<'a>, at: usize) -> &'a str {
    let before = doc.before(at, 60);
    before.rsplit('\n').next().unwrap_or(before)
}

/// A chain of one word that is also a common word ("Target", "Shell", "ups", "Sonic"): a
/// workplace only by the words of work around it.
fn is_common_word(lx: &Lexicon, name: &str) -> bool {
    // Exactly a word: "7-Eleven" and "Winn-Dixie" hold a word but are none.
    let lower = name.to_lowercase();
    !lower.contains(' ') && lx.is_english_exact(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chains(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find(&Doc::new(text), &mut out);
        out.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn a_chain_is_a_place_where_someone_works_or_a_branch_is_named() {
        for (text, want) in [
            ("kayla works walmart nights so shes tired", "walmart"),
            ("shes at target til 10 the nite before", "target"),
            ("cant make it mon bc im boeing and they moved me", "boeing"),
            ("hes ups so on his feet all day", "ups"),
            (
                "45M, picks orders at the Amazon fulfillment center in Joliet",
                "Amazon",
            ),
            ("Employer: Chevron (offshore rotations)", "Chevron"),
            ("can you send it to the CVS in Lafayette?", "CVS"),
            (
                "the Walgreens on Hwy 92 says they need a new script",
                "Walgreens",
            ),
            ("Trabaja en la empacadora JBS en Greeley", "JBS"),
            (
                "NAKASHIMA, Ren — CPAP broke, DME (Apria) needs new Rx",
                "Apria",
            ),
            (
                "asking for a work note for Tesla (Fremont) for 3/4–3/6",
                "Tesla",
            ),
            ("a 41M from the Target distribution center", "Target"),
            ("31f seasonal picker at amazon in kent, ck 42000", "amazon"),
            ("36f store manager at the target in bemidji", "target"),
            ("51m package car driver at ups, first seizure", "ups"),
            ("44m works the line at ford in louisville", "ford"),
            (
                "i need a note for my employer amazon that i was sick",
                "amazon",
            ),
            // A name that holds a word is no word: "7-Eleven".
            ("got jumped outside the 7-Eleven on Fordham Rd", "7-Eleven"),
            // The spot of a branch: its lot, garage or station.
            (
                "pickup vs light pole in the Dollar General lot",
                "Dollar General",
            ),
            ("found down in the H-E-B parking garage, level 2", "H-E-B"),
        ] {
            assert_eq!(chains(text), [want], "{text}");
        }
    }

    #[test]
    fn a_chain_named_as_a_kind_of_shop_or_a_maker_is_none() {
        for text in [
            "picked up some tylenol from walgreens",
            "the Medtronic pump alarmed twice",
            "target INR 2-3, recheck Friday",
            "he's at target weight now",
            "the shell of the vertebral body",
            "every CVS in town is out of amoxicillin",
            "ups and downs all week",
            "the new regimen works the same at target dose",
            "a nurse manager at target glucose rounds",
            "works as a team for target range",
            "a 7-Eleven hot dog and a Big Gulp",
            "the target lesion shrank on the last scan",
        ] {
            assert!(chains(text).is_empty(), "{text}: {:?}", chains(text));
        }
    }
}
