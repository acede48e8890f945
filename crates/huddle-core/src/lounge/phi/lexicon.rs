//! Word lists (sources and licences in `data/README.md`), loaded once into hash sets.

use std::collections::HashSet as StdHashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: the word lists are fixed data embedded in the binary, not input an attacker can
/// choose to collide, so a fast hash is safe here (look-ups are most of the guard's time).
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type HashSet<T> = StdHashSet<T, BuildHasherDefault<Fnv>>;
/// A map with the fast hash of the word lists.
pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fnv>>;
use std::sync::{LazyLock, OnceLock};

/// A set of the words of fixed lists, built on first use: for the look-ups the rules ask of
/// every word of a post ("is it a relation?").
pub struct WordSet {
    lists: &'static [&'static [&'static str]],
    set: OnceLock<HashSet<&'static str>>,
}

impl WordSet {
    pub const fn new(lists: &'static [&'static [&'static str]]) -> WordSet {
        WordSet {
            lists,
            set: OnceLock::new(),
        }
    }

    pub fn contains(&self, w: &str) -> bool {
        self.set
            .get_or_init(|| self.lists.iter().flat_map(|l| l.iter().copied()).collect())
            .contains(w)
    }
}

/// The embedded dictionaries, all lower case.
pub struct Lexicon {
    first_names: HashSet<&'static str>,
    surnames: HashSet<&'static str>,
    /// Given names and surnames of many countries that the census lists lack (Faker).
    world_names: HashSet<&'static str>,
    english: HashSet<&'static str>,
    clinical: HashSet<&'static str>,
    /// Brand names newer than the medical dictionary: vocabulary for the filters, not a
    /// feature of the tagger (whose model was trained without them).
    brands: HashSet<&'static str>,
    states_countries: HashSet<&'static str>,
    /// People and institutions everyone knows, in full, lower case ("alexander fleming",
    /// "mayo clinic").
    notable_people: HashSet<&'static str>,
    notable_institutions: HashSet<&'static str>,
    /// Every word of those names: a span with none of them needs no look-up of its run.
    notable_words: HashSet<&'static str>,
    /// First words of the places, states and countries of several words ("new", "san"): a
    /// word that begins none needs no longer look-up.
    multi_word_starts: HashSet<&'static str>,
    /// One-word towns and cities (US and world).
    places: HashSet<&'static str>,
    /// Places of several words, joined by single spaces.
    multi_places: HashSet<&'static str>,
    /// Longest multi-word place, in words.
    pub max_place_words: usize,
    /// Medical words (hunspell-en-med), lower-case entries and acronyms.
    medical: HashSet<&'static str>,
    /// Capitalized entries of the medical dictionary: eponyms, brands ("parkinson", "foley").
    eponyms: HashSet<&'static str>,
    /// Lower-case words of the larger English list that the main list lacks ("ablation").
    english_extra: HashSet<&'static str>,
    /// Scores, classifications and operations named after a person or a place, written
    /// without their head word ("Alvarado 8", "POD2 Hartmann").
    eponym_scores: HashSet<&'static str>,
}

fn lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The chain stores, restaurants and large employers of `data/chains.txt`, read by
/// [`super::chains`].
pub fn chain_names() -> impl Iterator<Item = &'static str> {
    lines(include_str!("data/chains.txt"))
}

/// The little words of eleven European languages (`data/stop_words.txt`), each with its
/// language's code, read by [`super::languages`].
pub fn stop_words() -> impl Iterator<Item = (&'static str, &'static str)> {
    lines(include_str!("data/stop_words.txt")).filter_map(|l| l.split_once('\t'))
}

/// The months' names in the languages of other scripts (`data/month_names.txt`, from CLDR),
/// read by [`super::dates`].
pub fn month_names() -> impl Iterator<Item = &'static str> {
    lines(include_str!("data/month_names.txt"))
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut places = HashSet::default();
    let mut multi_places = HashSet::default();
    let mut max_place_words = 1;
    // US towns, and towns and cities of the rest of the world.
    for p in lines(include_str!("data/us_places.txt"))
        .chain(lines(include_str!("data/world_places.txt")))
    {
        let n = p.split(' ').count();
        if n == 1 {
            places.insert(p);
        } else {
            max_place_words = max_place_words.max(n);
            multi_places.insert(p);
        }
    }
    // Regions larger than a state ("South Asia", "New England") are no identifier either.
    let states_countries: HashSet<&'static str> = lines(include_str!("data/states_countries.txt"))
        .chain(lines(include_str!("data/regions.txt")))
        .collect();
    let notable_people: HashSet<&'static str> =
        lines(include_str!("data/notable_people.txt")).collect();
    // (A one-word institution that is a town too is left to the other rules: "drove up from
    // Oxford" is a relative's town.)
    let notable_institutions: HashSet<&'static str> =
        lines(include_str!("data/notable_institutions.txt"))
            .filter(|n| n.contains(' ') || !places.contains(n))
            .collect();
    let multi_word_starts = multi_places
        .iter()
        .chain(states_countries.iter())
        .filter_map(|p: &&'static str| p.split_once(' ').map(|(first, _)| first))
        .collect();
    Lexicon {
        first_names: lines(include_str!("data/first_names.txt")).collect(),
        surnames: lines(include_str!("data/surnames.txt")).collect(),
        world_names: lines(include_str!("data/world_first_names.txt"))
            .chain(lines(include_str!("data/world_surnames.txt")))
            .collect(),
        english: lines(include_str!("data/english_words.txt")).collect(),
        clinical: lines(include_str!("data/clinical_terms.txt")).collect(),
        brands: lines(include_str!("data/drug_brands.txt")).collect(),
        states_countries,
        notable_words: notable_people
            .iter()
            .chain(notable_institutions.iter())
            .flat_map(|n: &&'static str| n.split(' '))
            .collect(),
        notable_people,
        notable_institutions,
        multi_word_starts,
        places,
        multi_places,
        max_place_words: max_place_words.min(4),
        medical: lines(include_str!("data/medical_terms.txt")).collect(),
        eponyms: lines(include_str!("data/eponyms.txt")).collect(),
        english_extra: lines(include_str!("data/english_extra.txt")).collect(),
        eponym_scores: lines(include_str!("data/eponym_scores.txt")).collect(),
    }
});

/// The shared dictionaries (built on first use).
pub fn get() -> &'static Lexicon {
    &LEXICON
}

impl Lexicon {
    pub fn is_first_name(&self, w: &str) -> bool {
        self.first_names.contains(w)
    }
    pub fn is_surname(&self, w: &str) -> bool {
        self.surnames.contains(w)
    }
    /// A given name or surname of the world lists (not the census ones).
    pub fn is_world_name(&self, w: &str) -> bool {
        self.world_names.contains(w)
    }
    pub fn is_name(&self, w: &str) -> bool {
        self.is_first_name(w) || self.is_surname(w)
    }
    /// A common English word (lower-case entry of the word list), or an inflection of one.
    pub fn is_english(&self, w: &str) -> bool {
        if self.english.contains(w) || is_function_word(w) {
            return true;
        }
        if w.contains('-') {
            // "present-contin", "called-update": a hyphenated word with an English part.
            return w
                .split('-')
                .any(|p| p.len() > 2 && (self.english.contains(p) || is_function_word(p)));
        }
        for suffix in ["s", "es", "ed", "ing", "ly", "d"] {
            if let Some(stem) = w.strip_suffix(suffix) {
                if stem.len() >= 3 && self.english.contains(stem) {
                    return true;
                }
            }
        }
        false
    }
    /// In the English word list exactly as written (no inflections: "hayes" is not "hay").
    pub fn is_english_exact(&self, w: &str) -> bool {
        self.english.contains(w) || is_function_word(w)
    }
    /// Clinical shorthand, a drug, a unit of the hospital.
    pub fn is_clinical(&self, w: &str) -> bool {
        self.clinical.contains(w) || self.brands.contains(w) || drug_shaped(w)
    }
    /// A US state or a country (one word, or the first word of several): not an identifier.
    pub fn is_state_or_country(&self, w: &str) -> bool {
        self.states_countries.contains(w)
    }
    /// A one-word US city, town or county.
    pub fn is_place(&self, w: &str) -> bool {
        self.places.contains(w)
    }
    /// An eponym or brand of the medical dictionary ("parkinson", "foley", "lasix").
    pub fn is_eponym(&self, w: &str) -> bool {
        self.eponyms.contains(w)
    }
    /// Is every word of `text` both a town of the gazetteer and an eponym of the medical
    /// dictionary ("Lyme", "Framingham")?
    pub fn all_eponym_towns(&self, text: &str) -> bool {
        let mut any = false;
        for w in text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-') {
            if w.is_empty() {
                continue;
            }
            let lower = w.to_lowercase();
            let lower = lower.strip_suffix("'s").unwrap_or(&lower);
            if !self.eponyms.contains(lower) || !self.places.contains(lower) {
                return false;
            }
            any = true;
        }
        any
    }
    /// Is every word of `text` a word of the medical dictionary (or, with `extra`, of the
    /// larger English list) that no name or place list holds ("ablation", "tracheostomy")?
    pub fn all_vocabulary(&self, text: &str, extra: bool) -> bool {
        let mut any = false;
        for w in text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-') {
            if w.is_empty() {
                continue;
            }
            let lower = w.to_lowercase();
            let lower = lower.strip_suffix("'s").unwrap_or(&lower);
            let vocab = self.is_medical(lower)
                || self.brands.contains(lower)
                || (extra && self.english_extra.contains(lower))
                || drug_shaped(lower);
            let proper = self.is_name(lower) || self.is_place(lower) || self.is_eponym(lower);
            if !vocab || proper {
                return false;
            }
            any = true;
        }
        any
    }
    /// A word of the medical dictionary, or its plural ("schistocytes", "bullae" aside).
    pub fn is_medical(&self, w: &str) -> bool {
        self.medical.contains(w)
            || ["s", "es"].iter().any(|suffix| {
                w.strip_suffix(suffix)
                    .is_some_and(|stem| stem.len() >= 4 && self.medical.contains(stem))
            })
    }
    pub fn first_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.first_names.iter().copied()
    }
    pub fn surnames(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.surnames.iter().copied()
    }
    pub fn world_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.world_names.iter().copied()
    }
    pub fn english_words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.english.iter().copied()
    }
    pub fn english_extra_words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.english_extra.iter().copied()
    }
    /// The medical dictionary's words and the clinical shorthand.
    pub fn medical_words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.medical.iter().chain(self.clinical.iter()).copied()
    }
    pub fn eponym_words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.eponyms.iter().copied()
    }
    /// One-word places.
    pub fn place_words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.places.iter().copied()
    }
    pub fn state_words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.states_countries.iter().copied()
    }
    /// A US place of several words ("san diego").
    /// A score, a classification or an operation named after a person or a place.
    pub fn is_eponym_score(&self, w: &str) -> bool {
        self.eponym_scores.contains(w)
    }
    /// Does a place, state or country of several words begin with this word?
    pub fn starts_multi_word_place(&self, w: &str) -> bool {
        self.multi_word_starts.contains(w)
    }
    /// A word of a notable person's or institution's name ("osler", "mayo").
    pub fn is_notable_word(&self, w: &str) -> bool {
        self.notable_words.contains(w)
    }
    /// A notable person in full ("william osler").
    pub fn is_notable_person(&self, name: &str) -> bool {
        self.notable_people.contains(name)
    }
    /// A notable medical centre, university or agency ("mayo clinic", "hopkins").
    pub fn is_notable_institution(&self, name: &str) -> bool {
        self.notable_institutions.contains(name)
    }
    pub fn is_multi_place(&self, words: &str) -> bool {
        self.multi_places.contains(words)
    }
}

/// Endings of drug names (the WHO stems of international nonproprietary names).
pub fn drug_shaped(w: &str) -> bool {
    if w.len() < 6 {
        return false;
    }
    if w.starts_with("cef") {
        return true;
    }
    // One look-up per ending length instead of a comparison per stem.
    (3..=MAX_STEM.min(w.len())).any(|k| {
        w.get(w.len() - k..)
            .is_some_and(|end| DRUG_STEMS.contains(end))
    })
}

static DRUG_STEMS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STEMS.iter().copied().filter(|s| *s != "cef").collect());

/// The longest stem, in bytes (checked by a test).
const MAX_STEM: usize = 9;

/// The stems, with "cef", which starts a name rather than ending it.
const STEMS: &[&str] = &[
    "pril",
    "olol",
    "alol",
    "azole",
    "cillin",
    "mycin",
    "micin",
    "floxacin",
    "oxacin",
    "statin",
    "sartan",
    "dipine",
    "peridol",
    "azepam",
    "azolam",
    "tidine",
    "prazole",
    "parin",
    "mab",
    "tinib",
    "ciclovir",
    "cyclovir",
    "cycline",
    "semide",
    "thiazide",
    "profen",
    "codone",
    "morphone",
    "tropine",
    "ephrine",
    "olone",
    "asone",
    "isone",
    "triptan",
    "dronate",
    "gliptin",
    "glitazone",
    "etine",
    "oxetine",
    "apine",
    "idone",
    "azine",
    "barbital",
    "caine",
    "curium",
    "curonium",
    "fungin",
    "penem",
    "cef",
    "sporin",
    "vudine",
    "navir",
    "terol",
    "tropium",
    "lukast",
    "setron",
    "dopa",
    "amil",
    "afil",
    "xaban",
    "gatran",
    "plase",
    "kinase",
    "dronate",
];

/// Function words and the commonest little words of the other languages patients and
/// clinicians write in (Spanish, Portuguese, French, Italian, German, Dutch, Tagalog,
/// Indonesian, Polish, Haitian Creole, Swahili), and their days. Written in lower case they
/// are never a name or a place ("Faut-il une PBR", "a partir del lunes"), unless a list of
/// names holds them too ("le", "do" are surnames: see [`Lexicon::is_name`]). Not the little
/// words that are a US state's abbreviation too ("va", "pa", "la", "mi").
pub static FOREIGN_FUNCTION_WORDS: WordSet = WordSet::new(&[
    &[
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "segunda",
        "terça",
        "quarta",
        "sexta",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
    ],
    &[
        "a",
        "aber",
        "ada",
        "ai",
        "akan",
        "amanhã",
        "anche",
        "ang",
        "antes",
        "ao",
        "aos",
        "ap",
        "après",
        "as",
        "asante",
        "at",
        "au",
        "auch",
        "auf",
        "aujourd'hui",
        "aus",
        "aux",
        "avant",
        "avec",
        "avoir",
        "ay",
        "ayer",
        "bardzo",
        "bei",
        "belum",
        "bez",
        "bien",
        "bij",
        "bitte",
        "bo",
        "bukas",
        "był",
        "była",
        "ce",
        "ces",
        "cette",
        "cha",
        "che",
        "com",
        "come",
        "como",
        "con",
        "cuando",
        "da",
        "dan",
        "dank",
        "danke",
        "dans",
        "dari",
        "das",
        "de",
        "degli",
        "dei",
        "del",
        "della",
        "delle",
        "dello",
        "dem",
        "demain",
        "den",
        "dengan",
        "depois",
        "depuis",
        "der",
        "des",
        "desde",
        "después",
        "di",
        "dia",
        "die",
        "din",
        "dito",
        "dla",
        "do",
        "domani",
        "donde",
        "doon",
        "dopo",
        "dos",
        "dove",
        "du",
        "dzisiaj",
        "dziękuję",
        "e",
        "een",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "el",
        "ela",
        "elas",
        "ele",
        "eles",
        "ella",
        "ellas",
        "elle",
        "elles",
        "ellos",
        "em",
        "en",
        "entre",
        "er",
        "es",
        "esa",
        "ese",
        "essere",
        "est",
        "esta",
        "estar",
        "este",
        "esto",
        "estou",
        "estoy",
        "está",
        "están",
        "estão",
        "et",
        "foi",
        "fue",
        "für",
        "gdzie",
        "gen",
        "gestern",
        "gisteren",
        "gli",
        "gracias",
        "grazie",
        "ha",
        "habe",
        "haben",
        "hanno",
        "hari",
        "hasta",
        "hat",
        "hay",
        "hebben",
        "heeft",
        "heel",
        "het",
        "heute",
        "hier",
        "hii",
        "hij",
        "hindi",
        "hiyo",
        "ho",
        "hoje",
        "hoy",
        "i",
        "ich",
        "ieri",
        "ihr",
        "ik",
        "il",
        "ils",
        "ini",
        "is",
        "isso",
        "ist",
        "ito",
        "itu",
        "iyan",
        "iyon",
        "jana",
        "je",
        "jego",
        "jej",
        "jest",
        "jij",
        "jodi",
        "juga",
        "jutro",
        "kahapon",
        "kami",
        "kasi",
        "kasih",
        "kay",
        "ke",
        "kesho",
        "ki",
        "kiedy",
        "kita",
        "ko",
        "kounye",
        "kwa",
        "lang",
        "las",
        "le",
        "lei",
        "leo",
        "les",
        "li",
        "lo",
        "loro",
        "los",
        "lui",
        "maar",
        "mais",
        "mal",
        "mam",
        "mas",
        "mañana",
        "mein",
        "meine",
        "merci",
        "mereka",
        "mes",
        "met",
        "meu",
        "mga",
        "mia",
        "mimi",
        "minha",
        "mio",
        "mis",
        "mit",
        "mo",
        "moja",
        "molto",
        "mon",
        "morgen",
        "mucho",
        "muito",
        "muy",
        "mwen",
        "más",
        "mèsi",
        "mój",
        "na",
        "naar",
        "nach",
        "namin",
        "nan",
        "nas",
        "natin",
        "nel",
        "nella",
        "ng",
        "ngayon",
        "ni",
        "nicht",
        "nie",
        "niet",
        "niya",
        "no",
        "noch",
        "noi",
        "non",
        "nos",
        "notre",
        "nou",
        "nous",
        "nuestro",
        "não",
        "o",
        "obrigada",
        "obrigado",
        "od",
        "oder",
        "oggi",
        "ohne",
        "omdat",
        "onde",
        "ont",
        "ontem",
        "oo",
        "ook",
        "opo",
        "os",
        "ou",
        "où",
        "par",
        "para",
        "parce",
        "pas",
        "pela",
        "pelo",
        "per",
        "perché",
        "pero",
        "più",
        "po",
        "poco",
        "por",
        "porque",
        "pou",
        "pour",
        "prima",
        "proszę",
        "przez",
        "quand",
        "quando",
        "que",
        "questa",
        "questo",
        "qui",
        "rin",
        "sa",
        "salamat",
        "sana",
        "sangat",
        "sans",
        "saya",
        "se",
        "sehr",
        "sein",
        "seine",
        "sem",
        "senza",
        "ser",
        "ses",
        "seu",
        "si",
        "sie",
        "sila",
        "sim",
        "sin",
        "sind",
        "sisi",
        "siya",
        "sobre",
        "son",
        "sono",
        "sont",
        "sous",
        "sta",
        "stato",
        "su",
        "sua",
        "sudah",
        "suis",
        "suo",
        "sur",
        "sus",
        "são",
        "są",
        "tafadhali",
        "tak",
        "también",
        "também",
        "tayo",
        "te",
        "tem",
        "tengo",
        "tenho",
        "terima",
        "tidak",
        "tiene",
        "tienen",
        "todo",
        "todos",
        "tous",
        "tout",
        "très",
        "tudo",
        "tutto",
        "têm",
        "uit",
        "um",
        "uma",
        "umas",
        "un",
        "una",
        "unas",
        "und",
        "une",
        "uno",
        "unos",
        "uns",
        "unter",
        "untuk",
        "usted",
        "vandaag",
        "vezes",
        "voi",
        "von",
        "voor",
        "votre",
        "vous",
        "w",
        "wao",
        "war",
        "was",
        "wczoraj",
        "weil",
        "wenn",
        "werden",
        "wewe",
        "wij",
        "wir",
        "wird",
        "wo",
        "y",
        "ya",
        "yang",
        "yeye",
        "yo",
        "yon",
        "z",
        "za",
        "zijn",
        "zonder",
        "zu",
        "zum",
        "zur",
        "è",
        "é",
        "était",
        "être",
        "über",
    ],
]);

/// Function words and the commonest verbs of notes: never a name or a place, even when a
/// census list has them ("Will", "May", "Don").
pub fn is_function_word(w: &str) -> bool {
    // Most words are longer than any function word: no look-up for them.
    w.len() <= MAX_FUNCTION_WORD && FUNCTION_SET.contains(w)
}

static FUNCTION_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| FUNCTION_WORDS.iter().copied().collect());

/// The function words.
pub fn function_words() -> impl Iterator<Item = &'static str> {
    FUNCTION_WORDS.iter().copied()
}

/// The longest function word, in bytes (checked by a test).
const MAX_FUNCTION_WORD: usize = 9;

// Sorted for binary search (checked by a test).
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "ago",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "aware",
    "be",
    "been",
    "before",
    "being",
    "below",
    "both",
    "but",
    "by",
    "call",
    "called",
    "calling",
    "calls",
    "came",
    "can",
    "come",
    "coming",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "don",
    "done",
    "down",
    "during",
    "each",
    "for",
    "from",
    "gave",
    "get",
    "given",
    "go",
    "going",
    "gone",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "home",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "last",
    "left",
    "many",
    "may",
    "me",
    "met",
    "more",
    "most",
    "much",
    "must",
    "my",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "per",
    "phoned",
    "present",
    "said",
    "same",
    "says",
    "she",
    "should",
    "so",
    "some",
    "spoke",
    "stated",
    "states",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "today",
    "tomorrow",
    "tonight",
    "too",
    "two",
    "under",
    "until",
    "up",
    "updated",
    "upon",
    "us",
    "very",
    "via",
    "visit",
    "visited",
    "visiting",
    "was",
    "we",
    "well",
    "went",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "yesterday",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_are_sorted() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            FUNCTION_WORDS.iter().map(|w| w.len()).max(),
            Some(MAX_FUNCTION_WORD)
        );
        assert_eq!(STEMS.iter().map(|w| w.len()).max(), Some(MAX_STEM));
        assert!(drug_shaped("metoprolol") && drug_shaped("cefepime") && !drug_shaped("monday"));
    }

    #[test]
    fn dictionaries_load() {
        let lx = get();
        assert!(lx.is_first_name("mary"));
        assert!(lx.is_surname("smith"));
        assert!(lx.is_english("house"));
        assert!(lx.is_english("houses"));
        assert!(!lx.is_english("baltimore"));
        assert!(lx.is_place("baltimore"));
        assert!(lx.is_multi_place("san diego"));
        assert!(lx.is_clinical("micu"));
        assert!(lx.max_place_words >= 2);
    }
}
