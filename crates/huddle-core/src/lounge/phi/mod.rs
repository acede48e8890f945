//! The PHI guard's detector: finds HIPAA Safe Harbor identifiers of a patient (and of the
//! patient's relatives) in a post before it is published.
//!
//! [`scan`] runs several small detectors over the text and merges what they find:
//! - [`patterns`]: identifiers with a shape of their own (emails, URLs, IP addresses, phone
//!   numbers, SSNs, record/account/licence/device numbers after their keyword, ages over 89);
//! - [`dates`]: calendar dates more specific than a year, told apart from blood pressures,
//!   strengths, fractions and other slashed numbers of clinical shorthand;
//! - [`names`]: people named next to a cue (a relation, a title such as "Mr."), or whose
//!   first name and surname are both in the census lists; clinicians are left alone;
//! - [`places`]: street addresses, ZIP codes, cities and towns of a US gazetteer, and named
//!   facilities (the name part of "Calvert Hospital", a place after "transferred to");
//! - [`tagger`]: a learned tagger of names and places (averaged perceptron over hashed
//!   features, trained on the project's synthetic corpus only, `data/tagger.bin`), whose
//!   calls are kept when a second piece of evidence backs them;
//! - [`judge`]: a learned second look at the places and dates found, which drops those the
//!   rest of the post shows are no patient's ("I trained at Mayo", "in July as an intern").
//!
//! Then what is not an identifier is taken out: clinicians' names, medical words and
//! eponyms ("straight to ablation", "Framingham score", "Lyme" without a place word),
//! procedure acronyms in mixed-case text, and anything inside a link to the literature.
//!
//! Every detector works on UTF-8 byte offsets and never slices a string off a character
//! boundary, so any input is safe.

mod chains;
mod dates;
mod judge;
mod languages;
mod lexicon;
mod model_file;
mod names;
mod notable;
mod other_scripts;
mod patterns;
mod places;
mod tagger;
mod text;

/// Training of the learned tagger (for `examples/phi_train.rs`).
#[doc(hidden)]
pub use tagger::train as tagger_train;

/// Training of the judge (for `examples/phi_judge_train.rs`).
#[doc(hidden)]
pub use judge::train as judge_train;

/// Uses another model file for the judge (for `examples/phi_scan.rs --judge FILE`).
#[doc(hidden)]
pub use judge::set_model_bytes as judge_model_override;

/// Uses another model file for the tagger (for `examples/phi_scan.rs --model FILE`).
#[doc(hidden)]
pub use tagger::set_model_bytes as tagger_model_override;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// The kind of identifier a span holds (the Safe Harbor categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PhiKind {
    Name,
    Date,
    Age,
    Phone,
    Email,
    Ssn,
    Mrn,
    Account,
    License,
    Id,
    Url,
    Ip,
    Address,
    Location,
    Zip,
    Other,
}

impl PhiKind {
    /// Words a person reads in the guard's warning ("this looks like a patient name").
    pub fn label(self) -> &'static str {
        match self {
            PhiKind::Name => "patient name",
            PhiKind::Date => "date",
            PhiKind::Age => "age over 89",
            PhiKind::Phone => "phone or fax number",
            PhiKind::Email => "email address",
            PhiKind::Ssn => "social security number",
            PhiKind::Mrn => "medical record number",
            PhiKind::Account => "account or health plan number",
            PhiKind::License => "licence or certificate number",
            PhiKind::Id => "device, vehicle or other identifier",
            PhiKind::Url => "web address",
            PhiKind::Ip => "IP address",
            PhiKind::Address => "street address",
            PhiKind::Location => "place or facility name",
            PhiKind::Zip => "ZIP code",
            PhiKind::Other => "identifying number",
        }
    }

    /// Why the composer highlights a span, in plain words ("looks like a patient's name").
    pub fn explanation(self) -> &'static str {
        match self {
            PhiKind::Name => "looks like a patient's or relative's name",
            PhiKind::Date => "looks like a date that could identify a patient",
            PhiKind::Age => "looks like an age over 89",
            PhiKind::Phone => "looks like a phone or fax number",
            PhiKind::Email => "looks like an email address",
            PhiKind::Ssn => "looks like a social security number",
            PhiKind::Mrn => "looks like a medical record number",
            PhiKind::Account => "looks like an account or health plan number",
            PhiKind::License => "looks like a licence or certificate number",
            PhiKind::Id => "looks like a device, vehicle or other identifier",
            PhiKind::Url => "looks like a personal web address",
            PhiKind::Ip => "looks like an IP address",
            PhiKind::Address => "looks like a street address",
            PhiKind::Location => {
                "looks like a town, place or facility a patient could be traced to"
            }
            PhiKind::Zip => "looks like a ZIP code",
            PhiKind::Other => "looks like an identifying number",
        }
    }

    /// Which kind wins when two detectors flag overlapping text: the more specific one.
    fn rank(self) -> u8 {
        match self {
            PhiKind::Email | PhiKind::Url | PhiKind::Ip => 9,
            PhiKind::Ssn | PhiKind::Mrn | PhiKind::Account | PhiKind::License => 8,
            PhiKind::Id | PhiKind::Phone => 7,
            PhiKind::Address => 6,
            PhiKind::Date | PhiKind::Age => 5,
            PhiKind::Zip => 4,
            // A place spans its whole name ("St. Agnes", "San Diego"), a first name inside
            // it is part of the place.
            PhiKind::Location => 3,
            PhiKind::Name => 2,
            PhiKind::Other => 1,
        }
    }
}

/// One flagged identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhiSpan {
    /// UTF-8 byte offset of the first byte of the value.
    pub start: usize,
    /// UTF-8 byte offset just past the value.
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: PhiKind,
}

/// Finds the identifiers in `text`.
///
/// UTF-8 byte offsets into `text`, end exclusive, sorted, non-overlapping, always on char
/// boundaries. Each span holds the value only (no "Mr.", "MRN", "DOB", "#").
pub fn scan(text: &str) -> Vec<PhiSpan> {
    scan_with(text, Detectors::ALL)
}

/// Which detectors run (for measuring each one's share; the guard runs them all).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Detectors {
    pub rules: bool,
    pub tagger: bool,
    /// The judge's second look at names, places and dates.
    pub judge: bool,
}

impl Detectors {
    pub const ALL: Detectors = Detectors {
        rules: true,
        tagger: true,
        judge: true,
    };
}

/// [`scan`] with some detectors left out.
#[doc(hidden)]
pub fn scan_with(text: &str, which: Detectors) -> Vec<PhiSpan> {
    if text.is_empty() {
        return Vec::new();
    }
    let doc = text::Doc::new(text);
    let mut found: Vec<PhiSpan> = Vec::new();
    // The name a message is signed with: a name, and what tells its closing is none.
    let signature = names::signature(&doc, lexicon::get());
    // Chains where someone works or one branch is named ("the Amazon warehouse", "Employer:
    // Chevron"), facilities named by their kind in lower case ("from sunrise senior
    // living"), and people named by the words that give a name ("a patient named
    // Patience", "goes by Will"): kept by their cue whatever word the name is.
    let (cued_places, named) = if which.rules {
        let mut cued_places = Vec::new();
        chains::find(&doc, &mut cued_places);
        places::lower_case_facilities(&doc, lexicon::get(), &mut cued_places);
        places::practices(&doc, lexicon::get(), &mut cued_places);
        (cued_places, names::named_by_their_cue(&doc, lexicon::get()))
    } else {
        (Vec::new(), Vec::new())
    };
    patterns::find(&doc, &mut found);
    dates::find(&doc, &mut found);
    other_scripts::numbers_in_other_digits(
        &doc,
        |d, out| {
            patterns::find(d, out);
            dates::find(d, out);
        },
        &mut found,
    );
    if which.rules {
        places::find(&doc, &mut found);
        found.extend(cued_places.iter().cloned());
        found.extend(named.iter().cloned());
        names::find(&doc, signature.as_ref(), &mut found);
        other_scripts::find(&doc, &mut found);
    }
    // The tagger's words are kept apart until the rules' names have been carried to where
    // they come back: the tagger tags every occurrence itself, and an error of its own is
    // not to be multiplied.
    let mut tagged: Vec<PhiSpan> = Vec::new();
    if which.tagger {
        let doubts = tagger::find(&doc, &found, &mut tagged);
        // A name the rules found where the tagger, reading the words around it, is sure
        // there is none ("BED 8 - WHITE COUNT 31", "Stanford A means surgery"). Places stay
        // the rules' call: the tagger's doubt about places did not hold across styles of
        // writing (it doubted the hospitals of nursing notes in capitals).
        // (Not a name a person's verb follows, or a word of reaching someone comes before:
        // "At this time, Zorvek wishes to go home", "Spoke with Grace about plan".)
        found.retain(|s| {
            s.kind != PhiKind::Name
                || !doubts.rules_out(&doc, s.start, s.end)
                || names::is_person_verb(&text::leading_word_lower(
                    doc.after(s.end, 24).trim_start(),
                ))
                || names::contact_cue_before(&doc, s.start)
        });
    }
    // Clinicians' names are not PHI in a forum of physicians: nothing that sits on one is
    // flagged as a name or a place ("Dr. Warren" is not the town of Warren).
    let clinicians = names::clinicians(&doc);
    if !clinicians.is_empty() {
        found.retain(|s| {
            !matches!(s.kind, PhiKind::Name | PhiKind::Location)
                || !clinicians.iter().any(|&(a, b)| s.start < b && a < s.end)
        });
    }
    let clinician_free = |s: &PhiSpan| {
        !matches!(s.kind, PhiKind::Name | PhiKind::Location)
            || !clinicians.iter().any(|&(a, b)| s.start < b && a < s.end)
    };
    tagged.retain(clinician_free);
    // A name or place found once is the same name where it comes back without its cue.
    names::propagate(&doc, &clinicians, &mut found);
    found.append(&mut tagged);
    // Names listed with a name found: "Juarez, Yellowhorse and Nakashima".
    names::coordinated(&doc, &mut found);
    names::nicknames(&doc, &mut found);
    // (Nor does a list run on into a clinician: "Dr M. Baptiste, Hanover Family ...".)
    found.retain(clinician_free);
    // The closing before the name a message is signed with is no name ("Gracias, Lupita",
    // "Cheers, Siobhan").
    if let Some(sig) = &signature {
        found.retain(|s| {
            s.kind != PhiKind::Name
                || s.end > sig.start
                || doc.slice(s.end, sig.start).trim() != ","
                || !names::is_closing(&doc.slice(s.start, s.end).to_lowercase())
        });
    }
    other_scripts::transliterations(&doc, &mut found);
    // (A town after "em", "en", "sa" is the town whatever else its word is: "Moramos em
    // Framingham".)
    // (A place after a foreign preposition, an employer right after a verb of work or a
    // job, a chain or a facility by its cue: "works for UPS", "meat cutter at JBS", "the
    // Amazon warehouse", "from sunrise senior living".)
    let place_by_its_cue = |s: &PhiSpan| {
        s.kind == PhiKind::Location
            && (places::after_foreign_preposition(&doc, s)
                || places::after_work_cue(&doc, s.start)
                || cued_places.contains(s))
    };
    // Medical words are not names or places ("go straight to ablation").
    let lx = lexicon::get();
    // (Nor is a name after a title or a relation a word: "his son Avi", "Wife Yvette", "mrs.
    // o'dwyer"; not after words that are cues only sometimes: "miss bacteremia", "100 ms.
    // Asymptomatic", "Child Care", "Sister Mary Joseph nodule".)
    let titled = |s: &PhiSpan| {
        named.contains(s)
            || s.kind == PhiKind::Name
            && person_cue_before(&doc, s.start)
            && !matches!(
                word_before_lower(&doc, s.start, &['.', ',']).as_str(),
                "miss" | "ms" | "child" | "sister" | "brother" | "baby" | "infant"
            )
            // On the cue's line, and no abbreviation ("son, ETA 1130", "wife, BMI 41") nor
            // a language ("mom Arabic only").
            && !doc.before(s.start, 3).contains(['\n', ':'])
            && !places::is_language_or_people(doc.slice(s.start, s.end))
            && doc
                .slice(s.start, s.end)
                .split(|c: char| !c.is_alphabetic() && c != '\'')
                .filter(|w| !w.is_empty())
                .all(|w| {
                    let lower = w.to_lowercase();
                    let short_caps = (2..=4).contains(&w.chars().count()) && w.chars().all(|c| c.is_uppercase());
                    lx.is_name(&lower) || !short_caps
                })
    };
    found.retain(|s| {
        !matches!(s.kind, PhiKind::Name | PhiKind::Location)
            || !lx.all_vocabulary(doc.slice(s.start, s.end), common_word_case(&doc, s))
            || titled_town(&doc, lx, s)
            || place_by_its_cue(s)
            || titled(s)
            || names::on_a_board(&doc, s)
    });
    found.retain(|s| {
        !eponym_or_acronym(&doc, s)
            || place_by_its_cue(s)
            || titled(s)
            || names::on_a_board(&doc, s)
    });
    // Nor are the little words of another language's grammar ("Faut-il une PBR", "duas
    // vezes ao dia"), whatever cue comes before them ("conclure à une néphropathie").
    found.retain(|s| {
        !matches!(s.kind, PhiKind::Name | PhiKind::Location)
            || !foreign_little_words(doc.slice(s.start, s.end), lx)
    });
    // Nor a little word of the post's own language, in any case: the head of a sentence or
    // a line capitalizes it ("Han er postoperativ dag 1", "Und wie schnell", "Hur lång
    // väntetid"). Unless a title names a person by it ("Herr Han").
    let little = |s: &PhiSpan| {
        matches!(s.kind, PhiKind::Name | PhiKind::Location)
            && languages::little_words_of_any(doc.slice(s.start, s.end))
    };
    if let Some(language) = found
        .iter()
        .any(little)
        .then(|| languages::Language::of(&doc, lx))
        .flatten()
    {
        found.retain(|s| {
            !matches!(s.kind, PhiKind::Name | PhiKind::Location)
                || titled(s)
                || !language.little_words(doc.slice(s.start, s.end))
        });
    }
    // The namesake of an eponym the post uses is no patient: "Cushing disease ... Harvey
    // Cushing was busy", "the Babinski sign (Joseph Babinski, 1896)".
    let namesakes = eponyms_used(&doc);
    if !namesakes.is_empty() {
        found.retain(|s| {
            if s.kind != PhiKind::Name || person_cue_before(&doc, s.start) {
                return true;
            }
            let end = full_name_end(&doc, s.end);
            // (Not a patient on a list: "Rachel Bell 9W18 — Bell's palsy".)
            let listed_patient = doc
                .after(end, 12)
                .trim_start_matches([' ', ',', '(', '-'])
                .split(' ')
                .next()
                .is_some_and(|w| w.chars().any(|c| c.is_ascii_digit()));
            listed_patient
                || !doc
                    .slice(s.start, end)
                    .split(|c: char| !c.is_alphabetic() && c != '\'')
                    .filter(|w| !w.is_empty())
                    .any(|w| {
                        let w = w.trim_end_matches("'s").to_lowercase();
                        namesakes.contains(&w)
                    })
        });
    }
    // Nor are the people everyone knows, named in full ("Alexander Fleming's plate").
    found.retain(|s| !notable::is_notable_person(&doc, s));
    // Authors of the literature are not patients ("Smith et al.", "Jones (2019)"), nor
    // places ("Greer et al." where Greer is a town too).
    found
        .retain(|s| !matches!(s.kind, PhiKind::Name | PhiKind::Location) || !author_cited(&doc, s));
    // A service or a meeting is not a place ("transferred to Medicine", "Grand Rounds").
    found.retain(|s| {
        s.kind != PhiKind::Location || !places::is_service_phrase(doc.slice(s.start, s.end))
    });
    // Nor is a town named in a sentence about work or meetings ("a hospitalist job in
    // Reading, PA", "the conference in Las Vegas"): it is the physician's, not a patient's.
    // (A town the tagger took for a name too: "Las Vegas".)
    found.retain(|s| {
        let town = s.kind == PhiKind::Location
            || s.kind == PhiKind::Name && {
                let v = doc.slice(s.start, s.end).to_lowercase();
                // (Or the end of one: "Diego" of "San Diego".)
                let with_word_before = doc
                    .word_before(s.start)
                    .map(|w| format!("{} {v}", w.to_lowercase()));
                lx.is_multi_place(&v)
                    || lx.is_place(&v)
                    || with_word_before.is_some_and(|w| lx.is_multi_place(&w))
            };
        !town || !professional_sentence(&doc, s)
    });
    // Nor is a language or a people ("updated in French", "Han Chinese ancestry"), unless a
    // title or a relation names a person by it ("Mr. French").
    found.retain(|s| {
        !matches!(s.kind, PhiKind::Name | PhiKind::Location)
            || !(places::is_language_or_people(doc.slice(s.start, s.end))
                && !places::facility_head_after(&doc, s.end)
                || places::is_foreign_state(doc.slice(s.start, s.end))
                || s.kind == PhiKind::Location
                    && lx.is_state_or_country(&doc.slice(s.start, s.end).to_lowercase())
                    // "University of Maryland", "services at Maryland": a hospital.
                    && !doc.before(s.start, 3).eq_ignore_ascii_case("of ")
                    && !doc.before(s.start, 3).eq_ignore_ascii_case("at "))
            || (s.kind == PhiKind::Name && person_cue_before(&doc, s.start))
    });
    // Nor a word of a state's or a country's name: "North Carolina", "El Salvador",
    // "Marshall Islands".
    found.retain(|s| {
        !matches!(s.kind, PhiKind::Name | PhiKind::Location) || !in_state_or_country(&doc, s)
    });
    // Initials belong to the name they stand by: "J. Smith", "J.W. Daughdrill", "Iliana Y."
    extend_over_initials(&doc, &mut found);
    // A surname after a given name found, and never a possessive "'s": "Dmitri Volkov's".
    names::extend_over_surnames(&doc, &mut found);
    // The other half of "SURNAME, GIVEN" where one half was found.
    names::extend_across_comma(&doc, &mut found);
    names::join_over_particles(&doc, &mut found);
    // An age over 89 right after a name: "Mrs. Okafor (92)", "J. Smith, 93, fell".
    let mut ages = Vec::new();
    patterns::ages_after_names(&doc, &found, &mut ages);
    found.append(&mut ages);
    // A local number right after a relative or a name: "Dad Chinedu 555-0191".
    let mut phones = Vec::new();
    patterns::phones_after_people(&doc, &found, &mut phones);
    found.append(&mut phones);
    // Towns said with their state, or right after a street address.
    let mut towns = Vec::new();
    places::towns_by_state_or_address(&doc, &found, &mut towns);
    towns.retain(|s| !professional_sentence(&doc, s));
    found.append(&mut towns);
    // A ZIP code right after a town or an address that stayed.
    let mut zips = Vec::new();
    places::zips_after_places(&doc, &found, &mut zips);
    found.append(&mut zips);
    // The street a store or a workplace found stands on: "the Kroger on Main".
    let mut streets = Vec::new();
    places::streets_after_places(&doc, &found, &mut streets);
    // The town such a place stands in: "Golden Wonder in Corby".
    places::towns_after_places(&doc, &found, &mut streets);
    // The store a street found locates: "the CVS on Main St".
    places::places_before_streets(&doc, &found, &mut streets);
    found.append(&mut streets);
    // What an address field holds that nothing above named: "Address: Blk 123 Ang Mo Kio
    // Ave 3, #08-456".
    let mut fields = Vec::new();
    places::address_fields(&doc, &found, &mut fields);
    found.append(&mut fields);
    // Nothing inside a link to the literature identifies anyone.
    let references = patterns::reference_urls(&doc);
    if !references.is_empty() {
        found.retain(|s| !references.iter().any(|&(a, b)| a <= s.start && s.end <= b));
    }
    places::extend_over_county_words(&doc, &mut found);
    // A famous institution is a place, whatever took it for a name ("Mayo, Hopkins").
    notable::institutions_as_places(&doc, &mut found);
    let mut found = merge(text, found);
    // Whether a place or a date is a patient's is told by the whole post.
    if which.judge {
        judge::keep(&doc, &mut found);
    }
    found
}

/// Is a place written as the result of a rule or a grade named after it: a result or a
/// severity right after it where nothing says a place, or "revised" before it?
fn read_as_result(doc: &text::Doc, s: &PhiSpan) -> bool {
    const RESULTS: &[&str] = &[
        "neg",
        "negative",
        "pos",
        "positive",
        "mild",
        "moderate",
        "moderately",
        "severe",
    ];
    let after = doc.after(s.end, 16);
    let next = text::leading_word_lower(after.trim_start_matches(' '));
    let plus = after.trim_start().starts_with('+');
    let revised = doc
        .before(s.start, 9)
        .trim_end()
        .rsplit(' ')
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("revised"));
    // (Not a town said as one: "from Atlanta, severe asthma", "lives in Ottawa +1 555".)
    revised || (plus || RESULTS.contains(&next.as_str())) && !place_cue_before(doc, s.start)
}

/// Words after an eponym that make it one: "Framingham score", "Austin Flint murmur".
const EPONYM_HEADS: &[&str] = &[
    "anomaly",
    "arteritis",
    "breathing",
    "calculator",
    "catheter",
    "chorea",
    "classification",
    "criteria",
    "criterion",
    "dementia",
    "disease",
    "diverticulum",
    "encephalopathy",
    "equation",
    "esophagus",
    "formula",
    "fracture",
    "fundoplication",
    "ligament",
    "lymphoma",
    "maneuver",
    "manoeuvre",
    "malformation",
    "murmur",
    "neuroma",
    "palsy",
    "phenomenon",
    "reflex",
    "respiration",
    "sarcoma",
    "score",
    "shunt",
    "sign",
    "signs",
    "stain",
    "syndrome",
    "thyroiditis",
    "triad",
    "tumor",
    "tumour",
    "ulcer",
];

/// Words after an eponym that make it one only without a possessive: "Ottawa ankle rules",
/// "Tommy John surgery", "Coxsackie virus" (but "Okafor's surgery" is a patient's).
const EPONYM_HEADS_PLAIN: &[&str] = &[
    "ankle",
    "class",
    "grade",
    "nomogram",
    "fingers",
    "lesions",
    "nodes",
    "spots",
    "approach",
    "bodies",
    "body",
    "cells",
    "effect",
    "incision",
    "jaw",
    "knee",
    "lines",
    "node",
    "nodule",
    "pattern",
    "pupil",
    "repair",
    "wave",
    "waves",
    "model",
    "operation",
    "procedure",
    "protocol",
    "rule",
    "rules",
    "staging",
    "surgery",
    "test",
    "virus",
];

/// A name or place that is an eponym ("Framingham score", "Parkinson's disease") or, in
/// mixed-case text, an acronym of a procedure or a test ("straight to TAVR", "CRT-D"):
/// hospital acronyms ("MGH", "UMMC") stay.
fn eponym_or_acronym(doc: &text::Doc, s: &PhiSpan) -> bool {
    if !matches!(s.kind, PhiKind::Name | PhiKind::Location) {
        return false;
    }
    let value = doc.slice(s.start, s.end);
    // A rule or a classification named after a city, read as a result: "Ottawa neg",
    // "Ottawa +", "KOH negative", "Atlanta mild", "Revised Atlanta".
    if s.kind == PhiKind::Location && read_as_result(doc, s) {
        return true;
    }
    // The head inside the span, in text whose case tells: "Canadian Syncope Risk Score".
    let last_word = value
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if value.contains(' ')
        && !doc.upper_heavy
        && (EPONYM_HEADS.contains(&last_word.as_str())
            || EPONYM_HEADS_PLAIN.contains(&last_word.as_str()))
    {
        return true;
    }
    // The head right after the eponym, past the rest of its name: "Tommy John surgery",
    // "Lou Gehrig disease" (the span may hold only "Tommy").
    let raw_after = doc.after(s.end, 40);
    let mut words = raw_after.split([' ', '\t']).filter(|w| !w.is_empty());
    let mut plain_next = String::new();
    for _ in 0..3 {
        let Some(w) = words.next() else { break };
        let letters: String = w.chars().take_while(|c| c.is_alphabetic()).collect();
        let lower = letters.to_lowercase();
        if EPONYM_HEADS_PLAIN.contains(&lower.as_str()) || EPONYM_HEADS.contains(&lower.as_str()) {
            plain_next = lower;
            break;
        }
        // Only capitalized words of the same name, or a medical word, come in between
        // ("Tommy John surgery", "San Francisco syncope rule"), in text whose case tells
        // ("BALTIMORE VITAL SIGNS" is no eponym).
        let medical = lexicon::get().is_medical(&lower);
        // "Lou Gehrig's disease": a possessive belongs to the name.
        if doc.upper_heavy
            || letters.len() != w.len() - text::possessive_len(w)
            || !(letters.starts_with(char::is_uppercase) || medical)
        {
            break;
        }
    }
    if raw_after.starts_with([' ', '\t']) && !plain_next.is_empty() {
        return true;
    }
    let after = raw_after;
    let after = after
        .strip_prefix("'s")
        .or_else(|| after.strip_prefix("\u{2019}s"))
        .or_else(|| after.strip_prefix('\''))
        .unwrap_or(after);
    let next = text::leading_word_lower(after.trim_start_matches([' ', '\t']));
    if EPONYM_HEADS.contains(&next.as_str()) {
        return true;
    }
    // An eponym of the medical dictionary before a technical medical word in lower case is
    // a disease's or an organism's, not a person's ("Lyme carditis"), unless a
    // title or a relation says a person ("Mr. Wilson pneumonia" is not written).
    let lx = lexicon::get();
    let last_lower = value
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    // Only a technical word: a hospital's "rehab", "consult" or "cath" follows its name.
    let medical_next = !doc.shouting
        && after.starts_with(' ')
        && next.len() >= 5
        && after.trim_start().starts_with(|c: char| c.is_lowercase())
        && lx.is_medical(&next)
        && !lx.is_english(&next)
        && !lx.is_clinical(&next);
    // (Or a genus before its species: "Candida auris".)
    if medical_next
        && (lx.is_eponym(&last_lower) || lx.is_medical(&last_lower))
        && !person_cue_before(doc, s.start)
    {
        return true;
    }
    // A score or an operation written without its head word: "Alvarado 8", "meets McDonald
    // 2017", "POD2 Hartmann", "Parkland running". Where the word is a common name too, a
    // number after it or a word of surgery before it must say so; a title, a relation or a
    // word of place before it says a person or a place ("Mr. Whipple", "from Parkland").
    let whole = value.to_lowercase();
    if lx.is_eponym_score(&whole)
        && !person_cue_before(doc, s.start)
        && !place_cue_before(doc, s.start)
    {
        // A number or a grade in Roman numerals: "Alvarado 8", "Rutherford IIa", "Rome IV".
        let grade: String = raw_after
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let numeral = grade.trim_end_matches(['a', 'b', 'c']);
        let roman = grade.len() <= 4
            && !numeral.is_empty()
            && numeral.chars().all(|c| matches!(c, 'I' | 'V' | 'X'));
        // A class by letter ("Stanford A", "Child-Pugh B") or named as such ("Stanford type
        // B", "Ann Arbor stage III").
        let letter = grade.len() == 1 && grade.chars().all(|c| matches!(c, 'A'..='D'));
        let kind_word = matches!(
            grade.to_lowercase().as_str(),
            "type" | "class" | "grade" | "stage" | "classification" | "criteria" | "score"
        );
        // (Not an age and a sex: "Pemberton 91F" is a patient on a list.)
        let number_after = raw_after.starts_with(' ')
            && !names::age_like(raw_after.trim_start())
            && (raw_after
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
                || roman
                || letter
                || kind_word);
        let before = doc.before(s.start, 12).to_lowercase();
        let surgical_before = before
            .trim_end()
            .rsplit([' ', '\n', '\t'])
            .next()
            .is_some_and(|w| {
                w.starts_with("pod")
                    || matches!(
                        w,
                        "s/p" | "post" | "meets" | "met" | "per" | "modified" | "by"
                    )
            });
        let common_name = lx.is_name(&whole) || lx.is_world_name(&whole);
        if !common_name || number_after || surgical_before {
            return true;
        }
    }
    // A word in a list of eponyms that no name list holds: "Parkinson, Alzheimer, Huntington,
    // Wilson", "Homans, Rovsing, Grey Turner, Cullen" are signs and diseases.
    if !doc.shouting && in_eponym_list(doc, lx, s) {
        return true;
    }
    // A place that is also an eponym ("Lyme", "Framingham", "Ewing") is a place only after a
    // word that says so ("from", "in", "near", "lives in") or before its state ("Barre,
    // VT").
    if s.kind == PhiKind::Location
        && lexicon::get().all_eponym_towns(value)
        && !place_cue_before(doc, s.start)
        && !places::is_facility_head(&next)
        && !places::state_follows(doc, s.end)
    {
        return true;
    }
    // Trial and study names in mixed text: "NOAH-AFNET", "ARTESiA", "DAPA-HF" (not a
    // surname in capitals such as "SMITH-JONES", whose parts the name lists hold).
    // The whole word, when the span holds only its first part ("NOAH" of "NOAH-AFNET").
    let tail: String = doc
        .after(s.end, 24)
        .chars()
        .take_while(|c| *c == '-' || c.is_alphanumeric())
        .collect();
    let word = format!("{value}{tail}");
    let all_parts_names = word.split('-').all(|p| {
        let p = p.to_lowercase();
        lx.is_name(&p) || lx.is_world_name(&p)
    });
    let trial = !doc.upper_heavy
        && !word.contains(' ')
        && (word.contains('-') && word.chars().all(|c| !c.is_lowercase()) && !all_parts_names
            || word
                .chars()
                .zip(word.chars().skip(1))
                .filter(|(a, b)| a.is_uppercase() && b.is_uppercase())
                .count()
                >= 2
                && word.chars().any(char::is_lowercase));
    if trial {
        return true;
    }
    let letters = value.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = value.chars().all(|c| c.is_ascii_uppercase() || c == '-');
    let acronym = !doc.upper_heavy && (2..=5).contains(&letters) && capitals;
    let center = value.ends_with('H') || value.ends_with("MC");
    if acronym && !(center && s.kind == PhiKind::Location) {
        return true;
    }
    // Capitals without a vowel are an acronym, not a name, in any text ("MVC", "CHF",
    // "GSW"); "Ng" is a name. (Hospitals go by such letters: places keep them.)
    s.kind == PhiKind::Name
        && letters <= 5
        && capitals
        && !value.eq_ignore_ascii_case("ng")
        && !value
            .chars()
            .any(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
}

/// Is the span an item of a list ("A, B and C") in which another item, within three items of
/// it, is an eponym of the medical dictionary that no name list holds?
fn in_eponym_list(doc: &text::Doc, lx: &lexicon::Lexicon, s: &PhiSpan) -> bool {
    let separator = |gap: &str| matches!(gap.trim(), "," | "/" | "&" | ";");
    let eponym_only = |t: &text::Token| {
        let w = t.lower.trim_end_matches("'s");
        t.capitalized
            && (lx.is_eponym(w) || lx.is_eponym(&format!("{w}'s")))
            && !lx.is_name(w)
            && !lx.is_world_name(w)
    };
    let toks = &doc.tokens;
    let first = toks.partition_point(|t| t.start < s.start);
    let Some(last) = toks.partition_point(|t| t.end <= s.end).checked_sub(1) else {
        return false;
    };
    if first >= toks.len() || last < first {
        return false;
    }
    // Walk out over the list's separators in both directions.
    let mut items = 0;
    let mut i = first;
    while i > 0 && items < 3 && (separator(doc.gap_before(i)) || toks[i - 1].lower == "and") {
        i -= 1;
        if toks[i].lower == "and" {
            continue;
        }
        if eponym_only(&toks[i]) {
            return true;
        }
        items += 1;
    }
    let mut items = 0;
    let mut j = last;
    while j + 1 < toks.len()
        && items < 3
        && (separator(doc.gap_after(j)) || toks[j + 1].lower == "and")
    {
        j += 1;
        if toks[j].lower == "and" {
            continue;
        }
        if eponym_only(&toks[j]) {
            return true;
        }
        items += 1;
    }
    false
}

/// Does a title or a relation stand right before `start` ("Mr. Wilson", "son Wilson")?
fn person_cue_before(doc: &text::Doc, start: usize) -> bool {
    names::is_person_cue(&word_before_lower(doc, start, &['.', ',']))
}

/// The word right before `start`, in lower case, past spaces and the marks of `skip` ("" when
/// something else stands there: "from," gives "" unless `skip` holds the comma).
fn word_before_lower(doc: &text::Doc, start: usize, skip: &[char]) -> String {
    doc.before(start, 16)
        .trim_end()
        .trim_end_matches(skip)
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// What follows an author's name in a citation: "et al.", "and colleagues", a year in
/// brackets or after a comma, "'s trial".
static CITATION_AFTER: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(concat!(
        // The author's initials may come first: "Carson JL et al.", "Carson JL, 2023".
        r"^(?:[ \t]+[A-Z]{1,3}\.?[ \t]+et\.?[ \t]+al\b",
        r"|[ \t]+[A-Z]{1,3}\.?,[ \t]*(?:et\.?[ \t]+al\b|[A-Z][A-Za-z]*\.?[ \t]+(?:1[5-9]|20)\d\d\b|(?:1[5-9]|20)\d\d\b)",
        r"|[ \t]+et\.?[ \t]+al\b|[ \t]+(?:and|&)[ \t]+(?:colleagues|coworkers|co-workers)\b",
        r"|,?[ \t]*\((?:1[5-9]|20)\d\d[a-z]?[;,)\-\x{2013}]",
        // "Kuppermann 2009", "Spodick, NEJM 2003".
        r"|[ \t]+(?:1[5-9]|20)\d\d[a-z]?(?:[ \t]*[),;.]|[ \t]+\()",
        r"|,[ \t]*[A-Z][A-Za-z]*\.?[ \t]+(?:1[5-9]|20)\d\d\b",
        // A year after a place or two: "(Barnard, Groote Schuur, Cape Town, 1967)", "(Ernst
        // Moro, 1918)".
        r"|,[ \t]*(?:[A-Z][A-Za-z'\-]*(?:[ \t]+[A-Z][A-Za-z'\-]*)*,[ \t]*){0,2}(?:1[5-9]|20)\d\d[a-z]?\b",
        r"|(?:'s|\x{2019}s)(?:[ \t]+[a-z\-]+){0,3}[ \t]+(?:paper|study|trial|review|article|textbook|classic|group|lab|diagrams?|description)\b)",
    ))
    .ok()
});

/// Is the name an author cited ("Smith et al.", "Jones (2019)", "Osler's textbook") with no
/// title or relation before it that says a patient, or a knight ("Sir William Osler")?
fn author_cited(doc: &text::Doc, s: &PhiSpan) -> bool {
    // "Sir William Osler" (the span may hold only "Osler"): a knight of medicine's history.
    let before = doc.before(s.start, 24).trim_end();
    let before = before
        .strip_suffix(|c: char| c.is_alphabetic())
        .map_or(before, |_| {
            before
                .trim_end_matches(|c: char| c.is_alphabetic())
                .trim_end()
        });
    let knight = |b: &str| {
        b.len() >= 3
            && b.get(b.len() - 3..)
                .is_some_and(|w| w.eq_ignore_ascii_case("sir"))
            && !b[..b.len() - 3].ends_with(|c: char| c.is_alphabetic())
    };
    if knight(doc.before(s.start, 24).trim_end()) || knight(before) {
        return true;
    }
    // After the whole name: "Thomas" may be widened to "Thomas Addison" later. Citations
    // are written in mixed case; "DOB 1987" is no journal.
    let own = text::possessive_len(doc.slice(s.start, s.end));
    let after = doc.after(full_name_end(doc, s.end - own), 48);
    !doc.upper_heavy
        && CITATION_AFTER.as_ref().is_some_and(|r| {
            r.find(after).is_some_and(|m| {
                let cited = m.as_str().to_ascii_lowercase();
                // (A year that runs on into a month and a day is a birth date: "ACHTERBERG,
                // Willem,1940-06-12".)
                let rest = after.get(m.end()..).unwrap_or("").as_bytes();
                let date = matches!(rest, [b'-' | b'/' | b'.', d, ..] if d.is_ascii_digit());
                !date
                    && !["dob", "dod", "born", "died", "age", "mrn", "admit"]
                        .iter()
                        .any(|k| cited.contains(k))
            })
        })
        && !person_cue_before(doc, s.start)
}

/// Words of a physician's working life: a sentence holding one speaks of jobs and
/// conferences, not of a patient.
const PROFESSIONAL_WORDS: &[&str] = &[
    "conference",
    "meeting",
    "session",
    "sessions",
    "congress",
    "convention",
    "cme",
    "fellowship",
    "hiring",
    "interview",
    "interviews",
    "job",
    "jobs",
    "locum",
    "locums",
    "moonlighting",
    "nocturnist",
    "recruiter",
    "recruiting",
    "registration",
    "residency",
    "salary",
    "summit",
    "symposium",
    "workshop",
    "opportunity",
    "opportunities",
    "position",
    "positions",
    "openings",
    "retiring",
    "relocating",
    "posting",
    "matched",
    "offers",
    "noncompete",
    "fte",
    "career",
    "academics",
    "rotation",
    "rotations",
    "sabbatical",
    "rvu",
    "rvus",
    "wrvu",
    "partnership",
    "recruited",
    "applying",
];

/// Annual meetings of medical societies, written as physicians write them ("ACC in
/// Chicago", "SHM Converge in Las Vegas"): a town in the same sentence is the meeting's.
/// Matched in this case only, and not in text in capitals ("chest", "CHEST PAIN").
const MEETINGS: &[&str] = &[
    "AAFP", "AAHPM", "AAN", "AAOS", "AAP", "AASLD", "AATS", "ACC", "ACEP", "ACG", "ACOG", "ACP",
    "ACR", "ADA", "AGS", "AHA", "APA", "ASCO", "ASGE", "ASH", "ASN", "ASTRO", "ATS", "AUA",
    "CHEST", "Converge", "CROI", "DDW", "ENDO", "ERS", "ESC", "ESMO", "EULAR", "HRS", "IDWeek",
    "NKF", "PAS", "RSNA", "SAEM", "SCCM", "SGIM", "SHEA", "SHM", "SMFM", "STS", "TCT",
];

/// Does the sentence around the span speak of jobs or conferences? Only for towns: a named
/// facility ("Mercy Hospital") may be a patient's wherever it is written.
fn professional_sentence(doc: &text::Doc, s: &PhiSpan) -> bool {
    // The cheap tests first: most places leave here.
    let next_word = text::leading_word_lower(doc.after(s.end, 24).trim_start());
    // A town after "in" or "near"; an employer after "at" or "for" stays ("his job at Costco").
    // (Past the rest of the town's name: "in Las Vegas" when the span holds "Vegas".)
    let mut prep = String::new();
    for w in doc.before(s.start, 32).split_whitespace().rev().take(3) {
        if w.starts_with(char::is_uppercase) {
            continue;
        }
        prep = w.to_lowercase();
        if prep.ends_with(':') {
            prep = ":".to_string();
        }
        break;
    }
    // (Or after a dash or a colon: "Hospitalist job - Bend, OR", "Locums opportunity:
    // Bethel, Alaska"; or moving "to" it.)
    if places::is_facility_head(&next_word)
        || !matches!(
            prep.as_str(),
            "in" | "near" | "to" | "-" | ":" | "\u{2013}" | "\u{2014}"
        )
    {
        return false;
    }
    let words = sentence_words(doc, s);
    !patients_job(&words)
        && words.iter().any(|w| {
            PROFESSIONAL_WORDS.iter().any(|p| w.eq_ignore_ascii_case(p))
                || (!doc.upper_heavy && MEETINGS.contains(w))
        })
}

/// The words of the sentence around a span.
fn sentence_words<'a>(doc: &text::Doc<'a>, s: &PhiSpan) -> Vec<&'a str> {
    let bytes = doc.text.as_bytes();
    let start = bytes
        .get(..s.start)
        .and_then(|b| {
            b.iter()
                .rposition(|c| matches!(c, b'.' | b'!' | b'?' | b';' | b'\n'))
        })
        .map_or(0, |i| i + 1);
    let end = bytes
        .get(s.end..)
        .and_then(|b| {
            b.iter()
                .position(|c| matches!(c, b'.' | b'!' | b'?' | b';' | b'\n'))
        })
        .map_or(doc.text.len(), |i| s.end + i);
    doc.slice(start, end)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// "my new job", "his job": the patient's work.
fn patients_job(words: &[&str]) -> bool {
    words.windows(3).any(|w| {
        ["my", "his", "her", "their"]
            .iter()
            .any(|p| w[0].eq_ignore_ascii_case(p))
            && (w[1].eq_ignore_ascii_case("job") || w[2].eq_ignore_ascii_case("job"))
    })
}

/// Is the span part of a state's or a country's name of two or more words, with the word
/// before it or after it?
fn in_state_or_country(doc: &text::Doc, s: &PhiSpan) -> bool {
    let lx = lexicon::get();
    let span = doc.slice(s.start, s.end);
    let after = doc.after(s.end, 16);
    let word_before = doc
        .word_before(s.start)
        .filter(|w| w.starts_with(char::is_uppercase));
    let word_after = after
        .strip_prefix(' ')
        .and_then(|a| a.split([' ', ',', '.', ';', ')', '\n']).next())
        .filter(|w| w.starts_with(char::is_uppercase));
    let named = |words: &[&str]| lx.is_state_or_country(&words.join(" ").to_lowercase());
    word_before.is_some_and(|b| named(&[b, span]))
        || word_after.is_some_and(|a| named(&[span, a]))
        || word_before
            .zip(word_after)
            .is_some_and(|(b, a)| named(&[b, span, a]))
}

/// Where a name ends when the capitalized words right after the span are taken with it
/// ("Harvey" of "Harvey Cushing"): at most two more.
fn full_name_end(doc: &text::Doc, end: usize) -> usize {
    let toks = &doc.tokens;
    let mut last = end;
    if doc.upper_heavy {
        return last;
    }
    let lx = lexicon::get();
    let first = toks.partition_point(|t| t.start < end);
    for (k, t) in toks.iter().enumerate().skip(first).take(2) {
        let name_like = t.capitalized
            && !t.all_caps
            && (!lx.is_english_exact(&t.lower) || lx.is_surname(&t.lower))
            && !dates::is_day_or_month(&t.lower);
        if !name_like || doc.gap_before(k) != " " {
            break;
        }
        // Not its possessive: "Addison's paper" goes on after "Addison".
        last = t.end - text::possessive_len(&t.lower);
    }
    last
}

/// Is the word one of [`EPONYM_HEADS`] or [`EPONYM_HEADS_PLAIN`] (a set look-up: asked of
/// every capitalized word of a post)?
fn is_eponym_head(w: &str) -> bool {
    static SET: lexicon::WordSet = lexicon::WordSet::new(&[EPONYM_HEADS, EPONYM_HEADS_PLAIN]);
    SET.contains(w)
}

/// Capitalized words the post uses as eponyms: right before a head ("Cushing disease",
/// "Moro reflex", "Babinski sign"), possessive or not.
fn eponyms_used(doc: &text::Doc) -> Vec<String> {
    let toks = &doc.tokens;
    let mut out = Vec::new();
    if doc.upper_heavy {
        return out;
    }
    for (i, t) in toks.iter().enumerate() {
        if !t.capitalized || t.all_caps {
            continue;
        }
        let Some(next) = toks.get(i + 1) else { break };
        let gap = doc.gap_after(i);
        let head = is_eponym_head(next.lower());
        let own = text::possessive_len(&t.lower);
        if head && (gap == " " || own > 0) {
            let w = &t.lower[..t.lower.len() - own];
            if w.chars().count() >= 3 && !out.iter().any(|o: &String| o == w) {
                out.push(w.to_string());
            }
        }
    }
    out
}

/// Widens each name over the initials right before it ("J. Smith", "J.W. Smith", "J Smith"
/// in mixed text) and a middle or last initial right after it ("Iliana Y.").
fn extend_over_initials(doc: &text::Doc, found: &mut [PhiSpan]) {
    for s in found.iter_mut().filter(|s| s.kind == PhiKind::Name) {
        loop {
            let before = doc.before(s.start, 4);
            let b: Vec<char> = before.chars().collect();
            let n = b.len();
            // "X. " or "X." (the name right after the dot) or, in mixed text, "X ".
            let (letter_at, width) = match b.as_slice() {
                [.., c, '.', ' '] if c.is_alphabetic() => (n - 3, 3),
                [.., c, '.'] if c.is_alphabetic() => (n - 2, 2),
                [.., c, ' '] if c.is_uppercase() && !doc.shouting && !matches!(c, 'A' | 'I') => {
                    (n - 2, 2)
                }
                _ => break,
            };
            // The letter stands alone: a space, a line, a dot or the text's start before it.
            let alone = letter_at == 0
                || b.get(letter_at - 1)
                    .is_some_and(|c| c.is_whitespace() || matches!(c, '.' | '(' | ',' | ':'));
            let text_before = doc.before(s.start - width, 8).to_ascii_lowercase();
            let clinician = text_before.ends_with("dr ") || text_before.ends_with("dr. ");
            let bytes: usize = b[letter_at..].iter().map(|c| c.len_utf8()).sum();
            if !alone || clinician || bytes > s.start {
                break;
            }
            s.start -= bytes;
        }
        s.end += initial_or_suffix_after(doc, s.end);
    }
}

/// Bytes of an initial or a generational suffix right after a name, to take into it:
/// "Iliana Y.", "Kim, J.", "MACDONALD, CALLUM J" at the end of its entry, "Leroy
/// Washington Jr.", "Harrison Beaumont III".
fn initial_or_suffix_after(doc: &text::Doc, end: usize) -> usize {
    let after = doc.after(end, 6);
    let a: Vec<char> = after.chars().collect();
    // What ends an entry: the text's end, a line, a bracket or a separator.
    let ends_entry =
        |c: Option<&char>| c.is_none_or(|c| matches!(c, '\n' | '\r' | ',' | ';' | ')' | '|' | ':'));
    match a.as_slice() {
        // " J." and ", J.": an initial with its dot ("Kim, J." but not "Smith, K 3.5").
        [' ', c, '.', rest @ ..]
            if c.is_uppercase() && !rest.first().is_some_and(|n| n.is_alphanumeric()) =>
        {
            2 + c.len_utf8()
        }
        [',', ' ', c, '.', rest @ ..]
            if c.is_uppercase() && !rest.first().is_some_and(|n| n.is_alphanumeric()) =>
        {
            3 + c.len_utf8()
        }
        // " J" closing an entry of a list ("DAVIS, ROBERT L |").
        [' ', c, rest @ ..] if c.is_uppercase() && ends_entry(rest.first()) => 1 + c.len_utf8(),
        _ => {
            let word: String = after
                .strip_prefix(' ')
                .or_else(|| after.strip_prefix(", "))
                .unwrap_or("")
                .chars()
                .take_while(|c| c.is_alphabetic() || *c == '.')
                .collect();
            let gap = if after.starts_with(' ') { 1 } else { 2 };
            let suffix = matches!(
                word.as_str(),
                "Jr" | "Jr." | "Sr" | "Sr." | "JR" | "SR" | "II" | "III" | "IV"
            );
            if suffix {
                gap + word.len()
            } else {
                0
            }
        }
    }
}

/// Is every word of `value` one of the little words of another language, written in lower
/// case, and one at least a word that no list of names holds ("une", "und", "del lunes"; not
/// "le" or "do" alone, which are surnames too)?
fn foreign_little_words(value: &str, lx: &lexicon::Lexicon) -> bool {
    let mut unnamed = false;
    value
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
        .all(|w| {
            unnamed |= !lx.is_name(w) && !lx.is_world_name(w);
            w.chars().all(char::is_lowercase) && lexicon::FOREIGN_FUNCTION_WORDS.contains(w)
        })
        && unnamed
}

/// Does a word that introduces a place stand right before `start`?
fn place_cue_before(doc: &text::Doc, start: usize) -> bool {
    const CUES: &[&str] = &[
        "from", "in", "near", "at", "to", "of", "outside", "around", "toward", "towards",
    ];
    CUES.contains(&word_before_lower(doc, start, &[]).as_str())
}

/// Is the span written as a common word is ("ablation", not "Ablation" or "ABLATION")? Only
/// then does the larger English list count against it: a capitalized word may be a proper
/// name that happens to be a rare English word.
fn common_word_case(doc: &text::Doc, s: &PhiSpan) -> bool {
    !doc.slice(s.start, s.end).chars().any(char::is_uppercase)
}

/// A town of two words or more written as a name is ("Ann Arbor", "Broken Arrow", "Des
/// Plaines"): each word capitalized, the whole a town of the gazetteer, though each word
/// alone is a word of the vocabulary.
fn titled_town(doc: &text::Doc, lx: &lexicon::Lexicon, s: &PhiSpan) -> bool {
    let v = doc.slice(s.start, s.end);
    let words: Vec<&str> = v.split_whitespace().collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && lx.is_multi_place(&words.join(" ").to_lowercase())
}

/// Sorts the spans, snaps them to char boundaries, and joins overlapping ones (the union).
/// The joined span takes the kind of its longest part, or of the higher-ranked one of equal
/// length ("Carol Buckley" stays a name though Buckley is also a town).
fn merge(text: &str, mut spans: Vec<PhiSpan>) -> Vec<PhiSpan> {
    for s in spans.iter_mut() {
        s.start = text::floor_boundary(text, s.start);
        s.end = text::ceil_boundary(text, s.end);
    }
    spans.retain(|s| s.start < s.end);
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<PhiSpan> = Vec::with_capacity(spans.len());
    let mut best: Vec<(usize, u8)> = Vec::with_capacity(spans.len());
    for s in spans {
        let len = s.end - s.start;
        match (out.last_mut(), best.last_mut()) {
            (Some(last), Some(b)) if s.start < last.end => {
                if (len, s.kind.rank()) > *b {
                    *b = (len, s.kind.rank());
                    last.kind = s.kind;
                }
                last.end = last.end.max(s.end);
            }
            _ => {
                best.push((len, s.kind.rank()));
                out.push(s);
            }
        }
    }
    out
}
