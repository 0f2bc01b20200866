//! How a client reaches a drive: [`DriveExt`] on a user scope, and
//! [`DriveByIdExt`] on the client for any drive by id.

use msgraph_core::{GraphClient, GraphPath, ListBuilder, UserScope};

use crate::{Drive, OneDrive};

/// The OneDrive operations of a user scope (`client.me()`, `client.user(id)`).
///
/// ```no_run
/// use msgraph_drive::DriveExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let mine = client.me().drive().get().await?;
/// let adeles = client.user("adele@contoso.com").drive().list("/Documents").send().await?;
/// # Ok(()) }
/// ```
pub trait DriveExt {
    /// The user's OneDrive (`/me/drive`, `/users/{id}/drive`): a handle,
    /// nothing is sent until an operation on it is.
    ///
    /// [Get drive](https://learn.microsoft.com/graph/api/drive-get) ·
    /// permissions: delegated `Files.Read` (`Files.ReadWrite` to change),
    /// application `Files.Read.All` (`Files.ReadWrite.All`).
    fn drive(&self) -> OneDrive;

    /// The drives the user can reach.
    ///
    /// `GET /me/drives` · [List drives](https://learn.microsoft.com/graph/api/drive-list) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    fn drives(&self) -> ListBuilder<Drive>;
}

impl DriveExt for UserScope {
    fn drive(&self) -> OneDrive {
        OneDrive::new(self.client().clone(), self.path().clone().push("drive"))
    }

    fn drives(&self) -> ListBuilder<Drive> {
        ListBuilder::new(self.client().clone(), self.path().clone().push("drives"))
    }
}

/// Any drive by its id (a shared library, another user's drive).
///
/// ```no_run
/// use msgraph_drive::DriveByIdExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let drive = client.drive_by_id("b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7");
/// let root = drive.list("/").send().await?;
/// # Ok(()) }
/// ```
pub trait DriveByIdExt {
    /// The drive with this id (`/drives/{id}`): a handle, nothing is sent
    /// until an operation on it is.
    ///
    /// [Get drive](https://learn.microsoft.com/graph/api/drive-get) ·
    /// permissions: delegated `Files.Read` (`Files.Read.All` for a drive
    /// the user does not own), application `Files.Read.All`.
    fn drive_by_id(&self, id: impl Into<String>) -> OneDrive;
}

impl DriveByIdExt for GraphClient {
    fn drive_by_id(&self, id: impl Into<String>) -> OneDrive {
        OneDrive::new(self.clone(), GraphPath::new().push("drives").id(id))
    }
}
