//! Names written in scripts other than the Latin: patients and relatives write to the
//! clinic in their own language ("我是王丽，我的父亲王建国今年92岁", "저는 김민지입니다",
//! "أنا أمل الحسيني"), and charts give a name in both scripts ("Haruto Nishimura (西村
//! 陽翔)").
//!
//! The tagger learnt names from text in the Latin script; here a name is found by the
//! words that introduce a person in each language (I am, my mother, the patient, Mr.) and
//! by the script's own way of ending a name (a particle, a title after it, the next word).

use super::text::Doc;
use super::{PhiKind, PhiSpan};

/// A letter of a script other than the Latin (Vietnamese letters are Latin).
fn foreign_letter(c: char) -> bool {
    c.is_alphabetic() && !matches!(u32::from(c), 0..=0x24F | 0x1E00..=0x1EFF)
}

/// Han ideographs and the kana (Chinese and Japanese names).
fn han_or_kana(c: char) -> bool {
    matches!(u32::from(c), 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

fn hangul(c: char) -> bool {
    matches!(u32::from(c), 0xAC00..=0xD7A3)
}

/// How a language's names run on after the words that introduce them.
#[derive(Clone, Copy)]
enum Shape {
    /// Chinese and Japanese: two to four ideographs or kana, no space, up to a word that
    /// follows names ("今年", "的", "さん").
    Han,
    /// Korean: the syllables of a word, without the particle glued to them ("김민지입니다").
    Hangul,
    /// Scripts that space their words and have no case (Arabic, Persian, Hebrew, Devanagari,
    /// Ethiopic): one or two words up to punctuation or a word of the language's grammar.
    Spaced,
    /// Cyrillic: the capitalized words after the cue.
    Capitalized,
}

/// Words that introduce a person, in the languages patients write in most, and the shape of
/// what follows them.
const CUES: &[(&str, Shape)] = &[
    // Chinese: I am, I am called, my grandmother, my father...; patient; Mr.
    ("我是", Shape::Han),
    ("我叫", Shape::Han),
    ("我奶奶", Shape::Han),
    ("我爷爷", Shape::Han),
    ("我阿爺", Shape::Han),
    ("我阿嬤", Shape::Han),
    ("我妈妈", Shape::Han),
    ("我媽媽", Shape::Han),
    ("我爸爸", Shape::Han),
    ("的父亲", Shape::Han),
    ("的母亲", Shape::Han),
    ("的父親", Shape::Han),
    ("的母親", Shape::Han),
    ("我丈夫", Shape::Han),
    ("我太太", Shape::Han),
    ("我儿子", Shape::Han),
    ("我女儿", Shape::Han),
    ("孙女", Shape::Han),
    ("孫女", Shape::Han),
    ("的儿子", Shape::Han),
    ("的女儿", Shape::Han),
    ("的女兒", Shape::Han),
    ("患者", Shape::Han),
    ("病人", Shape::Han),
    // daughter, son (after "contact:"), Cantonese I am, dad, mum; name:, contact:, family:
    ("女儿", Shape::Han),
    ("儿子", Shape::Han),
    ("女兒", Shape::Han),
    ("兒子", Shape::Han),
    ("我係", Shape::Han),
    ("阿爸", Shape::Han),
    ("阿媽", Shape::Han),
    ("姓名：", Shape::Han),
    ("联系人：", Shape::Han),
    ("家属：", Shape::Han),
    // Japanese: name:, the patient's name:, his wife (
    ("氏名：", Shape::Han),
    ("奥様（", Shape::Han),
    // eldest son, eldest daughter, second son, second daughter
    ("長男 ", Shape::Han),
    ("長女 ", Shape::Han),
    ("次男 ", Shape::Han),
    ("次女 ", Shape::Han),
    // Japanese: mother's, grandmother's, daughter's...
    ("母の", Shape::Han),
    ("父の", Shape::Han),
    ("祖母の", Shape::Han),
    ("祖父の", Shape::Han),
    ("娘の", Shape::Han),
    ("息子の", Shape::Han),
    ("夫の", Shape::Han),
    ("妻の", Shape::Han),
    // Korean: I am; mother, father, daughter, son, husband; patient.
    ("저는 ", Shape::Hangul),
    ("어머니 ", Shape::Hangul),
    ("아버지 ", Shape::Hangul),
    ("엄마 ", Shape::Hangul),
    ("아빠 ", Shape::Hangul),
    ("딸 ", Shape::Hangul),
    ("아들 ", Shape::Hangul),
    ("남편 ", Shape::Hangul),
    ("할머니 ", Shape::Hangul),
    ("할아버지 ", Shape::Hangul),
    ("환자: ", Shape::Hangul),
    ("환자명: ", Shape::Hangul),
    ("수검자: ", Shape::Hangul),
    ("이름: ", Shape::Hangul),
    ("보호자 ", Shape::Hangul),
    // Arabic: I am; my mother, my father, my son, my daughter, my husband, my wife,
    // daughter of, son of; the patient; Mr., Mrs.
    ("أنا ", Shape::Spaced),
    ("أمي ", Shape::Spaced),
    ("أبي ", Shape::Spaced),
    ("ابني ", Shape::Spaced),
    ("ابنتي ", Shape::Spaced),
    ("زوجي ", Shape::Spaced),
    ("زوجتي ", Shape::Spaced),
    ("ابنة ", Shape::Spaced),
    ("المريض ", Shape::Spaced),
    ("المريضة ", Shape::Spaced),
    ("السيد ", Shape::Spaced),
    ("السيدة ", Shape::Spaced),
    // his son, her son, her daughter, her husband, his wife; the patient's name:
    ("ابنه ", Shape::Spaced),
    ("ابنها ", Shape::Spaced),
    ("ابنتها ", Shape::Spaced),
    ("زوجها ", Shape::Spaced),
    ("زوجته ", Shape::Spaced),
    ("اسم المريض: ", Shape::Spaced),
    // Name fields: Arabic, Persian, Urdu, Hindi, Amharic.
    ("الاسم: ", Shape::Spaced),
    ("نام بیمار: ", Shape::Spaced),
    ("مریض: ", Shape::Spaced),
    ("मरीज़: ", Shape::Spaced),
    ("नाम: ", Shape::Spaced),
    ("ስም: ", Shape::Spaced),
    // Urdu: son, daughter, husband, wife, son of, patient.
    ("بیٹا ", Shape::Spaced),
    ("بیٹی ", Shape::Spaced),
    ("شوہر ", Shape::Spaced),
    ("بیوی ", Shape::Spaced),
    ("ولد ", Shape::Spaced),
    ("مریض ", Shape::Spaced),
    // Persian: my father, my mother, my daughter, my son, my spouse; Mr., Mrs.
    ("پدرم ", Shape::Spaced),
    ("مادرم ", Shape::Spaced),
    ("دخترم ", Shape::Spaced),
    ("پسرم ", Shape::Spaced),
    ("همسرم ", Shape::Spaced),
    ("آقای ", Shape::Spaced),
    ("خانم ", Shape::Spaced),
    // Hebrew: here is (on the phone), mother of, father of, my name is.
    ("כאן ", Shape::Spaced),
    ("אמא של ", Shape::Spaced),
    ("אבא של ", Shape::Spaced),
    ("שמי ", Shape::Spaced),
    // Hindi: my father, my mother, my mother-in-law, my husband, my wife, my name is.
    ("मेरे पिता ", Shape::Spaced),
    ("मेरे पिताजी ", Shape::Spaced),
    ("मेरी माँ ", Shape::Spaced),
    ("मेरी सास ", Shape::Spaced),
    ("मेरे पति ", Shape::Spaced),
    ("मेरी पत्नी ", Shape::Spaced),
    ("मेरा नाम ", Shape::Spaced),
    // son, daughter, husband, wife, patient.
    ("बेटा ", Shape::Spaced),
    ("बेटी ", Shape::Spaced),
    ("पति ", Shape::Spaced),
    ("पत्नी ", Shape::Spaced),
    ("मरीज़ ", Shape::Spaced),
    ("रोगी ", Shape::Spaced),
    // Amharic: I (am).
    ("እኔ ", Shape::Spaced),
    // my husband, his child, my child, my mother.
    ("ባለቤቴ ", Shape::Spaced),
    ("ልጁ ", Shape::Spaced),
    ("ልጄ ", Shape::Spaced),
    ("እናቴ ", Shape::Spaced),
    // Russian and Ukrainian: I, mother, father, husband, wife, son, daughter, patient.
    ("Я ", Shape::Capitalized),
    ("мама ", Shape::Capitalized),
    ("папа ", Shape::Capitalized),
    ("муж ", Shape::Capitalized),
    ("мужа ", Shape::Capitalized),
    ("жена ", Shape::Capitalized),
    ("сын ", Shape::Capitalized),
    ("дочь ", Shape::Capitalized),
    ("дочерью ", Shape::Capitalized),
    ("пациент ", Shape::Capitalized),
    ("пациентка ", Shape::Capitalized),
    // patient:, full name:, in the name of, son's, daughter's, sister, granddaughter.
    ("Пациент: ", Shape::Capitalized),
    ("Пациентка: ", Shape::Capitalized),
    ("ФИО: ", Shape::Capitalized),
    ("на имя ", Shape::Capitalized),
    ("сына ", Shape::Capitalized),
    ("дочери ", Shape::Capitalized),
    ("сестра ", Shape::Capitalized),
    ("внучка ", Shape::Capitalized),
    // Name fields and relations of the forms and messages in Bengali, Nepali, Punjabi,
    // Urdu, Persian and Greek: patient's name:, patient:, name:, father:, my mother, my
    // father; son, daughter, grandson; my brother, my sister, father's name:.
    ("রোগীর নাম: ", Shape::Spaced),
    ("রোগী: ", Shape::Spaced),
    ("নাম: ", Shape::Spaced),
    ("পিতা: ", Shape::Spaced),
    ("আমার মা ", Shape::Spaced),
    ("আমার বাবা ", Shape::Spaced),
    ("बिरामीको नाम: ", Shape::Spaced),
    ("बिरामी: ", Shape::Spaced),
    ("छोरा ", Shape::Spaced),
    ("छोरी ", Shape::Spaced),
    ("ਨਾਮ: ", Shape::Spaced),
    ("ਮਰੀਜ਼: ", Shape::Spaced),
    ("ਪੋਤਾ ", Shape::Spaced),
    ("ਪੁੱਤਰ ", Shape::Spaced),
    ("مریض کا نام: ", Shape::Spaced),
    ("نام: ", Shape::Spaced),
    ("نام پدر: ", Shape::Spaced),
    ("برادرم ", Shape::Spaced),
    ("خواهرم ", Shape::Spaced),
    ("Ασθενής: ", Shape::Capitalized),
    ("Όνομα: ", Shape::Capitalized),
    // Greek: my mother, my father, my husband or wife, my daughter, my son.
    ("μητέρα μου ", Shape::Capitalized),
    ("πατέρας μου ", Shape::Capitalized),
    ("σύζυγός μου ", Shape::Capitalized),
    ("κόρη μου ", Shape::Capitalized),
    ("γιος μου ", Shape::Capitalized),
];

/// Ideographs and kana that follow a name and are no part of it: this year, 's, at, is,
/// lives, has, from, lately, yesterday, because, Mr., Ms., said, already, and, also, very,
/// Japanese titles and particles.
const HAN_STOPS: &[char] = &[
    '今', '的', '在', '是', '住', '有', '从', '從', '最', '昨', '因', '先', '女', '说', '說', '已',
    '和', '也', '很', '要', '去', '来', '來', '被', '了', '様', 'さ', 'の', 'で', 'は', 'が', 'を',
    'に', 'と', '（', '(', '，', '。', '、', '！', '？', '：',
];

/// Words that follow "I am" or "patient" in Chinese and are no name: doctor, nurse,
/// patient, family, relatives, friend, teacher, student, his, her, this, one.
const HAN_NOT_NAMES: &[&str] = &[
    "医生", "醫生", "护士", "護士", "患者", "病人", "家属", "家屬", "女儿", "女兒", "儿子", "兒子",
    "妈妈", "媽媽", "爸爸", "母亲", "母親", "父亲", "父親", "太太", "丈夫", "妻子", "孙女", "孫女",
    "奶奶", "爷爷", "朋友", "老师", "老師", "学生", "學生", "他的", "她的", "这个", "這個", "一个",
    "一個", "本人", "姓名", "氏名",
];

/// Particles and endings glued to a Korean name: is (formal), and, 's, Mr./Ms., the patient;
/// the longest first, so that "님이" goes before "이".
const HANGUL_ENDINGS: &[&str] = &[
    "입니다",
    "이에요",
    "예요",
    "이고",
    "님이",
    "님께",
    "님의",
    "환자",
    "님",
    "씨",
    "의",
    "이",
    "가",
    "는",
    "은",
    "을",
    "를",
    "와",
    "과",
];

/// Words of grammar that end a name in the spaced scripts: has, he, she, in, from, on, to,
/// am (Persian), is, and; Urdu "of"; Hindi "ji" and postpositions; Amharic "I am".
const SPACED_STOPS: &[&str] = &[
    "عنده",
    "عندها",
    "هو",
    "هي",
    "في",
    "من",
    "على",
    "إلى",
    "عن",
    "منذ",
    "هستم",
    "است",
    "از",
    "را",
    "به",
    "که",
    "و",
    // Urdu: of.
    "کا",
    "کی",
    "کے",
    "जी",
    "को",
    "की",
    "का",
    "के",
    "है",
    "हैं",
    "ने",
    "ነኝ",
    "ነኝ።",
];

/// Names introduced by the words of [`CUES`].
pub fn find(doc: &Doc, out: &mut Vec<PhiSpan>) {
    let text = doc.text;
    // Nothing to do in text of the Latin script alone, as most posts are.
    if text.is_ascii() || !text.chars().any(foreign_letter) {
        return;
    }
    for &(cue, shape) in CUES {
        for (at, _) in text.match_indices(cue) {
            let from = at + cue.len();
            // A cue of a spaced script starts a word ("أنا", not the end of another word).
            let word_start = text
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_none_or(|c| !c.is_alphabetic() || matches!(shape, Shape::Han));
            if !word_start {
                continue;
            }
            let rest = text.get(from..).unwrap_or("");
            if let Some(len) = name_after(rest, shape) {
                out.push(PhiSpan {
                    start: from,
                    end: from + len,
                    kind: PhiKind::Name,
                });
            }
        }
    }
}

/// Bytes of the name at the start of `rest`, by the shape of its language.
fn name_after(rest: &str, shape: Shape) -> Option<usize> {
    match shape {
        Shape::Han => {
            let run = |from: &str| {
                let mut len = 0;
                let mut count = 0;
                for c in from.chars() {
                    if !han_or_kana(c) || HAN_STOPS.contains(&c) || count == 4 {
                        break;
                    }
                    len += c.len_utf8();
                    count += 1;
                }
                (len, count)
            };
            let (mut len, mut count) = run(rest);
            // A Japanese name with a space between surname and given name, then its title
            // or a bracket: "山口 タケ（97歳）", "鈴木 茂 様".
            let after = rest.get(len..).unwrap_or("");
            if let Some(space) = after
                .chars()
                .next()
                .filter(|c| matches!(c, ' ' | '\u{3000}'))
            {
                let second = after.get(space.len_utf8()..).unwrap_or("");
                let (more, n) = run(second);
                let then = second
                    .get(more..)
                    .unwrap_or("")
                    .trim_start_matches([' ', '\u{3000}']);
                if count >= 1 && n >= 1 && then.starts_with(['様', 'さ', '（', '(']) {
                    len += space.len_utf8() + more;
                    count += n;
                }
            }
            let name = rest.get(..len).unwrap_or("");
            let common = HAN_NOT_NAMES.iter().any(|w| name.starts_with(w));
            (count >= 2 && !common).then_some(len)
        }
        Shape::Hangul => {
            let word: &str = rest.split(|c: char| !hangul(c)).next().unwrap_or("");
            let name = HANGUL_ENDINGS
                .iter()
                .find_map(|e| {
                    word.strip_suffix(e)
                        .filter(|stem| stem.chars().count() >= 2)
                })
                .unwrap_or(word);
            let syllables = name.chars().count();
            (2..=4).contains(&syllables).then_some(name.len())
        }
        Shape::Spaced => words_after(rest, 2, |w| {
            w.chars().all(foreign_letter) && !SPACED_STOPS.contains(&w)
        }),
        Shape::Capitalized => words_after(rest, 3, |w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() >= 2
                && w.chars().all(foreign_letter)
        }),
    }
}

/// Bytes of up to `most` words at the start of `rest` that `fits` takes, up to the first
/// punctuation ("أمل الحسيني." ends at the full stop).
fn words_after(rest: &str, most: usize, fits: impl Fn(&str) -> bool) -> Option<usize> {
    let mut len = 0;
    for (k, word) in rest.split(' ').enumerate() {
        let bare = word.trim_end_matches(|c: char| !c.is_alphabetic());
        if k == most || bare.is_empty() || !fits(bare) {
            break;
        }
        len = if k == 0 {
            bare.len()
        } else {
            len + 1 + bare.len()
        };
        if bare.len() < word.len() {
            break;
        }
    }
    (len > 0).then_some(len)
}

/// A name found, written again in another script right after it or before it in brackets:
/// "Haruto Nishimura (西村 陽翔)", "KIM, YOUNG-SOOK (김영숙)", "陈美玲 (Meiling Chen)".
pub fn transliterations(doc: &Doc, found: &mut Vec<PhiSpan>) {
    let text = doc.text;
    if text.is_ascii() {
        return;
    }
    let mut added = Vec::new();
    for s in found.iter().filter(|s| s.kind == PhiKind::Name) {
        // After: "Name (西村 陽翔)".
        let after = text.get(s.end..).unwrap_or("");
        let inner = after
            .strip_prefix(" (")
            .or_else(|| after.strip_prefix('('))
            .or_else(|| after.strip_prefix(" （"))
            .or_else(|| after.strip_prefix('（'));
        if let Some(inner) = inner {
            let open = after.len() - inner.len();
            if let Some(len) = foreign_run(inner) {
                let close = inner.get(len..).unwrap_or("");
                if close.starts_with([')', '）']) {
                    added.push((s.end + open, s.end + open + len));
                }
            }
        }
        // Before: "陈美玲 (Name)".
        let before = text.get(..s.start).unwrap_or("");
        let head = before
            .strip_suffix(" (")
            .or_else(|| before.strip_suffix(" （"))
            .or_else(|| before.strip_suffix('（'));
        if let Some(head) = head {
            let run: usize = head
                .chars()
                .rev()
                .take_while(|&c| foreign_letter(c) || c == ' ' || c == '・')
                .map(char::len_utf8)
                .sum();
            let start = head.len() - run;
            let name = head.get(start..).unwrap_or("").trim_start();
            let start = head.len() - name.len();
            let words = name.split(' ').count();
            if !name.is_empty() && words <= 4 && name.chars().filter(|c| *c != ' ').count() <= 16 {
                added.push((start, head.len()));
            }
        }
    }
    found.extend(added.into_iter().map(|(start, end)| PhiSpan {
        start,
        end,
        kind: PhiKind::Name,
    }));
}

/// Bytes of a run of one to four words of letters of other scripts at the start of `text`.
fn foreign_run(text: &str) -> Option<usize> {
    let len: usize = text
        .chars()
        .take_while(|&c| foreign_letter(c) || c == ' ' || c == '・')
        .map(char::len_utf8)
        .sum();
    let run = text.get(..len)?.trim_end();
    let words = run.split(' ').count();
    let letters = run.chars().filter(|&c| foreign_letter(c)).count();
    (letters >= 2 && words <= 4 && letters <= 16).then_some(run.len())
}

/// The zero of each script whose ten digits follow it in Unicode: Arabic-Indic, Persian and
/// Urdu, Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam,
/// Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian, N'Ko and the full-width digits of Chinese
/// and Japanese.
const DIGIT_ZEROS: [u32; 19] = [
    0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0E50,
    0x0ED0, 0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10, 0x07C0,
];

/// The value of a digit of another script ("१" is 1, "۷" is 7); `None` for ASCII digits and
/// everything else.
fn other_digit(c: char) -> Option<u8> {
    let c = u32::from(c);
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&c))
        .and_then(|&zero| u8::try_from(c - zero).ok())
}

/// Dates, phone numbers and record numbers written in the digits of other scripts ("জন্ম
/// তারিখ ১২/০৩/১৯৪৮", "MRN ४५६७८९१", "۱۴۰۲/۰۵/۱۲"). The text is read again with those
/// digits as ASCII digits by `find`, the rules for numbers and dates, and what is found with
/// such a digit in it is mapped back to the text as written.
pub fn numbers_in_other_digits(
    doc: &Doc,
    find: impl Fn(&Doc, &mut Vec<PhiSpan>),
    out: &mut Vec<PhiSpan>,
) {
    if doc.text.is_ascii() || !doc.text.chars().any(|c| other_digit(c).is_some()) {
        return;
    }
    // `origin[i]` is where byte i of the folded text comes from in the text as written.
    let mut folded = String::with_capacity(doc.text.len());
    let mut origin = Vec::with_capacity(doc.text.len() + 1);
    for (i, c) in doc.text.char_indices() {
        match other_digit(c) {
            Some(d) => folded.push(char::from(b'0' + d)),
            None => folded.push(c),
        }
        origin.extend(std::iter::repeat_n(i, folded.len() - origin.len()));
    }
    origin.push(doc.text.len());
    let mut spans = Vec::new();
    find(&Doc::new(&folded), &mut spans);
    for s in spans {
        let (Some(&start), Some(&end)) = (origin.get(s.start), origin.get(s.end)) else {
            continue;
        };
        let written = doc.text.get(start..end).unwrap_or("");
        if written.chars().any(|c| other_digit(c).is_some()) {
            out.push(PhiSpan { start, end, ..s });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::Doc;
    use super::*;

    /// The names the rules of this module find in `text`.
    fn names(text: &str) -> Vec<&str> {
        let doc = Doc::new(text);
        let mut out = Vec::new();
        find(&doc, &mut out);
        out.iter()
            .map(|s| text.get(s.start..s.end).unwrap_or("?"))
            .collect()
    }

    #[test]
    fn names_after_the_words_that_introduce_a_person_in_each_script() {
        assert_eq!(
            names("医生您好，我是王丽，我的父亲王建国今年92岁，住在法拉盛"),
            ["王丽", "王建国"]
        );
        assert_eq!(
            names("안녕하세요 선생님, 저는 김민지입니다. 어머니 박순자님이 5월부터"),
            ["김민지", "박순자"]
        );
        assert_eq!(
            names("مرحبا دكتور، أنا أمل الحسيني. أمي فاطمة عندها موعد"),
            ["أمل الحسيني", "فاطمة"]
        );
        assert_eq!(
            names("Добрий день! Я Оксана Мельник, мама Богдана. Ми приїхали"),
            ["Оксана Мельник", "Богдана"]
        );
        assert_eq!(
            names("سلام دکتر، من مریم رضایی هستم. پدرم محمود رضایی از ۱۵ فروردین"),
            ["محمود رضایی"]
        );
        assert_eq!(names("मेरे पिता रमेश पटेल एडिसन में रहते हैं"), ["रमेश पटेल"]);
        // Relatives and the fields of a form.
        assert_eq!(names("联系人：女儿陈丽，138 5550 2719。"), ["陈丽"]);
        assert_eq!(names("患者姓名：王建国，男，67岁"), ["王建国"]);
        assert_eq!(names("환자명: 최영호 (등록번호 12846397)"), ["최영호"]);
        assert_eq!(names("氏名：山口 タケ（97歳・女）"), ["山口 タケ"]);
        assert_eq!(names("نام بیمار: زهرا محمدی / کد ملی"), ["زهرا محمدی"]);
        assert_eq!(names("長男 鈴木 茂 様（080-5555-2614）へ"), ["鈴木 茂"]);
        assert_eq!(names("رابطہ: بیٹا عمران — 0300 5551872"), ["عمران"]);
        assert_eq!(names("Η μητέρα μου Σοφία είναι 94 ετών"), ["Σοφία"]);
        assert_eq!(names("রোগী: মোঃ জসিম উদ্দিন"), ["মোঃ জসিম"]);
        assert_eq!(
            names("बिरामी: सुनिता तामाङ     उमेर/लिङ्ग: ३४"),
            ["सुनिता तामाङ"]
        );
        let mut urdu = names("مریض کا نام: محمد اسلم ولد غلام رسول");
        urdu.sort_unstable();
        urdu.dedup();
        assert_eq!(urdu, ["غلام رسول", "محمد اسلم"]);
        assert_eq!(
            names("Ασθενής: ΠΑΠΑΔΟΠΟΥΛΟΥ ΑΙΚΑΤΕΡΙΝΗ του ΓΕΩΡΓΙΟΥ"),
            ["ΠΑΠΑΔΟΠΟΥΛΟΥ ΑΙΚΑΤΕΡΙΝΗ"]
        );
        // A cue with no name after it, and English text, give nothing.
        assert!(names("我是医生。患者92岁。").is_empty());
        assert!(names("Patient is my mother, she is 92.").is_empty());
    }

    #[test]
    fn a_name_written_again_in_another_script_in_brackets() {
        let text = "Pt: Haruto Nishimura (西村 陽翔), 9M. Ref: 陈美玲 (Meiling Chen), 31F.";
        let doc = Doc::new(text);
        let at = |s: &str| text.find(s).unwrap_or(0);
        let mut found = vec![
            PhiSpan {
                start: at("Haruto"),
                end: at("Haruto") + "Haruto Nishimura".len(),
                kind: PhiKind::Name,
            },
            PhiSpan {
                start: at("Meiling"),
                end: at("Meiling") + "Meiling Chen".len(),
                kind: PhiKind::Name,
            },
        ];
        transliterations(&doc, &mut found);
        let got: Vec<&str> = found
            .iter()
            .skip(2)
            .map(|s| text.get(s.start..s.end).unwrap_or("?"))
            .collect();
        assert_eq!(got, ["西村 陽翔", "陈美玲"]);
        // A gloss in brackets that follows no name found is left alone.
        let text = "心肌梗死 (Myocardial Infarction) 的治疗";
        let mut none = Vec::new();
        transliterations(&Doc::new(text), &mut none);
        assert!(none.is_empty());
    }
}
