#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Piece | Type | Graph |
//! | --- | --- | --- |
//! | subscriptions (in msgraph-core) | [`msgraph_core::subscription`] | [subscription](https://learn.microsoft.com/graph/api/resources/subscription) |
//! | the webhook endpoint: validation, `clientState` check, hand-over | [`Receiver`], [`ClientStates`] | [webhooks](https://learn.microsoft.com/graph/change-notifications-delivery-webhooks) |
//! | notifications and lifecycle events | [`Notification`], [`LifecycleEvent`] | [lifecycle](https://learn.microsoft.com/graph/change-notifications-lifecycle-events) |
//! | notifications + delta, polling as the safety net | [`Watcher`], [`WatchStore`] | [delta](https://learn.microsoft.com/graph/delta-query-overview) |
//! | rich notifications: decryption, validation tokens (feature `resource-data`) | `resource_data::{Decryptor, TokenValidator}` | [resource data](https://learn.microsoft.com/graph/change-notifications-with-resource-data) |
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod notification;
mod receiver;
#[cfg(feature = "resource-data")]
#[cfg_attr(docsrs, doc(cfg(feature = "resource-data")))]
pub mod resource_data;
mod store;
mod watcher;

pub use notification::{LifecycleEvent, Notification};
pub use receiver::{ClientStates, MAX_BODY_BYTES, Receiver, WebhookResponse};
pub use store::{JsonFileWatchStore, MemoryWatchStore, WatchState, WatchStore};
pub use watcher::Watcher;
