//! The parts of a lounge thread, parsed from what a physician typed.

use crate::identity::Invalid;

/// What a thread is for; each kind reads differently in the space list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadKind {
    /// A de-identified case, written in the context / question / what-was-tried template.
    Case,
    /// A clinical question; its author may accept one answer.
    Question,
    Discussion,
}

impl ThreadKind {
    pub const ALL: [ThreadKind; 3] = [
        ThreadKind::Case,
        ThreadKind::Question,
        ThreadKind::Discussion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ThreadKind::Case => "case",
            ThreadKind::Question => "question",
            ThreadKind::Discussion => "discussion",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThreadKind::Case => "Case discussion",
            ThreadKind::Question => "Clinical question",
            ThreadKind::Discussion => "Discussion",
        }
    }

    pub fn parse(s: &str) -> Result<ThreadKind, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Invalid::new("choose case, question or discussion"))
    }

    /// Whether one reply can be marked as the accepted answer.
    pub fn takes_an_answer(self) -> bool {
        matches!(self, ThreadKind::Case | ThreadKind::Question)
    }
}

/// A thread's title: 5 to 150 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    pub fn parse(input: &str) -> Result<Title, Invalid> {
        let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
        match s.chars().count() {
            0..=4 => Err(Invalid::new(
                "give the thread a title of at least 5 characters",
            )),
            151.. => Err(Invalid::new("keep the title to 150 characters")),
            _ => Ok(Title(s)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Longest post body, in bytes: long enough for a detailed case, short enough to check fast.
pub const BODY_MAX_BYTES: usize = 20_000;

/// A post's markdown source, trimmed and bounded.
pub fn parse_body(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Invalid::new("write something first"));
    }
    if s.len() > BODY_MAX_BYTES {
        return Err(Invalid::new(format!(
            "keep a post under {} KB",
            BODY_MAX_BYTES / 1000
        )));
    }
    Ok(s.to_string())
}

/// The case template: what a colleague needs to answer, and nothing that identifies the
/// patient (the PHI guard checks the composed body like any other).
#[derive(Debug, Clone, Default)]
pub struct CaseTemplate<'a> {
    pub context: &'a str,
    pub question: &'a str,
    pub tried: &'a str,
}

impl CaseTemplate<'_> {
    /// The post body: one section per part, in the template's order.
    pub fn compose(&self) -> Result<String, Invalid> {
        if self.context.trim().is_empty() || self.question.trim().is_empty() {
            return Err(Invalid::new(
                "a case needs its context and the question you are asking",
            ));
        }
        let mut body = format!(
            "**Context**\n\n{}\n\n**Question**\n\n{}",
            self.context.trim(),
            self.question.trim()
        );
        if !self.tried.trim().is_empty() {
            body.push_str("\n\n**What has been tried**\n\n");
            body.push_str(self.tried.trim());
        }
        parse_body(&body)
    }
}

/// At most five tags of 2 to 30 lower-case letters, digits or hyphens, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<String>);

pub const MAX_TAGS: usize = 5;

impl Tags {
    /// Parses tags separated by commas or spaces; `#` prefixes are dropped.
    pub fn parse(input: &str) -> Result<Tags, Invalid> {
        let mut tags: Vec<String> = Vec::new();
        for raw in input.split(|c: char| c == ',' || c.is_whitespace()) {
            let tag = raw.trim_start_matches('#').to_lowercase();
            if tag.is_empty() {
                continue;
            }
            let valid = (2..=30).contains(&tag.chars().count())
                && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                return Err(Invalid::new(format!(
                    "`{raw}` is not a tag: use 2 to 30 letters, digits or hyphens"
                )));
            }
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if tags.len() > MAX_TAGS {
            return Err(Invalid::new(format!("use at most {MAX_TAGS} tags")));
        }
        Ok(Tags(tags))
    }

    /// Read back from storage, where they were written by [`Tags::to_stored`].
    pub fn from_stored(s: &str) -> Tags {
        Tags(
            s.split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    /// `,a,b,` so that one tag is found with `LIKE '%,tag,%'`.
    pub fn to_stored(&self) -> String {
        if self.0.is_empty() {
            String::new()
        } else {
            format!(",{},", self.0.join(","))
        }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// How a space lists its threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Latest reply first.
    #[default]
    Active,
    /// Newest thread first.
    New,
    /// Most "helpful" votes first.
    Top,
    /// Questions and cases without an accepted answer and without replies.
    Unanswered,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Active, Sort::New, Sort::Top, Sort::Unanswered];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Active => "active",
            Sort::New => "new",
            Sort::Top => "top",
            Sort::Unanswered => "unanswered",
        }
    }

    pub fn parse(s: &str) -> Result<Sort, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Invalid::new("sort by active, new, top or unanswered"))
    }
}

/// A poll on a thread: a question and 2 to 6 distinct options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    pub question: String,
    pub options: Vec<String>,
}

impl Poll {
    pub fn parse(question: &str, options: &[String]) -> Result<Poll, Invalid> {
        let question = question.trim();
        if question.is_empty() || question.chars().count() > 200 {
            return Err(Invalid::new(
                "a poll needs a question of up to 200 characters",
            ));
        }
        let mut kept: Vec<String> = Vec::new();
        for option in options.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
            if option.chars().count() > 100 {
                return Err(Invalid::new("keep each poll option to 100 characters"));
            }
            if kept.iter().any(|k| k.eq_ignore_ascii_case(option)) {
                return Err(Invalid::new(format!("the option `{option}` appears twice")));
            }
            kept.push(option.to_string());
        }
        if !(2..=6).contains(&kept.len()) {
            return Err(Invalid::new("a poll needs 2 to 6 options"));
        }
        Ok(Poll {
            question: question.to_string(),
            options: kept,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_trimmed_line_of_reasonable_length() {
        assert_eq!(
            Title::parse("  Refractory   AF\nafter ablation ")
                .unwrap()
                .as_str(),
            "Refractory AF after ablation"
        );
        assert!(Title::parse("AF?").is_err());
        assert!(Title::parse(&"x".repeat(151)).is_err());
    }

    #[test]
    fn a_case_composes_its_sections_in_order_and_needs_context_and_question() {
        let body = CaseTemplate {
            context: "70s, new AF, CKD 4",
            question: "Which anticoagulant?",
            tried: "",
        }
        .compose()
        .unwrap();
        assert!(body.starts_with("**Context**"));
        assert!(body.contains("**Question**\n\nWhich anticoagulant?"));
        assert!(!body.contains("tried"));
        assert!(CaseTemplate {
            context: "",
            question: "q",
            tried: "t"
        }
        .compose()
        .is_err());
    }

    #[test]
    fn tags_are_normalized_deduplicated_and_bounded() {
        let tags = Tags::parse("#AF, anticoagulation af").unwrap();
        assert_eq!(tags.as_slice(), ["af", "anticoagulation"]);
        assert_eq!(Tags::from_stored(&tags.to_stored()), tags);
        assert_eq!(Tags::parse("").unwrap().to_stored(), "");
        assert!(Tags::parse("a,b,c,d,e,f").is_err());
        assert!(Tags::parse("drop;table").is_err());
    }

    #[test]
    fn polls_need_two_to_six_distinct_options() {
        let opts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(Poll::parse("Which?", &opts(&["A", "B"])).is_ok());
        assert!(Poll::parse("Which?", &opts(&["A", " "])).is_err());
        assert!(Poll::parse("Which?", &opts(&["A", "a"])).is_err());
        assert!(Poll::parse("", &opts(&["A", "B"])).is_err());
        assert!(Poll::parse("Which?", &opts(&["1", "2", "3", "4", "5", "6", "7"])).is_err());
    }

    #[test]
    fn bodies_are_bounded_and_not_empty() {
        assert!(parse_body("   ").is_err());
        assert!(parse_body(&"a".repeat(BODY_MAX_BYTES + 1)).is_err());
        assert_eq!(parse_body(" ok ").unwrap(), "ok");
    }
}
