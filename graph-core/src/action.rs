//! [`Action`]: one request with a typed answer, the operation type every
//! service crate builds on.

use std::future::IntoFuture;

use futures::future::BoxFuture;
use http::Method;
use serde::de::DeserializeOwned;

use crate::options::{RequestOptions, WithOptions};
use crate::{GraphClient, Request, Response, Result};

/// How an action reads its 2xx answer.
enum Decode<T> {
    /// The body parsed straight into `T`.
    Json(fn(&Response) -> Result<T>),
    /// No body needed (202, 204): `T` is `()`.
    Empty(fn() -> T),
    /// The operation's own reading of the response (a header, raw bytes,
    /// one property). The caller needs this answer, so
    /// [`Action::prefer_minimal`] is refused.
    Custom(fn(Response) -> Result<T>),
}

/// One request, built from the operation's arguments, whose answer is a `T`:
/// get a resource, move a message, delete an event, send a draft.
///
/// Nothing is sent until `.send().await` (or just `.await`). Input that
/// Graph would reject was already found when the action was made and is
/// returned by `send` without sending. The per-request options of
/// [`WithOptions`] (headers, time zone, immutable ids, body type,
/// `client-request-id`) apply, over the client-wide defaults.
///
/// ```no_run
/// use msgraph_core::{Action, GraphClient, GraphPath, Request, WithOptions, models::User};
/// # async fn run(client: GraphClient) -> msgraph_core::Result<()> {
/// // what a service crate writes for `GET /users/{id}/manager`
/// let manager: Action<User> =
///     Action::json(client.clone(), Ok(Request::get(GraphPath::new().push("users").id("adele@contoso.com").push("manager"))));
/// let manager = manager.client_request_id("0d3b4b8e-7c1f-4e2a-9d5f-6a1b2c3d4e5f").await?;
/// # Ok(()) }
/// ```
#[must_use = "actions do nothing until sent"]
pub struct Action<T> {
    client: GraphClient,
    request: Result<Request>,
    options: RequestOptions,
    decode: Decode<T>,
}

impl<T> std::fmt::Debug for Action<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Action").field("request", &self.request).field("options", &self.options).finish_non_exhaustive()
    }
}

fn json<T: DeserializeOwned>(r: &Response) -> Result<T> {
    r.json()
}

impl<T: DeserializeOwned> Action<T> {
    /// An action whose 2xx body is parsed into `T`. `request` is the
    /// operation's request, or the input error found while building it.
    pub fn json(client: GraphClient, request: Result<Request>) -> Self {
        Action { client, request, options: RequestOptions::default(), decode: Decode::Json(json::<T>) }
    }
}

impl Action<()> {
    /// An action whose answer has no body the caller needs (202, 204).
    pub fn empty(client: GraphClient, request: Result<Request>) -> Self {
        Action { client, request, options: RequestOptions::default(), decode: Decode::Empty(|| ()) }
    }
}

impl<T> Action<T> {
    /// An action with its own way of reading the 2xx response (a header,
    /// raw bytes, one property of the body).
    pub fn with_decoder(client: GraphClient, request: Result<Request>, decode: fn(Response) -> Result<T>) -> Self {
        Action { client, request, options: RequestOptions::default(), decode: Decode::Custom(decode) }
    }

    /// Replaces this action's options (for builders that collected them).
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// `Prefer: return=minimal`: Graph answers `204 No Content` instead of
    /// the changed resource, which saves the bytes when the caller does not
    /// need it (PATCH and POST of a resource). The answer becomes `()`.
    ///
    /// An operation that only reads (GET), or whose answer the SDK takes
    /// apart for the caller (an id, a download), cannot do without its body:
    /// asking for it is an [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// before anything is sent.
    pub fn prefer_minimal(self) -> Action<()> {
        let mut options = self.options;
        let method_ok = match &self.request {
            Ok(r) => matches!(*r.method(), Method::POST | Method::PATCH | Method::PUT),
            Err(_) => true,
        };
        match self.decode {
            Decode::Custom(_) => options.fail("prefer_minimal: this operation needs the body of Graph's answer"),
            _ if !method_ok => {
                options.fail("prefer_minimal: only changes (POST, PATCH, PUT) can be answered without a body")
            }
            _ => options.preferences_mut().return_minimal = true,
        }
        Action { client: self.client, request: self.request, options, decode: Decode::Empty(|| ()) }
    }

    /// The client this action is sent with.
    pub fn client(&self) -> &GraphClient {
        &self.client
    }

    /// The request, as it would be sent (the options and the client's
    /// default preferences applied), or the input error.
    pub fn into_request(self) -> Result<Request> {
        self.build().map(|(_, request, _)| request)
    }

    fn build(self) -> Result<(GraphClient, Request, Decode<T>)> {
        // an invalid option is reported before the request's own input error
        self.options.check()?;
        let request = self.options.apply(&self.client, self.request?)?;
        Ok((self.client, request, self.decode))
    }

    /// Sends the request through the client's pipeline and reads the answer.
    pub async fn send(self) -> Result<T> {
        let (client, request, decode) = self.build()?;
        let response = client.execute(request).await?;
        match decode {
            Decode::Json(f) => f(&response),
            Decode::Empty(f) => Ok(f()),
            Decode::Custom(f) => f(response),
        }
    }
}

impl<T> WithOptions for Action<T> {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

impl<T: Send + 'static> IntoFuture for Action<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Turns a builder with its own parameters into an operation: it implements
/// [`WithOptions`] (from its `options: RequestOptions` field) and gets
/// `into_request()`, `send()`, `prefer_minimal()` and `.await` from its
/// `fn into_action(self) -> Action<Out>`. Used by every service crate, so
/// builders with parameters share the per-request options of [`Action`].
#[doc(hidden)]
#[macro_export]
macro_rules! operation {
    ($builder:ty => $out:ty) => {
        impl $crate::WithOptions for $builder {
            fn request_options(&mut self) -> &mut $crate::RequestOptions {
                &mut self.options
            }
        }

        impl $builder {
            /// The request, as it would be sent, or the input error found
            /// before sending.
            pub fn into_request(self) -> $crate::Result<$crate::Request> {
                self.into_action().into_request()
            }

            /// Sends the request and reads the answer (also: `.await` the builder).
            pub async fn send(self) -> $crate::Result<$out> {
                self.into_action().send().await
            }

            /// `Prefer: return=minimal`: Graph answers 204 without the
            /// resource; see [`Action::prefer_minimal`]($crate::Action::prefer_minimal).
            pub fn prefer_minimal(self) -> $crate::Action<()> {
                self.into_action().prefer_minimal()
            }
        }

        impl ::std::future::IntoFuture for $builder {
            type Output = $crate::Result<$out>;
            type IntoFuture = $crate::reexports::futures::future::BoxFuture<'static, $crate::Result<$out>>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
