//! Rich notifications (feature `resource-data`): decrypting the resource
//! data a notification carries ([`Decryptor`]) and validating the
//! `validationTokens` of its batch ([`TokenValidator`]), in pure Rust
//! (RustCrypto's `rsa`, `aes`, `cbc` and `sha1`; `ring` for HMAC and RS256).
//!
//! Graph's guide: [change notifications with resource data](https://learn.microsoft.com/graph/change-notifications-with-resource-data).
//! A receiver set up with [`Receiver::require_validation_tokens`](crate::Receiver::require_validation_tokens)
//! hands over a batch with resource data only when its tokens are valid;
//! the app then decrypts each notification's resource.
//!
//! ```no_run
//! use msgraph_notifications::resource_data::{DecryptionKey, Decryptor, TokenValidator};
//! use msgraph_notifications::{ClientStates, Receiver};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // the app's client id, and the private key of the certificate given to Graph
//! // as `encryptionCertificate` when subscribing with `includeResourceData`
//! let validator = TokenValidator::microsoft("8e460676-ae3f-4b1e-8790-ee0fb5d6148f")?;
//! validator.refresh().await?;
//! let decryptor = Decryptor::new(DecryptionKey::from_pem(&std::fs::read_to_string("notifications.key.pem")?)?);
//!
//! let (receiver, mut notifications) = Receiver::new(ClientStates::new(), 1000);
//! let receiver = receiver.require_validation_tokens(validator);
//! // ... serve `receiver` (receiver.handle(...) or, with `axum`, receiver.router("/notify")) ...
//!
//! #[derive(serde::Deserialize)]
//! struct Message { subject: Option<String> }
//! while let Some(n) = notifications.recv().await {
//!     match decryptor.decrypt_notification::<Message>(&n) {
//!         Ok(message) => println!("new mail: {:?}", message.subject),
//!         Err(e) => tracing::warn!(error = %e, "notification not decrypted; dropped"),
//!     }
//! }
//! # Ok(()) }
//! ```

mod decrypt;
mod tokens;

pub use decrypt::{DecryptError, DecryptionKey, Decryptor, EncryptedContent, KeyError};
pub use tokens::{
    DEFAULT_LEEWAY, HttpKeySource, Jwk, Jwks, KeySource, MICROSOFT_SIGNING_KEYS_URL, NOTIFICATION_PUBLISHER_APP_ID,
    TokenError, TokenValidator, ValidatedToken,
};
