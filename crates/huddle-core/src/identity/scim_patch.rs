//! SCIM PATCH (RFC 7644 §3.5.2) applied to a resource's JSON form: the server reads the
//! resource as it would answer a GET, applies the operations here, and saves the result as
//! it would a PUT. So PATCH and PUT cannot disagree about what a resource may hold.
//!
//! Paths: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, each optionally prefixed by
//! the core schema's URN; no path (the value is an object of attributes). Operation names
//! compare without case (some directories send `Replace`).

use serde_json::{Map, Value};

use super::scim::{parse, Filter};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidPatch {
    /// RFC 7644 §3.12 `scimType`: `invalidPath`, `noTarget`, `invalidValue` or `invalidSyntax`.
    pub scim_type: &'static str,
    pub message: String,
}

fn invalid(scim_type: &'static str, message: impl Into<String>) -> InvalidPatch {
    InvalidPatch {
        scim_type,
        message: message.into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// Applies each operation of a PatchOp request's `Operations` in order.
pub fn apply(resource: &mut Value, operations: &[Value]) -> Result<(), InvalidPatch> {
    if operations.is_empty() {
        return Err(invalid("invalidValue", "Operations is empty"));
    }
    for operation in operations {
        let op = match operation
            .get("op")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
        {
            Some(op) if op == "add" => Op::Add,
            Some(op) if op == "replace" => Op::Replace,
            Some(op) if op == "remove" => Op::Remove,
            _ => {
                return Err(invalid(
                    "invalidSyntax",
                    "each operation's op is add, replace or remove",
                ))
            }
        };
        let value = operation.get("value");
        match operation.get("path").and_then(Value::as_str).map(str::trim) {
            Some(path) if !path.is_empty() => at_path(resource, op, path, value)?,
            _ => {
                if op == Op::Remove {
                    return Err(invalid("noTarget", "remove needs a path"));
                }
                let Some(Value::Object(attributes)) = value else {
                    return Err(invalid(
                        "invalidValue",
                        "without a path, the value is an object of attributes",
                    ));
                };
                for (name, v) in attributes {
                    at_path(resource, op, name, Some(v))?;
                }
            }
        }
    }
    Ok(())
}

struct Path {
    attribute: String,
    filter: Option<Filter>,
    sub: Option<String>,
}

fn parse_path(text: &str) -> Result<Path, InvalidPatch> {
    const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:";
    let text = match text.get(..CORE.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(CORE) => {
            // `…:2.0:User:userName`: drop the schema and its resource name.
            text[CORE.len()..]
                .split_once(':')
                .map_or("", |(_, rest)| rest)
        }
        _ => text,
    };
    let (attribute, filter, rest) = match text.find('[') {
        Some(open) => {
            let close = text
                .rfind(']')
                .filter(|&c| c > open)
                .ok_or_else(|| invalid("invalidPath", format!("`{text}`: a [ is not closed")))?;
            let filter =
                parse(&text[open + 1..close]).map_err(|e| invalid("invalidFilter", e.0))?;
            (
                &text[..open],
                Some(filter),
                text[close + 1..].strip_prefix('.'),
            )
        }
        None => match text.split_once('.') {
            Some((a, sub)) => (a, None, Some(sub)),
            None => (text, None, None),
        },
    };
    let name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    };
    if !name(attribute) || rest.is_some_and(|s| !name(s)) {
        return Err(invalid(
            "invalidPath",
            format!("`{text}` is not an attribute path"),
        ));
    }
    Ok(Path {
        attribute: attribute.to_string(),
        filter,
        sub: rest.map(str::to_string),
    })
}

/// The key of `name` in the object, matched without case.
fn key_of(object: &Map<String, Value>, name: &str) -> Option<String> {
    object
        .keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
}

fn at_path(
    resource: &mut Value,
    op: Op,
    path: &str,
    value: Option<&Value>,
) -> Result<(), InvalidPatch> {
    let path = parse_path(path)?;
    let Value::Object(object) = resource else {
        return Err(invalid("invalidValue", "the resource is not an object"));
    };
    if op != Op::Remove && value.is_none() {
        return Err(invalid("invalidValue", "add and replace need a value"));
    }
    let key = key_of(object, &path.attribute).unwrap_or_else(|| path.attribute.clone());
    match (&path.filter, &path.sub) {
        (None, None) => {
            match op {
                Op::Remove => match (object.get_mut(&key), value) {
                    // `members` with a value: remove those members only (Entra ID does this).
                    (Some(Value::Array(items)), Some(Value::Array(gone))) => {
                        items.retain(|item| !gone.iter().any(|g| same_element(item, g)));
                    }
                    _ => {
                        object.remove(&key);
                    }
                },
                Op::Add => match (object.get_mut(&key), value) {
                    (Some(Value::Array(items)), Some(Value::Array(more))) => {
                        for m in more {
                            if !items.iter().any(|i| same_element(i, m)) {
                                items.push(m.clone());
                            }
                        }
                    }
                    (Some(Value::Object(existing)), Some(Value::Object(more))) => {
                        for (k, v) in more {
                            let k = key_of(existing, k).unwrap_or_else(|| k.clone());
                            existing.insert(k, v.clone());
                        }
                    }
                    (_, Some(v)) => {
                        object.insert(key, v.clone());
                    }
                    (_, None) => {}
                },
                Op::Replace => {
                    if let Some(v) = value {
                        object.insert(key, v.clone());
                    }
                }
            }
            Ok(())
        }
        (None, Some(sub)) => {
            let parent = object
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(parent) = parent else {
                return Err(invalid(
                    "invalidPath",
                    format!("`{}` has no sub-attributes", path.attribute),
                ));
            };
            let sub_key = key_of(parent, sub).unwrap_or_else(|| sub.clone());
            match (op, value) {
                (Op::Remove, _) => {
                    parent.remove(&sub_key);
                }
                (_, Some(v)) => {
                    parent.insert(sub_key, v.clone());
                }
                (_, None) => {}
            }
            Ok(())
        }
        (Some(filter), sub) => {
            let Some(Value::Array(items)) = object.get_mut(&key) else {
                return if op == Op::Remove {
                    Ok(())
                } else {
                    Err(invalid(
                        "noTarget",
                        format!("`{}` has no values to match", path.attribute),
                    ))
                };
            };
            let matched = items.iter().filter(|i| filter.matches(*i)).count();
            if matched == 0 && op != Op::Remove {
                return Err(invalid(
                    "noTarget",
                    "the filter in the path matches no value",
                ));
            }
            match (op, sub) {
                (Op::Remove, None) => items.retain(|i| !filter.matches(i)),
                (_, None) => {
                    for item in items.iter_mut().filter(|i| filter.matches(*i)) {
                        match (item, value) {
                            (Value::Object(existing), Some(Value::Object(v))) => {
                                for (k, v) in v {
                                    let k = key_of(existing, k).unwrap_or_else(|| k.clone());
                                    existing.insert(k, v.clone());
                                }
                            }
                            (item, Some(v)) => *item = v.clone(),
                            (_, None) => {}
                        }
                    }
                }
                (_, Some(sub)) => {
                    for item in items.iter_mut().filter(|i| filter.matches(*i)) {
                        if let Value::Object(element) = item {
                            let k = key_of(element, sub).unwrap_or_else(|| sub.clone());
                            match (op, value) {
                                (Op::Remove, _) => {
                                    element.remove(&k);
                                }
                                (_, Some(v)) => {
                                    element.insert(k, v.clone());
                                }
                                (_, None) => {}
                            }
                        }
                    }
                }
            }
            Ok(())
        }
    }
}

/// Two elements of a multi-valued attribute are the same when their `value`s are (or, for
/// elements without one, when they are equal).
fn same_element(a: &Value, b: &Value) -> bool {
    match (a.get("value"), b.get("value")) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patched(mut resource: Value, ops: Value) -> Result<Value, InvalidPatch> {
        let ops = ops.as_array().cloned().unwrap_or_default();
        apply(&mut resource, &ops).map(|_| resource)
    }

    #[test]
    fn replace_add_and_remove_simple_and_sub_attributes() {
        let user = json!({"userName": "a@x.test", "active": true, "name": {"givenName": "Ada"}});
        let out = patched(
            user,
            json!([
                {"op": "Replace", "path": "active", "value": false},
                {"op": "add", "path": "name.familyName", "value": "Okafor"},
                {"op": "replace", "value": {"displayName": "Dr. Ada Okafor"}},
                {"op": "remove", "path": "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName"},
            ]),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"userName": "a@x.test", "active": false, "name": {"familyName": "Okafor"},
                   "displayName": "Dr. Ada Okafor"})
        );
    }

    #[test]
    fn members_are_added_once_and_removed_by_filter_or_by_value() {
        let group = json!({"displayName": "Cardiology", "members": [{"value": "1"}]});
        let out = patched(
            group,
            json!([
                {"op": "add", "path": "members", "value": [{"value": "1"}, {"value": "2"}, {"value": "3"}]},
                {"op": "remove", "path": "members[value eq \"2\"]"},
                {"op": "remove", "path": "members", "value": [{"value": "3"}]},
            ]),
        )
        .unwrap();
        assert_eq!(out["members"], json!([{"value": "1"}]));
        let out = patched(out, json!([{"op": "remove", "path": "members"}])).unwrap();
        assert!(out.get("members").is_none());
    }

    #[test]
    fn filtered_paths_change_matching_values() {
        let user = json!({"emails": [{"value": "a@x.test", "type": "work"}, {"value": "a@home.test", "type": "home"}]});
        let out = patched(
            user,
            json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "b@x.test"}]),
        )
        .unwrap();
        assert_eq!(out["emails"][0]["value"], "b@x.test");
        assert_eq!(out["emails"][1]["value"], "a@home.test");
    }

    #[test]
    fn bad_operations_name_what_is_wrong() {
        let user = json!({"userName": "a@x.test"});
        let err = |ops: Value| patched(user.clone(), ops).unwrap_err().scim_type;
        assert_eq!(err(json!([])), "invalidValue");
        assert_eq!(err(json!([{"op": "move", "path": "a"}])), "invalidSyntax");
        assert_eq!(err(json!([{"op": "remove"}])), "noTarget");
        assert_eq!(
            err(json!([{"op": "replace", "path": "bad path!", "value": 1}])),
            "invalidPath"
        );
        assert_eq!(
            err(json!([{"op": "replace", "path": "emails[value eq \"z\"]", "value": {}}])),
            "noTarget"
        );
        assert_eq!(
            err(json!([{"op": "replace", "path": "emails[value eq]", "value": {}}])),
            "invalidFilter"
        );
        assert_eq!(
            err(json!([{"op": "add", "path": "userName"}])),
            "invalidValue"
        );
    }
}
