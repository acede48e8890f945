//! The SQL both backends share, one file per capability. SQLite and PostgreSQL agree on
//! everything Huddle needs here (`$n` parameters, `RETURNING`, `ON CONFLICT`, BIGINT
//! milliseconds for time), so each statement is written once.
//!
//! These files are not a module of `huddle-store`: each backend crate compiles them into
//! itself (`#[path = "../../huddle-store/sql/mod.rs"] mod sql;` in its `lib.rs`), next to
//! a `backend` module that names its store and its database:
//!
//! ```ignore
//! mod backend {
//!     pub(crate) type Store = super::SqliteStore;
//!     pub(crate) type Db = sqlx::Sqlite;
//! }
//! ```
//!
//! So a file here is plain Rust: `impl IdentityStore for Store { … }`, formatted by rustfmt,
//! read by go-to-definition. The store supplies a connection to read on (`reader`), one to
//! write on (`writer`) and a write transaction (`begin_write`), each dereferencing to its
//! `sqlx` connection. Where the dialects differ, the backend writes its own statement in a
//! method of its own, and the file here calls it by name: `search_resources_fts` and
//! `search_lounge_fts` (full-text search) and `after_erase` (reclaiming erased rows) in the
//! backend's `dialect.rs`, `append` (a message, numbered in its conversation) in its
//! `append.rs`. Those two files are all that differs between the backends' SQL.

mod audit;
pub(crate) mod identity;
mod insights;
mod invitations;
mod keys;
mod lounge;
mod messaging;
mod passkeys;
mod push;
mod reach;
mod routing;
mod scim;
mod session;
mod sso;
mod verification;
mod wellbeing;
