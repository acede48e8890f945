//! Generates the PHI guard's synthetic corpus: posts, handoffs, consult requests, lab
//! follow-ups and patient messages with labelled identifiers, and clean posts full of
//! eponyms, drugs, procedures and journal links. Every word is invented here or drawn from
//! the guard's own word lists (`src/lounge/phi/data/`); no clinical corpus is read.
//!
//! ```text
//! cargo run -p huddle-core --release --example phi_gen -- train 1 40000 > train.jsonl
//! cargo run -p huddle-core --release --example phi_gen -- test 2 2000 > test.jsonl
//! ```
//!
//! The same split, seed and count give the same file, byte for byte. The splits share no
//! template (every fifth template is the test split's only), no phrase of the composed
//! sentences (every fourth), and no name or place of the pools (census and GeoNames entries
//! split by line number, the world lists every fifth), so the test split measures text the
//! tagger never saw.

use std::fmt::Write as _;
use std::io::Write as _;

const FIRST: &str = include_str!("../src/lounge/phi/data/first_names.txt");
const LAST: &str = include_str!("../src/lounge/phi/data/surnames.txt");
const PLACES: &str = include_str!("../src/lounge/phi/data/us_places.txt");
const ENGLISH: &str = include_str!("../src/lounge/phi/data/english_words.txt");
const CLINICAL: &str = include_str!("../src/lounge/phi/data/clinical_terms.txt");
const MEDICAL: &str = include_str!("../src/lounge/phi/data/medical_terms.txt");

/// Given names of many origins, written for this generator (not in the census lists the
/// guard uses, so the tagger must learn context as well as membership).
const WORLD_FIRST: &[&str] = &[
    "Aaliyah",
    "Abimbola",
    "Adaeze",
    "Adebayo",
    "Aditi",
    "Afua",
    "Ahmad",
    "Aiko",
    "Aisha",
    "Akosua",
    "Alejandro",
    "Amara",
    "Anahí",
    "Anjali",
    "Arjun",
    "Ayodele",
    "Bao",
    "Bartosz",
    "Bogdan",
    "Chidi",
    "Chinonso",
    "Chioma",
    "Dagny",
    "Darnell",
    "Deepak",
    "Dmitri",
    "Duc",
    "Efua",
    "Emeka",
    "Esperanza",
    "Fatima",
    "Fernanda",
    "Folasade",
    "Giovanni",
    "Guadalupe",
    "Hamza",
    "Haruto",
    "Hyun-woo",
    "Ifeoma",
    "Imani",
    "Ingrid",
    "Jamal",
    "Ji-woo",
    "Joaquín",
    "José",
    "Kaveh",
    "Keanu",
    "Kenji",
    "Khadija",
    "Kwame",
    "Lakshmi",
    "Leilani",
    "Liang",
    "Lucía",
    "Mahmoud",
    "Malik",
    "Marisol",
    "Mei",
    "Minh",
    "Moana",
    "Mohammed",
    "Naveen",
    "Ngozi",
    "Nikhil",
    "Nnamdi",
    "Obinna",
    "Olumide",
    "Oluwaseun",
    "Parisa",
    "Pooja",
    "Priya",
    "Qiang",
    "Rahul",
    "Rashida",
    "Reza",
    "Rohan",
    "Saanvi",
    "Sakura",
    "Santiago",
    "Seo-yeon",
    "Shanice",
    "Shreya",
    "Siobhan",
    "Siddharth",
    "Sunil",
    "Tariq",
    "Thanh",
    "Tomasz",
    "Tyrone",
    "Uchenna",
    "Valentina",
    "Vikram",
    "Wei",
    "Xiomara",
    "Yasmin",
    "Yesenia",
    "Yuki",
    "Yusuf",
    "Zainab",
    "Zeynep",
    "Zhiwei",
    "Zoë",
    "Ximena",
    "Nkechi",
    "Abdirahman",
    "Ahanu",
    "Alessandro",
    "Ana Lucía",
    "Anh",
    "Aroha",
    "Asif",
    "Ayaan",
    "Bich",
    "Bilal",
    "Cao",
    "Carmela",
    "Chayton",
    "Cheng",
    "Chinedu",
    "Cosmin",
    "Dalia",
    "Dawit",
    "Dong-hyun",
    "Dorota",
    "Eero",
    "Eitan",
    "Eleni",
    "Emre",
    "Farhan",
    "Farida",
    "Fiifi",
    "Gaurav",
    "Guillermo",
    "Gulnara",
    "Habib",
    "Hana",
    "Hiroshi",
    "Hoang",
    "Ilse",
    "Inés",
    "Ioana",
    "Jacinta",
    "Jae-won",
    "Jahid",
    "Jesús",
    "Kalani",
    "Kamala",
    "Kateryna",
    "Kofi",
    "Lwazi",
    "Magdalena",
    "Makana",
    "Mariam",
    "Mateus",
    "Mbali",
    "Mehmet",
    "Milagros",
    "Min-jun",
    "Mohsen",
    "Nadia",
    "Nasrin",
    "Niamh",
    "Nilufar",
    "Nuno",
    "Oksana",
    "Olga",
    "Pania",
    "Paolo",
    "Quang",
    "Radhika",
    "Ramón",
    "Rania",
    "Rosario",
    "Sadia",
    "Saoirse",
    "Sefa",
    "Shlomo",
    "Sione",
    "Soo-ah",
    "Svetlana",
    "Takumi",
    "Tatiana",
    "Temitope",
    "Thandiwe",
    "Tupac",
    "Uzma",
    "Vusi",
    "Wanjiru",
    "Xochitl",
    "Yaw",
    "Yeon-woo",
    "Yosef",
    "Zahra",
    "Zanele",
    "Zoltan",
    "Amadou",
    "Ebo",
    "Fenna",
    "Grzegorz",
    "Hamid",
    "Iolanthe",
    "Jovita",
    "Kiri",
];

const WORLD_LAST: &[&str] = &[
    "Abdullahi",
    "Adeyemi",
    "Agarwal",
    "Akhtar",
    "Al-Masri",
    "Anand",
    "Babatunde",
    "Banerjee",
    "Bhattacharya",
    "Chaudhry",
    "Chukwu",
    "Dang",
    "Dimitrov",
    "Diallo",
    "Eze",
    "Fernández",
    "Gonçalves",
    "Haddad",
    "Hashemi",
    "Horvath",
    "Ibrahim",
    "Iyer",
    "Jankowski",
    "Kaczmarek",
    "Kapoor",
    "Khoury",
    "Kowalczyk",
    "Krishnamurthy",
    "Kuznetsova",
    "Lakshmanan",
    "Mahmoud",
    "Mbeki",
    "Mensah",
    "Mukherjee",
    "Nakamura",
    "Nwosu",
    "Obi",
    "Okafor",
    "Okonkwo",
    "Olawale",
    "Oyelaran",
    "Pham",
    "Raghunathan",
    "Rahman",
    "Ramírez",
    "Rodrigues",
    "Saeed",
    "Sato",
    "Schreiber",
    "Sen",
    "Shevchenko",
    "Srinivasan",
    "Suzuki",
    "Takahashi",
    "Tran",
    "Trivedi",
    "Tshabalala",
    "Vasquez-Ortiz",
    "Venkataraman",
    "Wójcik",
    "Yamamoto",
    "Yilmaz",
    "Zhang",
    "Zielinski",
    "O'Sullivan",
    "McAllister",
    "MacLeod",
    "Van der Berg",
    "De la Cruz",
    "St. Pierre",
    "Nguyễn",
    "Abubakar",
    "Owusu",
    "Asante",
    "Bello",
    "Abebe",
    "Acheampong",
    "Adjei",
    "Akinola",
    "Alvarado-Reyes",
    "Amoah",
    "Bảo",
    "Bao",
    "Begay",
    "Benally",
    "Bondarenko",
    "Castellanos",
    "Cerny",
    "Chatterjee",
    "Chen-Liu",
    "Choi",
    "Ciobanu",
    "Dlamini",
    "Do",
    "Dos Santos",
    "Ekwueme",
    "Fofanah",
    "Gebremedhin",
    "Ghosh",
    "Giordano",
    "Gutiérrez",
    "Hakimi",
    "Ho",
    "Hussain",
    "Iheanacho",
    "Jovanović",
    "Kahale",
    "Kamau",
    "Kariuki",
    "Kaur",
    "Kealoha",
    "Khumalo",
    "Kiplagat",
    "Kozlov",
    "Lê",
    "Lungu",
    "Mabaso",
    "Mahlangu",
    "Manalo",
    "Mascarenhas",
    "Mazur",
    "Mendoza-Ruiz",
    "Mirzaei",
    "Mohammadi",
    "Moreno",
    "Mutua",
    "Ndlovu",
    "Nikolaidis",
    "Novak",
    "Nowak",
    "Ochieng",
    "Odhiambo",
    "Ogunleye",
    "Ong",
    "Osei",
    "Pacheco",
    "Papadopoulos",
    "Park",
    "Pereira",
    "Petrov",
    "Popescu",
    "Qureshi",
    "Rossi",
    "Sánchez",
    "Santos",
    "Sharma",
    "Singh",
    "Sokolov",
    "Soto",
    "Tafesse",
    "Tesfaye",
    "Thapa",
    "Toledo",
    "Tsosie",
    "Uddin",
    "Usman",
    "Varga",
    "Vu",
    "Wangari",
    "Warsame",
    "Xu",
    "Yazzie",
    "Yusuf",
    "Zapata",
    "Zulu",
    "MacAllister",
    "McGonagall",
    "Ní Bhriain",
    "Fitzgerald-Obi",
];

const SYL_A: &[&str] = &[
    "bra", "ka", "lo", "mer", "den", "vil", "tor", "shan", "gre", "ul", "ben", "cor", "dal", "fen",
    "gar", "hol", "jas", "kel", "lin", "mor", "nal", "ost", "pel", "quin", "ros", "sel", "tam",
    "var", "wes", "yor", "zan", "ash", "bel", "cra", "dre", "ev",
];
const SYL_B: &[&str] = &[
    "ton", "ley", "wick", "ford", "berg", "stein", "ski", "ov", "ian", "ez", "elli", "son", "man",
    "ard", "ett", "ina", "ara", "ello", "ani", "ova", "ick", "ham", "by", "more",
];
const SYL_PLACE: &[&str] = &[
    "ville",
    "burg",
    "field",
    "dale",
    "port",
    "brook",
    "haven",
    "wood",
    "ton",
    " Falls",
    " Springs",
    " Heights",
    "ridge",
    "mont",
    " Junction",
    " Creek",
];

const STREET_TYPES: &[&str] = &[
    "Street",
    "St",
    "St.",
    "Avenue",
    "Ave",
    "Ave.",
    "Road",
    "Rd",
    "Rd.",
    "Lane",
    "Ln",
    "Drive",
    "Dr.",
    "Boulevard",
    "Blvd",
    "Way",
    "Court",
    "Ct",
    "Place",
    "Terrace",
    "Circle",
    "Parkway",
    "Highway",
    "Pike",
];
const FAC_HEADS: &[&str] = &[
    "Hospital",
    "Medical Center",
    "Regional Medical Center",
    "Memorial Hospital",
    "Clinic",
    "Health",
    "Nursing Home",
    "Rehab",
    "Rehabilitation Center",
    "Care Center",
    "Manor",
    "Health Center",
    "Urgent Care",
    "Family Practice",
    "Assisted Living",
    "Community Hospital",
];
const STATES: &[&str] = &[
    "MD",
    "PA",
    "NY",
    "OH",
    "TX",
    "CA",
    "FL",
    "GA",
    "NC",
    "VA",
    "IL",
    "MA",
    "NJ",
    "WA",
    "AZ",
    "Maryland",
    "Ohio",
    "Texas",
    "California",
    "Oregon",
    "Vermont",
    "Iowa",
    "Kentucky",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const NUM_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Words of medicine that look like names or places but are not: eponyms, drugs, brands,
/// procedures, trials, societies (written for this generator).
const EPONYMS: &[&str] = &[
    "Parkinson's",
    "Alzheimer's",
    "Crohn's",
    "Hashimoto's",
    "Graves'",
    "Cushing's",
    "Addison's",
    "Hodgkin",
    "Barrett's",
    "Brugada",
    "Marfan",
    "Kawasaki",
    "Guillain-Barré",
    "Wolff-Parkinson-White",
    "Raynaud's",
    "Bell's palsy",
    "Wilson's",
    "Huntington's",
    "Takotsubo",
    "Sjögren's",
    "Wernicke",
    "Korsakoff",
    "Whipple",
    "Nissen",
    "Roux-en-Y",
    "Swan-Ganz",
    "Foley",
    "Glasgow",
    "Apgar",
    "Wells",
    "Duke",
    "Framingham",
    "Child-Pugh",
    "Ranson",
    "Killip",
    "Mallampati",
    "Babinski",
    "Murphy's sign",
    "McBurney's point",
    "Virchow's triad",
    "Beck's triad",
    "Cheyne-Stokes",
    "Kussmaul",
    "Trendelenburg",
    "Seldinger",
    "Heimlich",
    "Valsalva",
    "Holter",
    "Doppler",
    "Fontan",
    "Ross",
    "Tetralogy of Fallot",
    "Kaposi",
    "Ewing",
    "Burkitt",
    "Wilms",
    "Paget's",
    "Dupuytren's",
    "Colles",
    "Bankart",
    "Hill-Sachs",
    "Stevens-Johnson",
    "Lyme",
    "Rocky Mountain spotted fever",
    "Ebstein",
    "Eisenmenger",
    "Osler",
    "Austin Flint",
    "Cabrera",
    "Brown-Séquard",
    "Lambert-Eaton",
    "Charcot",
    "Dressler",
    "Leriche",
    "Budd-Chiari",
    "Zollinger-Ellison",
    "Mallory-Weiss",
    "Boerhaave",
    "Meckel's",
    "Hirschsprung",
    "Sturge-Weber",
    "Tourette",
];
const DRUGS: &[&str] = &[
    "apixaban",
    "Eliquis",
    "rivaroxaban",
    "Xarelto",
    "warfarin",
    "Coumadin",
    "heparin",
    "enoxaparin",
    "Lovenox",
    "metoprolol",
    "carvedilol",
    "amiodarone",
    "dofetilide",
    "sotalol",
    "flecainide",
    "digoxin",
    "furosemide",
    "Lasix",
    "torsemide",
    "spironolactone",
    "sacubitril-valsartan",
    "Entresto",
    "empagliflozin",
    "Jardiance",
    "dapagliflozin",
    "Farxiga",
    "semaglutide",
    "Ozempic",
    "tirzepatide",
    "Mounjaro",
    "metformin",
    "insulin glargine",
    "Lantus",
    "atorvastatin",
    "Lipitor",
    "rosuvastatin",
    "clopidogrel",
    "Plavix",
    "ticagrelor",
    "Brilinta",
    "aspirin",
    "levetiracetam",
    "Keppra",
    "lacosamide",
    "valproate",
    "lorazepam",
    "Ativan",
    "haloperidol",
    "Haldol",
    "quetiapine",
    "Seroquel",
    "sertraline",
    "Zoloft",
    "piperacillin-tazobactam",
    "Zosyn",
    "vancomycin",
    "cefepime",
    "ceftriaxone",
    "meropenem",
    "daptomycin",
    "linezolid",
    "Paxlovid",
    "remdesivir",
    "dexamethasone",
    "prednisone",
    "methylprednisolone",
    "Solu-Medrol",
    "tacrolimus",
    "mycophenolate",
    "rituximab",
    "pembrolizumab",
    "Keytruda",
    "nivolumab",
    "Opdivo",
    "adalimumab",
    "Humira",
    "infliximab",
    "Remicade",
    "ondansetron",
    "Zofran",
    "pantoprazole",
    "Protonix",
    "oxycodone",
    "Dilaudid",
    "fentanyl",
    "ketamine",
    "propofol",
    "Precedex",
    "norepinephrine",
    "Levophed",
    "vasopressin",
    "Narcan",
    "naloxone",
    "buprenorphine",
    "Suboxone",
    "gabapentin",
    "Lyrica",
];
const PROCEDURES: &[&str] = &[
    "ablation",
    "cardioversion",
    "TAVR",
    "TEER",
    "MitraClip",
    "Watchman",
    "CABG",
    "PCI",
    "ERCP",
    "EGD",
    "colonoscopy",
    "thoracentesis",
    "paracentesis",
    "bronchoscopy",
    "EBUS",
    "lumbar puncture",
    "craniotomy",
    "thrombectomy",
    "laparoscopic cholecystectomy",
    "appendectomy",
    "Whipple",
    "Nissen fundoplication",
    "TIPS",
    "ECMO",
    "Impella",
    "intubation",
    "tracheostomy",
    "PEG placement",
    "dialysis",
    "CRRT",
    "plasmapheresis",
    "pulmonary vein isolation",
    "cryoablation",
    "pacemaker implant",
    "ICD",
    "CRT-D",
    "stenting",
    "angioplasty",
    "embolization",
    "biopsy",
    "lobectomy",
    "mastectomy",
    "radiation",
    "chemotherapy",
    "CAR-T",
    "stem cell transplant",
    "DBS",
    "ECT",
    "TMS",
];
const TRIALS: &[&str] = &[
    "PARADIGM-HF",
    "DAPA-HF",
    "EMPEROR-Reduced",
    "SPRINT",
    "ISCHEMIA",
    "CASTLE-AF",
    "EAST-AFNET 4",
    "RECOVERY",
    "ACCORD",
    "ALLHAT",
    "COMPASS",
    "ARISTOTLE",
    "ROCKET-AF",
    "RE-LY",
    "FOURIER",
    "SELECT",
    "STEP",
    "PARTNER 3",
    "COAPT",
    "DANISH",
    "STICH",
];
const SOCIETIES: &[&str] = &[
    "ACC/AHA",
    "ESC",
    "IDSA",
    "NCCN",
    "ADA",
    "KDIGO",
    "GOLD",
    "ASCO",
    "ACOG",
    "AAP",
    "ATS",
    "CHEST",
    "HRS",
    "SCAI",
    "ASA",
    "ACEP",
    "SCCM",
    "the Joint Commission",
    "CMS",
    "USPSTF",
];
const SPECIALTIES: &[&str] = &[
    "cardiology",
    "EP",
    "nephrology",
    "GI",
    "hepatology",
    "ID",
    "heme/onc",
    "neurology",
    "psychiatry",
    "palliative",
    "IR",
    "CT surgery",
    "vascular",
    "ortho",
    "urology",
    "pulm",
    "rheum",
    "endocrine",
    "geriatrics",
    "the ICU team",
    "hospitalist service",
    "ENT",
];
const JOURNAL_URLS: &[&str] = &[
    "https://www.nejm.org/doi/full/10.1056/NEJMoa{N7}",
    "https://doi.org/10.1016/S0140-6736(2{D}){N5}-{D}",
    "https://pubmed.ncbi.nlm.nih.gov/{N8}/",
    "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{N7}/",
    "https://jamanetwork.com/journals/jama/fullarticle/{N7}",
    "https://www.ahajournals.org/doi/10.1161/CIR.{N7}{N5}",
    "https://clinicaltrials.gov/study/NCT0{N7}",
    "https://academic.oup.com/cid/article/{N2}/{D}/{N4}/{N7}",
    "https://www.thelancet.com/journals/lancet/article/PIIS0140-6736({N2}){N5}-{D}/fulltext",
    "https://www.acc.org/guidelines",
    "https://www.uptodate.com/contents/atrial-fibrillation-overview",
    "https://doi.org/10.1001/jama.2023.{N5}",
    "https://www.bmj.com/content/{N3}/bmj-2023-{N6}",
    "https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD{N6}.pub{D}/full",
    "www.idsociety.org/practice-guideline/",
    "https://www.cdc.gov/mmwr/volumes/72/wr/mm72{N2}a{D}.htm",
    "https://medrxiv.org/content/10.1101/2024.{N2}.{N2}.{N8}v1",
    "https://www.mdcalc.com/calc/801/cha2ds2-vasc-score-atrial-fibrillation-stroke-risk",
    "https://litfl.com/{N2}-ecg-library/",
    "https://www.mdpi.com/2077-0383/{D}/{D}/{N2}",
    "https://emcrit.org/ibcc/{N3}/",
    "https://www.cureus.com/articles/{N6}",
    "https://bmcmedicine.biomedcentral.com/articles/10.1186/s12916-0{N2}-{N5}-{D}",
    "https://academic.oup.com/cid/article/{N2}/{D}/{N3}/{N7}",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len())]
    }
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    fn letters(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'A' + self.below(26) as u8))
            .collect()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Case {
    Mixed,
    Upper,
    Lower,
}

struct Out {
    text: String,
    spans: Vec<(usize, usize, &'static str, Option<&'static str>)>,
}

impl Out {
    fn lit(&mut self, s: &str) {
        self.text.push_str(s);
    }
    fn phi(&mut self, s: &str, kind: &'static str) {
        let start = self.text.len();
        self.text.push_str(s);
        self.spans.push((start, self.text.len(), kind, None));
    }
    fn name(&mut self, s: &str, who: &'static str) {
        let start = self.text.len();
        self.text.push_str(s);
        self.spans.push((start, self.text.len(), "NAME", Some(who)));
    }
}

struct Gen {
    rng: Rng,
    test: bool,
    first: Vec<String>,
    last: Vec<String>,
    places: Vec<String>,
    english: Vec<&'static str>,
    clinical: Vec<&'static str>,
    medical: Vec<&'static str>,
}

fn words(data: &'static str) -> Vec<&'static str> {
    data.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn title(w: &str) -> String {
    w.split(' ')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pools from the word lists, split so that train and test see different entries.
fn pool(data: &str, test: bool, max_words: usize) -> Vec<String> {
    data.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#') && l.split(' ').count() <= max_words)
        .enumerate()
        .filter(|(i, _)| (i % 7 == 3) == test)
        .map(|(_, l)| title(l))
        .collect()
}

impl Gen {
    fn new(test: bool, seed: u64) -> Gen {
        Gen {
            rng: Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED),
            test,
            first: pool(FIRST, test, 1),
            last: pool(LAST, test, 1)
                .into_iter()
                .take(if test { 6000 } else { 34000 })
                .collect(),
            places: pool(PLACES, test, 3),
            english: words(ENGLISH),
            clinical: words(CLINICAL),
            medical: words(MEDICAL),
        }
    }

    fn invented(&mut self, place: bool) -> String {
        let mut s = String::from(self.rng.pick(SYL_A));
        if self.rng.chance(0.4) {
            s.push_str(self.rng.pick(SYL_A));
        }
        s.push_str(if place {
            self.rng.pick(SYL_PLACE)
        } else {
            self.rng.pick(SYL_B)
        });
        title(&s)
    }

    fn first_name(&mut self) -> String {
        let r = self.rng.below(10);
        if r < 6 {
            let i = self.rng.below(self.first.len());
            self.first[i].clone()
        } else if r < 9 {
            // The world lists are split between train and test too.
            let xs: Vec<&str> = WORLD_FIRST
                .iter()
                .enumerate()
                .filter(|(i, _)| (i % 5 == 2) == self.test)
                .map(|(_, w)| *w)
                .collect();
            self.rng.pick(&xs).to_string()
        } else {
            self.invented(false)
        }
    }

    fn last_name(&mut self) -> String {
        let r = self.rng.below(10);
        if r < 6 {
            // Mostly the frequent ones (the census list is sorted by name, not by rank).
            let i = self.rng.below(self.last.len());
            self.last[i].clone()
        } else if r < 8 {
            let xs: Vec<&str> = WORLD_LAST
                .iter()
                .enumerate()
                .filter(|(i, _)| (i % 5 == 2) == self.test)
                .map(|(_, w)| *w)
                .collect();
            self.rng.pick(&xs).to_string()
        } else {
            let mut n = self.invented(false);
            if self.rng.chance(0.15) {
                n = format!("{n}-{}", self.invented(false));
            }
            n
        }
    }

    fn city(&mut self) -> String {
        if self.rng.chance(0.75) {
            let i = self.rng.below(self.places.len());
            self.places[i].clone()
        } else {
            self.invented(true)
        }
    }

    /// A patient's or relative's name in one of the ways people write it.
    fn person(&mut self, o: &mut Out, full_only: bool) {
        let f = self.first_name();
        let l = self.last_name();
        let r = if full_only {
            [0, 0, 0, 13, 14, 16][self.rng.below(6)]
        } else {
            self.rng.below(18)
        };
        match r {
            // (16: a full name in capitals inside mixed text was tried and left out: it
            // taught the tagger that capitalized abbreviations are names.)
            0..=3 | 16 => o.name(&format!("{f} {l}"), "patient"),
            12 => {
                // "J Smith", "J.Smith"
                let i: String = f.chars().take(1).collect();
                let sep = self.rng.pick(&[" ", ".", " "]);
                o.name(&format!("{i}{sep}{l}"), "patient")
            }
            13 => {
                // A list or a handoff: "SMITH, JOHN", "Smith, John A."
                let v = if self.rng.chance(0.6) {
                    format!("{}, {}", l.to_uppercase(), f.to_uppercase())
                } else {
                    format!("{l}, {f} {}.", self.rng.letters(1))
                };
                o.name(&v, "patient")
            }
            14 => {
                // Written by a patient or in a hurry: lower case.
                o.name(
                    &format!("{} {}", f.to_lowercase(), l.to_lowercase()),
                    "patient",
                )
            }
            15 => {
                o.lit(self.rng.pick(&["Mr. ", "Mrs. ", "Ms. ", "Miss "]));
                o.name(&format!("{f} {l}"), "patient")
            }

            17 => {
                let i: String = f.chars().take(1).collect();
                let j = self.rng.letters(1);
                o.name(&format!("{i}.{j}. {l}"), "patient")
            }
            4 => {
                let m = self.rng.letters(1);
                o.name(&format!("{f} {m}. {l}"), "patient")
            }
            5 | 6 => {
                o.lit(
                    self.rng
                        .pick(&["Mr. ", "Mrs. ", "Ms. ", "Mr ", "Mrs ", "Miss "]),
                );
                o.name(&l, "patient")
            }
            7 | 8 => o.name(&f, "patient"),
            9 => o.name(&format!("{l}, {f}"), "patient"),
            10 => {
                let i = &f[..f.char_indices().nth(1).map_or(f.len(), |(i, _)| i)];
                o.name(&format!("{i}. {l}"), "patient")
            }
            _ => o.name(&l, "patient"),
        }
    }

    fn clinician(&mut self, o: &mut Out) {
        let l = self.last_name();
        match self.rng.below(6) {
            0 | 1 => {
                o.lit(self.rng.pick(&["Dr. ", "Dr ", "dr. "]));
                o.name(&l, "clinician")
            }
            2 => {
                let f = self.first_name();
                o.lit("Dr. ");
                o.name(&format!("{f} {l}"), "clinician")
            }
            3 => {
                let f = self.first_name();
                o.name(&format!("{f} {l}"), "clinician");
                o.lit(
                    self.rng
                        .pick(&[", MD", ", NP", " RN", ", PA-C", " (fellow)", ", DO"]),
                )
            }
            4 => {
                o.lit(self.rng.pick(&["NP ", "RN ", "PA ", "nurse ", "Nurse "]));
                let f = self.first_name();
                o.name(&f, "clinician")
            }
            _ => {
                o.lit("Dr. ");
                o.name(&l, "clinician");
                o.lit("'s")
            }
        }
    }

    fn facility(&mut self, o: &mut Out) {
        let head = self.rng.pick(FAC_HEADS);
        let name = match self.rng.below(6) {
            0 | 1 => self.city(),
            2 => self.last_name(),
            3 => format!("St. {}", self.first_name()),
            4 => format!("Saint {}", self.first_name()),
            _ => format!(
                "{} {}",
                self.city(),
                self.rng.pick(&["General", "County", "Valley", "Memorial"])
            ),
        };
        if self.rng.chance(0.15) {
            o.lit("the ");
        }
        o.phi(&name, "LOCATION");
        o.lit(" ");
        o.lit(head);
    }

    fn street(&mut self, o: &mut Out) {
        let num = self.rng.range(1, 9999).to_string();
        let name = match self.rng.below(5) {
            0 => self.last_name(),
            1 => self.city(),
            2 => self
                .rng
                .pick(&[
                    "Oak",
                    "Maple",
                    "Pine",
                    "Elm",
                    "Cedar",
                    "Main",
                    "Church",
                    "Park",
                    "Lake",
                    "Hill",
                    "Mill",
                    "Spring",
                    "Washington",
                    "Lincoln",
                    "Sunset",
                ])
                .to_string(),
            3 => {
                let n = self.rng.range(4, 99);
                format!("{n}{}", ordinal(n))
            }
            _ => format!(
                "{} {}",
                self.rng.pick(&["N.", "S.", "East", "West", "Old"]),
                self.last_name()
            ),
        };
        let st = self.rng.pick(STREET_TYPES);
        let mut s = format!("{num} {name} {st}");
        if self.rng.chance(0.2) {
            let _ = write!(
                s,
                ", {} {}",
                self.rng.pick(&["Apt", "Apt.", "Unit", "#", "Suite"]),
                self.rng.range(1, 40)
            );
        }
        o.phi(&s, "ADDRESS");
    }

    fn zip(&mut self) -> String {
        let z = format!("{:05}", self.rng.range(1001, 99950));
        if self.rng.chance(0.2) {
            format!("{z}-{}", self.rng.digits(4))
        } else {
            z
        }
    }

    fn date(&mut self) -> String {
        let y = self.rng.range(1990, 2026);
        let m = self.rng.range(1, 12);
        let d = self.rng.range(1, 28);
        let mon = MONTHS[m as usize - 1];
        let short = &mon[..3];
        match self.rng.below(14) {
            0 => format!("{m}/{d}/{y}"),
            1 => format!("{m:02}/{d:02}/{:02}", y % 100),
            2 => format!("{m}/{d}"),
            3 => format!("{m}-{d}-{y}"),
            4 => format!("{y}-{m:02}-{d:02}"),
            5 => format!("{mon} {d}, {y}"),
            6 => format!("{short} {d}"),
            7 => format!("{d} {mon} {y}"),
            8 => format!("{mon} {d}{}", ordinal(d)),
            9 => format!("the {d}{} of {mon}", ordinal(d)),
            10 => format!("{short}. {d}"),
            11 => format!("{d}.{m:02}.{y}"),
            12 => format!("{m}/{d}/{:02}", y % 100),
            _ => format!("{mon} {y}"),
        }
    }

    fn age_words(&mut self, n: u32) -> String {
        if n < 20 {
            NUM_WORDS[n as usize].to_string()
        } else if n < 100 {
            let t = TENS[(n / 10) as usize];
            if n.is_multiple_of(10) {
                t.to_string()
            } else {
                format!("{t}-{}", NUM_WORDS[(n % 10) as usize])
            }
        } else {
            format!("one hundred {}", NUM_WORDS[(n % 100).min(19) as usize])
        }
    }

    /// An age in one of many forms; over 89 it is PHI (the number only).
    fn age(&mut self, o: &mut Out, old: bool) {
        let n = if old {
            self.rng.range(90, 106)
        } else {
            self.rng.range(18, 89)
        };
        let words = self.rng.chance(0.15);
        let v = if words && n < 100 {
            self.age_words(n)
        } else {
            n.to_string()
        };
        let form = self.rng.below(24);
        let (pre, post, tail) = if form >= 13 && !words {
            match form {
                13 => ("at the age of ", "", ""),
                14 => ("", " years of age", ""),
                15 => ("", "yF", ""),
                16 => ("", " y.o.", ""),
                17 => ("she is ", " and", ""),
                18 => ("turned ", " last month", ""),
                19 => ("", "-y/o", ""),
                20 => ("", " yrs", ""),
                21 => ("", "yM", ""),
                22 => ("", " yo female", ""),
                _ => ("celebrated her ", ordinal(n), " birthday"),
            }
        } else {
            let (pre, post) = match self.rng.below(13) {
                0 => ("", " yo"),
                1 => ("", "-year-old"),
                2 => ("", " y/o"),
                3 => ("aged ", ""),
                4 => ("age ", ""),
                5 => ("", "yo"),
                6 => ("", " years old"),
                7 => ("", "M"),
                8 => ("", " F"),
                9 => ("", "yoF"),
                10 => ("", " year old"),
                11 => ("age: ", ""),
                _ => ("", "-yr-old"),
            };
            if words && (post == "M" || post == "yoF" || post == "yo") {
                ("", "-year-old", "")
            } else {
                (pre, post, "")
            }
        };
        o.lit(pre);
        if old {
            o.phi(&v, "AGE");
        } else {
            o.lit(&v);
        }
        o.lit(post);
        o.lit(tail);
    }

    fn phone(&mut self) -> String {
        let a = self.rng.range(201, 989);
        let b = self.rng.range(200, 999);
        let c = self.rng.digits(4);
        match self.rng.below(8) {
            0 => format!("({a}) {b}-{c}"),
            1 => format!("{a}-{b}-{c}"),
            2 => format!("{a}.{b}.{c}"),
            3 => format!("{a}{b}{c}"),
            4 => format!("+1 {a} {b} {c}"),
            5 => format!("{b}-{c}"),
            6 => format!("{a}-{b}-{c} ext. {}", self.rng.range(10, 9999)),
            _ => format!("{a} {b} {c}"),
        }
    }

    fn ident(&mut self) -> String {
        match self.rng.below(6) {
            0 => {
                let n = self.rng.range(6, 10) as usize;
                self.rng.digits(n)
            }
            1 => format!("{}{}", self.rng.letters(1), self.rng.digits(7)),
            2 => format!("{}-{}", self.rng.digits(3), self.rng.digits(5)),
            3 => format!("{}{}", self.rng.letters(3), self.rng.digits(9)),
            4 => format!(
                "{}-{}-{}",
                self.rng.digits(2),
                self.rng.digits(3),
                self.rng.digits(4)
            ),
            _ => self.rng.digits(8),
        }
    }

    fn url_of_journal(&mut self) -> String {
        let t = self.rng.pick(JOURNAL_URLS).to_string();
        let mut s = String::new();
        let mut rest = t.as_str();
        while let Some(i) = rest.find('{') {
            s.push_str(&rest[..i]);
            let Some(j) = rest[i..].find('}') else { break };
            let key = &rest[i + 1..i + j];
            let n = match key {
                "D" => 1,
                k => k.trim_start_matches('N').parse().unwrap_or(4),
            };
            s.push_str(&self.rng.digits(n));
            rest = &rest[i + j + 1..];
        }
        s.push_str(rest);
        s
    }

    /// A word of clinical shorthand or plain English, sometimes misspelt or made up: what
    /// fills notes around the identifiers and must be left alone.
    fn noise_word(&mut self) -> String {
        let w = match self.rng.below(27) {
            23..=26 => {
                // An unknown token: a misspelt or run-together word, jargon, a code.
                let i = self.rng.below(self.english.len());
                let j = self.rng.below(self.medical.len());
                let (a, b) = (self.english[i], self.medical[j]);
                match self.rng.below(4) {
                    0 => format!(
                        "{}{}",
                        &a[..a.len().min(3)],
                        &b[b.len().min(3).min(b.len())..]
                            .chars()
                            .take(4)
                            .collect::<String>()
                    ),
                    1 => {
                        let mut c: Vec<char> = b.chars().collect();
                        if c.len() > 3 {
                            let k = self.rng.below(c.len() - 1);
                            c.swap(k, k + 1);
                        }
                        c.into_iter().collect()
                    }
                    2 => {
                        let n = self.rng.range(2, 5) as usize;
                        let mut x = self.rng.letters(n);
                        x.make_ascii_lowercase();
                        x
                    }
                    _ => format!(
                        "{}{}",
                        &a[..a.len().min(4)],
                        self.rng.pick(&["ed", "ing", "s", "ly", "er", "al"])
                    ),
                }
            }
            20..=22 => {
                // A clipped word, as notes abbreviate ("resp", "cont", "abd", "neuro").
                let i = self.rng.below(self.english.len());
                let w = self.english[i];
                let n = self.rng.range(3, 5) as usize;
                w.chars().take(n).collect()
            }
            0..=5 => {
                let i = self.rng.below(self.english.len());
                self.english[i].to_string()
            }
            6..=8 => {
                let i = self.rng.below(self.clinical.len());
                self.clinical[i].to_string()
            }
            9..=11 => {
                let i = self.rng.below(self.medical.len());
                self.medical[i].to_string()
            }
            12 => {
                let n = self.rng.range(2, 4) as usize;
                self.rng.letters(n)
            }
            13 => {
                // A misspelt English word: one letter dropped or doubled.
                let w = {
                    let i = self.rng.below(self.english.len());
                    self.english[i].to_string()
                };
                let mut c: Vec<char> = w.chars().collect();
                if c.len() > 4 {
                    let i = self.rng.below(c.len() - 1) + 1;
                    if self.rng.chance(0.5) {
                        c.remove(i);
                    } else {
                        let x = c[i];
                        c.insert(i, x);
                    }
                }
                c.into_iter().collect()
            }
            14 => format!(
                "{} {}",
                self.rng.range(1, 500),
                self.rng.pick(&[
                    "mg", "mcg", "units", "cc", "ml", "L", "mEq", "%", "mmHg", "cc/hr", "x2",
                    "q6h", "prn"
                ])
            ),
            15 => format!("{}/{}", self.rng.range(1, 200), self.rng.range(1, 120)),
            16 => self.rng.pick(DRUGS).to_string(),
            17 => self.rng.pick(PROCEDURES).to_string(),
            18 => self.rng.pick(EPONYMS).to_string(),
            _ => format!("{}.{}", self.rng.range(0, 150), self.rng.range(0, 9)),
        };
        match self.rng.below(6) {
            0 | 1 => title(&w),
            2 => w.to_uppercase(),
            _ => w,
        }
    }

    /// A run of shorthand ("NEURO: A+OX3, MAE. resp LS clear, O2 2L NC.").
    fn shorthand(&mut self, o: &mut Out) {
        let n = self.rng.range(3, 14);
        for k in 0..n {
            if k > 0 {
                o.lit(self.rng.pick(&[
                    " ", " ", " ", ", ", ". ", "; ", " - ", ": ", "/", " (", ") ",
                ]));
            }
            let w = self.noise_word();
            o.lit(&w);
        }
        o.lit(self.rng.pick(&[".", "", ".", ";"]));
    }

    /// Picks from a phrase list, the train and test splits using different entries.
    fn phrase(&mut self, xs: &[&'static str]) -> &'static str {
        let test = self.test;
        let ys: Vec<&'static str> = xs
            .iter()
            .enumerate()
            .filter(|(i, _)| (i % 4 == 1) == test)
            .map(|(_, x)| *x)
            .collect();
        if ys.is_empty() {
            self.rng.pick(xs)
        } else {
            self.rng.pick(&ys)
        }
    }

    /// A sentence put together from parts: a name (or a place) with what is said of it.
    fn compose(&mut self, o: &mut Out) {
        match self.rng.below(11) {
            8 => {
                self.person(o, false);
                o.lit(self.rng.pick(&[", ", " - ", " ("]));
                let old = self.rng.chance(0.3);
                self.age(o, old);
                o.lit(self.rng.pick(&[", ", ") ", " "]));
                let pred = self.phrase(SUBJ_PRED);
                o.lit(pred);
                o.lit(" ");
            }
            9 => {
                let pre = self.phrase(PRE_OBJ);
                o.lit(pre);
                o.lit(" ");
                self.person(o, false);
                o.lit(self.rng.pick(&[" and ", " & ", ", "]));
                let rel = self.phrase(RELATIONS);
                o.lit("her ");
                o.lit(rel);
                o.lit(" ");
                self.person(o, false);
                o.lit(". ");
            }
            10 => {
                self.person(o, false);
                o.lit(self.rng.pick(&[" (", ", "]));
                let rel = self.phrase(RELATIONS);
                o.lit(self.rng.pick(&["pt's ", "patient's ", "his ", "her ", ""]));
                o.lit(rel);
                o.lit(self.rng.pick(&[") ", ", "]));
                let pred = self.phrase(SUBJ_PRED);
                o.lit(pred);
                o.lit(" ");
            }
            0 | 1 => {
                let pre = self.phrase(PRE_OBJ);
                o.lit(pre);
                o.lit(" ");
                self.person(o, false);
                o.lit(self.rng.pick(&[" ", ", ", ". ", " - ", " today ", " re: "]));
            }
            2 | 3 => {
                self.person(o, false);
                o.lit(" ");
                let pred = self.phrase(SUBJ_PRED);
                o.lit(pred);
                o.lit(" ");
            }
            4 => {
                let pre = self.phrase(PRE_OBJ);
                o.lit(pre);
                o.lit(" ");
                self.person(o, false);
                o.lit("'s ");
                let rel = self.phrase(RELATIONS);
                o.lit(rel);
                o.lit(self.rng.pick(&[" ", ", ", " (", " "]));
                self.person(o, false);
                o.lit(self.rng.pick(&[" ", ", ", ") ", ". "]));
            }
            5 => {
                let poss = self.rng.pick(&[
                    "Her ",
                    "His ",
                    "The patient's ",
                    "Pt's ",
                    "Their ",
                    "my patient's ",
                    "",
                ]);
                o.lit(poss);
                let rel = self.phrase(RELATIONS);
                o.lit(rel);
                o.lit(self.rng.pick(&[" ", ", ", " "]));
                self.person(o, false);
                o.lit(" ");
                let pred = self.phrase(SUBJ_PRED);
                o.lit(pred);
                o.lit(" ");
            }
            6 => {
                let subj = self.rng.pick(&[
                    "She ",
                    "He ",
                    "The patient ",
                    "Pt ",
                    "They ",
                    "Family ",
                    "Her husband ",
                    "Our patient ",
                ]);
                o.lit(subj);
                let pre = self.phrase(PLACE_PRE);
                o.lit(pre);
                o.lit(" ");
                if self.rng.chance(0.6) {
                    let c = self.city();
                    o.phi(&c, "LOCATION");
                } else {
                    self.facility(o);
                }
                o.lit(self.rng.pick(&[". ", ", ", " ", " and "]));
            }
            _ => {
                self.person(o, false);
                o.lit(" ");
                let pre = self.phrase(PLACE_PRE);
                o.lit(pre);
                o.lit(" ");
                let c = self.city();
                o.phi(&c, "LOCATION");
                o.lit(self.rng.pick(&[". ", ", ", " "]));
            }
        }
        match self.rng.below(5) {
            0 => self.shorthand(o),
            1 => {
                let t = self.rng.pick(CLEAN_TEMPLATES);
                self.fill(o, t)
            }
            2 => {
                o.lit("on ");
                let d = self.date();
                o.phi(&d, "DATE");
                o.lit(".")
            }
            _ => o.lit("."),
        }
    }

    /// Fills one template. Slots: see the match below.
    fn fill(&mut self, o: &mut Out, template: &str) {
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            o.lit(&rest[..i]);
            let Some(j) = rest[i..].find('}') else { break };
            let slot = &rest[i + 1..i + j];
            rest = &rest[i + j + 1..];
            self.slot(o, slot);
        }
        o.lit(rest);
    }

    fn slot(&mut self, o: &mut Out, slot: &str) {
        match slot {
            "PT" => self.person(o, false),
            "PTFULL" => self.person(o, true),
            "FIRST" => {
                let f = self.first_name();
                o.name(&f, "patient")
            }
            "LAST" => {
                let l = self.last_name();
                o.name(&l, "patient")
            }
            "DR" => self.clinician(o),
            "CITY" => {
                let c = self.city();
                o.phi(&c, "LOCATION")
            }
            "FAC" => self.facility(o),
            "ADDR" => self.street(o),
            "ZIP" => {
                let z = self.zip();
                o.phi(&z, "ZIP")
            }
            "ST" => o.lit(self.rng.pick(STATES)),
            "CSZ" => {
                let c = self.city();
                o.phi(&c, "LOCATION");
                match self.rng.below(5) {
                    0 => o.lit(" "),
                    1 => {
                        o.lit(", ");
                        o.lit(self.rng.pick(STATES));
                        o.lit("\n")
                    }
                    2 => {
                        o.lit(", ");
                        o.lit(&self.rng.pick(STATES).to_lowercase());
                        o.lit(" ")
                    }
                    _ => {
                        o.lit(", ");
                        o.lit(self.rng.pick(STATES));
                        o.lit(" ")
                    }
                }
                let z = self.zip();
                o.phi(&z, "ZIP")
            }
            "ZIPQ" => {
                // A ZIP code alone, with what says it is one.
                let (pre, post) = *self.rng.pick(&[
                    &("zip code is ", ""),
                    &("ZIP: ", ""),
                    &("zip ", ""),
                    &("postal code ", ""),
                    &("lives in ", ""),
                    &("the ", " area"),
                    &("zipcode ", ""),
                    &("ZIP code of ", ""),
                ]);
                o.lit(pre);
                let z = self.zip();
                o.phi(&z, "ZIP");
                o.lit(post)
            }
            "DATE" => {
                let d = self.date();
                o.phi(&d, "DATE")
            }
            "YEAR" => {
                let y = self.rng.range(1975, 2025).to_string();
                o.lit(&y)
            }
            "OLD" => self.age(o, true),
            "OLDN" => {
                let n = self.rng.range(90, 104).to_string();
                o.phi(&n, "AGE")
            }
            "AGEN" => {
                let n = self.rng.range(18, 89).to_string();
                o.lit(&n)
            }
            "AGE" => self.age(o, false),
            "PHONE" => {
                let p = self.phone();
                o.phi(&p, "PHONE")
            }
            "MRN" => {
                let kw = self.rng.pick(&[
                    "MRN ",
                    "MRN: ",
                    "MRN#",
                    "MR# ",
                    "medical record number ",
                    "med rec # ",
                    "chart #",
                    "record no. ",
                    "hospital number ",
                    "MRN is ",
                ]);
                o.lit(kw);
                let v = self.ident();
                o.phi(&v, "MRN")
            }
            "ACCT" => {
                if self.rng.chance(0.3) {
                    let kw = self.rng.pick(&[
                        "acct ending in ",
                        "FIN ",
                        "CSN ",
                        "HAR# ",
                        "Medicare MBI ",
                        "account ending ",
                        "encounter # ",
                        "guarantor ID ",
                        "card number ",
                        "member ID: ",
                    ]);
                    o.lit(kw);
                    let v = match self.rng.below(4) {
                        0 => self.rng.digits(4),
                        1 => format!(
                            "{}{}{}{}-{}{}{}-{}{}{}{}",
                            self.rng.digits(1),
                            self.rng.letters(2),
                            self.rng.digits(1),
                            self.rng.letters(1),
                            self.rng.letters(1),
                            self.rng.digits(1),
                            self.rng.letters(1),
                            self.rng.letters(1),
                            self.rng.letters(1),
                            self.rng.digits(1),
                            self.rng.digits(1)
                        ),
                        2 => format!(
                            "{} {} {}",
                            self.rng.digits(4),
                            self.rng.digits(4),
                            self.rng.digits(4)
                        ),
                        _ => self.rng.digits(9),
                    };
                    o.phi(&v, "ACCOUNT");
                    return;
                }
                let kw = self.rng.pick(&[
                    "account ",
                    "acct #",
                    "account number ",
                    "member ID ",
                    "policy # ",
                    "insurance ID ",
                    "Medicaid # ",
                    "Medicare ID ",
                    "billing acct ",
                    "subscriber ID ",
                    "plan ID: ",
                    "claim number ",
                ]);
                o.lit(kw);
                let v = match self.rng.below(3) {
                    0 => format!("{}{}", self.rng.letters(3), self.rng.digits(9)),
                    1 => {
                        let n = self.rng.range(7, 12) as usize;
                        self.rng.digits(n)
                    }
                    _ => format!(
                        "{}{}-{}",
                        self.rng.letters(1),
                        self.rng.digits(4),
                        self.rng.digits(4)
                    ),
                };
                o.phi(&v, "ACCOUNT")
            }
            "LIC" => {
                let kw = self.rng.pick(&[
                    "driver's license ",
                    "license # ",
                    "licence no. ",
                    "DL# ",
                    "certificate number ",
                    "license plate ",
                    "CDL ",
                ]);
                o.lit(kw);
                let (a, b) = (self.rng.range(1, 2) as usize, self.rng.range(6, 8) as usize);
                let v = format!("{}{}", self.rng.letters(a), self.rng.digits(b));
                o.phi(&v, "LICENSE")
            }
            "SSN" => {
                let v = match self.rng.below(3) {
                    0 => format!(
                        "{}-{}-{}",
                        self.rng.digits(3),
                        self.rng.digits(2),
                        self.rng.digits(4)
                    ),
                    1 => self.rng.digits(9),
                    _ => format!(
                        "{} {} {}",
                        self.rng.digits(3),
                        self.rng.digits(2),
                        self.rng.digits(4)
                    ),
                };
                o.lit(
                    self.rng
                        .pick(&["SSN ", "SSN: ", "social security number ", "SS# "]),
                );
                o.phi(&v, "SSN")
            }
            "EMAIL" => {
                let f = self.first_name().to_lowercase();
                let l = self.last_name().to_lowercase().replace([' ', '\''], "");
                let dom = self.rng.pick(&[
                    "gmail.com",
                    "yahoo.com",
                    "hotmail.com",
                    "aol.com",
                    "outlook.com",
                    "icloud.com",
                    "comcast.net",
                ]);
                let sep = self.rng.pick(&[".", "_", "", "."]);
                let n = if self.rng.chance(0.4) {
                    self.rng.digits(2)
                } else {
                    String::new()
                };
                o.phi(&format!("{f}{sep}{l}{n}@{dom}"), "EMAIL")
            }
            "URLP" => {
                let f = self.first_name().to_lowercase();
                let l = self.last_name().to_lowercase().replace([' ', '\''], "");
                let u = match self.rng.below(4) {
                    0 => format!("https://www.facebook.com/{f}.{l}"),
                    1 => format!("gofundme.com/f/help-{f}-{l}-recover"),
                    2 => format!("https://www.instagram.com/{f}_{l}{}", self.rng.digits(2)),
                    _ => format!("https://caringbridge.org/visit/{f}{l}"),
                };
                o.phi(&u, "URL")
            }
            "URLJ" => {
                let u = self.url_of_journal();
                o.lit(&u)
            }
            "DEV" => {
                let kw = self.rng.pick(&[
                    "serial number ",
                    "pacemaker serial ",
                    "device ID ",
                    "VIN ",
                    "S/N ",
                ]);
                o.lit(kw);
                let v = format!("{}{}", self.rng.letters(3), self.rng.digits(6));
                o.phi(&v, "ID")
            }
            "IP" => {
                let v = format!(
                    "{}.{}.{}.{}",
                    self.rng.range(10, 223),
                    self.rng.range(0, 255),
                    self.rng.range(0, 255),
                    self.rng.range(1, 254)
                );
                o.phi(&v, "IP")
            }
            "EMP" => {
                let n = if self.rng.chance(0.5) {
                    self.last_name()
                } else {
                    self.city()
                };
                o.phi(&n, "LOCATION");
                o.lit(self.rng.pick(&[
                    " Hardware",
                    " Logistics",
                    " Foods",
                    " Trucking",
                    " Elementary",
                    " Auto Body",
                    " Dental",
                    " Bakery",
                ]))
            }
            "REL" => {
                let r = self.phrase(RELATIONS);
                o.lit(r)
            }
            "SEX" => o.lit(
                self.rng
                    .pick(&["M", "F", "F", "M", " M", " F", "yo M", "yoF"]),
            ),
            "ROOM" => {
                // Where a handoff line starts: a bed, a room, a list number or a bullet.
                let n = self.rng.range(1, 40);
                let room = self.rng.range(100, 4999);
                let s = match self.rng.below(9) {
                    0 => format!("Rm {room}"),
                    1 => format!("bed {n}:"),
                    2 => format!("Bed {n} -"),
                    3 => format!("{room}{} \u{2014}", self.rng.pick(&["A", "B", ""])),
                    4 => format!("{n}."),
                    5 => format!("- {room}"),
                    6 => format!("R{n}"),
                    7 => format!("\u{2022} Rm {room}:"),
                    _ => format!("{n} -"),
                };
                o.lit(&s)
            }
            "EPONYM" => o.lit(self.rng.pick(EPONYMS)),
            "DRUG" => o.lit(self.rng.pick(DRUGS)),
            "PROC" => o.lit(self.rng.pick(PROCEDURES)),
            "TRIAL" => o.lit(self.rng.pick(TRIALS)),
            "SOC" => o.lit(self.rng.pick(SOCIETIES)),
            "SPEC" => o.lit(self.rng.pick(SPECIALTIES)),
            "SH" => self.shorthand(o),
            "COMPOSE" => self.compose(o),
            "N" => {
                let n = self.rng.range(2, 60).to_string();
                o.lit(&n)
            }
            "LAB" => {
                let s = match self.rng.below(6) {
                    0 => format!("K {}.{}", self.rng.range(2, 6), self.rng.digits(1)),
                    1 => format!("Cr {}.{}", self.rng.range(0, 5), self.rng.digits(1)),
                    2 => format!("BP {}/{}", self.rng.range(85, 190), self.rng.range(40, 110)),
                    3 => format!("troponin {}", self.rng.range(5, 900)),
                    4 => format!("INR {}.{}", self.rng.range(1, 4), self.rng.digits(1)),
                    _ => format!("EF {}%", self.rng.range(15, 65)),
                };
                o.lit(&s)
            }
            other => o.lit(other),
        }
    }
}

fn ordinal(d: u32) -> &'static str {
    match (d % 10, d % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    }
}

/// Sentences with identifiers, of every style the lounge sees.
const PHI_TEMPLATES: &[&str] = &[
    // forum posts
    "Curious case: {AGE} man, {PT}, came in from {CITY} with new AF and a {LAB}.",
    "Had a patient, {PT}, {OLDN} years old, who declined {PROC} after a long talk.",
    "My patient {PT} ({OLDN} yo) was admitted {DATE} with syncope; {LAB}.",
    "We saw {PT} at {FAC} on {DATE} for recurrent VT despite {DRUG}.",
    "Anyone else see this? {PT} from {CITY} presented with {EPONYM} features at {OLD}.",
    "{PTFULL} is a {OLDN}-year-old with HFrEF who keeps bouncing back.",
    "The family ({PT}'s daughter {FIRST}) asked whether {PROC} made sense at his age.",
    "Posting for advice about {PT}, seen in clinic {DATE}, on {DRUG} with {LAB}.",
    "Would you anticoagulate {PT}? {OLDN} yo, CHA2DS2-VASc 6, fell twice at home.",
    "Long-time patient {PTFULL} passed away on {DATE}; still thinking about it.",
    // handoffs
    "HANDOFF: {PT}, bed 12, {AGEN} F, s/p {PROC} {DATE}. Watch {LAB}. Wife {FIRST} at {PHONE}.",
    "Sign-out: {PT} in 4B, MRN {MRN}, NPO after midnight for {PROC}.",
    "To night team: {PT} ({MRN}) needs repeat {LAB} at 2200; son {PTFULL} is HCP, cell {PHONE}.",
    "{PT} transferred from {FAC} {DATE}, {OLDN}M, on {DRUG} drip.",
    "Admit: {OLDN} yo from {FAC}, daughter {PT} will call back at {PHONE}.",
    "pt {PT} lives alone at {ADDR}, {CSZ}; neighbor checks on her.",
    "Dispo: back to {FAC} once cleared; case manager faxing to {PHONE}.",
    "Overnight: {PT} agitated, got {DRUG}; {DR} aware. Sister {PTFULL} updated.",
    // consult requests
    "Consult request: {SPEC} to see {PT}, {MRN}, for {EPONYM} workup; admitted {DATE}.",
    "Please see {PTFULL} (DOB {DATE}) in room 14 re: {PROC} candidacy.",
    "Reason for consult: {AGEN} year old {PT}, {ACCT}, needs clearance before {PROC}.",
    "Requesting {SPEC} input on {PT} from {CITY}, {ST}; {LAB} trending up.",
    "Curbside: patient {PT} at {FAC} on {DRUG}, {OLDN} years old, asking about {PROC}.",
    // lab follow-ups
    "Lab follow-up: {PT}, {MRN}, specimen from {DATE} shows {LAB}; call {PHONE}.",
    "Result callback for {PTFULL} (DOB {DATE}): {LAB}, please repeat.",
    "Pathology on {PT} came back {DATE}; her {ACCT} was billed twice.",
    "Critical value: {PT}, {OLDN} y/o, {LAB}, reached daughter {FIRST} at {PHONE}.",
    // patient messages
    "Message from patient: Hi, this is {PTFULL}, my number is {PHONE} and I live at {ADDR}.",
    "Patient portal: {PT} writes that her insurance changed, new {ACCT}.",
    "Pt email {EMAIL}: asking for refill of {DRUG} before {DATE}.",
    "{PT} says her {LIC} expired and she cannot drive to {FAC} anymore.",
    "His SSN on file is wrong, {SSN}; he is {PTFULL}, born {DATE}.",
    "Family set up {URLP} for {PT}'s rehab costs.",
    "Pacemaker check for {PT}: {DEV}, remote transmission from {IP}.",
    "{PT} works at {EMP} in {CITY} and wants a note for {DATE}.",
    "Mother {PTFULL} ({OLD}) lives in {CITY} and has no ride to {PROC}.",
    "Grandson {FIRST} called from {PHONE} about {PT}'s discharge on {DATE}.",
    "Dear {DR}, this is {PTFULL}. My husband {FIRST} can be reached at {EMAIL}.",
    // nursing shorthand
    "{OLDN} YO F ADMITTED {DATE} FROM {FAC}. HUSBAND {PT} IN TO VISIT.",
    "pt seen by {DR}, son {FIRST} called, plan d/c to {CITY} {DATE}.",
    "Neuro: A+Ox3. Family: wife {PTFULL} (cell {PHONE}) aware of plan.",
    "Social: lives with daughter {FIRST} in {CITY}; {AGEN} years old; retired from {EMP}.",
    "SW note: pt's address {ADDR}, {CSZ}; emergency contact {PTFULL} {PHONE}.",
    "Home: {ADDR}, zip {ZIP}. {PT} prefers Spanish.",
    "Patient {PT} was seen today.",
    "Saw {PT} again {DATE}.",
    "{PTFULL}, {OLD}, is doing better.",
    "Spoke with {PT}'s wife {FIRST} and brother {PTFULL}.",
    "{PT} ({AGEN}M) from {CITY} had {PROC} at {FAC}.",
    "{FIRST} was admitted overnight with DKA; {LAB}.",
    "{LAST} is back again, third admission this month.",
    "{PT} - {OLD} - fell at home, on {DRUG}.",
    "Anyone have experience with this? {PTFULL}, {OLD}, lives at {ADDR}, {CSZ}.",
    "Quick question re {PT}: {AGEN} yo on {DRUG}, {LAB}. Would you stop it?",
    "HANDOFF\n1. {PT} ({OLD}) - {EPONYM}, {LAB}\n2. {PT} - s/p {PROC}, home when {LAB}",
    "Bed 7: {PT}, {ACCT}, family wants update, call {PHONE}.",
    "Overnight events: {FIRST} pulled her line; {DR} replaced it. Husband {FIRST} at bedside.",
    "Consult: {SPEC}. Pt: {PT}. MRN {MRN}. Q: {PROC} vs {DRUG}? Lives in {CITY}, {ZIPQ}.",
    "Please see {PT} today, {OLD}, transferred from {FAC} for {PROC} eval.",
    "Lab f/u: {PT}'s {LAB} from {DATE} needs a call; home phone {PHONE}, {ACCT}.",
    "Follow-up on {PTFULL}: {LAB} improved, {ZIPQ} for the home health referral.",
    "Msg from pt: hi dr, its {PTFULL}, i moved to {CITY}, my new zip is {ZIP} and {ACCT}",
    "Hello, this is {FIRST}, {PT}'s daughter. Mom is {OLD} and confused since {DATE}.",
    "Portal: {PTFULL} asks to send records to {FAC}, fax {PHONE}.",
    "{PT}, {OLDN}, from {CITY}; {ACCT}; {LIC}.",
    "Can someone cover {PT}? {OLD}, {EPONYM} flare, at {FAC} until {DATE}.",
    "{FIRST} {LAST} ({OLDN}) called about her {DRUG} refill.",
    "Pt {LAST}, {FIRST} - DOB {DATE} - {ACCT}.",
    "Forum: had a {OLD} patient from {CITY} with {EPONYM}; family ({PT}) refused {PROC}.",
    "Update: {PT} went home to {CITY} {DATE}, follows with {DR}.",
    "Handoff to nights: {PT} in 12, {OLD}, {MRN}, son {FIRST} HCP.",
    "Consult req: {PTFULL}, {ZIPQ}, needs {PROC}; insurance {ACCT}.",
    "Callback: {PT} ({PHONE}) re {LAB}; mailing address {ADDR}, {CSZ}.",
    "{PTFULL} wrote: my daughter {FIRST} can pick up the forms, {ZIPQ}.",
    // handoff lists, one patient a line
    "Sign-out, nights\n{ROOM} {LAST} {AGEN}{SEX} {EPONYM}, {LAB}\n{ROOM} {LAST} {AGEN}{SEX} s/p {PROC}, on {DRUG}",
    "{ROOM} {LAST}, {FIRST} {AGEN}{SEX} - {LAB}, f/u {PROC} in AM",
    "{ROOM} {LAST} {OLDN}{SEX}, poor PO, hospice consult Monday\n{ROOM} {LAST} {PROC} POD2, drain out",
    "Night list:\n{ROOM} {LAST} - {PROC} POD1, pain ok\n{ROOM} {PT} - {LAB}, recheck at 0400",
    "SIGN OUT\n{ROOM} {LAST}, {FIRST} {AGEN}{SEX} {EPONYM} - on {DRUG}, {LAB}\n{ROOM} no name yet, {AGEN}{SEX} chest pain",
    "ED boarders:\n{ROOM} {PT} {AGEN}{SEX} {LAB}, admit to {SPEC}\n{ROOM} {LAST} ({OLD}) fall, CT neg",
    "{ROOM} {LAST} {AGEN}{SEX} on {DRUG} drip, {LAB}; family ({FIRST}) at bedside",
    "Tele list {DATE}\n{ROOM} {LAST} {AGEN}{SEX} AF RVR, on {DRUG}\n{ROOM} {LAST} {OLDN}{SEX} syncope, {LAB}",
    // patients' and relatives' messages, signed
    "is it ok to take {DRUG} with my other meds? thanks, {FIRST}",
    "Can someone call me back at {PHONE}? Thank you,\n{PTFULL}",
    "my mom needs a refill of {DRUG} before {DATE}.\n- {FIRST}",
    "The pharmacy never got the order for {DRUG}, please resend. {PTFULL}",
    "i have a question about the {PROC} next week. my number changed to {PHONE}\n{PT}",
    "Dear {DR}, the swelling is better since {DATE}. Best,\n{FIRST}",
    "I'm {FIRST}'s {REL}. He can't remember how many {DRUG} he took today.",
    "{FIRST}'s {REL} called about the {PROC} on {DATE}; please call back at {PHONE}.",
    "sorry to bother u but my dad is {OLDN} and since the new pill he is dizzy. {FIRST}",
    // forum and consults
    "Had a {AGEN} yo with {EPONYM} - {PTFULL} - admitted {DATE}, still thinking about it.",
    "Consult {SPEC}: {LAST}, {FIRST} ({AGEN}{SEX}), {MRN}, {LAB}. Lives in {CITY}.",
    "Result callback: {PTFULL}, {LAB}; left a message with {REL} {FIRST}.",
    "Anyone know a good {SPEC} near {CITY}? My patient {PT} ({OLD}) needs {PROC} and cannot travel.",
    "Follow-up for {PT}: {LAB} on {DATE}; her {REL} {PTFULL} asked for a copy at {EMAIL}.",
    "Lab alert {DATE} 0312: {LAST}, {FIRST} - critical {LAB}, {DR} notified.",
    "Message from {PT}'s {REL}: she fell again at {FAC} and is now at {ADDR}, {CSZ}.",
];

const PRE_OBJ: &[&str] = &[
    "I saw",
    "We admitted",
    "Please call",
    "Spoke with",
    "Can someone see",
    "Called",
    "Met with",
    "Consent obtained from",
    "Discussed with",
    "Message from",
    "Refill request for",
    "Results for",
    "Follow up on",
    "Left voicemail for",
    "Reached",
    "Our patient",
    "My patient",
    "The patient",
    "Patient",
    "Pt",
    "Re:",
    "RE",
    "Regarding",
    "Question about",
    "Update on",
    "Handoff:",
    "Consult for",
    "Seen:",
    "Admitted",
    "Evaluated",
    "Rounded on",
    "Covering for",
    "Callback for",
    "Lab alert for",
    "Portal message from",
    "Scheduled",
    "Transferred",
    "Talked to",
    "Examined",
    "Worried about",
    "Discharged",
    "Texted",
    "Emailed",
    "Visited",
    "Saw",
    "Following",
    "Still following",
    "Admitting",
    "Please evaluate",
    "Please check on",
    "Check on",
    "Heads up about",
    "FYI re",
    "Sign-out for",
    "Family meeting for",
    "Goals of care with",
    "Phoned",
    "Paged about",
    "Returned call to",
    "Left message for",
    "Mailed results to",
    "Faxed records for",
    "Got a call from",
    "Message left for",
    "Need help with",
    "Any thoughts on",
    "Looking for advice on",
    "New consult on",
    "Curbside on",
    "Picked up",
    "Discharging",
    "Transferring",
    "Accepted",
    "Re-admitted",
    "Holding",
    "Rounding on",
    "Reviewed labs for",
    "Ordered CT for",
    "Started heparin for",
    "Consented",
    "Counseled",
    "Educated",
    "Interviewed",
    "Assessed",
    "Reassessed",
    "Escorted",
    "Visited with",
    "Prayed with",
    "Sat with",
    "Checked in with",
    "Emailed back",
    "Wrote to",
    "Sent a letter to",
    "Scheduled a follow-up for",
    "Rescheduled",
    "Declined to see",
    "Worried most about",
    "Keep an eye on",
    "Watch",
    "Do not forget",
    "Cross-cover:",
    "Night float note on",
    "Addendum re",
    "ED boarding:",
    "From the ED:",
    "Outside transfer:",
    "Tele pt",
    "Bed 3 -",
    "Rm 12:",
];
const SUBJ_PRED: &[&str] = &[
    "was seen in clinic",
    "presented with chest pain",
    "is doing better",
    "called back",
    "declined the procedure",
    "was admitted overnight",
    "came in with",
    "is asking about",
    "left AMA",
    "passed away",
    "underwent",
    "was discharged home",
    "has been non-adherent",
    "got readmitted",
    "wants to know",
    "reports dizziness",
    "tested positive",
    "missed her appointment",
    "is scheduled for",
    "signed the consent",
    "fell at home",
    "is on",
    "has a history of",
    "was started on",
    "refused",
    "asked for",
    "is requesting",
    "agreed to",
    "needs",
    "returned with",
    "complains of",
    "denies",
    "was intubated",
    "will follow up",
    "prefers",
    "lives alone",
    "was found down",
    "is allergic to",
    "had",
    "takes",
    "stopped taking",
    "brought in",
    "says",
    "thinks",
    "is worried",
    "is stable overnight",
    "remains on room air",
    "was upgraded to the ICU",
    "coded at 0300",
    "is DNR/DNI",
    "wants to go home",
    "is refusing meds",
    "keeps pulling at lines",
    "was seen by PT",
    "ambulated in the hall",
    "ate breakfast",
    "is NPO for the scan",
    "is waiting on a bed",
    "is confused tonight",
    "had a rough night",
    "is much better today",
    "still has pain",
    "vomited twice",
    "spiked a fever",
    "went for MRI",
    "is on the list for OR",
    "got two units",
    "is boarding in the ED",
    "missed dialysis",
    "is on a heparin drip",
    "has a new rash",
    "is pending placement",
    "needs an interpreter",
    "speaks only Portuguese",
    "was upset about the wait",
    "thanked the team",
    "filed a complaint",
    "is a frequent flyer",
    "is well known to us",
    "follows with cardiology",
    "has no PCP",
    "was sent in by her PCP",
    "brought her own meds",
    "ran out of insulin",
    "cannot afford Eliquis",
    "lost her job",
    "is homeless",
    "is pregnant",
    "is 20 weeks",
    "just had a baby",
    "is post-op day 2",
    "is s/p TAVR",
    "was extubated",
    "is trach dependent",
    "is on hospice",
    "died this morning",
    "left without being seen",
    "eloped",
    "is in restraints",
    "is sundowning",
    "is withdrawing",
    "tested negative",
    "is immunocompromised",
    "is on chemo",
    "had a fall",
    "broke her hip",
    "hit his head",
];
const RELATIONS: &[&str] = &[
    "wife",
    "husband",
    "daughter",
    "son",
    "mother",
    "father",
    "sister",
    "brother",
    "niece",
    "nephew",
    "grandson",
    "granddaughter",
    "partner",
    "fiancé",
    "friend",
    "neighbor",
    "HCP",
    "POA",
    "guardian",
    "caregiver",
    "aunt",
    "uncle",
    "cousin",
    "stepdaughter",
    "mom",
    "dad",
    "girlfriend",
    "boyfriend",
    "roommate",
    "daughter-in-law",
    "son-in-law",
    "spouse",
    "ex-wife",
    "ex-husband",
    "stepson",
    "grandmother",
    "grandfather",
    "great-granddaughter",
    "foster mother",
    "adoptive father",
    "twin sister",
    "half-brother",
    "brother-in-law",
    "sister-in-law",
    "mother-in-law",
    "father-in-law",
    "godmother",
    "best friend",
    "landlord",
    "pastor",
    "home health aide",
    "power of attorney",
    "healthcare proxy",
    "legal guardian",
    "case worker",
    "coworker",
    "boss",
    "teacher",
    "coach",
    "housemate",
    "significant other",
    "common-law wife",
];
const PLACE_PRE: &[&str] = &[
    "from",
    "in",
    "lives in",
    "moved to",
    "was transferred from",
    "grew up in",
    "near",
    "drove in from",
    "outside of",
    "visiting from",
    "returned to",
    "at",
    "works in",
    "came from",
    "is from",
    "lives near",
    "was at",
    "went to",
    "relocated to",
    "stays in",
    "was born in",
    "was staying in",
    "flew in from",
    "is moving to",
];

/// Identifiers with a shape of their own, two sentences for each kind (one for each split),
/// so that every kind is in the test split.
const ID_TEMPLATES: &[&str] = &[
    "Chart check: {MRN}, labs from {DATE} reviewed.",
    "Please pull the old films for {MRN} before clinic.",
    "SSN on the transfer form ({SSN}) does not match.",
    "Registration has {SSN} on file for her.",
    "She asked me to email results to {EMAIL} instead of the portal.",
    "Daughter's email is {EMAIL} if you need consent.",
    "His son posted updates at {URLP} every day.",
    "The family page {URLP} has his photo and diagnosis.",
    "Remote monitor uploads from {IP} failed overnight.",
    "Home hub at {IP} keeps dropping the glucose feed.",
    "Interrogated the device: {DEV}, battery fine.",
    "Implant card shows {DEV}.",
    "Billing says {ACCT} was denied.",
    "Insurance changed, new {ACCT}.",
    "Her {LIC} was suspended after the seizure.",
    "Copy of his {LIC} is in the chart.",
    "Call back number {PHONE}, ask for the daughter.",
    "Fax the note to {PHONE} please.",
    "Mailing address is {ADDR}, {CSZ}.",
    "Ship the monitor to {ADDR}, zip code {ZIP}.",
];

/// Identifiers with their cue inside runs of shorthand.
const SNIPPETS: &[&str] = &[
    "{SH} wife {FIRST} in to visit. {SH}",
    "{SH} dtr {PT} called, {SH}",
    "{SH} son {PTFULL} updated by phone. {SH}",
    "{SH} pt from {CITY}, {SH}",
    "{SH} transferred from {FAC} {SH}",
    "{SH} family ({PT}) at bedside {SH}",
    "{SH} lives in {CITY} with husband {FIRST}. {SH}",
    "{SH} per {DR} {SH}",
    "{SH} seen by {DR} and {DR}. {SH}",
    "{SH} d/c to {FAC} {DATE}. {SH}",
    "{SH} {PT} tolerating {SH}",
    "{SH} friend {PTFULL} visited {SH}",
    "{SH} case mgmt spoke with {PT} re: {FAC}. {SH}",
    "{SH} HCP is niece {PTFULL}, {PHONE}. {SH}",
    "{SH} pt {LAST} {SH}",
    "{SH} {FIRST} (pt's sister) asking re {SH}",
    "{SH} {DR} notified {SH}",
    "{SH} awaiting bed at {FAC}. {SH}",
    "{SH} Pt's daughter, {PT}, will bring meds. {SH}",
    "{SH} returned from {CITY} last week {SH}",
];

/// Sentences without any identifier: what physicians discuss every day.
const CLEAN_TEMPLATES: &[&str] = &[
    "Would you go straight to {PROC}?",
    "Would you go straight to {PROC} in a {AGEN}-year-old with paroxysmal AF?",
    "Is anyone still using {DRUG} first line after {TRIAL}?",
    "The {SOC} guideline now favors {DRUG} over {DRUG} here: {URLJ}",
    "Nice review of {EPONYM} disease: {URLJ}",
    "{TRIAL} changed my practice ({URLJ}).",
    "For {EPONYM} I usually loop in {SPEC} early.",
    "Classic {EPONYM} picture; we started {DRUG} and planned {PROC}.",
    "{DR} gave a great talk on {PROC} outcomes last week.",
    "Per {DR}, {DRUG} dosing should be renally adjusted.",
    "How do you counsel a {AGEN} year old about {PROC} versus {DRUG}?",
    "We did {N} cases of {PROC} this month, no complications.",
    "Any tips for {PROC} in patients on {DRUG}?",
    "BP 138/84, HR 72, {LAB}, {LAB}; continue {DRUG} {N} mg daily.",
    "Plan: {PROC} tomorrow, hold {DRUG}, repeat {LAB} in AM.",
    "MI in {YEAR}, CABG {YEAR}, {EPONYM} since {YEAR}.",
    "Does {SOC} say anything about {PROC} after {EPONYM}?",
    "Going to present our {PROC} series at {SOC} next year.",
    "Started {DRUG}; {SPEC} recommends {PROC} if no response in {N} days.",
    "{EPONYM} sign positive, {LAB}, no {EPONYM} features.",
    "Strength 5/5, 2/6 SEM, {LAB}, pain 3/10 on {DRUG}.",
    "GI bleed on {DRUG}, switched to {DRUG}, EGD showed {EPONYM} esophagus.",
    "Thoughts on {DRUG} vs {DRUG} for rate control?",
    "Our hospital's {SPEC} fellowship is hiring; {DR} is the PD.",
    "Working {N} nights in a row is burning me out, honestly.",
    "Has anyone tried a {SOC} checklist before {PROC}?",
    "The {EPONYM} criteria are not that helpful in the elderly.",
    "Pt is a {AGEN}yo M with {EPONYM}, on {DRUG} and {DRUG}.",
    "Met with {DR} and {DR} about the {PROC} pathway.",
    "Read this: {URLJ} - the {TRIAL} subgroup is interesting.",
    "Does {DRUG} interact with {DRUG} at high doses?",
    "Follow-up in {N} weeks with repeat {LAB}.",
    "Transferred to the floor, {SPEC} following.",
    "Good outcome after {PROC}; discharged on {DRUG}.",
    "THANK YOU ALL FOR THE ADVICE ON {PROC}, WILL UPDATE.",
    "ECHO: EF 35%, MODERATE MR, {EPONYM} NOTED. CONT {DRUG}.",
    "Question for {SPEC}: {AGEN} F, {EPONYM}, {LAB}, next step?",
    "Texas and Ohio both report more {EPONYM} cases this year.",
    "Grand rounds on Friday at noon: {PROC} in the frail patient.",
    "We use the {EPONYM} score and the {EPONYM} criteria together.",
    "Parkinson's patients do badly on {DRUG}; Lewy body even worse.",
    "Cushing workup negative, {LAB}; Graves on methimazole.",
    "Eliquis or Xarelto after {PROC}? {SOC} is silent.",
    "Hashimoto and Addison together: check {LAB} first.",
    "Crohn flare despite {DRUG}; {SPEC} wants {PROC}.",
    "Bell palsy versus stroke in a {AGEN} year old, {LAB}.",
    "Wolff-Parkinson-White on the ECG, referred for {PROC}.",
    "Lasix 40 IV twice, then {DRUG}; {LAB}.",
    "Kawasaki or MIS-C? See {URLJ}",
    "Guillain-Barré after {DRUG}? Any cases in your practice?",
    "Brugada pattern at rest, {EPONYM} negative; {PROC} scheduled.",
    "Sjogren and Raynaud, on {DRUG}, doing fine.",
    "Ludwig angina in a {AGEN}-year-old, airway first.",
    "Boerhaave is rare but we saw one this week after {PROC}.",
    "Takotsubo after a fall; {LAB}, echo improving.",
    "Nice thread on {TRIAL}: {URLJ}",
    "JAMA piece ({URLJ}) on burnout in {SPEC} is worth a read.",
    "HOLD {DRUG} BEFORE {PROC}, RESUME IN {N} DAYS.",
    "Marfan or Ehlers-Danlos? Genetics says neither.",
    "Pt is {AGEN} yo, {EPONYM}, {LAB}; continue {DRUG}.",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args.first().map_or("train", String::as_str);
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let count: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let test = split == "test";
    let mut g = Gen::new(test, seed);
    let keep = |i: usize| i.is_multiple_of(5) == test;
    let phi_t: Vec<&str> = PHI_TEMPLATES
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, t)| *t)
        .collect();
    let clean_t: Vec<&str> = CLEAN_TEMPLATES
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, t)| *t)
        .collect();
    let id_t: Vec<&str> = ID_TEMPLATES
        .iter()
        .enumerate()
        .filter(|(i, _)| (i % 2 == 1) == test)
        .map(|(_, t)| *t)
        .collect();
    let snip_t: Vec<&str> = SNIPPETS
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, t)| *t)
        .collect();
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    for n in 0..count {
        let mut o = Out {
            text: String::new(),
            spans: Vec::new(),
        };
        let clean = g.rng.chance(0.45);
        let sentences = g.rng.range(1, 7);
        let phi_at = if clean {
            usize::MAX
        } else {
            g.rng.below(sentences as usize)
        };
        let case = match g.rng.below(10) {
            0 | 1 => Case::Upper,
            2 => Case::Lower,
            _ => Case::Mixed,
        };
        for s in 0..sentences as usize {
            if s > 0 {
                o.lit(if g.rng.chance(0.2) { "\n" } else { " " });
            }
            if s != phi_at && g.rng.chance(0.4) {
                g.shorthand(&mut o);
                continue;
            }
            let t = if s == phi_at || (!clean && g.rng.chance(0.25)) {
                let r = g.rng.below(12);
                if r >= 10 {
                    g.rng.pick(&id_t)
                } else if r < 4 {
                    "{COMPOSE}"
                } else if r < 6 {
                    g.rng.pick(&snip_t)
                } else {
                    g.rng.pick(&phi_t)
                }
            } else {
                g.rng.pick(&clean_t)
            };
            g.fill(&mut o, t);
        }
        let text = match case {
            Case::Upper => o.text.to_ascii_uppercase(),
            Case::Lower => o.text.to_ascii_lowercase(),
            Case::Mixed => o.text,
        };
        let spans: Vec<serde_json::Value> = o
            .spans
            .iter()
            .map(|&(start, end, kind, who)| {
                let mut v = serde_json::json!({"start": start, "end": end, "type": kind});
                if let Some(who) = who {
                    v["who"] = serde_json::Value::from(who);
                }
                v
            })
            .collect();
        let rec = serde_json::json!({"id": format!("gen-{split}-{seed}-{n:05}"), "text": text, "spans": spans});
        if writeln!(w, "{rec}").is_err() {
            return;
        }
    }
}
