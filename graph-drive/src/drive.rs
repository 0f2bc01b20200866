//! [`OneDrive`]: the operations on one drive's items.

use bytes::Bytes;
use msgraph_core::delta::DeltaSync;
use msgraph_core::download::Download;
use msgraph_core::{Action, Error, GetBuilder, GraphClient, GraphPath, ListBuilder, Request, Response};
use serde::Serialize;

use crate::search::DriveSearch;
use crate::transfer::{CopyItem, CreateFolder, RestoreItem, UploadFile};
use crate::{
    Drive, DriveItem, DriveItemVersion, ItemRef, ItemReference, LinkType, Permission, SpecialFolder, ThumbnailSet,
    check_name,
};

/// One drive: the user's OneDrive (`client.me().drive()`), another user's
/// (`client.user(id).drive()`) or any drive by id (`client.drive_by_id(id)`).
///
/// Every operation takes the item as anything that becomes an [`ItemRef`]:
/// a path (`"/Documents/report.pdf"`), an id, `ItemRef::Root`, a
/// [`SpecialFolder`] or a [`DriveItem`] you already have.
///
/// Permissions: `Files.Read` to read, `Files.ReadWrite` to change
/// (delegated); `Files.Read.All` / `Files.ReadWrite.All` for application
/// permissions, with `client.user(id)` or `client.drive_by_id(id)`.
///
/// ```no_run
/// use msgraph_drive::DriveExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let docs = client.me().drive().list("/Documents").top(50).send().await?;
/// for item in &docs.value {
///     println!("{:?} ({:?} bytes)", item.name, item.size);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct OneDrive {
    pub(crate) client: GraphClient,
    /// `/me/drive`, `/users/{id}/drive` or `/drives/{id}`.
    pub(crate) drive: GraphPath,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rename<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_reference: Option<&'a ItemReference>,
}

impl OneDrive {
    pub(crate) fn new(client: GraphClient, drive: GraphPath) -> Self {
        OneDrive { client, drive }
    }

    fn at(&self, item: impl Into<ItemRef>) -> GraphPath {
        item.into().under(&self.drive)
    }

    /// The drive itself: owner, quota, type.
    ///
    /// `GET /me/drive` · [Get drive](https://learn.microsoft.com/graph/api/drive-get) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let drive = client.me().drive().get().await?;
    /// if let Some(q) = drive.quota { println!("{:?} of {:?} bytes used", q.used, q.total); }
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> GetBuilder<Drive> {
        GetBuilder::new(self.client.clone(), self.drive.clone())
    }

    /// An item's metadata, by id or path.
    ///
    /// `GET /me/drive/items/{id}` or `GET /me/drive/root:/{path}` ·
    /// [Get driveItem](https://learn.microsoft.com/graph/api/driveitem-get) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let report = client.me().drive().item("/Documents/report.pdf").await?;
    /// println!("{:?} bytes, changed {:?}", report.size, report.last_modified_date_time);
    /// # Ok(()) }
    /// ```
    pub fn item(&self, item: impl Into<ItemRef>) -> GetBuilder<DriveItem> {
        GetBuilder::new(self.client.clone(), self.at(item))
    }

    /// A special folder (Documents, Photos, Camera Roll, App Root, Music).
    ///
    /// `GET /me/drive/special/{name}` · [Get special folder](https://learn.microsoft.com/graph/api/drive-get-specialfolder) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::{DriveExt, SpecialFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let app = client.me().drive().special(SpecialFolder::AppRoot).await?;
    /// # Ok(()) }
    /// ```
    pub fn special(&self, folder: SpecialFolder) -> GetBuilder<DriveItem> {
        self.item(folder)
    }

    /// The children of a folder (up to 200 per page; `.stream()` for all).
    ///
    /// `GET /me/drive/items/{id}/children` or `GET /me/drive/root:/{path}:/children` ·
    /// [List children](https://learn.microsoft.com/graph/api/driveitem-list-children) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let mut all = client.me().drive().list("/Documents")
    ///     .select(["id", "name", "size", "file", "folder"])
    ///     .order_by("name")
    ///     .top(200)
    ///     .stream();
    /// while let Some(item) = all.try_next().await? {
    ///     println!("{}{}", item.name.unwrap_or_default(), if item.folder.is_some() { "/" } else { "" });
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, folder: impl Into<ItemRef>) -> ListBuilder<DriveItem> {
        ListBuilder::new(self.client.clone(), self.at(folder).push("children"))
    }

    /// A small file's content, whole, in memory (a download answers a 302
    /// that is followed without the token). For large files use
    /// [`download`](Self::download), which streams.
    ///
    /// `GET /me/drive/items/{id}/content` · [Download](https://learn.microsoft.com/graph/api/driveitem-get-content) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let bytes = client.me().drive().content("/Documents/notes.txt").await?;
    /// # Ok(()) }
    /// ```
    pub fn content(&self, file: impl Into<ItemRef>) -> Action<Bytes> {
        let request = Request::get(self.at(file).push("content"));
        Action::with_decoder(self.client.clone(), Ok(request), |r: Response| Ok(r.into_body()))
    }

    /// A small text file's content as a `String` (UTF-8; anything else is a decode error).
    ///
    /// `GET /me/drive/items/{id}/content` · [Download](https://learn.microsoft.com/graph/api/driveitem-get-content) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let text = client.me().drive().text("/Documents/notes.md").await?;
    /// # Ok(()) }
    /// ```
    pub fn text(&self, file: impl Into<ItemRef>) -> Action<String> {
        let request = Request::get(self.at(file).push("content"));
        Action::with_decoder(self.client.clone(), Ok(request), |r: Response| {
            String::from_utf8(r.body().to_vec()).map_err(|e| Error::Decode {
                message: format!("the file is not UTF-8 text: {e}"),
                path: None,
                status: r.status(),
                body_prefix: String::new(),
            })
        })
    }

    /// Downloads a file, streamed to a file path (through a temporary file
    /// renamed at the end) or a writer, with progress; a cut-off body
    /// resumes with `Range`. See [`Download`].
    ///
    /// `GET /me/drive/items/{id}/content` · [Download](https://learn.microsoft.com/graph/api/driveitem-get-content) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let n = client.me().drive().download("/Documents/video.mp4")
    ///     .on_progress(|done, total| println!("{done}/{total:?}"))
    ///     .to_file("video.mp4")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn download(&self, file: impl Into<ItemRef>) -> Download {
        Download::new(self.client.clone(), Request::get(self.at(file).push("content")))
    }

    /// Searches the drive by name and content: `root/search(q='...')`, the
    /// query quoted as Graph wants. Narrow the results by file kind or name
    /// pattern on [`DriveSearch`]; [`search_all`](Self::search_all) also finds
    /// items shared with the user.
    ///
    /// `GET /me/drive/root/search(q='{q}')` · [Search](https://learn.microsoft.com/graph/api/driveitem-search) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use msgraph_drive::{DriveExt, FileKind};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let decks: Vec<_> = client.me().drive().search("quarterly review")
    ///     .kind(FileKind::PowerPoint)
    ///     .stream()
    ///     .try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn search(&self, query: impl Into<String>) -> DriveSearch {
        let path = self.drive.clone().push("root").function("search", [("q", query.into())]);
        DriveSearch::new(ListBuilder::new(self.client.clone(), path))
    }

    /// Searches the whole drive and what is shared with the user
    /// (`search(q=...)` on the drive): shared items come with `remoteItem`.
    ///
    /// `GET /me/drive/search(q='{q}')` · [Search](https://learn.microsoft.com/graph/api/driveitem-search) ·
    /// permissions: delegated `Files.Read.All` (to see items shared by others), application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let hits = client.me().drive().search_all("invoice.pdf").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn search_all(&self, query: impl Into<String>) -> DriveSearch {
        let path = self.drive.clone().function("search", [("q", query.into())]);
        DriveSearch::new(ListBuilder::new(self.client.clone(), path))
    }

    /// Creates a folder in `parent` (conflict behaviour `fail` unless set).
    ///
    /// `POST /me/drive/items/{parent-id}/children` · [Create folder](https://learn.microsoft.com/graph/api/driveitem-post-children) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::{ConflictBehavior, DriveExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let folder = client.me().drive().create_folder("/Documents", "Reports 2026")
    ///     .conflict(ConflictBehavior::Rename)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create_folder(&self, parent: impl Into<ItemRef>, name: impl Into<String>) -> CreateFolder {
        CreateFolder::new(self.client.clone(), self.at(parent).push("children"), name.into())
    }

    /// Uploads a file into `parent` under `name`: one `PUT .../content` for
    /// small files (≤ 4 MiB by default), an upload session above that (10
    /// MiB slices, no token on the upload URL, resume from the server's
    /// ranges). The source is a file path, bytes, or a seekable reader;
    /// memory holds one slice. Conflict behaviour `fail` unless set.
    ///
    /// `PUT /me/drive/items/{parent-id}:/{name}:/content` · [Upload](https://learn.microsoft.com/graph/api/driveitem-put-content) ·
    /// `POST .../createUploadSession` · [Upload session](https://learn.microsoft.com/graph/api/driveitem-createuploadsession) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::{ConflictBehavior, DriveExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let item = client.me().drive().upload("/Documents", "report.pdf", "out/report.pdf")
    ///     .conflict(ConflictBehavior::Replace)
    ///     .on_progress(|sent, total| println!("{sent}/{total}"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn upload(
        &self,
        parent: impl Into<ItemRef>,
        name: impl Into<String>,
        source: impl Into<msgraph_core::upload::UploadSource>,
    ) -> UploadFile {
        UploadFile::new(self.client.clone(), self.drive.clone(), parent.into(), name.into(), source.into())
    }

    /// Renames an item. Add `.header("If-Match", etag)` to change it only if
    /// it did not change since you read it (412 `resourceModified` otherwise:
    /// [`Error::is_precondition_failed`]).
    ///
    /// `PATCH /me/drive/items/{id}` · [Update](https://learn.microsoft.com/graph/api/driveitem-update) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient, etag: String) -> msgraph_core::Result<()> {
    /// let item = client.me().drive().rename("/Documents/draft.docx", "final.docx")
    ///     .header("If-Match", &etag)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn rename(&self, item: impl Into<ItemRef>, new_name: impl Into<String>) -> Action<DriveItem> {
        let name = new_name.into();
        let request = check_name(&name)
            .and_then(|()| Request::patch(self.at(item)).json(&Rename { name: Some(&name), parent_reference: None }));
        Action::json(self.client.clone(), request)
    }

    /// Moves an item into another folder of the same drive, optionally
    /// renaming it. `If-Match` as with [`rename`](Self::rename).
    ///
    /// `PATCH /me/drive/items/{id}` with `parentReference` · [Move](https://learn.microsoft.com/graph/api/driveitem-move) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::{DriveExt, ItemReference};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().drive().move_to("/Inbox/scan.pdf", ItemReference::path("/Documents/Scans"), None).await?;
    /// # Ok(()) }
    /// ```
    pub fn move_to(
        &self,
        item: impl Into<ItemRef>,
        new_parent: ItemReference,
        new_name: Option<String>,
    ) -> Action<DriveItem> {
        let request = new_name.as_deref().map_or(Ok(()), check_name).and_then(|()| {
            Request::patch(self.at(item))
                .json(&Rename { name: new_name.as_deref(), parent_reference: Some(&new_parent) })
        });
        Action::json(self.client.clone(), request)
    }

    /// Copies an item (a file or a whole folder) into a folder; Graph does it
    /// in the background, the SDK follows its monitor URL to the end and
    /// answers the new item.
    ///
    /// `POST /me/drive/items/{id}/copy` → 202 + monitor · [Copy](https://learn.microsoft.com/graph/api/driveitem-copy) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::{DriveExt, ItemReference};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let copy = client.me().drive()
    ///     .copy("/Documents/template.docx", ItemReference::path("/Documents/2026"))
    ///     .name("plan.docx")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn copy(&self, item: impl Into<ItemRef>, into: ItemReference) -> CopyItem {
        CopyItem::new(self.clone(), self.at(item), into)
    }

    /// Deletes an item: it goes to the recycle bin.
    ///
    /// `DELETE /me/drive/items/{id}` · [Delete](https://learn.microsoft.com/graph/api/driveitem-delete) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().drive().delete("/Documents/old.txt").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, item: impl Into<ItemRef>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.at(item))))
    }

    /// Restores a deleted item from the recycle bin, by its id: where it
    /// was, or [`to`](crate::RestoreItem::to) another folder under a new
    /// [`name`](crate::RestoreItem::name) (OneDrive personal only, per Graph).
    ///
    /// `POST /me/drive/items/{id}/restore` · [Restore](https://learn.microsoft.com/graph/api/driveitem-restore) ·
    /// permissions: delegated `Files.ReadWrite.All` (personal Microsoft accounts; work or school
    /// accounts: not supported), application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::{DriveExt, ItemReference};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let back = client.me().drive().restore("1312abc").await?;
    /// let elsewhere = client.me().drive()
    ///     .restore("1312abd")
    ///     .to(ItemReference::path("/Documents/Restored"))
    ///     .name("notes (restored).txt")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn restore(&self, item_id: impl Into<String>) -> RestoreItem {
        RestoreItem::new(self.client.clone(), self.drive.clone().push("items").id(item_id).push("restore"))
    }

    /// Creates (or returns the existing) sharing link of an item: `view`,
    /// `edit` or `embed` (OneDrive personal only), with an optional
    /// [`scope`](crate::CreateLink::scope) (the organization's default
    /// without one), expiry and password (OneDrive personal only).
    ///
    /// `POST /me/drive/items/{id}/createLink` · [Create link](https://learn.microsoft.com/graph/api/driveitem-createlink) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::{DriveExt, LinkScope, LinkType};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let link = client.me().drive()
    ///     .create_link("/Documents/report.pdf", LinkType::View)
    ///     .scope(LinkScope::Organization)
    ///     .await?;
    /// println!("{:?}", link.link.and_then(|l| l.web_url));
    /// # Ok(()) }
    /// ```
    pub fn create_link(&self, item: impl Into<ItemRef>, link: LinkType) -> crate::CreateLink {
        crate::CreateLink::new(self.client.clone(), self.at(item).push("createLink"), link)
    }

    /// The permissions of an item (sharing links and people).
    ///
    /// `GET /me/drive/items/{id}/permissions` · [List permissions](https://learn.microsoft.com/graph/api/driveitem-list-permissions) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let perms = client.me().drive().permissions("/Documents/report.pdf").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn permissions(&self, item: impl Into<ItemRef>) -> ListBuilder<Permission> {
        ListBuilder::new(self.client.clone(), self.at(item).push("permissions"))
    }

    /// Removes a permission (stops sharing through that link or with that person).
    ///
    /// `DELETE /me/drive/items/{id}/permissions/{perm-id}` · [Delete permission](https://learn.microsoft.com/graph/api/permission-delete) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().drive().delete_permission("/Documents/report.pdf", "123ABC").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete_permission(&self, item: impl Into<ItemRef>, permission_id: impl Into<String>) -> Action<()> {
        let path = self.at(item).push("permissions").id(permission_id);
        Action::empty(self.client.clone(), Ok(Request::delete(path)))
    }

    /// The versions of a file, newest first.
    ///
    /// `GET /me/drive/items/{id}/versions` · [List versions](https://learn.microsoft.com/graph/api/driveitem-list-versions) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let versions = client.me().drive().versions("/Documents/plan.docx").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn versions(&self, file: impl Into<ItemRef>) -> ListBuilder<DriveItemVersion> {
        ListBuilder::new(self.client.clone(), self.at(file).push("versions"))
    }

    /// Downloads an earlier version of a file (streamed, as [`download`](Self::download)).
    ///
    /// `GET /me/drive/items/{id}/versions/{version-id}/content` · [Download version](https://learn.microsoft.com/graph/api/driveitemversion-get-contents) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().drive().download_version("/Documents/plan.docx", "2.0").to_file("plan-v2.docx").await?;
    /// # Ok(()) }
    /// ```
    pub fn download_version(&self, file: impl Into<ItemRef>, version_id: impl Into<String>) -> Download {
        let path = self.at(file).push("versions").id(version_id).push("content");
        Download::new(self.client.clone(), Request::get(path))
    }

    /// Makes an earlier version the current one (a new version is created).
    ///
    /// `POST /me/drive/items/{id}/versions/{version-id}/restoreVersion` · [Restore version](https://learn.microsoft.com/graph/api/driveitemversion-restore) ·
    /// permissions: delegated `Files.ReadWrite`, application `Files.ReadWrite.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().drive().restore_version("/Documents/plan.docx", "2.0").await?;
    /// # Ok(()) }
    /// ```
    pub fn restore_version(&self, file: impl Into<ItemRef>, version_id: impl Into<String>) -> Action<()> {
        let path = self.at(file).push("versions").id(version_id).push("restoreVersion");
        Action::empty(self.client.clone(), Ok(Request::post(path)))
    }

    /// The thumbnails of an item (or `$expand=thumbnails` on a list or get).
    ///
    /// `GET /me/drive/items/{id}/thumbnails` · [List thumbnails](https://learn.microsoft.com/graph/api/driveitem-list-thumbnails) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use msgraph_drive::DriveExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let sets = client.me().drive().thumbnails("/Pictures/cat.jpg").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn thumbnails(&self, item: impl Into<ItemRef>) -> ListBuilder<ThumbnailSet> {
        ListBuilder::new(self.client.clone(), self.at(item).push("thumbnails"))
    }

    /// What changed in a folder (or the whole drive with `ItemRef::Root`)
    /// since the last committed round, through core's [`DeltaSync`]: items
    /// with a `deleted` facet come out as removals; an expired token
    /// (410 `resyncChangesApplyDifferences`) means a full resync, reported by
    /// the round. Start "from now" without the current state with
    /// `.param("token", "latest")`.
    ///
    /// `GET /me/drive/root/delta` · [Delta](https://learn.microsoft.com/graph/api/driveitem-delta) ·
    /// permissions: delegated `Files.Read`, application `Files.Read.All`.
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use msgraph_core::delta::{Change, JsonFileDeltaStore};
    /// use msgraph_drive::{DriveExt, ItemRef};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let sync = client.me().drive().delta(ItemRef::Root)
    ///     .store(Arc::new(JsonFileDeltaStore::new("data/delta.json")), "drive:root");
    /// let mut round = sync.pages().await?;
    /// while let Some(changes) = round.next_page().await? {
    ///     for c in changes {
    ///         match c {
    ///             Change::Upserted(item) => println!("changed: {:?}", item.name),
    ///             Change::Removed(r) => println!("deleted: {}", r.id),
    ///         }
    ///     }
    /// }
    /// round.commit().await?;
    /// # Ok(()) }
    /// ```
    pub fn delta(&self, folder: impl Into<ItemRef>) -> DeltaSync<DriveItem> {
        DeltaSync::new(self.client.clone(), self.at(folder).push("delta"))
    }
}
