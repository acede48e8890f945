//! Reading the audit log (system admins only; the read itself is audited).

use axum::extract::State;
use axum::Json;
use huddle_core::audit::ChainedEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiQuery;
use crate::actions::audit::{self, Slice};
use crate::auth::ApiUser;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Entries after this sequence number.
    #[serde(default)]
    after: i64,
    /// At most this many (1–500, default 100).
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    seq: i64,
    at: i64,
    actor_id: Option<i64>,
    action: String,
    target: String,
    detail: serde_json::Value,
    hash: String,
}

impl From<ChainedEntry> for AuditEntryView {
    fn from(e: ChainedEntry) -> Self {
        AuditEntryView {
            seq: e.seq,
            at: e.at,
            actor_id: e.actor_id,
            action: e.action,
            target: e.target,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
            hash: e.hash,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(Page),
    responses((status = 200, body = [AuditEntryView]), (status = 403, body = Problem)))]
pub async fn entries(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<Vec<AuditEntryView>>, ApiError> {
    let slice = Slice::After {
        after: page.after,
        limit: page.limit.unwrap_or(100),
    };
    let entries = audit::read(&state, &p, slice).await?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}
