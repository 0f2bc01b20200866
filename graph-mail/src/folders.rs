//! Mail folders ([mailFolder](https://learn.microsoft.com/graph/api/resources/mailfolder)).

use futures::TryStreamExt as _;
use futures::future::BoxFuture;
use msgraph_core::{Error, GetBuilder, GraphClient, GraphPath, ListBuilder, Request, Response, Result};
use serde::Serialize;
use std::collections::HashSet;

use crate::{FolderRef, MailFolder};
use msgraph_core::into_future;
use msgraph_core::{Action, RequestOptions};

/// The mail folders of one mailbox. Get it from
/// [`MailExt::mail_folders`](crate::MailExt::mail_folders).
///
/// Folder parameters take a [`WellKnownFolder`](crate::WellKnownFolder)
/// (`inbox`, `sentitems`, ...) or a folder id.
#[derive(Debug, Clone)]
pub struct MailFolders {
    client: GraphClient,
    root: GraphPath,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FolderBody<'a> {
    display_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_hidden: Option<bool>,
}

fn check_name(name: &str) -> Result<()> {
    if name.trim().is_empty() { Err(Error::invalid_input("folder name is empty")) } else { Ok(()) }
}

impl MailFolders {
    pub(crate) fn new(client: GraphClient, root: GraphPath) -> Self {
        MailFolders { client, root }
    }

    fn collection(&self) -> GraphPath {
        self.root.clone().push("mailFolders")
    }

    fn item(&self, folder: FolderRef) -> GraphPath {
        self.collection().id(folder.into_string())
    }

    /// Lists the top-level folders with their child folders expanded one
    /// level (`$expand=childFolders`).
    ///
    /// `GET /me/mailFolders` · [List mailFolders](https://learn.microsoft.com/graph/api/user-list-mailfolders) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// Hidden folders come with `.param("includeHiddenFolders", "true")`;
    /// every level comes with [`tree`](Self::tree).
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let mut folders = client.me().mail_folders().list().stream();
    /// while let Some(f) = folders.try_next().await? {
    ///     println!("{:?}: {} children", f.display_name, f.child_folders.map_or(0, |c| c.len()));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<MailFolder> {
        ListBuilder::new(self.client.clone(), self.collection()).expand(["childFolders"])
    }

    /// Lists the direct children of a folder.
    ///
    /// `GET /me/mailFolders/{id}/childFolders` · [List childFolders](https://learn.microsoft.com/graph/api/mailfolder-list-childfolders) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, WellKnownFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let page = client.me().mail_folders().children(WellKnownFolder::Inbox)
    ///     .param("includeHiddenFolders", "true").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn children(&self, parent: impl Into<FolderRef>) -> ListBuilder<MailFolder> {
        ListBuilder::new(self.client.clone(), self.item(parent.into()).push("childFolders"))
    }

    /// Every folder of the mailbox as a tree: the top-level folders, each
    /// with [`child_folders`](MailFolder::child_folders) filled at every
    /// level (one paged `childFolders` listing per folder that has children).
    ///
    /// `GET /me/mailFolders`, then `GET /me/mailFolders/{id}/childFolders` per folder with children ·
    /// [List mailFolders](https://learn.microsoft.com/graph/api/user-list-mailfolders),
    /// [List childFolders](https://learn.microsoft.com/graph/api/mailfolder-list-childfolders) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let roots = client.me().mail_folders().tree().include_hidden(true).await?;
    /// for f in roots.iter().flat_map(|r| r.walk()) {
    ///     println!("{:?}", f.display_name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn tree(&self) -> FolderTree {
        FolderTree { client: self.client.clone(), root: self.root.clone(), include_hidden: false, max_depth: None }
    }

    /// Gets one folder.
    ///
    /// `GET /me/mailFolders/{id}` · [Get mailFolder](https://learn.microsoft.com/graph/api/mailfolder-get) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, WellKnownFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let inbox = client.me().mail_folders().get(WellKnownFolder::Inbox).await?;
    /// println!("{:?} unread", inbox.unread_item_count);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, folder: impl Into<FolderRef>) -> GetBuilder<MailFolder> {
        GetBuilder::new(self.client.clone(), self.item(folder.into()))
    }

    /// The id of a folder given by well-known name.
    ///
    /// `GET /me/mailFolders/{name}?$select=id` · [Get mailFolder](https://learn.microsoft.com/graph/api/mailfolder-get) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, WellKnownFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let sent_id = client.me().mail_folders().id_of(WellKnownFolder::SentItems).await?;
    /// # Ok(()) }
    /// ```
    pub fn id_of(&self, folder: impl Into<FolderRef>) -> Action<String> {
        let request = self.get(folder).select(["id"]).into_request();
        Action::with_decoder(self.client.clone(), request, |r: Response| {
            #[derive(serde::Deserialize)]
            struct IdOnly {
                id: String,
            }
            // a missing id is core's decode error naming the field `id`
            let f: IdOnly = r.json()?;
            if f.id.is_empty() {
                return Err(Error::invalid_input("the folder came back with an empty id"));
            }
            Ok(f.id)
        })
    }

    /// Creates a top-level folder. Returns the folder.
    ///
    /// `POST /me/mailFolders` · [Create mailFolder](https://learn.microsoft.com/graph/api/user-post-mailfolders) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let folder = client.me().mail_folders().create("Receipts").await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, name: impl Into<String>) -> CreateFolder {
        CreateFolder {
            options: Default::default(),
            client: self.client.clone(),
            path: self.collection(),
            name: name.into(),
            hidden: None,
        }
    }

    /// Creates a folder inside `parent`. Returns the folder.
    ///
    /// `POST /me/mailFolders/{id}/childFolders` · [Create child folder](https://learn.microsoft.com/graph/api/mailfolder-post-childfolders) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, WellKnownFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let folder = client.me().mail_folders().create_child(WellKnownFolder::Inbox, "Newsletters").await?;
    /// # Ok(()) }
    /// ```
    pub fn create_child(&self, parent: impl Into<FolderRef>, name: impl Into<String>) -> CreateFolder {
        CreateFolder {
            options: Default::default(),
            client: self.client.clone(),
            path: self.item(parent.into()).push("childFolders"),
            name: name.into(),
            hidden: None,
        }
    }

    /// Renames a folder (sends its `displayName`). Returns the folder.
    ///
    /// `PATCH /me/mailFolders/{id}` · [Update mailFolder](https://learn.microsoft.com/graph/api/mailfolder-update) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().mail_folders().rename("AAMkAGVmMDEz", "Receipts 2024").await?;
    /// # Ok(()) }
    /// ```
    pub fn rename(&self, folder: impl Into<FolderRef>, name: impl Into<String>) -> Action<MailFolder> {
        let name = name.into();
        let path = self.item(folder.into());
        let request = check_name(&name)
            .and_then(|()| Request::patch(path).json(&FolderBody { display_name: &name, is_hidden: None }));
        Action::json(self.client.clone(), request)
    }

    /// Deletes a folder and its contents.
    ///
    /// `DELETE /me/mailFolders/{id}` · [Delete mailFolder](https://learn.microsoft.com/graph/api/mailfolder-delete) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().mail_folders().delete("AAMkAGVmMDEz").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, folder: impl Into<FolderRef>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.item(folder.into()))))
    }
}

/// Creates a folder; see [`MailFolders::create`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct CreateFolder {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    name: String,
    hidden: Option<bool>,
}

impl CreateFolder {
    /// Creates a hidden folder (this can be set only at creation).
    pub fn hidden(mut self, hidden: bool) -> Self {
        self.hidden = Some(hidden);
        self
    }

    fn request(self) -> Result<Request> {
        check_name(&self.name)?;
        Request::post(self.path).json(&FolderBody { display_name: &self.name, is_hidden: self.hidden })
    }

    fn into_action(self) -> Action<MailFolder> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::json(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(CreateFolder => MailFolder);

/// How deep [`FolderTree`] walks unless told otherwise (Outlook allows far
/// fewer levels; this only stops a server that nests without end).
pub const MAX_FOLDER_DEPTH: usize = 64;

/// Every folder as a tree; see [`MailFolders::tree`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct FolderTree {
    client: GraphClient,
    root: GraphPath,
    include_hidden: bool,
    max_depth: Option<usize>,
}

impl FolderTree {
    /// Includes hidden folders (`includeHiddenFolders=true` on every listing).
    pub fn include_hidden(mut self, on: bool) -> Self {
        self.include_hidden = on;
        self
    }

    /// Stops after this many levels below the top (0: top level only;
    /// default [`MAX_FOLDER_DEPTH`]).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = Some(depth);
        self
    }

    fn listing(&self, path: GraphPath) -> ListBuilder<MailFolder> {
        let list = ListBuilder::new(self.client.clone(), path);
        if self.include_hidden { list.param("includeHiddenFolders", "true") } else { list }
    }

    /// Walks the mailbox; returns the top-level folders with their subtrees.
    /// A folder seen twice (a server listing a folder as its own child) is
    /// kept once and not walked again; the walk stops at the depth limit.
    pub async fn send(self) -> Result<Vec<MailFolder>> {
        let top: Vec<MailFolder> = self.listing(self.root.clone().push("mailFolders")).stream().try_collect().await?;
        let mut seen: HashSet<String> = top.iter().filter_map(|f| f.id.clone()).collect();
        self.fill(top, 0, &mut seen).await
    }

    fn fill<'a>(
        &'a self,
        mut folders: Vec<MailFolder>,
        depth: usize,
        seen: &'a mut HashSet<String>,
    ) -> BoxFuture<'a, Result<Vec<MailFolder>>> {
        Box::pin(async move {
            if depth >= self.max_depth.unwrap_or(MAX_FOLDER_DEPTH) {
                return Ok(folders);
            }
            for folder in &mut folders {
                if folder.child_folder_count == Some(0) {
                    folder.child_folders = Some(Vec::new());
                    continue;
                }
                let Some(id) = folder.id.clone() else { continue };
                let path = FolderRef::from(id).path(&self.root).push("childFolders");
                let mut children: Vec<MailFolder> = self.listing(path).stream().try_collect().await?;
                children.retain(|c| match &c.id {
                    Some(cid) if !seen.insert(cid.clone()) => {
                        tracing::warn!("a mail folder is listed twice in the folder tree; kept once");
                        false
                    }
                    _ => true,
                });
                folder.child_folders = Some(self.fill(children, depth + 1, seen).await?);
            }
            Ok(folders)
        })
    }
}

into_future!(FolderTree => Vec<MailFolder>);
