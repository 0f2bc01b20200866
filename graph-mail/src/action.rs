//! [`Action`]: one request with a typed answer, for operations that take no
//! optional parameters (get a setting, move, delete, send a draft, ...).

use std::future::IntoFuture;
use std::marker::PhantomData;

use futures::future::BoxFuture;
use msgraph_core::{GraphClient, Request, Response, Result};
use serde::de::DeserializeOwned;

/// One request, built from the operation's arguments, whose answer is a `T`.
/// Nothing is sent until `.send().await` (or `.await`); input that Graph
/// would reject was already found and is returned by `send` without sending.
///
/// ```no_run
/// use msgraph_mail::{MailExt, WellKnownFolder};
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let moved = client.me().messages().move_to("AAMkAD...", WellKnownFolder::Archive).await?;
/// println!("now in {:?}", moved.parent_folder_id);
/// # Ok(()) }
/// ```
#[must_use = "actions do nothing until sent"]
pub struct Action<T> {
    client: GraphClient,
    request: Result<Request>,
    decode: fn(Response) -> Result<T>,
    _out: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Action<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Action").field("request", &self.request).finish_non_exhaustive()
    }
}

fn json<T: DeserializeOwned>(r: Response) -> Result<T> {
    r.json()
}

fn empty(_: Response) -> Result<()> {
    Ok(())
}

impl<T: DeserializeOwned> Action<T> {
    /// An action whose 2xx body is parsed into `T`.
    pub(crate) fn json(client: GraphClient, request: Result<Request>) -> Self {
        Action { client, request, decode: json::<T>, _out: PhantomData }
    }
}

impl Action<()> {
    /// An action whose answer has no body we need (202, 204).
    pub(crate) fn empty(client: GraphClient, request: Result<Request>) -> Self {
        Action { client, request, decode: empty, _out: PhantomData }
    }
}

impl<T> Action<T> {
    /// An action with its own way of reading the response.
    pub(crate) fn with_decoder(
        client: GraphClient,
        request: Result<Request>,
        decode: fn(Response) -> Result<T>,
    ) -> Self {
        Action { client, request, decode, _out: PhantomData }
    }

    /// The request, as it would be sent (or the input error).
    pub fn into_request(self) -> Result<Request> {
        self.request
    }

    /// Sends the request through the client's pipeline and reads the answer.
    pub async fn send(self) -> Result<T> {
        let response = self.client.execute(self.request?).await?;
        (self.decode)(response)
    }
}

impl<T: Send + 'static> IntoFuture for Action<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

pub(crate) use msgraph_core::into_future;
