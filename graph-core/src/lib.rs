//! The core of msgraph-rs: the Microsoft Graph client and its request
//! pipeline, errors, OData queries, paging, and the models every service shares.
//!
//! Most apps use the `msgraph` facade crate, which re-exports this crate and
//! adds the services (mail, calendar, ...). Use this crate directly to build a
//! service crate, or to call an endpoint the services do not cover:
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use msgraph_core::{GraphClient, GraphPath, ListBuilder, StaticTokenCredential, models::User};
//!
//! # async fn run() -> msgraph_core::Result<()> {
//! let client = GraphClient::builder()
//!     .credential(StaticTokenCredential::new(std::env::var("GRAPH_TOKEN").unwrap_or_default()))
//!     .build()?;
//!
//! let me = client.me().get().await?;
//! println!("hello {:?}", me.display_name);
//!
//! let mut users = ListBuilder::<User>::new(client.clone(), GraphPath::new().push("users"))
//!     .select(["id", "displayName"])
//!     .stream();
//! while let Some(user) = users.try_next().await? {
//!     println!("{:?}", user.display_name);
//! }
//! # Ok(()) }
//! ```
//!
//! ## The pipeline
//!
//! Every request goes through [`GraphClient::execute`]: the host check (the
//! token goes only to the cloud's Graph host and the configured base URL),
//! the token from the [`TokenCredential`], a `client-request-id`, the
//! User-Agent, the shared throttle gate, retry of 429/503 with
//! `Retry-After` (and of 504 for idempotent requests, see
//! [`Request::idempotent`]; [`RetryPolicy`]), redirects followed without
//! leaking the token, and one token refresh on 401. Errors are one [`Error`] type.
//!
//! ## TLS
//!
//! The default feature `rustls` uses rustls with the ring provider (no
//! OpenSSL, a lighter build than aws-lc). `native-tls` uses the platform's
//! TLS instead.
#![warn(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod action;
pub mod batch;
mod builders;
mod client;
pub mod cloud;
mod credential;
pub mod delta;
pub mod download;
pub mod enums;
pub mod error;
pub mod models;
pub mod odata;
pub mod operation;
pub mod options;
mod page;
mod pager;
pub mod partition;
mod path;
mod pipeline;
mod request;
mod response;
mod retry;
pub mod subscription;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
mod throttle;
#[cfg(feature = "tz")]
#[cfg_attr(docsrs, doc(cfg(feature = "tz")))]
pub mod tz;
pub mod upload;
mod user;

pub use action::Action;
pub use builders::{GetBuilder, ListBuilder};
pub use client::{GraphClient, GraphClientBuilder, USER_AGENT, default_http_client};
pub use cloud::{ApiVersion, Cloud};
pub use credential::{AccessToken, Secret, StaticTokenCredential, TokenCredential, TokenRequest};
pub use error::{ApiError, AuthError, AuthErrorKind, Error, ErrorDetail, Result};
pub use models::IntoUtc;
pub use options::{RequestOptions, WithOptions};
pub use page::Page;
pub use pager::{Continuation, ItemStream, PageStream};
pub use path::GraphPath;
pub use request::{AuthMode, Body, BodyStream, Request, Target};
pub use response::{Response, StreamingResponse, decode};
pub use retry::{MAX_RETRIES_LIMIT, RetryPolicy, parse_retry_after};
pub use subscription::Subscription;
pub use user::UserScope;

/// Re-exports service crates build on, so they need not pin their own versions.
pub mod reexports {
    pub use async_trait::async_trait;
    pub use bytes::Bytes;
    pub use chrono;
    pub use futures;
    pub use http;
    pub use serde_json;
    pub use url::Url;
}
