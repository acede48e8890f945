//! What the shared SQL (`crates/huddle-store/sql/`, one file per capability, compiled into
//! each backend crate) needs from this crate: `async_trait`, and [`one_row`].

#[doc(hidden)]
pub use async_trait::async_trait;
#[doc(hidden)]
pub use sqlx;

/// Capabilities whose SQL is still written as a macro (none today; new ones belong in
/// `crates/huddle-store/sql/`, see its `mod.rs`). Each backend calls this once.
#[macro_export]
macro_rules! sql_store {
    ($store:ty, $db:ty) => {};
}

/// An update meant for one row that found none means the row does not exist.
pub fn one_row(rows_affected: u64) -> crate::StoreResult<()> {
    if rows_affected == 0 {
        Err(crate::StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Converts every row, failing on the first that does not parse.
pub fn all<R, T>(rows: Vec<R>) -> Result<Vec<T>, crate::StoreError>
where
    T: TryFrom<R, Error = crate::StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}
