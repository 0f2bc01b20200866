//! Models shared by several services: bodies, times, addresses, identities, users.
//!
//! Conventions of every model in this SDK: camelCase on the wire; `Option` for
//! whatever Graph may omit; properties the model does not name are kept in
//! `additional`, so a round trip loses nothing; string enums have an
//! `Unknown(String)` arm; output models are `#[non_exhaustive]` (build one with
//! `Default` and set fields, or deserialize it).

mod date_time;
mod email;
mod identity;
mod item_body;
mod user;

pub use date_time::DateTimeTimeZone;
pub use email::{EmailAddress, Recipient};
pub use identity::{Identity, IdentitySet};
pub use item_body::{BodyType, ItemBody};
pub use user::User;

crate::string_enum! {
    /// How important a message or event is.
    pub enum Importance {
        /// `low`
        Low => "low",
        /// `normal`
        Normal => "normal",
        /// `high`
        High => "high",
    }
}

/// Unknown JSON properties of a model, kept so a round trip loses nothing.
pub type Additional = serde_json::Map<String, serde_json::Value>;
