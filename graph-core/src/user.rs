//! The user scope: `/me` or `/users/{id}`. Service crates hang their
//! operations off it through extension traits (`MailExt`, `CalendarExt`, ...).

use crate::builders::GetBuilder;
use crate::models::User;
use crate::{GraphClient, GraphPath};

/// A mailbox owner: the signed-in user (`/me`) or a user by id or UPN
/// (`/users/{id}`). Get one from [`GraphClient::me`] or [`GraphClient::user`].
///
/// ```no_run
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let me = client.me().get().await?;
/// let adele = client.user("AdeleV@contoso.com").get().select(["displayName"]).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct UserScope {
    client: GraphClient,
    path: GraphPath,
}

impl UserScope {
    pub(crate) fn new(client: GraphClient, path: GraphPath) -> Self {
        UserScope { client, path }
    }

    /// The client.
    pub fn client(&self) -> &GraphClient {
        &self.client
    }

    /// The scope's path: `/me` or `/users/{id}`.
    pub fn path(&self) -> &GraphPath {
        &self.path
    }

    /// A path below this user, starting with the scope's own segments.
    pub fn child(&self, literal: &'static str) -> GraphPath {
        self.path.clone().push(literal)
    }

    /// `GET /me` or `GET /users/{id}`: the user's profile
    /// ([user: get](https://learn.microsoft.com/graph/api/user-get)).
    /// Needs `User.Read` (for `/me`) or `User.Read.All`.
    pub fn get(&self) -> GetBuilder<User> {
        GetBuilder::new(self.client.clone(), self.path.clone())
    }
}
