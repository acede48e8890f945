//! SCIM 2.0 rules without I/O: the filter grammar of RFC 7644 §3.4.2.2 (a small parser, as
//! no kept crate covers it well) and its evaluation over a resource's attributes, and the
//! paging arithmetic of §3.4.2.4.
//!
//! Supported: `eq ne co sw ew gt ge lt le pr`, `and`, `or`, `not (…)`, parentheses, and
//! attribute paths (`userName`, `name.familyName`, `emails.value`, `meta.lastModified`,
//! optionally prefixed by a schema URN). Attribute names compare case-insensitively, and so
//! do string values (every attribute Huddle filters on has `caseExact: false`, except
//! `externalId`, whose case is kept). Values are JSON: strings, `true`/`false`, `null`, numbers.

use crate::clock::Millis;

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Compare {
        /// The attribute path, lowercased, without a schema URN prefix.
        path: String,
        op: Op,
        value: Literal,
    },
    Present(String),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Bool(bool),
    Num(f64),
    Null,
}

/// One value of a resource's attribute, as a filter sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string compared without regard to case.
    Text(String),
    /// A string compared exactly (`externalId`).
    Exact(String),
    Bool(bool),
    /// A `dateTime` attribute, compared as an instant.
    Time(Millis),
}

/// A resource a filter can be evaluated on: every value of an attribute path (lowercased,
/// without the schema URN), empty when the resource has none.
pub trait Attributes {
    fn values(&self, path: &str) -> Vec<Value>;
}

/// Why a filter was refused (`scimType: invalidFilter`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidFilter(pub String);

/// Filters longer than this are refused before parsing, so nesting cannot exhaust the stack.
const MAX_FILTER_LEN: usize = 2048;
const MAX_DEPTH: usize = 32;

pub fn parse(text: &str) -> Result<Filter, InvalidFilter> {
    if text.len() > MAX_FILTER_LEN {
        return Err(InvalidFilter(format!(
            "the filter is longer than {MAX_FILTER_LEN} characters"
        )));
    }
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let filter = parser.or(0)?;
    match parser.peek() {
        None => Ok(filter),
        Some(t) => Err(InvalidFilter(format!("unexpected {t:?} in the filter"))),
    }
}

impl Filter {
    pub fn matches(&self, resource: &impl Attributes) -> bool {
        match self {
            Filter::And(a, b) => a.matches(resource) && b.matches(resource),
            Filter::Or(a, b) => a.matches(resource) || b.matches(resource),
            Filter::Not(f) => !f.matches(resource),
            Filter::Present(path) => resource.values(path).iter().any(|v| match v {
                Value::Text(s) | Value::Exact(s) => !s.is_empty(),
                _ => true,
            }),
            Filter::Compare { path, op, value } => {
                let values = resource.values(path);
                match (op, value) {
                    // `eq null` is "has no value"; `ne null` is "has one".
                    (Op::Eq, Literal::Null) => values.is_empty(),
                    (Op::Ne, Literal::Null) => !values.is_empty(),
                    // `ne`: no value equals it (a missing attribute is "not equal").
                    (Op::Ne, _) => !values.iter().any(|v| compare(v, Op::Eq, value)),
                    _ => values.iter().any(|v| compare(v, *op, value)),
                }
            }
        }
    }
}

fn compare(value: &Value, op: Op, literal: &Literal) -> bool {
    use std::cmp::Ordering;
    let ordering = |o: Ordering| match op {
        Op::Eq => o == Ordering::Equal,
        Op::Ne => o != Ordering::Equal,
        Op::Gt => o == Ordering::Greater,
        Op::Ge => o != Ordering::Less,
        Op::Lt => o == Ordering::Less,
        Op::Le => o != Ordering::Greater,
        Op::Co | Op::Sw | Op::Ew => false,
    };
    match (value, literal) {
        (Value::Text(v), Literal::Str(l)) => {
            text(&v.to_lowercase(), op, &l.to_lowercase(), ordering)
        }
        (Value::Exact(v), Literal::Str(l)) => text(v, op, l, ordering),
        (Value::Bool(v), Literal::Bool(l)) => matches!(op, Op::Eq) && v == l,
        (Value::Time(v), Literal::Str(l)) => match l.parse::<jiff::Timestamp>() {
            Ok(t) => ordering(v.cmp(&t.as_millisecond())),
            Err(_) => false,
        },
        _ => false,
    }
}

fn text(v: &str, op: Op, l: &str, ordering: impl Fn(std::cmp::Ordering) -> bool) -> bool {
    match op {
        Op::Co => v.contains(l),
        Op::Sw => v.starts_with(l),
        Op::Ew => v.ends_with(l),
        _ => ordering(v.cmp(l)),
    }
}

/// Paging (RFC 7644 §3.4.2.4): `startIndex` is 1-based (below 1 means 1), `count` below 0
/// means 0 and is capped at `max`. Returns the range of a list of `total` to answer with.
pub fn page(
    total: usize,
    start_index: Option<i64>,
    count: Option<i64>,
    max: usize,
) -> std::ops::Range<usize> {
    let start = usize::try_from(start_index.unwrap_or(1).max(1) - 1)
        .unwrap_or(0)
        .min(total);
    let count = count
        .map(|c| usize::try_from(c.max(0)).unwrap_or(0))
        .unwrap_or(max)
        .min(max);
    start..(start + count).min(total)
}

/// A SCIM resource in its JSON form is filtered as itself: attribute names compare without
/// case, sub-attributes of multi-valued ones (`emails.value`) give one value per element,
/// `externalId` compares exactly and `meta.created`/`meta.lastModified` as instants.
impl Attributes for serde_json::Value {
    fn values(&self, path: &str) -> Vec<Value> {
        let mut found = vec![self];
        for part in path.split('.') {
            found = found
                .into_iter()
                .flat_map(|v| match v {
                    serde_json::Value::Array(items) => items.iter().collect::<Vec<_>>(),
                    other => vec![other],
                })
                .filter_map(|v| member(v, part))
                .collect();
        }
        let exact = path == "externalid" || path == "id";
        let time = path == "meta.lastmodified" || path == "meta.created";
        found
            .into_iter()
            .flat_map(|v| match v {
                serde_json::Value::Array(items) => items.iter().collect::<Vec<_>>(),
                other => vec![other],
            })
            .filter_map(|v| match v {
                serde_json::Value::String(s) if time => s
                    .parse::<jiff::Timestamp>()
                    .ok()
                    .map(|t| Value::Time(t.as_millisecond())),
                serde_json::Value::String(s) if exact => Some(Value::Exact(s.clone())),
                serde_json::Value::String(s) => Some(Value::Text(s.clone())),
                serde_json::Value::Bool(b) => Some(Value::Bool(*b)),
                serde_json::Value::Number(n) => Some(Value::Exact(n.to_string())),
                _ => None,
            })
            .collect()
    }
}

/// A member of a JSON object by name, without regard to case.
fn member<'a>(v: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// The roles a directory group may grant: an organization's own roles, never an instance
/// role (system admin, verifier, moderator), whoever maps the group.
pub fn mappable_roles() -> Vec<super::Role> {
    super::assignable_by(&super::Roles::new([super::Role::OrgAdmin]))
}

/// Joining a group grants its roles.
pub fn roles_on_joining(current: &super::Roles, group: &super::Roles) -> super::Roles {
    super::Roles::new(current.iter().chain(group.iter()))
}

/// Leaving a group takes away its roles, except those another of the person's groups
/// grants; roles the group does not map are left as they were.
pub fn roles_on_leaving(
    current: &super::Roles,
    group: &super::Roles,
    other_groups: &[super::Roles],
) -> super::Roles {
    super::Roles::new(
        current
            .iter()
            .filter(|r| !group.has(*r) || other_groups.iter().any(|g| g.has(*r))),
    )
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Word(String),
    Literal(Literal),
}

fn tokenize(text: &str) -> Result<Vec<Token>, InvalidFilter> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '"' => {
                // A JSON string, escapes included.
                let mut end = None;
                let mut escaped = false;
                for (j, d) in text[i + 1..].char_indices() {
                    match (escaped, d) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => {
                            end = Some(i + 1 + j);
                            break;
                        }
                        _ => {}
                    }
                }
                let end = end
                    .ok_or_else(|| InvalidFilter("a string in the filter is not closed".into()))?;
                let s: String = serde_json::from_str(&text[i..=end]).map_err(|_| {
                    InvalidFilter("a string in the filter is not valid JSON".into())
                })?;
                tokens.push(Token::Literal(Literal::Str(s)));
                while chars.peek().is_some_and(|&(k, _)| k <= end) {
                    chars.next();
                }
            }
            _ => {
                let mut word = String::new();
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_whitespace() || d == '(' || d == ')' || d == '"' {
                        break;
                    }
                    word.push(d);
                    chars.next();
                }
                if word.contains('[') || word.contains(']') {
                    return Err(InvalidFilter(
                        "value filters on complex attributes (`emails[type eq \"work\"]`) are not supported; use `emails.value`".into(),
                    ));
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self, depth: usize) -> Result<Filter, InvalidFilter> {
        let mut left = self.and(depth)?;
        while self.keyword("or") {
            self.next();
            let right = self.and(depth)?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Filter, InvalidFilter> {
        let mut left = self.unary(depth)?;
        while self.keyword("and") {
            self.next();
            let right = self.unary(depth)?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Filter, InvalidFilter> {
        if depth > MAX_DEPTH {
            return Err(InvalidFilter("the filter is nested too deeply".into()));
        }
        if self.keyword("not") {
            self.next();
            if self.peek() != Some(&Token::Open) {
                return Err(InvalidFilter("`not` takes a filter in parentheses".into()));
            }
            return Ok(Filter::Not(Box::new(self.unary(depth + 1)?)));
        }
        if self.peek() == Some(&Token::Open) {
            self.next();
            let inner = self.or(depth + 1)?;
            if self.next() != Some(Token::Close) {
                return Err(InvalidFilter(
                    "a parenthesis in the filter is not closed".into(),
                ));
            }
            return Ok(inner);
        }
        let path = match self.next() {
            Some(Token::Word(w)) => attribute_path(&w)?,
            Some(t) => return Err(InvalidFilter(format!("expected an attribute, found {t:?}"))),
            None => {
                return Err(InvalidFilter(
                    "the filter ends where an attribute was expected".into(),
                ))
            }
        };
        let op = match self.next() {
            Some(Token::Word(w)) => w.to_ascii_lowercase(),
            _ => {
                return Err(InvalidFilter(format!(
                    "expected an operator after `{path}`"
                )))
            }
        };
        let op = match op.as_str() {
            "pr" => return Ok(Filter::Present(path)),
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            other => return Err(InvalidFilter(format!("`{other}` is not a filter operator"))),
        };
        let value =
            match self.next() {
                Some(Token::Literal(l)) => l,
                Some(Token::Word(w)) => match w.as_str() {
                    "true" => Literal::Bool(true),
                    "false" => Literal::Bool(false),
                    "null" => Literal::Null,
                    n => Literal::Num(n.parse().map_err(|_| {
                        InvalidFilter(format!("`{n}` is not a value: quote strings"))
                    })?),
                },
                _ => return Err(InvalidFilter(format!("expected a value after `{path}`"))),
            };
        Ok(Filter::Compare { path, op, value })
    }
}

/// `urn:ietf:params:scim:schemas:core:2.0:User:userName` → `username`.
fn attribute_path(word: &str) -> Result<String, InvalidFilter> {
    let path = if word.to_ascii_lowercase().starts_with("urn:") {
        word.rsplit_once(':').map(|(_, a)| a).unwrap_or(word)
    } else {
        word
    };
    let valid = !path.is_empty()
        && path.split('.').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
        });
    if valid {
        Ok(path.to_ascii_lowercase())
    } else {
        Err(InvalidFilter(format!("`{word}` is not an attribute path")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Person;

    impl Attributes for Person {
        fn values(&self, path: &str) -> Vec<Value> {
            match path {
                "username" => vec![Value::Text("Ada.Okafor@Example.org".into())],
                "externalid" => vec![Value::Exact("E-17".into())],
                "emails.value" => vec![
                    Value::Text("ada.okafor@example.org".into()),
                    Value::Text("ada@home.example".into()),
                ],
                "active" => vec![Value::Bool(true)],
                "meta.lastmodified" => vec![Value::Time(1_700_000_000_000)],
                _ => vec![],
            }
        }
    }

    fn yes(filter: &str) -> bool {
        parse(filter)
            .unwrap_or_else(|e| panic!("{filter}: {e}"))
            .matches(&Person)
    }

    #[test]
    fn every_operator_compares_as_the_rfc_says() {
        assert!(
            yes(r#"userName eq "ada.okafor@example.org""#),
            "case-insensitive"
        );
        assert!(!yes(r#"userName ne "ada.okafor@example.org""#));
        assert!(yes(r#"userName co "okafor""#));
        assert!(yes(r#"userName sw "ada.""#));
        assert!(yes(r#"userName ew "EXAMPLE.ORG""#));
        assert!(yes(r#"userName gt "a""#) && yes(r#"userName lt "b""#));
        assert!(yes(r#"userName ge "ada.okafor@example.org""#));
        assert!(yes("externalId pr") && !yes("displayName pr"));
        assert!(
            yes(r#"externalId eq "E-17""#) && !yes(r#"externalId eq "e-17""#),
            "exact"
        );
        assert!(yes("active eq true") && !yes("active eq false"));
        assert!(
            yes(r#"emails.value eq "ada@home.example""#),
            "any value of a multi-valued one"
        );
        assert!(yes(r#"meta.lastModified gt "2023-01-01T00:00:00Z""#));
        assert!(!yes(r#"meta.lastModified lt "2023-01-01T00:00:00Z""#));
        assert!(yes(r#"displayName ne "x""#), "absent is not equal");
        assert!(yes("displayName eq null"));
    }

    #[test]
    fn logic_nests_with_precedence_and_parentheses() {
        assert!(yes(
            r#"active eq false or userName sw "ada" and externalId pr"#
        ));
        assert!(!yes(
            r#"(active eq false or userName sw "ada") and displayName pr"#
        ));
        assert!(yes(r#"not (active eq false)"#));
        assert!(yes(
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ADA""#
        ));
        assert!(yes(r#"USERNAME SW "ada" AND NOT (externalId eq "x")"#));
    }

    #[test]
    fn bad_filters_are_refused_with_a_reason() {
        for bad in [
            "",
            "userName",
            r#"userName eq"#,
            r#"userName xx "a""#,
            r#"userName eq "a"#,
            r#"(userName eq "a""#,
            r#"userName eq "a" extra"#,
            r#"emails[type eq "work"].value eq "a""#,
            r#"not userName eq "a""#,
            "userName eq bare",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}active pr{}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn groups_grant_roles_and_take_back_only_their_own() {
        use crate::identity::{Role, Roles};
        let nurse = Roles::new([Role::Clinician]);
        let physician = Roles::new([Role::Physician]);
        let joined = roles_on_joining(&nurse, &physician);
        assert_eq!(joined, Roles::new([Role::Clinician, Role::Physician]));
        assert_eq!(roles_on_leaving(&joined, &physician, &[]), nurse);
        assert_eq!(
            roles_on_leaving(&joined, &physician, std::slice::from_ref(&physician)),
            joined
        );
        assert!(!mappable_roles().contains(&Role::SystemAdmin));
        assert!(mappable_roles().contains(&Role::Physician));
    }

    #[test]
    fn pages_are_one_based_and_capped() {
        assert_eq!(page(10, None, None, 100), 0..10);
        assert_eq!(page(10, Some(3), Some(2), 100), 2..4);
        assert_eq!(page(10, Some(0), Some(2), 100), 0..2);
        assert_eq!(page(10, Some(11), Some(2), 100), 10..10);
        assert_eq!(page(10, Some(1), Some(-5), 100), 0..0);
        assert_eq!(page(500, Some(1), Some(1000), 100), 0..100);
    }
}
