#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub use msgraph_core as core;
pub use msgraph_core::{
    AccessToken, ApiError, ApiVersion, AuthError, AuthErrorKind, Cloud, Continuation, Error, GraphClient,
    GraphClientBuilder, ItemStream, Page, PageStream, Result, RetryPolicy, StaticTokenCredential, TokenCredential,
    TokenRequest, UserScope, models,
};

/// Everything an app needs in scope: the client, errors, paging, and the
/// service extension traits.
///
/// ```
/// use msgraph::prelude::*;
/// ```
pub mod prelude {
    pub use futures::{StreamExt as _, TryStreamExt as _};
    pub use msgraph_core::{
        Cloud, Continuation, Error, GraphClient, Page, Result, RetryPolicy, StaticTokenCredential, TokenCredential,
    };
}
