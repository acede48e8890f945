//! The SCIM 2.0 service provider (RFC 7643/7644) at `/scim/v2`, for an organization's
//! directory: discovery, Users and Groups. Every request carries the organization's SCIM
//! credential (`Authorization: Bearer hks_…`), resolved into `access::Directory`; the
//! routes sit outside the session layer, so no cookie ever reaches them. Bodies and answers
//! are `application/scim+json`; errors are RFC 7644 §3.12 documents.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use huddle_core::clock::Millis;
use huddle_core::identity::scim::{page, parse as parse_filter};
use huddle_core::identity::{scim_patch, DisplayName, Email};
use serde_json::{json, Value};

use super::scim_schema::{self as schema, GROUP_SCHEMA, LIST_RESPONSE, MAX_RESULTS, USER_SCHEMA};
use crate::actions::scim::{self as actions, DirectoryPerson, Member};
use crate::actions::scim_groups::{self as groups, DirectoryGroup, Group};
use crate::auth::access::Directory;
use crate::error::ApiError;
use crate::state::AppState;

const CONTENT_TYPE: &str = "application/scim+json";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ServiceProviderConfig", get(service_provider_config))
        .route("/ResourceTypes", get(resource_types))
        .route("/ResourceTypes/{id}", get(resource_type))
        .route("/Schemas", get(schemas))
        .route("/Schemas/{id}", get(one_schema))
        .route("/.search", post(search_all))
        .route("/Users", get(list_users).post(create_user))
        .route("/Users/.search", post(search_users))
        .route(
            "/Users/{id}",
            get(get_user)
                .put(replace_user)
                .patch(patch_user)
                .delete(delete_user),
        )
        .route("/Groups", get(list_groups).post(create_group))
        .route("/Groups/.search", post(search_groups))
        .route(
            "/Groups/{id}",
            get(get_group)
                .put(replace_group)
                .patch(patch_group)
                .delete(delete_group),
        )
        .fallback(|| async { ScimError(ApiError::not_found("no such SCIM endpoint")) })
}

/// An error as RFC 7644 §3.12 writes it.
pub struct ScimError(pub ApiError);

impl From<ApiError> for ScimError {
    fn from(e: ApiError) -> Self {
        ScimError(e)
    }
}

impl From<huddle_store::StoreError> for ScimError {
    fn from(e: huddle_store::StoreError) -> Self {
        ScimError(e.into())
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let (status, scim_type) = self.0.scim();
        let mut body = json!({
            "schemas": [schema::ERROR],
            "status": status.as_u16().to_string(),
            "detail": self.0.in_words(),
        });
        if let Some(t) = scim_type {
            body["scimType"] = json!(t);
        }
        scim_json(status, &body)
    }
}

type Answer = Result<Response, ScimError>;

fn scim_json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

/// A single resource, with its `Location` and `ETag` headers.
fn resource(status: StatusCode, body: &Value) -> Response {
    let mut response = scim_json(status, body);
    let headers = response.headers_mut();
    if let Some(Ok(v)) = body["meta"]["location"].as_str().map(HeaderValue::from_str) {
        headers.insert(header::LOCATION, v);
    }
    if let Some(Ok(v)) = body["meta"]["version"].as_str().map(HeaderValue::from_str) {
        headers.insert(header::ETAG, v);
    }
    response
}

/// The directory asking, from its bearer credential.
pub struct Scim(pub Directory);

impl FromRequestParts<AppState> for Scim {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ScimError> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::unauthenticated(
                    "send Authorization: Bearer with the organization's SCIM credential",
                )
            })?;
        Ok(Scim(Directory::of_credential(state, secret).await?))
    }
}

/// Where the SCIM endpoints are, as the client reached them (for `location` and `$ref`).
pub struct Base(String);

impl FromRequestParts<AppState> for Base {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let public = state.config.server.public_url.trim_end_matches('/');
        let origin = if public.is_empty() {
            let scheme = if state.config.tls().is_some() {
                "https"
            } else {
                "http"
            };
            let host = parts
                .headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("localhost");
            format!("{scheme}://{host}")
        } else {
            public.to_string()
        };
        Ok(Base(format!("{origin}/scim/v2")))
    }
}

/// A JSON body (`application/scim+json` or `application/json`).
fn body(headers: &HeaderMap, bytes: &Bytes) -> Result<Value, ScimError> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|t| t == CONTENT_TYPE || t == "application/json");
    if !json_type {
        return Err(ApiError::unsupported_media_type().into());
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(None, format!("the body is not JSON: {e}"))
            .with_scim_type("invalidSyntax")
    })?;
    if !value.is_object() {
        return Err(ApiError::bad_request(None, "the body is a JSON object").into());
    }
    Ok(value)
}

fn time(at: Millis) -> String {
    jiff::Timestamp::from_millisecond(at)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn meta(resource_type: &str, created: Millis, modified: Millis, location: String) -> Value {
    json!({
        "resourceType": resource_type,
        "created": time(created),
        "lastModified": time(modified),
        "location": location,
        "version": format!("W/\"{modified}\""),
    })
}

fn user_json(m: &Member, base: &str) -> Value {
    let u = &m.user;
    let (created, modified) = m.record.as_ref().map_or((u.created_at, u.created_at), |r| {
        (r.created_at, r.last_modified)
    });
    let mut v = json!({
        "schemas": [USER_SCHEMA],
        "id": u.id.to_string(),
        "userName": m.record.as_ref().map_or(u.email.as_str(), |r| r.user_name.as_str()),
        "emails": [{ "value": u.email }],
        "active": u.deactivated_at.is_none(),
        "meta": meta("User", created, modified, format!("{base}/Users/{}", u.id)),
    });
    // The directory's own displayName once it claimed the member; before, the account's.
    match &m.record {
        Some(r) => {
            if let Some(d) = &r.display_name {
                v["displayName"] = json!(d);
            }
        }
        None => v["displayName"] = json!(u.display_name),
    }
    if let Some(r) = &m.record {
        if let Some(x) = &r.external_id {
            v["externalId"] = json!(x);
        }
        let mut name = serde_json::Map::new();
        if let Some(g) = &r.given_name {
            name.insert("givenName".into(), json!(g));
        }
        if let Some(f) = &r.family_name {
            name.insert("familyName".into(), json!(f));
        }
        if !name.is_empty() {
            v["name"] = Value::Object(name);
        }
    }
    if !m.groups.is_empty() {
        v["groups"] = m
            .groups
            .iter()
            .map(|g| {
                json!({ "value": g.id.to_string(), "display": g.display_name,
                        "$ref": format!("{base}/Groups/{}", g.id) })
            })
            .collect();
    }
    v
}

fn group_json(g: &Group, base: &str) -> Value {
    let group = &g.group;
    let mut v = json!({
        "schemas": [GROUP_SCHEMA],
        "id": group.id.to_string(),
        "displayName": group.display_name,
        "members": g.members.iter().map(|u| json!({
            "value": u.id.to_string(),
            "$ref": format!("{base}/Users/{}", u.id),
        })).collect::<Vec<_>>(),
        "meta": meta("Group", group.created_at, group.last_modified, format!("{base}/Groups/{}", group.id)),
    });
    if let Some(x) = &group.external_id {
        v["externalId"] = json!(x);
    }
    v
}

/// A member of a JSON object by name, without regard to case (SCIM attribute names are
/// case-insensitive).
fn attr<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn optional_text(v: &Value, name: &str, field: &'static str) -> Result<Option<String>, ApiError> {
    match attr(v, name) {
        None => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= 256 && !s.chars().any(char::is_control) => {
            Ok(Some(s.clone()).filter(|s| !s.trim().is_empty()))
        }
        Some(_) => Err(ApiError::invalid(field, "a string of up to 256 characters")),
    }
}

fn person(v: &Value) -> Result<DirectoryPerson, ApiError> {
    let user_name = optional_text(v, "userName", "userName")?
        .ok_or_else(|| ApiError::invalid("userName", "userName is required"))?;
    let emails: Vec<&Value> = match attr(v, "emails") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(_) => return Err(ApiError::invalid("emails", "a list of {value, primary}")),
    };
    let listed = emails
        .iter()
        .find(|e| attr(e, "primary") == Some(&json!(true)))
        .or(emails.first())
        .and_then(|e| attr(e, "value"))
        .and_then(Value::as_str);
    // userName is the address when it is one; else the (primary) email is.
    let email = match (Email::parse(&user_name), listed) {
        (Ok(e), _) => e,
        (Err(_), Some(address)) => Email::parse(address).map_err(ApiError::at("emails"))?,
        (Err(e), None) => return Err(ApiError::at("userName")(e)),
    };
    let name = attr(v, "name");
    let given_name = name
        .map(|n| optional_text(n, "givenName", "name.givenName"))
        .transpose()?
        .flatten();
    let family_name = name
        .map(|n| optional_text(n, "familyName", "name.familyName"))
        .transpose()?
        .flatten();
    let formatted = name
        .map(|n| optional_text(n, "formatted", "name.formatted"))
        .transpose()?
        .flatten();
    let sent = optional_text(v, "displayName", "displayName")?;
    let sent_display_name = sent.is_some();
    let display = sent
        .or(formatted)
        .or_else(|| {
            let parts: Vec<&str> = [given_name.as_deref(), family_name.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            Some(parts.join(" ")).filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| user_name.clone());
    let display_name = DisplayName::parse(&display).map_err(ApiError::at("displayName"))?;
    let active = match attr(v, "active") {
        None => true,
        Some(Value::Bool(b)) => *b,
        // Some directories send booleans as strings ("False").
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(_) => return Err(ApiError::invalid("active", "true or false")),
    };
    Ok(DirectoryPerson {
        user_name,
        email,
        display_name,
        sent_display_name,
        given_name,
        family_name,
        external_id: optional_text(v, "externalId", "externalId")?,
        active,
    })
}

fn directory_group(v: &Value) -> Result<DirectoryGroup, ApiError> {
    let display_name = optional_text(v, "displayName", "displayName")?
        .ok_or_else(|| ApiError::invalid("displayName", "displayName is required"))?;
    let members = match attr(v, "members") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|m| {
                attr(m, "value")
                    .and_then(|v| match v {
                        Value::String(s) => s.parse::<i64>().ok(),
                        Value::Number(n) => n.as_i64(),
                        _ => None,
                    })
                    .ok_or_else(|| ApiError::invalid("members", "each member's value is a User id"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(ApiError::invalid("members", "a list of {value}")),
    };
    Ok(DirectoryGroup {
        display_name,
        external_id: optional_text(v, "externalId", "externalId")?,
        members,
    })
}

fn id(text: &str) -> Result<i64, ApiError> {
    text.parse()
        .map_err(|_| ApiError::not_found("no resource with this id"))
}

/// `filter`, `startIndex`, `count`, `attributes`, `excludedAttributes` of a list.
fn list(resources: Vec<Value>, query: &HashMap<String, String>) -> Result<Response, ScimError> {
    let number = |name: &'static str| -> Result<Option<i64>, ApiError> {
        query
            .get(name)
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| ApiError::invalid(name, "an integer"))
            })
            .transpose()
    };
    let start_index = number("startIndex")?;
    let count = number("count")?;
    let filter = query
        .get("filter")
        .map(|f| parse_filter(f))
        .transpose()
        .map_err(|e| ApiError::invalid("filter", e.0).with_scim_type("invalidFilter"))?;
    let matching: Vec<Value> = resources
        .into_iter()
        .filter(|r| filter.as_ref().is_none_or(|f| f.matches(r)))
        .collect();
    let total = matching.len();
    let range = page(total, start_index, count, MAX_RESULTS);
    let shown: Vec<Value> = matching[range.clone()]
        .iter()
        .map(|r| project(r.clone(), query))
        .collect();
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_RESPONSE],
            "totalResults": total,
            "startIndex": range.start + 1,
            "itemsPerPage": shown.len(),
            "Resources": shown,
        }),
    ))
}

/// `attributes` keeps only the named attributes (with `id` and `schemas`, always
/// returned); `excludedAttributes` drops the named ones. Names may be `name.givenName`.
fn project(mut resource: Value, query: &HashMap<String, String>) -> Value {
    let names = |key: &str| -> Vec<String> {
        query
            .get(key)
            .map(|v| {
                v.split(',')
                    .map(|a| {
                        let a = a.trim();
                        let a = if a.to_ascii_lowercase().starts_with("urn:") {
                            a.rsplit_once(':').map_or(a, |(_, n)| n)
                        } else {
                            a
                        };
                        a.to_ascii_lowercase()
                    })
                    .filter(|a| !a.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (only, excluded) = (names("attributes"), names("excludedAttributes"));
    let Value::Object(object) = &mut resource else {
        return resource;
    };
    let always = |k: &str| k == "id" || k == "schemas";
    if !only.is_empty() {
        object.retain(|k, v| {
            let k = k.to_ascii_lowercase();
            if always(&k) || only.contains(&k) {
                return true;
            }
            let prefix = format!("{k}.");
            let subs: Vec<&str> = only
                .iter()
                .filter_map(|a| a.strip_prefix(&prefix))
                .collect();
            if subs.is_empty() {
                return false;
            }
            if let Value::Object(inner) = v {
                inner.retain(|s, _| subs.contains(&s.to_ascii_lowercase().as_str()));
            }
            true
        });
    }
    for name in &excluded {
        match name.split_once('.') {
            Some((parent, sub)) => {
                if let Some(Value::Object(inner)) = object
                    .iter_mut()
                    .find(|(k, _)| k.eq_ignore_ascii_case(parent))
                    .map(|(_, v)| v)
                {
                    inner.retain(|s, _| !s.eq_ignore_ascii_case(sub));
                }
            }
            None => object
                .retain(|k, _| always(&k.to_ascii_lowercase()) || !k.eq_ignore_ascii_case(name)),
        }
    }
    resource
}

fn patch_operations(v: &Value) -> Result<Vec<Value>, ApiError> {
    match attr(v, "Operations") {
        Some(Value::Array(ops)) => Ok(ops.clone()),
        _ => Err(
            ApiError::invalid("Operations", "a PatchOp request lists its Operations")
                .with_scim_type("invalidSyntax"),
        ),
    }
}

fn patched(mut resource: Value, operations: &[Value]) -> Result<Value, ApiError> {
    scim_patch::apply(&mut resource, operations).map_err(|e| {
        ApiError::invalid("Operations", e.message.clone()).with_scim_type(e.scim_type)
    })?;
    Ok(resource)
}

async fn service_provider_config(_: Scim, Base(base): Base) -> Answer {
    Ok(scim_json(
        StatusCode::OK,
        &schema::service_provider_config(&base),
    ))
}

fn listed(resources: Vec<Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_RESPONSE],
            "totalResults": resources.len(),
            "startIndex": 1,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    )
}

async fn resource_types(_: Scim, Base(base): Base) -> Answer {
    Ok(listed(schema::resource_types(&base)))
}

async fn resource_type(_: Scim, Base(base): Base, Path(name): Path<String>) -> Answer {
    match name.as_str() {
        "User" | "Group" => Ok(scim_json(
            StatusCode::OK,
            &schema::resource_type(&base, &name),
        )),
        _ => Err(ApiError::not_found("no such resource type").into()),
    }
}

async fn schemas(_: Scim, Base(base): Base) -> Answer {
    Ok(listed(schema::schemas(&base)))
}

async fn one_schema(_: Scim, Base(base): Base, Path(name): Path<String>) -> Answer {
    match name.as_str() {
        USER_SCHEMA => Ok(scim_json(StatusCode::OK, &schema::user_schema(&base))),
        GROUP_SCHEMA => Ok(scim_json(StatusCode::OK, &schema::group_schema(&base))),
        _ => Err(ApiError::not_found("no such schema").into()),
    }
}

async fn list_users(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let members = actions::members(&state, &dir).await?;
    list(
        members.iter().map(|m| user_json(m, &base)).collect(),
        &query,
    )
}

async fn create_user(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let person = person(&body(&headers, &bytes)?)?;
    let member = actions::create_user(&state, &dir, person).await?;
    Ok(resource(StatusCode::CREATED, &user_json(&member, &base)))
}

async fn get_user(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    Path(user): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let member = actions::member(&state, &dir, id(&user)?).await?;
    Ok(resource(
        StatusCode::OK,
        &project(user_json(&member, &base), &query),
    ))
}

async fn replace_user(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    Path(user): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let user_id = id(&user)?;
    let person = person(&body(&headers, &bytes)?)?;
    let member = actions::replace_user(&state, &dir, user_id, person).await?;
    Ok(resource(StatusCode::OK, &user_json(&member, &base)))
}

async fn patch_user(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    Path(user): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let user_id = id(&user)?;
    let operations = patch_operations(&body(&headers, &bytes)?)?;
    let current = actions::member(&state, &dir, user_id).await?;
    let person = person(&patched(user_json(&current, &base), &operations)?)?;
    let member = actions::replace_user(&state, &dir, user_id, person).await?;
    Ok(resource(StatusCode::OK, &user_json(&member, &base)))
}

async fn delete_user(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Path(user): Path<String>,
) -> Result<StatusCode, ScimError> {
    actions::delete_user(&state, &dir, id(&user)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_groups(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let all = groups::groups(&state, &dir).await?;
    list(all.iter().map(|g| group_json(g, &base)).collect(), &query)
}

async fn create_group(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let new = directory_group(&body(&headers, &bytes)?)?;
    let group = groups::create_group(&state, &dir, new).await?;
    Ok(resource(StatusCode::CREATED, &group_json(&group, &base)))
}

async fn get_group(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    Path(group): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let group = groups::group_of(&state, &dir, id(&group)?).await?;
    Ok(resource(
        StatusCode::OK,
        &project(group_json(&group, &base), &query),
    ))
}

async fn replace_group(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    Path(group): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let group_id = id(&group)?;
    let new = directory_group(&body(&headers, &bytes)?)?;
    let group = groups::replace_group(&state, &dir, group_id, new).await?;
    Ok(resource(StatusCode::OK, &group_json(&group, &base)))
}

async fn patch_group(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    Path(group): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let group_id = id(&group)?;
    let operations = patch_operations(&body(&headers, &bytes)?)?;
    let current = groups::group_of(&state, &dir, group_id).await?;
    let new = directory_group(&patched(group_json(&current, &base), &operations)?)?;
    let group = groups::replace_group(&state, &dir, group_id, new).await?;
    Ok(resource(StatusCode::OK, &group_json(&group, &base)))
}

async fn delete_group(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Path(group): Path<String>,
) -> Result<StatusCode, ScimError> {
    groups::delete_group(&state, &dir, id(&group)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A SearchRequest body (RFC 7644 §3.4.3) as the query parameters of a GET.
fn search_query(headers: &HeaderMap, bytes: &Bytes) -> Result<HashMap<String, String>, ScimError> {
    let request = body(headers, bytes)?;
    let mut query = HashMap::new();
    for key in [
        "filter",
        "startIndex",
        "count",
        "attributes",
        "excludedAttributes",
    ] {
        let value = match attr(&request, key) {
            None => continue,
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(","),
            Some(_) => return Err(ApiError::invalid(key, "a string, number or list").into()),
        };
        query.insert(key.to_string(), value);
    }
    Ok(query)
}

async fn search_users(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let query = search_query(&headers, &bytes)?;
    let members = actions::members(&state, &dir).await?;
    list(
        members.iter().map(|m| user_json(m, &base)).collect(),
        &query,
    )
}

async fn search_groups(
    State(state): State<AppState>,
    Scim(dir): Scim,
    Base(base): Base,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let query = search_query(&headers, &bytes)?;
    let all = groups::groups(&state, &dir).await?;
    list(all.iter().map(|g| group_json(g, &base)).collect(), &query)
}

/// A search across Users and Groups at once is not offered (RFC 7644 §3.4.3 lets a
/// service provider answer 501); `/Users/.search` and `/Groups/.search` are.
async fn search_all(_: Scim) -> Response {
    scim_json(
        StatusCode::NOT_IMPLEMENTED,
        &json!({
            "schemas": [schema::ERROR],
            "status": "501",
            "detail": "search /Users/.search or /Groups/.search",
        }),
    )
}
