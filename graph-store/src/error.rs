//! The store's typed errors, carried inside [`msgraph_core::Error`].

use std::fmt;

use msgraph_core::Error;

/// What kind of store failure a [`StoreError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// The file or database is not a store of this SDK, or it is damaged: not
    /// a SQLite file at all, a damaged SQLite file, or tables of the same name
    /// with another shape. Move the file away to start afresh.
    Corrupt,
    /// The schema was written by a newer release of this SDK; upgrade the
    /// SDK (the store never downgrades a schema).
    NewerSchema {
        /// The schema version found in the store.
        found: i64,
        /// The newest version this release understands.
        supported: i64,
    },
    /// Another connection kept the database locked for longer than the busy
    /// timeout.
    Busy,
    /// A write carried a lease whose fencing token is no longer current: the
    /// lease expired and another worker took the mailbox (or it was released
    /// or the mailbox removed). The write did not happen; stop working on the
    /// mailbox.
    LeaseLost,
    /// The database server could not be reached or the connection was lost
    /// (retryable: [`msgraph_core::Error::is_retryable`] is true).
    Unavailable,
    /// Any other database error.
    Database,
}

impl fmt::Display for StoreErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreErrorKind::Corrupt => f.write_str("not a msgraph-rs store, or damaged"),
            StoreErrorKind::NewerSchema { found, supported } => {
                write!(f, "schema version {found} is newer than this SDK's {supported}")
            }
            StoreErrorKind::Busy => f.write_str("database busy"),
            StoreErrorKind::LeaseLost => f.write_str("lease lost"),
            StoreErrorKind::Unavailable => f.write_str("database unavailable"),
            StoreErrorKind::Database => f.write_str("database error"),
        }
    }
}

/// A store failure: its [kind](StoreErrorKind) and what happened.
///
/// Store operations answer [`msgraph_core::Error`] (the traits they implement
/// say so); the `StoreError` is that error's source. Find it with
/// [`store_error`]:
///
/// ```
/// use msgraph_store::{StoreErrorKind, store_error};
///
/// fn lease_moved(err: &msgraph_core::Error) -> bool {
///     store_error(err).is_some_and(|e| e.kind() == StoreErrorKind::LeaseLost)
/// }
/// # let _ = lease_moved;
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct StoreError {
    kind: StoreErrorKind,
    message: String,
}

impl StoreError {
    /// A store error.
    pub fn new(kind: StoreErrorKind, message: impl Into<String>) -> Self {
        StoreError { kind, message: message.into() }
    }

    /// Its kind.
    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }

    /// What happened.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// This error as an [`msgraph_core::Error`]: [`Error::Transport`] for
    /// [`Unavailable`](StoreErrorKind::Unavailable) (retryable), otherwise
    /// [`Error::Io`] (with [`std::io::ErrorKind::InvalidData`] for a corrupt
    /// store or a newer schema).
    pub fn into_error(self) -> Error {
        let message = self.to_string();
        match self.kind {
            StoreErrorKind::Unavailable => Error::transport(message, self),
            StoreErrorKind::Corrupt | StoreErrorKind::NewerSchema { .. } => {
                Error::io(message, std::io::Error::new(std::io::ErrorKind::InvalidData, self))
            }
            StoreErrorKind::Busy => Error::io(message, std::io::Error::new(std::io::ErrorKind::TimedOut, self)),
            StoreErrorKind::LeaseLost | StoreErrorKind::Database => Error::io(message, std::io::Error::other(self)),
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        e.into_error()
    }
}

/// The [`StoreError`] inside `err`, if a store produced it.
pub fn store_error(err: &Error) -> Option<&StoreError> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(found) = e.downcast_ref::<StoreError>() {
            return Some(found);
        }
        // `io::Error::source` skips the error it wraps: look inside.
        if let Some(found) =
            e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()).and_then(|i| i.downcast_ref::<StoreError>())
        {
            return Some(found);
        }
        source = e.source();
    }
    None
}

/// True when `err` is a write refused because its lease moved
/// ([`StoreErrorKind::LeaseLost`]).
pub fn is_lease_lost(err: &Error) -> bool {
    store_error(err).is_some_and(|e| e.kind() == StoreErrorKind::LeaseLost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_survives_the_trip_through_the_core_error() {
        for kind in [
            StoreErrorKind::Corrupt,
            StoreErrorKind::NewerSchema { found: 9, supported: 1 },
            StoreErrorKind::Busy,
            StoreErrorKind::LeaseLost,
            StoreErrorKind::Unavailable,
            StoreErrorKind::Database,
        ] {
            let err: Error = StoreError::new(kind, "x").into();
            assert_eq!(store_error(&err).map(StoreError::kind), Some(kind), "{err}");
            assert_eq!(err.is_retryable(), kind == StoreErrorKind::Unavailable);
        }
        assert!(is_lease_lost(&StoreError::new(StoreErrorKind::LeaseLost, "moved").into()));
        assert!(store_error(&Error::invalid_input("no")).is_none());
        let newer: Error = StoreError::new(StoreErrorKind::NewerSchema { found: 9, supported: 1 }, "f.db").into();
        assert!(newer.to_string().contains("schema version 9 is newer"), "{newer}");
    }
}
