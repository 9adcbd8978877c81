//! A token store the application implements on the JVM (over its own Redis
//! client, a Spring cache, …), seen by the core as any other
//! [`wxpay::TokenStore`]. The Kotlin side wraps the user's
//! `io.wxpay.TokenStore` in this trait's generated interface.

use std::sync::Arc;
use std::time::Duration;

/// A store call that failed on the JVM side.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum StoreError {
    /// The store threw; `detail` is what it said.
    Failed {
        /// The exception's text.
        detail: String,
    },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Failed { detail } => f.write_str(detail),
        }
    }
}

impl std::error::Error for StoreError {}

// An exception uniffi did not expect (anything but StoreException) still
// ends as a store failure, never as a panic.
impl From<uniffi::UnexpectedUniFFICallbackError> for StoreError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        StoreError::Failed { detail: e.reason }
    }
}

/// What the core needs of a shared token store. Times are whole seconds.
#[uniffi::export(with_foreign)]
pub trait TokenStore: Send + Sync {
    /// The value under `key`, or none.
    fn get(&self, key: String) -> Result<Option<String>, StoreError>;
    /// Stores `value` under `key` for `ttl_seconds`.
    fn set(&self, key: String, value: String, ttl_seconds: i64) -> Result<(), StoreError>;
    /// Adds `key` = `owner` only when absent (true: taken, false: held by
    /// another); none when the store cannot do that atomically.
    fn try_lock(
        &self,
        key: String,
        owner: String,
        ttl_seconds: i64,
    ) -> Result<Option<bool>, StoreError>;
    /// Removes `key` if it still holds `owner`.
    fn unlock(&self, key: String, owner: String) -> Result<(), StoreError>;
}

/// The JVM store as the core's.
pub(crate) struct ForeignStore(pub(crate) Arc<dyn TokenStore>);

fn cache_error(e: StoreError) -> wxpay::Error {
    wxpay::Error::Cache {
        message: format!("token store failed: {e}"),
    }
}

fn seconds(ttl: Duration) -> i64 {
    i64::try_from(ttl.as_secs().max(1)).unwrap_or(i64::MAX)
}

impl wxpay::TokenStore for ForeignStore {
    fn get(&self, key: &str) -> wxpay::Result<Option<String>> {
        self.0.get(key.to_owned()).map_err(cache_error)
    }

    fn set(&self, key: &str, value: &str, ttl: Duration) -> wxpay::Result<()> {
        self.0
            .set(key.to_owned(), value.to_owned(), seconds(ttl))
            .map_err(cache_error)
    }

    fn try_lock(&self, key: &str, owner: &str, ttl: Duration) -> wxpay::Result<wxpay::LockOutcome> {
        Ok(
            match self
                .0
                .try_lock(key.to_owned(), owner.to_owned(), seconds(ttl))
                .map_err(cache_error)?
            {
                Some(true) => wxpay::LockOutcome::Taken,
                Some(false) => wxpay::LockOutcome::Held,
                None => wxpay::LockOutcome::Unsupported,
            },
        )
    }

    fn unlock(&self, key: &str, owner: &str) -> wxpay::Result<()> {
        self.0
            .unlock(key.to_owned(), owner.to_owned())
            .map_err(cache_error)
    }
}
