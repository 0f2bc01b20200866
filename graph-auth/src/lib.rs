//! Sign-in for [msgraph-rs](https://github.com/msgraph-rs/msgraph-rs): the
//! credentials that give `msgraph_core::GraphClient` its access tokens.
//!
//! | who signs in | credential | needs |
//! | --- | --- | --- |
//! | a person, from a terminal | [`DeviceCodeCredential`] | "Allow public client flows" on, delegated permissions |
//! | a person, from a desktop app | [`AuthorizationCodeCredential`] (PKCE, loopback redirect) | redirect URI `http://localhost` (Mobile and desktop) |
//! | a daemon, with a secret | [`ClientSecretCredential`] | application permissions + admin consent |
//! | a daemon, with a certificate | [`ClientCertificateCredential`] | the certificate uploaded to the app |
//!
//! Every credential implements [`msgraph_core::TokenCredential`]:
//!
//! - **Silent first.** A delegated credential answers from memory, then
//!   from its [`TokenCache`], then with the refresh token, and only then
//!   starts an interactive sign-in. Tokens are renewed
//!   [5 minutes](REFRESH_MARGIN) before they expire, or halfway through
//!   the life of a token issued for less than 10 minutes.
//! - **Single flight.** However many requests ask at once, one token
//!   request goes out; the others wait for its result. That holds for
//!   forced refreshes after a 401 and for requests challenged with the same
//!   claims too.
//! - **Persistent cache.** [`FileTokenCache`] keeps a sign-in across
//!   restarts (mode 0600, atomic writes, safe with several processes; a bad
//!   file means "sign in again", never a crash), optionally encrypted with
//!   AES-256-GCM (feature `encryption`).
//! - **Errors that say what to do.** Identity-platform errors become
//!   [`msgraph_core::Error::Auth`] with an [`AuthErrorKind`](msgraph_core::AuthErrorKind)
//!   and a hint (AADSTS7000218, AADSTS65001, AADSTS50020, AADSTS700016,
//!   `invalid_client`, `invalid_grant` (the cached sign-in is dropped),
//!   `invalid_scope`, ...); [`explain_forbidden`] does the same for Graph's 403.
//! - **Secrets stay secret.** Client secrets, tokens, private keys and cache
//!   keys never show in `Debug`, `Display` or logs.
//! - **Clouds and tenants.** `common`, `organizations`, `consumers`, a tenant
//!   GUID or domain; the clouds of [`msgraph_core::Cloud`]; the authority URL
//!   can be overridden (the emulator, tests; plain http only on loopback).
//!
//! ```no_run
//! use msgraph_auth::{DeviceCodeCredential, FileTokenCache};
//! use msgraph_core::GraphClient;
//!
//! # async fn run() -> msgraph_core::Result<()> {
//! // MSGRAPH_CLIENT_ID (and optionally MSGRAPH_TENANT_ID) in the environment.
//! let credential = DeviceCodeCredential::from_env()?
//!     .scopes(["User.Read", "Mail.Read"])
//!     .token_cache(FileTokenCache::new("data/token_cache.json"))
//!     .on_prompt(|p| println!("{}", p.message))
//!     .build()?;
//! let client = GraphClient::builder().credential(credential).build()?;
//! let me = client.me().get().await?;
//! println!("signed in as {:?}", me.display_name);
//! # Ok(()) }
//! ```
//!
//! ## Why the token requests are written by hand
//!
//! The token endpoint is called with plain form posts on the workspace's
//! reqwest, not through the `oauth2` crate. `oauth2` 5 (even without its
//! default features) would add a second `base64` and `thiserror`, `rand`
//! 0.8 and the `sha2` stack, while this crate still had to write the parts
//! that matter here itself: the client assertion, the device code prompt's
//! `message` and slow-down handling with an injectable timer, Microsoft's
//! `error_codes` for typed errors, the cache and the single flight. The
//! form posts are a few dozen lines, and `ring` (already in the tree for TLS) covers PKCE, random values, JWT
//! signing and the cache encryption.
#![warn(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod aad_error;
mod auth_code;
mod authority;
mod cache;
mod certificate;
mod client_certificate;
mod client_credentials;
mod client_secret;
mod device_code;
mod endpoint;
mod engine;
mod env;
mod forbidden;
mod loopback;
mod options;
mod random;
mod token;

pub use auth_code::{AuthorizationCodeCredential, AuthorizationCodeCredentialBuilder, AuthorizationPrompt};
#[cfg(feature = "encryption")]
#[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
pub use cache::EncryptionKey;
pub use cache::{CachedToken, FileTokenCache, MemoryTokenCache, TokenCache, TokenCacheKey};
pub use certificate::{AssertionAlgorithm, ClientCertificate};
pub use client_certificate::{ClientCertificateCredential, ClientCertificateCredentialBuilder};
pub use client_secret::{ClientSecretCredential, ClientSecretCredentialBuilder};
pub use device_code::{DeviceCodeCredential, DeviceCodeCredentialBuilder, DeviceCodePrompt};
pub use engine::REFRESH_MARGIN;
pub use env::{ENV_CLIENT_CERTIFICATE_PATH, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_TENANT_ID};
pub use forbidden::explain_forbidden;

/// The README's example compiles (it is not otherwise part of the docs).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
