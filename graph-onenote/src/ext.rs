//! [`OnenoteExt`]: OneNote on a user scope.

use msgraph_core::UserScope;

use crate::Onenote;

/// OneNote of a user scope (`client.me()`, `client.user(id)`).
///
/// ```no_run
/// use msgraph_onenote::OnenoteExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let notebooks = client.me().onenote().notebooks().list().send().await?;
/// # Ok(()) }
/// ```
pub trait OnenoteExt {
    /// The user's OneNote (`/me/onenote`, `/users/{id}/onenote`). Handlers
    /// of the same user share one request limit ([`DEFAULT_CONCURRENCY`](crate::DEFAULT_CONCURRENCY)
    /// in flight).
    fn onenote(&self) -> Onenote;
}

impl OnenoteExt for UserScope {
    fn onenote(&self) -> Onenote {
        Onenote::new(self.client().clone(), self.path().clone())
    }
}
