//! Identifiers with a shape of their own: emails, URLs, IP addresses, phone numbers, SSNs,
//! numbers after a keyword that names them (MRN, account, licence, serial…), vehicle
//! identification numbers, long identifying numbers, and ages over 89.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::text::Doc;
use super::{PhiKind, PhiSpan};

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

static EMAIL: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"));

static URL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r#"(?i)\b(?:(?:https?|ftp)://|www\.)[^\s<>"'()\[\]{}]+|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|org|net|edu|gov|mil|io|info|biz|us|health)\b(?:/[^\s<>"'()\[\]{}]*)?"#,
    )
});

static IPV4: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b"));

/// Blood gases are written with dots too ("ABG 7.45.34.7").
static LAB_CONTEXT: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?i)\b(?:abg|vbg|gas|gases|ph|po2|pco2|lytes)\b"));

static IPV6: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|(?:\b[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}\b(?::[0-9a-f]{1,4}\b)*)?",
    )
});

static SSN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:ssn|ss\#|ss\s*no|soc(?:ial)?\.?\s*sec(?:urity)?\.?(?:\s*(?:no|number|num|\#))?)\.?\s*[:\#=]?\s*(\d{3}[\s\-]?\d{2}[\s\-]?\d{4})\b)|\b(\d{3}-\d{2}-\d{4})\b|\b(?:ssn|social\s+security)[^\d\n]{0,16}?(?:last\s+(?:4|four)(?:\s+digits)?(?:\s+(?:is|are|=))?|ending\s+(?:in\s+)?)[\s:()\#]{0,5}(\d{4})\b|\blast\s+(?:4|four)(?:\s+digits)?\s+of\s+(?:my|his|her|their|the|pt's)?\s*(?:ssn|social)(?:\s+security)?(?:\s+(?:number|no))?(?:\s+(?:is|are|=))?[\s:()\#]{0,5}(\d{4})\b|\b(?:ssn|social(?:\s+security)?(?:\s+number)?)\b[^\d\n]{1,40}?(\d{3}[\s\-]?\d{2}[\s\-]?\d{4})\b|\b(?:xxx|\*\*\*)[\s\-]?(?:xx|\*\*)[\s\-]?(\d{4})\b",
    )
});

/// The digits left of a masked record number: "(MRN …0921)", "(…4418)", "MRN ***2207".
static MASKED_RECORD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?i)(?:\bmrn\b[^\n\d]{0,6}|\()(?:\x{2026}|\.\.\.|xx+|\*\*+)[ \t]?(\d{3,8})\b")
});

/// (Its word boundaries are ASCII's: a number glued to the words of a script written
/// without spaces is a number still, "我的电话是555-209-6631。", "555-926-0418입니다".)
/// The last four of a social security number asked for on a form: "SSN last 4 on the
/// request: 8302", "last four of my Social, which is 4471", "LAST 4 ON THE PAPERWORK: 8830".
/// The words between must not make it a count ("last 4 hours: 1200 mL").
static SSN_LAST_FOUR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?i)\blast\s+(?:4|four)\b(?:\s+digits)?([^\d\n]{0,32}?)(\d{4})\b([ \t]*[a-z%/]*)")
});

/// An insurance group number after the member number: "member id XKW884120377, group
/// 60021", "Member ID: 948117203 | Group: 917744".
static GROUP_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:member|subscriber|policy|insurance|medicaid|bcbs)\b[^\n]{0,60}?\bgroup\s*(?:number|no\.?|\#|id)?\s*[:=\#]?\s*([a-z]{0,4}-?\d[a-z0-9\-]{3,15})\b",
    )
});

/// A hospital's number in the slashed shape of Indian, Nigerian, Kenyan and South African
/// hospitals: its letters, maybe a year or a clinic, then the number ("LUTH/118274",
/// "UHID KEM/2025/118377", "AKTH/26/118402", "NCRH/OP/88213", "2024/MED/55817"). In our
/// writers' labels the shape is a patient's number 70 times of 70; no unit, ratio or dose
/// ends in four digits after capitals and a slash.
static SLASHED_RECORD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?m)(?:^|[^\w/])((?:\d{4}/)?[A-Z]{2,6}(?:/[A-Z0-9]{1,6}){0,3}/\d{4,10})(?:$|[^\w/])")
});

/// Such numbers that no key has named already, unless they are a batch's ("Lot No:
/// AB/12/3345").
fn slashed_records(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let Some(r) = SLASHED_RECORD.as_ref() else {
        return;
    };
    for c in r.captures_iter(doc.text) {
        let Some(g) = c.get(1) else { continue };
        // (One slash and four digits is as often a volume: "NS/1000".)
        let short = g.as_str().matches('/').count() < 2
            && g.as_str().chars().filter(char::is_ascii_digit).count() < 5;
        let named = out.iter().any(|s| s.start < g.end() && g.start() < s.end);
        let lot = doc
            .before(g.start(), 12)
            .split(|c: char| !c.is_alphabetic())
            .any(|w| w.eq_ignore_ascii_case("lot"));
        if !short && !named && !lot {
            out.push(PhiSpan {
                start: g.start(),
                end: g.end(),
                kind: PhiKind::Mrn,
            });
        }
    }
}

/// A Medicare beneficiary identifier by its shape alone, in any language's sentence
/// ("Medicare号码是2QF5-RW8-TT19。", "메디케어 번호는 6HW3-KN4-JV27이고"): a digit, a letter,
/// and nine more in the fixed places CMS gives them. In our writers' labels the shape is a
/// patient's number 221 times of 222 (the other is CMS's own example, quoted).
static MEDICARE_SHAPE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(?-u:\b)\d[A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}(?-u:\b)"));

/// An identifier written half hidden is still one: "NRIC S****417F", "FIN G****882K", "ID
/// No: 2******81", "Aadhaar XXXX XXXX 6184" (what is left names the person to those who
/// know the rest).
static MASKED_ID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?-u:\b)[A-Z]?\*{3,}\d{2,4}[A-Z]?(?-u:\b)|(?-u:\b)\d\*{3,}\d{2,4}(?-u:\b)",
        r"|(?-u:\b)(?:[Xx]{4}[ \-]){2,3}\d{4}(?-u:\b)",
    ))
});

/// A Singapore postcode after the country's name: "Singapore 460418".
static SINGAPORE_POSTCODE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"\bSingapore[ \t]+(\d{6})(?-u:\b)"));

/// A Canadian province's health number a few words after its name, in the shapes the
/// provinces print: "numéro d'assurance maladie est BOUF 9105 1213" (Quebec), "AHCIP
/// 44128-7751" (Alberta), "MCP 113 487 926 004" (Newfoundland), "OHIP 5551-234-567-AB".
static PROVINCIAL_HEALTH_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:assurance[ \t]+maladie|ahcip|ramq|carte[ \t]+soleil|mcp|msp|phn|ohip|hsn)\b",
        r"[^\n\d]{0,20}?((?-i:[A-Z]{4})[ \t]?\d{4}[ \t]?\d{4}|\d{5}-\d{4}",
        r"|\d{3}[ \t]\d{3}[ \t]\d{3}(?:[ \t]\d{3})?|\d{4}[ \t-]\d{3}[ \t-]\d{3}(?:[ \t-]?[A-Z]{2})?",
        r"|\d{9,10})\b",
    ))
});

/// A user name after the word for it, holding a digit or an underscore as handles do:
/// "portal username: rlindqvist_knee22", "WeChat ID kzhao_sf1998", "her IG is
/// @maddie.k_07" (not a forum's "@hospitalist_hank wrote", which is a colleague's).
static USER_NAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:user[ \t]?name|login|handle|wechat(?:,?[ \t]+id)?|line[ \t]+id|instagram|insta|ig",
        r"|snapchat|snap|tiktok|gamertag|screen[ \t]?name|venmo|cash[ \t]?app)\b",
        r"[ \t]*(?:is|:|\(|=)?[ \t]*[\x22'\x{201C}(]?@?",
        r"([A-Za-z][A-Za-z0-9_.\-]*[0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z0-9_.]*_[A-Za-z0-9_.]*[A-Za-z0-9_])",
    ))
});

static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s*|(?-u:\b)\d{3}\s*[\s./\-]\s*)\d{3}\s*[\s./\-]?\s*\d{4,5}(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?-u:\b)|(?-u:\b)\d{6}[\s.\-]\d{4}(?-u:\b)",
    )
});

/// A number with a country code other than the US's: "+91 98400 55512", "+44 20 7946 0958",
/// "+44 7700 900233".
static INTL_PHONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"\+[2-9]\d{0,2}[\s.\-]?\d{1,5}(?:[\s.\-]\d{2,6}){1,4}(?-u:\b)"));

/// A national number in the groups of other countries: with its trunk 0 ("07700 555 281",
/// "(02) 5550 7314", "0803 555 0192", "010-5555-7193"), a British mobile ("07700 555182"),
/// a two-digit area code in brackets ("(85) 95555-3021"), an area code of two digits or a
/// Chinese mobile's three then two fours ("33 5555 1908", "139 5550 8812"), or a mobile in
/// two fives ("94440 55523"), a British area code or mobile and six digits ("01632 960517",
/// "07700 900064").
static TRUNK_PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?:(?:\(0\d{1,4}\)|(?-u:\b)0\d{1,4})[ \-]\d{3,5}[ \-]\d{3,4}|(?-u:\b)0[127]\d{2,3}[ ]\d{6}",
        r"|\(\d{2}\)[ ]?\d{4,5}[ \-]\d{4}",
        r"|(?-u:\b)(?:1[3-9]\d|\d{2})[ ]\d{4}[ ]\d{4}",
        r"|(?-u:\b)[6-9]\d{4}[ ]\d{5})(?-u:\b)",
    ))
});

/// Digits in groups after a word that says how to ring someone, in the ways numbers are
/// written around the world: "ph 0412 555 377", "Contact: 9555 4021", "ring us on 01923 555
/// 402", "मेरा नंबर 98110 55517", "电话138 5550 2761", "Namba yangu ni 0733 555 108".
static GROUPED_AFTER_CUE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:ph|mob|contact|whatsapp|ring\s+(?:me|us|him|her|them)\s+on|(?:my\s+)?number\s+is|namba(?:\s+yangu)?(?:\s+ni)?|n[uú]mero)|(?:电话|電話|手机|手機)(?:係|是|号码)?|नंबर|тел)[\s:：.\-]*(\+?\d{2,5}(?:[ \-]\d{2,5}){1,3})(?-u:\b)",
    )
});

/// A patient's record number after its name in the languages patients write in: "o número
/// do prontuário dele é 4401-887-2", "Nr karty 3370-1129", "Номер его карты 00719-442",
/// "ИБ № 4471-25", "dosye CKP-11872", "Mã BN: BV2503-11876", "رقم الملف: ٤٤٨٢١٣",
/// "病历号是88204517", "診察券番号は0047-2219", "등록번호는 61-0448-292".
static RECORD_NUMBER_ABROAD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?i)(?:\bprontu[áa]rio(?:\s+(?:dele|dela|do\s+paciente|da\s+paciente))?(?:\s+[ée])?",
        r"|\b(?:nr\.?|numer)\s+karty|\bномер\s+(?:его\s+|её\s+|ее\s+)?(?:медицинской\s+)?карты",
        r"|\blambarka\s+caafimaadka(?:\s+waa)?|\bs[ốo]\s+h[ồo]\s+s[ơo]|\bm[ãa]\s+bn",
        r"|\bnr\.?\s+(?:ksi[ęe]gi\s+g[łl][óo]wnej|historii\s+choroby)|\bИБ\s*№|№\s+истории\s+болезни",
        r"|\bdosye|\bn[uú]mero\s+de\s+(?:historia(?:\s+cl[ií]nica)?|expediente)|\bhistoria\s+cl[ií]nica",
        r"|\bnum[ée]ro\s+de\s+dossier|\bn[°º]\s*(?:de\s+)?dossier|\bfallnummer|\bcartella\s+clinica",
        r"|رقم\s+الملف(?:\s+الطبي)?|شماره\s+پرونده",
        r"|病历号|病案号|住院号|门诊号|診察券番号|カルテ番号|등록번호|병록번호)",
        // (No word boundary after the number: it may run into a particle, "12846397입니다",
        // or be written in Arabic-Indic digits.)
        r"\s*(?:是|は|는|은|[:：])?\s*((?:[A-Z]{1,4}[\-/]?)?\d[\dA-Z\-/]{3,14}\d)",
    ))
});

/// A number after a word that says it is a phone or fax number, in English or in the
/// languages patients write in ("ফোন: ০১৭১১-৫৫৫১২৩", "تلفن ۰۹۱۲…", "電話 090-…").
static PHONE_CUE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:cell|cellphone|mobile|phone|tel|telephone|fax|contact\s+number|reached\s+at|call\s+back(?:\s+number)?|cel|celular|m[óo]vil|telem[óo]vel|portable|handy|hp|wa|whatsapp|gsm|tlf|t[ée]l[ée]phone|telefon|telefone|tel[ée]fono|telefonum|nomor|n[úu]mero|sđt",
        // Bengali, Hindi, Persian, Arabic, Urdu, Chinese, Japanese, Korean, Russian, Greek,
        // Hebrew, Thai, Vietnamese.
        r"|ফোন|মোবাইল|फ़ोन|फोन|मोबाइल|تلفن|موبایل|هاتف|جوال|فون|موبائل|电话|電話|手机|携帯|전화|휴대폰|телефон|тел|моб|τηλ[έε]φωνο|τηλ|κινητ[όο]|טלפון|נייד|โทร|điện\s+thoại)",
        r"\.?[\s:=\#\-]*(?:no\.?|number|num)?[\s:=\#\-]*(\d[\d\s.\-]{2,14}\d)",
    ))
});

/// A whole phone number after a pager's word ("beeper 617-555-0148"). A hospital's own
/// pager, four or five digits ("pager 5560", "PGR 4-7710"), is how a clinician is reached:
/// no more a patient's identifier than the clinician's name, and our writers leave it
/// unlabelled 392 times of 400. (The development set's corpus labels pagers; bench/phi.md.)
static PAGER_CUE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:pager|pgr|pg|beeper|beep)\.?[\s:=\#\-]*(?:no\.?|number|num)?[\s:=\#\-]*(\d[\d\s.\-]{2,14}\d)",
    )
});

/// A local number without its area code after a word that says how to reach someone
/// ("wife at 555-0137", "call 555-0137", "call him anytime 555-0199").
static LOCAL_PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:at|calls?|called|reach|reached|texts?|texted|number|cell|phone|home|work|fax|fax\s+to)|\#)\s*(?:is\s*)?:?\s*(?:(?:him|her|me|them|us|anytime|back|directly)\s+){0,2}(?:at\s+|on\s+)?(\d{3}[-.]\d{4})\b",
    )
});

/// A value after a keyword that names what it is. The value must hold a digit.
static KEYED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?ix)
        \b(?:
            (?P<mrn>mrn|mr\s*\#|mr\s*no|hosp\.?\s*(?:no|number|\#)|folder(?:\s*(?:no|number))?|expediente|med\.?\s*rec(?:ord)?\.?|medical\s+record(?:\s+(?:number|no|num))?|record\s*(?:number|no|num|\#)|chart\s*(?:number|no|\#)|unit\s*(?:number|no)|hospital\s*(?:number|no)|patient\s*(?:id|number|no)|pt\s*id)
          | (?P<account>account|acct|health\s+plan(?:\s+(?:id|number|no))?|plan\s*(?:id|number|no|\#)|member(?:ship)?\s*(?:id|number|no|\#)?|policy|medicaid|medicare|mbi|hicn|insurance\s*(?:id|number|no|\#)|subscriber\s*(?:id|number|no|\#)?|group\s*(?:number|no|\#)|beneficiary\s*(?:id|number|no|\#)?|claim|fin|har|csn|encounter\s*(?:id|number|no|\#)|visit\s*(?:id|number|no|\#)|invoice|billing\s*(?:id|number|no|\#)|bill\s*(?:number|no|\#)|card\s*(?:number|no|\#)|statement\s*(?:number|no|\#)|guarantor\s*(?:id|number|no|\#)?
              | (?P<national>health\s*(?:card|number|no|insurance\s*(?:number|no))|(?-i:NAM|CIP|SUS)|utente|sv-?nummer|gms(?:\s*card)?|phn|ihi|nhi|chi|hcn|ohip|ramq|abha|dva(?:\s+(?:gold\s+)?card)?|medi-?cal|philhealth|nhs\s*(?:number|no)?))
          | (?P<license>licen[cs]e|lic|dea|certificate|cert|driver'?s?\s+licen[cs]e|cdl|dl|passport|state\s+id|permit)
          | (?P<id>serials?|s/n|sn|device\s*(?:id|number|no|\#)?|vin|imei|udi|model|implant\s*(?:id|number|no|\#)|plate|tag|badge)
          | (?P<other>ref|reference|case|id|identifier|order|confirmation|ticket|accession|specimen|inmate|booking|nric|aadhaa?r|lab\s*(?:no|number)|kit|doc\s*\#|unos|tazkira|cnic|снилс|a\#|a-number|alien\s*(?:number|no)|employee\s*(?:number|no|id|\#)|emp\s*(?:no|id|\#)|rx\s*(?:number|no|\#)|police\s+report(?:\s*(?:number|no|\#))?|report\s*(?:number|no|\#)|docket|tracking|armband|wristband|(?:antibody|blood\s*bank|transfusion)\s*card)
        )
        \.?\s*(?:\((?-i:[A-Z]{2})\)\s*)?(?:number|no\.?|num|\#|id|card)?\s*[:=\#\-]?\s*\#?\s*(?:is\s+|was\s+|ending\s+(?:in\s+|with\s+)?|ends\s+(?:in\s+|with\s+)?)?\(?
        (?P<value>(?-i:[A-Z]{2,5}\ )?[A-Za-z]{0,12}-?\d[A-Za-z0-9\-]{0,24}(?:[\ ]\d{2,6}\b){0,3})\b
    ")
});

/// Identifiers in a form's field, in one pass over the text:
/// - `national`: a national identity number after its name, as the countries patients come
///   from call it ("DNI 05551234X", "RUT 12.555.678-9", "C.C. 1.020.555.341", "PESEL
///   85031255543", "henkilötunnus 120340-555T", "rodné číslo 385312/555");
/// - `key` and `grouped`: a number of grouped digits after any field's key, since the forms
///   of other countries key their identifiers with words no list can hold ("CPF:
///   555.123.456-78", "CNS: 898 0055 5123 4567", "CCC No: 13939-55512", "UHID:
///   2024/MED/55817"); see [`field_number`] for what the value must be, or [`coded_number`]
///   when the key calls it a number ("Lab No: SSD/24/118902");
/// - `named` and `coded`: a value its key calls a number or an ID, colon or not ("IP No.
///   118422/25", "Sample ID KOL/PB/26/009312"); see [`coded_number`].
static FIELD_ID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?i:\b(?:dni|nie|nif|cpf|curp|rfc|nss|rut|run|c\.c\.|cc|c[ée]dula|pesel|nir",
        r"|amka|bsn|cnp|nin|nic|nrc|trn|ppsn|pps|mykad|personnummer|personnr|f[øo]dselsnummer",
        r"|cpr(?:-nr\.?)?|henkil[öo]tunnus|hetu|rodn[ée][ \t]+[čc][íi]slo|taj(?:[ \t]+sz[áa]m)?",
        r"|codice[ \t]+fiscale|emirates[ \t]+id|civil[ \t]+(?:no|id|number)",
        r"|national[ \t]+(?:id|number|insurance(?:[ \t]+number)?)|registre[ \t]+national",
        r"|citizenship|cnic|nid|ktp|nik|carte[ \t]+vitale|s[ée]curit[ée][ \t]+sociale",
        r"|id[ \t]+card|identity[ \t]+card)",
        r"\.?[ \t]*(?:no\.?|nr\.?|number|num[ée]ro|n[°º])?[ \t]*[:#=]?[ \t]*)",
        r"(?P<national>[A-Z]{0,3}\d[\dA-Z]*\b(?:[./\- ][\dA-Z]+\b){0,6})",
        r"|\b(?P<key>[A-Z][A-Za-z]{1,11}(?:[ \t](?:No|no|Nr|Number|number|ID|Id)\.?)?)",
        r"[ \t]*[:#][ \t]*",
        r"(?P<grouped>(?:[A-Z]{1,5}[/\-]){0,2}\d[\dA-Z]*(?:[./\-][\dA-Z]+){1,5}|\d{3,5}(?:[ ]\d{1,5}){1,4})\b",
        // "IP No. 118422/25", "Sample ID LKO/26/0311/4471", "HMO ID is HYG/2207/118834".
        r"|\b(?P<named>[A-Z][A-Za-z]{0,11})\.?[ \t]+(?:No|NO|no|Nr|NR|nr|Number|number|ID|Id)\.?",
        r"[ \t]*(?:is[ \t]+)?[:#=]?[ \t]*",
        r"(?P<coded>(?:[A-Z]{1,5}[/\-]?){0,2}\d[\dA-Z]*(?:[./\-][\dA-Z]+){0,5})\b",
    ))
});

/// Keys of fields whose grouped numbers are no one's identifier: times, ranges, readings,
/// and the numbers of drugs, codes, trials, rooms and staff.
const NOT_ID_KEYS: &[&str] = &[
    "time",
    "times",
    "hours",
    "hrs",
    "shift",
    "bp",
    "vs",
    "vitals",
    "ref",
    "range",
    "dose",
    "rate",
    "ratio",
    "score",
    "lot",
    "npi",
    "dea",
    "page",
    "pages",
    "version",
    "tel",
    "fax",
    "batch",
    "ndc",
    "cpt",
    "icd",
    "nct",
    "trial",
    "protocol",
    "room",
    "bed",
    "ext",
    "extension",
    "pager",
    "model",
    "part",
    "catalog",
    "cat",
    "phone",
    "step",
    "grade",
    "stage",
    "size",
    "license",
];

/// Is a field's value an identifier: eight to twenty digits in two groups or more, no
/// date, no range of times ("0800-1600"), groups of three characters or more but the last
/// ("5551 23456 1", "555.123.456-78")?
fn field_number(key: &str, value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !(8..=20).contains(&digits) || !coded_number(key, value) {
        return false;
    }
    let groups: Vec<&str> = value.split([' ', '-', '.', '/']).collect();
    let times = groups.len() == 2 && groups.iter().all(|g| g.len() == 4);
    // Readings run short groups together ("7.36/44/88/25"); identifiers keep their groups
    // long, but for a check digit or two at the end.
    let long_groups = groups.iter().rev().skip(1).all(|g| g.len() >= 3);
    !times && long_groups
}

/// Is a value its key calls a number ("IP No. 118422/25", "Sample ID LKO/26/0311/4471") an
/// identifier: six digits or more, of a key that names no reading, drug, code or staff
/// number, and no date?
fn coded_number(key: &str, value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let key = key.split_whitespace().next().unwrap_or("").to_lowercase();
    if !(6..=20).contains(&digits) || NOT_ID_KEYS.contains(&key.as_str()) || looks_like_date(value)
    {
        return false;
    }
    // "2025-02-18", "2025/2/18": a date written year first.
    let groups: Vec<&str> = value.split([' ', '-', '.', '/']).collect();
    let year_first = groups.len() == 3
        && groups.first().is_some_and(|g| g.len() == 4)
        && groups.iter().skip(1).all(|g| g.len() <= 2)
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'));
    !year_first
}

/// A device's serial, lot or plate number a few words after its keyword, behind a colon or
/// "says" ("Implant serial per op note: ZM-7731-4426-08").
static SERIAL_AFTER_COLON: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:serial|s/n|udi|imei|plate)\b[^\n:.;]{0,40}(?::|\bsays|\breads|\bis)[ \t]*([a-z0-9][a-z0-9\-]{4,30})\b",
    )
});

/// Do `n` ASCII letters or digits run together somewhere in `text`?
fn alphanumeric_run(text: &str, n: usize) -> bool {
    let mut run = 0;
    text.bytes().any(|b| {
        run = if b.is_ascii_alphanumeric() {
            run + 1
        } else {
            0
        };
        run >= n
    })
}

/// A vehicle identification number: 17 characters, no I, O or Q.
static VIN: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\b[A-HJ-NPR-Z0-9]{17}\b"));

/// A run of 7 or more digits, a code after "#" that mixes letters and digits, a few
/// capitals before 6 or more digits ("E55018822", "MR-0044718"), or a case number of
/// capitals and two groups of digits ("INC-2026-33104").
static LONG_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"\b\d{7,}\b|\#\s?([A-Za-z]{1,4}\d{2,}[A-Za-z0-9\-]*)\b|\b([A-Z]{1,3}-?\d{6,})\b",
        // "APL-7730-22814", "NV-26-1187", "INC-2026-33104": case, incident and appeal numbers.
        // (Not a range of vitals: "HR-110-133", "MAP-75-100".)
        r"|\b([A-Z]{2,4}-\d{2,4}-\d{4,6})\b",
    ))
});

/// A pathology or cytology accession: "S26-08812", "CY26-11834", "MEW-S26-2291"; or the
/// donation number of a unit of blood (ISBT 128: facility, year, serial), which traces the
/// unit to its donor and its recipient: "W0421 26 008813".
static ACCESSION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?-u:\b)(?:[A-Z]{2,4}-)?[A-Z]{1,3}\d{2}-\d{4,6}(?-u:\b)",
        r"|(?-u:\b)[A-Z]\d{4}[ ]?\d{2}[ ]?\d{6}(?-u:\b)",
    ))
});

/// Is the word a code that mixes capitals and digits the way serials, cards and
/// transmitters do ("8GK3P2", "4728-193-651-KX", "PM-77A-40219")? Three digits and two
/// letters at least, six characters or more, nothing in lower case; not a trial registry's.
fn mixed_code(word: &str) -> bool {
    // Cheap tests first: most words leave at the first.
    if word.len() < 6
        || word.len() > 24
        || !word
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == b'-')
        || word.starts_with('-')
        || word.ends_with('-')
    {
        return false;
    }
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    let letters = word.bytes().filter(u8::is_ascii_uppercase).count();
    let hyphens = word.bytes().filter(|c| *c == b'-').count();
    // Letters and digits change places often ("8GK3P2"), or groups joined by hyphens
    // ("4728-193-651-KX"); not a dose or a volume ("1000CC", "40MG") nor a variant
    // ("G20210A").
    let mut changes = 0;
    let mut last: Option<bool> = None;
    for c in word.bytes().filter(|c| *c != b'-') {
        let digit = c.is_ascii_digit();
        if last.is_some_and(|l| l != digit) {
            changes += 1;
        }
        last = Some(digit);
    }
    let shaped = changes >= 3 || (hyphens >= 2 && digits >= 5);
    shaped && digits >= 3 && letters >= 2 && !REGISTRY_PREFIXES.iter().any(|p| word.starts_with(p))
}

/// Registries of trials and papers, whose numbers identify no patient ("NCT04280705").
const REGISTRY_PREFIXES: &[&str] = &["NCT", "PMC", "ISR", "ACT", "CTR", "DRK", "NDC"];

/// An age: a number before "yo", "y/o", "year old" or the word for years of other languages
/// ("96 ans", "92岁", "93 tuổi", "gen 95 an", "93 na po"), after "age" ("edad", "Alter"), said of a
/// person ("shes 90 and", "papa is 94"), or the age someone died at ("died ... at 99").
static AGE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(\d{2,3})\s*(?:-\s*)?(?:y/o|y\.o\.?|yo(?:[mfw]|wm|wf|bm|bf)?\b|yr?s?\b|y[mf]\b|years?\b|year-old|-year|yr\.)|\b(?:age|aged|age:)(?:\s+of)?\s*[:=]?\s*(\d{2,3})\b|\b(\d{2,3})\s*(?:yom|yof|year\s+old|years\s+old)\b|\b(?:turned|turns|turning|she\s+is|he\s+is|she's|he's|she\s+was|he\s+was|shes|hes|i'm|i\s+am|(?:i|she|he)\s+will\s+be|(?:i|she|he)'ll\s+be|ay|(?:mom|mum|mother|dad|father|wife|husband|grandma|grandmother|grandpa|grandfather|patient|pt|papa|mama|daddy|mommy|granny|nana|grandad|granddad)(?:\s*\([^)\n]{1,24}\))?\s+(?:is|was))\s+(?:(?:now|just|almost|nearly|literally|actually|already|over)\s+)?(\d{2,3})(?:\s*$|\s*[,;!()&—–]|\s+-\s|\s+(?:and|but|with|yet|now|today|this|last|next|in|on|at|yesterday|recently|earlier|so|lol|lmao|na|po|already|too|myself|himself|herself|soon|tomorrow|still)\b|\.(?:\s|$))|\b(\d{2,3})(?:st|nd|rd|th)\s+birthday\b|\b(\d{2,3})\s*(?:años|anos|ans|anni|jahre|jaar|år|lat|лет|года|год|tuổi|yaş|taon|taong|oed|vayasu|éves|ετών|saal|lata|рік|роки|років|ساله|বছর|sano)\b|\b(?:gen|genyen)\s+(\d{2,3})\s+an\b|\b(?:died|passed\s+away)\b[^\n]{0,80}?\bat\s+(?:age\s+)?(\d{2,3})\b|(?:^|[^\d.,/])(\d{2,3})\s*(?:岁|歲|歳|세|살|साल|वर्ष|سنة|عاما)|\b(?:edad|âge|alter|età|idade|возраст|umri|umur|usia)[ \t]*(?:de|wa|:)?[ \t]*(?:miaka[ \t]+)?(\d{2,3})\b|\b(?:miaka|,[ \t]*lat)[ \t]+(\d{2,3})\b|(?:عمره|عمرها)[ \t]+(\d{2,3})|\b(\d{2,3})[ \t]+na(?:[ \t]+(?:po|ho))?(?:[ \t]*[,.!]|[ \t]+(?:siya|sya|nasa|at)\b)",
    )
});

/// An age in the words of other scripts: the number before the word for years ("91 વર્ષ",
/// "91 տարեկան", "92 წლის", "(여/91세)", "อายุ 91 ปี"), or after the word for age ("বয়স
/// ৯৫", "အသက် ၉၄", "בת 94", "سن ۹۳"). Digits of other scripts count as digits.
static AGE_IN_OTHER_SCRIPTS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?:^|[^\d.,])(\d{2,3})[ \t]*-?(?:વર્ષ|ਸਾਲ|வயது|வயதான|ఏళ్ల|ఏళ్లు|సంవత్సరాల|ปี|წლის",
        r"|տարեկան|ዓመት|ବର୍ଷ|ವರ್ಷ|വയസ്|နှစ်|ឆ្នាំ|ປີ|שנים|χρονών|yaşında|세|살)",
        r"|(?:^|[\s(,:;/–—-])(?:বয়স|বয়স|उम्र|उमर|ਉਮਰ|ઉંમર|வயது|వయస్సు|വയസ്|အသက်|อายุ|גיל|בת|בן",
        r"|سن|سنه|ηλικία|ዕድሜ|տարիք|年龄|年齢|나이)[ \t]*[:：]?[ \t]*(\d{2,3})(?:[^\d.,]|[.,](?:\D|$)|$)",
    ))
});

/// An age with a sex after it or around a slash: "(92 F)", "99M,", "Mr X, 94 M", "F/96",
/// "95/F".
static AGE_SEX: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?:\(|,[ \t]*|\b)(\d{2,3})[ \t]?(?:[MF]|yo[mf]|YO[MF]|y[MFmf]|Y[MF])(?:\)|,|;|:|[ \t]|\.(?:[ \t]|$)|$)|(?:\(|,[ \t]*)(\d{2,3})[ \t]?[mf](?:\)|,)|\b[MF]/(\d{2,3})\b|\b(\d{2,3})/[MF]\b",
    )
});

/// An age said of a person: "my grandma (96)", "her mom, 94, is", "who is 95 and", "he will
/// be 95 next month", "Ms Ortiz is 99.", "at 95 she still drives", "Patient of mine — 91,".
static AGE_OF_PERSON: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:she|he|who|pt|patient|mom|mum|mother|dad|father|wife|husband|grandma",
        r"|grandmother|grandpa|grandfather|grandmom|granddad|nana|aunt|uncle|sister|brother",
        r"|(?:mr|mrs|ms|miss)\.?[ \t]+[a-z][a-z'\-]+)",
        r"(?:'ll[ \t]+be[ \t]+|[ \t]*,[ \t]*|[ \t]*\([ \t]*",
        r"|[ \t]+(?:is|was|will[ \t]+be|is[ \t]+now|turned|turns|just[ \t]+turned)[ \t]+)",
        r"(\d{2,3})(?:[ \t]*[,;:!?)—–]|[ \t]+-[ \t]|[ \t]*$|\.(?:\s|$)",
        r"|[ \t]+(?:and|but|with|next|this|in|on|at|years?|yrs?|yo|today|now|so)\b)",
        r"|(?i)\bat[ \t]+(\d{2,3}),?[ \t]+(?:she|he|they|the[ \t]+patient|pt|mom|dad)\b",
        // Set off by a dash after words, as a sentence names someone: "the woman I posted
        // about — 97, aspiration pneumonia" (not a range: "AF 90–110").
        r"|[a-z,.)][ \t]+[\x{2014}\x{2013}][ \t]*(\d{2,3})[ \t]*(?:[,;!]|\.(?:\s|$))",
    ))
});

/// An age in words: "ninety-two-year-old", "aged ninety one", "(ninety-six F)".
/// What may come right before a spelt age and make it one ("aged ninety", "she's a
/// hundred"): kept out of [`AGE_WORDS`] so that its search can start from the number's
/// words.
static AGE_WORDS_CUE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(r"(?i)\b(?:age|aged|turned|turns|she's|he's|she[ \t]+is|he[ \t]+is)[ \t]*:?[ \t]*$")
});

static AGE_WORDS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<n>ninety(?:[ \t-](?:one|two|three|four|five|six|seven|eight|nine))?|(?:one|a)[ \t-]hundred(?:[ \t-](?:and[ \t-])?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))?)(?P<after>[ \t-]+(?:years?|yrs?|yo|y/o)\b|[ \t]?[MF]\))?",
    )
});

/// Words before a number that make it a temperature, not an age ("Tmax 99F").
fn temperature_before(doc: &Doc, start: usize) -> bool {
    let before = doc.before(start, 16).to_ascii_lowercase();
    // Whole words only: "Rm 1109 Petit 95F" is an age, "T 99F" a temperature.
    let words: Vec<&str> = before
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // "T" counts only right before the number ("T 99F", not "Leif T., 96M").
    let t_right_before = words.last() == Some(&"t")
        && before
            .trim_end_matches([' ', '\t', ':', '='])
            .ends_with('t');
    before.contains('°')
        || t_right_before
        || words
            .iter()
            .any(|w| matches!(*w, "temp" | "tmax" | "fever" | "febrile" | "deg"))
}

/// Sites of journals, publishers, indexes, guidelines and calculators: their links point to
/// the literature, not to a person. Written for Huddle.
const REFERENCE_SITES: &[&str] = &[
    "doi.org",
    "nih.gov",
    "nejm.org",
    "jamanetwork.com",
    "thelancet.com",
    "bmj.com",
    "ahajournals.org",
    "acc.org",
    "heart.org",
    "oup.com",
    "sciencedirect.com",
    "springer.com",
    "wiley.com",
    "nature.com",
    "cell.com",
    "cochranelibrary.com",
    "uptodate.com",
    "clinicaltrials.gov",
    "cdc.gov",
    "who.int",
    "fda.gov",
    "medrxiv.org",
    "biorxiv.org",
    "mdcalc.com",
    "idsociety.org",
    "nccn.org",
    "annals.org",
    "acpjournals.org",
    "atsjournals.org",
    "lww.com",
    "pnas.org",
    "science.org",
    "karger.com",
    "frontiersin.org",
    "plos.org",
    "medscape.com",
    "aafp.org",
    "acog.org",
    "aap.org",
    "diabetesjournals.org",
    "escardio.org",
    "kdigo.org",
    "asco.org",
    "ascopubs.org",
    "thoracic.org",
    "chestnet.org",
    "hrsonline.org",
    "acep.org",
    "sccm.org",
    "radiopaedia.org",
    "wikipedia.org",
    "nice.org.uk",
    "europepmc.org",
    "semanticscholar.org",
    "researchgate.net",
    "arxiv.org",
    "tandfonline.com",
    "sagepub.com",
    "jacc.org",
    "onlinejacc.org",
    "heartrhythmjournal.com",
    "gastrojournal.org",
    "aan.com",
    "neurology.org",
    "psychiatryonline.org",
    "elsevier.com",
    "thieme-connect.com",
    "ovid.com",
    "rsna.org",
    "ajronline.org",
    "ama-assn.org",
    "jwatch.org",
    "guidelinecentral.com",
    "ahrq.gov",
    "cms.gov",
    "hhs.gov",
    "merckmanuals.com",
    "medlineplus.gov",
    "statpearls.com",
    "asahq.org",
    "facs.org",
    "ashpublications.org",
    "hematology.org",
    "ersjournals.com",
    "journalofhospitalmedicine.com",
    "mayoclinicproceedings.org",
    "ncbi.nlm.nih.gov",
    // Added for the second build (general knowledge of medical publishing and teaching
    // sites; none taken from the development set, which holds no links).
    "pubmed.gov",
    "litfl.com",
    "emcrit.org",
    "rebelem.com",
    "first10em.com",
    "nephjc.com",
    "thennt.com",
    "aliem.com",
    "emdocs.net",
    "coreem.net",
    "mdpi.com",
    "biomedcentral.com",
    "hindawi.com",
    "cureus.com",
    "peerj.com",
    "f1000research.com",
    "jmir.org",
    "elifesciences.org",
    "embopress.org",
    "rupress.org",
    "jci.org",
    "ssrn.com",
    "annualreviews.org",
    "asnjournals.org",
    "ajkd.org",
    "kidney-international.org",
    "gi.org",
    "aasld.org",
    "easl.eu",
    "asge.org",
    "giejournal.org",
    "journal-of-hepatology.eu",
    "aappublications.org",
    "jpeds.com",
    "ajog.org",
    "smfm.org",
    "ajtmh.org",
    "asm.org",
    "uspreventiveservicestaskforce.org",
    "cancer.gov",
    "cancer.org",
    "ashp.org",
    "ismp.org",
    "drugs.com",
    "rxlist.com",
    "epocrates.com",
    "dynamed.com",
    "clinicalkey.com",
    "ema.europa.eu",
    "ecdc.europa.eu",
    "nhs.uk",
    "gov.uk",
    "sign.ac.uk",
    "rcplondon.ac.uk",
    "esmo.org",
    "eular.org",
    "rheumatology.org",
    "acr.org",
    "ersnet.org",
    "ginasthma.org",
    "goldcopd.org",
    "stroke.org",
    "strokeassociation.org",
    "bloodjournal.org",
    "haematologica.org",
    "jto.org",
    "annalsofoncology.org",
    "jnccn.org",
    "jamanetworkopen.com",
    "nejmevidence.org",
    "evidence.nejm.org",
    "scholar.google.com",
    "journals.plos.org",
    "academic.oup.com",
    "cmaj.ca",
    "mja.com.au",
    "aerzteblatt.de",
    "scielo.org",
    "jstage.jst.go.jp",
    "ncqa.org",
    "jointcommission.org",
    "ihi.org",
    "acponline.org",
    "hospitalmedicine.org",
    "ash.org",
    "idsa.org",
    "shea-online.org",
    "aats.org",
    "sts.org",
    "vascular.org",
    "spine.org",
    "aaos.org",
    "aao.org",
    "aad.org",
    "aua.org",
    "auanet.org",
    "endocrine.org",
    "aace.com",
    "diabetes.org",
    "obesitymedicine.org",
    "psychiatry.org",
    "apa.org",
    "aanp.org",
    "aapmr.org",
    "aaaai.org",
    "acaai.org",
    "chestjournal.org",
    "jhltonline.org",
    "ishlt.org",
    "anesthesiology.org",
    "asra.com",
    "ajnr.org",
    "radiologyassistant.nl",
    "ecgwaves.com",
    "ecgweekly.com",
    "lifeinthefastlane.com",
    "openanesthesia.org",
    "bcmj.org",
    "medpagetoday.com",
    "statnews.com",
    "healio.com",
    "tctmd.com",
    "cardiosmart.org",
    "emedicine.medscape.com",
    "reference.medscape.com",
    "fpnotebook.com",
    "amboss.com",
    "osmosis.org",
];

/// Is this a link to the literature: a reference site, or a path that names a DOI, an
/// article, a journal or a guideline?
/// Sites of non-commercial suffixes where people keep pages of their own (a patient's
/// journal, a family's fundraiser).
const PERSONAL_ORG_HOSTS: &[&str] = &[
    "caringbridge.org",
    "carecalendar.org",
    "mylifeline.org",
    "lotsahelpinghands.org",
    "archive.org",
    "wikipedia.org",
];

/// Words of the paths of an institution's guidance: standards, guidelines, resources.
const GUIDANCE_PATHS: &[&str] = &[
    "standard",
    "guideline",
    "guidance",
    "resource",
    "education",
    "practice",
    "statement",
    "recommend",
    "polic",
    "toolkit",
    "calculator",
    "clinical",
    "professional",
    "publication",
    "research",
    "topic",
    "disease",
    "condition",
    "survey",
    ".pdf",
];

/// Words of the paths of a page about someone.
const PERSONAL_PATHS: &[&str] = &[
    "obituar", "memorial", "profile", "people", "user", "member", "visit", "patient", "famil",
    "fund", "donat", "story", "stories", "tribute", "inbox", "direct", "~",
];

pub fn is_reference_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.strip_prefix("www.").unwrap_or(host);
    let site = REFERENCE_SITES
        .iter()
        .any(|s| host == *s || host.ends_with(&format!(".{s}")));
    let literature_path = [
        "doi/",
        "/doi",
        "10.1",
        "pmc",
        "pubmed",
        "/article",
        "/journals/",
        "fulltext",
        "/abstract",
        "guideline",
        "/content/",
    ]
    .iter()
    .any(|k| path.contains(k));
    // A society's, a school's or an agency's pages ("americangeriatrics.org",
    // "aabb.org/standards") point to no one, unless the site hosts people's own pages
    // ("caringbridge.org/visit/…").
    let personal_host = PERSONAL_ORG_HOSTS
        .iter()
        .any(|s| host == *s || host.ends_with(&format!(".{s}")));
    // Their home pages and pages of guidance, unless a page is about someone (an obituary,
    // a profile, a fundraiser, a name in the path).
    // A path of guidance or a portal's ("aabb.org/standards", "labconnect.org/v3"): no
    // word of a page about someone, no given name in it ("…/visit/janedoe").
    let lx = super::lexicon::get();
    let named = path
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 4)
        .any(|w| {
            lx.is_first_name(w)
                || (w.len() >= 5 && lx.is_surname(w) && !lx.is_english(w))
                || (3..w.len().saturating_sub(2)).any(|k| {
                    w.get(..k).is_some_and(|a| lx.is_first_name(a))
                        && w.get(k..).is_some_and(|b| lx.is_surname(b))
                })
        });
    let guidance = GUIDANCE_PATHS.iter().any(|k| path.contains(k))
        && !PERSONAL_PATHS.iter().any(|k| path.contains(k))
        && !named;
    let institution = [".org", ".gov", ".edu"].iter().any(|t| host.ends_with(t))
        && !personal_host
        && (path.trim_matches('/').is_empty() || guidance);
    site || literature_path || institution
}

/// Byte ranges of links to the literature: nothing inside them is an identifier (a PMID,
/// a DOI's digits).
pub fn reference_urls(doc: &Doc) -> Vec<(usize, usize)> {
    let Some(r) = URL.as_ref() else {
        return Vec::new();
    };
    r.find_iter(doc.text)
        .filter(|m| is_reference_url(m.as_str()))
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// Runs every pattern detector over the text.
pub fn find(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let text = doc.text;
    let push = |out: &mut Vec<PhiSpan>, start: usize, end: usize, kind: PhiKind| {
        if start < end {
            out.push(PhiSpan { start, end, kind });
        }
    };

    if let Some(r) = EMAIL.as_ref() {
        for m in r.find_iter(text) {
            push(out, m.start(), m.end(), PhiKind::Email);
        }
    }
    if let Some(r) = URL.as_ref() {
        for m in r.find_iter(text) {
            let trimmed = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            // A link to the literature or a guideline identifies no one.
            if !is_reference_url(trimmed) {
                push(out, m.start(), m.start() + trimmed.len(), PhiKind::Url);
            }
        }
    }
    if let Some(r) = IPV4.as_ref() {
        for c in r.captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            let octets_ok = (1..=4).all(|i| {
                c.get(i)
                    .and_then(|g| g.as_str().parse::<u16>().ok())
                    .is_some_and(|v| v <= 255)
            });
            let next_is_digit_dot = doc.after(m.end(), 2).starts_with('.')
                && doc
                    .after(m.end(), 2)
                    .chars()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_digit());
            let lab_before = doc.before(m.start(), 1) == "/"
                || LAB_CONTEXT
                    .as_ref()
                    .is_some_and(|r| r.is_match(doc.before(m.start(), 24)));
            if octets_ok && !next_is_digit_dot && !lab_before {
                push(out, m.start(), m.end(), PhiKind::Ip);
            }
        }
    }
    if let Some(r) = IPV6.as_ref() {
        for m in r.find_iter(text) {
            let s = m.as_str();
            let groups = s.split(':').filter(|g| !g.is_empty()).count();
            if groups >= 3 && s.chars().any(|c| c.is_ascii_digit()) {
                push(out, m.start(), m.end(), PhiKind::Ip);
            }
        }
    }
    if let Some(r) = SSN.as_ref() {
        for c in r.captures_iter(text) {
            if let Some(g) = (1..=6).find_map(|k| c.get(k)) {
                push(out, g.start(), g.end(), PhiKind::Ssn);
            }
        }
    }
    if let Some(r) = MASKED_RECORD.as_ref() {
        for c in r.captures_iter(text) {
            if let Some(g) = c.get(1) {
                push(out, g.start(), g.end(), PhiKind::Mrn);
            }
        }
    }
    if let Some(r) = SSN_LAST_FOUR.as_ref() {
        for c in r.captures_iter(text) {
            let (Some(between), Some(g)) = (c.get(1), c.get(2)) else {
                continue;
            };
            let between = between.as_str().to_lowercase();
            let unit_after = c.get(3).is_some_and(|u| {
                matches!(
                    u.as_str().trim().to_lowercase().as_str(),
                    "ml" | "cc"
                        | "mg"
                        | "mcg"
                        | "g"
                        | "kg"
                        | "l"
                        | "u"
                        | "units"
                        | "kcal"
                        | "steps"
                ) || u.as_str().trim_start().starts_with(['%', '/'])
            });
            let counted = between.split(|ch: char| !ch.is_alphabetic()).any(|w| {
                matches!(
                    w,
                    "hours"
                        | "hrs"
                        | "h"
                        | "days"
                        | "weeks"
                        | "months"
                        | "years"
                        | "doses"
                        | "shifts"
                        | "times"
                        | "visits"
                        | "readings"
                        | "values"
                        | "results"
                )
            });
            if !counted && !unit_after {
                push(out, g.start(), g.end(), PhiKind::Ssn);
            }
        }
    }
    // Values a key names, taken whole: the first group of each pattern.
    for (r, kind) in [
        (&GROUP_NUMBER, PhiKind::Account),
        (&USER_NAME, PhiKind::Other),
        (&PROVINCIAL_HEALTH_NUMBER, PhiKind::Account),
        (&SINGAPORE_POSTCODE, PhiKind::Zip),
    ] {
        let Some(r) = r.as_ref() else { continue };
        for c in r.captures_iter(text) {
            if let Some(g) = c.get(1) {
                push(out, g.start(), g.end(), kind);
            }
        }
    }
    for (r, kind) in [
        (&MEDICARE_SHAPE, PhiKind::Account),
        (&MASKED_ID, PhiKind::Other),
    ] {
        let Some(r) = r.as_ref() else { continue };
        for m in r.find_iter(text) {
            push(out, m.start(), m.end(), kind);
        }
    }
    if let Some(r) = PHONE.as_ref() {
        for m in r.find_iter(text) {
            if !numeric_neighbours(doc, m.start(), m.end()) && !looks_like_date(m.as_str()) {
                push(out, m.start(), m.end(), PhiKind::Phone);
            }
        }
    }
    if let Some(r) = INTL_PHONE.as_ref() {
        for m in r.find_iter(text) {
            let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
            if (8..=15).contains(&digits) {
                push(out, m.start(), m.end(), PhiKind::Phone);
            }
        }
    }
    phones_of(doc, &TRUNK_PHONE, 9..=11, out);
    phones_of(doc, &GROUPED_AFTER_CUE, 8..=12, out);
    phones_of(doc, &PHONE_CUE, 4..=12, out);
    phones_of(doc, &PAGER_CUE, 7..=12, out);
    phones_of(doc, &LOCAL_PHONE, 7..=7, out);
    cued_local_phones(doc, out);
    if let Some(r) = SPOKEN_PHONE.as_ref() {
        for m in r.find_iter(doc.text) {
            push(out, m.start(), m.end(), PhiKind::Phone);
        }
    }
    if let Some(r) = RECORD_NUMBER_ABROAD.as_ref() {
        for c in r.captures_iter(text) {
            if let Some(v) = c.get(1) {
                push(out, v.start(), v.end(), PhiKind::Mrn);
            }
        }
    }
    if let Some(r) = KEYED.as_ref() {
        for c in r.captures_iter(text) {
            keyed(text, &c, out);
        }
    }
    if let Some(r) = FIELD_ID.as_ref() {
        for c in r.captures_iter(text) {
            if let Some(v) = c.name("national") {
                // Six digits at least ("DNI 12 on file" is no number).
                let digits = v.as_str().chars().filter(char::is_ascii_digit).count();
                if digits >= 6 {
                    push(out, v.start(), v.end(), PhiKind::Id);
                }
            } else if let (Some(key), Some(v)) = (c.name("key"), c.name("grouped")) {
                let taken = out.iter().any(|s| s.start < v.end() && v.start() < s.end);
                // A key that calls its value a number reads it as `coded` does ("Lab No:
                // SSD/24/118902").
                let named = key.as_str().contains([' ', '\t']);
                if !taken
                    && (field_number(key.as_str(), v.as_str())
                        || named && coded_number(key.as_str(), v.as_str()))
                {
                    push(out, v.start(), v.end(), PhiKind::Id);
                }
            } else if let (Some(key), Some(v)) = (c.name("named"), c.name("coded")) {
                let taken = out.iter().any(|s| s.start < v.end() && v.start() < s.end);
                if !taken && coded_number(key.as_str(), v.as_str()) {
                    push(out, v.start(), v.end(), PhiKind::Other);
                }
            }
        }
    }
    // (Only where 17 letters and digits run together: the search is the cost.)
    if let Some(r) = VIN.as_ref().filter(|_| alphanumeric_run(text, 17)) {
        for m in r.find_iter(text) {
            let s = m.as_str();
            if s.chars().any(|c| c.is_ascii_alphabetic()) && s.chars().any(|c| c.is_ascii_digit()) {
                push(out, m.start(), m.end(), PhiKind::Id);
            }
        }
    }
    if let Some(r) = SERIAL_AFTER_COLON.as_ref() {
        for c in r.captures_iter(text) {
            if let Some(v) = c
                .get(1)
                .filter(|v| v.as_str().contains(|ch: char| ch.is_ascii_digit()))
            {
                push(out, v.start(), v.end(), PhiKind::Id);
            }
        }
    }
    if let Some(r) = LONG_NUMBER.as_ref() {
        for c in r.captures_iter(text) {
            let Some(m) = c
                .get(1)
                .or_else(|| c.get(2))
                .or_else(|| c.get(3))
                .or_else(|| c.get(0))
            else {
                continue;
            };
            if (c.get(2).is_some() || c.get(3).is_some())
                && REGISTRY_PREFIXES.iter().any(|p| m.as_str().starts_with(p))
            {
                continue;
            }
            if c.get(1).is_none() && numeric_neighbours(doc, m.start(), m.end()) {
                continue;
            }
            if c.get(1).is_some() && is_gauge_or_size(m.as_str()) {
                continue;
            }
            // A clinician's or a practice's NPI identifies no patient.
            let before = doc.before(m.start(), 8).to_ascii_lowercase();
            if before.trim_end_matches([' ', ':', '#']).ends_with("npi") {
                continue;
            }
            push(out, m.start(), m.end(), PhiKind::Other);
        }
    }
    if let Some(r) = ACCESSION.as_ref() {
        for m in r.find_iter(text) {
            push(out, m.start(), m.end(), PhiKind::Other);
        }
    }
    // Codes of capitals and digits, word by word, in text whose case tells (notes in
    // capitals write times and settings this way: "11P-7A", "AC700X10").
    let lx = super::lexicon::get();
    for word in text.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '"' | ':' | '/')
    }) {
        let trimmed = word.trim_end_matches(['.', '!', '?']);
        if doc.upper_heavy
            || !mixed_code(trimmed)
            || obstetric_history(trimmed)
            || coma_scale(trimmed)
        {
            continue;
        }
        // Where the word sits in the text, in bytes.
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        // No part a word or a clinical abbreviation ("HR-110-133", "95-120-THOUGH").
        let plain_parts = trimmed.split('-').all(|p| {
            let lower = p.to_ascii_lowercase();
            // A time of a shift: "11P", "7AM".
            let hour = lower.trim_end_matches(['a', 'p', 'm']);
            if hour.len() < lower.len()
                && hour.len() <= 2
                && hour.chars().all(|c| c.is_ascii_digit())
            {
                return false;
            }
            !p.chars().all(|c| c.is_ascii_uppercase())
                || p.len() <= 2 && !lx.is_clinical(&lower)
                || !(lx.is_english(&lower) || lx.is_clinical(&lower) || lx.is_medical(&lower))
        });
        if plain_parts {
            push(out, start, start + trimmed.len(), PhiKind::Id);
        }
    }
    for r in [&AGE, &AGE_IN_OTHER_SCRIPTS]
        .into_iter()
        .filter_map(|r| r.as_ref())
    {
        for c in r.captures_iter(text) {
            let Some(g) = (1..c.len()).find_map(|k| c.get(k)) else {
                continue;
            };
            let older = digits_value(g.as_str()).is_some_and(|v| (90..=125).contains(&v));
            let decimal_before = doc.before(g.start(), 1) == ".";
            if older && !decimal_before {
                push(out, g.start(), g.end(), PhiKind::Age);
            }
        }
    }
    if let Some(r) = AGE_SEX.as_ref() {
        for c in r.captures_iter(text) {
            let Some(g) = (1..=4).find_map(|k| c.get(k)) else {
                continue;
            };
            let older = g
                .as_str()
                .parse::<u32>()
                .is_ok_and(|v| (90..=125).contains(&v));
            let decimal_before = doc.before(g.start(), 1) == ".";
            if older && !decimal_before && !temperature_before(doc, g.start()) {
                push(out, g.start(), g.end(), PhiKind::Age);
            }
        }
    }
    if let Some(r) = AGE_OF_PERSON.as_ref() {
        for c in r.captures_iter(text) {
            let Some(g) = (1..=3).find_map(|k| c.get(k)) else {
                continue;
            };
            if g.as_str()
                .parse::<u32>()
                .is_ok_and(|v| (90..=125).contains(&v))
            {
                push(out, g.start(), g.end(), PhiKind::Age);
            }
        }
    }
    if let Some(r) = AGE_WORDS.as_ref() {
        for c in r.captures_iter(text) {
            let Some(n) = c.name("n") else {
                continue;
            };
            // A spelt number is an age after "age"/"aged" or before "years", "yo", "F)"; a
            // spelt ninety-something is one anywhere unless a unit or a count follows
            // ("ninety minutes", "ninety patients"): people write ages out, not doses.
            let cued = c.name("after").is_some()
                || AGE_WORDS_CUE
                    .as_ref()
                    .is_some_and(|r| r.is_match(doc.before(n.start(), 16)));
            let counted = doc
                .after(n.end(), 24)
                .trim_start_matches([' ', '\t', '-'])
                .split(|c: char| !c.is_alphanumeric() && c != '%')
                .next()
                .is_some_and(|w| {
                    let w = w.to_ascii_lowercase();
                    w.starts_with('%')
                        || (w.len() > 2 && w.ends_with('s'))
                        || matches!(
                            w.as_str(),
                            "percent"
                                | "mg"
                                | "ml"
                                | "cc"
                                | "kg"
                                | "lb"
                                | "mmhg"
                                | "bpm"
                                | "degree"
                                | "minute"
                                | "hour"
                                | "day"
                                | "week"
                                | "month"
                                | "second"
                                | "unit"
                                | "times"
                                | "x"
                        )
                });
            let spelt = n.as_str().to_ascii_lowercase();
            let ninety = spelt.starts_with("ninety") || spelt.contains("hundred");
            if cued || (ninety && !counted) {
                push(out, n.start(), n.end(), PhiKind::Age);
            }
        }
    }
    slashed_records(doc, out);
}

/// An age in brackets or between commas right after a name.
static AGE_AFTER_NAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"^(?:[ \t]*\((\d{2,3})[),]|(?:,|[ \t]*[\-\x{2013}\x{2014}])[ \t]*(\d{2,3})[ \t]*(?:,|\)|;|:|\.(?:\s|$)|\n|$)",
        // "Eunice Partlow 97 — new cough": a number alone between a name and a dash.
        r"|[ \t]+(\d{2,3})[ \t]+[\-\x{2013}\x{2014}|]",
        // "Ethel Marchetti 95, 17 Crabapple Rd", "zhou xiuying 93f", "hamid karimi 93m from".
        r"|[ \t]+(\d{2,3})[mfMF]?(?:[ \t]*(?:[,;]|\.(?:\s|$)|\n|$)|[ \t]+(?i:from|with|w|in|at|and)\b)",
        r"|,?[ \t]+(?i:is|was|who is|will be|turned|just turned)(?:[ \t]+(?i:now|only|still|literally))?[ \t]+(\d{2,3})",
        r"[ \t]*(?:[.,;!?()]|$|(?i:and|but|years?|yrs?|yo|on|in|next|this|today|now|so|lol|soon)\b|y/o))",
    ))
});

/// "Bea Whitlock 97 s/p TAVR", "Lillian Petrakis 90  AVF cannulated": a number alone after a
/// name, then any word but a unit's (not "Na 112 mmol").
static AGE_BEFORE_A_WORD: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^[ \t]+(\d{2,3})[ \t]+(\p{L}[\p{L}/%]*)"));

/// Words after a number that make it a measure, not an age.
const UNITS: &[&str] = &[
    "mg", "mcg", "g", "kg", "lb", "lbs", "pounds", "ml", "l", "cc", "mmhg", "bpm", "min", "mins",
    "minutes", "hr", "hrs", "hours", "days", "weeks", "wks", "months", "x", "times", "units", "u",
    "mm", "cm", "beats", "percent", "points", "pts", "meq", "mmol", "mg/dl", "mmol/l", "iu",
    "degrees", "f", "c", "%", "over", "per", "out", "of",
];

fn age_before_a_word(after: &str) -> Option<regex::Match<'_>> {
    let c = AGE_BEFORE_A_WORD.as_ref()?.captures(after)?;
    let word = c.get(2)?.as_str().to_lowercase();
    (!UNITS.contains(&word.as_str()))
        .then(|| c.get(1))
        .flatten()
}

/// A local number of seven digits in its dashed shape after a word that says how to reach
/// someone, in English or in the languages patients write in, with a few words between:
/// "Mi celular es 555-0163", "Số điện thoại của con: 555-0134", "연락처: 555-0147",
/// "رقمي 555-0191", "電話：555-0119", "Il mio numero è 555-0177", "Tandem's fax, 555-0171".
/// (LOCAL_PHONE takes the English words right before the number.)
static CUED_LOCAL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(concat!(
        r"(?i)(?:\b(?:pager|pgr|beeper|cell|cellphone|mobile|phone|ph|tel|telephone|fax|contact|calls?|called|reach|reached|text|texted|number|home|work|cel|celular|m[óo]vil|telem[óo]vel|telefone|tel[ée]fono|telefon|t[ée]l[ée]phone|n[uú]mero|nomor|namba|taleefan\w*|điện\s+thoại|sđt|телефон|тел|τηλ\w*)\b",
        r"|연락처|전화|휴대폰|電話|电话|手机|携帯|رقم\w*|هاتف|جوال|شماره|تلفن|फोन|फ़ोन|नंबर)",
        r"[^\n\d]{0,25}?(?-u:\b)([2-9]\d{2})-(\d{4})(?-u:\b)",
    ))
});

/// Such numbers, but not one glued into a longer code ("TRC-NW400-2281"), a range of round
/// numbers or one before a unit ("500-1000 mg"), or one among other numbers.
fn cued_local_phones(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let Some(r) = CUED_LOCAL.as_ref() else {
        return;
    };
    for c in r.captures_iter(doc.text) {
        let (Some(a), Some(b)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let m = (a.start(), b.end());
        let glued = doc
            .before(m.0, 1)
            .chars()
            .next_back()
            .is_some_and(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '–' | '+'))
            || doc.after(m.1, 1).starts_with(['-', '–']);
        let round = |g: regex::Match| g.as_str().parse::<u32>().is_ok_and(|n| n % 100 == 0);
        let unit = doc
            .after(m.1, 8)
            .trim_start()
            .split(|ch: char| !ch.is_alphabetic() && ch != 'µ')
            .next()
            .is_some_and(|w| RANGE_UNITS.contains(&w.to_lowercase().as_str()));
        if glued || round(a) && round(b) || unit || numeric_neighbours(doc, m.0, m.1) {
            continue;
        }
        out.push(PhiSpan {
            start: m.0,
            end: m.1,
            kind: PhiKind::Phone,
        });
    }
}

/// Units after a range of numbers ("500-1000 mg"). (Not [`UNITS`], the measures that are no
/// age: "of", "over", "per" after a phone number are words of the sentence.)
const RANGE_UNITS: &[&str] = &[
    "mg", "mcg", "µg", "g", "kg", "iu", "units", "u", "ml", "ms", "mm", "cm", "ng", "pg", "cells",
    "copies", "kcal", "cal", "steps", "meters", "m", "ft", "lb", "lbs", "min", "mins", "minutes",
    "hours", "hrs", "days", "patients", "people",
];

/// A local number of seven digits.
static SEVEN_DIGITS: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\b\d{3}[-.]\d{4}\b"));

/// A local number right after a relative or a name found, on the same line and in the same
/// field: "son, 555-0178", "Dad Chinedu 555-0191", "son Beto (HCP) 555-0104", "wife
/// Natalia 555-0148". At most four words back, none of them past a bar, a tab or a line.
pub fn phones_after_people(doc: &Doc, found: &[PhiSpan], out: &mut Vec<PhiSpan>) {
    let Some(r) = SEVEN_DIGITS.as_ref() else {
        return;
    };
    let toks = &doc.tokens;
    for m in r.find_iter(doc.text) {
        if numeric_neighbours(doc, m.start(), m.end()) {
            continue;
        }
        let k = toks.partition_point(|t| t.end <= m.start());
        let mut person = false;
        for j in (k.saturating_sub(4)..k).rev() {
            let Some(t) = toks.get(j) else { break };
            if doc.gap_after(j).contains(['\n', '|', '\t']) {
                break;
            }
            let named = found
                .iter()
                .any(|s| s.kind == PhiKind::Name && s.start <= t.start && t.end <= s.end);
            if named || super::names::RELATIONS.contains(&t.lower()) {
                person = true;
                break;
            }
        }
        if person {
            out.push(PhiSpan {
                start: m.start(),
                end: m.end(),
                kind: PhiKind::Phone,
            });
        }
    }
}

/// "Mrs. Okafor (92)", "J. Smith, 93, presented", "Mr. Brown is 93 and", "Ethel Marchetti
/// 95, 17 Crabapple Rd": a number of 90 or more right after a name found is the person's age.
pub fn ages_after_names(doc: &Doc, found: &[PhiSpan], out: &mut Vec<PhiSpan>) {
    let Some(r) = AGE_AFTER_NAME.as_ref() else {
        return;
    };
    let lx = super::lexicon::get();
    for s in found.iter().filter(|s| s.kind == PhiKind::Name) {
        let after = doc.after(s.end, 24);
        // A number after a space alone is the lab's when the name ends in a lab's word: the
        // name was cut wrong ("Jovanovic, Nikola Na 112").
        let last = doc.tokens.partition_point(|t| t.end <= s.end);
        let ends_in_a_lab = last
            .checked_sub(1)
            .and_then(|k| doc.tokens.get(k))
            .is_some_and(|t| lx.is_clinical(t.lower()) || lx.is_medical(t.lower()));
        let Some(g) = r
            .captures(after)
            .and_then(|c| {
                (1..=5)
                    .filter(|&k| !(k == 4 && ends_in_a_lab))
                    .find_map(|k| c.get(k))
            })
            .or_else(|| age_before_a_word(after).filter(|_| !ends_in_a_lab))
        else {
            if let Some((start, end)) = age_field_after(doc, s.end) {
                out.push(PhiSpan {
                    start,
                    end,
                    kind: PhiKind::Age,
                });
            }
            continue;
        };
        if g.as_str()
            .parse::<u32>()
            .is_ok_and(|v| (90..=125).contains(&v))
        {
            out.push(PhiSpan {
                start: s.end + g.start(),
                end: s.end + g.end(),
                kind: PhiKind::Age,
            });
        }
    }
}

/// A field of its own holding only a number of 90 to 125, later on the line of a name, is
/// the person's age: the columns of a board or a list ("| Hadley | 93 | Arbor Glen |",
/// "Ramaswamy, retired surgeon, 90, post-CVA", "DUBOIS, LOUISE DOB 10/10/1932 (93)").
/// Fields are cut at bars, commas, semicolons, brackets, dashes and runs of spaces; a
/// number beside another bare number is one of a series of values, not an age.
fn age_field_after(doc: &Doc, from: usize) -> Option<(usize, usize)> {
    let rest = doc.after(from, 80);
    let line = rest.split('\n').next().unwrap_or("");
    // (start, text) of each field; a cut is a separator character, or a dash or a run of
    // spaces between spaces.
    let mut fields: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    let mut prev = ' ';
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        // (Not the comma of a thousand: "CK 2,100".)
        let thousands =
            c == ',' && prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit());
        prev = c;
        let cut = matches!(
            c,
            '|' | ',' | ';' | '(' | ')' | '[' | ']' | '\u{2013}' | '\u{2014}'
        ) && !thousands
            || (c == ' ' && next == Some(' '))
            || (c == '-' && next == Some(' ') && line[..i].ends_with(' '));
        if cut {
            fields.push((start, line.get(start..i).unwrap_or("")));
            start = i + c.len_utf8();
        }
    }
    fields.push((start, line.get(start..).unwrap_or("")));
    let bare = |f: &str| {
        let t = f.trim();
        !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
    };
    // The first field goes on from the name ("Nikola Na 112"), and fields empty of anything
    // but spaces do not separate two numbers of a series.
    let filled: Vec<(usize, &str)> = fields
        .into_iter()
        .skip(1)
        .filter(|(_, f)| !f.trim().is_empty())
        .collect();
    for (k, &(at, f)) in filled.iter().enumerate() {
        let t = f.trim();
        let age =
            bare(t) && t.len() <= 3 && t.parse::<u32>().is_ok_and(|v| (90..=125).contains(&v));
        if !age {
            continue;
        }
        let series = k
            .checked_sub(1)
            .and_then(|j| filled.get(j))
            .is_some_and(|(_, p)| bare(p))
            || filled.get(k + 1).is_some_and(|(_, n)| bare(n));
        if series {
            return None;
        }
        let offset = from + at + (f.len() - f.trim_start().len());
        return Some((offset, offset + t.len()));
    }
    None
}

fn keyed(text: &str, c: &Captures, out: &mut Vec<PhiSpan>) {
    let Some(value) = c.name("value") else { return };
    if c.name("license").is_some_and(|k| is_unit_dl(text, k)) {
        return;
    }
    let v = value.as_str();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let kind = if c.name("mrn").is_some() {
        PhiKind::Mrn
    } else if c.name("account").is_some() {
        PhiKind::Account
    } else if c.name("license").is_some() {
        PhiKind::License
    } else if c.name("id").is_some() {
        PhiKind::Id
    } else {
        PhiKind::Other
    };
    // The short names of national health numbers take a whole number ("CHI 12" is none).
    if c.name("national").is_some() && v.len() < 7 {
        return;
    }
    // Capitals and a space before the digits only in a card's number ("RAMQ TREJ 6205
    // 1418", "Medicaid card MA 41-772-0915-B"), not "ID: TMAX 101".
    let spaced_prefix = v
        .split_once(' ')
        .is_some_and(|(head, _)| !head.contains(|ch: char| ch.is_ascii_digit()));
    // (A plate or a serial keeps its letters too: "plate IA 7KZ 402", "serial PJN 804311".)
    let prefix_kept = match kind {
        PhiKind::Account => digits >= 6,
        PhiKind::Id => digits >= 3,
        _ => false,
    };
    if spaced_prefix && !prefix_kept {
        // The capitals may be a keyword of their own: "Medicare MBI 9827".
        if let Some(inner) = KEYED
            .as_ref()
            .and_then(|r| r.captures_at(text, value.start()))
            .filter(|i| i.get(0).is_some_and(|m| m.start() == value.start()))
        {
            keyed(text, &inner, out);
        }
        return;
    }
    // Short bare numbers after generic words ("case 2", "order 3") are not identifiers.
    let min_digits = match kind {
        _ if c.name("national").is_some() => 4,
        PhiKind::Other | PhiKind::Id => 3,
        _ => 2,
    };
    if digits >= min_digits && !is_gauge_or_size(v) {
        out.push(PhiSpan {
            start: value.start(),
            end: value.end(),
            kind,
        });
    }
}

/// "mg/dL 140", "10.2 g dl": "dl" the unit, not a driver's licence.
fn is_unit_dl(text: &str, keyword: regex::Match) -> bool {
    if !keyword.as_str().eq_ignore_ascii_case("dl") {
        return false;
    }
    let before = text
        .get(..keyword.start())
        .unwrap_or("")
        .trim_end_matches([' ', '\t'])
        .to_ascii_lowercase();
    before.ends_with(['/', '.'])
        || before.ends_with(|c: char| c.is_ascii_digit())
        || [
            "g", "mg", "mcg", "ng", "pg", "meq", "mmol", "units", "u", "iu", "per",
        ]
        .iter()
        .any(|u| {
            before.ends_with(u)
                && !before[..before.len() - u.len()].ends_with(|c: char| c.is_alphabetic())
        })
}

/// "18g", "20fr", "7.5": sizes of needles and tubes, not identifiers.
fn is_gauge_or_size(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let unit = lower.trim_start_matches(|c: char| c.is_ascii_digit());
    matches!(
        unit,
        "g" | "ga" | "fr" | "f" | "cm" | "mm" | "mg" | "ml" | "cc"
    )
}

/// A number read out in words, as dictation and voice typing write it: "five five five, oh
/// one six six", "cinco cinco cinco, cero uno cero nueve": seven digits or more.
static SPOKEN_PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let digit = concat!(
        r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine",
        r"|cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)"
    );
    re(&format!(
        r"(?i)\b{digit}(?:[ \t]*[,.\-\u{{2013}}]?[ \t]+{digit}){{6,}}\b"
    ))
});

/// Phone numbers matched by `r` (its first group, or the whole match) with a count of
/// digits in `digits`, not inside a longer run of numbers.
fn phones_of(
    doc: &Doc,
    r: &LazyLock<Option<Regex>>,
    digits: std::ops::RangeInclusive<usize>,
    out: &mut Vec<PhiSpan>,
) {
    let Some(r) = r.as_ref() else { return };
    for c in r.captures_iter(doc.text) {
        let Some(g) = c.get(1).or_else(|| c.get(0)) else {
            continue;
        };
        let n = g.as_str().chars().filter(char::is_ascii_digit).count();
        if digits.contains(&n) && !numeric_neighbours(doc, g.start(), g.end()) {
            out.push(PhiSpan {
                start: g.start(),
                end: g.end(),
                kind: PhiKind::Phone,
            });
        }
    }
}

/// Gravidity and parity ("G3P2002", "g2p1"): a woman's obstetric history, no identifier.
fn obstetric_history(code: &str) -> bool {
    let lower = code.to_ascii_lowercase();
    lower.strip_prefix('g').is_some_and(|rest| {
        rest.split_once('p').is_some_and(|(g, p)| {
            (1..=2).contains(&g.len())
                && g.bytes().all(|b| b.is_ascii_digit())
                && !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        })
    })
}

/// A Glasgow coma score by its parts ("E1V2M4", "E3VTM5"): a finding, no identifier.
fn coma_scale(code: &str) -> bool {
    let upper = code.to_ascii_uppercase();
    let [b'E', e, b'V', v, b'M', m] = upper.as_bytes() else {
        return false;
    };
    (b'1'..=b'4').contains(e)
        && ((b'1'..=b'5').contains(v) || *v == b'T')
        && (b'1'..=b'6').contains(m)
}

/// The match is part of a longer number ("7.35/45/80", "1,200,000"): a digit, a decimal
/// point followed by a digit, or a slash right next to it.
fn numeric_neighbours(doc: &Doc, start: usize, end: usize) -> bool {
    let before = doc.before(start, 2);
    let after = doc.after(end, 2);
    let b1 = before.chars().last();
    let a1 = after.chars().next();
    let a2 = after.chars().nth(1);
    b1.is_some_and(|c| c.is_ascii_digit() || c == '/' || c == '.' || c == ',')
        || a1.is_some_and(|c| c.is_ascii_digit() || c == '/')
        || (matches!(a1, Some('.') | Some(',')) && a2.is_some_and(|c| c.is_ascii_digit()))
}

/// "12/25/2019" also fits the loose phone shape; it is a date.
fn looks_like_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.trim().chars().all(|c| c.is_ascii_digit()))
        && parts.first().is_some_and(|p| p.trim().len() <= 2)
}

/// The value of a number written in the digits of any of the scripts patients write in
/// ("91", "۹۱" in Persian, "৯১" in Bengali, "९१" in Devanagari, "٩١" in Arabic).
fn digits_value(number: &str) -> Option<u32> {
    number.chars().try_fold(0u32, |value, c| {
        let digit = match c {
            '0'..='9' => u32::from(c) - u32::from('0'),
            '\u{660}'..='\u{669}' => u32::from(c) - 0x660,
            '\u{6F0}'..='\u{6F9}' => u32::from(c) - 0x6F0,
            '\u{966}'..='\u{96F}' => u32::from(c) - 0x966,
            '\u{9E6}'..='\u{9EF}' => u32::from(c) - 0x9E6,
            _ => return None,
        };
        value.checked_mul(10)?.checked_add(digit)
    })
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;

    fn kinds(text: &str) -> Vec<(String, PhiKind)> {
        scan(text)
            .into_iter()
            .map(|s| (text.get(s.start..s.end).unwrap_or("?").to_string(), s.kind))
            .collect()
    }

    #[test]
    fn email_and_url() {
        assert_eq!(
            kinds("write to jane.doe+x@mail.example.org."),
            [("jane.doe+x@mail.example.org".to_string(), PhiKind::Email)]
        );
        assert_eq!(
            kinds("see https://example.com/p?id=4, or www.family-blog.net."),
            [
                ("https://example.com/p?id=4".to_string(), PhiKind::Url),
                ("www.family-blog.net".to_string(), PhiKind::Url)
            ]
        );
    }

    #[test]
    fn numbers_as_the_rest_of_the_world_writes_them() {
        for (text, want) in [
            (
                "her son can bring her (01229 555 718). Yours",
                "01229 555 718",
            ),
            ("ring me on 07700 555 904 after 3", "07700 555 904"),
            ("home landline (02) 5550 7314, no answer", "(02) 5550 7314"),
            ("Contact: 9555 4021 (daughter)", "9555 4021"),
            ("मेरा नंबर 98110 55517 है।", "98110 55517"),
            ("孙子，电话138 5550 2761 转诊", "138 5550 2761"),
            ("Namba yangu ni 0733 555 108.", "0733 555 108"),
        ] {
            assert_eq!(kinds(text), [(want.to_string(), PhiKind::Phone)], "{text}");
        }
        // Doses, times and pagers are not.
        assert!(kinds("Dose 0.5 mg at 0800 and 1600 1200").is_empty());
        assert!(kinds("ranges 0 100 then 0 200").is_empty());
    }

    /// Asserts that each text has its value found as its kind.
    fn assert_found(cases: &[(&str, &str, PhiKind)]) {
        for &(text, want, kind) in cases {
            assert!(
                kinds(text).contains(&(want.to_string(), kind)),
                "{text}: {:?}",
                kinds(text)
            );
        }
    }

    #[test]
    fn national_ids_kits_and_prison_numbers_after_their_keyword() {
        assert_found(&[
            (
                "Name: Tan Ah Kow   NRIC: S3019472D Address",
                "S3019472D",
                PhiKind::Other,
            ),
            (
                "Aadhaar: 4821 7730 5162   Mob",
                "4821 7730 5162",
                PhiKind::Other,
            ),
            (
                "Inmate: GREER   DOC # 284117 Facility",
                "284117",
                PhiKind::Other,
            ),
            (
                "newborn screen Kit no. 26-0418-22719, at 26 h",
                "26-0418-22719",
                PhiKind::Other,
            ),
            (
                "Dialysis unit patient no.: LDW-20417  ESRD",
                "LDW-20417",
                PhiKind::Mrn,
            ),
            (
                "waitlist: UNOS ZWK8841, cPRA 98%",
                "ZWK8841",
                PhiKind::Other,
            ),
        ]);
        assert!(kinds("UNOS policy changed in 2021; kit 2 is the blue one.").is_empty());
    }

    #[test]
    fn plates_serials_alien_numbers_and_police_reports() {
        assert_found(&[
            (
                "Police have the vehicle plate IA 7KZ 402 registered",
                "IA 7KZ 402",
                PhiKind::Id,
            ),
            (
                "security says plate HJT 4471 gets towed",
                "HJT 4471",
                PhiKind::Id,
            ),
            (
                "Pacemaker serial PJN 804311 S. Home monitor",
                "PJN 804311",
                PhiKind::Id,
            ),
            (
                "His A-number is A214-558-903. Legal aid asks",
                "A214-558-903",
                PhiKind::Other,
            ),
            (
                "the police report # is 26-004881 and the",
                "26-004881",
                PhiKind::Other,
            ),
            (
                "Newborn screen at 25 hours, kit 4471-0093-82. TSH",
                "4471-0093-82",
                PhiKind::Other,
            ),
        ]);
        // In brackets after the keyword, with a state's code or without.
        assert_found(&[
            (
                "Her US driver's licence (WI) A416-7731-9082-04 was used",
                "A416-7731-9082-04",
                PhiKind::License,
            ),
            (
                "His CDL (M4418-2230-7751) is his income.",
                "M4418-2230-7751",
                PhiKind::License,
            ),
        ]);
        assert!(kinds("case (12) reviewed; lot (5 mg) fine").is_empty());
        // A model's letters stay a model's: "ID: TMAX 101".
        assert!(kinds("ID: TMAX 101 on the pump").is_empty());
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(
            kinds("logged from 192.168.10.254 today"),
            [("192.168.10.254".to_string(), PhiKind::Ip)]
        );
        assert_eq!(
            kinds("from fe80::1ff:fe23:4567:890a ok"),
            [("fe80::1ff:fe23:4567:890a".to_string(), PhiKind::Ip)]
        );
        assert!(kinds("version 999.1.2.3").is_empty());
    }

    #[test]
    fn ssn() {
        assert_eq!(
            kinds("SSN: 123-45-6789"),
            [("123-45-6789".to_string(), PhiKind::Ssn)]
        );
        assert_eq!(
            kinds("social security number 123 45 6789"),
            [("123 45 6789".to_string(), PhiKind::Ssn)]
        );
    }

    #[test]
    fn obstetric_histories_are_no_identifiers() {
        for t in [
            "LDR2  G3P2002 41+0 spont labor",
            "G4P1203 33+1 PPROM since yesterday",
        ] {
            assert!(
                kinds(t).iter().all(|(_, k)| *k != PhiKind::Id),
                "{t}: {:?}",
                kinds(t)
            );
        }
        assert_eq!(
            kinds("pacemaker serial PJN448210S"),
            [("PJN448210S".to_string(), PhiKind::Id)]
        );
    }

    #[test]
    fn numbers_read_out_in_words() {
        for (t, want) in [
            (
                "read back by pt as \"five five five, oh one six six\". Spoke to",
                "five five five, oh one six six",
            ),
            (
                "Mi número es el cinco cinco cinco, cero uno cero nueve.",
                "cinco cinco cinco, cero uno cero nueve",
            ),
        ] {
            assert_eq!(kinds(t), [(want.to_string(), PhiKind::Phone)], "{t}");
        }
        assert!(kinds("one two three four, she counted to four").is_empty());
    }

    #[test]
    fn british_numbers_in_their_groups() {
        for (t, want) in [
            (
                "send it to my number +44 7700 900233 (I am in UK)",
                "+44 7700 900233",
            ),
            ("Rang her home, 01632 960517, no answer.", "01632 960517"),
            ("Mobile 07700 900064: husband", "07700 900064"),
        ] {
            assert_eq!(kinds(t), [(want.to_string(), PhiKind::Phone)], "{t}");
        }
        // Not a lot number in the same groups.
        assert!(kinds("lot 0424 118812 recalled")
            .iter()
            .all(|(_, k)| *k != PhiKind::Phone));
    }

    #[test]
    fn phones_faxes_pagers() {
        for (t, want) in [
            ("call wife at (410) 555-1234 tonight", "(410) 555-1234"),
            ("son 301-944-5032 cell", "301-944-5032"),
            ("home 617.555.0199", "617.555.0199"),
            ("fax: 202 555 0147 x45", "202 555 0147 x45"),
            ("her beeper 617-555-0148", "617-555-0148"),
        ] {
            assert_eq!(kinds(t), [(want.to_string(), PhiKind::Phone)], "{t}");
        }
        // A hospital's pager is how a clinician is reached, not a patient's number.
        for t in [
            "pager # 98765",
            "beeper 4-1234",
            "NIGHT FELLOW PAGER 4-7710",
            "pgr 2310",
        ] {
            assert!(kinds(t).iter().all(|(_, k)| *k != PhiKind::Phone), "{t}");
        }
    }

    #[test]
    fn a_local_number_a_few_words_after_its_cue_in_any_language() {
        for (t, want) in [
            ("Mi celular es 555-0163. Gracias.", "555-0163"),
            ("Số điện thoại của con: 555-0134.", "555-0134"),
            ("연락처: 555-0147", "555-0147"),
            ("電話：555-0119", "555-0119"),
            ("رقمي 555-0191", "555-0191"),
            ("Can you send it to Tandem's fax, 555-0171?", "555-0171"),
        ] {
            assert_eq!(kinds(t), [(want.to_string(), PhiKind::Phone)], "{t}");
        }
        // A range of a dose, a code that runs on, a number among numbers.
        for t in [
            "take vitamin D, number of units 800-1000 daily",
            "call if the dose is 250-1250 mg",
            "camera number TRC-NW400-2281",
            "contact code 2-400-2281",
        ] {
            assert!(kinds(t).iter().all(|(_, k)| *k != PhiKind::Phone), "{t}");
        }
    }

    #[test]
    fn record_account_licence_device_numbers() {
        for (t, want, kind) in [
            ("MRN: 00412345", "00412345", PhiKind::Mrn),
            ("medical record # A-7781", "A-7781", PhiKind::Mrn),
            ("acct #99812-3", "99812-3", PhiKind::Account),
            ("Medicaid ID 4412 then", "4412", PhiKind::Account),
            ("health plan number HP88120", "HP88120", PhiKind::Account),
            ("licence no. D1234567", "D1234567", PhiKind::License),
            ("DEA AB1234563", "AB1234563", PhiKind::License),
            ("pacemaker serial SN: PJN223344", "PJN223344", PhiKind::Id),
            ("plate 7ABC123 at the scene", "7ABC123", PhiKind::Id),
            ("ref # 8336652", "8336652", PhiKind::Other),
            ("VIN 1HGCM82633A004352", "1HGCM82633A004352", PhiKind::Id),
            ("policy #rg17 says", "rg17", PhiKind::Account),
            ("acct ending in 4421 was billed", "4421", PhiKind::Account),
            ("FIN 12345678 to reconcile", "12345678", PhiKind::Account),
            (
                "Medicare MBI 1EG4-TE5-MK73.",
                "1EG4-TE5-MK73",
                PhiKind::Account,
            ),
            ("MRN 123 456 78 on the label", "123 456 78", PhiKind::Mrn),
            (
                "DL: S123-4567-8901 expired",
                "S123-4567-8901",
                PhiKind::License,
            ),
            ("passport number X1234567", "X1234567", PhiKind::License),
        ] {
            assert_eq!(kinds(t), [(want.to_string(), kind)], "{t}");
        }
        for (t, want) in [
            ("hosp no LUTH/118274, HHD with CCF", "LUTH/118274"),
            ("UHID: TVM/23/448812\nAddress:", "TVM/23/448812"),
            ("Bed 12, 67/M, UHID 2024/MED/55817. DKA", "2024/MED/55817"),
            ("IP/OP No: NCRH/OP/88213", "NCRH/OP/88213"),
        ] {
            assert_eq!(kinds(t), [(want.to_string(), PhiKind::Mrn)], "{t}");
        }
        assert!(kinds("NS/125 overnight, PaO2/FiO2 180, then IVF/1000").is_empty());
        // Numbers known by their shape in any language's sentence, and half-hidden ones.
        for (t, want, kind) in [
            (
                "她的Medicare号码是2QF5-RW8-TT19。",
                "2QF5-RW8-TT19",
                PhiKind::Account,
            ),
            (
                "Pt LIM Boon Huat   NRIC: S****417F   Ward 6A",
                "S****417F",
                PhiKind::Other,
            ),
            (
                "Aadhaar: XXXX XXXX 6184   AB-PMJAY",
                "XXXX XXXX 6184",
                PhiKind::Other,
            ),
            (
                "Blk 418 Bedok North Avenue 2\nSingapore 460418",
                "460418",
                PhiKind::Zip,
            ),
        ] {
            assert!(
                kinds(t).contains(&(want.to_string(), kind)),
                "{t}: {:?}",
                kinds(t)
            );
        }
        assert!(kinds("the result was ****great**** today").is_empty());
        assert!(kinds("Acute SDH 11 mm, GCS 7 (E1V2M4), R pupil blown; GCS E3VTM5").is_empty());
        // A lot number is shared by every box of a batch: no one's identifier ("Tdap given
        // (lot U7143AA)", "reagent lot 41872", "Prevnar 20 lot LW7893 running low").
        for t in [
            "Tdap given (lot U7143AA)",
            "reagent lot 41872 replaced",
            "Prevnar 20 lot LW7893 running low",
        ] {
            assert!(kinds(t).is_empty(), "{t}: {:?}", kinds(t));
        }
    }

    #[test]
    fn ages_said_of_a_relative_as_families_write_them() {
        assert_found(&[
            ("my dad (frank) is 92 and lives alone", "92", PhiKind::Age),
            (
                "grandpa rocky (he's 96 lol and refuses the app)",
                "96",
                PhiKind::Age,
            ),
            (
                "She's 94 na po and visiting from Iloilo",
                "94",
                PhiKind::Age,
            ),
        ]);
        assert!(!kinds("HR is 96 lol and BP fine.")
            .iter()
            .any(|(_, k)| *k == PhiKind::Age));
    }

    #[test]
    fn ages_in_the_words_of_other_scripts() {
        for (t, want) in [
            ("શારદાબેન ત્રિવેદી, 91 વર્ષ, હિપ ફ્રેક્ચર", "91"),
            ("Սարգսյանին, 91 տարեկան, Գյումրի", "91"),
            ("환자: 박정숙 (여/91세)  등록번호", "91"),
            ("ผู้ป่วยหญิง อายุ 93 ปี ล้ม", "93"),
            ("מטופלת בת 94 מבני ברק", "94"),
            ("মা, বয়স ৯৫, একা থাকে", "৯৫"),
            ("Yung nanay ko po, 93 na, nadulas po sa banyo", "93"),
            ("Si nanay po, 92 na, nasa Vallejo po", "92"),
        ] {
            let ages: Vec<String> = kinds(t)
                .into_iter()
                .filter(|(_, k)| *k == PhiKind::Age)
                .map(|(w, _)| w)
                .collect();
            assert_eq!(ages, [want], "{t}");
        }
        // Younger, or no age at all: a dose, a year, a count of years.
        for t in [
            "ผู้ป่วยชาย อายุ 67 ปี",
            "מטופלת בת 84",
            "ਉਮਰ 58, ਪਿੰਡ",
            "2025년 3월 11일부터",
        ] {
            assert!(kinds(t).iter().all(|(_, k)| *k != PhiKind::Age), "{t}");
        }
    }

    #[test]
    fn ages_over_89_only() {
        assert_eq!(kinds("98 yo gentleman"), [("98".to_string(), PhiKind::Age)]);
        assert_eq!(kinds("a 92 year old"), [("92".to_string(), PhiKind::Age)]);
        assert_eq!(
            kinds("aged 101, lives"),
            [("101".to_string(), PhiKind::Age)]
        );
        assert!(kinds("89 yo man, 75 y/o wife").is_empty());
        for (t, want) in [
            ("at the age of 94 she lives alone", "94"),
            ("She is 96 and sharp", "96"),
            ("a 93yF with AF", "93"),
            ("turned 91 last month", "91"),
            ("her 100th birthday", "100"),
            ("Lee, 92 f, fell", "92"),
        ] {
            // The name beside an age is flagged too ("Lee"); only the ages are asked here.
            let ages: Vec<_> = kinds(t)
                .into_iter()
                .filter(|(_, k)| *k == PhiKind::Age)
                .collect();
            assert_eq!(ages, [(want.to_string(), PhiKind::Age)], "{t}");
        }
        // "dL" the unit, an heart rate now and then.
        assert!(kinds("glucose 140 mg/dl 12 hours ago, HR now 95, she is 95 kg").is_empty());
    }

    #[test]
    fn sizes_and_lab_values_are_not_identifiers() {
        assert!(kinds("#18g IV in L arm, plt 250, order 2 units").is_empty());
        assert!(kinds("ABG 7.35/45/80/24").is_empty());
    }
}
