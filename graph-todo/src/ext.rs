//! [`TodoExt`]: To Do on a user scope.

use msgraph_core::UserScope;

use crate::Todo;

/// Microsoft To Do of a user scope (`client.me()`, `client.user(id)`).
///
/// ```no_run
/// use msgraph_todo::TodoExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let lists = client.me().todo().lists().send().await?;
/// # Ok(()) }
/// ```
pub trait TodoExt {
    /// The user's To Do (`/me/todo`, `/users/{id}/todo`).
    fn todo(&self) -> Todo;
}

impl TodoExt for UserScope {
    fn todo(&self) -> Todo {
        Todo::new(self.client().clone(), self.path().clone().push("todo"))
    }
}
