//! Builders of the drive operations with parameters: create a folder,
//! upload a file, copy an item, create a sharing link.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use msgraph_core::operation::Monitor;
use msgraph_core::upload::{LargeUpload, SliceRules, UploadSession, UploadSource};
use msgraph_core::{Action, Error, GraphClient, GraphPath, Request, RequestOptions, Result, WithOptions};
use serde::Serialize;
use serde_json::json;
use tokio::io::AsyncReadExt as _;

use crate::{DriveItem, ItemRef, ItemReference, LinkScope, LinkType, OneDrive, Permission, check_name};

/// What Graph does when an item of that name already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ConflictBehavior {
    /// Fail with 409 `nameAlreadyExists` ([`Error::is_conflict`]) (the SDK's default).
    #[default]
    Fail,
    /// Replace the existing item (a new version of a file).
    Replace,
    /// Keep both: the new item gets a new name (`report 1.pdf`).
    Rename,
}

impl ConflictBehavior {
    /// The value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictBehavior::Fail => "fail",
            ConflictBehavior::Replace => "replace",
            ConflictBehavior::Rename => "rename",
        }
    }
}

/// Creates a folder; see [`OneDrive::create_folder`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct CreateFolder {
    client: GraphClient,
    options: RequestOptions,
    children: GraphPath,
    name: String,
    conflict: ConflictBehavior,
}

impl CreateFolder {
    pub(crate) fn new(client: GraphClient, children: GraphPath, name: String) -> Self {
        CreateFolder { client, options: RequestOptions::default(), children, name, conflict: ConflictBehavior::Fail }
    }

    /// What to do if the name exists (default: fail with 409).
    pub fn conflict(mut self, behavior: ConflictBehavior) -> Self {
        self.conflict = behavior;
        self
    }

    fn into_action(self) -> Action<DriveItem> {
        let request = check_name(&self.name).and_then(|()| {
            Request::post(self.children).json(&json!({
                "name": self.name,
                "folder": {},
                "@microsoft.graph.conflictBehavior": self.conflict.as_str(),
            }))
        });
        Action::json(self.client, request).with_options(self.options)
    }
}

msgraph_core::operation!(CreateFolder => DriveItem);

/// Restores a deleted item; see [`OneDrive::restore`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct RestoreItem {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    parent: Option<ItemReference>,
    name: Option<String>,
}

impl RestoreItem {
    pub(crate) fn new(client: GraphClient, path: GraphPath) -> Self {
        RestoreItem { client, options: RequestOptions::default(), path, parent: None, name: None }
    }

    /// Restore into this folder instead of where the item was.
    pub fn to(mut self, parent: ItemReference) -> Self {
        self.parent = Some(parent);
        self
    }

    /// Restore under a new name (checked as any new name, before sending).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    fn into_action(self) -> Action<DriveItem> {
        let mut body = json!({});
        if let Some(p) = &self.parent {
            body["parentReference"] = json!(p);
        }
        if let Some(n) = &self.name {
            body["name"] = json!(n);
        }
        let request =
            self.name.as_deref().map_or(Ok(()), check_name).and_then(|()| Request::post(self.path).json(&body));
        Action::json(self.client, request).with_options(self.options)
    }
}

msgraph_core::operation!(RestoreItem => DriveItem);

/// The largest file [`UploadFile`] sends in one `PUT` by default (Graph's
/// simple upload takes up to 250 MB; 4 MiB keeps a failed request cheap).
pub const SIMPLE_UPLOAD_MAX: u64 = 4 * 1024 * 1024;

type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Uploads a file; see [`OneDrive::upload`].
#[must_use = "builders do nothing until sent"]
pub struct UploadFile {
    client: GraphClient,
    drive: GraphPath,
    parent: ItemRef,
    name: String,
    source: UploadSource,
    conflict: ConflictBehavior,
    simple_max: u64,
    slice: Option<u64>,
    progress: Option<Progress>,
    options: RequestOptions,
}

impl std::fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadFile")
            .field("parent", &self.parent)
            .field("name", &self.name)
            .field("source", &self.source)
            .field("conflict", &self.conflict)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct SessionItem<'a> {
    #[serde(rename = "@microsoft.graph.conflictBehavior")]
    conflict: &'a str,
}

impl UploadFile {
    pub(crate) fn new(
        client: GraphClient,
        drive: GraphPath,
        parent: ItemRef,
        name: String,
        source: UploadSource,
    ) -> Self {
        UploadFile {
            client,
            drive,
            parent,
            name,
            source,
            conflict: ConflictBehavior::Fail,
            simple_max: SIMPLE_UPLOAD_MAX,
            slice: None,
            progress: None,
            options: RequestOptions::default(),
        }
    }

    /// What to do if the name exists (default: fail with 409).
    pub fn conflict(mut self, behavior: ConflictBehavior) -> Self {
        self.conflict = behavior;
        self
    }

    /// Files up to this size go in one `PUT` (default 4 MiB, at most 250 MB).
    pub fn simple_upload_max(mut self, bytes: u64) -> Self {
        self.simple_max = bytes.min(250_000_000);
        self
    }

    /// The slice size of an upload session: a multiple of 320 KiB under 60
    /// MiB (default 10 MiB); checked before anything is sent.
    pub fn slice_size(mut self, bytes: u64) -> Self {
        self.slice = Some(bytes);
        self
    }

    /// Called as bytes are accepted: `(bytes Graph has, total)`.
    pub fn on_progress(mut self, f: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Uploads; answers the new (or replaced) item.
    pub async fn send(mut self) -> Result<DriveItem> {
        check_name(&self.name)?;
        if let Some(s) = self.slice {
            SliceRules::DRIVE.check(s)?;
        }
        let target = self.parent.child(&self.drive, &self.name);
        target.validate()?;
        let total = self.source.len().await?;
        if total <= self.simple_max {
            let body = read_all(self.source, total).await?;
            let request = Request::put(target.push("content"))
                .query("@microsoft.graph.conflictBehavior", self.conflict.as_str())
                .bytes(body, "application/octet-stream");
            let item = Action::json(self.client, Ok(request)).with_options(self.options).send().await?;
            if let Some(p) = &self.progress {
                p(total, total);
            }
            return Ok(item);
        }
        let create = Request::post(target.push("createUploadSession"))
            .json(&json!({ "item": SessionItem { conflict: self.conflict.as_str() } }));
        let session: UploadSession =
            Action::json(self.client.clone(), create).with_options(self.options).send().await?;
        let mut upload = LargeUpload::<DriveItem>::new(self.client, session, self.source)
            .rules(SliceRules::DRIVE)
            .expected_size(total);
        if let Some(s) = self.slice {
            upload = upload.slice_size(s);
        }
        if let Some(p) = self.progress.take() {
            upload = upload.on_progress(move |sent, of| p(sent, of));
        }
        let done = upload.send().await?;
        done.item.ok_or_else(|| Error::Paging("the upload finished without the item in Graph's answer".into()))
    }
}

/// Reads a small source whole: exactly the `total` bytes its size
/// announced, or an `InvalidInput` before anything is sent (a file that
/// shrank or grew since, a reader shorter than its end).
async fn read_all(source: UploadSource, total: u64) -> Result<bytes::Bytes> {
    let body: bytes::Bytes = match source {
        UploadSource::Bytes(b) => b,
        UploadSource::File(path) => tokio::fs::read(&path)
            .await
            .map(Into::into)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?,
        UploadSource::Reader(mut r) => {
            let mut buf = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
            r.read_to_end(&mut buf).await.map_err(|e| Error::io("reading the upload source", e))?;
            buf.into()
        }
    };
    if body.len() as u64 != total {
        return Err(Error::invalid_input(format!(
            "the upload source has {} bytes, not the {total} its size announced",
            body.len()
        )));
    }
    Ok(body)
}

impl WithOptions for UploadFile {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

msgraph_core::into_future!(UploadFile => DriveItem);

/// Copies an item; see [`OneDrive::copy`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug)]
pub struct CopyItem {
    drive: OneDrive,
    item: GraphPath,
    into: ItemReference,
    name: Option<String>,
    conflict: Option<ConflictBehavior>,
    max_wait: Duration,
    options: RequestOptions,
}

impl CopyItem {
    pub(crate) fn new(drive: OneDrive, item: GraphPath, into: ItemReference) -> Self {
        CopyItem {
            drive,
            item,
            into,
            name: None,
            conflict: None,
            max_wait: Duration::from_secs(600),
            options: RequestOptions::default(),
        }
    }

    /// A new name for the copy.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// What to do if the name exists in the target folder.
    pub fn conflict(mut self, behavior: ConflictBehavior) -> Self {
        self.conflict = Some(behavior);
        self
    }

    /// The longest wait for Graph to finish the copy (default 10 minutes).
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// Starts the copy, follows its monitor to the end, and answers the new item.
    pub async fn send(self) -> Result<DriveItem> {
        if let Some(n) = &self.name {
            check_name(n)?;
        }
        let mut body = json!({ "parentReference": self.into });
        if let Some(n) = &self.name {
            body["name"] = json!(n);
        }
        let mut request = Request::post(self.item.push("copy")).json(&body)?;
        if let Some(c) = self.conflict {
            request = request.query("@microsoft.graph.conflictBehavior", c.as_str());
        }
        let client = self.drive.client.clone();
        let accepted = client.execute(self.options.apply(&client, request)?).await?;
        let done = Monitor::from_response(client, &accepted)?.max_wait(self.max_wait).wait().await?;
        let id =
            done.resource_id.ok_or_else(|| Error::Paging("the copy completed without the new item's id".into()))?;
        self.drive.item(ItemRef::Id(id)).send().await
    }
}

impl WithOptions for CopyItem {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

msgraph_core::into_future!(CopyItem => DriveItem);

/// Creates a sharing link; see [`OneDrive::create_link`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct CreateLink {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    body: LinkBody,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct LinkBody {
    #[serde(rename = "type")]
    link_type: LinkType,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<LinkScope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_date_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retain_inherited_permissions: Option<bool>,
}

impl CreateLink {
    pub(crate) fn new(client: GraphClient, path: GraphPath, link_type: LinkType) -> Self {
        CreateLink {
            client,
            options: RequestOptions::default(),
            path,
            body: LinkBody {
                link_type,
                scope: None,
                expiration_date_time: None,
                password: None,
                retain_inherited_permissions: None,
            },
        }
    }

    /// Who the link works for. Without a scope Graph creates the
    /// organization's default kind of link.
    pub fn scope(mut self, scope: LinkScope) -> Self {
        self.body.scope = Some(scope);
        self
    }

    /// When the link stops working (sent as `yyyy-MM-ddTHH:mm:ssZ`).
    pub fn expires(mut self, at: DateTime<Utc>) -> Self {
        self.body.expiration_date_time = Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        self
    }

    /// A password the link asks for (OneDrive personal only, per Graph).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.body.password = Some(password.into());
        self
    }

    /// Whether the item keeps the permissions it inherits when the link is
    /// the first unique one (Graph's default: true).
    pub fn retain_inherited_permissions(mut self, keep: bool) -> Self {
        self.body.retain_inherited_permissions = Some(keep);
        self
    }

    fn into_action(self) -> Action<Permission> {
        let request = if self.body.password.as_deref().is_some_and(str::is_empty) {
            Err(Error::invalid_input("a link password must not be empty"))
        } else {
            Request::post(self.path).json(&self.body)
        };
        Action::json(self.client, request).with_options(self.options)
    }
}

msgraph_core::operation!(CreateLink => Permission);
