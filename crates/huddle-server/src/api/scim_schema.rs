//! The SCIM discovery documents (RFC 7643 §5–§7): what Huddle supports, its resource
//! types, and the User and Group schemas — the core schemas as the RFC gives them, limited
//! to the attributes Huddle keeps, so a client (or a conformance checker) sends only those.

use serde_json::{json, Value};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const SPC_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// Most resources a list answers with at once (`count` above this is lowered to it).
pub const MAX_RESULTS: usize = 200;

pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [SPC_SCHEMA],
        "documentationUri": format!("{base}/docs/identity.md"),
        "patch": { "supported": true },
        "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
        "filter": { "supported": true, "maxResults": MAX_RESULTS },
        "changePassword": { "supported": false },
        "sort": { "supported": false },
        "etag": { "supported": false },
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Bearer credential",
            "description": "A SCIM credential (hks_…) an org admin creates on /admin/scim, sent as Authorization: Bearer.",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig")
        }
    })
}

pub fn resource_types(base: &str) -> Vec<Value> {
    vec![resource_type(base, "User"), resource_type(base, "Group")]
}

pub fn resource_type(base: &str, name: &str) -> Value {
    let (endpoint, schema, description) = match name {
        "User" => ("/Users", USER_SCHEMA, "A member of the organization"),
        _ => (
            "/Groups",
            GROUP_SCHEMA,
            "A directory group, optionally mapped to a department and roles",
        ),
    };
    json!({
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": name,
        "name": name,
        "endpoint": endpoint,
        "description": description,
        "schema": schema,
        "schemaExtensions": [],
        "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/{name}") }
    })
}

pub fn schemas(base: &str) -> Vec<Value> {
    vec![user_schema(base), group_schema(base)]
}

/// One attribute's definition; `sub` for complex ones.
fn attribute(name: &str, kind: &str, multi: bool, required: bool, mutability: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": "",
        "required": required,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": "none"
    })
}

fn with(mut attribute: Value, key: &str, value: Value) -> Value {
    attribute[key] = value;
    attribute
}

pub fn user_schema(base: &str) -> Value {
    let user_name = with(
        attribute("userName", "string", false, true, "readWrite"),
        "uniqueness",
        json!("server"),
    );
    let name = with(
        attribute("name", "complex", false, false, "readWrite"),
        "subAttributes",
        json!([
            attribute("givenName", "string", false, false, "readWrite"),
            attribute("familyName", "string", false, false, "readWrite"),
        ]),
    );
    // Huddle needs an address for every member: when userName is not one, the (primary)
    // email is.
    let emails = with(
        attribute("emails", "complex", true, true, "readWrite"),
        "subAttributes",
        json!([attribute("value", "string", false, true, "readWrite"),]),
    );
    let groups = with(
        with(
            attribute("groups", "complex", true, false, "readOnly"),
            "subAttributes",
            json!([
                with(
                    attribute("value", "string", false, false, "readOnly"),
                    "caseExact",
                    json!(true)
                ),
                with(
                    attribute("$ref", "reference", false, false, "readOnly"),
                    "referenceTypes",
                    json!(["Group"]),
                ),
                attribute("display", "string", false, false, "readOnly"),
            ]),
        ),
        "description",
        json!("The groups the member is in; change them through the Group resource"),
    );
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A member of the organization",
        "attributes": [
            user_name,
            name,
            attribute("displayName", "string", false, false, "readWrite"),
            emails,
            attribute("active", "boolean", false, false, "readWrite"),
            groups,
        ],
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{USER_SCHEMA}") }
    })
}

pub fn group_schema(base: &str) -> Value {
    let members = with(
        attribute("members", "complex", true, false, "readWrite"),
        "subAttributes",
        json!([
            with(
                attribute("value", "string", false, false, "immutable"),
                "caseExact",
                json!(true)
            ),
            with(
                attribute("$ref", "reference", false, false, "immutable"),
                "referenceTypes",
                json!(["User"]),
            ),
            with(
                attribute("display", "string", false, false, "readOnly"),
                "mutability",
                json!("readOnly")
            ),
        ]),
    );
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A directory group",
        "attributes": [
            with(attribute("displayName", "string", false, true, "readWrite"), "uniqueness", json!("server")),
            members,
        ],
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{GROUP_SCHEMA}") }
    })
}
