#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Store | Feature | Roles | For |
//! | --- | --- | --- | --- |
//! | [`SqliteStore`] | `sqlite` (default) | [`DeltaStore`](msgraph_core::delta::DeltaStore), [`TokenCache`](msgraph_auth::TokenCache), [`WatchStore`](msgraph_notifications::WatchStore) | one process (or a few) on one machine: one file |
//! | [`PostgresStore`] | `postgres` | the same three, plus mailboxes and [`Lease`]s ([`LeaseWorker::claim`], heartbeat, release), [`FencedStore`] (writes refused once the lease moved), [`PostgresStore::notify`] / [`LeaseWorker::listen`] (`LISTEN/NOTIFY`) | fleets: many workers on many machines sharing the mailboxes |
//! | [`Fleet`] | `postgres` | a worker runtime on the Postgres store: claims and renews leases, runs fenced inbox delta rounds of its mailboxes (concurrency limit, `LISTEN/NOTIFY` triggers, polling), graceful shutdown, [`FleetStats`] | one per worker process |
//!
//! Failures are [`msgraph_core::Error`]s whose source is a [`StoreError`]
//! ([`store_error`] finds it, [`StoreErrorKind`] says what it is): a corrupt
//! or foreign database, a schema from a newer release, a busy file, a lost
//! lease, an unreachable server. Tokens are encrypted at rest with the
//! `encryption` feature (msgraph-auth's [`EncryptionKey`](msgraph_auth::EncryptionKey)).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod error;
#[cfg(feature = "postgres")]
mod fleet;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod tokens;

pub use error::{StoreError, StoreErrorKind, is_lease_lost, store_error};
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use fleet::{Fleet, FleetBuilder, FleetStats};
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use postgres::{
    FencedStore, Heartbeat, Lease, LeaseWorker, MailboxNotification, Notifications, PostgresStore, PostgresStoreBuilder,
};
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite::{SqliteStore, SqliteStoreBuilder};
