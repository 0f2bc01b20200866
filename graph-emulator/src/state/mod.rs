//! The emulator's in-memory state and the logic that changes it.

pub(crate) mod auth;
pub(crate) mod calendar;
pub(crate) mod certs;
pub(crate) mod conversation_index;
pub(crate) mod delta;
pub(crate) mod drive;
pub(crate) mod drive_content;
pub(crate) mod ids;
pub(crate) mod mail;
pub(crate) mod onenote;
pub(crate) mod path;
pub(crate) mod resource_data;
pub(crate) mod schema;
pub(crate) mod seed;
pub(crate) mod store;
pub(crate) mod subscriptions;
pub(crate) mod todo;
pub(crate) mod tokens;
pub(crate) mod upload;
